// The PartiQL parser (src/dynamodb/partiql/parser.h): every statement form, literals, paths,
// parameters, the error texts; and the translation into DynamoDB expressions (translate.h).
#include <gtest/gtest.h>

#include "dynamodb/partiql/parser.h"
#include "dynamodb/partiql/translate.h"

namespace trib::dynamodb::partiql {
namespace {

Statement parse_ok(std::string_view text) {
  auto st = parse_statement(text);
  EXPECT_TRUE(st.ok()) << text << " -> " << (st.ok() ? "" : st.error().message);
  return st.ok() ? std::move(*st) : Statement{};
}

std::string error_of(std::string_view text) {
  auto st = parse_statement(text);
  EXPECT_FALSE(st.ok()) << text;
  if (st.ok()) return {};
  EXPECT_EQ(st.error().type, "ValidationException");
  return st.error().message;
}

const std::string kMalformed = "Statement wasn't well formed, can't be processed: ";

TEST(PartiqlParser, SelectForms) {
  Statement st = parse_ok(R"(SELECT * FROM "Music")");
  EXPECT_EQ(st.kind, StatementKind::kSelect);
  EXPECT_TRUE(st.select_all);
  EXPECT_EQ(st.table, "Music");
  EXPECT_FALSE(st.index.has_value());
  EXPECT_FALSE(st.where.has_value());

  st = parse_ok(R"(select a, b.c[2], "d"."e"['f'] from Music."ByYear" where a = 1;)");
  EXPECT_EQ(st.table, "Music");
  EXPECT_EQ(st.index, "ByYear");
  ASSERT_EQ(st.projection.size(), 3u);
  EXPECT_EQ(st.projection[1].size(), 3u);
  EXPECT_EQ(st.projection[1][2].index, 2u);
  EXPECT_EQ(st.projection[2][2].name, "f");
  ASSERT_TRUE(st.where.has_value());
  EXPECT_EQ(debug_string(*st.where), "(= a 1)");

  st = parse_ok(R"(SELECT * FROM t WHERE pk = ? AND sk BETWEEN ? AND 5 ORDER BY sk DESC)");
  EXPECT_EQ(st.parameter_count, 2u);
  ASSERT_EQ(st.order_by.size(), 1u);
  EXPECT_TRUE(st.order_by[0].descending);
  EXPECT_EQ(debug_string(*st.where), "(AND (= pk ?0) (BETWEEN sk ?1 5))");
}

TEST(PartiqlParser, ConditionPrecedenceAndOperators) {
  auto where = [](std::string_view condition) {
    Statement st = parse_ok("SELECT * FROM t WHERE " + std::string(condition));
    return st.where ? debug_string(*st.where) : std::string();
  };
  EXPECT_EQ(where("a = 1 OR b = 2 AND NOT c <> 3"), "(OR (= a 1) (AND (= b 2) (NOT (<> c 3))))");
  EXPECT_EQ(where("(a = 1 OR b != 2) AND c >= -4.5e2"),
            "(AND (OR (= a 1) (<> b 2)) (>= c -4.5e2))");
  EXPECT_EQ(where("a NOT IN [1, 'x'] AND b IN (?, ?)"), "(AND (NOT IN a 1 'x') (IN b ?0 ?1))");
  EXPECT_EQ(where("a IS MISSING AND b IS NOT missing AND c is not null AND d IS STRING"),
            "(AND (AND (AND (IS MISSING a) (IS NOT MISSING b)) (IS NOT NULL c)) (IS STRING d))");
  EXPECT_EQ(where("begins_with(a, 'x') AND CONTAINS(b, 1) AND size(c) > 2"),
            "(AND (AND (begins_with a 'x') (contains b 1)) (> (size c) 2))");
  EXPECT_EQ(where("a NOT BETWEEN 1 AND 2"), "(NOT BETWEEN a 1 2)");
  EXPECT_EQ(where("a = 'it''s'"), "(= a 'it's')");
  EXPECT_EQ(where("\"we\"\"ird\" = TRUE -- a comment\n OR b = null /* another */"),
            "(OR (= we\"ird true) (= b null))");
}

TEST(PartiqlParser, InsertLiterals) {
  Statement st = parse_ok(
      R"(INSERT INTO "T" value {'pk': 'a', 'n': -1, 'l': [1, [2], {}], 'm': {'k': <<'x', 'y'>>}, 'b': false})");
  EXPECT_EQ(st.kind, StatementKind::kInsert);
  EXPECT_EQ(st.table, "T");
  EXPECT_EQ(debug_string(st.item),
            "(map pk:'a' n:-1 l:(list 1 (list 2) (map)) m:(map k:(set 'x' 'y')) b:false)");
}

TEST(PartiqlParser, UpdateAndDelete) {
  Statement st = parse_ok(
      "UPDATE t SET a = a + 1, b = list_append(b, [1]) SET c.d = ? REMOVE e, f[0] "
      "WHERE pk = 'k' RETURNING MODIFIED OLD *");
  EXPECT_EQ(st.kind, StatementKind::kUpdate);
  ASSERT_EQ(st.actions.size(), 5u);
  EXPECT_FALSE(st.actions[0].remove);
  EXPECT_EQ(debug_string(st.actions[0].value), "(+ a 1)");
  EXPECT_EQ(debug_string(st.actions[1].value), "(list_append b (list 1))");
  EXPECT_TRUE(st.actions[3].remove);
  EXPECT_EQ(st.returning, Returning::kModifiedOld);
  EXPECT_EQ(st.parameter_count, 1u);

  st = parse_ok("DELETE FROM \"t\" WHERE pk = 'k' AND n > 1 RETURNING ALL OLD *");
  EXPECT_EQ(st.kind, StatementKind::kDelete);
  EXPECT_EQ(st.returning, Returning::kAllOld);
}

TEST(PartiqlParser, ErrorTexts) {
  EXPECT_EQ(error_of("SELECT * FROM t WHERE pk = 1 foo"),
            kMalformed + "Unexpected token after expression");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE"), kMalformed + "Unexpected term");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE (a = 1"),
            kMalformed + "Unexpected token after expression");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE a = 1 OR"),
            kMalformed + "Missing right-hand side expression of infix operator");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE ORDER BY pk"), kMalformed + "Unexpected keyword");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE IS NULL"), kMalformed + "Unexpected operator");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE pk = = 1"), kMalformed + "Unexpected operator");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE x IS FOO"), kMalformed + "Expected type name");
  EXPECT_EQ(error_of("DELETE FROM"), kMalformed + "Expected identifier for simple path");
  EXPECT_EQ(error_of("SELECT * FROM"), kMalformed + "Unexpected term");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE a = 'open"), kMalformed);
  EXPECT_EQ(error_of("SELECT * FROM t WHERE a = 1 # x"), kMalformed);
  EXPECT_EQ(error_of("SELECT * FROM t WHERE a = 1 /* x"), kMalformed);
  EXPECT_EQ(error_of("SELECT * FROM t WHERE a = 1e99999999999"), kMalformed);
  EXPECT_EQ(error_of("DROP TABLE t"), kMalformed + "Expected data manipulation");
  EXPECT_EQ(error_of(""), kMalformed + "Expected data manipulation");
  EXPECT_EQ(error_of("SELECT * FROM t AS x"), "Aliasing is not supported");
  EXPECT_EQ(error_of("DELETE FROM t x WHERE a = 1"), "Aliasing is not supported");
  EXPECT_EQ(error_of("SELECT * FROM a.b.c"),
            "A path may contain at most 2 components in the FROM clause");
  EXPECT_EQ(error_of("SELECT a, * FROM t"),
            "Other attributes should not be present in the projection when '*' is used.");
  EXPECT_EQ(error_of("INSERT INTO t VALUES {'a': 1}"),
            "Unsupported operation: Inserting multiple items in a single statement is not "
            "supported, use \"INSERT INTO tableName VALUE item\" instead");
  EXPECT_EQ(error_of("INSERT INTO t VALUE 'x'"),
            "Unsupported format in item expression. Please use struct format {...} to express "
            "item values for insert statement.");
  EXPECT_EQ(error_of("INSERT INTO t VALUE {'a': 1} RETURNING ALL OLD *"),
            "RETURNING is not supported in INSERT");
  EXPECT_EQ(error_of("UPDATE t SET a = 1"),
            "Where clause does not contain a mandatory equality on all key attributes");
  EXPECT_EQ(error_of("DELETE FROM t"),
            "Where clause does not contain a mandatory equality on all key attributes");
  EXPECT_EQ(error_of("UPDATE t SET a = 1 WHERE pk = 1 RETURNING ALL"),
            "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
}

