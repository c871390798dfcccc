#include "dynamodb_streams/table_streams.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>

#include "aws/stored_document.h"
#include "dynamodb/values/item_codec.h"
#include "storage/keys.h"

namespace trib::dynamodb_streams {

namespace {

using dynamodb::items::ChangeKind;

constexpr uint8_t kStreamKeyTag = 'D';             // meta: stream documents
constexpr uint8_t kRecordKeyTag = 'D';             // records: stream records
constexpr uint8_t kMarkerKeyTag = 'd';             // records: trim markers
constexpr uint32_t kChainStateIndex = 0xfffffffe;  // items: below the counters' ffffffff
constexpr uint8_t kDocumentVersion = 1;
constexpr uint8_t kStateVersion = 1;

std::string stream_storage_key(const StreamKey& key) {
  return storage::KeyBuilder()
      .u8(kStreamKeyTag)
      .short_string(key.account)
      .short_string(key.region)
      .short_string(key.table)
      .u64(static_cast<uint64_t>(key.label_ms))
      .take();
}

std::string stream_records_prefix(uint64_t table_id, int64_t label_ms, uint8_t tag) {
  return storage::KeyBuilder().u8(tag).u64(table_id).u64(static_cast<uint64_t>(label_ms)).take();
}

std::string shard_prefix(const StreamInfo& stream, ShardPos shard, uint8_t tag) {
  return storage::KeyBuilder()
      .raw(stream_records_prefix(stream.table_id, stream.key.label_ms, tag))
      .u32(shard.partition)
      .u32(shard.epoch)
      .take();
}

std::string marker_key(const StreamInfo& stream, ShardPos shard) {
  return shard_prefix(stream, shard, kMarkerKeyTag);
}

// A chain's state: which stream wrote it last, its current epoch, the next n, closed by a
// disable.
struct ChainState {
  int64_t label_ms = 0;
  uint32_t epoch = 0;
  uint64_t next_n = 0;
  bool closed = false;
};

std::string encode_state(const ChainState& s) {
  return storage::KeyBuilder()
      .u8(kStateVersion)
      .u64(static_cast<uint64_t>(s.label_ms))
      .u32(s.epoch)
      .u64(s.next_n)
      .u8(s.closed ? 1 : 0)
      .take();
}

std::optional<ChainState> decode_state(std::string_view bytes) {
  storage::KeyReader in(bytes);
  uint8_t version = 0, closed = 0;
  uint64_t label = 0;
  ChainState s;
  if (!in.u8(&version) || version != kStateVersion || !in.u64(&label) || !in.u32(&s.epoch) ||
      !in.u64(&s.next_n) || !in.u8(&closed) || !in.done()) {
    return std::nullopt;
  }
  s.label_ms = static_cast<int64_t>(label);
  s.closed = closed != 0;
  return s;
}

// The chain's state as committed (nullopt: never written), read under its lock; or, when an
// earlier item of the same transaction (TransactWriteItems, PartiQL, two items of one chain)
// already staged it, that staged state: Transaction::get never sees the body's own writes, and
// two records of one chain in one batch need consecutive numbers, not the same one.
storage::Status read_state(storage::Transaction& txn, const std::string& state_key,
                           std::optional<ChainState>* state) {
  const std::vector<storage::WriteBatch::Op>& ops = txn.batch().ops();
  for (auto op = ops.rbegin(); op != ops.rend(); ++op) {
    if (op->type == storage::WriteBatch::OpType::kPut &&
        op->keyspace == storage::Keyspace::kItems && op->key == state_key) {
      *state = decode_state(op->value);
      if (!*state) {
        return storage::Status::corruption("undecodable stream chain state " + state_key);
      }
      return storage::Status::ok();
    }
  }
  std::string stored;
  storage::Status read = txn.get(storage::Keyspace::kItems, state_key, &stored);
  if (read.is_not_found()) return storage::Status::ok();
  if (!read.is_ok()) return read;
  *state = decode_state(stored);
  if (!*state) return storage::Status::corruption("undecodable stream chain state " + state_key);
  return storage::Status::ok();
}

aws::Value key_attribute_doc(const dynamodb::KeyAttribute& a) {
  aws::Value v = aws::Value::map();
  v.set("name", a.name);
  v.set("type", std::string(1, a.type));
  return v;
}

std::optional<dynamodb::KeyAttribute> key_attribute_from(const aws::Value* v) {
  if (!v) return std::nullopt;
  const std::string* name = v->string_member("name");
  const std::string* type = v->string_member("type");
  if (!name || !type || type->size() != 1) return std::nullopt;
  return dynamodb::KeyAttribute{*name, (*type)[0]};
}

std::string encode_stream(const StreamInfo& s) {
  aws::Value doc = aws::Value::map();
  doc.set("account", s.key.account);
  doc.set("region", s.key.region);
  doc.set("table", s.key.table);
  doc.set("label_ms", s.key.label_ms);
  doc.set("table_id", static_cast<int64_t>(s.table_id));
  doc.set("view_type", s.view_type);
  doc.set("hash_key", key_attribute_doc(s.key_schema.hash));
  if (s.key_schema.range) doc.set("range_key", key_attribute_doc(*s.key_schema.range));
  doc.set("partitions", static_cast<int64_t>(s.partitions));
  doc.set("rollover_ms", s.rollover_ms);
  if (s.disabled_ms) doc.set("disabled_ms", *s.disabled_ms);
  return aws::encode_stored_document(kDocumentVersion, doc);
}

std::optional<StreamInfo> decode_stream(std::string_view bytes) {
  auto doc = aws::decode_stored_document(bytes, kDocumentVersion);
  if (!doc) return std::nullopt;
  StreamInfo s;
  const std::string* account = doc->string_member("account");
  const std::string* region = doc->string_member("region");
  const std::string* table = doc->string_member("table");
  const std::string* view = doc->string_member("view_type");
  auto label = doc->int_member("label_ms");
  auto table_id = doc->int_member("table_id");
  auto hash = key_attribute_from(doc->find("hash_key"));
  auto partitions = doc->int_member("partitions");
  auto rollover = doc->int_member("rollover_ms");
  if (!account || !region || !table || !view || !label || !table_id || !hash || !partitions ||
      *partitions < 1 || *partitions > 9 || !rollover || *rollover < kMinRolloverMs) {
    return std::nullopt;
  }
  s.key = {*account, *region, *table, *label};
  s.table_id = static_cast<uint64_t>(*table_id);
  s.view_type = *view;
  s.key_schema.hash = *hash;
  s.key_schema.range = key_attribute_from(doc->find("range_key"));
  s.partitions = static_cast<uint32_t>(*partitions);
  s.rollover_ms = *rollover;
  s.disabled_ms = doc->int_member("disabled_ms");
  return s;
}

bool starts_stream(const dynamodb::Table* before, const dynamodb::Table& after) {
  return after.stream_enabled &&
         (!before || !before->stream_enabled || before->stream_label_ms != after.stream_label_ms);
}

bool ends_stream(const dynamodb::Table* before, const dynamodb::Table& after) {
  if (!before || !before->stream_enabled) return false;
  if (!after.stream_enabled || after.stream_label_ms != before->stream_label_ms) return true;
  return after.deleting_since_ms && !before->deleting_since_ms;  // DeleteTable ([V] §2)
}

}  // namespace

TableStreams::TableStreams(storage::Engine& engine, StreamsOptions options)
    : engine_(engine), options_(options) {
  options_.rollover_ms = std::max(options_.rollover_ms, kMinRolloverMs);
  options_.partitions = std::clamp<uint32_t>(options_.partitions, 1, 9);
}

storage::Status TableStreams::load() {
  std::unique_lock lock(map_mutex_);
  return storage::for_each_with_prefix(
      engine_, storage::Keyspace::kMeta, std::string(1, static_cast<char>(kStreamKeyTag)),
      [&](std::string_view, std::string_view value) {
        auto stream = decode_stream(value);
        if (!stream) return storage::Status::corruption("undecodable table stream record");
        auto ptr = std::make_shared<const StreamInfo>(std::move(*stream));
        streams_[ptr->key] = ptr;
        by_id_[{ptr->table_id, ptr->key.label_ms}] = ptr;
        return storage::Status::ok();
      });
}

std::string TableStreams::record_key(const StreamInfo& stream, ShardPos shard, uint64_t n) {
  return storage::KeyBuilder().raw(shard_prefix(stream, shard, kRecordKeyTag)).u64(n).take();
}

std::string TableStreams::chain_state_key(uint64_t table_id, uint32_t partition) {
  return storage::KeyBuilder()
      .raw(dynamodb::table_items_prefix(table_id))
      .u32(kChainStateIndex)
      .u8(static_cast<uint8_t>(partition))
      .take();
}

StreamInfo TableStreams::info_for(const dynamodb::Table& table) const {
  StreamInfo s;
  s.key = {table.key.account, table.key.region, table.key.name, table.stream_label_ms};
  s.table_id = table.id;
  s.view_type = table.stream_view_type;
  s.key_schema = table.key_schema;
  s.partitions = options_.partitions;
  s.rollover_ms = options_.rollover_ms;
  return s;
}

TableStreams::StreamPtr TableStreams::find_by_id(uint64_t table_id, int64_t label_ms) const {
  std::shared_lock lock(map_mutex_);
  auto it = by_id_.find({table_id, label_ms});
  return it == by_id_.end() ? nullptr : it->second;
}

void TableStreams::publish(StreamPtr stream) {
  std::unique_lock lock(map_mutex_);
  streams_[stream->key] = stream;
  by_id_[{stream->table_id, stream->key.label_ms}] = stream;
}

void TableStreams::lock_keys(const dynamodb::Table& table, uint64_t partition_hash,
                             std::vector<std::string>& keys) const {
  if (!table.stream_enabled) return;
  StreamPtr stream = find_by_id(table.id, table.stream_label_ms);
  const uint32_t partitions = stream ? stream->partitions : options_.partitions;
  StreamInfo shape;
  shape.partitions = partitions;
  keys.push_back(chain_state_key(table.id, shape.partition_of(partition_hash)));
}

storage::Status TableStreams::capture(const dynamodb::items::ItemChange& change,
                                      storage::Transaction& txn) {
  const dynamodb::Table& table = change.table;
  if (!table.stream_enabled || change.kind == ChangeKind::kNone) return storage::Status::ok();
  StreamPtr found = find_by_id(table.id, table.stream_label_ms);
  StreamInfo local;
  if (!found) local = info_for(table);  // enabled but not published yet
  const StreamInfo& stream = found ? *found : local;
  const dynamodb::Item& image = change.new_image ? *change.new_image : *change.old_image;
  const dynamodb::AttributeValue* hash_key =
      dynamodb::find_attribute(image, table.key_schema.hash.name);
  if (!hash_key) return storage::Status::invalid_argument("an item without its partition key");
  const uint32_t partition = stream.partition_of(dynamodb::partition_key_hash(*hash_key));
  const std::string state_key = chain_state_key(table.id, partition);
  std::optional<ChainState> state;
  if (auto status = read_state(txn, state_key, &state); !status.is_ok()) return status;
  const uint32_t epoch_now = stream.epoch_at(partition, change.time_ms);
  if (state && state->label_ms > stream.key.label_ms) {
    return storage::Status::ok();  // a later stream replaced this one: this write is after it
  }
  if (state && state->label_ms == stream.key.label_ms && state->closed) {
    return storage::Status::ok();  // disabled (sealed) before this write committed
  }
  if (!state || state->label_ms < stream.key.label_ms) {
    state = ChainState{stream.key.label_ms, epoch_now, 1, false};
  } else if (epoch_now > state->epoch) {
    state->epoch = epoch_now;
    state->next_n = 1;
  }
  if (state->next_n >= kMaxRecordsPerShard) {
    return storage::Status::invalid_argument("stream shard is full");
  }
  const ShardPos shard{partition, state->epoch};
  storage::WriteBatch& batch = txn.batch();
  batch.put_owned(storage::Keyspace::kRecords, record_key(stream, shard, state->next_n),
                  encode_change(change, stream.view_type));
  ++state->next_n;
  batch.put_owned(storage::Keyspace::kItems, std::string(state_key), encode_state(*state));
  return storage::Status::ok();
}

void TableStreams::stage(const dynamodb::Table* before, const dynamodb::Table& after,
                         int64_t now_ms, storage::WriteBatch& batch) {
  if (ends_stream(before, after)) {
    StreamPtr old = find_by_id(before->id, before->stream_label_ms);
    StreamInfo ended = old ? *old : info_for(*before);
    ended.disabled_ms = now_ms;
    batch.put(storage::Keyspace::kMeta, stream_storage_key(ended.key), encode_stream(ended));
  }
  if (starts_stream(before, after)) {
    const StreamInfo started = info_for(after);
    batch.put(storage::Keyspace::kMeta, stream_storage_key(started.key), encode_stream(started));
  }
}

void TableStreams::published(const dynamodb::Table* before, const dynamodb::Table& after,
                             int64_t now_ms) {
  if (ends_stream(before, after)) {
    StreamPtr old = find_by_id(before->id, before->stream_label_ms);
    auto ended = std::make_shared<StreamInfo>(old ? *old : info_for(*before));
    ended->disabled_ms = now_ms;
    publish(ended);
    // Close the chains now, so a write that read the table before the disable and commits
    // after it writes no record behind a reader that saw the shard end (readers seal lazily
    // too, e.g. after a crash right here).
    for (uint32_t p = 0; p < ended->partitions; ++p) {
      if (auto status = ensure_sealed(*ended, {p, ended->last_epoch(p, now_ms)}, now_ms);
          !status.is_ok()) {
        spdlog::warn("could not seal stream {}: {}", ended->arn(), status.message);
      }
    }
  }
  if (starts_stream(before, after)) publish(std::make_shared<StreamInfo>(info_for(after)));
}

TableStreams::StreamPtr TableStreams::find(const StreamKey& key, int64_t now_ms) const {
  std::shared_lock lock(map_mutex_);
  auto it = streams_.find(key);
  if (it == streams_.end() || it->second->is_gone(now_ms)) return nullptr;
  return it->second;
}

std::vector<TableStreams::StreamPtr> TableStreams::list(std::string_view account,
                                                        std::string_view region,
                                                        std::string_view table,
                                                        int64_t now_ms) const {
  std::vector<StreamPtr> out;
  std::shared_lock lock(map_mutex_);
  auto it = streams_.lower_bound(
      StreamKey{std::string(account), std::string(region), std::string(table), 0});
  for (; it != streams_.end(); ++it) {
    const StreamKey& key = it->first;
    if (key.account != account || key.region != region) break;
    if (!table.empty() && key.table != table) break;
    if (!it->second->is_gone(now_ms)) out.push_back(it->second);
  }
  return out;
}

storage::Status TableStreams::seal_chain(const StreamInfo& stream, ShardPos shard, bool disable) {
  const std::string state_key = chain_state_key(stream.table_id, shard.partition);
  const storage::LockKey lock{storage::Keyspace::kItems, state_key};
  return engine_.transact({lock}, [&](storage::Transaction& txn) -> storage::Status {
    std::optional<ChainState> state;
    if (auto status = read_state(txn, state_key, &state); !status.is_ok()) return status;
    if (state && state->label_ms > stream.key.label_ms) return storage::Status::ok();
    if (!state || state->label_ms < stream.key.label_ms) {
      state = ChainState{stream.key.label_ms, disable ? shard.epoch : shard.epoch + 1, 1, disable};
    } else if (disable) {
      if (state->closed) return storage::Status::ok();
      state->closed = true;
    } else if (state->epoch <= shard.epoch) {
      state->epoch = shard.epoch + 1;
      state->next_n = 1;
    } else {
      return storage::Status::ok();
    }
    txn.batch().put(storage::Keyspace::kItems, state_key, encode_state(*state));
    return storage::Status::ok();
  });
}

storage::Status TableStreams::ensure_sealed(const StreamInfo& stream, ShardPos shard,
                                            int64_t now_ms) {
  if (!stream.shard_closed(shard, now_ms)) return storage::Status::ok();
  const bool by_disable =
      stream.disabled_ms && stream.shard_closes_ms(shard) == *stream.disabled_ms;
  const uint32_t through = by_disable ? UINT32_MAX : shard.epoch;
  const auto chain = std::make_tuple(stream.table_id, stream.key.label_ms, shard.partition);
  {
    std::lock_guard lock(sealed_mutex_);
    auto it = sealed_through_.find(chain);
    if (it != sealed_through_.end() && it->second >= through) return storage::Status::ok();
  }
  storage::Status status = seal_chain(stream, shard, by_disable);
  if (status.is_ok()) {
    std::lock_guard lock(sealed_mutex_);
    uint32_t& sealed = sealed_through_[chain];
    sealed = std::max(sealed, through);
  }
  return status;
}

storage::Status TableStreams::read(const StreamInfo& stream, ShardPos shard, uint64_t from_n,
                                   size_t limit, size_t max_bytes, int64_t now_ms, Page* page) {
  const bool closed = stream.shard_closed(shard, now_ms);
  if (closed) {
    if (auto status = ensure_sealed(stream, shard, now_ms); !status.is_ok()) return status;
  }
  const int64_t cutoff = retention_cutoff_ms(now_ms);
  const std::string prefix = shard_prefix(stream, shard, kRecordKeyTag);
  storage::IteratorOptions options;
  options.upper_bound = storage::prefix_successor(prefix);
  auto it = engine_.iterate(storage::Keyspace::kRecords, options);
  page->next_n = from_n;
  size_t bytes = 0;
  bool more = false;
  for (it->seek(record_key(stream, shard, from_n)); it->valid(); it->next()) {
    if (page->records.size() >= limit || (!page->records.empty() && bytes >= max_bytes)) {
      more = true;
      break;
    }
    storage::KeyReader key(it->key().substr(prefix.size()));
    uint64_t n = 0;
    if (!key.u64(&n)) return storage::Status::corruption("bad stream record key");
    auto time_ms = stored_record_time_ms(it->value());
    if (!time_ms) return storage::Status::corruption("undecodable stream record");
    page->next_n = n + 1;
    if (*time_ms < cutoff) continue;  // past retention, not yet deleted
    bytes += it->value().size();
    page->records.push_back({n, std::string(it->key()), std::string(it->value())});
  }
  if (!it->status().is_ok()) return it->status();
  page->shard_ended = closed && !more;
  return storage::Status::ok();
}

storage::Status TableStreams::last_position(const StreamInfo& stream, ShardPos shard,
                                            std::optional<uint64_t>* out) {
  *out = std::nullopt;
  const std::string prefix = shard_prefix(stream, shard, kRecordKeyTag);
  storage::IteratorOptions options;
  options.lower_bound = prefix;
  options.upper_bound = storage::prefix_successor(prefix);
  auto it = engine_.iterate(storage::Keyspace::kRecords, options);
  it->seek_to_last();
  // A read error (a damaged block) must not look like an empty shard.
  if (!it->valid()) return it->status();
  storage::KeyReader key(it->key().substr(prefix.size()));
  uint64_t n = 0;
  if (!key.u64(&n)) return storage::Status::corruption("bad stream record key");
  *out = n;
  return storage::Status::ok();
}

storage::Status TableStreams::end_position(const StreamInfo& stream, ShardPos shard,
                                           uint64_t* out) {
  std::optional<uint64_t> last;
  uint64_t trimmed = 0;
  if (auto status = last_position(stream, shard, &last); !status.is_ok()) return status;
  if (auto status = trim_position(stream, shard, &trimmed); !status.is_ok()) return status;
  *out = std::max(last ? *last + 1 : 0, trimmed);
  return storage::Status::ok();
}

storage::Status TableStreams::trim_position(const StreamInfo& stream, ShardPos shard,
                                            uint64_t* out) {
  *out = 0;
  std::string value;
  auto status = engine_.get(storage::Keyspace::kRecords, marker_key(stream, shard), &value);
  if (status.is_not_found()) return storage::Status::ok();  // never trimmed
  if (!status.is_ok()) return status;
  storage::KeyReader in(value);
  if (!in.u64(out)) return storage::Status::corruption("bad stream trim marker");
  return storage::Status::ok();
}

void TableStreams::trim(const StreamInfo& stream, int64_t now_ms) {
  const int64_t cutoff = retention_cutoff_ms(now_ms);
  for (uint32_t p = 0; p < stream.partitions; ++p) {
    const uint32_t first_visible = stream.epoch_at(p, cutoff);
    storage::WriteBatch batch;
    if (first_visible > 0) {
      // Shards closed for the retention period: gone whole (records and markers).
      for (uint8_t tag : {kRecordKeyTag, kMarkerKeyTag}) {
        const std::string begin = shard_prefix(stream, {p, 0}, tag);
        const std::string end = shard_prefix(stream, {p, first_visible}, tag);
        storage::IteratorOptions options;
        options.lower_bound = begin;
        options.upper_bound = end;
        auto it = engine_.iterate(storage::Keyspace::kRecords, options);
        it->seek(begin);
        if (it->valid()) batch.delete_range(storage::Keyspace::kRecords, begin, end);
      }
    }
    // The shard open at the cut-off: its records older than it, with a trim marker.
    const ShardPos shard{p, first_visible};
    if (stream.shard_created_ms(shard) < cutoff) {
      const std::string prefix = shard_prefix(stream, shard, kRecordKeyTag);
      storage::IteratorOptions options;
      options.upper_bound = storage::prefix_successor(prefix);
      auto it = engine_.iterate(storage::Keyspace::kRecords, options);
      std::optional<uint64_t> expired_through;
      for (it->seek(record_key(stream, shard, 0)); it->valid(); it->next()) {
        storage::KeyReader key(it->key().substr(prefix.size()));
        uint64_t n = 0;
        auto record = key.u64(&n) ? decode_change_record(it->value(), n) : std::nullopt;
        if (!record || record->time_ms >= cutoff) break;
        expired_through = n;
      }
      if (expired_through) {
        batch.delete_range(storage::Keyspace::kRecords, record_key(stream, shard, 0),
                           record_key(stream, shard, *expired_through + 1));
        batch.put(storage::Keyspace::kRecords, marker_key(stream, shard),
                  storage::KeyBuilder().u64(*expired_through + 1).take());
      }
    }
    if (!batch.empty()) {
      if (auto status = engine_.write(batch); !status.is_ok()) {
        spdlog::warn("could not trim stream {}: {}", stream.arn(), status.message);
      }
    }
  }
}

void TableStreams::run_lifecycle(int64_t now_ms) {
  if (!housekeeping_.start_if_due(now_ms)) return;
  std::vector<StreamPtr> all;
  {
    std::shared_lock lock(map_mutex_);
    for (const auto& [key, stream] : streams_) all.push_back(stream);
  }
  for (const StreamPtr& stream : all) {
    if (!stream->is_gone(now_ms)) {
      trim(*stream, now_ms);
      continue;
    }
    storage::WriteBatch batch;
    for (uint8_t tag : {kRecordKeyTag, kMarkerKeyTag}) {
      const std::string begin = stream_records_prefix(stream->table_id, stream->key.label_ms, tag);
      batch.delete_range(storage::Keyspace::kRecords, begin, storage::prefix_successor(begin));
    }
    batch.del(storage::Keyspace::kMeta, stream_storage_key(stream->key));
    if (auto status = engine_.write(batch); !status.is_ok()) {
      spdlog::warn("could not purge stream {}: {}", stream->arn(), status.message);
      continue;
    }
    {
      std::unique_lock lock(map_mutex_);
      streams_.erase(stream->key);
      by_id_.erase({stream->table_id, stream->key.label_ms});
    }
    std::lock_guard lock(sealed_mutex_);
    for (uint32_t p = 0; p < stream->partitions; ++p) {
      sealed_through_.erase({stream->table_id, stream->key.label_ms, p});
    }
  }
}

}  // namespace trib::dynamodb_streams
