// The DynamoDB expression front end (src/dynamodb/expressions/): grammar, precedence, every
// error text, reserved words, limits. Trees are compared through Expression::debug_string().
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb/expressions/key_condition.h"
#include "dynamodb/expressions/lexer.h"
#include "dynamodb/expressions/parser.h"
#include "dynamodb/expressions/request.h"
#include "dynamodb/expressions/reserved_words.h"

namespace ex = trib::dynamodb::expressions;
using ex::ExpressionKind;
using trib::aws::Value;

namespace {

Value attribute(const char* type, Value member) {
  return Value::map().set(type, std::move(member));
}
Value string_value(const char* text) { return attribute("S", text); }
Value number_value(const char* text) { return attribute("N", text); }

// Names and values used by most tests: #n..#n3 and :s (S), :t (S), :n (N), :m (N), :l (L),
// :ss (SS), :b (BOOL), :null (NULL), :map (M), :bin (B), :type (S "N"), :badtype (S "X").
Value default_names() {
  return Value::map()
      .set("#n", "name")
      .set("#n2", "two")
      .set("#n3", "three")
      .set("#status", "status");
}
Value default_values() {
  return Value::map()
      .set(":s", string_value("a"))
      .set(":t", string_value("b"))
      .set(":n", number_value("1"))
      .set(":m", number_value("2"))
      .set(":l", attribute("L", Value::list()))
      .set(":ss", attribute("SS", Value::list().push("x")))
      .set(":b", attribute("BOOL", true))
      .set(":null", attribute("NULL", true))
      .set(":map", attribute("M", Value::map()))
      .set(":bin", attribute("B", trib::aws::Blob{"\x01\x02"}))
      .set(":type", string_value("N"))
      .set(":badtype", string_value("X"));
}

// The tree, or "error: <message>".
std::string parse(ExpressionKind kind, std::string_view text) {
  const Value names = default_names();
  const Value values = default_values();
  ex::Substitutions substitutions(&names, &values);
  auto result = ex::parse_expression(kind, text, substitutions);
  if (!result.ok()) {
    EXPECT_EQ(result.error().type, "ValidationException");
    EXPECT_EQ(result.error().type_namespace, "com.amazon.coral.validate");
    EXPECT_EQ(result.error().http_status, 400);
    return "error: " + result.error().message;
  }
  return result->debug_string();
}

std::string condition(std::string_view text) { return parse(ExpressionKind::kCondition, text); }
std::string update(std::string_view text) { return parse(ExpressionKind::kUpdate, text); }
std::string projection(std::string_view text) { return parse(ExpressionKind::kProjection, text); }
std::string filter(std::string_view text) { return parse(ExpressionKind::kFilter, text); }
std::string key_condition(std::string_view text) {
  return parse(ExpressionKind::kKeyCondition, text);
}

}  // namespace

// --- Reserved words --------------------------------------------------------------------------

TEST(DynamoDbReservedWords, TableIsTheFullSortedList) {
  const auto words = ex::reserved_words();
  EXPECT_EQ(words.size(), 573u);
  EXPECT_TRUE(std::is_sorted(words.begin(), words.end()));
  EXPECT_EQ(std::adjacent_find(words.begin(), words.end()), words.end());
  EXPECT_EQ(words.front(), "ABORT");
  EXPECT_EQ(words.back(), "ZONE");
  for (const auto word : words) EXPECT_TRUE(ex::is_reserved_word(word)) << word;
}

TEST(DynamoDbReservedWords, MatchedCaseInsensitively) {
  for (const char* word : {"status", "STATUS", "Status", "name", "data", "count", "items", "ttl",
                           "date", "size", "Comment", "flattern", "InNtEr", "zone", "abort"}) {
    EXPECT_TRUE(ex::is_reserved_word(word)) << word;
  }
  for (const char* word : {"", "a", "abort1", "statu", "statuses", "pk", "zones", "ABORTX", "price",
                           "_status", "STATUS "}) {
    EXPECT_FALSE(ex::is_reserved_word(word)) << word;
  }
}

TEST(DynamoDbExpressions, ReservedWordsRefusedUnlessSubstituted) {
  EXPECT_EQ(filter("status = :s"),
            "error: Invalid FilterExpression: Attribute name is a reserved keyword; reserved "
            "keyword: status");
  EXPECT_EQ(filter("TTL = :s"),
            "error: Invalid FilterExpression: Attribute name is a reserved keyword; reserved "
            "keyword: TTL");
  EXPECT_EQ(update("SET a.Size = :s"),
            "error: Invalid UpdateExpression: Attribute name is a reserved keyword; reserved "
            "keyword: Size");
  EXPECT_EQ(projection("pk, Data"),
            "error: Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved "
            "keyword: Data");
  EXPECT_EQ(filter("#status = :s"), "(= status :s)");
  EXPECT_EQ(projection("pk, #status"), "(PROJECTION pk status)");
}

// --- Lexer -----------------------------------------------------------------------------------

TEST(DynamoDbExpressions, LexerTokens) {
  const auto tokens = ex::tokenize("a_1 #b :c 12 ( ) [ ] , . = <> < <= > >= + - ! é");
  std::vector<ex::TokenKind> kinds;
  for (const auto& token : tokens) kinds.push_back(token.kind);
  using K = ex::TokenKind;
  EXPECT_EQ(kinds, (std::vector<K>{K::kIdentifier,
                                   K::kNamePlaceholder,
                                   K::kValuePlaceholder,
                                   K::kInteger,
                                   K::kLeftParen,
                                   K::kRightParen,
                                   K::kLeftBracket,
                                   K::kRightBracket,
                                   K::kComma,
                                   K::kDot,
                                   K::kEqual,
                                   K::kNotEqual,
                                   K::kLess,
                                   K::kLessOrEqual,
                                   K::kGreater,
                                   K::kGreaterOrEqual,
                                   K::kPlus,
                                   K::kMinus,
                                   K::kInvalid,
                                   K::kInvalid,
                                   K::kEnd}));
  EXPECT_EQ(tokens[tokens.size() - 2].end - tokens[tokens.size() - 2].begin, 2u);  // é: 2 bytes
  EXPECT_EQ(tokens.back().begin,
            std::string_view("a_1 #b :c 12 ( ) [ ] , . = <> < <= > >= + - ! é").size());
}

// --- Conditions: grammar ------------------------------------------------------------------------

