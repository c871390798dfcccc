#include "aws/auth.h"

#include <cctype>
#include <map>

#include "aws/sigv4.h"

namespace trib::aws {

namespace {

bool is_twelve_digits(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::map<std::string, std::string, std::less<>> parse_query(std::string_view query) {
  std::map<std::string, std::string, std::less<>> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    std::string key = url_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

// Credential is "<access key id>/<date>/<region>/<service>/aws4_request".
void apply_credential(std::string_view credential, Caller* caller) {
  const auto slash = credential.find('/');
  const std::string_view key_id = credential.substr(0, slash);
  caller->access_key_id = std::string(key_id);
  if (is_twelve_digits(key_id)) caller->account = std::string(key_id);
  if (slash == std::string_view::npos) return;
  std::string_view rest = credential.substr(slash + 1);
  const auto date_end = rest.find('/');
  if (date_end == std::string_view::npos) return;
  rest = rest.substr(date_end + 1);
  const std::string_view region = rest.substr(0, rest.find('/'));
  if (!region.empty()) caller->region = std::string(region);
}

}  // namespace

std::string url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() + 0 && i + 2 <= text.size() - 1 + 0 &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else if (text[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

AwsResult<Caller> authenticate(const HttpRequest& request, const std::string& default_account,
                               const std::string& default_region) {
  Caller caller{default_account, default_region, {}};
  const std::string* auth_header = request.header("authorization");
  // Query-string authentication is rare: parse the query only when there is one.
  std::map<std::string, std::string, std::less<>> query;
  if (request.target.find('?') != std::string::npos) query = parse_query(request.query());
  const bool query_auth = query.count("X-Amz-Algorithm") > 0;

  if (auth_header && query_auth) {
    return fail(
        errors::invalid_signature("Found both 'X-Amz-Algorithm' as a query-string param and "
                                  "'Authorization' as HTTP header."));
  }
  if (!auth_header && !query_auth) return fail(errors::missing_authentication_token());

  std::string message;
  if (auth_header) {
    const sigv4::AuthorizationHeader parsed = sigv4::parse_authorization(*auth_header);
    const std::string_view credential = parsed.credential;
    const std::string_view signature = parsed.signature;
    const std::string_view signed_headers = parsed.signed_headers;
    const std::pair<const char*, std::string_view> required[] = {
        {"Credential", credential}, {"Signature", signature}, {"SignedHeaders", signed_headers}};
    for (const auto& [name, value] : required) {
      if (value.empty())
        message += std::string("Authorization header requires '") + name + "' parameter. ";
    }
    if (!request.header("x-amz-date") && !request.header("date")) {
      message +=
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    }
    if (!message.empty())
      return fail(errors::incomplete_signature(message + "Authorization=" + *auth_header));
    apply_credential(credential, &caller);
  } else {
    for (const char* name : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
                             "X-Amz-SignedHeaders", "X-Amz-Date"}) {
      auto it = query.find(name);
      if (it == query.end() || it->second.empty()) {
        message += std::string("AWS query-string parameters must include '") + name + "'. ";
      }
    }
    if (!message.empty())
      return fail(
          errors::incomplete_signature(message + "Re-examine the query-string parameters."));
    apply_credential(query.find("X-Amz-Credential")->second, &caller);
  }
  return caller;
}

}  // namespace trib::aws
