// EnableKinesisStreamingDestination: starts writing the table's item changes to a Kinesis
// stream (docs/kinesis-destination.md). Answers ENABLING and echoes the configuration (an empty
// object when none was sent) [V, recorded 2025-07-23]; the destination is ACTIVE after
// --kinesis-destination-ms (the one clock). Allowed with no destination to that stream, or
// one that is DISABLED or ENABLE_FAILED [P].
// Differences (guesses, docs/compatibility.md): a Kinesis stream that does not exist (or is not
// ACTIVE or UPDATING, or is of another account or region) is refused at once with LocalStack's
// text instead of going to ENABLE_FAILED; a second stream while one is enabled gets a
// LimitExceededException whose text is ours.
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
            return aws::fail(destination::texts::one_destination_per_table(table));
          }
        }
        if (!ctx.kinesis ||
            !ctx.kinesis->accepts_records(stream_arn, table.key.account, table.key.region)) {
          return aws::fail(destination::texts::stream_not_usable());
        }
        if (!existing) {
          table.kinesis_destinations.push_back(KinesisDestination{});
          existing = &table.kinesis_destinations.back();
          existing->stream_arn = stream_arn;
        }
        destination::start_transition(ctx, now, *existing, "ENABLING", "ACTIVE");
        existing->description.reset();
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
