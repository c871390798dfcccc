// The hand-written HTTP/1.1 response head is byte for byte what Beast's message and serializer
// wrote for the same response before (net/http1_connection.cc used them for every response).
#include "net/http1_response.h"

#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <sstream>
#include <string>

namespace trib::net::detail {
namespace {

namespace http = boost::beast::http;

// What the connection sent with Beast: the message built as send() built it, then serialized.
std::string with_beast(const aws::HttpResponse& response, bool keep_alive) {
  http::response<http::string_body> message;
  message.result(static_cast<unsigned>(response.status));
  message.version(11);
  for (const auto& [name, value] : response.headers) message.set(name, value);
  message.body() = response.body;
  message.keep_alive(keep_alive);
  message.prepare_payload();
  std::ostringstream out;
  out << message;
  return out.str();
}

std::string by_hand(const aws::HttpResponse& response, bool keep_alive) {
  std::string out = http1_response_head(response, keep_alive);
  if (!http1_status_has_no_body(response.status)) out += response.body;
  return out;
}

TEST(Http1Response, HeadIsWhatBeastWrote) {
  const std::vector<std::pair<std::string, std::string>> header_sets[] = {
      {},
      {{"x-amzn-RequestId", "ABC"},
       {"x-amz-crc32", "123"},
       {"Content-Type", "application/x-amz-json-1.0"}},
      // A name given twice (in another case) keeps its later value, at the later place.
      {{"a", "1"}, {"B", "2"}, {"A", "3"}, {"c", ""}, {"b", "4"}},
      {{"Access-Control-Allow-Origin", "*"},
       {"Access-Control-Expose-Headers", "x-amzn-RequestId,x-amz-crc32"}},
  };
  const std::string bodies[] = {"", "{}", std::string(70000, 'x')};
  for (const int status : {200, 400, 403, 404, 413, 431, 500, 503, 599}) {
    for (const auto& headers : header_sets) {
      for (const std::string& body : bodies) {
        for (const bool keep_alive : {true, false}) {
          aws::HttpResponse response;
          response.status = status;
          response.headers = headers;
          response.body = body;
          EXPECT_EQ(by_hand(response, keep_alive), with_beast(response, keep_alive))
              << status << " " << headers.size() << " " << body.size() << " " << keep_alive;
        }
      }
    }
  }
  // No body for 204 and 304 (Content-Length: 0); Beast threw on a body there.
  for (const int status : {204, 304}) {
    for (const bool keep_alive : {true, false}) {
      aws::HttpResponse response;
      response.status = status;
      response.headers = header_sets[1];
      EXPECT_EQ(by_hand(response, keep_alive), with_beast(response, keep_alive)) << status;
      aws::HttpResponse with_body = response;
      with_body.body = "not sent";
      EXPECT_EQ(by_hand(with_body, keep_alive), with_beast(response, keep_alive)) << status;
    }
  }
}

TEST(Http1Response, TheTransportsOwnHeadersAreDropped) {
  aws::HttpResponse response;
  response.headers = {{"connection", "upgrade"},
                      {"Content-Length", "9"},
                      {"transfer-encoding", "chunked"},
                      {"x", "y"}};
  response.body = "hello";
  EXPECT_EQ(http1_response_head(response, true),
            "HTTP/1.1 200 OK\r\nx: y\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(http1_response_head(response, false),
            "HTTP/1.1 200 OK\r\nx: y\r\nConnection: close\r\nContent-Length: 5\r\n\r\n");
}

}  // namespace
}  // namespace trib::net::detail
