// loadgen: a closed-loop HTTP/1.1 load driver for AWS JSON-protocol endpoints.
//
// One process opens N keep-alive connections and spreads them over T threads (one io_context per
// thread, so a connection's handlers never race). Every connection sends a request, waits for the
// whole response, records the latency and sends the next one, until the run's deadline (or until
// it has nothing more to send). Requests carry the headers an AWS SDK would send (X-Amz-Target,
// X-Amz-Date and a SigV4-shaped Authorization header), so servers that check the shape of the
// signature accept them.
//
// What each request contains comes from a scenario, chosen with --mode. A scenario hands every
// connection its own request generator; the generator produces the bytes of the next request and
// sees each response. Scenarios: "fixed" (the same request every time), DynamoDB "put-item",
// "get-item", "update-item", "batch-write-item", "query", "scan" and "transact-write-items" (over a
// key space), "put-record" and
// "put-records" (Kinesis PutRecord / PutRecords with random partition keys and random data, from a
// pool of requests built before the run so the client stays cheap), and "get-records" (each
// connection drains one shard: GetShardIterator TRIM_HORIZON, then GetRecords along
// NextShardIterator until a response with no records and MillisBehindLatest 0), and
// "streams-get-records" (the same over a DynamoDB stream, --stream-arn, through the DynamoDB
// Streams API: until a response with no records or no NextShardIterator).

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <bit>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr double kMaxDurationSeconds = 3600.0;
constexpr std::uint64_t kMaxResponseBodyBytes = 64ull * 1024 * 1024;
constexpr std::string_view kKinesisPrefix = "Kinesis_20131202.";

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4567;
  std::string path = "/";
  int connections = 64;
  int threads = 1;
  double duration_seconds = 10.0;
  double warmup_seconds = 1.0;
  int timeout_ms = 10000;
  std::int64_t total_requests = 0;  // 0: no limit
  std::string mode = "fixed";
  std::string target;
  std::string body = "{}";
  std::string body_file;
  std::string stream = "bench-stream";
  std::string stream_arn;  // streams-get-records: the DynamoDB stream
  std::string table = "bench-table";
  std::int64_t keys = 100000;  // DynamoDB scenarios: items k0 .. k<keys-1>
  std::int64_t first_key = 0;  // batch-write-item: the first batch written holds this key
  int record_size = 100;
  int batch = 500;
  int transact_items = 2;  // transact-write-items: Puts per transaction
  int limit = 10000;
  bool limit_given = false;  // scan: send Limit only when asked
  std::string shard_iterator_type = "TRIM_HORIZON";
  std::uint64_t seed = 1;
  std::string content_type = "application/x-amz-json-1.1";
  std::string access_key_id = "AKIDEXAMPLE";
  std::string region = "us-east-1";
  std::string service = "kinesis";
  bool json_output = false;
};

// ---------------------------------------------------------------------------------------------
// Requests

// The request line and headers every request carries, identical for the whole run.
struct CommonHeaders {
  std::string text;  // "POST / HTTP/1.1\r\n" and every header up to X-Amz-Target, CRLF-separated
};

CommonHeaders make_common_headers(const Options& options) {
  // A fixed, syntactically valid SigV4 Authorization header. The signature is random hex: servers
  // that verify signatures will reject it, servers that check only the shape accept it.
  std::random_device entropy;
  std::mt19937_64 random(entropy());
  std::string signature;
  constexpr std::string_view kHexDigits = "0123456789abcdef";
  for (int i = 0; i < 64; ++i) signature.push_back(kHexDigits[random() % 16]);
  const std::string date = "20260101";
  CommonHeaders headers;
  headers.text = fmt::format(
      "POST {} HTTP/1.1\r\n"
      "Host: {}:{}\r\n"
      "User-Agent: tributary-loadgen/0.1\r\n"
      "Content-Type: {}\r\n"
      "X-Amz-Date: {}T000000Z\r\n"
      "Authorization: AWS4-HMAC-SHA256 Credential={}/{}/{}/{}/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature={}\r\n",
      options.path, options.host, options.port, options.content_type, date, options.access_key_id,
      date, options.region, options.service, signature);
  return headers;
}

// Writes the bytes of one HTTP/1.1 request into `bytes`. Serialised by hand (not by Beast) so that
// requests can be built once, before the run, and the driver spends its CPU time on the network.
void serialize_request(const CommonHeaders& headers, std::string_view target, std::string_view body,
                       std::string& bytes) {
  bytes.clear();
  bytes.reserve(headers.text.size() + target.size() + body.size() + 64);
  bytes += headers.text;
  if (!target.empty()) {
    bytes += "X-Amz-Target: ";
    bytes += target;
    bytes += "\r\n";
  }
  bytes += "Content-Length: ";
  bytes += std::to_string(body.size());
  bytes += "\r\n\r\n";
  bytes += body;
}

std::string serialize_request(const CommonHeaders& headers, std::string_view target,
                              std::string_view body) {
  std::string bytes;
  serialize_request(headers, target, body, bytes);
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// JSON helpers: just enough to write request bodies and to pick a few values out of responses
// without parsing them in full (responses of GetRecords are megabytes).

std::string json_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size() + 2);
  for (const char character : text) {
    switch (character) {
      case '"':
        escaped += "\\\"";
        break;
      case '\\':
        escaped += "\\\\";
        break;
      case '\n':
        escaped += "\\n";
        break;
      case '\r':
        escaped += "\\r";
        break;
      case '\t':
        escaped += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(character) < 0x20) {
          escaped += fmt::format("\\u{:04x}", static_cast<unsigned>(character));
        } else {
          escaped += character;
        }
    }
  }
  return escaped;
}

std::string base64_encode(std::string_view bytes) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  encoded.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                                (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                                std::uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    encoded += kAlphabet[(group >> 18) & 63];
    encoded += kAlphabet[(group >> 12) & 63];
    encoded += kAlphabet[(group >> 6) & 63];
    encoded += kAlphabet[group & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t group = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    if (rest == 2) group |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    encoded += kAlphabet[(group >> 18) & 63];
    encoded += kAlphabet[(group >> 12) & 63];
    encoded += rest == 2 ? kAlphabet[(group >> 6) & 63] : '=';
    encoded += '=';
  }
  return encoded;
}

// Where the value of the member `"key"` starts (after the colon and any white space), searching
// from `from`; npos if there is no such member. Looks for the quoted key text, so it can be fooled
// by a string value equal to the key, which the responses read here never contain.
std::size_t find_member_value(std::string_view json, std::string_view quoted_key,
                              std::size_t from = 0) {
  while (true) {
    const std::size_t at = json.find(quoted_key, from);
    if (at == std::string_view::npos) return at;
    std::size_t position = at + quoted_key.size();
    while (position < json.size() && (json[position] == ' ' || json[position] == '\n' ||
                                      json[position] == '\r' || json[position] == '\t'))
      ++position;
    if (position < json.size() && json[position] == ':') {
      ++position;
      while (position < json.size() && (json[position] == ' ' || json[position] == '\n' ||
                                        json[position] == '\r' || json[position] == '\t'))
        ++position;
      return position;
    }
    from = at + 1;
  }
}

// The string value of member `quoted_key` (without escapes: good for iterators and shard ids).
std::optional<std::string_view> string_member(std::string_view json, std::string_view quoted_key) {
  const std::size_t start = find_member_value(json, quoted_key);
  if (start == std::string_view::npos || start >= json.size() || json[start] != '"')
    return std::nullopt;
  const std::size_t end = json.find('"', start + 1);
  if (end == std::string_view::npos) return std::nullopt;
  return json.substr(start + 1, end - start - 1);
}

std::optional<std::int64_t> integer_member(std::string_view json, std::string_view quoted_key) {
  const std::size_t start = find_member_value(json, quoted_key);
  if (start == std::string_view::npos) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(json.data() + start, json.data() + json.size(), value);
  if (error != std::errc()) return std::nullopt;
  return value;
}

// ---------------------------------------------------------------------------------------------
// Scenarios

// What a response carried, as far as the scenario can tell: records written or read, and the
// bytes of record data (decoded, not base64) among them.
struct ResponseTally {
  std::uint64_t records = 0;
  std::uint64_t record_bytes = 0;
};

