#include "kinesis/records.h"

#include <chrono>
#include <thread>

#include "aws/validate.h"
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
      return aws::fail(
          errors::invalid_argument("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: "
                                   "[0, 2^128-1]. Specified value was " +
                                   *explicit_hash_key));
    }
    hash_key = *parsed;
  } else {
    hash_key = streams::hash_partition_key(partition_key);
  }
  const Shard* shard = stream.shard_for_hash_key(hash_key);
  if (!shard)
    return aws::fail(aws::errors::internal_failure());  // open shards always tile the space
  return shard;
}

aws::AwsResult<AppendOutcome> route_and_append(KinesisContext& ctx,
                                               const aws::RequestContext& request,
                                               StreamCatalog::StreamPtr stream,
                                               std::span<const RecordToAppend> records) {
  return route_and_append(ctx.catalog, ctx.records, ctx.options.sync_writes, request.now_ms,
                          std::move(stream), records, nullptr);
}

aws::AwsResult<AppendOutcome> route_and_append(StreamCatalog& catalog, streams::RecordLog& log,
                                               bool sync, int64_t now_ms,
                                               StreamCatalog::StreamPtr stream,
                                               std::span<const RecordToAppend> records,
                                               const storage::WriteBatch* with) {
  // A reshard holds a closed shard's "closed" flag only for the moment between closing it in
  // the record log and publishing the new stream (one storage write), so short waits suffice;
  // the bound (of time, not attempts: a stalled disk can make that write slow) keeps a storage
  // failure from turning into an endless retry.
  const auto give_up_at = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  const StreamKey key = stream->key;
  const uint64_t stream_id = stream->id;
  AppendOutcome outcome;
  std::vector<streams::AppendRequest> appends;
  for (;;) {
    outcome.shards.clear();
    appends.clear();
    outcome.shards.reserve(records.size());
    appends.reserve(records.size());
    for (const auto& record : records) {
      auto shard = route_record(*stream, *record.partition_key, record.explicit_hash_key);
      if (!shard) return aws::fail(std::move(shard.error()));
      outcome.shards.push_back(shard.value());
      // The shards created together (one CreateStream, the children of one reshard) have the
      // same creation time and share one position counter, as they share AWS's index counter.
      appends.push_back({shard.value()->index, *record.partition_key, record.data,
                         static_cast<uint64_t>(shard.value()->created_ms)});
    }
    auto status = log.append(stream->id, appends, now_ms, sync, &outcome.appended, with);
    if (status.is_ok()) {
      outcome.stream = std::move(stream);
      return outcome;
    }
    if (!status.is_aborted()) return aws::fail(aws::errors::internal_failure());
    if (std::chrono::steady_clock::now() > give_up_at) {
      return aws::fail(aws::errors::internal_failure());
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    stream = catalog.find(key, now_ms);
    if (!stream || stream->id != stream_id) {
      return aws::fail(errors::stream_not_found(key.name, key.account));
    }
  }
}

storage::Status route_and_stage(streams::RecordLog& log, int64_t now_ms, const Stream& stream,
                                std::span<const RecordToAppend> records, storage::WriteBatch& batch,
                                streams::RecordLog::Staged* staged) {
  std::vector<streams::AppendRequest> appends;
  appends.reserve(records.size());
  for (const auto& record : records) {
    auto shard = route_record(stream, *record.partition_key, record.explicit_hash_key);
    if (!shard) return storage::Status::aborted("not routable");
    // As route_and_append: the shards created together share one position counter.
    appends.push_back({shard.value()->index, *record.partition_key, record.data,
                       static_cast<uint64_t>(shard.value()->created_ms)});
  }
  std::vector<streams::Appended> appended;
  // Never waits for another append's shard: the item write must not wait on Kinesis.
  return log.stage(stream.id, appends, now_ms, batch, &appended, staged,
                   streams::RecordLog::Locking::kIfFree);
}

aws::AwsResult<uint64_t> resolve_starting_position(KinesisContext& ctx,
                                                   const aws::RequestContext& request,
                                                   const Stream& stream, const Shard& shard,
                                                   const StartingPosition& start,
                                                   std::string_view operation) {
  const std::string_view type_name = start.type;
  const auto type = streams::parse_starting_position_type(type_name);
  if (!type) {  // the model's enum refuses it before this
    return aws::fail(errors::invalid_argument("Unknown iterator type " + std::string(type_name)));
  }
  std::optional<streams::SequenceTarget> number;
  if (streams::takes_sequence_number(*type)) {
    if (!start.sequence_number) {
      return aws::fail(errors::invalid_argument("A StartingSequenceNumber is required for " +
                                                std::string(type_name) + "."));
    }
    const std::string& sequence_number = *start.sequence_number;
    // AWS's texts: a number it cannot read (or one no shard of this stream issued) is
    // "invalid"; one that names another shard says which (issue 9, point 5). "0" reads as a
    // version-0 number of shard 0 that AWS answers with a 500 InternalFailure; Tributary calls it
    // invalid (docs/compatibility.md).
    const auto invalid = [&] {
      return aws::fail(errors::invalid_argument(
          "StartingSequenceNumber " + sequence_number + " used in " + std::string(operation) +
          " on shard " + shard.shard_id() + " in stream " + stream.key.name + " under account " +
          stream.key.account + " is invalid."));
    };
    if (streams::is_before_first_record(sequence_number, stream.id, shard)) {
      // The ContinuationSequenceNumber SubscribeToShard hands out before a shard's first record.
      number = streams::SequenceTarget{streams::SequenceTarget::Kind::kBeforeFirstRecord, 0};
    } else {
      auto target = streams::decode_sequence_number(sequence_number, request.now_ms);
      if (!target) return invalid();
      if (target->number.shard != static_cast<int32_t>(shard.index)) {
        return aws::fail(errors::invalid_argument(
            "Invalid StartingSequenceNumber. It encodes " + encoded_shard_id(*target) +
            ", while it was used in a call to a shard with " + shard.shard_id()));
      }
      if (!streams::belongs_to(*target, stream.id, shard)) return invalid();
      // The shard's EndingSequenceNumber: its end (an open shard has none, so no number).
      if (target->shard_end && !shard.closed_ms) return invalid();
      number = streams::SequenceTarget{target->shard_end ? streams::SequenceTarget::Kind::kShardEnd
                                                         : streams::SequenceTarget::Kind::kRecord,
                                       target->position};
    }
  } else if (*type == streams::StartingPositionType::kAtTimestamp) {
    if (!start.timestamp_ms) {
      return aws::fail(
          errors::invalid_argument("Must specify timestampInMillis parameter for iterator of type "
                                   "AT_TIMESTAMP. Current request has no timestamp parameter."));
    }
    if (*start.timestamp_ms > request.now_ms) {
      return aws::fail(errors::invalid_argument(
          "The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. "
          "timestampInMillis: " +
          std::to_string(*start.timestamp_ms) +
          ", currentTimestampInMillis: " + std::to_string(request.now_ms)));
    }
  }
  // The record log keeps no trim horizon: reads skip what retention removed, so every position
  // from 0 is readable.
  const streams::ShardRef ref{stream.id, shard.index};
  const streams::ShardBounds bounds{
      [] { return uint64_t{0}; },
      [&] { return ctx.records.next_position(ref); },
      [&](int64_t time_ms) { return ctx.records.position_at_time(ref, time_ms); },
  };
  return streams::resolve_starting_position(*type, bounds, number ? &*number : nullptr,
                                            start.timestamp_ms.value_or(0))
      .position;
}

aws::Value child_shards_value(const Stream& stream, const Shard& shard) {
  aws::Value children = aws::Value::list();
  for (const Shard* child : stream.children_of(shard.index)) {
    aws::Value parents = aws::Value::list();
    if (child->parent_index) parents.push(shard_id_for(*child->parent_index));
    if (child->adjacent_parent_index) parents.push(shard_id_for(*child->adjacent_parent_index));
    aws::Value range = aws::Value::map();
    range.set("StartingHashKey", streams::to_decimal(child->hash_range.starting_hash_key));
    range.set("EndingHashKey", streams::to_decimal(child->hash_range.ending_hash_key));
    aws::Value value = aws::Value::map();
    value.set("ShardId", child->shard_id());
    value.set("ParentShards", std::move(parents));
    value.set("HashKeyRange", std::move(range));
    children.push(std::move(value));
  }
  return children;
}

bool data_fits(const Stream& stream, size_t size) {
  return size <= static_cast<size_t>(stream.max_record_size_kib) * 1024;
}

std::string oversized_data_failure(const KinesisContext& ctx, const Stream& stream,
                                   std::string_view member_path, const aws::Value& data) {
  const size_t limit = static_cast<size_t>(stream.max_record_size_kib) * 1024;
  return aws::validation_failure(
      member_path, &data, "Member must have length less than or equal to " + std::to_string(limit),
      &ctx.validation_style);
}

aws::Value record_value(const Stream& stream, const Shard& shard, streams::StoredRecord&& record) {
  aws::Value out = aws::Value::map();
  out.as_map().reserve(5);
  out.set("SequenceNumber",
          streams::record_sequence_number(stream.id, shard, record.position, record.arrival_ms));
  out.set("ApproximateArrivalTimestamp", aws::Timestamp{record.arrival_ms});
  out.set("Data", aws::Blob{std::move(record.data)});
  out.set("PartitionKey", std::move(record.partition_key));
  if (stream.encryption_type != "NONE") out.set("EncryptionType", stream.encryption_type);
  return out;
}

}  // namespace trib::kinesis
