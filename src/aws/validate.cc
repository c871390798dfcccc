#include "aws/validate.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "aws/java_hash.h"

namespace trib::aws {

namespace {

using model::Shape;
using model::ShapeType;

std::string format_number(double d) {
  if (d == std::floor(d) && std::fabs(d) < 1e18) return std::to_string(static_cast<int64_t>(d));
  std::string s = std::to_string(d);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}

bool current_wording(const ValidationStyle* style) {
  return style && style->wording == ValidationStyle::Wording::kCurrent;
}

std::string enum_set(const Shape& shape, const ValidationStyle* style) {
  const std::vector<std::string>* values = &shape.enum_values;
  if (style) {
    if (auto it = style->enum_order.find(shape.name); it != style->enum_order.end())
      values = &it->second;
  }
  std::string set;
  for (const auto& e : *values) set += (set.empty() ? "" : ", ") + e;
  return "[" + set + "]";
}

// How AWS prints a value inside "Value '...' at". `shape` (may be null) is the value's shape.
std::string describe(const Value& v, const Shape* shape, const ValidationStyle* style) {
  if (shape && shape->type == ShapeType::kStructure && style &&
      !style->structure_class_prefix.empty()) {
    // Java's Object.toString: class name @ Integer.toHexString(hashCode()), where the
    // generated class hashes its content (aws/java_hash.h).
    return style->structure_class_prefix + shape->name + "@" +
           java_hash::to_hex_string(
               java_hash::value_hash(v, *shape, style->structure_class_prefix));
  }
  const Shape* element = shape && shape->type == ShapeType::kList ? shape->member : nullptr;
  const Shape* map_value = shape && shape->type == ShapeType::kMap ? shape->value : nullptr;
  switch (v.kind()) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBool:
      return v.as_bool() ? "true" : "false";
    case Value::Kind::kInteger:
      return std::to_string(v.as_int());
    case Value::Kind::kDouble:
      return format_number(v.as_double());
    case Value::Kind::kString:
      return v.as_string();
    case Value::Kind::kBlob: {
      const auto n = std::to_string(v.as_blob().bytes.size());
      return "java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]";
    }
    case Value::Kind::kTimestamp:
      return std::to_string(v.as_timestamp().epoch_ms);
    case Value::Kind::kList: {
      std::string out = "[";
      bool first = true;
      for (const auto& item : v.as_list()) {
        if (!first) out += ", ";
        first = false;
        out += describe(item, element, style);
      }
      return out + "]";
    }
    case Value::Kind::kMap: {
      std::string out = "{";
      bool first = true;
      for (const auto& [key, item] : v.as_map()) {
        if (!first) out += ", ";
        first = false;
        out += key + "=" + describe(item, map_value, style);
      }
      return out + "}";
    }
    case Value::Kind::kFragment:
      return describe(v.as_fragment().to_value(), shape, style);
  }
  return "";
}

size_t length_of(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kString:
      return utf16_length(v.as_string());
    case Value::Kind::kBlob:
      return v.as_blob().bytes.size();
    case Value::Kind::kList:
      return v.as_list().size();
    case Value::Kind::kMap:
      return v.as_map().size();
    default:
      return 0;
  }
}

// Whether a string's length in UTF-16 units is certainly within the shape's bounds, judged
// from its byte count alone (each unit takes 1 to 3 bytes, so bytes / 3 <= units <= bytes):
// spares counting the characters of every long attribute value and attribute name.
bool text_within_bounds(std::string_view text, const Shape& shape) {
  const double bytes = static_cast<double>(text.size());
  return (!shape.min || bytes / 3 >= *shape.min) && (!shape.max || bytes <= *shape.max);
}

bool string_within_bounds(const Value& v, const Shape& shape) {
  return v.is_string() && text_within_bounds(v.as_string(), shape);
}

// Whether a map key certainly satisfies its string shape (no pattern or enum, length within
// bounds by its byte count), so it need not be made a Value to be checked.
bool key_certainly_valid(std::string_view key, const Shape& shape) {
  return shape.type == ShapeType::kString && !shape.pattern && shape.enum_values.empty() &&
         text_within_bounds(key, shape);
}

