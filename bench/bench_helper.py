#!/usr/bin/env python3
"""Small helpers for bench/run.sh (standard library only).

  free-port                       print a TCP port that is free on 127.0.0.1
  call PORT OPERATION [JSON]      send one Kinesis JSON 1.1 request, print the response body;
                                  exit 1 unless the status is 2xx
  startup PORT -- COMMAND...      exec COMMAND, poll ListStreams on PORT in a tight loop, print
                                  the milliseconds from exec to the first 2xx answer, then stop
                                  COMMAND (SIGTERM, then SIGKILL) and wait for it
  rss PID                         print VmRSS of PID in KiB (from /proc/PID/status)
  seek-read PORT STREAM TIME_MS   print the milliseconds of GetShardIterator AT_TIMESTAMP TIME_MS
                                  on shardId-000000000000 plus one GetRecords (Limit 1000) from it
  median NUMBER...                print the median
"""

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/kinesis/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0123456789abcdef" * 4
)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def kinesis_request(port, operation, body="{}", timeout=5.0):
    """Returns (status, body) of one request on a fresh connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "POST",
            "/",
            body=body.encode(),
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": "Kinesis_20131202." + operation,
                "X-Amz-Date": "20260101T000000Z",
                "Authorization": AUTHORIZATION,
            },
        )
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def stop_process(process, grace_seconds=5.0):
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure_startup(port, command, limit_seconds=30.0):
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            elapsed = time.perf_counter() - started
            if process.poll() is not None:
                raise SystemExit(f"startup: {command[0]} exited with {process.returncode}")
            if elapsed > limit_seconds:
                raise SystemExit(f"startup: no ListStreams answer within {limit_seconds} s")
            try:
                status, _ = kinesis_request(port, "ListStreams", timeout=1.0)
                if 200 <= status < 300:
                    return (time.perf_counter() - started) * 1000.0
            except OSError:
                pass
            time.sleep(0.0005)
    finally:
        stop_process(process)


def resident_set_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise SystemExit(f"rss: no VmRSS for pid {pid}")


def write_report(path, report):
    """Writes a benchmark's markdown report to `path` (creating its folder) and prints it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report)
    print(report)


def exit_on_signal(signal_number, frame):
    # Turns SIGTERM into SystemExit so `finally` blocks stop the server this helper started.
    raise SystemExit(128 + signal_number)


def main(argv):
    signal.signal(signal.SIGTERM, exit_on_signal)
    signal.signal(signal.SIGHUP, exit_on_signal)
    if len(argv) < 2:
        raise SystemExit(__doc__)
    command = argv[1]
    if command == "free-port":
        print(free_port())
    elif command == "call":
        port, operation = int(argv[2]), argv[3]
        body = argv[4] if len(argv) > 4 else "{}"
        status, text = kinesis_request(port, operation, body)
        print(text)
        return 0 if 200 <= status < 300 else 1
    elif command == "startup":
        port = int(argv[2])
        if argv[3] != "--":
            raise SystemExit("usage: startup PORT -- COMMAND...")
        print(f"{measure_startup(port, argv[4:]):.1f}")
    elif command == "rss":
        print(resident_set_kib(int(argv[2])))
    elif command == "seek-read":
        port, stream, time_ms = int(argv[2]), argv[3], int(argv[4])
        import json

        started = time.perf_counter()
        status, text = kinesis_request(port, "GetShardIterator", json.dumps({
            "StreamName": stream, "ShardId": "shardId-000000000000",
            "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": time_ms / 1000}))
        if status != 200:
            return 1
        iterator = json.loads(text)["ShardIterator"]
        status, text = kinesis_request(port, "GetRecords", json.dumps({
            "ShardIterator": iterator, "Limit": 1000}), timeout=30.0)
        if status != 200 or not json.loads(text)["Records"]:
            return 1
        print(f"{(time.perf_counter() - started) * 1000:.1f}")
    elif command == "median":
        print(f"{statistics.median(float(value) for value in argv[2:]):.1f}")
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
