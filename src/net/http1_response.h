// The status line and header block of an HTTP/1.1 response, written by hand: Beast's message
// and serializer built a header set (an allocated element per field, kept in a tree) for every
// response only to write it out once (about 3,500 instructions of a GetItem's 67,000).
#pragma once

#include <string>

#include "aws/http.h"

namespace trib::net::detail {

// What Beast's serializer wrote for `response` as an HTTP/1.1 message with keep_alive(keep_alive)
// and prepare_payload(): "HTTP/1.1 <status> <reason>", the response's headers in order (a name
// given twice, in any case, keeps its later value at the later place), "Connection: close"
// unless kept alive, and "Content-Length" of the body (0 for 1xx, 204 and 304, whose body is
// not sent; Beast threw on a body there). Connection, Content-Length and Transfer-Encoding
// headers of the response are the transport's own and are dropped.
std::string http1_response_head(const aws::HttpResponse& response, bool keep_alive);

// Whether a response of this status carries no body (1xx, 204, 304).
bool http1_status_has_no_body(int status);

}  // namespace trib::net::detail
