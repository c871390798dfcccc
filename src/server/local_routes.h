// Tributary's own HTTP routes on the AWS port: the web console, /metrics, /_tributary/health
// (and, with --test-clock, /_tributary/clock). AWS requests are POSTs to "/" (or a path the
// SDK chose) and never match: a route names its method and path, and a request that matches
// no route goes to the AWS pipeline unchanged.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http.h"

namespace trib::server {

class LocalRoutes {
 public:
  // `path` is the request's path without its query.
  using Handler = std::function<aws::HttpResponse(const aws::HttpRequest&, std::string_view path)>;
  // Exact path; an empty `method` matches every method.
  void add(std::string method, std::string path, Handler handler);
  // Every path that starts with `prefix`.
  void add_prefix(std::string method, std::string prefix, Handler handler);
  // Exact path, only for requests `when` accepts (others go on to the next route or to AWS).
  using Condition = std::function<bool(const aws::HttpRequest&)>;
  void add_when(std::string method, std::string path, Condition when, Handler handler);
  // The response of the first matching route, or nullopt (the request is for AWS).
  std::optional<aws::HttpResponse> handle(const aws::HttpRequest& request) const;

  static std::string_view path_of(const aws::HttpRequest& request);

 private:
  struct Route {
    std::string method;
    std::string path;
    bool prefix = false;
    Handler handler;
    Condition when;  // empty: always
  };
  std::vector<Route> routes_;
};

// A response with a body and its content type.
aws::HttpResponse text_response(int status, std::string content_type, std::string body);

}  // namespace trib::server
