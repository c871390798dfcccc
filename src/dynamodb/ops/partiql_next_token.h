// ExecuteStatement's NextToken (PartiQL SELECT pages): where a SELECT continues, sealed
// (util/sealed_token.h) and bound to the caller's account and region and to the request digest
// (the statement and its parameters). Split out of partiql_statements.cc so that
// tests/fuzz/tokens_fuzz.cc can reach it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "aws/error.h"
#include "aws/service.h"
#include "dynamodb/values/attribute_value.h"
#include "util/sealed_token.h"

namespace trib::dynamodb::ops {

// NextToken texts [P: DynamoDB Local's message catalogue].
inline constexpr std::string_view kInvalidNextToken = "Invalid NextToken";
inline constexpr std::string_view kForeignNextToken = "Given NextToken is invalid for this account";
inline constexpr std::string_view kNextTokenMismatch = "NextToken does not match request";

// Where a SELECT continues: the partition-key value it was reading (an index into the values a
// partition-key IN or OR names; 0 for a single value or a scan) and the last key read there
// (none: start that partition from its beginning).
struct ReadPosition {
  size_t partition = 0;
  std::optional<Item> last_key;
};

// NextToken: sealed "partiql", account, region, the request digest, the partition index, then
// the last key in the item encoding (last, as it may hold any byte; empty for none).
std::string make_partiql_next_token(const TokenSealer& sealer, const aws::RequestContext& request,
                                    const std::string& digest, const ReadPosition& position);

// The position a token holds; a ValidationException with one of the texts above otherwise.
aws::AwsResult<ReadPosition> open_partiql_next_token(const TokenSealer& sealer,
                                                     const aws::RequestContext& request,
                                                     const std::string& digest,
                                                     std::string_view token);

}  // namespace trib::dynamodb::ops
