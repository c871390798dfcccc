#!/usr/bin/env python3
"""bench/cpu_per_request.py: server CPU time per DynamoDB request, robust to a busy machine.

Starts Tributary (RocksDB engine unless BENCH_SERVER=tributary-memory), creates the bench table
of run_dynamodb.py, fills it (BENCH_KEYS items in partitions of 100), then for each mode sends a
fixed number of requests with loadgen and reads the server's user+system CPU time from
/proc/PID/stat before and after. Prints, per mode, microseconds of server CPU per request (and
per item for the multi-item modes). Before each run it waits until the server is idle, so
flushes and compactions started by an earlier run are not charged to the next; those a run
starts itself are charged to it (they are part of what a write costs). With BENCH_CALLGRIND=1 the server runs under
`valgrind --tool=callgrind` and the instructions it executed per request are printed too
(deterministic, so the steadiest A/B figure on a busy machine; hardware counters are not
available in this VM); the dumps stay in bench/results/callgrind.PID.out.N for
callgrind_annotate. Use small BENCH_REQUESTS and BENCH_KEYS then (valgrind is ~50x slower). Wall-clock throughput is printed too, but on a shared
machine only the CPU figures are comparable between builds.

  bench/cpu_per_request.py [MODE ...]        default: put-item get-item batch-write-item query
                                             update-item scan

Since loadgen gives every written item a run-wide increasing "version" (git 576341f), both
batch-write-item and batch-write-item-changed really overwrite the filled items;
batch-write-item-changed also takes other data (--seed 2, 3, ... per repeat). Before that,
batch-write-item rewrote the items with the data they already held, every write a no-op the
write path recognises and commits nothing (the figures the bwi branch recorded as "no-op").

Environment: TRIBUTARY_BIN, LOADGEN_BIN, BENCH_KEYS (20000), BENCH_REQUESTS (40000; divided by
25 for batch-write-item and by 100 for query, so each mode moves about the same items; scan drains
the table with 4 segments and is reported per item),
BENCH_CONNECTIONS (16), BENCH_REPEATS (3: the median is printed), BENCH_PERF=1 (record each mode
with `perf record` into bench/results/perf-MODE.data), BENCH_STRACE=1 (count the server's system
calls with `strace -c` into bench/results/strace-MODE.txt; strace slows the server, so the CPU
figures of such a run are not comparable), BENCH_CALLGRIND=1 (below),
BENCH_DESTINATION=1 (after the fill, an ACTIVE Kinesis streaming destination on the table, to a
4-shard stream; each run then also waits until the outbox is delivered, so the delivery
thread's work is charged to the writes that caused it),
BENCH_STREAM
(a StreamViewType, e.g. NEW_AND_OLD_IMAGES: the bench table gets a DynamoDB stream of that view
type after the fill, so the modes measure writes that also write stream records).

Mode streams-get-records (not in the default list): a GetRecords drain of the table's DynamoDB
stream (issue 12's drain). Before its first run the table gets a stream (BENCH_STREAM, or
NEW_AND_OLD_IMAGES) if it has none, and BENCH_REQUESTS PutItems (loadgen put-item over the
filled keys, so MODIFY records with both images of BENCH_ITEM_BYTES-byte items) fill it; each
run then reads every shard from TRIM_HORIZON to its end (loadgen streams-get-records, Limit
1000, one connection per shard), the same records every time. Reported per record.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_dynamodb  # noqa: E402

KEYS = int(os.environ.get("BENCH_KEYS", "20000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40000"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
PERF = os.environ.get("BENCH_PERF") == "1"
STRACE = os.environ.get("BENCH_STRACE") == "1"
SERVER = os.environ.get("BENCH_SERVER", "tributary-rocksdb")
ITEMS_PER_REQUEST = {"batch-write-item": 25, "batch-write-item-changed": 25, "query": 100}
# Modes reported per item (or record) read by a drain, not per request.
PER_RECORD = {"scan", "streams-get-records"}
CALLGRIND = os.environ.get("BENCH_CALLGRIND") == "1"
DESTINATION = os.environ.get("BENCH_DESTINATION") == "1"
STREAM = os.environ.get("BENCH_STREAM", "")
RESULTS = run_dynamodb.BENCH / "results"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_times(pid: int) -> tuple[float, float]:
    """The server's user and system CPU seconds so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / CLOCK_TICKS, int(fields[12]) / CLOCK_TICKS  # utime, stime


