// Test-only administration endpoints, served only when the server runs with --test-clock:
//   GET  /_tributary/clock                      -> {"now_ms": N, "offset_ms": N}
//   POST /_tributary/clock  {"advance_ms": N}   -> moves the one clock forward by N ms
// Without the flag these paths mean nothing special: like any path, AWS ignores them.
#pragma once

#include <optional>

#include "aws/http.h"
#include "util/clock.h"

namespace trib::server {

// The admin response for `request`, or nullopt when the request is not an admin request.
std::optional<aws::HttpResponse> handle_admin(const aws::HttpRequest& request, Clock& clock);

}  // namespace trib::server
