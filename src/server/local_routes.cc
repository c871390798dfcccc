#include "server/local_routes.h"

namespace trib::server {

void LocalRoutes::add(std::string method, std::string path, Handler handler) {
  routes_.push_back({std::move(method), std::move(path), false, std::move(handler), {}});
}

void LocalRoutes::add_prefix(std::string method, std::string prefix, Handler handler) {
  routes_.push_back({std::move(method), std::move(prefix), true, std::move(handler), {}});
}

void LocalRoutes::add_when(std::string method, std::string path, Condition when, Handler handler) {
  routes_.push_back(
      {std::move(method), std::move(path), false, std::move(handler), std::move(when)});
}

std::string_view LocalRoutes::path_of(const aws::HttpRequest& request) {
  return std::string_view(request.target).substr(0, request.target.find('?'));
}

std::optional<aws::HttpResponse> LocalRoutes::handle(const aws::HttpRequest& request) const {
  const std::string_view path = path_of(request);
  for (const Route& route : routes_) {
    if (!route.method.empty() && route.method != request.method) continue;
    const bool matches = route.prefix ? path.starts_with(route.path) : path == route.path;
    if (matches && (!route.when || route.when(request))) return route.handler(request, path);
  }
  return std::nullopt;
}

aws::HttpResponse text_response(int status, std::string content_type, std::string body) {
  aws::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.set_header("Content-Type", std::move(content_type));
  response.set_header("Cache-Control", "no-store");
  return response;
}

}  // namespace trib::server
