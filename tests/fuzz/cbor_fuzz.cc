// libFuzzer target for the CBOR codec (application/x-amz-cbor-1.1). See README.md here
// for how to build and run it.
//
// Every input is parsed; a body that parses is decoded against the input shape of every
// Kinesis operation (and of a small model with the shape types Kinesis lacks), and each decoded
// Value is encoded again and must survive a second round trip byte for byte (encode, parse, decode,
// encode). Errors are rendered as CBOR error bodies, which must parse too. Anything else than a
// clean result or a SerializationException is a crash (sanitizers) or an abort (broken invariant).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/codec.h"
#include "model/model.h"

namespace {

using trib::aws::AwsError;
using trib::aws::Codec;

[[noreturn]] void broken(const char* what, std::string_view operation) {
  std::fprintf(stderr, "invariant broken: %s (%.*s)\n", what, static_cast<int>(operation.size()),
               operation.data());
  std::abort();
}

// Kinesis has no double or float members: this small model adds them (and a recursive
// structure) so the fuzzer reaches those paths too.
constexpr std::string_view kEverythingModel = R"({
  "metadata": {"targetPrefix": "Fuzz", "jsonVersion": "1.1"},
  "operations": {"Everything": {"name": "Everything", "input": {"shape": "Everything"}}},
  "shapes": {
    "Everything": {"type": "structure", "members": {
      "S": {"shape": "Text"}, "I": {"shape": "Count"}, "L": {"shape": "Big"},
      "B": {"shape": "Flag"}, "Y": {"shape": "Bytes"}, "T": {"shape": "When"},
      "D": {"shape": "Ratio"}, "F": {"shape": "Small"}, "A": {"shape": "Items"},
      "M": {"shape": "Labels"}, "N": {"shape": "Everything"}}},
    "Text": {"type": "string"}, "Count": {"type": "integer"}, "Big": {"type": "long"},
    "Flag": {"type": "boolean"}, "Bytes": {"type": "blob"}, "When": {"type": "timestamp"},
    "Ratio": {"type": "double"}, "Small": {"type": "float"},
    "Items": {"type": "list", "member": {"shape": "Everything"}},
    "Labels": {"type": "map", "key": {"shape": "Text"}, "value": {"shape": "Ratio"}}}})";

struct Target {
  std::unique_ptr<Codec> codec = trib::aws::make_cbor_codec();
  std::unique_ptr<trib::model::ServiceModel> everything =
      trib::model::ServiceModel::parse(kEverythingModel);
  std::vector<const trib::model::Operation*> operations;

  Target() {
    const auto& kinesis = trib::model::ServiceModel::embedded("kinesis-2013-12-02");
    for (const auto* model :
         {&kinesis, static_cast<const trib::model::ServiceModel*>(everything.get())}) {
      for (const auto& [name, operation] : model->operations()) {
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
    auto decoded = parsed.value()->to_value(operation->input);
    if (!decoded) {
      check_error(target, decoded.error(), operation->name);
      continue;
    }
    const std::string once = target.codec->encode(decoded.value());
    auto reparsed = target.codec->parse(once);
    if (!reparsed) broken("encoded value does not parse", operation->name);
    auto redecoded = reparsed.value()->to_value(operation->input);
    if (!redecoded) broken("encoded value does not decode", operation->name);
    if (target.codec->encode(redecoded.value()) != once) {
      broken("second round trip differs", operation->name);
    }
  }
  return 0;
}
