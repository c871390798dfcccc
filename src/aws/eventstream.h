// The AWS event-stream framing (application/vnd.amazon.eventstream), used by SubscribeToShard:
//
//   total length (u32) | headers length (u32) | prelude CRC32 (u32, of the first 8 bytes) |
//   headers | payload | message CRC32 (u32, of everything before it)
//
// All integers big-endian. A header is: name length (u8) | name | value type (u8) | value.
// Tributary writes string headers (type 7: u16 length | bytes) and reads every header type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trib::aws::eventstream {

struct Header {
  std::string name;
  std::string value;  // string and bytes values; other types are rendered as decimal text
};

struct Message {
  std::vector<Header> headers;
  std::string payload;

  const std::string* header(std::string_view name) const {
    for (const auto& h : headers) {
      if (h.name == name) return &h.value;
    }
    return nullptr;
  }
};

std::string encode(const Message& message);

// An event: :message-type event, :event-type, :content-type.
std::string encode_event(std::string_view event_type, std::string_view content_type,
                         std::string payload);
// An exception after the stream started: :message-type exception, :exception-type.
std::string encode_exception(std::string_view exception_type, std::string_view content_type,
                             std::string payload);

// Decodes one message from the front of `bytes`; `consumed` receives its length. nullopt when
// the bytes are incomplete, malformed, or a CRC does not match (`corrupt` tells which).
std::optional<Message> decode(std::string_view bytes, size_t* consumed, bool* corrupt = nullptr);

}  // namespace trib::aws::eventstream
