// HTTP/1.1 keep-alive connections on Boost.Beast, over plain TCP or TLS. Requests are served
// one at a time, on the connection's strand. Streaming bodies go out with chunked transfer
// encoding (HTTP/1.0 clients: raw bytes, then close); while one streams, a read watches for
// the peer going away (and keeps any pipelined bytes for the next request).
//
// Time limits (one Watchdog per connection): waiting for a request's first byte, the idle
// timeout; from its first byte to the end of its header block, the header timeout; reading
// its body and writing the response, the stall timeout (no bytes moved for that long). The
// request is read with the parser fed by hand (not http::async_read) and the response written
// with async_write_some, so that each byte that moves is seen; a whole response's head is
// written by hand (http1_response.h), a streaming one's by Beast.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <limits>
#include <optional>

#include "net/connection.h"
#include "net/http1_response.h"
#include "net/memory_stream.h"
#include "util/ascii.h"

namespace trib::net::detail {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;

constexpr size_t kProbeBytes = 4096;
// Reads start small and grow with the buffer, as Beast's own read loop does.
constexpr size_t kMinReadBytes = 512;
constexpr size_t kMaxReadBytes = 64 * 1024;
// Between requests a connection keeps a read buffer of this size, so that the next request of
// a typical size is read with one system call. (Released between requests, the next read was
// of kMinReadBytes again, and a PutItem, about 1,000 bytes from boto3, took two reads;
// bench/README.md, "Session 12".)
constexpr size_t kKeptReadBytes = 4096;
constexpr size_t kMaxPipelinedBytesWhileStreaming = 64 * 1024;

void close_lowest_layer(tcp::socket& socket) {
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}
void close_lowest_layer(TlsStream& stream) { close_lowest_layer(stream.next_layer()); }

// Parses one request straight into an aws::HttpRequest: header names lower-cased, values as
// Beast gives them (trimmed, folded lines joined), in their order; the body appended as it
// comes, chunked or not. Beast's request_parser<string_body> kept every header in a
// basic_fields (an allocated element per field, in a tree) that was then copied into the
// HttpRequest. Keep-alive, errors and the header limit are basic_parser's; the body limit is
// this class's (limit_body).
class RequestParser final : public http::basic_parser<true> {
 public:
  aws::HttpRequest& request() { return request_; }
  int version() const { return version_; }

  // Bodies over `max_bytes` fail with http::error::body_limit: a Content-Length over it when
  // the header is complete (on_header_impl), a chunked body when a chunk header takes it over. Not
  // Beast's own body limit: Boost 1.74's basic_parser takes a chunk's size off its remaining limit
  // before parsing the chunk's extensions, and parses them again, taking the size off again, each
  // time the line arrives in another piece, so a request read in small pieces could fail with
  // body_limit (413) where read whole it failed on its extension (400) (http1_fuzz's
  // split-reads invariant; the input is corpus/http1/regression-split-chunk-extension).
  void limit_body(uint64_t max_bytes) {
    // Beast's limit out of reach. (Not boost::none: Boost 1.74 then compares a Content-Length
    // with an empty optional, which every length exceeds.)
    body_limit(std::numeric_limits<std::uint64_t>::max());
    max_body_bytes_ = max_bytes;
  }

 private:
  void on_request_impl(http::verb, beast::string_view method, beast::string_view target,
                       int version, beast::error_code&) override {
    request_.method.assign(method.data(), method.size());
    request_.target.assign(target.data(), target.size());
    request_.headers.reserve(8);
    version_ = version;
  }
  void on_response_impl(int, beast::string_view, int, beast::error_code&) override {}
  void on_field_impl(http::field, beast::string_view name, beast::string_view value,
                     beast::error_code&) override {
    request_.headers.emplace_back(ascii_lower(std::string_view(name.data(), name.size())),
                                  std::string(value.data(), value.size()));
  }
  // At the end of the header, before any of the body is read.
  void on_header_impl(beast::error_code& ec) override {
    const boost::optional<std::uint64_t> length = content_length();
    if (length && *length > max_body_bytes_) ec = http::error::body_limit;
  }
  // The length was checked against the body limit in on_header_impl.
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         beast::error_code&) override {
    if (content_length) request_.body.reserve(static_cast<size_t>(*content_length));
  }
  size_t on_body_impl(beast::string_view body, beast::error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t size, beast::string_view,
                            beast::error_code& ec) override {
    // The sizes were parsed from at most 16 hex digits each: the sum is checked step by step.
    if (size > max_body_bytes_ - chunked_bytes_) {
      ec = http::error::body_limit;
      return;
    }
    chunked_bytes_ += size;
  }
  size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, beast::error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(beast::error_code&) override {}

