// Prometheus metrics (text exposition format 0.0.4), served at GET /metrics.
//
// Metrics counts what the request pipeline reports (aws::RequestOutcome): requests by service,
// operation and HTTP status, errors by type, and a latency histogram per operation. Everything
// else (connections, streams, shards, subscriptions, storage) is read when the page is scraped,
// by collectors the server registers, so the data path pays nothing for it.
// Counting is lock-free once a (service, operation, status) combination has been seen; the
// first request of a combination takes a short exclusive lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/pipeline.h"

namespace trib::server {

// Writes the text format: "# HELP" and "# TYPE" once per family, then its samples.
class PrometheusWriter {
 public:
  using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;
  // Starts a family (type: counter, gauge, histogram).
  void family(std::string_view name, std::string_view type, std::string_view help);
  // One sample of the current family; `name` may carry a suffix (_bucket, _sum, _count).
  void sample(std::string_view name, Labels labels, double value);
  void sample(std::string_view name, const std::vector<std::pair<std::string, std::string>>& labels,
              double value);
  std::string take() { return std::move(out_); }

  // Label values escape backslash, double quote and line feed (the format's rule).
  static std::string escape_label_value(std::string_view value);
  // Integers as integers, others shortest round-trip; infinities as +Inf/-Inf.
  static std::string format_value(double value);

 private:
  std::string out_;
};

// Upper bounds (seconds) of the request latency histogram buckets; +Inf is implied.
inline constexpr double kLatencyBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,     10};
inline constexpr size_t kLatencyBucketCount = sizeof(kLatencyBuckets) / sizeof(kLatencyBuckets[0]);

class Metrics {
 public:
  Metrics();
  ~Metrics();
  // Counts one request (thread-safe; the pipeline's observer).
  void observe(const aws::RequestOutcome& outcome);
  // Adds samples at scrape time (called in registration order, after the request metrics).
  using Collector = std::function<void(PrometheusWriter&)>;
  void add_collector(Collector collector);
  // The whole page.
  std::string render() const;

  // "Kinesis_20131202" -> "kinesis", "DynamoDBStreams_20120810" -> "dynamodbstreams";
  // "" -> "unknown".
  static std::string service_label(std::string_view target_prefix);

 private:
  struct Counter;
  struct Histogram;
  Counter& counter(std::string_view service, std::string_view operation, int status,
                   std::string_view error_type);
  Histogram& histogram(std::string_view service, std::string_view operation);

  // Distinguishes this object in the per-thread cache of observe() (never reused, unlike an
  // address).
  const uint64_t id_;
  mutable std::shared_mutex mutex_;
  // (service, operation, status, error type) -> count
  std::map<std::tuple<std::string, std::string, int, std::string>, std::unique_ptr<Counter>,
           std::less<>>
      counters_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Histogram>, std::less<>>
      histograms_;
  std::vector<Collector> collectors_;
};

}  // namespace trib::server
