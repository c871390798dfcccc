#include "server/kinesis_destination_sink.h"

#include <vector>

#include "kinesis/records.h"
#include "kinesis/stream_ref.h"

namespace trib::server {

KinesisDestinationSink::StreamCheck KinesisDestinationSink::check_stream(
    std::string_view stream_arn, std::string_view account, std::string_view region) const {
  // How AWS describes each case (recorded 2026-10-09 by a third-party catalogue of AWS
  // responses, docs/kinesis-destination.md): a Firehose ARN or another account's stream
  // "is not in Active state"; another region's stream "is not in the current region"; anything
  // else that is not a usable stream (missing, CREATING, DELETING, a consumer or table ARN) is
  // "User does not have a permission to use kinesis stream".
  if (stream_arn.substr(0, 4) == "arn:") {
    std::string_view rest = stream_arn.substr(4);
    const size_t partition_end = rest.find(':');
    if (partition_end != std::string_view::npos &&
        rest.substr(partition_end + 1).substr(0, 9) == "firehose:") {
      return StreamCheck::kNotActive;
    }
  }
  auto key = kinesis::parse_stream_arn(stream_arn);
  if (!key) return StreamCheck::kNotUsable;
  if (key->account != account) return StreamCheck::kNotActive;
  if (key->region != region) return StreamCheck::kOtherRegion;
  const int64_t now = clock_.now_ms();
  auto stream = kinesis_.catalog().find(*key, now);
  return stream && stream->accepts_records(now) ? StreamCheck::kUsable : StreamCheck::kNotUsable;
}

kinesis::StreamCatalog::StreamPtr KinesisDestinationSink::usable_stream(std::string_view stream_arn,
                                                                        int64_t now_ms) const {
  auto key = kinesis::parse_stream_arn(stream_arn);
  auto stream = key ? kinesis_.catalog().find(*key, now_ms) : nullptr;
  return stream && stream->accepts_records(now_ms) ? stream : nullptr;
}

KinesisDestinationSink::Delivery KinesisDestinationSink::deliver(
    std::string_view stream_arn, std::span<const dynamodb::destination::SinkRecord> records,
    const storage::WriteBatch& with) {
  Delivery delivery;
  const int64_t now = clock_.now_ms();
  auto stream = usable_stream(stream_arn, now);
  if (!stream) {
    delivery.result = Delivery::Result::kStreamGone;
    return delivery;
  }
  std::vector<std::string> partition_keys;
  partition_keys.reserve(records.size());
  std::vector<kinesis::RecordToAppend> appends;
  appends.reserve(records.size());
  for (const auto& record : records) {
    if (!kinesis::data_fits(*stream, record.data.size())) {
      ++delivery.oversized;
      continue;
    }
    partition_keys.emplace_back(record.partition_key);
  }
  size_t next_key = 0;
  for (const auto& record : records) {
    if (!kinesis::data_fits(*stream, record.data.size())) continue;
    appends.push_back({&partition_keys[next_key++], nullptr, record.data});
  }
  auto appended = kinesis::route_and_append(kinesis_.catalog(), kinesis_.records(), sync_writes_,
                                            now, std::move(stream), appends, &with);
  if (appended) {
    delivery.result = Delivery::Result::kDelivered;
  } else {
    delivery.result = appended.error().type == "ResourceNotFoundException"
                          ? Delivery::Result::kStreamGone
                          : Delivery::Result::kFailed;
  }
  return delivery;
}

KinesisDestinationSink::Finish KinesisDestinationSink::stage(
    std::string_view stream_arn, const dynamodb::destination::SinkRecord& record,
    storage::WriteBatch& batch) {
  const int64_t now = clock_.now_ms();
  auto stream = usable_stream(stream_arn, now);
  if (!stream || !kinesis::data_fits(*stream, record.data.size())) {
    return {};
  }
  const std::string partition_key(record.partition_key);
  const kinesis::RecordToAppend append{&partition_key, nullptr, record.data};
  auto staged = std::make_shared<streams::RecordLog::Staged>();
  if (!kinesis::route_and_stage(kinesis_.records(), now, *stream, {&append, 1}, batch, staged.get())
           .is_ok()) {
    return {};
  }
  return [staged = std::move(staged)](bool committed) {
    if (committed) {
      staged->publish();
    } else {
      staged->abandon();
    }
  };
}

}  // namespace trib::server
