#include "storage/keys.h"

#include "storage/engine.h"

namespace trib::storage {

std::string prefix_successor(std::string_view prefix) {
  std::string successor(prefix);
  // Bytes equal to 0xff cannot be incremented: drop them and carry into the byte before.
  while (!successor.empty() && static_cast<uint8_t>(successor.back()) == 0xff) {
    successor.pop_back();
  }
  if (successor.empty()) return successor;
  successor.back() = static_cast<char>(static_cast<uint8_t>(successor.back()) + 1);
  return successor;
}

const char* keyspace_name(Keyspace ks) {
  switch (ks) {
    case Keyspace::kMeta:
      return "meta";
    case Keyspace::kRecords:
      return "records";
    case Keyspace::kItems:
      return "items";
  }
  return "unknown";
}

}  // namespace trib::storage
