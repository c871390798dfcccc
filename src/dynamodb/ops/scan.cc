// Scan: every item of a table or index in the order of the 64-bit partition-key hash that leads
// item keys (item_codec.h: not AWS's order, which is undocumented, facts §7); a parallel scan's
// segment i of n is the hash range [i·2^64/n, (i+1)·2^64/n), so segments are disjoint and
// together complete. Read through an iterator (never blocking writers); paging, filters,
// Select and capacity are shared with Query (ops/reads.*).
#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/ops/reads.h"
#include "storage/keys.h"

namespace trib::dynamodb::ops {

Output scan(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  auto read = read_request(ctx, request, input, ReadKind::kScan);
  if (!read) return aws::fail(std::move(read.error()));
  const uint64_t segment = static_cast<uint64_t>(input.int_member("Segment").value_or(0));
  const uint64_t total = static_cast<uint64_t>(input.int_member("TotalSegments").value_or(1));
  auto [lower, upper] = items::segment_range(*read->table, read_index_id(*read), segment, total);
  items::RangeRead range;
  range.lower = std::move(lower);
  range.upper = std::move(upper);
  auto start = start_key(*read);
  if (!start) return aws::fail(std::move(start.error()));
  if (*start) {
    // An ExclusiveStartKey must belong to the segment scanned (facts §7). AWS's text, with the
    // requested Segment [V: real DynamoDB's answer quoted in scylladb/scylladb#9270; dynalite's
    // test/scan.js, run against AWS, expects `TotalSegments: 2 Segment: 0` for a key of
    // segment 1 scanned as segment 0].
    if (total > 1 && (**start < range.lower || **start >= range.upper)) {
      return aws::fail(
          validation("The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
                     "ExclusiveStartKey with correct Segment. TotalSegments: " +
                     std::to_string(total) + " Segment: " + std::to_string(segment)));
    }
    range.exclusive_start = std::move(**start);
  }
  return read_page(ctx, *read, input, std::move(range));
}

}  // namespace trib::dynamodb::ops
