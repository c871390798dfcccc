// src/dynamodb/documents/projection.*: ProjectionExpression and AttributesToGet on real items,
// with the cases scylladb's test_projection_expression.py checked against AWS.
#include <gtest/gtest.h>

#include "documents_fixture.h"
#include "dynamodb/documents/projection.h"

namespace trib::dynamodb::documents {
namespace {

using testing::item;
using testing::json;
using testing::request;

const char* kItem = R"({"p": {"S": "k"}, "b": {"S": "hello"},
  "a": {"M": {"b": {"L": [{"N": "2"}, {"N": "4"}, {"M": {"x": {"S": "hi"}, "y": {"S": "yo"}}}]},
              "c": {"N": "5"}}}})";

std::string projected(std::string_view projection, std::string_view names = "") {
  std::string body =
      R"({"TableName": "t", "Key": {}, "ProjectionExpression": ")" + std::string(projection) + "\"";
  if (!names.empty()) body += R"(, "ExpressionAttributeNames": )" + std::string(names);
  body += "}";
  auto r = request("GetItem", body);
  if (r->error) return "error: " + r->error->message;
  return json(project(item(kItem), *r->parsed.projection));
}

TEST(DocumentsProjection, TopLevelAttributes) {
  EXPECT_EQ(projected("b"), R"({"b":{"S":"hello"}})");
  EXPECT_EQ(projected("b, p"), R"({"b":{"S":"hello"},"p":{"S":"k"}})");
  EXPECT_EQ(projected("nothing"), "{}");
  EXPECT_EQ(projected("#n", R"({"#n": "b"})"), R"({"b":{"S":"hello"}})");
}

TEST(DocumentsProjection, NestedPathsKeepTheirAncestors) {
  EXPECT_EQ(projected("a.c"), R"({"a":{"M":{"c":{"N":"5"}}}})");
  EXPECT_EQ(projected("a.b[0]"), R"({"a":{"M":{"b":{"L":[{"N":"2"}]}}}})");
  EXPECT_EQ(projected("a.b[2].y"), R"({"a":{"M":{"b":{"L":[{"M":{"y":{"S":"yo"}}}]}}}})");
  EXPECT_EQ(projected("a.b[0], a.c"), R"({"a":{"M":{"b":{"L":[{"N":"2"}]},"c":{"N":"5"}}}})");
  EXPECT_EQ(projected("a.c, b"), R"({"a":{"M":{"c":{"N":"5"}}},"b":{"S":"hello"}})");
}

TEST(DocumentsProjection, ListElementsKeepTheirOrder) {
  EXPECT_EQ(projected("a.b[0], a.b[1]"), R"({"a":{"M":{"b":{"L":[{"N":"2"},{"N":"4"}]}}}})");
  EXPECT_EQ(projected("a.b[2].x, a.b[0]"),
            R"({"a":{"M":{"b":{"L":[{"N":"2"},{"M":{"x":{"S":"hi"}}}]}}}})");
}

TEST(DocumentsProjection, UnresolvedPathsContributeNothing) {
  EXPECT_EQ(projected("a.b[3]"), "{}");
  EXPECT_EQ(projected("a.x"), "{}");
  EXPECT_EQ(projected("a.x.y"), "{}");
  EXPECT_EQ(projected("a.b[3].x"), "{}");
  EXPECT_EQ(projected("a.b.x"), "{}");  // a list used as a map
  EXPECT_EQ(projected("a[0]"), "{}");   // a map used as a list
  EXPECT_EQ(projected("a.b[0][0]"), "{}");
  EXPECT_EQ(projected("a.x, a.b[0], x, a.b[3].x"), R"({"a":{"M":{"b":{"L":[{"N":"2"}]}}}})");
}

TEST(DocumentsProjection, AttributesToGet) {
  const std::string_view names[] = {"b", "nothing", "p"};
  EXPECT_EQ(json(project_attributes(item(kItem), names)), R"({"b":{"S":"hello"},"p":{"S":"k"}})");
  EXPECT_EQ(json(project_attributes(item(kItem), {})), "{}");
}

TEST(DocumentsProjection, AttributesToGetDuplicates) {
  const std::string_view unique[] = {"a", "b", "c"};
  EXPECT_FALSE(check_attributes_to_get(unique));
  const std::string_view twice[] = {"a", "b", "c", "b", "a"};
  auto error = check_attributes_to_get(twice);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message,
            "One or more parameter values were invalid: Duplicate value in attribute name: b");
  EXPECT_EQ(error->type, "ValidationException");
}

}  // namespace
}  // namespace trib::dynamodb::documents
