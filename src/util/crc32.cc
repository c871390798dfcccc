#include "util/crc32.h"

#include <array>
#include <cstddef>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define TRIB_CRC32_CLMUL 1
#endif

namespace trib {

namespace {

// Slicing-by-8 (Intel's "slicing-by-N", as in zlib's and Linux's CRC code): table k maps a byte
// to its CRC contribution k bytes ahead, so eight bytes are folded per step with independent
// loads instead of a chain of one dependent load per byte (about 6x faster on the responses of
// a DynamoDB Query; bench/README.md, "DynamoDB CPU per request"). Used where the carry-less
// multiply below is not available, and for the last bytes after it.
using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables make_tables() {
  Tables t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    t[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; ++i) {
    for (int k = 1; k < 8; ++k) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
  }
  return t;
}

constexpr Tables kTables = make_tables();

uint32_t load_le32(const unsigned char* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

// `state` is the inverted CRC (zlib's internal register).
uint32_t table_update(uint32_t state, const unsigned char* p, size_t n) {
  for (; n >= 8; p += 8, n -= 8) {
    const uint32_t low = load_le32(p) ^ state;
    const uint32_t high = load_le32(p + 4);
    state = kTables[7][low & 0xff] ^ kTables[6][(low >> 8) & 0xff] ^
            kTables[5][(low >> 16) & 0xff] ^ kTables[4][low >> 24] ^ kTables[3][high & 0xff] ^
            kTables[2][(high >> 8) & 0xff] ^ kTables[1][(high >> 16) & 0xff] ^
            kTables[0][high >> 24];
  }
  for (; n > 0; ++p, --n) state = kTables[0][(state ^ *p) & 0xff] ^ (state >> 8);
  return state;
}

#ifdef TRIB_CRC32_CLMUL

// Folding with carry-less multiplication (PCLMULQDQ): V. Gopal, E. Ozturk et al., "Fast CRC
// Computation for Generic Polynomials Using PCLMULQDQ Instruction", Intel, 2009, with the
// bit-reflected constants for this polynomial given there (the same as zlib-ng's and
// Chromium zlib's crc32_simd.c). Four 128-bit lanes fold 64 bytes per step, then fold into one
// lane, to 64 bits, and a Barrett reduction gives the 32-bit register. About 6x the
// slicing-by-8 rate on a 1 MB body, and a tenth of its instructions (bench/README.md).
#define TRIB_CLMUL __attribute__((target("pclmul,sse4.1")))

TRIB_CLMUL inline __m128i load128(const unsigned char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// x·k (its low and high halves by k's low and high constants) plus `data`.
TRIB_CLMUL inline __m128i fold(__m128i x, __m128i k, __m128i data) {
  return _mm_xor_si128(
      _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), data);
}

// `n` at least 64 and a multiple of 16.
TRIB_CLMUL uint32_t clmul_update(uint32_t state, const unsigned char* p, size_t n) {
  const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);     // fold by 512 bits
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);     // fold by 128 bits
  const __m128i k5 = _mm_set_epi64x(0, 0x0163cd6124);                  // 64 -> 32+32 bits
  const __m128i barrett = _mm_set_epi64x(0x01f7011641, 0x01db710641);  // µ, P(x)
  const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);
  __m128i x1 = _mm_xor_si128(load128(p), _mm_cvtsi32_si128(static_cast<int>(state)));
  __m128i x2 = load128(p + 16);
  __m128i x3 = load128(p + 32);
  __m128i x4 = load128(p + 48);
  for (p += 64, n -= 64; n >= 64; p += 64, n -= 64) {
    x1 = fold(x1, k1k2, load128(p));
    x2 = fold(x2, k1k2, load128(p + 16));
    x3 = fold(x3, k1k2, load128(p + 32));
    x4 = fold(x4, k1k2, load128(p + 48));
  }
  x1 = fold(x1, k3k4, x2);
  x1 = fold(x1, k3k4, x3);
  x1 = fold(x1, k3k4, x4);
  for (; n >= 16; p += 16, n -= 16) x1 = fold(x1, k3k4, load128(p));
  __m128i t = _mm_clmulepi64_si128(x1, k3k4, 0x10);
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), t);
  t = _mm_srli_si128(x1, 4);
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, low32), k5, 0x00), t);
  t = _mm_clmulepi64_si128(_mm_and_si128(x1, low32), barrett, 0x10);
  t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), barrett, 0x00);
  return static_cast<uint32_t>(_mm_extract_epi32(_mm_xor_si128(x1, t), 1));
}

// Checked once at start-up (a crc32() during another file's static initialisation may still
// take the table path: the same result).
const bool kHasClmul = [] {
  __builtin_cpu_init();
  return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}();

#endif

}  // namespace

uint32_t crc32(std::string_view bytes, uint32_t crc) {
  uint32_t state = ~crc;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
#ifdef TRIB_CRC32_CLMUL
  if (n >= 64 && kHasClmul) {
    const size_t folded = n & ~size_t{15};
    state = clmul_update(state, p, folded);
    p += folded;
    n -= folded;
  }
#endif
  return ~table_update(state, p, n);
}

}  // namespace trib
