#include "dynamodb/destination/requests.h"

#include "dynamodb/errors.h"
#include "dynamodb/tables/table_ref.h"

namespace trib::dynamodb::destination {

const KinesisDestination* find_destination(const Table& table, std::string_view stream_arn) {
  for (const KinesisDestination& d : table.kinesis_destinations) {
    if (d.stream_arn == stream_arn) return &d;
  }
  return nullptr;
}

KinesisDestination* find_destination(Table& table, std::string_view stream_arn) {
  return const_cast<KinesisDestination*>(
      find_destination(static_cast<const Table&>(table), stream_arn));
}

aws::AwsResult<TableCatalog::TablePtr> change_destinations(DynamoDbContext& ctx,
                                                           const aws::RequestContext& request,
                                                           const aws::Value& input,
                                                           const TableCatalog::Mutation& change) {
  auto found = find_table(ctx, request, input, MissingTable::kNamed);
  if (!found) return found;
  return ctx.tables.update((*found)->key, request.now_ms, change);
}

void start_transition(const DynamoDbContext& ctx, int64_t now_ms, KinesisDestination& destination,
                      std::string_view pending, std::string_view settled) {
  destination.status = std::string(settled);
  destination.pending = std::string(pending);
  destination.until_ms = now_ms + ctx.options.kinesis_destination_ms;
}

aws::Value destination_output(const Table& table, std::string_view stream_arn,
                              std::string_view status, std::string_view configuration_member,
                              const aws::Value* configuration) {
  aws::Value out = aws::Value::map();
  out.set("TableName", table.key.name);
  out.set("StreamArn", std::string(stream_arn));
  out.set("DestinationStatus", std::string(status));
  aws::Value echoed = aws::Value::map();
  if (configuration) {
    if (const std::string* precision =
            configuration->string_member("ApproximateCreationDateTimePrecision")) {
      echoed.set("ApproximateCreationDateTimePrecision", *precision);
    }
  }
  out.set(std::string(configuration_member), std::move(echoed));
  return out;
}

namespace texts {

aws::AwsError cannot_enable() {
  return validation(
      "Table is not in a valid state to enable Kinesis Streaming Destination: "
      "EnableKinesisStreamingDestination must be DISABLED or ENABLE_FAILED to perform ENABLE "
      "operation.");
}

aws::AwsError cannot_disable() {
  return validation(
      "Table is not in a valid state to enable Kinesis Streaming Destination: "
      "KinesisStreamingDestination must be ACTIVE to perform DISABLE operation.");
}

aws::AwsError update_not_active(const Table& table) {
  return validation(
      "Table is not in a valid state to enable Kinesis Streaming Destination: Kinesis streaming "
      "is not in ACTIVE state. Updates are only allowed in ACTIVE state. TableName: " +
      table.key.name);
}

std::optional<std::string> enable_failed(KinesisSink::StreamCheck check) {
  switch (check) {
    case KinesisSink::StreamCheck::kUsable:
      break;
    case KinesisSink::StreamCheck::kNotUsable:
      return "User does not have a permission to use kinesis stream";
    case KinesisSink::StreamCheck::kOtherRegion:
      return "The kinesis Arn used to enable kinesis replication belongs to a stream which is not "
             "in the current region";
    case KinesisSink::StreamCheck::kNotActive:
      return "The kinesis Arn used to enable kinesis replication belongs to a stream which is not "
             "in Active state";
  }
  return std::nullopt;
}

aws::AwsError update_without_configuration() {
  return validation(
      "Streaming destination cannot be updated with given parameters: "
      "UpdateKinesisStreamingConfiguration cannot be null or contain only null values");
}

aws::AwsError no_such_destination(const Table& table, std::string_view stream_arn) {
  return validation(
      "Table is not in a valid state to enable Kinesis Streaming Destination: No streaming "
      "destination with streamArn: " +
      std::string(stream_arn) + " found for table with tableName: " + table.key.name);
}

aws::AwsError precision_already_set(const Table& table, std::string_view stream_arn,
                                    std::string_view precision) {
  return validation("Invalid Request: Precision is already set to the desired value of " +
                    std::string(precision) + " for tableId: " + table.table_id +
                    ", kdsArn: " + std::string(stream_arn));
}

}  // namespace texts

}  // namespace trib::dynamodb::destination
