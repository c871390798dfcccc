#include "server/server.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "aws/pipeline.h"
#include "console/console.h"
#include "dynamodb/service.h"
#include "dynamodb_streams/service.h"
#include "kinesis/service.h"
#include "net/http_server.h"
#include "net/tls.h"
#include "server/admin.h"
#include "server/health.h"
#include "server/init_file.h"
#include "server/kinesis_destination_sink.h"
#include "server/local_routes.h"
#include "server/logging.h"
#include "server/metrics.h"
#include "storage/engine.h"
#include "storage/keys.h"
#include "util/clock.h"
#include "util/sealed_token.h"

namespace trib::server {

namespace {

// The per-data-directory key that seals shard iterators and pagination tokens.
bool load_or_create_token_key(storage::Engine& engine, std::string* key, std::string* error) {
  const std::string storage_key = storage::KeyBuilder().u8('K').raw("token_key").take();
  auto status = engine.get(storage::Keyspace::kMeta, storage_key, key);
  if (status.is_ok() && key->size() == TokenSealer::kKeyBytes) return true;
  if (!status.is_ok() && !status.is_not_found()) {
    *error = "cannot read the token key: " + status.message;
    return false;
  }
  *key = TokenSealer::generate_key();
  storage::WriteBatch batch;
  batch.put(storage::Keyspace::kMeta, storage_key, *key);
  status = engine.write(batch, storage::WriteOptions{true});
  if (!status.is_ok()) {
    *error = "cannot store the token key: " + status.message;
    return false;
  }
  return true;
}

// TLS for the port: the operator's certificate, or a self-signed one for localhost that is
// kept in the data directory (so clients can trust it once) or, with --in-memory, made fresh.
bool configure_tls(const Config& config, net::TlsOptions* tls, std::string* error) {
  tls->enabled = !config.no_tls;
  if (config.no_tls) {
    spdlog::info("TLS: off (--no-tls)");
    return true;
  }
  net::TlsCertificate certificate;
  bool ok = false;
  if (!config.tls_cert.empty()) {
    ok = net::load_certificate_files(config.tls_cert, config.tls_key, &certificate, error);
  } else if (config.in_memory) {
    ok = net::generate_self_signed_certificate(&certificate, error);
  } else {
    const auto directory = std::filesystem::path(config.data_dir) / "tls";
    ok = net::load_or_create_self_signed_certificate(directory.string(), &certificate, error);
  }
  if (!ok) return false;
  spdlog::info("TLS (h2, http/1.1) on the same port; certificate: {}, SHA-256 {}",
               certificate.description,
               net::certificate_sha256_fingerprint(certificate.certificate_pem));
  tls->certificate_pem = std::move(certificate.certificate_pem);
  tls->private_key_pem = std::move(certificate.private_key_pem);
  return true;
}

// Each connection takes a file descriptor: raise the soft limit to the hard one (as Go's
// runtime does), and say so when --max-connections cannot be reached.
void raise_open_file_limit(uint64_t max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  // Storage files, the listener and the like need some descriptors too.
  constexpr uint64_t kReserved = 256;
  if (limit.rlim_cur != RLIM_INFINITY && max_connections + kReserved > limit.rlim_cur) {
    spdlog::warn(
        "--max-connections {} is more than the open-file limit allows ({}); connections "
        "beyond it fail to be accepted (raise ulimit -n)",
        max_connections, static_cast<uint64_t>(limit.rlim_cur));
  }
}

}  // namespace

// A service's background work runs on a thread of its own, so one service's slow pass never
// delays another's.
class LifecycleJob {
 public:
  LifecycleJob(aws::Service& service, const Clock& clock) : service_(service), clock_(clock) {
    thread_ = std::thread([this] { run(); });
  }
  ~LifecycleJob() { stop(); }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    const auto period = std::chrono::milliseconds(service_.lifecycle_period_ms());
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, period);
      if (stopping_) break;
      lock.unlock();
      service_.run_lifecycle(clock_.now_ms());
      lock.lock();
    }
  }

  aws::Service& service_;
  const Clock& clock_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

