#include "kinesis/consumers/subscriptions.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "aws/eventstream.h"
#include "kinesis/consumers/errors.h"
#include "kinesis/errors.h"
#include "kinesis/records.h"
#include "streams/sequence_number.h"

namespace trib::kinesis {

namespace {

constexpr int kDeliveryThreads = 2;
// One event carries at most this much (a single larger record still goes alone).
constexpr size_t kMaxEventRecords = 10'000;
constexpr size_t kMaxEventBytes = 1024 * 1024;
// Reading pauses while the transport still holds this much for a slow client: a subscriber
// that does not read holds at most this plus one event (issue 15: 1,000 subscribers that never
// read keep the server's memory bounded). A reader that keeps up empties the queue between
// two events, so it is never paused.
constexpr size_t kMaxBufferedBytes = 128 * 1024;
// A paused subscription is looked at again after kBackOff, then less and less often (up to
// kLongestBackOff) while its client still does not read.
constexpr auto kBackOff = std::chrono::milliseconds(20);
constexpr auto kLongestBackOff = std::chrono::milliseconds(640);
// A wake-up that finds nothing new (a reshard closing the shard wakes subscribers before the
// stream that says so is published) is followed by a few short re-checks.
constexpr auto kRecheck = std::chrono::milliseconds(25);
constexpr int kRechecks = 8;
constexpr auto kLongestSleep = std::chrono::milliseconds(250);
constexpr auto kIdleSleep = std::chrono::seconds(60);
constexpr std::string_view kCborContentType = "application/x-amz-cbor-1.1";
constexpr std::string_view kJsonContentType = "application/x-amz-json-1.1";

aws::AwsError internal_failure_event() {
  // The event stream's own exception member (SubscribeToShardEventStream) for our failures.
  return aws::AwsError::client("InternalFailureException", "An internal error occurred.");
}

}  // namespace

struct SubscriptionHub::Subscription {
  // Identity, fixed at subscription time.
  SlotKey slot;
  StreamKey stream;
  uint64_t stream_id = 0;
  ConsumerRegistry::ConsumerPtr consumer;  // as it was when subscribing (names, ARN)
  uint32_t shard_index = 0;
  std::string shard_id;
  const aws::Codec* codec = nullptr;
  std::string content_type;  // of the documents inside events
  int64_t started_ms = 0;
  int64_t ends_at_ms = 0;
  // Pushed so far (read by open_subscriptions).
  std::atomic<uint64_t> records_pushed{0};
  std::atomic<uint64_t> bytes_pushed{0};

  // Scheduling, guarded by the hub's mutex_.
  bool started = false;  // start() ran: the initial response is out
  bool ended = false;
  bool scheduled = false;  // in ready_
  bool running = false;    // a delivery thread is pumping it
  bool rerun = false;      // woken while running: pump again afterwards
  int64_t last_event_ms = 0;
  std::optional<std::chrono::steady_clock::time_point> retry_at;  // back-off, re-check
  std::optional<uint64_t> wait_id;                                // notify_on_append
  bool woken = false;  // by notify_on_append since the last delivery

  // Delivery state: only the delivery thread running the subscription touches it.
  uint64_t position = 0;  // next record-log position to deliver
  std::optional<std::string> last_sequence_number;
  uint64_t last_delivered_position = 0;
  bool first_event_sent = false;
  int rechecks_left = 0;
  std::chrono::milliseconds paused_back_off{0};  // 0: not paused

  // The transport. Writes are serialized, and refused once the body is closed.
  std::mutex io_mutex;
  std::shared_ptr<aws::BodyWriter> writer;
  bool closed = false;

  streams::ShardRef shard_ref() const { return {stream_id, shard_index}; }

