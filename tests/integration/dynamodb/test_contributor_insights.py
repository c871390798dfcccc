"""Contributor insights: Update/Describe/ListContributorInsights for tables and their global
secondary indexes, stored and reported with AWS's statuses (ENABLING -> ENABLED, DISABLING ->
DISABLED, driven by the test clock) and texts.

AWS's behaviour: facts/dynamodb.md §18 and the ack-api-quirks catalogue (DDB-TABLE-089..097,
112, 116, 137, 341, 343; recorded 2026-10-08/09). Every test here needs a server of its own.
"""

from __future__ import annotations

import botocore.exceptions
import pytest

from support import advance_test_clock, error_code, error_message, shared_server_fixture, \
    unique_name

from .dynamodb_support import dynamodb_client, indexed_table_arguments

INSIGHTS_MS = 60_000

insights_server = shared_server_fixture(
    "A --test-clock server whose contributor insights stay ENABLING/DISABLING for a minute.",
    ["--test-clock", "--create-table-ms", "0", "--delete-table-ms", "0",
     "--contributor-insights-ms", str(INSIGHTS_MS)],
    in_memory=True,
)


def refused(call) -> tuple[str, str]:
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call()
    return error_code(caught.value), error_message(caught.value)


def strip(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "ResponseMetadata"}


def table_with_indexes(client, name: str):
    client.create_table(**indexed_table_arguments(name))


def test_enable_disable_cycle(insights_server):
    client = dynamodb_client(insights_server)
    name = unique_name("ci")
    table_with_indexes(client, name)
    assert strip(client.describe_contributor_insights(TableName=name)) == {
        "TableName": name, "ContributorInsightsStatus": "DISABLED"}
    assert client.list_contributor_insights(TableName=name)["ContributorInsightsSummaries"] == []
    # DISABLE on a never-configured table: a no-op answering DISABLED.
    assert strip(client.update_contributor_insights(
        TableName=name, ContributorInsightsAction="DISABLE")) == {
        "TableName": name, "ContributorInsightsStatus": "DISABLED"}

    assert strip(client.update_contributor_insights(
        TableName=name, ContributorInsightsAction="ENABLE")) == {
        "TableName": name, "ContributorInsightsStatus": "ENABLING",
        "ContributorInsightsMode": "ACCESSED_AND_THROTTLED_KEYS"}
    described = client.describe_contributor_insights(TableName=name)
    assert described["ContributorInsightsStatus"] == "ENABLING"
    assert "ContributorInsightsRuleList" not in described
    advance_test_clock(insights_server, INSIGHTS_MS)
    described = client.describe_contributor_insights(TableName=name)
    assert described["ContributorInsightsStatus"] == "ENABLED"
    assert described["ContributorInsightsMode"] == "ACCESSED_AND_THROTTLED_KEYS"
    assert "LastUpdateDateTime" in described
    rules = described["ContributorInsightsRuleList"]
    assert len(rules) == 4 and all(r.startswith("DynamoDBContributorInsights-") for r in rules)
    assert {r.split("-")[1] for r in rules} == {"PKC", "PKT", "SKC", "SKT"}
    assert all(f"-{name}-" in r for r in rules)
    # ENABLE again with the same mode: a no-op answering ENABLED (DDB-TABLE-091/341).
    assert client.update_contributor_insights(
        TableName=name, ContributorInsightsAction="ENABLE")["ContributorInsightsStatus"] == "ENABLED"
    # A mode change goes through ENABLING again.
    changed = client.update_contributor_insights(
        TableName=name, ContributorInsightsAction="ENABLE",
        ContributorInsightsMode="THROTTLED_KEYS")
    assert changed["ContributorInsightsStatus"] == "ENABLING"
    assert changed["ContributorInsightsMode"] == "THROTTLED_KEYS"
    advance_test_clock(insights_server, INSIGHTS_MS)
    rules = client.describe_contributor_insights(TableName=name)["ContributorInsightsRuleList"]
    assert {r.split("-")[1] for r in rules} == {"PKT", "SKT"}

    summaries = client.list_contributor_insights(TableName=name)["ContributorInsightsSummaries"]
    assert summaries == [{"TableName": name, "ContributorInsightsStatus": "ENABLED",
                          "ContributorInsightsMode": "THROTTLED_KEYS"}]

    disabled = client.update_contributor_insights(
        TableName=name, ContributorInsightsAction="DISABLE")
    assert disabled["ContributorInsightsStatus"] == "DISABLING"
    # DISABLING is listed; DISABLED is not (DDB-TABLE-343).
    assert [s["ContributorInsightsStatus"] for s in client.list_contributor_insights(
        TableName=name)["ContributorInsightsSummaries"]] == ["DISABLING"]
    advance_test_clock(insights_server, INSIGHTS_MS)
    described = strip(client.describe_contributor_insights(TableName=name))
    assert described["ContributorInsightsStatus"] == "DISABLED"
    assert "ContributorInsightsRuleList" not in described
    assert "LastUpdateDateTime" in described and "ContributorInsightsMode" in described
    assert client.list_contributor_insights(TableName=name)["ContributorInsightsSummaries"] == []


