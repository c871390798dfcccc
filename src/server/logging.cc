#include "server/logging.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/formatter.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>

#include "aws/codec.h"
#include "aws/value.h"
#include "server/metrics.h"

namespace trib::server {

namespace {

std::atomic<LogFormat> g_format{LogFormat::kText};
// Members a request log adds to its JSON line: set on the logging thread around the call (the
// sink is synchronous), read by the formatter on the same thread.
thread_local std::string t_fields;

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since_epoch = msg.time.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
    const std::string time =
        fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z",
                    fmt::gmtime(static_cast<std::time_t>(seconds.count())), millis);
    const auto level = spdlog::level::to_string_view(msg.level);
    const std::string line =
        json_log_line(time, std::string_view(level.data(), level.size()),
                      std::string_view(msg.payload.data(), msg.payload.size()), t_fields);
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

std::string json_log_line(std::string_view time, std::string_view level, std::string_view message,
                          std::string_view fields) {
  std::string line = "{\"time\":" + aws::to_json(aws::Value(time)) +
                     ",\"level\":" + aws::to_json(aws::Value(level)) +
                     ",\"message\":" + aws::to_json(aws::Value(message));
  if (!fields.empty()) {
    line += ',';
    line += fields;
  }
  line += "}\n";
  return line;
}

void configure_logging(LogFormat format, std::string_view level) {
  g_format = format;
  auto logger = spdlog::stderr_color_mt("tributary");
  if (format == LogFormat::kJson) logger->set_formatter(std::make_unique<JsonFormatter>());
  spdlog::set_default_logger(std::move(logger));
  spdlog::set_level(spdlog::level::from_str(std::string(level)));
}

LogFormat log_format() { return g_format; }

void log_request(const aws::RequestOutcome& outcome) {
  if (!spdlog::should_log(spdlog::level::debug)) return;
  const std::string service = Metrics::service_label(outcome.service);
  const std::string_view operation = outcome.operation.empty() ? "unknown" : outcome.operation;
  const double latency_ms = outcome.seconds * 1000;
  if (g_format == LogFormat::kText) {
    spdlog::debug("request {} {}.{} {}{}{} {:.3f} ms", outcome.request_id, service, operation,
                  outcome.status, outcome.error_type.empty() ? "" : " ", outcome.error_type,
                  latency_ms);
    return;
  }
  aws::Value fields = aws::Value::map();
  fields.set("request_id", outcome.request_id)
      .set("service", service)
      .set("operation", operation)
      .set("status", outcome.status);
  if (!outcome.error_type.empty()) fields.set("error", outcome.error_type);
  const std::string rendered = aws::to_json(fields);  // {"request_id":...}: the members only
  t_fields =
      rendered.substr(1, rendered.size() - 2) + fmt::format(",\"latency_ms\":{:.3f}", latency_ms);
  spdlog::debug("request");
  t_fields.clear();
}

}  // namespace trib::server