bool has_length(ShapeType t) {
  return t == ShapeType::kString || t == ShapeType::kBlob || t == ShapeType::kList ||
         t == ShapeType::kMap;
}

// The constraint texts a scalar value violates, in AWS's order.
std::vector<std::string> scalar_violations(const Value& v, const Shape& shape,
                                           const ValidationStyle* style) {
  std::vector<std::string> out;
  if (shape.type == ShapeType::kString && shape.pattern && v.is_string() &&
      !shape.pattern->matches(v.as_string())) {
    out.push_back("Member must satisfy regular expression pattern: " + shape.pattern->source());
  }
  if (has_length(shape.type) && (shape.min || shape.max) && !string_within_bounds(v, shape)) {
    const size_t len = length_of(v);
    if (shape.min && static_cast<double>(len) < *shape.min) {
      out.push_back("Member must have length greater than or equal to " +
                    format_number(*shape.min));
    }
    if (shape.max && static_cast<double>(len) > *shape.max) {
      out.push_back("Member must have length less than or equal to " + format_number(*shape.max));
    }
  } else if (shape.is_numeric()) {
    const double d = v.kind() == Value::Kind::kInteger  ? static_cast<double>(v.as_int())
                     : v.kind() == Value::Kind::kDouble ? v.as_double()
                                                        : 0.0;
    if (shape.min && d < *shape.min) {
      out.push_back("Member must have value greater than or equal to " + format_number(*shape.min));
    }
    if (shape.max && d > *shape.max) {
      out.push_back("Member must have value less than or equal to " + format_number(*shape.max));
    }
  }
  if (!shape.enum_values.empty() && v.is_string() &&
      std::find(shape.enum_values.begin(), shape.enum_values.end(), v.as_string()) ==
          shape.enum_values.end()) {
    out.push_back("Member must satisfy enum value set: " + enum_set(shape, style));
  }
  return out;
}

// For collections of scalars AWS reports one aggregated failure at the collection's path,
// listing the element constraints (maximum first, as AWS words it).
std::string element_constraint_list(const Shape& element, const ValidationStyle* style) {
  std::vector<std::string> parts;
  if (has_length(element.type)) {
    if (element.max)
      parts.push_back("Member must have length less than or equal to " +
                      format_number(*element.max));
    if (element.min)
      parts.push_back("Member must have length greater than or equal to " +
                      format_number(*element.min));
  } else if (element.is_numeric()) {
    if (element.max)
      parts.push_back("Member must have value less than or equal to " +
                      format_number(*element.max));
    if (element.min)
      parts.push_back("Member must have value greater than or equal to " +
                      format_number(*element.min));
  }
  if (element.pattern)
    parts.push_back("Member must satisfy regular expression pattern: " + element.pattern->source());
  if (!element.enum_values.empty())
    parts.push_back("Member must satisfy enum value set: " + enum_set(element, style));
  std::string out = "[";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out + "]";
}

bool is_scalar(const Shape& s) {
  return s.type != ShapeType::kStructure && s.type != ShapeType::kList && s.type != ShapeType::kMap;
}

// Where a value sits in the request, rendered only when a violation is reported:
// "records.3.member.partitionKey", "tags.k.member", "streamModeDetails.streamMode".
struct PathNode {
  enum class Kind : uint8_t { kMember, kListItem, kMapEntry } kind;
  const PathNode* parent;
  std::string_view name;  // member name (kMember) or map key (kMapEntry)
  size_t index = 0;       // 1-based (kListItem)

  std::string render(bool lower_members) const {
    std::string head = parent ? parent->render(lower_members) + "." : std::string();
    switch (kind) {
      case Kind::kMember:
        return head + (lower_members ? lower_first(name) : std::string(name));
      case Kind::kListItem:
        return head + std::to_string(index) + ".member";
      case Kind::kMapEntry:
        return head + std::string(name) + ".member";
    }
    return head;
  }
};

