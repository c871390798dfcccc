// loadgen: a closed-loop HTTP/1.1 load driver for AWS JSON-protocol endpoints.
//
// One process opens N keep-alive connections and spreads them over T threads (one io_context per
// thread, so a connection's handlers never race). Every connection sends a request, waits for the
// whole response, records the latency and sends the next one, until the run's deadline. Requests
// carry the headers an AWS SDK would send (X-Amz-Target, X-Amz-Date and a SigV4-shaped
// Authorization header), so servers that check the shape of the signature accept them.
//
// What each request contains comes from a scenario, chosen with --mode. A scenario hands every
// connection its own request generator; the generator fills in the next request's target and body
// and may look at each response (a GetRecords scenario would follow NextShardIterator). Only the
// "fixed" scenario exists today: the same target and body on every request.

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <bit>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr double kMaxDurationSeconds = 3600.0;
constexpr std::uint64_t kMaxResponseBodyBytes = 64ull * 1024 * 1024;

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4567;
  std::string path = "/";
  int connections = 64;
  int threads = 1;
  double duration_seconds = 10.0;
  double warmup_seconds = 1.0;
  int timeout_ms = 10000;
  std::string mode = "fixed";
  std::string target;
  std::string body = "{}";
  std::string body_file;
  std::string content_type = "application/x-amz-json-1.1";
  std::string access_key_id = "AKIDEXAMPLE";
  std::string region = "us-east-1";
  std::string service = "kinesis";
  bool json_output = false;
};

// ---------------------------------------------------------------------------------------------
// Scenarios

// The part of a request that a scenario decides. Headers common to every request are set by the
// connection.
struct RequestContent {
  std::string target;  // X-Amz-Target; empty means the header is not sent
  std::string body;
};

// Produces the requests of one connection. Used only from that connection's thread.
class RequestGenerator {
 public:
  virtual ~RequestGenerator() = default;
  // Fills in the next request. Returns false when `content` was left unchanged since the previous
  // call, which lets the connection reuse the already-serialised request as is.
  virtual bool next_request(RequestContent& content) = 0;
  // Sees every complete response to a request this generator produced.
  virtual void on_response(unsigned status, std::string_view body) {}
};

class Scenario {
 public:
  virtual ~Scenario() = default;
  virtual std::unique_ptr<RequestGenerator> make_generator(int connection_index) = 0;
};

// Sends the same target and body on every request.
class FixedScenario final : public Scenario {
 public:
  FixedScenario(std::string target, std::string body)
      : target_(std::move(target)), body_(std::move(body)) {}

  std::unique_ptr<RequestGenerator> make_generator(int connection_index) override {
    return std::make_unique<Generator>(target_, body_);
  }

 private:
  class Generator final : public RequestGenerator {
   public:
    Generator(const std::string& target, const std::string& body) : target_(target), body_(body) {}
    bool next_request(RequestContent& content) override {
      if (filled_) return false;
      content.target = target_;
      content.body = body_;
      filled_ = true;
      return true;
    }

   private:
    const std::string& target_;
    const std::string& body_;
    bool filled_ = false;
  };

  std::string target_;
  std::string body_;
};

using ScenarioFactory = std::function<std::unique_ptr<Scenario>(const Options&, std::string body)>;

// Every --mode value and the scenario it builds. New modes (PutRecord, PutRecords, GetRecords)
// register here.
const std::map<std::string, ScenarioFactory>& scenario_factories() {
  static const std::map<std::string, ScenarioFactory> factories = {
      {"fixed",
       [](const Options& options, std::string body) -> std::unique_ptr<Scenario> {
         return std::make_unique<FixedScenario>(options.target, std::move(body));
       }},
  };
  return factories;
}

// ---------------------------------------------------------------------------------------------
// Latency histogram: log-linear buckets in the style of HdrHistogram. Values below 2^kSubBits are
// exact; above that every power-of-two range is split into 2^(kSubBits-1) equal buckets, so a
// reported value is within 1/64 (about 1.6 %) of the true one. Values are nanoseconds.

class LatencyHistogram {
 public:
  static constexpr int kSubBits = 7;
  static constexpr std::uint64_t kSubCount = 1ull << kSubBits;  // 128
  static constexpr std::uint64_t kHalfCount = kSubCount / 2;    // 64
  static constexpr int kMaxShift = 64 - kSubBits;
  static constexpr std::size_t kBucketCount = kSubCount + kMaxShift * kHalfCount;

