// Transport-neutral HTTP request/response, filled by src/net (HTTP/1.1 today; HTTP/2 later).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trib::aws {

struct HttpRequest {
  std::string method;  // "POST"
  std::string target;  // path and query, e.g. "/?X-Amz-Algorithm=..."
  // Header names lower-cased by the transport.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  const std::string* header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return &value;
    }
    return nullptr;
  }
  std::string_view query() const {
    const auto q = target.find('?');
    return q == std::string::npos ? std::string_view() : std::string_view(target).substr(q + 1);
  }
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set when the transport must close the connection after sending (e.g. a refused body).
  bool close = false;

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

}  // namespace trib::aws
