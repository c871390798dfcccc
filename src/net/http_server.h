// The listening socket and HTTP/1.1 keep-alive connections (Boost.Beast on Asio). Bytes in,
// aws::HttpRequest out to a handler; aws::HttpResponse back to bytes. Bodies larger than
// max_body_bytes are refused with 413 from the Content-Length alone, before they are read.
// (HTTP/2 and TLS on the same port come in a later issue: the first bytes decide.)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "aws/http.h"

namespace trib::net {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4567;
  int threads = 2;
  uint64_t max_body_bytes = 14 * 1024 * 1024;
};

using RequestHandler = std::function<aws::HttpResponse(const aws::HttpRequest&)>;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, RequestHandler handler);
  ~HttpServer();
  // Binds and listens; returns false (with a message) when the address is unusable.
  bool listen(std::string* error);
  uint16_t bound_port() const;
  // Runs the I/O threads until stop() is called; blocks.
  void run();
  // Thread-safe; makes run() return after closing the listener and connections.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trib::net
