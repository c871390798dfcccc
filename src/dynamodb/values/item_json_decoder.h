// Items decoded straight from the request's JSON, for the JSON codec's shape decoders
// (aws/json_shape_decoders.h): the service attaches decode_plain_item to the item shapes it
// reads through item_from_wire.
#pragma once

#include <simdjson.h>

#include <optional>

#include "aws/value.h"

namespace trib::dynamodb {

// An attribute map (name -> AttributeValue structure) as item_to_wire(item) of the item that
// item_from_wire would make of the generic decoding, for a "plain" one: every AttributeValue
// an object with exactly one member, which is a supported datatype of the right JSON type
// (S and N strings, N a valid number, B valid base64, BOOL a boolean, NULL true, M an object,
// L an array, SS/NS/BS non-empty arrays), names at most 65,535 bytes and none twice in one
// map, nesting within kMaxNestingLevel — and spelt as the item's Value form (item_tree,
// attribute_value.cc) spells it, so that whoever reads the request as a Value tree (the
// idempotency fingerprint of TransactWriteItems) reads what the generic path gives, up to the
// order of map members: numbers in their canonical text ("1.5", not "1.50"), set elements in
// strictly ascending order. nullopt for anything else (nulls, unknown or several members, a
// number AWS refuses or spelt otherwise, an empty, unordered or duplicated set, coercions the
// generic path applies such as "true" for a BOOL): the generic path decodes and words it.
std::optional<aws::Value> decode_plain_item(simdjson::dom::element value);

}  // namespace trib::dynamodb