// Produces the requests of one connection. Used only from that connection's thread.
class RequestGenerator {
 public:
  virtual ~RequestGenerator() = default;
  // The complete bytes of the next request, which must stay valid until the next call. An empty
  // result means the connection has nothing more to send and stops.
  virtual std::string_view next_request() = 0;
  // Sees every complete response to a request this generator produced.
  virtual ResponseTally on_response(unsigned status, std::string_view body) { return {}; }
};

class Scenario {
 public:
  virtual ~Scenario() = default;
  virtual std::unique_ptr<RequestGenerator> make_generator(int connection_index) = 0;
};

bool is_success(unsigned status) { return status >= 200 && status < 300; }

// Cycles through a pool of requests built before the run, each connection from its own offset.
class PoolGenerator final : public RequestGenerator {
 public:
  using Tally = std::function<ResponseTally(unsigned status, std::string_view body)>;
  PoolGenerator(const std::vector<std::string>& pool, std::size_t first, const Tally& tally)
      : pool_(pool), next_(first % pool.size()), tally_(tally) {}

  std::string_view next_request() override {
    const std::string& request = pool_[next_];
    next_ = next_ + 1 == pool_.size() ? 0 : next_ + 1;
    return request;
  }
  ResponseTally on_response(unsigned status, std::string_view body) override {
    return tally_ ? tally_(status, body) : ResponseTally{};
  }

 private:
  const std::vector<std::string>& pool_;
  std::size_t next_;
  const Tally& tally_;
};

// Sends the same target and body on every request.
class FixedScenario final : public Scenario {
 public:
  FixedScenario(const CommonHeaders& headers, std::string_view target, std::string_view body)
      : pool_{serialize_request(headers, target, body)} {}

  std::unique_ptr<RequestGenerator> make_generator(int connection_index) override {
    return std::make_unique<PoolGenerator>(pool_, 0, no_tally_);
  }

 private:
  std::vector<std::string> pool_;
  PoolGenerator::Tally no_tally_;
};

// Random bytes and partition keys for record-writing scenarios; seeded, so runs are repeatable.
class RecordMaker {
 public:
  explicit RecordMaker(std::uint64_t seed) : random_(seed) {}

  std::string data(int size) {
    std::string bytes(static_cast<std::size_t>(size), '\0');
    for (std::size_t i = 0; i < bytes.size(); i += 8) {
      const std::uint64_t word = random_();
      for (std::size_t j = 0; j < 8 && i + j < bytes.size(); ++j)
        bytes[i + j] = static_cast<char>(word >> (8 * j));
    }
    return bytes;
  }

  // 16 hexadecimal digits: spread evenly over the hash key space, hence over the shards.
  std::string partition_key() { return fmt::format("{:016x}", random_()); }

 private:
  std::mt19937_64 random_;
};

// PutRecord of --record-size random bytes under a random partition key.
class PutRecordScenario final : public Scenario {
 public:
  static constexpr std::size_t kPoolSize = 1024;

  PutRecordScenario(const Options& options, const CommonHeaders& headers)
      : record_size_(static_cast<std::uint64_t>(options.record_size)) {
    RecordMaker maker(options.seed);
    const std::string stream = json_escape(options.stream);
    const std::string target = std::string(kKinesisPrefix) + "PutRecord";
    for (std::size_t i = 0; i < kPoolSize; ++i) {
      const std::string body =
          fmt::format(R"({{"StreamName":"{}","PartitionKey":"{}","Data":"{}"}})", stream,
                      maker.partition_key(), base64_encode(maker.data(options.record_size)));
      pool_.push_back(serialize_request(headers, target, body));
    }
    tally_ = [this](unsigned status, std::string_view) {
      return is_success(status) ? ResponseTally{1, record_size_} : ResponseTally{};
    };
    stride_ = std::max<std::size_t>(1, kPoolSize / static_cast<std::size_t>(options.connections));
  }

  std::unique_ptr<RequestGenerator> make_generator(int connection_index) override {
    return std::make_unique<PoolGenerator>(
        pool_, static_cast<std::size_t>(connection_index) * stride_, tally_);
  }

 private:
  std::uint64_t record_size_;
  std::vector<std::string> pool_;
  PoolGenerator::Tally tally_;
  std::size_t stride_ = 1;
};

// PutRecords of --batch entries, each --record-size random bytes under a random partition key.
// Records written = entries minus FailedRecordCount of each successful response.
class PutRecordsScenario final : public Scenario {
 public:
  PutRecordsScenario(const Options& options, const CommonHeaders& headers)
      : batch_(static_cast<std::uint64_t>(options.batch)),
        record_size_(static_cast<std::uint64_t>(options.record_size)) {
    RecordMaker maker(options.seed);
    const std::string stream = json_escape(options.stream);
    const std::string target = std::string(kKinesisPrefix) + "PutRecords";
    // A pool of up to 16 distinct requests, at most about 32 MiB of them.
    const std::size_t approximate_body_bytes =
        batch_ * ((record_size_ + 2) / 3 * 4 + 60) + stream.size() + 32;
    const std::size_t pool_size = std::clamp<std::size_t>(
        (32u << 20) / std::max<std::size_t>(approximate_body_bytes, 1), 1, 16);
    for (std::size_t i = 0; i < pool_size; ++i) {
      std::string body = fmt::format(R"({{"StreamName":"{}","Records":[)", stream);
      body.reserve(approximate_body_bytes);
      for (std::uint64_t entry = 0; entry < batch_; ++entry) {
        if (entry > 0) body += ',';
        body += R"({"Data":")";
        body += base64_encode(maker.data(options.record_size));
        body += R"(","PartitionKey":")";
        body += maker.partition_key();
        body += R"("})";
      }
      body += "]}";
      pool_.push_back(serialize_request(headers, target, body));
    }
    tally_ = [this](unsigned status, std::string_view body) {
      if (!is_success(status)) return ResponseTally{};
      const auto failed = integer_member(body, R"("FailedRecordCount")").value_or(0);
      const std::uint64_t written =
          batch_ - std::min<std::uint64_t>(batch_, static_cast<std::uint64_t>(failed));
      return ResponseTally{written, written * record_size_};
    };
  }

  std::unique_ptr<RequestGenerator> make_generator(int connection_index) override {
    return std::make_unique<PoolGenerator>(pool_, static_cast<std::size_t>(connection_index),
                                           tally_);
  }

 private:
  std::uint64_t batch_;
  std::uint64_t record_size_;
  std::vector<std::string> pool_;
  PoolGenerator::Tally tally_;
};

constexpr std::string_view kDynamoDbStreamsPrefix = "DynamoDBStreams_20120810.";

// Drains shards: connection i reads shard i % (number of shards) from --shard-iterator-type
// (TRIM_HORIZON) along NextShardIterator, until a response brings no records and says
// MillisBehindLatest 0 (or has no NextShardIterator: the shard is closed and read to its end).
// Failed requests are repeated as they were. Connections beyond the number of shards read the same
// shards again (and count their records again).
// With `dynamodb_streams`, the shards are a DynamoDB stream's (--stream-arn) read through the
// DynamoDB Streams API, which has no MillisBehindLatest: a response without records ends the
// drain; records are counted by their eventID and their bytes are their SizeBytes.
class GetRecordsScenario final : public Scenario {
 public:
  GetRecordsScenario(const Options& options, const CommonHeaders& headers,
                     std::vector<std::string> shard_ids, bool dynamodb_streams = false)
      : options_(options),
        headers_(headers),
        shard_ids_(std::move(shard_ids)),
        dynamodb_streams_(dynamodb_streams) {
    if (shard_ids_.empty()) throw std::runtime_error("get-records: the stream has no shards");
  }

  std::unique_ptr<RequestGenerator> make_generator(int connection_index) override {
    const std::string& shard_id =
        shard_ids_[static_cast<std::size_t>(connection_index) % shard_ids_.size()];
    return std::make_unique<Generator>(options_, headers_, shard_id, dynamodb_streams_);
  }

