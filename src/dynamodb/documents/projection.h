// ProjectionExpression and AttributesToGet: a new Item holding only the requested paths of an
// item, nested maps and list elements kept in their place.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "aws/error.h"
#include "dynamodb/expressions/ast.h"
#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb::documents {

using Path = std::span<const expressions::PathElement>;

// The item restricted to `paths` (which must not overlap: the parser refuses that). AWS's rules
// [V: scylladb test_projection_expression.py, run against AWS]:
// - a path that does not resolve (missing attribute, index past the end, a map indexed as a list
//   or the reverse) contributes nothing; an item none of whose paths resolve projects to {};
// - a nested path keeps its ancestors: `a.b[2].y` gives {a: {b: [{y: ...}]}};
// - list elements keep their order in the original list, renumbered from 0: `a.b[0], a.b[1]`
//   gives {a: {b: [e0, e1]}} and `a[2], a[0]` gives [e0, e2] [D from the above: the projected
//   list holds the selected elements in list order];
// - several paths into one map or list merge: `a.b[0], a.c` gives {a: {b: [e0], c: ...}}.
Item project(const Item& item, std::span<const Path> paths);
// The paths of a parsed ProjectionExpression (or of any list-shaped expression's children).
Item project(const Item& item, const expressions::Expression& projection);
// AttributesToGet: top-level names (duplicates refused first by check_attributes_to_get()).
Item project_attributes(const Item& item, std::span<const std::string_view> names);

// AttributesToGet naming an attribute twice: "One or more parameter values were invalid:
// Duplicate value in attribute name: a", naming the first name met a second time [P dynalite
// validations/getItem.js; V: scylladb test_getitem_attributes_to_get_duplicate matches
// "ValidationException.*Duplicate" against AWS].
std::optional<aws::AwsError> check_attributes_to_get(std::span<const std::string_view> names);

}  // namespace trib::dynamodb::documents
