#include "util/md5.h"

#include <cstdint>
#include <cstring>

namespace trib::util {

namespace {

// RFC 1321, written out here rather than through OpenSSL: the inputs are short (partition keys
// of at most 256 bytes, one or a few blocks) and EVP_Digest spent about 1,800 instructions per
// call on context set-up around a compression of about 500 (callgrind, bench/README.md,
// "Session 9"). Checked against OpenSSL's MD5 in tests/unit/util/util_test.cc.

constexpr uint32_t kSine[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

constexpr int kShift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

constexpr uint32_t rotate_left(uint32_t x, int c) { return (x << c) | (x >> (32 - c)); }

uint32_t load_le32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

void store_le32(unsigned char* p, uint32_t v) {
  p[0] = static_cast<unsigned char>(v);
  p[1] = static_cast<unsigned char>(v >> 8);
  p[2] = static_cast<unsigned char>(v >> 16);
  p[3] = static_cast<unsigned char>(v >> 24);
}

// One step of round R (0-3) on message word `word`; the four rounds differ in their mixing
// function and in the order they read the block's words.
template <int R>
inline void step(uint32_t& a, uint32_t b, uint32_t c, uint32_t d, uint32_t word, int i) {
  uint32_t f;
  if constexpr (R == 0) {
    f = (b & c) | (~b & d);
  } else if constexpr (R == 1) {
    f = (d & b) | (~d & c);
  } else if constexpr (R == 2) {
    f = b ^ c ^ d;
  } else {
    f = c ^ (b | ~d);
  }
  a = b + rotate_left(a + f + kSine[i] + word, kShift[R][i % 4]);
}

template <int R>
inline void round(uint32_t& a, uint32_t& b, uint32_t& c, uint32_t& d, const uint32_t* m) {
  for (int j = 0; j < 16; j += 4) {
    const int i = R * 16 + j;
    // The word each step reads: i, 5i+1, 3i+5, 7i (mod 16) for rounds 0-3.
    auto word = [&](int k) {
      const int n = i + k;
      if constexpr (R == 0) return m[n % 16];
      if constexpr (R == 1) return m[(5 * n + 1) % 16];
      if constexpr (R == 2) return m[(3 * n + 5) % 16];
      return m[(7 * n) % 16];
    };
    step<R>(a, b, c, d, word(0), i);
    step<R>(d, a, b, c, word(1), i + 1);
    step<R>(c, d, a, b, word(2), i + 2);
    step<R>(b, c, d, a, word(3), i + 3);
  }
}

void compress(uint32_t state[4], const unsigned char* block) {
  uint32_t m[16];
  for (int i = 0; i < 16; ++i) m[i] = load_le32(block + 4 * i);
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  round<0>(a, b, c, d, m);
  round<1>(a, b, c, d, m);
  round<2>(a, b, c, d, m);
  round<3>(a, b, c, d, m);
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
}

}  // namespace

Md5Digest md5(std::string_view bytes) {
  uint32_t state[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t left = bytes.size();
  for (; left >= 64; left -= 64, data += 64) compress(state, data);
  // The tail, the 0x80 marker, zeros, and the message length in bits (little-endian) last.
  unsigned char tail[128] = {};
  if (left != 0) std::memcpy(tail, data, left);
  tail[left] = 0x80;
  const size_t tail_size = left < 56 ? 64 : 128;
  const uint64_t bits = static_cast<uint64_t>(bytes.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_size - 8 + i] = static_cast<unsigned char>(bits >> (8 * i));
  compress(state, tail);
  if (tail_size == 128) compress(state, tail + 64);
  Md5Digest digest;
  for (int i = 0; i < 4; ++i) store_le32(digest.data() + 4 * i, state[i]);
  return digest;
}

}  // namespace trib::util
