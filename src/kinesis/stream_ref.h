// Which stream a request names: StreamName (in the caller's account and region) or StreamARN
// (which carries its own account and region, so one process serves ARNs of any account).
#pragma once

#include <optional>

#include "aws/error.h"
#include "aws/service.h"
#include "kinesis/stream.h"
#include "kinesis/stream_catalog.h"

namespace trib::kinesis {

// Parses "arn:<partition>:kinesis:<region>:<account>:stream/<name>".
std::optional<StreamKey> parse_stream_arn(std::string_view arn);

// Resolves StreamName / StreamARN members of `input`. Fails with InvalidArgumentException
// when neither is given or when they disagree.
aws::AwsResult<StreamKey> resolve_stream(const aws::RequestContext& request,
                                         const aws::Value& input);

// The live stream the request names, or the error AWS gives (InvalidArgumentException for a
// bad name/ARN pair, ResourceNotFoundException when there is no such stream).
aws::AwsResult<StreamCatalog::StreamPtr> find_stream(const StreamCatalog& catalog,
                                                     const aws::RequestContext& request,
                                                     const aws::Value& input);

// Shard summaries as DescribeStream and ListShards return them.
aws::Value describe_shard(const Stream& stream, const Shard& shard);
aws::Value stream_mode_details(const Stream& stream);
aws::Value enhanced_monitoring(const Stream& stream);

}  // namespace trib::kinesis
