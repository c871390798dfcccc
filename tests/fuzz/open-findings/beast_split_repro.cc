// Standalone check for tests/fuzz/open-findings/README.md: feeds an http1_fuzz input (first byte
// dropped) to Boost.Beast's own request_parser, whole and in pieces of 1, 3 and 7 bytes, with a
// body limit, and prints the first error of each. Not built by CMake:
//   g++ -std=c++20 -O1 -o /tmp/beast_split_repro tests/fuzz/open-findings/beast_split_repro.cc
//   /tmp/beast_split_repro tests/fuzz/open-findings/http1/split-reads-400-or-413-chunk-extension
//   4096
#include <boost/beast/http.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
namespace http = boost::beast::http;
static int run(const std::string& input, size_t piece, size_t limit) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(limit);
  std::string buffer;
  size_t offset = 0;
  while (true) {
    if (offset < input.size()) {
      size_t n = piece ? std::min(piece, input.size() - offset) : input.size() - offset;
      buffer.append(input, offset, n);
      offset += n;
    }
    boost::beast::error_code ec;
    size_t used = parser.put(boost::asio::buffer(buffer), ec);
    buffer.erase(0, used);
    if (ec == http::error::need_more) {
      if (offset >= input.size()) {
        std::cout << "need more at end\n";
        return 0;
      }
      continue;
    }
    if (ec) {
      std::cout << "piece " << piece << ": " << ec.message() << " after " << offset << "\n";
      return 0;
    }
    if (parser.is_done()) {
      std::cout << "piece " << piece << ": done\n";
      return 0;
    }
  }
}
int main(int argc, char** argv) {
  std::ifstream f(argv[1], std::ios::binary);
  std::string input((std::istreambuf_iterator<char>(f)), {});
  input.erase(0, 1);
  size_t limit = std::stoul(argv[2]);
  for (size_t piece : {0, 1, 3, 7}) run(input, piece, limit);
}
