#include "aws/eventstream.h"

#include "util/big_endian.h"
#include "util/crc32.h"

namespace trib::aws::eventstream {

namespace {

constexpr size_t kPreludeBytes = 12;
constexpr size_t kMinimumMessage = kPreludeBytes + 4;
constexpr size_t kMaximumMessage = 16 * 1024 * 1024;
constexpr uint8_t kStringType = 7;

uint32_t get_u32(std::string_view in, size_t at) {
  return static_cast<uint32_t>(util::load_big_endian(in.data() + at, 4));
}

}  // namespace

std::string encode(const Message& message) {
  std::string headers;
  for (const auto& h : message.headers) {
    headers.push_back(static_cast<char>(h.name.size()));
    headers.append(h.name);
    headers.push_back(static_cast<char>(kStringType));
    headers.push_back(static_cast<char>((h.value.size() >> 8) & 0xff));
    headers.push_back(static_cast<char>(h.value.size() & 0xff));
    headers.append(h.value);
  }
  const auto total =
      static_cast<uint32_t>(kMinimumMessage + headers.size() + message.payload.size());
  std::string out;
  out.reserve(total);
  util::append_big_endian<4>(out, total);
  util::append_big_endian<4>(out, static_cast<uint32_t>(headers.size()));
  util::append_big_endian<4>(out, crc32(out));
  out.append(headers);
  out.append(message.payload);
  util::append_big_endian<4>(out, crc32(out));
  return out;
}

std::string encode_event(std::string_view event_type, std::string_view content_type,
                         std::string payload) {
  Message m;
  m.headers = {{":event-type", std::string(event_type)},
               {":content-type", std::string(content_type)},
               {":message-type", "event"}};
  m.payload = std::move(payload);
  return encode(m);
}

std::string encode_exception(std::string_view exception_type, std::string_view content_type,
                             std::string payload) {
  Message m;
  m.headers = {{":exception-type", std::string(exception_type)},
               {":content-type", std::string(content_type)},
               {":message-type", "exception"}};
  m.payload = std::move(payload);
  return encode(m);
}

std::optional<Message> decode(std::string_view bytes, size_t* consumed, bool* corrupt) {
  auto bad = [&]() -> std::optional<Message> {
    if (corrupt) *corrupt = true;
    return std::nullopt;
  };
  if (corrupt) *corrupt = false;
  if (bytes.size() < kPreludeBytes) return std::nullopt;
  const uint32_t total = get_u32(bytes, 0);
  const uint32_t headers_length = get_u32(bytes, 4);
  if (crc32(bytes.substr(0, 8)) != get_u32(bytes, 8)) return bad();
  if (total < kMinimumMessage || total > kMaximumMessage ||
      headers_length > total - kMinimumMessage)
    return bad();
  if (bytes.size() < total) return std::nullopt;
  if (crc32(bytes.substr(0, total - 4)) != get_u32(bytes, total - 4)) return bad();

  Message message;
  const std::string_view headers = bytes.substr(kPreludeBytes, headers_length);
  for (size_t at = 0; at < headers.size();) {
    const size_t name_length = static_cast<uint8_t>(headers[at]);
    if (at + 1 + name_length + 1 > headers.size()) return bad();
    Header h;
    h.name = std::string(headers.substr(at + 1, name_length));
    at += 1 + name_length;
    const uint8_t type = static_cast<uint8_t>(headers[at++]);
    auto need = [&](size_t n) { return at + n <= headers.size(); };
    switch (type) {
      case 0:
        h.value = "true";
        break;
      case 1:
        h.value = "false";
        break;
      case 2:
      case 3:
      case 4:
      case 5:
      case 8: {
        const size_t width = type == 2 ? 1 : type == 3 ? 2 : type == 4 ? 4 : 8;
        if (!need(width)) return bad();
        h.value = std::to_string(util::load_big_endian(headers.data() + at, width));
        at += width;
        break;
      }
      case 6:
      case 7: {
        if (!need(2)) return bad();
        const size_t length = util::load_big_endian(headers.data() + at, 2);
        at += 2;
        if (!need(length)) return bad();
        h.value = std::string(headers.substr(at, length));
        at += length;
        break;
      }
      case 9: {
        if (!need(16)) return bad();
        h.value = std::string(headers.substr(at, 16));
        at += 16;
        break;
      }
      default:
        return bad();
    }
    message.headers.push_back(std::move(h));
  }
  message.payload = std::string(
      bytes.substr(kPreludeBytes + headers_length, total - kMinimumMessage - headers_length));
  *consumed = total;
  return message;
}

}  // namespace trib::aws::eventstream