def test_indexes_and_missing_things(insights_server):
    client = dynamodb_client(insights_server)
    name = unique_name("cix")
    table_with_indexes(client, name)
    answer = client.update_contributor_insights(
        TableName=name, IndexName="gsi1", ContributorInsightsAction="ENABLE")
    assert strip(answer) == {"TableName": name, "IndexName": "gsi1",
                             "ContributorInsightsStatus": "ENABLING",
                             "ContributorInsightsMode": "ACCESSED_AND_THROTTLED_KEYS"}
    # The table's own entry is independent of its index's.
    assert client.describe_contributor_insights(
        TableName=name)["ContributorInsightsStatus"] == "DISABLED"
    client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE")
    advance_test_clock(insights_server, INSIGHTS_MS)
    described = client.describe_contributor_insights(TableName=name, IndexName="gsi1")
    assert described["IndexName"] == "gsi1"
    assert [r.split("-")[1] for r in described["ContributorInsightsRuleList"]] == ["PKC", "PKT"]
    assert all(f"-{name}-gsi1-" in r and r.rsplit("-", 1)[1].isdigit()
               for r in described["ContributorInsightsRuleList"])

    # Pages of one: the table first, then its index; no trailing NextToken.
    first = client.list_contributor_insights(TableName=name, MaxResults=1)
    assert [s.get("IndexName") for s in first["ContributorInsightsSummaries"]] == [None]
    second = client.list_contributor_insights(TableName=name, MaxResults=1,
                                              NextToken=first["NextToken"])
    assert [s.get("IndexName") for s in second["ContributorInsightsSummaries"]] == ["gsi1"]
    assert "NextToken" not in second
    # The account-wide list includes both.
    everything = []
    token = None
    while True:
        page = client.list_contributor_insights(**({"NextToken": token} if token else {}))
        everything += page["ContributorInsightsSummaries"]
        token = page.get("NextToken")
        if not token:
            break
    assert [(s["TableName"], s.get("IndexName")) for s in everything
            if s["TableName"] == name] == [(name, None), (name, "gsi1")]

    for index in ("lsi1", "ghost"):
        expected = ("ResourceNotFoundException",
                    f"Requested resource not found: Index: {index} not found for table: {name}")
        assert refused(lambda: client.describe_contributor_insights(
            TableName=name, IndexName=index)) == expected
        assert refused(lambda: client.update_contributor_insights(
            TableName=name, IndexName=index, ContributorInsightsAction="ENABLE")) == expected
    missing = unique_name("cim")
    expected = ("ResourceNotFoundException",
                f"Requested resource not found: Table: {missing} not found")
    assert refused(lambda: client.describe_contributor_insights(TableName=missing)) == expected
    assert refused(lambda: client.update_contributor_insights(
        TableName=missing, ContributorInsightsAction="ENABLE")) == expected
    assert refused(lambda: client.list_contributor_insights(TableName=missing)) == expected
    code, _ = refused(lambda: client.list_contributor_insights(NextToken="not-a-token"))
    assert code == "ValidationException"


def test_a_deleted_index_leaves_no_entry(insights_server):
    client = dynamodb_client(insights_server)
    name = unique_name("cid")
    table_with_indexes(client, name)
    client.update_contributor_insights(TableName=name, IndexName="gsi1",
                                       ContributorInsightsAction="ENABLE")
    client.update_table(TableName=name, GlobalSecondaryIndexUpdates=[
        {"Delete": {"IndexName": "gsi1"}}])
    advance_test_clock(insights_server, 3_600_000)
    assert client.list_contributor_insights(TableName=name)["ContributorInsightsSummaries"] == []
    code, message = refused(lambda: client.describe_contributor_insights(
        TableName=name, IndexName="gsi1"))
    assert code == "ResourceNotFoundException" and "Index: gsi1 not found" in message
