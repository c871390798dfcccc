"""The AWS SDK for JavaScript v3 DynamoDB client and lib-dynamodb's DocumentClient against the
real binary: tests/js/dynamodb_scenario.mjs creates a table with a global and a local
secondary index, writes and reads native JavaScript values through the DocumentClient (numbers,
sets, binaries, nested documents, null), batch-writes and batch-reads, checks the live counts of
the table and its indexes, and deletes the table with the SDK's waiters.

Needs node (>= 18) and the packages of tests/js (scripts/install-deps.sh --test --npm, which
`make test` runs): without them this test FAILS, it does not skip.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from support import REPO_ROOT, skip_under_url

JS_DIR = REPO_ROOT / "tests" / "js"
SCENARIO = JS_DIR / "dynamodb_scenario.mjs"
REQUIRED_PACKAGES = ("@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb")
INSTALL_HINT = "run `scripts/install-deps.sh --test --npm` (or `make test-deps`)"


def run_scenario(server, scenario, packages) -> dict:
    """Runs a tests/js scenario against the server; returns its summary (last output line)."""
    skip_under_url("the scenario signs with fixed test credentials and region")
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail(f"node is not installed; {INSTALL_HINT}", pytrace=False)
    for package in packages:
        if not (JS_DIR / "node_modules" / package / "package.json").exists():
            pytest.fail(f"{package} is not installed in {JS_DIR}/node_modules; {INSTALL_HINT}",
                        pytrace=False)
    result = subprocess.run(
        [node, str(scenario), server.url],
        cwd=JS_DIR, capture_output=True, text=True, timeout=90,
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["ok"] is True
    return summary


def test_dynamodb_scenario_with_document_client(server):
    summary = run_scenario(server, SCENARIO, REQUIRED_PACKAGES)
    assert summary["sdk_requests"] >= 9


def test_kinesis_destination_read_with_the_kinesis_client_over_http2(server):
    """tests/js/destination_scenario.mjs: Enable (MICROSECOND) with @aws-sdk/client-dynamodb,
    a put, an update and a delete, and their three records read back with
    @aws-sdk/client-kinesis over HTTP/2 (issue 13)."""
    summary = run_scenario(server, JS_DIR / "destination_scenario.mjs",
                           ("@aws-sdk/client-dynamodb", "@aws-sdk/client-kinesis",
                            "@smithy/node-http-handler"))
    assert summary["records"] == 3
