// What the four KinesisStreamingDestination operations share: finding a table's destination,
// the output they answer with, and AWS's error and status texts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/error.h"
#include "aws/value.h"
#include "dynamodb/context.h"
#include "dynamodb/destination/kinesis_sink.h"
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
// Texts recorded from AWS on 2026-10-09 by a third-party catalogue of AWS responses ([V, rec]
// below; docs/kinesis-destination.md), or in facts §15.3 ([V]).
// [V, rec] Enable while the table has a destination in ENABLING, ACTIVE, UPDATING or
// DISABLING (to this stream or another: one live destination per table).
aws::AwsError cannot_enable();
// [V, rec] Disable of a destination that is not ACTIVE (the text says "enable").
aws::AwsError cannot_disable();
// [V, rec] Update of a destination that exists but is not ACTIVE.
aws::AwsError update_not_active(const Table& table);
// [V, rec] The DestinationStatusDescription of an ENABLE_FAILED destination (nullopt for a
// usable stream). AWS answers Enable with ENABLING for any well-formed ARN and fails later.
std::optional<std::string> enable_failed(KinesisSink::StreamCheck check);
// [V] Update without a precision.
aws::AwsError update_without_configuration();
// [V] Update of a stream that is not a destination of the table (the text says "enable").
aws::AwsError no_such_destination(const Table& table, std::string_view stream_arn);
// [V] Update to the precision already set.
aws::AwsError precision_already_set(const Table& table, std::string_view stream_arn,
                                    std::string_view precision);
}  // namespace texts

}  // namespace trib::dynamodb::destination
