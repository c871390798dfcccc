#include "dynamodb/ttl/expiry.h"

#include <string>

namespace trib::dynamodb::ttl {

namespace {

// `ms` milliseconds as an exact number of seconds.
Number seconds_of(int64_t ms) {
  const bool negative = ms < 0;
  const uint64_t magnitude = negative ? -static_cast<uint64_t>(ms) : static_cast<uint64_t>(ms);
  std::string text = negative ? "-" : "";
  std::string fraction = std::to_string(magnitude % 1000);
  text += std::to_string(magnitude / 1000) + "." + std::string(3 - fraction.size(), '0') + fraction;
  return Number::parse(text).value();
}

}  // namespace

bool is_expired(const Item& item, std::string_view attribute_name, int64_t now_ms) {
  const AttributeValue* value = find_attribute(item, attribute_name);
  if (!value || !value->is(AttributeType::kN)) return false;
  const Number& expires = value->as_number();
  if (!(expires < seconds_of(now_ms))) return false;
  return !(expires < seconds_of(now_ms - kMaxExpiredAgeSeconds * 1000));
}

}  // namespace trib::dynamodb::ttl
