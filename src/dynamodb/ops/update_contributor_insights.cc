// UpdateContributorInsights: turns contributor insights on or off for a table or one of its
// global secondary indexes, stored in the table document (tables/contributor_insights.h).
// As AWS (ack-api-quirks catalogue, recorded 2026-10-08/09): ENABLE answers ENABLING, DISABLE
// DISABLING (DDB-TABLE-090); ENABLE with the current mode, or DISABLE of a disabled or
// never-configured entry, is a no-op answering the current status (091, 341); ENABLE without a
// mode means ACCESSED_AND_THROTTLED_KEYS, so it changes a THROTTLED_KEYS entry (092); DISABLE
// echoes the current mode whatever mode it names (092); an index that is still CREATING is
// ValidationException "Table or Index is not in a valid state to update Key Access Insights:
// IndexStatus must be ACTIVE to enable ContributorInsights." (DDB-TABLE-116); a DELETING table
// is accepted (DDB-TABLE-118).
// Differences: nothing is measured and the CloudWatch rule quota is not modelled, so FAILED
// never occurs.
#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/ops/insights.h"

namespace trib::dynamodb::ops {

Output update_contributor_insights(DynamoDbContext& ctx, const aws::RequestContext& request,
                                   const Input& input) {
  const std::string* index_name = input.string_member("IndexName");
  auto target = insights_target(ctx, request, *input.string_member("TableName"), index_name);
  if (!target) return aws::fail(std::move(target.error()));
  const int64_t now = request.now_ms;
  if (index_name) {
    const SecondaryIndex* index = target->table->find_index(*index_name);
    if (index && std::string_view(index->status_name(now)) == "CREATING") {
      return aws::fail(validation(
          "Table or Index is not in a valid state to update Key Access Insights: IndexStatus "
          "must be ACTIVE to enable ContributorInsights."));
    }
  }
  const bool enable = *input.string_member("ContributorInsightsAction") == "ENABLE";
  const std::string* mode = input.string_member("ContributorInsightsMode");
  const std::string wanted_mode = mode ? *mode : std::string(kAccessedAndThrottledKeys);
  ContributorInsights result;
  auto updated =
      ctx.tables.update(target->table->key, now, [&](Table& table) -> aws::AwsResult<Ok> {
        ContributorInsights* entry = nullptr;
        for (auto& e : table.contributor_insights) {
          if (e.index_name == target->index_name) entry = &e;
        }
        if (!entry) {
          ContributorInsights fresh;
          fresh.index_name = target->index_name;
          table.contributor_insights.push_back(std::move(fresh));
          entry = &table.contributor_insights.back();
        }
        const bool no_op = enable ? entry->enabled && entry->mode == wanted_mode : !entry->enabled;
        if (!no_op) {
          if (enable) {
            if (!entry->enabled) entry->rules_created_ms = now;
            entry->mode = wanted_mode;
          }
          entry->enabled = enable;
          entry->last_update_ms = now;
          entry->settles_at_ms = now + ctx.options.contributor_insights_ms;
        }
        result = *entry;
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return insights_summary(**updated, result, now);
}

}  // namespace trib::dynamodb::ops
