#include "net/http_server.h"

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "net/connection.h"
#include "net/tls.h"

namespace trib::net {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using detail::TlsStream;

namespace {

constexpr std::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr unsigned char kTlsHandshakeRecord = 0x16;
constexpr auto kShutdownGrace = std::chrono::milliseconds(2000);
constexpr auto kShutdownPoll = std::chrono::milliseconds(20);

// ALPN: the server's preference wins: h2, then http/1.1; no common protocol means no ALPN
// (the connection then speaks HTTP/1.1).
int select_alpn(SSL*, const unsigned char** out, unsigned char* out_length,
                const unsigned char* offered, unsigned int offered_length, void*) {
  static constexpr unsigned char kSupported[] = "\x02h2\x08http/1.1";
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_length, kSupported, sizeof(kSupported) - 1, offered,
                            offered_length) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// Reads a connection's first bytes and hands it to the protocol they announce.
class ProtocolSniffer : public std::enable_shared_from_this<ProtocolSniffer> {
 public:
  ProtocolSniffer(tcp::socket socket, detail::ServerContext& context, ssl::context* tls)
      : socket_(std::move(socket)), context_(context), tls_(tls) {}

  void start() { read_more(); }

 private:
  void read_more() {
    socket_.async_read_some(asio::buffer(bytes_.data() + size_, bytes_.size() - size_),
                            [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                              if (ec) return;  // the socket closes with the sniffer
                              self->size_ += n;
                              self->decide();
                            });
  }

  void decide() {
    if (static_cast<unsigned char>(bytes_[0]) == kTlsHandshakeRecord) return start_tls();
    if (std::memcmp(bytes_.data(), kHttp2Preface.data(), std::min(size_, kHttp2Preface.size())) ==
        0) {
      if (size_ < kHttp2Preface.size()) return read_more();
      return detail::serve_http2(std::move(socket_), std::string(bytes_.data(), size_), context_);
    }
    detail::serve_http1(std::move(socket_), std::string(bytes_.data(), size_), context_);
  }

  void start_tls() {
    if (!tls_) {
      spdlog::debug("refusing a TLS connection (--no-tls)");
      return;
    }
    tls_stream_ = std::make_unique<TlsStream>(std::move(socket_), *tls_);
    tls_stream_->async_handshake(
        ssl::stream_base::server, asio::buffer(bytes_.data(), size_),
        [self = shared_from_this()](boost::system::error_code ec, size_t) {
          if (ec) {
            spdlog::debug("TLS handshake failed: {}", ec.message());
            return;
          }
          const unsigned char* protocol = nullptr;
          unsigned int length = 0;
          SSL_get0_alpn_selected(self->tls_stream_->native_handle(), &protocol, &length);
          if (length == 2 && std::memcmp(protocol, "h2", 2) == 0) {
            detail::serve_http2(std::move(self->tls_stream_), self->context_);
          } else {
            detail::serve_http1(std::move(self->tls_stream_), self->context_);
          }
        });
  }

  tcp::socket socket_;
  detail::ServerContext& context_;
  ssl::context* tls_;
  // Room for more than the preface: whatever the first read brings is passed on whole (a
  // parser that fails on the first bytes then closes with nothing left unread).
  std::array<char, 4096> bytes_{};
  size_t size_ = 0;
  std::unique_ptr<TlsStream> tls_stream_;
};

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  RequestHandler handler;
  // Outlives `io`, whose destruction destroys the connections that use it.
  std::unique_ptr<ssl::context> tls;
  std::atomic<bool> stopping{false};
  asio::io_context io{options.threads};
  // Declared after `io` so it is destroyed first: its queued tasks hold connections whose
  // sockets belong to `io`.
  asio::thread_pool workers{static_cast<size_t>(
      options.worker_threads > 0 ? options.worker_threads : std::max(1, options.threads))};
  tcp::acceptor acceptor{io};

  mutable std::mutex connections_mutex;
  std::vector<std::weak_ptr<detail::Connection>> connections;
  size_t prune_at = 64;

  detail::ServerContext context{options, handler, workers,
                                [this](const std::shared_ptr<detail::Connection>& connection) {
                                  register_connection(connection);
                                },
                                stopping};

  Impl(HttpServerOptions o, RequestHandler h) : options(std::move(o)), handler(std::move(h)) {}