TEST(PartiqlParser, DeepNestingIsRefusedNotACrash) {
  std::string deep = "SELECT * FROM t WHERE ";
  for (int i = 0; i < 4000; ++i) deep += "(";
  deep += "a = 1";
  for (int i = 0; i < 4000; ++i) deep += ")";
  EXPECT_FALSE(parse_statement(deep).ok());
  std::string nots = "SELECT * FROM t WHERE ";
  for (int i = 0; i < 2000; ++i) nots += "NOT ";
  nots += "a = 1";
  EXPECT_FALSE(parse_statement(nots).ok());
  std::string lists = "INSERT INTO t VALUE {'a': ";
  for (int i = 0; i < 3000; ++i) lists += "[";
  EXPECT_FALSE(parse_statement(lists).ok());
}

TEST(PartiqlTranslate, ConditionsBecomeExpressionsWithPlaceholders) {
  Statement st = parse_ok(
      "SELECT * FROM t WHERE (a = 'x' OR b.c[1] < ?) AND NOT d IN [1, 2] AND e IS MISSING "
      "AND f IS NOT STRING AND size(g) >= 3");
  const aws::Value parameters[] = {aws::Value::map().set("N", aws::Value("7"))};
  ExpressionWriter writer(parameters);
  auto text = writer.condition(*st.where);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(*text,
            "(#n0 = :v0 OR #n1.#n2[1] < :v1) AND NOT #n3 IN (:v2, :v3) AND "
            "attribute_not_exists(#n4) AND NOT attribute_type(#n5, :v4) AND size(#n6) >= :v5");
  aws::Value input = aws::Value::map();
  writer.add_to(input);
  const aws::Value* values = input.find("ExpressionAttributeValues");
  ASSERT_NE(values, nullptr);
  EXPECT_EQ(values->find(":v1")->find("N")->as_string(), "7");
  EXPECT_EQ(values->find(":v4")->find("S")->as_string(), "S");
  EXPECT_EQ(input.find("ExpressionAttributeNames")->find("#n2")->as_string(), "c");
}

