#include "dynamodb/documents/value_model.h"

#include <algorithm>
#include <functional>

#include "dynamodb/expressions/parser.h"
#include "util/base64.h"

namespace trib::dynamodb::documents {

namespace ex = expressions;
using Type = ex::ValueModel::Type;

std::function<std::optional<std::string>(const aws::Value&)> RequestValues::validator() {
  return [this](const aws::Value& document) { return add(document); };
}

namespace {

bool address_less(const std::pair<const aws::Value*, AttributeValue>& entry,
                  const aws::Value* address) {
  return std::less<const aws::Value*>()(entry.first, address);
}

}  // namespace

// Entries are kept sorted by address. parse_request() validates the entries of the request's
// map in order, and a map's entries are contiguous, so each one lands at the end.
std::optional<std::string> RequestValues::add(const aws::Value& document) {
  auto at = std::lower_bound(entries_.begin(), entries_.end(), &document, address_less);
  if (at != entries_.end() && at->first == &document) return std::nullopt;
  auto converted = attribute_value_from_wire(document, 1);
  if (!converted.ok()) return std::move(converted.error().message);
  entries_.emplace(at, &document, std::move(converted.value()));
  return std::nullopt;
}

const AttributeValue* RequestValues::find(const aws::Value* document) const {
  auto at = std::lower_bound(entries_.begin(), entries_.end(), document, address_less);
  return at != entries_.end() && at->first == document ? &at->second : nullptr;
}

namespace {

const AttributeValue& av(ex::ValueModel::Ref ref) {
  return *static_cast<const AttributeValue*>(ref);
}

int sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

// Unsigned byte order (std::string compares char_traits<char>, which is unsigned-byte order).
int compare_bytes(const std::string& a, const std::string& b) { return sign(a.compare(b)); }

}  // namespace

int compare_scalars(const AttributeValue& a, const AttributeValue& b) {
  switch (a.type()) {
    case AttributeType::kN:
      return Number::compare(a.as_number(), b.as_number());
    case AttributeType::kS:
      return compare_bytes(a.as_string(), b.as_string());
    case AttributeType::kB:
      return compare_bytes(a.as_binary(), b.as_binary());
    default:
      return 0;
  }
}

ex::ValueModel::Ref ItemModel::request_value(const aws::Value& attribute_value) const {
  return values_.find(&attribute_value);
}

ex::ValueModel::Ref ItemModel::attribute(std::string_view name) const {
  return find_attribute(item_, name);
}

ex::ValueModel::Ref ItemModel::member(Ref map, std::string_view key) const {
  const AttributeValue& v = av(map);
  return v.is(AttributeType::kM) ? find_attribute(v.as_map(), key) : nullptr;
}

ex::ValueModel::Ref ItemModel::element(Ref list, uint32_t index) const {
  const AttributeValue& v = av(list);
  if (!v.is(AttributeType::kL) || index >= v.as_list().size()) return nullptr;
  return &v.as_list()[index];
}

Type ItemModel::type(Ref value) const {
  switch (av(value).type()) {
    case AttributeType::kS:
      return Type::kS;
    case AttributeType::kN:
      return Type::kN;
    case AttributeType::kB:
      return Type::kB;
    case AttributeType::kBool:
      return Type::kBool;
    case AttributeType::kNull:
      return Type::kNull;
    case AttributeType::kM:
      return Type::kM;
    case AttributeType::kL:
      return Type::kL;
    case AttributeType::kSS:
      return Type::kSS;
    case AttributeType::kNS:
      return Type::kNS;
    case AttributeType::kBS:
      return Type::kBS;
  }
  return Type::kNull;
}

// Numbers by value, sets whatever their order, maps whatever their key order: all follow from
// AttributeValue's canonical form (values/attribute_value.h).
bool ItemModel::equal(Ref a, Ref b) const { return av(a) == av(b); }

int ItemModel::compare(Ref a, Ref b) const { return compare_scalars(av(a), av(b)); }

int ItemModel::compare_with_integer(Ref number, uint64_t integer) const {
  // size() results are far below 2^63 (items are at most 400 KB).
  const uint64_t clamped = std::min<uint64_t>(integer, INT64_MAX);
  return Number::compare(av(number).as_number(), Number::from_int64(static_cast<int64_t>(clamped)));
}

bool ItemModel::starts_with(Ref value, Ref prefix) const {
  const AttributeValue& v = av(value);
  const AttributeValue& p = av(prefix);
  if (v.is(AttributeType::kS)) return std::string_view(v.as_string()).starts_with(p.as_string());
  return std::string_view(v.as_binary()).starts_with(p.as_binary());
}

bool ItemModel::contains(Ref container, Ref operand) const {
  const AttributeValue& c = av(container);
  const AttributeValue& o = av(operand);
  switch (c.type()) {
    case AttributeType::kS:
      return c.as_string().find(o.as_string()) != std::string::npos;
    case AttributeType::kSS:
      return std::binary_search(c.as_string_set().begin(), c.as_string_set().end(), o.as_string());
    case AttributeType::kBS:
      return std::binary_search(c.as_binary_set().begin(), c.as_binary_set().end(), o.as_binary());
    case AttributeType::kNS:
      return std::binary_search(c.as_number_set().begin(), c.as_number_set().end(), o.as_number());
    default:
      return false;
  }
}

// size(): strings count UTF-16 code units, as Java's String.length() [P, AWS-checked:
// ExtendDB/extenddb pull request 67, "Verified against real DynamoDB: size("é𝄞") = 3 succeeds,
// size("é𝄞") = 6 fails"]; binaries their bytes; sets, lists and maps their elements (AWS docs,
// "Comparison operator and function reference": size).
namespace {

uint64_t utf16_length(std::string_view utf8) {
  uint64_t units = 0;
  for (const char c : utf8) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) == 0x80) continue;  // a continuation byte
    units += byte >= 0xF0 ? 2 : 1;        // a 4-byte sequence is a surrogate pair
  }
  return units;
}

}  // namespace

