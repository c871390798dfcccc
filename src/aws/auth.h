// SigV4 request authentication, shape checks (the signature itself is verified by
// aws/sigv4.h when the server has --auth). Also derives the caller's account and region:
//   account = the access key id when it is 12 digits, else the server's default account;
//   region  = the credential scope's region, else the server's default region.
#pragma once

#include <string>

#include "aws/error.h"
#include "aws/http.h"

namespace trib::aws {

struct Caller {
  std::string account;
  std::string region;
  std::string access_key_id;
};

AwsResult<Caller> authenticate(const HttpRequest& request, const std::string& default_account,
                               const std::string& default_region);

// Decodes %XX escapes and '+' in a query-string component.
std::string url_decode(std::string_view text);

}  // namespace trib::aws
