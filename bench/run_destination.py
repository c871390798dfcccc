#!/usr/bin/env python3
"""bench/run_destination.py: the Kinesis streaming destination under load (issue 13,
Performance): PutItem throughput with an ACTIVE destination against the same run without one,
whether delivery keeps up (outbox backlog), and put-to-visible latency through GetRecords and
through SubscribeToShard.

One Tributary (RocksDB unless BENCH_STORAGE=memory), destinations ACTIVE at once:
  throughput  loadgen put-item (every PutItem changes its item, so every one
              makes a destination record; BENCH_CONNECTIONS connections, BENCH_DURATION_S s) on
              "plain-table" (no destination), then on "dest-table" (a destination to
              "dest-stream", BENCH_SHARDS shards); BENCH_ROUNDS rounds, plain and destination
              taking turns. During each destination run /metrics is scraped every 0.5 s for the
              outbox backlog (its maximum); after it, the backlog left and the time until the
              outbox is empty are measured.
  latency     BENCH_LATENCY_RECORDS PutItem calls, one at a time, on "latency-table" (a
              destination to a 1-shard stream). For each: the time from sending PutItem to the
              record being returned by GetRecords (polled in a tight loop on the stream's
              LATEST iterator), then the same with a SubscribeToShard subscription (the record
              pushed in a SubscribeToShardEvent). Median and p99 of each.
Reported: PutItem req/s and p99 without and with the destination and their ratio (issue 13's
target: >= 70 %), records delivered per second during the run, the outbox backlog (max during,
left after, seconds to drain), FailedToReplicateRecordCount, and the two latencies (target:
median under 5 ms).

Environment (all optional): TRIBUTARY_BIN, LOADGEN_BIN, BENCH_DURATION_S=10,
BENCH_CONNECTIONS=64, BENCH_ROUNDS=1, BENCH_SHARDS=4, BENCH_LATENCY_RECORDS=1000,
BENCH_STORAGE (rocksdb or memory), BENCH_OUTPUT (bench/results/destination-latest.md).
Client and server share the machine: the numbers are comparisons, not capacities. The latency
client is Python; its parsing adds to every figure (an upper bound of the server's latency).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import pathlib
import re
import shutil
import socket
import statistics
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
from run_dynamodb import AUTHORIZATION, call  # noqa: E402
from subscribe_latency import HEADERS as KINESIS_HEADERS  # noqa: E402
from subscribe_latency import EventStreamReader  # noqa: E402
from subscribe_latency import call as kinesis_call  # noqa: E402

TRIBUTARY_BIN = os.environ.get("TRIBUTARY_BIN", str(ROOT / "build" / "tributary"))
LOADGEN_BIN = os.environ.get("LOADGEN_BIN", str(ROOT / "build" / "bench" / "loadgen"))
DURATION = float(os.environ.get("BENCH_DURATION_S", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "1"))
SHARDS = int(os.environ.get("BENCH_SHARDS", "4"))
LATENCY_RECORDS = int(os.environ.get("BENCH_LATENCY_RECORDS", "1000"))
STORAGE = os.environ.get("BENCH_STORAGE", "rocksdb")
OUTPUT = pathlib.Path(os.environ.get("BENCH_OUTPUT",
                                     str(BENCH / "results" / "destination-latest.md")))
PLAIN_TABLE = "plain-table"
DEST_TABLE = "dest-table"
LATENCY_TABLE = "latency-table"


def log(message: str) -> None:
    print(f"[bench-destination] {message}", file=sys.stderr, flush=True)


def ok(port: int, operation: str, body: dict) -> dict:
    status, text = call(port, operation, body, timeout=30)
    if status != 200:
        raise RuntimeError(f"{operation} answered {status}: {text[:300]}")
    return json.loads(text)


def create_table(port: int, name: str) -> None:
    ok(port, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "N"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                      {"AttributeName": "sk", "KeyType": "RANGE"}],
    })


def create_stream(control: http.client.HTTPConnection, name: str, shards: int) -> str:
    kinesis_call(control, "CreateStream", {"StreamName": name, "ShardCount": shards})
    while True:
        summary = kinesis_call(control, "DescribeStreamSummary", {"StreamName": name})[
            "StreamDescriptionSummary"]
        if summary["StreamStatus"] == "ACTIVE":
            return summary["StreamARN"]
        time.sleep(0.02)


def enable_destination(port: int, table: str, stream_arn: str) -> None:
    ok(port, "EnableKinesisStreamingDestination", {"TableName": table, "StreamArn": stream_arn})
    while ok(port, "DescribeKinesisStreamingDestination", {"TableName": table})[
            "KinesisDataStreamDestinations"][0]["DestinationStatus"] != "ACTIVE":
        time.sleep(0.02)


def destination_metrics(port: int, table: str) -> dict[str, float]:
    """replicated, failed (all reasons) and outbox samples of /metrics for `table`."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as response:
        text = response.read().decode()
    out = {"replicated": 0.0, "failed": 0.0, "outbox": 0.0}
    pattern = re.compile(r'^tributary_dynamodb_destination_(replicated_records_total|'
                         r'failed_to_replicate_records_total|outbox_records)\{([^}]*)\} (\S+)$')
    for line in text.splitlines():
        match = pattern.match(line)
        if not match or f'table="{table}"' not in match.group(2):
            continue
        name = {"replicated_records_total": "replicated",
                "failed_to_replicate_records_total": "failed",
                "outbox_records": "outbox"}[match.group(1)]
        out[name] += float(match.group(3))
    return out


