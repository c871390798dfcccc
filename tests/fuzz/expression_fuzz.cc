// libFuzzer target for the DynamoDB expression front end (src/dynamodb/expressions/). See
// README.md here for the libFuzzer build and the GCC smoke run.
//
// The input is split at '\x01' into up to five texts: UpdateExpression, ConditionExpression,
// KeyConditionExpression, FilterExpression, ProjectionExpression. Every #name and :value in them
// is defined (values of every AttributeValue type, chosen by the placeholder's length), except
// those whose length is a multiple of 7, so undefined names are reached too. Then:
//  1. Each text is parsed as each of the five kinds: never a crash; a failure is a
//     ValidationException (namespace com.amazon.coral.validate) whose message starts with
//     "Invalid <Parameter>: "; a success is a well-formed tree (every index in range, operand
//     counts as the node kind requires).
//  2. A tree that parsed is written back as text (every name through a new #placeholder, only
//     the parentheses the tree needs) and parsed again: it must parse to the same tree.
//  3. A KeyConditionExpression that parsed goes through key_conditions(); the texts together go
//     through parse_request(); neither may crash, and errors are ValidationExceptions.
//  4. A condition that parsed is evaluated against an item holding an attribute for every
//     placeholder (through the test DocumentModel): it must not crash.
//  5. Each text as each kind, alone in a request, through documents::parse_request() (values
//     converted to AttributeValues): conditions evaluated on the real Item through ItemModel must
//     agree with the DocumentModel; the update applied to the item and to no item, the projection
//     and the updated attributes taken: never a crash, errors are ValidationExceptions.
// A broken invariant aborts with a message naming it.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../unit/dynamodb/document_model.h"
#include "aws/value.h"
#include "dynamodb/documents/projection.h"
#include "dynamodb/documents/update.h"
#include "dynamodb/documents/value_model.h"
#include "dynamodb/expressions/evaluator.h"
#include "dynamodb/expressions/key_condition.h"
#include "dynamodb/expressions/parser.h"
#include "dynamodb/expressions/request.h"

