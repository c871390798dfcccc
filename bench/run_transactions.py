#!/usr/bin/env python3
"""bench/run_transactions.py: TransactWriteItems against PutItem (issue 11, Performance: "a
2-item transaction costs at most 3x a single PutItem"), on Tributary and dynalite in one run.

Same table and items as bench/run_dynamodb.py (hash key pk S, range key sk N, items of about
BENCH_ITEM_BYTES + 15 bytes, BENCH_KEYS keys). For each server and each connection count in
BENCH_TX_CONNECTIONS (16 64):
  put-item                 PutItem of random items (req/s, p99)
  transact-write-items 2   TransactWriteItems of 2 Puts of distinct random items (tx/s, items/s, p99)
  transact-write-items 25  the same with 25 Puts
each a fresh server and table, BENCH_WARMUP_S s warm-up, BENCH_DURATION_S s measured, the median
of BENCH_RUNS runs (servers take turns). The cost ratio reported is PutItem req/s divided by
transactions/s at the same connection count: "2-item cost 2.1x" means a 2-item transaction
costs 2.1 PutItems.

Environment (all optional): as run_dynamodb.py (TRIBUTARY_BIN, LOADGEN_BIN, BENCH_RUNS=3,
BENCH_DURATION_S=10, BENCH_WARMUP_S=2, BENCH_KEYS=100000, BENCH_ITEM_BYTES=200), plus
BENCH_SERVERS ("tributary-rocksdb dynalite"), BENCH_TX_CONNECTIONS ("16 64"), BENCH_OUTPUT
(bench/results/transactions-latest.md). A server that answers a phase with errors only (dynalite
has no transactions) is reported as "not supported".
"""

from __future__ import annotations

import os
import pathlib
import signal
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))
from bench_helper import write_report  # noqa: E402
import run_dynamodb  # noqa: E402

SERVERS = os.environ.get("BENCH_SERVERS", "tributary-rocksdb dynalite").split()
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_TX_CONNECTIONS", "16 64").split()]
RUNS = run_dynamodb.RUNS
OUTPUT = pathlib.Path(os.environ.get("BENCH_OUTPUT",
                                     str(BENCH / "results" / "transactions-latest.md")))
# (phase label, loadgen mode, extra loadgen arguments)
PHASES = [
    ("PutItem", "put-item", ()),
    ("TransactWriteItems 2", "transact-write-items", ("--transact-items", "2")),
    ("TransactWriteItems 25", "transact-write-items", ("--transact-items", "25")),
]


def log(message: str) -> None:
    print(f"[bench-transactions] {message}", file=sys.stderr, flush=True)


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    run_dynamodb.ensure_dynalite()
    # results[server][(phase, connections)] = list of loadgen results
    results: dict[str, dict[tuple[str, int], list[dict]]] = {}
    for run in range(1, RUNS + 1):
        for name in SERVERS:
            for connections in CONNECTIONS:
                for phase, mode, extra in PHASES:
                    server = run_dynamodb.Server(name)
                    if server.command is None:
                        log(f"{name}: not available, skipped")
                        break
                    try:
                        server.start()
                        result = server.load(mode, connections, extra=extra)
                    finally:
                        server.stop()
                    results.setdefault(name, {}).setdefault((phase, connections), []).append(result)
                    log(f"run {run} {name} {phase} {connections} conn: "
                        f"{result.get('requests_per_second', 0):.0f} req/s, "
                        f"{result.get('records_per_second', 0):.0f} items/s, "
                        f"errors {result.get('errors', 0)}")

    def median(name: str, phase: str, connections: int) -> dict | None:
        runs = results.get(name, {}).get((phase, connections), [])
        if not runs:
            return None
        ordered = sorted(runs, key=lambda r: r.get("requests_per_second", 0))
        return ordered[len(ordered) // 2]

    lines = [
        "# TransactWriteItems against PutItem",
        "",
        f"`bench/run_transactions.py`: {run_dynamodb.DURATION:g} s measured after "
        f"{run_dynamodb.WARMUP:g} s warm-up, median of {RUNS} runs, a fresh server per phase; "
        f"items of about {run_dynamodb.ITEM_BYTES + 15} bytes, random keys out of "
        f"{run_dynamodb.KEYS}.",
        "",
        "| server | connections | phase | requests/s | items/s | p99 ms | cost in PutItems |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for name in SERVERS:
        for connections in CONNECTIONS:
            put = median(name, "PutItem", connections)
            for phase, _, _ in PHASES:
                result = median(name, phase, connections)
                if result is None:
                    continue
                if result.get("records_per_second", 0) == 0 and result.get("errors", 0) > 0:
                    lines.append(f"| {name} | {connections} | {phase} | not supported "
                                 f"({result['errors']} errors) | | | |")
                    continue
                cost = ""
                if put and phase != "PutItem" and result.get("requests_per_second"):
                    cost = f"{put['requests_per_second'] / result['requests_per_second']:.2f}x"
                lines.append(
                    f"| {name} | {connections} | {phase} | {result['requests_per_second']:.0f} | "
                    f"{result['records_per_second']:.0f} | {result['latency_ms']['p99']:.2f} | "
                    f"{cost} |")
    lines.append("")
    lines.append("Every run (req/s; items/s; errors):")
    for name, phases in results.items():
        for (phase, connections), runs in phases.items():
            values = ", ".join(f"{r['requests_per_second']:.0f}; {r['records_per_second']:.0f}; "
                               f"{r.get('errors', 0)}" for r in runs)
            lines.append(f"- {name} {phase} {connections} conn: {values}")
    write_report(OUTPUT, "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
