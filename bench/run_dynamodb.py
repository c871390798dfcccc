#!/usr/bin/env python3
"""bench/run_dynamodb.py: the DynamoDB benchmark. Measures PutItem, GetItem, UpdateItem with a
condition, BatchWriteItem, Query and a Scan drain on Tributary (RocksDB and --in-memory) and dynalite (npm, bench/node_modules), side by
side in one run, and prints a markdown report.

The table has hash key pk (S) and range key sk (N); the key space is BENCH_KEYS items in
partitions of 100 (item i: pk "p<i/100>", sk i % 100), each with a "data" string of
BENCH_ITEM_BYTES random characters (an item of about BENCH_ITEM_BYTES + 15 bytes).
  fill             BatchWriteItem of the whole key space, in order, on one connection (so every
                   partition holds 100 items); its rate is reported too
  BatchWriteItem   25 items per request, 16 connections (items/s)
  PutItem          random items, 64 connections (req/s, p99)
  GetItem          strongly consistent, random keys, 64 connections (req/s, p99)
  UpdateItem       random existing keys, SET counter = if_not_exists(counter, 0) + 1 under the
                   condition attribute_exists(pk), 64 connections (req/s, p99)
  Query            one random partition (100 items) per request, 16 connections (items/s)
  Scan             a drain of the whole table: a parallel scan of 4 segments, one connection
                   each, pages of 1 MB along LastEvaluatedKey (items/s; run after the fill and
                   the BatchWriteItem phase, before PutItem adds nothing new: the key space is
                   full)
  each run: a fresh server and table, BENCH_WARMUP_S s warm-up, BENCH_DURATION_S s measured;
  the median of BENCH_RUNS runs (servers take turns: run 1 of every server, then run 2, ...);
  also the start-up time (exec to the first ListTables answer) and the idle RSS after start.

Environment (all optional): TRIBUTARY_BIN (build/tributary), LOADGEN_BIN (build/bench/loadgen),
BENCH_SERVERS ("tributary-rocksdb tributary-memory dynalite"), BENCH_RUNS=3,
BENCH_DURATION_S=10, BENCH_WARMUP_S=2, BENCH_CONNECTIONS=64, BENCH_KEYS=100000,
BENCH_ITEM_BYTES=200, BENCH_OUTPUT (bench/results/dynamodb-latest.md).

Client and servers share the machine: the numbers compare servers on the same machine, in the
same run, and are not absolute capacities.
"""

from __future__ import annotations

import http.client
import json
import os
import pathlib
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))
from bench_helper import free_port, resident_set_kib, stop_process, write_report  # noqa: E402

TRIBUTARY_BIN = os.environ.get("TRIBUTARY_BIN", str(ROOT / "build" / "tributary"))
LOADGEN_BIN = os.environ.get("LOADGEN_BIN", str(ROOT / "build" / "bench" / "loadgen"))
SERVERS = os.environ.get("BENCH_SERVERS", "tributary-rocksdb tributary-memory dynalite").split()
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
DURATION = float(os.environ.get("BENCH_DURATION_S", "10"))
WARMUP = float(os.environ.get("BENCH_WARMUP_S", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
KEYS = int(os.environ.get("BENCH_KEYS", "100000"))
ITEM_BYTES = int(os.environ.get("BENCH_ITEM_BYTES", "200"))
OUTPUT = pathlib.Path(os.environ.get("BENCH_OUTPUT", str(BENCH / "results" / "dynamodb-latest.md")))
DYNALITE_CLI = BENCH / "node_modules" / "dynalite" / "cli.js"
TABLE = "bench-table"
AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0123456789abcdef" * 4
)


def log(message: str) -> None:
    print(f"[bench-dynamodb] {message}", file=sys.stderr, flush=True)


def call(port: int, operation: str, body: dict, timeout: float = 5.0) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", "/", body=json.dumps(body).encode(), headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "DynamoDB_20120810." + operation,
            "X-Amz-Date": "20260101T000000Z",
            "Authorization": AUTHORIZATION,
        })
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def command_for(name: str, port: int, data_dir: str) -> list[str] | None:
    if name == "tributary-rocksdb":
        return [TRIBUTARY_BIN, "--host", "127.0.0.1", "--port", str(port), "--data-dir", data_dir,
                "--create-table-ms", "0", "--log-level", "warn"]
    if name == "tributary-memory":
        return [TRIBUTARY_BIN, "--host", "127.0.0.1", "--port", str(port), "--in-memory",
                "--create-table-ms", "0", "--log-level", "warn"]
    if name == "dynalite":
        if not DYNALITE_CLI.exists():
            return None
        return ["node", str(DYNALITE_CLI), "--port", str(port), "--createTableMs", "0"]
    return None


