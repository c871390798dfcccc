// PutRecord: routes by ExplicitHashKey or the MD5 of the partition key to the open shard
// whose range contains it, and appends. SequenceNumberForOrdering must be a number AWS could
// have issued by now, read by AWS's rule (streams::read_client_sequence_number, the same reading
// GetShardIterator uses); it need not belong to this stream. The new record's sequence number is
// greater than every earlier one of its shard in any case, which is the guarantee it asks for.
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/records.h"

namespace trib::kinesis::ops {

Output put_record(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  auto found = find_stream_for_records(ctx.catalog, request, input);
  if (!found) return aws::fail(std::move(found.error()));
  const Stream& stream = *found.value();
  const aws::Value& data_value = *input.find("Data");
  const std::string& data = data_value.as_blob().bytes;
  if (!data_fits(stream, data.size())) {
    return aws::fail(aws::errors::validation(aws::validation_message(
        {oversized_data_failure(ctx, stream, "Data", data_value)}, &ctx.validation_style)));
  }
  const std::string* partition_key = input.string_member("PartitionKey");
  const std::string* explicit_hash_key = input.string_member("ExplicitHashKey");
  if (const std::string* ordering = input.string_member("SequenceNumberForOrdering")) {
    // AWS reports a bad ExplicitHashKey before a bad SequenceNumberForOrdering.
    if (auto routed = route_record(stream, *partition_key, explicit_hash_key); !routed) {
      return aws::fail(std::move(routed.error()));
    }
    if (!streams::decode_sequence_number(*ordering, request.now_ms)) {
      return aws::fail(errors::invalid_argument(
          "ExclusiveMinimumSequenceNumber " + *ordering + " used in PutRecord on stream " +
          stream.key.name + " under account " + stream.key.account + " is invalid."));
    }
  }
  const RecordToAppend record{partition_key, explicit_hash_key, data};
  auto appended = route_and_append(ctx, request, found.value(), {&record, 1});
  if (!appended) return aws::fail(std::move(appended.error()));
  const Shard& shard = *appended->shards[0];
  const streams::Appended& position = appended->appended[0];

  aws::Value out = aws::Value::map();
  out.set("ShardId", shard.shard_id());
  out.set("SequenceNumber",
          streams::record_sequence_number(appended->stream->id, shard, position.position,
                                          position.arrival_ms));
  if (appended->stream->encryption_type != "NONE")
    out.set("EncryptionType", appended->stream->encryption_type);
  return out;
}

}  // namespace trib::kinesis::ops
