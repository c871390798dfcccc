#include "dynamodb/items/range_reads.h"

#include <spdlog/spdlog.h>

#include "dynamodb/errors.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/values/item_codec.h"
#include "storage/keys.h"

namespace trib::dynamodb::items {

aws::AwsResult<RangeReadResult> read_range(storage::Engine& engine, const Table& table,
                                           const RangeRead& read,
                                           const std::function<void(Item&)>& visit) {
  storage::IteratorOptions options;
  options.lower_bound = read.lower;
  options.upper_bound = read.upper;
  if (read.exclusive_start) {
    if (read.forward) {
      // The smallest key after the start key (keys are prefix-free, so none lies between).
      std::string after = *read.exclusive_start + '\0';
      if (after > *options.lower_bound) options.lower_bound = std::move(after);
    } else if (*read.exclusive_start < *options.upper_bound) {
      options.upper_bound = *read.exclusive_start;
    }
  }
  RangeReadResult result;
  if (*options.lower_bound >= *options.upper_bound) return result;
  auto it = engine.iterate(storage::Keyspace::kItems, options);
  if (read.forward) {
    it->seek(*options.lower_bound);
  } else {
    it->seek_to_last();
  }
  for (; it->valid(); read.forward ? it->next() : it->prev()) {
    std::optional<Item> item = decode_item(it->value());
    if (!item) {
      spdlog::error("range read of table {}: undecodable item", table.key.name);
      return aws::fail(error(Error::kInternalServerError, "Internal server error"));
    }
    ++result.scanned;
    result.bytes += item_size(*item);
    if ((read.limit != 0 && result.scanned >= read.limit) || result.bytes >= kMaxPageBytes) {
      // Stopped with the range perhaps unfinished: AWS returns LastEvaluatedKey then, even when
      // nothing follows (facts §10 [P]).
      result.last = *item;
      visit(*item);
      return result;
    }
    visit(*item);
  }
  if (!it->status().is_ok()) {
    spdlog::error("range read of table {} failed: {}", table.key.name, it->status().message);
    return aws::fail(error(Error::kInternalServerError, "Internal server error"));
  }
  return result;
}

std::string partition_prefix(const Table& table, uint32_t index_id, const AttributeValue& hash) {
  std::string out = index_range_prefix(table.id, index_id);
  out.append(storage::KeyBuilder().u64(partition_key_hash(hash)).str());
  append_key_component(out, hash);
  return out;
}

std::pair<std::string, std::string> segment_range(const Table& table, uint32_t index_id,
                                                  uint64_t segment, uint64_t total_segments) {
  const std::string prefix = index_range_prefix(table.id, index_id);
  const auto boundary = [&](uint64_t i) {
    const unsigned __int128 start = (static_cast<unsigned __int128>(i) << 64) / total_segments;
    return prefix + storage::KeyBuilder().u64(static_cast<uint64_t>(start)).str();
  };
  std::string lower = boundary(segment);
  std::string upper =
      segment + 1 == total_segments ? storage::prefix_successor(prefix) : boundary(segment + 1);
  return {std::move(lower), std::move(upper)};
}

}  // namespace trib::dynamodb::items
