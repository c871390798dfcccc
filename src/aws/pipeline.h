// The request pipeline, in one fixed order (AWS's, as observed):
//   method -> content type -> empty body -> JSON syntax -> X-Amz-Target (service, operation)
//   -> SigV4 shape and caller -> SigV4 signature (with --auth) -> decode against the input shape
//   (SerializationException)
//   -> model validation (ValidationException) -> operation -> encode in the request's codec.
// Every response carries x-amzn-RequestId and its front end's own headers (Service::
// finish_response: Kinesis x-amz-id-2, DynamoDB x-amz-crc32). A failure of ours is
// InternalFailure 500, logged with the request id; a client mistake never gets a 500.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http.h"
#include "aws/service.h"
#include "aws/sigv4.h"
#include "util/clock.h"

namespace trib::aws {

struct PipelineOptions {
  std::string default_account = "000000000000";
  std::string default_region = "us-east-1";
  // --auth: when set, every AWS request's SigV4 signature is verified against these
  // credentials (step verify_signature, aws/sigv4.h); null: only the shape is checked.
  std::shared_ptr<const sigv4::CredentialStore> credentials;
  // How far X-Amz-Date may be from the server's clock, either way, with --auth.
  int64_t max_clock_skew_minutes = 5;
};

// What became of one request, told to the pipeline's observer (metrics, request logs) after the
// response is built. The views live only during the call.
struct RequestOutcome {
  std::string_view service;    // the X-Amz-Target prefix of a served service ("" if none)
  std::string_view operation;  // the operation, when the service serves it ("" otherwise)
  std::string_view request_id;
  std::string_view error_type;  // the error's bare name, "" on success
  int status = 0;               // HTTP status (200 for a streaming response that started)
  double seconds = 0;           // wall time spent building the response
};
using RequestObserver = std::function<void(const RequestOutcome&)>;

class Pipeline {
 public:
  Pipeline(PipelineOptions options, const Clock& clock);
  ~Pipeline();
  // Not owned. The first service added also decides which dialects a request without a
  // known X-Amz-Target may use (Kinesis: JSON 1.1 and CBOR, as AWS's Kinesis endpoint).
  void add_service(Service* service);
  // Called for every request handled, on the handling thread; set before serving.
  void set_observer(RequestObserver observer);
  HttpResponse handle(const HttpRequest& request);
  // The same for a request Tributary makes itself (the --init file's): the signature is not
  // verified even with credentials (its shape still is).
  HttpResponse handle_trusted(const HttpRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trib::aws
