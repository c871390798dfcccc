#include "dynamodb/transactions/idempotency_tokens.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "storage/keys.h"
#include "util/big_endian.h"

namespace trib::dynamodb::transactions {

namespace {

constexpr uint8_t kTokenKeyTag = 'X';   // meta: the token's record
constexpr uint8_t kExpiryKeyTag = 'x';  // meta: expiry order, for the sweep
constexpr char kRecordVersion = 0x01;
constexpr size_t kFingerprintBytes = SHA256_DIGEST_LENGTH;

// Type tag, then the content; strings and blobs length-prefixed, so no two values share a form.
// A Fragment (an item decoded straight from the request, aws/json_shape_decoders.h) is its Value
// form, without a tag of its own: the request fingerprints the same however it was decoded.
void canonical(const aws::Value& value, std::string& out) {
  if (value.kind() == aws::Value::Kind::kFragment) {
    canonical(value.as_fragment().to_value(), out);
    return;
  }
  out.push_back(static_cast<char>('0' + static_cast<int>(value.kind())));
  const auto text = [&](std::string_view s) {
    util::append_big_endian<8>(out, s.size());
    out.append(s);
  };
  switch (value.kind()) {
    case aws::Value::Kind::kNull:
      break;
    case aws::Value::Kind::kBool:
      out.push_back(value.as_bool() ? 1 : 0);
      break;
    case aws::Value::Kind::kInteger:
      util::append_big_endian<8>(out, static_cast<uint64_t>(value.as_int()));
      break;
    case aws::Value::Kind::kDouble: {
      uint64_t bits = 0;
      const double d = value.as_double();
      std::memcpy(&bits, &d, sizeof bits);
      util::append_big_endian<8>(out, bits);
      break;
    }
    case aws::Value::Kind::kString:
      text(value.as_string());
      break;
    case aws::Value::Kind::kBlob:
      text(value.as_blob().bytes);
      break;
    case aws::Value::Kind::kTimestamp:
      util::append_big_endian<8>(out, static_cast<uint64_t>(value.as_timestamp().epoch_ms));
      break;
    case aws::Value::Kind::kList:
      util::append_big_endian<8>(out, value.as_list().size());
      for (const aws::Value& member : value.as_list()) canonical(member, out);
      break;
    case aws::Value::Kind::kMap: {
      std::vector<const std::pair<std::string, aws::Value>*> members;
      for (const auto& member : value.as_map()) members.push_back(&member);
      std::sort(members.begin(), members.end(),
                [](const auto* a, const auto* b) { return a->first < b->first; });
      util::append_big_endian<8>(out, members.size());
      for (const auto* member : members) {
        text(member->first);
        canonical(member->second, out);
      }
      break;
    }
    case aws::Value::Kind::kFragment:  // above
      break;
  }
}

std::string expiry_key(uint64_t expires_ms, std::string_view key) {
  return storage::KeyBuilder().u8(kExpiryKeyTag).u64(expires_ms).raw(key).take();
}

}  // namespace

std::string request_fingerprint(const aws::Value& input,
                                std::span<const std::string_view> excluded) {
  aws::Value kept = aws::Value::map();
  if (input.is_map()) {
    for (const auto& [name, member] : input.as_map()) {
      if (std::find(excluded.begin(), excluded.end(), name) == excluded.end()) {
        kept.set(name, member);
      }
    }
  }
  std::string form;
  canonical(kept, form);
  std::string digest(kFingerprintBytes, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(form.data()), form.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

std::string token_key(std::string_view account, std::string_view region, std::string_view token) {
  return storage::KeyBuilder()
      .u8(kTokenKeyTag)
      .short_string(account)
      .short_string(region)
      .short_string(token)
      .take();
}

TokenState token_state(bool found, std::string_view stored, std::string_view fingerprint,
                       int64_t now_ms) {
  // Record: 0x01 | u64 completed_ms | 32-byte fingerprint. Anything else reads as absent.
  if (!found || stored.size() != 1 + 8 + kFingerprintBytes || stored[0] != kRecordVersion) {
    return TokenState::kNew;
  }
  const auto completed_ms = static_cast<int64_t>(util::load_big_endian(stored.data() + 1, 8));
  if (now_ms >= completed_ms + kTokenLifetimeMs) return TokenState::kNew;
  return stored.substr(9) == fingerprint ? TokenState::kReplay : TokenState::kMismatch;
}

void record_token(storage::WriteBatch& batch, std::string_view key, std::string_view fingerprint,
                  int64_t now_ms) {
  std::string value(1, kRecordVersion);
  util::append_big_endian<8>(value, static_cast<uint64_t>(now_ms));
  value.append(fingerprint);
  batch.put(storage::Keyspace::kMeta, key, value);
  batch.put(storage::Keyspace::kMeta,
            expiry_key(static_cast<uint64_t>(now_ms + kTokenLifetimeMs), key), "");
}

storage::Status sweep_expired_tokens(storage::Engine& engine, int64_t now_ms, size_t limit) {
  std::vector<std::pair<std::string, std::string>> due;  // (expiry key, token key)
  {
    storage::IteratorOptions options;
    options.lower_bound = std::string(1, static_cast<char>(kExpiryKeyTag));
    // Entries with expires_ms <= now_ms sort below this bound.
    options.upper_bound = storage::KeyBuilder().u8(kExpiryKeyTag).u64(now_ms + 1).take();
    auto it = engine.iterate(storage::Keyspace::kMeta, options);
    for (it->seek_to_first(); it->valid() && due.size() < limit; it->next()) {
      const std::string_view key = it->key();
      if (key.size() <= 9) continue;
      due.emplace_back(std::string(key), std::string(key.substr(9)));
    }
    if (!it->status().is_ok()) return it->status();
  }
  for (const auto& [expiry, token] : due) {
    storage::Status status = engine.transact(
        {{storage::Keyspace::kMeta, token}}, [&](storage::Transaction& txn) -> storage::Status {
          std::string stored;
          const storage::Status read = txn.get(storage::Keyspace::kMeta, token, &stored);
          if (!read.is_ok() && !read.is_not_found()) return read;
          // A token recorded again (after expiring) has a later expiry entry of its own.
          if (read.is_ok() && stored.size() >= 9 &&
              static_cast<int64_t>(util::load_big_endian(stored.data() + 1, 8)) +
                      kTokenLifetimeMs <=
                  now_ms) {
            txn.batch().del(storage::Keyspace::kMeta, token);
          }
          txn.batch().del(storage::Keyspace::kMeta, expiry);
          return storage::Status::ok();
        });
    if (!status.is_ok()) return status;
  }
  return storage::Status::ok();
}

}  // namespace trib::dynamodb::transactions
