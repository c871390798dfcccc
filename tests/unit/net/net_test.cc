// net::HttpServer on a loopback port: HTTP/1.1 (raw socket), h2c and TLS (curl, h2load),
// streaming bodies on both, protocol sniffing, limits, garbage; and the TLS certificate store.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "net/connection.h"
#include "net/http_server.h"
#include "net/tls.h"

namespace trib::net {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kTestBodyLimit = 1024 * 1024;

struct CommandResult {
  int exit_code = -1;
  std::string output;
};

CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (!pipe) return result;
  char buffer[65536];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool have_tool(const std::string& name) { return run_command("command -v " + name).exit_code == 0; }

// A producer that writes `count` chunks from its own thread, `delay` apart, then finishes; or,
// with count 0, writes until write() returns false.
class ChunkProducer : public aws::StreamingBody {
 public:
  ChunkProducer(int count, std::chrono::milliseconds delay, std::atomic<int>* cancellations)
      : count_(count), delay_(delay), cancellations_(cancellations) {}
  ~ChunkProducer() override {
    if (thread_.joinable()) thread_.join();
  }
  void start(std::shared_ptr<aws::BodyWriter> writer) override {
    thread_ = std::thread([this, writer] {
      for (int i = 0; count_ == 0 || i < count_; ++i) {
        if (!writer->write("chunk-" + std::to_string(i) + "\n")) return;
        std::this_thread::sleep_for(delay_);
      }
      writer->finish();
    });
  }
  void cancel() override { cancellations_->fetch_add(1); }

 private:
  const int count_;
  const std::chrono::milliseconds delay_;
  std::atomic<int>* cancellations_;
  std::thread thread_;
};

std::string expected_chunks(int count) {
  std::string all;
  for (int i = 0; i < count; ++i) all += "chunk-" + std::to_string(i) + "\n";
  return all;
}

class NetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.worker_threads = 8;
    options.max_body_bytes = kTestBodyLimit;
    configure(options);
    server_ = std::make_unique<HttpServer>(
        options, [this](const aws::HttpRequest& request) { return handle(request); });
    std::string error;
    ASSERT_TRUE(server_->listen(&error)) << error;
    port_ = server_->bound_port();
    runner_ = std::thread([this] { server_->run(); });
  }

  virtual void configure(HttpServerOptions&) {}

  uint64_t limit_count(std::string_view limit) const {
    for (const auto& [name, count] : server_->limit_counts()) {
      if (name == limit) return count;
    }
    return 0;
  }

  void TearDown() override {
    server_->stop();
    if (runner_.joinable()) runner_.join();
    server_.reset();
  }

  aws::HttpResponse handle(const aws::HttpRequest& request) {
    aws::HttpResponse response;
    const std::string path = request.target.substr(0, request.target.find('?'));
    if (path == "/stream") {
      const int count = std::stoi(std::string(request.query().substr(2)));  // "n=5"
      response.set_header("Content-Type", "application/octet-stream");
      response.streaming = std::make_shared<ChunkProducer>(count, 5ms, &cancellations_);
      return response;
    }
    if (path == "/endless") {
      response.streaming = std::make_shared<ChunkProducer>(0, 10ms, &cancellations_);
      return response;
    }
    if (path == "/slow") std::this_thread::sleep_for(300ms);
    if (path == "/big") {
      response.body.assign(10 * 1024 * 1024, 'b');
      return response;
    }
    std::string echo = "method=" + request.method + "\npath=" + request.target +
                       "\nbody=" + std::to_string(request.body.size()) + "\n";
    for (const auto& [name, value] : request.headers) echo += name + ": " + value + "\n";
    response.set_header("Content-Type", "text/plain");
    response.set_header("X-Echo", "yes");
    response.body = std::move(echo);
    return response;
  }

  std::string url(const std::string& path, bool tls = false) const {
    return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
  }

  int connect_raw() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port_);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  static void send_all(int fd, std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      data.remove_prefix(static_cast<size_t>(n));
    }
  }

  // Reads until `terminator` has been seen (or the peer closes / times out).
  static std::string read_until(int fd, std::string_view terminator) {
    std::string received;
    char buffer[16384];
    while (received.find(terminator) == std::string::npos) {
      const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      received.append(buffer, static_cast<size_t>(n));
    }
    return received;
  }

  static std::string read_to_end(int fd) {
    return read_until(fd, std::string_view("\x01\x02\x03"));
  }

  bool server_answers() const {
    return run_command("curl -s --max-time 5 " + url("/echo")).output.find("method=GET") !=
           std::string::npos;
  }

  std::unique_ptr<HttpServer> server_;
  std::thread runner_;
  uint16_t port_ = 0;
  std::atomic<int> cancellations_{0};
};

