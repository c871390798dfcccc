// The check the codec targets share (cbor_fuzz.cc, json_fuzz.cc): a body either parses or is a
// SerializationException without a message; a body that parses is decoded against the input
// shape of every operation given, and either decodes or fails with a SerializationException;
// what decodes is encoded again and must parse and decode to a value that encodes to the same
// bytes (encode -> parse -> decode -> encode is exact). Error bodies (encode_error) must parse
// too. A target may add a judgement of each decoded value (JSON: its validation message), which
// must be the same after the round trip. A broken invariant aborts with a message naming it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/codec.h"
#include "model/model.h"

namespace trib::fuzz {

[[noreturn]] inline void broken(const char* what, std::string_view operation) {
  std::fprintf(stderr, "invariant broken: %s (%.*s)\n", what, static_cast<int>(operation.size()),
               operation.data());
  std::abort();
}

struct CodecRoundTrip {
  const aws::Codec& codec;
  std::vector<const model::Operation*> operations;  // those with an input shape
  // What a target says about a decoded value (nullopt: nothing); must not change in the round
  // trip. May be empty.
  std::function<std::optional<std::string>(const aws::Value&, const model::Operation&)> judge;
  // The codec's ParsedBody is valid only until its next parse on this thread (the JSON codec):
  // parse the body again before each operation after the first.
  bool parse_invalidates_body = false;

  void check_error(const aws::AwsError& error, std::string_view operation) const {
    if (error.type != "SerializationException") broken("unexpected error type", operation);
    const std::string body = codec.encode_error(error, error.type);
    if (!codec.parse(body)) broken("error body does not parse", operation);
  }

  void run(std::string_view body) const {
    auto parsed = codec.parse(body);
    if (!parsed) {
      if (parsed.error().message_key != aws::AwsError::MessageKey::kNone) {
        broken("parse error with a message", "parse");
      }
      check_error(parsed.error(), "parse");
      return;
    }
    for (const model::Operation* operation : operations) {
      // Every operation but the first follows a parse (an error body or a round trip).
      if (parse_invalidates_body && operation != operations.front()) {
        parsed = codec.parse(body);
        if (!parsed) broken("body no longer parses", operation->name);
      }
      auto decoded = parsed.value()->to_value(operation->input);
      if (!decoded) {
        check_error(decoded.error(), operation->name);
        continue;
      }
      std::optional<std::string> judgement;
      if (judge) judgement = judge(decoded.value(), *operation);
      const std::string once = codec.encode(decoded.value());
      auto reparsed = codec.parse(once);
      if (!reparsed) broken("encoded value does not parse", operation->name);
      auto redecoded = reparsed.value()->to_value(operation->input);
      if (!redecoded) broken("encoded value does not decode", operation->name);
      if (codec.encode(redecoded.value()) != once) {
        broken("second round trip differs", operation->name);
      }
      if (judge && judge(redecoded.value(), *operation) != judgement) {
        broken("judgement differs after a round trip", operation->name);
      }
    }
  }
};

// The operations of `model` that have an input shape, appended to `out`.
inline void add_operations_with_input(const model::ServiceModel& model,
                                      std::vector<const model::Operation*>& out) {
  for (const auto& [name, operation] : model.operations()) {
    if (operation.input) out.push_back(&operation);
  }
}

}  // namespace trib::fuzz
