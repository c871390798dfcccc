#include "dynamodb/requests/projected_reads.h"

#include <utility>

#include "dynamodb/items/item_reads.h"

namespace trib::dynamodb::requests {

aws::AwsResult<std::optional<ProjectedItem>> read_projected_item(storage::Engine& engine,
                                                                 const Table& table,
                                                                 const Item& key,
                                                                 const ReadProjection& projection) {
  if (!projection.expression && !projection.attributes) {
    auto item = items::read_item_to_wire(engine, table, key);
    if (!item) return aws::fail(std::move(item.error()));
    if (!*item) return std::optional<ProjectedItem>();
    const size_t size = (*item)->size;
    return std::optional<ProjectedItem>(ProjectedItem{std::move((*item)->item), size, size});
  }
  auto item = items::read_item(engine, table, key);
  if (!item) return aws::fail(std::move(item.error()));
  if (!*item) return std::optional<ProjectedItem>();
  const size_t size = item_size(**item);
  Item projected = projection.apply(std::move(**item));
  const size_t projected_size = item_size(projected);
  return std::optional<ProjectedItem>(
      ProjectedItem{item_to_wire(std::move(projected)), size, projected_size});
}

}  // namespace trib::dynamodb::requests