namespace {

namespace ex = trib::dynamodb::expressions;
using trib::aws::Value;

[[noreturn]] void broken(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "expression invariant broken: %s: %.*s\n", what,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

constexpr ex::ExpressionKind kKinds[] = {
    ex::ExpressionKind::kUpdate, ex::ExpressionKind::kCondition, ex::ExpressionKind::kKeyCondition,
    ex::ExpressionKind::kFilter, ex::ExpressionKind::kProjection};

bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

Value attribute(const char* type, Value member) {
  return Value::map().set(type, std::move(member));
}

Value value_for(std::string_view placeholder) {
  const std::string text(placeholder.substr(1));
  switch (placeholder.size() % 11) {
    case 0:
      return attribute("N", std::to_string(placeholder.size()));
    case 1:
      return attribute("B", trib::aws::Blob{text});
    case 2:
      return attribute("BOOL", true);
    case 3:
      return attribute("NULL", true);
    case 4:
      return attribute("L", Value::list().push(attribute("S", text)));
    case 5:
      return attribute("M", Value::map().set("k", attribute("N", "1")));
    case 6:
      return attribute("SS", Value::list().push(text));
    case 7:
      return attribute("NS", Value::list().push("1"));
    case 8:
      return attribute("BS", Value::list().push(trib::aws::Blob{text}));
    case 9:
      return attribute("S", "N");  // a valid attribute_type name
    default:
      return attribute("S", text);
  }
}

// Defines the placeholders found in `texts`.
void define_placeholders(const std::vector<std::string>& texts, Value& names, Value& values) {
  for (const std::string& text : texts) {
    for (size_t i = 0; i < text.size(); ++i) {
      if ((text[i] != '#' && text[i] != ':') || i + 1 >= text.size() || !is_word(text[i + 1])) {
        continue;
      }
      size_t end = i + 1;
      while (end < text.size() && is_word(text[end])) ++end;
      const std::string placeholder = text.substr(i, end - i);
      i = end - 1;
      if (placeholder.size() % 7 == 0) continue;  // left undefined
      Value& map = placeholder[0] == '#' ? names : values;
      if (map.find(placeholder) != nullptr) continue;
      if (placeholder[0] == '#') {
        map.set(placeholder, placeholder.substr(1));
      } else {
        map.set(placeholder, value_for(placeholder));
      }
    }
  }
}

void check_error(const trib::aws::AwsError& error, ex::ExpressionKind kind) {
  if (error.type != "ValidationException" || error.type_namespace != "com.amazon.coral.validate" ||
      error.http_status != 400) {
    broken("an expression error is not a ValidationException", error.message);
  }
  const std::string prefix = "Invalid " + std::string(ex::parameter_name(kind)) + ": ";
  if (error.message.compare(0, prefix.size(), prefix) != 0) {
    broken("an expression error does not name its parameter", error.message);
  }
}

// Every index in range and every node with the operands its kind requires.
void check_tree(const ex::Expression& expression) {
  const size_t nodes = expression.node_count();
  if (expression.root() >= nodes) broken("root out of range");
  for (uint32_t i = 0; i < nodes; ++i) {
    const ex::Node& node = expression.node(i);
    if (node.kind == ex::NodeKind::kPath) {
      const auto elements = expression.elements(i);
      if (elements.empty() || elements[0].is_index()) broken("a path does not start with a name");
      continue;
    }
    const auto children = expression.children(i);
    for (const uint32_t child : children) {
      if (child >= i) broken("a child is not built before its parent");
    }
    size_t wanted = children.size();
    switch (node.kind) {
      case ex::NodeKind::kValue:
        wanted = 0;
        if (node.value == nullptr) broken("a value node without its value");
        break;
      case ex::NodeKind::kCompare:
      case ex::NodeKind::kAnd:
      case ex::NodeKind::kOr:
      case ex::NodeKind::kPlus:
      case ex::NodeKind::kMinus:
      case ex::NodeKind::kSetAction:
      case ex::NodeKind::kAddAction:
      case ex::NodeKind::kDeleteAction:
        wanted = 2;
        break;
      case ex::NodeKind::kBetween:
        wanted = 3;
        break;
      case ex::NodeKind::kNot:
      case ex::NodeKind::kRemoveAction:
        wanted = 1;
        break;
      case ex::NodeKind::kFunction:
        if (node.function() == ex::Function::kUnknown) broken("an unknown function was accepted");
        break;
      default:
        break;
    }
    if (children.size() != wanted || (node.kind == ex::NodeKind::kIn && children.size() < 2)) {
      broken("a node has the wrong number of operands", expression.debug_string());
    }
  }
}

// Writes a parsed tree back as expression text.
class Writer {
 public:
  Writer(const ex::Expression& expression, const Value& values)
      : expression_(expression), values_(values) {}

  std::string text() {
    std::string out;
    write(expression_.root(), out);
    return out;
  }
  Value names;

 private:
  void write_path(uint32_t index, std::string& out) {
    bool first = true;
    for (const ex::PathElement& element : expression_.elements(index)) {
      if (element.is_index()) {
        out += "[" + std::to_string(element.index) + "]";
        continue;
      }
      if (!first) out += '.';
      const std::string placeholder = "#p" + std::to_string(names.as_map().size());
      names.set(placeholder, std::string(element.name));
      out += placeholder;
      first = false;
    }
  }

  void write_grouped(uint32_t index, std::string& out) {
    const ex::NodeKind kind = expression_.node(index).kind;
    const bool group = kind == ex::NodeKind::kAnd || kind == ex::NodeKind::kOr;
    if (group) out += '(';
    write(index, out);
    if (group) out += ')';
  }

  void write_list(std::span<const uint32_t> items, std::string& out) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ", ";
      write(items[i], out);
    }
  }

