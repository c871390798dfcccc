// The Time to Live expiry rule (AWS's TTL guide, "Expiration"): an item expires when its TTL
// attribute is a top-level Number holding epoch seconds below the current time, and not more
// than five years below it; any other type, or a missing attribute, never expires.
#pragma once

#include <cstdint>
#include <string_view>

#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb::ttl {

// Five years of seconds (365-day years: AWS states "five years" without a day count; a guess).
inline constexpr int64_t kMaxExpiredAgeSeconds = 5LL * 365 * 24 * 3600;

// Whether `item` has expired at `now_ms` (the one clock) by its attribute `attribute_name`.
bool is_expired(const Item& item, std::string_view attribute_name, int64_t now_ms);

}  // namespace trib::dynamodb::ttl
