#include "aws/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <utility>

#include "util/ascii.h"

namespace trib::aws::sigv4 {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

std::string to_hex(const unsigned char* bytes, size_t size) {
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kHexDigits[bytes[i] >> 4]);
    out.push_back(kHexDigits[bytes[i] & 0xf]);
  }
  return out;
}

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size);
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Equal length and equal bytes, in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool is_twelve_digits(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c));
         });
}

// The regions of AWS's partitions (botocore data/endpoints.json `regionRegex` of aws, aws-cn,
// aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f): every region a request could be
// scoped to on AWS. Tributary serves them all on one port.
bool is_aws_region(std::string_view region) {
  // <prefix>-<word>-<digits>, the prefixes of those partitions' patterns.
  const auto last = region.rfind('-');
  if (last == std::string_view::npos || last + 1 == region.size()) return false;
  for (char c : region.substr(last + 1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  const std::string_view before = region.substr(0, last);
  const auto middle_start = before.rfind('-');
  if (middle_start == std::string_view::npos || middle_start + 1 == before.size()) return false;
  for (char c : before.substr(middle_start + 1)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  const std::string_view prefix = before.substr(0, middle_start);
  for (std::string_view known : {"us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx", "cn",
                                 "us-gov", "us-iso", "us-isob", "eu-isoe", "us-isof"}) {
    if (prefix == known) return true;
  }
  return false;
}

std::map<std::string, std::string, std::less<>> query_parameters(std::string_view query) {
  std::map<std::string, std::string, std::less<>> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    out.emplace(percent_decode(pair.substr(0, eq)),
                eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1)));
  }
  return out;
}

// "Wed, 02 Dec 2026 07:25:01 GMT" (IMF-fixdate, the Date header) -> YYYYMMDDTHHMMSSZ.
std::optional<std::string> http_date_to_amz(std::string_view date) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char weekday[4] = {}, month[4] = {}, zone[4] = {};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  const std::string text(date);
  if (std::sscanf(text.c_str(), "%3s %d %3s %d %d:%d:%d %3s", weekday, &day, month, &year, &hour,
                  &minute, &second, zone) != 8 ||
      std::string_view(zone) != "GMT") {
    return std::nullopt;
  }
  int month_number = 0;
  for (int i = 0; i < 12; ++i) {
    if (std::string_view(month) == kMonths[i]) month_number = i + 1;
  }
  if (month_number == 0 || year < 1970 || year > 9999) return std::nullopt;
  char out[80];
  std::snprintf(out, sizeof out, "%04d%02d%02dT%02d%02d%02dZ", year, month_number, day, hour,
                minute, second);
  if (!parse_amz_date(out)) return std::nullopt;
  return std::string(out);
}

}  // namespace

// --- Credentials ----------------------------------------------------------------------------

std::optional<CredentialStore> CredentialStore::parse(std::string_view text, std::string* error) {
  CredentialStore store;
  Credential current;
  bool in_section = false;
  int section_line = 0;
  int line_number = 0;
  const auto finish_section = [&]() -> bool {
    if (!in_section) return true;
    if (current.access_key_id.empty() && current.secret_access_key.empty()) {
      return true;  // a section without keys (e.g. only a region): nothing to serve
    }
    if (current.access_key_id.empty() || current.secret_access_key.empty()) {
      *error = "line " + std::to_string(section_line) + ": section [" + current.profile +
               "] needs both aws_access_key_id and aws_secret_access_key";
      return false;
    }
    if (!current.account.empty() && !is_twelve_digits(current.account)) {
      *error = "line " + std::to_string(section_line) + ": section [" + current.profile +
               "]: aws_account_id must be 12 digits";
      return false;
    }
    if (store.by_key_id_.count(current.access_key_id)) {
      *error = "line " + std::to_string(section_line) + ": section [" + current.profile +
               "]: access key id " + current.access_key_id + " is defined twice";
      return false;
    }
    store.by_key_id_.emplace(current.access_key_id, current);
    return true;
  };
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = trim(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_number;
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') {
        *error = "line " + std::to_string(line_number) + ": a section header must end with ']'";
        return std::nullopt;
      }
      if (!finish_section()) return std::nullopt;
      current = Credential{};
      current.profile = std::string(trim(line.substr(1, line.size() - 2)));
      in_section = true;
      section_line = line_number;
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      *error = "line " + std::to_string(line_number) + ": expected 'name = value'";
      return std::nullopt;
    }
    if (!in_section) {
      *error = "line " + std::to_string(line_number) + ": a setting before any [section]";
      return std::nullopt;
    }
    const std::string name = ascii_lower(trim(line.substr(0, eq)));
    const std::string value(trim(line.substr(eq + 1)));
    if (name == "aws_access_key_id") {
      current.access_key_id = value;
    } else if (name == "aws_secret_access_key") {
      current.secret_access_key = value;
    } else if (name == "aws_session_token") {
      current.session_token = value;
    } else if (name == "aws_account_id") {
      current.account = value;
    }
  }
  if (!finish_section()) return std::nullopt;
  if (store.by_key_id_.empty()) {
    *error = "no section defines aws_access_key_id and aws_secret_access_key";
    return std::nullopt;
  }
  return store;
}

