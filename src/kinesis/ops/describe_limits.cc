// DescribeLimits: the caller's account and region: ShardLimit (--shard-limit), open shards of
// live streams, ON_DEMAND streams and their limit (--on-demand-stream-limit).
#include "kinesis/operations.h"

namespace trib::kinesis::ops {

Output describe_limits(KinesisContext& ctx, const aws::RequestContext& request,
                       const Input& /*input*/) {
  aws::Value out = aws::Value::map();
  out.set("ShardLimit", ctx.options.shard_limit);
  out.set("OpenShardCount",
          ctx.catalog.open_shard_count(request.account, request.region, request.now_ms));
  out.set("OnDemandStreamCount",
          ctx.catalog.on_demand_stream_count(request.account, request.region, request.now_ms));
  out.set("OnDemandStreamCountLimit", ctx.options.on_demand_stream_limit);
  return out;
}

}  // namespace trib::kinesis::ops