// --- HTTP/1.1 ----------------------------------------------------------------------------

TEST_F(NetTest, Http1EchoesAndKeepsTheConnection) {
  const int fd = connect_raw();
  ASSERT_GE(fd, 0);
  send_all(fd,
           "POST /echo?x=1 HTTP/1.1\r\nHost: example\r\nX-Mixed-Case: V\r\n"
           "Content-Length: 5\r\n\r\nhello");
  std::string first = read_until(fd, "x-mixed-case: V\n");
  EXPECT_NE(first.find("HTTP/1.1 200 OK"), std::string::npos) << first;
  EXPECT_NE(first.find("method=POST\npath=/echo?x=1\nbody=5\n"), std::string::npos) << first;
  EXPECT_NE(first.find("host: example\n"), std::string::npos) << first;
  send_all(fd, "GET /echo HTTP/1.1\r\nHost: example\r\n\r\n");
  std::string second = read_until(fd, "host: example\n");
  EXPECT_NE(second.find("method=GET"), std::string::npos) << second;
  ::close(fd);
}

TEST_F(NetTest, Http1RefusesLargeBodiesFromContentLength) {
  const int fd = connect_raw();
  ASSERT_GE(fd, 0);
  send_all(fd, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                   std::to_string(kTestBodyLimit + 1) + "\r\n\r\n");
  const std::string answer = read_to_end(fd);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  ::close(fd);
}