class Validator {
 public:
  Validator(size_t limit, const ValidationStyle* style) : limit_(limit), style_(style) {}

  void add(const PathNode& path, const Value* v, const Shape* shape,
           const std::string& constraint) {
    if (failures_.size() >= limit_) return;
    if (current_wording(style_)) {
      failures_.push_back("Value at '" + path.render(false) +
                          "' failed to satisfy constraint: " + constraint);
      return;
    }
    std::string value = v ? "'" + describe(*v, shape, style_) + "'" : "null";
    failures_.push_back("Value " + value + " at '" + path.render(true) +
                        "' failed to satisfy constraint: " + constraint);
  }

  void check_structure(const Value& v, const Shape& shape, const PathNode* parent) {
    // Members listed in the service's captured order come first, in that order; the rest
    // follow in model order.
    const std::vector<std::string>* listed = nullptr;
    if (style_) {
      if (auto it = style_->member_order.find(shape.name); it != style_->member_order.end())
        listed = &it->second;
    }
    if (!listed) {
      for (const auto& m : shape.members) check_member(v, m, parent);
      return;
    }
    std::vector<const model::Member*> members;
    for (const auto& m : shape.members) members.push_back(&m);
    auto rank = [&](const model::Member* m) {
      auto pos = std::find(listed->begin(), listed->end(), m->name);
      return pos == listed->end() ? listed->size() : static_cast<size_t>(pos - listed->begin());
    };
    std::stable_sort(members.begin(), members.end(),
                     [&](const auto* a, const auto* b) { return rank(a) < rank(b); });
    for (const auto* m : members) check_member(v, *m, parent);
  }

  void check_member(const Value& v, const model::Member& m, const PathNode* parent) {
    if (!m.checked) return;  // neither required nor able to fail
    const PathNode path{PathNode::Kind::kMember, parent, m.name};
    const Value* child = v.find(m.name);
    if (!child || child->is_null()) {
      if (m.required) add(path, nullptr, nullptr, "Member must not be null");
      return;
    }
    check_value(*child, *m.shape, path);
  }

  void check_value(const Value& v, const Shape& shape, const PathNode& path) {
    if (!shape.may_fail_validation || failures_.size() >= limit_) return;
    for (const auto& text : scalar_violations(v, shape, style_)) add(path, &v, &shape, text);
    if (shape.type == ShapeType::kStructure && v.is_map()) {
      check_structure(v, shape, &path);
    } else if (shape.type == ShapeType::kList && v.is_list() && shape.member) {
      const Shape& element = *shape.member;
      if (!element.may_fail_validation) {
        // nothing in the elements can fail
      } else if (is_scalar(element)) {
        for (const auto& item : v.as_list()) {
          if (!item.is_null() && !scalar_violations(item, element, style_).empty()) {
            add(path, &v, &shape,
                "Member must satisfy constraint: " + element_constraint_list(element, style_));
            break;
          }
        }
      } else {
        size_t index = 1;
        for (const auto& item : v.as_list()) {
          if (!item.is_null())
            check_value(item, element, PathNode{PathNode::Kind::kListItem, &path, {}, index});
          ++index;
        }
      }
    } else if (shape.type == ShapeType::kMap && v.is_map()) {
      if (shape.key && shape.key->may_fail_validation) {
        for (const auto& [key, _] : v.as_map()) {
          if (key_certainly_valid(key, *shape.key)) continue;
          if (!scalar_violations(Value(key), *shape.key, style_).empty()) {
            add(path, &v, &shape,
                "Map keys must satisfy constraint: " + element_constraint_list(*shape.key, style_));
            break;
          }
        }
      }
      if (!shape.value || !shape.value->may_fail_validation) {
        // nothing in the values can fail
      } else if (is_scalar(*shape.value)) {
        for (const auto& [key, item] : v.as_map()) {
          if (!item.is_null() && !scalar_violations(item, *shape.value, style_).empty()) {
            add(path, &v, &shape,
                "Map value must satisfy constraint: " +
                    element_constraint_list(*shape.value, style_));
            break;
          }
        }
      } else {
        for (const auto& [key, item] : v.as_map()) {
          if (!item.is_null())
            check_value(item, *shape.value, PathNode{PathNode::Kind::kMapEntry, &path, key});
        }
      }
    }
  }