  void write(uint32_t index, std::string& out) {
    const ex::Node& node = expression_.node(index);
    const auto children = expression_.children(index);
    switch (node.kind) {
      case ex::NodeKind::kPath:
        write_path(index, out);
        return;
      case ex::NodeKind::kValue:
        for (const auto& [key, value] : values_.as_map()) {
          if (&value == node.value) out += key;
        }
        return;
      case ex::NodeKind::kFunction:
        out += ex::function_name(node.function());
        out += '(';
        write_list(children, out);
        out += ')';
        return;
      case ex::NodeKind::kCompare:
        write(children[0], out);
        out += ' ';
        out += ex::comparator_text(node.comparator());
        out += ' ';
        write(children[1], out);
        return;
      case ex::NodeKind::kBetween:
        write(children[0], out);
        out += " BETWEEN ";
        write(children[1], out);
        out += " AND ";
        write(children[2], out);
        return;
      case ex::NodeKind::kIn:
        write(children[0], out);
        out += " IN (";
        write_list(children.subspan(1), out);
        out += ')';
        return;
      case ex::NodeKind::kAnd:
      case ex::NodeKind::kOr:
        write_grouped(children[0], out);
        out += node.kind == ex::NodeKind::kAnd ? " AND " : " OR ";
        write_grouped(children[1], out);
        return;
      case ex::NodeKind::kNot:
        out += "NOT ";
        write_grouped(children[0], out);
        return;
      case ex::NodeKind::kPlus:
      case ex::NodeKind::kMinus:
        write(children[0], out);
        out += node.kind == ex::NodeKind::kPlus ? " + " : " - ";
        write(children[1], out);
        return;
      case ex::NodeKind::kUpdate: {
        ex::NodeKind clause = ex::NodeKind::kUpdate;
        for (const uint32_t action : children) {
          const ex::NodeKind kind = expression_.node(action).kind;
          if (kind != clause) {
            static constexpr const char* kNames[] = {" SET ", " REMOVE ", " ADD ", " DELETE "};
            out += kNames[static_cast<int>(kind) - static_cast<int>(ex::NodeKind::kSetAction)];
            clause = kind;
          } else {
            out += ", ";
          }
          const auto parts = expression_.children(action);
          write(parts[0], out);
          if (kind == ex::NodeKind::kSetAction) out += " =";
          if (parts.size() > 1) {
            out += ' ';
            write(parts[1], out);
          }
        }
        return;
      }
      case ex::NodeKind::kProjection:
        write_list(children, out);
        return;
      default:
        broken("an action outside an update");
    }
  }

  const ex::Expression& expression_;
  const Value& values_;
};

