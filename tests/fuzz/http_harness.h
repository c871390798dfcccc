// What http1_fuzz.cc and http2_fuzz.cc share: a server context as the server builds it
// (HttpServerOptions defaults, a small body limit so that refusals are reached), a request
// handler that checks what reaches it and answers like a service, and the split of an input
// into reads.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>  // before Boost.Asio, whose awaitable.hpp needs std::exchange
#include <vector>

#include "net/connection.h"

namespace trib::fuzz {

inline constexpr uint64_t kFuzzMaxBodyBytes = 4096;

[[noreturn]] inline void broken(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

struct HttpHarness {
  net::HttpServerOptions options = [] {
    net::HttpServerOptions o;
    o.max_body_bytes = kFuzzMaxBodyBytes;
    // No timeouts (0: off): they run on the real clock, so an input's answer would depend on
    // how long it took. A fuzzer paused with SIGSTOP for a few minutes (as during a benchmark)
    // met the header timeout on resuming, and its "same answer however the input is split into
    // reads" check failed for inputs that replay cleanly. The timeouts have integration tests.
    o.limits.idle_timeout_ms = 0;
    o.limits.header_timeout_ms = 0;
    o.limits.stall_timeout_ms = 0;
    o.limits.tls_handshake_timeout_ms = 0;
    return o;
  }();
  std::atomic<uint64_t> handled{0};
  net::RequestHandler handler = [this](const aws::HttpRequest& request) {
    if (request.body.size() > options.max_body_bytes) broken("a body over the limit was handled");
    handled.fetch_add(1);
    aws::HttpResponse response;
    response.set_header("Content-Type", "application/x-amz-json-1.1");
    response.set_header("x-amzn-RequestId", "fuzz");
    response.body = "{\"Method\":\"" + std::to_string(request.method.size()) +
                    "\",\"Bytes\":" + std::to_string(request.body.size()) + "}";
    if (request.target == "/close") response.close = true;
    return response;
  };
  boost::asio::thread_pool workers{1};
  std::atomic<bool> stopping{false};
  net::detail::LimitCounters limits;
  net::detail::ServerContext context{
      options,  handler, workers, [](const std::shared_ptr<net::detail::Connection>&) {},
      stopping, limits};
};

// With TRIBUTARY_FUZZ_PRINT set, what the server wrote goes to stderr (for looking at a seed).
inline void maybe_print(const std::string& output) {
  static const bool print = std::getenv("TRIBUTARY_FUZZ_PRINT") != nullptr;
  if (print) std::fwrite(output.data(), 1, output.size(), stderr);
}

// Read sizes from `seed`: 0 -> one read of everything; otherwise reads of 1 to seed bytes.
inline std::vector<size_t> read_pieces(uint8_t seed, size_t total) {
  std::vector<size_t> pieces;
  if (seed == 0) return pieces;
  uint32_t state = seed * 2654435761u + 1;
  for (size_t covered = 0; covered < total;) {
    state = state * 1103515245u + 12345u;
    const size_t piece = 1 + (state >> 16) % seed;
    pieces.push_back(piece);
    covered += piece;
  }
  return pieces;
}

}  // namespace trib::fuzz
