// libFuzzer target for HTTP/2: bytes from a client through the server's own connection
// (src/net/http2_connection.cc: an nghttp2 server session with the server's settings and
// callbacks, requests dispatched to a worker pool and answered) over an in-memory transport
// (src/net/memory_stream.h) instead of a socket. See README.md here for how to build and run it.
//
// The first byte sets how the rest is split into reads (its low 7 bits; 0: one read) and,
// with its high bit clear, puts the client connection preface in front of the rest (so the
// fuzzer spends its time on frames). Whatever the bytes: no crash, no hang; no body over the
// limit reaches the handler; the server's output is whole frames, the first a SETTINGS frame on
// stream 0.
#include <cstddef>
#include <cstdint>
#include <string>

#include "http_harness.h"

namespace {

using trib::fuzz::broken;

constexpr char kPreface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

void check_frames(const std::string& output) {
  size_t offset = 0;
  bool first = true;
  while (offset < output.size()) {
    if (output.size() - offset < 9) broken("server output ends inside a frame header");
    const auto* p = reinterpret_cast<const uint8_t*>(output.data() + offset);
    const size_t length = (size_t{p[0]} << 16) | (size_t{p[1]} << 8) | p[2];
    const uint8_t type = p[3];
    const uint32_t stream =
        ((uint32_t{p[5]} & 0x7f) << 24) | (uint32_t{p[6]} << 16) | (uint32_t{p[7]} << 8) | p[8];
    if (first && (type != 0x4 || stream != 0)) broken("server output does not begin with SETTINGS");
    first = false;
    if (output.size() - offset - 9 < length) broken("server output ends inside a frame");
    offset += 9 + length;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static trib::fuzz::HttpHarness harness;
  if (size == 0) return 0;
  std::string input;
  if ((data[0] & 0x80) == 0) input = kPreface;
  input.append(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto pieces = trib::fuzz::read_pieces(data[0] & 0x7f, input.size());
  const std::string output =
      trib::net::detail::serve_http2_in_memory(std::move(input), pieces, harness.context);
  trib::fuzz::maybe_print(output);
  check_frames(output);
  return 0;
}
