// The record the Kinesis streaming destination writes for an item change (issue 13; facts
// §15.5-15.7): compact JSON, members in AWS's order
//   awsRegion, eventID, eventName, userIdentity, recordFormat, tableName, dynamodb, eventSource
// with dynamodb = ApproximateCreationDateTime, Keys, NewImage?, OldImage?, SizeBytes,
// ApproximateCreationDateTimePrecision (MICROSECOND only).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dynamodb/items/change_capture.h"

namespace trib::dynamodb::destination {

// The record JSON of `change` (kind not kNone). `event_id` is a dashed UUID v4;
// `creation_time` is epoch milliseconds, or epoch microseconds when `microseconds`.
std::string destination_record(const items::ItemChange& change, std::string_view event_id,
                               int64_t creation_time, bool microseconds);

// A new eventID: a random (version 4) UUID, lowercase with dashes.
std::string destination_event_id();

// The Kinesis PartitionKey of an item's records: 32 uppercase hex digits, the MD5 of the item's
// primary key (its key components, as stored: equal numbers such as 1000 and 1e3 give one key),
// so one item's changes land in one shard, in order, and a table's spread over all shards.
// AWS's input to its MD5-like key is undocumented (facts §15.7): the form is AWS's, the input ours.
std::string destination_partition_key(const Table& table, const Item& item);

}  // namespace trib::dynamodb::destination
