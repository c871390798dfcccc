// libFuzzer target for the CBOR codec (application/x-amz-cbor-1.1). See README.md here
// for how to build and run it.
//
// Every input is parsed; a body that parses is decoded against the input shape of every
// Kinesis operation (and of a small model with the shape types Kinesis lacks), and each decoded
// Value is encoded again and must survive a second round trip byte for byte (encode, parse, decode,
// encode). Errors are rendered as CBOR error bodies, which must parse too. Anything else than a
// clean result or a SerializationException is a crash (sanitizers) or an abort (broken invariant).
// The check is the one json_fuzz.cc makes too (codec_round_trip.h).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "aws/codec.h"
#include "codec_round_trip.h"
#include "model/model.h"

namespace {

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
  std::unique_ptr<trib::aws::Codec> codec = trib::aws::make_cbor_codec();
  std::unique_ptr<trib::model::ServiceModel> everything =
      trib::model::ServiceModel::parse(kEverythingModel);
  trib::fuzz::CodecRoundTrip check{*codec, {}, nullptr, false};

  Target() {
    trib::fuzz::add_operations_with_input(trib::model::ServiceModel::embedded("kinesis-2013-12-02"),
                                          check.operations);
    trib::fuzz::add_operations_with_input(*everything, check.operations);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Target target;
  target.check.run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
