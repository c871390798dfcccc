#include "dynamodb/partiql/parser.h"

#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include "dynamodb/errors.h"

namespace trib::dynamodb::partiql {

aws::AwsError malformed(std::string_view detail) {
  return validation("Statement wasn't well formed, can't be processed: " + std::string(detail));
}

namespace {

// Error details of the "wasn't well formed" envelope [P, AWS-checked: a public conformance
// suite's PartiQL grammar tests, pinned against AWS eu-west-2 in October 2026]. Details marked
// [U] in the code are guesses in the same style.
constexpr std::string_view kLeftover = "Unexpected token after expression";
constexpr std::string_view kUnexpectedTerm = "Unexpected term";
constexpr std::string_view kUnexpectedKeyword = "Unexpected keyword";
constexpr std::string_view kUnexpectedOperator = "Unexpected operator";
constexpr std::string_view kMissingRightHandSide =
    "Missing right-hand side expression of infix operator";
constexpr std::string_view kExpectedIdentifier = "Expected identifier for simple path";
constexpr std::string_view kExpectedTypeName = "Expected type name";
// [V: facts §16, awsdocs/aws-sdk-for-javascript-v3#98]
constexpr std::string_view kExpectedDml = "Expected data manipulation";
// Texts of their own [P: DynamoDB Local's message catalogue, ddb.partiql.shared.exceptions;
// "Aliasing is not supported" and the key-equality text also AWS-checked by the suite above].
constexpr std::string_view kAliasing = "Aliasing is not supported";
constexpr std::string_view kIncompleteKey =
    "Where clause does not contain a mandatory equality on all key attributes";
constexpr std::string_view kStarAndOthers =
    "Other attributes should not be present in the projection when '*' is used.";
constexpr std::string_view kFromPath = "A path may contain at most 2 components in the FROM clause";
constexpr std::string_view kInsertMultiple =
    "Unsupported operation: Inserting multiple items in a single statement is not supported, "
    "use \"INSERT INTO tableName VALUE item\" instead";
constexpr std::string_view kInsertFormat =
    "Unsupported format in item expression. Please use struct format {...} to express item "
    "values for insert statement.";
constexpr std::string_view kReturningInsert = "RETURNING is not supported in INSERT";
constexpr std::string_view kReturningSyntax =
    "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause";
constexpr std::string_view kPathStartsWithIndex = "A path cannot start with a list index";

enum class Tok : uint8_t { kEnd, kIdent, kQuoted, kString, kNumber, kParam, kPunct };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // identifiers and strings unescaped; punctuation as written
};

// Words that cannot be a bare attribute name (a subset of PartiQL's reserved words: the ones
// this grammar uses). Operators among them are reported as operators.
constexpr std::string_view kKeywords[] = {
    "ALL",    "AND",     "AS",   "ASC",    "BETWEEN", "BY",     "DELETE", "DESC",
    "EXISTS", "FALSE",   "FROM", "IN",     "INSERT",  "INTO",   "IS",     "LIKE",
    "LIMIT",  "MISSING", "NOT",  "NULL",   "OR",      "ORDER",  "REMOVE", "RETURNING",
    "SELECT", "SET",     "TRUE", "UPDATE", "VALUE",   "VALUES", "WHERE",
};
constexpr std::string_view kOperatorWords[] = {"AND", "BETWEEN", "IN", "IS", "LIKE", "OR"};

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool is_keyword(std::string_view word) {
  const std::string u = upper(word);
  for (std::string_view k : kKeywords) {
    if (u == k) return true;
  }
  return false;
}

bool is_operator_word(std::string_view word) {
  const std::string u = upper(word);
  for (std::string_view k : kOperatorWords) {
    if (u == k) return true;
  }
  return false;
}

// The scanner. Errors it finds (an unterminated string, an unknown character, an exponent
// beyond 32 bits) get the envelope with nothing after the colon, as AWS answers a `#` comment
// or such an exponent [P, AWS-checked: the suite above].
aws::AwsResult<std::vector<Token>> scan(std::string_view s) {
  std::vector<Token> tokens;
  size_t i = 0;
  const auto bad = [] { return aws::fail(malformed("")); };
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {  // -- comment to the end of line
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {  // /* block comment */
      const size_t end = s.find("*/", i + 2);
      if (end == std::string_view::npos) return bad();
      i = end + 2;
      continue;
    }
    Token t;
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$') {
      size_t j = i;
      while (j < s.size() &&
             (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' || s[j] == '$')) {
        ++j;
      }
      t.kind = Tok::kIdent;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '"' || c == '\'') {
      // "quoted identifier" / 'string'; the quote doubled stands for itself.
      std::string text;
      size_t j = i + 1;
      while (true) {
        if (j >= s.size()) return bad();
        if (s[j] == c) {
          if (j + 1 < s.size() && s[j + 1] == c) {
            text += c;
            j += 2;
            continue;
          }
          break;
        }
        text += s[j++];
      }
      t.kind = c == '"' ? Tok::kQuoted : Tok::kString;
      t.text = std::move(text);
      i = j + 1;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < s.size() &&
                std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j < s.size() && s[j] == '.') {
        ++j;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      }
      if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        const size_t digits = k;
        while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
        if (k > digits) {
          // An exponent beyond a 32-bit integer [P, AWS-checked].
          std::string_view exponent = s.substr(digits, k - digits);
          while (exponent.size() > 1 && exponent[0] == '0') exponent.remove_prefix(1);
          if (exponent.size() > 10 || std::stoll(std::string(exponent)) > INT32_MAX) return bad();
          j = k;
        }
      }
      t.kind = Tok::kNumber;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '?') {
      t.kind = Tok::kParam;
      t.text = "?";
      ++i;
    } else {
      static constexpr std::string_view kTwo[] = {"<=", ">=", "<>", "!=", "<<", ">>", "||"};
      t.kind = Tok::kPunct;
      for (std::string_view two : kTwo) {
        if (s.substr(i, 2) == two) t.text = std::string(two);
      }
      if (t.text.empty()) {
        static constexpr std::string_view kOne = "()[]{},.:;*+-/=<>%";
        if (kOne.find(c) == std::string_view::npos) return bad();
        t.text = std::string(1, c);
      }
      i += t.text.size();
    }
    tokens.push_back(std::move(t));
  }
  tokens.push_back(Token{});
  return tokens;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  aws::AwsResult<Statement> statement() {
    Statement st;
    aws::AwsResult<Ok> ok = Ok{};
    if (word("SELECT")) {
      ok = select(st);
    } else if (word("INSERT")) {
      ok = insert(st);
    } else if (word("UPDATE")) {
      ok = update(st);
    } else if (word("DELETE")) {
      ok = remove(st);
    } else {
      return aws::fail(malformed(kExpectedDml));
    }
    if (!ok) return aws::fail(std::move(ok.error()));
    punct(";");
    if (peek().kind != Tok::kEnd) return aws::fail(malformed(kLeftover));
    st.parameter_count = parameters_;
    return st;
  }

 private:
  const Token& peek(size_t ahead = 0) const {
    const size_t at = std::min(pos_ + ahead, tokens_.size() - 1);
    return tokens_[at];
  }
  bool is_word(std::string_view w, size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == Tok::kIdent && upper(t.text) == w;
  }
  bool word(std::string_view w) {
    if (!is_word(w)) return false;
    ++pos_;
    return true;
  }
  bool is_punct(std::string_view p, size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == Tok::kPunct && t.text == p;
  }
  bool punct(std::string_view p) {
    if (!is_punct(p)) return false;
    ++pos_;
    return true;
  }

  // Why a term cannot start at the current token [P, AWS-checked for the first three].
  aws::AwsError no_term() const {
    const Token& t = peek();
    if (t.kind == Tok::kIdent && is_keyword(t.text)) {
      return malformed(is_operator_word(t.text) ? kUnexpectedOperator : kUnexpectedKeyword);
    }
    if (t.kind == Tok::kPunct && t.text != "(" && t.text != ")" && t.text != ";" && t.text != "," &&
        t.text != "[" && t.text != "{") {
      return malformed(kUnexpectedOperator);
    }
    return malformed(kUnexpectedTerm);
  }

  // A table, index or attribute name: a bare word (not a keyword) or a "quoted" name.
  bool name(std::string& out) {
    const Token& t = peek();
    if (t.kind == Tok::kQuoted || (t.kind == Tok::kIdent && !is_keyword(t.text))) {
      out = t.text;
      ++pos_;
      return true;
    }
    return false;
  }

  // After the table of SELECT, UPDATE or DELETE: `AS t` or `t` is an alias [P, AWS-checked].
  aws::AwsResult<Ok> no_alias() {
    if (is_word("AS") || peek().kind == Tok::kQuoted ||
        (peek().kind == Tok::kIdent && !is_keyword(peek().text))) {
      return aws::fail(validation(std::string(kAliasing)));
    }
    return Ok{};
  }

  aws::AwsResult<Ok> select(Statement& st) {
    st.kind = StatementKind::kSelect;
    if (punct("*")) {
      st.select_all = true;
      if (is_punct(",")) return aws::fail(validation(std::string(kStarAndOthers)));
    } else {
      do {
        if (punct("*")) return aws::fail(validation(std::string(kStarAndOthers)));
        auto path = path_term();
        if (!path) return aws::fail(std::move(path.error()));
        st.projection.push_back(std::move(*path));
      } while (punct(","));
    }
    if (!word("FROM")) return aws::fail(malformed(kLeftover));  // [U]
    if (!name(st.table)) return aws::fail(no_term());           // "SELECT * FROM" [P, AWS-checked]
    if (punct(".")) {
      std::string index;
      if (!name(index)) return aws::fail(malformed(kExpectedIdentifier));  // [U]
      st.index = std::move(index);
      if (is_punct(".")) return aws::fail(validation(std::string(kFromPath)));
    }
    if (auto ok = no_alias(); !ok) return ok;
    if (word("WHERE")) {
      auto where = condition();
      if (!where) return aws::fail(std::move(where.error()));
      st.where = std::move(*where);
    }
    if (word("ORDER")) {
      if (!word("BY")) return aws::fail(malformed(kLeftover));  // [U]
      do {
        OrderKey key;
        if (!name(key.name)) return aws::fail(no_term());
        if (word("DESC")) {
          key.descending = true;
        } else {
          word("ASC");
        }
        st.order_by.push_back(std::move(key));
      } while (punct(","));
    }
    return Ok{};
  }

  aws::AwsResult<Ok> insert(Statement& st) {
    st.kind = StatementKind::kInsert;
    if (!word("INTO")) return aws::fail(malformed(kLeftover));  // [U]
    if (!name(st.table)) return aws::fail(malformed(kExpectedIdentifier));
    if (word("VALUES") || is_punct("<<")) {
      return aws::fail(validation(std::string(kInsertMultiple)));
    }
    // An alias is a leftover token here [P, AWS-checked].
    if (!word("VALUE")) return aws::fail(malformed(kLeftover));
    if (!is_punct("{")) {
      if (is_punct("[") || peek().kind == Tok::kString || peek().kind == Tok::kNumber ||
          peek().kind == Tok::kParam) {
        return aws::fail(validation(std::string(kInsertFormat)));
      }
      return aws::fail(no_term());
    }
    auto item = primary();
    if (!item) return aws::fail(std::move(item.error()));
    st.item = std::move(*item);
    if (is_word("RETURNING")) return aws::fail(validation(std::string(kReturningInsert)));
    return Ok{};
  }

  aws::AwsResult<Ok> update(Statement& st) {
    st.kind = StatementKind::kUpdate;
    if (!name(st.table)) return aws::fail(malformed(kExpectedIdentifier));
    if (auto ok = no_alias(); !ok) return ok;
    while (true) {
      if (word("SET")) {
        do {
          UpdateAction action;
          auto path = path_term();
          if (!path) return aws::fail(std::move(path.error()));
          action.path = std::move(*path);
          if (!punct("=")) return aws::fail(malformed(kLeftover));  // [U]
          auto value = additive();
          if (!value) return aws::fail(std::move(value.error()));
          action.value = std::move(*value);
          st.actions.push_back(std::move(action));
        } while (punct(","));
      } else if (word("REMOVE")) {
        do {
          UpdateAction action;
          action.remove = true;
          auto path = path_term();
          if (!path) return aws::fail(std::move(path.error()));
          action.path = std::move(*path);
          st.actions.push_back(std::move(action));
        } while (punct(","));
      } else {
        break;
      }
    }
    if (st.actions.empty()) return aws::fail(malformed(kLeftover));  // [U]
    return where_and_returning(st);
  }

  aws::AwsResult<Ok> remove(Statement& st) {
    st.kind = StatementKind::kDelete;
    if (!word("FROM")) return aws::fail(malformed(kLeftover));              // [U]
    if (!name(st.table)) return aws::fail(malformed(kExpectedIdentifier));  // [P, AWS-checked]
    if (auto ok = no_alias(); !ok) return ok;
    return where_and_returning(st);
  }

  // UPDATE and DELETE need a WHERE (the key); without one the key is incomplete [P,
  // AWS-checked for the FROM-first form, D here].
  aws::AwsResult<Ok> where_and_returning(Statement& st) {
    if (!word("WHERE")) {
      if (peek().kind == Tok::kEnd || is_punct(";")) {
        return aws::fail(validation(std::string(kIncompleteKey)));
      }
      return aws::fail(malformed(kLeftover));
    }
    auto where = condition();
    if (!where) return aws::fail(std::move(where.error()));
    st.where = std::move(*where);
    if (word("RETURNING")) {
      const bool all = word("ALL");
      const bool modified = !all && word("MODIFIED");
      bool is_new = false;
      if ((all || modified) && (word("OLD") || (is_new = word("NEW"))) && punct("*")) {
        st.returning = all ? (is_new ? Returning::kAllNew : Returning::kAllOld)
                           : (is_new ? Returning::kModifiedNew : Returning::kModifiedOld);
      } else {
        return aws::fail(validation(std::string(kReturningSyntax)));
      }
    }
    return Ok{};
  }

  // A document path: name { .name | [index] | ['key'] }.
  aws::AwsResult<Path> path_term() {
    if (is_punct("[")) return aws::fail(validation(std::string(kPathStartsWithIndex)));
    PathStep first;
    if (!name(first.name)) return aws::fail(no_term());
    Path path{std::move(first)};
    if (auto ok = path_rest(path); !ok) return aws::fail(std::move(ok.error()));
    return path;
  }

  aws::AwsResult<Ok> path_rest(Path& path) {
    while (true) {
      if (punct(".")) {
        PathStep step;
        if (!name(step.name)) return aws::fail(malformed(kExpectedIdentifier));  // [U]
        path.push_back(std::move(step));
      } else if (is_punct("[")) {
        ++pos_;
        PathStep step;
        const Token& t = peek();
        if (t.kind == Tok::kNumber && t.text.find_first_not_of("0123456789") == std::string::npos) {
          if (t.text.size() > 9) return aws::fail(malformed(kUnexpectedTerm));  // [U]
          step.index = static_cast<uint32_t>(std::stoul(t.text));
        } else if (t.kind == Tok::kString) {
          step.name = t.text;
        } else {
          return aws::fail(no_term());
        }
        ++pos_;
        if (!punct("]")) return aws::fail(malformed(kLeftover));  // [U]
        path.push_back(std::move(step));
      } else {
        return Ok{};
      }
    }
  }

  // condition := or
  aws::AwsResult<Expr> condition() { return disjunction(); }

  aws::AwsResult<Expr> binary_chain(std::string_view keyword, ExprKind kind,
                                    aws::AwsResult<Expr> (Parser::*next)()) {
    auto left = (this->*next)();
    if (!left) return left;
    while (word(keyword)) {
      if (peek().kind == Tok::kEnd || is_punct(";") || is_punct(")")) {
        return aws::fail(malformed(kMissingRightHandSide));
      }
      auto right = (this->*next)();
      if (!right) return right;
      Expr e;
      e.kind = kind;
      e.children.push_back(std::move(*left));
      e.children.push_back(std::move(*right));
      left = std::move(e);
    }
    return left;
  }
  aws::AwsResult<Expr> disjunction() {
    return binary_chain("OR", ExprKind::kOr, &Parser::conjunction);
  }
  aws::AwsResult<Expr> conjunction() {
    return binary_chain("AND", ExprKind::kAnd, &Parser::negation);
  }

  aws::AwsResult<Expr> negation() {
    if (!word("NOT")) return predicate();
    if (++depth_ > kMaxNesting) return aws::fail(malformed(kUnexpectedTerm));  // [U]
    auto operand = negation();
    --depth_;
    if (!operand) return operand;
    Expr e;
    e.kind = ExprKind::kNot;
    e.children.push_back(std::move(*operand));
    return e;
  }

  aws::AwsResult<Expr> predicate() {
    auto left = additive();
    if (!left) return left;
    static constexpr std::pair<std::string_view, expressions::Comparator> kComparators[] = {
        {"=", expressions::Comparator::kEqual},
        {"<>", expressions::Comparator::kNotEqual},
        {"!=", expressions::Comparator::kNotEqual},
        {"<", expressions::Comparator::kLess},
        {"<=", expressions::Comparator::kLessOrEqual},
        {">", expressions::Comparator::kGreater},
        {">=", expressions::Comparator::kGreaterOrEqual},
    };
    for (const auto& [text, comparator] : kComparators) {
      if (!punct(text)) continue;
      auto right = additive();
      if (!right) return right;
      Expr e;
      e.kind = ExprKind::kCompare;
      e.comparator = comparator;
      e.children.push_back(std::move(*left));
      e.children.push_back(std::move(*right));
      return e;
    }
    const bool negated = is_word("NOT") && (is_word("BETWEEN", 1) || is_word("IN", 1));
    if (negated) ++pos_;
    if (word("BETWEEN")) {
      Expr e;
      e.kind = ExprKind::kBetween;
      e.flag = negated;
      e.children.push_back(std::move(*left));
      auto lower = additive();
      if (!lower) return lower;
      if (!word("AND")) return aws::fail(malformed(kLeftover));  // [U]
      auto upper_bound = additive();
      if (!upper_bound) return upper_bound;
      e.children.push_back(std::move(*lower));
      e.children.push_back(std::move(*upper_bound));
      return e;
    }
    if (word("IN")) {
      Expr e;
      e.kind = ExprKind::kIn;
      e.flag = negated;
      e.children.push_back(std::move(*left));
      // IN [a, b] (DynamoDB's documented form) or IN (a, b).
      const bool bracket = is_punct("[");
      if (!bracket && !is_punct("(")) return aws::fail(no_term());
      ++pos_;
      const std::string_view close = bracket ? "]" : ")";
      do {
        auto candidate = additive();
        if (!candidate) return candidate;
        e.children.push_back(std::move(*candidate));
      } while (punct(","));
      if (!punct(close)) return aws::fail(malformed(kLeftover));  // [U]
      return e;
    }
    if (word("IS")) {
      Expr e;
      e.kind = ExprKind::kIs;
      e.flag = word("NOT");
      const Token& t = peek();
      if (t.kind != Tok::kIdent) return aws::fail(malformed(kExpectedTypeName));
      e.text = upper(t.text);
      static constexpr std::string_view kTypes[] = {"MISSING", "NULL", "BOOLEAN", "BOOL",  "STRING",
                                                    "NUMERIC", "BLOB", "STRUCT",  "TUPLE", "LIST"};
      bool known = false;
      for (std::string_view type : kTypes) known = known || e.text == type;
      if (!known) return aws::fail(malformed(kExpectedTypeName));
      ++pos_;
      e.children.push_back(std::move(*left));
      return e;
    }
    if (word("LIKE")) return aws::fail(validation("Unsupported operation: LIKE"));  // [U]
    return left;
  }

  aws::AwsResult<Expr> additive() {
    auto left = primary();
    if (!left) return left;
    while (is_punct("+") || is_punct("-")) {
      Expr e;
      e.kind = is_punct("+") ? ExprKind::kPlus : ExprKind::kMinus;
      ++pos_;
      auto right = primary();
      if (!right) return right;
      e.children.push_back(std::move(*left));
      e.children.push_back(std::move(*right));
      left = std::move(e);
    }
    return left;
  }

  aws::AwsResult<Expr> primary() {
    if (++depth_ > kMaxNesting) return aws::fail(malformed(kUnexpectedTerm));  // [U]
    auto result = primary_inner();
    --depth_;
    return result;
  }

  aws::AwsResult<Expr> primary_inner() {
    const Token t = peek();
    Expr e;
    switch (t.kind) {
      case Tok::kString:
        ++pos_;
        e.kind = ExprKind::kString;
        e.text = t.text;
        return e;
      case Tok::kNumber:
        ++pos_;
        e.kind = ExprKind::kNumber;
        e.text = t.text;
        return e;
      case Tok::kParam:
        ++pos_;
        e.kind = ExprKind::kParameter;
        e.parameter = parameters_++;
        return e;
      case Tok::kQuoted: {
        auto path = path_term();
        if (!path) return aws::fail(std::move(path.error()));
        e.kind = ExprKind::kPath;
        e.path = std::move(*path);
        return e;
      }
      case Tok::kIdent: {
        const std::string u = upper(t.text);
        if (u == "TRUE" || u == "FALSE") {
          ++pos_;
          e.kind = ExprKind::kBool;
          e.flag = u == "TRUE";
          return e;
        }
        if (u == "NULL" || u == "MISSING") {
          ++pos_;
          e.kind = u == "NULL" ? ExprKind::kNull : ExprKind::kMissing;
          return e;
        }
        if (is_punct("(", 1) && (!is_keyword(t.text) || u == "EXISTS")) {
          pos_ += 2;
          e.kind = ExprKind::kFunction;
          e.text = std::string(t.text);
          for (char& c : e.text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          auto ok = comma_list(")", [&]() -> aws::AwsResult<Ok> {
            auto argument = disjunction();
            if (!argument) return aws::fail(std::move(argument.error()));
            e.children.push_back(std::move(*argument));
            return Ok{};
          });
          if (!ok) return aws::fail(std::move(ok.error()));
          return e;
        }
        auto path = path_term();
        if (!path) return aws::fail(std::move(path.error()));
        e.kind = ExprKind::kPath;
        e.path = std::move(*path);
        return e;
      }
      case Tok::kPunct:
        break;
      case Tok::kEnd:
        return aws::fail(no_term());
    }
    if (punct("(")) {
      auto inner = disjunction();
      if (!inner) return inner;
      if (!punct(")")) return aws::fail(malformed(kLeftover));  // [U]
      return inner;
    }
    if (is_punct("-") && peek(1).kind == Tok::kNumber) {
      pos_ += 2;
      e.kind = ExprKind::kNumber;
      e.text = "-" + tokens_[pos_ - 1].text;
      return e;
    }
    const auto element = [&]() -> aws::AwsResult<Ok> {
      auto value = additive();
      if (!value) return aws::fail(std::move(value.error()));
      e.children.push_back(std::move(*value));
      return Ok{};
    };
    aws::AwsResult<Ok> ok = Ok{};
    if (punct("[")) {
      e.kind = ExprKind::kList;
      ok = comma_list("]", element);
    } else if (punct("<<")) {
      e.kind = ExprKind::kSet;
      ok = comma_list(">>", element);
    } else if (punct("{")) {
      e.kind = ExprKind::kMap;
      ok = comma_list("}", [&]() -> aws::AwsResult<Ok> {
        const Token& key = peek();
        if (key.kind != Tok::kString) return aws::fail(no_term());  // [U]
        e.keys.push_back(key.text);
        ++pos_;
        if (!punct(":")) return aws::fail(malformed(kLeftover));  // [U]
        return element();
      });
    } else {
      return aws::fail(no_term());
    }
    if (!ok) return aws::fail(std::move(ok.error()));
    return e;
  }

  // Items separated by commas up to `close` (nothing at all is allowed): `each` parses one.
  template <class Each>
  aws::AwsResult<Ok> comma_list(std::string_view close, Each each) {
    if (punct(close)) return Ok{};
    do {
      if (auto ok = each(); !ok) return ok;
    } while (punct(","));
    if (!punct(close)) return aws::fail(malformed(kLeftover));  // [U]
    return Ok{};
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  uint32_t parameters_ = 0;
  int depth_ = 0;
};

}  // namespace

