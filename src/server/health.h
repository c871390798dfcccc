// GET /_tributary/health: whether the process serves, for CI scripts, compose files and
// container health checks. 200 while serving; 503 while starting (an --init file is being
// applied) or stopping. The body is JSON:
//   {"status":"serving","version":"0.1.0","uptime_seconds":12.5,
//    "storage":{"engine":"rocksdb","data_dir":"./tributary-data"},
//    "services":{"kinesis":"serving","dynamodb":"serving"},
//    "account":"000000000000","region":"us-east-1"}
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "aws/http.h"

namespace trib::server {

enum class ServingState { kStarting, kServing, kStopping };
const char* serving_state_name(ServingState state);

struct HealthFacts {
  std::string version;
  std::string storage_engine;
  std::string data_dir;  // empty when in memory
  std::string account;   // the defaults for requests without a 12-digit key id / scope
  std::string region;
  std::vector<std::string> services;  // metrics-style names ("kinesis", "dynamodb")
};

class Health {
 public:
  explicit Health(HealthFacts facts);
  void set_state(ServingState state) { state_.store(state); }
  ServingState state() const { return state_.load(); }
  aws::HttpResponse respond() const;

 private:
  HealthFacts facts_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::atomic<ServingState> state_{ServingState::kStarting};
};

}  // namespace trib::server
