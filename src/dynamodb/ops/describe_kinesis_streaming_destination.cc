// DescribeKinesisStreamingDestination: the table's destinations, each with StreamArn and
// DestinationStatus, DestinationStatusDescription when there is one, and
// ApproximateCreationDateTimePrecision only when one was set [V, recorded 2025-07-23: a
// destination enabled without a configuration shows neither].
#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/tables/table_ref.h"

namespace trib::dynamodb::ops {

Output describe_kinesis_streaming_destination(DynamoDbContext& ctx,
                                              const aws::RequestContext& request,
                                              const Input& input) {
  auto found = find_table(ctx, request, input, MissingTable::kNamed);
  if (!found) return aws::fail(std::move(found.error()));
  const Table& table = **found;
  aws::Value destinations = aws::Value::list();
  for (const KinesisDestination& d : table.kinesis_destinations) {
    aws::Value v = aws::Value::map();
    v.set("StreamArn", d.stream_arn);
    v.set("DestinationStatus", std::string(d.status_at(request.now_ms)));
    if (auto description = d.description_at(request.now_ms)) {
      v.set("DestinationStatusDescription", std::string(*description));
    }
    if (d.precision) v.set("ApproximateCreationDateTimePrecision", *d.precision);
    destinations.push(std::move(v));
  }
  aws::Value out = aws::Value::map();
  out.set("TableName", table.key.name);
  out.set("KinesisDataStreamDestinations", std::move(destinations));
  return out;
}

}  // namespace trib::dynamodb::ops
