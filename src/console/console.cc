#include "console/console.h"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <thread>

#include "aws/auth.h"
#include "aws/codec.h"
#include "console/kpl.h"
#include "kinesis/records.h"
#include "kinesis/service.h"

namespace trib::console {

extern std::pair<std::string_view, std::string_view> kConsoleFiles[];
extern const size_t kConsoleFilesCount;

namespace {

constexpr auto kKeepalive = std::chrono::seconds(15);
constexpr size_t kReadRecords = 500;
constexpr size_t kReadBytes = 1 << 20;
// api/recent: records returned at most, and records looked at per shard at most.
constexpr int64_t kRecentMaxLimit = 1000;
constexpr size_t kRecentScanRecords = 20000;

aws::HttpResponse json_error(int status, std::string_view message) {
  aws::HttpResponse response;
  response.status = status;
  response.set_header("Content-Type", "application/json");
  aws::Value body = aws::Value::map();
  body.set("message", message);
  response.body = aws::to_json(body);
  return response;
}

std::string_view content_type_of(std::string_view name) {
  const std::pair<std::string_view, std::string_view> types[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"}};
  for (const auto& [suffix, type] : types) {
    if (name.ends_with(suffix)) return type;
  }
  return "application/octet-stream";
}

std::map<std::string, std::string> query_parameters(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    out[aws::url_decode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? std::string() : aws::url_decode(pair.substr(eq + 1));
  }
  return out;
}

// The stream a console request names: `stream`, with `account` and `region` or the defaults.
kinesis::StreamKey stream_key(std::map<std::string, std::string>& parameters,
                              const ConsoleOptions& options) {
  return kinesis::StreamKey{
      parameters.count("account") ? parameters["account"] : options.default_account,
      parameters.count("region") ? parameters["region"] : options.default_region,
      parameters["stream"]};
}

// Whether `data` is a record the Kinesis streaming destination wrote for the table `table` of
// `region` (facts/dynamodb-streams-and-destination §15.5: eventSource, awsRegion, tableName).
bool destination_record_of(simdjson::dom::parser& parser, std::string_view data,
                           std::string_view table, std::string_view region) {
  simdjson::dom::object record;
  if (parser.parse(data.data(), data.size()).get(record)) return false;
  std::string_view source, record_region, record_table;
  return !record["eventSource"].get(source) && source == "aws:dynamodb" &&
         !record["awsRegion"].get(record_region) && record_region == region &&
         !record["tableName"].get(record_table) && record_table == table;
}

// A JSON answer of the console's API.
aws::HttpResponse json_response(const aws::Value& body) {
  aws::HttpResponse response;
  response.set_header("Content-Type", "application/json");
  response.set_header("Cache-Control", "no-cache");
  response.body = aws::to_json(body);
  return response;
}

}  // namespace

// One live tail: a delivery thread that reads what the record log's wake-ups announce and
// writes it as Server-Sent Events.
class LiveTail : public aws::StreamingBody, public std::enable_shared_from_this<LiveTail> {
 public:
  struct Start {
    std::string from = "LATEST";  // TRIM_HORIZON, LATEST, AT_TIMESTAMP
    int64_t timestamp_ms = 0;
    std::optional<uint32_t> shard;  // one shard, or every shard of the stream
  };

  LiveTail(kinesis::KinesisService& kinesis, const Clock& clock, kinesis::StreamKey key,
           Start start)
      : kinesis_(kinesis), clock_(clock), key_(std::move(key)), start_(start) {}
  ~LiveTail() override { join(); }

  void start(std::shared_ptr<aws::BodyWriter> writer) override {
    {
      std::lock_guard lock(mutex_);
      writer_ = std::move(writer);
    }
    thread_ = std::thread([self = shared_from_this()] { self->run(); });
  }
  void cancel() override { end(); }

