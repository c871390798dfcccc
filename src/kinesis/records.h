// Pieces shared by the record operations (PutRecord, PutRecords, GetShardIterator,
// GetRecords): finding a stream that takes records, routing a record to its shard, and the
// record's wire form.
#pragma once

#include "aws/error.h"
#include "aws/service.h"
#include "kinesis/stream_catalog.h"
#include "streams/record_log.h"

namespace trib::kinesis {

// The stream the request names, if it is ACTIVE or UPDATING; otherwise AWS's
// ResourceNotFoundException (a CREATING or DELETING stream takes no records).
aws::AwsResult<StreamCatalog::StreamPtr> find_stream_for_records(const StreamCatalog& catalog,
                                                                 const aws::RequestContext& request,
                                                                 const aws::Value& input);

// The open shard a record goes to: ExplicitHashKey when given (validated against 2^128 - 1),
// else the MD5 of the partition key.
aws::AwsResult<const Shard*> route_record(const Stream& stream, const std::string& partition_key,
                                          const std::string* explicit_hash_key);

// Whether Data of `size` bytes fits the stream's record size limit, and AWS's validation text
// when it does not, at `path` ("data", or "records.3.member.data" in PutRecords).
bool data_fits(const Stream& stream, size_t size);
std::string oversized_data_message(const Stream& stream, const std::string& path, size_t size);

// A stored record as GetRecords returns it.
aws::Value record_value(const Stream& stream, const Shard& shard, streams::StoredRecord&& record);

}  // namespace trib::kinesis
