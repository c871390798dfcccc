// The listening socket. One port serves HTTP/1.1 (Boost.Beast), HTTP/2 with prior knowledge
// (h2c) and TLS (OpenSSL) whose ALPN picks h2 or http/1.1 (no ALPN: HTTP/1.1); the first bytes
// of each connection decide: 0x16 starts a TLS handshake, the HTTP/2 client preface
// "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" starts h2c, anything else is HTTP/1.1.
//
// Bytes in, aws::HttpRequest out to a handler; aws::HttpResponse back to bytes, with streaming
// bodies (aws::StreamingBody: chunked over HTTP/1.1, DATA frames over HTTP/2). Bodies larger
// than max_body_bytes are refused with 413 from the Content-Length alone, or as soon as the
// received body passes the limit, without buffering more.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http.h"

namespace trib::net {

struct TlsOptions {
  // Accept TLS connections on the port. When the certificate is empty, listen() generates a
  // self-signed one for localhost in memory.
  bool enabled = true;
  std::string certificate_pem;
  std::string private_key_pem;
};

// Limits against clients that hold the server's resources (docs/security.md, "Limits").
// A timeout of 0 is off.
struct ConnectionLimits {
  // A keep-alive connection with no request in progress (HTTP/2: no open stream) is closed
  // after this long (HTTP/2: GOAWAY first).
  uint64_t idle_timeout_ms = 120'000;
  // A request's header block must be complete this long after its first byte (a new
  // connection: after the accept; over TLS, after the handshake).
  uint64_t header_timeout_ms = 20'000;
  uint64_t tls_handshake_timeout_ms = 10'000;
  // A connection whose request body upload, or whose pending response bytes, make no progress
  // for this long is closed (a client that stopped reading or writing).
  uint64_t stall_timeout_ms = 60'000;
  // A request's header block (HTTP/1.1: start line and fields; HTTP/2: the header list as
  // RFC 9113 counts it) larger than this gets 431.
  uint64_t max_header_bytes = 64 * 1024;
  // Sockets open at once (any protocol, handshakes included); beyond it new ones are
  // accepted and closed at once.
  uint64_t max_connections = 10'000;
  uint32_t max_concurrent_streams = 128;  // HTTP/2, per connection
  // Response bytes a connection may hold for its client: a streaming body queuing more is
  // aborted (see aws::BodyWriter::write); an HTTP/2 connection holding more starts no new
  // request until its client has read some (HTTP/1.1 serves one request at a time).
  uint64_t max_buffered_response_bytes = 16 * 1024 * 1024;
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4567;
  // I/O threads. HTTP/1.1 handlers run on them; HTTP/2 handlers on the worker threads, so a
  // slow request does not hold up the other streams of its connection.
  int threads = 2;
  int worker_threads = 0;  // 0: as many as `threads`
  uint64_t max_body_bytes = 14 * 1024 * 1024;
  TlsOptions tls;
  ConnectionLimits limits;
};

// What each limit of HttpServerOptions did since start (metrics).
struct LimitCount {
  std::string_view limit;  // "idle_timeout", "max_connections", ...
  uint64_t count;
};

using RequestHandler = std::function<aws::HttpResponse(const aws::HttpRequest&)>;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, RequestHandler handler);
  ~HttpServer();
  // Binds and listens; returns false (with a message) when the address is unusable or the
  // TLS certificate cannot be loaded.
  bool listen(std::string* error);
  uint16_t bound_port() const;
  // Connections currently open (any protocol, handshakes included), for metrics.
  size_t open_connections() const;
  // How often each limit was reached since start, one entry per limit.
  std::vector<LimitCount> limit_counts() const;
  // Accepts that failed (e.g. out of file descriptors), since start.
  uint64_t accept_failures() const;
  // Runs the I/O threads until stop() is called; blocks.
  void run();
  // Thread-safe. Closes the listener; idle HTTP/1.1 connections close, HTTP/2 connections get
  // GOAWAY and finish their open streams; after a short grace period (or once every
  // connection is gone) run() returns. Streaming bodies still open are cancelled.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trib::net
