#!/usr/bin/env python3
"""bench/run_ttl.py: the Time to Live job under load (issue 11, Performance): how fast it deletes
expired items, and what PutItem throughput the foreground keeps meanwhile.

One Tributary (--test-clock, so items expire by moving its clock instead of waiting):
  fill      BENCH_TTL_ITEMS items (default 1,000,000) in table "ttl-table" with TTL on
            "expires", each expiring an hour ahead, written with BatchWriteItem of 25
  idle      PutItem on another table ("bench-table", loadgen put-item, BENCH_CONNECTIONS
            connections) for BENCH_DURATION_S s: the foreground rate with no TTL work
  expire    the test clock moves two hours on; PutItem runs again for BENCH_DURATION_S s while
            the TTL job deletes; DescribeTable's ItemCount of ttl-table is polled until 0 (or
            BENCH_TTL_TIMEOUT_S)
Reported: fill items/s, TTL deletes/s (items deleted over the time to reach 0), PutItem req/s
and p99 idle and during the deletes, and their ratio (issue 11's target: >= 80 %).

Environment (all optional): TRIBUTARY_BIN, LOADGEN_BIN, BENCH_TTL_ITEMS=1000000,
BENCH_DURATION_S=10, BENCH_CONNECTIONS=64, BENCH_TTL_ITEMS_PER_TICK (the server's
--ttl-items-per-tick, default the server's own), BENCH_TTL_TIMEOUT_S=600, BENCH_STORAGE
(rocksdb or memory; default rocksdb), BENCH_OUTPUT (bench/results/ttl-latest.md).
Client and server share the machine: the numbers are comparisons, not capacities.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))
from bench_helper import free_port, stop_process, write_report  # noqa: E402
from run_dynamodb import call  # noqa: E402

TRIBUTARY_BIN = os.environ.get("TRIBUTARY_BIN", str(ROOT / "build" / "tributary"))
LOADGEN_BIN = os.environ.get("LOADGEN_BIN", str(ROOT / "build" / "bench" / "loadgen"))
ITEMS = int(os.environ.get("BENCH_TTL_ITEMS", "1000000"))
DURATION = float(os.environ.get("BENCH_DURATION_S", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
ITEMS_PER_TICK = os.environ.get("BENCH_TTL_ITEMS_PER_TICK")
TIMEOUT = float(os.environ.get("BENCH_TTL_TIMEOUT_S", "600"))
STORAGE = os.environ.get("BENCH_STORAGE", "rocksdb")
OUTPUT = pathlib.Path(os.environ.get("BENCH_OUTPUT", str(BENCH / "results" / "ttl-latest.md")))
TTL_TABLE = "ttl-table"
PUT_TABLE = "bench-table"


def log(message: str) -> None:
    print(f"[bench-ttl] {message}", file=sys.stderr, flush=True)


def ok(port: int, operation: str, body: dict) -> dict:
    status, text = call(port, operation, body, timeout=30)
    if status != 200:
        raise RuntimeError(f"{operation} answered {status}: {text[:300]}")
    return json.loads(text)


def server_clock(port: int, advance_ms: int = 0) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/_tributary/clock",
                                     data=json.dumps({"advance_ms": advance_ms}).encode(),
                                     method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())["now_ms"]


def create_table(port: int, name: str) -> None:
    ok(port, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "N"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                      {"AttributeName": "sk", "KeyType": "RANGE"}],
    })


def item_count(port: int) -> int:
    return ok(port, "DescribeTable", {"TableName": TTL_TABLE})["Table"]["ItemCount"]


def fill(port: int, expires: int) -> float:
    def write(start: int) -> None:
        requests = [{"PutRequest": {"Item": {
            "pk": {"S": f"p{i // 100}"}, "sk": {"N": str(i % 100)},
            "expires": {"N": str(expires)}, "data": {"S": "x" * 100}}}}
            for i in range(start, min(start + 25, ITEMS))]
        pending = {TTL_TABLE: requests}
        while pending:
            pending = ok(port, "BatchWriteItem", {"RequestItems": pending}).get(
                "UnprocessedItems") or None

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(0, ITEMS, 25)))
    return ITEMS / (time.perf_counter() - started)


def put_items(port: int) -> dict:
    completed = subprocess.run([
        LOADGEN_BIN, "--host", "127.0.0.1", "--port", str(port), "--mode", "put-item",
        "--content-type", "application/x-amz-json-1.0", "--service", "dynamodb",
        "--table", PUT_TABLE, "--keys", "100000", "--record-size", "200",
        "--connections", str(CONNECTIONS), "--json", "--duration-s", str(DURATION),
        "--warmup-s", "1",
    ], capture_output=True, text=True, timeout=DURATION + 120)
    if completed.returncode != 0:
        raise RuntimeError(f"loadgen: {completed.stderr[-500:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    port = free_port()
    data_dir = tempfile.mkdtemp(prefix="tributary-bench-ttl.")
    command = [TRIBUTARY_BIN, "--host", "127.0.0.1", "--port", str(port), "--test-clock",
               "--create-table-ms", "0", "--log-level", "warn"]
    command += ["--in-memory"] if STORAGE == "memory" else ["--data-dir", data_dir]
    if ITEMS_PER_TICK:
        command += ["--ttl-items-per-tick", ITEMS_PER_TICK]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            try:
                if call(port, "ListTables", {}, timeout=1.0)[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        create_table(port, TTL_TABLE)
        create_table(port, PUT_TABLE)
        ok(port, "UpdateTimeToLive", {"TableName": TTL_TABLE, "TimeToLiveSpecification": {
            "Enabled": True, "AttributeName": "expires"}})
        fill_rate = fill(port, server_clock(port) // 1000 + 3600)
        log(f"filled {ITEMS} items at {fill_rate:.0f} items/s")
        idle = put_items(port)
        log(f"idle PutItem {idle['requests_per_second']:.0f} req/s")

        server_clock(port, 2 * 3600 * 1000)
        expired_at = time.perf_counter()
        finished: dict[str, float] = {}

        def watch() -> None:
            while time.perf_counter() - expired_at < TIMEOUT:
                if item_count(port) == 0:
                    finished["s"] = time.perf_counter() - expired_at
                    return
                time.sleep(0.2)

        watcher = threading.Thread(target=watch)
        watcher.start()
        busy = put_items(port)
        watcher.join()
        remaining = item_count(port)
        log(f"PutItem during deletes {busy['requests_per_second']:.0f} req/s; "
            f"{ITEMS - remaining} deleted")
    finally:
        stop_process(process)
        shutil.rmtree(data_dir, ignore_errors=True)

    seconds = finished.get("s")
    rate = f"{ITEMS / seconds:.0f}" if seconds else f"not finished in {TIMEOUT:g} s"
    ratio = busy["requests_per_second"] / idle["requests_per_second"] * 100
    report = "\n".join([
        "# TTL job benchmark",
        "",
        f"`bench/run_ttl.py`: {ITEMS} expired items ({STORAGE}), PutItem at {CONNECTIONS} "
        f"connections for {DURATION:g} s, --ttl-items-per-tick "
        f"{ITEMS_PER_TICK or 'default'}.",
        "",
        "| fill items/s | TTL deletes/s | PutItem idle req/s | p99 ms | PutItem during deletes "
        "req/s | p99 ms | during / idle |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {fill_rate:.0f} | {rate} | {idle['requests_per_second']:.0f} | "
        f"{idle['latency_ms']['p99']:.2f} | {busy['requests_per_second']:.0f} | "
        f"{busy['latency_ms']['p99']:.2f} | {ratio:.0f} % |",
        "",
    ])
    write_report(OUTPUT, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
