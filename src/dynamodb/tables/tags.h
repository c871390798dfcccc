// A table's tags: AWS's rules for keys and values and the 50-tag limit, shared by
// TagResource, UntagResource and CreateTable's Tags. Lengths (key 1-128, value 0-256
// characters) are the model's constraints, checked by the pipeline before these.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "aws/error.h"
#include "aws/value.h"
#include "util/result.h"

namespace trib::dynamodb {

using TagList = std::vector<std::pair<std::string, std::string>>;

inline constexpr size_t kMaxTagsPerTable = 50;

// The Tags member ([{Key, Value}]) checked (characters, the reserved aws: prefix, duplicate
// keys) and read in order.
aws::AwsResult<TagList> read_tags(const aws::Value* tags);
// One key of UntagResource's TagKeys, checked as a tag key.
aws::AwsResult<Ok> check_tag_key(const std::string& key);
// `tags` added to `current` (a key already there takes the new value); ValidationException
// when the result would have more than 50 tags.
aws::AwsResult<Ok> merge_tags(TagList& current, const TagList& tags);

}  // namespace trib::dynamodb
