// Output members shared by several operations (besides the stream and shard pieces in
// stream_ref.h).
#pragma once

#include <cstdint>

#include "aws/value.h"
#include "kinesis/stream_catalog.h"

namespace trib::kinesis {

// WarmThroughput {TargetMiBps, CurrentMiBps} (CurrentMiBps is the previous target while UPDATING).
aws::Value warm_throughput(const Stream& stream, int64_t now_ms);
// MinimumThroughputBillingCommitment {Status, StartedAt, EndedAt, EarliestAllowedEndAt}.
aws::Value billing_commitment(const AccountSettings& settings);

}  // namespace trib::kinesis
