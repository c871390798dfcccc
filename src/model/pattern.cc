#include "model/pattern.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <bitset>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace trib::model {

namespace {

// A value is read as units: Unicode code points, and for each byte that is not part of valid
// UTF-8, one unit of its own above them (so that a negated class or `.` matches it and nothing
// else does).
constexpr char32_t kInvalidByteUnits = 0x110000;
constexpr char32_t kMaxUnit = kInvalidByteUnits + 0xff;

// The unit at s[at], and its length in bytes.
char32_t decode_unit(std::string_view s, size_t at, size_t* length) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(at);
  *length = 1;
  if (lead < 0x80) return lead;
  size_t count = 0;
  char32_t unit = 0;
  char32_t least = 0;
  if (lead >= 0xc2 && lead <= 0xdf) {
    count = 1, unit = lead & 0x1f, least = 0x80;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    count = 2, unit = lead & 0x0f, least = 0x800;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    count = 3, unit = lead & 0x07, least = 0x10000;
  } else {
    return kInvalidByteUnits + lead;
  }
  if (s.size() - at <= count) return kInvalidByteUnits + lead;
  for (size_t i = 1; i <= count; ++i) {
    if ((byte(at + i) & 0xc0) != 0x80) return kInvalidByteUnits + lead;
    unit = unit << 6 | (byte(at + i) & 0x3f);
  }
  if (unit < least || unit > 0x10ffff || (unit >= 0xd800 && unit <= 0xdfff)) {
    return kInvalidByteUnits + lead;
  }
  *length = count + 1;
  return unit;
}

// Whether the rest of a value, from `at`, is empty or one line terminator: where Java's `$`
// matches outside MULTILINE mode (java.util.regex.Pattern's Dollar node).
bool at_end_or_final_terminator(std::string_view s, size_t at) {
  const std::string_view rest = s.substr(at);
  if (rest == "\n" && at > 0 && s[at - 1] == '\r') return false;  // not inside a final \r\n
  return rest.empty() || rest == "\n" || rest == "\r" || rest == "\r\n" || rest == "\xc2\x85" ||
         rest == "\xe2\x80\xa8" || rest == "\xe2\x80\xa9";
}

using Ranges = std::vector<std::pair<char32_t, char32_t>>;  // inclusive

Ranges normalized(Ranges ranges) {
  std::sort(ranges.begin(), ranges.end());
  Ranges out;
  for (const auto& [lo, hi] : ranges) {
    if (!out.empty() && lo <= out.back().second + 1) {
      out.back().second = std::max(out.back().second, hi);
    } else {
      out.emplace_back(lo, hi);
    }
  }
  return out;
}

Ranges complement(const Ranges& ranges) {
  Ranges out;
  char32_t next = 0;
  for (const auto& [lo, hi] : normalized(ranges)) {
    if (lo > next) out.emplace_back(next, lo - 1);
    next = hi + 1;
  }
  if (next <= kMaxUnit) out.emplace_back(next, kMaxUnit);
  return out;
}

// Java's predefined and POSIX classes (ASCII only, Java's default without UNICODE_CHARACTER_CLASS).
const std::map<std::string_view, Ranges, std::less<>>& posix_classes() {
  static const std::map<std::string_view, Ranges, std::less<>> classes = {
      {"Lower", {{'a', 'z'}}},
      {"Upper", {{'A', 'Z'}}},
      {"ASCII", {{0, 0x7f}}},
      {"Alpha", {{'a', 'z'}, {'A', 'Z'}}},
      {"Digit", {{'0', '9'}}},
      {"Alnum", {{'a', 'z'}, {'A', 'Z'}, {'0', '9'}}},
      {"Punct", {{0x21, 0x2f}, {0x3a, 0x40}, {0x5b, 0x60}, {0x7b, 0x7e}}},
      {"Graph", {{0x21, 0x7e}}},
      {"Print", {{0x20, 0x7e}}},
      {"Blank", {{' ', ' '}, {'\t', '\t'}}},
      {"Cntrl", {{0, 0x1f}, {0x7f, 0x7f}}},
      {"XDigit", {{'0', '9'}, {'a', 'f'}, {'A', 'F'}}},
      {"Space", {{'\t', '\r'}, {' ', ' '}}},
  };
  return classes;
}

