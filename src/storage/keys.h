// Helpers to build storage keys whose byte order is their logical order:
// big-endian fixed-width integers and length-prefixed strings. See docs/storage-encoding.md.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "util/big_endian.h"

namespace trib::storage {

class KeyBuilder {
 public:
  KeyBuilder& u8(uint8_t v) {
    out_.push_back(static_cast<char>(v));
    return *this;
  }
  KeyBuilder& u32(uint32_t v) {
    util::append_big_endian<4>(out_, v);
    return *this;
  }
  KeyBuilder& u64(uint64_t v) {
    util::append_big_endian<8>(out_, v);
    return *this;
  }
  // A string of at most 255 bytes, prefixed by its length. Keys with the same prefix and
  // different strings sort by (length, bytes), which is fine for exact lookups and listings
  // that re-sort; use raw() when byte order of the string itself matters.
  KeyBuilder& short_string(std::string_view s) {
    out_.push_back(static_cast<char>(s.size()));
    out_.append(s);
    return *this;
  }
  // Raw bytes with no length prefix: only as the final component of a key.
  KeyBuilder& raw(std::string_view s) {
    out_.append(s);
    return *this;
  }
  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class KeyReader {
 public:
  explicit KeyReader(std::string_view key) : key_(key) {}
  bool u8(uint8_t* v) {
    if (key_.size() < 1) return false;
    *v = static_cast<uint8_t>(key_[0]);
    key_.remove_prefix(1);
    return true;
  }
  bool u32(uint32_t* v) {
    if (key_.size() < 4) return false;
    uint32_t r = 0;
    for (int i = 0; i < 4; ++i) r = (r << 8) | static_cast<uint8_t>(key_[i]);
    *v = r;
    key_.remove_prefix(4);
    return true;
  }
  bool u64(uint64_t* v) {
    if (key_.size() < 8) return false;
    uint64_t r = 0;
    for (int i = 0; i < 8; ++i) r = (r << 8) | static_cast<uint8_t>(key_[i]);
    *v = r;
    key_.remove_prefix(8);
    return true;
  }
  bool short_string(std::string_view* s) {
    uint8_t n = 0;
    if (!u8(&n) || key_.size() < n) return false;
    *s = key_.substr(0, n);
    key_.remove_prefix(n);
    return true;
  }
  std::string_view rest() const { return key_; }
  bool done() const { return key_.empty(); }

 private:
  std::string_view key_;
};

// The smallest key greater than every key starting with `prefix` (for upper bounds).
// Returns "" when no such key exists (prefix is all 0xff).
std::string prefix_successor(std::string_view prefix);

class Engine;
enum class Keyspace : uint8_t;
struct Status;

// Calls `visit(key, value)` for every key of `keyspace` starting with `prefix`, in key order, over
// one consistent view; stops at the first non-ok Status `visit` returns and returns it, else the
// iteration's status. (How catalogs load their documents.)
Status for_each_with_prefix(
    Engine& engine, Keyspace keyspace, std::string_view prefix,
    const std::function<Status(std::string_view key, std::string_view value)>& visit);

// Reads a big-endian u64 stored under `key` (a catalog's next-id counter) into `value`; leaves
// `value` unchanged when the key is absent.
Status read_u64(Engine& engine, Keyspace keyspace, std::string_view key, uint64_t* value);

}  // namespace trib::storage
