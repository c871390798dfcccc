#include "console/kpl.h"

#include "util/md5.h"

namespace trib::console {

namespace {

constexpr size_t kDigestBytes = 16;

// A protobuf wire-format reader over one message.
class ProtoReader {
 public:
  explicit ProtoReader(std::string_view bytes) : rest_(bytes) {}
  bool done() const { return rest_.empty(); }

  bool varint(uint64_t* out) {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (rest_.empty()) return false;
      const auto byte = static_cast<uint8_t>(rest_.front());
      rest_.remove_prefix(1);
      value |= uint64_t{byte & 0x7Fu} << shift;
      if (!(byte & 0x80)) {
        *out = value;
        return true;
      }
    }
    return false;
  }
  // The next field's number and wire type.
  bool key(uint32_t* field, uint32_t* wire_type) {
    uint64_t k = 0;
    if (!varint(&k) || (k >> 3) == 0 || (k >> 3) > 0x1FFFFFFF) return false;
    *field = static_cast<uint32_t>(k >> 3);
    *wire_type = static_cast<uint32_t>(k & 7);
    return true;
  }
  bool length_delimited(std::string_view* out) {
    uint64_t length = 0;
    if (!varint(&length) || length > rest_.size()) return false;
    *out = rest_.substr(0, length);
    rest_.remove_prefix(length);
    return true;
  }
  // Skips a field of a type this decoder does not read.
  bool skip(uint32_t wire_type) {
    uint64_t ignored = 0;
    std::string_view bytes;
    switch (wire_type) {
      case 0:
        return varint(&ignored);
      case 1:
        return advance(8);
      case 2:
        return length_delimited(&bytes);
      case 5:
        return advance(4);
      default:
        return false;  // groups are not used by this format
    }
  }

 private:
  bool advance(size_t n) {
    if (rest_.size() < n) return false;
    rest_.remove_prefix(n);
    return true;
  }
  std::string_view rest_;
};

struct RawRecord {
  std::optional<uint64_t> partition_key_index;
  std::optional<uint64_t> explicit_hash_key_index;
  std::optional<std::string_view> data;
};

bool parse_record(std::string_view bytes, RawRecord* out) {
  ProtoReader reader(bytes);
  while (!reader.done()) {
    uint32_t field = 0, wire_type = 0;
    if (!reader.key(&field, &wire_type)) return false;
    uint64_t number = 0;
    std::string_view value;
    if (field == 1 && wire_type == 0) {
      if (!reader.varint(&number)) return false;
      out->partition_key_index = number;
    } else if (field == 2 && wire_type == 0) {
      if (!reader.varint(&number)) return false;
      out->explicit_hash_key_index = number;
    } else if (field == 3 && wire_type == 2) {
      if (!reader.length_delimited(&value)) return false;
      out->data = value;
    } else if (!reader.skip(wire_type)) {
      return false;
    }
  }
  return out->partition_key_index && out->data;  // both required
}

}  // namespace

std::optional<std::vector<UserRecord>> deaggregate(std::string_view data) {
  if (data.size() < kKplMagic.size() + kDigestBytes || !data.starts_with(kKplMagic)) {
    return std::nullopt;
  }
  const std::string_view message =
      data.substr(kKplMagic.size(), data.size() - kKplMagic.size() - kDigestBytes);
  const util::Md5Digest digest = util::md5(message);
  if (data.substr(data.size() - kDigestBytes) !=
      std::string_view(reinterpret_cast<const char*>(digest.data()), kDigestBytes)) {
    return std::nullopt;
  }
  std::vector<std::string_view> partition_keys, explicit_hash_keys;
  std::vector<RawRecord> raw;
  ProtoReader reader(message);
  while (!reader.done()) {
    uint32_t field = 0, wire_type = 0;
    if (!reader.key(&field, &wire_type)) return std::nullopt;
    std::string_view value;
    if (field >= 1 && field <= 3 && wire_type == 2) {
      if (!reader.length_delimited(&value)) return std::nullopt;
      if (field == 1) {
        partition_keys.push_back(value);
      } else if (field == 2) {
        explicit_hash_keys.push_back(value);
      } else {
        RawRecord record;
        if (!parse_record(value, &record)) return std::nullopt;
        raw.push_back(record);
      }
    } else if (!reader.skip(wire_type)) {
      return std::nullopt;
    }
  }
  std::vector<UserRecord> out;
  out.reserve(raw.size());
  for (const auto& record : raw) {
    if (*record.partition_key_index >= partition_keys.size()) return std::nullopt;
    UserRecord user;
    user.partition_key = std::string(partition_keys[*record.partition_key_index]);
    if (record.explicit_hash_key_index) {
      if (*record.explicit_hash_key_index >= explicit_hash_keys.size()) return std::nullopt;
      user.explicit_hash_key = std::string(explicit_hash_keys[*record.explicit_hash_key_index]);
    }
    user.data = std::string(*record.data);
    out.push_back(std::move(user));
  }
  return out;
}

}  // namespace trib::console
