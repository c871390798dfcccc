#include "kinesis/pagination.h"

#include "kinesis/errors.h"

namespace trib::kinesis {

namespace {
constexpr char kSeparator = '\x1f';
}

std::string make_next_token(const TokenSealer& sealer, const aws::RequestContext& request,
                            std::string_view kind, const std::vector<std::string>& fields) {
  std::string plain = std::string(kind);
  for (const auto& part : {request.account, request.region, std::to_string(request.now_ms)}) {
    plain += kSeparator;
    plain += part;
  }
  for (const auto& field : fields) {
    plain += kSeparator;
    plain += field;
  }
  return sealer.seal(plain);
}

aws::AwsResult<std::vector<std::string>> open_next_token(const TokenSealer& sealer,
                                                         const aws::RequestContext& request,
                                                         std::string_view kind,
                                                         std::string_view token) {
  auto invalid = [] { return aws::fail(errors::invalid_argument("Invalid NextToken.")); };
  auto plain = sealer.open(token);
  if (!plain) return invalid();
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const auto sep = plain->find(kSeparator, start);
    parts.push_back(
        plain->substr(start, sep == std::string::npos ? std::string::npos : sep - start));
    if (sep == std::string::npos) break;
    start = sep + 1;
  }
  if (parts.size() < 4 || parts[0] != kind || parts[1] != request.account ||
      parts[2] != request.region) {
    return invalid();
  }
  int64_t created_ms = 0;
  try {
    created_ms = std::stoll(parts[3]);
  } catch (const std::exception&) {
    return invalid();
  }
  if (request.now_ms - created_ms > kNextTokenLifetimeMs) {
    return aws::fail(errors::expired_next_token("The NextToken has expired."));
  }
  return std::vector<std::string>(parts.begin() + 4, parts.end());
}

}  // namespace trib::kinesis