  std::vector<std::string> take() { return std::move(failures_); }

 private:
  size_t limit_;
  const ValidationStyle* style_;
  std::vector<std::string> failures_;
};

}  // namespace

std::string lower_first(std::string_view name) {
  std::string out(name);
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

size_t utf16_length(std::string_view utf8) {
  size_t units = 0;
  for (size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    size_t width = c < 0x80           ? 1
                   : (c >> 5) == 0x6  ? 2
                   : (c >> 4) == 0xe  ? 3
                   : (c >> 3) == 0x1e ? 4
                                      : 1;
    units += width == 4 ? 2 : 1;
    i += width;
  }
  return units;
}

std::vector<std::string> validation_failures(const Value& input, const Shape& shape, size_t limit,
                                             const ValidationStyle* style) {
  Validator validator(limit, style);
  validator.check_structure(input, shape, nullptr);
  return validator.take();
}

std::optional<std::string> validate(const Value& input, const Shape& shape,
                                    const ValidationStyle* style) {
  if (style) {
    // The few entries are scanned for this shape's (no key built per request).
    for (const auto& [path, texts] : style->member_messages) {
      const std::string_view entry(path);
      if (entry.size() <= shape.name.size() + 1 || !entry.starts_with(shape.name) ||
          entry[shape.name.size()] != '.') {
        continue;
      }
      const std::string_view name = entry.substr(shape.name.size() + 1);
      const auto member = std::find_if(shape.members.begin(), shape.members.end(),
                                       [&](const model::Member& m) { return m.name == name; });
      if (member == shape.members.end()) continue;
      const Value* present = input.find(member->name);
      if (!present || present->is_null()) {
        if (member->required && !texts.missing.empty()) return texts.missing;
        continue;
      }
      const Shape* member_shape = member->shape;
      if (!texts.too_short.empty() && member_shape && has_length(member_shape->type) &&
          member_shape->min && static_cast<double>(length_of(*present)) < *member_shape->min) {
        return texts.too_short;
      }
    }
  }
  auto failures = validation_failures(input, shape, current_wording(style) ? 1 : 10, style);
  if (failures.empty()) return std::nullopt;
  return validation_message(failures, style);
}

std::string validation_failure(std::string_view member_path, const Value* value,
                               std::string_view constraint, const ValidationStyle* style) {
  std::string out = "Value ";
  if (current_wording(style)) {
    out += "at '" + std::string(member_path);
  } else {
    out += value ? "'" + describe(*value, nullptr, style) + "'" : std::string("null");
    out += " at '";
    // camelCase each segment that starts with an upper-case letter (member names); list
    // positions and "member" stay as given (a map key that starts upper-case would not).
    size_t start = 0;
    while (start <= member_path.size()) {
      const size_t dot = std::min(member_path.find('.', start), member_path.size());
      const std::string_view segment = member_path.substr(start, dot - start);
      if (start) out += '.';
      const bool member = !segment.empty() && std::isupper(static_cast<unsigned char>(segment[0]));
      out += member ? lower_first(segment) : std::string(segment);
      start = dot + 1;
    }
  }
  out += "' failed to satisfy constraint: ";
  out += constraint;
  return out;
}

std::string validation_message(const std::vector<std::string>& failures,
                               const ValidationStyle* style) {
  const size_t count =
      current_wording(style) ? std::min<size_t>(failures.size(), 1) : failures.size();
  std::string message =
      std::to_string(count) + " validation error" + (count > 1 ? "s" : "") + " detected: ";
  for (size_t i = 0; i < count; ++i) message += (i ? "; " : "") + failures[i];
  return message;
}

}  // namespace trib::aws