  LatencyHistogram() : counts_(kBucketCount, 0) {}

  void record(std::uint64_t value) {
    ++counts_[bucket_of(value)];
    ++total_;
    sum_ += value;
    max_ = std::max(max_, value);
  }

  void merge(const LatencyHistogram& other) {
    for (std::size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
    sum_ += other.sum_;
    max_ = std::max(max_, other.max_);
  }

  std::uint64_t total() const { return total_; }
  std::uint64_t max() const { return max_; }
  double mean() const { return total_ == 0 ? 0.0 : static_cast<double>(sum_) / total_; }

  // The smallest recorded value v such that at least `quantile` of all values are <= v (reported
  // as the upper edge of v's bucket, capped at the exact maximum).
  std::uint64_t value_at_quantile(double quantile) const {
    if (total_ == 0) return 0;
    auto rank = static_cast<std::uint64_t>(quantile * static_cast<double>(total_) + 0.5);
    rank = std::clamp<std::uint64_t>(rank, 1, total_);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::min(upper_edge_of(i), max_);
    }
    return max_;
  }

 private:
  static std::size_t bucket_of(std::uint64_t value) {
    if (value < kSubCount) return static_cast<std::size_t>(value);
    const int shift = std::bit_width(value) - kSubBits;  // value >> shift lies in [64, 128)
    return static_cast<std::size_t>(kSubCount + (shift - 1) * kHalfCount +
                                    ((value >> shift) - kHalfCount));
  }

  static std::uint64_t upper_edge_of(std::size_t bucket) {
    if (bucket < kSubCount) return bucket;
    const std::uint64_t offset = bucket - kSubCount;
    const int shift = static_cast<int>(offset / kHalfCount) + 1;
    const std::uint64_t sub_bucket = kHalfCount + offset % kHalfCount;
    return ((sub_bucket + 1) << shift) - 1;
  }

  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t max_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Per-thread results, merged after the run.

struct WorkerStats {
  std::uint64_t responses = 0;  // complete responses inside the measured window
  std::uint64_t successes = 0;  // ... of which 2xx
  std::uint64_t response_body_bytes = 0;
  std::map<unsigned, std::uint64_t> responses_by_error_status;
  std::map<unsigned, std::string> sample_error_body;
  std::map<std::string, std::uint64_t> transport_errors;  // by phase: connect, write, read
  std::uint64_t reconnects = 0;
  std::uint64_t unfinished_at_end = 0;  // requests still waiting for a response when the run ended
  LatencyHistogram latency;

