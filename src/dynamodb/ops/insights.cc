#include "dynamodb/ops/insights.h"

#include "dynamodb/errors.h"
#include "dynamodb/tables/table_ref.h"

namespace trib::dynamodb::ops {

aws::AwsResult<InsightsTarget> insights_target(const DynamoDbContext& ctx,
                                               const aws::RequestContext& request,
                                               const std::string& table_name_or_arn,
                                               const std::string* index_name) {
  auto key = resolve_table_key(ctx, request, table_name_or_arn);
  if (!key) return aws::fail(std::move(key.error()));
  auto table = ctx.tables.find(*key, request.now_ms);
  if (!table || table->status(request.now_ms) == TableStatus::kCreating) {
    return aws::fail(table_not_found(key->name));
  }
  InsightsTarget target{table, index_name ? *index_name : std::string()};
  if (index_name) {
    const SecondaryIndex* index = table->find_index(*index_name);
    if (!index || !index->global || index->is_gone(request.now_ms)) {
      return aws::fail(
          error(Error::kResourceNotFound, "Requested resource not found: Index: " + *index_name +
                                              " not found for table: " + key->name));
    }
  }
  return target;
}

ContributorInsights insights_entry(const Table& table, const std::string& index_name) {
  for (const auto& entry : table.contributor_insights) {
    if (entry.index_name == index_name) return entry;
  }
  ContributorInsights fresh;
  fresh.index_name = index_name;
  return fresh;
}

aws::Value insights_summary(const Table& table, const ContributorInsights& entry, int64_t now_ms) {
  aws::Value out = aws::Value::map();
  out.set("TableName", table.key.name);
  if (!entry.index_name.empty()) out.set("IndexName", entry.index_name);
  out.set("ContributorInsightsStatus", std::string(entry.status_name(now_ms)));
  if (!entry.mode.empty()) out.set("ContributorInsightsMode", entry.mode);
  return out;
}

aws::Value insights_description(const Table& table, const ContributorInsights& entry,
                                int64_t now_ms) {
  aws::Value out = aws::Value::map();
  out.set("TableName", table.key.name);
  if (!entry.index_name.empty()) out.set("IndexName", entry.index_name);
  const std::string_view status = entry.status_name(now_ms);
  if (status == "ENABLED") {
    const SecondaryIndex* index =
        entry.index_name.empty() ? nullptr : table.find_index(entry.index_name);
    const bool sort_key =
        index ? index->key_schema.range.has_value() : table.key_schema.range.has_value();
    aws::Value rules = aws::Value::list();
    for (auto& rule : contributor_insights_rules(entry, table.key.name, sort_key)) {
      rules.push(std::move(rule));
    }
    out.set("ContributorInsightsRuleList", std::move(rules));
  }
  out.set("ContributorInsightsStatus", std::string(status));
  if (entry.last_update_ms) out.set("LastUpdateDateTime", aws::Timestamp{entry.last_update_ms});
  if (!entry.mode.empty()) out.set("ContributorInsightsMode", entry.mode);
  return out;
}

}  // namespace trib::dynamodb::ops
