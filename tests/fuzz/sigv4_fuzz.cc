// libFuzzer target for SigV4 (src/aws/sigv4.h and the shape checks of src/aws/auth.h): the
// Authorization header parser, the credential scope, canonicalisation and verification. See
// README.md here for the libFuzzer build and the GCC smoke run.
//
// The input is lines: Authorization header, request target (path and query), Host, one more
// header ("name: value"), then the body (the rest). Each input is used three ways:
//  1. As a request carrying that Authorization: the shape checks and verify() answer a value
//     or an AWS error (IncompleteSignature, InvalidSignature, UnrecognizedClient,
//     MissingAuthenticationToken), never crash; the parsed header's parts are views into it.
//  2. Canonicalisation of the target: the canonical URI and query contain only unreserved
//     characters, '/', '&', '=' and %XX escapes with upper-case hex.
//  3. The same request signed by sigv4::sign() (host, x-amz-date and the extra header signed):
//     verify() must accept it, and must refuse it once the body or the extra header changes.
// A broken invariant aborts with a message naming it.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/auth.h"
#include "aws/sigv4.h"

namespace {

namespace sigv4 = trib::aws::sigv4;

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "sigv4 invariant broken: %s\n", what);
  std::abort();
}

constexpr int64_t kNow = 1'700'000'000'000;

const sigv4::CredentialStore& store() {
  static const sigv4::CredentialStore credentials = [] {
    std::string error;
    auto parsed = sigv4::CredentialStore::parse(
        "[default]\naws_access_key_id = AKIDFUZZ\naws_secret_access_key = fuzz/secret\n", &error);
    if (!parsed) broken("the fuzz credentials do not parse");
    return std::move(*parsed);
  }();
  return credentials;
}

sigv4::VerifyOptions options() {
  sigv4::VerifyOptions o;
  o.credentials = &store();
  o.service = "kinesis";
  o.default_region = "us-east-1";
  o.now_ms = kNow;
  return o;
}

bool within(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

bool canonical_charset(std::string_view text, bool query) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved || (!query && c == '/') || (query && (c == '&' || c == '='))) continue;
    if (c != '%' || i + 2 >= text.size()) return false;
    for (int k = 1; k <= 2; ++k) {
      const char h = text[i + k];
      if (!((h >= '0' && h <= '9') || (h >= 'A' && h <= 'F'))) return false;
    }
    i += 2;
  }
  return true;
}

bool is_auth_error(const trib::aws::AwsError& e) {
  return e.type == "IncompleteSignatureException" || e.type == "InvalidSignatureException" ||
         e.type == "UnrecognizedClientException" || e.type == "MissingAuthenticationTokenException";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  std::string_view rest = input;
  while (lines.size() < 4) {
    const auto newline = rest.find('\n');
    lines.push_back(rest.substr(0, newline));
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  }
  const std::string_view authorization = lines[0];
  std::string target(lines[1]);
  if (target.empty() || target.front() != '/') target.insert(target.begin(), '/');
  const std::string_view extra = lines[3];
  const auto colon = extra.find(':');
  std::string extra_name(extra.substr(0, colon));
  for (char& c : extra_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string extra_value(colon == std::string_view::npos ? std::string_view()
                                                                : extra.substr(colon + 1));

  // 1. The Authorization as sent.
  const sigv4::AuthorizationHeader parsed = sigv4::parse_authorization(authorization);
  if (!within(parsed.algorithm, authorization) || !within(parsed.credential, authorization) ||
      !within(parsed.signed_headers, authorization) || !within(parsed.signature, authorization)) {
    broken("an Authorization part is not a view into the header");
  }
  if (auto scope = sigv4::parse_credential(parsed.credential)) {
    for (std::string_view part :
         {scope->access_key_id, scope->date, scope->region, scope->service, scope->terminator}) {
      if (!within(part, parsed.credential) || part.find('/') != std::string_view::npos) {
        broken("a credential scope element is wrong");
      }
    }
  }
  trib::aws::HttpRequest request;
  request.method = "POST";
  request.target = target;
  request.headers = {{"host", std::string(lines[2])}};
  const bool usable_extra =
      !extra_name.empty() && extra_name != "host" && extra_name != "authorization" &&
      extra_name != "x-amz-date" && extra_name != "date" && extra_name != "x-amz-security-token" &&
      extra_name != "x-amz-content-sha256" &&
      extra_name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
  if (usable_extra) request.headers.emplace_back(extra_name, extra_value);
  request.body = std::string(rest);
  {
    trib::aws::HttpRequest as_sent = request;
    as_sent.headers.emplace_back("authorization", std::string(authorization));
    as_sent.headers.emplace_back("x-amz-date", "20231114T221320Z");
    auto shape = trib::aws::authenticate(as_sent, "000000000000", "us-east-1");
    if (!shape && !is_auth_error(shape.error())) broken("the shape check answered another error");
    auto verified = sigv4::verify(as_sent, options());
    if (!verified && !is_auth_error(verified.error())) broken("verify answered another error");
  }

  // 2. Canonicalisation.
  const auto question = target.find('?');
  const std::string uri = sigv4::canonical_uri(std::string_view(target).substr(0, question));
  if (!canonical_charset(uri, false)) broken("the canonical URI has a raw character");
  if (question != std::string::npos) {
    const std::string query = sigv4::canonical_query(std::string_view(target).substr(question + 1));
    if (!canonical_charset(query, true)) broken("the canonical query has a raw character");
  }

  // 3. Signed by our signer: accepted; changed: refused.
  const sigv4::Credential* credential = store().find("AKIDFUZZ");
  trib::aws::HttpRequest signed_request = request;
  std::vector<std::string> extra_signed;
  if (usable_extra) extra_signed.push_back(extra_name);
  sigv4::sign(signed_request, *credential, "us-east-1", "kinesis", sigv4::format_amz_date(kNow),
              extra_signed);
  if (auto shape = trib::aws::authenticate(signed_request, "000000000000", "us-east-1");
      !shape && shape.error().message.find("Found both 'X-Amz-Algorithm'") == std::string::npos) {
    broken("a signed request fails the shape check");
  }
  auto verified = sigv4::verify(signed_request, options());
  if (!verified) {
    std::fprintf(stderr, "%s: %s\n", verified.error().type.c_str(),
                 verified.error().message.c_str());
    broken("a request signed by sigv4::sign does not verify");
  }
  trib::aws::HttpRequest changed_body = signed_request;
  changed_body.body.push_back('x');
  if (sigv4::verify(changed_body, options())) broken("a changed body still verifies");
  if (usable_extra) {
    trib::aws::HttpRequest changed_header = signed_request;
    changed_header.headers[1].second += "x";
    if (sigv4::verify(changed_header, options())) broken("a changed signed header verifies");
  }
  return 0;
}
