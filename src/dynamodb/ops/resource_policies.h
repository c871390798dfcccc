// What Put/Get/DeleteResourcePolicy share: the table a ResourceArn names, and AWS's
// PolicyNotFoundException texts. Policies are kept in the table document with a RevisionId
// (epoch ms of the change, as AWS's are: ack-api-quirks DDB-TABLE-207) and never enforced
// (Tributary does not authorize requests).
#pragma once

#include <string>

#include "dynamodb/context.h"

namespace trib::dynamodb::ops {

// The live table a policy operation's ResourceArn names. Texts [V, ack-api-quirks
// DDB-TABLE-212/236, recorded 2026-10-09], all ValidationException unless noted: a bare name
// "One or more parameter values were invalid: ARNs must start with 'arn:': <arn>"; another
// service or a backup ARN "...: Provided Arn is not a DynamoDB resource arn: <arn>"; another
// account "This action is only supported by accounts that match the resource owner’s
// account."; another region or partition "...: Invalid resource Arn: <arn>"; an index ARN
// "...: Invalid resource arn provided, only table or stream is accepted. Provided resource arn:
// <arn>"; a missing (or CREATING) table ResourceNotFoundException "Requested resource not
// found: Table: <t> not found"; a stream ARN ResourceNotFoundException "Requested resource not
// found: Stream: <label> not found for Table: <t>" (stream policies are not served yet).
aws::AwsResult<TableCatalog::TablePtr> policy_table(const DynamoDbContext& ctx,
                                                    const aws::RequestContext& request,
                                                    const std::string& arn);

// PolicyNotFoundException "Resource-based policy not found for the provided ResourceArn: " +
// detail.
aws::AwsError policy_not_found(const std::string& detail);
// ExpectedRevisionId not matching: "...Requested update for policy with revision id <x>, but
// the policy associated to target table <t> has revision id <y>." [V, moto's AWS-verified
// tests], or when the table has no policy "...but table <t> has no associated policy." (the
// recorded text is cut after "no associated"; its end is a guess).
aws::AwsError revision_mismatch(const Table& table, const std::string& expected);

// A change to the policy of a DELETING table: ResourceInUseException "Attempt to change a
// resource which is still in use: Table is being deleted: <t>" [V, DDB-TABLE-236].
aws::AwsError policy_table_deleting(const Table& table);

// The RevisionId of a change at `now_ms`: its epoch ms, above every earlier revision of the
// table so that ids stay strictly increasing.
std::string next_policy_revision(const Table& table, int64_t now_ms);

}  // namespace trib::dynamodb::ops
