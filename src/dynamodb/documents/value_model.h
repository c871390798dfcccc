// The bridge between the expression trees (src/dynamodb/expressions/) and attribute values
// (src/dynamodb/values/): the request's ExpressionAttributeValues converted once, a ValueModel
// over an Item so evaluate_condition() runs on real items, and the BETWEEN bound-order check the
// parser leaves to us for numbers and binaries.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aws/error.h"
#include "aws/value.h"
#include "dynamodb/expressions/evaluator.h"
#include "dynamodb/expressions/request.h"
#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb::documents {

// ExpressionAttributeValues as AttributeValues, converted (and validated with the values
// library's rules and texts) exactly once per request. Entries are found by the address of their
// document in the request, which is what a kValue node of an Expression holds.
//
// Usage: install validator() as RequestExpressions::validate_value before parse_request(); every
// entry is then converted while parse_request() validates it (parse_request reports a bad entry
// as "ExpressionAttributeValues contains invalid value: <text> for key :v" [P dynalite
// validations/index.js validateExpressions]). The object must outlive the validator and must not
// move while it is installed.
class RequestValues {
 public:
  RequestValues() = default;
  RequestValues(const RequestValues&) = delete;
  RequestValues& operator=(const RequestValues&) = delete;

  // The hook for RequestExpressions::validate_value.
  std::function<std::optional<std::string>(const aws::Value&)> validator();
  // Converts one entry (what validator() does); returns AWS's message for a bad one.
  std::optional<std::string> add(const aws::Value& document);
  // The converted value of an entry, or nullptr when it was never converted.
  const AttributeValue* find(const aws::Value* document) const;

  size_t size() const { return entries_.size(); }

 private:
  // Sorted by address: a binary search per lookup, no hashing.
  std::vector<std::pair<const aws::Value*, AttributeValue>> entries_;
};

// A ValueModel over one item (absent items are evaluated as the empty item, as AWS does) and
// the request's converted values. Refs are `const AttributeValue*`.
class ItemModel final : public expressions::ValueModel {
 public:
  ItemModel(const Item& item, const RequestValues& values) : item_(item), values_(values) {}

  Ref request_value(const aws::Value& attribute_value) const override;
  Ref attribute(std::string_view name) const override;
  Ref member(Ref map, std::string_view key) const override;
  Ref element(Ref list, uint32_t index) const override;
  Type type(Ref value) const override;
  bool equal(Ref a, Ref b) const override;
  int compare(Ref a, Ref b) const override;
  int compare_with_integer(Ref number, uint64_t integer) const override;
  bool starts_with(Ref value, Ref prefix) const override;
  bool contains(Ref container, Ref operand) const override;
  std::optional<uint64_t> size(Ref value) const override;

 private:
  const Item& item_;
  const RequestValues& values_;
};

// Convenience: evaluates a condition tree against an item (nullptr: no item).
bool evaluate(const expressions::Expression& condition, const Item* item,
              const RequestValues& values);

// Order of two values of one type S, N or B (-1, 0, 1): strings and binaries by unsigned bytes,
// numbers by value.
int compare_scalars(const AttributeValue& a, const AttributeValue& b);

// The BETWEEN check the parser makes for strings only (expressions/README.md, "Not done yet"),
// for numbers and binaries: two :value bounds of one type with lower > upper give
// "Invalid <Parameter>: The BETWEEN operator requires upper bound to be greater than or equal to
// lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand:
// AttributeValue: {N:1}" [P dynalite checkBetweenArgs; V for numbers: an AWS answer quoted in a
// public project, "... lower bound operand: AttributeValue: {N:200}, upper bound operand:
// AttributeValue: {N:100}"; numbers rendered as written in the request, binaries in base64, as
// the parser renders strings]. Run it on each parsed condition-grammar expression
// right after parse_request(): the parser reports every other operand-type problem of the same
// category first, so only the order relative to the unused-names/values errors differs (README).
std::optional<aws::AwsError> check_between_bounds(const expressions::Expression& expression,
                                                  const RequestValues& values);
std::optional<aws::AwsError> check_between_bounds(const expressions::ParsedExpressions& parsed,
                                                  const RequestValues& values);

// What an operation calls: expressions::parse_request() with `values` installed as the
// validate_value hook (every ExpressionAttributeValues entry converted once, into `values`),
// then check_between_bounds(). `request.validate_value` is replaced.
aws::AwsResult<expressions::ParsedExpressions> parse_request(
    expressions::RequestExpressions request, RequestValues& values);

}  // namespace trib::dynamodb::documents
