#include "dynamodb/partiql/translate.h"

#include "dynamodb/errors.h"
#include "dynamodb/partiql/parser.h"
#include "dynamodb/values/number.h"

namespace trib::dynamodb::partiql {

aws::AwsError parameter_count_mismatch() {
  return validation("Number of parameters in request and statement don't match.");
}

namespace {

// Texts [P: DynamoDB Local's message catalogue (AWS's own local implementation)].
constexpr std::string_view kMissingCompared = "MISSING must be compared using IS operator";
constexpr std::string_view kNotBoolean =
    "WHERE clause must contain an expression that resolves to a boolean";
constexpr std::string_view kEmptyBag = "Empty bags are not supported";
constexpr std::string_view kBagType =
    "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags";
constexpr std::string_view kIsOperand =
    "The left hand side argument to IS must be a Variable Reference, Literal, or Path";
constexpr std::string_view kExistsOutsideTransaction =
    "EXISTS can only be used in ExecuteTransaction write requests.";

aws::AwsError unsupported_function(std::string_view name) {
  return validation("Unrecognized function: " + std::string(name));  // [P: DynamoDB Local]
}

// The AttributeValue type an IS test names (IS STRING -> S) [P: DynamoDB Local lists MISSING,
// NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST as the types IS supports; the
// mapping to DynamoDB's types is D].
std::string_view is_type(std::string_view name) {
  if (name == "NULL") return "NULL";
  if (name == "BOOLEAN" || name == "BOOL") return "BOOL";
  if (name == "STRING") return "S";
  if (name == "NUMERIC") return "N";
  if (name == "BLOB") return "B";
  if (name == "STRUCT" || name == "TUPLE") return "M";
  if (name == "LIST") return "L";
  return {};
}

}  // namespace

bool is_value(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kString:
    case ExprKind::kNumber:
    case ExprKind::kBool:
    case ExprKind::kNull:
    case ExprKind::kParameter:
    case ExprKind::kList:
    case ExprKind::kMap:
    case ExprKind::kSet:
      return true;
    default:
      return false;
  }
}

std::string ExpressionWriter::name(std::string_view attribute) {
  for (const auto& [placeholder, value] : names_.as_map()) {
    if (value.as_string() == attribute) return placeholder;
  }
  std::string placeholder = "#n" + std::to_string(names_.as_map().size());
  names_.set(placeholder, aws::Value(std::string(attribute)));
  return placeholder;
}

std::string ExpressionWriter::value(aws::Value attribute_value) {
  std::string placeholder = ":v" + std::to_string(next_value_++);
  values_.set(placeholder, std::move(attribute_value));
  return placeholder;
}

std::string ExpressionWriter::path(const Path& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i].is_index()) {
      out += "[" + std::to_string(path[i].index) + "]";
    } else {
      if (i > 0) out += ".";
      out += name(path[i].name);
    }
  }
  return out;
}

std::string ExpressionWriter::projection(std::span<const Path> paths) {
  std::string out;
  for (const Path& p : paths) {
    if (!out.empty()) out += ", ";
    out += path(p);
  }
  return out;
}

void ExpressionWriter::add_to(aws::Value& input) const {
  if (!names_.as_map().empty()) input.set("ExpressionAttributeNames", names_);
  if (!values_.as_map().empty()) input.set("ExpressionAttributeValues", values_);
}

