#include <spdlog/spdlog.h>

#include <cstring>

#include "net/connection.h"

namespace trib::net::detail {

aws::HttpResponse call_handler(const RequestHandler& handler, const aws::HttpRequest& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    spdlog::error("unhandled error while serving a request: {}", e.what());
  } catch (...) {
    spdlog::error("unhandled non-standard exception while serving a request");
  }
  // The handler (the AWS pipeline) answers its own failures in AWS's shape; this is only the
  // transport's last resort, so it says nothing about any protocol above HTTP.
  aws::HttpResponse response;
  response.status = 500;
  return response;
}

StreamWriter::StreamWriter(std::weak_ptr<StreamOwner> owner, asio::any_io_executor strand,
                           int32_t stream_id, size_t max_buffered_bytes)
    : owner_(std::move(owner)),
      strand_(std::move(strand)),
      stream_id_(stream_id),
      max_buffered_bytes_(max_buffered_bytes) {}

bool StreamWriter::write(std::string chunk) {
  std::lock_guard lock(mutex_);
  if (state_ != State::open) return false;
  if (chunk.empty()) return true;
  if (buffered_ + chunk.size() > max_buffered_bytes_) {
    // The consumer is far behind: give up on this response rather than grow without bound.
    state_ = State::overflowed;
    chunks_.clear();
    front_offset_ = 0;
    buffered_ = 0;
    notify_locked();
    return false;
  }
  buffered_ += chunk.size();
  chunks_.push_back(std::move(chunk));
  notify_locked();
  return true;
}

void StreamWriter::finish() {
  std::lock_guard lock(mutex_);
  if (state_ != State::open) return;
  state_ = State::finished;
  notify_locked();
}

void StreamWriter::abort() {
  std::lock_guard lock(mutex_);
  if (state_ != State::open) return;
  state_ = State::aborted;
  chunks_.clear();
  front_offset_ = 0;
  buffered_ = 0;
  notify_locked();
}

size_t StreamWriter::buffered_bytes() const {
  std::lock_guard lock(mutex_);
  return buffered_;
}

StreamWriter::State StreamWriter::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

bool StreamWriter::has_data() const {
  std::lock_guard lock(mutex_);
  return buffered_ > 0;
}

size_t StreamWriter::take(uint8_t* out, size_t max_bytes) {
  std::lock_guard lock(mutex_);
  size_t taken = 0;
  while (taken < max_bytes && !chunks_.empty()) {
    const std::string& front = chunks_.front();
    const size_t n = std::min(max_bytes - taken, front.size() - front_offset_);
    std::memcpy(out + taken, front.data() + front_offset_, n);
    taken += n;
    front_offset_ += n;
    if (front_offset_ == front.size()) {
      chunks_.pop_front();
      front_offset_ = 0;
    }
  }
  buffered_ -= taken;
  return taken;
}

std::string StreamWriter::take_all() {
  std::lock_guard lock(mutex_);
  std::string all;
  if (chunks_.size() == 1 && front_offset_ == 0) {
    all = std::move(chunks_.front());
  } else {
    all.reserve(buffered_);
    bool first = true;
    for (const auto& chunk : chunks_) {
      all.append(chunk, first ? front_offset_ : 0);
      first = false;
    }
  }
  chunks_.clear();
  front_offset_ = 0;
  buffered_ = 0;
  return all;
}

bool StreamWriter::close_by_transport() {
  std::lock_guard lock(mutex_);
  const bool producer_still_writing = state_ == State::open || state_ == State::overflowed;
  state_ = State::closed;
  chunks_.clear();
  front_offset_ = 0;
  buffered_ = 0;
  return producer_still_writing;
}

void StreamWriter::notify_locked() {
  if (wake_pending_) return;
  wake_pending_ = true;
  asio::post(strand_, [self = shared_from_this()] {
    {
      std::lock_guard lock(self->mutex_);
      self->wake_pending_ = false;
      if (self->state_ == State::closed) return;
    }
    if (auto owner = self->owner_.lock()) owner->on_stream_event(self->stream_id_);
  });
}

}  // namespace trib::net::detail
