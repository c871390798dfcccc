#include "server/logging.h"

#include <gtest/gtest.h>

namespace trib::server {
namespace {

TEST(JsonLogLine, EscapesTheMessageAndAppendsFields) {
  EXPECT_EQ(json_log_line("2026-01-01T00:00:00.000Z", "info", "say \"hi\"\n", ""),
            "{\"time\":\"2026-01-01T00:00:00.000Z\",\"level\":\"info\",\"message\":\"say "
            "\\\"hi\\\"\\n\"}\n");
  EXPECT_EQ(json_log_line("t", "debug", "request", "\"status\":200"),
            "{\"time\":\"t\",\"level\":\"debug\",\"message\":\"request\",\"status\":200}\n");
}

}  // namespace
}  // namespace trib::server
