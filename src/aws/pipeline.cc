#include "aws/pipeline.h"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>

#include "aws/auth.h"
#include "aws/codec.h"
#include "aws/validate.h"
#include "util/base64.h"

namespace trib::aws {

namespace {

constexpr std::string_view kJson11 = "application/x-amz-json-1.1";
constexpr std::string_view kJson10 = "application/x-amz-json-1.0";
constexpr std::string_view kPlainJson = "application/json";
constexpr std::string_view kCbor11 = "application/x-amz-cbor-1.1";

// Request ids and x-amz-id-2 only need to be unique, not secret: a per-thread generator
// seeded once from the system's secure source keeps OpenSSL off the per-request path.
std::string random_bytes(size_t n) {
  thread_local std::mt19937_64 generator = [] {
    uint64_t seed = 0;
    RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed);
    return std::mt19937_64(seed);
  }();
  std::string out(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    const uint64_t word = generator();
    std::memcpy(out.data() + i, &word, std::min<size_t>(8, n - i));
  }
  return out;
}

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

std::string new_request_id() {
  std::string bytes = random_bytes(16);
  auto* b = reinterpret_cast<unsigned char*>(bytes.data());
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

struct Pipeline::Impl {
  PipelineOptions options;
  const Clock& clock;
  std::vector<Service*> services;
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

  // An event-stream operation: errors before the stream starts are ordinary responses; on
  // success the body is produced over time (see aws/http.h StreamingBody).
  template <class RenderType>
  static HttpResponse handle_streaming(Service& service, const model::Operation& operation,
                                       const RequestContext& context, const Value& input,
                                       const Codec& codec, HttpResponse response,
                                       const RenderType& render_type) {
    AwsResult<std::shared_ptr<StreamingBody>> body = fail(errors::internal_failure());
    try {
      body = service.invoke_streaming(operation, context, input, codec.content_type());
    } catch (const std::exception& e) {
      spdlog::error("request {} ({}) failed: {}", context.request_id, operation.name, e.what());
    }
    if (!body) {
      if (body.error().http_status >= 500) {
        spdlog::error("request {} ({}) answered {}: {}", context.request_id, operation.name,
                      body.error().type, body.error().message);
      }
      send_json_error(response, codec, body.error(), render_type(body.error()));
      return response;
    }
    response.set_header("Content-Type", "application/vnd.amazon.eventstream");
    response.streaming = std::move(body.value());
    return response;
  }

  HttpResponse handle(const HttpRequest& request) {
    HttpResponse response;
    const std::string request_id = new_request_id();
    response.set_header("x-amzn-RequestId", request_id);

    const std::string* origin = request.header("origin");
    if (request.method != "OPTIONS" || !origin) {
      response.set_header("x-amz-id-2", base64::encode(random_bytes(72)));
    }
    if (origin) {
      response.set_header("Access-Control-Allow-Origin", "*");
      if (request.method == "OPTIONS") {
        if (auto* h = request.header("access-control-request-headers")) {
          response.set_header("Access-Control-Allow-Headers", *h);
        }
        if (auto* m = request.header("access-control-request-method")) {
          response.set_header("Access-Control-Allow-Methods", *m);
        }
        response.set_header("Access-Control-Max-Age", "172800");
        return response;
      }
      response.set_header("Access-Control-Expose-Headers",
                          "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,"
                          "x-amzn-ErrorMessage,Date");
    }

    if (request.method != "POST") {
      response.status = 403;
      response.body = xml_error("AccessDeniedException",
                                "Unable to determine service/operation name to be authorized");
      return response;
    }

    std::string_view content_type;
    if (auto* ct = request.header("content-type")) {
      content_type = *ct;
      content_type = content_type.substr(0, content_type.find(';'));
      while (!content_type.empty() && content_type.back() == ' ') content_type.remove_suffix(1);
      while (!content_type.empty() && content_type.front() == ' ') content_type.remove_prefix(1);
    }
    const Codec* codec = codec_for(content_type);

    std::string_view target_header;
    if (auto* t = request.header("x-amz-target")) target_header = *t;
    const auto dot = target_header.find('.');
    const std::string_view prefix = target_header.substr(0, dot);
    const std::string_view operation_name =
        dot == std::string_view::npos ? std::string_view() : target_header.substr(dot + 1);
    Service* service = prefix.empty() ? nullptr : find_service(prefix);
    const model::Operation* operation =
        service && !operation_name.empty() && service->implements(operation_name)
            ? service->model().find_operation(operation_name)
            : nullptr;
    // A request's own dialect must be its service's: JSON 1.1 for Kinesis, 1.0 for DynamoDB,
    // CBOR only where the service speaks it. A request without a known target is answered as
    // the first service's (Kinesis's) front end answers it: AWS's Kinesis endpoint treats
    // application/x-amz-json-1.0 without a target like an unknown content type (issue 9).
    const Service* dialect_owner = service;
    if (!dialect_owner && !services.empty()) dialect_owner = services.front();
    if (dialect_owner && codec && codec != plain_json.get()) {
      const bool speaks = codec == cbor.get()
                              ? dialect_owner->accepts_cbor()
                              : codec->content_type() == dialect_owner->json_content_type();
      if (!speaks) codec = nullptr;
    }
    auto render_type = [&](const AwsError& e) {
      if (!e.type_namespace.empty()) return e.type_namespace + "#" + e.type;
      return service ? service->error_type(e) : e.type;
    };

    // An empty body: in a dialect of the service, the error in that dialect; otherwise (plain
    // application/json too) AWS's fixed CBOR documents.
    if (request.body.empty()) {
      const AwsError error =
          operation ? errors::serialization_no_message() : errors::unknown_operation();
      if (codec && codec != plain_json.get()) {
        send_json_error(response, *codec, error, render_type(error));
      } else {
        response.status = 400;
        response.set_header("Content-Type", std::string(kCbor11));
        response.body = cbor_type_only(error.type);
      }
      return response;
    }

    if (!codec) {
      if (prefix.empty() || operation_name.empty()) {
        response.status = 403;
        response.body = xml_error("AccessDeniedException",
                                  "Unable to determine service/operation name to be authorized");
      } else {
        response.status = 404;
        response.body = "<UnknownOperationException/>\n";
      }
      return response;
    }

    auto parsed = codec->parse(request.body);
    if (codec == plain_json.get()) {
      // Plain application/json never reaches an operation on AWS: a body that does not parse
      // is a 400 SerializationException, one that does a 404 UnknownOperationException, each
      // in a Coral envelope without a message (issue 9's recording).
      Value output = Value::map();
      output.set("__type", parsed ? "com.amazon.coral.service#UnknownOperationException"
                                  : "com.amazon.coral.service#SerializationException");
      Value envelope = Value::map();
      envelope.set("Output", std::move(output));
      envelope.set("Version", "1.0");
      response.status = parsed ? 404 : 400;
      response.body = to_json(envelope);
      response.set_header("Content-Type", std::string(kPlainJson));
      return response;
    }
    if (!parsed) {
      send_json_error(response, *codec, parsed.error(), render_type(parsed.error()));
      return response;
    }
    if (!operation) {
      const AwsError error = errors::unknown_operation();
      send_json_error(response, *codec, error, render_type(error));
      return response;
    }

    auto caller = authenticate(request, options.default_account, options.default_region);
    if (!caller) {
      send_json_error(response, *codec, caller.error(), render_type(caller.error()));
      return response;
    }

    auto input = parsed.value()->to_value(operation->input);
    if (!input) {
      send_json_error(response, *codec, input.error(), render_type(input.error()));
      return response;
    }
    if (operation->input) {
      if (auto message = validate(input.value(), *operation->input, service->validation_style())) {
        const AwsError error = errors::validation(std::move(*message));
        send_json_error(response, *codec, error, render_type(error));
        return response;
      }
    }

    const std::string* host = request.header("host");
    RequestContext context{caller->account, caller->region, request_id, clock.now_ms(), &clock,
                           host ? *host : std::string()};
    if (has_event_stream_output(*operation)) {
      return handle_streaming(*service, *operation, context, input.value(), *codec,
                              std::move(response), render_type);
    }
    AwsResult<Value> output = fail(errors::internal_failure());
    try {
      output = service->invoke(*operation, context, input.value());
    } catch (const std::exception& e) {
      spdlog::error("request {} ({}) failed: {}", request_id, operation->name, e.what());
    }
    if (!output) {
      if (output.error().http_status >= 500) {
        spdlog::error("request {} ({}) answered {}: {}", request_id, operation->name,
                      output.error().type, output.error().message);
      }
      send_json_error(response, *codec, output.error(), render_type(output.error()));
      return response;
    }
    response.set_header("Content-Type", std::string(codec->content_type()));
    // Operations with no output members answer an empty body, as AWS does.
    const Value& out = output.value();
    if (!(out.is_map() && out.as_map().empty() && operation->output == nullptr)) {
      response.body = codec->encode(out);
    }
    return response;
  }
};

Pipeline::Pipeline(PipelineOptions options, const Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), clock)) {}
Pipeline::~Pipeline() = default;
void Pipeline::add_service(Service* service) { impl_->services.push_back(service); }
HttpResponse Pipeline::handle(const HttpRequest& request) { return impl_->handle(request); }

}  // namespace trib::aws
