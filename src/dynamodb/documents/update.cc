#include "dynamodb/documents/update.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "dynamodb/documents/projection.h"
#include "dynamodb/errors.h"

namespace trib::dynamodb::documents {

namespace ex = expressions;
using ex::NodeKind;
using NodeIndex = ex::Expression::NodeIndex;

namespace {

// [P dynalite actions/updateItem.js; V: the scylladb tests above match "ValidationException.*path"]
constexpr std::string_view kInvalidPath =
    "The document path provided in the update expression is invalid for update";
// [P dynalite actions/updateItem.js; V: scylladb matches "ValidationException.*type"]
constexpr std::string_view kIncorrectType =
    "An operand in the update expression has an incorrect data type";
// [V: quoted from AWS in scylladb test_update_expression.py (list_append of a missing attribute);
// P dynalite resolveValue]
constexpr std::string_view kMissingAttribute =
    "The provided expression refers to an attribute that does not exist in the item";

aws::AwsError fail_text(std::string_view text) { return validation(std::string(text)); }

const AttributeValue* resolve(const Item& item, Path path) {
  const AttributeValue* current = find_attribute(item, path[0].name);
  for (size_t i = 1; i < path.size() && current != nullptr; ++i) {
    if (path[i].is_index()) {
      if (!current->is(AttributeType::kL) || path[i].index >= current->as_list().size()) {
        return nullptr;
      }
      current = &current->as_list()[path[i].index];
    } else {
      current = current->is(AttributeType::kM) ? find_attribute(current->as_map(), path[i].name)
                                               : nullptr;
    }
  }
  return current;
}

AttributeValue* resolve(Item& item, Path path) {
  return const_cast<AttributeValue*>(resolve(static_cast<const Item&>(item), path));
}

aws::AwsResult<AttributeValue> arithmetic(bool plus, const AttributeValue& a,
                                          const AttributeValue& b) {
  if (!a.is(AttributeType::kN) || !b.is(AttributeType::kN)) {
    return aws::fail(fail_text(kIncorrectType));
  }
  auto result = plus ? Number::add(a.as_number(), b.as_number())
                     : Number::subtract(a.as_number(), b.as_number());
  if (!result) {
    // facts §5 [P, AWS-checked]: "9e125 + 9e125" and "1e50 + 1" fail with the overflow text.
    return aws::fail(validation(number_error_message(result.error(), "")));
  }
  return AttributeValue::number(*result);
}

// The value of a SET right-hand side, computed from the item before the update.
aws::AwsResult<AttributeValue> compute(const ex::Expression& update, NodeIndex index,
                                       const Item& old_item, const RequestValues& values) {
  const ex::Node& node = update.node(index);
  switch (node.kind) {
    case NodeKind::kPath: {
      const AttributeValue* value = resolve(old_item, update.elements(index));
      if (value == nullptr) return aws::fail(fail_text(kMissingAttribute));
      return *value;
    }
    case NodeKind::kValue: {
      const AttributeValue* value = node.value ? values.find(node.value) : nullptr;
      if (value == nullptr) return aws::fail(fail_text(kMissingAttribute));
      return *value;
    }
    case NodeKind::kPlus:
    case NodeKind::kMinus: {
      const auto operands = update.children(index);
      auto left = compute(update, operands[0], old_item, values);
      if (!left) return left;
      if (!left->is(AttributeType::kN)) return aws::fail(fail_text(kIncorrectType));
      auto right = compute(update, operands[1], old_item, values);
      if (!right) return right;
      return arithmetic(node.kind == NodeKind::kPlus, *left, *right);
    }
    case NodeKind::kFunction: {
      const auto arguments = update.children(index);
      if (node.function() == ex::Function::kIfNotExists) {
        if (update.node(arguments[0]).kind == NodeKind::kPath) {
          if (const AttributeValue* existing = resolve(old_item, update.elements(arguments[0]))) {
            return *existing;
          }
        }
        return compute(update, arguments[1], old_item, values);
      }
      if (node.function() == ex::Function::kListAppend) {
        // dynalite's order: the first operand is resolved and type-checked before the second.
        auto first = compute(update, arguments[0], old_item, values);
        if (!first) return first;
        if (!first->is(AttributeType::kL)) return aws::fail(fail_text(kIncorrectType));
        auto second = compute(update, arguments[1], old_item, values);
        if (!second) return second;
        if (!second->is(AttributeType::kL)) return aws::fail(fail_text(kIncorrectType));
        AttributeList& joined = first->as_list();
        AttributeList& tail = second->as_list();
        joined.insert(joined.end(), std::make_move_iterator(tail.begin()),
                      std::make_move_iterator(tail.end()));
        return std::move(*first);
      }
      return aws::fail(fail_text(kIncorrectType));  // the parser refuses other functions here
    }
    default:
      return aws::fail(fail_text(kIncorrectType));
  }
}

// ADD: a number to a number (a missing one is 0), a set into a set of its type (a missing one is
// empty).
aws::AwsResult<AttributeValue> add_value(const AttributeValue* existing,
                                         const AttributeValue& operand) {
  if (!operand.is(AttributeType::kN) && !is_set_type(operand.type())) {
    return aws::fail(fail_text(kIncorrectType));  // refused by the parser already
  }
  if (existing == nullptr) return operand;
  if (existing->type() != operand.type()) return aws::fail(fail_text(kIncorrectType));
  if (operand.is(AttributeType::kN)) return arithmetic(true, *existing, operand);
  return set_union(*existing, operand);
}

// DELETE: the elements of `operand` taken out of the set `existing`; nullopt when none remain.
aws::AwsResult<std::optional<AttributeValue>> delete_value(const AttributeValue& existing,
                                                           const AttributeValue& operand) {
  if (!is_set_type(operand.type()) || existing.type() != operand.type()) {
    return aws::fail(fail_text(kIncorrectType));
  }
  return set_difference(existing, operand);
}

// A change to a list's shape, applied after every in-place change so that list indexes keep
// referring to the list before the update.
struct ListChange {
  Path list_path;  // the list
  uint32_t index = 0;
  bool remove = false;
  AttributeValue value;  // appended (remove == false)
};

int compare_elements(Path a, Path b) {
  const size_t common = std::min(a.size(), b.size());
  for (size_t i = 0; i < common; ++i) {
    if (a[i].index != b[i].index) return a[i].index < b[i].index ? -1 : 1;
    if (const int c = a[i].name.compare(b[i].name); c != 0) return c;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

aws::AwsError invalid_path() { return fail_text(kInvalidPath); }

}  // namespace

std::optional<aws::AwsError> check_update_keys(const ex::Expression& update,
                                               std::span<const std::string_view> key_names) {
  const auto actions = update.children(update.root());
  for (const std::string_view key : key_names) {
    for (const NodeIndex action : actions) {
      const auto path = update.elements(update.children(action)[0]);
      if (path[0].name == key) {
        return invalid_parameter("Cannot update attribute " + std::string(key) +
                                 ". This attribute is part of the key");
      }
    }
  }
  for (const std::string_view key : key_names) {
    for (NodeIndex index = 0; index < update.node_count(); ++index) {
      if (update.node(index).kind != NodeKind::kPath) continue;
      const auto path = update.elements(index);
      if (path.size() > 1 && path[0].name == key) {
        return validation(
            "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
            "allowed: Key: " +
            std::string(key));
      }
    }
  }
  return std::nullopt;
}

aws::AwsResult<std::optional<Item>> apply_update(const Item* old_item, const Item& key,
                                                 const ex::Expression& update,
                                                 const RequestValues& values) {
  static const Item kEmpty;
  const Item& before = old_item ? *old_item : kEmpty;
  const auto actions = update.children(update.root());

  // 1. Every SET value, from the item before the update.
  std::vector<AttributeValue> set_values;
  bool writes = false;
  for (const NodeIndex action : actions) {
    const NodeKind kind = update.node(action).kind;
    if (kind == NodeKind::kSetAction || kind == NodeKind::kAddAction) writes = true;
    if (kind != NodeKind::kSetAction) continue;
    auto value = compute(update, update.children(action)[1], before, values);
    if (!value) return aws::fail(std::move(value.error()));
    set_values.push_back(std::move(*value));
  }
  if (old_item == nullptr && !writes) {
    // Only REMOVE / DELETE on a missing item: nothing is created, and REMOVE of a nested path
    // there is no error either [V: scylladb test_nested_attribute_remove_from_missing_item].
    return std::optional<Item>();
  }

  // 2. In-place changes, in the order written; list shape changes deferred.
  Item item = old_item ? *old_item : key;
  std::vector<ListChange> list_changes;
  size_t next_set = 0;
  for (const NodeIndex action : actions) {
    const NodeKind kind = update.node(action).kind;
    const auto parts = update.children(action);
    const Path path = update.elements(parts[0]);
    const ex::PathElement& last = path.back();
    AttributeValue* parent = nullptr;
    if (path.size() > 1) {
      parent = resolve(item, path.first(path.size() - 1));
      const AttributeType wanted = last.is_index() ? AttributeType::kL : AttributeType::kM;
      if (parent == nullptr || !parent->is(wanted)) return aws::fail(invalid_path());
    }
    const AttributeValue* operand = nullptr;
    if (kind == NodeKind::kAddAction || kind == NodeKind::kDeleteAction) {
      const ex::Node& value_node = update.node(parts[1]);
      operand = value_node.value ? values.find(value_node.value) : nullptr;
      if (operand == nullptr) return aws::fail(fail_text(kIncorrectType));
    }

    if (!last.is_index()) {
      AttributeMap& map = parent ? parent->as_map() : item;
      switch (kind) {
        case NodeKind::kSetAction:
          put_attribute(map, std::string(last.name), std::move(set_values[next_set++]));
          break;
        case NodeKind::kRemoveAction:
          erase_attribute(map, last.name);
          break;
        case NodeKind::kAddAction: {
          AttributeValue* existing = find_attribute(map, last.name);
          auto added = add_value(existing, *operand);
          if (!added) return aws::fail(std::move(added.error()));
          if (existing) {
            *existing = std::move(*added);
          } else {
            put_attribute(map, std::string(last.name), std::move(*added));
          }
          break;
        }
        case NodeKind::kDeleteAction: {
          AttributeValue* existing = find_attribute(map, last.name);
          if (existing == nullptr) break;
          auto rest = delete_value(*existing, *operand);
          if (!rest) return aws::fail(std::move(rest.error()));
          if (*rest) {
            *existing = std::move(**rest);
          } else {
            erase_attribute(map, last.name);
          }
          break;
        }
        default:
          break;
      }
      continue;
    }

    // The last element is a list index.
    AttributeList& list = parent->as_list();
    const Path list_path = path.first(path.size() - 1);
    const bool inside = last.index < list.size();
    switch (kind) {
      case NodeKind::kSetAction:
        if (inside) {
          list[last.index] = std::move(set_values[next_set++]);
        } else {
          list_changes.push_back({list_path, last.index, false, std::move(set_values[next_set++])});
        }
        break;
      case NodeKind::kRemoveAction:
        if (inside) list_changes.push_back({list_path, last.index, true, {}});
        break;
      case NodeKind::kAddAction: {
        // ADD to an element past the end appends like SET [U].
        auto added = add_value(inside ? &list[last.index] : nullptr, *operand);
        if (!added) return aws::fail(std::move(added.error()));
        if (inside) {
          list[last.index] = std::move(*added);
        } else {
          list_changes.push_back({list_path, last.index, false, std::move(*added)});
        }
        break;
      }
      case NodeKind::kDeleteAction: {
        if (!inside) break;
        auto rest = delete_value(list[last.index], *operand);
        if (!rest) return aws::fail(std::move(rest.error()));
        if (*rest) {
          list[last.index] = std::move(**rest);
        } else {
          list_changes.push_back({list_path, last.index, true, {}});  // [U] as for attributes
        }
        break;
      }
      default:
        break;
    }
  }

  // 3. List shape changes, deepest lists first, so that the path to every list still uses the
  // indexes of the lists above it before the update.
  if (!list_changes.empty()) {
    std::stable_sort(list_changes.begin(), list_changes.end(),
                     [](const ListChange& a, const ListChange& b) {
                       if (a.list_path.size() != b.list_path.size()) {
                         return a.list_path.size() > b.list_path.size();
                       }
                       const int c = compare_elements(a.list_path, b.list_path);
                       if (c != 0) return c < 0;
                       return a.index < b.index;  // appends in index order (AWS docs, SET)
                     });
    for (size_t first = 0; first < list_changes.size();) {
      size_t end = first + 1;
      while (end < list_changes.size() &&
             compare_elements(list_changes[end].list_path, list_changes[first].list_path) == 0) {
        ++end;
      }
      AttributeValue* target = resolve(item, list_changes[first].list_path);
      if (target == nullptr || !target->is(AttributeType::kL)) return aws::fail(invalid_path());
      AttributeList& list = target->as_list();
      std::vector<bool> removed(list.size(), false);
      bool any_removed = false;
      for (size_t i = first; i < end; ++i) {
        if (list_changes[i].remove && list_changes[i].index < list.size()) {
          removed[list_changes[i].index] = true;
          any_removed = true;
        }
      }
      if (any_removed) {
        size_t out = 0;
        for (size_t i = 0; i < list.size(); ++i) {
          if (removed[i]) continue;
          if (out != i) list[out] = std::move(list[i]);
          ++out;
        }
        list.resize(out);
      }
      for (size_t i = first; i < end; ++i) {
        if (!list_changes[i].remove) list.push_back(std::move(list_changes[i].value));
      }
      first = end;
    }
  }
  return std::optional<Item>(std::move(item));
}

Item updated_attributes(const Item& item, const ex::Expression& update) {
  return project(item, update);
}

}  // namespace trib::dynamodb::documents
