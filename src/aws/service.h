// A Service is one AWS API served on the shared port (Kinesis today; DynamoDB and DynamoDB
// Streams later). The pipeline owns everything common (framing, auth, decoding, validation,
// rendering); a Service supplies its model, its operations and its error spelling.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "aws/error.h"
#include "aws/http.h"
#include "aws/request_id.h"
#include "aws/validate.h"
#include "aws/value.h"
#include "model/model.h"
#include "util/clock.h"

namespace trib::aws {

class JsonShapeDecoders;  // aws/json_shape_decoders.h

// What an operation knows about the request besides its input.
struct RequestContext {
  std::string account;
  std::string region;
  std::string request_id;
  int64_t now_ms = 0;
  // The server's clock, for work that outlives the request (a streaming response keeps time
  // with it, so --test-clock moves its periods too). May be null in unit tests.
  const Clock* clock = nullptr;
  // The Host header the request arrived with (HTTP/2: :authority), empty when absent.
  std::string host;
};

class Service {
 public:
  virtual ~Service() = default;
  // "Kinesis_20131202"
  virtual std::string_view target_prefix() const = 0;
  // "application/x-amz-json-1.1"
  virtual std::string_view json_content_type() const = 0;
  // Whether the service also speaks application/x-amz-cbor-1.1 (Kinesis does; DynamoDB not).
  virtual bool accepts_cbor() const { return false; }
  virtual const model::ServiceModel& model() const = 0;
  // Whether an operation of the model is served (unsupported ones are UnknownOperation).
  virtual bool implements(std::string_view operation) const = 0;
  virtual AwsResult<Value> invoke(const model::Operation& operation, const RequestContext& context,
                                  const Value& input) = 0;
  // Operations whose output is an event stream (the model marks the output member
  // "eventstream"; Kinesis SubscribeToShard): either an error, answered like any other, or the
  // producer of an application/vnd.amazon.eventstream body. Documents inside the events are
  // encoded in the request's dialect, `content_type` ("application/x-amz-json-1.1" or
  // "application/x-amz-cbor-1.1").
  virtual AwsResult<std::shared_ptr<StreamingBody>> invoke_streaming(
      const model::Operation& operation, const RequestContext& context, const Value& input,
      std::string_view content_type) {
    return fail(errors::unknown_operation());
  }
  // Decoders for particular shapes of the model, tried by the JSON codec before its generic
  // decoding (json_shape_decoders.h); null when none.
  virtual const JsonShapeDecoders* json_shape_decoders() const { return nullptr; }
  // The member order AWS uses in validation messages, where observed (may be null).
  virtual const ValidationStyle* validation_style() const { return nullptr; }
  // The `__type` string for an error (Kinesis: the bare name; DynamoDB: namespaced).
  virtual std::string error_type(const AwsError& error) const = 0;
  // The x-amzn-RequestId of a response this service's front end answers.
  virtual std::string new_request_id() const { return aws::new_request_id(); }
  // Adds the front end's own headers once the response is final (its body included):
  // Kinesis x-amz-id-2, DynamoDB and DynamoDB Streams x-amz-crc32.
  virtual void finish_response(HttpResponse& response) const {}

  // Background work of the service, driven by the one clock (state transitions, retention,
  // purges). The server calls it from the service's own lifecycle thread about every
  // lifecycle_period_ms(); it must not block for long.
  virtual void run_lifecycle(int64_t now_ms) {}
  virtual int64_t lifecycle_period_ms() const { return 100; }
  // Called once when the server stops, before the transport does: end long-lived responses
  // (event streams) cleanly while their connections still exist.
  virtual void stop() {}
};

}  // namespace trib::aws
