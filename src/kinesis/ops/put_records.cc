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
    const aws::Value& data = *entries[i].find("Data");
    total += data.as_blob().bytes.size() + entries[i].string_member("PartitionKey")->size();
    if (!data_fits(stream, data.as_blob().bytes.size())) {
      oversized.push_back(oversized_data_failure(
          ctx, stream, "Records." + std::to_string(i + 1) + ".member.Data", data));
    }
  }
  if (!oversized.empty()) {
    if (oversized.size() > 10) oversized.resize(10);  // AWS lists at most 10 (aws/validate.h)
    return aws::fail(
        aws::errors::validation(aws::validation_message(oversized, &ctx.validation_style)));
  }
  if (total > kMaxRequestBytes) {
    return aws::fail(errors::invalid_argument("Records size exceeds 5 MB limit"));
  }

  std::vector<RecordToAppend> records;
  records.reserve(entries.size());
  for (const auto& entry : entries) {
    records.push_back({entry.string_member("PartitionKey"), entry.string_member("ExplicitHashKey"),
                       entry.find("Data")->as_blob().bytes});
  }
  auto appended = route_and_append(ctx, request, found.value(), records);
  if (!appended) return aws::fail(std::move(appended.error()));
  const auto& shards = appended->shards;
  const uint64_t stream_id = appended->stream->id;

  aws::Value results = aws::Value::list();
  results.as_list().reserve(records.size());
  std::map<uint32_t, std::string> shard_ids;  // formatted once per shard, not per record
  for (size_t i = 0; i < records.size(); ++i) {
    aws::Value result = aws::Value::map();
    result.as_map().reserve(2);
    result.set("SequenceNumber", streams::record_sequence_number(stream_id, *shards[i],
                                                                 appended->appended[i].position,
                                                                 appended->appended[i].arrival_ms));
    auto [id, inserted] = shard_ids.try_emplace(shards[i]->index);
    if (inserted) id->second = shards[i]->shard_id();
    result.set("ShardId", id->second);
    results.push(std::move(result));
  }
  aws::Value out = aws::Value::map();
  out.set("FailedRecordCount", int64_t{0});
  out.set("Records", std::move(results));
  if (appended->stream->encryption_type != "NONE") {
    out.set("EncryptionType", appended->stream->encryption_type);
  }
  return out;
}

}  // namespace trib::kinesis::ops
