// The AWS service models, distilled from botocore (src/model/data/*.json, see tools/) and
// embedded in the binary. Decoding and validation are driven by these tables, so an
// operation never hand-writes the checks the model already states.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/pattern.h"

namespace trib::model {

enum class ShapeType : uint8_t {
  kStructure,
  kList,
  kMap,
  kString,
  kInteger,
  kLong,
  kBoolean,
  kBlob,
  kTimestamp,
  kDouble,
  kFloat,
};

struct Shape;

struct Member {
  std::string name;  // as on the wire, e.g. "StreamName"
  const Shape* shape = nullptr;
  bool required = false;
  // False when validation may pass this member by: not required, and no value of its shape
  // can fail (Shape::may_fail_validation).
  bool checked = true;
};

struct Shape {
  std::string name;
  ShapeType type = ShapeType::kStructure;
  std::vector<Member> members;    // structures, in model order
  const Shape* member = nullptr;  // lists
  const Shape* key = nullptr;     // maps
  const Shape* value = nullptr;   // maps
  std::optional<double> min;      // length (string, blob, list, map) or value (numbers)
  std::optional<double> max;
  std::optional<Pattern> pattern;
  std::vector<std::string> enum_values;
  bool is_exception = false;
  bool is_eventstream = false;
  bool is_event = false;
  // False when no value of this shape can fail model validation: no min, max, pattern or
  // enum on it, no required member, and no such shape below it (members, list member, map
  // key and value). Computed by ServiceModel::parse; shapes built by hand keep true (checked).
  bool may_fail_validation = true;
  std::optional<int> error_http_status;

  const Member* find_member(std::string_view member_name) const;
  bool is_numeric() const {
    return type == ShapeType::kInteger || type == ShapeType::kLong || type == ShapeType::kDouble ||
           type == ShapeType::kFloat;
  }
};

struct Operation {
  std::string name;
  const Shape* input = nullptr;  // may be null for operations without input
  const Shape* output = nullptr;
  std::vector<const Shape*> errors;
};

class ServiceModel {
 public:
  // Parses a distilled model document. Aborts the process on a malformed embedded model
  // (that is a build defect, never a client error).
  static std::unique_ptr<ServiceModel> parse(std::string_view json_text);
  // The embedded model with this file stem, e.g. "kinesis-2013-12-02".
  static const ServiceModel& embedded(std::string_view stem);

  const Operation* find_operation(std::string_view name) const;
  const Shape* find_shape(std::string_view name) const;
  const std::map<std::string, Operation, std::less<>>& operations() const { return operations_; }
  const std::string& target_prefix() const { return target_prefix_; }
  const std::string& json_version() const { return json_version_; }
  // The SigV4 signing name (the credential scope's service): metadata.signingName, else
  // endpointPrefix, as botocore chooses it ("kinesis"; "dynamodb" for DynamoDB and Streams).
  const std::string& signing_name() const { return signing_name_; }
  const std::string& botocore_version() const { return botocore_version_; }

 private:
  std::map<std::string, std::unique_ptr<Shape>, std::less<>> shapes_;
  std::map<std::string, Operation, std::less<>> operations_;
  std::string target_prefix_;
  std::string json_version_;
  std::string signing_name_;
  std::string botocore_version_;
};

}  // namespace trib::model
