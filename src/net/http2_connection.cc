// HTTP/2 connections on libnghttp2 (a server session per connection, fed from and drained to
// the Asio stream with mem_recv/mem_send), over plain TCP (h2c with prior knowledge) or TLS
// (ALPN h2). Everything nghttp2 touches runs on the connection's strand; handlers run on the
// worker pool so the streams of one connection are served in parallel, and their responses
// come back to the strand. Streaming bodies are DATA frames from a deferred data provider.
//
// Limits: one Watchdog per connection closes it when a header block takes longer than the
// header timeout; when pending response bytes make no progress for the stall timeout (a
// client that stopped reading, or never opens its flow-control window), or a request body
// stops coming for as long; and (after a GOAWAY) when no stream has been open for the idle
// timeout. A connection holding more than max_buffered_response_bytes of responses for its
// client starts no new request until some are read; frames (WINDOW_UPDATE above all) are
// still read meanwhile.
#include <nghttp2/nghttp2.h>
#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <cstring>
#include <deque>
#include <map>

#include "net/connection.h"
#include "net/memory_stream.h"
#include "util/ascii.h"

namespace trib::net::detail {

namespace {

// Generous windows so a 10 MiB request body is not throttled by round trips; the body limit,
// not the window, bounds what a stream may buffer.
constexpr int32_t kStreamWindowBytes = 16 * 1024 * 1024;
constexpr int32_t kConnectionWindowBytes = 64 * 1024 * 1024;
constexpr size_t kReadChunkBytes = 64 * 1024;
constexpr size_t kWriteBatchBytes = 256 * 1024;
constexpr auto kRefusedUploadResetDelay = std::chrono::milliseconds(200);
// After the GOAWAY of an idle connection, how long it may take to be written before the
// connection is closed anyway.
constexpr auto kGoawayGrace = std::chrono::milliseconds(1000);

void close_lowest_layer(tcp::socket& socket) {
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}
void close_lowest_layer(TlsStream& stream) { close_lowest_layer(stream.next_layer()); }

// Headers that describe one HTTP/1.1 connection; HTTP/2 forbids them in responses.
bool is_connection_specific(const std::string& lower_name) {
  return lower_name == "connection" || lower_name == "keep-alive" ||
         lower_name == "transfer-encoding" || lower_name == "upgrade" ||
         lower_name == "proxy-connection";
}

nghttp2_nv make_header(const std::string& name, const std::string& value) {
  return nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                    reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(),
                    value.size(), NGHTTP2_NV_FLAG_NONE};
}

struct H2Stream {
  aws::HttpRequest request;
  std::string authority;
  bool has_host = false;
  SteadyClock::time_point begun_at;    // its header block started
  SteadyClock::time_point last_input;  // its header block started, or its body last grew
  size_t header_bytes = 0;
  bool header_too_large = false;  // past max_header_bytes: the rest is not kept; 431
  bool headers_done = false;
  bool request_complete = false;
  bool refused = false;     // answered 413 or 431; the rest of the body is dropped
  bool dispatched = false;  // the handler has it
  bool deferred = false;    // complete, waiting for the connection's responses to be read
  // The response body (non-streaming).
  std::string body;
  size_t body_offset = 0;
  // A streaming response.
  std::shared_ptr<aws::StreamingBody> streaming;
  std::shared_ptr<StreamWriter> writer;
};

template <class Stream>
class Http2Connection : public Connection,
                        public StreamOwner,
                        public std::enable_shared_from_this<Http2Connection<Stream>> {
 public:
  Http2Connection(std::unique_ptr<Stream> stream, std::string initial_bytes, ConnectionSlot slot,
                  SteadyClock::time_point first_request_since, ServerContext& context)
      : stream_(std::move(stream)),
        executor_(stream_->get_executor()),
        context_(context),
        initial_bytes_(std::move(initial_bytes)),
        slot_(std::move(slot)),
        watchdog_(executor_),
        first_request_since_(first_request_since),
        idle_since_(first_request_since) {}

  ~Http2Connection() override {
    cancel_all_streaming();
    if (session_) nghttp2_session_del(session_);
  }

  void start() {
    asio::dispatch(executor_, [self = this->shared_from_this()] { self->begin(); });
  }

  void shutdown() override {
    asio::post(executor_, [self = this->shared_from_this()] { self->begin_shutdown(); });
  }

  void on_stream_event(int32_t stream_id) override {
    if (closed_ || !session_) return;
    auto it = streams_.find(stream_id);
    if (it == streams_.end() || !it->second->writer) return;
    nghttp2_session_resume_data(session_, stream_id);
    note_output_state();
    flush();
  }

 private:
  // --- session set-up, reading and writing ----------------------------------------------

  void begin() {
    if (!create_session()) return close();
    const uint32_t max_streams =
        std::max<uint32_t>(1, context_.options.limits.max_concurrent_streams);
    const auto max_header_list = static_cast<uint32_t>(
        std::min<size_t>(context_.options.limits.max_header_bytes, UINT32_MAX));
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, max_streams},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<uint32_t>(kStreamWindowBytes)},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, max_header_list},
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
    };
    if (nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, std::size(settings)) != 0 ||
        nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0,
                                              kConnectionWindowBytes) != 0) {
      return close();
    }
    if (context_.stopping.load()) begin_shutdown();
    if (!initial_bytes_.empty()) {
      std::string bytes = std::move(initial_bytes_);
      if (!receive(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size())) return;
    }
    flush();
    read();
  }

  bool create_session() {
    nghttp2_session_callbacks* callbacks = nullptr;
    if (nghttp2_session_callbacks_new(&callbacks) != 0) return false;
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, &on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &on_header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &on_frame_recv);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &on_data_chunk_recv);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &on_stream_close);
    nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, &on_frame_send);
    nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(callbacks, &on_invalid_frame_recv);
    nghttp2_option* option = nullptr;
    if (nghttp2_option_new(&option) != 0) {
      nghttp2_session_callbacks_del(callbacks);
      return false;
    }
    // Bound what a peer can make us hold: SETTINGS entries, and stream resets as an attack.
    nghttp2_option_set_max_settings(option, 64);
    const int rv = nghttp2_session_server_new2(&session_, callbacks, this, option);
    nghttp2_option_del(option);
    nghttp2_session_callbacks_del(callbacks);
    return rv == 0;
  }

  void read() {
    if (closed_) return;
    stream_->async_read_some(
        asio::buffer(read_buffer_),
        [self = this->shared_from_this()](boost::system::error_code ec, size_t n) {
          if (self->closed_) return;
          if (ec) return self->close();
          if (!self->receive(self->read_buffer_.data(), n)) return;
          self->flush();
          if (!self->closed_) self->read();
        });
  }

  // Feeds bytes to nghttp2. False when the connection is being closed.
  bool receive(const uint8_t* data, size_t size) {
    const ssize_t rv = nghttp2_session_mem_recv(session_, data, size);
    if (rv < 0) {
      spdlog::debug("HTTP/2: closing a connection: {}", nghttp2_strerror(static_cast<int>(rv)));
      // nghttp2 may have queued a GOAWAY explaining why; send it, then close.
      closing_after_flush_ = true;
      flush();
      return false;
    }
    return true;
  }

  // Serializes whatever nghttp2 wants to send and writes it (one write at a time), then looks
  // at the limits that may now apply.
  void flush() {
    if (!closed_ && !deferred_.empty()) dispatch_deferred();  // a reset stream freed its body
    write_pending();
    if (closed_ || !session_) return;
    note_output_state();
    watch();
  }

  void write_pending() {
    if (closed_ || writing_ || !session_) return;
    write_buffer_.clear();
    while (write_buffer_.size() < kWriteBatchBytes) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n < 0) {
        spdlog::debug("HTTP/2: send failed: {}", nghttp2_strerror(static_cast<int>(n)));
        return close();
      }
      if (n == 0) break;
      write_buffer_.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    if (write_buffer_.empty()) {
      if (closing_after_flush_ ||
          (!nghttp2_session_want_read(session_) && !nghttp2_session_want_write(session_))) {
        close();
      }
      return;
    }
    writing_ = true;
    asio::async_write(*stream_, asio::buffer(write_buffer_),
                      [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                        self->writing_ = false;
                        if (ec) return self->close();
                        self->last_progress_ = SteadyClock::now();
                        self->write_buffer_.clear();
                        self->flush();
                      });
  }

  // --- limits -----------------------------------------------------------------------------

  // Response bytes held for the client: unsent bodies, queued streaming bytes, the write
  // in progress.
  size_t pending_output_bytes() const {
    size_t total = write_buffer_.size();
    for (const auto& [id, stream] : streams_) {
      total += stream->body.size() - stream->body_offset;
      if (stream->writer) total += stream->writer->buffered_bytes();
    }
    return total;
  }

  // The stall clock starts when output becomes pending (and restarts at each write done).
  void note_output_state() {
    const bool pending = writing_ || pending_output_bytes() > 0;
    if (pending && !output_pending_) last_progress_ = SteadyClock::now();
    output_pending_ = pending;
  }

  struct Due {
    SteadyClock::time_point at;
    Limit limit;
  };

  // The earliest limit that applies now.
  std::optional<Due> current_deadline() const {
    const auto& options = context_.options;
    std::optional<Due> due;
    const auto consider = [&due](std::optional<SteadyClock::time_point> at, Limit limit) {
      if (at && (!due || *at < due->at)) due = Due{*at, limit};
    };
    for (const auto& [id, stream] : streams_) {
      if (!stream->headers_done) {
        consider(deadline_after(stream->begun_at, options.limits.header_timeout_ms),
                 Limit::kHeaderTimeout);
      } else if (!stream->request_complete && !stream->refused) {
        // A request body that stopped coming (the stream stays open, so it is not idle).
        consider(deadline_after(stream->last_input, options.limits.stall_timeout_ms),
                 Limit::kStallTimeout);
      }
    }
    if (output_pending_) {
      consider(deadline_after(last_progress_, options.limits.stall_timeout_ms),
               Limit::kStallTimeout);
    }
    if (streams_.empty()) {
      if (requests_seen_ == 0) {
        consider(deadline_after(first_request_since_, options.limits.header_timeout_ms),
                 Limit::kHeaderTimeout);
      } else {
        consider(deadline_after(idle_since_, options.limits.idle_timeout_ms), Limit::kIdleTimeout);
      }
    }
    return due;
  }

  void watch() {
    if (closed_ || idle_closing_) return;
    if (auto due = current_deadline()) {
      watchdog_.fire_by(due->at, [self = this->shared_from_this()] { self->on_watchdog(); });
    }
  }

  void on_watchdog() {
    if (closed_ || !session_) return;
    const auto due = current_deadline();
    if (idle_closing_) return close();  // the GOAWAY had its chance to be sent
    if (!due) return;
    if (due->at > SteadyClock::now()) return watch();
    context_.limits.add(due->limit);
    if (due->limit == Limit::kIdleTimeout) {
      // Nothing in flight: tell the client (GOAWAY, NO_ERROR) and close once it is sent.
      spdlog::debug("HTTP/2: closing an idle connection");
      idle_closing_ = true;
      nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE,
                            nghttp2_session_get_last_proc_stream_id(session_), NGHTTP2_NO_ERROR,
                            nullptr, 0);
      closing_after_flush_ = true;
      flush();
      if (!closed_) {
        watchdog_.fire_by(SteadyClock::now() + kGoawayGrace,
                          [self = this->shared_from_this()] { self->on_watchdog(); });
      }
      return;
    }
    spdlog::debug("HTTP/2: closing a connection: {} ran out",
                  due->limit == Limit::kHeaderTimeout ? "the header timeout" : "the stall timeout");
    close();
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    watchdog_.cancel();
    close_lowest_layer(*stream_);
    cancel_all_streaming();
  }

  void cancel_all_streaming() {
    for (auto& [id, stream] : streams_) {
      if (stream->writer && stream->writer->close_by_transport() && stream->streaming) {
        stream->streaming->cancel();
      }
      stream->writer.reset();
      stream->streaming.reset();
    }
  }

  void begin_shutdown() {
    if (closed_ || !session_ || shutting_down_) return;
    shutting_down_ = true;
    // Streams already begun are finished; newer ones are refused. Endless streaming bodies
    // are cut short so the connection can end.
    nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE,
                          nghttp2_session_get_last_proc_stream_id(session_), NGHTTP2_NO_ERROR,
                          nullptr, 0);
    for (auto& [id, stream] : streams_) {
      if (stream->writer)
        nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
    }
    flush();
  }

  // --- requests ---------------------------------------------------------------------------

  H2Stream* find(int32_t stream_id) {
    auto it = streams_.find(stream_id);
    return it == streams_.end() ? nullptr : it->second.get();
  }

  // Answers `status` (413: body too large, 431: header block too large) now and drops the rest
  // of the request.
  void refuse(int32_t stream_id, H2Stream& stream, const std::string& status) {
    stream.refused = true;
    stream.request = aws::HttpRequest();
    const std::string status_name = ":status";
    const std::string length_name = "content-length";
    const std::string zero = "0";
    const nghttp2_nv headers[] = {make_header(status_name, status), make_header(length_name, zero)};
    nghttp2_submit_response(session_, stream_id, headers, std::size(headers), nullptr);
  }

  void on_request_headers_done(int32_t stream_id, H2Stream& stream) {
    stream.headers_done = true;
    if (stream.header_too_large) {
      context_.limits.add(Limit::kMaxHeaderBytes);
      return refuse(stream_id, stream, "431");
    }
    if (!stream.has_host && !stream.authority.empty()) {
      stream.request.headers.emplace_back("host", stream.authority);
    }
    if (const auto* length = stream.request.header("content-length")) {
      uint64_t declared = 0;
      const auto [end, error] =
          std::from_chars(length->data(), length->data() + length->size(), declared);
      if (error == std::errc() && end == length->data() + length->size() &&
          declared > context_.options.max_body_bytes) {
        context_.limits.add(Limit::kMaxRequestBytes);
        refuse(stream_id, stream, "413");
      }
    }
  }

  void dispatch(int32_t stream_id, H2Stream& stream) {
    if (stream.refused || stream.dispatched || stream.deferred) return;
    if (!deferred_.empty() ||
        pending_output_bytes() > context_.options.limits.max_buffered_response_bytes) {
      // The client has not read what it asked for so far: this request waits.
      context_.limits.add(Limit::kMaxBufferedResponseBytes);
      stream.deferred = true;
      deferred_.push_back(stream_id);
      return;
    }
    start_handler(stream_id, stream);
  }

  void start_handler(int32_t stream_id, H2Stream& stream) {
    stream.dispatched = true;
    asio::post(context_.workers, [self = this->shared_from_this(), stream_id,
                                  request = std::move(stream.request)]() mutable {
      auto response = call_handler(self->context_.handler, request);
      asio::post(self->executor_, [self, stream_id, response = std::move(response)]() mutable {
        self->respond(stream_id, std::move(response));
      });
    });
  }

  // Starts the requests that waited, while the client keeps up.
  void dispatch_deferred() {
    while (!deferred_.empty() &&
           pending_output_bytes() <= context_.options.limits.max_buffered_response_bytes) {
      const int32_t stream_id = deferred_.front();
      deferred_.pop_front();
      if (H2Stream* stream = find(stream_id)) {
        stream->deferred = false;
        start_handler(stream_id, *stream);
      }
    }
  }

  void respond(int32_t stream_id, aws::HttpResponse response) {
    H2Stream* stream = closed_ ? nullptr : find(stream_id);
    if (!stream) {
      // The client reset the stream or the connection is gone.
      if (response.streaming) response.streaming->cancel();
      return;
    }
    std::vector<std::pair<std::string, std::string>> fields;
    fields.reserve(response.headers.size() + 2);
    fields.emplace_back(":status", std::to_string(response.status));
    bool has_length = false;
    for (auto& [name, value] : response.headers) {
      std::string lower = ascii_lower(name);
      if (is_connection_specific(lower)) continue;
      if (lower == "content-length") {
        if (response.streaming) continue;
        has_length = true;
      }
      fields.emplace_back(std::move(lower), std::move(value));
    }
    if (!response.streaming && !has_length) {
      fields.emplace_back("content-length", std::to_string(response.body.size()));
    }
    std::vector<nghttp2_nv> headers;
    headers.reserve(fields.size());
    for (const auto& [name, value] : fields) headers.push_back(make_header(name, value));

    nghttp2_data_provider provider{};
    provider.source.ptr = stream;
    const nghttp2_data_provider* body_provider = nullptr;
    if (response.streaming) {
      stream->streaming = std::move(response.streaming);
      stream->writer =
          std::make_shared<StreamWriter>(this->weak_from_this(), executor_, stream_id,
                                         context_.options.limits.max_buffered_response_bytes);
      provider.read_callback = &read_streaming_body;
      body_provider = &provider;
    } else if (!response.body.empty()) {
      stream->body = std::move(response.body);
      provider.read_callback = &read_body;
      body_provider = &provider;
    }
    if (nghttp2_submit_response(session_, stream_id, headers.data(), headers.size(),
                                body_provider) != 0) {
      nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_INTERNAL_ERROR);
    }
    // `stream` may be gone once frames are sent; keep what start() needs.
    auto streaming = stream->streaming;
    auto writer = stream->writer;
    note_output_state();
    flush();
    if (streaming && writer->state() != StreamWriter::State::closed) streaming->start(writer);
  }

  // --- nghttp2 callbacks (on the strand, inside mem_recv / mem_send) ---------------------

  static Http2Connection* self_of(void* user_data) {
    return static_cast<Http2Connection*>(user_data);
  }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    auto* self = self_of(user_data);
    auto stream = std::make_unique<H2Stream>();
    stream->begun_at = SteadyClock::now();
    stream->last_input = stream->begun_at;
    self->streams_[frame->hd.stream_id] = std::move(stream);
    ++self->requests_seen_;
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                       size_t name_length, const uint8_t* value, size_t value_length, uint8_t,
                       void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    auto* self = self_of(user_data);
    H2Stream* stream = self->find(frame->hd.stream_id);
    if (!stream || stream->headers_done) return 0;  // trailers are ignored
    if (stream->header_too_large) return 0;         // decoded (HPACK state) but not kept
    // RFC 9113 6.5.2: a field counts its name, its value and 32 bytes.
    stream->header_bytes += name_length + value_length + 32;
    if (stream->header_bytes > self->context_.options.limits.max_header_bytes) {
      stream->header_too_large = true;
      stream->request = aws::HttpRequest();
      return 0;
    }
    const std::string_view header_name(reinterpret_cast<const char*>(name), name_length);
    std::string header_value(reinterpret_cast<const char*>(value), value_length);
    if (!header_name.empty() && header_name[0] == ':') {
      if (header_name == ":method") {
        stream->request.method = std::move(header_value);
      } else if (header_name == ":path") {
        stream->request.target = std::move(header_value);
      } else if (header_name == ":authority") {
        stream->authority = std::move(header_value);
      }
      return 0;
    }
    std::string lower = ascii_lower(header_name);
    if (lower == "host") stream->has_host = true;
    stream->request.headers.emplace_back(std::move(lower), std::move(header_value));
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    auto* self = self_of(user_data);
    if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) return 0;
    H2Stream* stream = self->find(frame->hd.stream_id);
    if (!stream) return 0;
    if (frame->hd.type == NGHTTP2_HEADERS && !stream->headers_done) {
      self->on_request_headers_done(frame->hd.stream_id, *stream);
    }
    if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) {
      stream->request_complete = true;
      self->dispatch(frame->hd.stream_id, *stream);
    }
    return 0;
  }

  static int on_data_chunk_recv(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data,
                                size_t length, void* user_data) {
    auto* self = self_of(user_data);
    H2Stream* stream = self->find(stream_id);
    if (!stream || stream->dispatched) return 0;
    if (stream->refused) return 0;  // dropped unread (flow control is still credited)
    stream->last_input = SteadyClock::now();
    if (stream->request.body.size() + length > self->context_.options.max_body_bytes) {
      self->context_.limits.add(Limit::kMaxRequestBytes);
      self->refuse(stream_id, *stream, "413");
      return 0;
    }
    stream->request.body.append(reinterpret_cast<const char*>(data), length);
    return 0;
  }

  static int on_frame_send(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS || !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
      return 0;
    }
    auto* self = self_of(user_data);
    H2Stream* stream = self->find(frame->hd.stream_id);
    if (stream && stream->refused && !stream->request_complete) {
      self->reset_refused_upload_later(frame->hd.stream_id);
    }
    return 0;
  }

  // A client still uploading a refused body is asked to stop with RST_STREAM(NO_ERROR)
  // (RFC 9113 8.1), a moment after the 413: sent at once, some clients (curl 7.x) lose the 413
  // itself; never sent, some (curl again) stop uploading and wait for the stream to end.
  void reset_refused_upload_later(int32_t stream_id) {
    auto timer = std::make_shared<asio::steady_timer>(executor_, kRefusedUploadResetDelay);
    timer->async_wait([self = this->shared_from_this(), timer,
                       stream_id](boost::system::error_code) {
      if (self->closed_ || !self->session_) return;
      H2Stream* stream = self->find(stream_id);
      if (!stream || stream->request_complete) return;
      spdlog::debug("HTTP/2: stream {} still uploading a refused body; resetting it", stream_id);
      nghttp2_submit_rst_stream(self->session_, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_NO_ERROR);
      self->flush();
    });
  }

  // HEADERS beyond SETTINGS_MAX_CONCURRENT_STREAMS: nghttp2 refuses the stream (RST_STREAM
  // REFUSED_STREAM) before the client acknowledged the setting, and ends the connection
  // (GOAWAY) after; either way it is counted here.
  static int on_invalid_frame_recv(nghttp2_session*, const nghttp2_frame* frame, int lib_error_code,
                                   void* user_data) {
    auto* self = self_of(user_data);
    if (frame->hd.type == NGHTTP2_HEADERS &&
        (lib_error_code == NGHTTP2_ERR_REFUSED_STREAM ||
         self->streams_.size() >= self->context_.options.limits.max_concurrent_streams)) {
      self->context_.limits.add(Limit::kMaxConcurrentStreams);
    }
    return 0;
  }

  static int on_stream_close(nghttp2_session*, int32_t stream_id, uint32_t, void* user_data) {
    auto* self = self_of(user_data);
    auto it = self->streams_.find(stream_id);
    if (it == self->streams_.end()) return 0;
    std::unique_ptr<H2Stream> stream = std::move(it->second);
    self->streams_.erase(it);
    if (self->streams_.empty()) self->idle_since_ = SteadyClock::now();
    if (stream->writer && stream->writer->close_by_transport() && stream->streaming) {
      stream->streaming->cancel();
    }
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, int32_t, uint8_t* buffer, size_t length,
                           uint32_t* data_flags, nghttp2_data_source* source, void*) {
    auto* stream = static_cast<H2Stream*>(source->ptr);
    const size_t n = std::min(length, stream->body.size() - stream->body_offset);
    std::memcpy(buffer, stream->body.data() + stream->body_offset, n);
    stream->body_offset += n;
    if (stream->body_offset == stream->body.size()) {
      *data_flags |= NGHTTP2_DATA_FLAG_EOF;
      stream->body.clear();
      stream->body.shrink_to_fit();
      stream->body_offset = 0;
    }
    return static_cast<ssize_t>(n);
  }

  static ssize_t read_streaming_body(nghttp2_session*, int32_t, uint8_t* buffer, size_t length,
                                     uint32_t* data_flags, nghttp2_data_source* source,
                                     void* user_data) {
    auto* stream = static_cast<H2Stream*>(source->ptr);
    if (!stream->writer) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    const size_t n = stream->writer->take(buffer, length);
    const auto state = stream->writer->state();
    if (n > 0) {
      if (state == StreamWriter::State::finished && !stream->writer->has_data()) {
        *data_flags |= NGHTTP2_DATA_FLAG_EOF;
      }
      return static_cast<ssize_t>(n);
    }
    switch (state) {
      case StreamWriter::State::finished:
        *data_flags |= NGHTTP2_DATA_FLAG_EOF;
        return 0;
      case StreamWriter::State::open:
        return NGHTTP2_ERR_DEFERRED;
      case StreamWriter::State::overflowed:
        self_of(user_data)->context_.limits.add(Limit::kMaxBufferedResponseBytes);
        spdlog::warn("a streaming response outgrew its buffer (a slow client); resetting it");
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
      default:  // aborted by the producer, or closed
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
  }

  std::unique_ptr<Stream> stream_;
  asio::any_io_executor executor_;
  ServerContext& context_;
  std::string initial_bytes_;
  ConnectionSlot slot_;
  Watchdog watchdog_;
  const SteadyClock::time_point first_request_since_;
  SteadyClock::time_point idle_since_;       // the last stream closed
  SteadyClock::time_point last_progress_{};  // output became pending, or a write finished
  bool output_pending_ = false;
  uint64_t requests_seen_ = 0;
  bool idle_closing_ = false;
  std::deque<int32_t> deferred_;  // complete requests waiting (max_buffered_response_bytes)
  nghttp2_session* session_ = nullptr;
  std::map<int32_t, std::unique_ptr<H2Stream>> streams_;
  std::array<uint8_t, kReadChunkBytes> read_buffer_{};
  std::string write_buffer_;
  bool writing_ = false;
  bool closed_ = false;
  bool closing_after_flush_ = false;
  bool shutting_down_ = false;
};

