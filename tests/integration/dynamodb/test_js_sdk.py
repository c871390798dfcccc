"""The AWS SDK for JavaScript v3 DynamoDB client and lib-dynamodb's DocumentClient against the
real binary: tests/js/dynamodb_scenario.mjs creates a table with a global and a local
secondary index, writes and reads native JavaScript values through the DocumentClient (numbers,
sets, binaries, nested documents, null), batch-writes and batch-reads, checks the live counts of
the table and its indexes, and deletes the table with the SDK's waiters.

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