  bool write(std::string bytes) {
    std::lock_guard io(io_mutex);
    if (closed || !writer) return false;
    return writer->write(std::move(bytes));
  }
};

class SubscriptionHub::Body final : public aws::StreamingBody {
 public:
  Body(SubscriptionHub& hub, std::shared_ptr<Subscription> subscription)
      : hub_(hub), subscription_(std::move(subscription)) {}
  void start(std::shared_ptr<aws::BodyWriter> writer) override {
    hub_.start(subscription_, std::move(writer));
  }
  void cancel() override { hub_.cancel(subscription_); }

 private:
  SubscriptionHub& hub_;
  std::shared_ptr<Subscription> subscription_;
};

SubscriptionHub::SubscriptionHub(StreamCatalog& catalog, ConsumerRegistry& consumers,
                                 streams::RecordLog& records)
    : catalog_(catalog),
      consumers_(consumers),
      records_(records),
      json_codec_(aws::make_json_codec(std::string(kJsonContentType))),
      cbor_codec_(aws::make_cbor_codec()) {
  for (int i = 0; i < kDeliveryThreads; ++i) threads_.emplace_back([this] { run_delivery(); });
}

SubscriptionHub::~SubscriptionHub() { stop(); }

int64_t SubscriptionHub::now_ms() const {
  const Clock* clock = clock_.load();
  return clock ? clock->now_ms() : fallback_clock_.now_ms();
}

size_t SubscriptionHub::open_count() const {
  std::lock_guard lock(mutex_);
  return open_.size();
}

std::vector<SubscriptionHub::OpenSubscription> SubscriptionHub::open_subscriptions(
    uint64_t stream_id) const {
  std::vector<OpenSubscription> found;
  {
    std::lock_guard lock(mutex_);
    for (const auto& sub : open_) {
      if (sub->stream_id != stream_id || sub->ended) continue;
      found.push_back(OpenSubscription{sub->consumer->name, sub->consumer->arn(), sub->shard_id,
                                       sub->started_ms,
                                       sub->records_pushed.load(std::memory_order_relaxed),
                                       sub->bytes_pushed.load(std::memory_order_relaxed)});
    }
  }
  std::sort(found.begin(), found.end(), [](const OpenSubscription& a, const OpenSubscription& b) {
    return std::tie(a.consumer_name, a.shard_id, a.started_ms) <
           std::tie(b.consumer_name, b.shard_id, b.started_ms);
  });
  return found;
}

aws::AwsResult<std::shared_ptr<aws::StreamingBody>> SubscriptionHub::subscribe(
    const aws::RequestContext& request, Target target) {
  if (request.clock) clock_.store(request.clock);
  const int64_t now = request.now_ms;
  const Stream& stream = *target.stream;
  const Consumer& consumer = *target.consumer;
  auto sub = std::make_shared<Subscription>();
  sub->slot = SlotKey{stream.id, consumer.name, consumer.created_ms, target.shard_index};
  sub->stream = stream.key;
  sub->stream_id = stream.id;
  sub->consumer = target.consumer;
  sub->shard_index = target.shard_index;
  sub->shard_id = shard_id_for(target.shard_index);
  const bool cbor = target.content_type == kCborContentType;
  sub->codec = cbor ? cbor_codec_.get() : json_codec_.get();
  sub->content_type = cbor ? kCborContentType : kJsonContentType;
  sub->started_ms = now;
  sub->ends_at_ms = now + kSubscriptionLifetimeMs;
  sub->last_event_ms = now;
  sub->position = target.position;

  std::shared_ptr<Subscription> previous;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return aws::fail(aws::errors::internal_failure());
    // Forget takeover windows that have closed.
    for (auto it = slots_.begin(); it != slots_.end();) {
      const bool window_over = now - it->second.started_ms >= kSubscriptionTakeoverMs;
      it = window_over && it->second.current.expired() ? slots_.erase(it) : std::next(it);
    }
    Slot& slot = slots_[sub->slot];
    if (slot.started_ms != 0 && now - slot.started_ms < kSubscriptionTakeoverMs) {
      return aws::fail(consumer_errors::subscription_exists(consumer, sub->shard_id));
    }
    previous = slot.current.lock();
    slot.current = sub;
    slot.started_ms = now;
  }
  if (previous) {
    const aws::AwsError taken_over =
        consumer_errors::subscription_taken_over(consumer, sub->shard_id);
    end(previous, &taken_over);
  }
  return std::shared_ptr<aws::StreamingBody>(std::make_shared<Body>(*this, sub));
}

