// Opaque, tamper-proof tokens (shard iterators, pagination tokens): the plaintext is
// encrypted (AES-256-CBC) and authenticated (HMAC-SHA256, encrypt-then-MAC) with a key kept
// per data directory. Wire form: base64(0x0000000000000001 | IV | ciphertext | tag), so every
// token after the 8-byte prefix is whole 16-byte blocks, like AWS's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trib {

class TokenSealer {
 public:
  static constexpr size_t kKeyBytes = 64;
  // `key` must be kKeyBytes random bytes.
  explicit TokenSealer(std::string key);
  static std::string generate_key();

  std::string seal(std::string_view plaintext) const;
  // nullopt for anything malformed, truncated or forged.
  std::optional<std::string> open(std::string_view token) const;

 private:
  std::string key_;
};

}  // namespace trib
