// Every Kinesis operation Tributary serves: one function per AWS operation, each in its own
// file under ops/ (PutRecords -> ops/put_records.cc), listed once in operation_list.h.
#pragma once

#include <map>
#include <memory>
#include <string_view>

#include "kinesis/context.h"
#include "kinesis/operation_list.h"

namespace trib::kinesis {

namespace ops {
#define TRIB_DECLARE_KINESIS_OPERATION(name, function) \
  Output function(KinesisContext&, const aws::RequestContext&, const Input&);
TRIB_KINESIS_OPERATIONS(TRIB_DECLARE_KINESIS_OPERATION)
#undef TRIB_DECLARE_KINESIS_OPERATION

// SubscribeToShard answers with an event stream: the pipeline calls subscribe_to_shard_stream
// (through KinesisService::invoke_streaming); its list entry only marks it implemented.
aws::AwsResult<std::shared_ptr<aws::StreamingBody>> subscribe_to_shard_stream(
    KinesisContext&, const aws::RequestContext&, const Input&, std::string_view content_type);
}  // namespace ops

// Operation name -> handler, built from operation_list.h.
const std::map<std::string_view, OperationHandler>& operation_table();

// Operations of the pinned model not served yet, each with the reason (mirrors
// docs/compatibility.md; a unit test checks the model is covered by the two lists).
const std::map<std::string_view, std::string_view>& unsupported_operations();

}  // namespace trib::kinesis