void SubscriptionHub::start(const std::shared_ptr<Subscription>& sub,
                            std::shared_ptr<aws::BodyWriter> writer) {
  {
    std::lock_guard io(sub->io_mutex);
    sub->writer = std::move(writer);
    if (sub->closed) {
      // Taken over (or the server stopped) before the transport started the body.
      sub->writer->finish();
      return;
    }
    sub->writer->write(aws::eventstream::encode_event("initial-response", sub->content_type,
                                                      sub->codec->encode(aws::Value::map())));
  }
  std::lock_guard lock(mutex_);
  if (sub->ended) return;
  sub->started = true;
  open_.insert(sub);
  schedule_locked(sub);  // the first event goes out right away
}

void SubscriptionHub::cancel(const std::shared_ptr<Subscription>& sub) {
  std::optional<uint64_t> wait;
  {
    std::lock_guard lock(mutex_);
    sub->ended = true;
    open_.erase(sub);
    wait.swap(sub->wait_id);
  }
  if (wait) records_.cancel_wait(sub->shard_ref(), *wait);
  std::lock_guard io(sub->io_mutex);
  sub->closed = true;
}

void SubscriptionHub::end(const std::shared_ptr<Subscription>& sub, const aws::AwsError* error) {
  std::optional<uint64_t> wait;
  {
    std::lock_guard lock(mutex_);
    if (sub->ended) return;
    sub->ended = true;
    open_.erase(sub);
    wait.swap(sub->wait_id);
  }
  if (wait) records_.cancel_wait(sub->shard_ref(), *wait);
  std::lock_guard io(sub->io_mutex);
  if (sub->closed) return;
  sub->closed = true;
  if (!sub->writer) return;  // start() finishes the body
  if (error) {
    aws::Value payload = aws::Value::map();
    payload.set("message", error->message);
    sub->writer->write(aws::eventstream::encode_exception(error->type, sub->content_type,
                                                          sub->codec->encode(payload)));
  }
  sub->writer->finish();
}

void SubscriptionHub::on_append(const std::weak_ptr<Subscription>& weak) {
  // Runs on the appending thread: only queue the work.
  auto sub = weak.lock();
  if (!sub) return;
  std::lock_guard lock(mutex_);
  sub->woken = true;
  schedule_locked(sub);
}

void SubscriptionHub::schedule_locked(const std::shared_ptr<Subscription>& sub) {
  if (sub->ended || stopping_) return;
  if (sub->running) {
    sub->rerun = true;
    return;
  }
  if (sub->scheduled) return;
  sub->scheduled = true;
  ready_.push_back(sub);
  wake_.notify_one();
}

void SubscriptionHub::recheck_stream(uint64_t stream_id) {
  std::lock_guard lock(mutex_);
  for (const auto& sub : open_) {
    if (sub->stream_id == stream_id) schedule_locked(sub);
  }
}

std::chrono::milliseconds SubscriptionHub::check_timers_locked() {
  if (open_.empty()) return std::chrono::duration_cast<std::chrono::milliseconds>(kIdleSleep);
  const int64_t now = now_ms();
  const auto steady_now = std::chrono::steady_clock::now();
  auto sleep = kLongestSleep;
  for (const auto& sub : open_) {
    if (sub->scheduled || sub->running || !sub->started) continue;
    if (sub->retry_at) {
      if (steady_now >= *sub->retry_at) {
        schedule_locked(sub);
      } else {
        sleep = std::min(sleep, std::chrono::duration_cast<std::chrono::milliseconds>(
                                    *sub->retry_at - steady_now) +
                                    std::chrono::milliseconds(1));
      }
      continue;
    }
    const int64_t due = std::min(sub->last_event_ms + kSubscriptionKeepaliveMs, sub->ends_at_ms);
    if (now >= due) {
      schedule_locked(sub);
    } else {
      sleep = std::min(sleep, std::chrono::milliseconds(due - now));
    }
  }
  return sleep;
}