 private:
  class Generator final : public RequestGenerator {
   public:
    Generator(const Options& options, const CommonHeaders& headers, const std::string& shard_id,
              bool dynamodb_streams)
        : headers_(headers),
          limit_(options.limit),
          dynamodb_streams_(dynamodb_streams),
          get_records_target_(
              std::string(dynamodb_streams ? kDynamoDbStreamsPrefix : kKinesisPrefix) +
              "GetRecords") {
      const std::string stream_member =
          dynamodb_streams ? fmt::format(R"("StreamArn":"{}")", json_escape(options.stream_arn))
                           : fmt::format(R"("StreamName":"{}")", json_escape(options.stream));
      serialize_request(
          headers,
          std::string(dynamodb_streams ? kDynamoDbStreamsPrefix : kKinesisPrefix) +
              "GetShardIterator",
          fmt::format(R"({{{},"ShardId":"{}","ShardIteratorType":"{}"}})", stream_member,
                      json_escape(shard_id), json_escape(options.shard_iterator_type)),
          request_);
    }

    std::string_view next_request() override {
      if (phase_ == Phase::kDone) return {};
      return request_;
    }

    ResponseTally on_response(unsigned status, std::string_view body) override {
      if (!is_success(status)) return {};  // send the same request again
      if (phase_ == Phase::kGetShardIterator) {
        const auto iterator = string_member(body, R"("ShardIterator")");
        if (!iterator) return {};
        phase_ = Phase::kGetRecords;
        set_iterator(*iterator);
        return {};
      }
      ResponseTally tally = dynamodb_streams_ ? count_stream_records(body) : count_records(body);
      const auto next_iterator = string_member(body, R"("NextShardIterator")");
      const auto behind = integer_member(body, R"("MillisBehindLatest")").value_or(0);
      if (!next_iterator || (tally.records == 0 && behind == 0)) {
        phase_ = Phase::kDone;
      } else {
        set_iterator(*next_iterator);
      }
      return tally;
    }

   private:
    enum class Phase { kGetShardIterator, kGetRecords, kDone };

    void set_iterator(std::string_view iterator) {
      body_.clear();
      body_ += R"({"ShardIterator":")";
      body_ += iterator;
      body_ += R"(","Limit":)";
      body_ += std::to_string(limit_);
      body_ += '}';
      serialize_request(headers_, get_records_target_, body_, request_);
    }

    // DynamoDB stream records: their "eventID" members, and the sum of their "SizeBytes".
    static ResponseTally count_stream_records(std::string_view body) {
      ResponseTally tally;
      for (std::size_t from = 0;;) {
        const std::size_t start = find_member_value(body, R"("eventID")", from);
        if (start == std::string_view::npos || start >= body.size()) break;
        ++tally.records;
        from = start;
      }
      for (std::size_t from = 0;;) {
        const std::size_t start = find_member_value(body, R"("SizeBytes")", from);
        if (start == std::string_view::npos || start >= body.size()) break;
        std::int64_t size = 0;
        if (std::from_chars(body.data() + start, body.data() + body.size(), size).ec ==
            std::errc()) {
          tally.record_bytes += static_cast<std::uint64_t>(size);
        }
        from = start;
      }
      return tally;
    }

    // Counts the "Data" members and the bytes their base64 text decodes to.
    static ResponseTally count_records(std::string_view body) {
      ResponseTally tally;
      std::size_t from = 0;
      while (true) {
        const std::size_t start = find_member_value(body, R"("Data")", from);
        if (start == std::string_view::npos || start >= body.size() || body[start] != '"') break;
        const std::size_t end = body.find('"', start + 1);
        if (end == std::string_view::npos) break;
        const std::string_view text = body.substr(start + 1, end - start - 1);
        std::size_t length = text.size() - static_cast<std::size_t>(
                                               std::count(text.begin(), text.end(), '\\'));  // "\/"
        std::size_t padding = 0;
        if (!text.empty() && text.back() == '=')
          padding = text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
        ++tally.records;
        tally.record_bytes += length / 4 * 3 - padding;
        from = end + 1;
      }
      return tally;
    }

    const CommonHeaders& headers_;
    const int limit_;
    const bool dynamodb_streams_;
    const std::string get_records_target_;
    Phase phase_ = Phase::kGetShardIterator;
    std::string body_;
    std::string request_;
  };

  const Options& options_;
  const CommonHeaders& headers_;
  std::vector<std::string> shard_ids_;
  const bool dynamodb_streams_;
};

// DynamoDB scenarios over a key space of --keys items in partitions of 100: item i has hash key
// pk = "p<i / 100>" (S) and range key sk = i % 100 (N), and a "data" string attribute of
// --record-size random hexadecimal characters (an item of about record size + 15 bytes).
//   put-item           PutItem of a random key, built as it is sent, carrying a run-wide
//                      increasing "version" number, so every PutItem changes its item (an
//                      identical rewrite is a no-op for the server: no storage write, no stream
//                      record, so a benchmark of repeated items would measure reads)
//   get-item           GetItem of random keys (strongly consistent; keys never written answer {})
//   update-item        UpdateItem of random keys with a condition: SET counter =
//                      if_not_exists(counter, 0) + 1 if attribute_exists(pk) (on a filled table
//                      every call succeeds; on a missing item it answers
//                      ConditionalCheckFailedException, counted as an error)
//   batch-write-item   BatchWriteItem of 25 consecutive items (no key twice in one request):
//                      connections take batches 0, 1, 2, ... in turn from one counter (built as
//                      they are sent, so any key space fits), wrapping around at the end, so
//                      --total-requests keys/25 fills the key space exactly; --first-key K
//                      starts at the batch holding key K (to fill a large table in steps); every
//                      item carries the next "version", so a rewrite changes the item
//   query              Query of one random partition (pk = :p, up to 100 items)
//   transact-write-items
//                      TransactWriteItems of --transact-items Puts of distinct random items,
//                      built as sent, each with the next "version" (so every Put changes its item)
//   scan               a drain: connection i scans segment i of TotalSegments = --connections,
//                      following LastEvaluatedKey until an answer has none, then stops (pages of
//                      DynamoDB's 1 MB, or --limit items when --limit is given)
// GetItem, UpdateItem and Query requests come from a pool built before the run (seeded). Records:
// items written, read (GetItem: 1 when found) or returned (Query's and Scan's Count); record bytes:
// request data written or response bytes read.
constexpr std::string_view kDynamoDbPrefix = "DynamoDB_20120810.";

// The text of the member value starting at `start` (an object, array, string or scalar), by
// bracket matching outside strings; empty if it does not end.
std::string_view json_value_at(std::string_view json, std::size_t start) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = start; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        if (depth == 0) return json.substr(start, i + 1 - start);
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']' || c == ',') {
      if (c != ',') --depth;
      if (depth == 0) return json.substr(start, i + (c == ',' ? 0 : 1) - start);
      if (depth < 0) return json.substr(start, i - start);
    }
  }
  return {};
}

class ItemScenario final : public Scenario {
 public:
  static constexpr std::size_t kPoolSize = 4096;
  static constexpr std::uint64_t kBatch = 25;
  enum class Kind { kPut, kGet, kUpdate, kBatchWrite, kQuery, kScan, kTransactWrite };