const Ranges kDigit = {{'0', '9'}};
const Ranges kWord = {{'a', 'z'}, {'A', 'Z'}, {'0', '9'}, {'_', '_'}};
const Ranges kSpace = {{'\t', '\r'}, {' ', ' '}};  // \t \n \x0B \f \r and space
// `.`: everything but Java's line terminators (outside DOTALL and UNIX_LINES).
const Ranges kDot = complement({{'\n', '\n'}, {'\r', '\r'}, {0x85, 0x85}, {0x2028, 0x2029}});

struct Node {
  enum class Kind : uint8_t { kSet, kConcat, kAlternation, kRepeat, kBegin, kEnd };
  Kind kind = Kind::kConcat;
  Ranges set;               // kSet
  std::vector<Node> parts;  // kConcat, kAlternation; kRepeat: the one repeated
  int min = 0;              // kRepeat
  int max = 0;              // kRepeat; -1: unbounded

  static Node of(Kind kind) {
    Node node;
    node.kind = kind;
    return node;
  }
  static Node of(Ranges set) {
    Node node = of(Kind::kSet);
    node.set = std::move(set);
    return node;
  }
};

// Recursive descent over the pattern (from the model, so trusted; the nesting is bounded all
// the same). Anything it does not know sets failed_.
class Parser {
 public:
  explicit Parser(std::string_view source) : s_(source) {}

  std::optional<Node> parse() {
    Node node = alternation(0);
    if (failed_ || at_ != s_.size()) return std::nullopt;
    return node;
  }

 private:
  static constexpr int kMaxDepth = 64;
  static constexpr int kMaxCount = 1000;

  bool more() const { return at_ < s_.size(); }
  char peek() const { return s_[at_]; }
  bool take(char c) {
    if (!more() || peek() != c) return false;
    ++at_;
    return true;
  }
  Node fail() {
    failed_ = true;
    return {};
  }

  Node alternation(int depth) {
    if (depth > kMaxDepth) return fail();
    Node first = concatenation(depth);
    if (!more() || peek() != '|') return first;
    Node node = Node::of(Node::Kind::kAlternation);
    node.parts.push_back(std::move(first));
    while (!failed_ && take('|')) node.parts.push_back(concatenation(depth));
    return node;
  }

  Node concatenation(int depth) {
    Node node = Node::of(Node::Kind::kConcat);
    while (!failed_ && more() && peek() != '|' && peek() != ')') {
      node.parts.push_back(repetition(depth));
    }
    return node;
  }

  Node repetition(int depth) {
    Node atom_node = atom(depth);
    if (failed_ || !more()) return atom_node;
    int min = 0;
    int max = 0;
    if (take('*')) {
      min = 0, max = -1;
    } else if (take('+')) {
      min = 1, max = -1;
    } else if (take('?')) {
      min = 0, max = 1;
    } else if (take('{')) {
      if (!counts(&min, &max)) return fail();
    } else {
      return atom_node;
    }
    if (take('+')) return fail();  // possessive: not a whole-match equivalent
    take('?');                     // lazy: the same set of whole matches as greedy
    Node node = Node::of(Node::Kind::kRepeat);
    node.min = min;
    node.max = max;
    node.parts.push_back(std::move(atom_node));
    return node;
  }

  // {n}, {n,} or {n,m}, after the '{'.
  bool counts(int* min, int* max) {
    const std::optional<int> low = number();
    if (!low) return false;
    *min = *max = *low;
    if (take(',')) {
      const std::optional<int> high = number();
      *max = high ? *high : -1;
      if (high && *high < *low) return false;
    }
    return take('}');
  }

  std::optional<int> number() {
    int value = 0;
    const size_t start = at_;
    while (more() && peek() >= '0' && peek() <= '9') {
      value = value * 10 + (peek() - '0');
      if (value > kMaxCount) return std::nullopt;
      ++at_;
    }
    if (at_ == start) return std::nullopt;
    return value;
  }