void SubscriptionHub::run_delivery() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (!ready_.empty()) {
      auto sub = std::move(ready_.front());
      ready_.pop_front();
      sub->scheduled = false;
      if (sub->ended) continue;
      sub->running = true;
      sub->retry_at.reset();
      lock.unlock();
      bool again = false;
      try {
        again = pump(sub);
      } catch (const std::exception& e) {
        spdlog::error("SubscribeToShard delivery to {} failed: {}", sub->consumer->arn(), e.what());
        const aws::AwsError failure = internal_failure_event();
        end(sub, &failure);
      }
      lock.lock();
      sub->running = false;
      const bool rerun = again || sub->rerun;
      sub->rerun = false;
      if (rerun) schedule_locked(sub);
      continue;
    }
    const auto sleep = check_timers_locked();
    if (!ready_.empty()) continue;
    wake_.wait_for(lock, sleep);
  }
}

bool SubscriptionHub::pump(const std::shared_ptr<Subscription>& sub) {
  const int64_t now = now_ms();
  if (now >= sub->ends_at_ms) {
    end(sub, nullptr);  // the 5-minute lifetime is over: a clean end
    return false;
  }
  auto stream = catalog_.find(sub->stream, now);
  if (!stream || stream->id != sub->stream_id || !stream->accepts_records(now)) {
    const aws::AwsError gone = errors::stream_not_found(sub->stream.name, sub->stream.account);
    end(sub, &gone);
    return false;
  }
  auto consumer = consumers_.find(sub->stream_id, sub->consumer->name, now);
  if (!consumer || consumer->created_ms != sub->consumer->created_ms ||
      consumer->status(now) != ConsumerStatus::kActive) {
    const aws::AwsError gone = consumer_errors::not_found_by_arn(sub->consumer->arn());
    end(sub, &gone);
    return false;
  }
  const Shard* shard = stream->find_shard(sub->shard_index);
  if (!shard) {
    const aws::AwsError gone =
        errors::shard_not_found(sub->shard_id, sub->stream.name, sub->stream.account);
    end(sub, &gone);
    return false;
  }
  {
    std::lock_guard io(sub->io_mutex);
    if (sub->writer && sub->writer->buffered_bytes() > kMaxBufferedBytes) {
      sub->paused_back_off = std::min<std::chrono::milliseconds>(
          kLongestBackOff, sub->paused_back_off.count() == 0 ? kBackOff : sub->paused_back_off * 2);
      std::lock_guard lock(mutex_);
      sub->retry_at = std::chrono::steady_clock::now() + sub->paused_back_off;
      return false;
    }
  }
  sub->paused_back_off = std::chrono::milliseconds(0);

  const streams::ShardRef ref = sub->shard_ref();
  streams::ReadResult read;
  auto status = records_.read(ref, sub->position, stream->retention_cutoff_ms(now),
                              kMaxEventRecords, kMaxEventBytes, &read);
  if (!status.is_ok()) {
    spdlog::error("SubscribeToShard read of {} failed: {}", sub->shard_id, status.message);
    const aws::AwsError failure = internal_failure_event();
    end(sub, &failure);
    return false;
  }
  records_.note_read_age(ref, streams::iterator_age_ms(read, now));
  const bool has_records = !read.records.empty();
  bool woken = false;
  {
    std::lock_guard lock(mutex_);
    woken = sub->woken;
    sub->woken = false;
  }
  if (has_records) {
    sub->rechecks_left = 0;
  } else if (woken) {
    sub->rechecks_left = kRechecks;
  }
  // A closed shard whose last record is out: the final event names its children.
  const bool shard_end = read.reached_end && shard->closed_ms.has_value();
  int64_t last_event_ms = 0;
  {
    std::lock_guard lock(mutex_);
    last_event_ms = sub->last_event_ms;
  }
  const bool keepalive_due =
      !sub->first_event_sent || now - last_event_ms >= kSubscriptionKeepaliveMs;
  int64_t behind = 0;
  if (!read.reached_end && has_records) {
    behind = std::max<int64_t>(0, read.latest_arrival_ms - read.records.back().arrival_ms);
  }
  if (has_records) {
    const auto& last = read.records.back();
    sub->last_sequence_number =
        streams::record_sequence_number(stream->id, *shard, last.position, last.arrival_ms);
    sub->last_delivered_position = last.position;
  }
  sub->position = read.next_position;

  if (has_records || shard_end || keepalive_due) {
    aws::Value event = aws::Value::map();
    aws::Value records = aws::Value::list();
    records.as_list().reserve(read.records.size());
    uint64_t data_bytes = 0;
    for (auto& record : read.records) {
      data_bytes += record.data.size();
      records.push(record_value(*stream, *shard, std::move(record)));
    }
    event.set("Records", std::move(records));
    if (!shard_end) {
      const bool resume_after_last =
          sub->last_sequence_number && sub->last_delivered_position + 1 == sub->position;
      event.set("ContinuationSequenceNumber",
                resume_after_last
                    ? *sub->last_sequence_number
                    : streams::continuation_sequence_number(stream->id, *shard, sub->position));
    }
    event.set("MillisBehindLatest", behind);
    if (shard_end) event.set("ChildShards", child_shards_value(*stream, *shard));
    if (!sub->write(aws::eventstream::encode_event("SubscribeToShardEvent", sub->content_type,
                                                   sub->codec->encode(event)))) {
      // The transport refused the bytes (closed, or the client stopped reading): end the
      // subscription here rather than retrying it on every keep-alive tick.
      end(sub, nullptr);
      return false;
    }
    sub->first_event_sent = true;
    sub->records_pushed.fetch_add(read.records.size(), std::memory_order_relaxed);
    sub->bytes_pushed.fetch_add(data_bytes, std::memory_order_relaxed);
    std::lock_guard lock(mutex_);
    sub->last_event_ms = now;
  }
  if (shard_end) {
    end(sub, nullptr);
    return false;
  }
  if (!read.reached_end) return true;

  // Caught up: be woken by the next append (one-shot; renewed after every catch-up).
  std::optional<uint64_t> previous_wait;
  {
    std::lock_guard lock(mutex_);
    previous_wait.swap(sub->wait_id);
  }
  if (previous_wait) records_.cancel_wait(ref, *previous_wait);
  const uint64_t wait_id = records_.notify_on_append(
      ref, [this, weak = std::weak_ptr<Subscription>(sub)] { on_append(weak); });
  bool cancel_now = false;
  {
    std::lock_guard lock(mutex_);
    if (sub->ended) {
      cancel_now = true;
    } else {
      sub->wait_id = wait_id;
    }
  }
  if (cancel_now) {
    records_.cancel_wait(ref, wait_id);
    return false;
  }
  // An append that committed between the read and the registration woke nobody.
  if (records_.next_position(ref) > sub->position) return true;
  if (!has_records && sub->rechecks_left > 0) {
    --sub->rechecks_left;
    std::lock_guard lock(mutex_);
    sub->retry_at = std::chrono::steady_clock::now() + kRecheck;
  }
  return false;
}

void SubscriptionHub::stop() {
  std::vector<std::shared_ptr<Subscription>> open;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    open.assign(open_.begin(), open_.end());
    ready_.clear();
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
  for (const auto& sub : open) end(sub, nullptr);
}

}  // namespace trib::kinesis