  aws::HttpRequest request_;
  int version_ = 11;
  uint64_t max_body_bytes_ = 0;
  uint64_t chunked_bytes_ = 0;  // announced by the chunk headers so far
};

template <class Stream>
class Http1Connection : public Connection,
                        public StreamOwner,
                        public std::enable_shared_from_this<Http1Connection<Stream>> {
 public:
  Http1Connection(std::unique_ptr<Stream> stream, std::string initial_bytes, ConnectionSlot slot,
                  SteadyClock::time_point first_request_since, ServerContext& context)
      : stream_(std::move(stream)),
        executor_(stream_->get_executor()),
        context_(context),
        slot_(std::move(slot)),
        watchdog_(executor_),
        first_request_since_(first_request_since) {
    if (!initial_bytes.empty()) {
      buffer_.commit(
          asio::buffer_copy(buffer_.prepare(initial_bytes.size()), asio::buffer(initial_bytes)));
    }
  }

  ~Http1Connection() override { end_stream_by_transport(); }

  void start() {
    asio::dispatch(executor_, [self = this->shared_from_this()] {
      if (self->context_.stopping.load()) return self->close();
      self->read_request();
    });
  }

  void shutdown() override {
    asio::post(executor_, [self = this->shared_from_this()] { self->begin_shutdown(); });
  }

  void on_stream_event(int32_t) override { pump_stream(); }

 private:
  void begin_shutdown() {
    shutting_down_ = true;
    // Idle (waiting for a request) or streaming: close now. Writing a response: close after.
    if (reading_request_ || streaming_) close();
  }

  // --- reading a request ------------------------------------------------------------------

  enum class Phase { kIdle, kHeader, kBody, kHandling, kWriting, kStreaming };

  void set_phase(Phase phase, SteadyClock::time_point since) {
    phase_ = phase;
    phase_since_ = since;
    last_progress_ = since;
    watch();
  }

  void read_request() {
    if (closed_) return;
    if (shutting_down_) return close();
    parser_.emplace();
    parser_->limit_body(context_.options.max_body_bytes);
    parser_->header_limit(static_cast<uint32_t>(
        std::min<size_t>(context_.options.limits.max_header_bytes, UINT32_MAX)));
    reading_request_ = true;
    if (first_request_) {
      first_request_ = false;
      set_phase(Phase::kHeader, first_request_since_);
    } else if (buffer_.size() > 0) {
      set_phase(Phase::kHeader, SteadyClock::now());
    } else {
      // An idle keep-alive connection holds no more than a small buffer.
      if (buffer_.capacity() > kKeptReadBytes) buffer_.shrink_to_fit();
      buffer_.reserve(kKeptReadBytes);
      set_phase(Phase::kIdle, SteadyClock::now());
    }
    parse_buffered();
  }

  // Feeds what is buffered to the parser; reads more when it needs more.
  void parse_buffered() {
    while (buffer_.size() > 0) {
      if (phase_ == Phase::kIdle) set_phase(Phase::kHeader, SteadyClock::now());
      beast::error_code ec;
      const size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == http::error::need_more) break;
      if (ec) return on_read(ec);
      if (parser_->is_done()) return on_read({});
      if (phase_ == Phase::kHeader && parser_->is_header_done()) {
        phase_ = Phase::kBody;
        last_progress_ = SteadyClock::now();
        watch();
      }
      if (used == 0) break;
    }
    read_more();
  }

  void read_more() {
    const size_t room = buffer_.capacity() - buffer_.size();
    const size_t size = std::clamp(room, kMinReadBytes, kMaxReadBytes);
    stream_->async_read_some(buffer_.prepare(size),
                             [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                               if (self->closed_) return;
                               if (ec == asio::error::eof && self->parser_->got_some()) {
                                 // As http::async_read does: the end of input inside a
                                 // message is a partial message (answered 400), not a close.
                                 self->parser_->put_eof(ec);
                                 if (!ec) ec = http::error::partial_message;
                               }
                               if (ec) return self->on_read(ec);
                               self->buffer_.commit(n);
                               self->last_progress_ = SteadyClock::now();
                               self->parse_buffered();
                             });
  }

  void on_read(beast::error_code ec) {
    reading_request_ = false;
    if (closed_) return;
    phase_ = Phase::kHandling;
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
        ec == asio::ssl::error::stream_truncated) {
      return close();
    }
    if (ec == http::error::body_limit) {
      // Refuse without reading the body, then close: the rest of it is never consumed.
      context_.limits.add(Limit::kMaxRequestBytes);
      aws::HttpResponse refused;
      refused.status = 413;
      refused.close = true;
      return send(std::move(refused), false);
    }
    if (ec) {
      if (ec == http::error::header_limit) context_.limits.add(Limit::kMaxHeaderBytes);
      aws::HttpResponse bad;
      bad.status = ec == http::error::header_limit ? 431 : 400;
      bad.close = true;
      return send(std::move(bad), false);
    }
    const aws::HttpRequest request = std::move(parser_->request());
    const bool keep_alive = parser_->keep_alive();
    const bool client_takes_chunks = parser_->version() >= 11;
    aws::HttpResponse response = call_handler(context_.handler, request);
    if (response.streaming) {
      return start_streaming(std::move(response), keep_alive, client_takes_chunks);
    }
    send(std::move(response), keep_alive);
  }

  // --- writing a response -----------------------------------------------------------------

  // A whole response: its head (http1_response.h) and body, sent with async_write_some until
  // all of it has gone.
  struct Outgoing {
    std::string head;
    std::string body;
    size_t sent = 0;
    bool keep_alive = false;
  };

  void send(aws::HttpResponse response, bool keep_alive) {
    auto out = std::make_shared<Outgoing>();
    out->keep_alive = keep_alive && !response.close && !shutting_down_;
    out->head = http1_response_head(response, out->keep_alive);
    if (!http1_status_has_no_body(response.status)) out->body = std::move(response.body);
    set_phase(Phase::kWriting, SteadyClock::now());
    write_some(std::move(out));
  }

  void write_some(std::shared_ptr<Outgoing> out) {
    std::array<asio::const_buffer, 2> buffers;
    if (out->sent < out->head.size()) {
      buffers = {asio::buffer(out->head) + out->sent, asio::buffer(out->body)};
    } else {
      buffers = {asio::buffer(out->body) + (out->sent - out->head.size()), asio::const_buffer()};
    }
    stream_->async_write_some(buffers, [self = this->shared_from_this(), out = std::move(out)](
                                           beast::error_code ec, size_t n) mutable {
      if (ec || self->closed_) return self->close();
      self->last_progress_ = SteadyClock::now();
      out->sent += n;
      if (out->sent < out->head.size() + out->body.size()) return self->write_some(std::move(out));
      if (!out->keep_alive) return self->close();
      out.reset();
      self->read_request();
    });
  }

  // --- streaming bodies ---------------------------------------------------------------

  void start_streaming(aws::HttpResponse response, bool keep_alive, bool chunked) {
    auto head = std::make_shared<http::response<http::empty_body>>();
    head->result(static_cast<unsigned>(response.status));
    head->version(11);
    for (auto& [name, value] : response.headers) {
      // The transport frames the body; a producer's framing headers would contradict it.
      if (beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding")) {
        continue;
      }
      head->set(name, value);
    }
    chunked_ = chunked;
    if (chunked) head->chunked(true);
    keep_alive_after_stream_ = chunked && keep_alive && !response.close && !shutting_down_;
    head->keep_alive(keep_alive_after_stream_);
    streaming_ = std::move(response.streaming);
    writer_ = std::make_shared<StreamWriter>(this->weak_from_this(), executor_, 1,
                                             context_.options.limits.max_buffered_response_bytes);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*head);
    writing_ = true;  // before set_phase: the header write is under the stall timeout
    set_phase(Phase::kStreaming, SteadyClock::now());
    http::async_write_header(
        *stream_, *serializer,
        [self = this->shared_from_this(), head, serializer](beast::error_code ec, size_t) {
          self->writing_ = false;
          if (ec || self->closed_) return self->close();
          self->pump_stream();
        });
    watch_for_peer();
    streaming_->start(writer_);
  }

  // Writes what the producer queued, or the end of the body. One write at a time.
  void pump_stream() {
    if (closed_ || !writer_ || writing_) return;
    const auto state = writer_->state();
    if (state == StreamWriter::State::aborted || state == StreamWriter::State::overflowed) {
      if (state == StreamWriter::State::overflowed) {
        context_.limits.add(Limit::kMaxBufferedResponseBytes);
        spdlog::warn("a streaming response outgrew its buffer (a slow client); closing it");
      }
      return close();
    }
    if (writer_->has_data()) {
      auto data = std::make_shared<std::string>(writer_->take_all());
      writing_ = true;
      // A chunk must be written within the stall timeout.
      last_progress_ = SteadyClock::now();
      watch();
      auto on_written = [self = this->shared_from_this(), data](beast::error_code ec, size_t) {
        self->writing_ = false;
        if (ec || self->closed_) return self->close();
        self->pump_stream();
      };
      if (chunked_) {
        asio::async_write(*stream_, http::make_chunk(asio::buffer(*data)), std::move(on_written));
      } else {
        asio::async_write(*stream_, asio::buffer(*data), std::move(on_written));
      }
      return;
    }
    if (state != StreamWriter::State::finished) return;
    if (!chunked_) return end_stream();
    writing_ = true;
    last_progress_ = SteadyClock::now();
    watch();
    asio::async_write(*stream_, http::make_chunk_last(),
                      [self = this->shared_from_this()](beast::error_code ec, size_t) {
                        self->writing_ = false;
                        if (ec || self->closed_) return self->close();
                        self->end_stream();
                      });
  }

  void end_stream() {
    if (closed_ || !writer_) return;
    writer_->close_by_transport();
    writer_.reset();
    streaming_.reset();
    if (!keep_alive_after_stream_ || shutting_down_) return close();
    // The watching read may still be waiting for the client's next bytes; it resumes.
    if (watching_) {
      resume_after_watch_ = true;
      set_phase(Phase::kIdle, SteadyClock::now());  // until the client's next bytes
    } else {
      read_request();
    }
  }

  // While a body streams, reads to notice the peer closing; bytes of a pipelined next request
  // are kept for the parser.
  void watch_for_peer() {
    if (closed_ || watching_ || buffer_.size() > kMaxPipelinedBytesWhileStreaming) return;
    watching_ = true;
    stream_->async_read_some(buffer_.prepare(kProbeBytes),
                             [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                               self->watching_ = false;
                               if (ec || self->closed_) return self->close();
                               self->buffer_.commit(n);
                               // The client sent its next request early: keep it for the
                               // parser and stop watching (a read still pending when the body
                               // ends could not be called off); a peer that leaves now is
                               // noticed by the next failed write.
                               if (self->writer_) return;
                               if (self->resume_after_watch_) {
                                 self->resume_after_watch_ = false;
                                 self->read_request();
                               }
                             });
  }

  void end_stream_by_transport() {
    if (!writer_) return;
    const bool cancel = writer_->close_by_transport();
    auto streaming = std::move(streaming_);
    writer_.reset();
    if (cancel && streaming) streaming->cancel();
  }

  // --- time limits ----------------------------------------------------------------------

  struct Due {
    SteadyClock::time_point at;
    Limit limit;
  };

  // The limit that applies in the current phase, and when it runs out.
  std::optional<Due> current_deadline() const {
    const auto& options = context_.options;
    std::optional<SteadyClock::time_point> at;
    Limit limit = Limit::kStallTimeout;
    switch (phase_) {
      case Phase::kIdle:
        at = deadline_after(phase_since_, options.limits.idle_timeout_ms);
        limit = Limit::kIdleTimeout;
        break;
      case Phase::kHeader:
        at = deadline_after(phase_since_, options.limits.header_timeout_ms);
        limit = Limit::kHeaderTimeout;
        break;
      case Phase::kBody:
      case Phase::kWriting:
        at = deadline_after(last_progress_, options.limits.stall_timeout_ms);
        break;
      case Phase::kStreaming:
        // Waiting for the producer is not the client's fault; a write must finish in time.
        if (writing_) at = deadline_after(last_progress_, options.limits.stall_timeout_ms);
        break;
      case Phase::kHandling:
        break;
    }
    if (!at) return std::nullopt;
    return Due{*at, limit};
  }

  void watch() {
    if (closed_) return;
    if (auto due = current_deadline()) {
      watchdog_.fire_by(due->at, [self = this->shared_from_this()] { self->on_watchdog(); });
    }
  }

  void on_watchdog() {
    if (closed_) return;
    const auto due = current_deadline();
    if (!due) return;
    if (due->at > SteadyClock::now()) return watch();
    context_.limits.add(due->limit);
    spdlog::debug("HTTP/1.1: closing a connection: {} ran out",
                  due->limit == Limit::kIdleTimeout     ? "the idle timeout"
                  : due->limit == Limit::kHeaderTimeout ? "the header timeout"
                                                        : "the stall timeout");
    close();
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    watchdog_.cancel();
    close_lowest_layer(*stream_);
    end_stream_by_transport();
  }

  std::unique_ptr<Stream> stream_;
  asio::any_io_executor executor_;
  ServerContext& context_;
  ConnectionSlot slot_;
  Watchdog watchdog_;
  const SteadyClock::time_point first_request_since_;
  bool first_request_ = true;
  Phase phase_ = Phase::kHeader;
  SteadyClock::time_point phase_since_{};
  SteadyClock::time_point last_progress_{};
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  bool closed_ = false;
  bool shutting_down_ = false;
  bool reading_request_ = false;
  // Streaming state.
  std::shared_ptr<aws::StreamingBody> streaming_;
  std::shared_ptr<StreamWriter> writer_;
  bool chunked_ = true;
  bool keep_alive_after_stream_ = false;
  bool writing_ = false;
  bool watching_ = false;
  bool resume_after_watch_ = false;
};

