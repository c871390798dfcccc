// The Kinesis side of DynamoDB's Kinesis streaming destination: dynamodb::destination::
// KinesisSink over the Kinesis service's stream catalog and record log, through the seam
// kinesis::route_and_append(..., with) (records routed as PutRecords routes them, following
// reshards; the outbox removal committed in the same batch; push subscribers woken).
#pragma once

#include "dynamodb/destination/kinesis_sink.h"
#include "kinesis/service.h"
#include "util/clock.h"

namespace trib::server {

class KinesisDestinationSink final : public dynamodb::destination::KinesisSink {
 public:
  KinesisDestinationSink(kinesis::KinesisService& kinesis, const Clock& clock, bool sync_writes)
      : kinesis_(kinesis), clock_(clock), sync_writes_(sync_writes) {}
  int64_t now_ms() const override { return clock_.now_ms(); }
  StreamCheck check_stream(std::string_view stream_arn, std::string_view account,
                           std::string_view region) const override;
  Delivery deliver(std::string_view stream_arn,
                   std::span<const dynamodb::destination::SinkRecord> records,
                   const storage::WriteBatch& with) override;
  Finish stage(std::string_view stream_arn, const dynamodb::destination::SinkRecord& record,
               storage::WriteBatch& batch) override;

 private:
  // The stream `stream_arn` names, when it exists and takes records now; nullptr otherwise.
  kinesis::StreamCatalog::StreamPtr usable_stream(std::string_view stream_arn,
                                                  int64_t now_ms) const;

  kinesis::KinesisService& kinesis_;
  const Clock& clock_;
  bool sync_writes_;
};

}  // namespace trib::server