std::optional<CredentialStore> CredentialStore::load(const std::string& path, std::string* error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    *error = "cannot read " + path;
    return std::nullopt;
  }
  std::stringstream content;
  content << file.rdbuf();
  auto store = parse(content.str(), error);
  if (!store) *error = path + ": " + *error;
  return store;
}

const Credential* CredentialStore::find(std::string_view access_key_id) const {
  auto it = by_key_id_.find(access_key_id);
  return it == by_key_id_.end() ? nullptr : &it->second;
}

// --- The Authorization header ---------------------------------------------------------------

AuthorizationHeader parse_authorization(std::string_view header) {
  // One pass over the bytes: tokens end at ',' or ' ' (empty ones skipped); the first is the
  // algorithm, the others name=value (a later parameter of one name replaces an earlier one).
  AuthorizationHeader out;
  bool first_token = true;
  const size_t size = header.size();
  size_t i = 0;
  while (i < size) {
    const size_t start = i;
    size_t eq = std::string_view::npos;
    for (; i < size && header[i] != ',' && header[i] != ' '; ++i) {
      if (header[i] == '=' && eq == std::string_view::npos) eq = i;
    }
    const size_t end = i++;  // i goes past the separator
    const std::string_view token = header.substr(start, end - start);
    if (token.empty()) continue;
    if (first_token) {
      first_token = false;
      out.algorithm = token;
      continue;
    }
    const std::string_view name =
        eq == std::string_view::npos ? token : header.substr(start, eq - start);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : header.substr(eq + 1, end - eq - 1);
    if (name == "Credential") {
      out.credential = value;
    } else if (name == "Signature") {
      out.signature = value;
    } else if (name == "SignedHeaders") {
      out.signed_headers = value;
    }
  }
  return out;
}

std::optional<CredentialScope> parse_credential(std::string_view credential) {
  std::string_view parts[5];
  size_t count = 0;
  while (true) {
    const auto slash = credential.find('/');
    if (count == 5) return std::nullopt;
    parts[count++] = credential.substr(0, slash);
    if (slash == std::string_view::npos) break;
    credential.remove_prefix(slash + 1);
  }
  if (count != 5) return std::nullopt;
  return CredentialScope{parts[0], parts[1], parts[2], parts[3], parts[4]};
}

// --- Canonicalisation -----------------------------------------------------------------------

std::string uri_encode(std::string_view bytes, bool keep_slash) {
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(static_cast<char>(std::toupper(kHexDigits[c >> 4])));
      out.push_back(static_cast<char>(std::toupper(kHexDigits[c & 0xf])));
    }
  }
  return out;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string canonical_uri(std::string_view path) {
  if (path.empty()) return "/";
  // RFC 3986 dot-segment removal, plus empty segments (repeated slashes), as the SDKs do.
  std::vector<std::string_view> segments;
  std::string_view rest = path;
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  std::string normalized = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) normalized.push_back('/');
    normalized.append(segments[i]);
  }
  if (path.back() == '/' && !segments.empty()) normalized.push_back('/');
  if (normalized.empty()) normalized = "/";
  return uri_encode(normalized, true);
}

std::string canonical_query(std::string_view query, std::string_view exclude) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq));
    if (!exclude.empty() && key == exclude) continue;
    std::string value =
        eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
    pairs.emplace_back(uri_encode(key, false), uri_encode(value, false));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out.append(key).push_back('=');
    out.append(value);
  }
  return out;
}

