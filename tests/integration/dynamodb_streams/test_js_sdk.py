"""The AWS SDK for JavaScript v3 DynamoDB Streams client (@aws-sdk/client-dynamodb-streams)
reads a stream: tests/js/dynamodb_streams_scenario.mjs writes an item three times and reads the
INSERT, MODIFY and REMOVE records through ListStreams, DescribeStream, GetShardIterator and
GetRecords. Needs node (>= 18) and the packages of tests/js (scripts/install-deps.sh --test
--npm): without them this test FAILS, it does not skip."""

from __future__ import annotations

from support import run_js_scenario

REQUIRED_PACKAGES = ("@aws-sdk/client-dynamodb", "@aws-sdk/client-dynamodb-streams")


def test_streams_scenario_reads_records(server):
    summary = run_js_scenario(server, "dynamodb_streams_scenario.mjs", REQUIRED_PACKAGES)
    assert summary["ok"] is True
    assert summary["records"] == 3
