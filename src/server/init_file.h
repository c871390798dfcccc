// Start-up seeding: `--init FILE` (or TRIBUTARY_INIT) creates the streams and tables the file
// lists, when missing, before the health endpoint reports "serving" (issue 14).
//
// The file is YAML or JSON (JSON is read as YAML, so one parser gives line numbers for both):
//   streams:                       # Kinesis streams
//     - name: orders               # required
//       shard_count: 2             # or  mode: ON_DEMAND  (PROVISIONED needs shard_count)
//       retention_hours: 48        # optional
//       consumers: [audit]         # optional: enhanced fan-out consumers
//       tags: {team: payments}     # optional
//       region: eu-west-1          # optional (default: the server's --region)
//       account: "111122223333"    # optional (default: the server's --account)
//   tables:                        # DynamoDB tables: CreateTable's own members, plus
//     - TableName: users           #   TimeToLiveAttribute (an attribute name) and
//       KeySchema: [...]           #   KinesisStreamingDestination (the name of a stream of
//       AttributeDefinitions: [...]#   the table's account and region), region, account
//       BillingMode: PAY_PER_REQUEST
//
// Streams are created before tables, whatever the order in the file, so a table's
// KinesisStreamingDestination may name a stream of the same file.
// Everything goes through the AWS request pipeline as ordinary requests (CreateStream,
// AddTagsToStream, RegisterStreamConsumer, CreateTable, EnableKinesisStreamingDestination, ...),
// so a bad member gets AWS's own validation text. What exists already is left as it is
// (ResourceInUseException is expected; a destination already ACTIVE is not enabled again), so
// applying the same file twice is a no-op. A destination is ACTIVE (changes are delivered) before
// the server reports "serving". A problem stops start-up with a message naming the file, the
// line and the problem.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http.h"

namespace trib::server {

// One resource the file asks for, already shaped as request bodies.
struct InitEntry {
  enum class Kind { kStream, kTable };
  Kind kind = Kind::kStream;
  std::string where;        // "init.yaml:3" — the file and the line the entry starts on
  std::string name;         // stream or table name
  std::string account;      // empty: the server's default
  std::string region;       // empty: the server's default
  std::string create_body;  // CreateStream / CreateTable input (JSON)
  // Streams: retention (0: leave it), tags (JSON map, empty: none), consumer names.
  int64_t retention_hours = 0;
  std::string tags_json;
  std::vector<std::string> consumers;
  // Tables: TTL attribute and the Kinesis stream receiving its changes (empty: none).
  std::string ttl_attribute;
  std::string kinesis_destination;
  std::string kinesis_destination_where;  // "init.yaml:7": the line of that member
};

struct InitPlan {
  std::string file;
  std::vector<InitEntry> entries;
};

// Reads and checks the file: the plan (streams first, then tables, each in file order), or
// nullopt with `error` set to "FILE:LINE: problem".
std::optional<InitPlan> load_init_file(const std::string& path, std::string* error);
// The same for text already read (`file` names it in messages).
std::optional<InitPlan> parse_init_text(std::string_view text, const std::string& file,
                                        std::string* error);

// Sends the plan's requests to `handle` (the AWS pipeline) as the server's default caller,
// waiting for each stream or table to become ACTIVE before configuring it further. Returns
// false with `error` ("FILE:LINE: <what failed>") at the first failure.
using InitHandler = std::function<aws::HttpResponse(const aws::HttpRequest&)>;
bool apply_init_plan(const InitPlan& plan, const InitHandler& handle, std::string* error);

}  // namespace trib::server
