// libFuzzer target for the JSON codec (application/x-amz-json-1.0 / 1.1, src/aws/json_codec.cc)
// decoding against the input shapes of the embedded models: Kinesis, DynamoDB and DynamoDB
// Streams. See README.md here for how to build and run it.
//
// Every input is parsed; a body that fails to parse must be a SerializationException without a
// message (what the pipeline answers). A body that parses is decoded against the input shape of
// every operation of the three models: it decodes or fails with a SerializationException. What
// decodes is validated against the shape (a ValidationException message or none, never a
// crash), encoded again, and must parse and decode to a value that encodes to the same bytes
// (encode -> parse -> decode -> encode is exact) and validates the same way. Error bodies
// (encode_error) must parse too.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/codec.h"
#include "aws/validate.h"
#include "model/model.h"

namespace {

using trib::aws::AwsError;
using trib::aws::Codec;

[[noreturn]] void broken(const char* what, std::string_view operation) {
  std::fprintf(stderr, "invariant broken: %s (%.*s)\n", what, static_cast<int>(operation.size()),
               operation.data());
  std::abort();
}

struct Target {
  std::unique_ptr<Codec> codec = trib::aws::make_json_codec("application/x-amz-json-1.1");
  std::vector<const trib::model::Operation*> operations;

  Target() {
    for (const char* name :
         {"kinesis-2013-12-02", "dynamodb-2012-08-10", "dynamodbstreams-2012-08-10"}) {
      for (const auto& [operation_name, operation] :
           trib::model::ServiceModel::embedded(name).operations()) {
        if (operation.input) operations.push_back(&operation);
      }
    }
  }
};

void check_error(const Target& target, const AwsError& error, std::string_view operation) {
  if (error.type != "SerializationException") broken("unexpected error type", operation);
  const std::string body = target.codec->encode_error(error, error.type);
  if (!target.codec->parse(body)) broken("error body does not parse", operation);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Target target;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto parsed = target.codec->parse(body);
  if (!parsed) {
    if (parsed.error().message_key != AwsError::MessageKey::kNone) {
      broken("parse error with a message", "parse");
    }
    check_error(target, parsed.error(), "parse");
    return 0;
  }
  for (const auto* operation : target.operations) {
    // A ParsedBody is valid until the next parse on this thread: parse again per operation
    // after a round trip below.
    auto decoded = parsed.value()->to_value(operation->input);
    if (!decoded) {
      check_error(target, decoded.error(), operation->name);
      continue;
    }
    const auto problems = trib::aws::validate(decoded.value(), *operation->input);
    if (problems && !problems->starts_with("1 validation error detected: ") &&
        !(problems->find(" validation errors detected: ") < 3)) {
      broken("validation message not in AWS's form", operation->name);
    }
    const std::string once = target.codec->encode(decoded.value());
    auto reparsed = target.codec->parse(once);
    if (!reparsed) broken("encoded value does not parse", operation->name);
    auto redecoded = reparsed.value()->to_value(operation->input);
    if (!redecoded) broken("encoded value does not decode", operation->name);
    if (target.codec->encode(redecoded.value()) != once) {
      broken("second round trip differs", operation->name);
    }
    if (trib::aws::validate(redecoded.value(), *operation->input) != problems) {
      broken("validation differs after a round trip", operation->name);
    }
    parsed = target.codec->parse(body);
    if (!parsed) broken("body no longer parses", operation->name);
  }
  return 0;
}