aws::AwsResult<Statement> parse_statement(std::string_view text) {
  auto tokens = scan(text);
  if (!tokens) return aws::fail(std::move(tokens.error()));
  Parser parser(std::move(*tokens));
  return parser.statement();
}

namespace {

void render_path(const Path& path, std::string& out) {
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i].is_index()) {
      out += "[" + std::to_string(path[i].index) + "]";
    } else {
      if (i > 0) out += ".";
      out += path[i].name;
    }
  }
}

void render(const Expr& e, std::string& out) {
  const auto children = [&](std::string_view head) {
    out += "(";
    out += head;
    for (const Expr& c : e.children) {
      out += " ";
      render(c, out);
    }
    out += ")";
  };
  switch (e.kind) {
    case ExprKind::kPath:
      render_path(e.path, out);
      return;
    case ExprKind::kString:
      out += "'" + e.text + "'";
      return;
    case ExprKind::kNumber:
      out += e.text;
      return;
    case ExprKind::kBool:
      out += e.flag ? "true" : "false";
      return;
    case ExprKind::kNull:
      out += "null";
      return;
    case ExprKind::kMissing:
      out += "missing";
      return;
    case ExprKind::kParameter:
      out += "?" + std::to_string(e.parameter);
      return;
    case ExprKind::kList:
      return children("list");
    case ExprKind::kSet:
      return children("set");
    case ExprKind::kMap:
      out += "(map";
      for (size_t i = 0; i < e.children.size(); ++i) {
        out += " " + e.keys[i] + ":";
        render(e.children[i], out);
      }
      out += ")";
      return;
    case ExprKind::kFunction:
      return children(e.text);
    case ExprKind::kPlus:
      return children("+");
    case ExprKind::kMinus:
      return children("-");
    case ExprKind::kCompare:
      return children(expressions::comparator_text(e.comparator));
    case ExprKind::kBetween:
      return children(e.flag ? "NOT BETWEEN" : "BETWEEN");
    case ExprKind::kIn:
      return children(e.flag ? "NOT IN" : "IN");
    case ExprKind::kIs:
      return children((e.flag ? "IS NOT " : "IS ") + e.text);
    case ExprKind::kAnd:
      return children("AND");
    case ExprKind::kOr:
      return children("OR");
    case ExprKind::kNot:
      return children("NOT");
  }
}

}  // namespace

std::string debug_string(const Expr& expr) {
  std::string out;
  render(expr, out);
  return out;
}

}  // namespace trib::dynamodb::partiql
