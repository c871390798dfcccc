// TLS certificates for the listening port: PEM files given by the operator, or a self-signed
// certificate for localhost (CN and subjectAltName DNS:localhost, IP:127.0.0.1, IP:::1; ECDSA
// P-256, valid 10 years) generated once and kept in a directory so clients can trust it.
#pragma once

#include <string>

namespace trib::net {

struct TlsCertificate {
  std::string certificate_pem;  // the certificate (and any chain after it)
  std::string private_key_pem;
  std::string description;  // where it came from, for the start-up log
};

// A fresh self-signed certificate for localhost, in memory.
bool generate_self_signed_certificate(TlsCertificate* out, std::string* error);

// Reads `certificate_path` and `key_path` (PEM) and checks that the key matches.
bool load_certificate_files(const std::string& certificate_path, const std::string& key_path,
                            TlsCertificate* out, std::string* error);

// `directory`/cert.pem and `directory`/key.pem when both exist; otherwise generates a
// self-signed certificate and stores it there (the directory is created; the key file is
// mode 0600). Files that exist but cannot be used are an error, not silently replaced.
bool load_or_create_self_signed_certificate(const std::string& directory, TlsCertificate* out,
                                            std::string* error);

// The SHA-256 fingerprint of the first certificate in `certificate_pem`, as lower-case hex;
// empty when it cannot be parsed.
std::string certificate_sha256_fingerprint(const std::string& certificate_pem);

}  // namespace trib::net
