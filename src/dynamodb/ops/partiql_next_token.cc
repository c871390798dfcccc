#include "dynamodb/ops/partiql_next_token.h"

#include <vector>

#include "dynamodb/errors.h"
#include "dynamodb/values/item_codec.h"

namespace trib::dynamodb::ops {

namespace {
constexpr char kSeparator = '\x1f';
}  // namespace

std::string make_partiql_next_token(const TokenSealer& sealer, const aws::RequestContext& request,
                                    const std::string& digest, const ReadPosition& position) {
  std::string plain = "partiql";
  for (const std::string& part :
       {request.account, request.region, digest, std::to_string(position.partition)}) {
    plain += kSeparator;
    plain += part;
  }
  plain += kSeparator;
  if (position.last_key) plain += encode_item(*position.last_key);
  return sealer.seal(plain);
}

aws::AwsResult<ReadPosition> open_partiql_next_token(const TokenSealer& sealer,
                                                     const aws::RequestContext& request,
                                                     const std::string& digest,
                                                     std::string_view token) {
  const auto invalid = [] { return aws::fail(validation(std::string(kInvalidNextToken))); };
  auto plain = sealer.open(token);
  if (!plain) return invalid();
  std::vector<std::string_view> parts;
  std::string_view rest = *plain;
  for (int i = 0; i < 5; ++i) {
    const size_t sep = rest.find(kSeparator);
    if (sep == std::string_view::npos) return invalid();
    parts.push_back(rest.substr(0, sep));
    rest.remove_prefix(sep + 1);
  }
  if (parts[0] != "partiql") return invalid();
  if (parts[1] != request.account || parts[2] != request.region) {
    return aws::fail(validation(std::string(kForeignNextToken)));
  }
  if (parts[3] != digest) return aws::fail(validation(std::string(kNextTokenMismatch)));
  ReadPosition position;
  if (parts[4].empty() || parts[4].size() > 6 ||
      parts[4].find_first_not_of("0123456789") != std::string_view::npos) {
    return invalid();
  }
  position.partition = std::stoul(std::string(parts[4]));
  if (!rest.empty()) {
    position.last_key = decode_item(rest);
    if (!position.last_key) return invalid();
  }
  return position;
}

}  // namespace trib::dynamodb::ops