struct Server::Impl {
  Config config;
  Clock clock;
  std::unique_ptr<storage::Engine> engine;
  std::unique_ptr<TokenSealer> sealer;
  // DynamoDB table streams: written by the DynamoDB service's write path, read by the DynamoDB
  // Streams service (declared before the services, so destroyed after them).
  std::unique_ptr<dynamodb_streams::TableStreams> table_streams;
  // DynamoDB's Kinesis streaming destination's way into Kinesis (outlives the services).
  std::unique_ptr<KinesisDestinationSink> destination_sink;
  // Every service served on the port, in registration order; each has a lifecycle job.
  std::vector<std::unique_ptr<aws::Service>> services;
  std::vector<std::unique_ptr<LifecycleJob>> lifecycle_jobs;
  kinesis::KinesisService* kinesis = nullptr;     // in `services`
  dynamodb::DynamoDbService* dynamodb = nullptr;  // in `services`
  std::unique_ptr<aws::Pipeline> pipeline;
  Metrics metrics;
  std::unique_ptr<Health> health;
  LocalRoutes routes;  // Tributary's own GET routes on the port, before the AWS pipeline
  std::unique_ptr<console::Console> console;
  std::unique_ptr<net::HttpServer> http;
  std::atomic<bool> stopped{false};
  std::optional<InitPlan> init_plan;
  std::thread init_thread;  // applies init_plan once the port listens
  mutable std::mutex failure_mutex;
  std::string failure;

