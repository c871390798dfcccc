// PutRecord: routes by ExplicitHashKey or the MD5 of the partition key to the open shard
// whose range contains it, and appends. SequenceNumberForOrdering is checked for form, as AWS
// checks it; the new record's sequence number is greater than every earlier one of its shard
// in any case, which is the guarantee it asks for.
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/records.h"

namespace trib::kinesis::ops {

Output put_record(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  auto found = find_stream_for_records(ctx.catalog, request, input);
  if (!found) return aws::fail(std::move(found.error()));
  const Stream& stream = *found.value();
  const std::string& data = input.find("Data")->as_blob().bytes;
  if (!data_fits(stream, data.size())) {
    return aws::fail(aws::errors::validation("1 validation error detected: " +
                                             oversized_data_message(stream, "data", data.size())));
  }
  const std::string& partition_key = *input.string_member("PartitionKey");
  auto shard = route_record(stream, partition_key, input.string_member("ExplicitHashKey"));
  if (!shard) return aws::fail(std::move(shard.error()));

  streams::AppendRequest append{shard.value()->index, partition_key, data};
  if (const std::string* ordering = input.string_member("SequenceNumberForOrdering")) {
    auto target = decode_sequence_number(*ordering);
    if (!target) {
      return aws::fail(errors::invalid_argument(
          "ExclusiveMinimumSequenceNumber " + *ordering + " used in PutRecord on stream " + stream.key.name +
          " under account " + stream.key.account + " is invalid."));
    }
  }
  std::vector<streams::Appended> appended;
  auto status = ctx.records.append(stream.id, {&append, 1}, request.now_ms, ctx.options.sync_writes, &appended);
  if (!status.is_ok()) return aws::fail(aws::errors::internal_failure());

  aws::Value out = aws::Value::map();
  out.set("ShardId", shard.value()->shard_id());
  out.set("SequenceNumber",
          record_sequence_number(stream.id, *shard.value(), appended[0].position, appended[0].arrival_ms));
  if (stream.encryption_type != "NONE") out.set("EncryptionType", stream.encryption_type);
  return out;
}

}  // namespace trib::kinesis::ops
