// DisableKinesisStreamingDestination: stops writing the table's item changes to the stream.
// Answers DISABLING [V, recorded], DISABLED after --kinesis-destination-ms (the one clock).
// Only an ACTIVE destination can be disabled (AWS's text recorded 2026-10-09; a stream that is
// no destination of the table gets it too: a guess). Changes captured before the call are
// still delivered. The optional EnableKinesisStreamingConfiguration is echoed as Enable echoes it
// (an empty object when none was sent): a guess.
#include "dynamodb/destination/requests.h"
#include "dynamodb/operations.h"

namespace trib::dynamodb::ops {

Output disable_kinesis_streaming_destination(DynamoDbContext& ctx,
                                             const aws::RequestContext& request,
                                             const Input& input) {
  const std::string& stream_arn = *input.string_member("StreamArn");
  auto updated = destination::change_destinations(
      ctx, request, input, [&](Table& table) -> aws::AwsResult<Ok> {
        KinesisDestination* existing = destination::find_destination(table, stream_arn);
        if (!existing || existing->status_at(request.now_ms) != "ACTIVE") {
          return aws::fail(destination::texts::cannot_disable());
        }
        destination::start_transition(ctx, request.now_ms, *existing, "DISABLING", "DISABLED");
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return destination::destination_output(**updated, stream_arn, "DISABLING",
                                         "EnableKinesisStreamingConfiguration",
                                         input.find("EnableKinesisStreamingConfiguration"));
}

}  // namespace trib::dynamodb::ops
