// PutRecords: up to 500 records, 5 MiB in all (data plus partition keys), appended in one
// atomic batch; records of one shard get increasing sequence numbers in request order. The
// result array follows the request order; FailedRecordCount is always present.
#include <map>

#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/records.h"

namespace trib::kinesis::ops {

namespace {
constexpr size_t kMaxRequestBytes = 5 * 1024 * 1024;
}

Output put_records(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  auto found = find_stream_for_records(ctx.catalog, request, input);
  if (!found) return aws::fail(std::move(found.error()));
  const Stream& stream = *found.value();
  const aws::ValueList& entries = input.find("Records")->as_list();

  // Whole-request checks first: record sizes, then the total.
  std::vector<std::string> oversized;
  size_t total = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& data = entries[i].find("Data")->as_blob().bytes;
    total += data.size() + entries[i].string_member("PartitionKey")->size();
    if (!data_fits(stream, data.size())) {
      oversized.push_back(
          oversized_data_message(stream, "records." + std::to_string(i + 1) + ".member.data", data.size()));
    }
  }
  if (!oversized.empty()) {
    if (oversized.size() > 10) oversized.resize(10);
    std::string text = std::to_string(oversized.size()) + " validation error" + (oversized.size() > 1 ? "s" : "") +
                       " detected: ";
    for (size_t i = 0; i < oversized.size(); ++i) text += (i ? "; " : "") + oversized[i];
    return aws::fail(aws::errors::validation(std::move(text)));
  }
  if (total > kMaxRequestBytes) {
    return aws::fail(errors::invalid_argument("Records size exceeds 5 MB limit"));
  }

  std::vector<streams::AppendRequest> appends;
  std::vector<const Shard*> shards;
  appends.reserve(entries.size());
  shards.reserve(entries.size());
  for (const auto& entry : entries) {
    const std::string& partition_key = *entry.string_member("PartitionKey");
    auto shard = route_record(stream, partition_key, entry.string_member("ExplicitHashKey"));
    if (!shard) return aws::fail(std::move(shard.error()));
    shards.push_back(shard.value());
    appends.push_back({shard.value()->index, partition_key, entry.find("Data")->as_blob().bytes});
  }
  std::vector<streams::Appended> appended;
  auto status = ctx.records.append(stream.id, appends, request.now_ms, ctx.options.sync_writes, &appended);
  if (!status.is_ok()) return aws::fail(aws::errors::internal_failure());

  aws::Value results = aws::Value::list();
  results.as_list().reserve(appends.size());
  std::map<uint32_t, std::string> shard_ids;  // formatted once per shard, not per record
  for (size_t i = 0; i < appends.size(); ++i) {
    aws::Value result = aws::Value::map();
    result.as_map().reserve(2);
    result.set("SequenceNumber",
               record_sequence_number(stream.id, *shards[i], appended[i].position, appended[i].arrival_ms));
    auto [id, inserted] = shard_ids.try_emplace(shards[i]->index);
    if (inserted) id->second = shards[i]->shard_id();
    result.set("ShardId", id->second);
    results.push(std::move(result));
  }
  aws::Value out = aws::Value::map();
  out.set("FailedRecordCount", int64_t{0});
  out.set("Records", std::move(results));
  if (stream.encryption_type != "NONE") out.set("EncryptionType", stream.encryption_type);
  return out;
}

}  // namespace trib::kinesis::ops
