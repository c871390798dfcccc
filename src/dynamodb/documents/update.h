// Applying a parsed UpdateExpression to an item, with AWS's semantics and texts, and the
// UPDATED_OLD / UPDATED_NEW extraction.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "aws/error.h"
#include "dynamodb/documents/value_model.h"
#include "dynamodb/expressions/ast.h"
#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb::documents {

// The static key check of an UpdateExpression (call it after the table is known, before reading
// the item; dynalite db/index.js validateUpdates, which it matched against AWS):
// - an action whose path starts at a key attribute: "One or more parameter values were invalid:
//   Cannot update attribute pk. This attribute is part of the key" [V, rec] (also for a nested
//   path such as pk.x, which dynalite reports the same way);
// - any other path (a SET operand, if_not_exists, ...) that goes inside a key attribute:
//   "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed:
//   Key: pk" [P].
// `key_names` in key-schema order (HASH, then RANGE): the first key found is reported.
std::optional<aws::AwsError> check_update_keys(const expressions::Expression& update,
                                               std::span<const std::string_view> key_names);

// Applies `update` (a parsed UpdateExpression) to `old_item` (nullptr: no item with that key)
// and returns the new item, or nullopt when no item results: an update of a missing item whose
// actions are all REMOVE or DELETE creates nothing [V: scylladb test_item.py
// test_update_item_non_existent and test_returnvalues.py, run against AWS; for DELETE in an
// expression, D]. A missing item starts as `key`. The old item is copied once; the caller keeps
// it (ReturnValues, the change-capture hook).
//
// Semantics (scylladb test_update_expression.py, run against AWS [V], unless marked):
// - every SET value is computed from the item as it was before the update ("SET x = :v, y = x"
//   reads the old x; "REMOVE a SET b = a" copies a);
// - a SET operand path that does not resolve: "The provided expression refers to an attribute
//   that does not exist in the item" (except inside if_not_exists);
// - `+`/`-` on non-numbers, list_append on non-lists, ADD/DELETE on a value of another type: "An
//   operand in the update expression has an incorrect data type" [P dynalite]; arithmetic is
//   exact, a result out of range or beyond 38 digits is the Number overflow/underflow text
//   (facts §5);
// - a path whose parent is missing or of the wrong kind (a.b where a is not a map, a[0] where a
//   is not a list): "The document path provided in the update expression is invalid for update"
//   — for REMOVE too, except that REMOVE on a missing item is silently nothing;
// - list indexes refer to the list before the update: "REMOVE a[1] SET a[3] = :v" on
//   [2,3,4,5,6,7] gives [2,4,17,6,7]; REMOVE shifts the later elements; REMOVE past the end is a
//   no-op; SET past the end appends, several such SETs in index order;
// - ADD to a missing number starts from 0, to a missing set creates it; DELETE removes
//   elements of a set, and the attribute when none remain; DELETE on a missing attribute is a
//   no-op.
// Key attributes are refused by check_update_keys(), not here. The item-size limit is the
// caller's (it needs the new item's size anyway).
aws::AwsResult<std::optional<Item>> apply_update(const Item* old_item, const Item& key,
                                                 const expressions::Expression& update,
                                                 const RequestValues& values);

// ReturnValues UPDATED_OLD / UPDATED_NEW: the update's paths projected from the old or the new
// item. AWS returns the nested paths, not the whole top-level attributes [V: scylladb
// test_returnvalues.py test_update_item_returnvalues_nested, run against AWS: after
// "SET a.b = :v" UPDATED_OLD is {a: {b: old}}; "REMOVE a.c[1], a.c[3]" gives {a: {c: [old c[1]]}};
// UPDATED_NEW of "SET a.c[100] = :v" (an append) is nothing; UPDATED_NEW of "REMOVE a.c[1]"
// returns the element that moved into a.c[1]] — which is exactly a projection of the paths. An
// empty result means no Attributes member in the response.
Item updated_attributes(const Item& item, const expressions::Expression& update);

}  // namespace trib::dynamodb::documents
