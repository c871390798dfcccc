#include "server/config.h"

#include <CLI/CLI.hpp>

namespace trib::server {

std::optional<int> parse_config(int argc, char** argv, Config* config) {
  CLI::App app{"Tributary: Amazon Kinesis Data Streams (and more) on one fast local port"};
  app.option_defaults()->always_capture_default();
  app.add_option("--host", config->host, "Address to listen on")->envname("TRIBUTARY_HOST");
  app.add_option("--port", config->port, "Port to listen on")->envname("TRIBUTARY_PORT");
  app.add_option("--data-dir", config->data_dir, "Directory of the RocksDB data")
      ->envname("TRIBUTARY_DATA_DIR");
  app.add_flag("--in-memory", config->in_memory, "Keep everything in memory (nothing persists)")
      ->envname("TRIBUTARY_IN_MEMORY");
  app.add_option("--region", config->region, "Region when a request's credential scope names none")
      ->envname("TRIBUTARY_REGION");
  app.add_option("--account", config->account,
                 "Account when a request's access key id is not 12 digits")
      ->envname("TRIBUTARY_ACCOUNT")
      ->check([](const std::string& v) {
        return v.size() == 12 && v.find_first_not_of("0123456789") == std::string::npos
                   ? std::string()
                   : std::string("the account must be 12 digits");
      });
  app.add_option("--log-level", config->log_level, "trace, debug, info, warn, error or off")
      ->envname("TRIBUTARY_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  app.add_option("--log-format", config->log_format,
                 "text, or json (one JSON object a line; request logs at debug level)")
      ->envname("TRIBUTARY_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--threads", config->threads, "I/O threads (0: one per core)")
      ->envname("TRIBUTARY_THREADS")
      ->check(CLI::Range(0, 256));
  app.add_option("--max-request-bytes", config->max_request_bytes,
                 "Largest request body accepted; larger ones get 413 unread")
      ->envname("TRIBUTARY_MAX_REQUEST_BYTES");
  // Connection limits (docs/security.md, "Limits"); every timeout: 0 turns it off.
  auto& limits = config->limits;
  app.add_option("--idle-timeout-ms", limits.idle_timeout_ms,
                 "Close a keep-alive connection with no request in progress (HTTP/2: no open "
                 "stream) after this long")
      ->envname("TRIBUTARY_IDLE_TIMEOUT_MS");
  app.add_option("--header-timeout-ms", limits.header_timeout_ms,
                 "Close a connection whose request header block is not complete this long after "
                 "it began (slowloris)")
      ->envname("TRIBUTARY_HEADER_TIMEOUT_MS");
  app.add_option("--tls-handshake-timeout-ms", limits.tls_handshake_timeout_ms,
                 "Close a connection whose TLS handshake takes longer")
      ->envname("TRIBUTARY_TLS_HANDSHAKE_TIMEOUT_MS");
  app.add_option("--stall-timeout-ms", limits.stall_timeout_ms,
                 "Close a connection whose request upload or pending response makes no progress "
                 "for this long (a client that stopped reading)")
      ->envname("TRIBUTARY_STALL_TIMEOUT_MS");
  app.add_option("--max-header-bytes", limits.max_header_bytes,
                 "Largest request header block; larger ones get 431")
      ->envname("TRIBUTARY_MAX_HEADER_BYTES")
      ->check(CLI::Range(uint64_t{1024}, uint64_t{16} * 1024 * 1024));
  app.add_option("--max-connections", limits.max_connections,
                 "Connections open at once; further ones are accepted and closed at once")
      ->envname("TRIBUTARY_MAX_CONNECTIONS")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-concurrent-streams", limits.max_concurrent_streams,
                 "HTTP/2 streams a connection may have open at once "
                 "(SETTINGS_MAX_CONCURRENT_STREAMS)")
      ->envname("TRIBUTARY_MAX_CONCURRENT_STREAMS")
      ->check(CLI::Range(uint32_t{1}, uint32_t{1} << 30));
  app.add_option("--max-buffered-response-bytes", limits.max_buffered_response_bytes,
                 "Response bytes a connection may hold for a client that does not read: a "
                 "streaming response queuing more is ended, an HTTP/2 connection holding more "
                 "starts no new request")
      ->envname("TRIBUTARY_MAX_BUFFERED_RESPONSE_BYTES")
      ->check(CLI::Range(uint64_t{2} * 1024 * 1024, uint64_t{1} << 40));
  auto* tls_cert = app.add_option("--tls-cert", config->tls_cert,
                                  "TLS certificate chain (PEM) for the port; default: a "
                                  "self-signed one for localhost in <data-dir>/tls")
                       ->envname("TRIBUTARY_TLS_CERT")
                       ->check(CLI::ExistingFile);
  auto* tls_key = app.add_option("--tls-key", config->tls_key, "Private key (PEM) of --tls-cert")
                      ->envname("TRIBUTARY_TLS_KEY")
                      ->check(CLI::ExistingFile);
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  auto* no_tls = app.add_flag("--no-tls", config->no_tls,
                              "Refuse TLS connections (plain HTTP/1.1 and h2c only)")
                     ->envname("TRIBUTARY_NO_TLS");
  no_tls->excludes(tls_cert);
  no_tls->excludes(tls_key);
  app.add_option("--auth", config->auth_file,
                 "AWS shared-credentials file ([name] sections with aws_access_key_id, "
                 "aws_secret_access_key, optional aws_session_token and aws_account_id): verify "
                 "every AWS request's SigV4 signature against these keys")
      ->envname("TRIBUTARY_AUTH")
      ->check(CLI::ExistingFile);
  app.add_option("--auth-clock-skew-minutes", config->auth_clock_skew_minutes,
                 "With --auth: how far a request's X-Amz-Date may be from the server's clock")
      ->envname("TRIBUTARY_AUTH_CLOCK_SKEW_MINUTES")
      ->check(CLI::Range(int64_t{1}, int64_t{7 * 24 * 60}));
  app.add_option("--init", config->init_file,
                 "YAML or JSON file of streams and tables to create at start-up when missing")
      ->envname("TRIBUTARY_INIT")
      ->check(CLI::ExistingFile);
  app.add_flag(
         "--sync-writes", config->kinesis.sync_writes,
         "Durable mode: fsync every acknowledged write (survives power loss, not just a crash)")
      ->envname("TRIBUTARY_SYNC_WRITES");
  app.add_flag("--recover-damaged-wal", config->recover_damaged_wal,
               "Start even if a write-ahead log file has a damaged record with writes after it: "
               "keep what precedes the damage and drop those writes (without it, start-up "
               "refuses such a directory)")
      ->envname("TRIBUTARY_RECOVER_DAMAGED_WAL");
  app.add_flag("--test-clock", config->test_clock,
               "Tests only: serve /_tributary/clock to move the server's clock forward")
      ->envname("TRIBUTARY_TEST_CLOCK");
  app.add_option("--test-stop-delay-ms", config->test_stop_delay_ms,
                 "Tests only: on a stop, keep answering (health: 503 stopping) this long first")
      ->check(CLI::Range(int64_t{0}, int64_t{60000}))
      ->group("");  // hidden
  app.add_option("--create-stream-ms", config->kinesis.create_stream_ms,
                 "How long a new stream stays CREATING")
      ->envname("TRIBUTARY_CREATE_STREAM_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--delete-stream-ms", config->kinesis.delete_stream_ms,
                 "How long a deleted stream stays DELETING")
      ->envname("TRIBUTARY_DELETE_STREAM_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--update-stream-ms", config->kinesis.update_stream_ms,
                 "How long a stream stays UPDATING after a change")
      ->envname("TRIBUTARY_UPDATE_STREAM_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--encryption-ms", config->kinesis.encryption_ms,
                 "How long a stream stays UPDATING after Start/StopStreamEncryption")
      ->envname("TRIBUTARY_ENCRYPTION_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--register-consumer-ms", config->kinesis.register_consumer_ms,
                 "How long a new stream consumer stays CREATING")
      ->envname("TRIBUTARY_REGISTER_CONSUMER_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--deregister-consumer-ms", config->kinesis.deregister_consumer_ms,
                 "How long a deregistered stream consumer stays DELETING")
      ->envname("TRIBUTARY_DEREGISTER_CONSUMER_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--consumer-limit", config->kinesis.consumer_limit,
                 "Registered consumers allowed per stream")
      ->envname("TRIBUTARY_CONSUMER_LIMIT")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-shards-per-stream", config->kinesis.max_shards_per_stream,
                 "Most open shards UpdateShardCount may give one stream")
      ->envname("TRIBUTARY_MAX_SHARDS_PER_STREAM")
      ->check(CLI::PositiveNumber);
  app.add_option("--shard-count-updates-per-day", config->kinesis.shard_count_updates_per_day,
                 "UpdateShardCount calls allowed per stream in any 24 hours")
      ->envname("TRIBUTARY_SHARD_COUNT_UPDATES_PER_DAY")
      ->check(CLI::PositiveNumber);
  app.add_option("--on-demand-stream-limit", config->kinesis.on_demand_stream_limit,
                 "ON_DEMAND streams allowed per account and region")
      ->envname("TRIBUTARY_ON_DEMAND_STREAM_LIMIT")
      ->check(CLI::PositiveNumber);
  app.add_option("--shard-limit", config->kinesis.shard_limit,
                 "Open shards allowed per account and region")
      ->envname("TRIBUTARY_SHARD_LIMIT")
      ->check(CLI::PositiveNumber);
  app.add_option("--create-table-ms", config->dynamodb.create_table_ms,
                 "How long a new DynamoDB table stays CREATING")
      ->envname("TRIBUTARY_CREATE_TABLE_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--delete-table-ms", config->dynamodb.delete_table_ms,
                 "How long a deleted DynamoDB table stays DELETING")
      ->envname("TRIBUTARY_DELETE_TABLE_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--update-table-ms", config->dynamodb.update_table_ms,
                 "How long a DynamoDB table stays UPDATING after UpdateTable")
      ->envname("TRIBUTARY_UPDATE_TABLE_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--kinesis-destination-ms", config->dynamodb.kinesis_destination_ms,
                 "How long a Kinesis streaming destination stays ENABLING, DISABLING or UPDATING")
      ->envname("TRIBUTARY_KINESIS_DESTINATION_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--create-index-ms", config->dynamodb.create_index_ms,
                 "How long a new global secondary index stays CREATING (backfilling)")
      ->envname("TRIBUTARY_CREATE_INDEX_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--table-limit", config->dynamodb.table_limit,
                 "DynamoDB tables allowed per account and region")
      ->envname("TRIBUTARY_TABLE_LIMIT")
      ->check(CLI::PositiveNumber);
  app.add_option("--stream-shard-rollover-ms", config->dynamodb_streams.rollover_ms,
                 "How long a DynamoDB stream shard stays open before it rolls over to a child "
                 "(AWS: about 4 hours)")
      ->envname("TRIBUTARY_STREAM_SHARD_ROLLOVER_MS")
      ->check(CLI::Range(int64_t{1000}, int64_t{1} << 50));
  app.add_option("--item-collection-limit-bytes", config->dynamodb.item_collection_limit_bytes,
                 "Tests only: bytes an item collection of a DynamoDB table with a local index may "
                 "hold (AWS: 10 GB)")
      ->envname("TRIBUTARY_ITEM_COLLECTION_LIMIT_BYTES")
      ->check(CLI::PositiveNumber)
      ->group("");  // hidden
  app.add_option("--update-ttl-ms", config->dynamodb.update_ttl_ms,
                 "How long Time to Live stays ENABLING or DISABLING after UpdateTimeToLive")
      ->envname("TRIBUTARY_UPDATE_TTL_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--ttl-change-window-ms", config->dynamodb.ttl_change_window_ms,
                 "After an UpdateTimeToLive, how long further changes are refused (0: never)")
      ->envname("TRIBUTARY_TTL_CHANGE_WINDOW_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--ttl-sweep-interval-ms", config->dynamodb.ttl_sweep_interval_ms,
                 "How often the TTL job starts a pass over each table with TTL enabled")
      ->envname("TRIBUTARY_TTL_SWEEP_INTERVAL_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--ttl-items-per-tick", config->dynamodb.ttl_items_per_tick,
                 "Items the TTL job examines per lifecycle tick (100 ms), all tables together")
      ->envname("TRIBUTARY_TTL_ITEMS_PER_TICK")
      ->check(CLI::PositiveNumber);
  app.add_option("--contributor-insights-ms", config->dynamodb.contributor_insights_ms,
                 "How long contributor insights stay ENABLING or DISABLING")
      ->envname("TRIBUTARY_CONTRIBUTOR_INSIGHTS_MS")
      ->check(CLI::NonNegativeNumber);
  std::string validation_messages = "current";
  app.add_option("--validation-messages", validation_messages,
                 "DynamoDB validation wording: current (AWS's 2026 form) or legacy")
      ->envname("TRIBUTARY_VALIDATION_MESSAGES")
      ->check(CLI::IsMember({"current", "legacy"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  config->dynamodb.validation_wording = validation_messages == "legacy"
                                            ? aws::ValidationStyle::Wording::kLegacy
                                            : aws::ValidationStyle::Wording::kCurrent;
  config->dynamodb.sync_writes = config->kinesis.sync_writes;
  return std::nullopt;
}

}  // namespace trib::server
