// An in-memory transport for driving a server connection (HTTP/1.1 or HTTP/2) without sockets:
// the seam tests/fuzz/http1_fuzz.cc and http2_fuzz.cc feed bytes through. Internal to src/net
// (connection.h declares the entry points, serve_http1_in_memory and serve_http2_in_memory).
//
// Reads return the client's bytes in pieces of the given sizes; once they are all read, a read
// waits until finish_input(), then ends with eof, as a client that sent everything and then
// closed. Writes are appended to the output. close() fails a waiting read and later writes.
#pragma once

#include <boost/asio.hpp>
#include <future>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace trib::net::detail {

class MemoryStream {
 public:
  using executor_type = boost::asio::any_io_executor;

  struct State {
    std::string input;
    std::vector<size_t> pieces;  // sizes of successive reads (0 or missing: all that is left)
    size_t read_offset = 0;
    size_t piece = 0;
    bool input_finished = false;
    bool closed = false;
    std::string output;
  };

  MemoryStream(executor_type executor, std::shared_ptr<State> state)
      : executor_(std::move(executor)), state_(std::move(state)) {}
  ~MemoryStream() { close(); }

  executor_type get_executor() const { return executor_; }

  template <class MutableBufferSequence, class ReadHandler>
  void async_read_some(const MutableBufferSequence& buffers, ReadHandler&& handler) {
    auto& s = *state_;
    if (s.closed) return complete(std::forward<ReadHandler>(handler), aborted(), 0);
    if (s.read_offset == s.input.size()) {
      if (s.input_finished) {
        return complete(std::forward<ReadHandler>(handler), boost::asio::error::eof, 0);
      }
      // Nothing more yet: the read waits for finish_input() or close().
      pending_ =
          std::make_unique<Pending<std::decay_t<ReadHandler>>>(std::forward<ReadHandler>(handler));
      return;
    }
    size_t want = s.input.size() - s.read_offset;
    if (s.piece < s.pieces.size() && s.pieces[s.piece] != 0) {
      want = std::min(want, s.pieces[s.piece]);
    }
    ++s.piece;
    const size_t n = boost::asio::buffer_copy(
        buffers, boost::asio::buffer(s.input.data() + s.read_offset, want));
    s.read_offset += n;
    complete(std::forward<ReadHandler>(handler), boost::system::error_code(), n);
  }

  template <class ConstBufferSequence, class WriteHandler>
  void async_write_some(const ConstBufferSequence& buffers, WriteHandler&& handler) {
    if (state_->closed) return complete(std::forward<WriteHandler>(handler), aborted(), 0);
    const size_t size = boost::asio::buffer_size(buffers);
    const size_t at = state_->output.size();
    state_->output.resize(at + size);
    boost::asio::buffer_copy(boost::asio::buffer(state_->output.data() + at, size), buffers);
    complete(std::forward<WriteHandler>(handler), boost::system::error_code(), size);
  }

  // The client has sent everything: a waiting read ends with eof.
  void finish_input() {
    state_->input_finished = true;
    if (pending_) std::exchange(pending_, nullptr)->fire(executor_, boost::asio::error::eof);
  }

  void close() {
    if (state_->closed) return;
    state_->closed = true;
    if (pending_) std::exchange(pending_, nullptr)->fire(executor_, aborted());
  }

  bool read_waiting() const { return pending_ != nullptr; }

 private:
  static boost::system::error_code aborted() { return boost::asio::error::operation_aborted; }

  template <class Handler>
  void complete(Handler&& handler, boost::system::error_code ec, size_t n) {
    boost::asio::post(executor_, [handler = std::forward<Handler>(handler), ec, n]() mutable {
      std::move(handler)(ec, n);
    });
  }

  struct PendingRead {
    virtual ~PendingRead() = default;
    virtual void fire(const executor_type& executor, boost::system::error_code ec) = 0;
  };
  template <class Handler>
  struct Pending final : PendingRead {
    explicit Pending(Handler&& h) : handler(std::move(h)) {}
    void fire(const executor_type& executor, boost::system::error_code ec) override {
      boost::asio::post(executor, [handler = std::move(handler), ec]() mutable {
        std::move(handler)(ec, size_t{0});
      });
    }
    Handler handler;
  };

  executor_type executor_;
  std::shared_ptr<State> state_;
  std::unique_ptr<PendingRead> pending_;
};

inline void close_lowest_layer(MemoryStream& stream) { stream.close(); }

// Runs a connection started by `start` (given the stream) until it is quiet: handlers posted to
// `workers` are waited for, the client's end of input comes once nothing else is pending, and
// the connection's timers are abandoned (pending work is destroyed with the io_context).
// Returns what the server wrote.
template <class Start>
std::string run_in_memory(std::string input, std::vector<size_t> pieces,
                          boost::asio::thread_pool& workers, Start&& start) {
  boost::asio::io_context io;
  auto state = std::make_shared<MemoryStream::State>();
  state->input = std::move(input);
  state->pieces = std::move(pieces);
  auto stream = std::make_unique<MemoryStream>(io.get_executor(), state);
  MemoryStream* raw = stream.get();
  std::weak_ptr<void> connection = start(std::move(stream));
  const auto drain_workers = [&workers] {
    std::promise<void> done;
    boost::asio::post(workers, [&done] { done.set_value(); });
    done.get_future().wait();
  };
  for (int round = 0; round < 100000; ++round) {
    io.restart();
    size_t ran = io.poll();
    drain_workers();
    io.restart();
    ran += io.poll();
    if (ran != 0) continue;
    // Quiet. Hand over the end of input once (the stream lives as long as the connection).
    if (state->input_finished || state->closed || connection.expired()) break;
    raw->finish_input();
  }
  return std::move(state->output);
}

}  // namespace trib::net::detail
