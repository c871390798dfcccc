// Transport-neutral HTTP request/response, filled by src/net (HTTP/1.1, h2c and TLS with ALPN
// h2 or http/1.1, all on one port; the handler never sees which one carried the request).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trib::aws {

struct HttpRequest {
  std::string method;  // "POST"
  std::string target;  // path and query, e.g. "/?X-Amz-Algorithm=..." (HTTP/2: ":path")
  // Header names lower-cased by the transport. Over HTTP/2, ":authority" arrives as "host"
  // (unless the request also carried a host header); other pseudo-headers are not listed.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  const std::string* header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return &value;
    }
    return nullptr;
  }
  std::string_view query() const {
    const auto q = target.find('?');
    return q == std::string::npos ? std::string_view() : std::string_view(target).substr(q + 1);
  }
};

// The transport's half of a streaming response body (see HttpResponse::streaming).
//
// Every method is thread-safe and may be called from any thread, at any time, including from
// inside StreamingBody::start(). None of them blocks or waits for the network: chunks are
// queued and handed to the connection's own thread, which writes them in order (HTTP/1.1: one
// chunk of the chunked encoding per write, possibly coalesced; HTTP/2: DATA frames under the
// peer's flow control).
class BodyWriter {
 public:
  virtual ~BodyWriter() = default;
  // Queues `chunk` (an empty chunk is ignored and returns the current state). Returns false,
  // and drops the chunk, once the body can no longer be delivered: the peer went away, the
  // connection closed or the server is stopping, finish() or abort() was called, or the
  // queue would exceed the transport's cap (a consumer too slow for its producer; the
  // transport then aborts the response). When it returns false for a reason other than the
  // producer's own finish()/abort(), StreamingBody::cancel() is called (or was called).
  virtual bool write(std::string chunk) = 0;
  // Ends the body normally after everything written so far (HTTP/1.1: the last, empty chunk;
  // HTTP/2: END_STREAM). Later calls, and calls after abort(), do nothing.
  virtual void finish() = 0;
  // Ends the response abnormally: HTTP/2 resets the stream (RST_STREAM INTERNAL_ERROR),
  // HTTP/1.1 closes the connection without the last chunk, so the client sees a truncated
  // body instead of a complete one. cancel() is not called afterwards.
  virtual void abort() = 0;
  // Bytes accepted by write() and not yet handed to the socket; a polite producer can slow
  // down when this grows (the cap is the transport's, a few MiB).
  virtual size_t buffered_bytes() const = 0;
};

// A response body produced over time (e.g. SubscribeToShard's event stream).
class StreamingBody {
 public:
  virtual ~StreamingBody() = default;
  // Called once, on the transport's I/O thread, after the status line and headers have been
  // queued for sending. Must return quickly (start a producer, register for wake-ups); keep
  // `writer` and call it from any thread later.
  virtual void start(std::shared_ptr<BodyWriter> writer) = 0;
  // Called at most once, on the transport's I/O thread (or, for a server being destroyed
  // without stop(), on the destroying thread), when the body ends before the
  // producer called finish() or abort(): the peer went away (connection closed, HTTP/2
  // RST_STREAM), the write queue overflowed, or the server is stopping. Also called, without
  // start(), when the connection was gone before the response could be sent. Must return
  // quickly and must not block on the producer; write() already returns false when it runs.
  virtual void cancel() = 0;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  // The whole body; ignored when `streaming` is set.
  std::string body;
  // When set, the transport sends the status and headers (no Content-Length; HTTP/1.1 uses
  // chunked transfer encoding), then calls streaming->start(writer) and sends what the
  // producer writes until it calls finish(). The handler returns right away.
  std::shared_ptr<StreamingBody> streaming;
  // Set when the transport must close the connection after sending (e.g. a refused body).
  // HTTP/1.1 only; HTTP/2 streams are independent of each other.
  bool close = false;

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

}  // namespace trib::aws
