// UpdateTable: provisioned throughput (with AWS's daily decrease rule), billing mode switches,
// GlobalSecondaryIndexUpdates (Create, Update, Delete), stream, SSE, table class, deletion
// protection, on-demand and warm throughput. A changed table is UPDATING for
// --update-table-ms; a created index is CREATING (Backfilling) for --create-index-ms; an
// updated index is UPDATING and a deleted one DELETING for --update-table-ms, then gone.
//
// Sources of the texts, marked at each: [cat] ack-api-quirks' catalogue of AWS responses
// (recorded in us-east-1 and us-west-2, 2026-10-09); [dyn] dynalite, whose tests were run
// against AWS; [cap] an AWS response quoted in a public issue (named); [U] a guess.
// Differences (not modelled): the 2-per-30-days TableClass limit, the encryption-change
// window, the limit on switches to on-demand, per-table and per-account capacity quotas,
// global table replicas (ReplicaUpdates and the other global-table members are refused).
// Writing index entries for the existing items of a new index (the backfill) is the item
// write path's work; this stores the index and its times.
#include <algorithm>
#include <ctime>
#include <set>
#include <tuple>

#include "dynamodb/errors.h"
#include "dynamodb/items/index_maintenance.h"
#include "dynamodb/items/item_requests.h"
#include "dynamodb/operations.h"
#include "dynamodb/tables/description.h"
#include "dynamodb/tables/schema.h"
#include "dynamodb/tables/table_ref.h"

