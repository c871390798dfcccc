// The parsed form of one DynamoDB PartiQL statement (SELECT, INSERT, UPDATE, DELETE): a small
// tree that owns its text (names, literals), built once per statement by parser.h and turned
// into DynamoDB expressions by translate.h. Parameters (`?`) stay placeholders numbered in
// statement order; they are bound when the statement is translated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb/expressions/ast.h"

namespace trib::dynamodb::partiql {

// One step of a document path: an attribute or map key name, or a list index.
struct PathStep {
  static constexpr uint32_t kNotIndex = UINT32_MAX;
  std::string name;
  uint32_t index = kNotIndex;
  bool is_index() const { return index != kNotIndex; }
};
using Path = std::vector<PathStep>;

enum class ExprKind : uint8_t {
  // Operands.
  kPath,       // path
  kString,     // text
  kNumber,     // text, as written (a leading '-' included)
  kBool,       // flag
  kNull,       // NULL
  kMissing,    // MISSING (only after IS)
  kParameter,  // `?`: parameter (0-based, in statement order)
  kList,       // [a, b]: children
  kMap,        // {'k': v}: keys and children
  kSet,        // <<a, b>>: children
  kFunction,   // text (lower case), children = arguments
  kPlus,       // children = {left, right}
  kMinus,      // children = {left, right}
  // Conditions.
  kCompare,  // comparator, children = {left, right}
  kBetween,  // flag = NOT BETWEEN, children = {operand, lower, upper}
  kIn,       // flag = NOT IN, children = {operand, candidate...}
  kIs,       // flag = IS NOT, text = the type name upper-cased (MISSING, NULL, STRING, ...)
  kAnd,      // children = {left, right}
  kOr,       // children = {left, right}
  kNot,      // children = {operand}
};

struct Expr {
  ExprKind kind = ExprKind::kNull;
  expressions::Comparator comparator = expressions::Comparator::kEqual;
  bool flag = false;
  uint32_t parameter = 0;
  std::string text;
  Path path;
  std::vector<std::string> keys;  // kMap: the keys, parallel to children
  std::vector<Expr> children;
};

enum class StatementKind : uint8_t { kSelect, kInsert, kUpdate, kDelete };

// RETURNING of UPDATE and DELETE ("RETURNING ALL OLD *", ...).
enum class Returning : uint8_t { kNone, kAllOld, kModifiedOld, kAllNew, kModifiedNew };

struct UpdateAction {
  bool remove = false;  // REMOVE path; otherwise SET path = value
  Path path;
  Expr value;
};

struct OrderKey {
  std::string name;
  bool descending = false;
};

struct Statement {
  StatementKind kind = StatementKind::kSelect;
  std::string table;
  std::optional<std::string> index;  // SELECT ... FROM "table"."index"
  // SELECT: `*` (select_all) or the projected paths.
  bool select_all = false;
  std::vector<Path> projection;
  std::optional<Expr> where;
  std::vector<OrderKey> order_by;
  Expr item;                          // INSERT: the VALUE tuple
  std::vector<UpdateAction> actions;  // UPDATE
  Returning returning = Returning::kNone;
  uint32_t parameter_count = 0;  // the `?` placeholders of the statement
};

// A readable rendering of a condition or value (tests and debugging), e.g.
// "(AND (= a 'x') (IS MISSING b))".
std::string debug_string(const Expr& expr);

}  // namespace trib::dynamodb::partiql