aws::AwsResult<aws::Value> ExpressionWriter::attribute_value(const Expr& e,
                                                             const std::string& where) {
  aws::Value out = aws::Value::map();
  switch (e.kind) {
    case ExprKind::kString:
      return out.set("S", aws::Value(e.text));
    case ExprKind::kNumber: {
      // A literal breaking DynamoDB's number rules: the number text plus where it is [P,
      // AWS-checked: "Number overflow. ... under root", "... under root.x", "under root[1]"].
      auto number = Number::parse(e.text);
      if (!number) {
        return aws::fail(
            validation(number_error_message(number.error(), e.text) + " under " + where));
      }
      return out.set("N", aws::Value(number->to_string()));
    }
    case ExprKind::kBool:
      return out.set("BOOL", aws::Value(e.flag));
    case ExprKind::kNull:
      return out.set("NULL", aws::Value(true));
    case ExprKind::kParameter:
      if (e.parameter >= parameters_.size()) return aws::fail(parameter_count_mismatch());
      return parameters_[e.parameter];
    case ExprKind::kList: {
      aws::Value list = aws::Value::list();
      for (size_t i = 0; i < e.children.size(); ++i) {
        auto element = attribute_value(e.children[i], where + "[" + std::to_string(i) + "]");
        if (!element) return element;
        list.push(std::move(*element));
      }
      return out.set("L", std::move(list));
    }
    case ExprKind::kMap: {
      aws::Value map = aws::Value::map();
      for (size_t i = 0; i < e.children.size(); ++i) {
        if (map.find(e.keys[i])) {
          // [P: DynamoDB Local's catalogue]
          return aws::fail(
              validation("Duplicate keys in tuple. Key: " + e.keys[i] + " under " + where));
        }
        auto member = attribute_value(e.children[i], where + "." + e.keys[i]);
        if (!member) return member;
        map.set(e.keys[i], std::move(*member));
      }
      return out.set("M", std::move(map));
    }
    case ExprKind::kSet: {
      // <<'a', 'b'>> is a string set, <<1, 2>> a number set; parameters may add binaries.
      if (e.children.empty()) return aws::fail(validation(std::string(kEmptyBag)));
      std::string set_type;
      aws::Value elements = aws::Value::list();
      for (size_t i = 0; i < e.children.size(); ++i) {
        auto element = attribute_value(e.children[i], where + "[" + std::to_string(i) + "]");
        if (!element) return element;
        const auto& members = element->as_map();
        if (members.size() != 1 ||
            (members[0].first != "S" && members[0].first != "N" && members[0].first != "B")) {
          return aws::fail(validation(std::string(kBagType)));
        }
        const std::string type = members[0].first + "S";
        if (!set_type.empty() && set_type != type) {
          return aws::fail(validation(std::string(kBagType)));
        }
        set_type = type;
        elements.push(members[0].second);
      }
      return out.set(set_type, std::move(elements));
    }
    case ExprKind::kMissing:
      return aws::fail(validation(std::string(kMissingCompared)));
    default:
      // A path, function or operator where a value must be [U].
      return aws::fail(malformed("Unexpected term"));
  }
}

aws::AwsResult<std::string> ExpressionWriter::operand(const Expr& e) {
  if (e.kind == ExprKind::kPath) return path(e.path);
  if (e.kind == ExprKind::kMissing) return aws::fail(validation(std::string(kMissingCompared)));
  if (is_value(e)) {
    auto v = attribute_value(e);
    if (!v) return aws::fail(std::move(v.error()));
    return value(std::move(*v));
  }
  if (e.kind == ExprKind::kFunction && e.text == "size" && e.children.size() == 1) {
    auto argument = operand(e.children[0]);
    if (!argument) return argument;
    return "size(" + *argument + ")";
  }
  if (e.kind == ExprKind::kFunction) return aws::fail(unsupported_function(e.text));
  // [P: DynamoDB Local: "Unsupported operator in Condition Expression. Operator: %s"]
  if (e.kind == ExprKind::kPlus || e.kind == ExprKind::kMinus) {
    return aws::fail(
        validation(std::string("Unsupported operator in Condition Expression. Operator: ") +
                   (e.kind == ExprKind::kPlus ? "+" : "-")));
  }
  return aws::fail(validation(std::string(kNotBoolean)));
}