TEST(DynamoDbExpressions, Comparators) {
  EXPECT_EQ(condition("a = :s"), "(= a :s)");
  EXPECT_EQ(condition("a <> :s"), "(<> a :s)");
  EXPECT_EQ(condition("a < :s"), "(< a :s)");
  EXPECT_EQ(condition("a <= :s"), "(<= a :s)");
  EXPECT_EQ(condition("a > :s"), "(> a :s)");
  EXPECT_EQ(condition("a >= :s"), "(>= a :s)");
  EXPECT_EQ(condition(":s=a"), "(= :s a)");
  EXPECT_EQ(condition("a = b"), "(= a b)");
  EXPECT_EQ(condition("\ta\r\n=\n:s "), "(= a :s)");
}

TEST(DynamoDbExpressions, DocumentPaths) {
  EXPECT_EQ(condition("a.b.c = :s"), "(= a.b.c :s)");
  EXPECT_EQ(condition("a[0][12].b = :s"), "(= a[0][12].b :s)");
  EXPECT_EQ(condition("#n.#n2[3].c = :s"), "(= name.two[3].c :s)");
  EXPECT_EQ(condition("a . b [ 1 ] = :s"), "(= a.b[1] :s)");
  EXPECT_EQ(condition("Alpha_Numeric_123 = :s"), "(= Alpha_Numeric_123 :s)");
}

TEST(DynamoDbExpressions, BetweenAndIn) {
  EXPECT_EQ(condition("a BETWEEN :s AND :t"), "(BETWEEN a :s :t)");
  EXPECT_EQ(condition("a between :n and :m"), "(BETWEEN a :n :m)");
  EXPECT_EQ(condition("a IN (:s)"), "(IN a :s)");
  EXPECT_EQ(condition("a in (:s, :t, b.c)"), "(IN a :s :t b.c)");
  EXPECT_EQ(condition("size(a) BETWEEN :n AND :m"), "(BETWEEN (size a) :n :m)");
}

TEST(DynamoDbExpressions, Functions) {
  EXPECT_EQ(condition("attribute_exists(a)"), "(attribute_exists a)");
  EXPECT_EQ(condition("attribute_not_exists(#n.b)"), "(attribute_not_exists name.b)");
  EXPECT_EQ(condition("attribute_type(a, :type)"), "(attribute_type a :type)");
  EXPECT_EQ(condition("begins_with(a, :s)"), "(begins_with a :s)");
  EXPECT_EQ(condition("contains(a, :s)"), "(contains a :s)");
  EXPECT_EQ(condition("size(a) > :n"), "(> (size a) :n)");
  EXPECT_EQ(condition(":n < size(a[1])"), "(< :n (size a[1]))");
  EXPECT_EQ(condition("size(size(a)) = :n"),
            "error: Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: size, operand type: N");
}

TEST(DynamoDbExpressions, Precedence) {
  // NOT binds tighter than AND, AND tighter than OR; comparisons tighter than all three.
  EXPECT_EQ(condition("a = :s OR b = :s AND c = :s"), "(OR (= a :s) (AND (= b :s) (= c :s)))");
  EXPECT_EQ(condition("a = :s AND b = :s OR c = :s"), "(OR (AND (= a :s) (= b :s)) (= c :s))");
  EXPECT_EQ(condition("NOT a = :s AND b = :s"), "(AND (NOT (= a :s)) (= b :s))");
  EXPECT_EQ(condition("NOT NOT a = :s"), "(NOT (NOT (= a :s)))");
  EXPECT_EQ(condition("a = :s OR NOT b = :s"), "(OR (= a :s) (NOT (= b :s)))");
  EXPECT_EQ(condition("a = :s AND b = :s AND c = :s"), "(AND (AND (= a :s) (= b :s)) (= c :s))");
  EXPECT_EQ(condition("a BETWEEN :n AND :m AND b = :s"), "(AND (BETWEEN a :n :m) (= b :s))");
  EXPECT_EQ(condition("attribute_exists(a) AND NOT contains(b, :s) OR c IN (:s, :t)"),
            "(OR (AND (attribute_exists a) (NOT (contains b :s))) (IN c :s :t))");
}

TEST(DynamoDbExpressions, Parentheses) {
  EXPECT_EQ(condition("(a = :s OR b = :s) AND c = :s"), "(AND (OR (= a :s) (= b :s)) (= c :s))");
  EXPECT_EQ(condition("NOT (a = :s AND b = :s)"), "(NOT (AND (= a :s) (= b :s)))");
  EXPECT_EQ(condition("(a) = (:s)"), "(= a :s)");
  EXPECT_EQ(condition("(size(a)) > :n"), "(> (size a) :n)");
  EXPECT_EQ(condition("(attribute_not_exists(pk)) AND (attribute_not_exists(#status))"),
            "(AND (attribute_not_exists pk) (attribute_not_exists status))");
  EXPECT_EQ(condition("(attribute_not_exists(pk) AND (attribute_not_exists(#status)))"),
            "(AND (attribute_not_exists pk) (attribute_not_exists status))");
  EXPECT_EQ(condition("a IN ((:s), :t)"), "(IN a :s :t)");
  const std::string redundant =
      "error: Invalid ConditionExpression: The expression has redundant parentheses;";
  EXPECT_EQ(condition("((a < b))"), redundant);
  EXPECT_EQ(condition("((a = :s)) AND ((b = :s))"), redundant);
  EXPECT_EQ(condition("((a)) = :s"), redundant);
  EXPECT_EQ(condition("a = ((:s))"), redundant);
  EXPECT_EQ(condition(std::string(2000, '(') + "a<b" + std::string(2000, ')')), redundant);
}

// --- Syntax errors: the token and the text from the token before it to the token after it -----

