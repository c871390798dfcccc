// Decoders a service attaches to shapes of its model, tried by the JSON codec before its
// generic shape-directed decoding. For documents where the generic path — a Value tree, model
// validation over it, then the service's own conversion of the tree — costs more than the rest
// of the request: DynamoDB's items (BatchWriteItem spent a fifth of its server time there,
// bench/README.md "Session 14").
//
// The contract that keeps them invisible to clients:
// - a decoder gets the JSON value of a member (or map value or list element) of its shape and
//   returns the Value the service reads for it (typically a Fragment of the service's own
//   type), or nullopt for any value it does not take, which the generic path then decodes as
//   if no decoder existed;
// - it takes only values that the generic path would decode, validate and convert without an
//   error, to the same result: so no error, and no error's text, can depend on it;
// - read as a Value (a Fragment's to_value()), what it returns equals what the generic path
//   gives, up to the order of map members: code that reads the request as a tree (DynamoDB's
//   idempotency fingerprint) must see the same request either way;
// - the Values it returns are not walked by model validation (a Fragment is not a map), which
//   is why it must only take values that pass it; and because a validation message may echo a
//   value (the legacy DynamoDB form), the pipeline decodes a request that fails validation
//   again without decoders before wording the message (pipeline.cc, decode).
// The set is built when the service is constructed and only read afterwards, from any thread.
#pragma once

#include <simdjson.h>

#include <optional>
#include <utility>
#include <vector>

#include "aws/value.h"
#include "model/model.h"

namespace trib::aws {

class JsonShapeDecoders {
 public:
  using Decode = std::optional<Value> (*)(simdjson::dom::element value);

  // `shape` must be a shape of the service's model (compared by address). A null shape (absent
  // from an older model) is ignored.
  void add(const model::Shape* shape, Decode decode) {
    if (shape) entries_.emplace_back(shape, decode);
  }
  // The decoder attached to `shape`, or null.
  Decode find(const model::Shape* shape) const {
    for (const auto& [s, decode] : entries_) {
      if (s == shape) return decode;
    }
    return nullptr;
  }

 private:
  std::vector<std::pair<const model::Shape*, Decode>> entries_;  // a handful at most
};

}  // namespace trib::aws
