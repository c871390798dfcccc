// An item's JSON text as item_to_wire(item) encodes it (attribute_value.h), for Fragments that
// hold items among other members (dynamodb_streams/change_record.cc): from an Item, or straight
// from its stored encoding (item_codec.h).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb {

void write_item_json(std::string& out, const Item& item);

// What write_item_json writes for the item made of these attributes of `item` (those it has;
// `names` in any order, none twice), without copying them into an Item: a change record's
// Keys. Returns that item's item_size.
size_t write_attributes_json(std::string& out, const Item& item,
                             std::span<const std::string* const> names);

// Appends to `out` the JSON text of the item encoded in `bytes` (item_codec.h), exactly what
// write_item_json(out, *decode_item(bytes)) appends, and returns its item_size, without
// building the Item (GetRecords writes stored images this way; defined in item_codec.cc, next
// to the decoder it mirrors). nullopt, with `out` as it was, when decode_item would refuse the
// bytes and also when they are not canonical (names or set elements out of order or repeated,
// which decode_item puts in order and encode_item never writes): decode those instead.
std::optional<size_t> append_item_json(std::string& out, std::string_view bytes);

}  // namespace trib::dynamodb