  void merge(const WorkerStats& other) {
    responses += other.responses;
    successes += other.successes;
    response_body_bytes += other.response_body_bytes;
    for (const auto& [status, count] : other.responses_by_error_status)
      responses_by_error_status[status] += count;
    for (const auto& [status, body] : other.sample_error_body)
      sample_error_body.try_emplace(status, body);
    for (const auto& [phase, count] : other.transport_errors) transport_errors[phase] += count;
    reconnects += other.reconnects;
    unfinished_at_end += other.unfinished_at_end;
    latency.merge(other.latency);
  }
};

struct RunWindow {
  Clock::time_point measure_from;  // end of warm-up
  Clock::time_point stop_at;       // no request is sent at or after this instant
};

// The request line and headers every request carries, identical for the whole run.
struct CommonHeaders {
  std::string text;  // "POST / HTTP/1.1\r\n" and every header up to X-Amz-Target, CRLF-separated
};

CommonHeaders make_common_headers(const Options& options) {
  // A fixed, syntactically valid SigV4 Authorization header. The signature is random hex: servers
  // that verify signatures will reject it, servers that check only the shape accept it.
  std::random_device entropy;
  std::mt19937_64 random(entropy());
  std::string signature;
  constexpr std::string_view kHexDigits = "0123456789abcdef";
  for (int i = 0; i < 64; ++i) signature.push_back(kHexDigits[random() % 16]);
  const std::string date = "20260101";
  CommonHeaders headers;
  headers.text = fmt::format(
      "POST {} HTTP/1.1\r\n"
      "Host: {}:{}\r\n"
      "User-Agent: tributary-loadgen/0.1\r\n"
      "Content-Type: {}\r\n"
      "X-Amz-Date: {}T000000Z\r\n"
      "Authorization: AWS4-HMAC-SHA256 Credential={}/{}/{}/{}/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature={}\r\n",
      options.path, options.host, options.port, options.content_type, date, options.access_key_id,
      date, options.region, options.service, signature);
  return headers;
}

// The bytes of one HTTP/1.1 request. Serialised by hand (not by Beast) so that a fixed request
// costs nothing to repeat and the driver spends its CPU time on the network, not on itself.
void serialize_request(const CommonHeaders& headers, const RequestContent& content,
                       std::string& bytes) {
  bytes.clear();
  bytes += headers.text;
  if (!content.target.empty()) {
    bytes += "X-Amz-Target: ";
    bytes += content.target;
    bytes += "\r\n";
  }
  bytes += fmt::format("Content-Length: {}\r\n\r\n", content.body.size());
  bytes += content.body;
}

// ---------------------------------------------------------------------------------------------
// One keep-alive connection running request after request until the deadline. Timeouts are
// enforced by its worker's watchdog (see Worker), which closes the socket of a connection whose
// pending operation has overrun; the operation then completes with an error.

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io_context, const tcp::resolver::results_type& endpoints,
             const Options& options, const CommonHeaders& headers, const RunWindow& window,
             std::unique_ptr<RequestGenerator> generator, WorkerStats& stats)
      : socket_(io_context),
        retry_timer_(io_context),
        endpoints_(endpoints),
        options_(options),
        headers_(headers),
        window_(window),
        generator_(std::move(generator)),
        stats_(stats) {}

  void start() {
    running_ = true;
    connect();
  }

  // False once the connection has stopped for good (the run is over).
  bool running() const { return running_; }

  // Called by the watchdog: abandons the pending operation if it has overrun its deadline, and
  // everything once the run is over (responses arriving later would not be counted anyway).
  void enforce_deadline(Clock::time_point now) {
    if (running_ && now >= window_.stop_at) {
      if (deadline_ != Clock::time_point::max()) ++stats_.unfinished_at_end;
      stop();
      retry_timer_.cancel();
      return;
    }
    if (now < deadline_) return;
    deadline_ = Clock::time_point::max();
    timed_out_ = true;
    beast::error_code ignored;
    socket_.close(ignored);
  }

 private:
  void arm_deadline() { deadline_ = Clock::now() + std::chrono::milliseconds(options_.timeout_ms); }

  void connect() {
    if (Clock::now() >= window_.stop_at) {
      stop();
      return;
    }
    arm_deadline();
    asio::async_connect(socket_, endpoints_,
                        [self = shared_from_this()](beast::error_code error, const tcp::endpoint&) {
                          self->on_connect(error);
                        });
  }

  void on_connect(beast::error_code error) {
    if (error) {
      fail("connect");
      return;
    }
    socket_.set_option(tcp::no_delay(true), error);
    send_next();
  }

  void send_next() {
    if (Clock::now() >= window_.stop_at) {
      stop();
      return;
    }
    if (generator_->next_request(content_)) serialize_request(headers_, content_, request_bytes_);
    arm_deadline();
    sent_at_ = Clock::now();
    asio::async_write(socket_, asio::buffer(request_bytes_),
                      [self = shared_from_this()](beast::error_code error, std::size_t) {
                        self->on_write(error);
                      });
  }

  void on_write(beast::error_code error) {
    if (error) {
      fail("write");
      return;
    }
    parser_.emplace();
    parser_->body_limit(kMaxResponseBodyBytes);
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code read_error, std::size_t) {
                       self->on_read(read_error);
                     });
  }

  void on_read(beast::error_code error) {
    const auto received_at = Clock::now();
    if (error) {
      fail("read");
      return;
    }
    deadline_ = Clock::time_point::max();
    const auto& response = parser_->get();
    const unsigned status = response.result_int();
    generator_->on_response(status, response.body());
    if (sent_at_ >= window_.measure_from && received_at <= window_.stop_at) {
      record(status, response.body(), received_at);
    }
    if (!response.keep_alive()) {
      reconnect_after(std::chrono::milliseconds(0));
      return;
    }
    send_next();
  }

  void record(unsigned status, const std::string& body, Clock::time_point received_at) {
    ++stats_.responses;
    stats_.response_body_bytes += body.size();
    if (status >= 200 && status < 300) {
      ++stats_.successes;
    } else {
      ++stats_.responses_by_error_status[status];
      stats_.sample_error_body.try_emplace(status, body.substr(0, 300));
    }
    const auto nanoseconds =
        std::chrono::duration_cast<std::chrono::nanoseconds>(received_at - sent_at_).count();
    stats_.latency.record(static_cast<std::uint64_t>(std::max<std::int64_t>(nanoseconds, 0)));
  }

  void fail(const std::string& phase) {
    const auto now = Clock::now();
    const std::string what = timed_out_ ? phase + " timeout" : phase;
    timed_out_ = false;
    deadline_ = Clock::time_point::max();
    // Failures caused by the end of the run (operations cut off by the timeout) are not counted.
    if (now >= window_.measure_from && now < window_.stop_at) ++stats_.transport_errors[what];
    // Back off a little so a dead server does not turn into a busy loop.
    reconnect_after(std::chrono::milliseconds(10));
  }

  void reconnect_after(std::chrono::milliseconds delay) {
    close_socket();
    buffer_.clear();
    if (Clock::now() >= window_.stop_at) {
      stop();
      return;
    }
    ++stats_.reconnects;
    retry_timer_.expires_after(delay);
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code error) {
      if (!error) self->connect();
    });
  }

  void stop() {
    close_socket();
    deadline_ = Clock::time_point::max();
    running_ = false;
  }

  void close_socket() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  asio::steady_timer retry_timer_;
  const tcp::resolver::results_type& endpoints_;
  const Options& options_;
  const CommonHeaders& headers_;
  const RunWindow& window_;
  std::unique_ptr<RequestGenerator> generator_;
  WorkerStats& stats_;
  RequestContent content_;
  std::string request_bytes_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Clock::time_point sent_at_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool timed_out_ = false;
  bool running_ = false;
};