  // Stops the delivery thread (any thread but the delivery thread itself).
  void end() {
    {
      std::lock_guard lock(mutex_);
      ending_ = true;
    }
    wake_.notify_all();
  }
  // Waits for the delivery thread (which may itself drop the last reference: then detaches).
  void join() {
    if (!thread_.joinable()) return;
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }
  bool finished() const { return finished_.load(); }

 private:
  struct Follow {
    uint32_t index = 0;
    uint64_t position = 0;
    bool waiting = false;  // a wake-up is registered
    uint64_t wait_id = 0;
  };

  void run() {
    std::shared_ptr<aws::BodyWriter> writer;
    {
      std::lock_guard lock(mutex_);
      writer = writer_;
    }
    run_with(*writer);
    // Unregister the wake-ups still pending.
    for (auto& follow : follows_) {
      if (follow.waiting) {
        kinesis_.records().cancel_wait(streams::ShardRef{stream_id_, follow.index}, follow.wait_id);
      }
    }
    writer->finish();
    finished_ = true;
  }

  bool ending() {
    std::lock_guard lock(mutex_);
    return ending_;
  }

  // Adds the stream's shards not followed yet (all of them at first; new children later).
  void follow_new_shards(const kinesis::Stream& stream, bool first) {
    const int64_t now_ms = clock_.now_ms();
    for (const auto& shard : stream.shards) {
      if (start_.shard && shard.index != *start_.shard) continue;
      if (stream.shard_expired(shard, now_ms)) continue;
      bool known = false;
      for (const auto& follow : follows_) known = known || follow.index == shard.index;
      if (known) continue;
      const streams::ShardRef ref{stream.id, shard.index};
      Follow follow{shard.index, 0};
      if (first && start_.from == "LATEST") {
        if (!shard.is_open()) continue;  // nothing more will arrive there
        follow.position = kinesis_.records().next_position(ref);
      } else if (first && start_.from == "AT_TIMESTAMP") {
        follow.position = kinesis_.records().position_at_time(ref, start_.timestamp_ms);
      }
      follows_.push_back(follow);
    }
  }

  void run_with(aws::BodyWriter& writer) {
    auto stream = kinesis_.catalog().find(key_, clock_.now_ms());
    if (!stream) return;
    stream_id_ = stream->id;
    follow_new_shards(*stream, true);
    aws::Value ready = aws::Value::map();
    aws::Value shard_ids = aws::Value::list();
    for (const auto& follow : follows_) shard_ids.push(kinesis::shard_id_for(follow.index));
    ready.set("StreamName", key_.name).set("Shards", std::move(shard_ids));
    if (!writer.write("retry: 2000\nevent: ready\ndata: " + aws::to_json(ready) + "\n\n")) return;
    while (!ending()) {
      stream = kinesis_.catalog().find(key_, clock_.now_ms());
      if (!stream || stream->id != stream_id_) {
        writer.write("event: end\ndata: {\"reason\":\"stream deleted\"}\n\n");
        return;
      }
      follow_new_shards(*stream, false);
      std::string events;
      for (auto& follow : follows_) {
        if (!deliver(*stream, follow, events)) return;
      }
      if (!events.empty() && !writer.write(std::move(events))) return;
      std::unique_lock lock(mutex_);
      if (!woken_ && !ending_ &&
          !wake_.wait_for(lock, kKeepalive, [&] { return woken_ || ending_; })) {
        lock.unlock();
        if (!writer.write(": keep-alive\n\n")) return;
        continue;
      }
      woken_ = false;
      // Fired wake-ups are one-shot: register again on this pass.
      for (uint32_t index : fired_) {
        for (auto& follow : follows_) {
          if (follow.index == index) follow.waiting = false;
        }
      }
      fired_.clear();
    }
  }

