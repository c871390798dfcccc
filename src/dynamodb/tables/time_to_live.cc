#include "dynamodb/tables/time_to_live.h"

namespace trib::dynamodb {

std::string_view TimeToLive::status_name(int64_t now_ms) const {
  const bool settling = now_ms < settles_at_ms;
  if (enabled) return settling ? "ENABLING" : "ENABLED";
  return settling && !attribute_name.empty() ? "DISABLING" : "DISABLED";
}

aws::Value TimeToLive::description(int64_t now_ms) const {
  aws::Value out = aws::Value::map();
  const std::string_view status = status_name(now_ms);
  out.set("TimeToLiveStatus", std::string(status));
  // AttributeName while DISABLING is a guess (AWS never showed DISABLING at 1 s polling).
  if (status != "DISABLED") out.set("AttributeName", attribute_name);
  return out;
}

aws::Value encode_time_to_live(const TimeToLive& ttl) {
  aws::Value out = aws::Value::map();
  out.set("enabled", ttl.enabled);
  if (!ttl.attribute_name.empty()) out.set("attribute", ttl.attribute_name);
  if (ttl.settles_at_ms) out.set("settles_at_ms", ttl.settles_at_ms);
  if (ttl.changed_ms) out.set("changed_ms", *ttl.changed_ms);
  return out;
}

TimeToLive decode_time_to_live(const aws::Value* stored) {
  TimeToLive ttl;
  if (!stored || !stored->is_map()) return ttl;
  ttl.enabled = stored->bool_member("enabled").value_or(false);
  if (const std::string* name = stored->string_member("attribute")) ttl.attribute_name = *name;
  ttl.settles_at_ms = stored->int_member("settles_at_ms").value_or(0);
  ttl.changed_ms = stored->int_member("changed_ms");
  return ttl;
}

}  // namespace trib::dynamodb
