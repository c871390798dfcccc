// What the Kinesis streaming destination needs of Kinesis, as an interface: dynamodb/ does not
// include kinesis/; the server wires an implementation over the Kinesis service
// (server/kinesis_destination_sink.*).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "storage/engine.h"

namespace trib::dynamodb::destination {

// One record for the Kinesis stream: the partition key and the record's JSON.
struct SinkRecord {
  std::string_view partition_key;
  std::string_view data;
};

class KinesisSink {
 public:
  virtual ~KinesisSink() = default;
  // The one clock.
  virtual int64_t now_ms() const = 0;
  // Whether `stream_arn` names a Kinesis stream of this account and region that takes records
  // now (ACTIVE or UPDATING), and if not, which of AWS's ENABLE_FAILED descriptions applies
  // (requests.h, texts::enable_failed).
  enum class StreamCheck : uint8_t {
    kUsable,
    kNotUsable,  // missing, CREATING, DELETING, not a stream ARN: "User does not have a permission"
    kOtherRegion,  // a stream ARN of another region of this account
    kNotActive,    // a stream ARN of another account, or a Firehose ARN
  };
  virtual StreamCheck check_stream(std::string_view stream_arn, std::string_view account,
                                   std::string_view region) const = 0;

  struct Delivery {
    enum class Result : uint8_t {
      kDelivered,   // appended (but the oversized), with `with`, in one atomic batch
      kStreamGone,  // no such stream any more: nothing written
      kFailed,      // storage failure: nothing written; try again later
    };
    Result result = Result::kFailed;
    size_t oversized = 0;  // records over the stream's maximum record size, not appended
  };
  // Appends `records` to the stream as PutRecords would route them, in order, with `with`
  // committed in the same atomic batch (kinesis::route_and_append). Records larger than the
  // stream's maximum record size are left out and counted.
  virtual Delivery deliver(std::string_view stream_arn, std::span<const SinkRecord> records,
                           const storage::WriteBatch& with) = 0;

  // The direct path (docs/kinesis-destination.md, "Appending in the item's batch"): adds
  // `record`, routed as deliver() routes it, to `batch` (the item's own batch) and returns what
  // to call once that batch committed (true) or did not (false); until then the target shard is
  // held (appends to it wait). An empty function, nothing added, when the record cannot go this
  // way now (no usable stream, over its maximum record size, the shard closed by a reshard, a
  // storage error): the caller writes an outbox entry instead. The default never can.
  using Finish = std::function<void(bool committed)>;
  virtual Finish stage(std::string_view /*stream_arn*/, const SinkRecord& /*record*/,
                       storage::WriteBatch& /*batch*/) {
    return {};
  }
};

}  // namespace trib::dynamodb::destination
