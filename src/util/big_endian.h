// Big-endian fixed-width integers in byte strings, written and read: storage keys (whose byte order
// must be their numeric order), stored record headers, event-stream frames. Written with one
// append, not one push_back per byte (each push_back checks the capacity: a Kinesis record's chunk
// header and key cost about 1,000 instructions that way; callgrind, bench/README.md "Session 9").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace trib::util {

// The low N bytes of v, most significant first, at p[0..N).
template <size_t N>
inline void store_big_endian(char* p, uint64_t v) {
  static_assert(N >= 1 && N <= 8);
  for (size_t i = 0; i < N; ++i) p[i] = static_cast<char>(v >> (8 * (N - 1 - i)));
}

template <size_t N>
inline void append_big_endian(std::string& out, uint64_t v) {
  // Grown and written in place (appending a local array trips GCC 12's -Wstringop-overread
  // at -O3, a false positive).
  const size_t at = out.size();
  out.resize(at + N);
  store_big_endian<N>(out.data() + at, v);
}

// The unsigned integer stored big-endian in p[0..width), width at most 8 (the reverse of
// store_big_endian). The caller has checked that the bytes are there.
inline uint64_t load_big_endian(const char* p, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

}  // namespace trib::util
