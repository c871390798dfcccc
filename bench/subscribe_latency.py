#!/usr/bin/env python3
"""Put-to-delivery latency of SubscribeToShard (enhanced fan-out push), standard library only.

Starts a Tributary server (or uses --port of a running one), creates a one-shard stream,
registers a consumer, subscribes over HTTP/1.1 from LATEST, then sends --records PutRecord
calls one at a time on a keep-alive connection and measures, for each, the time from sending
the PutRecord request to receiving the SubscribeToShardEvent that carries the record. Prints
the median, p90, p99 and max in milliseconds (and JSON with --json).

  bench/subscribe_latency.py [--bin build/tributary] [--port P] [--records 1000] [--json]

The client is Python: its own parsing adds a little to every number, so the figures are an upper
bound of the server's latency.
"""
import argparse
import base64
import binascii
import http.client
import json
import os
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/kinesis/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0123456789abcdef" * 4
)
HEADERS = {
    "Content-Type": "application/x-amz-json-1.1",
    "X-Amz-Date": "20260101T000000Z",
    "Authorization": AUTHORIZATION,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(connection: http.client.HTTPConnection, operation: str, body: dict) -> dict:
    headers = dict(HEADERS, **{"X-Amz-Target": "Kinesis_20131202." + operation})
    connection.request("POST", "/", body=json.dumps(body).encode(), headers=headers)
    response = connection.getresponse()
    text = response.read()
    if response.status != 200:
        raise SystemExit(f"{operation} failed: {response.status} {text!r}")
    return json.loads(text) if text else {}


class EventStreamReader:
    """Reads event-stream messages from a chunked HTTP/1.1 response on a raw socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.raw = b""  # bytes read from the socket, not yet de-chunked
        self.body = b""  # de-chunked body bytes, not yet parsed into messages
        self.chunk_left = 0
        self.headers_done = False

    def _fill(self) -> None:
        data = self.sock.recv(1 << 16)
        if not data:
            raise SystemExit("the subscription ended")
        self.raw += data

    def _dechunk(self) -> None:
        if not self.headers_done:
            end = self.raw.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.raw[:end].decode()
            if " 200 " not in head.split("\r\n")[0]:
                raise SystemExit(f"SubscribeToShard failed: {head}\n{self.raw[end:]!r}")
            self.raw = self.raw[end + 4:]
            self.headers_done = True
        while self.raw:
            if self.chunk_left == 0:
                line_end = self.raw.find(b"\r\n")
                if line_end < 0:
                    return
                size = int(self.raw[:line_end].split(b";")[0], 16)
                if size == 0:
                    raise SystemExit("the subscription ended")
                self.raw = self.raw[line_end + 2:]
                self.chunk_left = size + 2  # the data and its CRLF
            take = min(self.chunk_left, len(self.raw))
            piece = self.raw[:take]
            self.chunk_left -= take
            self.raw = self.raw[take:]
            self.body += piece[: max(0, len(piece) - max(0, 2 - self.chunk_left))]

    def next_message(self) -> tuple[dict, bytes]:
        while True:
            self._dechunk()
            if len(self.body) >= 12:
                total, headers_length = struct.unpack(">II", self.body[:8])
                if len(self.body) >= total:
                    message = self.body[:total]
                    self.body = self.body[total:]
                    if binascii.crc32(message[:-4]) != struct.unpack(">I", message[-4:])[0]:
                        raise SystemExit("bad message CRC")
                    return parse_headers(message[12:12 + headers_length]), message[12 + headers_length:-4]
            self._fill()


def parse_headers(data: bytes) -> dict:
    headers = {}
    at = 0
    while at < len(data):
        name_length = data[at]
        name = data[at + 1:at + 1 + name_length].decode()
        at += 1 + name_length
        kind = data[at]
        at += 1
        if kind == 7:  # string
            (length,) = struct.unpack(">H", data[at:at + 2])
            headers[name] = data[at + 2:at + 2 + length].decode()
            at += 2 + length
        else:
            raise SystemExit(f"unexpected header type {kind}")
    return headers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "build", "tributary"))
    parser.add_argument("--port", type=int, help="use a running server instead of starting one")
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    server = None
    data_dir = None
    port = args.port
    if port is None:
        port = free_port()
        data_dir = tempfile.mkdtemp(prefix="tributary-subscribe-bench.")
        server = subprocess.Popen(
            [args.bin, "--host", "127.0.0.1", "--port", str(port), "--data-dir", data_dir,
             "--create-stream-ms", "0", "--register-consumer-ms", "0", "--log-level", "warn"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                control = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                call(control, "ListStreams", {})
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        stream = f"latency-{os.getpid()}"
        call(control, "CreateStream", {"StreamName": stream, "ShardCount": 1})
        while call(control, "DescribeStreamSummary", {"StreamName": stream})[
                "StreamDescriptionSummary"]["StreamStatus"] != "ACTIVE":
            time.sleep(0.02)
        stream_arn = call(control, "DescribeStreamSummary", {"StreamName": stream})[
            "StreamDescriptionSummary"]["StreamARN"]
        consumer = call(control, "RegisterStreamConsumer", {"StreamARN": stream_arn, "ConsumerName": "bench"})[
            "Consumer"]
        while call(control, "DescribeStreamConsumer", {"ConsumerARN": consumer["ConsumerARN"]})[
                "ConsumerDescription"]["ConsumerStatus"] != "ACTIVE":
            time.sleep(0.02)

        subscriber = socket.create_connection(("127.0.0.1", port), timeout=30)
        subscriber.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        body = json.dumps({"ConsumerARN": consumer["ConsumerARN"], "ShardId": "shardId-000000000000",
                           "StartingPosition": {"Type": "LATEST"}}).encode()
        request = ["POST / HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}",
                   "X-Amz-Target: Kinesis_20131202.SubscribeToShard"]
        request += [f"{name}: {value}" for name, value in HEADERS.items()]
        subscriber.sendall(("\r\n".join(request) + "\r\n\r\n").encode() + body)
        reader = EventStreamReader(subscriber)
        headers, _ = reader.next_message()
        if headers.get(":event-type") != "initial-response":
            raise SystemExit(f"expected initial-response first, got {headers}")

        producer = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        producer.connect()
        producer.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        latencies = []
        for index in range(args.records):
            payload = f"record-{index}".encode()
            started = time.perf_counter()
            call(producer, "PutRecord", {"StreamName": stream, "PartitionKey": "k",
                                         "Data": base64.b64encode(payload).decode()})
            while True:
                headers, message = reader.next_message()
                if headers.get(":message-type") != "event":
                    raise SystemExit(f"unexpected message {headers} {message!r}")
                if headers.get(":event-type") != "SubscribeToShardEvent":
                    continue
                records = json.loads(message)["Records"]
                if any(base64.b64decode(r["Data"]) == payload for r in records):
                    break
            latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        result = {
            "records": len(latencies),
            "median_ms": round(statistics.median(latencies), 3),
            "p90_ms": round(latencies[int(len(latencies) * 0.9) - 1], 3),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 3),
            "max_ms": round(latencies[-1], 3),
        }
        if args.json:
            print(json.dumps(result))
        else:
            print(f"put-to-delivery over {result['records']} records: median {result['median_ms']} ms, "
                  f"p90 {result['p90_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms")
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        if data_dir is not None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