std::string canonical_headers(const HttpRequest& request, std::string_view signed_headers) {
  std::string out;
  while (true) {
    const auto semicolon = signed_headers.find(';');
    const std::string name = ascii_lower(signed_headers.substr(0, semicolon));
    out.append(name).push_back(':');
    // HTTP/2 requests of the JavaScript SDK sign the pseudo-header ":authority" instead of host;
    // the transport hands it over as "host".
    const std::string_view lookup = name == ":authority" ? std::string_view("host") : name;
    bool first = true;
    for (const auto& [header_name, value] : request.headers) {
      if (header_name != lookup) continue;
      if (!first) out.push_back(',');
      first = false;
      // Trimmed, and every run of whitespace inside reduced to one space.
      std::string_view v = trim(value);
      bool in_space = false;
      for (char c : v) {
        if (c == ' ' || c == '\t') {
          in_space = true;
          continue;
        }
        if (in_space) out.push_back(' ');
        in_space = false;
        out.push_back(c);
      }
    }
    out.push_back('\n');
    if (semicolon == std::string_view::npos) break;
    signed_headers.remove_prefix(semicolon + 1);
  }
  return out;
}

std::string canonical_request(const HttpRequest& request, const SigningInput& input) {
  const auto question = input.target.find('?');
  const std::string_view path = input.target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : input.target.substr(question + 1);
  std::string out(input.method);
  out.push_back('\n');
  out.append(canonical_uri(path)).push_back('\n');
  out.append(canonical_query(query, input.excluded_query_parameter)).push_back('\n');
  out.append(canonical_headers(request, input.signed_headers)).push_back('\n');
  out.append(input.signed_headers).push_back('\n');
  out.append(input.payload_hash);
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
  return to_hex(digest, size);
}

std::string string_to_sign(std::string_view timestamp, std::string_view scope,
                           std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out.push_back('\n');
  out.append(timestamp).push_back('\n');
  out.append(scope).push_back('\n');
  out.append(sha256_hex(canonical_request));
  return out;
}