  // Registers the shard's wake-up, then reads what is there: an append after the registration
  // wakes the thread for another pass, one before it is read now.
  bool deliver(const kinesis::Stream& stream, Follow& follow, std::string& events) {
    const streams::ShardRef ref{stream.id, follow.index};
    if (!follow.waiting) {
      follow.waiting = true;
      std::weak_ptr<LiveTail> weak = shared_from_this();
      const uint32_t index = follow.index;
      follow.wait_id = kinesis_.records().notify_on_append(ref, [weak, index] {
        if (auto self = weak.lock()) self->woken(index);
      });
    }
    const kinesis::Shard* shard = stream.find_shard(follow.index);
    if (!shard) return true;
    while (true) {
      streams::ReadResult result;
      auto status = kinesis_.records().inspect(ref, follow.position,
                                               stream.retention_cutoff_ms(clock_.now_ms()),
                                               kReadRecords, kReadBytes, &result);
      if (!status.is_ok()) {
        spdlog::warn("console tail of {}: {}", key_.name, status.message);
        return false;
      }
      follow.position = result.next_position;
      for (auto& record : result.records) events += record_event(stream, *shard, std::move(record));
      if (result.reached_end) return true;
    }
  }

  // Runs on the appending thread: only notes the shard and wakes the delivery thread.
  void woken(uint32_t index) {
    {
      std::lock_guard lock(mutex_);
      woken_ = true;
      fired_.push_back(index);
    }
    wake_.notify_all();
  }

  static std::string record_event(const kinesis::Stream& stream, const kinesis::Shard& shard,
                                  streams::StoredRecord&& record) {
    std::optional<std::vector<UserRecord>> user_records = deaggregate(record.data);
    aws::Value value = kinesis::record_value(stream, shard, std::move(record));
    value.set("ShardId", shard.shard_id());
    if (user_records) {
      aws::Value list = aws::Value::list();
      for (auto& user : *user_records) {
        aws::Value item = aws::Value::map();
        item.set("PartitionKey", std::move(user.partition_key));
        if (user.explicit_hash_key) item.set("ExplicitHashKey", std::move(*user.explicit_hash_key));
        item.set("Data", aws::Blob{std::move(user.data)});
        list.push(std::move(item));
      }
      value.set("KplRecords", std::move(list));
    }
    const aws::Value* sequence = value.find("SequenceNumber");
    return "event: record\nid: " + sequence->as_string() + "\ndata: " + aws::to_json(value) +
           "\n\n";
  }

  kinesis::KinesisService& kinesis_;
  const Clock& clock_;
  const kinesis::StreamKey key_;
  const Start start_;
  uint64_t stream_id_ = 0;
  std::thread thread_;
  std::atomic<bool> finished_{false};

