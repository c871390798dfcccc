#include "server/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <thread>

#include "aws/pipeline.h"
#include "dynamodb/service.h"
#include "kinesis/service.h"
#include "net/http_server.h"
#include "net/tls.h"
#include "server/admin.h"
#include "server/kinesis_destination_sink.h"
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
  // DynamoDB's Kinesis streaming destination's way into Kinesis (outlives the services).
  std::unique_ptr<KinesisDestinationSink> destination_sink;
  // Every service served on the port, in registration order; each has a lifecycle job.
  std::vector<std::unique_ptr<aws::Service>> services;
  std::vector<std::unique_ptr<LifecycleJob>> lifecycle_jobs;
  std::unique_ptr<aws::Pipeline> pipeline;
  std::unique_ptr<net::HttpServer> http;
  std::atomic<bool> stopped{false};

  // Opens each service's stored state and adds it to the port.
  bool add_services(std::string* error) {
    auto kinesis =
        std::make_unique<kinesis::KinesisService>(*engine, config.kinesis, *sealer);
    if (auto status = kinesis->load(); !status.is_ok()) {
      *error = "cannot load streams: " + status.message;
      return false;
    }
    destination_sink =
        std::make_unique<KinesisDestinationSink>(*kinesis, clock, config.kinesis.sync_writes);
    services.push_back(std::move(kinesis));
    auto dynamodb =
        std::make_unique<dynamodb::DynamoDbService>(*engine, config.dynamodb, *sealer);
    if (auto status = dynamodb->load(); !status.is_ok()) {
      *error = "cannot load tables: " + status.message;
      return false;
    }
    dynamodb->attach_kinesis(*destination_sink);
    services.push_back(std::move(dynamodb));
    for (auto& service : services) pipeline->add_service(service.get());
    return true;
  }
};

Server::Server(Config config) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
}

Server::~Server() {
  stop();
  impl_->lifecycle_jobs.clear();
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
    impl_->engine = storage::open_rocksdb_engine(c.data_dir, &status);
    if (!impl_->engine || !status.is_ok()) {
      *error = "cannot open data directory " + c.data_dir + ": " + status.message;
      return false;
    }
  }
  std::string key;
  if (!load_or_create_token_key(*impl_->engine, &key, error)) return false;
  impl_->sealer = std::make_unique<TokenSealer>(std::move(key));
  impl_->pipeline =
      std::make_unique<aws::Pipeline>(aws::PipelineOptions{c.account, c.region}, impl_->clock);
  if (!impl_->add_services(error)) return false;

  net::HttpServerOptions http_options;
  http_options.host = c.host;
  http_options.port = c.port;
  http_options.threads =
      c.threads > 0 ? c.threads : std::max(2u, std::thread::hardware_concurrency());
  http_options.max_body_bytes = c.max_request_bytes;
  if (!configure_tls(c, &http_options.tls, error)) return false;
  auto* pipeline = impl_->pipeline.get();
  net::RequestHandler handler = [pipeline](const aws::HttpRequest& request) {
    return pipeline->handle(request);
  };
  if (c.test_clock) {
    spdlog::warn("--test-clock: /_tributary/clock can move this server's time forward");
    handler = [pipeline, clock = &impl_->clock](const aws::HttpRequest& request) {
      if (auto admin = handle_admin(request, *clock)) return std::move(*admin);
      return pipeline->handle(request);
    };
  }
  impl_->http = std::make_unique<net::HttpServer>(http_options, std::move(handler));
  if (!impl_->http->listen(error)) return false;
  for (auto& service : impl_->services) {
    impl_->lifecycle_jobs.push_back(std::make_unique<LifecycleJob>(*service, impl_->clock));
  }
  return true;
}

uint16_t Server::port() const { return impl_->http ? impl_->http->bound_port() : 0; }

void Server::run() { impl_->http->run(); }

void Server::stop() {
  if (impl_->stopped.exchange(true)) return;
  for (auto& job : impl_->lifecycle_jobs) job->stop();
  // Services end their long-lived responses first, cleanly, while their connections still
  // exist: a delivery thread must not write to a connection the HTTP server is tearing down.
  for (auto& service : impl_->services) service->stop();
  if (impl_->http) impl_->http->stop();
}

}  // namespace trib::server
