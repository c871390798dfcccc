"""The web console in headless Chromium (Debian's `chromium`) driven by puppeteer-core from
tests/js (issue 14): open the console, create a stream through the API and see it listed, put
records and see them in the live tail within a second, see a KPL-aggregated record
de-aggregated, the tail's pretty-JSON view, partition-key filter, pause and resume and start
from a timestamp, see a registered consumer and its open SubscribeToShard subscription (shard,
start, records and bytes pushed), browse a table and its DynamoDB stream records, enable its Kinesis streaming destination and
see it ACTIVE and the item's changes among its recent deliveries, use the item browser's Query
form and next-page control and see items in plain and DynamoDB JSON; screenshots are kept as
artefacts. Also the console's own endpoints without a browser (files, api/tail's refusals,
api/recent).

Needs chromium and the packages of tests/js (scripts/install-deps.sh --test --npm, which
`make test` runs): without them this test FAILS, it does not skip. Screenshots go to
$TRIBUTARY_ARTIFACTS (default: build/test-artifacts/console)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time

import pytest

from dynamodb.dynamodb_support import dynamodb_client, hash_table_arguments, wait_for_table
from kinesis.kinesis_support import create_active_stream, kinesis_client, stream_arn
from support import REPO_ROOT, poll_until, raw_request

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
    no_stream = raw_request(server, method="GET", sign=False,
                            path="/_tributary/console/api/subscriptions?stream=x")
    assert no_stream.status == 404 and no_stream.json["message"] == "no stream named x"


def test_console_in_headless_chromium(start_server):
    browser = chromium_path()
    for package in ("puppeteer-core", "aws-kinesis-agg", "@aws-sdk/client-kinesis"):
        if not (JS_DIR / "node_modules" / package).exists():
            pytest.fail(f"{package} is not installed in tests/js: run "
                        "`scripts/install-deps.sh --test --npm` (or `make test-deps`)")
    server = start_server(in_memory=True, extra_args=["--create-table-ms", "0",
                                                      "--register-consumer-ms", "0"])
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
    assert seen["consumers"] == [{"name": "efo-reader", "status": "ACTIVE", "subscriptions": [
        {"shard": "shardId-000000000002", "records": "1", "bytes": "9"}]}]
    assert [record["event"] for record in seen["stream_records"]] == ["INSERT", "MODIFY"]
    assert seen["destination"]["cells"][1] == "ACTIVE"
    assert [delivery["event"] for delivery in seen["deliveries"]] == ["INSERT", "MODIFY"]
    assert seen["pretty"]["record"] == ['{\n  "order": 17,\n  "total": 42.5\n}']
    assert seen["filtered"] == ["split-2", "after-split"]
    assert seen["paused"] == ["after-resume", "while-paused-2", "while-paused-1"]
    assert seen["at_timestamp"] == ["since-2", "since-1"]
    assert seen["query_pages"] == [["ada/1", "ada/2"], ["ada/3"]]
    assert seen["dynamodb_json"][1] == {"user": {"S": "ada"}, "n": {"N": "2"}}
    assert sorted(sum(seen["scan_pages"], [])) == ["ada/1", "ada/2", "ada/3", "bob/1"]
    for name in ("console-streams.png", "console-stream.png", "console-table.png",
                 "console-tables.png"):
        assert (os.path.getsize(os.path.join(artifacts, name)) > 10_000), name


def recent(server, **parameters):
    """GET /_tributary/console/api/recent with these parameters."""
    query = "&".join(f"{key}={value}" for key, value in parameters.items())
    return raw_request(server, method="GET", path=f"/_tributary/console/api/recent?{query}",
                       sign=False)


def item_keys(response) -> list[str]:
    """The item key (pk) of each destination record of an api/recent answer."""
    keys = []
    for record in response.json["Records"]:
        document = json.loads(base64.b64decode(record["Data"]))
        keys.append(document["dynamodb"]["Keys"]["pk"]["S"])
    return keys


def test_console_recent_deliveries_of_a_table(start_server):
    """api/recent, which the table page's Kinesis destination section reads: the newest
    records of a stream, or only the destination's records of one table, found behind other
    records (read backwards in growing windows), not counted as traffic out."""
    server = start_server(in_memory=True, extra_args=["--create-table-ms", "0",
                                                      "--kinesis-destination-ms", "0"])
    kinesis, dynamodb = kinesis_client(server), dynamodb_client(server)
    stream = create_active_stream(kinesis, shard_count=1)
    for table in ("orders", "others"):
        dynamodb.create_table(**hash_table_arguments(table))
        wait_for_table(dynamodb, table)
        dynamodb.enable_kinesis_streaming_destination(TableName=table, StreamArn=stream_arn(stream))

    def other_records(prefix: str) -> None:
        for batch in range(3):
            kinesis.put_records(StreamName=stream, Records=[
                {"PartitionKey": f"{prefix}-{batch}-{i}", "Data": b"not a destination record"}
                for i in range(100)])

    def write(first: int, last: int) -> None:
        for i in range(first, last):
            dynamodb.put_item(TableName="orders", Item={"pk": {"S": f"o{i}"}})
            dynamodb.put_item(TableName="others", Item={"pk": {"S": f"x{i}"}})
        poll_until(lambda: len(recent(server, stream=stream, table="orders", limit=1000)
                               .json["Records"]) == last, what=f"{last} deliveries")

    other_records("before")
    write(0, 25)
    write(25, 30)  # delivered after the first 25
    other_records("after")

    everything = recent(server, stream=stream, table="orders", limit=1000)
    assert everything.status == 200, everything.describe()
    assert sorted(item_keys(everything)) == sorted(f"o{i}" for i in range(30))
    newest = recent(server, stream=stream, table="orders", limit=5)
    assert sorted(item_keys(newest)) == [f"o{i}" for i in range(25, 30)]
    assert "ScanLimited" not in newest.json
    assert newest.json["StreamName"] == stream
    assert all(r["ShardId"] == "shardId-000000000000" for r in newest.json["Records"])
    # Another table name has no records here; nor has this table before `since`.
    assert recent(server, stream=stream, table="order").json["Records"] == []
    in_future = int(time.time() * 1000) + 3_600_000
    assert recent(server, stream=stream, table="orders", since=in_future).json["Records"] == []
    # Without a table: the stream's newest records, oldest first.
    last = recent(server, stream=stream, limit=3)
    assert [r["PartitionKey"] for r in last.json["Records"]] == [
        "after-2-97", "after-2-98", "after-2-99"]
    # Bad requests.
    assert recent(server, stream=stream, limit=0).status == 400
    assert recent(server, stream=stream, limit="many").status == 400
    missing = recent(server, stream="nowhere")
    assert missing.status == 404 and missing.json["message"] == "no stream named nowhere"
    # Onlookers' reads: no traffic out in /metrics.
    metrics = raw_request(server, method="GET", path="/metrics", sign=False).body.decode()
    outgoing = [line for line in metrics.splitlines()
                if line.startswith("tributary_kinesis_shard_outgoing_records_total{")
                and f'stream="{stream}"' in line]
    assert all(line.endswith(" 0") for line in outgoing), outgoing
