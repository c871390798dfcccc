// libFuzzer target for the DynamoDB PartiQL parser and its translation into DynamoDB expressions
// (src/dynamodb/partiql/). See README.md here for the libFuzzer build and the GCC smoke run.
//
// The input is one statement text. Then:
//  1. parse_statement never crashes; a failure is a ValidationException (namespace
//     com.amazon.coral.validate) with a message.
//  2. A statement that parsed has a well-formed tree (two children for AND, OR, comparisons and
//     arithmetic; three for BETWEEN; one for NOT and IS; keys parallel to a map's members).
//  3. Its parts written as DynamoDB expressions (the WHERE as a condition, its key analysis for
//     a hash and a range key, the UPDATE actions, the projection, the INSERT item), with one
//     `?` parameter of each AttributeValue type bound: never a crash; failures are
//     ValidationExceptions. What was written goes through the DynamoDB expression parser
//     (expressions::parse_request) with the names and values the writer made: never a crash, a
//     failure is a ValidationException, and no name or value the writer made is left unused.
// A broken invariant aborts with a message naming it.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/value.h"
#include "dynamodb/expressions/request.h"
#include "dynamodb/partiql/parser.h"
#include "dynamodb/partiql/translate.h"

namespace {

namespace pq = trib::dynamodb::partiql;
namespace ex = trib::dynamodb::expressions;
using trib::aws::Value;

[[noreturn]] void broken(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "partiql invariant broken: %s: %.*s\n", what,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

void check_validation(const trib::aws::AwsError& error, const char* where) {
  if (error.type != "ValidationException" || error.message.empty()) {
    broken(where, error.type + ": " + error.message);
  }
}

void check_tree(const pq::Expr& e, int depth = 0) {
  if (depth > 1000) broken("tree deeper than the nesting limit allows");
  size_t want = SIZE_MAX;
  switch (e.kind) {
    case pq::ExprKind::kAnd:
    case pq::ExprKind::kOr:
    case pq::ExprKind::kCompare:
    case pq::ExprKind::kPlus:
    case pq::ExprKind::kMinus:
      want = 2;
      break;
    case pq::ExprKind::kBetween:
      want = 3;
      break;
    case pq::ExprKind::kNot:
    case pq::ExprKind::kIs:
      want = 1;
      break;
    case pq::ExprKind::kPath:
      if (e.path.empty()) broken("empty path");
      break;
    case pq::ExprKind::kMap:
      if (e.keys.size() != e.children.size()) broken("map keys and members differ in number");
      break;
    case pq::ExprKind::kIn:
      if (e.children.size() < 2) broken("IN without candidates");
      break;
    default:
      break;
  }
  if (want != SIZE_MAX && e.children.size() != want)
    broken("wrong operand count", pq::debug_string(e));
  for (const pq::Expr& c : e.children) check_tree(c, depth + 1);
}

std::vector<Value> parameters_for(uint32_t count) {
  static const char* kTypes[] = {"S", "N", "BOOL", "NULL", "SS", "NS", "L", "M"};
  std::vector<Value> out;
  for (uint32_t i = 0; i < count && i < 64; ++i) {
    Value v = Value::map();
    const std::string type = kTypes[i % 8];
    if (type == "S") v.set("S", Value("p"));
    if (type == "N") v.set("N", Value("7"));
    if (type == "BOOL") v.set("BOOL", Value(true));
    if (type == "NULL") v.set("NULL", Value(true));
    if (type == "SS") v.set("SS", Value(trib::aws::ValueList{Value("a"), Value("b")}));
    if (type == "NS") v.set("NS", Value(trib::aws::ValueList{Value("1")}));
    if (type == "L") v.set("L", Value(trib::aws::ValueList{Value::map().set("S", Value("x"))}));
    if (type == "M") v.set("M", Value::map().set("k", Value::map().set("N", Value("1"))));
    out.push_back(std::move(v));
  }
  return out;
}

// The written expressions through the DynamoDB expression parser.
void parse_written(const pq::ExpressionWriter& writer, const std::string* condition,
                   const std::string* update, const std::string* projection) {
  Value input = Value::map();
  writer.add_to(input);
  ex::RequestExpressions request;
  request.condition = condition;
  request.update = update;
  request.projection = projection;
  request.names = input.find("ExpressionAttributeNames");
  request.values = input.find("ExpressionAttributeValues");
  static constexpr ex::ExpressionKind kAccepted[] = {ex::ExpressionKind::kUpdate,
                                                     ex::ExpressionKind::kCondition};
  request.accepted = kAccepted;
  auto parsed = ex::parse_request(request);
  if (!parsed) {
    check_validation(parsed.error(), "expression parser error");
    if (parsed.error().message.find("unused in expressions") != std::string::npos) {
      broken("the writer made a placeholder no expression uses", parsed.error().message);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > pq::kMaxStatementLength) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto statement = pq::parse_statement(text);
  if (!statement) {
    check_validation(statement.error(), "parse error");
    return 0;
  }
  const pq::Statement& st = *statement;
  if (st.where) check_tree(*st.where);
  if (st.kind == pq::StatementKind::kInsert) {
    if (st.item.kind != pq::ExprKind::kMap) broken("INSERT without a tuple");
    check_tree(st.item);
  }
  for (const pq::UpdateAction& action : st.actions) {
    if (action.path.empty()) broken("update action without a path");
    if (!action.remove) check_tree(action.value);
  }
  const std::vector<Value> parameters = parameters_for(st.parameter_count);
  if (parameters.size() != st.parameter_count) return 0;

  pq::ExpressionWriter writer(parameters);
  std::optional<std::string> condition, projection;
  bool condition_failed = false;  // its placeholders may then be left unused
  if (st.where) {
    auto written = writer.condition(*st.where);
    if (written) {
      condition = std::move(*written);
    } else {
      check_validation(written.error(), "condition error");
      condition_failed = true;
    }
    for (const auto& range :
         {std::optional<std::string_view>(), std::optional<std::string_view>("sk")}) {
      auto keyed = pq::keyed_where(*st.where, "pk", range);
      if (!keyed) {
        check_validation(keyed.error(), "key analysis error");
        continue;
      }
      if (keyed->key.size() != (range ? 2u : 1u)) broken("key analysis lost a key attribute");
      pq::ExpressionWriter keyed_writer(parameters);
      for (const auto& [name, value] : keyed->key) {
        auto v = keyed_writer.attribute_value(*value);
        if (!v) check_validation(v.error(), "key value error");
      }
      auto rest = keyed_writer.conjunction(keyed->conditions);
      if (!rest) check_validation(rest.error(), "condition error");
    }
  }
  if (!st.actions.empty()) {
    pq::ExpressionWriter update_writer(parameters);
    auto written = update_writer.update(st.actions);
    if (written) {
      parse_written(update_writer, nullptr, &*written, nullptr);
    } else {
      check_validation(written.error(), "update error");
    }
  }
  if (!st.projection.empty()) projection = writer.projection(st.projection);
  if (!condition_failed && (condition || projection)) {
    parse_written(writer, condition ? &*condition : nullptr, nullptr,
                  projection ? &*projection : nullptr);
  }
  if (st.kind == pq::StatementKind::kInsert) {
    pq::ExpressionWriter item_writer(parameters);
    for (const pq::Expr& member : st.item.children) {
      auto v = item_writer.attribute_value(member);
      if (!v) check_validation(v.error(), "item value error");
    }
  }
  return 0;
}
