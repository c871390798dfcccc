// What the contributor insights operations share (Describe, Update, List): the table and index
// a request names, and the description and summary outputs (tables/contributor_insights.h).
#pragma once

#include <string>

#include "dynamodb/context.h"

namespace trib::dynamodb::ops {

// The table (any state but CREATING) and, with an index name, its global secondary index.
// Texts [V, ack-api-quirks DDB-TABLE-097/116/137/161, recorded 2026-10-08]: a missing or
// CREATING table is ResourceNotFoundException "Requested resource not found: Table: <t> not
// found"; an unknown, local or deleted index "Requested resource not found: Index: <i> not
// found for table: <t>".
struct InsightsTarget {
  TableCatalog::TablePtr table;
  std::string index_name;  // empty: the table itself
};
aws::AwsResult<InsightsTarget> insights_target(const DynamoDbContext& ctx,
                                               const aws::RequestContext& request,
                                               const std::string& table_name_or_arn,
                                               const std::string* index_name);

// The stored entry of the table or index (a default, never-configured one when absent).
ContributorInsights insights_entry(const Table& table, const std::string& index_name);

// DescribeContributorInsights' output for one entry.
aws::Value insights_description(const Table& table, const ContributorInsights& entry,
                                int64_t now_ms);
// A ContributorInsightsSummary (ListContributorInsights) / UpdateContributorInsights' output:
// TableName, IndexName, ContributorInsightsStatus, ContributorInsightsMode.
aws::Value insights_summary(const Table& table, const ContributorInsights& entry, int64_t now_ms);

}  // namespace trib::dynamodb::ops
