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

Status for_each_with_prefix(
    Engine& engine, Keyspace keyspace, std::string_view prefix,
    const std::function<Status(std::string_view key, std::string_view value)>& visit) {
  IteratorOptions options;
  options.lower_bound = std::string(prefix);
  options.upper_bound = prefix_successor(prefix);
  if (options.upper_bound->empty()) options.upper_bound.reset();
  auto it = engine.iterate(keyspace, options);
  for (it->seek(prefix); it->valid(); it->next()) {
    Status status = visit(it->key(), it->value());
    if (!status.is_ok()) return status;
  }
  return it->status();
}

Status read_u64(Engine& engine, Keyspace keyspace, std::string_view key, uint64_t* value) {
  std::string bytes;
  Status status = engine.get(keyspace, key, &bytes);
  if (status.is_not_found()) return Status::ok();
  if (!status.is_ok()) return status;
  KeyReader reader(bytes);
  if (!reader.u64(value)) return Status::corruption("malformed counter");
  return Status::ok();
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
