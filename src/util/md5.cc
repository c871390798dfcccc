#include "util/md5.h"

#include <openssl/evp.h>

namespace trib::util {

Md5Digest md5(std::string_view bytes) {
  // Fetched once: with EVP_md5() every EVP_Digest fetches the algorithm from the provider
  // again (OpenSSL 3's crypto(7), "Performance": prefetch an algorithm used many times).
  static EVP_MD* const fetched = EVP_MD_fetch(nullptr, "MD5", nullptr);
  Md5Digest digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, fetched ? fetched : EVP_md5(),
             nullptr);
  return digest;
}

}  // namespace trib::util