void check_round_trip(const ex::Expression& expression, const Value& values) {
  Writer writer(expression, values);
  writer.names = Value::map();
  const std::string text = writer.text();
  if (text.size() > ex::kMaxExpressionBytes) return;
  ex::Substitutions substitutions(&writer.names, &values);
  auto again = ex::parse_expression(expression.kind(), text, substitutions);
  if (!again.ok())
    broken("a written-back expression does not parse", text + " -> " + again.error().message);
  if (again->debug_string() != expression.debug_string()) {
    broken("a written-back expression parses to another tree",
           text + " : " + expression.debug_string() + " vs " + again->debug_string());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> texts;
  size_t start = 0;
  while (texts.size() < 5) {
    const size_t end = input.find('\x01', start);
    texts.emplace_back(
        input.substr(start, end == std::string_view::npos ? input.npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  Value names = Value::map();
  Value values = Value::map();
  define_placeholders(texts, names, values);
  // An item with an attribute named after every placeholder, of the placeholder's value type.
  Value item = Value::map();
  for (const Value* map : {&names, &values}) {
    for (const auto& [placeholder, unused] : map->as_map()) {
      const std::string name = placeholder.substr(1);
      if (item.find(name) == nullptr) item.set(name, value_for(placeholder));
    }
  }
  const ex::testing::DocumentModel model(item);

  // 1 and 2: every text as every kind.
  for (const std::string& text : texts) {
    for (const ex::ExpressionKind kind : kKinds) {
      ex::Substitutions substitutions(&names, &values);
      auto parsed = ex::parse_expression(kind, text, substitutions);
      if (!parsed.ok()) {
        check_error(parsed.error(), kind);
        continue;
      }
      check_tree(*parsed);
      check_round_trip(*parsed, values);
      // 4: evaluation.
      if (kind != ex::ExpressionKind::kUpdate && kind != ex::ExpressionKind::kProjection) {
        ex::evaluate_condition(*parsed, model);
      }
      // 3: key conditions.
      if (kind == ex::ExpressionKind::kKeyCondition) {
        auto conditions = ex::key_conditions(*parsed);
        if (!conditions.ok() && conditions.error().type != "ValidationException") {
          broken("a key condition error is not a ValidationException");
        }
      }
    }
  }

  // 3: the texts as one request.
  ex::RequestExpressions request;
  const std::string* members[5] = {nullptr, nullptr, nullptr, nullptr, nullptr};
  for (size_t i = 0; i < texts.size(); ++i) members[i] = &texts[i];
  request.update = members[0];
  request.condition = members[1];
  request.key_condition = members[2];
  request.filter = members[3];
  request.projection = members[4];
  request.names = names.as_map().empty() ? nullptr : &names;
  request.values = values.as_map().empty() ? nullptr : &values;
  request.accepted = kKinds;
  auto parsed = ex::parse_request(request);
  if (!parsed.ok() && (parsed.error().type != "ValidationException" ||
                       parsed.error().type_namespace != "com.amazon.coral.validate")) {
    broken("a request error is not a ValidationException", parsed.error().message);
  }

  // 5: each text as each kind, alone in a request, on real items.
  namespace docs = trib::dynamodb::documents;
  auto real_item = trib::dynamodb::item_from_wire(item);
  if (!real_item.ok()) broken("the fuzz item does not convert", real_item.error().message);
  for (const std::string& text : texts) {
    for (const ex::ExpressionKind kind : kKinds) {
      ex::RequestExpressions single;
      single.update = kind == ex::ExpressionKind::kUpdate ? &text : nullptr;
      single.condition = kind == ex::ExpressionKind::kCondition ? &text : nullptr;
      single.key_condition = kind == ex::ExpressionKind::kKeyCondition ? &text : nullptr;
      single.filter = kind == ex::ExpressionKind::kFilter ? &text : nullptr;
      single.projection = kind == ex::ExpressionKind::kProjection ? &text : nullptr;
      single.names = request.names;
      single.values = kind == ex::ExpressionKind::kProjection ? nullptr : request.values;
      single.accepted = kKinds;
      docs::RequestValues converted;
      auto applied = docs::parse_request(single, converted);
      if (!applied.ok()) {
        if (applied.error().type != "ValidationException") {
          broken("a documents request error is not a ValidationException", applied.error().message);
        }
        continue;
      }
      for (const auto* condition :
           {&applied->condition, &applied->key_condition, &applied->filter}) {
        if (!condition->has_value()) continue;
        const bool on_item = docs::evaluate(**condition, &*real_item, converted);
        if (on_item != ex::evaluate_condition(**condition, model)) {
          broken("ItemModel and DocumentModel disagree", (*condition)->debug_string());
        }
        docs::evaluate(**condition, nullptr, converted);
      }
      if (applied->projection) docs::project(*real_item, *applied->projection);
      if (applied->update) {
        const trib::dynamodb::Item key;
        const trib::dynamodb::Item* item_or_none[] = {&*real_item, nullptr};
        for (const trib::dynamodb::Item* old : item_or_none) {
          auto next = docs::apply_update(old, key, *applied->update, converted);
          if (!next.ok()) {
            if (next.error().type != "ValidationException") {
              broken("an update error is not a ValidationException", next.error().message);
            }
            continue;
          }
          if (*next) docs::updated_attributes(**next, *applied->update);
          if (old) docs::updated_attributes(*old, *applied->update);
        }
      }
    }
  }
  return 0;
}
