#include "aws/value.h"

namespace trib::aws {

const Value* Value::find(std::string_view name) const {
  if (kind() != Kind::kMap) return nullptr;
  for (const auto& [key, value] : as_map()) {
    if (key == name) return &value;
  }
  return nullptr;
}

Value& Value::set(std::string name, Value v) {
  as_map().emplace_back(std::move(name), std::move(v));
  return *this;
}

Value& Value::push(Value v) {
  as_list().push_back(std::move(v));
  return *this;
}

const std::string* Value::string_member(std::string_view name) const {
  const Value* v = find(name);
  return v && v->kind() == Kind::kString ? &v->as_string() : nullptr;
}

std::optional<int64_t> Value::int_member(std::string_view name) const {
  const Value* v = find(name);
  if (!v || v->kind() != Kind::kInteger) return std::nullopt;
  return v->as_int();
}

std::optional<bool> Value::bool_member(std::string_view name) const {
  const Value* v = find(name);
  if (!v || v->kind() != Kind::kBool) return std::nullopt;
  return v->as_bool();
}

std::optional<int64_t> Value::timestamp_member(std::string_view name) const {
  const Value* v = find(name);
  if (!v || v->kind() != Kind::kTimestamp) return std::nullopt;
  return v->as_timestamp().epoch_ms;
}

}  // namespace trib::aws
