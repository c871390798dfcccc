// SubscribeToShard's push delivery: every open subscription of an enhanced fan-out consumer to
// a shard, and the threads that feed them.
//
// A subscription's response body is an application/vnd.amazon.eventstream: an
// `initial-response` event, then SubscribeToShardEvent events. Records are pushed as soon as
// they are committed: the subscription registers a one-shot RecordLog::notify_on_append
// callback whenever it has caught up, and that callback (which runs on the appending thread)
// only queues the subscription for a delivery thread of this hub; the delivery thread reads,
// encodes and hands the bytes to the transport (aws::BodyWriter, which never blocks). Nothing
// polls the record log.
//
// Timing follows the server's clock (so --test-clock moves it): an event at least every 5 s
// even when nothing arrives, and a clean end (the transport's end of body) 5 minutes after the
// subscription started. AWS's takeover rule is kept per consumer and shard: a second
// SubscribeToShard within 5 s of the last successful one is refused with
// ResourceInUseException; a later one takes over and the earlier subscription ends with a
// ResourceInUseException event. Errors after the stream started (consumer deregistered,
// stream deleted) are sent as exception events, then the body ends.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "aws/codec.h"
#include "aws/error.h"
#include "aws/http.h"
#include "aws/service.h"
#include "kinesis/consumers/registry.h"
#include "kinesis/stream_catalog.h"
#include "streams/record_log.h"
#include "util/clock.h"

namespace trib::kinesis {

// Tunables, exposed for tests.
inline constexpr int64_t kSubscriptionKeepaliveMs = 5'000;   // at least one event this often
inline constexpr int64_t kSubscriptionLifetimeMs = 300'000;  // then the subscription ends
inline constexpr int64_t kSubscriptionTakeoverMs = 5'000;    // the ResourceInUse window

class SubscriptionHub {
 public:
  SubscriptionHub(StreamCatalog& catalog, ConsumerRegistry& consumers, streams::RecordLog& records);
  ~SubscriptionHub();
  SubscriptionHub(const SubscriptionHub&) = delete;
  SubscriptionHub& operator=(const SubscriptionHub&) = delete;

  // What a SubscribeToShard request resolved to.
  struct Target {
    StreamCatalog::StreamPtr stream;
    ConsumerRegistry::ConsumerPtr consumer;
    uint32_t shard_index = 0;
    uint64_t position = 0;     // the first record-log position to deliver
    std::string content_type;  // the request's codec: events are encoded the same way
  };
  // Applies the takeover rule and returns the response body (it starts delivering when the
  // transport starts it).
  aws::AwsResult<std::shared_ptr<aws::StreamingBody>> subscribe(const aws::RequestContext& request,
                                                                Target target);

  // Looks again at every open subscription of a stream incarnation now (its consumer was
  // deregistered or the stream deleted): those that may no longer run end at once, with their
  // exception event, instead of at their next keep-alive.
  void recheck_stream(uint64_t stream_id);
  // Ends every subscription and stops the delivery threads (idempotent).
  void stop();
  // Subscriptions currently delivering (for tests and metrics).
  size_t open_count() const;
  // What the console shows of one open subscription.
  struct OpenSubscription {
    std::string consumer_name;
    std::string consumer_arn;
    std::string shard_id;
    int64_t started_ms = 0;
    uint64_t records_pushed = 0;  // records in the events written to the transport so far
    uint64_t bytes_pushed = 0;    // their data bytes (as OutgoingBytes counts them)
  };
  // The open subscriptions of a stream incarnation, by consumer name, shard and start. A copy
  // under the hub's lock; delivery only adds two relaxed counter updates per event.
  std::vector<OpenSubscription> open_subscriptions(uint64_t stream_id) const;

  struct Subscription;

 private:
  class Body;
  struct Slot {
    std::weak_ptr<Subscription> current;
    int64_t started_ms = 0;
  };
  using SlotKey = std::tuple<uint64_t, std::string, int64_t, uint32_t>;

  void start(const std::shared_ptr<Subscription>& sub, std::shared_ptr<aws::BodyWriter> writer);
  void cancel(const std::shared_ptr<Subscription>& sub);
  void on_append(const std::weak_ptr<Subscription>& weak);
  void schedule_locked(const std::shared_ptr<Subscription>& sub);
  void run_delivery();
  // Queues subscriptions whose keepalive, end of life or back-off retry is due; returns how
  // long the caller may sleep.
  std::chrono::milliseconds check_timers_locked();
  // Delivers what is available; returns true when more is ready right away.
  bool pump(const std::shared_ptr<Subscription>& sub);
  // Ends a subscription: an exception event first when `error` is set, then the end of body.
  void end(const std::shared_ptr<Subscription>& sub, const aws::AwsError* error);
  int64_t now_ms() const;

  StreamCatalog& catalog_;
  ConsumerRegistry& consumers_;
  streams::RecordLog& records_;
  std::unique_ptr<aws::Codec> json_codec_;
  std::unique_ptr<aws::Codec> cbor_codec_;
  std::atomic<const Clock*> clock_{nullptr};
  Clock fallback_clock_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::deque<std::shared_ptr<Subscription>> ready_;
  std::set<std::shared_ptr<Subscription>> open_;
  std::map<SlotKey, Slot> slots_;
  std::vector<std::thread> threads_;
};

}  // namespace trib::kinesis
