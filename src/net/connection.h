// Internal to src/net: what the listener shares with its connections, the connection kinds
// (HTTP/1.1 and HTTP/2, each over plain TCP or TLS), and the queue behind a streaming body.
#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aws/http.h"
#include "net/http_server.h"

namespace trib::net::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using TlsStream = asio::ssl::stream<tcp::socket>;

// A live connection, as the listener sees it when stopping.
class Connection {
 public:
  virtual ~Connection() = default;
  // Thread-safe: asks the connection (on its own strand) to wind down: HTTP/1.1 closes once
  // the response in progress is written, HTTP/2 sends GOAWAY and finishes its open streams.
  // Streaming bodies are cancelled.
  virtual void shutdown() = 0;
};

// Shared by the listener and every connection; outlives them all.
struct ServerContext {
  const HttpServerOptions& options;
  const RequestHandler& handler;
  asio::thread_pool& workers;  // HTTP/2 handlers run here
  std::function<void(const std::shared_ptr<Connection>&)> register_connection;
  std::atomic<bool>& stopping;
};

// Large header blocks are refused (HTTP/1.1: 431 via Beast's limit; HTTP/2: stream reset).
constexpr size_t kMaxHeaderBytes = 64 * 1024;

// Calls the request handler, turning an escaped exception into a bare 500 (the handler is
// expected to answer its own failures in its protocol's shape).
aws::HttpResponse call_handler(const RequestHandler& handler, const aws::HttpRequest& request);

// Connection starters. `initial_bytes` were read while sniffing the protocol.
void serve_http1(tcp::socket socket, std::string initial_bytes, ServerContext& context);
void serve_http1(std::unique_ptr<TlsStream> stream, ServerContext& context);
void serve_http2(tcp::socket socket, std::string initial_bytes, ServerContext& context);
void serve_http2(std::unique_ptr<TlsStream> stream, ServerContext& context);

// For fuzzing (tests/fuzz/http1_fuzz.cc, http2_fuzz.cc): one connection of the kind above over
// an in-memory transport (memory_stream.h) instead of a socket: `input` is what the client
// sends, delivered in reads of `pieces` bytes, then the client closes. Runs until the
// connection is quiet (HTTP/2 handlers on context.workers included) and returns what the
// server wrote. The connection is not registered with context.register_connection.
std::string serve_http1_in_memory(std::string input, std::vector<size_t> pieces,
                                  ServerContext& context);
std::string serve_http2_in_memory(std::string input, std::vector<size_t> pieces,
                                  ServerContext& context);

// Implemented by connections that send streaming bodies; called on the connection's strand
// whenever the producer wrote, finished or aborted.
class StreamOwner {
 public:
  virtual ~StreamOwner() = default;
  virtual void on_stream_event(int32_t stream_id) = 0;
};

// The BodyWriter handed to a StreamingBody: a locked queue of chunks filled from any thread
// and drained on the connection's strand. Each change posts one (coalesced) wake-up to the
// owner's strand; once the transport closes the body nothing is posted any more.
class StreamWriter : public aws::BodyWriter, public std::enable_shared_from_this<StreamWriter> {
 public:
  enum class State { open, finished, aborted, overflowed, closed };

  StreamWriter(std::weak_ptr<StreamOwner> owner, asio::any_io_executor strand, int32_t stream_id,
               size_t max_buffered_bytes);

  bool write(std::string chunk) override;
  void finish() override;
  void abort() override;
  size_t buffered_bytes() const override;

  // Transport side, on the owner's strand.
  State state() const;
  bool has_data() const;
  // Moves up to `max_bytes` queued bytes to `out`; returns how many.
  size_t take(uint8_t* out, size_t max_bytes);
  // Moves everything queued out.
  std::string take_all();
  // The transport gives up on the body (peer gone, connection closed, stream reset, server
  // stopping). Returns true when the producer had not ended it itself, i.e. when the
  // transport must call StreamingBody::cancel().
  bool close_by_transport();

 private:
  void notify_locked();

  const std::weak_ptr<StreamOwner> owner_;
  const asio::any_io_executor strand_;
  const int32_t stream_id_;
  const size_t max_buffered_bytes_;
  mutable std::mutex mutex_;
  std::deque<std::string> chunks_;
  size_t front_offset_ = 0;
  size_t buffered_ = 0;
  State state_ = State::open;
  bool wake_pending_ = false;
};

}  // namespace trib::net::detail
