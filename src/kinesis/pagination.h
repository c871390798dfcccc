// NextToken for ListStreams and ListShards: a sealed (encrypted, authenticated) list of
// fields, bound to the caller's account and region and stamped with its creation time.
// Tokens expire after 300 seconds, as AWS's do.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aws/error.h"
#include "aws/service.h"
#include "util/sealed_token.h"

namespace trib::kinesis {

inline constexpr int64_t kNextTokenLifetimeMs = 300'000;

std::string make_next_token(const TokenSealer& sealer, const aws::RequestContext& request,
                            std::string_view kind, const std::vector<std::string>& fields);

// The fields of a valid token of this kind; InvalidArgumentException for a malformed, forged
// or foreign token; ExpiredNextTokenException for an expired one.
aws::AwsResult<std::vector<std::string>> open_next_token(const TokenSealer& sealer,
                                                         const aws::RequestContext& request,
                                                         std::string_view kind,
                                                         std::string_view token);

}  // namespace trib::kinesis
