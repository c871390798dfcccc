// libFuzzer target for the JSON codec (application/x-amz-json-1.0 / 1.1, src/aws/json_codec.cc)
// decoding against the input shapes of the embedded models: Kinesis, DynamoDB and DynamoDB
// Streams, with the round-trip check it shares with cbor_fuzz.cc (codec_round_trip.h). See
// README.md here for how to build and run it.
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
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "aws/codec.h"
#include "aws/validate.h"
#include "codec_round_trip.h"
#include "model/model.h"

namespace {

// A validation message in AWS's form, or none.
std::optional<std::string> validation_message(const trib::aws::Value& value,
                                              const trib::model::Operation& operation) {
  auto problems = trib::aws::validate(value, *operation.input);
  if (problems && !problems->starts_with("1 validation error detected: ") &&
      !(problems->find(" validation errors detected: ") < 3)) {
    trib::fuzz::broken("validation message not in AWS's form", operation.name);
  }
  return problems;
}

struct Target {
  std::unique_ptr<trib::aws::Codec> codec =
      trib::aws::make_json_codec("application/x-amz-json-1.1");
  trib::fuzz::CodecRoundTrip check{*codec, {}, &validation_message, true};

  Target() {
    for (const char* name :
         {"kinesis-2013-12-02", "dynamodb-2012-08-10", "dynamodbstreams-2012-08-10"}) {
      trib::fuzz::add_operations_with_input(trib::model::ServiceModel::embedded(name),
                                            check.operations);
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Target target;
  target.check.run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