  void register_connection(const std::shared_ptr<detail::Connection>& connection) {
    std::lock_guard lock(connections_mutex);
    if (connections.size() >= prune_at) {
      std::erase_if(connections, [](const auto& weak) { return weak.expired(); });
      prune_at = std::max<size_t>(64, connections.size() * 2);
    }
    connections.push_back(connection);
  }

  size_t alive_connections() const {
    std::lock_guard lock(connections_mutex);
    size_t alive = 0;
    for (const auto& weak : connections) alive += weak.expired() ? 0 : 1;
    return alive;
  }

  bool any_connection_alive() {
    std::lock_guard lock(connections_mutex);
    for (const auto& weak : connections) {
      if (!weak.expired()) return true;
    }
    return false;
  }

  bool set_up_tls(std::string* error) {
    if (!options.tls.enabled) return true;
    TlsCertificate certificate{options.tls.certificate_pem, options.tls.private_key_pem, ""};
    if (certificate.certificate_pem.empty() &&
        !generate_self_signed_certificate(&certificate, error)) {
      return false;
    }
    tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    boost::system::error_code ec;
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                     ec);
    if (!ec) {
      tls->use_certificate_chain(asio::buffer(certificate.certificate_pem), ec);
    }
    if (!ec) {
      tls->use_private_key(asio::buffer(certificate.private_key_pem), ssl::context::pem, ec);
    }
    if (ec) {
      *error = "cannot use the TLS certificate: " + ec.message();
      return false;
    }
    SSL_CTX_set_alpn_select_cb(tls->native_handle(), &select_alpn, nullptr);
    return true;
  }

  void accept() {
    acceptor.async_accept(
        asio::make_strand(io), [this](boost::system::error_code ec, tcp::socket socket) {
          if (ec == asio::error::operation_aborted || stopping.load()) return;
          if (!ec) {
            boost::system::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            std::make_shared<ProtocolSniffer>(std::move(socket), context, tls.get())->start();
          }
          if (acceptor.is_open()) accept();
        });
  }

  // On `io`: polls until every connection is gone or the grace period is over.
  void wait_for_connections(std::shared_ptr<asio::steady_timer> timer,
                            std::chrono::steady_clock::time_point deadline) {
    if (!any_connection_alive() || std::chrono::steady_clock::now() >= deadline) {
      io.stop();
      return;
    }
    timer->expires_after(kShutdownPoll);
    timer->async_wait([this, timer, deadline](boost::system::error_code) {
      wait_for_connections(timer, deadline);
    });
  }
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() {
  // Handlers still running on the workers finish before the connections' sockets go away.
  impl_->workers.join();
}

bool HttpServer::listen(std::string* error) {
  if (!impl_->set_up_tls(error)) return false;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) {
    // Resolve host names such as "localhost".
    tcp::resolver resolver(impl_->io);
    auto results = resolver.resolve(impl_->options.host, std::to_string(impl_->options.port), ec);
    if (ec || results.empty()) {
      *error = "cannot resolve host " + impl_->options.host;
      return false;
    }
    address = results.begin()->endpoint().address();
  }
  tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    *error = "cannot listen on " + impl_->options.host + ":" + std::to_string(impl_->options.port) +
             ": " + ec.message();
    return false;
  }
  impl_->accept();
  return true;
}

uint16_t HttpServer::bound_port() const {
  boost::system::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

size_t HttpServer::open_connections() const { return impl_->alive_connections(); }

void HttpServer::run() {
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.threads; ++i)
    threads.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& t : threads) t.join();
  impl_->workers.join();
}

void HttpServer::stop() {
  asio::post(impl_->io, [impl = impl_.get()] {
    if (impl->stopping.exchange(true)) return;
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
    std::vector<std::shared_ptr<detail::Connection>> live;
    {
      std::lock_guard lock(impl->connections_mutex);
      for (const auto& weak : impl->connections) {
        if (auto connection = weak.lock()) live.push_back(std::move(connection));
      }
    }
    for (const auto& connection : live) connection->shutdown();
    live.clear();
    impl->wait_for_connections(std::make_shared<asio::steady_timer>(impl->io),
                               std::chrono::steady_clock::now() + kShutdownGrace);
  });
}

}  // namespace trib::net
