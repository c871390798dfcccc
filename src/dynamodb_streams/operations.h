// Every DynamoDB Streams operation: one function per AWS operation in ops/, listed once in
// operation_list.h; plus what they share (stream lookup, the common error texts).
#pragma once

#include <map>
#include <string_view>

#include "dynamodb_streams/context.h"
#include "dynamodb_streams/operation_list.h"

namespace trib::dynamodb_streams {

namespace ops {
#define TRIB_DECLARE_DYNAMODB_STREAMS_OPERATION(name, function) \
  Output function(StreamsContext&, const aws::RequestContext&, const Input&);
TRIB_DYNAMODB_STREAMS_OPERATIONS(TRIB_DECLARE_DYNAMODB_STREAMS_OPERATION)
#undef TRIB_DECLARE_DYNAMODB_STREAMS_OPERATION
}  // namespace ops

const std::map<std::string_view, OperationHandler>& operation_table();

// The stream a StreamArn member names: ValidationException when it is not a stream ARN,
// ResourceNotFoundException (AWS's recorded text, facts §5) when there is no such stream in the
// caller's account and region (or it is gone).
aws::AwsResult<TableStreams::StreamPtr> find_stream(StreamsContext& ctx,
                                                    const aws::RequestContext& request,
                                                    std::string_view arn, std::string_view member);
// "Requested resource not found: Stream: <arn> not found" ([V] facts §5).
aws::AwsError stream_not_found(std::string_view arn);
// TrimmedDataAccessException with the model's text ([V]; wire text [U], facts §14).
aws::AwsError trimmed_data();
// InternalServerError (HTTP 500, retried by the SDKs): storage could not be read (a damaged
// block) or stored bytes do not decode.
aws::AwsError internal_error();
// A ValidationException in the front end's wording for one member.
aws::AwsError invalid_member(StreamsContext& ctx, std::string_view member, const aws::Value* value,
                             std::string_view constraint);
// Limit in [1, max] (the model states only the minimum; [P, AWS-checked] facts §6, §9).
std::optional<aws::AwsError> check_limit(StreamsContext& ctx, const Input& input, int64_t max);

}  // namespace trib::dynamodb_streams
