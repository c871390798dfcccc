"""The AWS SDK for JavaScript v3 DynamoDB client and lib-dynamodb's DocumentClient against the
real binary: tests/js/dynamodb_scenario.mjs creates a table with a global and a local
secondary index, writes and reads native JavaScript values through the DocumentClient (numbers,
sets, binaries, nested documents, null), batch-writes and batch-reads, checks the live counts of
the table and its indexes, and deletes the table with the SDK's waiters;
tests/js/destination_scenario.mjs enables a Kinesis streaming destination and reads its records
with @aws-sdk/client-kinesis over HTTP/2.

Needs node (>= 18) and the packages of tests/js (scripts/install-deps.sh --test --npm, which
`make test` runs): without them this test FAILS, it does not skip.
"""

from __future__ import annotations

from support import run_js_scenario

REQUIRED_PACKAGES = ("@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb")


def test_dynamodb_scenario_with_document_client(server):
    summary = run_js_scenario(server, "dynamodb_scenario.mjs", REQUIRED_PACKAGES)
    assert summary["ok"] is True
    assert summary["sdk_requests"] >= 9


def test_kinesis_destination_read_with_the_kinesis_client_over_http2(server):
    """tests/js/destination_scenario.mjs: Enable (MICROSECOND) with @aws-sdk/client-dynamodb,
    a put, an update and a delete, and their three records read back with
    @aws-sdk/client-kinesis over HTTP/2 (issue 13)."""
    summary = run_js_scenario(server, "destination_scenario.mjs",
                              ("@aws-sdk/client-dynamodb", "@aws-sdk/client-kinesis",
                               "@smithy/node-http-handler"))
    assert summary["ok"] is True
    assert summary["records"] == 3
