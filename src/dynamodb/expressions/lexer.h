// The tokens of DynamoDB's expression languages. One hand-written scanner serves all five
// expression kinds; keywords (AND, SET, ...) are plain identifiers here and are recognised,
// case-insensitively, by the parser of the grammar that has them.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace trib::dynamodb::expressions {

enum class TokenKind : uint8_t {
  kIdentifier,        // [A-Za-z][A-Za-z0-9_]*
  kNamePlaceholder,   // #[A-Za-z0-9_]+
  kValuePlaceholder,  // :[A-Za-z0-9_]+
  kInteger,           // [0-9]+ (list indexes)
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kComma,
  kDot,
  kEqual,
  kNotEqual,  // <>
  kLess,
  kLessOrEqual,
  kGreater,
  kGreaterOrEqual,
  kPlus,
  kMinus,
  kInvalid,  // any other character (one UTF-8 code point), reported as a syntax error
  kEnd,      // the end of the text, written "<EOF>" in messages
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  uint32_t begin = 0;  // byte offsets into the expression text
  uint32_t end = 0;
};

// Splits `text` into tokens, always ending with one kEnd token (at text.size()). Whitespace is
// space, tab, carriage return and line feed. Never fails: characters outside the language
// become kInvalid tokens, which no grammar accepts.
std::vector<Token> tokenize(std::string_view text);

}  // namespace trib::dynamodb::expressions
