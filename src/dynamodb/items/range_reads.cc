#include "dynamodb/items/range_reads.h"

#include <spdlog/spdlog.h>

#include "dynamodb/errors.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/values/item_codec.h"
#include "storage/keys.h"

namespace trib::dynamodb::items {

namespace {

// The range's stored items in order: `take(bytes)` uses one item's encoding and returns its
// item_size (nullopt: undecodable). The page stops at Limit items or once 1 MB is read.
template <class Take>
aws::AwsResult<RangeReadResult> read_stored_range(storage::Engine& engine, const Table& table,
                                                  const RangeRead& read, Take&& take) {
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
  const auto undecodable = [&] {
    spdlog::error("range read of table {}: undecodable item", table.key.name);
    return aws::fail(error(Error::kInternalServerError, "Internal server error"));
  };
  auto it = engine.iterate(storage::Keyspace::kItems, options);
  if (read.forward) {
    it->seek(*options.lower_bound);
  } else {
    it->seek_to_last();
  }
  for (; it->valid(); read.forward ? it->next() : it->prev()) {
    const std::optional<size_t> size = take(it->value());
    if (!size) return undecodable();
    ++result.scanned;
    result.bytes += *size;
    if ((read.limit != 0 && result.scanned >= read.limit) || result.bytes >= kMaxPageBytes) {
      // Stopped with the range perhaps unfinished: AWS returns LastEvaluatedKey then, even when
      // nothing follows (facts §10 [P]).
      result.last = decode_item(it->value());
      if (!result.last) return undecodable();
      return result;
    }
  }
  if (!it->status().is_ok()) {
    spdlog::error("range read of table {} failed: {}", table.key.name, it->status().message);
    return aws::fail(error(Error::kInternalServerError, "Internal server error"));
  }
  return result;
}

}  // namespace

aws::AwsResult<RangeReadResult> read_range(storage::Engine& engine, const Table& table,
                                           const RangeRead& read,
                                           const std::function<void(Item&)>& visit) {
  return read_stored_range(engine, table, read,
                           [&](std::string_view bytes) -> std::optional<size_t> {
                             std::optional<Item> item = decode_item(bytes);
                             if (!item) return std::nullopt;
                             const size_t size = item_size(*item);
                             visit(*item);
                             return size;
                           });
}

aws::AwsResult<RangeReadResult> read_range_to_wire(storage::Engine& engine, const Table& table,
                                                   const RangeRead& read, aws::Value& items) {
  return read_stored_range(engine, table, read,
                           [&](std::string_view bytes) -> std::optional<size_t> {
                             std::optional<WireItem> wire = stored_item_to_wire(std::string(bytes));
                             if (!wire) return std::nullopt;
                             items.push(std::move(wire->item));
                             return wire->size;
                           });
}

std::string partition_prefix(const Table& table, uint32_t index_id, const AttributeValue& hash) {
  const AttributeValue* values[] = {&hash};
  return partition_prefix(table, index_id, values);
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