  std::mutex mutex_;  // guards writer_, ending_, woken_, fired_
  std::condition_variable wake_;
  std::shared_ptr<aws::BodyWriter> writer_;
  bool ending_ = false;
  bool woken_ = false;
  std::vector<uint32_t> fired_;  // shards whose wake-up ran since the last pass
  std::vector<Follow> follows_;  // the delivery thread's only
};

Console::Console(kinesis::KinesisService& kinesis, const Clock& clock, ConsoleOptions options)
    : kinesis_(kinesis), clock_(clock), options_(std::move(options)) {}

Console::~Console() { stop(); }

void Console::stop() {
  std::vector<std::shared_ptr<LiveTail>> tails;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    tails.swap(tails_);
  }
  for (auto& tail : tails) tail->end();
  for (auto& tail : tails) tail->join();
}

size_t Console::open_tails() {
  std::lock_guard lock(mutex_);
  size_t open = 0;
  for (const auto& tail : tails_) open += tail->finished() ? 0 : 1;
  return open;
}

aws::HttpResponse Console::serve(const aws::HttpRequest& request, std::string_view path) {
  if (path == "/" || path == kPrefix || path == "/_tributary/console") {
    return serve_file("index.html");
  }
  const std::string_view name = path.substr(kPrefix.size());
  if (name == "api/tail") return start_tail(request);
  if (name == "api/recent") return recent_records(request);
  if (name == "api/subscriptions") return subscriptions(request);
  return serve_file(name);
}

aws::HttpResponse Console::serve_file(std::string_view name) const {
  for (size_t i = 0; i < kConsoleFilesCount; ++i) {
    if (kConsoleFiles[i].first != name) continue;
    aws::HttpResponse response;
    response.set_header("Content-Type", std::string(content_type_of(name)));
    response.set_header("Cache-Control", "no-cache");
    response.body = std::string(kConsoleFiles[i].second);
    return response;
  }
  return json_error(404, "no such console file");
}

aws::HttpResponse Console::start_tail(const aws::HttpRequest& request) {
  auto parameters = query_parameters(request.query());
  kinesis::StreamKey key = stream_key(parameters, options_);
  LiveTail::Start start;
  if (parameters.count("from")) start.from = parameters["from"];
  if (start.from != "LATEST" && start.from != "TRIM_HORIZON" && start.from != "AT_TIMESTAMP") {
    return json_error(400, "from must be LATEST, TRIM_HORIZON or AT_TIMESTAMP");
  }
  if (start.from == "AT_TIMESTAMP") {
    try {
      start.timestamp_ms = std::stoll(parameters["timestamp"]);
    } catch (const std::exception&) {
      return json_error(400, "AT_TIMESTAMP needs timestamp=<epoch milliseconds>");
    }
  }
  auto stream = kinesis_.catalog().find(key, clock_.now_ms());
  if (!stream) return json_error(404, "no stream named " + key.name);
  if (auto shard = parameters.find("shard"); shard != parameters.end() && !shard->second.empty()) {
    start.shard = kinesis::parse_shard_id_leniently(shard->second);
    if (!start.shard || !stream->find_shard(*start.shard)) {
      return json_error(404, "no shard " + shard->second + " in stream " + key.name);
    }
  }
  auto tail = std::make_shared<LiveTail>(kinesis_, clock_, std::move(key), start);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return json_error(503, "the server is stopping");
    // Forget the tails that ended (their threads have returned or are returning).
    std::erase_if(tails_, [](const std::shared_ptr<LiveTail>& t) {
      if (!t->finished()) return false;
      t->join();
      return true;
    });
    tails_.push_back(tail);
  }
  aws::HttpResponse response;
  response.set_header("Content-Type", "text/event-stream");
  response.set_header("Cache-Control", "no-cache");
  response.streaming = std::move(tail);
  return response;
}

