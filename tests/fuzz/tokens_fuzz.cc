// libFuzzer target for the opaque tokens clients hand back: Kinesis shard iterators
// (src/kinesis/shard_iterator.cc), Kinesis ListStreams/ListShards NextTokens
// (src/kinesis/pagination.cc) and DynamoDB Streams shard iterators, stream ARNs and sequence
// numbers (src/dynamodb_streams/stream.cc). See README.md here for how to build and run it.
//
// Tokens are sealed (util/sealed_token.h: AES-256-CBC + HMAC-SHA256), so arbitrary bytes never
// get past TokenSealer::open; to reach the decoders behind it the target also seals
// fuzzer-chosen plaintexts with its own key. The first byte picks the mode:
//   0: the rest is a token as a client sends it: every decoder refuses it or accepts it
//      cleanly (a NextToken fails with InvalidArgumentException "Invalid NextToken." or
//      ExpiredNextTokenException), and the DynamoDB Streams ARN and sequence-number parsers
//      take it too (an ARN prints back to one naming the same stream, a sequence number to the same
//      text).
//   1: the rest is a plaintext, sealed and then decoded as a Kinesis iterator and NextToken.
//   2: the rest is "<arn>\x02<plaintext>": the token "<arn>|1|seal(plaintext)" is decoded as a
//      DynamoDB Streams iterator.
//   3: the rest is a plaintext, sealed and then opened as a DynamoDB ExecuteStatement NextToken
//      (src/dynamodb/ops/partiql_next_token.cc); mode 0 opens the token as sent too. It opens
//      or fails with a ValidationException with one of its three texts.
// Whatever decodes is encoded again and must decode to exactly the same fields.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "aws/service.h"
#include "dynamodb/ops/partiql_next_token.h"
#include "dynamodb/values/item_codec.h"
#include "dynamodb_streams/stream.h"
#include "kinesis/pagination.h"
#include "kinesis/shard_iterator.h"
#include "util/sealed_token.h"

namespace {

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

const trib::TokenSealer& sealer() {
  static const trib::TokenSealer instance(std::string(trib::TokenSealer::kKeyBytes, '\x2a'));
  return instance;
}

trib::aws::RequestContext request() {
  trib::aws::RequestContext context;
  context.account = "123456789012";
  context.region = "us-east-1";
  context.now_ms = 1'790'000'000'000;
  return context;
}

void kinesis_iterator(std::string_view token) {
  namespace k = trib::kinesis;
  const auto state = k::decode_shard_iterator(sealer(), token);
  if (!state) return;
  const auto again = k::decode_shard_iterator(sealer(), k::encode_shard_iterator(sealer(), *state));
  if (!again || again->stream != state->stream || again->stream_id != state->stream_id ||
      again->shard_index != state->shard_index || again->position != state->position ||
      again->created_ms != state->created_ms) {
    broken("Kinesis shard iterator round trip is not exact");
  }
  (void)k::java_date(state->created_ms);
}

void kinesis_next_token(std::string_view token) {
  namespace k = trib::kinesis;
  const auto context = request();
  for (const std::string_view kind : {"ListShards", "ListStreams"}) {
    auto fields = k::open_next_token(sealer(), context, kind, token);
    if (!fields) {
      const auto& error = fields.error();
      if (!(error.type == "InvalidArgumentException" && error.message == "Invalid NextToken.") &&
          !(error.type == "ExpiredNextTokenException" &&
            error.message == "The NextToken has expired.")) {
        broken("NextToken refused with an unexpected error");
      }
      continue;
    }
    auto again = k::open_next_token(sealer(), context, kind,
                                    k::make_next_token(sealer(), context, kind, *fields));
    if (!again || *again != *fields) broken("Kinesis NextToken round trip is not exact");
  }
}

void streams_iterator(std::string_view token) {
  namespace s = trib::dynamodb_streams;
  const auto iterator = s::decode_shard_iterator(sealer(), token);
  if (!iterator) return;
  s::StreamInfo info;
  info.key = iterator->stream;
  info.table_id = iterator->table_id;
  const std::string encoded = s::encode_shard_iterator(sealer(), info, *iterator);
  if (!encoded.starts_with(info.arn() + "|1|"))
    broken("Streams iterator does not start with its ARN");
  const auto again = s::decode_shard_iterator(sealer(), encoded);
  if (!again || again->stream != iterator->stream || again->table_id != iterator->table_id ||
      again->shard != iterator->shard || again->n != iterator->n ||
      again->created_ms != iterator->created_ms) {
    broken("Streams shard iterator round trip is not exact");
  }
}

void partiql_next_token(std::string_view token) {
  namespace o = trib::dynamodb::ops;
  const auto context = request();
  const std::string digest = "1234567";
  auto position = o::open_partiql_next_token(sealer(), context, digest, token);
  if (!position) {
    const auto& error = position.error();
    if (error.type != "ValidationException" ||
        (error.message != o::kInvalidNextToken && error.message != o::kForeignNextToken &&
         error.message != o::kNextTokenMismatch)) {
      broken("ExecuteStatement NextToken refused with an unexpected error");
    }
    return;
  }
  auto again = o::open_partiql_next_token(
      sealer(), context, digest, o::make_partiql_next_token(sealer(), context, digest, *position));
  if (!again || again->partition != position->partition || again->last_key != position->last_key) {
    broken("ExecuteStatement NextToken round trip is not exact");
  }
}

void streams_texts(std::string_view text) {
  namespace s = trib::dynamodb_streams;
  if (auto key = s::parse_stream_arn(text)) {
    s::StreamInfo info;
    info.key = *key;
    // The partition is not kept (any is read, "aws" is written): compare what it names.
    const auto again = s::parse_stream_arn(info.arn());
    if (!again || *again != *key) broken("stream ARN printed does not name the same stream");
  }
  if (auto number = s::parse_sequence_number(text)) {
    if (s::format_sequence_number(number->shard, number->n) != text) {
      broken("sequence number does not print back to its text");
    }
  }
  (void)s::is_sequence_number_shape(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view payload(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      kinesis_iterator(payload);
      kinesis_next_token(payload);
      streams_iterator(payload);
      streams_texts(payload);
      partiql_next_token(payload);
      break;
    case 1: {
      const std::string token = sealer().seal(payload);
      kinesis_iterator(token);
      kinesis_iterator("\"" + token + "\"");
      kinesis_next_token(token);
      break;
    }
    case 3:
      partiql_next_token(sealer().seal(payload));
      break;
    default: {
      const size_t split = payload.find('\x02');
      const std::string_view arn = payload.substr(0, split);
      const std::string_view plain =
          split == std::string_view::npos ? std::string_view() : payload.substr(split + 1);
      streams_texts(arn);
      streams_iterator(std::string(arn) + "|1|" + sealer().seal(plain));
      break;
    }
  }
  return 0;
}
