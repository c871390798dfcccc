#include "kinesis/stream_catalog.h"

#include <spdlog/spdlog.h>

#include "aws/stored_document.h"
#include "kinesis/errors.h"
#include "storage/keys.h"
#include "streams/record_log.h"

namespace trib::kinesis {

namespace {

constexpr uint8_t kStreamKeyTag = 'S';
constexpr uint8_t kCounterKeyTag = 'C';
constexpr uint8_t kPurgeKeyTag = 'P';
constexpr uint8_t kAccountSettingsKeyTag = 'A';
constexpr uint8_t kStreamValueVersion = 1;
constexpr uint8_t kAccountSettingsValueVersion = 1;

std::string stream_storage_key(const StreamKey& key) {
  return storage::KeyBuilder()
      .u8(kStreamKeyTag)
      .short_string(key.account)
      .short_string(key.region)
      .short_string(key.name)
      .take();
}

std::string account_settings_key(std::string_view account, std::string_view region) {
  return storage::KeyBuilder()
      .u8(kAccountSettingsKeyTag)
      .short_string(account)
      .short_string(region)
      .take();
}

std::string counter_key() {
  return storage::KeyBuilder().u8(kCounterKeyTag).raw("stream_id").take();
}

std::string purge_key(uint64_t stream_id) {
  return storage::KeyBuilder().u8(kPurgeKeyTag).u64(stream_id).take();
}

std::string u64_bytes(uint64_t v) { return storage::KeyBuilder().u64(v).take(); }

// Records of one stream incarnation live under R | stream id (see docs/storage-encoding.md).
std::string records_prefix(uint64_t stream_id) {
  return streams::RecordLog::stream_prefix(stream_id);
}

}  // namespace

namespace {

aws::Value encode_shards(const std::vector<Shard>& list) {
  aws::Value shards = aws::Value::list();
  for (const auto& shard : list) {
    aws::Value sv = aws::Value::map();
    sv.set("index", static_cast<int64_t>(shard.index));
    sv.set("start", streams::to_decimal(shard.hash_range.starting_hash_key));
    sv.set("end", streams::to_decimal(shard.hash_range.ending_hash_key));
    sv.set("created_ms", shard.created_ms);
    if (shard.parent_index) sv.set("parent", static_cast<int64_t>(*shard.parent_index));
    if (shard.adjacent_parent_index)
      sv.set("adjacent_parent", static_cast<int64_t>(*shard.adjacent_parent_index));
    if (shard.closed_ms) sv.set("closed_ms", *shard.closed_ms);
    shards.push(std::move(sv));
  }
  return shards;
}

// nullopt when `list` is not a list of shards as encode_shards writes them.
std::optional<std::vector<Shard>> decode_shards(const aws::ValueList& list) {
  std::vector<Shard> shards;
  shards.reserve(list.size());
  for (const auto& sv : list) {
    if (!sv.is_map()) return std::nullopt;
    aws::StoredDocumentReader reader(sv);
    Shard shard;
    shard.index = static_cast<uint32_t>(reader.required_int("index"));
    const auto start = streams::parse_decimal(reader.required_string("start"));
    const auto end = streams::parse_decimal(reader.required_string("end"));
    shard.created_ms = reader.required_int("created_ms");
    if (!reader.ok() || !start || !end) return std::nullopt;
    shard.hash_range.starting_hash_key = *start;
    shard.hash_range.ending_hash_key = *end;
    if (auto v = sv.int_member("parent")) shard.parent_index = static_cast<uint32_t>(*v);
    if (auto v = sv.int_member("adjacent_parent"))
      shard.adjacent_parent_index = static_cast<uint32_t>(*v);
    shard.closed_ms = sv.int_member("closed_ms");
    shards.push_back(shard);
  }
  return shards;
}

}  // namespace

std::string encode_stream(const Stream& s) {
  using aws::Value;
  Value doc = Value::map();
  doc.set("id", static_cast<int64_t>(s.id));
  doc.set("account", s.key.account);
  doc.set("region", s.key.region);
  doc.set("name", s.key.name);
  doc.set("mode", s.mode);
  doc.set("created_ms", s.created_ms);
  doc.set("active_at_ms", s.active_at_ms);
  if (s.deleting_since_ms) doc.set("deleting_since_ms", *s.deleting_since_ms);
  doc.set("gone_at_ms", s.gone_at_ms);
  doc.set("retention_hours", static_cast<int64_t>(s.retention_hours));
  doc.set("expired_before_ms", s.expired_before_ms);
  doc.set("encryption_type", s.encryption_type);
  doc.set("key_id", s.key_id);
  Value metrics = Value::list();
  for (const auto& m : s.shard_level_metrics) metrics.push(m);
  doc.set("shard_level_metrics", std::move(metrics));
  doc.set("max_record_size_kib", s.max_record_size_kib);
  if (s.updating_until_ms) doc.set("updating_until_ms", s.updating_until_ms);
  if (s.warm_throughput_mibps) doc.set("warm_throughput_mibps", *s.warm_throughput_mibps);
  if (s.previous_warm_throughput_mibps)
    doc.set("previous_warm_throughput_mibps", *s.previous_warm_throughput_mibps);
  if (s.resource_policy) doc.set("resource_policy", *s.resource_policy);
  doc.set("tags", aws::encode_stored_tags(s.tags));
  if (!s.shard_count_updates_ms.empty()) {
    Value updates = Value::list();
    for (int64_t at : s.shard_count_updates_ms) updates.push(at);
    doc.set("shard_count_updates_ms", std::move(updates));
  }
  doc.set("shards", encode_shards(s.shards));
  if (s.pending_reshard) {
    Value pending = Value::map();
    pending.set("at_ms", s.pending_reshard->at_ms);
    Value closing = Value::list();
    for (uint32_t index : s.pending_reshard->plan.closing)
      closing.push(static_cast<int64_t>(index));
    pending.set("closing", std::move(closing));
    pending.set("added", encode_shards(s.pending_reshard->plan.added));
    doc.set("pending_reshard", std::move(pending));
  }
  return aws::encode_stored_document(kStreamValueVersion, doc);
}

std::optional<Stream> decode_stream(std::string_view bytes) {
  const auto decoded = aws::decode_stored_document(bytes, kStreamValueVersion);
  if (!decoded) return std::nullopt;
  const aws::Value& doc = *decoded;
  aws::StoredDocumentReader reader(doc);
  Stream s;
  s.id = static_cast<uint64_t>(reader.required_int("id"));
  s.key.account = reader.required_string("account");
  s.key.region = reader.required_string("region");
  s.key.name = reader.required_string("name");
  s.mode = reader.required_string("mode");
  s.created_ms = reader.required_int("created_ms");
  s.active_at_ms = reader.required_int("active_at_ms");
  s.deleting_since_ms = doc.int_member("deleting_since_ms");
  s.gone_at_ms = reader.required_int("gone_at_ms");
  s.retention_hours = static_cast<int32_t>(reader.required_int("retention_hours"));
  s.encryption_type = reader.required_string("encryption_type");
  s.key_id = reader.required_string("key_id");
  // Members added after the first stored streams: absent means the default.
  s.max_record_size_kib = doc.int_member("max_record_size_kib").value_or(s.max_record_size_kib);
  s.expired_before_ms = doc.int_member("expired_before_ms").value_or(s.expired_before_ms);
  s.updating_until_ms = doc.int_member("updating_until_ms").value_or(s.updating_until_ms);
  s.warm_throughput_mibps = doc.int_member("warm_throughput_mibps");
  s.previous_warm_throughput_mibps = doc.int_member("previous_warm_throughput_mibps");
  if (const std::string* policy = doc.string_member("resource_policy")) s.resource_policy = *policy;
  for (const auto& metric : reader.required_list("shard_level_metrics")) {
    if (!metric.is_string()) return std::nullopt;
    s.shard_level_metrics.push_back(metric.as_string());
  }
  const aws::Value* tags = doc.find("tags");
  auto decoded_tags = tags ? aws::decode_stored_tags(*tags) : std::nullopt;
  if (!decoded_tags) return std::nullopt;
  s.tags = std::move(*decoded_tags);
  if (const aws::Value* updates = doc.find("shard_count_updates_ms");
      updates && updates->is_list()) {
    for (const auto& at : updates->as_list()) {
      if (at.kind() != aws::Value::Kind::kInteger) return std::nullopt;
      s.shard_count_updates_ms.push_back(at.as_int());
    }
  }
  auto shards = decode_shards(reader.required_list("shards"));
  if (!shards) return std::nullopt;
  s.shards = std::move(*shards);
  if (const aws::Value* pending = doc.find("pending_reshard")) {
    if (!pending->is_map()) return std::nullopt;
    aws::StoredDocumentReader pending_reader(*pending);
    PendingReshard reshard;
    reshard.at_ms = pending_reader.required_int("at_ms");
    for (const auto& index : pending_reader.required_list("closing")) {
      if (index.kind() != aws::Value::Kind::kInteger) return std::nullopt;
      reshard.plan.closing.push_back(static_cast<uint32_t>(index.as_int()));
    }
    auto added = decode_shards(pending_reader.required_list("added"));
    if (!pending_reader.ok() || !added) return std::nullopt;
    reshard.plan.added = std::move(*added);
    s.pending_reshard = std::move(reshard);
  }
  if (!reader.ok()) return std::nullopt;
  return s;
}

AccountSettings AccountSettings::effective_at(int64_t now_ms) const {
  AccountSettings out = *this;
  if (out.commitment_status == "ENABLED_UNTIL_EARLIEST_ALLOWED_END" && out.earliest_end_ms &&
      now_ms >= *out.earliest_end_ms) {
    out.commitment_status = "DISABLED";
    out.ended_ms = out.earliest_end_ms;
  }
  return out;
}

std::string encode_account_settings(const AccountSettings& settings) {
  aws::Value doc = aws::Value::map();
  doc.set("commitment_status", settings.commitment_status);
  if (settings.started_ms) doc.set("started_ms", *settings.started_ms);
  if (settings.ended_ms) doc.set("ended_ms", *settings.ended_ms);
  if (settings.earliest_end_ms) doc.set("earliest_end_ms", *settings.earliest_end_ms);
  return aws::encode_stored_document(kAccountSettingsValueVersion, doc);
}

std::optional<AccountSettings> decode_account_settings(std::string_view bytes) {
  const auto decoded = aws::decode_stored_document(bytes, kAccountSettingsValueVersion);
  if (!decoded) return std::nullopt;
  const std::string* status = decoded->string_member("commitment_status");
  if (!status) return std::nullopt;
  AccountSettings settings;
  settings.commitment_status = *status;
  settings.started_ms = decoded->int_member("started_ms");
  settings.ended_ms = decoded->int_member("ended_ms");
  settings.earliest_end_ms = decoded->int_member("earliest_end_ms");
  return settings;
}

StreamCatalog::StreamCatalog(storage::Engine& engine, streams::RecordLog* records)
    : engine_(engine), records_(records) {}

namespace {
// Set while this thread holds a catalog's control mutex: find() then leaves a due reshard to
// the holder (re-locking would deadlock; update() settles before mutating anyway).
thread_local bool t_holds_control = false;

struct ControlLock {
  explicit ControlLock(std::mutex& mutex) : lock(mutex) { t_holds_control = true; }
  ~ControlLock() { t_holds_control = false; }
  std::lock_guard<std::mutex> lock;
};
}  // namespace

storage::Status StreamCatalog::load() {
  if (auto status =
          storage::read_u64(engine_, storage::Keyspace::kMeta, counter_key(), &next_stream_id_);
      !status.is_ok()) {
    return status;
  }
  auto status = storage::for_each_with_prefix(
      engine_, storage::Keyspace::kMeta, std::string(1, static_cast<char>(kStreamKeyTag)),
      [&](std::string_view, std::string_view value) {
        auto stream = decode_stream(value);
        if (!stream) return storage::Status::corruption("undecodable stream record");
        next_stream_id_ = std::max(next_stream_id_, stream->id + 1);
        streams_.publish(std::make_shared<const Stream>(std::move(*stream)));
        return storage::Status::ok();
      });
  if (!status.is_ok()) return status;
  std::unique_lock lock(settings_mutex_);
  return storage::for_each_with_prefix(
      engine_, storage::Keyspace::kMeta, std::string(1, static_cast<char>(kAccountSettingsKeyTag)),
      [&](std::string_view key, std::string_view value) {
        storage::KeyReader reader(key);
        uint8_t tag = 0;
        std::string_view account;
        std::string_view region;
        auto settings = decode_account_settings(value);
        if (!reader.u8(&tag) || !reader.short_string(&account) || !reader.short_string(&region) ||
            !settings) {
          return storage::Status::corruption("undecodable account settings record");
        }
        account_settings_[{std::string(account), std::string(region)}] = *settings;
        return storage::Status::ok();
      });
}

StreamCatalog::StreamPtr StreamCatalog::lookup(const StreamKey& key, int64_t now_ms) const {
  return streams_.find_live(key, now_ms);
}

StreamCatalog::StreamPtr StreamCatalog::find(const StreamKey& key, int64_t now_ms) const {
  StreamPtr stream = lookup(key, now_ms);
  if (!stream || !stream->reshard_due(now_ms) || t_holds_control) return stream;
  ControlLock control(control_mutex_);
  return settle_locked(lookup(key, now_ms), now_ms);
}

void StreamCatalog::settle_due(int64_t now_ms) {
  const std::vector<StreamPtr> due = streams_.select([now_ms](const Stream& stream) {
    return stream.reshard_due(now_ms) && !stream.is_gone(now_ms);
  });
  for (const auto& stream : due) find(stream->key, now_ms);
}

StreamCatalog::StreamPtr StreamCatalog::settle_locked(StreamPtr current, int64_t now_ms) const {
  if (!current || !current->reshard_due(now_ms)) return current;
  Stream copy = *current;
  const std::vector<uint32_t> parents = copy.apply_pending_reshard(now_ms);
  // Last before persisting: from here appends to the parents are refused (and routed again
  // against the children once the new stream is published).
  if (records_) {
    for (uint32_t index : parents) records_->close_shard({copy.id, index});
  }
  storage::WriteBatch batch;
  auto status = persist(copy, batch);
  if (!status.is_ok()) {
    spdlog::error("could not apply the reshard of stream {}: {}", copy.key.name, status.message);
    if (records_) {
      for (uint32_t index : parents) records_->reopen_shard({copy.id, index});
    }
    return current;  // the next access or lifecycle tick tries again
  }
  auto published = std::make_shared<const Stream>(std::move(copy));
  streams_.publish(published);
  // Subscribers waiting on a parent can now see it has ended.
  if (records_) {
    for (uint32_t index : parents) records_->wake_waiters({published->id, index});
  }
  return published;
}

std::vector<StreamCatalog::StreamPtr> StreamCatalog::list(std::string_view account,
                                                          std::string_view region,
                                                          int64_t now_ms) const {
  return streams_.list_live(account, region, now_ms);
}

std::vector<StreamCatalog::StreamPtr> StreamCatalog::list_all(int64_t now_ms) const {
  return streams_.list_live_all(now_ms);
}

int64_t StreamCatalog::open_shard_count(std::string_view account, std::string_view region,
                                        int64_t now_ms) const {
  int64_t total = 0;
  for (const auto& s : list(account, region, now_ms)) total += s->open_shard_count_after_reshard();
  return total;
}

int64_t StreamCatalog::on_demand_stream_count(std::string_view account, std::string_view region,
                                              int64_t now_ms) const {
  int64_t total = 0;
  for (const auto& s : list(account, region, now_ms)) total += s->mode == "ON_DEMAND" ? 1 : 0;
  return total;
}

AccountSettings StreamCatalog::account_settings(std::string_view account,
                                                std::string_view region) const {
  std::shared_lock lock(settings_mutex_);
  auto it = account_settings_.find({std::string(account), std::string(region)});
  return it == account_settings_.end() ? AccountSettings{} : it->second;
}

aws::AwsResult<AccountSettings> StreamCatalog::update_account_settings(
    std::string_view account, std::string_view region, const AccountMutation& mutate) {
  ControlLock control(control_mutex_);
  AccountSettings settings = account_settings(account, region);
  auto mutated = mutate(settings);
  if (!mutated) return aws::fail(std::move(mutated.error()));
  storage::WriteBatch batch;
  batch.put(storage::Keyspace::kMeta, account_settings_key(account, region),
            encode_account_settings(settings));
  auto status = engine_.write(batch);
  if (!status.is_ok()) {
    spdlog::error("could not persist account settings of {}: {}", account, status.message);
    return aws::fail(aws::errors::internal_failure());
  }
  std::unique_lock lock(settings_mutex_);
  account_settings_[{std::string(account), std::string(region)}] = settings;
  return settings;
}

uint64_t StreamCatalog::next_stream_id_locked(storage::WriteBatch& batch) {
  const uint64_t id = next_stream_id_++;
  batch.put(storage::Keyspace::kMeta, counter_key(), u64_bytes(next_stream_id_));
  return id;
}

storage::Status StreamCatalog::persist(const Stream& stream, storage::WriteBatch& batch) const {
  batch.put(storage::Keyspace::kMeta, stream_storage_key(stream.key), encode_stream(stream));
  return engine_.write(batch);
}

aws::AwsResult<StreamCatalog::StreamPtr> StreamCatalog::create(Stream prototype, int64_t now_ms,
                                                               const Admission& admit) {
  ControlLock control(control_mutex_);
  const StreamPtr previous = streams_.get(prototype.key);
  if (previous && !previous->is_gone(now_ms)) {
    return aws::fail(errors::stream_already_exists(prototype.key.name, prototype.key.account));
  }
  if (admit) {
    auto admitted = admit(*this);
    if (!admitted) return aws::fail(std::move(admitted.error()));
  }
  storage::WriteBatch batch;
  const uint64_t saved_next_id = next_stream_id_;
  prototype.id = next_stream_id_locked(batch);
  if (previous) {
    batch.put(storage::Keyspace::kMeta, purge_key(previous->id), "");
    purge_markers_pending_ = true;
  }
  auto status = persist(prototype, batch);
  if (!status.is_ok()) {
    next_stream_id_ = saved_next_id;
    spdlog::error("could not persist stream {}: {}", prototype.key.name, status.message);
    return aws::fail(aws::errors::internal_failure());
  }
  auto published = std::make_shared<const Stream>(std::move(prototype));
  streams_.publish(published);
  return StreamPtr(published);
}

aws::AwsResult<StreamCatalog::StreamPtr> StreamCatalog::update(const StreamKey& key, int64_t now_ms,
                                                               const Mutation& mutate) {
  ControlLock control(control_mutex_);
  StreamPtr current = settle_locked(lookup(key, now_ms), now_ms);
  if (!current) return aws::fail(errors::stream_not_found(key.name, key.account));
  Stream copy = *current;
  auto mutated = mutate(copy);
  if (!mutated) return aws::fail(std::move(mutated.error()));
  storage::WriteBatch batch;
  auto status = persist(copy, batch);
  if (!status.is_ok()) {
    spdlog::error("could not persist stream {}: {}", key.name, status.message);
    return aws::fail(aws::errors::internal_failure());
  }
  auto published = std::make_shared<const Stream>(std::move(copy));
  streams_.publish(published);
  return StreamPtr(published);
}

std::vector<uint64_t> StreamCatalog::purge_gone(int64_t now_ms) {
  ControlLock control(control_mutex_);
  const std::vector<StreamPtr> gone =
      streams_.select([now_ms](const Stream& stream) { return stream.is_gone(now_ms); });
  // Streams replaced by a new incarnation left purge markers too.
  std::vector<uint64_t> marked;
  if (purge_markers_pending_) {
    storage::for_each_with_prefix(engine_, storage::Keyspace::kMeta,
                                  std::string(1, static_cast<char>(kPurgeKeyTag)),
                                  [&](std::string_view key, std::string_view) {
                                    storage::KeyReader reader(key);
                                    uint8_t tag = 0;
                                    uint64_t id = 0;
                                    if (reader.u8(&tag) && reader.u64(&id)) marked.push_back(id);
                                    return storage::Status::ok();
                                  });
  }
  if (gone.empty() && marked.empty()) {
    purge_markers_pending_ = false;
    return {};
  }
  storage::WriteBatch batch;
  auto drop_records = [&](uint64_t id) {
    batch.delete_range(storage::Keyspace::kRecords, records_prefix(id), records_prefix(id + 1));
    batch.del(storage::Keyspace::kMeta, purge_key(id));
  };
  for (const auto& s : gone) {
    batch.del(storage::Keyspace::kMeta, stream_storage_key(s->key));
    drop_records(s->id);
  }
  for (uint64_t id : marked) drop_records(id);
  auto status = engine_.write(batch);
  if (!status.is_ok()) {
    spdlog::error("could not purge deleted streams: {}", status.message);
    return {};
  }
  for (const auto& s : gone) streams_.erase_if_current(s);
  for (const auto& s : gone) {
    engine_.compact_range(storage::Keyspace::kRecords, records_prefix(s->id),
                          records_prefix(s->id + 1));
  }
  purge_markers_pending_ = false;
  std::vector<uint64_t> purged = marked;
  for (const auto& s : gone) purged.push_back(s->id);
  return purged;
}

}  // namespace trib::kinesis
