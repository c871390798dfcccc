// CRC-32 (IEEE 802.3, the zlib polynomial), as AWS uses for event-stream frames and for
// DynamoDB's x-amz-crc32 response header.
#pragma once

#include <cstdint>
#include <string_view>

namespace trib {

// `crc` continues a previous result (0 to start).
uint32_t crc32(std::string_view bytes, uint32_t crc = 0);

}  // namespace trib
