#include "server/init_file.h"

#include <simdjson.h>
#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "aws/codec.h"
#include "aws/value.h"
#include "model/pattern.h"

namespace trib::server {

namespace {

// ---- reading the file ---------------------------------------------------------------------

struct FileError {
  std::string message;
};

class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  std::string where(const YAML::Node& node) const {
    return file_ + ":" + std::to_string(node.Mark().line + 1);
  }
  [[noreturn]] void fail(const YAML::Node& node, const std::string& problem) const {
    throw FileError{where(node) + ": " + problem};
  }

  // A YAML node as a JSON document: quoted scalars are strings, plain ones that read as JSON
  // numbers, true/false or null are those.
  aws::Value to_value(const YAML::Node& node) const {
    if (node.IsMap()) {
      aws::Value out = aws::Value::map();
      for (const auto& member : node) out.set(member.first.Scalar(), to_value(member.second));
      return out;
    }
    if (node.IsSequence()) {
      aws::Value out = aws::Value::list();
      for (const auto& element : node) out.push(to_value(element));
      return out;
    }
    if (node.IsNull()) return aws::Value();
    const std::string& text = node.Scalar();
    if (node.Tag() == "!") return aws::Value(text);  // quoted
    // model::Pattern, not std::regex: its recursion per character overflowed on long values.
    static const model::Pattern integer(R"(-?(0|[1-9][0-9]{0,17}))");
    static const model::Pattern number(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)");
    if (integer.matches(text)) return aws::Value(static_cast<int64_t>(std::stoll(text)));
    if (number.matches(text)) {
      // Out of a double's range (1e400, or 1e-400, which underflows to zero): kept as the text,
      // which the member's check then refuses by name, where std::stod's exception ended the
      // process (a subnormal such as 1e-320, which std::stod refused too, now reads as itself).
      double value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error == std::errc() && end == text.data() + text.size()) return aws::Value(value);
      return aws::Value(text);
    }
    if (text == "true") return aws::Value(true);
    if (text == "false") return aws::Value(false);
    return aws::Value(text);
  }

