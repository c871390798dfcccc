// Multi-attribute global secondary index keys (up to 4 HASH and 4 RANGE attributes): the key
// schema rules, the stored table document, the index entry layout (a single-attribute index
// keeps its layout byte for byte) and the Query key-condition rules and ranges.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "dynamodb/items/index_entries.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/key_ranges.h"
#include "dynamodb/tables/schema.h"
#include "dynamodb/tables/table.h"
#include "dynamodb/tables/table_catalog.h"
#include "dynamodb/values/item_codec.h"
#include "storage/keys.h"

namespace trib::dynamodb {
namespace {

AttributeValue s(std::string v) { return AttributeValue::string(std::move(v)); }
AttributeValue n(std::string_view v) { return AttributeValue::number(Number::parse(v).value()); }

Item item(std::initializer_list<std::pair<std::string, AttributeValue>> entries) {
  Item out;
  for (const auto& [name, value] : entries) put_attribute(out, name, value);
  return out;
}

std::string error_message(const aws::AwsError& e) { return e.message; }

// Table 9 keyed by pk S; GSI "multi" (id 1) on HASH h1 S, h2 N, RANGE r1 S, r2 N, KEYS_ONLY;
// GSI "single" (id 2) on HASH g S, RANGE gs N, ALL.
Table multi_table() {
  Table t;
  t.id = 9;
  t.key.name = "t";
  t.key_schema.hash = {"pk", 'S'};
  SecondaryIndex multi;
  multi.name = "multi";
  multi.global = true;
  multi.id = 1;
  multi.key_schema.hash = {"h1", 'S'};
  multi.key_schema.more_hash = {{"h2", 'N'}};
  multi.key_schema.range = KeyAttribute{"r1", 'S'};
  multi.key_schema.more_range = {{"r2", 'N'}};
  multi.projection_type = "KEYS_ONLY";
  SecondaryIndex single;
  single.name = "single";
  single.global = true;
  single.id = 2;
  single.key_schema.hash = {"g", 'S'};
  single.key_schema.range = KeyAttribute{"gs", 'N'};
  t.indexes = {multi, single};
  return t;
}

Item full(std::string pk, std::string r1, std::string_view r2) {
  return item({{"pk", s(std::move(pk))},
               {"h1", s("H")},
               {"h2", n("7")},
               {"r1", s(std::move(r1))},
               {"r2", n(r2)},
               {"x", s("other")}});
}

// ---- key schemas ------------------------------------------------------------------------

std::vector<SchemaElement> elements(std::initializer_list<std::pair<const char*, const char*>> e) {
  std::vector<SchemaElement> out;
  for (const auto& [name, type] : e) out.push_back({name, type});
  return out;
}

const std::vector<KeyAttribute> kDefinitions = {{"a", 'S'}, {"b", 'N'}, {"c", 'B'},
                                                {"d", 'S'}, {"e", 'S'}, {"f", 'S'},
                                                {"g", 'S'}, {"h", 'S'}, {"i", 'S'}};

TEST(MultiAttributeKeySchema, GlobalIndexTakesUpToFourHashThenUpToFourRange) {
  auto schema = build_key_schema(
      elements({{"a", "HASH"}, {"b", "HASH"}, {"c", "RANGE"}, {"d", "RANGE"}, {"e", "RANGE"}}),
      kDefinitions, KeyShape::kGlobalIndex);
  ASSERT_TRUE(schema);
  EXPECT_EQ(schema->hash.name, "a");
  ASSERT_EQ(schema->more_hash.size(), 1u);
  EXPECT_EQ(schema->more_hash[0].name, "b");
  EXPECT_EQ(schema->more_hash[0].type, 'N');
  ASSERT_TRUE(schema->range);
  EXPECT_EQ(schema->range->name, "c");
  ASSERT_EQ(schema->more_range.size(), 2u);
  EXPECT_TRUE(schema->multi_attribute());
  std::vector<std::string> order;
  for (const KeyAttribute* k : schema->attributes()) order.push_back(k->name);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_TRUE(schema->has("e"));
  EXPECT_FALSE(schema->has("f"));

  // 4 + 4 is the most.
  EXPECT_TRUE(build_key_schema(elements({{"a", "HASH"},
                                         {"b", "HASH"},
                                         {"c", "HASH"},
                                         {"d", "HASH"},
                                         {"e", "RANGE"},
                                         {"f", "RANGE"},
                                         {"g", "RANGE"},
                                         {"h", "RANGE"}}),
                               kDefinitions, KeyShape::kGlobalIndex));
  // A single-attribute schema is not multi-attribute.
  auto plain = build_key_schema(elements({{"a", "HASH"}, {"b", "RANGE"}}), kDefinitions,
                                KeyShape::kGlobalIndex);
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->multi_attribute());
}

TEST(MultiAttributeKeySchema, RefusalsWithAwsTexts) {
  const auto refused = [](std::initializer_list<std::pair<const char*, const char*>> e,
                          KeyShape shape = KeyShape::kGlobalIndex) {
    auto schema = build_key_schema(elements(e), kDefinitions, shape);
    return schema ? std::string("accepted") : error_message(schema.error());
  };
  const std::string invalid = "One or more parameter values were invalid: ";
  EXPECT_EQ(refused({{"a", "HASH"}, {"b", "HASH"}, {"c", "HASH"}, {"d", "HASH"}, {"e", "HASH"}}),
            invalid + "The KeySchema exceeds the maximum allowed number of HASH key attributes");
  EXPECT_EQ(refused({{"a", "HASH"},
                     {"b", "RANGE"},
                     {"c", "RANGE"},
                     {"d", "RANGE"},
                     {"e", "RANGE"},
                     {"f", "RANGE"}}),
            invalid + "The KeySchema exceeds the maximum allowed number of RANGE key attributes");
  EXPECT_EQ(refused({{"a", "HASH"}, {"b", "RANGE"}, {"c", "HASH"}}),
            invalid + "All HASH key attributes must precede RANGE key attributes in the KeySchema");
  EXPECT_EQ(refused({{"a", "RANGE"}, {"b", "HASH"}}),
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  EXPECT_EQ(refused({{"a", "RANGE"}, {"b", "RANGE"}}),
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  EXPECT_EQ(refused({{"a", "HASH"}, {"b", "HASH"}, {"a", "RANGE"}}),
            "The KeySchema contains multiple key attributes with the same name");
  EXPECT_EQ(refused({{"a", "HASH"}, {"a", "HASH"}}),
            "The KeySchema contains multiple key attributes with the same name");
  EXPECT_EQ(refused({{"a", "HASH"}, {"a", "RANGE"}}),
            "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  EXPECT_EQ(refused({{"a", "HASH"}, {"zz", "HASH"}}),
            invalid +
                "Some index key attributes are not defined in AttributeDefinitions. Keys: "
                "[a, zz], AttributeDefinitions: [a, b, c, d, e, f, g, h, i]");
  // A table's (and a local index's) key keeps one HASH and one RANGE attribute.
  EXPECT_EQ(refused({{"a", "HASH"}, {"b", "HASH"}}, KeyShape::kTable),
            "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
}

TEST(MultiAttributeKeySchema, StoredDocumentRoundTripsAndOldDocumentsStillLoad) {
  Table t = multi_table();
  t.key = {"000000000000", "us-east-1", "t"};
  const std::string stored = encode_table(t);
  auto decoded = decode_table(stored);
  ASSERT_TRUE(decoded);
  const KeySchema& k = decoded->indexes[0].key_schema;
  EXPECT_EQ(k.hash.name, "h1");
  ASSERT_EQ(k.more_hash.size(), 1u);
  EXPECT_EQ(k.more_hash[0].name, "h2");
  EXPECT_EQ(k.more_hash[0].type, 'N');
  ASSERT_EQ(k.more_range.size(), 1u);
  EXPECT_EQ(k.more_range[0].name, "r2");
  // A single-attribute schema is written as before (no new members), so documents written
  // before multi-attribute keys decode to the same schema.
  const KeySchema& single = decoded->indexes[1].key_schema;
  EXPECT_FALSE(single.multi_attribute());
  EXPECT_EQ(stored.find("more_hash"), stored.rfind("more_hash"));  // only the multi index's
  Table only_single = t;
  only_single.indexes.erase(only_single.indexes.begin());
  EXPECT_EQ(encode_table(only_single).find("more_"), std::string::npos);
}

// ---- index entries ----------------------------------------------------------------------

TEST(MultiAttributeIndexEntries, LayoutHashesTheWholePartitionKeyThenSortKeysInOrder) {
  const Table t = multi_table();
  const Item i = full("p", "R", "5");
  auto entry = items::index_entry(t, t.indexes[0], i);
  ASSERT_TRUE(entry);
  std::string components;
  append_key_component(components, s("H"));
  append_key_component(components, n("7"));
  std::string expected = table_items_prefix(9);
  expected += storage::KeyBuilder().u32(1).u64(xxhash64(components)).str();
  expected += components;
  append_key_component(expected, s("R"));
  append_key_component(expected, n("5"));
  append_key_component(expected, s("p"));
  EXPECT_EQ(entry->key, expected);
  const AttributeValue h1 = s("H");
  const AttributeValue h2 = n("7");
  const AttributeValue* values[] = {&h1, &h2};
  EXPECT_EQ(partition_key_hash(values), xxhash64(components));
  // KEYS_ONLY: the table key and every index key attribute.
  EXPECT_EQ(decode_item(entry->value),
            item({{"pk", s("p")}, {"h1", s("H")}, {"h2", n("7")}, {"r1", s("R")}, {"r2", n("5")}}));
}

TEST(MultiAttributeIndexEntries, SingleAttributeIndexKeepsItsStoredLayout) {
  const Table t = multi_table();
  const Item i = item({{"pk", s("p")}, {"g", s("G")}, {"gs", n("3")}});
  auto entry = items::index_entry(t, t.indexes[1], i);
  ASSERT_TRUE(entry);
  // The layout of builds before multi-attribute keys: hash(g) of the value alone.
  std::string expected = table_items_prefix(9);
  expected += storage::KeyBuilder().u32(2).u64(xxhash64("G")).str();
  append_key_component(expected, s("G"));
  append_key_component(expected, n("3"));
  append_key_component(expected, s("p"));
  EXPECT_EQ(entry->key, expected);
  const AttributeValue g = s("G");
  const AttributeValue* one[] = {&g};
  EXPECT_EQ(partition_key_hash(one), partition_key_hash(g));
}

TEST(MultiAttributeIndexEntries, SparseWhenAnyKeyAttributeIsMissing) {
  const Table t = multi_table();
  for (const char* missing : {"h1", "h2", "r1", "r2"}) {
    Item i = full("p", "R", "1");
    erase_attribute(i, missing);
    EXPECT_FALSE(items::index_entry(t, t.indexes[0], i)) << missing;
  }
  // The wrong type or an empty value counts as missing.
  Item wrong = full("p", "R", "1");
  put_attribute(wrong, "h2", s("7"));
  EXPECT_FALSE(items::index_entry(t, t.indexes[0], wrong));
  Item empty = full("p", "", "1");
  EXPECT_FALSE(items::index_entry(t, t.indexes[0], empty));
}

TEST(MultiAttributeIndexEntries, OrderIsBySortAttributesInTurnAndTheKeyMovesWithThem) {
  const Table t = multi_table();
  const auto key = [&](const Item& i) { return items::index_entry(t, t.indexes[0], i)->key; };
  // r1 first ("a" < "b" whatever r2), then r2 numerically, then the table key.
  EXPECT_LT(key(full("z", "a", "100")), key(full("a", "b", "1")));
  EXPECT_LT(key(full("z", "b", "9")), key(full("a", "b", "10")));
  EXPECT_LT(key(full("a", "b", "10")), key(full("b", "b", "10")));
  // A prefix of r1 sorts first.
  EXPECT_LT(key(full("p", "b", "99")), key(full("p", "ba", "1")));
  // Changing any key attribute moves the entry (the write path deletes the old key).
  const Item before = full("p", "a", "1");
  Item after = before;
  put_attribute(after, "h2", n("8"));
  auto changes = items::index_changes(t, &before, &after);
  ASSERT_EQ(changes.size(), 2u);
  ASSERT_TRUE(changes[0].before && changes[0].after);
  EXPECT_NE(changes[0].before->key, changes[0].after->key);
  EXPECT_EQ(changes[0].write_units(), 2.0);
  // Removing one moves it out.
  Item removed = before;
  erase_attribute(removed, "r2");
  changes = items::index_changes(t, &before, &removed);
  EXPECT_TRUE(changes[0].before);
  EXPECT_FALSE(changes[0].after);
}

TEST(MultiAttributeIndexEntries, KeyAttributesAndItemChecksCoverEveryAttribute) {
  const Table t = multi_table();
  EXPECT_EQ(items::key_attributes(t.indexes[0].key_schema, full("p", "R", "1")),
            item({{"h1", s("H")}, {"h2", n("7")}, {"r1", s("R")}, {"r2", n("1")}}));
  Item bad = full("p", "R", "1");
  put_attribute(bad, "r2", s("1"));
  auto checked = items::check_item_keys(t, bad);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message,
            "One or more parameter values were invalid: Type mismatch for Index Key r2 Expected: "
            "N Actual: S IndexName: multi");
}

// ---- Query key conditions ---------------------------------------------------------------

struct Condition {
  const char* name;
  items::KeyOperator op;
  AttributeValue value;
  std::optional<AttributeValue> upper;
};

aws::AwsResult<items::KeyRange> range_of(const Table& t, const std::vector<Condition>& conditions) {
  std::vector<items::KeyBound> bounds;
  for (const Condition& c : conditions) {
    bounds.push_back({c.name, c.op, &c.value, c.upper ? &*c.upper : nullptr});
  }
  return items::key_range(t, 1, t.indexes[0].key_schema, bounds);
}

std::string refusal(const Table& t, const std::vector<Condition>& conditions) {
  auto range = range_of(t, conditions);
  return range ? std::string("accepted") : range.error().message;
}

using Op = items::KeyOperator;

TEST(MultiAttributeKeyConditions, RulesAndTheirTexts) {
  const Table t = multi_table();
  // Every partition key attribute needs a condition; the first missing one is named.
  EXPECT_EQ(refusal(t, {{"h1", Op::kEqual, s("H"), {}}}),
            "Query condition missed key schema element: h2");
  EXPECT_EQ(refusal(t, {{"h2", Op::kEqual, n("7"), {}}, {"r1", Op::kEqual, s("a"), {}}}),
            "Query condition missed key schema element: h1");
  // ... with an equality.
  EXPECT_EQ(refusal(t, {{"h1", Op::kEqual, s("H"), {}}, {"h2", Op::kGreater, n("7"), {}}}),
            "Query key condition not supported");
  // A non-key attribute names the first sort key attribute.
  EXPECT_EQ(refusal(t, {{"h1", Op::kEqual, s("H"), {}},
                        {"h2", Op::kEqual, n("7"), {}},
                        {"x", Op::kEqual, s("x"), {}}}),
            "Query condition missed key schema element: r1");
  // Sort key attributes left to right: a skipped one is named.
  EXPECT_EQ(refusal(t, {{"h1", Op::kEqual, s("H"), {}},
                        {"h2", Op::kEqual, n("7"), {}},
                        {"r2", Op::kGreater, n("1"), {}}}),
            "Query condition missed key schema element: r1");
  // A range condition only on the last sort key attribute used.
  EXPECT_EQ(refusal(t, {{"h1", Op::kEqual, s("H"), {}},
                        {"h2", Op::kEqual, n("7"), {}},
                        {"r1", Op::kGreater, s("a"), {}},
                        {"r2", Op::kEqual, n("1"), {}}}),
            "Query key condition not supported");
  EXPECT_EQ(refusal(t, {{"h1", Op::kEqual, s("H"), {}},
                        {"h2", Op::kEqual, n("7"), {}},
                        {"r1", Op::kBeginsWith, s("a"), {}},
                        {"r2", Op::kLess, n("1"), {}}}),
            "Query key condition not supported");
  // Types, and begins_with on a number.
  EXPECT_EQ(refusal(t, {{"h1", Op::kEqual, s("H"), {}}, {"h2", Op::kEqual, s("7"), {}}}),
            "One or more parameter values were invalid: Condition parameter type does not match "
            "schema type");
  EXPECT_EQ(refusal(t, {{"h1", Op::kEqual, s("H"), {}},
                        {"h2", Op::kEqual, n("7"), {}},
                        {"r1", Op::kEqual, s("a"), {}},
                        {"r2", Op::kBeginsWith, n("1"), {}}}),
            "Query key condition not supported");
  // Accepted: the partition alone, a first sort attribute with a range, equal then a range.
  EXPECT_EQ(refusal(t, {{"h2", Op::kEqual, n("7"), {}}, {"h1", Op::kEqual, s("H"), {}}}),
            "accepted");
  EXPECT_EQ(refusal(t, {{"h1", Op::kEqual, s("H"), {}},
                        {"h2", Op::kEqual, n("7"), {}},
                        {"r1", Op::kGreaterOrEqual, s("b"), {}}}),
            "accepted");
  EXPECT_EQ(refusal(t, {{"r2", Op::kBetween, n("1"), n("5")},
                        {"h1", Op::kEqual, s("H"), {}},
                        {"r1", Op::kEqual, s("b"), {}},
                        {"h2", Op::kEqual, n("7"), {}}}),
            "accepted");
}

TEST(MultiAttributeKeyConditions, RangesSelectExactlyTheMatchingEntries) {
  const Table t = multi_table();
  // Entries of the partition (H, 7) and of a neighbour (H, 8).
  std::vector<Item> stored;
  for (const char* r1 : {"a", "b", "ba", "c"}) {
    for (const char* r2 : {"-1", "1", "5", "10"}) stored.push_back(full("p", r1, r2));
  }
  Item neighbour = full("q", "b", "5");
  put_attribute(neighbour, "h2", n("8"));
  stored.push_back(neighbour);
  const auto selected = [&](const std::vector<Condition>& conditions) {
    auto range = range_of(t, conditions);
    EXPECT_TRUE(range);
    std::vector<std::string> out;
    for (const Item& i : stored) {
      const std::string key = items::index_entry(t, t.indexes[0], i)->key;
      if (key >= range->lower && key < range->upper) {
        out.push_back(find_attribute(i, "r1")->as_string() + "/" +
                      find_attribute(i, "r2")->as_number().to_string());
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const Condition h1{"h1", Op::kEqual, s("H"), {}};
  const Condition h2{"h2", Op::kEqual, n("7"), {}};
  EXPECT_EQ(selected({h1, h2}).size(), 16u);
  EXPECT_EQ(selected({h1, h2, {"r1", Op::kEqual, s("b"), {}}}),
            (std::vector<std::string>{"b/-1", "b/1", "b/10", "b/5"}));
  EXPECT_EQ(selected({h1, h2, {"r1", Op::kBeginsWith, s("b"), {}}}).size(), 8u);
  EXPECT_EQ(selected({h1, h2, {"r1", Op::kGreater, s("b"), {}}}).size(), 8u);  // ba, c
  EXPECT_EQ(selected({h1, h2, {"r1", Op::kLess, s("b"), {}}}).size(), 4u);     // a
  EXPECT_EQ(selected({h1, h2, {"r1", Op::kEqual, s("b"), {}}, {"r2", Op::kGreater, n("1"), {}}}),
            (std::vector<std::string>{"b/10", "b/5"}));
  EXPECT_EQ(
      selected({h1, h2, {"r1", Op::kEqual, s("b"), {}}, {"r2", Op::kLessOrEqual, n("1"), {}}}),
      (std::vector<std::string>{"b/-1", "b/1"}));
  EXPECT_EQ(
      selected({h1, h2, {"r1", Op::kEqual, s("b"), {}}, {"r2", Op::kBetween, n("1"), n("5")}}),
      (std::vector<std::string>{"b/1", "b/5"}));
  EXPECT_EQ(selected({h1, h2, {"r1", Op::kEqual, s("b"), {}}, {"r2", Op::kEqual, n("1e1"), {}}}),
            (std::vector<std::string>{"b/10"}));
}

}  // namespace
}  // namespace trib::dynamodb