// One client thread: an io_context, the connections it drives, their statistics, and a watchdog
// that enforces timeouts and lets the thread finish once every connection has stopped.
class Worker {
 public:
  Worker() : io_context_(1), watchdog_(io_context_) {}

  void add_connection(const tcp::resolver::results_type& endpoints, const Options& options,
                      const CommonHeaders& headers, const RunWindow& window,
                      std::unique_ptr<RequestGenerator> generator) {
    connections_.push_back(std::make_shared<Connection>(io_context_, endpoints, options, headers,
                                                        window, std::move(generator), stats_));
  }

  void run() {
    for (const auto& connection : connections_) connection->start();
    schedule_watchdog();
    io_context_.run();
  }

  const WorkerStats& stats() const { return stats_; }

 private:
  static constexpr std::chrono::milliseconds kWatchdogPeriod{20};

  void schedule_watchdog() {
    watchdog_.expires_after(kWatchdogPeriod);
    watchdog_.async_wait([this](beast::error_code error) {
      if (error) return;
      const auto now = Clock::now();
      bool any_running = false;
      for (const auto& connection : connections_) {
        connection->enforce_deadline(now);
        any_running = any_running || connection->running();
      }
      if (any_running) schedule_watchdog();
    });
  }

  asio::io_context io_context_;
  asio::steady_timer watchdog_;
  std::vector<std::shared_ptr<Connection>> connections_;
  WorkerStats stats_;
};

// ---------------------------------------------------------------------------------------------
// Output

std::string json_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size() + 2);
  for (const char character : text) {
    switch (character) {
      case '"':
        escaped += "\\\"";
        break;
      case '\\':
        escaped += "\\\\";
        break;
      case '\n':
        escaped += "\\n";
        break;
      case '\r':
        escaped += "\\r";
        break;
      case '\t':
        escaped += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(character) < 0x20) {
          escaped += fmt::format("\\u{:04x}", static_cast<unsigned>(character));
        } else {
          escaped += character;
        }
    }
  }
  return escaped;
}

double to_milliseconds(std::uint64_t nanoseconds) { return static_cast<double>(nanoseconds) / 1e6; }

struct Summary {
  std::uint64_t errors = 0;
  double requests_per_second = 0;
  double successes_per_second = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0, mean_ms = 0;
};

