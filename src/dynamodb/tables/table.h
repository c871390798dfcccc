// A DynamoDB table's metadata: key schema, attribute definitions, billing, indexes, settings
// and lifecycle times. Stored as one catalog document per table (docs/storage-encoding.md,
// "DynamoDB tables"); everything a table stores is keyed by its incarnation id, never by its
// name, so re-creating a name never shows old data.
//
// Lifecycle states are computed from stored times and the one clock (as Kinesis streams are):
// CREATING before active_at_ms, DELETING once deleting_since_ms is set, gone at gone_at_ms,
// UPDATING before updating_until_ms.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/value.h"
#include "dynamodb/tables/contributor_insights.h"
#include "dynamodb/tables/kinesis_destination.h"
#include "dynamodb/tables/time_to_live.h"

namespace trib::dynamodb {

struct TableKey {
  std::string account;
  std::string region;
  std::string name;
  auto operator<=>(const TableKey&) const = default;
};

// A key attribute of the table or of an index, with its scalar type ('S', 'N' or 'B').
struct KeyAttribute {
  std::string name;
  char type = 'S';
};

// A key schema: the table's (one HASH, optional RANGE attribute), a local index's (the same),
// or a global index's, which may have up to 4 HASH and up to 4 RANGE attributes
// (multi-attribute keys, AWS Nov 2025; facts §2). `hash` and `range` are the first of each;
// `more_hash` and `more_range` the others, in KeySchema order (empty for single-attribute keys).
// An index's partition key is all its HASH attributes; its sort order is by the RANGE
// attributes in order, each compared as a sort key is.
struct KeySchema {
  KeyAttribute hash;
  std::optional<KeyAttribute> range;
  std::vector<KeyAttribute> more_hash;
  std::vector<KeyAttribute> more_range;

  // The HASH attributes, then (range_attributes) the RANGE attributes, in KeySchema order.
  std::vector<const KeyAttribute*> hash_attributes() const;
  std::vector<const KeyAttribute*> range_attributes() const;
  // Every key attribute: the HASH ones, then the RANGE ones.
  std::vector<const KeyAttribute*> attributes() const;
  // Calls f(const KeyAttribute&) for each key attribute in KeySchema order (the HASH ones,
  // then the RANGE ones) without allocating: the write path's form.
  template <typename F>
  void for_each(F&& f) const {
    f(hash);
    for (const KeyAttribute& a : more_hash) f(a);
    if (range) f(*range);
    for (const KeyAttribute& a : more_range) f(a);
  }
  // Whether `name` is one of the key attributes.
  bool has(std::string_view name) const;
  // More than one HASH or more than one RANGE attribute.
  bool multi_attribute() const { return !more_hash.empty() || !more_range.empty(); }
};

enum class TableStatus : uint8_t { kCreating, kActive, kUpdating, kDeleting };
std::string_view table_status_name(TableStatus status);

struct ProvisionedThroughput {
  int64_t read_capacity_units = 0;
  int64_t write_capacity_units = 0;
  std::optional<int64_t> last_increase_ms;
  std::optional<int64_t> last_decrease_ms;
  int64_t decreases_today = 0;
};

struct SecondaryIndex {
  std::string name;
  bool global = false;
  uint32_t id = 0;  // storage id within the table incarnation (never reused)
  KeySchema key_schema;
  std::string projection_type = "ALL";  // ALL, KEYS_ONLY, INCLUDE
  std::vector<std::string> non_key_attributes;
  ProvisionedThroughput throughput;  // global indexes of PROVISIONED tables
  std::optional<int64_t> max_read_request_units;
  std::optional<int64_t> max_write_request_units;
  int64_t created_ms = 0;
  int64_t active_at_ms = 0;       // CREATING (Backfilling) before this time
  int64_t updating_until_ms = 0;  // UPDATING (UpdateTable changed its throughput) before this
  std::optional<int64_t> deleting_since_ms;
  std::optional<int64_t> gone_at_ms;  // a deleted index is DELETING until this time, then gone

