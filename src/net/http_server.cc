#include "net/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <thread>
#include <vector>

namespace trib::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, const HttpServerOptions& options, const RequestHandler& handler)
      : stream_(std::move(socket)), options_(options), handler_(handler) {}

  void start() { read_request(); }

 private:
  void read_request() {
    parser_.emplace();
    parser_->body_limit(options_.max_body_bytes);
    parser_->header_limit(64 * 1024);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
      return close();
    }
    if (ec == http::error::body_limit) {
      // Refuse without reading the body, then close: the rest of it is never consumed.
      aws::HttpResponse refused;
      refused.status = 413;
      refused.close = true;
      return send(std::move(refused), false);
    }
    if (ec) {
      aws::HttpResponse bad;
      bad.status = 400;
      bad.close = true;
      return send(std::move(bad), false);
    }
    auto& message = parser_->get();
    aws::HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.headers.reserve(8);
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = std::move(message.body());
    const bool keep_alive = message.keep_alive();
    aws::HttpResponse response;
    try {
      response = handler_(request);
    } catch (const std::exception& e) {
      spdlog::error("unhandled error while serving a request: {}", e.what());
      response = aws::HttpResponse{};
      response.status = 500;
      response.body = "{\"__type\":\"InternalFailure\"}";
    }
    send(std::move(response), keep_alive);
  }

  void send(aws::HttpResponse response, bool keep_alive) {
    auto out = std::make_shared<http::response<http::string_body>>();
    out->result(static_cast<unsigned>(response.status));
    out->version(11);
    for (auto& [name, value] : response.headers) out->set(name, value);
    out->body() = std::move(response.body);
    out->keep_alive(keep_alive && !response.close);
    out->prepare_payload();
    http::async_write(
        stream_, *out,
        [self = shared_from_this(), out, keep = out->keep_alive()](beast::error_code ec, size_t) {
          if (ec || !keep) return self->close();
          self->read_request();
        });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const HttpServerOptions& options_;
  const RequestHandler& handler_;
};

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  RequestHandler handler;
  asio::io_context io{options.threads};
  tcp::acceptor acceptor{io};

  Impl(HttpServerOptions o, RequestHandler h) : options(std::move(o)), handler(std::move(h)) {}

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Connection>(std::move(socket), options, handler)->start();
      }
      if (acceptor.is_open()) accept();
    });
  }
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(std::string* error) {
  beast::error_code ec;
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
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void HttpServer::run() {
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.threads; ++i)
    threads.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& t : threads) t.join();
}

void HttpServer::stop() {
  asio::post(impl_->io, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->io.stop();
  });
}

}  // namespace trib::net
