// AWS Signature Version 4: parsing the Authorization header, canonicalising a request, and
// verifying its signature against known credentials (`--auth FILE`; docs/security.md).
//
// The algorithm is AWS's published one (IAM user guide, "Create a signed AWS API request"):
//   canonical request = method \n canonical URI \n canonical query \n canonical headers \n
//                       signed headers \n payload hash
//   string to sign    = AWS4-HMAC-SHA256 \n timestamp \n scope \n hex(SHA-256(canonical request))
//   signing key       = HMAC("AWS4" + secret, date) -> region -> service -> "aws4_request"
//   signature         = hex(HMAC(signing key, string to sign))
// The canonical URI and query are computed from the request target as it arrived, the way the
// SDKs compute them from the URL they send (botocore's and @smithy/signature-v4's rules: dot
// segments and empty segments removed, every segment URI-encoded again, query keys and values
// decoded and re-encoded, sorted). AWS's own test suite checks this (tests/unit/aws/sigv4_test.cc).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/error.h"
#include "aws/http.h"

namespace trib::aws::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// --- Credentials ----------------------------------------------------------------------------

struct Credential {
  std::string profile;  // the [section] it came from
  std::string access_key_id;
  std::string secret_access_key;
  // aws_session_token: when set, requests with this key must carry it as X-Amz-Security-Token
  // (temporary credentials); when empty, requests must carry none.
  std::string session_token;
  // aws_account_id: the account the key belongs to (empty: Tributary's default rule).
  std::string account;
};

// The AWS shared-credentials file format (~/.aws/credentials): `[name]` sections of
// `key = value` lines; `#` and `;` start comment lines. Keys read: aws_access_key_id,
// aws_secret_access_key, aws_session_token, aws_account_id; others are ignored (so a real
// credentials file works as is).
class CredentialStore {
 public:
  // nullopt with `error` set (naming the line) when a section lacks a key id or secret, a key id
  // appears twice, an account id is not 12 digits, or nothing defines a key.
  static std::optional<CredentialStore> parse(std::string_view text, std::string* error);
  static std::optional<CredentialStore> load(const std::string& path, std::string* error);

  const Credential* find(std::string_view access_key_id) const;
  size_t size() const { return by_key_id_.size(); }

 private:
  std::map<std::string, Credential, std::less<>> by_key_id_;
};

// --- The Authorization header ---------------------------------------------------------------

// "AWS4-HMAC-SHA256 Credential=<id>/<date>/<region>/<service>/aws4_request,
//  SignedHeaders=host;x-amz-date, Signature=<hex>": the first token is the algorithm; the
// parameters after it are separated by commas and/or spaces. Views into the header.
struct AuthorizationHeader {
  std::string_view algorithm;
  std::string_view credential;
  std::string_view signed_headers;
  std::string_view signature;
};
AuthorizationHeader parse_authorization(std::string_view header);

// "<access key id>/<YYYYMMDD>/<region>/<service>/<terminator>". Views into the credential.
struct CredentialScope {
  std::string_view access_key_id;
  std::string_view date;
  std::string_view region;
  std::string_view service;
  std::string_view terminator;
};
// nullopt unless there are exactly five '/'-separated elements.
std::optional<CredentialScope> parse_credential(std::string_view credential);

// --- Canonicalisation -----------------------------------------------------------------------

// RFC 3986 percent-encoding of every byte but A-Z a-z 0-9 - _ . ~ (and '/' when keep_slash).
std::string uri_encode(std::string_view bytes, bool keep_slash);
// Decodes %XX escapes (anything else, '+' included, is kept).
std::string percent_decode(std::string_view text);
// The path of a request target, normalised and encoded again (see the top of this file).
std::string canonical_uri(std::string_view path);
// The query of a request target, pairs decoded and re-encoded and sorted; `exclude` (e.g.
// X-Amz-Signature for query authentication) is left out.
std::string canonical_query(std::string_view query, std::string_view exclude = {});
// "name:value\n" for each name of `signed_headers` (';'-separated), values of repeated headers
// joined with ',', each trimmed with inner runs of spaces reduced to one. A signed header the
// request lacks contributes "name:\n". ":authority" (signed by SDKs over HTTP/2) reads the host.
std::string canonical_headers(const HttpRequest& request, std::string_view signed_headers);

struct SigningInput {
  std::string_view method;
  std::string_view target;  // path and query as received
  std::string_view signed_headers;
  std::string_view payload_hash;              // hex SHA-256 of the body, or UNSIGNED-PAYLOAD
  std::string_view timestamp;                 // YYYYMMDDTHHMMSSZ
  std::string_view scope;                     // <date>/<region>/<service>/aws4_request
  std::string_view excluded_query_parameter;  // X-Amz-Signature for query authentication
};
std::string canonical_request(const HttpRequest& request, const SigningInput& input);
std::string string_to_sign(std::string_view timestamp, std::string_view scope,
                           std::string_view canonical_request);
// hex(HMAC(signing key, string_to_sign)); `scope` elements give date, region and service.
std::string signature(std::string_view secret, std::string_view date, std::string_view region,
                      std::string_view service, std::string_view string_to_sign);
std::string sha256_hex(std::string_view bytes);

// Signs `request` in place as the SDKs do (Authorization over host, x-amz-date, the
// x-amz-security-token when given, and every header in `extra_signed`); for tests and tools.
void sign(HttpRequest& request, const Credential& credential, std::string_view region,
          std::string_view service, std::string_view timestamp,
          const std::vector<std::string>& extra_signed = {});

// --- Verification ---------------------------------------------------------------------------

struct VerifyOptions {
  const CredentialStore* credentials = nullptr;
  std::string_view service;         // the signing name the request must be scoped to
  std::string_view default_region;  // always a valid scope region
  int64_t now_ms = 0;
  int64_t max_skew_minutes = 5;  // X-Amz-Date within this of now, either way
};

struct Verified {
  const Credential* credential = nullptr;
  std::string region;  // the scope's
};

// Verifies the request's SigV4 signature (Authorization header or query parameters), answering
// AWS's errors: IncompleteSignatureException, InvalidSignatureException (scope, clock skew,
// mismatch with the canonical request hint), UnrecognizedClientException (unknown key id or
// wrong session token). The request's shape was checked before (aws/auth.h).
AwsResult<Verified> verify(const HttpRequest& request, const VerifyOptions& options);

// "Signature expired: ..." / "Signature not yet current: ..." text, or "" when `timestamp`
// (YYYYMMDDTHHMMSSZ) is within the window around `now_ms`. Exposed for tests.
std::string clock_skew_message(std::string_view timestamp, int64_t now_ms, int64_t skew_minutes);
// Epoch milliseconds of YYYYMMDDTHHMMSSZ, nullopt when malformed.
std::optional<int64_t> parse_amz_date(std::string_view timestamp);
std::string format_amz_date(int64_t epoch_ms);

}  // namespace trib::aws::sigv4
