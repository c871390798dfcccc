#include "aws/request_id.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>

namespace trib::aws {

namespace {

// The calling thread's generator, seeded once from the system's secure source.
std::mt19937_64& generator() {
  thread_local std::mt19937_64 generator = [] {
    uint64_t seed = 0;
    RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed);
    return std::mt19937_64(seed);
  }();
  return generator;
}

}  // namespace

std::string random_bytes(size_t n) {
  std::mt19937_64& random = generator();
  std::string out(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    const uint64_t word = random();
    std::memcpy(out.data() + i, &word, std::min<size_t>(8, n - i));
  }
  return out;
}

std::string new_request_id() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::mt19937_64& random = generator();
  uint64_t words[2] = {random(), random()};
  unsigned char b[16];
  std::memcpy(b, words, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string out(36, '-');
  size_t at = 0;
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++at;  // the dashes
    out[at++] = kHex[b[i] >> 4];
    out[at++] = kHex[b[i] & 0x0f];
  }
  return out;
}

std::string new_alphanumeric_request_id() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::mt19937_64& random = generator();
  std::string out(52, 'A');
  // Twelve base-36 digits from each 64-bit word (36^12 < 2^64).
  for (size_t i = 0; i < out.size(); i += 12) {
    uint64_t word = random();
    for (size_t j = i; j < std::min<size_t>(i + 12, out.size()); ++j) {
      out[j] = kAlphabet[word % 36];
      word /= 36;
    }
  }
  return out;
}

}  // namespace trib::aws
