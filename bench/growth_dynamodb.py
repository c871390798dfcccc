#!/usr/bin/env python3
"""bench/growth_dynamodb.py: a DynamoDB table grown towards 10 million items on Tributary (RocksDB).

Loads the table of run_dynamodb.py (hash key pk S, range key sk N, a data string of
BENCH_ITEM_BYTES characters) by BatchWriteItem of 25 items in steps of BENCH_STEP items, each
step one loadgen run with BENCH_CONNECTIONS connections continuing where the last one stopped.
After every step it records the step's write rate (items/s), a short GetItem probe over the keys
loaded so far (req/s, BENCH_PROBE_S seconds at 64 connections) right after the step, while the
step's flushes and compactions still run, and another once the server is idle (at most
BENCH_SETTLE_S seconds later), the server's resident size
(VmRSS), its CPU time per item written in the step, the load average, and the size of the data
directory. It stops at BENCH_TARGET items or when BENCH_LIMIT_S seconds have passed, and prints a
markdown table with how far it got.

Environment: TRIBUTARY_BIN, LOADGEN_BIN, BENCH_TARGET (10000000), BENCH_STEP (1000000),
BENCH_LIMIT_S (1800), BENCH_CONNECTIONS (16), BENCH_PROBE_S (2), BENCH_SETTLE_S (120),
BENCH_ITEM_BYTES (200),
BENCH_EXTRA_ARGS (more server flags, e.g. "--sync-writes"), BENCH_OUTPUT
(bench/results/dynamodb-growth-latest.md).
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_dynamodb  # noqa: E402
from bench_helper import resident_set_kib  # noqa: E402

TARGET = int(os.environ.get("BENCH_TARGET", "10000000"))
STEP = int(os.environ.get("BENCH_STEP", "1000000"))
LIMIT_S = float(os.environ.get("BENCH_LIMIT_S", "1800"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PROBE_S = float(os.environ.get("BENCH_PROBE_S", "2"))
SETTLE_S = float(os.environ.get("BENCH_SETTLE_S", "120"))
EXTRA_ARGS = os.environ.get("BENCH_EXTRA_ARGS", "").split()
OUTPUT = pathlib.Path(os.environ.get(
    "BENCH_OUTPUT", str(run_dynamodb.BENCH / "results" / "dynamodb-growth-latest.md")))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def directory_mib(path: str) -> float:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total / 2**20


def loadgen(server: run_dynamodb.Server, *args: str) -> dict:
    completed = subprocess.run([
        run_dynamodb.LOADGEN_BIN, "--host", "127.0.0.1", "--port", str(server.port),
        "--content-type", "application/x-amz-json-1.0", "--service", "dynamodb",
        "--table", run_dynamodb.TABLE, "--record-size", str(run_dynamodb.ITEM_BYTES), "--json",
        *args], capture_output=True, text=True, timeout=LIMIT_S + 600)
    if completed.returncode != 0:
        raise RuntimeError(f"loadgen {args}: {completed.stderr[-500:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    plain = run_dynamodb.command_for
    run_dynamodb.command_for = lambda name, port, data_dir: plain(name, port, data_dir) + EXTRA_ARGS
    server = run_dynamodb.Server("tributary-rocksdb")
    rows = []
    started = time.time()
    loaded = 0
    try:
        server.start()
        pid = server.process.pid
        rows.append(("0", "", "", "", f"{resident_set_kib(pid) / 1024:.1f}", "", "", ""))
        while loaded < TARGET and time.time() - started < LIMIT_S:
            step = min(STEP, TARGET - loaded)
            cpu_before = cpu_seconds(pid)
            write = loadgen(server, "--mode", "batch-write-item", "--keys", str(TARGET),
                            "--first-key", str(loaded), "--connections", str(CONNECTIONS),
                            "--total-requests", str(step // 25), "--duration-s", "3600",
                            "--warmup-s", "0")
            cpu_per_item = (cpu_seconds(pid) - cpu_before) / max(1, write["records"]) * 1e6
            loaded += step
            probe = loadgen(server, "--mode", "get-item", "--keys", str(loaded), "--connections",
                            "64", "--duration-s", str(PROBE_S), "--warmup-s", "0.5")
            rss = resident_set_kib(pid) / 1024
            load = os.getloadavg()[0]
            # The probe above competes with the step's flushes and compactions; this one waits
            # until the server is idle (under 5 % of a core for a second, at most SETTLE_S).
            settle_started = time.time()
            while time.time() - settle_started < SETTLE_S:
                idle_before = cpu_seconds(pid)
                time.sleep(1)
                if cpu_seconds(pid) - idle_before < 0.05:
                    break
            settled_probe = loadgen(server, "--mode", "get-item", "--keys", str(loaded),
                                    "--connections", "64", "--duration-s", str(PROBE_S),
                                    "--warmup-s", "0.5")
            row = (f"{loaded / 1e6:g}", f"{write['records_per_second']:.0f}",
                   f"{probe['requests_per_second']:.0f}",
                   f"{settled_probe['requests_per_second']:.0f}", f"{rss:.1f}",
                   f"{cpu_per_item:.1f}",
                   f"{directory_mib(server.data_dir):.0f}", f"{load:.2f}")
            rows.append(row)
            run_dynamodb.log(f"{row[0]} M items: {row[1]} items/s written, GetItem {row[2]} req/s "
                             f"({row[3]} once idle), RSS {row[4]} MiB, {row[5]} us CPU/item, "
                             f"data {row[6]} MiB, load {row[7]}; errors {write['errors']} + "
                             f"{probe['errors']} + {settled_probe['errors']}")
        time.sleep(5)
        settled = resident_set_kib(pid) / 1024
    finally:
        server.stop()
    elapsed = time.time() - started
    lines = [
        "# DynamoDB growth run",
        "",
        f"`bench/growth_dynamodb.py`: target {TARGET} items in steps of {STEP}, BatchWriteItem "
        f"of 25 on {CONNECTIONS} connections, items of about {run_dynamodb.ITEM_BYTES + 15} "
        f"bytes; reached {loaded} items in {elapsed:.0f} s "
        f"({'the target' if loaded >= TARGET else 'stopped by the time limit'}); RSS 5 s after "
        f"the last step {settled:.1f} MiB.",
        "",
        "| items (millions) | write items/s in the step | GetItem req/s (64 conn) "
        "| GetItem req/s once the server is idle | RSS MiB "
        "| server CPU us per item written | data dir MiB | load average (1 min) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    report = "\n".join(lines) + "\n"
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