std::string signature(std::string_view secret, std::string_view date, std::string_view region,
                      std::string_view service, std::string_view string_to_sign) {
  std::string key = hmac("AWS4" + std::string(secret), date);
  key = hmac(key, region);
  key = hmac(key, service);
  key = hmac(key, "aws4_request");
  const std::string mac = hmac(key, string_to_sign);
  return to_hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

void sign(HttpRequest& request, const Credential& credential, std::string_view region,
          std::string_view service, std::string_view timestamp,
          const std::vector<std::string>& extra_signed) {
  request.headers.emplace_back("x-amz-date", std::string(timestamp));
  std::vector<std::string> names = {"host", "x-amz-date"};
  if (!credential.session_token.empty()) {
    request.headers.emplace_back("x-amz-security-token", credential.session_token);
    names.push_back("x-amz-security-token");
  }
  for (const auto& name : extra_signed) names.push_back(ascii_lower(name));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string signed_headers;
  for (const auto& name : names) {
    if (!signed_headers.empty()) signed_headers.push_back(';');
    signed_headers.append(name);
  }
  const std::string date(timestamp.substr(0, 8));
  const std::string scope =
      date + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
  const std::string payload_hash = sha256_hex(request.body);
  const std::string creq = canonical_request(
      request,
      SigningInput{
          request.method, request.target, signed_headers, payload_hash, timestamp, scope, {}});
  const std::string sts = string_to_sign(timestamp, scope, creq);
  request.headers.emplace_back(
      "authorization", std::string(kAlgorithm) + " Credential=" + credential.access_key_id + "/" +
                           scope + ", SignedHeaders=" + signed_headers + ", Signature=" +
                           signature(credential.secret_access_key, date, region, service, sts));
}

// --- Time -----------------------------------------------------------------------------------

std::optional<int64_t> parse_amz_date(std::string_view t) {
  if (t.size() != 16 || t[8] != 'T' || t[15] != 'Z') return std::nullopt;
  for (size_t i = 0; i < 15; ++i) {
    if (i != 8 && !std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
  }
  const auto number = [&](size_t at, size_t size) {
    int v = 0;
    for (size_t i = at; i < at + size; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  std::tm tm{};
  tm.tm_year = number(0, 4) - 1900;
  tm.tm_mon = number(4, 2) - 1;
  tm.tm_mday = number(6, 2);
  tm.tm_hour = number(9, 2);
  tm.tm_min = number(11, 2);
  tm.tm_sec = number(13, 2);
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  const std::tm original = tm;
  const time_t seconds = timegm(&tm);
  // timegm normalises impossible dates (Feb 30): refuse those.
  if (tm.tm_mday != original.tm_mday || tm.tm_mon != original.tm_mon) return std::nullopt;
  return static_cast<int64_t>(seconds) * 1000;
}

std::string format_amz_date(int64_t epoch_ms) {
  const time_t seconds = static_cast<time_t>(epoch_ms / 1000 - (epoch_ms % 1000 < 0 ? 1 : 0));
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y%m%dT%H%M%SZ", &tm);
  return out;
}

// AWS's texts, recorded: "Signature expired: 20151120T200815Z is now earlier than
// 20151120T201846Z (20151120T202346Z - 5 min.)" and "Signature not yet current:
// 20181017T093750Z is still later than 20181017T093639Z (20181017T093139Z + 5 min.)" (Kinesis,
// InvalidSignatureException, 400: remind101/logspout-kinesis#21, s12v/awsbeats#48,
// aws/aws-sdk-go#2194; DynamoDB: aws/aws-sdk-js#254 with "15 min." in 2014, "5 min." in
// aws/aws-sdk-js-v3#7605 in 2025).
std::string clock_skew_message(std::string_view timestamp, int64_t now_ms, int64_t skew_minutes) {
  const auto signed_ms = parse_amz_date(timestamp);
  if (!signed_ms) return {};
  const int64_t window_ms = skew_minutes * 60 * 1000;
  const std::string now = format_amz_date(now_ms);
  if (*signed_ms < now_ms - window_ms) {
    return "Signature expired: " + std::string(timestamp) + " is now earlier than " +
           format_amz_date(now_ms - window_ms) + " (" + now + " - " + std::to_string(skew_minutes) +
           " min.)";
  }
  if (*signed_ms > now_ms + window_ms) {
    return "Signature not yet current: " + std::string(timestamp) + " is still later than " +
           format_amz_date(now_ms + window_ms) + " (" + now + " + " + std::to_string(skew_minutes) +
           " min.)";
  }
  return {};
}

// --- Verification ---------------------------------------------------------------------------

AwsResult<Verified> verify(const HttpRequest& request, const VerifyOptions& options) {
  // Where the signature is: the Authorization header, or the query (a presigned request).
  std::string_view algorithm, credential_text, signed_headers, provided_signature;
  std::string timestamp, token;
  std::map<std::string, std::string, std::less<>> query;
  if (request.target.find('?') != std::string::npos) query = query_parameters(request.query());
  const std::string* auth_header = request.header("authorization");
  const bool query_auth = !auth_header && query.count("X-Amz-Algorithm");
  const auto query_value = [&](std::string_view name) -> std::string_view {
    auto it = query.find(name);
    return it == query.end() ? std::string_view() : std::string_view(it->second);
  };
  if (query_auth) {
    algorithm = query_value("X-Amz-Algorithm");
    credential_text = query_value("X-Amz-Credential");
    signed_headers = query_value("X-Amz-SignedHeaders");
    provided_signature = query_value("X-Amz-Signature");
    timestamp = std::string(query_value("X-Amz-Date"));
    token = std::string(query_value("X-Amz-Security-Token"));
  } else {
    if (!auth_header) return fail(errors::missing_authentication_token());
    const AuthorizationHeader parsed = parse_authorization(*auth_header);
    algorithm = parsed.algorithm;
    credential_text = parsed.credential;
    signed_headers = parsed.signed_headers;
    provided_signature = parsed.signature;
    if (const std::string* date = request.header("x-amz-date")) {
      timestamp = *date;
    } else if (const std::string* http_date = request.header("date")) {
      timestamp = http_date_to_amz(*http_date).value_or(*http_date);
    }
    if (const std::string* t = request.header("x-amz-security-token")) token = *t;
  }

  // The shape: algorithm, five-part credential, host signed, a readable date. (Texts not found
  // in AWS captures are Tributary's; docs/security.md lists which.)
  if (algorithm != kAlgorithm) {
    return fail(errors::incomplete_signature("Unsupported AWS 'algorithm': '" +
                                             std::string(algorithm) + "'"));
  }
  const auto scope = parse_credential(credential_text);
  if (!scope) {
    return fail(errors::incomplete_signature(
        "Credential must have exactly 5 slash-delimited elements, e.g. "
        "keyid/date/region/service/term, got '" +
        std::string(credential_text) + "'"));
  }
  {
    bool host_signed = false;
    std::string_view rest = signed_headers;
    while (true) {
      const auto semicolon = rest.find(';');
      const std::string name = ascii_lower(rest.substr(0, semicolon));
      if (name == "host" || name == ":authority") host_signed = true;
      if (semicolon == std::string_view::npos) break;
      rest.remove_prefix(semicolon + 1);
    }
    // AWS's text as recorded from API Gateway and Amazon Location (NetSPI/AWSSigner#3,
    // babbel/okhttp-aws-signer#10); that Kinesis and DynamoDB answer it too is assumed.
    if (!host_signed) {
      return fail(errors::incomplete_signature(
          "'Host' must be a 'SignedHeader' in the AWS Authorization."));
    }
  }
  const auto signed_ms = parse_amz_date(timestamp);
  if (!signed_ms) {
    return fail(errors::incomplete_signature("Date must be in ISO-8601 'basic format'. Got '" +
                                             timestamp +
                                             "'. See http://en.wikipedia.org/wiki/ISO_8601"));
  }

  // The credential scope (AWS's texts, IAM user guide "Troubleshoot signed requests" and
  // recordings: "Credential should be scoped to a valid region, not 'us-east-1'. ",
  // "Credential should be scoped to correct service: 'dynamodb'. ").
  if (scope->terminator != "aws4_request") {
    return fail(errors::invalid_signature(
        "Credential should be scoped with a valid terminator: 'aws4_request', not '" +
        std::string(scope->terminator) + "'. "));
  }
  if (scope->date != std::string_view(timestamp).substr(0, 8)) {
    return fail(errors::invalid_signature(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
        "HTTP: '" +
        std::string(scope->date) + "' != '" + timestamp.substr(0, 8) + "', from '" + timestamp +
        "'."));
  }
  if (scope->region != options.default_region && !is_aws_region(scope->region)) {
    return fail(errors::invalid_signature("Credential should be scoped to a valid region, not '" +
                                          std::string(scope->region) + "'. "));
  }
  if (scope->service != options.service) {
    return fail(errors::invalid_signature("Credential should be scoped to correct service: '" +
                                          std::string(options.service) + "'. "));
  }
  if (std::string skew = clock_skew_message(timestamp, options.now_ms, options.max_skew_minutes);
      !skew.empty()) {
    return fail(errors::invalid_signature(std::move(skew)));
  }
  if (query_auth) {
    // X-Amz-Expires (seconds) bounds a presigned request further. Text ours.
    const std::string_view expires = query_value("X-Amz-Expires");
    if (!expires.empty()) {
      int64_t seconds = 0;
      for (char c : expires) {
        if (!std::isdigit(static_cast<unsigned char>(c)) || seconds > 604800) {
          return fail(errors::incomplete_signature("X-Amz-Expires must be non-negative"));
        }
        seconds = seconds * 10 + (c - '0');
      }
      if (options.now_ms > *signed_ms + seconds * 1000) {
        return fail(errors::invalid_signature(
            "Signature expired: " + timestamp + " is now earlier than " +
            format_amz_date(options.now_ms - seconds * 1000) + " (" +
            format_amz_date(options.now_ms) + " - " + std::string(expires) + " sec.)"));
      }
    }
  }

  // The key, and the session token of temporary credentials (AWS: "The security token
  // included in the request is invalid." for an unknown key id or a token that is not the
  // key's).
  const Credential* credential =
      options.credentials ? options.credentials->find(scope->access_key_id) : nullptr;
  if (!credential) return fail(errors::unrecognized_client());
  if (!constant_time_equal(token, credential->session_token)) {
    return fail(errors::unrecognized_client());
  }

  // The signature. The payload hash is the body's, or UNSIGNED-PAYLOAD when the client says so
  // in x-amz-content-sha256; any other value of that header is not trusted (a wrong one makes
  // the signature differ).
  const std::string* content_sha = request.header("x-amz-content-sha256");
  const std::string payload_hash = content_sha && *content_sha == kUnsignedPayload
                                       ? std::string(kUnsignedPayload)
                                       : sha256_hex(request.body);
  const std::string scope_text(credential_text.substr(credential_text.find('/') + 1));
  const std::string creq = canonical_request(
      request, SigningInput{request.method, request.target, signed_headers, payload_hash, timestamp,
                            scope_text, query_auth ? "X-Amz-Signature" : ""});
  const std::string sts = string_to_sign(timestamp, scope_text, creq);
  const std::string expected =
      signature(credential->secret_access_key, scope->date, scope->region, scope->service, sts);
  if (!constant_time_equal(expected, provided_signature)) {
    // AWS's text with its hint, as recorded for Kinesis (awslabs/amazon-kinesis-producer#33)
    // and DynamoDB (boto/boto#1552, vibe-aws/vibe-aws#1).
    return fail(errors::invalid_signature(
        "The request signature we calculated does not match the signature you provided. Check "
        "your AWS Secret Access Key and signing method. Consult the service documentation for "
        "details.\n\nThe Canonical String for this request should have been\n'" +
        creq + "'\n\nThe String-to-Sign should have been\n'" + sts + "'\n"));
  }
  return Verified{credential, std::string(scope->region)};
}

}  // namespace trib::aws::sigv4