  Node atom(int depth) {
    const char c = peek();
    switch (c) {
      case '(': {
        ++at_;
        if (take('?') && !take(':')) return fail();  // look-around, flags, named groups
        Node inside = alternation(depth + 1);
        if (!take(')')) return fail();
        return inside;
      }
      case '[': {
        ++at_;
        Ranges set;
        if (!character_class(&set)) return fail();
        return Node::of(std::move(set));
      }
      case '.':
        ++at_;
        return Node::of(kDot);
      case '^':
        ++at_;
        return Node::of(Node::Kind::kBegin);
      case '$':
        ++at_;
        return Node::of(Node::Kind::kEnd);
      case '*':
      case '+':
      case '?':
      case '{':
        return fail();  // a quantifier with nothing before it
      default: {
        Ranges set;
        if (!element(&set)) return fail();
        return Node::of(std::move(set));
      }
    }
  }

  // After '[': the class up to and including its ']'.
  bool character_class(Ranges* out) {
    const bool negated = take('^');
    if (more() && peek() == ']') return false;  // "[]" and "[^]": errors in Java
    Ranges set;
    while (!take(']')) {
      if (!more() || peek() == '[') return false;   // unclosed, or a nested class
      if (s_.substr(at_, 2) == "&&") return false;  // intersection
      Ranges low;
      if (!element(&low)) return false;
      const bool single = low.size() == 1 && low[0].first == low[0].second;
      if (single && s_.substr(at_, 1) == "-" && s_.substr(at_ + 1, 1) != "]" &&
          at_ + 1 < s_.size()) {
        ++at_;
        Ranges high;
        if (!element(&high) || high.size() != 1 || high[0].first != high[0].second ||
            high[0].first < low[0].first) {
          return false;
        }
        set.emplace_back(low[0].first, high[0].first);
      } else {
        set.insert(set.end(), low.begin(), low.end());
      }
    }
    *out = negated ? complement(set) : normalized(std::move(set));
    return true;
  }

  // One literal character or escape, as a set (one unit, or a predefined class).
  bool element(Ranges* out) {
    if (!take('\\')) {
      size_t length = 0;
      const char32_t unit = decode_unit(s_, at_, &length);
      at_ += length;
      *out = {{unit, unit}};
      return true;
    }
    if (!more()) return false;
    const char c = peek();
    ++at_;
    const auto set = [&](Ranges ranges) {
      *out = std::move(ranges);
      return true;
    };
    const auto one = [&](char32_t unit) { return set({{unit, unit}}); };
    switch (c) {
      case 'd':
        return set(kDigit);
      case 'D':
        return set(complement(kDigit));
      case 'w':
        return set(kWord);
      case 'W':
        return set(complement(kWord));
      case 's':
        return set(kSpace);
      case 'S':
        return set(complement(kSpace));
      case 'p':
      case 'P': {
        const size_t close = s_.find('}', at_);
        if (!take('{') || close == std::string_view::npos) return false;
        const auto found = posix_classes().find(s_.substr(at_, close - at_));
        if (found == posix_classes().end()) return false;
        at_ = close + 1;
        return set(c == 'p' ? found->second : complement(found->second));
      }
      case 't':
        return one('\t');
      case 'n':
        return one('\n');
      case 'r':
        return one('\r');
      case 'f':
        return one('\f');
      case 'a':
        return one(0x07);
      case 'e':
        return one(0x1b);
      case 'x':
        return hex_escape(2, out);
      case 'u':
        if (!hex_escape(4, out)) return false;
        // A high surrogate escaped and then a low one stand for one code point, as in Java
        // (DynamoDB's AutoScalingRoleArn: "\\uD800\\uDC00-\\uDBFF\\uDFFF" is U+10000-U+10FFFF).
        if (const char32_t high = out->front().first;
            high >= 0xd800 && high <= 0xdbff && s_.substr(at_, 2) == "\\u") {
          const size_t before = at_;
          at_ += 2;
          Ranges low;
          if (hex_escape(4, &low) && low.front().first >= 0xdc00 && low.front().first <= 0xdfff) {
            return one(0x10000 + ((high - 0xd800) << 10) + (low.front().first - 0xdc00));
          }
          at_ = before;
        }
        return true;
      default:
        // Other letters and digits are back-references, boundaries, quoting or errors in Java;
        // any other character escaped stands for itself.
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
          return false;
        }
        --at_;
        size_t length = 0;
        const char32_t unit = decode_unit(s_, at_, &length);
        at_ += length;
        return one(unit);
    }
  }

  bool hex_escape(size_t digits, Ranges* out) {
    if (s_.size() - at_ < digits) return false;
    char32_t unit = 0;
    for (size_t i = 0; i < digits; ++i) {
      const char h = s_[at_ + i];
      const int value = h >= '0' && h <= '9'   ? h - '0'
                        : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                               : -1;
      if (value < 0) return false;
      unit = unit << 4 | static_cast<char32_t>(value);
    }
    at_ += digits;
    *out = {{unit, unit}};
    return true;
  }

  std::string_view s_;
  size_t at_ = 0;
  bool failed_ = false;
};

}  // namespace