Summary summarize(const WorkerStats& stats, double measured_seconds) {
  Summary summary;
  summary.errors = stats.responses - stats.successes;
  for (const auto& [phase, count] : stats.transport_errors) summary.errors += count;
  summary.requests_per_second = static_cast<double>(stats.responses) / measured_seconds;
  summary.successes_per_second = static_cast<double>(stats.successes) / measured_seconds;
  summary.p50_ms = to_milliseconds(stats.latency.value_at_quantile(0.50));
  summary.p90_ms = to_milliseconds(stats.latency.value_at_quantile(0.90));
  summary.p99_ms = to_milliseconds(stats.latency.value_at_quantile(0.99));
  summary.max_ms = to_milliseconds(stats.latency.max());
  summary.mean_ms = stats.latency.mean() / 1e6;
  return summary;
}

std::string human_line(const Options& options, const WorkerStats& stats, const Summary& summary) {
  std::string line = fmt::format(
      "{} {}:{} mode={} connections={} threads={} duration={:.1f}s warmup={:.1f}s: "
      "requests={} errors={} req/s={:.1f} latency ms p50={:.3f} p90={:.3f} p99={:.3f} "
      "max={:.3f}",
      options.target.empty() ? "(no target)" : options.target, options.host, options.port,
      options.mode, options.connections, options.threads, options.duration_seconds,
      options.warmup_seconds, stats.responses, summary.errors, summary.requests_per_second,
      summary.p50_ms, summary.p90_ms, summary.p99_ms, summary.max_ms);
  if (summary.errors > 0) {
    std::string detail;
    for (const auto& [status, count] : stats.responses_by_error_status)
      detail += fmt::format("{}status {}: {}", detail.empty() ? "" : ", ", status, count);
    for (const auto& [phase, count] : stats.transport_errors)
      detail += fmt::format("{}{} failures: {}", detail.empty() ? "" : ", ", phase, count);
    line += " (" + detail + ")";
  }
  // With few connections and a slow server, requests cut off by the end of the run matter.
  if (stats.unfinished_at_end * 10 > stats.responses) {
    line += fmt::format(" unfinished at end={}", stats.unfinished_at_end);
  }
  return line;
}

std::string json_report(const Options& options, const WorkerStats& stats, const Summary& summary) {
  std::string by_status;
  for (const auto& [status, count] : stats.responses_by_error_status)
    by_status += fmt::format("{}\"{}\":{}", by_status.empty() ? "" : ",", status, count);
  std::string by_phase;
  for (const auto& [phase, count] : stats.transport_errors)
    by_phase += fmt::format("{}\"{}\":{}", by_phase.empty() ? "" : ",", phase, count);
  std::string samples;
  for (const auto& [status, body] : stats.sample_error_body)
    samples +=
        fmt::format("{}\"{}\":\"{}\"", samples.empty() ? "" : ",", status, json_escape(body));
  return fmt::format(
      "{{\"target\":\"{}\",\"host\":\"{}\",\"port\":{},\"mode\":\"{}\",\"connections\":{},"
      "\"threads\":{},\"duration_s\":{},\"warmup_s\":{},\"requests\":{},\"successes\":{},"
      "\"errors\":{},\"errors_by_status\":{{{}}},\"transport_errors\":{{{}}},\"reconnects\":{},"
      "\"unfinished_at_end\":{},"
      "\"requests_per_second\":{:.1f},\"successes_per_second\":{:.1f},"
      "\"latency_ms\":{{\"p50\":{:.3f},\"p90\":{:.3f},\"p99\":{:.3f},\"max\":{:.3f},"
      "\"mean\":{:.3f}}},\"mean_response_body_bytes\":{:.1f},\"sample_error_bodies\":{{{}}}}}",
      json_escape(options.target), json_escape(options.host), options.port,
      json_escape(options.mode), options.connections, options.threads, options.duration_seconds,
      options.warmup_seconds, stats.responses, stats.successes, summary.errors, by_status, by_phase,
      stats.reconnects, stats.unfinished_at_end, summary.requests_per_second,
      summary.successes_per_second, summary.p50_ms, summary.p90_ms, summary.p99_ms, summary.max_ms,
      summary.mean_ms,
      stats.responses == 0 ? 0.0 : static_cast<double>(stats.response_body_bytes) / stats.responses,
      samples);
}