  std::string string_member(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, what + " must be a string");
    return node.Scalar();
  }
  // A non-empty string.
  std::string name_member(const YAML::Node& node, const std::string& what) const {
    std::string name = string_member(node, what);
    if (name.empty()) fail(node, what + " must not be empty");
    return name;
  }
  int64_t integer_member(const YAML::Node& node, const std::string& what) const {
    const aws::Value value = node.IsScalar() ? to_value(node) : aws::Value();
    if (value.kind() != aws::Value::Kind::kInteger) fail(node, what + " must be an integer");
    return value.as_int();
  }

  // An entry's kind, line, name (the member `name_member`, required), account and region.
  InitEntry start_entry(const YAML::Node& entry, InitEntry::Kind kind,
                        const std::string& name_member, const std::string& what) const {
    InitEntry out;
    out.kind = kind;
    out.where = where(entry);
    if (!entry[name_member]) fail(entry, what + " needs a \"" + name_member + "\"");
    out.name = string_member(entry[name_member], name_member);
    read_location(entry, out);
    return out;
  }

  void read_location(const YAML::Node& entry, InitEntry& out) const {
    if (auto region = entry["region"]) out.region = string_member(region, "region");
    if (auto account = entry["account"]) {
      out.account = string_member(account, "account");
      if (out.account.size() != 12 ||
          out.account.find_first_not_of("0123456789") != std::string::npos) {
        fail(account, "account must be 12 digits (quote it in YAML: \"000000000000\")");
      }
    }
  }

  InitEntry read_stream(const YAML::Node& entry) const {
    static const std::set<std::string> known = {
        "name", "shard_count", "mode", "retention_hours", "consumers", "tags", "region", "account"};
    if (!entry.IsMap()) fail(entry, "a stream must be a map with at least \"name\"");
    for (const auto& member : entry) {
      const std::string key = member.first.Scalar();
      if (!known.count(key)) {
        fail(member.first, "unknown stream member \"" + key +
                               "\" (expected name, shard_count, mode, retention_hours, consumers, "
                               "tags, region, account)");
      }
    }
    InitEntry out = start_entry(entry, InitEntry::Kind::kStream, "name", "a stream");
    aws::Value create = aws::Value::map();
    create.set("StreamName", out.name);
    std::string mode = "PROVISIONED";
    if (auto node = entry["mode"]) {
      mode = string_member(node, "mode");
      if (mode != "PROVISIONED" && mode != "ON_DEMAND") {
        fail(node, "mode must be PROVISIONED or ON_DEMAND");
      }
    }
    if (auto node = entry["shard_count"]) {
      if (mode == "ON_DEMAND") fail(node, "an ON_DEMAND stream takes no shard_count");
      create.set("ShardCount", integer_member(node, "shard_count"));
    } else if (mode == "PROVISIONED") {
      fail(entry, "stream \"" + out.name + "\" needs shard_count (or mode: ON_DEMAND)");
    }
    aws::Value mode_details = aws::Value::map();
    mode_details.set("StreamMode", mode);
    create.set("StreamModeDetails", std::move(mode_details));
    out.create_body = aws::to_json(create);
    if (auto node = entry["retention_hours"]) {
      out.retention_hours = integer_member(node, "retention_hours");
    }
    if (auto node = entry["consumers"]) {
      if (!node.IsSequence()) fail(node, "consumers must be a list of names");
      for (const auto& consumer : node) {
        out.consumers.push_back(string_member(consumer, "a consumer name"));
      }
    }
    if (auto node = entry["tags"]) {
      if (!node.IsMap()) fail(node, "tags must be a map of names to values");
      aws::Value tags = aws::Value::map();
      for (const auto& tag : node) {
        tags.set(tag.first.Scalar(), string_member(tag.second, "a tag value"));
      }
      out.tags_json = aws::to_json(tags);
    }
    return out;
  }

  InitEntry read_table(const YAML::Node& entry) const {
    if (!entry.IsMap()) fail(entry, "a table must be a map of CreateTable members");
    InitEntry out = start_entry(entry, InitEntry::Kind::kTable, "TableName", "a table");
    aws::Value create = aws::Value::map();
    for (const auto& member : entry) {
      const std::string key = member.first.Scalar();
      if (key == "region" || key == "account") continue;
      if (key == "TimeToLiveAttribute") {
        out.ttl_attribute = name_member(member.second, key + " (an attribute name)");
      } else if (key == "KinesisStreamingDestination") {
        out.kinesis_destination = name_member(member.second, key + " (a stream name)");
        out.kinesis_destination_where = where(member.second);
      } else {
        create.set(key, to_value(member.second));
      }
    }
    out.create_body = aws::to_json(create);
    return out;
  }

  InitPlan read(const YAML::Node& root) const {
    InitPlan plan;
    plan.file = file_;
    if (root.IsNull()) return plan;  // an empty file asks for nothing
    if (!root.IsMap()) fail(root, "expected a map with \"streams\" and/or \"tables\"");
    for (const auto& member : root) {
      const std::string key = member.first.Scalar();
      const YAML::Node& list = member.second;
      if (key != "streams" && key != "tables") {
        fail(member.first, "unknown top-level member \"" + key + "\" (expected streams, tables)");
      }
      if (list.IsNull()) continue;
      if (!list.IsSequence()) fail(list, key + " must be a list");
      for (const auto& entry : list) {
        plan.entries.push_back(key == "streams" ? read_stream(entry) : read_table(entry));
      }
    }
    std::stable_partition(plan.entries.begin(), plan.entries.end(),
                          [](const InitEntry& e) { return e.kind == InitEntry::Kind::kStream; });
    return plan;
  }

 private:
  const std::string& file_;
};

// ---- applying it --------------------------------------------------------------------------

constexpr auto kActiveTimeout = std::chrono::seconds(120);

struct Answer {
  int status = 0;
  std::string error_type;  // bare name, "" on success
  std::string message;
  simdjson::dom::element document;
};

class Applier {
 public:
  Applier(const InitHandler& handle, const InitEntry& entry) : handle_(handle), entry_(entry) {}