  bool is_gone(int64_t now_ms) const { return gone_at_ms && now_ms >= *gone_at_ms; }
  // "CREATING", "UPDATING", "DELETING" or "ACTIVE".
  std::string_view status_name(int64_t now_ms) const;
};

struct Table {
  uint64_t id = 0;  // incarnation id
  TableKey key;
  std::string table_id;  // UUID
  int64_t created_ms = 0;
  int64_t active_at_ms = 0;
  std::optional<int64_t> deleting_since_ms;
  int64_t gone_at_ms = std::numeric_limits<int64_t>::max();
  int64_t updating_until_ms = 0;

  std::vector<KeyAttribute> attribute_definitions;  // as given (AWS echoes them in order)
  KeySchema key_schema;
  std::string billing_mode = "PROVISIONED";  // or PAY_PER_REQUEST
  std::optional<int64_t> billing_mode_changed_ms;
  ProvisionedThroughput throughput;
  std::optional<int64_t> max_read_request_units;  // OnDemandThroughput
  std::optional<int64_t> max_write_request_units;
  std::optional<int64_t> warm_read_units;  // WarmThroughput asked for
  std::optional<int64_t> warm_write_units;
  std::string table_class = "STANDARD";
  bool deletion_protection = false;
  bool sse_enabled = false;
  std::string sse_type;  // KMS when enabled
  std::string kms_master_key_id;
  // The latest DynamoDB stream (dynamodb_streams/): enabled or not, its view type (kept after a
  // disable), and its label time (epoch ms; 0: the table never had a stream). A new stream's
  // label is later than every earlier one of the table, so (table incarnation, label) names it.
  bool stream_enabled = false;
  std::string stream_view_type;
  int64_t stream_label_ms = 0;
  std::optional<std::string> resource_policy;
  // The policy's RevisionId (epoch ms of the change, as AWS's), and the revision of its
  // deletion, which AWS returns from later idempotent DeleteResourcePolicy calls.
  std::string resource_policy_revision;
  std::string resource_policy_deleted_revision;
  std::vector<std::pair<std::string, std::string>> tags;  // in the order first added
  // Point-in-time recovery (UpdateContinuousBackups): on since pitr_enabled_ms, keeping
  // pitr_recovery_days days.
  std::optional<int64_t> pitr_enabled_ms;
  int64_t pitr_recovery_days = 35;
  TimeToLive time_to_live;
  std::vector<ContributorInsights> contributor_insights;  // the table's and its indexes'
  // Kinesis streaming destinations, one per stream ARN ever enabled (DISABLED ones stay listed).
  std::vector<KinesisDestination> kinesis_destinations;
  std::vector<SecondaryIndex> indexes;  // local then global, in creation order
  uint32_t next_index_id = 1;           // 0 is the base table

  TableStatus status(int64_t now_ms) const;
  bool is_gone(int64_t now_ms) const { return now_ms >= gone_at_ms; }
  std::string arn() const;
  std::string latest_stream_label() const;
  const SecondaryIndex* find_index(std::string_view name) const;
};

// "arn:aws:dynamodb:<region>:<account>:table/<name>"
std::string table_arn(const TableKey& key);
// A table ARN's parts; nullopt when `arn` is not one.
std::optional<TableKey> parse_table_arn(std::string_view arn);

// A stream label: the UTC time "YYYY-MM-DDTHH:MM:SS.mmm" (facts/dynamodb-streams §3 [V]).
std::string stream_label(int64_t label_ms);
// "arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>"
std::string stream_arn(const TableKey& key, int64_t label_ms);

// The stored form (version byte + JSON document), exposed for tests.
std::string encode_table(const Table& table);
std::optional<Table> decode_table(std::string_view bytes);

}  // namespace trib::dynamodb