  // /metrics, /_tributary/health and (with --test-clock) /_tributary/clock.
  void add_routes() {
    std::vector<std::string> service_names;
    for (const auto& service : services) {
      service_names.push_back(Metrics::service_label(service->target_prefix()));
    }
    health = std::make_unique<Health>(
        HealthFacts{TRIBUTARY_VERSION, engine->name(), config.in_memory ? "" : config.data_dir,
                    config.account, config.region, std::move(service_names)});
    routes.add("GET", "/_tributary/health",
               [this](const aws::HttpRequest&, std::string_view) { return health->respond(); });
    console = std::make_unique<console::Console>(
        *kinesis, clock, console::ConsoleOptions{config.account, config.region});
    const auto serve_console = [this](const aws::HttpRequest& request, std::string_view path) {
      return console->serve(request, path);
    };
    // GET / is the console only for a browser (it asks for HTML and names no AWS target or
    // credentials); an SDK-like GET / keeps AWS's 403 AccessDeniedException.
    routes.add_when(
        "GET", "/",
        [](const aws::HttpRequest& request) {
          const std::string* accept = request.header("accept");
          return accept && accept->find("text/html") != std::string::npos &&
                 !request.header("x-amz-target") && !request.header("authorization");
        },
        serve_console);
    routes.add("GET", "/_tributary/console", serve_console);
    routes.add_prefix("GET", std::string(console::Console::kPrefix), serve_console);
    routes.add("GET", "/metrics", [this](const aws::HttpRequest&, std::string_view) {
      return text_response(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
    });
    if (config.test_clock) {
      spdlog::warn("--test-clock: /_tributary/clock can move this server's time forward");
      routes.add("", "/_tributary/clock",
                 [this](const aws::HttpRequest& request, std::string_view) {
                   return std::move(*handle_admin(request, clock));
                 });
    }
  }

  // What /metrics reads when scraped, besides the request counters.
  void add_metric_collectors() {
    metrics.add_collector([this](PrometheusWriter& w) {
      w.family("tributary_open_connections", "gauge",
               "Client connections open on the port (TLS handshakes included)");
      w.sample("tributary_open_connections", {},
               static_cast<double>(http ? http->open_connections() : 0));
      w.family("tributary_limit_reached_total", "counter",
               "Connections closed or refused, requests refused or held back because a limit "
               "was reached (docs/security.md, Limits)");
      if (http) {
        for (const auto& [limit, count] : http->limit_counts()) {
          w.sample("tributary_limit_reached_total", {{"limit", limit}}, static_cast<double>(count));
        }
      }
      w.family("tributary_accept_failures_total", "counter",
               "Connections the listener failed to accept (e.g. out of file descriptors)");
      w.sample("tributary_accept_failures_total", {},
               static_cast<double>(http ? http->accept_failures() : 0));
      w.family("tributary_storage_bytes", "gauge", "Approximate size of the stored data");
      for (auto keyspace :
           {storage::Keyspace::kMeta, storage::Keyspace::kRecords, storage::Keyspace::kItems}) {
        w.sample("tributary_storage_bytes",
                 {{"engine", engine->name()}, {"keyspace", storage::keyspace_name(keyspace)}},
                 static_cast<double>(engine->approximate_size(keyspace)));
      }
      for (const auto& statistic : engine->statistics()) {
        const std::string name = "tributary_storage_" + statistic.name;
        w.family(name, statistic.type, statistic.help);
        w.sample(name, {}, statistic.value);
      }
      w.family("tributary_kinesis_subscriptions", "gauge",
               "Open SubscribeToShard subscriptions (enhanced fan-out)");
      w.sample("tributary_kinesis_subscriptions", {},
               static_cast<double>(kinesis->subscriptions().open_count()));
      collect_kinesis_streams(w);
      collect_kinesis_destinations(w);
    });
  }

  // DynamoDB's Kinesis streaming destinations, per table: records delivered, records that could
  // not be (AWS's FailedToReplicateRecordCount, by reason), and the outbox backlog.
  void collect_kinesis_destinations(PrometheusWriter& w) {
    const dynamodb::destination::Delivery* delivery =
        dynamodb ? dynamodb->destination_delivery() : nullptr;
    if (!delivery) return;
    const auto counts = delivery->counts();
    const auto backlog = delivery->backlog();
    std::map<uint64_t, dynamodb::TableKey> keys;
    for (const auto& [id, c] : counts) keys.emplace(id, c.key);
    for (const auto& table : dynamodb->tables().list_all(clock.now_ms())) {
      if (backlog.count(table->id)) keys.emplace(table->id, table->key);
    }
    const auto labels = [&](uint64_t id) {
      const dynamodb::TableKey& key = keys.at(id);
      return std::vector<std::pair<std::string, std::string>>{
          {"account", key.account}, {"region", key.region}, {"table", key.name}};
    };
    w.family("tributary_dynamodb_destination_replicated_records_total", "counter",
             "Item changes delivered into the table's Kinesis streaming destination");
    for (const auto& [id, c] : counts) {
      w.sample("tributary_dynamodb_destination_replicated_records_total", labels(id),
               static_cast<double>(c.replicated));
    }
    w.family("tributary_dynamodb_destination_failed_to_replicate_records_total", "counter",
             "Item changes not delivered (AWS's FailedToReplicateRecordCount): reason "
             "oversized (over the stream's maximum record size) or stream_gone");
    for (const auto& [id, c] : counts) {
      auto oversized = labels(id);
      oversized.emplace_back("reason", "oversized");
      w.sample("tributary_dynamodb_destination_failed_to_replicate_records_total", oversized,
               static_cast<double>(c.oversized));
      auto gone = labels(id);
      gone.emplace_back("reason", "stream_gone");
      w.sample("tributary_dynamodb_destination_failed_to_replicate_records_total", gone,
               static_cast<double>(c.stream_gone));
    }
    w.family("tributary_dynamodb_destination_outbox_records", "gauge",
             "Item changes committed but not yet delivered to the Kinesis stream");
    for (const auto& [id, pending] : backlog) {
      w.sample("tributary_dynamodb_destination_outbox_records", labels(id),
               static_cast<double>(pending));
    }
  }

  // Per stream: open shards; per shard: records and bytes in and out since start, and the
  // shard-level metrics EnableEnhancedMonitoring turned on.
  void collect_kinesis_streams(PrometheusWriter& w) {
    const auto streams = kinesis->catalog().list_all(clock.now_ms());
    std::map<uint64_t, const kinesis::Stream*> by_id;
    w.family("tributary_kinesis_stream_open_shards", "gauge", "Open shards of each stream");
    for (const auto& stream : streams) {
      by_id[stream->id] = stream.get();
      w.sample("tributary_kinesis_stream_open_shards",
               {{"account", stream->key.account},
                {"region", stream->key.region},
                {"stream", stream->key.name}},
               static_cast<double>(stream->open_shard_count()));
    }
    struct Row {
      const kinesis::Stream* stream;
      std::string shard_id;
      streams::ShardTraffic traffic;
    };
    std::vector<Row> rows;
    for (const auto& traffic : kinesis->records().traffic()) {
      auto it = by_id.find(traffic.shard.stream_id);
      if (it == by_id.end()) continue;  // not a live Kinesis stream (a table's stream, gone)
      rows.push_back({it->second, kinesis::shard_id_for(traffic.shard.shard_index), traffic});
    }
    // A shard without traffic since start still reports the shard-level metrics enabled for it
    // when it is open (all zero; IteratorAgeMilliseconds stays absent until a read).
    std::set<std::pair<uint64_t, uint32_t>> seen;
    for (const auto& row : rows)
      seen.emplace(row.traffic.shard.stream_id, row.traffic.shard.shard_index);
    for (const auto& stream : streams) {
      if (stream->shard_level_metrics.empty()) continue;
      for (const auto& shard : stream->shards) {
        if (shard.closed_ms || seen.count({stream->id, shard.index})) continue;
        streams::ShardTraffic idle;
        idle.shard = streams::ShardRef{stream->id, shard.index};
        rows.push_back({stream.get(), shard.shard_id(), idle});
      }
    }
    const auto labels = [](const Row& row) {
      return std::vector<std::pair<std::string, std::string>>{{"account", row.stream->key.account},
                                                              {"region", row.stream->key.region},
                                                              {"stream", row.stream->key.name},
                                                              {"shard", row.shard_id}};
    };
    const std::pair<const char*, uint64_t streams::ShardTraffic::*> families[] = {
        {"tributary_kinesis_shard_incoming_records_total", &streams::ShardTraffic::records_in},
        {"tributary_kinesis_shard_incoming_bytes_total", &streams::ShardTraffic::bytes_in},
        {"tributary_kinesis_shard_outgoing_records_total", &streams::ShardTraffic::records_out},
        {"tributary_kinesis_shard_outgoing_bytes_total", &streams::ShardTraffic::bytes_out}};
    for (const auto& [name, member] : families) {
      w.family(name, "counter",
               "Records or bytes (partition key + data) put to or read from a shard since start");
      for (const auto& row : rows)
        w.sample(name, labels(row), static_cast<double>(row.traffic.*member));
    }
    // EnableEnhancedMonitoring's names. Tributary never throttles, so the
    // ...ProvisionedThroughputExceeded counts are 0. IteratorAgeMilliseconds: the age of the last
    // record of the shard's latest GetRecords or SubscribeToShard read, 0 when that read was
    // caught up (streams::iterator_age_ms has CloudWatch's definition); absent before a read.
    w.family("tributary_kinesis_enhanced_shard_metric", "gauge",
             "Shard-level metrics enabled with EnableEnhancedMonitoring, named as in CloudWatch");
    for (const auto& row : rows) {
      for (const auto& metric : row.stream->shard_level_metrics) {
        double value = 0;
        if (metric == "IncomingBytes")
          value = static_cast<double>(row.traffic.bytes_in);
        else if (metric == "IncomingRecords")
          value = static_cast<double>(row.traffic.records_in);
        else if (metric == "OutgoingBytes")
          value = static_cast<double>(row.traffic.bytes_out);
        else if (metric == "OutgoingRecords")
          value = static_cast<double>(row.traffic.records_out);
        else if (metric == "IteratorAgeMilliseconds" && row.traffic.iterator_age_ms >= 0)
          value = static_cast<double>(row.traffic.iterator_age_ms);
        else if (metric != "ReadProvisionedThroughputExceeded" &&
                 metric != "WriteProvisionedThroughputExceeded") {
          continue;
        }
        auto metric_labels = labels(row);
        metric_labels.emplace_back("metric", metric);
        w.sample("tributary_kinesis_enhanced_shard_metric", metric_labels, value);
      }
    }
  }

  // Opens each service's stored state and adds it to the port.
  bool add_services(std::string* error) {
    auto kinesis = std::make_unique<kinesis::KinesisService>(*engine, config.kinesis, *sealer);
    if (auto status = kinesis->load(); !status.is_ok()) {
      *error = "cannot load streams: " + status.message;
      return false;
    }
    this->kinesis = kinesis.get();
    destination_sink =
        std::make_unique<KinesisDestinationSink>(*kinesis, clock, config.kinesis.sync_writes);
    services.push_back(std::move(kinesis));
    auto dynamodb = std::make_unique<dynamodb::DynamoDbService>(*engine, config.dynamodb, *sealer);
    if (auto status = dynamodb->load(); !status.is_ok()) {
      *error = "cannot load tables: " + status.message;
      return false;
    }
    table_streams =
        std::make_unique<dynamodb_streams::TableStreams>(*engine, config.dynamodb_streams);
    if (auto status = table_streams->load(); !status.is_ok()) {
      *error = "cannot load table streams: " + status.message;
      return false;
    }
    dynamodb->tables().set_observer(table_streams.get());
    dynamodb->add_change_capture(table_streams.get());
    dynamodb->attach_kinesis(*destination_sink);
    this->dynamodb = dynamodb.get();
    services.push_back(std::move(dynamodb));
    services.push_back(std::make_unique<dynamodb_streams::DynamoDbStreamsService>(
        *table_streams, *sealer, config.dynamodb.validation_wording));
    for (auto& service : services) pipeline->add_service(service.get());
    return true;
  }
};

Server::Server(Config config) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
}

