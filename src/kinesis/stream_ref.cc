#include "kinesis/stream_ref.h"

#include "kinesis/errors.h"

namespace trib::kinesis {

std::optional<StreamKey> parse_stream_arn(std::string_view arn) {
  // arn : partition : kinesis : region : account : stream/name
  std::string_view parts[6];
  for (int i = 0; i < 5; ++i) {
    const auto colon = arn.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    parts[i] = arn.substr(0, colon);
    arn.remove_prefix(colon + 1);
  }
  parts[5] = arn;
  constexpr std::string_view kStream = "stream/";
  if (parts[0] != "arn" || parts[2] != "kinesis" || parts[5].substr(0, kStream.size()) != kStream) {
    return std::nullopt;
  }
  std::string_view name = parts[5].substr(kStream.size());
  if (name.empty() || name.find('/') != std::string_view::npos) return std::nullopt;
  return StreamKey{std::string(parts[4]), std::string(parts[3]), std::string(name)};
}

aws::AwsResult<StreamKey> resolve_stream(const aws::RequestContext& request,
                                         const aws::Value& input) {
  const std::string* name = input.string_member("StreamName");
  const std::string* arn = input.string_member("StreamARN");
  if (arn) {
    auto key = parse_stream_arn(*arn);
    if (!key) return aws::fail(errors::invalid_argument("StreamARN " + *arn + " is invalid."));
    if (name && *name != key->name) {
      return aws::fail(errors::invalid_argument("StreamARN " + *arn + " and StreamName " + *name +
                                                " do not refer to the same stream."));
    }
    return *key;
  }
  if (name) return StreamKey{request.account, request.region, *name};
  return aws::fail(errors::invalid_argument("Either StreamName or StreamARN should be provided."));
}

aws::AwsResult<StreamCatalog::StreamPtr> find_stream(const StreamCatalog& catalog,
                                                     const aws::RequestContext& request,
                                                     const aws::Value& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  auto stream = catalog.find(*key, request.now_ms);
  if (!stream) return aws::fail(errors::stream_not_found(key->name, key->account));
  return stream;
}

aws::Value describe_shard(const Stream& stream, const Shard& shard) {
  aws::Value out = aws::Value::map();
  out.set("ShardId", shard.shard_id());
  if (shard.parent_index) out.set("ParentShardId", shard_id_for(*shard.parent_index));
  if (shard.adjacent_parent_index)
    out.set("AdjacentParentShardId", shard_id_for(*shard.adjacent_parent_index));
  aws::Value range = aws::Value::map();
  range.set("StartingHashKey", streams::to_decimal(shard.hash_range.starting_hash_key));
  range.set("EndingHashKey", streams::to_decimal(shard.hash_range.ending_hash_key));
  out.set("HashKeyRange", std::move(range));
  aws::Value sequence = aws::Value::map();
  sequence.set("StartingSequenceNumber", streams::starting_sequence_number(stream.id, shard));
  if (shard.closed_ms) sequence.set("EndingSequenceNumber", streams::ending_sequence_number(shard));
  out.set("SequenceNumberRange", std::move(sequence));
  return out;
}

aws::Value stream_mode_details(const Stream& stream) {
  aws::Value out = aws::Value::map();
  out.set("StreamMode", stream.mode);
  return out;
}

aws::Value enhanced_monitoring(const Stream& stream) {
  aws::Value metrics = aws::Value::list();
  for (const auto& m : stream.shard_level_metrics) metrics.push(m);
  aws::Value entry = aws::Value::map();
  entry.set("ShardLevelMetrics", std::move(metrics));
  aws::Value list = aws::Value::list();
  list.push(std::move(entry));
  return list;
}

}  // namespace trib::kinesis
