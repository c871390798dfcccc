// What the four KinesisStreamingDestination operations share: finding a table's destination,
// the output they answer with, and AWS's error texts (facts §15.3: [V] recorded from AWS;
// [P] LocalStack's, not seen from AWS; [U] ours).
#pragma once

#include <string>
#include <string_view>

#include "aws/error.h"
#include "aws/value.h"
#include "dynamodb/context.h"
#include "dynamodb/tables/table.h"

namespace trib::dynamodb::destination {

// The table's destination to `stream_arn`, or nullptr.
const KinesisDestination* find_destination(const Table& table, std::string_view stream_arn);
KinesisDestination* find_destination(Table& table, std::string_view stream_arn);

// Finds the table the input's TableName names (ResourceNotFoundException `Requested resource
// not found: Table: <name> not found`, recorded) and changes its destinations with `change`
// under the catalog's lock.
aws::AwsResult<TableCatalog::TablePtr> change_destinations(DynamoDbContext& ctx,
                                                           const aws::RequestContext& request,
                                                           const aws::Value& input,
                                                           const TableCatalog::Mutation& change);

// Starts a transition: `pending` (ENABLING, DISABLING, UPDATING) for --kinesis-destination-ms,
// then `settled` (ACTIVE, DISABLED).
void start_transition(const DynamoDbContext& ctx, int64_t now_ms, KinesisDestination& destination,
                      std::string_view pending, std::string_view settled);

// {TableName, StreamArn, DestinationStatus, <configuration member>}: Enable and Disable echo
// EnableKinesisStreamingConfiguration (an empty object when none was sent: recorded), Update
// UpdateKinesisStreamingConfiguration.
aws::Value destination_output(const Table& table, std::string_view stream_arn,
                              std::string_view status, std::string_view configuration_member,
                              const aws::Value* configuration);

namespace texts {
// [P] LocalStack's text for Enable in a state other than DISABLED or ENABLE_FAILED.
aws::AwsError cannot_enable();
// [P] LocalStack's text for Disable of a destination that is not ACTIVE.
aws::AwsError cannot_disable();
// [P] LocalStack's text for a Kinesis stream that does not exist (AWS cannot tell a missing
// stream from one it may not use).
aws::AwsError stream_not_usable();
// [U] A second destination while one is enabled (AWS: one Kinesis stream per table, 2023
// developer guide; the error AWS gives is not recorded).
aws::AwsError one_destination_per_table(const Table& table);
// [V] Update without a precision.
aws::AwsError update_without_configuration();
// [V] Update of a stream that is not a destination of the table (the text says "enable").
aws::AwsError no_such_destination(const Table& table, std::string_view stream_arn);
// [V] Update to the precision already set.
aws::AwsError precision_already_set(const Table& table, std::string_view stream_arn,
                                    std::string_view precision);
}  // namespace texts

}  // namespace trib::dynamodb::destination