std::string read_whole_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read body file " + path);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

// ---------------------------------------------------------------------------------------------

int run(const Options& options) {
  std::string body = options.body_file.empty() ? options.body : read_whole_file(options.body_file);
  const auto factory = scenario_factories().find(options.mode);
  std::unique_ptr<Scenario> scenario = factory->second(options, std::move(body));

  tcp::resolver::results_type endpoints;
  {
    asio::io_context resolver_context;
    tcp::resolver resolver(resolver_context);
    endpoints = resolver.resolve(options.host, std::to_string(options.port));
  }

  const CommonHeaders headers = make_common_headers(options);
  const auto warmup = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.warmup_seconds));
  const auto duration = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.duration_seconds));

  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < options.threads; ++i) workers.push_back(std::make_unique<Worker>());

  RunWindow window;
  const auto start = Clock::now();
  window.measure_from = start + warmup;
  window.stop_at = window.measure_from + duration;

  for (int i = 0; i < options.connections; ++i) {
    workers[static_cast<std::size_t>(i % options.threads)]->add_connection(
        endpoints, options, headers, window, scenario->make_generator(i));
  }

  std::vector<std::thread> threads;
  for (auto& worker : workers) threads.emplace_back([&worker] { worker->run(); });
  for (auto& thread : threads) thread.join();

  WorkerStats total;
  for (const auto& worker : workers) total.merge(worker->stats());
  const Summary summary = summarize(total, options.duration_seconds);
  const std::string line = human_line(options, total, summary);
  if (options.json_output) {
    std::cerr << line << '\n';
    std::cout << json_report(options, total, summary) << std::endl;
  } else {
    std::cout << line << std::endl;
  }
  for (const auto& [status, sample] : total.sample_error_body)
    std::cerr << fmt::format("loadgen: first response with status {}: {}\n", status, sample);
  // A run in which not a single response arrived measured nothing: report it as a failure.
  return total.responses == 0 ? 2 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"loadgen: closed-loop HTTP/1.1 keep-alive load driver for AWS JSON endpoints"};
  app.add_option("--host", options.host, "Server host name or address")->capture_default_str();
  app.add_option("--port", options.port, "Server port")->capture_default_str();
  app.add_option("--path", options.path, "Request path")->capture_default_str();
  app.add_option("--connections,-c", options.connections, "Keep-alive connections")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--threads,-t", options.threads, "Client threads driving the connections")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--duration-s,-d", options.duration_seconds, "Measured duration in seconds")
      ->check(CLI::Range(0.1, kMaxDurationSeconds))
      ->capture_default_str();
  app.add_option("--warmup-s", options.warmup_seconds, "Warm-up before measuring, in seconds")
      ->check(CLI::Range(0.0, kMaxDurationSeconds))
      ->capture_default_str();
  app.add_option("--timeout-ms", options.timeout_ms, "Per-operation (connect, request) timeout")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  std::vector<std::string> mode_names;
  for (const auto& [name, factory] : scenario_factories()) mode_names.push_back(name);
  app.add_option("--mode", options.mode, "Scenario that generates request bodies")
      ->check(CLI::IsMember(mode_names))
      ->capture_default_str();
  app.add_option("--target", options.target,
                 "X-Amz-Target value, e.g. Kinesis_20131202.DescribeStreamSummary");
  auto* body_option =
      app.add_option("--body", options.body, "Request body (JSON text)")->capture_default_str();
  app.add_option("--body-file", options.body_file, "Read the request body from this file")
      ->check(CLI::ExistingFile)
      ->excludes(body_option);
  app.add_option("--content-type", options.content_type, "Content-Type header")
      ->capture_default_str();
  app.add_option("--access-key-id", options.access_key_id,
                 "Access key id in the credential scope (12 digits selects the account)")
      ->capture_default_str();
  app.add_option("--region", options.region, "Region in the credential scope")
      ->capture_default_str();
  app.add_option("--service", options.service, "Service in the credential scope")
      ->capture_default_str();
  app.add_flag("--json", options.json_output,
               "Print the result as one JSON object on stdout (the human line goes to stderr)");
  CLI11_PARSE(app, argc, argv);

  try {
    return run(options);
  } catch (const std::exception& error) {
    std::cerr << "loadgen: " << error.what() << '\n';
    return 1;
  }
}
