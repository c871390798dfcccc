#!/usr/bin/env python3
"""bench/run_dynamodb_streams.py: DynamoDB Streams (issue 12, Performance).

Three measurements, each on a fresh Tributary (BENCH_STORAGE: rocksdb or memory) with one table
(hash key pk S, range key sk N, as loadgen's DynamoDB modes write):
  put        PutItem of random items (loadgen put-item: each PutItem changes its
             item, so with a stream each writes a record; BENCH_CONNECTIONS connections,
             BENCH_WARMUP_S s warm-up, BENCH_DURATION_S s measured) on a table without a stream,
             then the same on a fresh server whose table has a NEW_AND_OLD_IMAGES stream, taking
             turns BENCH_RUNS times: the median run's req/s and p99 of each, and their ratio
             (issue 12's target: with the stream >= 70 % of without)
  drain      BENCH_DRAIN_RECORDS (default 1,000,000) PutItems (loadgen put-item
             --total-requests, over BENCH_DRAIN_KEYS keys, so the stream holds that many INSERT
             and MODIFY records across its shards), then every shard read from TRIM_HORIZON to
             its end at once, one connection per shard (loadgen streams-get-records, GetRecords
             Limit 1000): records/s (issue 12's target: >= 200,000)
  latency    put-to-visible: one writer sends PutItem at BENCH_LATENCY_RATE per second
             (BENCH_LATENCY_SAMPLES items) while one poller per open shard calls GetRecords
             back to back from LATEST; the time from the PutItem's acknowledgement to the
             record's arrival at a poller, median and p99 (a record seen before its
             acknowledgement was parsed counts as 0 ms, and the count is reported)
Both clients run in Python on the same machine as the server (latency includes their own
overhead; the numbers compare, they are not capacities).

Environment (all optional): TRIBUTARY_BIN (build/tributary), LOADGEN_BIN
(build/bench/loadgen), BENCH_PHASES ("put drain latency"), BENCH_STORAGE=rocksdb,
BENCH_RUNS=3, BENCH_DURATION_S=10, BENCH_WARMUP_S=2, BENCH_CONNECTIONS=64, BENCH_KEYS=100000,
BENCH_ITEM_BYTES=200, BENCH_DRAIN_RECORDS=1000000, BENCH_DRAIN_KEYS (default: the record count),
BENCH_LATENCY_SAMPLES=2000, BENCH_LATENCY_RATE=100, BENCH_OUTPUT
(bench/results/dynamodb-streams-latest.md).
"""

from __future__ import annotations

import http.client
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))
from bench_helper import free_port, stop_process, write_report  # noqa: E402
from run_dynamodb import AUTHORIZATION  # noqa: E402

