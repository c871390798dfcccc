// The ClientRequestToken store of TransactWriteItems (and ExecuteTransaction, through it): which
// tokens were used, by what request, and until when. Persistent (keyspace `meta`, layout in
// docs/storage-encoding.md, "Transaction idempotency tokens"), so a replay after a restart is
// still recognised; expiry follows the one clock.
//
// AWS (API reference, TransactWriteItems, ClientRequestToken [V]): a token is valid for 10
// minutes after the first request that uses it completes; an identical repeat within that
// window succeeds without writing again; the same token with other parameters gets
// IdempotentParameterMismatchException; after 10 minutes the token is new again.
//
// A token's record is written in the same storage batch as the transaction's items, under a
// lock on the token's key (items::WriteGuard), so "applied" and "token recorded" are one fact.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "aws/value.h"
#include "storage/engine.h"

namespace trib::dynamodb::transactions {

inline constexpr int64_t kTokenLifetimeMs = 10 * 60 * 1000;

// SHA-256 over a canonical form of `input` (map members sorted by name, so member order does
// not matter, as on AWS: localstack/localstack#6529, checked against AWS by its reporter),
// leaving out the top-level members named in `excluded`.
std::string request_fingerprint(const aws::Value& input,
                                std::span<const std::string_view> excluded);

// What a token means for a request with a given fingerprint.
enum class TokenState : uint8_t {
  kNew,       // never used, or expired: run the request, then record the token
  kReplay,    // used by an identical request within 10 minutes: succeed without writing
  kMismatch,  // used by another request within 10 minutes: IdempotentParameterMismatch
};

// The storage key of a token (the key the write guard locks).
std::string token_key(std::string_view account, std::string_view region, std::string_view token);

// The state of the token stored at `key` (`found`: a value was read into `stored`).
TokenState token_state(bool found, std::string_view stored, std::string_view fingerprint,
                       int64_t now_ms);

// Stages the token's record (completed at `now_ms`) and its expiry entry into `batch`.
void record_token(storage::WriteBatch& batch, std::string_view key, std::string_view fingerprint,
                  int64_t now_ms);

// Deletes up to `limit` tokens expired at `now_ms`, oldest first, each re-checked under its
// own lock (a token recorded again meanwhile is kept). Cheap when nothing is due: one seek.
storage::Status sweep_expired_tokens(storage::Engine& engine, int64_t now_ms, size_t limit);

}  // namespace trib::dynamodb::transactions