def ensure_dynalite() -> None:
    if DYNALITE_CLI.exists() or "dynalite" not in SERVERS or shutil.which("npm") is None:
        return
    log("installing dynalite into bench/node_modules")
    subprocess.run(["npm", "install", "--prefix", str(BENCH), "--no-audit", "--no-fund"],
                   check=False, timeout=600, stdout=sys.stderr)


class Server:
    def __init__(self, name: str) -> None:
        self.name = name
        self.port = free_port()
        self.data_dir = tempfile.mkdtemp(prefix="tributary-bench-ddb.")
        self.command = command_for(name, self.port, self.data_dir)
        self.process: subprocess.Popen | None = None
        self.startup_ms = 0.0
        self.idle_rss_kib = 0

    def start(self) -> None:
        assert self.command is not None
        started = time.perf_counter()
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited during start-up")
            if time.perf_counter() - started > float(os.environ.get("BENCH_START_TIMEOUT_S", "60")):
                raise RuntimeError(f"{self.name} did not answer within 60 s")
            try:
                if call(self.port, "ListTables", {}, timeout=1.0)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.0005)
        self.startup_ms = (time.perf_counter() - started) * 1000.0
        time.sleep(0.5)
        self.idle_rss_kib = resident_set_kib(self.process.pid)
        status, body = call(self.port, "CreateTable", {
            "TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
        })
        if status != 200:
            raise RuntimeError(f"{self.name}: CreateTable answered {status}: {body[:200]}")
        deadline = time.time() + 20
        while time.time() < deadline:
            status, body = call(self.port, "DescribeTable", {"TableName": TABLE})
            if status == 200 and json.loads(body)["Table"]["TableStatus"] == "ACTIVE":
                return
            time.sleep(0.05)
        raise RuntimeError(f"{self.name}: the table did not become ACTIVE")

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def load(self, mode: str, connections: int, *, total_requests: int = 0,
             drain: bool = False, extra: tuple[str, ...] = ()) -> dict:
        if total_requests:
            timing = ["--duration-s", "3600", "--warmup-s", "0", "--total-requests",
                      str(total_requests)]
        elif drain:
            timing = ["--duration-s", "3600", "--warmup-s", "0"]
        else:
            timing = ["--duration-s", str(DURATION), "--warmup-s", str(WARMUP)]
        completed = subprocess.run([
            LOADGEN_BIN, "--host", "127.0.0.1", "--port", str(self.port), "--mode", mode,
            "--content-type", "application/x-amz-json-1.0", "--service", "dynamodb",
            "--table", TABLE, "--keys", str(KEYS), "--record-size", str(ITEM_BYTES),
            "--connections", str(connections), "--json", *timing, *extra,
        ], capture_output=True, text=True, timeout=DURATION + WARMUP + 900)
        if completed.returncode != 0:
            raise RuntimeError(f"loadgen {mode} on {self.name}: {completed.stderr[-500:]}")
        return json.loads(completed.stdout.strip().splitlines()[-1])


