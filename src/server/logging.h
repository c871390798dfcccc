// Logs: spdlog to stderr, as text (the default) or, with --log-format json, one JSON object a
// line: {"time":"2026-01-01T00:00:00.123Z","level":"info","message":"..."} plus, for request
// logs (debug level), "request_id", "service", "operation", "status", "error" and
// "latency_ms" as members of their own.
#pragma once

#include <string>
#include <string_view>

#include "aws/pipeline.h"

namespace trib::server {

enum class LogFormat { kText, kJson };

// Installs the process's logger (call once, before anything logs).
void configure_logging(LogFormat format, std::string_view level);
LogFormat log_format();

// Logs one answered request at debug level (nothing is formatted when debug is off).
void log_request(const aws::RequestOutcome& outcome);

// One log line as --log-format json writes it (exposed for tests): `fields` are extra members
// already rendered as `"name":value` pairs joined by commas (may be empty).
std::string json_log_line(std::string_view time, std::string_view level, std::string_view message,
                          std::string_view fields);

}  // namespace trib::server