def cpu_seconds(pid: int) -> float:
    return sum(cpu_times(pid))


def wait_until_idle(pid: int, limit_s: float = 120.0) -> None:
    """Waits until the server has used almost no CPU for a second (flushes and compactions
    started by an earlier mode done), so their work is not charged to the next mode."""
    deadline = time.time() + limit_s
    while time.time() < deadline:
        before = cpu_seconds(pid)
        time.sleep(1.0)
        if cpu_seconds(pid) - before < 0.03:
            return


def callgrind_instructions(pid: int, mode: str) -> int:
    """Dumps the counts since the last zeroing; returns the instructions executed."""
    before = set(RESULTS.glob(f"callgrind.{pid}.out*"))
    subprocess.run(["callgrind_control", "-d", mode, str(pid)], check=True,
                   stdout=subprocess.DEVNULL)
    for _ in range(100):
        dumps = set(RESULTS.glob(f"callgrind.{pid}.out*")) - before
        if dumps:
            time.sleep(0.2)
            break
        time.sleep(0.1)
    dump = max(dumps, key=lambda p: p.stat().st_mtime)
    for line in dump.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise RuntimeError(f"no totals in {dump}")


def enable_destination(server: run_dynamodb.Server) -> None:
    """An ACTIVE Kinesis streaming destination on the bench table (run_destination.py's way)."""
    import http.client

    import run_destination
    control = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    arn = run_destination.create_stream(control, "bench-destination", 4)
    run_destination.enable_destination(server.port, run_dynamodb.TABLE, arn)


def wait_until_delivered(server: run_dynamodb.Server) -> None:
    import run_destination
    while run_destination.destination_metrics(server.port, run_dynamodb.TABLE)["outbox"] > 0:
        time.sleep(0.2)