  Answer call(std::string_view service, std::string_view operation, const std::string& body) {
    aws::HttpRequest request;
    request.method = "POST";
    request.target = "/";
    const bool kinesis = service == "kinesis";
    request.headers.emplace_back(
        "content-type", kinesis ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0");
    request.headers.emplace_back(
        "x-amz-target",
        std::string(kinesis ? "Kinesis_20131202." : "DynamoDB_20120810.") + std::string(operation));
    // The caller is the entry's account and region, or the server's defaults (a key id that is
    // not 12 digits and an empty scope region select them).
    const std::string key_id = entry_.account.empty() ? "tributary-init" : entry_.account;
    request.headers.emplace_back(
        "authorization", "AWS4-HMAC-SHA256 Credential=" + key_id + "/20260101/" + entry_.region +
                             "/" + std::string(service) +
                             "/aws4_request, SignedHeaders=host, Signature=init");
    request.headers.emplace_back("x-amz-date", "20260101T000000Z");
    request.headers.emplace_back("host", "localhost");
    request.body = body;
    aws::HttpResponse response = handle_(request);
    Answer answer;
    answer.status = response.status;
    body_ = std::move(response.body);
    if (parser_.parse(body_).get(answer.document)) return answer;
    std::string_view type;
    if (!answer.document["__type"].get(type)) {
      answer.error_type = std::string(type.substr(type.find('#') + 1));
    }
    std::string_view message;
    if (!answer.document["message"].get(message) || !answer.document["Message"].get(message)) {
      answer.message = std::string(message);
    }
    return answer;
  }

  // "ErrorType: message" of a failed answer.
  static std::string describe_failure(const Answer& answer) {
    return (answer.error_type.empty() ? "HTTP " + std::to_string(answer.status)
                                      : answer.error_type) +
           (answer.message.empty() ? "" : ": " + answer.message);
  }

  // Fails unless the answer succeeded (or is the tolerated "already exists").
  void expect(const Answer& answer, std::string_view operation,
              std::string_view tolerated = std::string_view()) const {
    if (answer.status == 200) return;
    if (!tolerated.empty() && answer.error_type == tolerated) return;
    throw FileError{entry_.where + ": " + std::string(operation) + " " + entry_.name + ": " +
                    describe_failure(answer)};
  }

  // Polls a Describe call until `status_of` says ACTIVE.
  template <typename StatusOf>
  void wait_active(std::string_view service, std::string_view operation, const std::string& body,
                   StatusOf status_of) {
    const auto deadline = std::chrono::steady_clock::now() + kActiveTimeout;
    while (true) {
      Answer answer = call(service, operation, body);
      expect(answer, operation);
      if (status_of(answer.document) == "ACTIVE") return;
      if (std::chrono::steady_clock::now() > deadline) {
        throw FileError{entry_.where + ": " + entry_.name + " did not become ACTIVE"};
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  void apply_stream() {
    const std::string name_body = aws::to_json(aws::Value::map().set("StreamName", entry_.name));
    expect(call("kinesis", "CreateStream", entry_.create_body), "CreateStream",
           "ResourceInUseException");
    int64_t retention = 0;
    std::string arn;
    auto summary = [&](simdjson::dom::element document) {
      auto s = document["StreamDescriptionSummary"];
      std::string_view status, stream_arn;
      if (s["StreamStatus"].get(status) || s["StreamARN"].get(stream_arn) ||
          s["RetentionPeriodHours"].get(retention)) {
        return std::string_view();
      }
      arn = std::string(stream_arn);
      return status;
    };
    wait_active("kinesis", "DescribeStreamSummary", name_body, summary);
    if (entry_.retention_hours != 0 && entry_.retention_hours != retention) {
      const char* operation = entry_.retention_hours > retention ? "IncreaseStreamRetentionPeriod"
                                                                 : "DecreaseStreamRetentionPeriod";
      aws::Value body = aws::Value::map();
      body.set("StreamName", entry_.name).set("RetentionPeriodHours", entry_.retention_hours);
      expect(call("kinesis", operation, aws::to_json(body)), operation);
      wait_active("kinesis", "DescribeStreamSummary", name_body, summary);
    }
    if (!entry_.tags_json.empty()) {
      const std::string body = "{\"StreamName\":" + aws::to_json(aws::Value(entry_.name)) +
                               ",\"Tags\":" + entry_.tags_json + "}";
      expect(call("kinesis", "AddTagsToStream", body), "AddTagsToStream");
    }
    for (const auto& consumer : entry_.consumers) {
      aws::Value body = aws::Value::map();
      body.set("StreamARN", arn).set("ConsumerName", consumer);
      expect(call("kinesis", "RegisterStreamConsumer", aws::to_json(body)),
             "RegisterStreamConsumer", "ResourceInUseException");
    }
  }

  void apply_table() {
    const std::string name_body = aws::to_json(aws::Value::map().set("TableName", entry_.name));
    expect(call("dynamodb", "CreateTable", entry_.create_body), "CreateTable",
           "ResourceInUseException");
    wait_active("dynamodb", "DescribeTable", name_body, [](simdjson::dom::element document) {
      std::string_view status;
      return document["Table"]["TableStatus"].get(status) ? std::string_view() : status;
    });
    if (!entry_.ttl_attribute.empty()) {
      Answer current = call("dynamodb", "DescribeTimeToLive", name_body);
      expect(current, "DescribeTimeToLive");
      std::string_view status, attribute;
      auto description = current.document["TimeToLiveDescription"];
      const bool enabled = !description["TimeToLiveStatus"].get(status) &&
                           !description["AttributeName"].get(attribute) &&
                           (status == "ENABLED" || status == "ENABLING") &&
                           attribute == entry_.ttl_attribute;
      if (!enabled) {
        aws::Value specification = aws::Value::map();
        specification.set("AttributeName", entry_.ttl_attribute).set("Enabled", true);
        aws::Value body = aws::Value::map();
        body.set("TableName", entry_.name).set("TimeToLiveSpecification", std::move(specification));
        expect(call("dynamodb", "UpdateTimeToLive", aws::to_json(body)), "UpdateTimeToLive");
      }
    }
    if (!entry_.kinesis_destination.empty()) apply_kinesis_destination(name_body);
  }

  // Enables the Kinesis streaming destination unless it is already ACTIVE, and waits until it
  // is ACTIVE: only then are the table's changes delivered (KinesisDestination::captures_at).
  void apply_kinesis_destination(const std::string& table_body) {
    const std::string& where = entry_.kinesis_destination_where;
    const std::string stream_body =
        aws::to_json(aws::Value::map().set("StreamName", entry_.kinesis_destination));
    Answer stream = call("kinesis", "DescribeStreamSummary", stream_body);
    if (stream.status != 200) {
      throw FileError{where + ": KinesisStreamingDestination " + entry_.kinesis_destination +
                      " of table " + entry_.name + ": " + describe_failure(stream)};
    }
    std::string arn;
    wait_active("kinesis", "DescribeStreamSummary", stream_body,
                [&](simdjson::dom::element document) {
                  auto summary = document["StreamDescriptionSummary"];
                  std::string_view status, stream_arn;
                  if (summary["StreamStatus"].get(status) || summary["StreamARN"].get(stream_arn)) {
                    return std::string_view();
                  }
                  arn = std::string(stream_arn);
                  return status;
                });
    bool enabled = false;
    const auto deadline = std::chrono::steady_clock::now() + kActiveTimeout;
    while (true) {
      Answer current = call("dynamodb", "DescribeKinesisStreamingDestination", table_body);
      expect(current, "DescribeKinesisStreamingDestination");
      std::string_view status = "DISABLED", description;
      simdjson::dom::array destinations;
      if (!current.document["KinesisDataStreamDestinations"].get(destinations)) {
        for (auto destination : destinations) {
          std::string_view destination_arn;
          if (!destination["StreamArn"].get(destination_arn) && destination_arn == arn) {
            if (destination["DestinationStatus"].get(status)) status = "DISABLED";
            if (destination["DestinationStatusDescription"].get(description)) description = {};
          }
        }
      }
      if (status == "ACTIVE" || status == "UPDATING") return;  // UPDATING delivers too
      if (status == "ENABLE_FAILED" && enabled) {
        throw FileError{where + ": EnableKinesisStreamingDestination " + entry_.name + " to " +
                        entry_.kinesis_destination +
                        ": ENABLE_FAILED: " + std::string(description)};
      }
      if ((status == "DISABLED" || status == "ENABLE_FAILED") && !enabled) {
        aws::Value body = aws::Value::map();
        body.set("TableName", entry_.name).set("StreamArn", arn);
        Answer answer = call("dynamodb", "EnableKinesisStreamingDestination", aws::to_json(body));
        if (answer.status != 200) {
          throw FileError{where + ": EnableKinesisStreamingDestination " + entry_.name + " to " +
                          entry_.kinesis_destination + ": " + describe_failure(answer)};
        }
        enabled = true;
        continue;
      }
      // ENABLING or DISABLING: wait for it to settle.
      if (std::chrono::steady_clock::now() > deadline) {
        throw FileError{where + ": the Kinesis streaming destination of " + entry_.name +
                        " did not become ACTIVE"};
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

 private:
  const InitHandler& handle_;
  const InitEntry& entry_;
  simdjson::dom::parser parser_;
  std::string body_;  // the last answer's body (parser_ refers to it)
};

}  // namespace

std::optional<InitPlan> parse_init_text(std::string_view text, const std::string& file,
                                        std::string* error) {
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    return Reader(file).read(root);
  } catch (const YAML::Exception& e) {
    *error = file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg;
  } catch (const FileError& e) {
    *error = e.message;
  }
  return std::nullopt;
}

std::optional<InitPlan> load_init_file(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot read the init file";
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse_init_text(text.str(), path, error);
}

bool apply_init_plan(const InitPlan& plan, const InitHandler& handle, std::string* error) {
  try {
    for (const auto& entry : plan.entries) {
      Applier applier(handle, entry);
      if (entry.kind == InitEntry::Kind::kStream) {
        applier.apply_stream();
      } else {
        applier.apply_table();
      }
      spdlog::info("init: {} {} ready ({})",
                   entry.kind == InitEntry::Kind::kStream ? "stream" : "table", entry.name,
                   entry.where);
    }
  } catch (const FileError& e) {
    *error = e.message;
    return false;
  }
  return true;
}

}  // namespace trib::server
