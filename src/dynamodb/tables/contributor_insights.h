// Contributor insights of a table and of each of its global secondary indexes
// (Update/Describe/ListContributorInsights), kept in the table's catalog document ("insights",
// docs/storage-encoding.md). Statuses are computed from stored times and the one clock:
// ENABLING or DISABLING before settles_at_ms (--contributor-insights-ms), then ENABLED or
// DISABLED. Nothing is measured: the setting is stored and reported (FAILED never occurs).
//
// AWS's behaviour (ack-api-quirks catalogue, table-subresources.md, recorded 2026-10-08/09):
// ENABLE answers ENABLING and settles in 1-16 s, DISABLE answers DISABLING and settles in ~2 s
// (DDB-TABLE-090); ENABLE or DISABLE on a settled state is a no-op echoing it (091, 341); a mode
// change is a re-ENABLE through ENABLING, and ENABLE without a mode means
// ACCESSED_AND_THROTTLED_KEYS (092 notes); a never-configured entry reads
// {TableName, ContributorInsightsStatus: DISABLED} and gains LastUpdateDateTime and
// ContributorInsightsMode after a cycle (089); rule names look like
// DynamoDBContributorInsights-PKC-<table>-<index>-<epoch ms> (112).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aws/value.h"

namespace trib::dynamodb {

inline constexpr std::string_view kAccessedAndThrottledKeys = "ACCESSED_AND_THROTTLED_KEYS";

struct ContributorInsights {
  std::string index_name;  // empty: the table itself
  bool enabled = false;
  std::string mode;              // empty until first enabled
  int64_t last_update_ms = 0;    // 0 until the first change (no LastUpdateDateTime)
  int64_t settles_at_ms = 0;     // ENABLING / DISABLING before this time
  int64_t rules_created_ms = 0;  // the rule names' suffix

  // "ENABLING", "ENABLED", "DISABLING" or "DISABLED".
  std::string_view status_name(int64_t now_ms) const;
};

// The CloudWatch rule names AWS reports for an ENABLED entry: PKC and PKT (accessed and
// throttled partition keys), SKC and SKT with a sort key; THROTTLED_KEYS keeps only the T rules
// (DDB-TABLE-341). The order with a sort key is a guess.
std::vector<std::string> contributor_insights_rules(const ContributorInsights& insights,
                                                    std::string_view table_name, bool has_sort_key);

aws::Value encode_contributor_insights(const std::vector<ContributorInsights>& entries);
std::vector<ContributorInsights> decode_contributor_insights(const aws::Value* stored);

}  // namespace trib::dynamodb
