#include "aws/pipeline.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>

#include "aws/auth.h"
#include "aws/codec.h"
#include "aws/request_id.h"
#include "aws/validate.h"

namespace trib::aws {

namespace {

constexpr std::string_view kJson11 = "application/x-amz-json-1.1";
constexpr std::string_view kJson10 = "application/x-amz-json-1.0";
constexpr std::string_view kPlainJson = "application/json";
constexpr std::string_view kCbor11 = "application/x-amz-cbor-1.1";

std::string xml_error(std::string_view type, std::string_view message) {
  return "<" + std::string(type) + ">\n  <Message>" + std::string(message) + "</Message>\n</" +
         std::string(type) + ">\n";
}

// The fixed CBOR documents AWS answers for an empty body sent with a non-JSON content type:
// {"__type": "<name>"} as an indefinite-length map.
std::string cbor_type_only(std::string_view type) {
  std::string out("\xbf\x66__type", 8);
  if (type.size() < 24) {
    out.push_back(static_cast<char>(0x60 + type.size()));
  } else {
    out.push_back(static_cast<char>(0x78));
    out.push_back(static_cast<char>(type.size()));
  }
  out.append(type);
  out.push_back(static_cast<char>(0xff));
  return out;
}

}  // namespace

struct Pipeline::Impl {
  PipelineOptions options;
  const Clock& clock;
  std::vector<Service*> services;
  RequestObserver observer;
  std::unique_ptr<Codec> json11 = make_json_codec(std::string(kJson11));
  std::unique_ptr<Codec> json10 = make_json_codec(std::string(kJson10));
  std::unique_ptr<Codec> plain_json = make_json_codec(std::string(kPlainJson));
  std::unique_ptr<Codec> cbor = make_cbor_codec();

  Impl(PipelineOptions o, const Clock& c) : options(std::move(o)), clock(c) {}

  Service* find_service(std::string_view prefix) const {
    for (auto* s : services) {
      if (s->target_prefix() == prefix) return s;
    }
    return nullptr;
  }

  const Codec* codec_for(std::string_view content_type) const {
    if (content_type == kJson11) return json11.get();
    if (content_type == kJson10) return json10.get();
    if (content_type == kPlainJson) return plain_json.get();
    if (content_type == kCbor11) return cbor.get();
    return nullptr;
  }

  static void send_json_error(HttpResponse& response, const Codec& codec, const AwsError& error,
                              std::string_view type) {
    response.status = error.http_status;
    response.body = codec.encode_error(error, type);
    response.set_header("Content-Type", std::string(codec.content_type()));
  }

  // Whether the operation's output is an event stream (SubscribeToShard).
  static bool has_event_stream_output(const model::Operation& operation) {
    if (!operation.output) return false;
    return std::any_of(operation.output->members.begin(), operation.output->members.end(),
                       [](const model::Member& m) { return m.shape && m.shape->is_eventstream; });
  }

  // One request on its way through the pipeline: what routing found, and the response being
  // built. Each step below either answers (returns true) or leaves the exchange to the next.
  struct Exchange {
    const HttpRequest& request;
    HttpResponse response;
    std::string request_id;
    std::string_view prefix;          // X-Amz-Target before the dot
    std::string_view operation_name;  // after it
    Service* service = nullptr;       // the target's service, when known
    // Whose front end answers: the target's service, or the first one for a request without a
    // known target (AWS's Kinesis endpoint for Kinesis's first service).
    const Service* front_end = nullptr;
    const model::Operation* operation = nullptr;  // served by `service`
    const Codec* codec = nullptr;  // the request's dialect, if its front end speaks it
    bool preflight = false;        // a CORS OPTIONS request
    bool trusted = false;          // made by Tributary itself: no signature verification
    std::string error_type;        // the bare name of the error answered, if any

