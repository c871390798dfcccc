#include "dynamodb/expressions/lexer.h"

namespace trib::dynamodb::expressions {

namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { return is_letter(c) || is_digit(c) || c == '_'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The length of the UTF-8 sequence starting with `lead`, so that an invalid token is a whole
// character (1 for bytes that cannot start a sequence).
size_t code_point_length(unsigned char lead) {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  return 1;
}

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 2 + 2);
  size_t at = 0;
  const size_t size = text.size();
  auto word_end = [&](size_t from) {
    while (from < size && is_word(text[from])) ++from;
    return from;
  };
  while (at < size) {
    const char c = text[at];
    if (is_space(c)) {
      ++at;
      continue;
    }
    TokenKind kind = TokenKind::kInvalid;
    size_t end = at + 1;
    if (is_letter(c)) {
      kind = TokenKind::kIdentifier;
      end = word_end(at + 1);
    } else if (is_digit(c)) {
      kind = TokenKind::kInteger;
      end = at + 1;
      while (end < size && is_digit(text[end])) ++end;
    } else if ((c == '#' || c == ':') && at + 1 < size && is_word(text[at + 1])) {
      kind = c == '#' ? TokenKind::kNamePlaceholder : TokenKind::kValuePlaceholder;
      end = word_end(at + 1);
    } else {
      const char next = at + 1 < size ? text[at + 1] : '\0';
      switch (c) {
        case '(':
          kind = TokenKind::kLeftParen;
          break;
        case ')':
          kind = TokenKind::kRightParen;
          break;
        case '[':
          kind = TokenKind::kLeftBracket;
          break;
        case ']':
          kind = TokenKind::kRightBracket;
          break;
        case ',':
          kind = TokenKind::kComma;
          break;
        case '.':
          kind = TokenKind::kDot;
          break;
        case '=':
          kind = TokenKind::kEqual;
          break;
        case '+':
          kind = TokenKind::kPlus;
          break;
        case '-':
          kind = TokenKind::kMinus;
          break;
        case '<':
          if (next == '>') {
            kind = TokenKind::kNotEqual;
            end = at + 2;
          } else if (next == '=') {
            kind = TokenKind::kLessOrEqual;
            end = at + 2;
          } else {
            kind = TokenKind::kLess;
          }
          break;
        case '>':
          if (next == '=') {
            kind = TokenKind::kGreaterOrEqual;
            end = at + 2;
          } else {
            kind = TokenKind::kGreater;
          }
          break;
        default:
          end = at + code_point_length(static_cast<unsigned char>(c));
          if (end > size) end = size;
          break;
      }
    }
    tokens.push_back(Token{kind, static_cast<uint32_t>(at), static_cast<uint32_t>(end)});
    at = end;
  }
  tokens.push_back(
      Token{TokenKind::kEnd, static_cast<uint32_t>(size), static_cast<uint32_t>(size)});
  return tokens;
}

}  // namespace trib::dynamodb::expressions
