#include "model/model.h"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <mutex>

namespace trib::model {

extern std::pair<std::string_view, std::string_view> kEmbeddedModels[];
extern const size_t kEmbeddedModelsCount;

namespace {

[[noreturn]] void die(std::string_view what) {
  spdlog::critical("embedded AWS model is malformed: {}", what);
  std::abort();
}

ShapeType parse_type(std::string_view t) {
  if (t == "structure") return ShapeType::kStructure;
  if (t == "list") return ShapeType::kList;
  if (t == "map") return ShapeType::kMap;
  if (t == "string") return ShapeType::kString;
  if (t == "integer") return ShapeType::kInteger;
  if (t == "long") return ShapeType::kLong;
  if (t == "boolean") return ShapeType::kBoolean;
  if (t == "blob") return ShapeType::kBlob;
  if (t == "timestamp") return ShapeType::kTimestamp;
  if (t == "double") return ShapeType::kDouble;
  if (t == "float") return ShapeType::kFloat;
  die(std::string("unknown shape type ") + std::string(t));
}

std::optional<double> number_field(simdjson::dom::object obj, const char* key) {
  simdjson::dom::element e;
  if (obj[key].get(e)) return std::nullopt;
  double d = 0;
  if (e.is_int64()) return static_cast<double>(int64_t(e));
  if (e.is_uint64()) return static_cast<double>(uint64_t(e));
  if (!e.get(d)) return d;
  return std::nullopt;
}

// Shape::may_fail_validation and Member::checked for every shape. Starts from "cannot fail"
// and marks the shapes that can until nothing changes: the least fixed point, so a recursive
// shape (DynamoDB's AttributeValue) is marked only when something in its cycle has a
// constraint.
void mark_validation(const std::map<std::string, std::unique_ptr<Shape>, std::less<>>& shapes) {
  for (const auto& [_, shape] : shapes) shape->may_fail_validation = false;
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& [_, shape] : shapes) {
      if (shape->may_fail_validation) continue;
      bool fails = shape->min || shape->max || shape->pattern || !shape->enum_values.empty();
      for (const Member& m : shape->members) {
        fails = fails || m.required || m.shape->may_fail_validation;
      }
      for (const Shape* below : {shape->member, shape->key, shape->value}) {
        fails = fails || (below && below->may_fail_validation);
      }
      if (fails) {
        shape->may_fail_validation = true;
        changed = true;
      }
    }
  }
  for (const auto& [_, shape] : shapes) {
    for (Member& m : shape->members) m.checked = m.required || m.shape->may_fail_validation;
  }
}

}  // namespace

const Member* Shape::find_member(std::string_view member_name) const {
  for (const auto& m : members) {
    if (m.name == member_name) return &m;
  }
  return nullptr;
}

std::unique_ptr<ServiceModel> ServiceModel::parse(std::string_view json_text) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json_text.data(), json_text.size()).get(doc)) die("not JSON");
  auto model = std::make_unique<ServiceModel>();

  simdjson::dom::object metadata, shapes, operations, source;
  if (doc["metadata"].get(metadata) || doc["shapes"].get(shapes) ||
      doc["operations"].get(operations)) {
    die("missing metadata, shapes or operations");
  }
  std::string_view sv;
  if (!metadata["targetPrefix"].get(sv)) model->target_prefix_ = std::string(sv);
  if (!metadata["jsonVersion"].get(sv)) model->json_version_ = std::string(sv);
  if (!metadata["signingName"].get(sv) || !metadata["endpointPrefix"].get(sv)) {
    model->signing_name_ = std::string(sv);
  }
  if (!doc["source"].get(source) && !source["botocore"].get(sv)) {
    model->botocore_version_ = std::string(sv);
  }

  // First pass: create every shape so references resolve regardless of order.
  for (auto [name, _] : shapes) {
    auto shape = std::make_unique<Shape>();
    shape->name = std::string(name);
    model->shapes_.emplace(std::string(name), std::move(shape));
  }
  auto resolve = [&](simdjson::dom::element ref) -> const Shape* {
    std::string_view target;
    if (ref["shape"].get(target)) die("shape reference without a name");
    const Shape* s = model->find_shape(target);
    if (!s) die(std::string("unknown shape ") + std::string(target));
    return s;
  };
  for (auto [name, element] : shapes) {
    Shape& shape = *model->shapes_.find(name)->second;
    simdjson::dom::object obj = element;
    std::string_view type;
    if (obj["type"].get(type)) die("shape without type");
    shape.type = parse_type(type);
    shape.min = number_field(obj, "min");
    shape.max = number_field(obj, "max");
    if (!obj["pattern"].get(sv)) shape.pattern.emplace(std::string(sv));
    simdjson::dom::array arr;
    if (!obj["enum"].get(arr)) {
      for (auto v : arr) shape.enum_values.emplace_back(std::string_view(v));
    }
    bool flag = false;
    if (!obj["exception"].get(flag)) shape.is_exception = flag;
    if (!obj["eventstream"].get(flag)) shape.is_eventstream = flag;
    if (!obj["event"].get(flag)) shape.is_event = flag;
    simdjson::dom::object error;
    if (!obj["error"].get(error)) {
      int64_t status = 0;
      if (!error["httpStatusCode"].get(status)) shape.error_http_status = static_cast<int>(status);
    }
    simdjson::dom::element ref;
    if (!obj["member"].get(ref)) shape.member = resolve(ref);
    if (!obj["key"].get(ref)) shape.key = resolve(ref);
    if (!obj["value"].get(ref)) shape.value = resolve(ref);
    simdjson::dom::object members;
    if (!obj["members"].get(members)) {
      for (auto [member_name, member_ref] : members) {
        shape.members.push_back(Member{std::string(member_name), resolve(member_ref), false});
      }
    }
    if (!obj["required"].get(arr)) {
      for (auto v : arr) {
        std::string_view required_name = v;
        for (auto& m : shape.members) {
          if (m.name == required_name) m.required = true;
        }
      }
    }
  }
  mark_validation(model->shapes_);
  for (auto [name, element] : operations) {
    Operation op;
    op.name = std::string(name);
    simdjson::dom::element ref;
    if (!element["input"].get(ref)) op.input = resolve(ref);
    if (!element["output"].get(ref)) op.output = resolve(ref);
    simdjson::dom::array errs;
    if (!element["errors"].get(errs)) {
      for (auto e : errs) op.errors.push_back(resolve(e));
    }
    model->operations_.emplace(op.name, std::move(op));
  }
  return model;
}

const ServiceModel& ServiceModel::embedded(std::string_view stem) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<ServiceModel>, std::less<>> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(stem); it != cache.end()) return *it->second;
  for (size_t i = 0; i < kEmbeddedModelsCount; ++i) {
    if (kEmbeddedModels[i].first == stem) {
      auto [it, _] = cache.emplace(std::string(stem), parse(kEmbeddedModels[i].second));
      return *it->second;
    }
  }
  die(std::string("no embedded model named ") + std::string(stem));
}

const Operation* ServiceModel::find_operation(std::string_view name) const {
  auto it = operations_.find(name);
  return it == operations_.end() ? nullptr : &it->second;
}

const Shape* ServiceModel::find_shape(std::string_view name) const {
  auto it = shapes_.find(name);
  return it == shapes_.end() ? nullptr : it->second.get();
}

}  // namespace trib::model
