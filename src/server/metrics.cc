#include "server/metrics.h"

#include <fmt/format.h>

#include <array>
#include <atomic>
#include <cctype>
#include <cmath>
#include <mutex>

namespace trib::server {

// ---- PrometheusWriter -------------------------------------------------------------------

void PrometheusWriter::family(std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

std::string PrometheusWriter::escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string PrometheusWriter::format_value(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return fmt::format("{}", static_cast<int64_t>(value));
  }
  return fmt::format("{}", value);
}

namespace {

template <typename Range>
void append_sample(std::string& out, std::string_view name, const Range& labels, double value) {
  out.append(name);
  bool first = true;
  for (const auto& [label, label_value] : labels) {
    out += first ? '{' : ',';
    first = false;
    fmt::format_to(std::back_inserter(out), "{}=\"{}\"", label,
                   PrometheusWriter::escape_label_value(label_value));
  }
  if (!first) out += '}';
  out += ' ';
  out += PrometheusWriter::format_value(value);
  out += '\n';
}

}  // namespace

void PrometheusWriter::sample(std::string_view name, Labels labels, double value) {
  append_sample(out_, name, labels, value);
}

void PrometheusWriter::sample(std::string_view name,
                              const std::vector<std::pair<std::string, std::string>>& labels,
                              double value) {
  append_sample(out_, name, labels, value);
}

// ---- Metrics ----------------------------------------------------------------------------

struct Metrics::Counter {
  std::atomic<uint64_t> value{0};
};

struct Metrics::Histogram {
  std::atomic<uint64_t> buckets[kLatencyBucketCount] = {};
  std::atomic<uint64_t> count{0};
  std::atomic<uint64_t> sum_nanoseconds{0};
};

namespace {
std::atomic<uint64_t> next_metrics_id{1};
}  // namespace

Metrics::Metrics() : id_(next_metrics_id.fetch_add(1, std::memory_order_relaxed)) {}
Metrics::~Metrics() = default;

std::string Metrics::service_label(std::string_view target_prefix) {
  if (target_prefix.empty()) return "unknown";
  std::string out;
  for (char c : target_prefix.substr(0, target_prefix.find('_'))) {
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

namespace {

// The entry for `key`, added on first use: a shared lock when it exists, which is almost always.
template <typename Map, typename Key>
auto& find_or_add(std::shared_mutex& mutex, Map& map, const Key& key) {
  {
    std::shared_lock lock(mutex);
    if (auto it = map.find(key); it != map.end()) return *it->second;
  }
  std::unique_lock lock(mutex);
  auto& slot = map[key];
  if (!slot) slot = std::make_unique<typename Map::mapped_type::element_type>();
  return *slot;
}

}  // namespace

Metrics::Counter& Metrics::counter(std::string_view service, std::string_view operation, int status,
                                   std::string_view error_type) {
  return find_or_add(mutex_, counters_,
                     std::make_tuple(std::string(service), std::string(operation), status,
                                     std::string(error_type)));
}

Metrics::Histogram& Metrics::histogram(std::string_view service, std::string_view operation) {
  return find_or_add(mutex_, histograms_,
                     std::make_pair(std::string(service), std::string(operation)));
}

void Metrics::observe(const aws::RequestOutcome& outcome) {
  // Each thread remembers the series it used last, per slot of a small table, so that the usual
  // request builds no label string and takes no lock (two shared locks of one mutex per request
  // before, on every I/O thread). Series are never removed, so a remembered one stays valid for
  // as long as this object, whose id_ no other object has.
  struct Remembered {
    uint64_t metrics = 0;
    std::string service, operation, error_type;
    int status = 0;
    Counter* counter = nullptr;
    Histogram* histogram = nullptr;
  };
  thread_local std::array<Remembered, 16> remembered;
  Remembered& slot = remembered[(std::hash<std::string_view>{}(outcome.operation) ^
                                 static_cast<size_t>(outcome.status) ^ outcome.error_type.size()) %
                                remembered.size()];
  if (slot.metrics != id_ || slot.status != outcome.status || slot.operation != outcome.operation ||
      slot.service != outcome.service || slot.error_type != outcome.error_type) {
    const std::string service = service_label(outcome.service);
    const std::string_view operation = outcome.operation.empty() ? "unknown" : outcome.operation;
    slot.counter = &counter(service, operation, outcome.status, outcome.error_type);
    slot.histogram = &histogram(service, operation);
    slot.metrics = id_;
    slot.service = outcome.service;
    slot.operation = outcome.operation;
    slot.error_type = outcome.error_type;
    slot.status = outcome.status;
  }
  slot.counter->value.fetch_add(1, std::memory_order_relaxed);
  Histogram& h = *slot.histogram;
  for (size_t i = 0; i < kLatencyBucketCount; ++i) {
    if (outcome.seconds <= kLatencyBuckets[i]) {
      h.buckets[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  h.count.fetch_add(1, std::memory_order_relaxed);
  h.sum_nanoseconds.fetch_add(static_cast<uint64_t>(outcome.seconds * 1e9),
                              std::memory_order_relaxed);
}

void Metrics::add_collector(Collector collector) { collectors_.push_back(std::move(collector)); }

std::string Metrics::render() const {
  PrometheusWriter w;
  {
    std::shared_lock lock(mutex_);
    w.family("tributary_requests_total", "counter",
             "AWS API requests answered, by service, operation and HTTP status");
    std::map<std::tuple<std::string, std::string, std::string>, uint64_t> by_status;
    for (const auto& [key, c] : counters_) {
      const auto& [service, operation, status, error] = key;
      by_status[{service, operation, std::to_string(status)}] +=
          c->value.load(std::memory_order_relaxed);
    }
    for (const auto& [key, value] : by_status) {
      const auto& [service, operation, status] = key;
      w.sample("tributary_requests_total",
               {{"service", service}, {"operation", operation}, {"status", status}},
               static_cast<double>(value));
    }
    w.family("tributary_request_errors_total", "counter",
             "AWS API requests answered with an error, by service, operation and error type");
    for (const auto& [key, c] : counters_) {
      const auto& [service, operation, status, error] = key;
      if (error.empty()) continue;
      w.sample("tributary_request_errors_total",
               {{"service", service}, {"operation", operation}, {"error", error}},
               static_cast<double>(c->value.load(std::memory_order_relaxed)));
    }
    w.family("tributary_request_duration_seconds", "histogram",
             "Time spent answering AWS API requests (streaming responses: until they start)");
    for (const auto& [key, h] : histograms_) {
      const auto& [service, operation] = key;
      uint64_t cumulative = 0;
      for (size_t i = 0; i < kLatencyBucketCount; ++i) {
        cumulative += h->buckets[i].load(std::memory_order_relaxed);
        const std::string le = PrometheusWriter::format_value(kLatencyBuckets[i]);
        w.sample("tributary_request_duration_seconds_bucket",
                 {{"service", service}, {"operation", operation}, {"le", le}},
                 static_cast<double>(cumulative));
      }
      const double count = static_cast<double>(h->count.load(std::memory_order_relaxed));
      w.sample("tributary_request_duration_seconds_bucket",
               {{"service", service}, {"operation", operation}, {"le", "+Inf"}}, count);
      w.sample("tributary_request_duration_seconds_sum",
               {{"service", service}, {"operation", operation}},
               static_cast<double>(h->sum_nanoseconds.load(std::memory_order_relaxed)) / 1e9);
      w.sample("tributary_request_duration_seconds_count",
               {{"service", service}, {"operation", operation}}, count);
    }
  }
  for (const auto& collect : collectors_) collect(w);
  return w.take();
}

}  // namespace trib::server
