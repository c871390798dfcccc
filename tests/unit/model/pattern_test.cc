// The pattern matcher (src/model/pattern.h): every pattern of the embedded models compiles and
// matches as std::regex does on short values (ASCII, where ECMAScript and Java agree), follows
// Java where the two differ, and takes values of any length without exhausting the stack.
#include "model/pattern.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "model/model.h"

namespace trib::model {
namespace {

// The patterns of every shape reachable from the operations of the embedded models.
std::set<std::string> model_patterns() {
  std::set<std::string> patterns;
  std::set<const Shape*> seen;
  std::function<void(const Shape*)> visit = [&](const Shape* shape) {
    if (shape == nullptr || !seen.insert(shape).second) return;
    if (shape->pattern) patterns.insert(shape->pattern->source());
    for (const Member& member : shape->members) visit(member.shape);
    for (const Shape* below : {shape->member, shape->key, shape->value}) visit(below);
  };
  for (const char* name :
       {"kinesis-2013-12-02", "dynamodb-2012-08-10", "dynamodbstreams-2012-08-10"}) {
    for (const auto& [_, operation] : ServiceModel::embedded(name).operations()) {
      visit(operation.input);
      visit(operation.output);
    }
  }
  return patterns;
}

// What the server used before: std::regex, ECMAScript, with Java's \p{Print} spelled out.
// Null when std::regex could not compile it (the server did not enforce those).
std::unique_ptr<std::regex> std_regex(const std::string& pattern) {
  std::string ecma = pattern;
  for (size_t pos; (pos = ecma.find("\\p{Print}")) != std::string::npos;) {
    ecma.replace(pos, 9, "[\\x20-\\x7E]");
  }
  try {
    return std::make_unique<std::regex>(ecma, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    return nullptr;
  }
}

// Values near the pattern: random strings over the characters it names and a few others, and
// mutations of values it accepts.
std::vector<std::string> values_for(const std::string& pattern,
                                    const std::vector<std::string>& good, std::mt19937& random) {
  std::string alphabet = "aZ09_.-/:$ \t\n";
  for (char c : pattern) {
    if (c != '\\' && alphabet.find(c) == std::string::npos) alphabet += c;
  }
  std::vector<std::string> values = good;
  values.emplace_back();
  for (int i = 0; i < 400; ++i) {
    std::string value(random() % 24, ' ');
    for (char& c : value) c = alphabet[random() % alphabet.size()];
    values.push_back(value);
  }
  for (const std::string& base : good) {
    for (int i = 0; i < 200; ++i) {
      std::string value = base;
      switch (random() % 3) {
        case 0:
          if (!value.empty()) value.erase(random() % value.size(), 1);
          break;
        case 1:
          value.insert(value.begin() + random() % (value.size() + 1),
                       alphabet[random() % alphabet.size()]);
          break;
        default:
          if (!value.empty()) value[random() % value.size()] = alphabet[random() % alphabet.size()];
      }
      values.push_back(value);
    }
  }
  return values;
}

TEST(Pattern, EveryModelPatternIsEnforced) {
  const std::set<std::string> patterns = model_patterns();
  EXPECT_GE(patterns.size(), 15u);
  for (const std::string& source : patterns) {
    EXPECT_TRUE(Pattern(source).enforced()) << source;
  }
}

TEST(Pattern, MatchesAsStdRegexDidOnShortAsciiValues) {
  // Values each model pattern accepts, so that mutations land near the boundary.
  const std::vector<std::string> good = {
      "arn:aws:kinesis:us-east-1:123456789012:stream/s1",
      "arn:aws:kinesis:us-east-1:123456789012:stream/s1/consumer/c1:1700000000",
      "arn:aws-cn:kinesis:cn-north-1:123456789012:stream/a.b-c_d",
      "0",
      "340282366920938463463374607431768211455",
      "49590338271490256608559692538361571095921575989136588898",
      "abcdefghij0123456789-abc",
      "0123456789abcdef-0123456789abcdef",
      "0123456789abcdef0123456789abcdef",
      "12345678-1234-abcd-ef01-123456789abc",
      "123456789012",
      "my-bucket.name",
      "Rule_1.x",
      "token-1",
      ",",
      "Print me ~",
  };
  std::mt19937 random(20261204);
  std::set<std::string> patterns = model_patterns();
  // And the syntax beyond the models' patterns, where std::regex agrees with Java.
  for (const char* extra : {"(ab|a)(c|bcd)(d*)", "a{2,3}b{0,}c?", "(?:x|yz){2}", "[^a-c\\d]+",
                            "[\\w-]+\\.?", "a+?b*?", "[-a]|[a-]", "\\x41\\u0042", "^a|b$"}) {
    patterns.insert(extra);
  }
  size_t compared = 0;
  for (const std::string& source : patterns) {
    const Pattern pattern(source);
    ASSERT_TRUE(pattern.enforced()) << source;
    const std::unique_ptr<std::regex> before = std_regex(source);
    if (!before) {
      // Only DynamoDB's AutoScalingRoleArn, whose \\u escapes std::regex's char ranges reject;
      // checked by hand in FollowsJavaWhereEcmaScriptDiffers.
      EXPECT_NE(source.find("\\uD800"), std::string::npos) << source;
      continue;
    }
    ++compared;
    for (const std::string& value : values_for(source, good, random)) {
      EXPECT_EQ(pattern.matches(value), std::regex_match(value, *before))
          << "pattern " << source << ", value '" << value << "'";
    }
  }
  EXPECT_GE(compared, patterns.size() - 1);
}

TEST(Pattern, FollowsJavaWhereEcmaScriptDiffers) {
  // `$` also matches before a final line terminator (Java's Dollar, not MULTILINE).
  EXPECT_TRUE(Pattern("a$\\n").matches("a\n"));
  EXPECT_TRUE(Pattern("a$\\r\\n").matches("a\r\n"));
  EXPECT_FALSE(Pattern("a$\\n\\n").matches("a\n\n"));
  EXPECT_FALSE(Pattern("[a-z]+$").matches("abc\n"));  // `$` itself consumes nothing
  EXPECT_FALSE(Pattern("^[^\\$]+$").matches("to$ken"));
  // ... but not between the \r and \n of a final \r\n (Java 17, checked by the reviewer).
  EXPECT_FALSE(Pattern("\\r$\\n").matches("\r\n"));
  EXPECT_FALSE(Pattern("a\\r?$\\n").matches("a\r\n"));
  EXPECT_TRUE(Pattern("a$\\r\\n").matches("a\r\n"));
  // `.` excludes Java's line terminators, which include U+0085, U+2028 and U+2029.
  EXPECT_TRUE(
      Pattern("a.c").matches("a\xc3\xa9"
                             "c"));  // é, one code point
  EXPECT_FALSE(
      Pattern("a.c").matches("a\xc2\x85"
                             "c"));
  EXPECT_FALSE(
      Pattern("a.c").matches("a\xe2\x80\xa8"
                             "c"));
  EXPECT_FALSE(Pattern("a.c").matches("a\nc"));
  // A character is a code point, not a byte; a byte that is not UTF-8 is one of its own.
  EXPECT_TRUE(Pattern("\\S{3}").matches("\xe2\x82\xac\xc3\xa9x"));
  EXPECT_FALSE(Pattern("\\S{3}").matches("\xe2\x82\xacx"));
  EXPECT_TRUE(Pattern("[^a]{2}").matches("\xff\xfe"));
  EXPECT_FALSE(Pattern("[\\x20-\\x7E]+").matches("caf\xc3\xa9"));
  EXPECT_FALSE(Pattern("\\p{Print}+").matches("tab\there"));
  // The predefined classes are ASCII only, as Java's defaults.
  EXPECT_FALSE(Pattern("\\w+").matches("\xc3\xa9t\xc3\xa9"));
  EXPECT_FALSE(Pattern("\\d").matches("\xd9\xa3"));  // ARABIC-INDIC DIGIT THREE
  EXPECT_TRUE(Pattern("\\s+").matches(" \t\n\x0b\f\r"));
  // Escaped surrogate pairs are one code point (DynamoDB's AutoScalingRoleArn: XML's characters).
  const Pattern xml("[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*");
  ASSERT_TRUE(xml.enforced());
  EXPECT_TRUE(xml.matches("arn:aws:iam::123456789012:role/x\t\xf0\x9f\x98\x80\xef\xbf\xbd"));
  EXPECT_FALSE(xml.matches("role\x01"));
  EXPECT_FALSE(xml.matches("\xef\xbf\xbe"));  // U+FFFE
  EXPECT_FALSE(xml.matches("\xed\xa0\x80"));  // a lone surrogate, not UTF-8
  // POSIX classes, which ECMAScript spells otherwise.
  EXPECT_TRUE(Pattern("\\p{Alpha}\\P{Alpha}*").matches("a1-2"));
  EXPECT_FALSE(Pattern("\\p{Alpha}\\P{Alpha}*").matches("a1b"));
  EXPECT_TRUE(Pattern("\\p{Punct}\\p{XDigit}").matches("~F"));
  // A loop whose body may match nothing ends.
  EXPECT_TRUE(Pattern("(a*)*b").matches("aaab"));
  EXPECT_FALSE(Pattern("(a*)*b").matches(std::string(10'000, 'a')));
}

TEST(Pattern, SyntaxItDoesNotKnowIsNotEnforced) {
  for (const char* source : {"(a)\\1",
                             "\\bword\\b",
                             "a*+",
                             "[a-z&&[^b]]",
                             "(?i)abc",
                             "(?=a)a",
                             "[a-z&&b]+",
                             "[&&a]+",
                             "[]+",
                             "[]*",
                             "[^]a]",
                             ".*\\w{1,1000}",
                             "\\Qa.b\\E",
                             "[[a]]",
                             "a{2",
                             "*a",
                             "a)",
                             "(a",
                             "[z-a]",
                             "a{3,1}",
                             "\\p{IsLatin}",
                             "a{99999}",
                             "((((a{1000}){1000}){1000}){1000})"}) {
    const Pattern pattern(source);
    EXPECT_FALSE(pattern.enforced()) << source;
    EXPECT_TRUE(pattern.matches("anything")) << source;
  }
}

TEST(Pattern, EveryModelPatternTakesLongValues) {
  // Values of 300,000 characters of each kind the patterns name, each with a tail that either
  // completes a value of that pattern or not: never a crash (the answer itself is checked
  // above on short values and by the next test on a few long ones).
  const std::string arn = "arn:aws:kinesis:us-east-1:123456789012:stream/";
  for (const std::string& source : model_patterns()) {
    const Pattern pattern(source);
    for (const char* unit : {"a", "1", ":", "/", " ", "$", "\xe2\x82\xac", ":kinesis:1234567890"}) {
      std::string value;
      while (value.size() < 300'000) value += unit;
      pattern.matches(value);
      pattern.matches(arn + value);
      pattern.matches(value + "\n");
    }
  }
}

TEST(Pattern, ValuesOfAnyLengthAreMatchedWithoutRecursion) {
  // std::regex recursed once per character: a value of 100,000 characters overflowed the stack.
  const std::string many(2'000'000, 'a');
  const std::string arn = "arn:aws:kinesis:us-east-1:123456789012:stream/";
  EXPECT_TRUE(Pattern("arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+").matches(arn + many));
  EXPECT_FALSE(Pattern("arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+").matches(arn + many + " "));
  EXPECT_FALSE(Pattern("arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+").matches("arn:aws" + many));
  EXPECT_TRUE(Pattern("^[^\\$]+$").matches(many));
  EXPECT_FALSE(Pattern("^[^\\$]+$").matches(many + "$"));
  EXPECT_FALSE(Pattern("0|([1-9]\\d{0,128})").matches(std::string(2'000'000, '1')));
  // Many colons make a backtracking matcher try every split among the three `.*`.
  std::string colons = "arn:aws";
  for (int i = 0; i < 200'000; ++i) colons += ":kinesis";
  EXPECT_FALSE(Pattern("arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+").matches(colons));
}

}  // namespace
}  // namespace trib::model
