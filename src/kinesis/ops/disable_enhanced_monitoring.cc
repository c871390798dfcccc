// DisableEnhancedMonitoring: removes shard-level metrics ("ALL" removes every one). Answers the
// metrics before (CurrentShardLevelMetrics) and after (DesiredShardLevelMetrics) the change.
// The change takes effect at once. The stream must be ACTIVE.
#include <algorithm>

#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output disable_enhanced_monitoring(KinesisContext& ctx, const aws::RequestContext& request,
                                   const Input& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const aws::ValueList& requested = input.find("ShardLevelMetrics")->as_list();
  const auto is_requested = [&](const std::string& metric) {
    return std::any_of(requested.begin(), requested.end(), [&](const aws::Value& name) {
      return name.is_string() && (name.as_string() == "ALL" || name.as_string() == metric);
    });
  };
  std::vector<std::string> before;
  auto updated =
      ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        const StreamStatus status = stream.status(request.now_ms);
        if (status != StreamStatus::kActive) {
          return aws::fail(errors::stream_not_active(key->name, key->account, status_name(status)));
        }
        before = stream.shard_level_metrics;
        std::vector<std::string> after;
        for (const auto& metric : all_shard_level_metrics()) {
          const bool current = std::find(before.begin(), before.end(), metric) != before.end();
          if (current && !is_requested(metric)) after.push_back(metric);
        }
        stream.shard_level_metrics = std::move(after);
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  const auto metric_list = [](const std::vector<std::string>& metrics) {
    aws::Value list = aws::Value::list();
    for (const auto& metric : metrics) list.push(metric);
    return list;
  };
  aws::Value out = aws::Value::map();
  out.set("StreamName", key->name);
  out.set("CurrentShardLevelMetrics", metric_list(before));
  out.set("DesiredShardLevelMetrics", metric_list((*updated)->shard_level_metrics));
  out.set("StreamARN", stream_arn(*key));
  return out;
}

}  // namespace trib::kinesis::ops
