#include "kinesis/operations.h"

namespace trib::kinesis {

const std::map<std::string_view, OperationHandler>& operation_table() {
#define TRIB_KINESIS_TABLE_ROW(name, function) {#name, &ops::function},
  static const std::map<std::string_view, OperationHandler> table = {
      TRIB_KINESIS_OPERATIONS(TRIB_KINESIS_TABLE_ROW)};
#undef TRIB_KINESIS_TABLE_ROW
  return table;
}

const std::map<std::string_view, std::string_view>& unsupported_operations() {
  // Every operation of the pinned model is served; an operation added by a newer model goes
  // here with its reason until it is.
  static const std::map<std::string_view, std::string_view> table = {};
  return table;
}

}  // namespace trib::kinesis
