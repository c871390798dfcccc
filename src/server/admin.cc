#include "server/admin.h"

#include <simdjson.h>

#include <string>

namespace trib::server {

namespace {

aws::HttpResponse json_response(int status, std::string body) {
  aws::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.set_header("Content-Type", "application/json");
  return response;
}

std::string clock_state(const Clock& clock) {
  return "{\"now_ms\":" + std::to_string(clock.now_ms()) +
         ",\"offset_ms\":" + std::to_string(clock.offset_ms()) + "}";
}

}  // namespace

std::optional<aws::HttpResponse> handle_admin(const aws::HttpRequest& request, Clock& clock) {
  const std::string_view path =
      std::string_view(request.target).substr(0, request.target.find('?'));
  if (path != "/_tributary/clock") return std::nullopt;
  if (request.method == "GET") return json_response(200, clock_state(clock));
  if (request.method != "POST") return json_response(405, R"({"message":"use GET or POST"})");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  int64_t advance = 0;
  if (parser.parse(request.body).get(doc) || doc["advance_ms"].get(advance) || advance < 0) {
    return json_response(400, R"({"message":"expected {\"advance_ms\": <non-negative integer>}"})");
  }
  clock.advance_ms(advance);
  return json_response(200, clock_state(clock));
}

}  // namespace trib::server
