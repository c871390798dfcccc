// The codec seam: how a request body becomes a Value and a Value becomes a response body.
// JSON (application/x-amz-json-1.0 / 1.1) lives in json_codec.cc; CBOR
// (application/x-amz-cbor-1.1) plugs in here in a later issue.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "aws/error.h"
#include "aws/value.h"
#include "model/model.h"

namespace trib::aws {

class JsonShapeDecoders;  // aws/json_shape_decoders.h

// A body that parsed as a document but has not been checked against a shape yet. The
// pipeline parses first (syntax errors come before operation and auth checks, as on AWS)
// and converts later. Valid only on the thread that parsed it, until its next parse.
class ParsedBody {
 public:
  virtual ~ParsedBody() = default;
  // Converts the document against the input shape: SerializationException on a wrong type.
  // `decoders` (may be null): the service's decoders for particular shapes; the JSON codec
  // tries them first (json_shape_decoders.h), others ignore them.
  virtual AwsResult<Value> to_value(const model::Shape* input_shape,
                                    const JsonShapeDecoders* decoders) = 0;
  AwsResult<Value> to_value(const model::Shape* input_shape) {
    return to_value(input_shape, nullptr);
  }
};

class Codec {
 public:
  virtual ~Codec() = default;
  virtual std::string_view content_type() const = 0;
  // nullptr-free: an unparseable body is a SerializationException without message.
  virtual AwsResult<std::unique_ptr<ParsedBody>> parse(std::string_view body) const = 0;
  virtual std::string encode(const Value& document) const = 0;
  // `type` is the already-rendered `__type` string.
  virtual std::string encode_error(const AwsError& error, std::string_view type) const = 0;
};

// content_type is echoed in responses ("application/x-amz-json-1.1" or "...-1.0").
std::unique_ptr<Codec> make_json_codec(std::string content_type);

// application/x-amz-cbor-1.1 (the AWS SDK for Java and the KCL): see cbor_codec.cc.
std::unique_ptr<Codec> make_cbor_codec();

// A base64 text as a Blob value, or AWS's SerializationException text for why it is not one
// (shared by the JSON codec and by CBOR text strings given for blobs).
AwsResult<Value> blob_from_base64(std::string_view text);

// Appends `s` as a JSON string literal (quotes, escapes of '"', '\\' and control characters),
// exactly as the JSON codec writes strings; for Fragment::write_json.
void append_json_string(std::string& out, std::string_view s);

// Encodes a document as JSON text (timestamps as epoch seconds with a millisecond fraction,
// blobs as base64, absent members never written).
std::string to_json(const Value& document);

}  // namespace trib::aws
