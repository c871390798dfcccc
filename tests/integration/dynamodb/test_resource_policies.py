"""Resource-based policies on tables: Put/Get/DeleteResourcePolicy with RevisionIds,
ExpectedRevisionId (NO_POLICY too), and AWS's ResourceArn checks and texts.

AWS's behaviour: the ack-api-quirks catalogue (DDB-TABLE-205/207/209/212/236, recorded
2026-10-09) and moto's AWS-verified tests (tests/test_dynamodb/test_dynamodb_resource_policy.py).
Policies are stored, never enforced.
"""

from __future__ import annotations

import json

import botocore.exceptions
import pytest

import support
from support import error_code, error_message, unique_name

from .dynamodb_support import dynamodb_client, hash_table_arguments, table_arn


def policy(action: str = "dynamodb:GetItem") -> str:
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow",
                       "Principal": {"AWS": f"arn:aws:iam::{support.DEFAULT_ACCOUNT}:root"},
                       "Action": [action], "Resource": "*"}],
    }, indent=2)


def refused(call) -> tuple[str, str]:
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call()
    return error_code(caught.value), error_message(caught.value)


def not_found(arn: str, detail: str | None = None) -> tuple[str, str]:
    return ("PolicyNotFoundException",
            "Resource-based policy not found for the provided ResourceArn: " + (detail or arn))


def test_put_get_delete_with_revisions(server, make_table):
    support.skip_under_url("Tributary's revision ids are checked exactly")
    client = dynamodb_client(server)
    name = unique_name("pol")
    make_table(name)
    arn = table_arn(name)
    assert refused(lambda: client.get_resource_policy(ResourceArn=arn)) == not_found(arn)
    # Delete with no policy: idempotent, an empty answer.
    answer = client.delete_resource_policy(ResourceArn=arn)
    assert "RevisionId" not in answer

    first = client.put_resource_policy(ResourceArn=arn, Policy=policy())["RevisionId"]
    assert first.isdigit() and len(first) == 13  # epoch milliseconds, as AWS's
    got = client.get_resource_policy(ResourceArn=arn)
    assert got["RevisionId"] == first and json.loads(got["Policy"]) == json.loads(policy())
    # An equivalent document (whitespace only) keeps the revision.
    same = client.put_resource_policy(ResourceArn=arn, Policy=json.dumps(json.loads(policy())))
    assert same["RevisionId"] == first

    second = client.put_resource_policy(ResourceArn=arn, Policy=policy("dynamodb:PutItem"),
                                        ExpectedRevisionId=first)["RevisionId"]
    assert second != first and int(second) > int(first)
    assert refused(lambda: client.put_resource_policy(
        ResourceArn=arn, Policy=policy("dynamodb:Query"), ExpectedRevisionId=first)) == \
        not_found(arn, f"Requested update for policy with revision id {first}, but the policy "
                       f"associated to target table {name} has revision id {second}.")
    assert refused(lambda: client.put_resource_policy(
        ResourceArn=arn, Policy=policy("dynamodb:Query"), ExpectedRevisionId="NO_POLICY")) == \
        not_found(arn, f"Requested policy update expecting none to be present for table {name}, "
                       f"but a policy exists with revision id {second}.")
    assert refused(lambda: client.delete_resource_policy(
        ResourceArn=arn, ExpectedRevisionId="unknown")) == \
        not_found(arn, f"Requested update for policy with revision id unknown, but the policy "
                       f"associated to target table {name} has revision id {second}.")

    deleted = client.delete_resource_policy(ResourceArn=arn, ExpectedRevisionId=second)
    assert deleted["RevisionId"] == second  # the removed policy's
    assert refused(lambda: client.get_resource_policy(ResourceArn=arn)) == not_found(arn)
    # Later idempotent deletes answer the deletion's own revision (DDB-TABLE-205).
    tombstone = client.delete_resource_policy(ResourceArn=arn)["RevisionId"]
    assert int(tombstone) > int(second)
    assert refused(lambda: client.delete_resource_policy(
        ResourceArn=arn, ExpectedRevisionId=second))[0] == "PolicyNotFoundException"

    third = client.put_resource_policy(ResourceArn=arn, Policy=policy(),
                                       ExpectedRevisionId="NO_POLICY")["RevisionId"]
    assert int(third) > int(tombstone)
    assert client.get_resource_policy(ResourceArn=arn)["RevisionId"] == third


def test_create_table_policy_is_readable(server, make_table):
    client = dynamodb_client(server)
    name = unique_name("polc")
    make_table(name, ResourcePolicy=policy())
    got = client.get_resource_policy(ResourceArn=table_arn(name))
    assert json.loads(got["Policy"]) == json.loads(policy()) and got["RevisionId"].isdigit()


def test_resource_arn_checks(server, make_table):
    support.skip_under_url("another account's ARN is refused differently under real accounts")
    client = dynamodb_client(server)
    name = unique_name("pola")
    make_table(name)
    arn = table_arn(name)
    invalid = "One or more parameter values were invalid: "
    cases = {
        name: invalid + f"ARNs must start with 'arn:': {name}",
        arn.replace(support.DEFAULT_REGION, "eu-west-3"):
            invalid + "Invalid resource Arn: " + arn.replace(support.DEFAULT_REGION, "eu-west-3"),
        arn.replace("arn:aws:", "arn:aws-cn:"):
            invalid + "Invalid resource Arn: " + arn.replace("arn:aws:", "arn:aws-cn:"),
        arn + "/index/gsi": invalid + "Invalid resource arn provided, only table or stream is "
                                      f"accepted. Provided resource arn: {arn}/index/gsi",
        arn + "/backup/0170": invalid + f"Provided Arn is not a DynamoDB resource arn: "
                                        f"{arn}/backup/0170",
        arn.replace(support.DEFAULT_ACCOUNT, "123456789012"):
            "This action is only supported by accounts that match the resource owner\u2019s "
            "account.",
    }
    for bad, message in cases.items():
        assert refused(lambda: client.get_resource_policy(ResourceArn=bad)) == (
            "ValidationException", message), bad
        assert refused(lambda: client.put_resource_policy(ResourceArn=bad, Policy=policy())) == (
            "ValidationException", message), bad
    missing = table_arn(name + "x")
    expected = ("ResourceNotFoundException",
                f"Requested resource not found: Table: {name}x not found")
    assert refused(lambda: client.get_resource_policy(ResourceArn=missing)) == expected
    assert refused(lambda: client.put_resource_policy(ResourceArn=missing,
                                                      Policy=policy())) == expected
    assert refused(lambda: client.delete_resource_policy(ResourceArn=missing)) == expected
    # Not a JSON object.
    code, message = refused(lambda: client.put_resource_policy(ResourceArn=arn, Policy="[1]"))
    assert code == "ValidationException" and message.startswith(
        invalid + "Invalid policy document")
    code, _ = refused(lambda: client.put_resource_policy(ResourceArn=arn,
                                                         Policy="{" + " " * 20480 + "}"))
    assert code == "ValidationException"
