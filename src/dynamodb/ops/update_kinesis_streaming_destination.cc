// UpdateKinesisStreamingDestination: changes the precision of ApproximateCreationDateTime.
// Answers UPDATING and echoes UpdateKinesisStreamingConfiguration [V, recorded]; ACTIVE again
// after --kinesis-destination-ms (presumably, as AWS [U]); records use the new precision from
// the call on. AWS's recorded texts for a missing configuration, a stream that is not a
// destination of the table and an unchanged precision (a destination enabled without one is
// MILLISECOND: facts §15.4); for a destination that exists but is not ACTIVE, AWS's text
// recorded on 2026-10-09 (a third-party catalogue of AWS responses). A destination whose
// Kinesis stream was deleted is still ACTIVE and can be updated, as on AWS.
#include "dynamodb/destination/requests.h"
#include "dynamodb/operations.h"

namespace trib::dynamodb::ops {

Output update_kinesis_streaming_destination(DynamoDbContext& ctx,
                                            const aws::RequestContext& request,
                                            const Input& input) {
  const aws::Value* configuration = input.find("UpdateKinesisStreamingConfiguration");
  const std::string* precision =
      configuration ? configuration->string_member("ApproximateCreationDateTimePrecision")
                    : nullptr;
  if (!precision) return aws::fail(destination::texts::update_without_configuration());
  const std::string& stream_arn = *input.string_member("StreamArn");
  auto updated = destination::change_destinations(
      ctx, request, input, [&](Table& table) -> aws::AwsResult<Ok> {
        KinesisDestination* existing = destination::find_destination(table, stream_arn);
        if (!existing) {
          return aws::fail(destination::texts::no_such_destination(table, stream_arn));
        }
        if (existing->status_at(request.now_ms) != "ACTIVE") {
          return aws::fail(destination::texts::update_not_active(table));
        }
        if (existing->precision.value_or("MILLISECOND") == *precision) {
          return aws::fail(
              destination::texts::precision_already_set(table, stream_arn, *precision));
        }
        existing->precision = *precision;
        destination::start_transition(ctx, request.now_ms, *existing, "UPDATING", "ACTIVE");
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return destination::destination_output(**updated, stream_arn, "UPDATING",
                                         "UpdateKinesisStreamingConfiguration", configuration);
}

}  // namespace trib::dynamodb::ops