    std::string render_type(const AwsError& e) const {
      if (!e.type_namespace.empty()) return e.type_namespace + "#" + e.type;
      return front_end ? front_end->error_type(e) : e.type;
    }
    void send_error(const AwsError& error) {
      error_type = error.type;
      send_json_error(response, *codec, error, render_type(error));
    }
  };

  // Step 1: the target's service and operation, the request's dialect.
  void route(Exchange& x) const {
    const HttpRequest& request = x.request;
    std::string_view content_type;
    if (auto* ct = request.header("content-type")) {
      content_type = *ct;
      content_type = content_type.substr(0, content_type.find(';'));
      while (!content_type.empty() && content_type.back() == ' ') content_type.remove_suffix(1);
      while (!content_type.empty() && content_type.front() == ' ') content_type.remove_prefix(1);
    }
    x.codec = codec_for(content_type);

    std::string_view target_header;
    if (auto* t = request.header("x-amz-target")) target_header = *t;
    const auto dot = target_header.find('.');
    x.prefix = target_header.substr(0, dot);
    x.operation_name =
        dot == std::string_view::npos ? std::string_view() : target_header.substr(dot + 1);
    x.service = x.prefix.empty() ? nullptr : find_service(x.prefix);
    x.operation = x.service && !x.operation_name.empty() && x.service->implements(x.operation_name)
                      ? x.service->model().find_operation(x.operation_name)
                      : nullptr;
    x.front_end = x.service;
    if (!x.front_end && !services.empty()) x.front_end = services.front();
    // A request's own dialect must be its service's: JSON 1.1 for Kinesis, 1.0 for DynamoDB,
    // CBOR only where the service speaks it. AWS's Kinesis endpoint treats
    // application/x-amz-json-1.0 without a target like an unknown content type (issue 9).
    if (x.front_end && x.codec && x.codec != plain_json.get()) {
      const bool speaks = x.codec == cbor.get()
                              ? x.front_end->accepts_cbor()
                              : x.codec->content_type() == x.front_end->json_content_type();
      if (!speaks) x.codec = nullptr;
    }
  }

  // Step 2: the request id, and CORS (a preflight is answered here).
  bool start_response(Exchange& x) const {
    x.request_id = x.front_end ? x.front_end->new_request_id() : new_request_id();
    x.response.set_header("x-amzn-RequestId", x.request_id);
    const std::string* origin = x.request.header("origin");
    if (!origin) return false;
    x.response.set_header("Access-Control-Allow-Origin", "*");
    if (x.request.method == "OPTIONS") {
      x.preflight = true;
      if (auto* h = x.request.header("access-control-request-headers")) {
        x.response.set_header("Access-Control-Allow-Headers", *h);
      }
      if (auto* m = x.request.header("access-control-request-method")) {
        x.response.set_header("Access-Control-Allow-Methods", *m);
      }
      x.response.set_header("Access-Control-Max-Age", "172800");
      return true;
    }
    x.response.set_header("Access-Control-Expose-Headers",
                          "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,"
                          "x-amz-crc32,x-amzn-ErrorMessage,Date");
    return false;
  }

