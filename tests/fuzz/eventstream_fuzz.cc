// libFuzzer target for the AWS event-stream framing (src/aws/eventstream.h), which carries
// SubscribeToShard's events. See README.md here for the libFuzzer build and the GCC smoke run.
//
// Each input is used three ways:
//  1. Decoded as it is, message after message: decoding must never crash, must consume between
//     16 bytes and what is left, and every strict prefix of a decoded message must be
//     "incomplete" (nullopt, not corrupt). A decoded message encodes again (all headers as
//     strings) and decodes to the same headers and payload.
//  2. Decoded with its length and both CRCs repaired, so that the header parser sees arbitrary
//     header bytes (random inputs almost never carry valid CRCs): any result but a crash is
//     fine, and a message that decodes must round-trip as in 1.
//  3. Read as the recipe of a message (header names, values, payload; also an event and an
//     exception): encode -> decode must give it back exactly, consuming all of it, and flipping
//     any one bit of the encoding must be reported as corrupt.
// A broken invariant aborts with a message naming it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/eventstream.h"
#include "util/crc32.h"

namespace {

namespace eventstream = trib::aws::eventstream;
using eventstream::Message;

constexpr size_t kPreludeBytes = 12;
constexpr size_t kMinimumMessage = 16;

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "event-stream invariant broken: %s\n", what);
  std::abort();
}

bool same_message(const Message& a, const Message& b) {
  if (a.payload != b.payload || a.headers.size() != b.headers.size()) return false;
  for (size_t i = 0; i < a.headers.size(); ++i) {
    if (a.headers[i].name != b.headers[i].name || a.headers[i].value != b.headers[i].value) {
      return false;
    }
  }
  return true;
}

// Encodes `message` and checks that it decodes back exactly, alone and with bytes after it.
std::string check_round_trip(const Message& message) {
  const std::string encoded = eventstream::encode(message);
  size_t consumed = 0;
  bool corrupt = true;
  auto decoded = eventstream::decode(encoded + "tail", &consumed, &corrupt);
  if (!decoded || corrupt) broken("an encoded message does not decode");
  if (consumed != encoded.size()) broken("decoding an encoded message consumed another length");
  if (!same_message(*decoded, message)) broken("encode -> decode changed the message");
  return encoded;
}

void put_u32(std::string& out, size_t at, uint32_t value) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>((value >> (24 - 8 * i)) & 0xff);
}

// 1. Arbitrary bytes, message after message.
void check_decoding(std::string_view rest) {
  while (!rest.empty()) {
    size_t consumed = 0;
    bool corrupt = false;
    auto message = eventstream::decode(rest, &consumed, &corrupt);
    if (!message) return;
    if (corrupt) broken("a decoded message is flagged corrupt");
    if (consumed < kMinimumMessage || consumed > rest.size()) broken("consumed out of range");
    for (const size_t cut : {size_t{0}, kPreludeBytes - 1, kPreludeBytes, consumed - 1}) {
      size_t ignored = 0;
      bool prefix_corrupt = true;
      if (eventstream::decode(rest.substr(0, cut), &ignored, &prefix_corrupt) || prefix_corrupt) {
        broken("a strict prefix of a message is not reported incomplete");
      }
    }
    for (const auto& header : message->headers) {
      if (header.name.size() > 255 || header.value.size() > 65535) {
        broken("a decoded header is larger than the format allows");
      }
    }
    check_round_trip(*message);
    rest.remove_prefix(consumed);
  }
}

// 2. The input with its total length and both CRCs made valid.
void check_repaired(std::string_view bytes) {
  if (bytes.size() < kMinimumMessage) return;
  std::string message(bytes);
  put_u32(message, 0, static_cast<uint32_t>(message.size()));
  put_u32(message, 8, trib::crc32(std::string_view(message).substr(0, 8)));
  put_u32(message, message.size() - 4,
          trib::crc32(std::string_view(message).substr(0, message.size() - 4)));
  size_t consumed = 0;
  bool corrupt = false;
  auto decoded = eventstream::decode(message, &consumed, &corrupt);
  if (!decoded) return;
  if (consumed != message.size()) broken("a repaired message decoded to another length");
  check_round_trip(*decoded);
}

// Reads the recipe of a message from the input.
class Recipe {
 public:
  explicit Recipe(std::string_view bytes) : bytes_(bytes) {}

  size_t number(size_t limit) {
    if (bytes_.empty() || limit == 0) return 0;
    const auto value = static_cast<uint8_t>(bytes_.front());
    bytes_.remove_prefix(1);
    return value % (limit + 1);
  }

  std::string text(size_t limit) {
    const size_t wanted = number(limit);  // consumes a byte: before reading size()
    const size_t length = std::min(wanted, bytes_.size());
    std::string out(bytes_.substr(0, length));
    bytes_.remove_prefix(length);
    return out;
  }

  std::string rest() { return std::string(bytes_); }

 private:
  std::string_view bytes_;
};

// 3. Encode -> decode of a message made from the input, and single-bit damage.
void check_encoding(std::string_view bytes) {
  Recipe recipe(bytes);
  Message message;
  const size_t header_count = recipe.number(6);
  for (size_t i = 0; i < header_count; ++i) {
    eventstream::Header header;
    header.name = recipe.text(255);
    header.value = recipe.text(255);
    message.headers.push_back(std::move(header));
  }
  const size_t damage_at = recipe.number(255);
  message.payload = recipe.rest();
  const std::string encoded = check_round_trip(message);

  const size_t bit = (damage_at * 131) % (encoded.size() * 8);
  std::string damaged = encoded;
  damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
  size_t consumed = 0;
  bool corrupt = false;
  if (eventstream::decode(damaged, &consumed, &corrupt) || !corrupt) {
    broken("a flipped bit in an encoded message went unnoticed");
  }

  const std::string first = message.headers.empty() ? "" : message.headers.front().value;
  for (const bool exception : {false, true}) {
    const std::string framed =
        exception
            ? eventstream::encode_exception(first, "application/x-amz-cbor-1.1", message.payload)
            : eventstream::encode_event(first, "application/json", message.payload);
    auto decoded = eventstream::decode(framed, &consumed, &corrupt);
    if (!decoded || consumed != framed.size()) broken("an encoded event does not decode");
    const std::string* type = decoded->header(exception ? ":exception-type" : ":event-type");
    const std::string* kind = decoded->header(":message-type");
    if (!type || *type != first || !kind || *kind != (exception ? "exception" : "event") ||
        decoded->payload != message.payload) {
      broken("an encoded event decodes to other headers or payload");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check_decoding(bytes);
  check_repaired(bytes);
  check_encoding(bytes);
  return 0;
}