// The automaton: instructions of a Pike VM without captures.
struct Pattern::Program {
  enum class Op : uint8_t { kSet, kSplit, kJump, kBegin, kEnd, kMatch };
  struct Instruction {
    Op op;
    uint32_t a = 0;  // kSet: the set; kSplit, kJump: a target
    uint32_t b = 0;  // kSplit: the other target
  };
  struct Set {
    std::bitset<128> ascii;
    Ranges wide;  // units from 0x80, sorted
    bool contains(char32_t unit) const {
      if (unit < 128) return ascii[unit];
      for (const auto& [lo, hi] : wide) {
        if (unit < lo) return false;
        if (unit <= hi) return true;
      }
      return false;
    }
  };
  // Bounds the work per character of a value. The models' largest pattern (SequenceNumber's
  // "\\d{0,128}") takes about 260; a bigger one is not enforced.
  static constexpr size_t kMaxInstructions = 1024;

  std::vector<Instruction> code;
  std::vector<Set> sets;
  std::map<Ranges, uint32_t> set_index;
  bool too_big = false;

  uint32_t here() const { return static_cast<uint32_t>(code.size()); }
  uint32_t add(Op op, uint32_t a = 0, uint32_t b = 0) {
    code.push_back({op, a, b});
    too_big = too_big || code.size() > kMaxInstructions;
    return here() - 1;
  }

  uint32_t intern(const Ranges& ranges) {
    const auto [it, added] = set_index.try_emplace(ranges, static_cast<uint32_t>(sets.size()));
    if (added) {
      Set set;
      for (auto [lo, hi] : ranges) {
        for (char32_t u = lo; u <= hi && u < 128; ++u) set.ascii.set(u);
        if (hi >= 128) set.wide.emplace_back(std::max<char32_t>(lo, 128), hi);
      }
      sets.push_back(std::move(set));
    }
    return it->second;
  }

  void emit(const Node& node) {
    if (too_big) return;
    switch (node.kind) {
      case Node::Kind::kSet:
        add(Op::kSet, intern(node.set));
        return;
      case Node::Kind::kBegin:
        add(Op::kBegin);
        return;
      case Node::Kind::kEnd:
        add(Op::kEnd);
        return;
      case Node::Kind::kConcat:
        for (const Node& part : node.parts) emit(part);
        return;
      case Node::Kind::kAlternation: {
        std::vector<uint32_t> to_end;
        for (size_t i = 0; i + 1 < node.parts.size(); ++i) {
          const uint32_t split = add(Op::kSplit, here() + 1);
          emit(node.parts[i]);
          to_end.push_back(add(Op::kJump));
          code[split].b = here();
        }
        emit(node.parts.back());
        for (uint32_t jump : to_end) code[jump].a = here();
        return;
      }
      case Node::Kind::kRepeat: {
        const Node& part = node.parts.front();
        for (int i = 0; i < node.min; ++i) emit(part);
        if (node.max < 0) {
          const uint32_t split = add(Op::kSplit, here() + 1);
          emit(part);
          add(Op::kJump, split);
          code[split].b = here();
          return;
        }
        std::vector<uint32_t> skips;
        for (int i = node.min; i < node.max && !too_big; ++i) {
          skips.push_back(add(Op::kSplit, here() + 1));
          emit(part);
        }
        for (uint32_t split : skips) code[split].b = here();
        return;
      }
    }
  }

