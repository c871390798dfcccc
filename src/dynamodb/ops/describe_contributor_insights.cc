// DescribeContributorInsights: the contributor insights setting of a table or of one of its
// global secondary indexes (ops/insights.h). A never-configured entry is
// {TableName, ContributorInsightsStatus: "DISABLED"} [V, facts/dynamodb.md §18]; the rule list
// is shown while ENABLED (ack-api-quirks DDB-TABLE-112; whether AWS shows it while ENABLING or
// DISABLING is not recorded). Calls on a DELETING table still answer (DDB-TABLE-097).
#include "dynamodb/operations.h"
#include "dynamodb/ops/insights.h"

namespace trib::dynamodb::ops {

Output describe_contributor_insights(DynamoDbContext& ctx, const aws::RequestContext& request,
                                     const Input& input) {
  auto target = insights_target(ctx, request, *input.string_member("TableName"),
                                input.string_member("IndexName"));
  if (!target) return aws::fail(std::move(target.error()));
  const Table& table = *target->table;
  return insights_description(table, insights_entry(table, target->index_name), request.now_ms);
}

}  // namespace trib::dynamodb::ops
