#include "kinesis/stream_settings.h"

#include <algorithm>

#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis {

namespace {

aws::AwsResult<Ok> require_active(const Stream& stream, const StreamKey& key, int64_t now_ms) {
  const StreamStatus status = stream.status(now_ms);
  if (status != StreamStatus::kActive) {
    return aws::fail(errors::stream_not_active(key.name, key.account, status_name(status)));
  }
  return Ok{};
}

}  // namespace

Output change_retention_period(KinesisContext& ctx, const aws::RequestContext& request,
                               const Input& input, RetentionChange change) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const int64_t hours = *input.int_member("RetentionPeriodHours");
  const bool increase = change == RetentionChange::kIncrease;
  auto updated =
      ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        if (auto active = require_active(stream, *key, request.now_ms); !active) return active;
        if (hours < 24) {
          return aws::fail(errors::invalid_argument(
              "Minimum allowed retention period is 24 hours. Requested retention period (" +
              std::to_string(hours) + " hours) is too short."));
        }
        if (hours > 8760) {
          return aws::fail(errors::invalid_argument(
              "Maximum allowed retention period is 8760 hours. Requested retention period (" +
              std::to_string(hours) + " hours) is too long."));
        }
        if (increase ? hours < stream.retention_hours : hours > stream.retention_hours) {
          return aws::fail(errors::invalid_argument(
              "Requested retention period (" + std::to_string(hours) + " hours) for stream " +
              key->name + " can not be " + (increase ? "shorter" : "longer") +
              " than existing retention period (" + std::to_string(stream.retention_hours) +
              " hours). Use " + (increase ? "Decrease" : "Increase") + "RetentionPeriod API."));
        }
        // What has expired under the old period stays expired.
        if (increase) stream.expired_before_ms = stream.retention_cutoff_ms(request.now_ms);
        stream.retention_hours = static_cast<int32_t>(hours);
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

Output set_stream_encryption(KinesisContext& ctx, const aws::RequestContext& request,
                             const Input& input, bool encrypt) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const std::string& encryption_type = *input.string_member("EncryptionType");
  const std::string& key_id = *input.string_member("KeyId");
  auto updated =
      ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        if (encryption_type != "KMS") return aws::fail(errors::encryption_type_not_kms());
        switch (key_id_problem(key_id)) {
          case KeyIdProblem::kMalformedArn:
            return aws::fail(errors::malformed_key_arn());
          case KeyIdProblem::kMalformedId:
            return aws::fail(errors::malformed_key_id());
          case KeyIdProblem::kNone:
            break;
        }
        if (auto active = require_active(stream, *key, request.now_ms); !active) return active;
        stream.encryption_type = encrypt ? "KMS" : "NONE";
        stream.key_id = encrypt ? key_id : std::string();
        stream.start_update(request.now_ms, ctx.options.encryption_ms);
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

Output change_enhanced_monitoring(KinesisContext& ctx, const aws::RequestContext& request,
                                  const Input& input, bool enable) {
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
          if (enable ? current || is_requested(metric) : current && !is_requested(metric)) {
            after.push_back(metric);
          }
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

}  // namespace trib::kinesis
