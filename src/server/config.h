// Server configuration: command-line flags, each also readable from a TRIBUTARY_* environment
// variable (flag wins).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dynamodb/context.h"
#include "dynamodb_streams/table_streams.h"
#include "kinesis/context.h"
#include "net/http_server.h"

namespace trib::server {

struct Config {
  std::string host = "127.0.0.1";
  uint16_t port = 4567;
  std::string data_dir = "./tributary-data";
  bool in_memory = false;
  // Start on a data directory whose write-ahead log has a damaged record with writes after it,
  // dropping those writes (storage::EngineOptions::recover_damaged_wal).
  bool recover_damaged_wal = false;
  std::string region = "us-east-1";
  std::string account = "000000000000";
  std::string log_level = "info";
  std::string log_format = "text";  // or "json": one JSON object a line
  int threads = 0;                  // 0: one per core
  uint64_t max_request_bytes = 14 * 1024 * 1024;
  // Connection limits on the port (timeouts, header bytes, connections, HTTP/2 streams,
  // buffered response bytes; docs/security.md, "Limits").
  net::ConnectionLimits limits;
  bool test_clock = false;
  // Tests only (hidden flag): how long a stop keeps the port answering, health saying
  // "stopping", before anything shuts down.
  int64_t test_stop_delay_ms = 0;
  // TLS on the listening port (sniffed per connection). Both paths or neither: without them a
  // self-signed certificate for localhost is kept in <data-dir>/tls (in memory with
  // --in-memory).
  std::string tls_cert;
  std::string tls_key;
  bool no_tls = false;
  // --auth: an AWS shared-credentials file; every AWS request's SigV4 signature is then
  // verified against its keys (docs/security.md). Empty: signatures are not verified.
  std::string auth_file;
  int64_t auth_clock_skew_minutes = 5;
  // Streams and tables to create at start-up when missing (server/init_file.h); empty: none.
  std::string init_file;
  kinesis::KinesisOptions kinesis;
  dynamodb::DynamoDbOptions dynamodb;
  dynamodb_streams::StreamsOptions dynamodb_streams;
};

// Parses argv (and the environment). Returns the exit code to use when the program should
// stop right away (--help, a bad flag), nullopt to run.
std::optional<int> parse_config(int argc, char** argv, Config* config);

}  // namespace trib::server