aws::AwsResult<std::string> ExpressionWriter::condition(const Expr& e) {
  // Parentheses only where precedence needs them (an OR under AND or NOT), so the expression
  // never has redundant parentheses, which DynamoDB's expression parser refuses.
  const auto nested = [&](const Expr& child, bool wrap) -> aws::AwsResult<std::string> {
    auto text = condition(child);
    if (!text) return text;
    if (wrap) return "(" + *text + ")";
    return text;
  };
  switch (e.kind) {
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      const bool is_and = e.kind == ExprKind::kAnd;
      auto left = nested(e.children[0], is_and && e.children[0].kind == ExprKind::kOr);
      if (!left) return left;
      auto right = nested(e.children[1], is_and && e.children[1].kind == ExprKind::kOr);
      if (!right) return right;
      return *left + (is_and ? " AND " : " OR ") + *right;
    }
    case ExprKind::kNot: {
      const ExprKind child = e.children[0].kind;
      auto inner = nested(e.children[0], child == ExprKind::kAnd || child == ExprKind::kOr);
      if (!inner) return inner;
      return "NOT " + *inner;
    }
    case ExprKind::kCompare: {
      auto left = operand(e.children[0]);
      if (!left) return left;
      auto right = operand(e.children[1]);
      if (!right) return right;
      return *left + " " + std::string(expressions::comparator_text(e.comparator)) + " " + *right;
    }
    case ExprKind::kBetween: {
      std::string parts[3];
      for (int i = 0; i < 3; ++i) {
        auto text = operand(e.children[i]);
        if (!text) return text;
        parts[i] = std::move(*text);
      }
      std::string text = parts[0] + " BETWEEN " + parts[1] + " AND " + parts[2];
      return e.flag ? "NOT " + text : text;
    }
    case ExprKind::kIn: {
      auto subject = operand(e.children[0]);
      if (!subject) return subject;
      std::string text = *subject + " IN (";
      for (size_t i = 1; i < e.children.size(); ++i) {
        auto candidate = operand(e.children[i]);
        if (!candidate) return candidate;
        if (i > 1) text += ", ";
        text += *candidate;
      }
      text += ")";
      return e.flag ? "NOT " + text : text;
    }
    case ExprKind::kIs: {
      const Expr& subject = e.children[0];
      if (subject.kind != ExprKind::kPath) return aws::fail(validation(std::string(kIsOperand)));
      const std::string p = path(subject.path);
      if (e.text == "MISSING") {
        return std::string(e.flag ? "attribute_exists(" : "attribute_not_exists(") + p + ")";
      }
      aws::Value type = aws::Value::map();
      type.set("S", aws::Value(std::string(is_type(e.text))));
      std::string text = "attribute_type(" + p + ", " + value(std::move(type)) + ")";
      return e.flag ? "NOT " + text : text;
    }
    case ExprKind::kFunction: {
      if (e.text == "exists") {
        return aws::fail(validation(std::string(kExistsOutsideTransaction)));
      }
      if (e.text != "begins_with" && e.text != "contains" && e.text != "attribute_type") {
        return aws::fail(e.text == "size" ? validation(std::string(kNotBoolean))
                                          : unsupported_function(e.text));
      }
      std::string text = e.text + "(";
      for (size_t i = 0; i < e.children.size(); ++i) {
        auto argument = operand(e.children[i]);
        if (!argument) return argument;
        if (i > 0) text += ", ";
        text += *argument;
      }
      return text + ")";
    }
    default:
      return aws::fail(validation(std::string(kNotBoolean)));
  }
}

aws::AwsResult<std::string> ExpressionWriter::conjunction(std::span<const Expr* const> terms) {
  std::string out;
  for (const Expr* term : terms) {
    auto text = condition(*term);
    if (!text) return text;
    if (!out.empty()) out += " AND ";
    out += term->kind == ExprKind::kOr ? "(" + *text + ")" : *text;
  }
  return out;
}

aws::AwsResult<std::string> ExpressionWriter::update_operand(const Expr& e) {
  if (e.kind == ExprKind::kPath) return path(e.path);
  if (is_value(e) || e.kind == ExprKind::kMissing) {
    auto v = attribute_value(e);
    if (!v) return aws::fail(std::move(v.error()));
    return value(std::move(*v));
  }
  if (e.kind == ExprKind::kPlus || e.kind == ExprKind::kMinus) {
    auto left = update_operand(e.children[0]);
    if (!left) return left;
    auto right = update_operand(e.children[1]);
    if (!right) return right;
    return *left + (e.kind == ExprKind::kPlus ? " + " : " - ") + *right;
  }
  if (e.kind == ExprKind::kFunction && (e.text == "list_append" || e.text == "if_not_exists") &&
      e.children.size() == 2) {
    auto first = update_operand(e.children[0]);
    if (!first) return first;
    auto second = update_operand(e.children[1]);
    if (!second) return second;
    return e.text + "(" + *first + ", " + *second + ")";
  }
  if (e.kind == ExprKind::kFunction) return aws::fail(unsupported_function(e.text));
  // [P: DynamoDB Local: "Unsupported operator in Update Expression. Operator: %s"; U here]
  return aws::fail(validation("Unsupported operator in Update Expression. Operator: condition"));
}