template <class Stream>
void start_connection(std::unique_ptr<Stream> stream, std::string initial_bytes,
                      ConnectionSlot slot, SteadyClock::time_point first_request_since,
                      ServerContext& context) {
  auto connection = std::make_shared<Http1Connection<Stream>>(
      std::move(stream), std::move(initial_bytes), std::move(slot), first_request_since, context);
  context.register_connection(connection);
  connection->start();
}

}  // namespace

void serve_http1(tcp::socket socket, std::string initial_bytes, ConnectionSlot slot,
                 ServerContext& context) {
  const auto accepted_at = slot.accepted_at();
  start_connection(std::make_unique<tcp::socket>(std::move(socket)), std::move(initial_bytes),
                   std::move(slot), accepted_at, context);
}

void serve_http1(std::unique_ptr<TlsStream> stream, ConnectionSlot slot, ServerContext& context) {
  start_connection(std::move(stream), std::string(), std::move(slot), SteadyClock::now(), context);
}

std::string serve_http1_in_memory(std::string input, std::vector<size_t> pieces,
                                  ServerContext& context) {
  return run_in_memory(std::move(input), std::move(pieces), context.workers,
                       [&context](std::unique_ptr<MemoryStream> stream) -> std::weak_ptr<void> {
                         auto connection = std::make_shared<Http1Connection<MemoryStream>>(
                             std::move(stream), std::string(), ConnectionSlot(), SteadyClock::now(),
                             context);
                         connection->start();
                         return connection;
                       });
}

}  // namespace trib::net::detail
