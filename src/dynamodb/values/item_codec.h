// The stored forms of DynamoDB data (layouts in docs/storage-encoding.md, "DynamoDB values"):
// - an item as a compact, versioned binary value (not JSON);
// - key components: an S, N or B key value as bytes whose memcmp order is DynamoDB's order of
//   the values and which delimit themselves, so further key parts may follow;
// - the 64-bit partition-key hash that orders a Scan and splits it into segments.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb {

// The first byte of every encoded item.
inline constexpr uint8_t kItemEncodingVersion = 0x01;

// Appends the encoding of `item` to `out`. Equal items (by value) encode to equal bytes, since
// maps and sets are held in canonical order: comparing encodings detects a no-op write.
void encode_item(const Item& item, std::string& out);
std::string encode_item(const Item& item);
// nullopt when `bytes` is not an encoding this version wrote (unknown version or tag,
// truncated, trailing bytes, a number that is not canonical, nesting deeper than 64).
// Maps and sets in another order or with repeated names/elements are accepted and come out
// canonical (sorted, a repeated map name's last entry kept), as values_fuzz found: such bytes
// are never written, and the decoded Item keeps the invariants of attribute_value.h.
std::optional<Item> decode_item(std::string_view bytes);

// Appends the key-component encoding of an S, N or B value; returns false (appending nothing)
// for any other type. S and B: the bytes with each 0x00 written as 0x00 0xFF, then 0x00 0x01.
// N: Number::append_order_key. Empty S/B values encode as 0x00 0x01 (keys never hold them;
// index keys skip items that do).
bool append_key_component(std::string& out, const AttributeValue& value);
// Decodes one component of type `type` (S, N or B) from the front of `in` and removes it;
// nullopt (with `in` untouched) if the bytes are not such a component.
std::optional<AttributeValue> decode_key_component(std::string_view& in, AttributeType type);

// XXH64 (xxHash, 64-bit, https://github.com/Cyan4973/xxHash, spec "XXH64") of `bytes`.
uint64_t xxhash64(std::string_view bytes, uint64_t seed = 0);

// The hash of a partition key value (S, N or B): XXH64 with seed 0 over the value's bytes
// (S: UTF-8, B: raw, N: its order-key encoding, so 1000 and 1e3 hash alike). Scan walks
// items in this hash's order; segment i of n covers hashes [i·2^64/n, (i+1)·2^64/n). AWS's
// own hash is undocumented (facts §7), so Scan order is ours, not AWS's. Stored in keys: never
// change it.
uint64_t partition_key_hash(const AttributeValue& value);

// The hash of a partition key of several attributes (a global index's multi-attribute key:
// its HASH attribute values in KeySchema order): XXH64 with seed 0 over their key components
// (append_key_component) concatenated, so a value's place in the key matters ("a","bc" and
// "ab","c" hash apart). One value hashes as partition_key_hash(value) above, so
// single-attribute keys keep the hash they were stored with. Stored in keys: never change it.
uint64_t partition_key_hash(std::span<const AttributeValue* const> values);

}  // namespace trib::dynamodb