aws::AwsResult<std::string> ExpressionWriter::update(std::span<const UpdateAction> actions) {
  std::vector<std::string> set, remove, add, del;
  for (const UpdateAction& action : actions) {
    const std::string target = path(action.path);
    if (action.remove) {
      remove.push_back(target);
      continue;
    }
    const Expr& v = action.value;
    if (v.kind == ExprKind::kFunction && (v.text == "set_add" || v.text == "set_delete")) {
      // SET s = set_add(s, <<'x'>>) is ADD s :x; set_delete is DELETE [V: AWS docs, PartiQL
      // update statements; argument texts P: DynamoDB Local's catalogue].
      const std::string op = v.text == "set_add" ? "ADD" : "DELETE";
      if (v.children.size() != 2) {
        return aws::fail(validation("SET_" + op + " must have exactly two arguments"));
      }
      if (v.children[0].kind != ExprKind::kPath ||
          v.children[0].path.size() != action.path.size() || path(v.children[0].path) != target) {
        return aws::fail(
            validation("The first argument to SET_" + op + " must equal the assignment value"));
      }
      auto operand_value = attribute_value(v.children[1]);
      if (!operand_value) return aws::fail(std::move(operand_value.error()));
      const auto& members = operand_value->as_map();
      if (members.size() != 1 ||
          (members[0].first != "SS" && members[0].first != "NS" && members[0].first != "BS")) {
        return aws::fail(
            validation("The second argument to SET_" + op + " must be a value with type SET"));
      }
      (op == "ADD" ? add : del).push_back(target + " " + value(std::move(*operand_value)));
      continue;
    }
    auto text = update_operand(v);
    if (!text) return text;
    set.push_back(target + " = " + *text);
  }
  std::string out;
  const auto clause = [&](std::string_view keyword, const std::vector<std::string>& items) {
    if (items.empty()) return;
    if (!out.empty()) out += " ";
    out += keyword;
    for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : " ") + items[i];
  };
  clause("SET", set);
  clause("REMOVE", remove);
  clause("ADD", add);
  clause("DELETE", del);
  return out;
}

std::vector<const Expr*> conjuncts(const Expr& where) {
  std::vector<const Expr*> out;
  std::vector<const Expr*> stack{&where};
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    if (e->kind == ExprKind::kAnd) {
      stack.push_back(&e->children[1]);
      stack.push_back(&e->children[0]);
    } else {
      out.push_back(e);
    }
  }
  return out;
}

const Expr* equality_on(const Expr& conjunct, std::string_view attribute) {
  if (conjunct.kind != ExprKind::kCompare ||
      conjunct.comparator != expressions::Comparator::kEqual) {
    return nullptr;
  }
  for (int side = 0; side < 2; ++side) {
    const Expr& p = conjunct.children[side];
    const Expr& v = conjunct.children[1 - side];
    if (p.kind == ExprKind::kPath && p.path.size() == 1 && !p.path[0].is_index() &&
        p.path[0].name == attribute && is_value(v)) {
      return &v;
    }
  }
  return nullptr;
}

aws::AwsResult<KeyedWhere> keyed_where(const Expr& where, std::string_view hash_key,
                                       std::optional<std::string_view> range_key) {
  KeyedWhere out;
  std::vector<std::string_view> keys{hash_key};
  if (range_key) keys.push_back(*range_key);
  std::vector<const Expr*> found(keys.size(), nullptr);
  for (const Expr* term : conjuncts(where)) {
    bool is_key = false;
    for (size_t k = 0; k < keys.size(); ++k) {
      if (const Expr* v = equality_on(*term, keys[k])) {
        if (found[k]) {
          return aws::fail(validation("Multiple conditions on same key " + std::string(keys[k]) +
                                      ". Only single item Update/Insert/Delete are supported"));
        }
        found[k] = v;
        is_key = true;
      }
    }
    if (!is_key) out.conditions.push_back(term);
  }
  for (size_t k = 0; k < keys.size(); ++k) {
    if (!found[k]) {
      return aws::fail(
          validation("Where clause does not contain a mandatory equality on all key attributes"));
    }
    out.key.emplace_back(std::string(keys[k]), found[k]);
  }
  return out;
}

}  // namespace trib::dynamodb::partiql
