// DynamoDB's reserved words (AWS developer guide, "Reserved words in DynamoDB"): an attribute
// name written bare in any expression must not be one of them, whatever its case.
#pragma once

#include <span>
#include <string_view>

namespace trib::dynamodb::expressions {

// The 573 words, upper case, sorted.
std::span<const std::string_view> reserved_words();

// True when `word` is reserved, compared case-insensitively (ASCII).
bool is_reserved_word(std::string_view word);

}  // namespace trib::dynamodb::expressions
