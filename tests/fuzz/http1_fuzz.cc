// libFuzzer target for the HTTP/1.1 request path: the server's own connection
// (src/net/http1_connection.cc, Boost.Beast's request parser with the server's header and body
// limits, keep-alive, pipelining, chunked bodies) driven over an in-memory transport
// (src/net/memory_stream.h) instead of a socket. See README.md here for how to build and run it.
//
// The first byte sets how the rest is split into reads (0: one read); the rest is what a client
// sends before closing. Whatever it is: no crash, no hang; no body over the limit reaches the
// handler; the server writes only whole HTTP/1.1 responses, each 200 (the handler's), 400
// (malformed), 413 (body over the limit) or 431 (headers over the limit), at most one per request
// handled plus one refusal; and the same bytes give the same answer in one read or in many.
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "http_harness.h"

namespace {

namespace http = boost::beast::http;
using trib::fuzz::broken;

// The responses in `output`; aborts on anything that is not a sequence of whole responses.
size_t check_responses(const std::string& output) {
  size_t offset = 0;
  size_t count = 0;
  while (offset < output.size()) {
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(1 << 20);
    boost::system::error_code ec;
    const size_t used =
        parser.put(boost::asio::buffer(output.data() + offset, output.size() - offset), ec);
    if (ec || !parser.is_done()) broken("server output is not a whole HTTP/1.1 response");
    const auto status = parser.get().result_int();
    if (status != 200 && status != 400 && status != 413 && status != 431) {
      broken("unexpected response status");
    }
    offset += used;
    ++count;
  }
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static trib::fuzz::HttpHarness harness;
  if (size == 0) return 0;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  harness.handled = 0;
  const std::string whole = trib::net::detail::serve_http1_in_memory(input, {}, harness.context);
  trib::fuzz::maybe_print(whole);
  const uint64_t handled = harness.handled.load();
  const size_t responses = check_responses(whole);
  if (responses > handled + 1) broken("more responses than requests");
  if (data[0] != 0) {
    harness.handled = 0;
    const std::string pieces = trib::net::detail::serve_http1_in_memory(
        input, trib::fuzz::read_pieces(data[0], input.size()), harness.context);
    if (pieces != whole || harness.handled.load() != handled) {
      broken("the answer depends on how the request was split into reads");
    }
  }
  return 0;
}
