#include "dynamodb/tables/kinesis_destination.h"

namespace trib::dynamodb {

aws::Value encode_kinesis_destinations(const std::vector<KinesisDestination>& destinations) {
  aws::Value list = aws::Value::list();
  for (const KinesisDestination& d : destinations) {
    aws::Value v = aws::Value::map();
    v.set("stream_arn", d.stream_arn);
    v.set("status", d.status);
    if (!d.pending.empty()) {
      v.set("pending", d.pending);
      v.set("until_ms", d.until_ms);
    }
    if (d.precision) v.set("precision", *d.precision);
    if (d.description) v.set("description", *d.description);
    list.push(std::move(v));
  }
  return list;
}

std::optional<std::vector<KinesisDestination>> decode_kinesis_destinations(const aws::Value& list) {
  if (!list.is_list()) return std::nullopt;
  std::vector<KinesisDestination> out;
  for (const aws::Value& v : list.as_list()) {
    const std::string* arn = v.string_member("stream_arn");
    const std::string* status = v.string_member("status");
    if (!arn || !status) return std::nullopt;
    KinesisDestination d;
    d.stream_arn = *arn;
    d.status = *status;
    if (const std::string* pending = v.string_member("pending")) {
      d.pending = *pending;
      d.until_ms = v.int_member("until_ms").value_or(0);
    }
    if (const std::string* precision = v.string_member("precision")) d.precision = *precision;
    if (const std::string* text = v.string_member("description")) d.description = *text;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace trib::dynamodb
