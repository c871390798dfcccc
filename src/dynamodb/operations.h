// Every DynamoDB operation Tributary serves: one function per AWS operation, each in its own
// file under ops/ (CreateTable -> ops/create_table.cc), listed once in operation_list.h.
#pragma once

#include <map>
#include <string_view>

#include "dynamodb/context.h"
#include "dynamodb/operation_list.h"

namespace trib::dynamodb {

namespace ops {
#define TRIB_DECLARE_DYNAMODB_OPERATION(name, function) \
  Output function(DynamoDbContext&, const aws::RequestContext&, const Input&);
TRIB_DYNAMODB_OPERATIONS(TRIB_DECLARE_DYNAMODB_OPERATION)
#undef TRIB_DECLARE_DYNAMODB_OPERATION
}  // namespace ops

const std::map<std::string_view, OperationHandler>& operation_table();

// Operations of the pinned model not served yet, each with the reason (docs/compatibility.md;
// a unit test checks the model is covered by the two lists).
const std::map<std::string_view, std::string_view>& unsupported_operations();

}  // namespace trib::dynamodb
