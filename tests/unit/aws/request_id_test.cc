// Request ids: the shapes the front ends put in x-amzn-RequestId, unique and using their whole
// alphabet at every position.
#include "aws/request_id.h"

#include <gtest/gtest.h>

#include <array>
#include <regex>
#include <set>
#include <string>

namespace trib::aws {
namespace {

TEST(RequestId, KinesisIdsAreVersion4Uuids) {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  std::array<std::set<char>, 36> at{};
  for (int i = 0; i < 2000; ++i) {
    const std::string id = new_request_id();
    ASSERT_TRUE(std::regex_match(id, uuid)) << id;
    seen.insert(id);
    for (size_t j = 0; j < id.size(); ++j) at[j].insert(id[j]);
  }
  EXPECT_EQ(seen.size(), 2000u);
  // Every hex digit at every position but the dashes, the version (4) and the variant (8-b).
  for (size_t j = 0; j < at.size(); ++j) {
    size_t expected = 16;
    if (j == 8 || j == 13 || j == 18 || j == 23 || j == 14) expected = 1;
    if (j == 19) expected = 4;
    EXPECT_EQ(at[j].size(), expected) << "position " << j;
  }
}

TEST(RequestId, DynamoDbIdsAre52UppercaseLettersAndDigits) {
  std::set<std::string> seen;
  std::array<std::set<char>, 52> at{};
  for (int i = 0; i < 2000; ++i) {
    const std::string id = new_alphanumeric_request_id();
    ASSERT_EQ(id.size(), 52u);
    for (size_t j = 0; j < id.size(); ++j) {
      ASSERT_TRUE((id[j] >= 'A' && id[j] <= 'Z') || (id[j] >= '0' && id[j] <= '9')) << id;
      at[j].insert(id[j]);
    }
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 2000u);
  // Each of the 36 characters at every position (a position missing one in 2,000 ids has
  // odds of about e^-56).
  for (size_t j = 0; j < at.size(); ++j) EXPECT_EQ(at[j].size(), 36u) << "position " << j;
}

}  // namespace
}  // namespace trib::aws
