// TransactionCanceledException as AWS sends it (facts §15 [V captures]): capital `Message`
// "Transaction cancelled, please refer cancellation reasons for specific reasons [None,
// ConditionalCheckFailed]" (codes in action order, joined by ", ") and `CancellationReasons`,
// one per action: {"Code": "None"} for actions that did not fail, else Code, Message and, for a
// failed condition under ReturnValuesOnConditionCheckFailure ALL_OLD, the Item.
#pragma once

#include <optional>
#include <vector>

#include "aws/error.h"

namespace trib::dynamodb::transactions {

// `failures[i]`: the error of action i (nullopt: it did not fail). A failed condition
// (ConditionalCheckFailedException, with its Item member if any) becomes
// ConditionalCheckFailed, a ValidationException ValidationError, TransactionConflictException
// TransactionConflict.
aws::AwsError transaction_canceled(const std::vector<std::optional<aws::AwsError>>& failures);

}  // namespace trib::dynamodb::transactions