  ItemScenario(const Options& options, const CommonHeaders& headers, Kind kind)
      : options_(options),
        headers_(headers),
        record_size_(static_cast<std::uint64_t>(options.record_size)),
        transact_items_(static_cast<std::uint64_t>(options.transact_items)),
        kind_(kind),
        table_(json_escape(options.table)),
        keys_(static_cast<std::uint64_t>(std::max<std::int64_t>(1, options.keys))),
        next_batch_(static_cast<std::uint64_t>(options.first_key) / kBatch) {
    std::mt19937_64 random(options.seed);
    static constexpr std::string_view kOperations[] = {"PutItem",           "GetItem", "UpdateItem",
                                                       "BatchWriteItem",    "Query",   "Scan",
                                                       "TransactWriteItems"};
    target_ = std::string(kDynamoDbPrefix) + std::string(kOperations[static_cast<int>(kind)]);
    constexpr std::string_view kHexDigits = "0123456789abcdef";
    for (std::size_t n = 0; n < kDataPool; ++n) {
      std::string text(static_cast<std::size_t>(options.record_size), '0');
      for (auto& c : text) c = kHexDigits[random() % 16];
      data_.push_back(std::move(text));
    }
    const auto key = [](std::uint64_t i) {
      return fmt::format(R"({{"pk":{{"S":"p{}"}},"sk":{{"N":"{}"}}}})", i / 100, i % 100);
    };
    if (kind == Kind::kGet || kind == Kind::kUpdate || kind == Kind::kQuery) {
      for (std::size_t n = 0; n < kPoolSize; ++n) {
        const std::uint64_t i = random() % keys_;
        std::string body;
        switch (kind) {
          case Kind::kGet:
            body = fmt::format(R"({{"TableName":"{}","Key":{},"ConsistentRead":true}})", table_,
                               key(i));
            break;
          case Kind::kUpdate:
            body = fmt::format(
                R"j({{"TableName":"{}","Key":{},"UpdateExpression":"SET #c = if_not_exists(#c, :zero) + :one","ConditionExpression":"attribute_exists(pk)","ExpressionAttributeNames":{{"#c":"counter"}},"ExpressionAttributeValues":{{":zero":{{"N":"0"}},":one":{{"N":"1"}}}}}})j",
                table_, key(i));
            break;
          default:
            body = fmt::format(
                R"({{"TableName":"{}","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{{":p":{{"S":"p{}"}}}}}})",
                table_, i / 100);
            break;
        }
        pool_.push_back(serialize_request(headers, target_, body));
      }
    }
    tally_ = [this](unsigned status, std::string_view body) { return tally(status, body); };
    stride_ = std::max<std::size_t>(1, kPoolSize / static_cast<std::size_t>(options.connections));
  }

  std::unique_ptr<RequestGenerator> make_generator(int connection_index) override {
    if (kind_ == Kind::kBatchWrite) return std::make_unique<BatchWriteGenerator>(*this);
    if (kind_ == Kind::kPut || kind_ == Kind::kTransactWrite) {
      return std::make_unique<VersionedWriteGenerator>(*this, connection_index);
    }
    if (kind_ == Kind::kScan) return std::make_unique<ScanGenerator>(*this, connection_index);
    return std::make_unique<PoolGenerator>(
        pool_, static_cast<std::size_t>(connection_index) * stride_, tally_);
  }

 private:
  static constexpr std::size_t kDataPool = 256;

  // Item i with one of the data strings.
  void append_item(std::string& out, std::uint64_t i, std::uint64_t data_choice) const {
    out += R"({"pk":{"S":"p)";
    out += std::to_string(i / 100);
    out += R"("},"sk":{"N":")";
    out += std::to_string(i % 100);
    out += R"("},"data":{"S":")";
    out += data_[data_choice % kDataPool];
    out += R"("}})";
  }

  // Item i as append_item writes it, plus the scenario's next "version" number.
  void append_versioned_item(std::string& out, std::uint64_t i, std::uint64_t data_choice) {
    append_item(out, i, data_choice);
    out.pop_back();  // the item's closing brace: the version goes in too
    out += R"(,"version":{"N":")";
    out += std::to_string(next_version_.fetch_add(1, std::memory_order_relaxed));
    out += R"("}})";
  }

  ResponseTally tally(unsigned status, std::string_view body) const {
    if (!is_success(status)) return ResponseTally{};
    switch (kind_) {
      case Kind::kPut:
      case Kind::kUpdate:
        return ResponseTally{1, record_size_};
      case Kind::kGet:
        return ResponseTally{body.size() > 2 ? 1u : 0u, body.size()};
      case Kind::kBatchWrite:
        return ResponseTally{kBatch, kBatch * record_size_};
      case Kind::kTransactWrite:
        return ResponseTally{transact_items_, transact_items_ * record_size_};
      case Kind::kQuery:
      case Kind::kScan:
        return ResponseTally{
            static_cast<std::uint64_t>(integer_member(body, R"("Count")").value_or(0)),
            body.size()};
    }
    return ResponseTally{};
  }

  // Batches in key order from the scenario's shared counter (connections of one thread share
  // it; the atomic covers several threads).
  class BatchWriteGenerator final : public RequestGenerator {
   public:
    explicit BatchWriteGenerator(ItemScenario& scenario) : scenario_(scenario) {}

    std::string_view next_request() override {
      const std::uint64_t batches = (scenario_.keys_ + kBatch - 1) / kBatch;
      const std::uint64_t n = scenario_.next_batch_.fetch_add(1) % batches;
      body_.clear();
      body_ += R"({"RequestItems":{")";
      body_ += scenario_.table_;
      body_ += R"(":[)";
      const std::uint64_t end = std::min<std::uint64_t>(scenario_.keys_, (n + 1) * kBatch);
      for (std::uint64_t i = n * kBatch; i < end; ++i) {
        if (i != n * kBatch) body_ += ',';
        body_ += R"({"PutRequest":{"Item":)";
        scenario_.append_versioned_item(body_, i, i * 7919);
        body_ += "}}";
      }
      body_ += "]}}";
      serialize_request(scenario_.headers_, scenario_.target_, body_, request_);
      return request_;
    }
    ResponseTally on_response(unsigned status, std::string_view body) override {
      return scenario_.tally(status, body);
    }

   private:
    ItemScenario& scenario_;
    std::string body_;
    std::string request_;
  };

  // PutItem of a random item, or TransactWriteItems of --transact-items Puts of distinct random
  // items (a transaction may not name one twice); every item carries the next "version" of the
  // scenario's shared counter, so no write of the run rewrites an item unchanged.
  class VersionedWriteGenerator final : public RequestGenerator {
   public:
    VersionedWriteGenerator(ItemScenario& scenario, int connection_index)
        : scenario_(scenario),
          transact_(scenario.kind_ == Kind::kTransactWrite),
          random_(scenario.options_.seed * 1000003 + static_cast<std::uint64_t>(connection_index)) {
    }

    std::string_view next_request() override {
      const std::uint64_t items =
          transact_ ? std::min<std::uint64_t>(scenario_.transact_items_, scenario_.keys_) : 1;
      chosen_.clear();
      while (chosen_.size() < items) {
        const std::uint64_t i = random_() % scenario_.keys_;
        if (std::find(chosen_.begin(), chosen_.end(), i) == chosen_.end()) chosen_.push_back(i);
      }
      body_.assign(transact_ ? R"({"TransactItems":[)" : "");
      for (std::size_t a = 0; a < chosen_.size(); ++a) {
        if (a != 0) body_ += ',';
        body_ += transact_ ? R"({"Put":{"TableName":")" : R"({"TableName":")";
        body_ += scenario_.table_;
        body_ += R"(","Item":)";
        scenario_.append_versioned_item(body_, chosen_[a], random_());
        body_ += transact_ ? "}}" : "}";
      }
      if (transact_) body_ += "]}";
      serialize_request(scenario_.headers_, scenario_.target_, body_, request_);
      return request_;
    }
    ResponseTally on_response(unsigned status, std::string_view body) override {
      return scenario_.tally(status, body);
    }

   private:
    ItemScenario& scenario_;
    const bool transact_;
    std::mt19937_64 random_;
    std::vector<std::uint64_t> chosen_;
    std::string body_;
    std::string request_;
  };

  // One segment of a parallel scan, page after page along LastEvaluatedKey. A failed request
  // is repeated unchanged.
  class ScanGenerator final : public RequestGenerator {
   public:
    ScanGenerator(ItemScenario& scenario, int segment) : scenario_(scenario), segment_(segment) {
      set_start_key({});
    }

    std::string_view next_request() override { return done_ ? std::string_view() : request_; }

    ResponseTally on_response(unsigned status, std::string_view body) override {
      if (!is_success(status)) return {};
      const std::size_t start = find_member_value(body, R"("LastEvaluatedKey")");
      const std::string_view key =
          start == std::string_view::npos ? std::string_view() : json_value_at(body, start);
      if (key.empty()) {
        done_ = true;
      } else {
        set_start_key(key);
      }
      return scenario_.tally(status, body);
    }

   private:
    void set_start_key(std::string_view key) {
      body_ = fmt::format(R"({{"TableName":"{}","Segment":{},"TotalSegments":{})", scenario_.table_,
                          segment_, scenario_.options_.connections);
      if (scenario_.options_.limit_given)
        body_ += fmt::format(R"(,"Limit":{})", scenario_.options_.limit);
      if (!key.empty()) {
        body_ += R"(,"ExclusiveStartKey":)";
        body_ += key;
      }
      body_ += '}';
      serialize_request(scenario_.headers_, scenario_.target_, body_, request_);
    }

    ItemScenario& scenario_;
    const int segment_;
    bool done_ = false;
    std::string body_;
    std::string request_;
  };

  const Options& options_;
  const CommonHeaders& headers_;
  std::uint64_t record_size_;
  std::uint64_t transact_items_;
  Kind kind_;
  std::string table_;
  std::uint64_t keys_;
  std::string target_;
  std::vector<std::string> data_;
  std::vector<std::string> pool_;
  PoolGenerator::Tally tally_;
  std::size_t stride_ = 1;
  std::atomic<std::uint64_t> next_batch_;
  std::atomic<std::uint64_t> next_version_{1};
};

