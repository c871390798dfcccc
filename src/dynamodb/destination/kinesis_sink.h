// What the Kinesis streaming destination needs of Kinesis, as an interface: dynamodb/ does not
// include kinesis/; the server wires an implementation over the Kinesis service
// (server/kinesis_destination_sink.*).
#pragma once

#include <cstdint>
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
};

}  // namespace trib::dynamodb::destination