  // Adds the thread at `pc` and every thread its non-consuming steps reach to `list`.
  void add_threads(uint32_t pc, bool at_begin, bool at_end, std::vector<uint32_t>& marks,
                   uint32_t generation, std::vector<uint32_t>& stack,
                   std::vector<uint32_t>& list) const {
    stack.push_back(pc);
    while (!stack.empty()) {
      const uint32_t at = stack.back();
      stack.pop_back();
      if (marks[at] == generation) continue;
      marks[at] = generation;
      const Instruction& instruction = code[at];
      switch (instruction.op) {
        case Op::kJump:
          stack.push_back(instruction.a);
          break;
        case Op::kSplit:
          stack.push_back(instruction.b);
          stack.push_back(instruction.a);
          break;
        case Op::kBegin:
          if (at_begin) stack.push_back(at + 1);
          break;
        case Op::kEnd:
          if (at_end) stack.push_back(at + 1);
          break;
        case Op::kSet:
        case Op::kMatch:
          list.push_back(at);
          break;
      }
    }
  }

  bool run(std::string_view value) const {
    std::vector<uint32_t> marks(code.size(), 0);
    std::vector<uint32_t> current, next, stack;
    current.reserve(code.size());
    next.reserve(code.size());
    uint32_t generation = 1;
    add_threads(0, true, at_end_or_final_terminator(value, 0), marks, generation, stack, current);
    size_t at = 0;
    while (at < value.size()) {
      if (current.empty()) return false;
      size_t length = 0;
      const char32_t unit = decode_unit(value, at, &length);
      at += length;
      const bool at_end = at_end_or_final_terminator(value, at);
      ++generation;
      next.clear();
      for (uint32_t pc : current) {
        const Instruction& instruction = code[pc];
        if (instruction.op == Op::kSet && sets[instruction.a].contains(unit)) {
          add_threads(pc + 1, false, at_end, marks, generation, stack, next);
        }
      }
      std::swap(current, next);
    }
    return std::any_of(current.begin(), current.end(),
                       [&](uint32_t pc) { return code[pc].op == Op::kMatch; });
  }
};

Pattern::Pattern(std::string source) : source_(std::move(source)) {
  // Fast path for "[...]+" and "[...]*" with a plain ASCII class: a table per byte.
  const std::string_view s = source_;
  // Not "[]+" (no class: an error in Java) nor a class with "&&" (an intersection).
  if (s.size() > 3 && s.front() == '[' && (s.back() == '+' || s.back() == '*') &&
      s[s.size() - 2] == ']' && s.find(']') == s.size() - 2 &&
      s.find_first_of("\\[^", 1) == std::string_view::npos &&
      s.find("&&") == std::string_view::npos) {
    bool plain = true;
    const std::string_view body = s.substr(1, s.size() - 3);
    for (size_t i = 0; i < body.size() && plain; ++i) {
      const auto c = static_cast<unsigned char>(body[i]);
      plain = c < 0x80;
      if (i + 2 < body.size() && body[i + 1] == '-') {
        const auto high = static_cast<unsigned char>(body[i + 2]);
        plain = plain && high < 0x80 && high >= c;
        for (unsigned v = c; plain && v <= high; ++v) allowed_[v] = true;
        i += 2;
      } else {
        allowed_[c] = true;
      }
    }
    if (plain) {
      simple_ = true;
      allow_empty_ = s.back() == '*';
      return;
    }
    std::fill(std::begin(allowed_), std::end(allowed_), false);
  }
  std::optional<Node> tree = Parser(source_).parse();
  if (tree) {
    auto program = std::make_unique<Program>();
    program->emit(*tree);
    program->add(Program::Op::kMatch);
    program->set_index.clear();
    if (!program->too_big) program_ = std::move(program);
  }
  if (!program_) spdlog::debug("pattern not enforced: {}", source_);
}

Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;
Pattern::~Pattern() = default;

bool Pattern::matches(std::string_view value) const {
  if (simple_) {
    if (value.empty()) return allow_empty_;
    for (unsigned char c : value) {
      if (!allowed_[c]) return false;
    }
    return true;
  }
  return !program_ || program_->run(value);
}

}  // namespace trib::model