// The newest records of each shard, read backwards in growing position windows (positions
// increase within a shard but may have gaps, so a window may hold fewer records than positions)
// until a shard has given `limit` matching records, reached its start or records older than
// `since`, or `kRecentScanRecords` were looked at. Reads use RecordLog::inspect: not traffic out.
aws::HttpResponse Console::recent_records(const aws::HttpRequest& request) {
  auto parameters = query_parameters(request.query());
  const kinesis::StreamKey key = stream_key(parameters, options_);
  int64_t limit = 25;
  int64_t since_ms = 0;
  try {
    if (parameters.count("limit")) limit = std::stoll(parameters["limit"]);
    if (parameters.count("since")) since_ms = std::stoll(parameters["since"]);
  } catch (const std::exception&) {
    return json_error(400, "limit and since must be integers");
  }
  if (limit < 1 || limit > kRecentMaxLimit) {
    return json_error(400, "limit must be from 1 to " + std::to_string(kRecentMaxLimit));
  }
  const std::string table = parameters["table"];
  const int64_t now_ms = clock_.now_ms();
  auto stream = kinesis_.catalog().find(key, now_ms);
  if (!stream) return json_error(404, "no stream named " + key.name);
  const int64_t cutoff_ms = stream->retention_cutoff_ms(now_ms);

  struct Found {
    const kinesis::Shard* shard;
    streams::StoredRecord record;
  };
  std::vector<Found> found;
  simdjson::dom::parser parser;
  bool scan_limited = false;
  for (const auto& shard : stream->shards) {
    if (stream->shard_expired(shard, now_ms)) continue;
    const streams::ShardRef ref{stream->id, shard.index};
    uint64_t top = kinesis_.records().next_position(ref);  // the window ends before this
    uint64_t window = 64;
    size_t matched = 0, scanned = 0;
    bool older_seen = false;
    while (top > 0 && matched < static_cast<size_t>(limit) && !older_seen) {
      if (scanned >= kRecentScanRecords) {
        scan_limited = true;
        break;
      }
      const uint64_t start = top > window ? top - window : 0;
      std::vector<Found> in_window;
      for (uint64_t position = start; position < top;) {
        streams::ReadResult result;
        auto status =
            kinesis_.records().inspect(ref, position, cutoff_ms, kReadRecords, kReadBytes, &result);
        if (!status.is_ok()) return json_error(500, "reading " + key.name + ": " + status.message);
        for (auto& record : result.records) {
          if (record.position >= top) break;
          ++scanned;
          if (record.arrival_ms < since_ms) {
            older_seen = true;
            continue;
          }
          if (!table.empty() &&
              !destination_record_of(parser, record.data, table, stream->key.region)) {
            continue;
          }
          in_window.push_back(Found{&shard, std::move(record)});
        }
        if (result.reached_end || result.next_position <= position) break;
        position = result.next_position;
        // A sparse shard (positions shared with other shards) grows windows fast: bound the
        // window itself too.
        if (scanned >= 2 * kRecentScanRecords) {
          scan_limited = true;
          break;
        }
      }
      matched += in_window.size();
      std::move(in_window.begin(), in_window.end(), std::back_inserter(found));
      top = start;
      window *= 4;
    }
  }
  // Oldest first; the newest `limit` of all shards.
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::tie(a.record.arrival_ms, a.shard->index, a.record.position) <
           std::tie(b.record.arrival_ms, b.shard->index, b.record.position);
  });
  const size_t skip = found.size() > static_cast<size_t>(limit) ? found.size() - limit : 0;
  aws::Value records = aws::Value::list();
  for (size_t i = skip; i < found.size(); ++i) {
    aws::Value value = kinesis::record_value(*stream, *found[i].shard, std::move(found[i].record));
    value.set("ShardId", found[i].shard->shard_id());
    records.push(std::move(value));
  }
  aws::Value body = aws::Value::map();
  body.set("StreamName", key.name)
      .set("StreamARN", stream->arn())
      .set("Records", std::move(records));
  if (scan_limited) body.set("ScanLimited", true);
  return json_response(body);
}

// The stream's open SubscribeToShard subscriptions, from the subscription hub (a copy taken
// under its lock; nothing on the delivery path changes).
aws::HttpResponse Console::subscriptions(const aws::HttpRequest& request) {
  auto parameters = query_parameters(request.query());
  const kinesis::StreamKey key = stream_key(parameters, options_);
  auto stream = kinesis_.catalog().find(key, clock_.now_ms());
  if (!stream) return json_error(404, "no stream named " + key.name);
  aws::Value list = aws::Value::list();
  for (const auto& open : kinesis_.subscriptions().open_subscriptions(stream->id)) {
    aws::Value value = aws::Value::map();
    value.set("ConsumerName", open.consumer_name)
        .set("ConsumerARN", open.consumer_arn)
        .set("ShardId", open.shard_id)
        .set("StartedMs", open.started_ms)
        .set("RecordsPushed", static_cast<int64_t>(open.records_pushed))
        .set("BytesPushed", static_cast<int64_t>(open.bytes_pushed));
    list.push(std::move(value));
  }
  aws::Value body = aws::Value::map();
  body.set("StreamName", key.name)
      .set("StreamARN", stream->arn())
      .set("Subscriptions", std::move(list));
  return json_response(body);
}

}  // namespace trib::console
