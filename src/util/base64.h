// Standard base64 (RFC 4648, with padding), as AWS JSON protocols use for blobs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trib::base64 {

std::string encode(std::string_view bytes);

// Why a string is not valid base64, worded as AWS's front end words it (see json_codec.cc).
struct DecodeError {
  enum class Kind { kLength, kCharacter, kLastCharacter } kind;
  char bad_character = 0;
};

// Strict decode: length a multiple of 4, only the alphabet and trailing '=' padding, and
// unused bits of the last character zero (so decode(encode(x)) is the only accepted spelling).
std::optional<std::string> decode(std::string_view text, DecodeError* error = nullptr);

}  // namespace trib::base64
