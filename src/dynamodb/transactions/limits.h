// Limits and request-level refusals TransactWriteItems and TransactGetItems share (facts §4,
// §15).
#pragma once

#include <cstddef>
#include <string_view>

namespace trib::dynamodb::transactions {

// The aggregate size of the items in one transaction (AWS API reference, TransactWriteItems and
// TransactGetItems [V]).
inline constexpr size_t kMaxTransactionBytes = 4 * 1024 * 1024;

// Two actions on one item [V, rec] (facts §15).
inline constexpr std::string_view kMultipleOperationsOnOneItem =
    "Transaction request cannot include multiple operations on one item";

// Over 4 MB. Guess [U]: AWS's wording is not recorded in our sources; this matches what
// scylladb's AWS-checked test expects ("size cannot exceed"; its comment says AWS speaks of
// the "transaction payload").
inline constexpr std::string_view kTransactionTooLarge =
    "Transaction payload size cannot exceed 4 MB";

}  // namespace trib::dynamodb::transactions
