// SigV4 verification (src/aws/sigv4.h): AWS's published Signature Version 4 test suite
// (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html; the requests and their
// expected signatures, credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
// us-east-1, service "service", 20150830T123600Z), then the error answers.
#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <cctype>

#include "aws/auth.h"
#include "util/ascii.h"

namespace trib::aws::sigv4 {
namespace {

constexpr std::string_view kKeyId = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kSuiteDate = "20150830T123600Z";
constexpr std::string_view kSuiteToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSP"
    "fIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7W"
    "Z0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
    "scqKmlzm8FDr"
    "ypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

CredentialStore store_with(std::string_view token = {}, std::string_view account = {}) {
  std::string text = "[default]\naws_access_key_id = " + std::string(kKeyId) +
                     "\naws_secret_access_key = " + std::string(kSecret) + "\n";
  if (!token.empty()) text += "aws_session_token = " + std::string(token) + "\n";
  if (!account.empty()) text += "aws_account_id = " + std::string(account) + "\n";
  std::string error;
  auto store = CredentialStore::parse(text, &error);
  EXPECT_TRUE(store) << error;
  return std::move(*store);
}

struct SuiteCase {
  const char* name;
  const char* method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // besides host and x-amz-date
  const char* body;
  const char* signed_headers;
  const char* signature;
  bool with_token;
};

HttpRequest suite_request(const SuiteCase& c) {
  HttpRequest request;
  request.method = c.method;
  request.target = c.target;
  request.headers = {{"host", "example.amazonaws.com"}, {"x-amz-date", std::string(kSuiteDate)}};
  for (const auto& header : c.headers) request.headers.push_back(header);
  request.body = c.body;
  request.headers.emplace_back(
      "authorization",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=" +
          std::string(c.signed_headers) + ", Signature=" + c.signature);
  return request;
}

VerifyOptions suite_options(const CredentialStore& store) {
  VerifyOptions options;
  options.credentials = &store;
  options.service = "service";
  options.default_region = "us-east-1";
  options.now_ms = *parse_amz_date(kSuiteDate);
  return options;
}

const std::vector<SuiteCase>& suite() {
  static const std::vector<SuiteCase> cases = {
      {"get-vanilla",
       "GET",
       "/",
       {},
       "",
       "host;x-amz-date",
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
       false},
      {"get-relative-relative",
       "GET",
       "/example1/example2/../..",
       {},
       "",
       "host;x-amz-date",
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
       false},
      {"get-slash-dot-slash",
       "GET",
       "/./",
       {},
       "",
       "host;x-amz-date",
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
       false},
      {"get-slashes",
       "GET",
       "//example//",
       {},
       "",
       "host;x-amz-date",
       "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84",
       false},
      {"get-space",
       "GET",
       "/example space/",
       {},
       "",
       "host;x-amz-date",
       "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741",
       false},
      {"get-utf8",
       "GET",
       "/\xE1\x88\xB4",
       {},
       "",
       "host;x-amz-date",
       "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85",
       false},
      {"get-vanilla-query-order-key",
       "GET",
       "/?Param1=value2&Param1=Value1",
       {},
       "",
       "host;x-amz-date",
       "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1",
       false},
      {"get-vanilla-query-unreserved",
       "GET",
       "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
       "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
       {},
       "",
       "host;x-amz-date",
       "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
       false},
      {"get-vanilla-utf8-query",
       "GET",
       "/?\xE1\x88\xB4=bar",
       {},
       "",
       "host;x-amz-date",
       "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
       false},
      {"get-header-key-duplicate",
       "GET",
       "/",
       {{"my-header1", "value2"}, {"my-header1", "value2"}, {"my-header1", "value1"}},
       "",
       "host;my-header1;x-amz-date",
       "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
       false},
      {"get-header-value-trim",
       "GET",
       "/",
       {{"my-header1", " value1"}, {"my-header2", " \"a   b   c\""}},
       "",
       "host;my-header1;my-header2;x-amz-date",
       "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
       false},
      {"post-vanilla",
       "POST",
       "/",
       {},
       "",
       "host;x-amz-date",
       "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
       false},
      {"post-header-value-case",
       "POST",
       "/",
       {{"my-header1", "VALUE1"}},
       "",
       "host;my-header1;x-amz-date",
       "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d",
       false},
      {"post-x-www-form-urlencoded",
       "POST",
       "/",
       {{"content-type", "application/x-www-form-urlencoded"}},
       "Param1=value1",
       "content-type;host;x-amz-date",
       "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
       false},
      {"post-x-www-form-urlencoded-parameters",
       "POST",
       "/",
       {{"content-type", "application/x-www-form-urlencoded; charset=utf8"}},
       "Param1=value1",
       "content-type;host;x-amz-date",
       "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe",
       false},
      {"post-sts-header-before",
       "POST",
       "/",
       {{"x-amz-security-token", std::string(kSuiteToken)}},
       "",
       "host;x-amz-date;x-amz-security-token",
       "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
       true},
      // The token sent but not signed (it is still checked against the key's).
      {"post-sts-header-after",
       "POST",
       "/",
       {{"x-amz-security-token", std::string(kSuiteToken)}},
       "",
       "host;x-amz-date",
       "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
       true},
  };
  return cases;
}

TEST(SigV4Suite, CanonicalRequestOfGetVanilla) {
  HttpRequest request = suite_request(suite()[0]);
  const std::string creq =
      canonical_request(request, SigningInput{"GET",
                                              "/",
                                              "host;x-amz-date",
                                              sha256_hex(""),
                                              kSuiteDate,
                                              "20150830/us-east-1/service/aws4_request",
                                              {}});
  // get-vanilla.creq and get-vanilla.sts of the suite.
  EXPECT_EQ(creq,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(string_to_sign(kSuiteDate, "20150830/us-east-1/service/aws4_request", creq),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
}

TEST(SigV4Suite, EveryVectorVerifies) {
  const CredentialStore plain = store_with();
  const CredentialStore temporary = store_with(kSuiteToken);
  for (const auto& c : suite()) {
    SCOPED_TRACE(c.name);
    const HttpRequest request = suite_request(c);
    auto verified = verify(request, suite_options(c.with_token ? temporary : plain));
    ASSERT_TRUE(verified.ok()) << verified.error().type << ": " << verified.error().message;
    EXPECT_EQ(verified->region, "us-east-1");
    EXPECT_EQ(verified->credential->access_key_id, kKeyId);
  }
}

TEST(SigV4Suite, SignProducesTheSuiteSignature) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/";
  request.headers = {{"host", "example.amazonaws.com"}};
  Credential credential{"default", std::string(kKeyId), std::string(kSecret), {}, {}};
  sign(request, credential, "us-east-1", "service", kSuiteDate);
  EXPECT_EQ(*request.header("authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST(SigV4Suite, AnyChangeToASignedPartFails) {
  const CredentialStore plain = store_with();
  const SuiteCase& form = suite()[13];  // post-x-www-form-urlencoded
  ASSERT_STREQ(form.name, "post-x-www-form-urlencoded");
  const auto expect_mismatch = [&](HttpRequest request) {
    auto verified = verify(request, suite_options(plain));
    ASSERT_FALSE(verified.ok());
    EXPECT_EQ(verified.error().type, "InvalidSignatureException");
    EXPECT_EQ(verified.error().http_status, 400);
  };
  HttpRequest body = suite_request(form);
  body.body = "Param1=value2";
  expect_mismatch(body);
  HttpRequest header = suite_request(form);
  header.headers[2].second = "application/json";
  expect_mismatch(header);
  HttpRequest path = suite_request(form);
  path.target = "/x";
  expect_mismatch(path);
  HttpRequest method = suite_request(form);
  method.method = "PUT";
  expect_mismatch(method);
  HttpRequest signature_case = suite_request(form);
  std::string& authorization = signature_case.headers.back().second;
  authorization.back() = authorization.back() == 'a' ? 'b' : 'a';
  expect_mismatch(signature_case);
  HttpRequest short_signature = suite_request(form);
  short_signature.headers.back().second.pop_back();
  expect_mismatch(short_signature);
  // An unsigned header may change.
  HttpRequest unsigned_header = suite_request(form);
  unsigned_header.headers.emplace_back("user-agent", "anything");
  EXPECT_TRUE(verify(unsigned_header, suite_options(plain)).ok());
}

// --- Errors, in AWS's words --------------------------------------------------------------

constexpr int64_t kNow = 1'700'000'000'000;  // 20231114T221320Z

HttpRequest signed_kinesis_request(std::string_view secret = kSecret,
                                   std::string_view region = "us-east-1",
                                   std::string_view service = "kinesis", int64_t signed_at = kNow) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/";
  request.headers = {{"host", "127.0.0.1:4567"},
                     {"content-type", "application/x-amz-json-1.1"},
                     {"x-amz-target", "Kinesis_20131202.ListStreams"}};
  request.body = "{}";
  Credential credential{"default", std::string(kKeyId), std::string(secret), {}, {}};
  sign(request, credential, region, service, format_amz_date(signed_at),
       {"content-type", "x-amz-target"});
  return request;
}

VerifyOptions kinesis_options(const CredentialStore& store) {
  VerifyOptions options;
  options.credentials = &store;
  options.service = "kinesis";
  options.default_region = "us-east-1";
  options.now_ms = kNow;
  return options;
}

AwsError error_of(const HttpRequest& request, const VerifyOptions& options) {
  auto verified = verify(request, options);
  EXPECT_FALSE(verified.ok());
  return verified ? AwsError{} : verified.error();
}

TEST(SigV4Verify, RightKeyPassesAndGivesTheAccount) {
  const CredentialStore store = store_with({}, "123456789012");
  auto verified = verify(signed_kinesis_request(), kinesis_options(store));
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(verified->credential->account, "123456789012");
}

TEST(SigV4Verify, WrongSecretNamesTheCanonicalRequest) {
  const CredentialStore store = store_with();
  const AwsError e = error_of(signed_kinesis_request("wrong-secret"), kinesis_options(store));
  EXPECT_EQ(e.type, "InvalidSignatureException");
  EXPECT_EQ(e.http_status, 400);
  const std::string expected_creq =
      "POST\n/\n\ncontent-type:application/x-amz-json-1.1\nhost:127.0.0.1:4567\n"
      "x-amz-date:20231114T221320Z\nx-amz-target:Kinesis_20131202.ListStreams\n\n"
      "content-type;host;x-amz-date;x-amz-target\n" +
      sha256_hex("{}");
  EXPECT_EQ(e.message,
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.\n\nThe Canonical String for this request should have "
            "been\n'" +
                expected_creq +
                "'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20231114T221320Z\n"
                "20231114/us-east-1/kinesis/aws4_request\n" +
                sha256_hex(expected_creq) + "'\n");
}

TEST(SigV4Verify, UnknownKeyIsUnrecognizedClient) {
  std::string error;
  auto store =
      CredentialStore::parse("[x]\naws_access_key_id=OTHER\naws_secret_access_key=s\n", &error);
  ASSERT_TRUE(store) << error;
  const AwsError e = error_of(signed_kinesis_request(), kinesis_options(*store));
  EXPECT_EQ(e.type, "UnrecognizedClientException");
  EXPECT_EQ(e.message, "The security token included in the request is invalid.");
  EXPECT_EQ(e.http_status, 400);
}

TEST(SigV4Verify, ScopeErrors) {
  const CredentialStore store = store_with();
  EXPECT_EQ(
      error_of(signed_kinesis_request(kSecret, "us-east-1", "dynamodb"), kinesis_options(store))
          .message,
      "Credential should be scoped to correct service: 'kinesis'. ");
  EXPECT_EQ(error_of(signed_kinesis_request(kSecret, "moon-1"), kinesis_options(store)).message,
            "Credential should be scoped to a valid region, not 'moon-1'. ");
  // Every AWS region is served, and the server's own --region even when it is not one.
  for (const char* region : {"eu-west-1", "us-gov-west-1", "cn-north-1", "ap-southeast-5"}) {
    EXPECT_TRUE(verify(signed_kinesis_request(kSecret, region), kinesis_options(store)).ok())
        << region;
  }
  VerifyOptions local = kinesis_options(store);
  local.default_region = "local";
  EXPECT_TRUE(verify(signed_kinesis_request(kSecret, "local"), local).ok());

  HttpRequest terminator = signed_kinesis_request();
  std::string& authorization = terminator.headers.back().second;
  authorization.replace(authorization.find("aws4_request"), 12, "aws5_request");
  EXPECT_EQ(error_of(terminator, kinesis_options(store)).message,
            "Credential should be scoped with a valid terminator: 'aws4_request', not "
            "'aws5_request'. ");

  HttpRequest date = signed_kinesis_request();
  std::string& date_authorization = date.headers.back().second;
  date_authorization.replace(date_authorization.find("20231114"), 8, "20231113");
  EXPECT_EQ(error_of(date, kinesis_options(store)).message,
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
            "HTTP: '20231113' != '20231114', from '20231114T221320Z'.");

  HttpRequest elements = signed_kinesis_request();
  std::string& elements_authorization = elements.headers.back().second;
  elements_authorization.replace(elements_authorization.find("/aws4_request"), 13, "");
  const AwsError four = error_of(elements, kinesis_options(store));
  EXPECT_EQ(four.type, "IncompleteSignatureException");
  EXPECT_EQ(four.message,
            "Credential must have exactly 5 slash-delimited elements, e.g. "
            "keyid/date/region/service/term, got 'AKIDEXAMPLE/20231114/us-east-1/kinesis'");
}

// The JavaScript SDK over HTTP/2 signs ":authority" instead of host (the transport hands the
// pseudo-header over as "host").
TEST(SigV4Verify, Http2AuthoritySignedInsteadOfHost) {
  const CredentialStore store = store_with();
  HttpRequest request;
  request.method = "POST";
  request.target = "/";
  request.headers = {{"content-type", "application/x-amz-json-1.1"},
                     {"host", "127.0.0.1:4567"},
                     {"x-amz-date", format_amz_date(kNow)}};
  request.body = "{}";
  const std::string timestamp = format_amz_date(kNow);
  const std::string scope = timestamp.substr(0, 8) + "/us-east-1/kinesis/aws4_request";
  const std::string signed_headers = ":authority;content-type;x-amz-date";
  const std::string creq = canonical_request(
      request, SigningInput{"POST", "/", signed_headers, sha256_hex("{}"), timestamp, scope, {}});
  EXPECT_NE(creq.find("\n:authority:127.0.0.1:4567\n"), std::string::npos) << creq;
  request.headers.emplace_back(
      "authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + scope +
                           ", SignedHeaders=" + signed_headers + ", Signature=" +
                           signature(kSecret, timestamp.substr(0, 8), "us-east-1", "kinesis",
                                     string_to_sign(timestamp, scope, creq)));
  EXPECT_TRUE(verify(request, kinesis_options(store)).ok());
}

TEST(SigV4Verify, HostMustBeSigned) {
  const CredentialStore store = store_with();
  HttpRequest request = signed_kinesis_request();
  std::string& authorization = request.headers.back().second;
  authorization.replace(authorization.find("host;"), 5, "");
  const AwsError e = error_of(request, kinesis_options(store));
  EXPECT_EQ(e.type, "IncompleteSignatureException");
  EXPECT_EQ(e.message, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
}

TEST(SigV4Verify, ClockSkewInAwsWords) {
  // The recorded texts (Kinesis, 5 minutes).
  EXPECT_EQ(clock_skew_message("20151120T200815Z", *parse_amz_date("20151120T202346Z"), 5),
            "Signature expired: 20151120T200815Z is now earlier than 20151120T201846Z "
            "(20151120T202346Z - 5 min.)");
  EXPECT_EQ(clock_skew_message("20181017T093750Z", *parse_amz_date("20181017T093139Z"), 5),
            "Signature not yet current: 20181017T093750Z is still later than 20181017T093639Z "
            "(20181017T093139Z + 5 min.)");
  EXPECT_EQ(clock_skew_message("20181017T093639Z", *parse_amz_date("20181017T093139Z"), 5), "");
  EXPECT_EQ(clock_skew_message("20181017T092639Z", *parse_amz_date("20181017T093139Z"), 5), "");

  const CredentialStore store = store_with();
  const AwsError old =
      error_of(signed_kinesis_request(kSecret, "us-east-1", "kinesis", kNow - 301'000),
               kinesis_options(store));
  EXPECT_EQ(old.type, "InvalidSignatureException");
  EXPECT_EQ(old.message,
            "Signature expired: 20231114T220819Z is now earlier than 20231114T220820Z "
            "(20231114T221320Z - 5 min.)");
  EXPECT_TRUE(verify(signed_kinesis_request(kSecret, "us-east-1", "kinesis", kNow - 299'000),
                     kinesis_options(store))
                  .ok());
  VerifyOptions fifteen = kinesis_options(store);
  fifteen.max_skew_minutes = 15;
  EXPECT_TRUE(
      verify(signed_kinesis_request(kSecret, "us-east-1", "kinesis", kNow + 600'000), fifteen)
          .ok());
}

TEST(SigV4Verify, SessionTokens) {
  const CredentialStore temporary = store_with("the-token");
  const CredentialStore permanent = store_with();
  // Missing, wrong, or present for a key without one: the token is invalid.
  EXPECT_EQ(error_of(signed_kinesis_request(), kinesis_options(temporary)).type,
            "UnrecognizedClientException");
  HttpRequest wrong = signed_kinesis_request();
  wrong.headers.emplace_back("x-amz-security-token", "the-tokeN");
  EXPECT_EQ(error_of(wrong, kinesis_options(temporary)).type, "UnrecognizedClientException");
  EXPECT_EQ(error_of(wrong, kinesis_options(permanent)).type, "UnrecognizedClientException");

  HttpRequest right;
  right.method = "POST";
  right.target = "/";
  right.headers = {{"host", "localhost"}};
  right.body = "{}";
  sign(right, Credential{"t", std::string(kKeyId), std::string(kSecret), "the-token", {}},
       "us-east-1", "kinesis", format_amz_date(kNow));
  EXPECT_TRUE(verify(right, kinesis_options(temporary)).ok());
}

TEST(SigV4Verify, UnsignedPayloadAndContentHash) {
  const CredentialStore store = store_with();
  // UNSIGNED-PAYLOAD (x-amz-content-sha256): the body is not covered.
  HttpRequest request;
  request.method = "POST";
  request.target = "/";
  request.headers = {{"host", "localhost"}, {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}};
  request.body = "{}";
  HttpRequest unsigned_payload = request;
  {
    const std::string timestamp = format_amz_date(kNow);
    const std::string scope = timestamp.substr(0, 8) + "/us-east-1/kinesis/aws4_request";
    unsigned_payload.headers.emplace_back("x-amz-date", timestamp);
    const std::string signed_headers = "host;x-amz-content-sha256;x-amz-date";
    const std::string creq = canonical_request(
        unsigned_payload,
        SigningInput{"POST", "/", signed_headers, kUnsignedPayload, timestamp, scope, {}});
    unsigned_payload.headers.emplace_back(
        "authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + scope +
                             ", SignedHeaders=" + signed_headers + ", Signature=" +
                             signature(kSecret, timestamp.substr(0, 8), "us-east-1", "kinesis",
                                       string_to_sign(timestamp, scope, creq)));
  }
  EXPECT_TRUE(verify(unsigned_payload, kinesis_options(store)).ok());
  unsigned_payload.body = "{\"Limit\": 1}";
  EXPECT_TRUE(verify(unsigned_payload, kinesis_options(store)).ok());

  // A claimed hash is not trusted: signed over a hash that is not the body's (as botocore signs
  // the x-amz-content-sha256 value it is given), it fails.
  HttpRequest claimed = request;
  const std::string claimed_hash = sha256_hex("something else");
  claimed.headers[1].second = claimed_hash;
  {
    const std::string timestamp = format_amz_date(kNow);
    const std::string scope = timestamp.substr(0, 8) + "/us-east-1/kinesis/aws4_request";
    claimed.headers.emplace_back("x-amz-date", timestamp);
    const std::string signed_headers = "host;x-amz-content-sha256;x-amz-date";
    const std::string creq = canonical_request(
        claimed, SigningInput{"POST", "/", signed_headers, claimed_hash, timestamp, scope, {}});
    claimed.headers.emplace_back(
        "authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + scope +
                             ", SignedHeaders=" + signed_headers + ", Signature=" +
                             signature(kSecret, timestamp.substr(0, 8), "us-east-1", "kinesis",
                                       string_to_sign(timestamp, scope, creq)));
  }
  EXPECT_EQ(error_of(claimed, kinesis_options(store)).type, "InvalidSignatureException");
}

TEST(SigV4Verify, ShapeErrors) {
  const CredentialStore store = store_with();
  HttpRequest algorithm = signed_kinesis_request();
  std::string& authorization = algorithm.headers.back().second;
  authorization.replace(0, 16, "AWS4-HMAC-SHA512");
  EXPECT_EQ(error_of(algorithm, kinesis_options(store)).message,
            "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'");
  HttpRequest date = signed_kinesis_request();
  for (auto& [name, value] : date.headers) {
    if (name == "x-amz-date") value = "2023-11-14T22:13:20Z";
  }
  const AwsError e = error_of(date, kinesis_options(store));
  EXPECT_EQ(e.type, "IncompleteSignatureException");
  EXPECT_EQ(e.message,
            "Date must be in ISO-8601 'basic format'. Got '2023-11-14T22:13:20Z'. See "
            "http://en.wikipedia.org/wiki/ISO_8601");
  HttpRequest none;
  none.method = "POST";
  none.target = "/";
  EXPECT_EQ(error_of(none, kinesis_options(store)).type, "MissingAuthenticationTokenException");
}

TEST(SigV4Verify, QueryAuthentication) {
  const CredentialStore store = store_with();
  const std::string timestamp = format_amz_date(kNow);
  const std::string scope = timestamp.substr(0, 8) + "/us-east-1/kinesis/aws4_request";
  HttpRequest request;
  request.method = "POST";
  request.target = "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F" +
                   timestamp.substr(0, 8) +
                   "%2Fus-east-1%2Fkinesis%2Faws4_request&X-Amz-Date=" + timestamp +
                   "&X-Amz-Expires=60&X-Amz-SignedHeaders=host";
  request.headers = {{"host", "localhost"}};
  request.body = "{}";
  const std::string creq =
      canonical_request(request, SigningInput{"POST", request.target, "host", sha256_hex("{}"),
                                              timestamp, scope, "X-Amz-Signature"});
  request.target +=
      "&X-Amz-Signature=" + signature(kSecret, timestamp.substr(0, 8), "us-east-1", "kinesis",
                                      string_to_sign(timestamp, scope, creq));
  EXPECT_TRUE(verify(request, kinesis_options(store)).ok());
  VerifyOptions later = kinesis_options(store);
  later.now_ms += 61'000;
  EXPECT_EQ(error_of(request, later).type, "InvalidSignatureException");
  HttpRequest tampered = request;
  tampered.body = "{\"Limit\":2}";
  EXPECT_EQ(error_of(tampered, kinesis_options(store)).type, "InvalidSignatureException");
}

// --- The credentials file ----------------------------------------------------------------

TEST(CredentialFile, ParsesSectionsCommentsAndIgnoresOtherKeys) {
  std::string error;
  auto store = CredentialStore::parse(
      "# a comment\n"
      "[default]\n"
      "aws_access_key_id = AKIAONE\r\n"
      "aws_secret_access_key=secret/one+\n"
      "region = eu-west-1\n"
      "\n"
      "; another comment\n"
      "[temporary]\n"
      "aws_access_key_id = ASIATWO\n"
      "aws_secret_access_key = secret-two\n"
      "aws_session_token = token==\n"
      "aws_account_id = 111122223333\n"
      "[only-region]\n"
      "region = us-west-2\n",
      &error);
  ASSERT_TRUE(store) << error;
  EXPECT_EQ(store->size(), 2u);
  const Credential* one = store->find("AKIAONE");
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->secret_access_key, "secret/one+");
  EXPECT_EQ(one->profile, "default");
  EXPECT_TRUE(one->account.empty());
  const Credential* two = store->find("ASIATWO");
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(two->session_token, "token==");
  EXPECT_EQ(two->account, "111122223333");
  EXPECT_EQ(store->find("AKIAone"), nullptr);
}

TEST(CredentialFile, RefusesWhatCannotServe) {
  std::string error;
  EXPECT_FALSE(CredentialStore::parse("[a]\naws_access_key_id = K\n", &error));
  EXPECT_EQ(error, "line 1: section [a] needs both aws_access_key_id and aws_secret_access_key");
  EXPECT_FALSE(CredentialStore::parse(
      "[a]\naws_access_key_id=K\naws_secret_access_key=s\n[b]\naws_access_key_id=K\n"
      "aws_secret_access_key=t\n",
      &error));
  EXPECT_EQ(error, "line 4: section [b]: access key id K is defined twice");
  EXPECT_FALSE(CredentialStore::parse(
      "[a]\naws_access_key_id=K\naws_secret_access_key=s\naws_account_id=12\n", &error));
  EXPECT_EQ(error, "line 1: section [a]: aws_account_id must be 12 digits");
  EXPECT_FALSE(CredentialStore::parse("aws_access_key_id=K\n", &error));
  EXPECT_EQ(error, "line 1: a setting before any [section]");
  EXPECT_FALSE(CredentialStore::parse("", &error));
  EXPECT_EQ(error, "no section defines aws_access_key_id and aws_secret_access_key");
  EXPECT_FALSE(CredentialStore::parse("[a\n", &error));
  EXPECT_FALSE(CredentialStore::parse("[a]\njunk\n", &error));
  EXPECT_EQ(error, "line 2: expected 'name = value'");
}

TEST(Canonicalisation, Pieces) {
  EXPECT_EQ(canonical_uri(""), "/");
  EXPECT_EQ(canonical_uri("/a/%2F/b"), "/a/%252F/b");  // encoded again, as the SDKs sign it
  EXPECT_EQ(canonical_uri("/../.."), "/");
  EXPECT_EQ(canonical_query("b=2&a=1&a=0&&c", {}), "a=0&a=1&b=2&c=");
  EXPECT_EQ(canonical_query("X-Amz-Signature=x&a=%20+", "X-Amz-Signature"), "a=%20%2B");
  EXPECT_EQ(percent_decode("%4a%zz%4"), "J%zz%4");
  EXPECT_EQ(uri_encode("a b/~", false), "a%20b%2F~");
  const auto header =
      parse_authorization("AWS4-HMAC-SHA256 Credential=a/b/c/d/e,SignedHeaders=host, Signature=ff");
  EXPECT_EQ(header.algorithm, "AWS4-HMAC-SHA256");
  EXPECT_EQ(header.credential, "a/b/c/d/e");
  EXPECT_EQ(header.signed_headers, "host");
  EXPECT_EQ(header.signature, "ff");
  EXPECT_FALSE(parse_credential("a/b/c/d"));
  EXPECT_FALSE(parse_credential("a/b/c/d/e/f"));
  EXPECT_TRUE(parse_credential("a/b/c/d/e"));
  EXPECT_FALSE(parse_amz_date("20230230T000000Z"));
  EXPECT_FALSE(parse_amz_date("2023023T000000Z"));
  EXPECT_EQ(format_amz_date(*parse_amz_date("20240229T235959Z")), "20240229T235959Z");
}

TEST(AuthorizationHeader, SeparatorsAndMissingParts) {
  // Commas and spaces both separate, in any number; empty tokens are skipped.
  auto h = parse_authorization(
      "  AWS4-HMAC-SHA256 ,, Credential=a/b/c/d/e ,,SignedHeaders=host;x-amz-date,,,  "
      "Signature=ff  ");
  EXPECT_EQ(h.algorithm, "AWS4-HMAC-SHA256");
  EXPECT_EQ(h.credential, "a/b/c/d/e");
  EXPECT_EQ(h.signed_headers, "host;x-amz-date");
  EXPECT_EQ(h.signature, "ff");
  // Only the algorithm; nothing at all.
  h = parse_authorization("AWS4-HMAC-SHA256");
  EXPECT_EQ(h.algorithm, "AWS4-HMAC-SHA256");
  EXPECT_TRUE(h.credential.empty() && h.signed_headers.empty() && h.signature.empty());
  h = parse_authorization(", ,");
  EXPECT_TRUE(h.algorithm.empty() && h.credential.empty());
  EXPECT_TRUE(parse_authorization("").algorithm.empty());
  // A parameter without '=' or with an empty value is empty; a later one of the same name wins
  // (also when empty); '=' inside a value stays; unknown names and other case are ignored.
  h = parse_authorization(
      "AWS4-HMAC-SHA256 Credential=k/d/r/s/t Credential Signature=a=b signature=zz "
      "SignedHeaders= Foo=bar");
  EXPECT_TRUE(h.credential.empty());
  EXPECT_EQ(h.signature, "a=b");
  EXPECT_TRUE(h.signed_headers.empty());
  // Tabs do not separate: the tab stays in the token.
  h = parse_authorization("AWS4-HMAC-SHA256\tCredential=x,Signature=s\t");
  EXPECT_EQ(h.algorithm, "AWS4-HMAC-SHA256\tCredential=x");
  EXPECT_TRUE(h.credential.empty());
  EXPECT_EQ(h.signature, "s\t");
  // The views point into the header.
  const std::string header = "AWS4-HMAC-SHA256 Credential=c, SignedHeaders=host, Signature=9";
  h = parse_authorization(header);
  EXPECT_EQ(h.credential.data(), header.data() + header.find("=c") + 1);
  EXPECT_EQ(h.signature.data() + h.signature.size(), header.data() + header.size());
}

TEST(AsciiLower, OnlyAsciiLettersChange) {
  EXPECT_EQ(ascii_lower(std::string_view("X-Amz-Date:@[`{\xc3\x84")), "x-amz-date:@[`{\xc3\x84");
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    EXPECT_EQ(ascii_lower(ch), static_cast<char>(std::tolower(c))) << c;  // the "C" locale's
  }
}

}  // namespace
}  // namespace trib::aws::sigv4
