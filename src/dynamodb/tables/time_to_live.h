// A table's Time to Live setting (UpdateTimeToLive, DescribeTimeToLive), kept in the table's
// catalog document ("ttl", docs/storage-encoding.md). Its status is computed from stored times
// and the one clock, as table states are: ENABLING before settles_at_ms after an enable,
// DISABLING before it after a disable (--update-ttl-ms; AWS showed the settled status at the
// first poll, ack-api-quirks DDB-TABLE-144/145, so the default is 0).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "aws/value.h"

namespace trib::dynamodb {

struct TimeToLive {
  bool enabled = false;
  // The attribute holding expiry times: set while enabled and while DISABLING (a settled
  // disable forgets it, as AWS: DescribeTimeToLive then shows no AttributeName).
  std::string attribute_name;
  int64_t settles_at_ms = 0;          // ENABLING / DISABLING before this time
  std::optional<int64_t> changed_ms;  // the last accepted change (the one-change window)

  // "ENABLING", "ENABLED", "DISABLING" or "DISABLED".
  std::string_view status_name(int64_t now_ms) const;
  // Whether the TTL job deletes expired items at `now_ms`: ENABLED, not while ENABLING
  // (a guess: AWS documents no deletes before the change has processed).
  bool deletes_expired(int64_t now_ms) const { return enabled && now_ms >= settles_at_ms; }
  // The TimeToLiveDescription output: TimeToLiveStatus, and AttributeName unless DISABLED.
  aws::Value description(int64_t now_ms) const;
};

// The stored form, a member of the table document (absent when never configured).
aws::Value encode_time_to_live(const TimeToLive& ttl);
TimeToLive decode_time_to_live(const aws::Value* stored);

}  // namespace trib::dynamodb
