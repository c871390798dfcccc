#include "dynamodb/items/counters.h"

#include <atomic>

#include "dynamodb/items/item_keys.h"
#include "dynamodb/values/item_codec.h"
#include "storage/keys.h"

namespace trib::dynamodb::items {

std::string counter_stripe_key(uint64_t table_id, int stripe, int sub_stripe) {
  std::string out = index_range_prefix(table_id, kCounterRangeId);
  out.push_back(static_cast<char>(stripe));
  if (sub_stripe != 0) out.push_back(static_cast<char>(sub_stripe));
  return out;
}

int counter_sub_stripe() {
  static std::atomic<unsigned> next{0};
  thread_local const int mine =
      static_cast<int>(next.fetch_add(1, std::memory_order_relaxed) % kCounterSubStripes);
  return mine;
}

std::string encode_counts(const CountsByIndex& counts) {
  storage::KeyBuilder out;
  for (const auto& [index_id, c] : counts) {
    if (c == Counts{}) continue;
    out.u32(index_id).u64(static_cast<uint64_t>(c.items)).u64(static_cast<uint64_t>(c.bytes));
  }
  return out.take();
}

std::optional<CountsByIndex> decode_counts(std::string_view bytes) {
  storage::KeyReader in(bytes);
  CountsByIndex out;
  while (!in.done()) {
    uint32_t index_id = 0;
    uint64_t items = 0;
    uint64_t size = 0;
    if (!in.u32(&index_id) || !in.u64(&items) || !in.u64(&size)) return std::nullopt;
    out[index_id] = Counts{static_cast<int64_t>(items), static_cast<int64_t>(size)};
  }
  return out;
}

void add_counts(CountsByIndex& counts, const CountsByIndex& delta) {
  for (const auto& [index_id, d] : delta) {
    Counts& c = counts[index_id];
    c.items += d.items;
    c.bytes += d.bytes;
    if (c == Counts{}) counts.erase(index_id);
  }
}

storage::Status add_to_stripe(storage::Transaction& txn, const std::string& stripe_key,
                              const CountsByIndex& delta) {
  std::string value;
  storage::Status read = txn.get(storage::Keyspace::kItems, stripe_key, &value);
  if (!read.is_ok() && !read.is_not_found()) return read;
  std::optional<CountsByIndex> counts = read.is_ok() ? decode_counts(value) : CountsByIndex{};
  if (!counts) return storage::Status::corruption("undecodable counter " + stripe_key);
  add_counts(*counts, delta);
  if (counts->empty()) {
    txn.batch().del(storage::Keyspace::kItems, stripe_key);
  } else {
    txn.batch().put(storage::Keyspace::kItems, stripe_key, encode_counts(*counts));
  }
  return storage::Status::ok();
}

namespace {

// Calls `visit(key, value)` for every counter key of the table, in key order, over one
// snapshot.
template <typename Visit>
storage::Status for_each_counter(storage::Engine& engine, uint64_t table_id, Visit visit) {
  const std::string prefix = index_range_prefix(table_id, kCounterRangeId);
  storage::IteratorOptions options;
  options.lower_bound = prefix;
  options.upper_bound = storage::prefix_successor(prefix);
  auto it = engine.iterate(storage::Keyspace::kItems, options);
  for (it->seek(prefix); it->valid(); it->next()) {
    storage::Status status = visit(it->key(), it->value());
    if (!status.is_ok()) return status;
  }
  return it->status();
}

}  // namespace

storage::Status read_counts(storage::Engine& engine, uint64_t table_id, CountsByIndex* out) {
  out->clear();
  return for_each_counter(engine, table_id, [&](std::string_view, std::string_view value) {
    auto stripe = decode_counts(value);
    if (!stripe) return storage::Status::corruption("undecodable item counter stripe");
    add_counts(*out, *stripe);
    return storage::Status::ok();
  });
}

storage::Status counter_keys(storage::Engine& engine, uint64_t table_id,
                             std::vector<std::string>* out) {
  out->clear();
  return for_each_counter(engine, table_id, [&](std::string_view key, std::string_view) {
    out->emplace_back(key);
    return storage::Status::ok();
  });
}

std::string collection_size_key(const Table& table, const AttributeValue& partition_key) {
  std::string out = index_range_prefix(table.id, kCollectionRangeId);
  out.append(storage::KeyBuilder().u64(partition_key_hash(partition_key)).str());
  append_key_component(out, partition_key);
  return out;
}

std::string encode_collection_size(uint64_t bytes) {
  return storage::KeyBuilder().u64(bytes).take();
}

std::optional<uint64_t> decode_collection_size(std::string_view bytes) {
  storage::KeyReader in(bytes);
  uint64_t out = 0;
  if (!in.u64(&out) || !in.done()) return std::nullopt;
  return out;
}

}  // namespace trib::dynamodb::items