def enable_stream(port: int, view_type: str) -> None:
    """Gives the bench table a DynamoDB stream (UpdateTable) and waits until it is ACTIVE."""
    status, body = run_dynamodb.call(port, "UpdateTable", {
        "TableName": run_dynamodb.TABLE,
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": view_type}})
    if status != 200:
        raise RuntimeError(f"UpdateTable (stream) answered {status}: {body[:200]}")
    for _ in range(400):
        status, body = run_dynamodb.call(port, "DescribeTable", {"TableName": run_dynamodb.TABLE})
        if status == 200 and json.loads(body)["Table"]["TableStatus"] == "ACTIVE":
            return
        time.sleep(0.05)
    raise RuntimeError("the table did not become ACTIVE after enabling its stream")


def latest_stream_arn(port: int) -> str | None:
    _, body = run_dynamodb.call(port, "DescribeTable", {"TableName": run_dynamodb.TABLE})
    return json.loads(body)["Table"].get("LatestStreamArn")


def fill_stream(server: run_dynamodb.Server) -> tuple[str, int]:
    """The table's stream (made if missing) filled by BENCH_REQUESTS PutItems: its ARN and
    shard count, for streams-get-records."""
    import run_dynamodb_streams
    if latest_stream_arn(server.port) is None:
        enable_stream(server.port, STREAM or "NEW_AND_OLD_IMAGES")
    server.load("put-item", CONNECTIONS, total_requests=REQUESTS)
    arn = latest_stream_arn(server.port)
    connection = run_dynamodb_streams.Connection(server.port)
    shards, request = 0, {"StreamArn": arn}
    while True:
        page = connection.call(run_dynamodb_streams.STREAMS + "DescribeStream",
                               request)["StreamDescription"]
        shards += len(page["Shards"])
        if "LastEvaluatedShardId" not in page:
            break
        request = {"StreamArn": arn, "ExclusiveStartShardId": page["LastEvaluatedShardId"]}
    connection.close()
    return arn, shards


def main() -> int:
    modes = sys.argv[1:] or ["put-item", "get-item", "batch-write-item", "query", "update-item",
                             "scan"]
    run_dynamodb.KEYS = KEYS
    RESULTS.mkdir(parents=True, exist_ok=True)
    if DESTINATION:
        without = run_dynamodb.command_for
        run_dynamodb.command_for = lambda name, port, data_dir: [
            *without(name, port, data_dir), "--create-stream-ms", "0",
            "--kinesis-destination-ms", "0"]
    if CALLGRIND:
        plain = run_dynamodb.command_for
        run_dynamodb.command_for = lambda name, port, data_dir: [
            "valgrind", "--tool=callgrind", "--dump-instr=no",
            f"--callgrind-out-file={RESULTS}/callgrind.%p.out", *plain(name, port, data_dir)]
    server = run_dynamodb.Server(SERVER)
    try:
        server.start()
        server.load("batch-write-item", 1, total_requests=(KEYS + 24) // 25)
        pid = server.process.pid
        if DESTINATION:
            enable_destination(server)
        if STREAM:
            enable_stream(server.port, STREAM)
        stream_arn, stream_shards = "", 0
        for mode in modes:
            if mode == "streams-get-records" and not stream_arn:
                stream_arn, stream_shards = fill_stream(server)
            per_item = ITEMS_PER_REQUEST.get(mode, 1)
            requests = max(1, REQUESTS // per_item)
            samples = []
            system = []  # the kernel's part of samples
            instructions = []  # thousands of user-space instructions per request
            rates = []
            for repeat in range(REPEATS):
                perf = None
                if PERF:
                    perf = subprocess.Popen(
                        ["perf", "record", "-q", "-p", str(pid), "-o",
                         str(RESULTS / f"perf-{mode}.data")],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if STRACE:  # every thread of the server; a summary of system calls at the end
                    threads = sorted(os.listdir(f"/proc/{pid}/task"))
                    perf = subprocess.Popen(
                        ["strace", "-c", "-q", "-o", str(RESULTS / f"strace-{mode}.txt"),
                         *[arg for tid in threads for arg in ("-p", tid)]],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    time.sleep(0.5)  # attached
                wait_until_idle(pid)
                if CALLGRIND:
                    subprocess.run(["callgrind_control", "-z", str(pid)], check=True,
                                   stdout=subprocess.DEVNULL)
                before = cpu_times(pid)
                if mode == "scan":  # a drain of the table, 4 segments
                    result = server.load(mode, 4, drain=True)
                elif mode == "streams-get-records":  # a drain of the stream, all shards
                    result = server.load(mode, stream_shards, drain=True,
                                         extra=("--stream-arn", stream_arn, "--limit", "1000"))
                elif mode == "batch-write-item-changed":  # new data on every repeat
                    result = server.load("batch-write-item", CONNECTIONS, total_requests=requests,
                                         extra=("--seed", str(2 + repeat)))
                else:
                    result = server.load(mode, CONNECTIONS, total_requests=requests)
                if DESTINATION:
                    wait_until_delivered(server)
                after = cpu_times(pid)
                if perf is not None:
                    perf.send_signal(2)
                    perf.wait()
                done = result["requests"] or 1
                if mode in PER_RECORD:  # per item or record, not per page
                    done = result["records"] or 1
                samples.append((sum(after) - sum(before)) / done * 1e6)
                system.append((after[1] - before[1]) / done * 1e6)
                if CALLGRIND:
                    instructions.append(callgrind_instructions(pid, mode) / done / 1000)
                rates.append(result["requests_per_second"])
                if result.get("errors"):
                    print(f"{mode}: {result['errors']} errors", file=sys.stderr)
            cpu = statistics.median(samples)
            unit = {"scan": "item", "streams-get-records": "record"}.get(mode, "request")
            line = (f"{mode}: {cpu:.2f} us server CPU per {unit}"
                    f" (runs {', '.join(f'{s:.1f}' for s in samples)};"
                    f" {statistics.median(system):.2f} of it in the kernel)")
            if per_item > 1:
                line += f", {cpu / per_item:.2f} us per item"
            if instructions:
                kinstr = statistics.median(instructions)
                line += f"; {kinstr:.2f}k instructions per {unit} (callgrind)"
                if per_item > 1:
                    line += f" ({kinstr / per_item:.2f}k per item)"
            line += f"; {statistics.median(rates):.0f} req/s wall clock"
            print(line, flush=True)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