namespace trib::dynamodb::ops {

namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kMaxCapacityUnits = 1'000'000'000'000;
constexpr size_t kMaxGlobalIndexes = 20;
constexpr int64_t kFreeDecreasesPerDay = 4;

aws::AwsError in_use(std::string detail) {
  return error(Error::kResourceInUse,
               "Attempt to change a resource which is still in use: " + std::move(detail));
}

aws::AwsError limit_exceeded(std::string detail) {
  return error(Error::kLimitExceeded, "Subscriber limit exceeded: " + std::move(detail));
}

// "Monday, February 13, 2023 at 10:25:39 AM Coordinated Universal Time", the form of AWS's
// decrease-limit text as captured in 2023 (older captures: "... 2019 9:07:28 AM UTC").
std::string aws_human_time(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[96];
  std::strftime(out, sizeof out, "%A, %B %-d, %Y at %-I:%M:%S %p Coordinated Universal Time", &tm);
  return out;
}

// Decreases of one table's or index's throughput counted per UTC day.
int64_t decreases_today(const ProvisionedThroughput& t, int64_t now_ms) {
  if (!t.last_decrease_ms || *t.last_decrease_ms / kDayMs != now_ms / kDayMs) return 0;
  return t.decreases_today;
}

// Applies a provisioned-throughput change to a table (`index` empty) or an index: AWS's
// texts for an unchanged value [dyn for the table; the index form: [cat] gives its first two
// sentences, the rest [U] by analogy] and for a decrease beyond the daily allowance [cap: the
// text as quoted in 2023, also in [cat]]. `switching` (from on-demand) skips both checks.
aws::AwsResult<Ok> change_throughput(ProvisionedThroughput& t, int64_t read, int64_t write,
                                     const std::string& index, bool switching, int64_t now_ms) {
  if (switching) {
    t.read_capacity_units = read;
    t.write_capacity_units = write;
    return Ok{};
  }
  const int64_t read_diff = read - t.read_capacity_units;
  const int64_t write_diff = write - t.write_capacity_units;
  if (read_diff == 0 && write_diff == 0) {
    const std::string what = index.empty() ? "table" : "index";
    return aws::fail(validation(
        "The provisioned throughput for the " + (index.empty() ? "table" : "index " + index) +
        " will not change. The requested value equals the current value. Current "
        "ReadCapacityUnits provisioned for the " +
        what + ": " + std::to_string(t.read_capacity_units) + ". Requested ReadCapacityUnits: " +
        std::to_string(read) + ". Current WriteCapacityUnits provisioned for the " + what + ": " +
        std::to_string(t.write_capacity_units) +
        ". Requested WriteCapacityUnits: " + std::to_string(write) +
        ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request "
        "higher limits."));
  }
  const bool decrease = read_diff < 0 || write_diff < 0;
  const int64_t today = decreases_today(t, now_ms);
  if (decrease && today >= kFreeDecreasesPerDay && now_ms - *t.last_decrease_ms < kHourMs) {
    return aws::fail(limit_exceeded(
        "Provisioned throughput decreases are limited within a given UTC day. After the first 4 "
        "decreases, each subsequent decrease in the same UTC day can be performed at most once "
        "every 3600 seconds. Number of decreases today: " +
        std::to_string(today) + ". Last decrease at " + aws_human_time(*t.last_decrease_ms) +
        ". Next decrease can be made at " + aws_human_time(*t.last_decrease_ms + kHourMs)));
  }
  if (read_diff > 0 || write_diff > 0) t.last_increase_ms = now_ms;
  if (decrease) {
    t.last_decrease_ms = now_ms;
    t.decreases_today = today + 1;
  }
  t.read_capacity_units = read;
  t.write_capacity_units = write;
  return Ok{};
}

enum class GsiKind : uint8_t { kCreate, kUpdate, kDelete };

struct GsiAction {
  GsiKind kind;
  const aws::Value* spec;
  std::string name;
};

bool is_live_global(const SecondaryIndex& index, int64_t now_ms) {
  return index.global && !index.is_gone(now_ms);
}

SecondaryIndex* find_global(Table& table, const std::string& name, int64_t now_ms) {
  for (auto& index : table.indexes) {
    if (index.name == name && is_live_global(index, now_ms)) return &index;
  }
  return nullptr;
}

// Request checks that need no table, in the order dynalite's reading of AWS gives (the order
// among the [cat] rules is [U]).
aws::AwsResult<std::vector<GsiAction>> check_request(const Input& input) {
  const aws::Value* throughput = input.find("ProvisionedThroughput");
  const std::string* billing = input.string_member("BillingMode");
  const aws::Value* updates = input.find("GlobalSecondaryIndexUpdates");
  const bool has_updates = updates && updates->is_list() && !updates->as_list().empty();
  const aws::Value* stream = input.find("StreamSpecification");
  const aws::Value* sse = input.find("SSESpecification");
  const bool table_class = input.find("TableClass") != nullptr;
  const bool protection = input.find("DeletionProtectionEnabled") != nullptr;
  const aws::Value* on_demand = input.find("OnDemandThroughput");
  const aws::Value* warm = input.find("WarmThroughput");
  const bool global_tables = input.find("ReplicaUpdates") ||
                             input.find("GlobalTableWitnessUpdates") ||
                             input.find("GlobalTableSettingsReplicationMode");

  if (!throughput && !billing && !has_updates && !stream && !sse && !table_class && !protection &&
      !on_demand && !warm && !global_tables) {
    // [cat, live]: the list leaves out MultiRegionConsistency when the request has it.
    return aws::fail(validation(
        std::string("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                    "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, "
                    "MultiAccountReplicaReady, ReplicaTransitRoleArn, ") +
        (input.find("MultiRegionConsistency") ? "" : "MultiRegionConsistency, ") +
        "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required"));
  }
  if (global_tables || input.find("MultiRegionConsistency")) {
    // Ours: one server is one region, so global tables are not served.
    return aws::fail(invalid_parameter(
        "Global table replicas and witnesses are not supported by Tributary (one region per "
        "server)"));
  }
  if (updates && updates->is_list() && updates->as_list().empty()) {
    // [cat] (CreateTable's wording, listed for UpdateTable too).
    return aws::fail(invalid_parameter("List of GlobalSecondaryIndexUpdates is empty"));
  }

  std::vector<GsiAction> actions;
  std::set<std::string> names;
  if (has_updates) {
    for (const auto& update : updates->as_list()) {
      const aws::Value* create = update.find("Create");
      const aws::Value* change = update.find("Update");
      const aws::Value* remove = update.find("Delete");
      const int count = (create ? 1 : 0) + (change ? 1 : 0) + (remove ? 1 : 0);
      if (count == 0) {
        return aws::fail(invalid_parameter(  // [dyn], [cat]
            "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
            "GlobalSecondaryIndexUpdate.Delete must not be null"));
      }
      if (count > 1) {
        return aws::fail(invalid_parameter(  // [cat]
            "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate "
            "object"));
      }
      GsiAction action{create   ? GsiKind::kCreate
                       : change ? GsiKind::kUpdate
                                : GsiKind::kDelete,
                       create   ? create
                       : change ? change
                                : remove,
                       ""};
      action.name = *action.spec->string_member("IndexName");
      if (!names.insert(action.name).second) {
        return aws::fail(invalid_parameter(  // [dyn], [cat]
            "Only one global secondary index update per index is allowed simultaneously. Index: " +
            action.name));
      }
      actions.push_back(std::move(action));
    }
  }
  const size_t online =
      static_cast<size_t>(std::count_if(actions.begin(), actions.end(), [](const GsiAction& a) {
        return a.kind != GsiKind::kUpdate;
      }));
  const bool creates = std::any_of(actions.begin(), actions.end(),
                                   [](const GsiAction& a) { return a.kind == GsiKind::kCreate; });

  // Changes that must come alone or in set combinations [cat].
  const int operations = ((throughput || billing) ? 1 : 0) + (has_updates ? 1 : 0) +
                         (stream ? 1 : 0) + (sse ? 1 : 0) + (table_class ? 1 : 0) +
                         (protection ? 1 : 0) + (on_demand ? 1 : 0) + (warm ? 1 : 0);
  if (sse && operations > 1) {
    return aws::fail(invalid_parameter(
        "Server-Side Encryption modification must be the only operation in the request"));
  }
  if (table_class && operations > 1) {
    return aws::fail(
        invalid_parameter("TableClass modification must be the only operation in the request"));
  }
  if (protection && operations > 1) {
    return aws::fail(invalid_parameter(
        "DeletionProtection modification must be the only operation in the request"));
  }
  if (warm && operations > 1) {
    return aws::fail(invalid_parameter(
        creates ? "Create global secondary index cannot be specified when updating WarmThroughput"
                : "WarmThroughput must be the only operation in the request"));
  }
  if (on_demand && (has_updates || stream || throughput)) {
    return aws::fail(invalid_parameter(
        "OnDemandThroughput can only be combined with BillingMode in an UpdateTable request"));
  }
  if (stream && throughput) {
    return aws::fail(
        invalid_parameter("You cannot modify stream status while updating table IOPS"));
  }
  if (online > 0 && throughput) {
    return aws::fail(
        invalid_parameter("You cannot create or delete index while updating table IOPS"));
  }
  if (online > 0 && stream) {
    return aws::fail(
        invalid_parameter("You cannot create or delete index while changing stream status"));
  }

  if (billing && *billing == "PROVISIONED" && !throughput) {
    return aws::fail(invalid_parameter(  // [dyn], [cat]
        "ProvisionedThroughput must be specified when BillingMode is PROVISIONED"));
  }
  if (billing && *billing == "PAY_PER_REQUEST" && throughput) {
    return aws::fail(invalid_parameter(  // [cat, live]
        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
        "PAY_PER_REQUEST"));
  }
  if (throughput) {
    for (const char* name : {"ReadCapacityUnits", "WriteCapacityUnits"}) {
      const int64_t units = throughput->int_member(name).value_or(0);
      if (units > kMaxCapacityUnits) {  // [dyn]
        return aws::fail(validation("Given value " + std::to_string(units) + " for " + name +
                                    " is out of bounds"));
      }
    }
  }
  for (const auto& action : actions) {
    if (action.kind != GsiKind::kUpdate) continue;
    if (const auto units = throughput_of(action.spec->find("ProvisionedThroughput"));
        units && (units->first > kMaxCapacityUnits || units->second > kMaxCapacityUnits)) {
      return aws::fail(validation(  // [dyn]
          "This operation cannot be performed with given input values. Please contact DynamoDB "
          "service team for more info: Action Blocked: IndexUpdate"));
    }
  }
  if (online > 1) {
    // [dyn] (it allows up to 5), facts/dynamodb.md §19: one online index change per call.
    return aws::fail(
        limit_exceeded("Only 1 online index can be created or deleted simultaneously per table"));
  }
  if (stream) {
    const bool enabled = stream->bool_member("StreamEnabled").value_or(false);
    const bool view = stream->find("StreamViewType") != nullptr;
    if (enabled && !view) {
      return aws::fail(  // [cat]
          invalid_parameter("If stream is being enabled then UpdateViewType is required"));
    }
    if (!enabled && view) {
      return aws::fail(invalid_parameter(  // [cat]
          "If stream is being disabled, then UpdateViewType must not be specified"));
    }
  }
  if (sse) {
    const bool enabled = sse->bool_member("Enabled").value_or(false);
    const std::string* type = sse->string_member("SSEType");
    if (!enabled && type) {
      return aws::fail(invalid_parameter("SSEType can not be specified if Enabled is false"));
    }
    if (!enabled && sse->find("KMSMasterKeyId")) {
      return aws::fail(
          invalid_parameter("KMSMasterKeyId can not be specified if Enabled is false"));
    }
    if (type && *type == "AES256") {
      return aws::fail(invalid_parameter("SSEType AES256 is not supported"));
    }
  }
  if (on_demand) {
    for (const char* name : {"MaxReadRequestUnits", "MaxWriteRequestUnits"}) {
      const auto units = on_demand->int_member(name);
      if (units && *units < 1 && *units != -1) {  // -1 clears the maximum
        return aws::fail(invalid_parameter(std::string("Requested ") + name +
                                           " for OnDemandThroughput for table is outside of "
                                           "valid range"));
      }
    }
  }
  return actions;
}

// Throughput changes of the table and its billing mode (inside the catalog mutation).
aws::AwsResult<Ok> apply_billing(Table& table, const Input& input,
                                 const std::vector<GsiAction>& actions, int64_t now) {
  const aws::Value* throughput = input.find("ProvisionedThroughput");
  const std::string* billing = input.string_member("BillingMode");
  const std::string mode = billing ? *billing : table.billing_mode;
  const bool switching = mode != table.billing_mode;
  if (mode == "PAY_PER_REQUEST" && throughput) {
    return aws::fail(invalid_parameter(  // [cat, live]
        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
        "PAY_PER_REQUEST"));
  }
  if (const aws::Value* on_demand = input.find("OnDemandThroughput");
      on_demand && mode == "PROVISIONED") {
    const char* which =
        on_demand->find("MaxReadRequestUnits") ? "MaxReadRequestUnits" : "MaxWriteRequestUnits";
    return aws::fail(invalid_parameter(std::string(which) +  // [cat]
                                       " for OnDemandThroughput cannot be specified when the table "
                                       "BillingMode is PROVISIONED"));
  }
  if (switching && mode == "PROVISIONED") {
    // Every global index needs its own throughput when leaving on-demand [cat].
    for (const auto& index : table.indexes) {
      if (!is_live_global(index, now) || index.deleting_since_ms) continue;
      const bool given = std::any_of(actions.begin(), actions.end(), [&](const GsiAction& a) {
        return a.kind == GsiKind::kUpdate && a.name == index.name &&
               a.spec->find("ProvisionedThroughput");
      });
      if (!given) {
        return aws::fail(
            invalid_parameter("ProvisionedThroughput must be specified for index: " + index.name));
      }
    }
  }
  if (switching) {
    table.billing_mode = mode;
    if (mode == "PAY_PER_REQUEST") {
      // On-demand tables and their indexes show 0/0 (facts/dynamodb.md §3).
      table.billing_mode_changed_ms = now;
      table.throughput.read_capacity_units = 0;
      table.throughput.write_capacity_units = 0;
      for (auto& index : table.indexes) {
        if (!index.global) continue;
        index.throughput.read_capacity_units = 0;
        index.throughput.write_capacity_units = 0;
      }
    }
  }
  if (throughput) {
    const auto units = throughput_of(throughput);
    auto changed =
        change_throughput(table.throughput, units->first, units->second, "", switching, now);
    if (!changed) return aws::fail(std::move(changed.error()));
  }
  if (const aws::Value* on_demand = input.find("OnDemandThroughput")) {
    const auto set = [](std::optional<int64_t>& field, std::optional<int64_t> units) {
      if (!units) return;
      field = *units == -1 ? std::nullopt : units;
    };
    set(table.max_read_request_units, on_demand->int_member("MaxReadRequestUnits"));
    set(table.max_write_request_units, on_demand->int_member("MaxWriteRequestUnits"));
  }
  return Ok{};
}

aws::AwsResult<Ok> create_index(Table& table, const GsiAction& action, const Input& input,
                                const DynamoDbContext& ctx, int64_t now) {
  if (const SecondaryIndex* existing = table.find_index(action.name);
      existing && !existing->is_gone(now)) {
    return aws::fail(validation("Attempting to create an index which already exists"));  // [cat]
  }
  size_t live = 0;
  for (const auto& index : table.indexes) {
    if (!is_live_global(index, now)) continue;
    ++live;
    const std::string_view status = index.status_name(now);
    if (status == "CREATING" || status == "DELETING") {
      // [dyn], [cat]: another index is still being created or deleted.
      return aws::fail(
          limit_exceeded("Only 1 online index can be created or deleted simultaneously per table"));
    }
  }
  if (live >= kMaxGlobalIndexes) {
    return aws::fail(limit_exceeded(  // [cat]
        "Number of global secondary indexes exceeds per-table limit of " +
        std::to_string(kMaxGlobalIndexes)));
  }
  const aws::Value* definitions = input.find("AttributeDefinitions");
  if (!definitions || !definitions->is_list()) {
    return aws::fail(invalid_parameter("AttributeDefinitions is not specified for index: " +
                                       action.name));  // [cat]
  }
  // The table's definitions stand; the request may add the new index's key attributes. [U]: a
  // redefinition with another type is ignored (AWS's answer is not recorded).
  std::vector<KeyAttribute> merged = table.attribute_definitions;
  for (const auto& d : definitions->as_list()) {
    const std::string* name = d.string_member("AttributeName");
    const std::string* type = d.string_member("AttributeType");
    if (!name || !type || type->empty()) continue;
    const bool known = std::any_of(merged.begin(), merged.end(),
                                   [&](const KeyAttribute& a) { return a.name == *name; });
    if (!known) merged.push_back({*name, (*type)[0]});
  }
  auto index = build_index(*action.spec, true, table.key_schema, merged, table.billing_mode,
                           IndexRequest::kUpdateTable);
  if (!index) return aws::fail(std::move(index.error()));
  for (const KeyAttribute* key :
       {&index->key_schema.hash, index->key_schema.range ? &*index->key_schema.range : nullptr}) {
    if (!key) continue;
    const bool known =
        std::any_of(table.attribute_definitions.begin(), table.attribute_definitions.end(),
                    [&](const KeyAttribute& a) { return a.name == key->name; });
    if (!known) table.attribute_definitions.push_back(*key);
  }
  index->id = table.next_index_id++;
  index->created_ms = now;
  index->active_at_ms = now + ctx.options.create_index_ms;
  table.indexes.push_back(std::move(*index));
  return Ok{};
}

aws::AwsResult<Ok> update_index(Table& table, const GsiAction& action, bool switching,
                                const DynamoDbContext& ctx, int64_t now) {
  SecondaryIndex* index = find_global(table, action.name, now);
  if (!index) {
    // [cat] for a local index; [U] that a missing index gets the same text.
    return aws::fail(
        validation("Cannot update an index that is not a GlobalSecondaryIndex: " + action.name));
  }
  const std::string_view status = index->status_name(now);
  if (status != "ACTIVE") {
    // [cap] hashicorp/terraform#9559 (2016), two spaces included, for UPDATING; [U] the
    // CREATING and DELETING forms.
    const std::string state = status == "UPDATING"   ? "updated"
                              : status == "CREATING" ? "created"
                                                     : "deleted";
    return aws::fail(in_use("Index is being " + state + ".  Table: " + table.key.name +
                            " Index: " + index->name));
  }
  const aws::Value* throughput = action.spec->find("ProvisionedThroughput");
  if (throughput && table.billing_mode == "PAY_PER_REQUEST") {
    return aws::fail(invalid_parameter(  // [cat]
        "The only Updates for index: " + index->name +
        " when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, "
        "WarmThroughput"));
  }
  if (throughput) {
    const auto units = throughput_of(throughput);
    auto changed = change_throughput(index->throughput, units->first, units->second, index->name,
                                     switching, now);
    if (!changed) return aws::fail(std::move(changed.error()));
  }
  if (const aws::Value* on_demand = action.spec->find("OnDemandThroughput")) {
    if (auto units = on_demand->int_member("MaxReadRequestUnits")) {
      index->max_read_request_units = *units == -1 ? std::nullopt : units;
    }
    if (auto units = on_demand->int_member("MaxWriteRequestUnits")) {
      index->max_write_request_units = *units == -1 ? std::nullopt : units;
    }
  }
  index->updating_until_ms = now + ctx.options.update_table_ms;
  return Ok{};
}

aws::AwsResult<Ok> delete_index(Table& table, const GsiAction& action, const DynamoDbContext& ctx,
                                int64_t now) {
  SecondaryIndex* index = find_global(table, action.name, now);
  if (!index) {
    // [cat] for a local index; [U] that a missing index gets the same text.
    return aws::fail(
        validation("Cannot delete an index that is not a GlobalSecondaryIndex: " + action.name));
  }
  for (const auto& other : table.indexes) {
    if (!is_live_global(other, now)) continue;
    const std::string_view status = other.status_name(now);
    if (status == "CREATING" || status == "DELETING") {
      return aws::fail(
          limit_exceeded("Only 1 online index can be created or deleted simultaneously per table"));
    }
  }
  index->deleting_since_ms = now;
  // DELETING for --update-table-ms (at least 1 ms, so that the answer can show it).
  index->gone_at_ms = now + std::max<int64_t>(1, ctx.options.update_table_ms);
  return Ok{};
}

// Drops indexes whose deletion finished, and the attribute definitions only they used.
void prune_gone_indexes(Table& table, int64_t now) {
  const auto before = table.indexes.size();
  std::erase_if(table.indexes, [&](const SecondaryIndex& index) { return index.is_gone(now); });
  if (table.indexes.size() == before) return;
  std::erase_if(table.attribute_definitions, [&](const KeyAttribute& a) {
    const auto uses = [&](const KeySchema& k) {
      return k.hash.name == a.name || (k.range && k.range->name == a.name);
    };
    if (uses(table.key_schema)) return false;
    return std::none_of(table.indexes.begin(), table.indexes.end(),
                        [&](const SecondaryIndex& index) { return uses(index.key_schema); });
  });
}

aws::AwsResult<Ok> apply_stream(Table& table, const aws::Value& stream, int64_t now) {
  const bool enabled = stream.bool_member("StreamEnabled").value_or(false);
  if (enabled && table.stream_enabled) {
    return aws::fail(  // [cat]
        validation("Table already has an enabled stream: TableName: " + table.key.name));
  }
  if (!enabled && !table.stream_enabled) {
    return aws::fail(  // [cat, live]
        validation("Table has no stream to disable: TableName: " + table.key.name));
  }
  table.stream_enabled = enabled;
  if (enabled) {
    // A new stream (new label, later than the last one's), whatever the view type; a disable
    // keeps the old stream's label and view type (DescribeTable's LatestStreamArn).
    table.stream_view_type = *stream.string_member("StreamViewType");
    table.stream_label_ms = std::max(now, table.stream_label_ms + 1);
  }
  return Ok{};
}

aws::AwsResult<Ok> apply_sse(Table& table, const aws::Value& sse,
                             const aws::RequestContext& request) {
  const bool enabled = sse.bool_member("Enabled").value_or(false);
  const std::string* key_id = sse.string_member("KMSMasterKeyId");
  if (!enabled) {
    if (!table.sse_enabled) {
      return aws::fail(invalid_parameter("Table is already encrypted by default"));  // [cat]
    }
    table.sse_enabled = false;
    table.sse_type.clear();
    table.kms_master_key_id.clear();
    return Ok{};
  }
  if (table.sse_enabled && (!key_id || *key_id == table.kms_master_key_id)) {
    return aws::fail(invalid_parameter(  // [cat]
        "Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if "
        "you want to change Master Key"));
  }
  table.sse_enabled = true;
  table.sse_type = "KMS";
  table.kms_master_key_id =
      key_id ? *key_id
             : "arn:aws:kms:" + request.region + ":" + request.account + ":key/" + random_uuid();
  return Ok{};
}

aws::AwsResult<Ok> apply_warm(Table& table, const aws::Value& warm) {
  // An on-demand table starts warm at 12,000/4,000 (facts/dynamodb.md §3).
  const bool on_demand = table.billing_mode == "PAY_PER_REQUEST";
  const int64_t read_now = table.warm_read_units.value_or(on_demand ? 12'000 : 0);
  const int64_t write_now = table.warm_write_units.value_or(on_demand ? 4'000 : 0);
  const auto read = warm.int_member("ReadUnitsPerSecond");
  const auto write = warm.int_member("WriteUnitsPerSecond");
  for (const auto& [units, current, name] :
       {std::make_tuple(read, read_now, "ReadUnitsPerSecond"),
        std::make_tuple(write, write_now, "WriteUnitsPerSecond")}) {
    if (units && *units < current) {
      return aws::fail(invalid_parameter(std::string("Requested ") + name +  // [cat]
                                         " for WarmThroughput for table is lower than current "
                                         "WarmThroughput, decreasing WarmThroughput is not "
                                         "supported"));
    }
  }
  if (read) table.warm_read_units = *read;
  if (write) table.warm_write_units = *write;
  return Ok{};
}

}  // namespace

Output update_table(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  auto key = resolve_table_key(ctx, request, *input.string_member("TableName"));
  if (!key) return aws::fail(std::move(key.error()));
  auto actions = check_request(input);
  if (!actions) return aws::fail(std::move(actions.error()));
  const int64_t now = request.now_ms;
  const bool throughput = input.find("ProvisionedThroughput") != nullptr;
  // Only GlobalSecondaryIndexUpdates.Update entries: the indexes are UPDATING, the table stays
  // ACTIVE ([U]: AWS's table status during an index-only update is not recorded).
  const bool table_changes = throughput || input.find("BillingMode") ||
                             input.find("StreamSpecification") || input.find("SSESpecification") ||
                             input.find("TableClass") || input.find("DeletionProtectionEnabled") ||
                             input.find("OnDemandThroughput") || input.find("WarmThroughput") ||
                             std::any_of(actions->begin(), actions->end(), [](const GsiAction& a) {
                               return a.kind != GsiKind::kUpdate;
                             });

  auto updated = ctx.tables.update(*key, now, [&](Table& table) -> aws::AwsResult<Ok> {
    switch (table.status(now)) {
      case TableStatus::kCreating:  // [U], worded as DeleteTable's [dyn] text
        return aws::fail(in_use("Table is being created: " + table.key.name));
      case TableStatus::kDeleting:  // [U]
        return aws::fail(in_use("Table is being deleted: " + table.key.name));
      case TableStatus::kUpdating:
        // [cap] a throughput change during an update (ack-api-quirks' repro, 2026); otherwise
        // [cap] sebdah/dynamic-dynamodb#36 (2013).
        return aws::fail(
            in_use(throughput ? "Table IOPS are currently being updated. Table: " + table.key.name
                              : "Table is being updated: " + table.key.name));
      case TableStatus::kActive:
        break;
    }
    prune_gone_indexes(table, now);
    const std::string* billing = input.string_member("BillingMode");
    const bool switching = billing && *billing != table.billing_mode;
    if (auto applied = apply_billing(table, input, *actions, now); !applied) {
      return aws::fail(std::move(applied.error()));
    }
    for (const auto& action : *actions) {
      aws::AwsResult<Ok> applied = Ok{};
      switch (action.kind) {
        case GsiKind::kCreate:
          applied = create_index(table, action, input, ctx, now);
          break;
        case GsiKind::kUpdate:
          applied = update_index(table, action, switching, ctx, now);
          break;
        case GsiKind::kDelete:
          applied = delete_index(table, action, ctx, now);
          break;
      }
      if (!applied) return aws::fail(std::move(applied.error()));
    }
    if (const aws::Value* stream = input.find("StreamSpecification")) {
      if (auto applied = apply_stream(table, *stream, now); !applied) {
        return aws::fail(std::move(applied.error()));
      }
    }
    if (const aws::Value* sse = input.find("SSESpecification")) {
      if (auto applied = apply_sse(table, *sse, request); !applied) {
        return aws::fail(std::move(applied.error()));
      }
    }
    if (const aws::Value* warm = input.find("WarmThroughput")) {
      if (auto applied = apply_warm(table, *warm); !applied) {
        return aws::fail(std::move(applied.error()));
      }
    }
    if (const std::string* table_class = input.string_member("TableClass")) {
      table.table_class = *table_class;
    }
    if (auto protection = input.bool_member("DeletionProtectionEnabled")) {
      table.deletion_protection = *protection;
    }
    if (table_changes) table.updating_until_ms = now + ctx.options.update_table_ms;
    return Ok{};
  });
  if (!updated) return aws::fail(std::move(updated.error()));
  // Index entries follow the published table: a created index gets the entries of the items
  // already there (writers maintain it from now on), a deleted one loses its entries (writers
  // stopped maintaining it). Done before answering, so the time grows with the table's size
  // (AWS backfills in the background; the index is CREATING meanwhile either way).
  for (const auto& action : *actions) {
    if (action.kind == GsiKind::kUpdate) continue;
    const SecondaryIndex* index = nullptr;
    for (const auto& candidate : (*updated)->indexes) {
      if (candidate.name == action.name) index = &candidate;
    }
    if (!index) continue;
    const storage::Status status =
        action.kind == GsiKind::kCreate
            ? items::backfill_index(items::write_path(ctx), **updated, *index)
            : items::drop_index(ctx.engine, (*updated)->id, index->id);
    if (!status.is_ok()) {
      return aws::fail(error(Error::kInternalServerError, "Internal server error"));
    }
  }
  aws::Value out = aws::Value::map();
  // AWS answers UPDATING whatever the configured delay, as CreateTable answers CREATING.
  out.set("TableDescription",
          table_description(**updated, now, {},
                            table_changes ? std::optional(TableStatus::kUpdating) : std::nullopt));
  return out;
}

}  // namespace trib::dynamodb::ops