std::optional<uint64_t> ItemModel::size(Ref value) const {
  const AttributeValue& v = av(value);
  switch (v.type()) {
    case AttributeType::kS:
      return utf16_length(v.as_string());
    case AttributeType::kB:
      return v.as_binary().size();
    case AttributeType::kSS:
      return v.as_string_set().size();
    case AttributeType::kNS:
      return v.as_number_set().size();
    case AttributeType::kBS:
      return v.as_binary_set().size();
    case AttributeType::kL:
      return v.as_list().size();
    case AttributeType::kM:
      return v.as_map().size();
    default:
      return std::nullopt;
  }
}

bool evaluate(const ex::Expression& condition, const Item* item, const RequestValues& values) {
  static const Item kEmpty;
  const ItemModel model(item ? *item : kEmpty, values);
  return ex::evaluate_condition(condition, model);
}

namespace {

std::string render_bound(const aws::Value& document, AttributeType type) {
  std::string out = "AttributeValue: {" + std::string(type_name(type)) + ":";
  const aws::Value& member = document.as_map().front().second;
  if (member.is_string()) {
    out += member.as_string();
  } else if (member.kind() == aws::Value::Kind::kBlob) {
    out += base64::encode(member.as_blob().bytes);
  }
  return out + "}";
}

std::optional<aws::AwsError> check_node(const ex::Expression& expression,
                                        ex::Expression::NodeIndex index,
                                        const RequestValues& values) {
  const ex::Node& node = expression.node(index);
  const auto children = expression.children(index);
  switch (node.kind) {
    case ex::NodeKind::kAnd:
    case ex::NodeKind::kOr:
    case ex::NodeKind::kNot:
      for (const auto child : children) {
        if (auto error = check_node(expression, child, values)) return error;
      }
      return std::nullopt;
    case ex::NodeKind::kBetween:
      break;
    default:
      return std::nullopt;
  }
  const ex::Node& lower = expression.node(children[1]);
  const ex::Node& upper = expression.node(children[2]);
  if (lower.kind != ex::NodeKind::kValue || upper.kind != ex::NodeKind::kValue || !lower.value ||
      !upper.value) {
    return std::nullopt;
  }
  const AttributeValue* low = values.find(lower.value);
  const AttributeValue* high = values.find(upper.value);
  if (low == nullptr || high == nullptr || low->type() != high->type()) return std::nullopt;
  // Strings are checked by the parser already.
  if (!low->is(AttributeType::kN) && !low->is(AttributeType::kB)) return std::nullopt;
  if (compare_scalars(*low, *high) <= 0) return std::nullopt;
  return ex::validation_error(
      "Invalid " + std::string(ex::parameter_name(expression.kind())) +
      ": The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
      "lower bound operand: " +
      render_bound(*lower.value, low->type()) +
      ", upper bound operand: " + render_bound(*upper.value, high->type()));
}

}  // namespace

std::optional<aws::AwsError> check_between_bounds(const ex::Expression& expression,
                                                  const RequestValues& values) {
  if (expression.kind() == ex::ExpressionKind::kProjection ||
      expression.kind() == ex::ExpressionKind::kUpdate) {
    return std::nullopt;
  }
  return check_node(expression, expression.root(), values);
}

std::optional<aws::AwsError> check_between_bounds(const ex::ParsedExpressions& parsed,
                                                  const RequestValues& values) {
  // AWS's parse order (request.cc): ConditionExpression, KeyConditionExpression, FilterExpression.
  for (const auto* expression : {&parsed.condition, &parsed.key_condition, &parsed.filter}) {
    if (!expression->has_value()) continue;
    if (auto error = check_between_bounds(**expression, values)) return error;
  }
  return std::nullopt;
}

aws::AwsResult<ex::ParsedExpressions> parse_request(ex::RequestExpressions request,
                                                    RequestValues& values) {
  request.validate_value = values.validator();
  auto parsed = ex::parse_request(request);
  if (!parsed.ok()) return parsed;
  if (auto error = check_between_bounds(*parsed, values)) return aws::fail(std::move(*error));
  return parsed;
}

}  // namespace trib::dynamodb::documents
