// A table's Kinesis streaming destinations (EnableKinesisStreamingDestination and its mirror
// operations), stored in the table's catalog document (docs/kinesis-destination.md).
//
// As every lifecycle state here, the status is computed from stored times and the one clock:
// `pending` (ENABLING, DISABLING, UPDATING) until `until_ms`, then `status` (ACTIVE, DISABLED,
// ENABLE_FAILED). A restart in the middle of a transition comes out the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/value.h"

namespace trib::dynamodb {

struct KinesisDestination {
  std::string stream_arn;
  std::string status = "ACTIVE";  // ACTIVE, DISABLED or ENABLE_FAILED once settled
  std::string pending;            // ENABLING, DISABLING or UPDATING before until_ms; or empty
  int64_t until_ms = 0;
  std::optional<std::string> precision;  // MILLISECOND or MICROSECOND, only when one was set
  // DestinationStatusDescription of the settled status (ENABLE_FAILED's reason).
  std::optional<std::string> description;

  // DestinationStatus at `now_ms`.
  std::string_view status_at(int64_t now_ms) const {
    return !pending.empty() && now_ms < until_ms ? std::string_view(pending)
                                                 : std::string_view(status);
  }
  // DestinationStatusDescription at `now_ms`: none while a transition is pending.
  std::optional<std::string_view> description_at(int64_t now_ms) const {
    if (!description || (!pending.empty() && now_ms < until_ms)) return std::nullopt;
    return std::string_view(*description);
  }
  // Whether item changes at `now_ms` are written to the stream: ACTIVE or UPDATING (AWS starts
  // replication "at a timestamp chosen during the enable workflow"; Tributary: when it is ACTIVE).
  bool captures_at(int64_t now_ms) const {
    const std::string_view s = status_at(now_ms);
    return s == "ACTIVE" || s == "UPDATING";
  }
  // The precision records use: MICROSECOND only when set so (the API default behaves as
  // MILLISECOND: facts §15.4).
  bool microseconds() const { return precision && *precision == "MICROSECOND"; }
};

// The stored form: a list of maps (docs/kinesis-destination.md), and back (nullopt when a
// member is missing or of the wrong kind).
aws::Value encode_kinesis_destinations(const std::vector<KinesisDestination>& destinations);
std::optional<std::vector<KinesisDestination>> decode_kinesis_destinations(const aws::Value& list);

}  // namespace trib::dynamodb
