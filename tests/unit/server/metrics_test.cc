#include "server/metrics.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace trib::server {
namespace {

TEST(PrometheusWriter, EscapesLabelValuesAsTheFormatRequires) {
  EXPECT_EQ(PrometheusWriter::escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
}

TEST(PrometheusWriter, FormatsValues) {
  EXPECT_EQ(PrometheusWriter::format_value(3), "3");
  EXPECT_EQ(PrometheusWriter::format_value(0.25), "0.25");
  EXPECT_EQ(PrometheusWriter::format_value(1.0 / 0.0), "+Inf");
}

TEST(PrometheusWriter, WritesFamiliesAndSamples) {
  PrometheusWriter w;
  w.family("x_total", "counter", "Things");
  w.sample("x_total", {{"a", "1"}, {"b", "q\""}}, 2);
  w.sample("x_total", {}, 5);
  EXPECT_EQ(w.take(),
            "# HELP x_total Things\n# TYPE x_total counter\n"
            "x_total{a=\"1\",b=\"q\\\"\"} 2\nx_total 5\n");
}

TEST(Metrics, CountsOutcomesAndBucketsLatencyCumulatively) {
  Metrics metrics;
  metrics.observe({"Kinesis_20131202", "PutRecord", "id", "", 200, 0.0002});
  metrics.observe({"Kinesis_20131202", "PutRecord", "id", "", 200, 0.003});
  metrics.observe({"Kinesis_20131202", "PutRecord", "id", "ResourceNotFoundException", 400, 20});
  metrics.observe({"", "", "id", "", 403, 0.0001});
  const std::string page = metrics.render();
  EXPECT_NE(page.find("tributary_requests_total{service=\"kinesis\",operation=\"PutRecord\","
                      "status=\"200\"} 2\n"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("tributary_requests_total{service=\"unknown\",operation=\"unknown\","
                      "status=\"403\"} 1\n"),
            std::string::npos);
  EXPECT_NE(page.find("tributary_request_errors_total{service=\"kinesis\",operation=\"PutRecord\","
                      "error=\"ResourceNotFoundException\"} 1\n"),
            std::string::npos);
  const std::string bucket =
      "tributary_request_duration_seconds_bucket{service=\"kinesis\",operation=\"PutRecord\",";
  EXPECT_NE(page.find(bucket + "le=\"0.0005\"} 1\n"), std::string::npos);
  EXPECT_NE(page.find(bucket + "le=\"0.005\"} 2\n"), std::string::npos);
  EXPECT_NE(page.find(bucket + "le=\"10\"} 2\n"), std::string::npos);
  EXPECT_NE(page.find(bucket + "le=\"+Inf\"} 3\n"), std::string::npos);
}

// observe() remembers series per thread: each Metrics object still counts only what it
// observed, a series seen again after others (of the same operation, another status or error,
// another service) is counted in its own line, and a Metrics made where a destroyed one was
// starts from nothing.
TEST(Metrics, EachObjectCountsItsOwnSeries) {
  const auto line = [](std::string_view service, std::string_view operation, int status,
                       int count) {
    return "tributary_requests_total{service=\"" + std::string(service) + "\",operation=\"" +
           std::string(operation) + "\",status=\"" + std::to_string(status) + "\"} " +
           std::to_string(count) + "\n";
  };
  {
    auto first = std::make_unique<Metrics>();
    Metrics second;
    for (int i = 0; i < 3; ++i) {
      first->observe({"DynamoDB_20120810", "GetItem", "id", "", 200, 0.001});
      second.observe({"DynamoDB_20120810", "GetItem", "id", "", 200, 0.001});
      first->observe({"DynamoDB_20120810", "GetItem", "id", "ValidationException", 400, 0.001});
      first->observe({"Kinesis_20131202", "GetItem", "id", "", 200, 0.001});
    }
    second.observe({"DynamoDB_20120810", "GetItem", "id", "", 200, 0.001});
    const std::string page = first->render();
    EXPECT_NE(page.find(line("dynamodb", "GetItem", 200, 3)), std::string::npos) << page;
    EXPECT_NE(page.find(line("dynamodb", "GetItem", 400, 3)), std::string::npos) << page;
    EXPECT_NE(page.find(line("kinesis", "GetItem", 200, 3)), std::string::npos) << page;
    EXPECT_NE(second.render().find(line("dynamodb", "GetItem", 200, 4)), std::string::npos);
    first.reset();
    auto third = std::make_unique<Metrics>();  // quite possibly where `first` was
    third->observe({"DynamoDB_20120810", "GetItem", "id", "", 200, 0.001});
    EXPECT_NE(third->render().find(line("dynamodb", "GetItem", 200, 1)), std::string::npos);
  }
}

TEST(Metrics, ServiceLabels) {
  EXPECT_EQ(Metrics::service_label("Kinesis_20131202"), "kinesis");
  EXPECT_EQ(Metrics::service_label("DynamoDBStreams_20120810"), "dynamodbstreams");
  EXPECT_EQ(Metrics::service_label(""), "unknown");
}

}  // namespace
}  // namespace trib::server