Server::~Server() {
  stop();
  if (impl_->init_thread.joinable()) impl_->init_thread.join();
  impl_->lifecycle_jobs.clear();
}

std::string Server::failure() const {
  std::lock_guard lock(impl_->failure_mutex);
  return impl_->failure;
}

bool Server::start(std::string* error) {
  auto& c = impl_->config;
  if (c.in_memory) {
    impl_->engine = storage::make_memory_engine();
  } else {
    std::error_code ec;
    std::filesystem::create_directories(c.data_dir, ec);
    if (ec) {
      *error = "cannot create data directory " + c.data_dir + ": " + ec.message();
      return false;
    }
    storage::Status status;
    impl_->engine = storage::open_rocksdb_engine(
        c.data_dir, &status,
        storage::EngineOptions{.sync_every_write = c.kinesis.sync_writes,
                               .recover_damaged_wal = c.recover_damaged_wal});
    if (!impl_->engine || !status.is_ok()) {
      *error = "cannot open data directory " + c.data_dir + ": " + status.message;
      return false;
    }
  }
  if (!c.init_file.empty()) {
    impl_->init_plan = load_init_file(c.init_file, error);
    if (!impl_->init_plan) return false;
  }
  std::string key;
  if (!load_or_create_token_key(*impl_->engine, &key, error)) return false;
  impl_->sealer = std::make_unique<TokenSealer>(std::move(key));
  aws::PipelineOptions pipeline_options;
  pipeline_options.default_account = c.account;
  pipeline_options.default_region = c.region;
  if (!c.auth_file.empty()) {
    auto credentials = aws::sigv4::CredentialStore::load(c.auth_file, error);
    if (!credentials) return false;
    spdlog::info("--auth: SigV4 signatures verified against {} key(s) from {}", credentials->size(),
                 c.auth_file);
    pipeline_options.credentials =
        std::make_shared<const aws::sigv4::CredentialStore>(std::move(*credentials));
    pipeline_options.max_clock_skew_minutes = c.auth_clock_skew_minutes;
  }
  impl_->pipeline = std::make_unique<aws::Pipeline>(std::move(pipeline_options), impl_->clock);
  if (!impl_->add_services(error)) return false;
  // Every answered request: counted for /metrics, logged at debug level.
  impl_->pipeline->set_observer([metrics = &impl_->metrics](const aws::RequestOutcome& outcome) {
    metrics->observe(outcome);
    log_request(outcome);
  });
  impl_->add_routes();
  impl_->add_metric_collectors();

  net::HttpServerOptions http_options;
  http_options.host = c.host;
  http_options.port = c.port;
  http_options.threads =
      c.threads > 0 ? c.threads : std::max(2u, std::thread::hardware_concurrency());
  http_options.max_body_bytes = c.max_request_bytes;
  http_options.limits = c.limits;
  raise_open_file_limit(c.limits.max_connections);
  if (!configure_tls(c, &http_options.tls, error)) return false;
  net::RequestHandler handler = [impl = impl_.get()](const aws::HttpRequest& request) {
    if (auto local = impl->routes.handle(request)) return std::move(*local);
    return impl->pipeline->handle(request);
  };
  impl_->http = std::make_unique<net::HttpServer>(http_options, std::move(handler));
  if (!impl_->http->listen(error)) return false;
  for (auto& service : impl_->services) {
    impl_->lifecycle_jobs.push_back(std::make_unique<LifecycleJob>(*service, impl_->clock));
  }
  if (!impl_->init_plan) {
    impl_->health->set_state(ServingState::kServing);
    return true;
  }
  // The init file is applied while the port already answers (health: 503 "starting"), through
  // the pipeline as ordinary requests; a failure stops the server.
  impl_->init_thread = std::thread([this] {
    std::string init_error;
    const auto handle = [this](const aws::HttpRequest& request) {
      if (impl_->stopped) return text_response(503, "text/plain", "stopping");
      return impl_->pipeline->handle_trusted(request);  // the operator's own file: not signed
    };
    if (apply_init_plan(*impl_->init_plan, handle, &init_error)) {
      if (!impl_->stopped) impl_->health->set_state(ServingState::kServing);
      return;
    }
    if (impl_->stopped) return;  // stopped (a signal) while applying: not the file's fault
    {
      std::lock_guard lock(impl_->failure_mutex);
      impl_->failure = init_error;
    }
    stop();
  });
  return true;
}

uint16_t Server::port() const { return impl_->http ? impl_->http->bound_port() : 0; }

void Server::run() { impl_->http->run(); }

void Server::stop() {
  if (impl_->stopped.exchange(true)) return;
  if (impl_->health) impl_->health->set_state(ServingState::kStopping);
  if (impl_->config.test_stop_delay_ms > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(impl_->config.test_stop_delay_ms));
  }
  for (auto& job : impl_->lifecycle_jobs) job->stop();
  // Services end their long-lived responses first, cleanly, while their connections still
  // exist: a delivery thread must not write to a connection the HTTP server is tearing down.
  for (auto& service : impl_->services) service->stop();
  if (impl_->console) impl_->console->stop();
  if (impl_->http) impl_->http->stop();
}

}  // namespace trib::server
