// An ARN's six colon-separated parts, without interpreting them: the callers (Kinesis consumer
// ARNs, DynamoDB table and resource ARNs) each check what their service requires.
#pragma once

#include <optional>
#include <string_view>

namespace trib {

struct ArnParts {
  std::string_view prefix;  // "arn" in a well-formed ARN
  std::string_view partition;
  std::string_view service;
  std::string_view region;
  std::string_view account;
  std::string_view resource;  // everything after the fifth colon, further colons included
};

// nullopt when `arn` has fewer than five colons.
std::optional<ArnParts> split_arn(std::string_view arn);

}  // namespace trib
