// A shape's `pattern` constraint from an AWS model: a java.util.regex expression that the whole
// value must match (Matcher.matches()), as AWS's validation applies it.
//
// Compiled once into a small automaton (a Thompson NFA) and run over the value in one pass, with
// no recursion and no backtracking: the stack does not grow with the value, and the time is
// linear in its length times the automaton's size (at most 1,024 instructions; the models'
// largest has about 260, and their slowest, ResourceARN's, took 0.68 s on a hostile 14 MB
// value, the body limit, in a reviewer's measurement). The length of a value is bounded only by
// the body limit, and checked against its pattern even when it is too long (AWS reports both).
// std::regex, used before, recursed once per character: a 100 KB StreamARN overflowed the stack
// and killed the server (tests/unit/model/pattern_test.cc,
// tests/integration/kinesis/test_validation.py).
//
// Java's syntax as far as the models use it and a little further: literals and escapes, `.`,
// character classes with ranges, negation and the predefined classes (\d \D \w \W \s \S and
// \p{Print}-style POSIX classes, ASCII-only as Java's defaults are), groups ((...), (?:...)),
// alternation, the quantifiers * + ? {n} {n,} {n,m} (greedy or lazy: the same for a whole
// match), and the anchors ^ and $ ($ also before a final line terminator, as in Java). A
// value is read as UTF-8 code points, as Java reads a String's code points for `.`, classes and
// counts; the one difference, an unpaired surrogate, cannot arrive in valid UTF-8 (a byte that
// is not valid UTF-8 is read as a character of its own that only `.` and negated classes match).
// Anything else (back-references, look-around, possessive quantifiers, class intersections,
// word boundaries, flags) is not compiled: the pattern is then not enforced (enforced() is
// false, matches() accepts everything; docs/compatibility.md).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace trib::model {

class Pattern {
 public:
  explicit Pattern(std::string source);
  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;
  ~Pattern();

  // Whether the whole of `value` matches. Linear in value.size() times the automaton's size.
  bool matches(std::string_view value) const;
  const std::string& source() const { return source_; }
  bool enforced() const { return simple_ || program_ != nullptr; }

  struct Program;  // the compiled automaton (pattern.cc)

 private:
  std::string source_;
  bool simple_ = false;  // fast path: "[class]+" or "[class]*" of plain ASCII, tested per byte
  bool allow_empty_ = false;
  bool allowed_[256] = {};
  std::unique_ptr<const Program> program_;
};

}  // namespace trib::model