  // Step 3: what AWS's front end answers before reading the body as a document: another
  // method, an empty body, a dialect the service does not speak, plain application/json.
  bool refuse_unreadable(Exchange& x) const {
    HttpResponse& response = x.response;
    if (x.request.method != "POST") {
      response.status = 403;
      response.body = xml_error("AccessDeniedException",
                                "Unable to determine service/operation name to be authorized");
      return true;
    }
    // An empty body: in a dialect of the service, the error in that dialect; otherwise (plain
    // application/json too) AWS's fixed CBOR documents.
    if (x.request.body.empty()) {
      const AwsError error =
          x.operation ? errors::serialization_no_message() : errors::unknown_operation();
      if (x.codec && x.codec != plain_json.get()) {
        x.send_error(error);
      } else {
        response.status = 400;
        response.set_header("Content-Type", std::string(kCbor11));
        response.body = cbor_type_only(error.type);
      }
      return true;
    }
    if (!x.codec) {
      if (x.prefix.empty() || x.operation_name.empty()) {
        response.status = 403;
        response.body = xml_error("AccessDeniedException",
                                  "Unable to determine service/operation name to be authorized");
      } else {
        response.status = 404;
        response.body = "<UnknownOperationException/>\n";
      }
      return true;
    }
    if (x.codec == plain_json.get()) {
      // Plain application/json never reaches an operation on AWS: a body that does not parse
      // is a 400 SerializationException, one that does a 404 UnknownOperationException, each
      // in a Coral envelope without a message (issue 9's recording).
      const bool parses = static_cast<bool>(x.codec->parse(x.request.body));
      Value output = Value::map();
      output.set("__type", parses ? "com.amazon.coral.service#UnknownOperationException"
                                  : "com.amazon.coral.service#SerializationException");
      Value envelope = Value::map();
      envelope.set("Output", std::move(output));
      envelope.set("Version", "1.0");
      response.status = parses ? 404 : 400;
      response.body = to_json(envelope);
      response.set_header("Content-Type", std::string(kPlainJson));
      return true;
    }
    return false;
  }

  // Step 4: body syntax, operation, caller, input shape, model constraints -> the typed input
  // and the request context; or the error, answered.
  std::optional<std::pair<Value, RequestContext>> decode(Exchange& x) const {
    auto parsed = x.codec->parse(x.request.body);
    if (!parsed) {
      x.send_error(parsed.error());
      return std::nullopt;
    }
    if (!x.operation) {
      x.send_error(errors::unknown_operation());
      return std::nullopt;
    }
    auto caller = authenticate(x.request, options.default_account, options.default_region);
    if (!caller) {
      x.send_error(caller.error());
      return std::nullopt;
    }
    if (!verify_signature(x, caller.value())) return std::nullopt;
    const JsonShapeDecoders* decoders = x.service->json_shape_decoders();
    auto input = parsed.value()->to_value(x.operation->input, decoders);
    if (!input) {
      x.send_error(input.error());
      return std::nullopt;
    }
    if (x.operation->input) {
      auto message = validate(input.value(), *x.operation->input, x.service->validation_style());
      if (message && decoders) {
        // Worded from the generic decoding, whose values the message may echo: values the
        // decoders took are Fragments, which validation passes by (json_shape_decoders.h).
        // The body is still the last one parsed on this thread, so it converts again.
        auto generic = parsed.value()->to_value(x.operation->input, nullptr);
        if (generic) {
          message = validate(generic.value(), *x.operation->input, x.service->validation_style());
        }
      }
      if (message) {
        x.send_error(errors::validation(std::move(*message)));
        return std::nullopt;
      }
    }
    const std::string* host = x.request.header("host");
    RequestContext context{caller->account, caller->region, x.request_id,
                           clock.now_ms(),  &clock,         host ? *host : std::string()};
    return std::make_pair(std::move(input.value()), std::move(context));
  }

  // Step 4a (with --auth): the SigV4 signature, verified as AWS does (aws/sigv4.h), in the
  // place AWS checks it: after the body parsed and the operation is known, before the input is
  // decoded. A key's aws_account_id makes it the caller's account.
  bool verify_signature(Exchange& x, Caller& caller) const {
    if (!options.credentials || x.trusted) return true;
    sigv4::VerifyOptions verify_options;
    verify_options.credentials = options.credentials.get();
    verify_options.service = x.service->model().signing_name();
    verify_options.default_region = options.default_region;
    verify_options.now_ms = clock.now_ms();
    verify_options.max_skew_minutes = options.max_clock_skew_minutes;
    auto verified = sigv4::verify(x.request, verify_options);
    if (!verified) {
      x.send_error(verified.error());
      return false;
    }
    if (!verified->credential->account.empty()) caller.account = verified->credential->account;
    return true;
  }

