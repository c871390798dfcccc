// DescribeAccountSettings: the caller's account and region settings: the minimum throughput
// billing commitment (DISABLED until UpdateAccountSettings enables it). Nothing is billed.
#include "kinesis/operations.h"
#include "kinesis/output.h"

namespace trib::kinesis::ops {

Output describe_account_settings(KinesisContext& ctx, const aws::RequestContext& request,
                                 const Input& /*input*/) {
  const AccountSettings settings =
      ctx.catalog.account_settings(request.account, request.region).effective_at(request.now_ms);
  aws::Value out = aws::Value::map();
  out.set("MinimumThroughputBillingCommitment", billing_commitment(settings));
  return out;
}

}  // namespace trib::kinesis::ops
