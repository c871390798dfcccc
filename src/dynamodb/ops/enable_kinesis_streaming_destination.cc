// EnableKinesisStreamingDestination: starts writing the table's item changes to a Kinesis
// stream (docs/kinesis-destination.md). Answers ENABLING and echoes the configuration (an empty
// object when none was sent) [V, recorded 2025-07-23]; the destination is ACTIVE after
// --kinesis-destination-ms (the one clock). Refused with AWS's text while the table has a
// destination (to any stream) in ENABLING, ACTIVE, UPDATING or DISABLING [V, recorded
// 2026-10-09]: any number of DISABLED and ENABLE_FAILED ones may exist beside one live one.
// The stream is checked when the call is made, but as AWS does it the call never fails for it:
// a missing, CREATING or DELETING stream, one of another region or account, or an ARN that is
// no stream answers ENABLING too and ends ENABLE_FAILED with AWS's DestinationStatusDescription
// [V, recorded 2026-10-09] (AWS decides during ENABLING; a stream that becomes ACTIVE meanwhile
// fails here too, as a CREATING one did on AWS).
#include <optional>
#include <string>

#include "dynamodb/destination/kinesis_sink.h"
#include "dynamodb/destination/requests.h"
#include "dynamodb/operations.h"

namespace trib::dynamodb::ops {

namespace {
bool settled_off(std::string_view status) {
  return status == "DISABLED" || status == "ENABLE_FAILED";
}
}  // namespace

Output enable_kinesis_streaming_destination(DynamoDbContext& ctx,
                                            const aws::RequestContext& request,
                                            const Input& input) {
  const std::string& stream_arn = *input.string_member("StreamArn");
  const aws::Value* configuration = input.find("EnableKinesisStreamingConfiguration");
  const std::string* precision =
      configuration ? configuration->string_member("ApproximateCreationDateTimePrecision")
                    : nullptr;
  const int64_t now = request.now_ms;
  auto updated = destination::change_destinations(
      ctx, request, input, [&](Table& table) -> aws::AwsResult<Ok> {
        KinesisDestination* existing = destination::find_destination(table, stream_arn);
        if (existing && !settled_off(existing->status_at(now))) {
          return aws::fail(destination::texts::cannot_enable());
        }
        for (const KinesisDestination& other : table.kinesis_destinations) {
          if (&other != existing && !settled_off(other.status_at(now))) {
            return aws::fail(destination::texts::cannot_enable());
          }
        }
        const std::optional<std::string> failure = destination::texts::enable_failed(
            ctx.kinesis ? ctx.kinesis->check_stream(stream_arn, table.key.account, table.key.region)
                        : destination::KinesisSink::StreamCheck::kNotUsable);
        if (!existing) {
          table.kinesis_destinations.push_back(KinesisDestination{});
          existing = &table.kinesis_destinations.back();
          existing->stream_arn = stream_arn;
        }
        destination::start_transition(ctx, now, *existing, "ENABLING",
                                      failure ? "ENABLE_FAILED" : "ACTIVE");
        existing->description = failure;  // shown once settled
        if (precision) {
          existing->precision = *precision;
        } else {
          existing->precision.reset();
        }
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return destination::destination_output(**updated, stream_arn, "ENABLING",
                                         "EnableKinesisStreamingConfiguration", configuration);
}

}  // namespace trib::dynamodb::ops