TEST_F(NetTest, Http1StreamsChunkedBodiesThenKeepsTheConnection) {
  const int fd = connect_raw();
  ASSERT_GE(fd, 0);
  send_all(fd, "GET /stream?n=5 HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string answer = read_until(fd, "\r\n0\r\n\r\n");
  EXPECT_NE(answer.find("Transfer-Encoding: chunked"), std::string::npos) << answer;
  // Decode the chunked body.
  std::string body;
  size_t position = answer.find("\r\n\r\n") + 4;
  while (position < answer.size()) {
    const size_t line_end = answer.find("\r\n", position);
    const size_t size = std::stoul(answer.substr(position, line_end - position), nullptr, 16);
    if (size == 0) break;
    body += answer.substr(line_end + 2, size);
    position = line_end + 2 + size + 2;
  }
  EXPECT_EQ(body, expected_chunks(5));
  send_all(fd, "GET /echo HTTP/1.1\r\nHost: again\r\n\r\n");
  EXPECT_NE(read_until(fd, "host: again\n").find("method=GET"), std::string::npos);
  ::close(fd);
  EXPECT_EQ(cancellations_.load(), 0);
}

TEST_F(NetTest, Http1StreamCancelledWhenThePeerLeaves) {
  const int fd = connect_raw();
  ASSERT_GE(fd, 0);
  send_all(fd, "GET /endless HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(read_until(fd, "chunk-2").find("chunk-2"), std::string::npos);
  ::close(fd);
  for (int i = 0; i < 200 && cancellations_.load() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(cancellations_.load(), 1);
}

// --- h2c ---------------------------------------------------------------------------------

TEST_F(NetTest, H2cMapsPseudoHeadersAndBodies) {
  if (!have_tool("curl")) GTEST_SKIP() << "curl is not installed";
  auto result = run_command("curl -s --http2-prior-knowledge -H 'X-Mixed-Case: V' -d abc " +
                            url("/echo?q=1") + " -w '%{http_version}'");
  ASSERT_EQ(result.exit_code, 0);
  EXPECT_NE(result.output.find("method=POST\npath=/echo?q=1\nbody=3\n"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("x-mixed-case: V\n"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("host: 127.0.0.1:" + std::to_string(port_) + "\n"),
            std::string::npos)
      << result.output;
  EXPECT_EQ(result.output.substr(result.output.size() - 1), "2");
  // Response headers arrive lower-case with a content-length.
  result = run_command("curl -s -D - -o /dev/null --http2-prior-knowledge " + url("/echo"));
  EXPECT_NE(result.output.find("x-echo: yes"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("content-length: "), std::string::npos) << result.output;
}

TEST_F(NetTest, H2cLargeBodiesBothWays) {
  if (!have_tool("curl")) GTEST_SKIP() << "curl is not installed";
  const auto file = std::filesystem::temp_directory_path() / "tributary-net-test-body";
  {
    std::ofstream out(file, std::ios::binary);
    out << std::string(kTestBodyLimit, 'a');
  }
  auto result = run_command("curl -s --http2-prior-knowledge --data-binary @" + file.string() +
                            " " + url("/echo"));
  EXPECT_NE(result.output.find("body=" + std::to_string(kTestBodyLimit) + "\n"), std::string::npos);
  {
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out << "x";
  }
  result = run_command(
      "curl -s -o /dev/null -w '%{http_code}' --http2-prior-knowledge "
      "--data-binary @" +
      file.string() + " " + url("/echo"));
  EXPECT_EQ(result.output, "413");
  std::filesystem::remove(file);
  result = run_command("curl -s --http2-prior-knowledge " + url("/big") + " | wc -c");
  EXPECT_EQ(std::stoul(result.output), 10u * 1024 * 1024);
}

std::string h2_frame(uint8_t type, uint8_t flags, uint32_t stream_id, std::string_view payload) {
  std::string frame;
  frame += static_cast<char>((payload.size() >> 16) & 0xff);
  frame += static_cast<char>((payload.size() >> 8) & 0xff);
  frame += static_cast<char>(payload.size() & 0xff);
  frame += static_cast<char>(type);
  frame += static_cast<char>(flags);
  for (int shift = 24; shift >= 0; shift -= 8) {
    frame += static_cast<char>((stream_id >> shift) & 0xff);
  }
  frame += payload;
  return frame;
}

TEST_F(NetTest, H2cRefusesAnUploadOnceItPassesTheLimit) {
  // No content-length: the DATA itself passes the limit. The client keeps the stream open, so
  // after the 413 the server resets it with NO_ERROR (RFC 9113 8.1).
  const int fd = connect_raw();
  ASSERT_GE(fd, 0);
  // HPACK: :method POST, :path /, :scheme http (static table), :authority "x" (literal).
  const std::string header_block("\x83\x84\x86\x01\x01x", 6);
  std::string out = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + h2_frame(0x4, 0, 0, "") +
                    h2_frame(0x1, 0x4, 1, header_block);
  const std::string data(16000, 'd');
  for (uint64_t sent = 0; sent <= kTestBodyLimit; sent += data.size()) {
    out += h2_frame(0x0, 0, 1, data);
  }
  send_all(fd, out);
  const std::string reset = h2_frame(0x3, 0, 1, std::string(4, '\0'));
  const std::string answer = read_until(fd, reset);
  EXPECT_NE(answer.find("413"), std::string::npos);
  EXPECT_NE(answer.find(reset), std::string::npos);
  ::close(fd);
  EXPECT_TRUE(server_answers());
}

TEST_F(NetTest, H2cStreamsDataFrames) {
  if (!have_tool("curl")) GTEST_SKIP() << "curl is not installed";
  auto result = run_command("curl -s --http2-prior-knowledge " + url("/stream?n=20"));
  EXPECT_EQ(result.output, expected_chunks(20));
  EXPECT_EQ(cancellations_.load(), 0);
  // A client that goes away mid-stream cancels the producer.
  run_command("curl -s --max-time 0.3 --http2-prior-knowledge " + url("/endless"));
  for (int i = 0; i < 200 && cancellations_.load() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(cancellations_.load(), 1);
}

TEST_F(NetTest, H2cServesStreamsOfOneConnectionInParallel) {
  if (!have_tool("h2load")) GTEST_SKIP() << "h2load is not installed";
  // 8 requests that each take 300 ms, multiplexed on one connection: parallel, not 2.4 s.
  const auto started = std::chrono::steady_clock::now();
  auto result = run_command("h2load -n 8 -c 1 -m 8 " + url("/slow"));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_NE(result.output.find("8 succeeded"), std::string::npos) << result.output;
  EXPECT_LT(elapsed, 1500ms);
  result = run_command("h2load -n 500 -c 1 -m 100 " + url("/echo"));
  EXPECT_NE(result.output.find("status codes: 500 2xx"), std::string::npos) << result.output;
}

TEST_F(NetTest, SurvivesGarbage) {
  const std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  const std::vector<std::string> inputs = {
      preface + std::string(200, '\xff'),
      preface + std::string("\x00\x00\x04\x08\x00\x00\x00\x00\x00", 9) + "garbage",
      "PRI * HTTP/2.0\r\n\r\nXX\r\n\r\nmore",
      std::string("\x16\x03\x01\x00\x05hello", 10) + std::string(100, '\x00'),
      "GET / HTTP/9.9 nonsense\r\n\r\n",
      std::string(30, '\0'),
  };
  for (const auto& input : inputs) {
    const int fd = connect_raw();
    ASSERT_GE(fd, 0);
    send_all(fd, input);
    ::shutdown(fd, SHUT_WR);
    read_to_end(fd);
    ::close(fd);
  }
  EXPECT_TRUE(server_answers());
}

TEST_F(NetTest, PartialPrefaceStillChoosesHttp2) {
  const int fd = connect_raw();
  ASSERT_GE(fd, 0);
  send_all(fd, "PRI * HTTP/2.0\r\n");
  std::this_thread::sleep_for(50ms);
  send_all(fd, std::string("\r\nSM\r\n\r\n") +
                   std::string("\x00\x00\x00\x04\x00\x00\x00\x00\x00", 9));  // empty SETTINGS
  const std::string answer = read_until(fd, std::string_view("\x04\x00\x00\x00\x00\x00", 6));
  ASSERT_GE(answer.size(), 9u);
  EXPECT_EQ(answer[3], '\x04');  // the server's SETTINGS frame
  ::close(fd);
}

// --- TLS ---------------------------------------------------------------------------------

TEST_F(NetTest, TlsNegotiatesH2OrHttp1) {
  if (!have_tool("curl")) GTEST_SKIP() << "curl is not installed";
  auto result =
      run_command("curl -sk --http2 -d abc " + url("/echo", true) + " -w '%{http_version}'");
  EXPECT_NE(result.output.find("body=3\n"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.substr(result.output.size() - 1), "2");
  result = run_command("curl -sk --http1.1 " + url("/echo", true) + " -w '%{http_version}'");
  EXPECT_NE(result.output.find("method=GET"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.substr(result.output.size() - 3), "1.1");
  result = run_command("curl -sk --http2 " + url("/stream?n=7", true));
  EXPECT_EQ(result.output, expected_chunks(7));
  result = run_command("curl -sk --http1.1 " + url("/stream?n=7", true));
  EXPECT_EQ(result.output, expected_chunks(7));
  EXPECT_TRUE(server_answers());
}

TEST_F(NetTest, StopEndsOpenStreams) {
  if (!have_tool("curl")) GTEST_SKIP() << "curl is not installed";
  std::thread client(
      [this] { run_command("curl -s --max-time 5 --http2-prior-knowledge " + url("/endless")); });
  for (int i = 0; i < 100; ++i) std::this_thread::sleep_for(10ms);
  const auto started = std::chrono::steady_clock::now();
  server_->stop();
  runner_.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2500ms);
  client.join();
  EXPECT_EQ(cancellations_.load(), 1);
}

// --- limits --------------------------------------------------------------------------------

// Short limits, so that each is reached within a second.
class NetLimitsTest : public NetTest {
 protected:
  void configure(HttpServerOptions& options) override {
    options.limits.header_timeout_ms = 300;
    options.limits.idle_timeout_ms = 300;
    options.limits.stall_timeout_ms = 500;
    options.limits.tls_handshake_timeout_ms = 300;
    options.limits.max_connections = 8;
  }

  // Seconds until the server closes `fd` (reading and dropping what comes), at most 5.
  static double seconds_until_closed(int fd) {
    const auto started = std::chrono::steady_clock::now();
    read_to_end(fd);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
};

TEST_F(NetLimitsTest, SilentConnectionIsClosedAtTheHeaderTimeout) {
  const int fd = connect_raw();
  ASSERT_GE(fd, 0);
  const double seconds = seconds_until_closed(fd);
  EXPECT_GE(seconds, 0.25);
  EXPECT_LT(seconds, 2.0);
  ::close(fd);
  EXPECT_EQ(limit_count("header_timeout"), 1u);
}

TEST_F(NetLimitsTest, SlowHeadersAreCutAtTheHeaderTimeout) {
  const int fd = connect_raw();
  ASSERT_GE(fd, 0);
  send_all(fd, "GET /echo HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  const auto started = std::chrono::steady_clock::now();
  bool closed = false;
  while (!closed && std::chrono::steady_clock::now() - started < 3s) {
    std::this_thread::sleep_for(50ms);
    closed = ::send(fd, "a", 1, MSG_NOSIGNAL) <= 0;
    char byte;
    if (::recv(fd, &byte, 1, MSG_DONTWAIT) == 0) closed = true;
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms);
  ::close(fd);
  EXPECT_EQ(limit_count("header_timeout"), 1u);
  EXPECT_TRUE(server_answers());
}

TEST_F(NetLimitsTest, IdleKeepAliveConnectionIsClosed) {
  const int fd = connect_raw();
  ASSERT_GE(fd, 0);
  send_all(fd, "GET /echo HTTP/1.1\r\nHost: idle\r\n\r\n");
  EXPECT_NE(read_until(fd, "host: idle\n").find("200 OK"), std::string::npos);
  const double seconds = seconds_until_closed(fd);
  EXPECT_GE(seconds, 0.25);
  EXPECT_LT(seconds, 2.0);
  ::close(fd);
  EXPECT_EQ(limit_count("idle_timeout"), 1u);
}

TEST_F(NetLimitsTest, AStreamingResponseIsNotIdle) {
  const int fd = connect_raw();
  ASSERT_GE(fd, 0);
  send_all(fd, "GET /endless HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto started = std::chrono::steady_clock::now();
  size_t received_late = 0;
  char buffer[4096];
  while (std::chrono::steady_clock::now() - started < 1000ms) {
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    if (std::chrono::steady_clock::now() - started > 700ms) received_late += static_cast<size_t>(n);
  }
  EXPECT_GT(received_late, 0u);
  ::close(fd);
  EXPECT_EQ(limit_count("idle_timeout"), 0u);
}

TEST_F(NetLimitsTest, AClientThatNeverReadsIsCutAtTheStallTimeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  send_all(fd, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  for (int i = 0; i < 300 && limit_count("stall_timeout") == 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(limit_count("stall_timeout"), 1u);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  EXPECT_LT(read_to_end(fd).size(), 10u * 1024 * 1024);  // cut short
  ::close(fd);
}

TEST_F(NetLimitsTest, ConnectionsBeyondTheMaximumAreClosedAtOnce) {
  std::vector<int> open;
  for (int i = 0; i < 8; ++i) open.push_back(connect_raw());
  std::this_thread::sleep_for(50ms);
  const int refused = connect_raw();
  ASSERT_GE(refused, 0);
  const double seconds = seconds_until_closed(refused);
  EXPECT_LT(seconds, 0.25);  // closed at once, not by the header timeout
  ::close(refused);
  EXPECT_EQ(limit_count("max_connections"), 1u);
  for (int fd : open) ::close(fd);
  std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(server_answers());
}

TEST_F(NetLimitsTest, AStalledTlsHandshakeIsCut) {
  const int fd = connect_raw();
  ASSERT_GE(fd, 0);
  send_all(fd, std::string_view("\x16\x03\x01\x02\x00\x01", 6));
  const double seconds = seconds_until_closed(fd);
  EXPECT_GE(seconds, 0.25);
  EXPECT_LT(seconds, 2.0);
  ::close(fd);
  EXPECT_EQ(limit_count("tls_handshake_timeout"), 1u);
}

// --- the streaming queue ------------------------------------------------------------------

struct CountingOwner : detail::StreamOwner {
  void on_stream_event(int32_t) override { ++events; }
  int events = 0;
};

TEST(StreamWriter, QueuesCoalescesWakeUpsAndCaps) {
  boost::asio::io_context io;
  auto owner = std::make_shared<CountingOwner>();
  auto writer = std::make_shared<detail::StreamWriter>(owner, boost::asio::make_strand(io), 1, 10);
  EXPECT_TRUE(writer->write("abc"));
  EXPECT_TRUE(writer->write("defg"));
  EXPECT_EQ(writer->buffered_bytes(), 7u);
  io.run();
  io.restart();
  EXPECT_EQ(owner->events, 1);  // two writes, one wake-up
  uint8_t buffer[5];
  ASSERT_EQ(writer->take(buffer, 5), 5u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer), 5), "abcde");
  EXPECT_EQ(writer->take_all(), "fg");
  // Over the cap: refused, and the transport must cancel the producer.
  EXPECT_TRUE(writer->write("123456789"));
  EXPECT_FALSE(writer->write("xy"));
  EXPECT_EQ(writer->state(), detail::StreamWriter::State::overflowed);
  EXPECT_FALSE(writer->write("z"));
  EXPECT_TRUE(writer->close_by_transport());
  // A producer that finished is not cancelled; after the transport closes, nothing is posted.
  auto finished =
      std::make_shared<detail::StreamWriter>(owner, boost::asio::make_strand(io), 3, 10);
  EXPECT_TRUE(finished->write("a"));
  finished->finish();
  EXPECT_FALSE(finished->write("b"));
  EXPECT_FALSE(finished->close_by_transport());
  io.run();
  EXPECT_EQ(owner->events, 1);  // wake-ups for writers the transport closed are dropped
}

// --- certificates ------------------------------------------------------------------------

TEST(TlsCertificate, SelfSignedIsStoredAndReused) {
  const auto directory = std::filesystem::temp_directory_path() /
                         ("tributary-tls-test-" + std::to_string(::getpid())) / "tls";
  std::filesystem::remove_all(directory.parent_path());
  TlsCertificate first;
  TlsCertificate second;
  std::string error;
  ASSERT_TRUE(load_or_create_self_signed_certificate(directory.string(), &first, &error)) << error;
  struct stat key_status {};
  ASSERT_EQ(::stat((directory / "key.pem").c_str(), &key_status), 0);
  EXPECT_EQ(key_status.st_mode & 0777, 0600u);
  ASSERT_TRUE(load_or_create_self_signed_certificate(directory.string(), &second, &error)) << error;
  EXPECT_EQ(first.certificate_pem, second.certificate_pem);
  EXPECT_EQ(certificate_sha256_fingerprint(first.certificate_pem).size(), 64u);
  EXPECT_EQ(certificate_sha256_fingerprint(first.certificate_pem),
            certificate_sha256_fingerprint(second.certificate_pem));
  // A key that does not match is an error, not silently replaced.
  TlsCertificate other;
  ASSERT_TRUE(generate_self_signed_certificate(&other, &error));
  { std::ofstream(directory / "key.pem") << other.private_key_pem; }
  EXPECT_FALSE(load_or_create_self_signed_certificate(directory.string(), &second, &error));
  EXPECT_NE(error.find("does not match"), std::string::npos) << error;
  std::filesystem::remove_all(directory.parent_path());
}

}  // namespace
}  // namespace trib::net
