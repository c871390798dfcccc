#include "util/sealed_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <memory>

#include "util/base64.h"

namespace trib {

namespace {

constexpr char kPrefix[8] = {0, 0, 0, 0, 0, 0, 0, 1};
constexpr size_t kIvBytes = 16;
constexpr size_t kTagBytes = 32;

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return std::string(reinterpret_cast<char*>(out), length);
}

struct CipherContextDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

std::optional<std::string> run_cipher(bool encrypt, std::string_view key, std::string_view iv,
                                      std::string_view input) {
  std::unique_ptr<EVP_CIPHER_CTX, CipherContextDeleter> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return std::nullopt;
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  const auto* v = reinterpret_cast<const unsigned char*>(iv.data());
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, k, v, encrypt ? 1 : 0) != 1) {
    return std::nullopt;
  }
  std::string out(input.size() + 32, '\0');
  int written = 0, final_written = 0;
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_CipherUpdate(ctx.get(), o, &written, reinterpret_cast<const unsigned char*>(input.data()),
                       static_cast<int>(input.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), o + written, &final_written) != 1) {
    return std::nullopt;
  }
  out.resize(static_cast<size_t>(written + final_written));
  return out;
}

}  // namespace

TokenSealer::TokenSealer(std::string key) : key_(std::move(key)) {}

std::string TokenSealer::generate_key() {
  std::string key(kKeyBytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size()));
  return key;
}

std::string TokenSealer::seal(std::string_view plaintext) const {
  std::string iv(kIvBytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(iv.data()), static_cast<int>(iv.size()));
  auto ciphertext = run_cipher(true, std::string_view(key_).substr(0, 32), iv, plaintext);
  std::string body = std::string(kPrefix, 8) + iv + ciphertext.value_or("");
  body += hmac(std::string_view(key_).substr(32), body);
  return base64::encode(body);
}

std::optional<std::string> TokenSealer::open(std::string_view token) const {
  auto raw = base64::decode(token);
  if (!raw || raw->size() < 8 + kIvBytes + 16 + kTagBytes) return std::nullopt;
  if (raw->compare(0, 8, std::string(kPrefix, 8)) != 0) return std::nullopt;
  if ((raw->size() - 8) % 16 != 0) return std::nullopt;
  const std::string_view data = std::string_view(*raw).substr(0, raw->size() - kTagBytes);
  const std::string expected = hmac(std::string_view(key_).substr(32), data);
  if (CRYPTO_memcmp(expected.data(), raw->data() + data.size(), kTagBytes) != 0)
    return std::nullopt;
  return run_cipher(false, std::string_view(key_).substr(0, 32), data.substr(8, kIvBytes),
                    data.substr(8 + kIvBytes));
}

}  // namespace trib
