// UpdateTimeToLive: enables or disables Time to Live on a table, stored in its catalog document
// (tables/time_to_live.h); the TTL job (ttl/sweeper.h) deletes expired items while ENABLED.
// Answers the request's TimeToLiveSpecification, as AWS (ack-api-quirks DDB-TABLE-145).
//
// Rules and texts, all ValidationException [V, facts/dynamodb.md §17; ack-api-quirks
// DDB-TABLE-143/146/147, recorded 2026-10-09]: enabling when enabled "TimeToLive is already
// enabled"; disabling when disabled "TimeToLive is already disabled"; naming another attribute
// while enabled "TimeToLive is active on a different AttributeName: current AttributeName is
// <name>"; these content checks come before the one-change window: a change within
// --ttl-change-window-ms (default one hour, as AWS documents; AWS was observed to lift it after
// ~31 min) of the previous one is "Time to live has been modified multiple times within a fixed
// interval". TTL on a key attribute is accepted (DDB-TABLE-146).
// Differences: on a CREATING table AWS answers ResourceNotFoundException for the first seconds
// and then ResourceInUseException (text not recorded); Tributary answers the latter with a text
// of its own.
#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/tables/table_ref.h"

namespace trib::dynamodb::ops {

Output update_time_to_live(DynamoDbContext& ctx, const aws::RequestContext& request,
                           const Input& input) {
  auto key = resolve_table_key(ctx, request, *input.string_member("TableName"));
  if (!key) return aws::fail(std::move(key.error()));
  const aws::Value& spec = *input.find("TimeToLiveSpecification");
  const bool enable = spec.bool_member("Enabled").value_or(false);
  const std::string attribute = *spec.string_member("AttributeName");
  const int64_t now = request.now_ms;
  auto table = ctx.tables.find(*key, now);
  if (!table) return aws::fail(table_not_found(key->name));
  if (table->status(now) == TableStatus::kCreating) {
    return aws::fail(error(Error::kResourceInUse,
                           "Attempt to change a resource which is still in use: Table is being "
                           "created: " +
                               key->name));  // guess
  }
  auto updated = ctx.tables.update(*key, now, [&](Table& t) -> aws::AwsResult<Ok> {
    TimeToLive& ttl = t.time_to_live;
    if (enable && ttl.enabled && ttl.attribute_name == attribute) {
      return aws::fail(validation("TimeToLive is already enabled"));
    }
    if (!enable && !ttl.enabled) return aws::fail(validation("TimeToLive is already disabled"));
    if (ttl.enabled && ttl.attribute_name != attribute) {
      return aws::fail(validation(
          "TimeToLive is active on a different AttributeName: current AttributeName is " +
          ttl.attribute_name));
    }
    const int64_t window = ctx.options.ttl_change_window_ms;
    if (ttl.changed_ms && window > 0 && now < *ttl.changed_ms + window) {
      return aws::fail(
          validation("Time to live has been modified multiple times within a fixed interval"));
    }
    ttl.enabled = enable;
    ttl.attribute_name = attribute;
    ttl.settles_at_ms = now + ctx.options.update_ttl_ms;
    ttl.changed_ms = now;
    return Ok{};
  });
  if (!updated) return aws::fail(std::move(updated.error()));
  aws::Value echoed = aws::Value::map();
  echoed.set("Enabled", enable);
  echoed.set("AttributeName", attribute);
  aws::Value out = aws::Value::map();
  out.set("TimeToLiveSpecification", std::move(echoed));
  return out;
}

}  // namespace trib::dynamodb::ops
