#include "net/tls.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "util/file.h"

namespace trib::net {

namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct BignumFree {
  void operator()(BIGNUM* number) const { BN_free(number); }
};
struct ExtensionFree {
  void operator()(X509_EXTENSION* extension) const { X509_EXTENSION_free(extension); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

constexpr long kTenYearsInDays = 3653;

std::string openssl_error_text() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return length > 0 ? std::string(data, static_cast<size_t>(length)) : std::string();
}

BioPtr memory_bio_over(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

X509Ptr parse_certificate(const std::string& pem) {
  auto bio = memory_bio_over(pem);
  if (!bio) return nullptr;
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

KeyPtr parse_private_key(const std::string& pem) {
  auto bio = memory_bio_over(pem);
  if (!bio) return nullptr;
  return KeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

bool add_extension(X509* certificate, X509V3_CTX* context, int nid, const char* value) {
  std::unique_ptr<X509_EXTENSION, ExtensionFree> extension(
      X509V3_EXT_conf_nid(nullptr, context, nid, value));
  return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

// Writes through a temporary file and a rename, so a crash never leaves half a file.
bool write_file_atomically(const std::filesystem::path& path, const std::string& contents,
                           mode_t mode, std::string* error) {
  const std::string temporary = path.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    *error = "cannot create " + temporary + ": " + std::strerror(errno);
    return false;
  }
  bool ok = ::fchmod(fd, mode) == 0;
  size_t written = 0;
  while (ok && written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ok = false;
    if (n > 0) written += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!ok || ::rename(temporary.c_str(), path.c_str()) != 0) {
    *error = "cannot write " + path.string() + ": " + std::strerror(ok ? errno : saved_errno);
    ::unlink(temporary.c_str());
    return false;
  }
  return true;
}

}  // namespace

bool generate_self_signed_certificate(TlsCertificate* out, std::string* error) {
  KeyPtr key(EVP_EC_gen("P-256"));
  X509Ptr certificate(X509_new());
  std::unique_ptr<BIGNUM, BignumFree> serial(BN_new());
  if (!key || !certificate || !serial) {
    *error = "cannot generate a TLS key: " + openssl_error_text();
    return false;
  }
  X509* x = certificate.get();
  bool ok = X509_set_version(x, 2) == 1;  // X.509 v3
  // A random positive 127-bit serial number.
  ok = ok && BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1;
  ok = ok && BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(x)) != nullptr;
  ok = ok && X509_gmtime_adj(X509_getm_notBefore(x), -3600) != nullptr;
  ok = ok && X509_time_adj_ex(X509_getm_notAfter(x), kTenYearsInDays, 0, nullptr) != nullptr;
  X509_NAME* name = X509_get_subject_name(x);
  ok = ok && X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                        reinterpret_cast<const unsigned char*>("Tributary"), -1, -1,
                                        0) == 1;
  ok = ok && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                        reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                                        0) == 1;
  ok = ok && X509_set_issuer_name(x, name) == 1;
  ok = ok && X509_set_pubkey(x, key.get()) == 1;
  if (ok) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, x, x, nullptr, nullptr, 0);
    ok = add_extension(x, &context, NID_basic_constraints, "critical,CA:FALSE") &&
         add_extension(x, &context, NID_key_usage, "critical,digitalSignature") &&
         add_extension(x, &context, NID_ext_key_usage, "serverAuth") &&
         add_extension(x, &context, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") &&
         add_extension(x, &context, NID_subject_key_identifier, "hash") &&
         add_extension(x, &context, NID_authority_key_identifier, "keyid:always");
  }
  ok = ok && X509_sign(x, key.get(), EVP_sha256()) > 0;
  BioPtr certificate_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  ok = ok && certificate_bio && key_bio && PEM_write_bio_X509(certificate_bio.get(), x) == 1 &&
       PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) ==
           1;
  if (!ok) {
    *error = "cannot generate a self-signed TLS certificate: " + openssl_error_text();
    return false;
  }
  out->certificate_pem = bio_contents(certificate_bio.get());
  out->private_key_pem = bio_contents(key_bio.get());
  out->description = "self-signed for localhost, in memory";
  return true;
}

bool load_certificate_files(const std::string& certificate_path, const std::string& key_path,
                            TlsCertificate* out, std::string* error) {
  TlsCertificate loaded;
  if (!read_whole_file(certificate_path, &loaded.certificate_pem, error) ||
      !read_whole_file(key_path, &loaded.private_key_pem, error)) {
    return false;
  }
  auto certificate = parse_certificate(loaded.certificate_pem);
  if (!certificate) {
    *error = certificate_path + " holds no PEM certificate: " + openssl_error_text();
    return false;
  }
  auto key = parse_private_key(loaded.private_key_pem);
  if (!key) {
    *error = key_path + " holds no PEM private key (encrypted keys are not supported): " +
             openssl_error_text();
    return false;
  }
  if (X509_check_private_key(certificate.get(), key.get()) != 1) {
    ERR_clear_error();
    *error = "the key in " + key_path + " does not match the certificate in " + certificate_path;
    return false;
  }
  loaded.description = certificate_path;
  *out = std::move(loaded);
  return true;
}

bool load_or_create_self_signed_certificate(const std::string& directory, TlsCertificate* out,
                                            std::string* error) {
  namespace fs = std::filesystem;
  const fs::path certificate_path = fs::path(directory) / "cert.pem";
  const fs::path key_path = fs::path(directory) / "key.pem";
  std::error_code ec;
  // The certificate is written last, so a crash in between leaves no certificate and the
  // pair is generated again.
  if (fs::exists(certificate_path, ec)) {
    if (!load_certificate_files(certificate_path.string(), key_path.string(), out, error)) {
      *error += " (delete " + directory + " to generate a new self-signed certificate)";
      return false;
    }
    out->description = certificate_path.string() + " (self-signed for localhost)";
    return true;
  }
  fs::create_directories(directory, ec);
  if (ec) {
    *error = "cannot create " + directory + ": " + ec.message();
    return false;
  }
  TlsCertificate generated;
  if (!generate_self_signed_certificate(&generated, error)) return false;
  if (!write_file_atomically(key_path, generated.private_key_pem, 0600, error) ||
      !write_file_atomically(certificate_path, generated.certificate_pem, 0644, error)) {
    return false;
  }
  generated.description = certificate_path.string() + " (self-signed for localhost, new)";
  *out = std::move(generated);
  return true;
}

std::string certificate_sha256_fingerprint(const std::string& certificate_pem) {
  auto certificate = parse_certificate(certificate_pem);
  if (!certificate) {
    ERR_clear_error();
    return {};
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(certificate.get(), EVP_sha256(), digest, &length) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

}  // namespace trib::net
