// Standard base64 (RFC 4648, with padding), as AWS JSON protocols use for blobs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trib::base64 {

std::string encode(std::string_view bytes);
// Appends the encoding of `bytes` to `out` (no temporary string).
void encode_append(std::string& out, std::string_view bytes);

// Why a string is not valid base64, worded as AWS's front end words it (see json_codec.cc).
struct DecodeError {
  enum class Kind { kLength, kCharacter, kLastCharacter } kind;
  std::string bad_character;  // the whole (UTF-8) character, for kCharacter
  size_t length = 0;          // the text's length in UTF-16 code units (as Java counts it)
};

// Strict decode: length a multiple of 4 (counted in characters, as Java counts them), only the
// alphabet and trailing '=' padding, and unused bits of the last character zero (so
// decode(encode(x)) is the only accepted spelling).
std::optional<std::string> decode(std::string_view text, DecodeError* error = nullptr);

}  // namespace trib::base64
