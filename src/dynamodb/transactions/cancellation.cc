#include "dynamodb/transactions/cancellation.h"

#include <string>

#include "dynamodb/errors.h"

namespace trib::dynamodb::transactions {

namespace {

// The reason codes of the pinned model (CancellationReason.Code documentation).
std::string_view reason_code(const aws::AwsError& failure) {
  if (failure.type == error_name(Error::kConditionalCheckFailed)) return "ConditionalCheckFailed";
  if (failure.type == error_name(Error::kTransactionConflict)) return "TransactionConflict";
  if (failure.type == error_name(Error::kItemCollectionSizeLimitExceeded)) {
    return "ItemCollectionSizeLimitExceeded";
  }
  return "ValidationError";
}

}  // namespace

aws::AwsError transaction_canceled(const std::vector<std::optional<aws::AwsError>>& failures) {
  std::string codes;
  aws::Value reasons = aws::Value::list();
  for (const std::optional<aws::AwsError>& failure : failures) {
    if (!codes.empty()) codes += ", ";
    aws::Value reason = aws::Value::map();
    if (!failure) {
      codes += "None";
      reason.set("Code", "None");
    } else {
      const std::string_view code = reason_code(*failure);
      codes += code;
      reason.set("Code", code);
      reason.set("Message", failure->message);
      for (const auto& [name, value] : failure->members) {
        if (name == "Item") reason.set("Item", value);
      }
    }
    reasons.push(std::move(reason));
  }
  aws::AwsError out =
      error(Error::kTransactionCanceled,
            "Transaction cancelled, please refer cancellation reasons for specific reasons [" +
                codes + "]");
  out.message_key = aws::AwsError::MessageKey::kUpper;
  out.members.emplace_back("CancellationReasons", std::move(reasons));
  return out;
}

}  // namespace trib::dynamodb::transactions