# (phase name, loadgen mode, connections, kind): kind "fill" sends keys/25 batches (the whole key
# space once), "drain" runs until every connection has finished, "timed" warm-up + duration.
PHASES = [
    ("fill", "batch-write-item", 1, "fill"),
    ("batch-write-item", "batch-write-item", 16, "timed"),
    ("scan", "scan", 4, "drain"),
    ("put-item", "put-item", CONNECTIONS, "timed"),
    ("get-item", "get-item", CONNECTIONS, "timed"),
    ("update-item", "update-item", CONNECTIONS, "timed"),
    ("query", "query", 16, "timed"),
]


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ensure_dynalite()
    results: dict[str, dict[str, list[dict]]] = {}
    starts: dict[str, list[tuple[float, int]]] = {}
    for run in range(1, RUNS + 1):
        for name in SERVERS:
            server = Server(name)
            if server.command is None:
                log(f"{name}: not available, skipped")
                continue
            try:
                server.start()
                starts.setdefault(name, []).append((server.startup_ms, server.idle_rss_kib))
                for phase, mode, connections, kind in PHASES:
                    result = server.load(mode, connections,
                                         total_requests=(KEYS + 24) // 25 if kind == "fill" else 0,
                                         drain=kind == "drain")
                    results.setdefault(name, {}).setdefault(phase, []).append(result)
                    log(f"run {run} {name} {phase}: {result.get('requests_per_second', 0):.0f} "
                        f"req/s, {result.get('records_per_second', 0):.0f} items/s")
            finally:
                server.stop()
    lines = [
        "# DynamoDB benchmark",
        "",
        f"`bench/run_dynamodb.py`: {DURATION:g} s measured after {WARMUP:g} s warm-up, median "
        f"of {RUNS} runs; items of about {ITEM_BYTES + 15} bytes, {KEYS} items in partitions of "
        "100.",
        "",
        f"| server | PutItem req/s ({CONNECTIONS} conn) | p99 ms | GetItem req/s ({CONNECTIONS} conn) "
        f"| p99 ms | UpdateItem req/s ({CONNECTIONS} conn) | p99 ms "
        "| BatchWriteItem items/s (16 conn) | Query items/s (16 conn) | Scan items/s (4 segments) "
        "| fill items/s (1 conn) | start-up ms | idle RSS MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def median_of(name: str, phase: str, key: str) -> dict | None:
        runs = results.get(name, {}).get(phase, [])
        if not runs:
            return None
        ordered = sorted(runs, key=lambda r: r.get(key, 0))
        return ordered[len(ordered) // 2]

    for name in SERVERS:
        put = median_of(name, "put-item", "requests_per_second")
        get = median_of(name, "get-item", "requests_per_second")
        batch = median_of(name, "batch-write-item", "records_per_second")
        update = median_of(name, "update-item", "requests_per_second")
        query = median_of(name, "query", "records_per_second")
        scan = median_of(name, "scan", "records_per_second")
        fill = median_of(name, "fill", "records_per_second")
        if None in (put, get, update, batch, query, scan, fill):
            continue
        startup = statistics.median(s for s, _ in starts[name])
        rss = statistics.median(r for _, r in starts[name]) / 1024
        lines.append(
            f"| {name} | {put['requests_per_second']:.0f} | {put['latency_ms']['p99']:.2f} | "
            f"{get['requests_per_second']:.0f} | {get['latency_ms']['p99']:.2f} | "
            f"{update['requests_per_second']:.0f} | {update['latency_ms']['p99']:.2f} | "
            f"{batch['records_per_second']:.0f} | {query['records_per_second']:.0f} | "
            f"{scan['records_per_second']:.0f} | "
            f"{fill['records_per_second']:.0f} | {startup:.0f} | {rss:.1f} |")
    # Ratios of each Tributary engine to dynalite, from the medians above.
    columns = [("PutItem", "put-item", "requests_per_second"),
               ("GetItem", "get-item", "requests_per_second"),
               ("UpdateItem", "update-item", "requests_per_second"),
               ("BatchWriteItem", "batch-write-item", "records_per_second"),
               ("Query", "query", "records_per_second"),
               ("Scan", "scan", "records_per_second")]
    for name in SERVERS:
        if name == "dynalite":
            continue
        ratios = []
        for label, phase, key in columns:
            ours, theirs = median_of(name, phase, key), median_of("dynalite", phase, key)
            if ours and theirs and theirs.get(key):
                ratios.append(f"{label} {ours[key] / theirs[key]:.1f}x")
        if ratios:
            lines.append("")
            lines.append(f"{name} against dynalite: " + ", ".join(ratios) + ".")
    lines.append("")
    lines.append("Every run (req/s; items/s; errors):")
    for name, phases in results.items():
        for phase, runs in phases.items():
            values = ", ".join(f"{r['requests_per_second']:.0f}; {r['records_per_second']:.0f}"
                               for r in runs)
            errors = sum(r.get("errors", 0) for r in runs)
            lines.append(f"- {name} {phase}: {values}; errors {errors}")
    report = "\n".join(lines) + "\n"
    write_report(OUTPUT, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