TRIBUTARY_BIN = os.environ.get("TRIBUTARY_BIN", str(ROOT / "build" / "tributary"))
LOADGEN_BIN = os.environ.get("LOADGEN_BIN", str(ROOT / "build" / "bench" / "loadgen"))
PHASES = os.environ.get("BENCH_PHASES", "put drain latency").split()
STORAGE = os.environ.get("BENCH_STORAGE", "rocksdb")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
DURATION = float(os.environ.get("BENCH_DURATION_S", "10"))
WARMUP = float(os.environ.get("BENCH_WARMUP_S", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
KEYS = int(os.environ.get("BENCH_KEYS", "100000"))
ITEM_BYTES = int(os.environ.get("BENCH_ITEM_BYTES", "200"))
DRAIN_RECORDS = int(os.environ.get("BENCH_DRAIN_RECORDS", "1000000"))
DRAIN_KEYS = int(os.environ.get("BENCH_DRAIN_KEYS", str(DRAIN_RECORDS)))
LATENCY_SAMPLES = int(os.environ.get("BENCH_LATENCY_SAMPLES", "2000"))
LATENCY_RATE = float(os.environ.get("BENCH_LATENCY_RATE", "100"))
OUTPUT = pathlib.Path(os.environ.get(
    "BENCH_OUTPUT", str(BENCH / "results" / "dynamodb-streams-latest.md")))
TABLE = "bench-table"
DYNAMODB = "DynamoDB_20120810."
STREAMS = "DynamoDBStreams_20120810."


def log(message: str) -> None:
    print(f"[bench-dynamodb-streams] {message}", file=sys.stderr, flush=True)


class Connection:
    """One keep-alive connection sending AWS JSON 1.0 requests (DynamoDB, DynamoDB Streams)."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def call(self, target: str, body: dict) -> dict:
        self.connection.request("POST", "/", body=json.dumps(body).encode(), headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": target,
            "X-Amz-Date": "20260101T000000Z",
            "Authorization": AUTHORIZATION,
        })
        response = self.connection.getresponse()
        text = response.read().decode(errors="replace")
        if response.status != 200:
            raise RuntimeError(f"{target} answered {response.status}: {text[:300]}")
        return json.loads(text)

    def close(self) -> None:
        self.connection.close()


class Server:
    """A fresh Tributary with the benchmark table (with or without a stream)."""

    def __init__(self, stream: bool) -> None:
        self.port = free_port()
        self.data_dir = tempfile.mkdtemp(prefix="tributary-bench-streams.")
        command = [TRIBUTARY_BIN, "--host", "127.0.0.1", "--port", str(self.port),
                   "--create-table-ms", "0", "--log-level", "warn"]
        command += ["--in-memory"] if STORAGE == "memory" else ["--data-dir", self.data_dir]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while True:
            try:
                connection = Connection(self.port, timeout=1.0)
                connection.call(DYNAMODB + "ListTables", {})
                connection.close()
                break
            except (OSError, RuntimeError):
                if time.time() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("the server did not start")
                time.sleep(0.01)
        request = {
            "TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
        }
        if stream:
            request["StreamSpecification"] = {"StreamEnabled": True,
                                              "StreamViewType": "NEW_AND_OLD_IMAGES"}
        connection = Connection(self.port)
        table = connection.call(DYNAMODB + "CreateTable", request)["TableDescription"]
        connection.close()
        self.stream_arn = table.get("LatestStreamArn")

    def stop(self) -> None:
        stop_process(self.process)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def shards(self) -> list[dict]:
        connection = Connection(self.port)
        shards: list[dict] = []
        request = {"StreamArn": self.stream_arn}
        while True:
            page = connection.call(STREAMS + "DescribeStream", request)["StreamDescription"]
            shards += page["Shards"]
            if "LastEvaluatedShardId" not in page:
                break
            request = {"StreamArn": self.stream_arn,
                       "ExclusiveStartShardId": page["LastEvaluatedShardId"]}
        connection.close()
        return shards


def loadgen(port: int, *arguments: str, timeout: float) -> dict:
    completed = subprocess.run([
        LOADGEN_BIN, "--host", "127.0.0.1", "--port", str(port),
        "--content-type", "application/x-amz-json-1.0", "--service", "dynamodb", "--json",
        *arguments], capture_output=True, text=True, timeout=timeout)
    if completed.returncode != 0:
        raise RuntimeError(f"loadgen {arguments}: {completed.stderr[-500:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def put_items(port: int) -> dict:
    return loadgen(port, "--mode", "put-item", "--table", TABLE,
                   "--keys", str(KEYS),
                   "--record-size", str(ITEM_BYTES), "--connections", str(CONNECTIONS),
                   "--duration-s", str(DURATION), "--warmup-s", str(WARMUP),
                   timeout=DURATION + WARMUP + 120)


def phase_put() -> list[str]:
    runs: dict[bool, list[dict]] = {False: [], True: []}
    for run in range(RUNS):
        for stream in (False, True):
            server = Server(stream)
            try:
                runs[stream].append(put_items(server.port))
            finally:
                server.stop()
            log(f"run {run + 1}: PutItem {'with' if stream else 'without'} a stream: "
                f"{runs[stream][-1]['requests_per_second']:.0f} req/s")

    def median_run(results: list[dict]) -> dict:
        return sorted(results, key=lambda r: r["requests_per_second"])[len(results) // 2]

    without, with_stream = median_run(runs[False]), median_run(runs[True])
    ratio = with_stream["requests_per_second"] / without["requests_per_second"] * 100
    return [
        f"### PutItem with and without a NEW_AND_OLD_IMAGES stream ({CONNECTIONS} connections, "
        f"{DURATION:g} s, {KEYS} keys, {ITEM_BYTES} B items, median of {RUNS} runs)",
        "",
        "| | req/s | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|",
        *(f"| {label} | {r['requests_per_second']:.0f} | {r['latency_ms']['p50']:.2f} | "
          f"{r['latency_ms']['p99']:.2f} | {r['errors']} |"
          for label, r in (("no stream", without), ("NEW_AND_OLD_IMAGES", with_stream))),
        "",
        f"With the stream: {ratio:.0f} % of the rate without (target: >= 70 %).",
        "",
    ]


def phase_drain() -> list[str]:
    server = Server(stream=True)
    try:
        fill = loadgen(server.port, "--mode", "put-item", "--table", TABLE,
                       "--keys", str(DRAIN_KEYS), "--record-size", str(ITEM_BYTES),
                       "--connections", str(CONNECTIONS), "--total-requests", str(DRAIN_RECORDS),
                       "--duration-s", "3600", "--warmup-s", "0", timeout=3700)
        written = fill["successes"]
        log(f"filled the stream with {written} records at {fill['requests_per_second']:.0f}/s")
        shards = server.shards()
        drain = loadgen(server.port, "--mode", "streams-get-records",
                        "--stream-arn", server.stream_arn, "--limit", "1000",
                        "--connections", str(len(shards)), "--duration-s", "3600",
                        "--warmup-s", "0", timeout=3700)
    finally:
        server.stop()
    log(f"drained {drain['records']} records at {drain['records_per_second']:.0f}/s")
    if drain["records"] != written:  # every PutItem changes its item: one record each
        log(f"warning: {written} PutItems acknowledged but {drain['records']} records read")
    return [
        f"### GetRecords drain ({drain['records']} records, {len(shards)} shards, one connection "
        "each, Limit 1000)",
        "",
        "| records | seconds | records/s | MB/s (SizeBytes) | GetRecords p99 ms |",
        "|---:|---:|---:|---:|---:|",
        f"| {drain['records']} | {drain['measured_s']:.2f} | {drain['records_per_second']:.0f} | "
        f"{drain['record_megabytes_per_second']:.1f} | {drain['latency_ms']['p99']:.2f} |",
        "",
        "Target: >= 200,000 records/s.",
        "",
    ]


def phase_latency() -> list[str]:
    server = Server(stream=True)
    acknowledged: dict[str, float] = {}
    seen: dict[str, float] = {}
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[str] = []

    def poll(shard_id: str) -> None:
        connection = Connection(server.port)
        try:
            iterator = connection.call(STREAMS + "GetShardIterator", {
                "StreamArn": server.stream_arn, "ShardId": shard_id,
                "ShardIteratorType": "LATEST"})["ShardIterator"]
            while iterator and not stop.is_set():
                page = connection.call(STREAMS + "GetRecords", {"ShardIterator": iterator})
                now = time.perf_counter()
                with lock:
                    for record in page["Records"]:
                        seen.setdefault(record["dynamodb"]["Keys"]["pk"]["S"], now)
                iterator = page.get("NextShardIterator")
        except Exception as error:  # reported after the run
            errors.append(f"poller {shard_id}: {error}")
        finally:
            connection.close()

    try:
        open_shards = [s["ShardId"] for s in server.shards()
                       if "EndingSequenceNumber" not in s["SequenceNumberRange"]]
        pollers = [threading.Thread(target=poll, args=(shard,)) for shard in open_shards]
        for poller in pollers:
            poller.start()
        time.sleep(0.5)  # the pollers hold their LATEST iterators before the first write
        writer = Connection(server.port)
        started = time.perf_counter()
        for i in range(LATENCY_SAMPLES):
            due = started + i / LATENCY_RATE
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            key = f"lat-{i}"
            writer.call(DYNAMODB + "PutItem", {"TableName": TABLE, "Item": {
                "pk": {"S": key}, "sk": {"N": "0"}, "data": {"S": "x" * ITEM_BYTES}}})
            acknowledged[key] = time.perf_counter()
        writer.close()
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            with lock:
                if len(seen) >= LATENCY_SAMPLES:
                    break
            time.sleep(0.05)
        stop.set()
        for poller in pollers:
            poller.join(timeout=5)
    finally:
        stop.set()
        server.stop()
    with lock:
        delays = [(seen[k] - acknowledged[k]) * 1000 for k in acknowledged if k in seen]
    early = sum(1 for d in delays if d < 0)
    delays = sorted(max(0.0, d) for d in delays)
    missing = LATENCY_SAMPLES - len(delays)
    if errors:
        log("; ".join(errors))
    if not delays:
        raise RuntimeError("no record was seen by the pollers")
    p99 = delays[min(len(delays) - 1, int(round(0.99 * len(delays))) - 1)]
    log(f"put-to-visible median {statistics.median(delays):.2f} ms, p99 {p99:.2f} ms")
    return [
        f"### Put-to-visible latency ({LATENCY_SAMPLES} PutItems at {LATENCY_RATE:g}/s, "
        f"{len(open_shards)} open shards polled back to back from LATEST)",
        "",
        "| samples | median ms | p99 ms | max ms | seen before the ack | never seen |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {len(delays)} | {statistics.median(delays):.2f} | {p99:.2f} | {delays[-1]:.2f} | "
        f"{early} | {missing} |",
        "",
    ]


def main() -> int:
    sections = []
    for phase in PHASES:
        runner = {"put": phase_put, "drain": phase_drain, "latency": phase_latency}.get(phase)
        if runner is None:
            raise SystemExit(f"unknown phase {phase!r} (put, drain, latency)")
        log(f"phase {phase}")
        sections += runner()
    report = "\n".join([
        "## DynamoDB Streams benchmark",
        "",
        f"`bench/run_dynamodb_streams.py`, storage {STORAGE}; client and server share the "
        "machine.",
        "",
        *sections,
    ])
    write_report(OUTPUT, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
