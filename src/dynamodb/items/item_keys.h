// Where items and index entries live in the `items` keyspace, and the checks that turn a
// request's Item or Key into a table key (AWS's texts). Layout drawn in
// docs/storage-encoding.md, "DynamoDB items".
//
//   base item    table | u32 0        | u64 hash(pk) | pk | [sk]
//   LSI entry    table | u32 index id | u64 hash(pk) | pk | lsi sk | [sk]
//   GSI entry    table | u32 index id | u64 hash(gpk...) | gpk... | gsk... | pk | [sk]
//                (gpk...: 1-4 HASH attribute values, gsk...: 0-4 RANGE values, KeySchema order)
//   counters     table | u32 ffffffff | u8 stripe
//   collections  table | u32 fffffffe | u64 hash(pk) | pk    (tables with a local index)
//   outbox       table | u32 fffffffd | u8 stripe | u64 sequence  (Kinesis destination)
//
// `table` is table_items_prefix(incarnation id) (8 bytes), so DeleteTable's range delete
// removes all of them; pk/sk are key components (values/item_codec.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "aws/error.h"
#include "dynamodb/tables/table.h"
#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb::items {

inline constexpr uint32_t kBaseTableIndexId = 0;            // SecondaryIndex::id starts at 1
inline constexpr uint32_t kCounterRangeId = 0xffffffff;     // never a SecondaryIndex::id
inline constexpr uint32_t kCollectionRangeId = 0xfffffffe;  // never a SecondaryIndex::id
// The Kinesis streaming destination's outbox (dynamodb/destination/outbox.h).
inline constexpr uint32_t kOutboxRangeId = 0xfffffffd;  // never a SecondaryIndex::id

// Limits on key values (facts §4: the limit itself is accepted, one byte more is not).
inline constexpr size_t kMaxHashKeyBytes = 2048;
inline constexpr size_t kMaxRangeKeyBytes = 1024;

// 'S', 'N' or 'B' for the scalar key types, 0 for any other type.
char key_type_char(AttributeType type);

// Key bytes of an index's or table's range: table | u32 index id.
std::string index_range_prefix(uint64_t table_id, uint32_t index_id);

// The key bytes of one partition of the table (index_id 0) or of an index: table | u32 index
// id | u64 hash | the partition key's components. A global index's multi-attribute partition key
// (its HASH attribute values in KeySchema order) is hashed as a whole (values/item_codec.h) and
// its components follow in that order; one value gives the single-attribute layout.
std::string partition_prefix(const Table& table, uint32_t index_id,
                             std::span<const AttributeValue* const> hash_values);

// The storage key of the item whose key attributes are in `item` (validated: every key
// attribute present, of its type).
std::string base_item_key(const Table& table, const Item& item);

// The key attributes (of `schema`) copied out of `item`; those absent are skipped.
Item key_attributes(const KeySchema& schema, const Item& item);

// The table key of an item to write (PutItem, BatchWriteItem PutRequest), checked as AWS does:
// for the hash then the range attribute, missing, type, empty value, size; then each index's
// key attributes that are present: type, empty value. Returns the key attributes.
aws::AwsResult<Item> check_item_keys(const Table& table, const Item& item);

// A Key member (GetItem, DeleteItem, batch requests): exactly the table's key attributes, of
// their types (else "The provided key element does not match the schema"), not empty, within
// the size limits.
aws::AwsResult<Ok> check_key(const Table& table, const Item& key);

}  // namespace trib::dynamodb::items
