"""The web console in headless Chromium (Debian's `chromium`) driven by puppeteer-core from
tests/js (issue 14): open the console, create a stream through the API and see it listed, put
records and see them in the live tail within a second, see a KPL-aggregated record
de-aggregated, browse a table; screenshots are kept as artefacts.

Needs chromium and the packages of tests/js (scripts/install-deps.sh --test --npm, which
`make test` runs): without them this test FAILS, it does not skip. Screenshots go to
$TRIBUTARY_ARTIFACTS (default: build/test-artifacts/console)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from support import REPO_ROOT, raw_request

JS_DIR = REPO_ROOT / "tests" / "js"
SCRIPT = JS_DIR / "console_browser.mjs"


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("chromium is not installed: run `scripts/install-deps.sh --test`")


def test_console_pages_and_static_files(start_server):
    server = start_server(in_memory=True)
    page = raw_request(server, method="GET", path="/", sign=False,
                       headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status == 200, page.describe()
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert b"/_tributary/console/app.js" in page.body
    # Not a browser (no HTML asked for, or an AWS target): AWS's answer to a GET.
    for headers in ({}, {"Accept": "text/html", "X-Amz-Target": "Kinesis_20131202.ListStreams"}):
        refused = raw_request(server, method="GET", path="/", sign=False, headers=headers)
        assert refused.status == 403 and b"AccessDeniedException" in refused.body, headers
    console = raw_request(server, method="GET", path="/_tributary/console/", sign=False)
    assert console.status == 200 and console.body == page.body
    script = raw_request(server, method="GET", path="/_tributary/console/app.js", sign=False)
    assert script.status == 200 and script.headers["content-type"].startswith("text/javascript")
    missing = raw_request(server, method="GET", path="/_tributary/console/nope.js", sign=False)
    assert missing.status == 404
    no_stream = raw_request(server, method="GET", path="/_tributary/console/api/tail?stream=x",
                            sign=False)
    assert no_stream.status == 404 and no_stream.json["message"] == "no stream named x"


def test_console_in_headless_chromium(start_server):
    browser = chromium_path()
    for package in ("puppeteer-core", "aws-kinesis-agg", "@aws-sdk/client-kinesis"):
        if not (JS_DIR / "node_modules" / package).exists():
            pytest.fail(f"{package} is not installed in tests/js: run "
                        "`scripts/install-deps.sh --test --npm` (or `make test-deps`)")
    server = start_server(in_memory=True, extra_args=["--create-table-ms", "0"])
    artifacts = os.environ.get("TRIBUTARY_ARTIFACTS",
                               str(REPO_ROOT / "build" / "test-artifacts" / "console"))
    environment = dict(os.environ, TRIBUTARY_URL=server.url, CHROMIUM=browser,
                       SCREENSHOT_DIR=artifacts, PUPPETEER_SKIP_DOWNLOAD="1")
    result = subprocess.run(["node", str(SCRIPT)], cwd=JS_DIR, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["listed"] is True
    assert seen["tail_latency_ms"] < 1000
    assert [record["key"] for record in seen["kpl"]] == ["user-a", "user-b", "user-c"]
    for name in ("console-streams.png", "console-stream.png", "console-table.png",
                 "console-tables.png"):
        assert (os.path.getsize(os.path.join(artifacts, name)) > 10_000), name
