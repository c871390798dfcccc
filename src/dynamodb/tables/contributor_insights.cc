#include "dynamodb/tables/contributor_insights.h"

namespace trib::dynamodb {

std::string_view ContributorInsights::status_name(int64_t now_ms) const {
  const bool settling = now_ms < settles_at_ms;
  if (enabled) return settling ? "ENABLING" : "ENABLED";
  return settling ? "DISABLING" : "DISABLED";
}

std::vector<std::string> contributor_insights_rules(const ContributorInsights& insights,
                                                    std::string_view table_name,
                                                    bool has_sort_key) {
  std::string suffix = "-" + std::string(table_name);
  if (!insights.index_name.empty()) suffix += "-" + insights.index_name;
  suffix += "-" + std::to_string(insights.rules_created_ms);
  const bool accessed = insights.mode != "THROTTLED_KEYS";
  std::vector<std::string> kinds;
  if (accessed) kinds.push_back("PKC");
  kinds.push_back("PKT");
  if (has_sort_key) {
    if (accessed) kinds.push_back("SKC");
    kinds.push_back("SKT");
  }
  std::vector<std::string> rules;
  for (const auto& kind : kinds) rules.push_back("DynamoDBContributorInsights-" + kind + suffix);
  return rules;
}

aws::Value encode_contributor_insights(const std::vector<ContributorInsights>& entries) {
  aws::Value out = aws::Value::list();
  for (const auto& e : entries) {
    aws::Value v = aws::Value::map();
    if (!e.index_name.empty()) v.set("index", e.index_name);
    v.set("enabled", e.enabled);
    if (!e.mode.empty()) v.set("mode", e.mode);
    v.set("last_update_ms", e.last_update_ms);
    v.set("settles_at_ms", e.settles_at_ms);
    v.set("rules_created_ms", e.rules_created_ms);
    out.push(std::move(v));
  }
  return out;
}

std::vector<ContributorInsights> decode_contributor_insights(const aws::Value* stored) {
  std::vector<ContributorInsights> out;
  if (!stored || !stored->is_list()) return out;
  for (const auto& v : stored->as_list()) {
    ContributorInsights e;
    if (const std::string* index = v.string_member("index")) e.index_name = *index;
    e.enabled = v.bool_member("enabled").value_or(false);
    if (const std::string* mode = v.string_member("mode")) e.mode = *mode;
    e.last_update_ms = v.int_member("last_update_ms").value_or(0);
    e.settles_at_ms = v.int_member("settles_at_ms").value_or(0);
    e.rules_created_ms = v.int_member("rules_created_ms").value_or(0);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace trib::dynamodb
