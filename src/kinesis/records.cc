#include "kinesis/records.h"

#include "kinesis/errors.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis {

aws::AwsResult<StreamCatalog::StreamPtr> find_stream_for_records(const StreamCatalog& catalog,
                                                                 const aws::RequestContext& request,
                                                                 const aws::Value& input) {
  auto found = find_stream(catalog, request, input);
  if (!found) return found;
  if (!found.value()->accepts_records(request.now_ms)) {
    const auto& key = found.value()->key;
    return aws::fail(errors::stream_not_found(key.name, key.account));
  }
  return found;
}

aws::AwsResult<const Shard*> route_record(const Stream& stream, const std::string& partition_key,
                                          const std::string* explicit_hash_key) {
  streams::uint128 hash_key = 0;
  if (explicit_hash_key) {
    auto parsed = streams::parse_decimal(*explicit_hash_key);
    if (!parsed) {
      return aws::fail(errors::invalid_argument(
          "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was " +
          *explicit_hash_key));
    }
    hash_key = *parsed;
  } else {
    hash_key = streams::hash_partition_key(partition_key);
  }
  const Shard* shard = stream.shard_for_hash_key(hash_key);
  if (!shard) return aws::fail(aws::errors::internal_failure());  // open shards always tile the space
  return shard;
}

bool data_fits(const Stream& stream, size_t size) {
  return size <= static_cast<size_t>(stream.max_record_size_kib) * 1024;
}

std::string oversized_data_message(const Stream& stream, const std::string& path, size_t size) {
  const size_t limit = static_cast<size_t>(stream.max_record_size_kib) * 1024;
  const std::string n = std::to_string(size);
  return "Value 'java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]' at '" + path +
         "' failed to satisfy constraint: Member must have length less than or equal to " +
         std::to_string(limit);
}

aws::Value record_value(const Stream& stream, const Shard& shard, streams::StoredRecord&& record) {
  aws::Value out = aws::Value::map();
  out.set("SequenceNumber", record_sequence_number(stream.id, shard, record.position, record.arrival_ms));
  out.set("ApproximateArrivalTimestamp", aws::Timestamp{record.arrival_ms});
  out.set("Data", aws::Blob{std::move(record.data)});
  out.set("PartitionKey", std::move(record.partition_key));
  if (stream.encryption_type != "NONE") out.set("EncryptionType", stream.encryption_type);
  return out;
}

}  // namespace trib::kinesis