  // Step 5: the operation; its output encoded in the request's dialect, or its error.
  void invoke(Exchange& x, const Value& input, const RequestContext& context) const {
    const model::Operation& operation = *x.operation;
    if (has_event_stream_output(operation)) {
      // Errors before the stream starts are ordinary responses; on success the body is
      // produced over time (see aws/http.h StreamingBody).
      AwsResult<std::shared_ptr<StreamingBody>> body = fail(errors::internal_failure());
      try {
        body = x.service->invoke_streaming(operation, context, input, x.codec->content_type());
      } catch (const std::exception& e) {
        spdlog::error("request {} ({}) failed: {}", x.request_id, operation.name, e.what());
      }
      if (!body) return answer_failure(x, body.error());
      x.response.set_header("Content-Type", "application/vnd.amazon.eventstream");
      x.response.streaming = std::move(body.value());
      return;
    }
    AwsResult<Value> output = fail(errors::internal_failure());
    try {
      output = x.service->invoke(operation, context, input);
    } catch (const std::exception& e) {
      spdlog::error("request {} ({}) failed: {}", x.request_id, operation.name, e.what());
    }
    if (!output) return answer_failure(x, output.error());
    x.response.set_header("Content-Type", std::string(x.codec->content_type()));
    // Operations with no output members answer an empty body, as AWS does.
    const Value& out = output.value();
    if (!(out.is_map() && out.as_map().empty() && operation.output == nullptr)) {
      x.response.body = x.codec->encode(out);
    }
  }

  static void answer_failure(Exchange& x, const AwsError& error) {
    if (error.http_status >= 500) {
      spdlog::error("request {} ({}) answered {}: {}", x.request_id, x.operation->name, error.type,
                    error.message);
    }
    x.send_error(error);
  }

  HttpResponse handle(const HttpRequest& request, bool trusted) const {
    const auto started = std::chrono::steady_clock::now();
    Exchange x{request, {}, {}, {}, {}, nullptr, nullptr, nullptr, nullptr, false, trusted, {}};
    route(x);
    if (!start_response(x) && !refuse_unreadable(x)) {
      if (auto decoded = decode(x)) invoke(x, decoded->first, decoded->second);
    }
    // Step 6: the front end's own headers, over the final body (x-amz-id-2, x-amz-crc32).
    if (x.front_end && !x.preflight) x.front_end->finish_response(x.response);
    if (observer) {
      RequestOutcome outcome;
      outcome.service = x.service ? x.service->target_prefix() : std::string_view();
      outcome.operation = x.operation ? std::string_view(x.operation->name) : std::string_view();
      outcome.request_id = x.request_id;
      outcome.error_type = x.error_type;
      outcome.status = x.response.status;
      outcome.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      observer(outcome);
    }
    return std::move(x.response);
  }

  // A failure no step expected (an exception out of a step): InternalFailure, 500.
  HttpResponse internal_failure(const HttpRequest& request) const {
    HttpResponse response;
    response.status = 500;
    response.set_header("x-amzn-RequestId", new_request_id());
    response.set_header("Content-Type", std::string(kJson11));
    const AwsError error = errors::internal_failure();
    response.body = json11->encode_error(error, error.type);
    return response;
  }
};

Pipeline::Pipeline(PipelineOptions options, const Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), clock)) {}
Pipeline::~Pipeline() = default;
void Pipeline::add_service(Service* service) { impl_->services.push_back(service); }
void Pipeline::set_observer(RequestObserver observer) { impl_->observer = std::move(observer); }
HttpResponse Pipeline::handle(const HttpRequest& request) {
  try {
    return impl_->handle(request, false);
  } catch (const std::exception& e) {
    spdlog::error("unhandled error while serving a request: {}", e.what());
  }
  return impl_->internal_failure(request);
}
HttpResponse Pipeline::handle_trusted(const HttpRequest& request) {
  try {
    return impl_->handle(request, true);
  } catch (const std::exception& e) {
    spdlog::error("unhandled error while serving a request: {}", e.what());
  }
  return impl_->internal_failure(request);
}

}  // namespace trib::aws