TEST(PartiqlTranslate, UpdatesAndKeys) {
  Statement st = parse_ok(
      "UPDATE t SET a = a + 1, s = set_add(s, <<1, 2>>) SET r = set_delete(r, <<'x'>>) "
      "REMOVE z WHERE sk = 3 AND pk = 'k' AND n > 1");
  ExpressionWriter writer({});
  auto update = writer.update(st.actions);
  ASSERT_TRUE(update.ok()) << update.error().message;
  EXPECT_EQ(*update, "SET #n0 = #n0 + :v0 REMOVE #n3 ADD #n1 :v1 DELETE #n2 :v2");
  auto keyed = keyed_where(*st.where, "pk", std::string_view("sk"));
  ASSERT_TRUE(keyed.ok());
  ASSERT_EQ(keyed->key.size(), 2u);
  EXPECT_EQ(keyed->key[0].first, "pk");
  EXPECT_EQ(debug_string(*keyed->key[0].second), "'k'");
  ASSERT_EQ(keyed->conditions.size(), 1u);
  EXPECT_EQ(debug_string(*keyed->conditions[0]), "(> n 1)");
  EXPECT_FALSE(keyed_where(*st.where, "pk", std::string_view("other")).ok());
  Statement twice = parse_ok("DELETE FROM t WHERE pk = 'a' AND pk = 'b'");
  auto error = keyed_where(*twice.where, "pk", std::nullopt);
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().message,
            "Multiple conditions on same key pk. Only single item Update/Insert/Delete are "
            "supported");
}

TEST(PartiqlTranslate, ValueErrorsNameTheirPlace) {
  ExpressionWriter writer({});
  Statement st = parse_ok("INSERT INTO t VALUE {'m': {'x': [1, 1e126]}, 'b': <<1, 'a'>>}");
  auto v = writer.attribute_value(st.item.children[0]);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message,
            "Number overflow. Attempting to store a number with magnitude larger than supported "
            "range under root.x[1]");
  v = writer.attribute_value(st.item.children[1]);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message,
            "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in "
            "bags");
  Statement missing = parse_ok("SELECT * FROM t WHERE a = MISSING");
  auto c = writer.condition(*missing.where);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, "MISSING must be compared using IS operator");
}

}  // namespace
}  // namespace trib::dynamodb::partiql
