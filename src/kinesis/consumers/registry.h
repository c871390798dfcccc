// Enhanced fan-out consumers (RegisterStreamConsumer and friends): who is registered with which
// stream incarnation, in which state, with which tags and resource policy.
//
// Consumers belong to a stream *incarnation* (Stream::id), never to a name: a stream deleted
// and created again under the same name starts with no consumers, and an old consumer ARN never
// names a consumer of the new stream (its creation second differs, and the incarnation does).
//
// Like the stream catalog: readers get immutable snapshots (shared_ptr<const Consumer>) under a
// short shared lock; mutations are serialized by one control mutex, persisted in one atomic
// storage batch, then published. States are computed from stored times and the one clock
// (CREATING until active_at_ms, DELETING from deleting_since_ms until gone_at_ms), so they come
// out the same after a restart. Keys: docs/storage-encoding.md ("Enhanced fan-out consumers").
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "aws/error.h"
#include "kinesis/stream.h"
#include "storage/engine.h"
#include "util/result.h"

namespace trib::kinesis {

enum class ConsumerStatus : uint8_t { kCreating, kActive, kDeleting };
const char* consumer_status_name(ConsumerStatus status);

struct Consumer {
  uint64_t stream_id = 0;  // the stream incarnation it is registered with
  StreamKey stream;        // that stream's account, region and name (for ARNs and texts)
  std::string name;
  int64_t created_ms = 0;    // ConsumerCreationTimestamp; its second is in the ARN
  int64_t active_at_ms = 0;  // CREATING until then
  std::optional<int64_t> deleting_since_ms;
  int64_t gone_at_ms = std::numeric_limits<int64_t>::max();
  std::vector<std::pair<std::string, std::string>> tags;
  std::optional<std::string> resource_policy;  // PutResourcePolicy on the consumer ARN

  ConsumerStatus status(int64_t now_ms) const;
  bool is_gone(int64_t now_ms) const { return now_ms >= gone_at_ms; }
  int64_t created_seconds() const { return created_ms / 1000; }
  // arn:aws:kinesis:<region>:<account>:stream/<stream>/consumer/<name>:<creation epoch seconds>
  std::string arn() const;
};

// What a ConsumerARN names. nullopt unless it has the consumer form of a Kinesis ARN.
struct ConsumerArn {
  StreamKey stream;
  std::string consumer_name;
  int64_t created_seconds = 0;
};
std::optional<ConsumerArn> parse_consumer_arn(std::string_view arn);

class ConsumerRegistry {
 public:
  using ConsumerPtr = std::shared_ptr<const Consumer>;

  explicit ConsumerRegistry(storage::Engine& engine);
  // Loads every consumer from storage; call once before serving.
  storage::Status load();

  // The consumer of this stream incarnation with this name, unless its deregistration has
  // finished (nullptr then, or when there is none).
  ConsumerPtr find(uint64_t stream_id, std::string_view name, int64_t now_ms) const;
  // Consumers of one stream incarnation that are not gone, in registration order (creation
  // time, then name).
  std::vector<ConsumerPtr> list(uint64_t stream_id, int64_t now_ms) const;
  size_t count(uint64_t stream_id, int64_t now_ms) const { return list(stream_id, now_ms).size(); }

  // Registers `prototype` (a consumer of its stream_id). `admit` runs under the control mutex
  // with the stream's current consumers, to enforce the name and count rules atomically.
  using Admission = std::function<aws::AwsResult<Ok>(const std::vector<ConsumerPtr>& existing)>;
  aws::AwsResult<ConsumerPtr> register_consumer(Consumer prototype, int64_t now_ms,
                                                const Admission& admit);

  // Replaces a consumer that is not gone with a modified copy (persisted, then published).
  using Mutation = std::function<aws::AwsResult<Ok>(Consumer&)>;
  aws::AwsResult<ConsumerPtr> update(uint64_t stream_id, std::string_view name, int64_t now_ms,
                                     const Mutation& mutate);

  // Runs `action` while no consumer can be registered, changed or removed (DeleteStream checks
  // for consumers and marks its stream DELETING as one step). Inside, only the read methods
  // and deregister_all_locked may be used.
  aws::AwsResult<Ok> while_frozen(const std::function<aws::AwsResult<Ok>()>& action);
  // Marks every consumer of a stream incarnation DELETING until `gone_at_ms`. Only inside
  // while_frozen().
  storage::Status deregister_all_locked(uint64_t stream_id, int64_t now_ms, int64_t gone_at_ms);

  // Lifecycle: deletes consumers whose deregistration finished and consumers whose stream
  // incarnation is gone (`stream_is_live` is false for them). Returns how many were deleted.
  size_t purge(int64_t now_ms, const std::function<bool(const Consumer&)>& stream_is_live);

 private:
  storage::Status persist_locked(const std::vector<ConsumerPtr>& changed);
  void publish_locked(const std::vector<ConsumerPtr>& changed);

  storage::Engine& engine_;
  mutable std::shared_mutex map_mutex_;  // guards consumers_
  std::mutex control_mutex_;             // serializes mutations
  // stream incarnation -> consumer name -> consumer
  std::map<uint64_t, std::map<std::string, ConsumerPtr, std::less<>>> consumers_;
};

// Serialized form of a consumer (version byte + JSON) and its storage key, exposed for tests.
std::string encode_consumer(const Consumer& consumer);
std::optional<Consumer> decode_consumer(std::string_view bytes);
std::string consumer_storage_key(uint64_t stream_id, std::string_view name);

}  // namespace trib::kinesis