// One request on a fresh connection, outside the run (ListShards before a drain).
std::pair<unsigned, std::string> single_request(const tcp::resolver::results_type& endpoints,
                                                const CommonHeaders& headers,
                                                std::string_view target, std::string_view body) {
  asio::io_context io_context;
  tcp::socket socket(io_context);
  asio::connect(socket, endpoints);
  asio::write(socket, asio::buffer(serialize_request(headers, target, body)));
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBodyBytes);
  http::read(socket, buffer, parser);
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  return {parser.get().result_int(), parser.get().body()};
}

// The ShardIds of a stream, from ListShards (following NextToken).
std::vector<std::string> list_shards(const tcp::resolver::results_type& endpoints,
                                     const CommonHeaders& headers, const Options& options) {
  std::vector<std::string> shard_ids;
  std::string body = fmt::format(R"({{"StreamName":"{}"}})", json_escape(options.stream));
  for (int page = 0; page < 1000; ++page) {
    const auto [status, response] =
        single_request(endpoints, headers, std::string(kKinesisPrefix) + "ListShards", body);
    if (!is_success(status)) {
      throw std::runtime_error(
          fmt::format("ListShards answered {}: {}", status, response.substr(0, 300)));
    }
    std::string_view rest = response;
    while (true) {
      const std::size_t start = find_member_value(rest, R"("ShardId")");
      if (start == std::string_view::npos || start >= rest.size() || rest[start] != '"') break;
      const std::size_t end = rest.find('"', start + 1);
      if (end == std::string_view::npos) break;
      shard_ids.emplace_back(rest.substr(start + 1, end - start - 1));
      rest.remove_prefix(end + 1);
    }
    const auto next_token = string_member(response, R"("NextToken")");
    if (!next_token) break;
    body = fmt::format(R"({{"NextToken":"{}"}})", *next_token);
  }
  return shard_ids;
}

// Every shard of a DynamoDB stream (DescribeStream, following LastEvaluatedShardId).
std::vector<std::string> describe_stream_shards(const tcp::resolver::results_type& endpoints,
                                                const CommonHeaders& headers,
                                                const Options& options) {
  std::vector<std::string> shard_ids;
  const std::string arn = fmt::format(R"("StreamArn":"{}")", json_escape(options.stream_arn));
  std::string body = "{" + arn + "}";
  for (int page = 0; page < 1000; ++page) {
    const auto [status, response] = single_request(
        endpoints, headers, std::string(kDynamoDbStreamsPrefix) + "DescribeStream", body);
    if (!is_success(status)) {
      throw std::runtime_error(
          fmt::format("DescribeStream answered {}: {}", status, response.substr(0, 300)));
    }
    std::string_view rest = response;
    while (true) {
      const std::size_t start = find_member_value(rest, R"("ShardId")");
      if (start == std::string_view::npos || start >= rest.size() || rest[start] != '"') break;
      const std::size_t end = rest.find('"', start + 1);
      if (end == std::string_view::npos) break;
      shard_ids.emplace_back(rest.substr(start + 1, end - start - 1));
      rest.remove_prefix(end + 1);
    }
    const auto last = string_member(response, R"("LastEvaluatedShardId")");
    if (!last) break;
    body = fmt::format(R"({{{},"ExclusiveStartShardId":"{}"}})", arn, *last);
  }
  return shard_ids;
}

using ScenarioFactory = std::function<std::unique_ptr<Scenario>(
    const Options&, const CommonHeaders&, const tcp::resolver::results_type&, std::string body)>;

// Every --mode value and the scenario it builds.
const std::map<std::string, ScenarioFactory>& scenario_factories() {
  static const std::map<std::string, ScenarioFactory> factories = {
      {"fixed",
       [](const Options& options, const CommonHeaders& headers, const tcp::resolver::results_type&,
          std::string body) -> std::unique_ptr<Scenario> {
         return std::make_unique<FixedScenario>(headers, options.target, body);
       }},
      {"put-record",
       [](const Options& options, const CommonHeaders& headers, const tcp::resolver::results_type&,
          std::string) -> std::unique_ptr<Scenario> {
         return std::make_unique<PutRecordScenario>(options, headers);
       }},
      {"put-records",
       [](const Options& options, const CommonHeaders& headers, const tcp::resolver::results_type&,
          std::string) -> std::unique_ptr<Scenario> {
         return std::make_unique<PutRecordsScenario>(options, headers);
       }},
      {"put-item",
       [](const Options& options, const CommonHeaders& headers, const tcp::resolver::results_type&,
          std::string) -> std::unique_ptr<Scenario> {
         return std::make_unique<ItemScenario>(options, headers, ItemScenario::Kind::kPut);
       }},
      {"get-item",
       [](const Options& options, const CommonHeaders& headers, const tcp::resolver::results_type&,
          std::string) -> std::unique_ptr<Scenario> {
         return std::make_unique<ItemScenario>(options, headers, ItemScenario::Kind::kGet);
       }},
      {"batch-write-item",
       [](const Options& options, const CommonHeaders& headers, const tcp::resolver::results_type&,
          std::string) -> std::unique_ptr<Scenario> {
         return std::make_unique<ItemScenario>(options, headers, ItemScenario::Kind::kBatchWrite);
       }},
      {"query",
       [](const Options& options, const CommonHeaders& headers, const tcp::resolver::results_type&,
          std::string) -> std::unique_ptr<Scenario> {
         return std::make_unique<ItemScenario>(options, headers, ItemScenario::Kind::kQuery);
       }},
      {"update-item",
       [](const Options& options, const CommonHeaders& headers, const tcp::resolver::results_type&,
          std::string) -> std::unique_ptr<Scenario> {
         return std::make_unique<ItemScenario>(options, headers, ItemScenario::Kind::kUpdate);
       }},
      {"transact-write-items",
       [](const Options& options, const CommonHeaders& headers, const tcp::resolver::results_type&,
          std::string) -> std::unique_ptr<Scenario> {
         return std::make_unique<ItemScenario>(options, headers,
                                               ItemScenario::Kind::kTransactWrite);
       }},
      {"scan",
       [](const Options& options, const CommonHeaders& headers, const tcp::resolver::results_type&,
          std::string) -> std::unique_ptr<Scenario> {
         return std::make_unique<ItemScenario>(options, headers, ItemScenario::Kind::kScan);
       }},
      {"get-records",
       [](const Options& options, const CommonHeaders& headers,
          const tcp::resolver::results_type& endpoints, std::string) -> std::unique_ptr<Scenario> {
         return std::make_unique<GetRecordsScenario>(options, headers,
                                                     list_shards(endpoints, headers, options));
       }},
      {"streams-get-records",
       [](const Options& options, const CommonHeaders& headers,
          const tcp::resolver::results_type& endpoints, std::string) -> std::unique_ptr<Scenario> {
         if (options.stream_arn.empty()) {
           throw std::runtime_error("streams-get-records needs --stream-arn");
         }
         return std::make_unique<GetRecordsScenario>(
             options, headers, describe_stream_shards(endpoints, headers, options),
             /*dynamodb_streams=*/true);
       }},
  };
  return factories;
}

