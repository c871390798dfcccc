// DescribeEndpoints: this server, so that SDKs using endpoint discovery stay on it
// (facts/dynamodb.md §18). The address is the Host header the request came with (AWS answers
// its regional host name, e.g. dynamodb.us-east-1.amazonaws.com, without a port); "localhost"
// when the request had none. CachePeriodInMinutes 1440 as AWS answers.
#include "dynamodb/operations.h"

namespace trib::dynamodb::ops {

Output describe_endpoints(DynamoDbContext&, const aws::RequestContext& request, const Input&) {
  aws::Value endpoint = aws::Value::map();
  endpoint.set("Address", request.host.empty() ? std::string("localhost") : request.host);
  endpoint.set("CachePeriodInMinutes", int64_t{1440});
  aws::Value endpoints = aws::Value::list();
  endpoints.push(std::move(endpoint));
  aws::Value out = aws::Value::map();
  out.set("Endpoints", std::move(endpoints));
  return out;
}

}  // namespace trib::dynamodb::ops
