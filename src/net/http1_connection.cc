// HTTP/1.1 keep-alive connections on Boost.Beast, over plain TCP or TLS. Requests are served
// one at a time, on the connection's strand. Streaming bodies go out with chunked transfer
// encoding (HTTP/1.0 clients: raw bytes, then close); while one streams, a read watches for
// the peer going away (and keeps any pipelined bytes for the next request).
#include <spdlog/spdlog.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "net/connection.h"
#include "net/memory_stream.h"

namespace trib::net::detail {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;

constexpr size_t kProbeBytes = 4096;
constexpr size_t kMaxPipelinedBytesWhileStreaming = 64 * 1024;

void close_lowest_layer(tcp::socket& socket) {
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}
void close_lowest_layer(TlsStream& stream) { close_lowest_layer(stream.next_layer()); }

template <class Stream>
class Http1Connection : public Connection,
                        public StreamOwner,
                        public std::enable_shared_from_this<Http1Connection<Stream>> {
 public:
  Http1Connection(std::unique_ptr<Stream> stream, std::string initial_bytes, ServerContext& context)
      : stream_(std::move(stream)), executor_(stream_->get_executor()), context_(context) {
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

  void read_request() {
    if (closed_) return;
    if (shutting_down_) return close();
    parser_.emplace();
    parser_->body_limit(context_.options.max_body_bytes);
    parser_->header_limit(static_cast<uint32_t>(kMaxHeaderBytes));
    reading_request_ = true;
    http::async_read(*stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       self->reading_request_ = false;
                       self->on_read(ec);
                     });
  }

  void on_read(beast::error_code ec) {
    if (closed_) return;
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
        ec == asio::ssl::error::stream_truncated) {
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
      bad.status = ec == http::error::header_limit ? 431 : 400;
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
    const bool client_takes_chunks = message.version() >= 11;
    aws::HttpResponse response = call_handler(context_.handler, request);
    if (response.streaming) {
      return start_streaming(std::move(response), keep_alive, client_takes_chunks);
    }
    send(std::move(response), keep_alive);
  }

  void send(aws::HttpResponse response, bool keep_alive) {
    auto out = std::make_shared<http::response<http::string_body>>();
    out->result(static_cast<unsigned>(response.status));
    out->version(11);
    for (auto& [name, value] : response.headers) out->set(name, value);
    out->body() = std::move(response.body);
    out->keep_alive(keep_alive && !response.close && !shutting_down_);
    out->prepare_payload();
    http::async_write(*stream_, *out,
                      [self = this->shared_from_this(), out, keep = out->keep_alive()](
                          beast::error_code ec, size_t) {
                        if (ec || !keep) return self->close();
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
                                             context_.options.max_streaming_buffer_bytes);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*head);
    writing_ = true;
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
        spdlog::warn("a streaming response outgrew its buffer (a slow client); closing it");
      }
      return close();
    }
    if (writer_->has_data()) {
      auto data = std::make_shared<std::string>(writer_->take_all());
      writing_ = true;
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

  void close() {
    if (closed_) return;
    closed_ = true;
    close_lowest_layer(*stream_);
    end_stream_by_transport();
  }

  std::unique_ptr<Stream> stream_;
  asio::any_io_executor executor_;
  ServerContext& context_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
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
                      ServerContext& context) {
  auto connection = std::make_shared<Http1Connection<Stream>>(std::move(stream),
                                                              std::move(initial_bytes), context);
  context.register_connection(connection);
  connection->start();
}

}  // namespace

void serve_http1(tcp::socket socket, std::string initial_bytes, ServerContext& context) {
  start_connection(std::make_unique<tcp::socket>(std::move(socket)), std::move(initial_bytes),
                   context);
}

void serve_http1(std::unique_ptr<TlsStream> stream, ServerContext& context) {
  start_connection(std::move(stream), std::string(), context);
}

std::string serve_http1_in_memory(std::string input, std::vector<size_t> pieces,
                                  ServerContext& context) {
  return run_in_memory(std::move(input), std::move(pieces), context.workers,
                       [&context](std::unique_ptr<MemoryStream> stream) -> std::weak_ptr<void> {
                         auto connection = std::make_shared<Http1Connection<MemoryStream>>(
                             std::move(stream), std::string(), context);
                         connection->start();
                         return connection;
                       });
}

}  // namespace trib::net::detail