def put_items(port: int, table: str) -> dict:
    completed = subprocess.run([
        LOADGEN_BIN, "--host", "127.0.0.1", "--port", str(port), "--mode", "put-item",
        "--content-type", "application/x-amz-json-1.0", "--service", "dynamodb",
        "--table", table, "--keys", "100000", "--record-size", "200",
        "--connections", str(CONNECTIONS), "--json", "--duration-s", str(DURATION),
        "--warmup-s", "1",
    ], capture_output=True, text=True, timeout=DURATION + 120)
    if completed.returncode != 0:
        raise RuntimeError(f"loadgen: {completed.stderr[-500:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def destination_run(port: int) -> dict:
    """One loadgen run on the destination's table, with the outbox watched during and after."""
    before = destination_metrics(port, DEST_TABLE)
    peak = {"outbox": 0.0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            peak["outbox"] = max(peak["outbox"], destination_metrics(port, DEST_TABLE)["outbox"])

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    try:
        result = put_items(port, DEST_TABLE)
    finally:
        stop.set()
        sampler.join()
    ended = time.perf_counter()
    after = destination_metrics(port, DEST_TABLE)
    left = after["outbox"]
    drained = after
    while drained["outbox"] > 0 and time.perf_counter() - ended < 600:
        time.sleep(0.1)
        drained = destination_metrics(port, DEST_TABLE)
    drain_s = time.perf_counter() - ended if left > 0 else 0.0
    result["outbox_peak"] = max(peak["outbox"], left)
    result["outbox_left"] = left
    result["drain_s"] = drain_s
    result["delivered_per_s"] = (after["replicated"] - before["replicated"]) / (ended - started)
    result["failed"] = drained["failed"] - before["failed"]
    return result


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[max(0, int(len(sorted_values) * fraction) - 1)]


def summary(latencies: list[float]) -> dict:
    latencies = sorted(latencies)
    return {"median_ms": statistics.median(latencies), "p99_ms": percentile(latencies, 0.99),
            "max_ms": latencies[-1]}


def dynamodb_connection(port: int) -> http.client.HTTPConnection:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.connect()
    connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return connection


def put_item(connection: http.client.HTTPConnection, index: int) -> None:
    body = json.dumps({"TableName": LATENCY_TABLE, "Item": {
        "pk": {"S": f"latency-{index}"}, "sk": {"N": "1"}, "data": {"S": "x" * 100}}})
    connection.request("POST", "/", body=body.encode(), headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "DynamoDB_20120810.PutItem",
        "X-Amz-Date": "20260101T000000Z",
        "Authorization": AUTHORIZATION,
    })
    response = connection.getresponse()
    text = response.read()
    if response.status != 200:
        raise RuntimeError(f"PutItem answered {response.status}: {text[:300]!r}")


def carries(records: list[dict], index: int) -> bool:
    marker = f'"latency-{index}"'.encode()
    return any(marker in base64.b64decode(r["Data"]) for r in records)


def latency_through_get_records(port: int, stream: str) -> dict:
    producer = dynamodb_connection(port)
    reader = dynamodb_connection(port)
    iterator = kinesis_call(reader, "GetShardIterator", {
        "StreamName": stream, "ShardId": "shardId-000000000000",
        "ShardIteratorType": "LATEST"})["ShardIterator"]
    latencies = []
    for index in range(LATENCY_RECORDS):
        started = time.perf_counter()
        put_item(producer, index)
        while True:
            answer = kinesis_call(reader, "GetRecords", {"ShardIterator": iterator})
            iterator = answer["NextShardIterator"]
            if carries(answer["Records"], index):
                break
        latencies.append((time.perf_counter() - started) * 1000)
    return summary(latencies)


def latency_through_subscribe_to_shard(port: int, control: http.client.HTTPConnection,
                                       stream_arn: str, first_index: int) -> dict:
    consumer = kinesis_call(control, "RegisterStreamConsumer",
                            {"StreamARN": stream_arn, "ConsumerName": "bench"})["Consumer"]
    while kinesis_call(control, "DescribeStreamConsumer", {"ConsumerARN": consumer["ConsumerARN"]})[
            "ConsumerDescription"]["ConsumerStatus"] != "ACTIVE":
        time.sleep(0.02)
    subscriber = socket.create_connection(("127.0.0.1", port), timeout=30)
    subscriber.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    body = json.dumps({"ConsumerARN": consumer["ConsumerARN"],
                       "ShardId": "shardId-000000000000",
                       "StartingPosition": {"Type": "LATEST"}}).encode()
    request = ["POST / HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}",
               "X-Amz-Target: Kinesis_20131202.SubscribeToShard"]
    request += [f"{name}: {value}" for name, value in KINESIS_HEADERS.items()]
    subscriber.sendall(("\r\n".join(request) + "\r\n\r\n").encode() + body)
    events = EventStreamReader(subscriber)
    headers, _ = events.next_message()
    if headers.get(":event-type") != "initial-response":
        raise RuntimeError(f"expected initial-response first, got {headers}")
    producer = dynamodb_connection(port)
    latencies = []
    # A subscription lives 5 minutes: enough for the default 1000 records.
    for index in range(first_index, first_index + LATENCY_RECORDS):
        started = time.perf_counter()
        put_item(producer, index)
        while True:
            headers, message = events.next_message()
            if headers.get(":message-type") != "event":
                raise RuntimeError(f"unexpected message {headers} {message!r}")
            if headers.get(":event-type") != "SubscribeToShardEvent":
                continue
            if carries(json.loads(message)["Records"], index):
                break
        latencies.append((time.perf_counter() - started) * 1000)
    subscriber.close()
    return summary(latencies)


def main() -> int:
    port = free_port()
    data_dir = tempfile.mkdtemp(prefix="tributary-bench-destination.")
    command = [TRIBUTARY_BIN, "--host", "127.0.0.1", "--port", str(port),
               "--create-table-ms", "0", "--create-stream-ms", "0",
               "--kinesis-destination-ms", "0", "--register-consumer-ms", "0",
               "--log-level", "warn"]
    command += ["--in-memory"] if STORAGE == "memory" else ["--data-dir", data_dir]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    plain_runs: list[dict] = []
    dest_runs: list[dict] = []
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
        control = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for table in (PLAIN_TABLE, DEST_TABLE, LATENCY_TABLE):
            create_table(port, table)
        enable_destination(port, DEST_TABLE, create_stream(control, "dest-stream", SHARDS))
        latency_arn = create_stream(control, "latency-stream", 1)
        enable_destination(port, LATENCY_TABLE, latency_arn)

        for round_number in range(ROUNDS):
            plain_runs.append(put_items(port, PLAIN_TABLE))
            log(f"round {round_number + 1}: without {plain_runs[-1]['requests_per_second']:.0f} "
                "req/s")
            dest_runs.append(destination_run(port))
            log(f"round {round_number + 1}: with {dest_runs[-1]['requests_per_second']:.0f} "
                f"req/s, outbox peak {dest_runs[-1]['outbox_peak']:.0f}, "
                f"drained in {dest_runs[-1]['drain_s']:.2f} s")
        get_records = latency_through_get_records(port, "latency-stream")
        log(f"GetRecords put-to-visible median {get_records['median_ms']:.2f} ms")
        subscribe = latency_through_subscribe_to_shard(port, control, latency_arn,
                                                       LATENCY_RECORDS)
        log(f"SubscribeToShard put-to-visible median {subscribe['median_ms']:.2f} ms")
    finally:
        stop_process(process)
        shutil.rmtree(data_dir, ignore_errors=True)

    def median_run(runs: list[dict]) -> dict:
        return sorted(runs, key=lambda r: r["requests_per_second"])[len(runs) // 2]

    plain, dest = median_run(plain_runs), median_run(dest_runs)
    ratio = dest["requests_per_second"] / plain["requests_per_second"] * 100
    report = "\n".join([
        "# Kinesis streaming destination benchmark",
        "",
        f"`bench/run_destination.py`: PutItem (200-byte items, 100,000 keys, each put a new version "
        f"of its item) at {CONNECTIONS} "
        f"connections for {DURATION:g} s, {ROUNDS} round(s) (median run shown), {STORAGE}; "
        f"destination stream of {SHARDS} shards; latency over {LATENCY_RECORDS} sequential "
        "PutItem calls to a 1-shard stream.",
        "",
        "| PutItem without req/s | p99 ms | with destination req/s | p99 ms | with / without | "
        "delivered records/s | outbox peak | outbox left | drain s | failed to replicate |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {plain['requests_per_second']:.0f} | {plain['latency_ms']['p99']:.2f} | "
        f"{dest['requests_per_second']:.0f} | {dest['latency_ms']['p99']:.2f} | {ratio:.0f} % | "
        f"{dest['delivered_per_s']:.0f} | {dest['outbox_peak']:.0f} | "
        f"{dest['outbox_left']:.0f} | {dest['drain_s']:.2f} | {dest['failed']:.0f} |",
        "",
        "| put-to-visible | median ms | p99 ms | max ms |",
        "|---|---:|---:|---:|",
        f"| GetRecords (polled) | {get_records['median_ms']:.2f} | {get_records['p99_ms']:.2f} | "
        f"{get_records['max_ms']:.2f} |",
        f"| SubscribeToShard (pushed) | {subscribe['median_ms']:.2f} | "
        f"{subscribe['p99_ms']:.2f} | {subscribe['max_ms']:.2f} |",
        "",
    ])
    write_report(OUTPUT, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
