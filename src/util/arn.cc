#include "util/arn.h"

namespace trib {

std::optional<ArnParts> split_arn(std::string_view arn) {
  std::string_view parts[5];
  for (auto& part : parts) {
    const auto colon = arn.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    part = arn.substr(0, colon);
    arn.remove_prefix(colon + 1);
  }
  return ArnParts{parts[0], parts[1], parts[2], parts[3], parts[4], arn};
}

}  // namespace trib
