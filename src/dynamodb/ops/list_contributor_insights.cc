// ListContributorInsights: the contributor insights entries that are not DISABLED (ENABLING,
// ENABLED, DISABLING), of one table (TableName: the table first, then its global indexes) or
// of every table of the account and region by table name [V, ack-api-quirks DDB-TABLE-095/343,
// recorded 2026-10-08/09: DISABLED and never-configured entries are not listed; a missing table
// is ResourceNotFoundException]. Pages of MaxResults (default 100: a guess) with a sealed
// NextToken naming the last entry given; the last page has none.
// Differences: AWS's account-wide list with a small MaxResults also returns empty pages that
// carry a NextToken (DDB-TABLE-344); Tributary's pages are never empty but the last.
#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/ops/insights.h"

namespace trib::dynamodb::ops {

namespace {

constexpr std::string_view kTokenKind = "ListContributorInsights";

std::string token_plaintext(const aws::RequestContext& request, const std::string& table,
                            const std::string& index) {
  std::string out(kTokenKind);
  for (const auto* part : {&request.account, &request.region, &table, &index}) {
    out += '\0';
    out += *part;
  }
  return out;
}

}  // namespace

Output list_contributor_insights(DynamoDbContext& ctx, const aws::RequestContext& request,
                                 const Input& input) {
  const int64_t now = request.now_ms;
  std::vector<TableCatalog::TablePtr> tables;
  if (const std::string* name = input.string_member("TableName")) {
    auto target = insights_target(ctx, request, *name, nullptr);
    if (!target) return aws::fail(std::move(target.error()));
    tables.push_back(target->table);
  } else {
    for (auto& table : ctx.tables.list(request.account, request.region, now)) {
      if (table->status(now) != TableStatus::kCreating) tables.push_back(std::move(table));
    }
  }
  // Resume after the entry a NextToken names (table name, index name; "" for the table).
  std::optional<std::pair<std::string, std::string>> after;
  if (const std::string* token = input.string_member("NextToken")) {
    auto plain = ctx.sealer.open(*token);
    const std::string prefix = token_plaintext(request, "", "");
    const std::string expected_head = prefix.substr(0, prefix.size() - 1);
    if (!plain || plain->rfind(expected_head, 0) != 0) {
      return aws::fail(validation("Invalid NextToken"));  // guess: AWS's text not recorded
    }
    const std::string rest = plain->substr(expected_head.size());
    const auto separator = rest.find('\0');
    if (separator == std::string::npos) return aws::fail(validation("Invalid NextToken"));
    after.emplace(rest.substr(0, separator), rest.substr(separator + 1));
  }
  const int64_t max_results = input.int_member("MaxResults").value_or(0);
  const size_t limit = max_results > 0 ? static_cast<size_t>(max_results) : 100;

  aws::Value summaries = aws::Value::list();
  size_t count = 0;
  std::optional<std::pair<std::string, std::string>> last;
  bool more = false;
  for (const auto& table : tables) {
    std::vector<std::string> names = {""};
    for (const auto& index : table->indexes) {
      if (index.global && !index.is_gone(now)) names.push_back(index.name);
    }
    if (after && table->key.name < after->first) continue;
    size_t start = 0;
    if (after && table->key.name == after->first) {
      start = 1;  // the table's own entry comes first; an index deleted since: go on after it
      for (size_t i = 0; i < names.size(); ++i) {
        if (names[i] == after->second) start = i + 1;
      }
    }
    for (size_t position = start; position < names.size(); ++position) {
      ContributorInsights entry = insights_entry(*table, names[position]);
      if (entry.status_name(now) == "DISABLED") continue;
      if (count == limit) {
        more = true;
        break;
      }
      summaries.push(insights_summary(*table, entry, now));
      last.emplace(table->key.name, names[position]);
      ++count;
    }
    if (more) break;
  }
  aws::Value out = aws::Value::map();
  out.set("ContributorInsightsSummaries", std::move(summaries));
  if (more && last) {
    out.set("NextToken", ctx.sealer.seal(token_plaintext(request, last->first, last->second)));
  }
  return out;
}

}  // namespace trib::dynamodb::ops
