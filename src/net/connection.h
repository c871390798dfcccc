// Internal to src/net: what the listener shares with its connections, the connection kinds
// (HTTP/1.1 and HTTP/2, each over plain TCP or TLS), and the queue behind a streaming body.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aws/http.h"
#include "net/http_server.h"

namespace trib::net::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using TlsStream = asio::ssl::stream<tcp::socket>;

using SteadyClock = std::chrono::steady_clock;

// The limits of HttpServerOptions, counted each time one is reached (names in http_server.cc).
enum class Limit : size_t {
  kMaxConnections,
  kIdleTimeout,
  kHeaderTimeout,
  kTlsHandshakeTimeout,
  kStallTimeout,
  kMaxHeaderBytes,
  kMaxRequestBytes,
  kMaxConcurrentStreams,
  kMaxBufferedResponseBytes,
  kCount
};

class LimitCounters {
 public:
  void add(Limit limit) {
    counts_[static_cast<size_t>(limit)].fetch_add(1, std::memory_order_relaxed);
  }
  uint64_t get(Limit limit) const {
    return counts_[static_cast<size_t>(limit)].load(std::memory_order_relaxed);
  }

 private:
  std::array<std::atomic<uint64_t>, static_cast<size_t>(Limit::kCount)> counts_{};
};

// Counts one accepted socket against max_connections from the accept until the socket's last
// owner (sniffer, TLS handshake, connection) is gone; moves along with the socket.
class ConnectionSlot {
 public:
  ConnectionSlot() = default;
  ConnectionSlot(std::atomic<size_t>* open, SteadyClock::time_point accepted_at)
      : open_(open), accepted_at_(accepted_at) {}
  ConnectionSlot(ConnectionSlot&& other) noexcept
      : open_(std::exchange(other.open_, nullptr)), accepted_at_(other.accepted_at_) {}
  ConnectionSlot& operator=(ConnectionSlot&& other) noexcept {
    if (this != &other) {
      release();
      open_ = std::exchange(other.open_, nullptr);
      accepted_at_ = other.accepted_at_;
    }
    return *this;
  }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  ~ConnectionSlot() { release(); }

  SteadyClock::time_point accepted_at() const { return accepted_at_; }

 private:
  void release() {
    if (open_) open_->fetch_sub(1, std::memory_order_relaxed);
    open_ = nullptr;
  }

  std::atomic<size_t>* open_ = nullptr;
  SteadyClock::time_point accepted_at_{};
};

// A connection's one timer for its time limits, used on the connection's strand. The
// connection asks to be called back no later than a deadline; when called, it works out which
// limit (if any) has run out and, if none has, asks again for the next deadline. So a busy
// connection does not re-arm a timer for every read and write, only when a deadline comes
// closer than the one already armed.
class Watchdog {
 public:
  explicit Watchdog(asio::any_io_executor strand) : timer_(std::move(strand)) {}

  // `on_fire` must keep its connection (and so this watchdog) alive.
  template <class Handler>
  void fire_by(SteadyClock::time_point deadline, Handler on_fire) {
    if (armed_ && armed_for_ <= deadline) return;
    armed_ = true;
    armed_for_ = deadline;
    const uint64_t generation = ++generation_;
    timer_.expires_at(deadline);
    timer_.async_wait(
        [this, generation, on_fire = std::move(on_fire)](boost::system::error_code ec) mutable {
          if (ec || generation != generation_) return;
          armed_ = false;
          on_fire();
        });
  }

  // Drops the pending callback (and with it the connection it keeps alive).
  void cancel() {
    ++generation_;
    armed_ = false;
    timer_.cancel();
  }

 private:
  asio::steady_timer timer_;
  bool armed_ = false;
  SteadyClock::time_point armed_for_{};
  uint64_t generation_ = 0;
};

// `since + timeout`, or nothing when the timeout is off (zero).
inline std::optional<SteadyClock::time_point> deadline_after(SteadyClock::time_point since,
                                                             uint64_t timeout_ms) {
  if (timeout_ms == 0) return std::nullopt;
  return since + std::chrono::milliseconds(timeout_ms);
}

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
  LimitCounters& limits;
};

// Calls the request handler, turning an escaped exception into a bare 500 (the handler is
// expected to answer its own failures in its protocol's shape).
aws::HttpResponse call_handler(const RequestHandler& handler, const aws::HttpRequest& request);

// Connection starters. `initial_bytes` were read while sniffing the protocol; the first
// request's header clock starts at the accept (plain TCP) or now (after a TLS handshake).
void serve_http1(tcp::socket socket, std::string initial_bytes, ConnectionSlot slot,
                 ServerContext& context);
void serve_http1(std::unique_ptr<TlsStream> stream, ConnectionSlot slot, ServerContext& context);
void serve_http2(tcp::socket socket, std::string initial_bytes, ConnectionSlot slot,
                 ServerContext& context);
void serve_http2(std::unique_ptr<TlsStream> stream, ConnectionSlot slot, ServerContext& context);

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