TEST(DynamoDbExpressions, SyntaxErrorsAsRecordedFromAws) {
  EXPECT_EQ(projection("!!"),
            "error: Invalid ProjectionExpression: Syntax error; token: \"!\", near: \"!!\"");
  EXPECT_EQ(update("INVALID SYNTAX HERE"),
            "error: Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: \"INVALID "
            "SYNTAX\"");
  EXPECT_EQ(condition("foo"),
            "error: Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"foo\"");
  EXPECT_EQ(condition("a-b"),
            "error: Invalid ConditionExpression: Syntax error; token: \"-\", near: \"a-b\"");
  EXPECT_EQ(key_condition("a-b"),
            "error: Invalid KeyConditionExpression: Syntax error; token: \"-\", near: \"a-b\"");
  EXPECT_EQ(update("a-b"),
            "error: Invalid UpdateExpression: Syntax error; token: \"a\", near: \"a-\"");
  EXPECT_EQ(key_condition("[object Object]"),
            "error: Invalid KeyConditionExpression: Syntax error; token: \"[\", near: \"[object\"");
  EXPECT_EQ(update("SET _123 = :s"),
            "error: Invalid UpdateExpression: Syntax error; token: \"_\", near: \"SET _123\"");
  EXPECT_EQ(update("SET path = VALUE 1"),
            "error: Invalid UpdateExpression: Syntax error; token: \"1\", near: \"VALUE 1\"");
  EXPECT_EQ(condition("attribute_exists(a) AND NOT #n"),
            "error: Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"#n\"");
  EXPECT_EQ(condition("attribute_type()"),
            "error: Invalid ConditionExpression: Syntax error; token: \")\", near: \"()\"");
  EXPECT_EQ(update("SET"),
            "error: Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"SET\"");
  EXPECT_EQ(projection("l[a]"),
            "error: Invalid ProjectionExpression: Syntax error; token: \"a\", near: \"[a]\"");
  // Two more shapes seen in users' AWS logs: a number literal as an operand, and a value
  // placeholder glued to a name.
  EXPECT_EQ(update("SET x = list_append(y, 0)"),
            "error: Invalid UpdateExpression: Syntax error; token: \"0\", near: \", 0)\"");
  EXPECT_EQ(filter("x = tenantAgent:abc123-def"),
            "error: Invalid FilterExpression: Syntax error; token: \":abc123\", near: "
            "\"tenantAgent:abc123-\"");
}

TEST(DynamoDbExpressions, SyntaxErrors) {
  auto syntax = [](const char* parameter, const char* token, const char* near) {
    return std::string("error: Invalid ") + parameter + ": Syntax error; token: \"" + token +
           "\", near: \"" + near + "\"";
  };
  EXPECT_EQ(condition("a = :s AND"), syntax("ConditionExpression", "<EOF>", "AND"));
  EXPECT_EQ(condition("a = :s AND "), syntax("ConditionExpression", "<EOF>", "AND "));
  EXPECT_EQ(condition("a = "), syntax("ConditionExpression", "<EOF>", "= "));
  EXPECT_EQ(condition("a == :s"), syntax("ConditionExpression", "=", "== :s"));
  EXPECT_EQ(condition("(a = :s"), syntax("ConditionExpression", "<EOF>", ":s"));
  EXPECT_EQ(condition("a = :s)"), syntax("ConditionExpression", ")", ":s)"));
  EXPECT_EQ(condition("(a) AND b = :s"), syntax("ConditionExpression", "AND", ") AND b"));
  EXPECT_EQ(condition("(a < b) = :s"), syntax("ConditionExpression", "=", ") = :s"));
  EXPECT_EQ(condition("a = (b = :s)"), syntax("ConditionExpression", "=", "b = :s"));
  EXPECT_EQ(condition("a BETWEEN :s OR :t"), syntax("ConditionExpression", "OR", ":s OR :t"));
  EXPECT_EQ(condition("a IN :s"), syntax("ConditionExpression", ":s", "IN :s"));
  EXPECT_EQ(condition("a IN ()"), syntax("ConditionExpression", ")", "()"));
  EXPECT_EQ(condition("AND = :s"), syntax("ConditionExpression", "AND", "AND ="));
  EXPECT_EQ(condition("a.#"), syntax("ConditionExpression", "#", ".#"));
  EXPECT_EQ(condition("a[-1] = :s"), syntax("ConditionExpression", "-", "[-1"));
  EXPECT_EQ(condition("a[99999999999] = :s"),
            syntax("ConditionExpression", "99999999999", "[99999999999]"));
  EXPECT_EQ(condition("a = :s b"), syntax("ConditionExpression", "b", ":s b"));
  EXPECT_EQ(condition("   "), syntax("ConditionExpression", "<EOF>", ""));
  EXPECT_EQ(condition("NOT"), syntax("ConditionExpression", "<EOF>", "NOT"));
  EXPECT_EQ(condition("a = :s \xc3\xa9"), syntax("ConditionExpression", "\xc3\xa9", ":s \xc3\xa9"));
  EXPECT_EQ(update("SET a = :s,"), syntax("UpdateExpression", "<EOF>", ","));
  EXPECT_EQ(update("SET a = :s, REMOVE b"), syntax("UpdateExpression", "REMOVE", ", REMOVE b"));
  EXPECT_EQ(update("SET a :s"), syntax("UpdateExpression", ":s", "a :s"));
  EXPECT_EQ(update("SET a = :s + :t + :n"), syntax("UpdateExpression", "+", ":t + :n"));
  EXPECT_EQ(update("ADD a b"), syntax("UpdateExpression", "b", "a b"));
  EXPECT_EQ(update("REMOVE"), syntax("UpdateExpression", "<EOF>", "REMOVE"));
  EXPECT_EQ(update("SET a = size(b)").substr(0, 52),
            "error: Invalid UpdateExpression: Invalid function na");
  EXPECT_EQ(projection("a,"), syntax("ProjectionExpression", "<EOF>", ","));
  EXPECT_EQ(projection("a, :s"), syntax("ProjectionExpression", ":s", ", :s"));
  EXPECT_EQ(projection("a b"), syntax("ProjectionExpression", "b", "a b"));
  EXPECT_EQ(projection("size(a)"), syntax("ProjectionExpression", "(", "size(a"));
}

TEST(DynamoDbExpressions, EmptyAndOversizedExpressions) {
  EXPECT_EQ(update(""), "error: Invalid UpdateExpression: The expression can not be empty;");
  EXPECT_EQ(key_condition(""),
            "error: Invalid KeyConditionExpression: The expression can not be empty;");
  EXPECT_EQ(projection(""),
            "error: Invalid ProjectionExpression: The expression can not be empty;");
  // 4096 bytes are accepted, 4097 are not (measured in bytes, before substitution).
  std::string at_limit = "a" + std::string(4096 - 6, ' ') + " = :s";
  ASSERT_EQ(at_limit.size(), 4096u);
  EXPECT_EQ(condition(at_limit), "(= a :s)");
  EXPECT_EQ(condition(at_limit + " "),
            "error: Invalid ConditionExpression: Expression size has exceeded the maximum allowed "
            "size; expression size: 4097");
  // Size is checked before syntax.
  EXPECT_EQ(condition(std::string(15000, '(')),
            "error: Invalid ConditionExpression: Expression size has exceeded the maximum allowed "
            "size; expression size: 15000");
  EXPECT_EQ(projection(std::string(4096, 'x')), "(PROJECTION " + std::string(4096, 'x') + ")");
}

TEST(DynamoDbExpressions, OperatorLimit) {
  // a<b or (a<b or (...)): 149 levels are 299 operators, accepted; 454 levels are refused with
  // the count stopping at 301 (scylladb test_limits.py, from AWS).
  auto nested = [](int depth) {
    std::string text = "a<b ";
    for (int i = 0; i < depth; ++i) text += "or (a<b ";
    return text + std::string(depth, ')');
  };
  EXPECT_EQ(condition(nested(149)).substr(0, 4), "(OR ");
  EXPECT_EQ(condition(nested(150)),
            "error: Invalid ConditionExpression: The expression contains too many operators; "
            "operator count: 301");
  EXPECT_EQ(condition(nested(454)),
            "error: Invalid ConditionExpression: The expression contains too many operators; "
            "operator count: 301");
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "not ";
  EXPECT_EQ(condition(nots + "a<b"),
            "error: Invalid ConditionExpression: The expression contains too many operators; "
            "operator count: 301");
  std::string three_hundred = "a<b";
  for (int i = 0; i < 149; ++i) three_hundred += " OR a<b";  // 150 comparisons + 149 ORs + 1
  EXPECT_EQ(condition("NOT " + three_hundred).substr(0, 10), "(OR (OR (O");  // 300: accepted
  // Unknown functions are reported before the operator count.
  std::string calls = "a < ";
  for (int i = 0; i < 400; ++i) calls += "f(";
  calls += "b" + std::string(400, ')');
  EXPECT_EQ(condition(calls),
            "error: Invalid ConditionExpression: Invalid function name; function: f");
  // Update expressions count + and - and functions.
  std::string sets = "SET a=:n+:m";
  for (int i = 0; i < 300; ++i) sets += ",a=:n+:m";
  EXPECT_EQ(update(sets),
            "error: Invalid UpdateExpression: The expression contains too many operators; "
            "operator count: 301");
}

TEST(DynamoDbExpressions, InOperandLimit) {
  auto in_list = [](int count) {
    std::string text = "a IN (";
    for (int i = 0; i < count; ++i) text += i ? ", :s" : ":s";
    return text + ")";
  };
  EXPECT_EQ(condition(in_list(100)).substr(0, 6), "(IN a ");
  EXPECT_EQ(filter(in_list(163)),
            "error: Invalid FilterExpression: The IN operator is provided with too many operands; "
            "number of operands: 163");
}

// --- Conditions: static checks ------------------------------------------------------------------

TEST(DynamoDbExpressions, FunctionChecks) {
  const std::string prefix = "error: Invalid ConditionExpression: ";
  EXPECT_EQ(condition("SIZE(a) > :n"), prefix + "Invalid function name; function: SIZE");
  EXPECT_EQ(condition("list_append(a, :l)"),
            prefix + "Invalid function name; function: list_append");
  EXPECT_EQ(condition("begins_with(a, :s, :t)"),
            prefix +
                "Incorrect number of operands for operator or function; operator or "
                "function: begins_with, number of operands: 3");
  EXPECT_EQ(condition("size(a, b) > :n"),
            prefix +
                "Incorrect number of operands for operator or function; operator or "
                "function: size, number of operands: 2");
  EXPECT_EQ(condition("attribute_exists(a, b)"),
            prefix +
                "Incorrect number of operands for operator or function; operator or "
                "function: attribute_exists, number of operands: 2");
  EXPECT_EQ(condition("attribute_exists(:s)"),
            prefix +
                "Operator or function requires a document path; operator or function: "
                "attribute_exists");
  EXPECT_EQ(condition("attribute_not_exists(size(a))"),
            prefix +
                "Operator or function requires a document path; operator or function: "
                "attribute_not_exists");
  EXPECT_EQ(condition("begins_with(a, :n)"),
            prefix +
                "Incorrect operand type for operator or function; operator or function: "
                "begins_with, operand type: N");
  EXPECT_EQ(condition("begins_with(a, :bin)"), "(begins_with a :bin)");
  EXPECT_EQ(condition("attribute_type(a, :n)"),
            prefix +
                "Incorrect operand type for operator or function; operator or function: "
                "attribute_type, operand type: N");
  EXPECT_EQ(condition("attribute_type(a, b)"),
            prefix +
                "Incorrect operand type for operator or function; operator or function: "
                "attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
  EXPECT_EQ(condition("attribute_type(a, :badtype)"),
            prefix +
                "Invalid attribute type name found; type: X, valid types: "
                "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
  EXPECT_EQ(condition("size(:n) > :m"),
            prefix +
                "Incorrect operand type for operator or function; operator or function: "
                "size, operand type: N");
  EXPECT_EQ(condition("size(:b) > :m"),
            prefix +
                "Incorrect operand type for operator or function; operator or function: "
                "size, operand type: BOOL");
  EXPECT_EQ(condition("size(:s) > :m"), "(> (size :s) :m)");
}

TEST(DynamoDbExpressions, MisusedFunctions) {
  const std::string prefix =
      "error: Invalid ConditionExpression: The function is not allowed to be used this way in an "
      "expression; function: ";
  EXPECT_EQ(condition("size(a)"), prefix + "size");
  EXPECT_EQ(condition("size(a) AND a = :s"), prefix + "size");
  EXPECT_EQ(condition("attribute_exists(a) = :b"), prefix + "attribute_exists");
  EXPECT_EQ(condition("a IN (contains(b, :s))"), prefix + "contains");
  EXPECT_EQ(condition("begins_with(attribute_type(a, :type), :s)"), prefix + "attribute_type");
  EXPECT_EQ(condition("a BETWEEN begins_with(a, :s) AND :t"), prefix + "begins_with");
}

TEST(DynamoDbExpressions, DistinctOperands) {
  EXPECT_EQ(condition("a = a"),
            "error: Invalid ConditionExpression: The first operand must be distinct from the "
            "remaining operands for this operator or function; operator: =, first operand: [a]");
  EXPECT_EQ(condition("#n.b[1] <> name.b[1]").substr(0, 36),
            "error: Invalid ConditionExpression: ");
  EXPECT_EQ(condition("contains(#n, #n)"),
            "error: Invalid ConditionExpression: The first operand must be distinct from the "
            "remaining operands for this operator or function; operator: contains, first "
            "operand: [name]");
  EXPECT_EQ(condition("a.b[1] < a.b[2]"), "(< a.b[1] a.b[2])");
}

TEST(DynamoDbExpressions, OrderingNeedsOrderableConstants) {
  const std::string prefix =
      "error: Invalid ConditionExpression: Incorrect operand type for operator or function; "
      "operator or function: ";
  EXPECT_EQ(condition("a < :l"), prefix + "<, operand type: L");
  EXPECT_EQ(condition(":map >= a"), prefix + ">=, operand type: M");
  EXPECT_EQ(condition("a > :ss"), prefix + ">, operand type: SS");
  EXPECT_EQ(condition("a <= :b"), prefix + "<=, operand type: BOOL");
  EXPECT_EQ(condition("a BETWEEN :null AND :null"), prefix + "BETWEEN, operand type: NULL");
  EXPECT_EQ(condition("a = :l"), "(= a :l)");  // equality takes any type
  EXPECT_EQ(condition("a <> :map"), "(<> a :map)");
  EXPECT_EQ(condition("a < :s AND b > :n AND c >= :bin AND size(d) < :n"),
            "(AND (AND (AND (< a :s) (> b :n)) (>= c :bin)) (< (size d) :n))");
}

TEST(DynamoDbExpressions, BetweenBounds) {
  EXPECT_EQ(condition("a BETWEEN :s AND :n"),
            "error: Invalid ConditionExpression: The BETWEEN operator requires same data type for "
            "lower and upper bounds; lower bound operand: AttributeValue: {S:a}, upper bound "
            "operand: AttributeValue: {N:1}");
  EXPECT_EQ(condition("a BETWEEN :t AND :s"),
            "error: Invalid ConditionExpression: The BETWEEN operator requires upper bound to be "
            "greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, "
            "upper bound operand: AttributeValue: {S:a}");
  EXPECT_EQ(condition("a BETWEEN :s AND :s"), "(BETWEEN a :s :s)");
}

TEST(DynamoDbExpressions, UndefinedSubstitutions) {
  EXPECT_EQ(filter("#missing = :s"),
            "error: Invalid FilterExpression: An expression attribute name used in the document "
            "path is not defined; attribute name: #missing");
  EXPECT_EQ(condition("a = :missing"),
            "error: Invalid ConditionExpression: An expression attribute value used in expression "
            "is not defined; attribute value: :missing");
  EXPECT_EQ(update("SET a = :missing"),
            "error: Invalid UpdateExpression: An expression attribute value used in expression is "
            "not defined; attribute value: :missing");
  EXPECT_EQ(projection("a.#missing"),
            "error: Invalid ProjectionExpression: An expression attribute name used in the "
            "document path is not defined; attribute name: #missing");
  // Conditions report names and values in the order met; updates names before values.
  EXPECT_EQ(condition(":x = #y").substr(0, 90),
            "error: Invalid ConditionExpression: An expression attribute value used in expression "
            "is no");
  EXPECT_EQ(update("SET a = :x, #y = :s").substr(0, 75),
            "error: Invalid UpdateExpression: An expression attribute name used in the d");
}

TEST(DynamoDbExpressions, ErrorCategoryOrder) {
  // Syntax first, then redundant parentheses, unknown functions, misuse, reserved words,
  // undefined names.
  EXPECT_EQ(condition("((status = :x)) AND f(a) AND "),
            "error: Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND \"");
  EXPECT_EQ(condition("((status = :x)) AND f(a)"),
            "error: Invalid ConditionExpression: The expression has redundant parentheses;");
  EXPECT_EQ(condition("status = :x AND f(a) AND size(b)"),
            "error: Invalid ConditionExpression: Invalid function name; function: f");
  EXPECT_EQ(condition("status = :x AND size(b)"),
            "error: Invalid ConditionExpression: The function is not allowed to be used this way "
            "in an expression; function: size");
  EXPECT_EQ(condition("#x = :x AND status = :s"),
            "error: Invalid ConditionExpression: Attribute name is a reserved keyword; reserved "
            "keyword: status");
  EXPECT_EQ(update("SET a = :x REMOVE status"),
            "error: Invalid UpdateExpression: Attribute name is a reserved keyword; reserved "
            "keyword: status");
}

// --- Update expressions -------------------------------------------------------------------------

TEST(DynamoDbExpressions, UpdateGrammar) {
  EXPECT_EQ(update("SET a = :s"), "(UPDATE (SET a :s))");
  EXPECT_EQ(update("set a = :s, b.c[2] = #n"), "(UPDATE (SET a :s) (SET b.c[2] name))");
  EXPECT_EQ(update("SET a = b + :n, c = :n - d"), "(UPDATE (SET a (+ b :n)) (SET c (- :n d)))");
  EXPECT_EQ(update("SET a = (:n + :m)"), "(UPDATE (SET a (+ :n :m)))");
  EXPECT_EQ(update("SET a = (b) + (:n)"), "(UPDATE (SET a (+ b :n)))");
  EXPECT_EQ(update("SET a = list_append(a, :l), b = list_append(:l, b)"),
            "(UPDATE (SET a (list_append a :l)) (SET b (list_append :l b)))");
  EXPECT_EQ(update("SET a = if_not_exists(a, :n) + :m"),
            "(UPDATE (SET a (+ (if_not_exists a :n) :m)))");
  EXPECT_EQ(update("SET a = if_not_exists(b.c, list_append(:l, :l))"),
            "(UPDATE (SET a (if_not_exists b.c (list_append :l :l))))");
  EXPECT_EQ(update("REMOVE a, b[1], c.d[0].e"),
            "(UPDATE (REMOVE a) (REMOVE b[1]) (REMOVE c.d[0].e))");
  EXPECT_EQ(update("ADD a :n, b :ss"), "(UPDATE (ADD a :n) (ADD b :ss))");
  EXPECT_EQ(update("DELETE a :ss"), "(UPDATE (DELETE a :ss))");
  EXPECT_EQ(update("DELETE a :ss SET b = :s REMOVE c ADD d :n"),
            "(UPDATE (DELETE a :ss) (SET b :s) (REMOVE c) (ADD d :n))");
  EXPECT_EQ(update("remove a add b :n delete c :ss"),
            "(UPDATE (REMOVE a) (ADD b :n) (DELETE c :ss))");
}

TEST(DynamoDbExpressions, UpdateChecks) {
  const std::string prefix = "error: Invalid UpdateExpression: ";
  EXPECT_EQ(update("SET a = :s SET b = :s"),
            prefix + "The \"SET\" section can only be used once in an update expression;");
  EXPECT_EQ(update("REMOVE a ADD b :n remove c"),
            prefix + "The \"REMOVE\" section can only be used once in an update expression;");
  EXPECT_EQ(update("ADD a :n ADD b :n"),
            prefix + "The \"ADD\" section can only be used once in an update expression;");
  EXPECT_EQ(update("DELETE a :ss DELETE b :ss"),
            prefix + "The \"DELETE\" section can only be used once in an update expression;");
  EXPECT_EQ(update("SET a = :s, a.b = :s"),
            prefix +
                "Two document paths overlap with each other; must remove or rewrite one of "
                "these paths; path one: [a], path two: [a, b]");
  EXPECT_EQ(update("SET a.b = :s REMOVE a.b"),
            prefix +
                "Two document paths overlap with each other; must remove or rewrite one of "
                "these paths; path one: [a, b], path two: [a, b]");
  EXPECT_EQ(update("SET a[1] = :s REMOVE a.b"),
            prefix +
                "Two document paths conflict with each other; must remove or rewrite one of "
                "these paths; path one: [a, [1]], path two: [a, b]");
  EXPECT_EQ(update("SET a[1] = :s, a[2] = :s, a.b = :s, a[1].c = :s"),
            prefix +
                "Two document paths overlap with each other; must remove or rewrite one of "
                "these paths; path one: [a, [1]], path two: [a, [1], c]");
  EXPECT_EQ(update("SET a.b = :s, a.c = :s, #n = :s, name2 = :s"),
            "(UPDATE (SET a.b :s) (SET a.c :s) (SET name :s) (SET name2 :s))");
  EXPECT_EQ(update("ADD a :s"),
            prefix +
                "Incorrect operand type for operator or function; operator: ADD, operand "
                "type: STRING");
  EXPECT_EQ(update("ADD a :l"),
            prefix +
                "Incorrect operand type for operator or function; operator: ADD, operand "
                "type: LIST");
  EXPECT_EQ(update("DELETE a :n"),
            prefix +
                "Incorrect operand type for operator or function; operator: DELETE, operand "
                "type: NUMBER");
  EXPECT_EQ(update("DELETE a :map"),
            prefix +
                "Incorrect operand type for operator or function; operator: DELETE, operand "
                "type: MAP");
  EXPECT_EQ(update("SET a = :s + :n"),
            prefix +
                "Incorrect operand type for operator or function; operator or function: +, "
                "operand type: S");
  EXPECT_EQ(update("SET a = :n - :null"),
            prefix +
                "Incorrect operand type for operator or function; operator or function: -, "
                "operand type: NULL");
  // The type of if_not_exists is its default's (AWS answered "+, operand type: L" for
  // if_not_exists(calls, :empty_list) + :call).
  EXPECT_EQ(update("SET calls = if_not_exists(calls, :l) + :map"),
            prefix +
                "Incorrect operand type for operator or function; operator or function: +, "
                "operand type: L");
  EXPECT_EQ(update("SET a = list_append(a, :s)"),
            prefix +
                "Incorrect operand type for operator or function; operator or function: "
                "list_append, operand type: S");
  EXPECT_EQ(update("SET a = if_not_exists(:n, :m)"),
            prefix +
                "Operator or function requires a document path; operator or function: "
                "if_not_exists");
  EXPECT_EQ(update("SET a = list_append(:l)"),
            prefix +
                "Incorrect number of operands for operator or function; operator or "
                "function: list_append, number of operands: 1");
  EXPECT_EQ(update("SET a = size(b)"), prefix + "Invalid function name; function: size");
  EXPECT_EQ(update("SET a = ((:n))"), prefix + "The expression has redundant parentheses;");
}

// --- Projection expressions ---------------------------------------------------------------------

TEST(DynamoDbExpressions, Projection) {
  EXPECT_EQ(projection("a"), "(PROJECTION a)");
  EXPECT_EQ(projection("a, b.c, #n[2], d[0][1]"), "(PROJECTION a b.c name[2] d[0][1])");
  EXPECT_EQ(projection("#n[2], #n[0]"), "(PROJECTION name[2] name[0])");
  EXPECT_EQ(projection("#n, #n.#n2"),
            "error: Invalid ProjectionExpression: Two document paths overlap with each other; "
            "must remove or rewrite one of these paths; path one: [name], path two: [name, two]");
  EXPECT_EQ(projection("a, a"),
            "error: Invalid ProjectionExpression: Two document paths overlap with each other; "
            "must remove or rewrite one of these paths; path one: [a], path two: [a]");
  EXPECT_EQ(projection("a.b, a[0]"),
            "error: Invalid ProjectionExpression: Two document paths conflict with each other; "
            "must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]");
  // SET is not a keyword of projections: a reserved word.
  EXPECT_EQ(projection("set"),
            "error: Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved "
            "keyword: set");
}

// --- The tree -----------------------------------------------------------------------------------

TEST(DynamoDbExpressions, TreeAccessors) {
  const Value names = default_names();
  const Value values = default_values();
  ex::Substitutions substitutions(&names, &values);
  auto parsed = ex::parse_expression(ExpressionKind::kCondition,
                                     "#n[3].b >= :n AND begins_with(c, :s)", substitutions);
  ASSERT_TRUE(parsed.ok());
  const ex::Expression& expression = *parsed;
  const auto& root = expression.node(expression.root());
  ASSERT_EQ(root.kind, ex::NodeKind::kAnd);
  const auto sides = expression.children(expression.root());
  ASSERT_EQ(sides.size(), 2u);
  const auto& compare = expression.node(sides[0]);
  EXPECT_EQ(compare.kind, ex::NodeKind::kCompare);
  EXPECT_EQ(compare.comparator(), ex::Comparator::kGreaterOrEqual);
  const auto operands = expression.children(sides[0]);
  const auto path = expression.elements(operands[0]);
  ASSERT_EQ(path.size(), 3u);
  EXPECT_EQ(path[0].name, "name");
  EXPECT_TRUE(path[1].is_index());
  EXPECT_EQ(path[1].index, 3u);
  EXPECT_EQ(path[2].name, "b");
  EXPECT_EQ(ex::path_text(path), "[name, [3], b]");
  const auto& value = expression.node(operands[1]);
  ASSERT_EQ(value.kind, ex::NodeKind::kValue);
  EXPECT_EQ(value.value, values.find(":n"));  // a reference into the request, not a copy
  const auto& function = expression.node(sides[1]);
  EXPECT_EQ(function.kind, ex::NodeKind::kFunction);
  EXPECT_EQ(function.function(), ex::Function::kBeginsWith);
  EXPECT_EQ(ex::parameter_name(expression.kind()), "ConditionExpression");
}

// --- Key conditions -----------------------------------------------------------------------------

namespace {

std::string key_names(std::string_view text) {
  const Value names = default_names();
  const Value values = default_values();
  ex::Substitutions substitutions(&names, &values);
  auto parsed = ex::parse_expression(ExpressionKind::kKeyCondition, text, substitutions);
  if (!parsed.ok()) return "error: " + parsed.error().message;
  auto conditions = ex::key_conditions(*parsed);
  if (!conditions.ok()) return "error: " + conditions.error().message;
  static constexpr const char* kOps[] = {"=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"};
  std::string out;
  for (const auto& condition : *conditions) {
    if (!out.empty()) out += "; ";
    out += std::string(condition.attribute) + " " + kOps[static_cast<int>(condition.op)];
    for (const Value* value : {condition.value, condition.upper_value}) {
      if (value == nullptr) continue;
      if (value == values.find(":s")) out += " :s";
      if (value == values.find(":t")) out += " :t";
      if (value == values.find(":n")) out += " :n";
      if (value == values.find(":m")) out += " :m";
    }
  }
  return out;
}

}  // namespace

TEST(DynamoDbExpressions, KeyConditions) {
  EXPECT_EQ(key_names("pk = :s"), "pk = :s");
  EXPECT_EQ(key_names("pk = :s AND sk < :t"), "pk = :s; sk < :t");
  EXPECT_EQ(key_names("#n = :s and sk <= :t"), "name = :s; sk <= :t");
  EXPECT_EQ(key_names(":s = pk AND :t < sk"), "pk = :s; sk > :t");
  EXPECT_EQ(key_names("pk = :s AND :n >= sk"), "pk = :s; sk <= :n");
  EXPECT_EQ(key_names("pk = :s AND sk BETWEEN :n AND :m"), "pk = :s; sk BETWEEN :n :m");
  EXPECT_EQ(key_names("pk = :s AND begins_with(sk, :t)"), "pk = :s; sk begins_with :t");
  EXPECT_EQ(key_names("(#n = :s) AND (sk > :t)"), "name = :s; sk > :t");
  const std::string prefix = "error: ";
  EXPECT_EQ(key_names("pk = :s OR sk = :t"),
            prefix + "Invalid operator used in KeyConditionExpression: OR");
  EXPECT_EQ(key_names("NOT pk = :s"),
            prefix + "Invalid operator used in KeyConditionExpression: NOT");
  EXPECT_EQ(key_names("pk IN (:s)"),
            prefix + "Invalid operator used in KeyConditionExpression: IN");
  EXPECT_EQ(key_names("pk <> :s"), prefix + "Invalid operator used in KeyConditionExpression: <>");
  EXPECT_EQ(key_names("pk = :s AND attribute_exists(sk)"),
            prefix + "Invalid operator used in KeyConditionExpression: attribute_exists");
  EXPECT_EQ(key_names("pk = :s AND contains(sk, :t)"),
            prefix + "Invalid operator used in KeyConditionExpression: contains");
  EXPECT_EQ(key_names("size(pk) = :n"),
            prefix + "KeyConditionExpressions cannot contain nested operations");
  EXPECT_EQ(key_names("pk = :s AND :n BETWEEN sk AND :m"),
            prefix +
                "Invalid condition in KeyConditionExpression: BETWEEN operator must have the "
                "key attribute as its first operand");
  EXPECT_EQ(key_names("pk = :s AND begins_with(:t, sk)"),
            prefix +
                "Invalid condition in KeyConditionExpression: begins_with operator must have "
                "the key attribute as its first operand");
  EXPECT_EQ(key_names("pk = sk"),
            prefix +
                "Invalid condition in KeyConditionExpression: Multiple attribute names used "
                "in one condition");
  EXPECT_EQ(key_names("pk.a = :s"),
            prefix + "KeyConditionExpressions cannot have conditions on nested attributes");
  EXPECT_EQ(key_names(":s = :t"),
            prefix + "Invalid condition in KeyConditionExpression: No key attribute specified");
  EXPECT_EQ(key_names("pk = :s AND pk = :t"),
            prefix + "KeyConditionExpressions must only contain one condition per key");
}

// --- A whole request ----------------------------------------------------------------------------

namespace {

struct RequestCase {
  std::optional<std::string> condition, filter, key_condition, projection, update;
  std::optional<Value> names, values;
  std::vector<ExpressionKind> accepted = {ExpressionKind::kUpdate, ExpressionKind::kCondition};
};

std::string run(const RequestCase& c,
                std::function<std::optional<std::string>(const Value&)> validate = nullptr) {
  ex::RequestExpressions request;
  request.condition = c.condition ? &*c.condition : nullptr;
  request.filter = c.filter ? &*c.filter : nullptr;
  request.key_condition = c.key_condition ? &*c.key_condition : nullptr;
  request.projection = c.projection ? &*c.projection : nullptr;
  request.update = c.update ? &*c.update : nullptr;
  request.names = c.names ? &*c.names : nullptr;
  request.values = c.values ? &*c.values : nullptr;
  request.accepted = c.accepted;
  request.validate_value = std::move(validate);
  auto parsed = ex::parse_request(request);
  if (!parsed.ok()) return "error: " + parsed.error().message;
  std::string out;
  for (const auto* expression : {&parsed->update, &parsed->condition, &parsed->key_condition,
                                 &parsed->filter, &parsed->projection}) {
    if (*expression) out += (out.empty() ? "" : " ") + (*expression)->debug_string();
  }
  return out;
}

}  // namespace

TEST(DynamoDbExpressionRequest, ParsesEveryExpression) {
  RequestCase c;
  c.update = "SET #a = :v";
  c.condition = "attribute_exists(#b)";
  c.names = Value::map().set("#a", "x").set("#b", "y");
  c.values = Value::map().set(":v", string_value("z"));
  EXPECT_EQ(run(c), "(UPDATE (SET x :v)) (attribute_exists y)");

  RequestCase q;
  q.key_condition = "pk = :p";
  q.filter = "#f > :n";
  q.projection = "#f, g";
  q.names = Value::map().set("#f", "f");
  q.values = Value::map().set(":p", string_value("p")).set(":n", number_value("3"));
  q.accepted = {ExpressionKind::kKeyCondition, ExpressionKind::kFilter};
  EXPECT_EQ(run(q), "(= pk :p) (> f :n) (PROJECTION f g)");
}

TEST(DynamoDbExpressionRequest, UnusedNamesAndValuesAcrossAllExpressions) {
  RequestCase c;
  c.update = "SET a = :v";
  c.names = Value::map().set("#unused", "someattr");
  c.values = Value::map().set(":v", string_value("val"));
  EXPECT_EQ(run(c),
            "error: Value provided in ExpressionAttributeNames unused in expressions: "
            "keys: {#unused}");
  c.names.reset();
  c.values = Value::map().set(":v", string_value("val")).set(":unused", string_value("x"));
  EXPECT_EQ(run(c),
            "error: Value provided in ExpressionAttributeValues unused in expressions: "
            "keys: {:unused}");
  c.values = Value::map()
                 .set(":x", string_value("x"))
                 .set(":v", string_value("val"))
                 .set(":y", string_value("y"));
  EXPECT_EQ(run(c),
            "error: Value provided in ExpressionAttributeValues unused in expressions: "
            "keys: {:x, :y}");
  // Used in the condition only: fine.
  c.condition = "a <> :x OR a = :y";
  EXPECT_EQ(run(c), "(UPDATE (SET a :v)) (OR (<> a :x) (= a :y))");
  // Names are reported before values.
  c.names = Value::map().set("#z", "z");
  EXPECT_EQ(run(c),
            "error: Value provided in ExpressionAttributeNames unused in expressions: "
            "keys: {#z}");
}

TEST(DynamoDbExpressionRequest, SubstitutionMapChecks) {
  RequestCase c;
  c.update = "SET a = :v";
  c.values = Value::map();
  EXPECT_EQ(run(c), "error: ExpressionAttributeValues must not be empty");
  c.values = Value::map().set("v", string_value("x"));
  EXPECT_EQ(run(c),
            "error: ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"");
  c.values = Value::map().set(":v", string_value("x"));
  c.names = Value::map();
  EXPECT_EQ(run(c), "error: ExpressionAttributeNames must not be empty");
  c.names = Value::map().set("#a-b", "x");
  EXPECT_EQ(run(c),
            "error: ExpressionAttributeNames contains invalid key: Syntax error; key: \"#a-b\"");
  c.names = Value::map().set("#", "x");
  EXPECT_EQ(run(c),
            "error: ExpressionAttributeNames contains invalid key: Syntax error; key: \"#\"");
  c.names.reset();
  auto refuse_all = [](const Value&) -> std::optional<std::string> {
    return std::string(
        "Supplied AttributeValue is empty, must contain exactly one of the "
        "supported datatypes");
  };
  EXPECT_EQ(run(c, refuse_all),
            "error: ExpressionAttributeValues contains invalid value: Supplied AttributeValue is "
            "empty, must contain exactly one of the supported datatypes for key :v");
}

TEST(DynamoDbExpressionRequest, SubstitutionsWithoutExpressions) {
  RequestCase c;
  c.accepted = {ExpressionKind::kCondition};
  c.values = Value::map().set(":v", string_value("x"));
  EXPECT_EQ(run(c),
            "error: ExpressionAttributeValues can only be specified when using "
            "expressions: ConditionExpression is null");
  c.accepted = {ExpressionKind::kUpdate, ExpressionKind::kCondition};
  EXPECT_EQ(run(c),
            "error: ExpressionAttributeValues can only be specified when using "
            "expressions: UpdateExpression and ConditionExpression are null");
  c.projection = "a";  // a projection takes no values
  c.accepted = {ExpressionKind::kKeyCondition, ExpressionKind::kFilter,
                ExpressionKind::kProjection};
  EXPECT_EQ(run(c),
            "error: ExpressionAttributeValues can only be specified when using "
            "expressions: KeyConditionExpression and FilterExpression are null");
  c.projection.reset();
  c.values.reset();
  c.names = Value::map().set("#a", "a");
  EXPECT_EQ(run(c), "error: ExpressionAttributeNames can only be specified when using expressions");
}

TEST(DynamoDbExpressionRequest, ExpressionOrderAndFirstError) {
  // The update is parsed before the condition, the key condition before the filter, the filter
  // before the projection; the first failure is the answer.
  RequestCase c;
  c.update = "SET";
  c.condition = "(";
  EXPECT_EQ(run(c),
            "error: Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"SET\"");
  RequestCase q;
  q.key_condition = "pk = :p";
  q.filter = "";
  q.projection = "!";
  q.values = Value::map().set(":p", string_value("p"));
  EXPECT_EQ(run(q), "error: Invalid FilterExpression: The expression can not be empty;");
  // A syntax error comes before the unused-value check (the conformance suite's AWS recording).
  RequestCase u;
  u.update = "INVALID SYNTAX HERE";
  u.values = Value::map().set(":v", string_value("val"));
  EXPECT_EQ(run(u),
            "error: Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: "
            "\"INVALID SYNTAX\"");
  // Undefined value when the request has no ExpressionAttributeValues at all.
  RequestCase m;
  m.update = "SET attr1 = :v";
  EXPECT_EQ(run(m),
            "error: Invalid UpdateExpression: An expression attribute value used in "
            "expression is not defined; attribute value: :v");
}

TEST(DynamoDbExpressionRequest, MixedParameters) {
  const std::string_view legacy[] = {"Expected"};
  const std::string_view expressions[] = {"ConditionExpression"};
  auto error = ex::mixed_parameters_error(legacy, expressions);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->type, "ValidationException");
  EXPECT_EQ(error->type_namespace, "com.amazon.coral.validate");
  EXPECT_EQ(error->message,
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}");
  const std::string_view two_legacy[] = {"AttributeUpdates", "Expected"};
  const std::string_view two_expressions[] = {"UpdateExpression", "ConditionExpression"};
  EXPECT_EQ(ex::mixed_parameters_error(two_legacy, two_expressions)->message,
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: "
            "{UpdateExpression, ConditionExpression}");
  EXPECT_FALSE(ex::mixed_parameters_error(legacy, {}).has_value());
  EXPECT_FALSE(ex::mixed_parameters_error({}, expressions).has_value());
}
