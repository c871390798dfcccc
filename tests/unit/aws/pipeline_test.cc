// The pipeline's content-type rules with two services on one port: a JSON 1.1 + CBOR service
// registered first (as Kinesis is) and a JSON 1.0 service (as DynamoDB will be).
#include "aws/pipeline.h"

#include <gtest/gtest.h>

#include "aws/service.h"
#include "model/model.h"

namespace trib::aws {
namespace {

class FakeService : public Service {
 public:
  FakeService(std::string prefix, std::string json_type, bool cbor)
      : prefix_(std::move(prefix)), json_type_(std::move(json_type)), cbor_(cbor) {
    model_ = model::ServiceModel::parse(R"({
      "metadata": {"targetPrefix": ")" + prefix_ +
                                        R"(", "jsonVersion": "1.0", "endpointPrefix": "svc"},
      "operations": {"Ping": {"name": "Ping", "input": {"shape": "PingInput"}}},
      "shapes": {"PingInput": {"type": "structure", "members": {}}}})");
  }
  std::string_view target_prefix() const override { return prefix_; }
  std::string_view json_content_type() const override { return json_type_; }
  bool accepts_cbor() const override { return cbor_; }
  const model::ServiceModel& model() const override { return *model_; }
  bool implements(std::string_view operation) const override { return operation == "Ping"; }
  AwsResult<Value> invoke(const model::Operation&, const RequestContext& context,
                          const Value&) override {
    last_account = context.account;
    return Value::map();
  }
  std::string last_account;
  std::string error_type(const AwsError& error) const override { return error.type; }

 private:
  std::string prefix_;
  std::string json_type_;
  bool cbor_;
  std::unique_ptr<model::ServiceModel> model_;
};

class PipelineTest : public ::testing::Test {
 protected:
  PipelineTest() : pipeline_(PipelineOptions{}, clock_) {
    pipeline_.add_service(&first_);
    pipeline_.add_service(&second_);
  }

  HttpResponse post(std::string_view content_type, std::string_view target, std::string body) {
    HttpRequest request;
    request.method = "POST";
    request.target = "/";
    request.headers = {
        {"content-type", std::string(content_type)},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/svc/aws4_request, "
         "SignedHeaders=host, Signature=abc"},
        {"x-amz-date", "20250101T000000Z"},
    };
    if (!target.empty()) request.headers.emplace_back("x-amz-target", std::string(target));
    request.body = std::move(body);
    return pipeline_.handle(request);
  }

  static std::string content_type(const HttpResponse& response) {
    for (const auto& [name, value] : response.headers) {
      if (name == "Content-Type") return value;
    }
    return "";
  }

  Clock clock_;
  FakeService first_{"First_1", "application/x-amz-json-1.1", true};
  FakeService second_{"Second_1", "application/x-amz-json-1.0", false};
  Pipeline pipeline_;
};

TEST_F(PipelineTest, EachServiceServesItsOwnJsonDialect) {
  EXPECT_EQ(post("application/x-amz-json-1.1", "First_1.Ping", "{}").status, 200);
  EXPECT_EQ(post("application/x-amz-json-1.0", "Second_1.Ping", "{}").status, 200);
}

TEST_F(PipelineTest, AnotherServicesDialectIsAnUnknownContentType) {
  const HttpResponse to_first = post("application/x-amz-json-1.0", "First_1.Ping", "{}");
  EXPECT_EQ(to_first.status, 404);
  EXPECT_EQ(to_first.body, "<UnknownOperationException/>\n");
  EXPECT_EQ(post("application/x-amz-json-1.1", "Second_1.Ping", "{}").status, 404);
  EXPECT_EQ(post("application/x-amz-cbor-1.1", "Second_1.Ping", "{}").status, 404);
}

TEST_F(PipelineTest, WithoutTargetTheFirstServicesDialectsApply) {
  const HttpResponse json10 = post("application/x-amz-json-1.0", "", "");
  EXPECT_EQ(json10.status, 400);
  EXPECT_EQ(content_type(json10), "application/x-amz-cbor-1.1");
  EXPECT_EQ(json10.body, std::string("\xbf\x66__type\x78\x19UnknownOperationException\xff"));

  const HttpResponse json11 = post("application/x-amz-json-1.1", "", "");
  EXPECT_EQ(json11.status, 400);
  EXPECT_EQ(content_type(json11), "application/x-amz-json-1.1");
}

TEST_F(PipelineTest, PlainJsonNeverReachesAnOperation) {
  const HttpResponse bad = post("application/json", "Second_1.Ping", "hello");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body, R"({"Output":{"__type":"com.amazon.coral.service#SerializationException"},)"
                      R"("Version":"1.0"})");
  const HttpResponse parsed = post("  application/json ;", "First_1.Ping", "{}");
  EXPECT_EQ(parsed.status, 404);
  EXPECT_EQ(content_type(parsed), "application/json");
  EXPECT_EQ(parsed.body,
            R"({"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},)"
            R"("Version":"1.0"})");
  const HttpResponse empty = post("application/json", "First_1.Ping", "");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(content_type(empty), "application/x-amz-cbor-1.1");
}

// --auth: the verify_signature step, the account of a key, and the trusted path of --init.
TEST(PipelineAuth, VerifiesSignaturesWhenCredentialsAreSet) {
  std::string error;
  auto store = sigv4::CredentialStore::parse(
      "[a]\naws_access_key_id = AKIDA\naws_secret_access_key = right\n"
      "aws_account_id = 111122223333\n",
      &error);
  ASSERT_TRUE(store) << error;
  PipelineOptions options;
  options.credentials = std::make_shared<const sigv4::CredentialStore>(std::move(*store));
  Clock clock;
  FakeService service{"First_1", "application/x-amz-json-1.1", true};
  Pipeline pipeline(options, clock);
  pipeline.add_service(&service);
  EXPECT_EQ(service.model().signing_name(), "svc");

  HttpRequest request;
  request.method = "POST";
  request.target = "/";
  request.headers = {{"content-type", "application/x-amz-json-1.1"},
                     {"x-amz-target", "First_1.Ping"},
                     {"host", "localhost"}};
  request.body = "{}";
  const HttpResponse unsigned_response = pipeline.handle(request);
  EXPECT_EQ(unsigned_response.status, 400);
  EXPECT_NE(unsigned_response.body.find("MissingAuthenticationTokenException"), std::string::npos);

  const auto signed_with = [&](std::string secret) {
    HttpRequest signed_request = request;
    sigv4::sign(signed_request, sigv4::Credential{"a", "AKIDA", std::move(secret), {}, {}},
                "us-east-1", "svc", sigv4::format_amz_date(clock.now_ms()),
                {"content-type", "x-amz-target"});
    return signed_request;
  };
  const HttpResponse right = pipeline.handle(signed_with("right"));
  EXPECT_EQ(right.status, 200) << right.body;
  EXPECT_EQ(service.last_account, "111122223333");

  const HttpRequest wrong_request = signed_with("wrong");
  const HttpResponse wrong = pipeline.handle(wrong_request);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("\"__type\":\"InvalidSignatureException\""), std::string::npos)
      << wrong.body;
  EXPECT_NE(wrong.body.find("The Canonical String for this request should have been"),
            std::string::npos);
  // The --init file's requests: the shape is checked, the signature is not.
  EXPECT_EQ(pipeline.handle_trusted(wrong_request).status, 200);
  EXPECT_EQ(pipeline.handle_trusted(request).status, 400);
}

}  // namespace
}  // namespace trib::aws
