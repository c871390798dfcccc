// The web console: static files embedded at build time (src/console/web/, tools/
// embed_files.cmake) and the live tail of a Kinesis stream as Server-Sent Events.
//
//   GET /                                 the console's page (for a browser: see server.cc)
//   GET /_tributary/console/              the same page
//   GET /_tributary/console/<file>        its scripts and styles
//   GET /_tributary/console/api/tail?stream=NAME[&shard=ID][&from=LATEST|TRIM_HORIZON|
//       AT_TIMESTAMP&timestamp=EPOCH_MS][&account=ID][&region=NAME]
//                                         text/event-stream: a "ready" event naming the shards
//                                         followed, then one "record" event per record, pushed
//                                         by the record log's append wake-ups (not polled);
//                                         KPL-aggregated records carry their user records.
//   GET /_tributary/console/api/recent?stream=NAME[&limit=N][&table=TABLE&since=EPOCH_MS]
//       [&account=ID][&region=NAME]
//                                         JSON: the stream's newest records (at most N, default
//                                         25, oldest first), or with `table` only the Kinesis
//                                         streaming destination's records of that DynamoDB table
//                                         (region and table name in the record) that arrived at
//                                         or after `since` (the table's creation).
//   GET /_tributary/console/api/subscriptions?stream=NAME[&account=ID][&region=NAME]
//                                         JSON: the stream's open SubscribeToShard
//                                         subscriptions (consumer, shard, start in epoch ms,
//                                         records and data bytes pushed so far).
//
// Everything else the page shows it asks the AWS APIs for, as any SDK would (same port).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http.h"
#include "util/clock.h"

namespace trib::kinesis {
class KinesisService;
}

namespace trib::console {

struct ConsoleOptions {
  std::string default_account = "000000000000";
  std::string default_region = "us-east-1";
};

class LiveTail;

class Console {
 public:
  Console(kinesis::KinesisService& kinesis, const Clock& clock, ConsoleOptions options);
  ~Console();
  // The answer to a GET of `path` (/ or under /_tributary/console/).
  aws::HttpResponse serve(const aws::HttpRequest& request, std::string_view path);
  // Ends every live tail (the server is stopping); later tails are refused.
  void stop();
  // Live tails currently open (tests).
  size_t open_tails();

  static constexpr std::string_view kPrefix = "/_tributary/console/";

 private:
  aws::HttpResponse serve_file(std::string_view name) const;
  aws::HttpResponse start_tail(const aws::HttpRequest& request);
  aws::HttpResponse recent_records(const aws::HttpRequest& request);
  aws::HttpResponse subscriptions(const aws::HttpRequest& request);

  kinesis::KinesisService& kinesis_;
  const Clock& clock_;
  ConsoleOptions options_;
  std::mutex mutex_;
  bool stopping_ = false;
  std::vector<std::shared_ptr<LiveTail>> tails_;
};

}  // namespace trib::console
