// MD5 (RFC 1321), as Kinesis uses it to route partition keys and the KPL to check aggregates:
// not for security.
#pragma once

#include <array>
#include <string_view>

namespace trib::util {

using Md5Digest = std::array<unsigned char, 16>;
Md5Digest md5(std::string_view bytes);

}  // namespace trib::util
