// Parsing one DynamoDB PartiQL statement into a Statement tree (ast.h): a hand-written scanner
// and recursive-descent parser for the dialect DynamoDB accepts (README.md lists the grammar,
// the sources of the error texts and what is refused).
#pragma once

#include <string_view>

#include "aws/error.h"
#include "dynamodb/partiql/ast.h"

namespace trib::dynamodb::partiql {

// The longest statement the API accepts (model: Statement 1..8192).
inline constexpr size_t kMaxStatementLength = 8192;
// Parentheses and nested literals deeper than this are refused (keeps recursion bounded).
inline constexpr int kMaxNesting = 128;

// "Statement wasn't well formed, can't be processed: <detail>" (ValidationException).
aws::AwsError malformed(std::string_view detail);

// The statement, or the ValidationException DynamoDB answers for it (syntax errors in the
// "wasn't well formed" envelope; some refused forms with texts of their own).
aws::AwsResult<Statement> parse_statement(std::string_view text);

}  // namespace trib::dynamodb::partiql
