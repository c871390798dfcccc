#include "kinesis/consumers/registry.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "aws/stored_document.h"
#include "storage/keys.h"
#include "util/arn.h"

namespace trib::kinesis {

namespace {

constexpr uint8_t kConsumerKeyTag = 'F';  // enhanced fan-out consumers
constexpr uint8_t kConsumerValueVersion = 1;

std::string consumers_prefix() { return std::string(1, static_cast<char>(kConsumerKeyTag)); }

bool registered_before(const ConsumerRegistry::ConsumerPtr& a,
                       const ConsumerRegistry::ConsumerPtr& b) {
  if (a->created_ms != b->created_ms) return a->created_ms < b->created_ms;
  return a->name < b->name;
}

}  // namespace

const char* consumer_status_name(ConsumerStatus status) {
  switch (status) {
    case ConsumerStatus::kCreating:
      return "CREATING";
    case ConsumerStatus::kActive:
      return "ACTIVE";
    case ConsumerStatus::kDeleting:
      return "DELETING";
  }
  return "ACTIVE";
}

ConsumerStatus Consumer::status(int64_t now_ms) const {
  if (deleting_since_ms) return ConsumerStatus::kDeleting;
  if (now_ms < active_at_ms) return ConsumerStatus::kCreating;
  return ConsumerStatus::kActive;
}

std::string Consumer::arn() const {
  return fmt::format("arn:aws:kinesis:{}:{}:stream/{}/consumer/{}:{}", stream.region,
                     stream.account, stream.name, name, created_seconds());
}

std::optional<ConsumerArn> parse_consumer_arn(std::string_view arn) {
  // arn : partition : kinesis : region : account : stream/NAME/consumer/CONSUMER:SECONDS
  const std::optional<ArnParts> parts = split_arn(arn);
  if (!parts || parts->prefix != "arn" || parts->partition.substr(0, 3) != "aws" ||
      parts->service != "kinesis" || parts->account.size() != 12 ||
      !std::all_of(parts->account.begin(), parts->account.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  arn = parts->resource;
  constexpr std::string_view kStream = "stream/";
  constexpr std::string_view kConsumer = "/consumer/";
  if (arn.substr(0, kStream.size()) != kStream) return std::nullopt;
  arn.remove_prefix(kStream.size());
  const auto consumer_at = arn.find(kConsumer);
  if (consumer_at == std::string_view::npos || consumer_at == 0) return std::nullopt;
  ConsumerArn out;
  out.stream = StreamKey{std::string(parts->account), std::string(parts->region),
                         std::string(arn.substr(0, consumer_at))};
  arn.remove_prefix(consumer_at + kConsumer.size());
  const auto colon = arn.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == arn.size()) {
    return std::nullopt;
  }
  out.consumer_name = std::string(arn.substr(0, colon));
  const std::string_view seconds = arn.substr(colon + 1);
  if (seconds.size() > 15 ||
      !std::all_of(seconds.begin(), seconds.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  for (char c : seconds) out.created_seconds = out.created_seconds * 10 + (c - '0');
  if (out.stream.name.find('/') != std::string::npos ||
      out.consumer_name.find('/') != std::string::npos ||
      out.consumer_name.find(':') != std::string::npos) {
    return std::nullopt;
  }
  return out;
}

std::string consumer_storage_key(uint64_t stream_id, std::string_view name) {
  return storage::KeyBuilder().u8(kConsumerKeyTag).u64(stream_id).short_string(name).take();
}

std::string encode_consumer(const Consumer& c) {
  using aws::Value;
  Value doc = Value::map();
  doc.set("stream_id", static_cast<int64_t>(c.stream_id));
  doc.set("account", c.stream.account);
  doc.set("region", c.stream.region);
  doc.set("stream", c.stream.name);
  doc.set("name", c.name);
  doc.set("created_ms", c.created_ms);
  doc.set("active_at_ms", c.active_at_ms);
  if (c.deleting_since_ms) doc.set("deleting_since_ms", *c.deleting_since_ms);
  if (c.deleting_since_ms) doc.set("gone_at_ms", c.gone_at_ms);
  doc.set("tags", aws::encode_stored_tags(c.tags));
  if (c.resource_policy) doc.set("resource_policy", *c.resource_policy);
  return aws::encode_stored_document(kConsumerValueVersion, doc);
}

std::optional<Consumer> decode_consumer(std::string_view bytes) {
  const auto decoded = aws::decode_stored_document(bytes, kConsumerValueVersion);
  if (!decoded) return std::nullopt;
  const aws::Value& doc = *decoded;
  aws::StoredDocumentReader reader(doc);
  Consumer c;
  c.stream_id = static_cast<uint64_t>(reader.required_int("stream_id"));
  c.stream.account = reader.required_string("account");
  c.stream.region = reader.required_string("region");
  c.stream.name = reader.required_string("stream");
  c.name = reader.required_string("name");
  c.created_ms = reader.required_int("created_ms");
  c.active_at_ms = reader.required_int("active_at_ms");
  c.deleting_since_ms = doc.int_member("deleting_since_ms");
  c.gone_at_ms = doc.int_member("gone_at_ms").value_or(c.gone_at_ms);
  const aws::Value* tags = doc.find("tags");
  auto decoded_tags = tags ? aws::decode_stored_tags(*tags) : std::nullopt;
  if (!reader.ok() || !decoded_tags) return std::nullopt;
  c.tags = std::move(*decoded_tags);
  if (const std::string* policy = doc.string_member("resource_policy")) c.resource_policy = *policy;
  return c;
}

ConsumerRegistry::ConsumerRegistry(storage::Engine& engine) : engine_(engine) {}

storage::Status ConsumerRegistry::load() {
  std::unique_lock lock(map_mutex_);
  return storage::for_each_with_prefix(
      engine_, storage::Keyspace::kMeta, consumers_prefix(),
      [&](std::string_view, std::string_view value) {
        auto consumer = decode_consumer(value);
        if (!consumer) return storage::Status::corruption("undecodable consumer record");
        const uint64_t stream_id = consumer->stream_id;
        std::string name = consumer->name;
        consumers_[stream_id][name] = std::make_shared<const Consumer>(std::move(*consumer));
        return storage::Status::ok();
      });
}

ConsumerRegistry::ConsumerPtr ConsumerRegistry::find(uint64_t stream_id, std::string_view name,
                                                     int64_t now_ms) const {
  std::shared_lock lock(map_mutex_);
  auto stream = consumers_.find(stream_id);
  if (stream == consumers_.end()) return nullptr;
  auto it = stream->second.find(name);
  if (it == stream->second.end() || it->second->is_gone(now_ms)) return nullptr;
  return it->second;
}

std::vector<ConsumerRegistry::ConsumerPtr> ConsumerRegistry::list(uint64_t stream_id,
                                                                  int64_t now_ms) const {
  std::vector<ConsumerPtr> out;
  {
    std::shared_lock lock(map_mutex_);
    auto stream = consumers_.find(stream_id);
    if (stream == consumers_.end()) return out;
    for (const auto& [name, consumer] : stream->second) {
      if (!consumer->is_gone(now_ms)) out.push_back(consumer);
    }
  }
  std::sort(out.begin(), out.end(), registered_before);
  return out;
}

storage::Status ConsumerRegistry::persist_locked(const std::vector<ConsumerPtr>& changed) {
  storage::WriteBatch batch;
  for (const auto& c : changed) {
    batch.put(storage::Keyspace::kMeta, consumer_storage_key(c->stream_id, c->name),
              encode_consumer(*c));
  }
  return engine_.write(batch, storage::WriteOptions{true});
}

void ConsumerRegistry::publish_locked(const std::vector<ConsumerPtr>& changed) {
  std::unique_lock lock(map_mutex_);
  for (const auto& c : changed) consumers_[c->stream_id][c->name] = c;
}

aws::AwsResult<ConsumerRegistry::ConsumerPtr> ConsumerRegistry::register_consumer(
    Consumer prototype, int64_t now_ms, const Admission& admit) {
  std::lock_guard control(control_mutex_);
  // Every consumer that is not gone counts, DELETING ones included (their name is taken).
  auto admitted = admit(list(prototype.stream_id, now_ms));
  if (!admitted) return aws::fail(std::move(admitted.error()));
  auto consumer = std::make_shared<const Consumer>(std::move(prototype));
  if (auto status = persist_locked({consumer}); !status.is_ok()) {
    spdlog::error("could not store consumer {}: {}", consumer->arn(), status.message);
    return aws::fail(aws::errors::internal_failure());
  }
  publish_locked({consumer});
  return ConsumerPtr(consumer);
}

aws::AwsResult<ConsumerRegistry::ConsumerPtr> ConsumerRegistry::update(uint64_t stream_id,
                                                                       std::string_view name,
                                                                       int64_t now_ms,
                                                                       const Mutation& mutate) {
  std::lock_guard control(control_mutex_);
  ConsumerPtr current = find(stream_id, name, now_ms);
  if (!current) return aws::fail(aws::errors::internal_failure());  // callers look up first
  Consumer copy = *current;
  auto mutated = mutate(copy);
  if (!mutated) return aws::fail(std::move(mutated.error()));
  auto consumer = std::make_shared<const Consumer>(std::move(copy));
  if (auto status = persist_locked({consumer}); !status.is_ok()) {
    spdlog::error("could not store consumer {}: {}", consumer->arn(), status.message);
    return aws::fail(aws::errors::internal_failure());
  }
  publish_locked({consumer});
  return ConsumerPtr(consumer);
}

aws::AwsResult<Ok> ConsumerRegistry::while_frozen(
    const std::function<aws::AwsResult<Ok>()>& action) {
  std::lock_guard control(control_mutex_);
  return action();
}

storage::Status ConsumerRegistry::deregister_all_locked(uint64_t stream_id, int64_t now_ms,
                                                        int64_t gone_at_ms) {
  std::vector<ConsumerPtr> changed;
  for (const auto& current : list(stream_id, now_ms)) {
    Consumer copy = *current;
    if (!copy.deleting_since_ms) copy.deleting_since_ms = now_ms;
    copy.gone_at_ms = std::min(copy.gone_at_ms, gone_at_ms);
    changed.push_back(std::make_shared<const Consumer>(std::move(copy)));
  }
  if (changed.empty()) return storage::Status::ok();
  auto status = persist_locked(changed);
  if (status.is_ok()) publish_locked(changed);
  return status;
}

size_t ConsumerRegistry::purge(int64_t now_ms,
                               const std::function<bool(const Consumer&)>& stream_is_live) {
  std::lock_guard control(control_mutex_);
  std::vector<ConsumerPtr> dropped;
  {
    std::shared_lock lock(map_mutex_);
    for (const auto& [stream_id, by_name] : consumers_) {
      if (by_name.empty()) continue;
      const bool stream_live = stream_is_live(*by_name.begin()->second);
      for (const auto& [name, consumer] : by_name) {
        if (!stream_live || consumer->is_gone(now_ms)) dropped.push_back(consumer);
      }
    }
  }
  if (dropped.empty()) return 0;
  storage::WriteBatch batch;
  for (const auto& c : dropped) {
    batch.del(storage::Keyspace::kMeta, consumer_storage_key(c->stream_id, c->name));
  }
  if (auto status = engine_.write(batch); !status.is_ok()) {
    spdlog::error("could not delete finished consumers: {}", status.message);
    return 0;
  }
  std::unique_lock lock(map_mutex_);
  for (const auto& c : dropped) {
    auto stream = consumers_.find(c->stream_id);
    if (stream == consumers_.end()) continue;
    auto it = stream->second.find(c->name);
    if (it != stream->second.end() && it->second == c) stream->second.erase(it);
    if (stream->second.empty()) consumers_.erase(stream);
  }
  return dropped.size();
}

}  // namespace trib::kinesis
