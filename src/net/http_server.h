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

#include "aws/http.h"

namespace trib::net {

struct TlsOptions {
  // Accept TLS connections on the port. When the certificate is empty, listen() generates a
  // self-signed one for localhost in memory.
  bool enabled = true;
  std::string certificate_pem;
  std::string private_key_pem;
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4567;
  // I/O threads. HTTP/1.1 handlers run on them; HTTP/2 handlers on the worker threads, so a
  // slow request does not hold up the other streams of its connection.
  int threads = 2;
  int worker_threads = 0;  // 0: as many as `threads`
  uint64_t max_body_bytes = 14 * 1024 * 1024;
  // Streaming bodies: bytes written by the producer and not yet sent that a response may
  // queue before it is aborted (see aws::BodyWriter::write).
  size_t max_streaming_buffer_bytes = 16 * 1024 * 1024;
  uint32_t http2_max_concurrent_streams = 128;
  TlsOptions tls;
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
  // Connections currently open (any protocol), for metrics.
  size_t open_connections() const;
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
