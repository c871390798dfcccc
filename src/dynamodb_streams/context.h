// What every DynamoDB Streams operation can reach: the table streams, the token sealer and the
// validation wording (DynamoDB's: the same front end). Operations are plain functions of
// (context, request, input).
#pragma once

#include "aws/error.h"
#include "aws/service.h"
#include "aws/validate.h"
#include "aws/value.h"
#include "dynamodb_streams/table_streams.h"
#include "util/sealed_token.h"

namespace trib::dynamodb_streams {

struct StreamsContext {
  TableStreams& streams;
  const TokenSealer& sealer;
  const aws::ValidationStyle& validation_style;
};

using Input = aws::Value;
using Output = aws::AwsResult<aws::Value>;
using OperationHandler = Output (*)(StreamsContext&, const aws::RequestContext&, const Input&);

}  // namespace trib::dynamodb_streams