// The X-Amz-Target a mode sends, for the report.
std::string target_of_mode(const Options& options) {
  if (options.mode == "put-record") return std::string(kKinesisPrefix) + "PutRecord";
  if (options.mode == "put-records") return std::string(kKinesisPrefix) + "PutRecords";
  if (options.mode == "get-records") return std::string(kKinesisPrefix) + "GetRecords";
  if (options.mode == "streams-get-records") {
    return std::string(kDynamoDbStreamsPrefix) + "GetRecords";
  }
  if (options.mode == "put-item") return std::string(kDynamoDbPrefix) + "PutItem";
  if (options.mode == "get-item") return std::string(kDynamoDbPrefix) + "GetItem";
  if (options.mode == "batch-write-item") return std::string(kDynamoDbPrefix) + "BatchWriteItem";
  if (options.mode == "query") return std::string(kDynamoDbPrefix) + "Query";
  if (options.mode == "update-item") return std::string(kDynamoDbPrefix) + "UpdateItem";
  if (options.mode == "scan") return std::string(kDynamoDbPrefix) + "Scan";
  if (options.mode == "transact-write-items") {
    return std::string(kDynamoDbPrefix) + "TransactWriteItems";
  }
  return options.target;
}

// ---------------------------------------------------------------------------------------------
// Latency histogram: log-linear buckets in the style of HdrHistogram. Values below 2^kSubBits are
// exact; above that every power-of-two range is split into 2^(kSubBits-1) equal buckets, so a
// reported value is within 1/64 (about 1.6 %) of the true one. Values are nanoseconds.

class LatencyHistogram {
 public:
  static constexpr int kSubBits = 7;
  static constexpr std::uint64_t kSubCount = 1ull << kSubBits;  // 128
  static constexpr std::uint64_t kHalfCount = kSubCount / 2;    // 64
  static constexpr int kMaxShift = 64 - kSubBits;
  static constexpr std::size_t kBucketCount = kSubCount + kMaxShift * kHalfCount;

  LatencyHistogram() : counts_(kBucketCount, 0) {}

  void record(std::uint64_t value) {
    ++counts_[bucket_of(value)];
    ++total_;
    sum_ += value;
    max_ = std::max(max_, value);
  }

  void merge(const LatencyHistogram& other) {
    for (std::size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
    sum_ += other.sum_;
    max_ = std::max(max_, other.max_);
  }

  std::uint64_t total() const { return total_; }
  std::uint64_t max() const { return max_; }
  double mean() const { return total_ == 0 ? 0.0 : static_cast<double>(sum_) / total_; }

  // The smallest recorded value v such that at least `quantile` of all values are <= v (reported
  // as the upper edge of v's bucket, capped at the exact maximum).
  std::uint64_t value_at_quantile(double quantile) const {
    if (total_ == 0) return 0;
    auto rank = static_cast<std::uint64_t>(quantile * static_cast<double>(total_) + 0.5);
    rank = std::clamp<std::uint64_t>(rank, 1, total_);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::min(upper_edge_of(i), max_);
    }
    return max_;
  }

 private:
  static std::size_t bucket_of(std::uint64_t value) {
    if (value < kSubCount) return static_cast<std::size_t>(value);
    const int shift = std::bit_width(value) - kSubBits;  // value >> shift lies in [64, 128)
    return static_cast<std::size_t>(kSubCount + (shift - 1) * kHalfCount +
                                    ((value >> shift) - kHalfCount));
  }

  static std::uint64_t upper_edge_of(std::size_t bucket) {
    if (bucket < kSubCount) return bucket;
    const std::uint64_t offset = bucket - kSubCount;
    const int shift = static_cast<int>(offset / kHalfCount) + 1;
    const std::uint64_t sub_bucket = kHalfCount + offset % kHalfCount;
    return ((sub_bucket + 1) << shift) - 1;
  }

  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t max_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Per-thread results, merged after the run.

struct WorkerStats {
  std::uint64_t responses = 0;  // complete responses inside the measured window
  std::uint64_t successes = 0;  // ... of which 2xx
  std::uint64_t response_body_bytes = 0;
  std::uint64_t records = 0;       // records written or read, as the scenario counts them
  std::uint64_t record_bytes = 0;  // ... and their data bytes
  std::map<unsigned, std::uint64_t> responses_by_error_status;
  std::map<unsigned, std::string> sample_error_body;
  std::map<std::string, std::uint64_t> transport_errors;  // by phase: connect, write, read
  std::uint64_t reconnects = 0;
  std::uint64_t unfinished_at_end = 0;  // requests still waiting for a response when the run ended
  std::uint64_t finished_connections = 0;  // connections that ran out of requests before the end
  Clock::time_point last_finished_at{};    // ... the last of them
  LatencyHistogram latency;

  void merge(const WorkerStats& other) {
    responses += other.responses;
    successes += other.successes;
    response_body_bytes += other.response_body_bytes;
    records += other.records;
    record_bytes += other.record_bytes;
    for (const auto& [status, count] : other.responses_by_error_status)
      responses_by_error_status[status] += count;
    for (const auto& [status, body] : other.sample_error_body)
      sample_error_body.try_emplace(status, body);
    for (const auto& [phase, count] : other.transport_errors) transport_errors[phase] += count;
    reconnects += other.reconnects;
    unfinished_at_end += other.unfinished_at_end;
    finished_connections += other.finished_connections;
    last_finished_at = std::max(last_finished_at, other.last_finished_at);
    latency.merge(other.latency);
  }
};

struct RunWindow {
  Clock::time_point measure_from;  // end of warm-up
  Clock::time_point stop_at;       // no request is sent at or after this instant
  // --total-requests: requests left to send over all connections (only if request_budget).
  bool request_budget = false;
  std::atomic<std::int64_t> requests_left{0};
};

// ---------------------------------------------------------------------------------------------
// One keep-alive connection running request after request until the deadline. Timeouts are
// enforced by its worker's watchdog (see Worker), which closes the socket of a connection whose
// pending operation has overrun; the operation then completes with an error.

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io_context, const tcp::resolver::results_type& endpoints,
             const Options& options, RunWindow& window, std::unique_ptr<RequestGenerator> generator,
             WorkerStats& stats)
      : socket_(io_context),
        retry_timer_(io_context),
        endpoints_(endpoints),
        options_(options),
        window_(window),
        generator_(std::move(generator)),
        stats_(stats) {}

  void start() {
    running_ = true;
    connect();
  }

  // False once the connection has stopped for good (the run is over).
  bool running() const { return running_; }

  // Called by the watchdog: abandons the pending operation if it has overrun its deadline, and
  // everything once the run is over (responses arriving later would not be counted anyway).
  void enforce_deadline(Clock::time_point now) {
    if (running_ && now >= window_.stop_at) {
      if (deadline_ != Clock::time_point::max()) ++stats_.unfinished_at_end;
      stop();
      retry_timer_.cancel();
      return;
    }
    if (now < deadline_) return;
    deadline_ = Clock::time_point::max();
    timed_out_ = true;
    beast::error_code ignored;
    socket_.close(ignored);
  }

 private:
  void arm_deadline() { deadline_ = Clock::now() + std::chrono::milliseconds(options_.timeout_ms); }

  void connect() {
    if (Clock::now() >= window_.stop_at) {
      stop();
      return;
    }
    arm_deadline();
    asio::async_connect(socket_, endpoints_,
                        [self = shared_from_this()](beast::error_code error, const tcp::endpoint&) {
                          self->on_connect(error);
                        });
  }

  void on_connect(beast::error_code error) {
    if (error) {
      fail("connect");
      return;
    }
    socket_.set_option(tcp::no_delay(true), error);
    send_next();
  }

  void send_next() {
    if (Clock::now() >= window_.stop_at) {
      stop();
      return;
    }
    const std::string_view request = generator_->next_request();
    if (request.empty() || !take_request_from_budget()) {
      finish();
      return;
    }
    arm_deadline();
    sent_at_ = Clock::now();
    asio::async_write(socket_, asio::buffer(request.data(), request.size()),
                      [self = shared_from_this()](beast::error_code error, std::size_t) {
                        self->on_write(error);
                      });
  }

  void on_write(beast::error_code error) {
    if (error) {
      fail("write");
      return;
    }
    parser_.emplace();
    parser_->body_limit(kMaxResponseBodyBytes);
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code read_error, std::size_t) {
                       self->on_read(read_error);
                     });
  }

  void on_read(beast::error_code error) {
    const auto received_at = Clock::now();
    if (error) {
      fail("read");
      return;
    }
    deadline_ = Clock::time_point::max();
    const auto& response = parser_->get();
    const unsigned status = response.result_int();
    const ResponseTally tally = generator_->on_response(status, response.body());
    if (sent_at_ >= window_.measure_from && received_at <= window_.stop_at) {
      record(status, response.body(), tally, received_at);
    }
    if (!response.keep_alive()) {
      reconnect_after(std::chrono::milliseconds(0));
      return;
    }
    send_next();
  }

  // False when --total-requests have all been sent (by this connection or others).
  bool take_request_from_budget() {
    return !window_.request_budget || window_.requests_left.fetch_sub(1) > 0;
  }

  // The connection has nothing more to send before the end of the run.
  void finish() {
    ++stats_.finished_connections;
    stats_.last_finished_at = std::max(stats_.last_finished_at, Clock::now());
    stop();
  }

  void record(unsigned status, const std::string& body, const ResponseTally& tally,
              Clock::time_point received_at) {
    ++stats_.responses;
    stats_.response_body_bytes += body.size();
    stats_.records += tally.records;
    stats_.record_bytes += tally.record_bytes;
    if (status >= 200 && status < 300) {
      ++stats_.successes;
    } else {
      ++stats_.responses_by_error_status[status];
      stats_.sample_error_body.try_emplace(status, body.substr(0, 300));
    }
    const auto nanoseconds =
        std::chrono::duration_cast<std::chrono::nanoseconds>(received_at - sent_at_).count();
    stats_.latency.record(static_cast<std::uint64_t>(std::max<std::int64_t>(nanoseconds, 0)));
  }

  void fail(const std::string& phase) {
    const auto now = Clock::now();
    const std::string what = timed_out_ ? phase + " timeout" : phase;
    timed_out_ = false;
    deadline_ = Clock::time_point::max();
    // Failures caused by the end of the run (operations cut off by the timeout) are not counted.
    if (now >= window_.measure_from && now < window_.stop_at) ++stats_.transport_errors[what];
    // Back off a little so a dead server does not turn into a busy loop.
    reconnect_after(std::chrono::milliseconds(10));
  }

  void reconnect_after(std::chrono::milliseconds delay) {
    close_socket();
    buffer_.clear();
    if (Clock::now() >= window_.stop_at) {
      stop();
      return;
    }
    ++stats_.reconnects;
    retry_timer_.expires_after(delay);
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code error) {
      if (!error) self->connect();
    });
  }

  void stop() {
    close_socket();
    deadline_ = Clock::time_point::max();
    running_ = false;
  }

  void close_socket() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  asio::steady_timer retry_timer_;
  const tcp::resolver::results_type& endpoints_;
  const Options& options_;
  RunWindow& window_;
  std::unique_ptr<RequestGenerator> generator_;
  WorkerStats& stats_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Clock::time_point sent_at_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool timed_out_ = false;
  bool running_ = false;
};

