// Identifiers the front ends put in response headers: request ids (x-amzn-RequestId) and
// random header values (Kinesis's x-amz-id-2). They only need to be unique, not secret.
#pragma once

#include <cstddef>
#include <string>

namespace trib::aws {

// n random bytes from a per-thread generator seeded once from the system's secure source
// (keeps OpenSSL off the per-request path).
std::string random_bytes(size_t n);

// A request id in the shape of a version-4 UUID string (Kinesis's).
std::string new_request_id();

// DynamoDB's request id shape: 52 characters of [A-Z0-9] (facts/dynamodb.md §1, e.g.
// 2QNMCR7HRCVUVNK4VOJGGFQOIVVV4KQNSO5AEMVJF66Q9ASUAAJG).
std::string new_alphanumeric_request_id();

}  // namespace trib::aws
