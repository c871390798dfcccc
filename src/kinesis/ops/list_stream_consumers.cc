// ListStreamConsumers: the consumers of the stream a StreamARN names, in registration order
// (DELETING ones included until they are gone). MaxResults (1-10000) defaults to 100 and, as
// AWS documents, at most 100 are returned per call; NextToken is a sealed token bound to the
// stream incarnation that expires after 300 s (ExpiredNextTokenException). As AWS documents,
// StreamCreationTimestamp picks the incarnation (a stream of that name created at another
// second is ResourceNotFoundException) and cannot be combined with NextToken.
// Differences from AWS: the order of consumers is ours (AWS does not document one), and so is
// the text for NextToken with StreamCreationTimestamp.
#include <algorithm>

#include "kinesis/consumers/errors.h"
#include "kinesis/consumers/ref.h"
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/pagination.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

namespace {
constexpr int64_t kMaxConsumersPerCall = 100;
constexpr std::string_view kTokenKind = "ListStreamConsumers";
}  // namespace

Output list_stream_consumers(KinesisContext& ctx, const aws::RequestContext& request,
                             const Input& input) {
  const std::string& arn = *input.string_member("StreamARN");
  const std::string* next_token = input.string_member("NextToken");
  const auto creation = input.timestamp_member("StreamCreationTimestamp");
  if (next_token && creation) {
    return aws::fail(consumer_errors::next_token_with_creation_timestamp());
  }
  auto key = parse_stream_arn(arn);
  if (!key) return aws::fail(errors::invalid_argument("StreamARN " + arn + " is invalid."));
  auto stream = ctx.catalog.find(*key, request.now_ms);
  // Seconds are compared: SDKs may send the timestamp without its milliseconds.
  if (!stream || (creation && *creation / 1000 != stream->created_ms / 1000)) {
    return aws::fail(errors::stream_not_found(key->name, key->account));
  }
  const int64_t limit =
      std::min(input.int_member("MaxResults").value_or(kMaxConsumersPerCall), kMaxConsumersPerCall);

  // The token names the stream incarnation and the last consumer listed (creation ms, name).
  std::optional<std::pair<int64_t, std::string>> after;
  if (next_token) {
    auto fields = open_next_token(ctx.sealer, request, kTokenKind, *next_token);
    if (!fields) return aws::fail(std::move(fields.error()));
    if (fields->size() != 3 || (*fields)[0] != std::to_string(stream->id)) {
      return aws::fail(errors::invalid_argument("Invalid NextToken."));
    }
    try {
      after.emplace(std::stoll((*fields)[1]), (*fields)[2]);
    } catch (const std::exception&) {
      return aws::fail(errors::invalid_argument("Invalid NextToken."));
    }
  }

  aws::Value consumers = aws::Value::list();
  int64_t listed = 0;
  bool more = false;
  const Consumer* last = nullptr;
  const auto all = ctx.consumers.list(stream->id, request.now_ms);
  for (const auto& consumer : all) {
    if (after && std::make_pair(consumer->created_ms, consumer->name) <= *after) continue;
    if (listed == limit) {
      more = true;
      break;
    }
    consumers.push(consumer_value(*consumer, request.now_ms, false));
    last = consumer.get();
    ++listed;
  }
  aws::Value out = aws::Value::map();
  out.set("Consumers", std::move(consumers));
  if (more && last) {
    out.set("NextToken", make_next_token(ctx.sealer, request, kTokenKind,
                                         {std::to_string(stream->id),
                                          std::to_string(last->created_ms), last->name}));
  }
  return out;
}

}  // namespace trib::kinesis::ops
