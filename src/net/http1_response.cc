#include "net/http1_response.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>
#include <string_view>

namespace trib::net::detail {

namespace http = boost::beast::http;

bool http1_status_has_no_body(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

std::string http1_response_head(const aws::HttpResponse& response, bool keep_alive) {
  std::string head;
  head.reserve(256);
  head += "HTTP/1.1 ";
  head += std::to_string(response.status);
  head += ' ';
  const std::string_view reason = http::obsolete_reason(static_cast<http::status>(response.status));
  head.append(reason.data(), reason.size());
  head += "\r\n";
  const auto& headers = response.headers;
  for (size_t i = 0; i < headers.size(); ++i) {
    const std::string& name = headers[i].first;
    if (boost::beast::iequals(name, "connection") ||
        boost::beast::iequals(name, "content-length") ||
        boost::beast::iequals(name, "transfer-encoding")) {
      continue;
    }
    bool replaced = false;  // by a later header of the same name
    for (size_t j = i + 1; j < headers.size() && !replaced; ++j) {
      replaced = boost::beast::iequals(name, headers[j].first);
    }
    if (replaced) continue;
    head += name;
    head += ": ";
    head += headers[i].second;
    head += "\r\n";
  }
  if (!keep_alive) head += "Connection: close\r\n";
  head += "Content-Length: ";
  head += std::to_string(http1_status_has_no_body(response.status) ? 0 : response.body.size());
  head += "\r\n";
  head += "\r\n";
  return head;
}

}  // namespace trib::net::detail