// One client thread: an io_context, the connections it drives, their statistics, and a watchdog
// that enforces timeouts and lets the thread finish once every connection has stopped.
class Worker {
 public:
  Worker() : io_context_(1), watchdog_(io_context_) {}

  void add_connection(const tcp::resolver::results_type& endpoints, const Options& options,
                      RunWindow& window, std::unique_ptr<RequestGenerator> generator) {
    connections_.push_back(std::make_shared<Connection>(io_context_, endpoints, options, window,
                                                        std::move(generator), stats_));
  }

  void run() {
    for (const auto& connection : connections_) connection->start();
    schedule_watchdog();
    io_context_.run();
  }

  const WorkerStats& stats() const { return stats_; }

 private:
  static constexpr std::chrono::milliseconds kWatchdogPeriod{20};

  void schedule_watchdog() {
    watchdog_.expires_after(kWatchdogPeriod);
    watchdog_.async_wait([this](beast::error_code error) {
      if (error) return;
      const auto now = Clock::now();
      bool any_running = false;
      for (const auto& connection : connections_) {
        connection->enforce_deadline(now);
        any_running = any_running || connection->running();
      }
      if (any_running) schedule_watchdog();
    });
  }

  asio::io_context io_context_;
  asio::steady_timer watchdog_;
  std::vector<std::shared_ptr<Connection>> connections_;
  WorkerStats stats_;
};

// ---------------------------------------------------------------------------------------------
// Output

double to_milliseconds(std::uint64_t nanoseconds) { return static_cast<double>(nanoseconds) / 1e6; }

struct Summary {
  double measured_seconds = 0;  // the duration, or less when every connection finished early
  bool finished_early = false;
  std::uint64_t errors = 0;
  double requests_per_second = 0;
  double successes_per_second = 0;
  double records_per_second = 0;
  double record_megabytes_per_second = 0;  // 10^6 bytes of record data per second
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0, mean_ms = 0;
};

Summary summarize(const Options& options, const WorkerStats& stats, const RunWindow& window) {
  Summary summary;
  summary.measured_seconds = options.duration_seconds;
  // Every connection ran out of requests (a drain, or --total-requests): the run lasted until the
  // last of them finished.
  if (stats.finished_connections == static_cast<std::uint64_t>(options.connections) &&
      stats.last_finished_at < window.stop_at) {
    summary.finished_early = true;
    summary.measured_seconds = std::max(
        1e-6, std::chrono::duration<double>(stats.last_finished_at - window.measure_from).count());
  }
  const double seconds = summary.measured_seconds;
  summary.errors = stats.responses - stats.successes;
  for (const auto& [phase, count] : stats.transport_errors) summary.errors += count;
  summary.requests_per_second = static_cast<double>(stats.responses) / seconds;
  summary.successes_per_second = static_cast<double>(stats.successes) / seconds;
  summary.records_per_second = static_cast<double>(stats.records) / seconds;
  summary.record_megabytes_per_second = static_cast<double>(stats.record_bytes) / 1e6 / seconds;
  summary.p50_ms = to_milliseconds(stats.latency.value_at_quantile(0.50));
  summary.p90_ms = to_milliseconds(stats.latency.value_at_quantile(0.90));
  summary.p99_ms = to_milliseconds(stats.latency.value_at_quantile(0.99));
  summary.max_ms = to_milliseconds(stats.latency.max());
  summary.mean_ms = stats.latency.mean() / 1e6;
  return summary;
}

bool counts_records(const Options& options) { return options.mode != "fixed"; }

std::string human_line(const Options& options, const WorkerStats& stats, const Summary& summary) {
  const std::string target = target_of_mode(options);
  std::string line = fmt::format(
      "{} {}:{} mode={} connections={} threads={} duration={:.1f}s warmup={:.1f}s: "
      "requests={} errors={} req/s={:.1f} latency ms p50={:.3f} p90={:.3f} p99={:.3f} "
      "max={:.3f}",
      target.empty() ? "(no target)" : target, options.host, options.port, options.mode,
      options.connections, options.threads, options.duration_seconds, options.warmup_seconds,
      stats.responses, summary.errors, summary.requests_per_second, summary.p50_ms, summary.p90_ms,
      summary.p99_ms, summary.max_ms);
  if (counts_records(options)) {
    line += fmt::format(" records={} records/s={:.1f} MB/s={:.2f}", stats.records,
                        summary.records_per_second, summary.record_megabytes_per_second);
  }
  if (summary.finished_early) {
    line += fmt::format(" (all connections finished after {:.3f}s)", summary.measured_seconds);
  }
  if (summary.errors > 0) {
    std::string detail;
    for (const auto& [status, count] : stats.responses_by_error_status)
      detail += fmt::format("{}status {}: {}", detail.empty() ? "" : ", ", status, count);
    for (const auto& [phase, count] : stats.transport_errors)
      detail += fmt::format("{}{} failures: {}", detail.empty() ? "" : ", ", phase, count);
    line += " (" + detail + ")";
  }
  // With few connections and a slow server, requests cut off by the end of the run matter.
  if (stats.unfinished_at_end * 10 > stats.responses) {
    line += fmt::format(" unfinished at end={}", stats.unfinished_at_end);
  }
  return line;
}

