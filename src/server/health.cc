#include "server/health.h"

#include <cmath>

#include "aws/codec.h"
#include "aws/value.h"
#include "server/local_routes.h"

namespace trib::server {

const char* serving_state_name(ServingState state) {
  switch (state) {
    case ServingState::kStarting:
      return "starting";
    case ServingState::kServing:
      return "serving";
    case ServingState::kStopping:
      return "stopping";
  }
  return "unknown";
}

Health::Health(HealthFacts facts) : facts_(std::move(facts)) {}

aws::HttpResponse Health::respond() const {
  const ServingState state = state_.load();
  const char* state_name = serving_state_name(state);
  const double uptime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  aws::Value services = aws::Value::map();
  for (const auto& service : facts_.services) services.set(service, state_name);
  aws::Value storage = aws::Value::map();
  storage.set("engine", facts_.storage_engine);
  if (!facts_.data_dir.empty()) storage.set("data_dir", facts_.data_dir);
  aws::Value body = aws::Value::map();
  body.set("status", state_name);
  body.set("version", facts_.version);
  body.set("uptime_seconds", static_cast<int64_t>(uptime));
  body.set("storage", std::move(storage));
  body.set("services", std::move(services));
  body.set("account", facts_.account);
  body.set("region", facts_.region);
  return text_response(state == ServingState::kServing ? 200 : 503, "application/json",
                       aws::to_json(body) + "\n");
}

}  // namespace trib::server
