// Every Kinesis operation Tributary serves: one function per AWS operation, each in its own
// file under ops/ (PutRecords -> ops/put_records.cc), registered once in operations.cc.
#pragma once

#include <map>
#include <string_view>

#include "kinesis/context.h"

namespace trib::kinesis {

namespace ops {
Output create_stream(KinesisContext&, const aws::RequestContext&, const Input&);
Output delete_stream(KinesisContext&, const aws::RequestContext&, const Input&);
Output describe_stream(KinesisContext&, const aws::RequestContext&, const Input&);
Output describe_stream_summary(KinesisContext&, const aws::RequestContext&, const Input&);
Output list_streams(KinesisContext&, const aws::RequestContext&, const Input&);
Output list_shards(KinesisContext&, const aws::RequestContext&, const Input&);
Output list_tags_for_stream(KinesisContext&, const aws::RequestContext&, const Input&);
Output put_record(KinesisContext&, const aws::RequestContext&, const Input&);
Output put_records(KinesisContext&, const aws::RequestContext&, const Input&);
Output get_shard_iterator(KinesisContext&, const aws::RequestContext&, const Input&);
Output get_records(KinesisContext&, const aws::RequestContext&, const Input&);
Output increase_stream_retention_period(KinesisContext&, const aws::RequestContext&, const Input&);
Output decrease_stream_retention_period(KinesisContext&, const aws::RequestContext&, const Input&);
}  // namespace ops

// Operation name -> handler. The only registration point.
const std::map<std::string_view, OperationHandler>& operation_table();

// Operations of the pinned model not served yet, each with the reason (mirrors
// docs/compatibility.md; a unit test checks the model is covered by the two lists).
const std::map<std::string_view, std::string_view>& unsupported_operations();

}  // namespace trib::kinesis