template <class Stream>
void start_connection(std::unique_ptr<Stream> stream, std::string initial_bytes,
                      ConnectionSlot slot, SteadyClock::time_point first_request_since,
                      ServerContext& context) {
  auto connection = std::make_shared<Http2Connection<Stream>>(
      std::move(stream), std::move(initial_bytes), std::move(slot), first_request_since, context);
  context.register_connection(connection);
  connection->start();
}

}  // namespace

void serve_http2(tcp::socket socket, std::string initial_bytes, ConnectionSlot slot,
                 ServerContext& context) {
  const auto accepted_at = slot.accepted_at();
  start_connection(std::make_unique<tcp::socket>(std::move(socket)), std::move(initial_bytes),
                   std::move(slot), accepted_at, context);
}

void serve_http2(std::unique_ptr<TlsStream> stream, ConnectionSlot slot, ServerContext& context) {
  start_connection(std::move(stream), std::string(), std::move(slot), SteadyClock::now(), context);
}

std::string serve_http2_in_memory(std::string input, std::vector<size_t> pieces,
                                  ServerContext& context) {
  return run_in_memory(std::move(input), std::move(pieces), context.workers,
                       [&context](std::unique_ptr<MemoryStream> stream) -> std::weak_ptr<void> {
                         auto connection = std::make_shared<Http2Connection<MemoryStream>>(
                             std::move(stream), std::string(), ConnectionSlot(), SteadyClock::now(),
                             context);
                         connection->start();
                         return connection;
                       });
}

}  // namespace trib::net::detail
