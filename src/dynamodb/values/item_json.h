// An item's JSON text as item_to_wire(item) encodes it (attribute_value.h), for Fragments that
// hold items among other members (dynamodb_streams/change_record.cc).
#pragma once

#include <string>

#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb {

void write_item_json(std::string& out, const Item& item);

}  // namespace trib::dynamodb
