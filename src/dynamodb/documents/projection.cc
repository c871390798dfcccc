#include "dynamodb/documents/projection.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "dynamodb/errors.h"

namespace trib::dynamodb::documents {

namespace {

using expressions::PathElement;

// The value a path designates in the item, or nullptr.
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

// The projected tree before it is materialised: node 0 is the item; a node is either a whole
// value of the item (a leaf) or a map / list holding some of its members.
class Builder {
 public:
  Builder() : nodes_(1) {}

  void add(Path path, const AttributeValue* value) {
    uint32_t current = 0;
    for (size_t i = 0; i + 1 < path.size(); ++i) current = child(current, path[i]);
    const uint32_t leaf = child(current, path.back());
    nodes_[leaf].whole = value;
  }

  Item build() {
    AttributeMap entries;
    entries.reserve(nodes_[0].members.size());
    for (const auto& [name, index] : nodes_[0].members) {
      entries.emplace_back(std::string(name), materialise(index));
    }
    return std::move(AttributeValue::map(std::move(entries)).as_map());
  }

 private:
  struct Node {
    const AttributeValue* whole = nullptr;
    bool list = false;
    std::vector<std::pair<std::string_view, uint32_t>> members;
    std::vector<std::pair<uint32_t, uint32_t>> elements;
  };

  uint32_t child(uint32_t parent, const PathElement& element) {
    if (element.is_index()) {
      nodes_[parent].list = true;
      for (const auto& [index, node] : nodes_[parent].elements) {
        if (index == element.index) return node;
      }
      const auto created = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
      nodes_[parent].elements.emplace_back(element.index, created);
      return created;
    }
    for (const auto& [name, node] : nodes_[parent].members) {
      if (name == element.name) return node;
    }
    const auto created = static_cast<uint32_t>(nodes_.size());
    nodes_.emplace_back();
    nodes_[parent].members.emplace_back(element.name, created);
    return created;
  }

  AttributeValue materialise(uint32_t index) {
    Node& node = nodes_[index];
    if (node.whole != nullptr) return *node.whole;
    if (node.list) {
      std::sort(node.elements.begin(), node.elements.end());
      AttributeList elements;
      elements.reserve(node.elements.size());
      for (const auto& [position, child_index] : node.elements) {
        elements.push_back(materialise(child_index));
      }
      return AttributeValue::list(std::move(elements));
    }
    AttributeMap members;
    members.reserve(node.members.size());
    for (const auto& [name, child_index] : node.members) {
      members.emplace_back(std::string(name), materialise(child_index));
    }
    return AttributeValue::map(std::move(members));
  }

  std::vector<Node> nodes_;
};

}  // namespace

Item project(const Item& item, std::span<const Path> paths) {
  const bool top_level_only =
      std::all_of(paths.begin(), paths.end(), [](Path p) { return p.size() == 1; });
  if (top_level_only) {
    AttributeMap entries;
    entries.reserve(paths.size());
    for (const Path path : paths) {
      if (const AttributeValue* value = find_attribute(item, path[0].name)) {
        entries.emplace_back(std::string(path[0].name), *value);
      }
    }
    return std::move(AttributeValue::map(std::move(entries)).as_map());
  }
  Builder builder;
  for (const Path path : paths) {
    if (const AttributeValue* value = resolve(item, path)) builder.add(path, value);
  }
  return builder.build();
}

Item project(const Item& item, const expressions::Expression& projection) {
  const auto children = projection.children(projection.root());
  std::vector<Path> paths;
  paths.reserve(children.size());
  for (const auto child : children) {
    const auto& node = projection.node(child);
    // An update's actions hold their path first; a projection's children are the paths.
    paths.push_back(node.kind == expressions::NodeKind::kPath
                        ? projection.elements(child)
                        : projection.elements(projection.children(child)[0]));
  }
  return project(item, paths);
}

Item project_attributes(const Item& item, std::span<const std::string_view> names) {
  AttributeMap entries;
  entries.reserve(names.size());
  for (const std::string_view name : names) {
    if (const AttributeValue* value = find_attribute(item, name)) {
      entries.emplace_back(std::string(name), *value);
    }
  }
  return std::move(AttributeValue::map(std::move(entries)).as_map());
}

std::optional<aws::AwsError> check_attributes_to_get(std::span<const std::string_view> names) {
  std::unordered_set<std::string_view> seen;
  seen.reserve(names.size());
  for (const std::string_view name : names) {
    if (!seen.insert(name).second) {
      return invalid_parameter("Duplicate value in attribute name: " + std::string(name));
    }
  }
  return std::nullopt;
}

}  // namespace trib::dynamodb::documents