std::string json_report(const Options& options, const WorkerStats& stats, const Summary& summary) {
  std::string by_status;
  for (const auto& [status, count] : stats.responses_by_error_status)
    by_status += fmt::format("{}\"{}\":{}", by_status.empty() ? "" : ",", status, count);
  std::string by_phase;
  for (const auto& [phase, count] : stats.transport_errors)
    by_phase += fmt::format("{}\"{}\":{}", by_phase.empty() ? "" : ",", phase, count);
  std::string samples;
  for (const auto& [status, body] : stats.sample_error_body)
    samples +=
        fmt::format("{}\"{}\":\"{}\"", samples.empty() ? "" : ",", status, json_escape(body));
  return fmt::format(
      "{{\"target\":\"{}\",\"host\":\"{}\",\"port\":{},\"mode\":\"{}\",\"connections\":{},"
      "\"threads\":{},\"duration_s\":{},\"warmup_s\":{},\"measured_s\":{:.6f},"
      "\"finished_early\":{},\"requests\":{},\"successes\":{},"
      "\"errors\":{},\"errors_by_status\":{{{}}},\"transport_errors\":{{{}}},\"reconnects\":{},"
      "\"unfinished_at_end\":{},"
      "\"requests_per_second\":{:.1f},\"successes_per_second\":{:.1f},"
      "\"records\":{},\"record_bytes\":{},\"records_per_second\":{:.1f},"
      "\"record_megabytes_per_second\":{:.3f},"
      "\"latency_ms\":{{\"p50\":{:.3f},\"p90\":{:.3f},\"p99\":{:.3f},\"max\":{:.3f},"
      "\"mean\":{:.3f}}},\"mean_response_body_bytes\":{:.1f},\"sample_error_bodies\":{{{}}}}}",
      json_escape(target_of_mode(options)), json_escape(options.host), options.port,
      json_escape(options.mode), options.connections, options.threads, options.duration_seconds,
      options.warmup_seconds, summary.measured_seconds, summary.finished_early, stats.responses,
      stats.successes, summary.errors, by_status, by_phase, stats.reconnects,
      stats.unfinished_at_end, summary.requests_per_second, summary.successes_per_second,
      stats.records, stats.record_bytes, summary.records_per_second,
      summary.record_megabytes_per_second, summary.p50_ms, summary.p90_ms, summary.p99_ms,
      summary.max_ms, summary.mean_ms,
      stats.responses == 0 ? 0.0 : static_cast<double>(stats.response_body_bytes) / stats.responses,
      samples);
}

std::string read_whole_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read body file " + path);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

// ---------------------------------------------------------------------------------------------

int run(const Options& options) {
  std::string body = options.body_file.empty() ? options.body : read_whole_file(options.body_file);

  tcp::resolver::results_type endpoints;
  {
    asio::io_context resolver_context;
    tcp::resolver resolver(resolver_context);
    endpoints = resolver.resolve(options.host, std::to_string(options.port));
  }

  const CommonHeaders headers = make_common_headers(options);
  const auto factory = scenario_factories().find(options.mode);
  std::unique_ptr<Scenario> scenario =
      factory->second(options, headers, endpoints, std::move(body));

  const auto warmup = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.warmup_seconds));
  const auto duration = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.duration_seconds));

  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < options.threads; ++i) workers.push_back(std::make_unique<Worker>());

  RunWindow window;
  if (options.total_requests > 0) {
    window.request_budget = true;
    window.requests_left = options.total_requests;
  }
  for (int i = 0; i < options.connections; ++i) {
    workers[static_cast<std::size_t>(i % options.threads)]->add_connection(
        endpoints, options, window, scenario->make_generator(i));
  }
  const auto start = Clock::now();
  window.measure_from = start + warmup;
  window.stop_at = window.measure_from + duration;

  std::vector<std::thread> threads;
  for (auto& worker : workers) threads.emplace_back([&worker] { worker->run(); });
  for (auto& thread : threads) thread.join();

  WorkerStats total;
  for (const auto& worker : workers) total.merge(worker->stats());
  const Summary summary = summarize(options, total, window);
  const std::string line = human_line(options, total, summary);
  if (options.json_output) {
    std::cerr << line << '\n';
    std::cout << json_report(options, total, summary) << std::endl;
  } else {
    std::cout << line << std::endl;
  }
  for (const auto& [status, sample] : total.sample_error_body)
    std::cerr << fmt::format("loadgen: first response with status {}: {}\n", status, sample);
  // A run in which not a single response arrived measured nothing: report it as a failure.
  return total.responses == 0 ? 2 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"loadgen: closed-loop HTTP/1.1 keep-alive load driver for AWS JSON endpoints"};
  app.add_option("--host", options.host, "Server host name or address")->capture_default_str();
  app.add_option("--port", options.port, "Server port")->capture_default_str();
  app.add_option("--path", options.path, "Request path")->capture_default_str();
  app.add_option("--connections,-c", options.connections, "Keep-alive connections")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--threads,-t", options.threads, "Client threads driving the connections")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--duration-s,-d", options.duration_seconds,
                 "Measured duration in seconds (the most: a drain or --total-requests may end "
                 "sooner)")
      ->check(CLI::Range(0.1, kMaxDurationSeconds))
      ->capture_default_str();
  app.add_option("--warmup-s", options.warmup_seconds, "Warm-up before measuring, in seconds")
      ->check(CLI::Range(0.0, kMaxDurationSeconds))
      ->capture_default_str();
  app.add_option("--timeout-ms", options.timeout_ms, "Per-operation (connect, request) timeout")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  app.add_option("--total-requests", options.total_requests,
                 "Stop after sending this many requests over all connections (0: no limit)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 50))
      ->capture_default_str();
  std::vector<std::string> mode_names;
  for (const auto& [name, factory] : scenario_factories()) mode_names.push_back(name);
  app.add_option(
         "--mode", options.mode,
         "Scenario: fixed (--target, --body), put-record, put-records, get-records, put-item, "
         "get-item, update-item, batch-write-item, query, scan, transact-write-items, "
         "streams-get-records")
      ->check(CLI::IsMember(mode_names))
      ->capture_default_str();
  app.add_option("--target", options.target,
                 "fixed: X-Amz-Target value, e.g. Kinesis_20131202.DescribeStreamSummary");
  auto* body_option = app.add_option("--body", options.body, "fixed: request body (JSON text)")
                          ->capture_default_str();
  app.add_option("--body-file", options.body_file, "fixed: read the request body from this file")
      ->check(CLI::ExistingFile)
      ->excludes(body_option);
  app.add_option("--table", options.table,
                 "DynamoDB modes: table name (hash key pk S, range key sk N)");
  app.add_option("--keys", options.keys,
                 "DynamoDB modes: items in the key space (partitions of 100)")
      ->check(CLI::PositiveNumber);
  app.add_option("--first-key", options.first_key,
                 "batch-write-item: start at the batch holding this key (a fill in steps)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--stream", options.stream, "put-record, put-records, get-records: stream name")
      ->capture_default_str();
  app.add_option("--stream-arn", options.stream_arn,
                 "streams-get-records: the DynamoDB stream's ARN (LatestStreamArn)");
  app.add_option("--record-size", options.record_size,
                 "put-record, put-records: bytes of data per record")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  app.add_option("--batch", options.batch, "put-records: records per request")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--transact-items", options.transact_items,
                 "transact-write-items: Puts per TransactWriteItems (1-100)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  auto* limit_option =
      app.add_option(
             "--limit", options.limit,
             "get-records: Limit of each GetRecords; scan: Limit of each Scan (none if not given)")
          ->check(CLI::Range(1, 1000000))
          ->capture_default_str();
  app.add_option("--shard-iterator-type", options.shard_iterator_type,
                 "get-records: ShardIteratorType of GetShardIterator")
      ->capture_default_str();
  app.add_option("--seed", options.seed, "put-record, put-records: seed of the random data")
      ->capture_default_str();
  app.add_option("--content-type", options.content_type, "Content-Type header")
      ->capture_default_str();
  app.add_option("--access-key-id", options.access_key_id,
                 "Access key id in the credential scope (12 digits selects the account)")
      ->capture_default_str();
  app.add_option("--region", options.region, "Region in the credential scope")
      ->capture_default_str();
  app.add_option("--service", options.service, "Service in the credential scope")
      ->capture_default_str();
  app.add_flag("--json", options.json_output,
               "Print the result as one JSON object on stdout (the human line goes to stderr)");
  CLI11_PARSE(app, argc, argv);
  options.limit_given = limit_option->count() > 0;

  try {
    return run(options);
  } catch (const std::exception& error) {
    std::cerr << "loadgen: " << error.what() << '\n';
    return 1;
  }
}
