// Value: the decoded form of a request or response document, independent of the wire codec
// (JSON or CBOR). Codecs decode a request body against the operation's input shape into a
// Value (so blobs are already bytes and timestamps already milliseconds), and encode an
// operation's output Value back in the request's codec.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace trib::aws {

class Value;
using ValueList = std::vector<Value>;
// Members and map entries keep insertion order; lookups are linear (documents are small).
using ValueMap = std::vector<std::pair<std::string, Value>>;

struct Blob {
  std::string bytes;
};
struct Timestamp {
  int64_t epoch_ms = 0;
};

// A part of an output document that encodes itself. A service builds one where building a
// Value tree would cost more than the rest of the request (DynamoDB items: a Query page holds
// hundreds of attribute values): the JSON codec asks it for its JSON text directly; any other
// consumer (the CBOR codec) asks for the equivalent Value. Immutable, so Values that copy it
// share it. Never found in a decoded request.
class Fragment {
 public:
  virtual ~Fragment() = default;
  // Appends exactly what encoding to_value() as JSON would append.
  virtual void write_json(std::string& out) const = 0;
  virtual Value to_value() const = 0;
};

class Value {
 public:
  enum class Kind : uint8_t {
    kNull,
    kBool,
    kInteger,
    kDouble,
    kString,
    kBlob,
    kTimestamp,
    kList,
    kMap,
    kFragment
  };

  Value() = default;
  Value(bool b) : v_(b) {}                            // NOLINT(google-explicit-constructor)
  Value(int v) : v_(static_cast<int64_t>(v)) {}       // NOLINT
  Value(int64_t v) : v_(v) {}                         // NOLINT
  Value(uint64_t v) : v_(static_cast<int64_t>(v)) {}  // NOLINT
  Value(double v) : v_(v) {}                          // NOLINT
  Value(std::string s) : v_(std::move(s)) {}          // NOLINT
  Value(std::string_view s) : v_(std::string(s)) {}   // NOLINT
  Value(const char* s) : v_(std::string(s)) {}        // NOLINT
  Value(Blob b) : v_(std::move(b)) {}                 // NOLINT
  Value(Timestamp t) : v_(t) {}                       // NOLINT
  Value(ValueList l) : v_(std::move(l)) {}            // NOLINT
  Value(ValueMap m) : v_(std::move(m)) {}             // NOLINT
  explicit Value(std::shared_ptr<const Fragment> f) : v_(std::move(f)) {}

  static Value map() { return Value(ValueMap{}); }
  static Value list() { return Value(ValueList{}); }

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_map() const { return kind() == Kind::kMap; }
  bool is_list() const { return kind() == Kind::kList; }

  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  double as_double() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Blob& as_blob() const { return std::get<Blob>(v_); }
  Blob& as_blob() { return std::get<Blob>(v_); }
  Timestamp as_timestamp() const { return std::get<Timestamp>(v_); }
  const ValueList& as_list() const { return std::get<ValueList>(v_); }
  ValueList& as_list() { return std::get<ValueList>(v_); }
  const ValueMap& as_map() const { return std::get<ValueMap>(v_); }
  ValueMap& as_map() { return std::get<ValueMap>(v_); }
  const Fragment& as_fragment() const { return *std::get<std::shared_ptr<const Fragment>>(v_); }

  // Map access. find() returns nullptr when the member is absent (or this is not a map).
  const Value* find(std::string_view name) const;
  // Appends a member (maps only); returns *this for chaining.
  Value& set(std::string name, Value v);
  // Appends to a list.
  Value& push(Value v);

  // Typed member readers for operations: the member is present and of that kind, or nullopt.
  const std::string* string_member(std::string_view name) const;
  std::optional<int64_t> int_member(std::string_view name) const;
  std::optional<bool> bool_member(std::string_view name) const;
  std::optional<int64_t> timestamp_member(std::string_view name) const;

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string, Blob, Timestamp, ValueList,
               ValueMap, std::shared_ptr<const Fragment>>
      v_;
};

}  // namespace trib::aws
