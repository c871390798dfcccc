"""SubscribeToShard (issue 5): records pushed to an enhanced fan-out consumer over an
application/vnd.amazon.eventstream response, read with boto3's event-stream reader over
HTTP/1.1, with curl over HTTP/2 (h2c, prior knowledge) and as CBOR.

Checked here: the initial-response event, records written after subscribing arriving in order
with their sequence numbers, every StartingPosition type, ContinuationSequenceNumber resuming
exactly, the idle event at least every 5 s, the clean end after 5 minutes of the server's clock,
the 5-second takeover rule (both halves), a consumer that is not ACTIVE, errors after the start
sent as exception events, the end of a closed shard with ChildShards, and put-to-delivery
latency (printed; bounded loosely).
"""
from __future__ import annotations

import base64
import datetime
import json
import shutil
import socket
import statistics
import subprocess
import threading
import time
from typing import Any, Callable, Optional

import botocore.eventstream
import botocore.exceptions
import pytest

from support import (
    shared_server_fixture,
    DEFAULT_ACCESS_KEY,
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    TributaryServer,
    advance_test_clock,
    assert_error,
    sign_headers,
    unique_name,
)
from .kinesis_support import (
    call,
    create_active_stream,
    kinesis_client,
    stream_arn,
)

SHARD = "shardId-000000000000"


fast = shared_server_fixture(
    "Consumers ACTIVE at once; real time.",
    ["--register-consumer-ms", "0", "--deregister-consumer-ms", "0"],
)
clocked = shared_server_fixture(
    "A clock the tests move; consumers ACTIVE at once, DELETING for 60 s.",
    ["--test-clock", "--register-consumer-ms", "0", "--deregister-consumer-ms", "60000",
     "--update-stream-ms", "0"],
    in_memory=True,
)


def new_consumer(client, name: str, consumer: str = "reader") -> str:
    return client.register_stream_consumer(
        StreamARN=stream_arn(name), ConsumerName=consumer)["Consumer"]["ConsumerARN"]


class Subscriber:
    """Reads one boto3 subscription on a thread: events, then how it ended."""

    def __init__(self, client, consumer_arn: str, position: dict, shard: str = SHARD) -> None:
        self.response = client.subscribe_to_shard(
            ConsumerARN=consumer_arn, ShardId=shard, StartingPosition=position)
        self.events: list[dict] = []
        self.arrivals: list[float] = []
        self.error: Optional[botocore.exceptions.ClientError] = None
        self.ended = threading.Event()
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            for event in self.response["EventStream"]:
                with self._changed:
                    self.events.append(event["SubscribeToShardEvent"])
                    self.arrivals.append(time.monotonic())
                    self._changed.notify_all()
        except botocore.exceptions.ClientError as error:
            self.error = error
        except Exception as error:  # noqa: BLE001 - a transport failure is a test failure
            self.error = error  # type: ignore[assignment]
        finally:
            with self._changed:
                self.ended.set()
                self._changed.notify_all()

    def records(self) -> list[dict]:
        with self._changed:
            return [record for event in self.events for record in event["Records"]]

    def wait(self, predicate: Callable[["Subscriber"], bool], timeout: float = 10.0,
             what: str = "") -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    pytest.fail(f"timed out waiting for {what}: {len(self.events)} events, "
                                f"error={self.error!r}, ended={self.ended.is_set()}")
                self._changed.wait(remaining)

    def wait_records(self, count: int, timeout: float = 10.0) -> list[dict]:
        self.wait(lambda s: sum(len(e["Records"]) for e in s.events) >= count or s.ended.is_set(),
                  timeout, f"{count} records")
        return self.records()

    def wait_events(self, count: int, timeout: float = 10.0) -> None:
        self.wait(lambda s: len(s.events) >= count or s.ended.is_set(), timeout, f"{count} events")

    def wait_end(self, timeout: float = 10.0) -> None:
        self.wait(lambda s: s.ended.is_set(), timeout, "the end of the subscription")

    def close(self) -> None:
        # Closing waits for the reader thread's read to return (a buffered reader's lock), which
        # may be the next idle event 5 s away: let that happen in the background.
        threading.Thread(target=self.response["EventStream"].close, daemon=True).start()


def put(client, name: str, data: bytes, key: str = "pk") -> dict:
    return client.put_record(StreamName=name, PartitionKey=key, Data=data)


# --------------------------------------------------------------------------------------------
# Delivery
# --------------------------------------------------------------------------------------------


def test_records_written_after_subscribing_arrive_in_order(fast):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumer = new_consumer(client, name)
    put(client, name, b"before")
    subscriber = Subscriber(client, consumer, {"Type": "LATEST"})
    # The first event comes at once, empty (LATEST starts after "before").
    subscriber.wait_events(1, timeout=5)
    assert subscriber.events[0]["Records"] == []
    assert subscriber.events[0]["MillisBehindLatest"] == 0
    written = []
    for i in range(30):
        answer = put(client, name, f"record-{i}".encode(), key=f"key-{i % 3}")
        written.append((answer["SequenceNumber"], f"record-{i}".encode(), f"key-{i % 3}"))
    records = subscriber.wait_records(30)
    assert [(r["SequenceNumber"], r["Data"], r["PartitionKey"]) for r in records] == written
    for record in records:
        assert isinstance(record["ApproximateArrivalTimestamp"], datetime.datetime)
        assert "EncryptionType" not in record
    last_event = subscriber.events[-1]
    assert last_event["ContinuationSequenceNumber"] == written[-1][0]
    assert last_event["MillisBehindLatest"] == 0
    subscriber.close()


@pytest.mark.parametrize("kind", ["TRIM_HORIZON", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER",
                                  "AT_TIMESTAMP", "LATEST"])
def test_starting_positions(fast, kind):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumer = new_consumer(client, name)
    early = [put(client, name, f"early-{i}".encode()) for i in range(5)]
    middle_time = None
    if kind == "AT_TIMESTAMP":
        # boto3 sends whole seconds: start the later records on a fresh second.
        now = time.time()
        middle_time = datetime.datetime.fromtimestamp(int(now) + 1, datetime.timezone.utc)
        time.sleep(int(now) + 1.05 - now)
    later = [put(client, name, f"later-{i}".encode()) for i in range(3)]
    position: dict[str, Any] = {"Type": kind}
    expected = [f"early-{i}".encode() for i in range(5)] + [f"later-{i}".encode() for i in range(3)]
    if kind == "AT_SEQUENCE_NUMBER":
        position["SequenceNumber"] = early[2]["SequenceNumber"]
        expected = expected[2:]
    elif kind == "AFTER_SEQUENCE_NUMBER":
        position["SequenceNumber"] = early[2]["SequenceNumber"]
        expected = expected[3:]
    elif kind == "AT_TIMESTAMP":
        position["Timestamp"] = middle_time
        expected = expected[5:]
    elif kind == "LATEST":
        expected = []
    subscriber = Subscriber(client, consumer, position)
    put(client, name, b"after")
    records = subscriber.wait_records(len(expected) + 1)
    assert [r["Data"] for r in records] == expected + [b"after"]
    subscriber.close()


def test_continuation_resumes_exactly(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    consumer = new_consumer(client, name)
    # An empty shard: the continuation number of the first event must resume at its start.
    first = Subscriber(client, consumer, {"Type": "TRIM_HORIZON"})
    first.wait_events(1)
    continuation = first.events[0]["ContinuationSequenceNumber"]
    first.close()
    put(client, name, b"zero")
    advance_test_clock(clocked, 5_000)  # past the takeover window
    # A polling reader given the same number starts at the same place.
    iterator = client.get_shard_iterator(
        StreamName=name, ShardId="shardId-000000000000", ShardIteratorType="AFTER_SEQUENCE_NUMBER",
        StartingSequenceNumber=continuation)["ShardIterator"]
    assert [r["Data"] for r in client.get_records(ShardIterator=iterator)["Records"]] == [b"zero"]
    second = Subscriber(client, consumer,
                        {"Type": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": continuation})
    assert [r["Data"] for r in second.wait_records(1)] == [b"zero"]
    continuation = second.events[-1]["ContinuationSequenceNumber"]
    put(client, name, b"one")
    second.wait_records(2)
    second.close()
    advance_test_clock(clocked, 5_000)
    third = Subscriber(client, consumer,
                       {"Type": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": continuation})
    assert [r["Data"] for r in third.wait_records(1)] == [b"one"]
    third.close()


def test_large_backlog_arrives_complete(fast):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumer = new_consumer(client, name)
    payload = b"x" * 50_000
    for i in range(0, 60, 10):
        client.put_records(StreamName=name, Records=[
            {"PartitionKey": "p", "Data": payload + str(j).encode()} for j in range(i, i + 10)])
    subscriber = Subscriber(client, consumer, {"Type": "TRIM_HORIZON"})
    records = subscriber.wait_records(60, timeout=20)
    assert [r["Data"] for r in records] == [payload + str(j).encode() for j in range(60)]
    # Several events (about 1 MiB each); the ones before the tip say how far behind they are.
    with_records = [e for e in subscriber.events if e["Records"]]
    assert len(with_records) > 1
    assert with_records[-1]["MillisBehindLatest"] == 0
    subscriber.close()


def test_encryption_type_is_echoed(fast):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumer = new_consumer(client, name)
    client.start_stream_encryption(StreamName=name, EncryptionType="KMS",
                                   KeyId="alias/aws/kinesis")
    subscriber = Subscriber(client, consumer, {"Type": "LATEST"})
    put(client, name, b"secret")
    assert subscriber.wait_records(1)[0]["EncryptionType"] == "KMS"
    subscriber.close()


# --------------------------------------------------------------------------------------------
# Time: idle events, the 5-minute end
# --------------------------------------------------------------------------------------------


def test_idle_event_within_five_seconds(fast):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumer = new_consumer(client, name)
    subscriber = Subscriber(client, consumer, {"Type": "LATEST"})
    subscriber.wait_events(1)
    subscriber.wait_events(2, timeout=10)
    gap = subscriber.arrivals[1] - subscriber.arrivals[0]
    # About 5 s apart; wide bounds because the reader thread's clock is not the server's on a
    # busy machine (test_idle_events_and_end_follow_the_server_clock checks it exactly).
    assert 3.0 <= gap <= 8.0, gap
    assert subscriber.events[1]["Records"] == []
    assert subscriber.events[1]["ContinuationSequenceNumber"] == \
        subscriber.events[0]["ContinuationSequenceNumber"]
    subscriber.close()


def test_idle_events_and_end_follow_the_server_clock(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    consumer = new_consumer(client, name)
    subscriber = Subscriber(client, consumer, {"Type": "LATEST"})
    subscriber.wait_events(1)
    advance_test_clock(clocked, 5_000)
    subscriber.wait_events(2, timeout=2)  # far sooner than 5 s of real time
    assert not subscriber.ended.is_set()
    advance_test_clock(clocked, 290_000)
    subscriber.wait_events(3, timeout=2)
    assert not subscriber.ended.is_set()
    advance_test_clock(clocked, 5_000)  # 5 minutes after subscribing
    subscriber.wait_end(timeout=2)
    assert subscriber.error is None  # a clean end, not an error


# --------------------------------------------------------------------------------------------
# The 5-second rule
# --------------------------------------------------------------------------------------------


def test_second_subscription_within_five_seconds_is_refused_then_takes_over(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    consumer = new_consumer(client, name, "taker")
    first = Subscriber(client, consumer, {"Type": "LATEST"})
    first.wait_events(1)
    # AWS's text: account, stream, shard, consumer.
    expected = (f"Another active subscription exists for this consumer: "
                f"{DEFAULT_ACCOUNT}:{name}:{SHARD}:taker")
    with pytest.raises(client.exceptions.ResourceInUseException) as refused:
        client.subscribe_to_shard(ConsumerARN=consumer, ShardId=SHARD,
                                  StartingPosition={"Type": "LATEST"})
    assert refused.value.response["Error"]["Message"] == expected
    advance_test_clock(clocked, 4_900)
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.subscribe_to_shard(ConsumerARN=consumer, ShardId=SHARD,
                                  StartingPosition={"Type": "LATEST"})
    # Other shards and other consumers are not affected.
    other = new_consumer(client, name, "other")
    Subscriber(client, other, {"Type": "LATEST"}).wait_events(1)

    advance_test_clock(clocked, 100)  # 5 s after the first subscription
    second = Subscriber(client, consumer, {"Type": "LATEST"})
    first.wait_end(timeout=5)
    assert first.error is not None
    assert first.error.response["Error"]["Code"] == "ResourceInUseException"
    put(client, name, b"for-the-second")
    assert [r["Data"] for r in second.wait_records(1)] == [b"for-the-second"]
    second.close()


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def test_subscribe_errors(start_server):
    server = start_server(in_memory=True, extra_args=["--register-consumer-ms", "60000",
                                                      "--test-clock"])
    client = kinesis_client(server)
    name = create_active_stream(client)
    consumer = client.register_stream_consumer(
        StreamARN=stream_arn(name), ConsumerName="young")["Consumer"]
    seconds = consumer["ConsumerARN"].rsplit(":", 1)[1]
    payload = {"ConsumerARN": consumer["ConsumerARN"], "ShardId": SHARD,
               "StartingPosition": {"Type": "LATEST"}}
    # AWS's text for a consumer that is not ACTIVE.
    assert_error(call(server, "SubscribeToShard", payload), "ResourceInUseException",
                 f"Consumer young with creation timestamp {seconds} under stream: {name} , "
                 f"account {DEFAULT_ACCOUNT} is not in ACTIVE status.")
    advance_test_clock(server, 60_000)
    stale = consumer["ConsumerARN"].rsplit(":", 1)[0] + ":1000000000"
    assert_error(call(server, "SubscribeToShard", dict(payload, ConsumerARN=stale)),
                 "ResourceNotFoundException", f"Consumer {stale} not found.")
    assert_error(call(server, "SubscribeToShard", dict(payload, ShardId="shardId-000000000009")),
                 "ResourceNotFoundException",
                 f"Shard shardId-000000000009 in stream {name} under account {DEFAULT_ACCOUNT} "
                 "does not exist")
    assert_error(call(server, "SubscribeToShard",
                      dict(payload, StartingPosition={"Type": "AT_SEQUENCE_NUMBER"})),
                 "InvalidArgumentException")
    assert_error(call(server, "SubscribeToShard",
                      dict(payload, StartingPosition={"Type": "AT_TIMESTAMP"})),
                 "InvalidArgumentException")
    assert_error(call(server, "SubscribeToShard",
                      dict(payload, StartingPosition={"Type": "AFTER_SEQUENCE_NUMBER",
                                                      "SequenceNumber": "12345"})),
                 "InvalidArgumentException")
    assert_error(call(server, "SubscribeToShard",
                      dict(payload, StartingPosition={"Type": "SOMEWHERE"})),
                 "ValidationException")
    # None of the refused calls counted as a subscription: this one is not refused.
    response = client.subscribe_to_shard(ConsumerARN=consumer["ConsumerARN"], ShardId=SHARD,
                                         StartingPosition={"Type": "LATEST"})
    response["EventStream"].close()


def test_deregistration_ends_the_subscription_with_an_exception_event(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    consumer = new_consumer(client, name, "leaving")
    subscriber = Subscriber(client, consumer, {"Type": "LATEST"})
    subscriber.wait_events(1)
    client.deregister_stream_consumer(ConsumerARN=consumer)
    # Ended by the deregistration itself: the server clock does not move (the next keep-alive
    # would be 5 s of it away).
    subscriber.wait_end(timeout=5)
    assert subscriber.error is not None
    assert subscriber.error.response["Error"]["Code"] == "ResourceNotFoundException"
    assert subscriber.error.response["Error"]["Message"] == f"Consumer {consumer} not found."


def test_deleted_stream_ends_the_subscription(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    consumer = new_consumer(client, name)
    subscriber = Subscriber(client, consumer, {"Type": "LATEST"})
    subscriber.wait_events(1)
    client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
    subscriber.wait_end(timeout=5)  # at once, without moving the server clock
    assert subscriber.error is not None
    assert subscriber.error.response["Error"]["Code"] == "ResourceNotFoundException"


def test_closed_shard_ends_with_child_shards(fast):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumer = new_consumer(client, name)
    put(client, name, b"before-split")
    subscriber = Subscriber(client, consumer, {"Type": "TRIM_HORIZON"})
    subscriber.wait_records(1)
    client.split_shard(StreamName=name, ShardToSplit=SHARD,
                       NewStartingHashKey=str(2**127))
    # The split, once applied at the end of its UPDATING period (--update-stream-ms, 500 ms by
    # default), wakes the subscription: well before the next idle event.
    subscriber.wait_end(timeout=2)
    assert subscriber.error is None
    final = subscriber.events[-1]
    assert "ContinuationSequenceNumber" not in final
    children = final["ChildShards"]
    assert sorted(c["ShardId"] for c in children) == ["shardId-000000000001",
                                                       "shardId-000000000002"]
    for child in children:
        assert child["ParentShards"] == [SHARD]
    assert [r["Data"] for r in subscriber.records()] == [b"before-split"]
    # A subscription to the closed shard now delivers what is left and ends at once.
    advance = Subscriber(kinesis_client(fast), new_consumer(client, name, "late"),
                         {"Type": "TRIM_HORIZON"})
    advance.wait_end(timeout=2)
    assert [r["Data"] for r in advance.records()] == [b"before-split"]
    assert advance.events[-1]["ChildShards"] == children


# --------------------------------------------------------------------------------------------
# Other transports and dialects
# --------------------------------------------------------------------------------------------


def decode_frames(data: bytes) -> list[botocore.eventstream.EventStreamMessage]:
    buffer = botocore.eventstream.EventStreamBuffer()
    buffer.add_data(data)
    return list(buffer)


def test_http2_with_curl(fast):
    """curl (nghttp2) over h2c: an independent HTTP/2 client reading the event stream."""
    if shutil.which("curl") is None:
        pytest.fail("curl is needed for this test (apt-get install curl)")
    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumer = new_consumer(client, name)
    # Two records before subscribing (read from TRIM_HORIZON), one pushed after.
    put(client, name, b"h2-0")
    put(client, name, b"h2-1")
    body = json.dumps({"ConsumerARN": consumer, "ShardId": SHARD,
                       "StartingPosition": {"Type": "TRIM_HORIZON"}})
    command = [
        "curl", "-sS", "-N", "--http2-prior-knowledge", "--max-time", "6",
        "-H", "Content-Type: application/x-amz-json-1.1",
        "-H", "X-Amz-Target: Kinesis_20131202.SubscribeToShard",
        "-H", "X-Amz-Date: 20260101T000000Z",
        "-H", "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/"
              "aws4_request, SignedHeaders=host, Signature=abc",
        "-D", "-", "--data-binary", body, f"http://127.0.0.1:{fast.port}/",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)
    put(client, name, b"h2-2")
    output, errors = process.communicate(timeout=20)
    # --max-time ends the transfer (exit code 28): the subscription itself was still open.
    assert process.returncode == 28, errors.decode(errors="replace")
    head, _, stream = output.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/2 200"), head
    assert b"content-type: application/vnd.amazon.eventstream" in head.lower()
    frames = decode_frames(stream)
    assert frames[0].headers[":event-type"] == "initial-response"
    assert frames[0].headers[":message-type"] == "event"
    assert json.loads(frames[0].payload) == {}
    events = [json.loads(f.payload) for f in frames[1:]]
    assert all(f.headers[":event-type"] == "SubscribeToShardEvent" for f in frames[1:])
    data = [base64.b64decode(r["Data"]) for e in events for r in e["Records"]]
    assert data == [b"h2-0", b"h2-1", b"h2-2"]


def dechunk(data: bytes) -> bytes:
    """The body bytes of the complete chunks in `data` (a chunked body read so far)."""
    payload = bytearray()
    while data:
        size_line, found, rest = data.partition(b"\r\n")
        if not found:
            break
        size = int(size_line.split(b";")[0], 16)
        if size == 0 or len(rest) < size + 2:
            break
        payload += rest[:size]
        data = rest[size + 2:]
    return bytes(payload)


def read_event_stream_http1(server: TributaryServer, content_type: str, body: bytes,
                            frames_wanted: int, timeout: float = 10.0
                            ) -> tuple[int, dict[str, str], bytes]:
    """Sends a signed SubscribeToShard over a raw HTTP/1.1 connection and reads until the body
    holds `frames_wanted` complete event-stream messages (or `timeout` seconds pass; the
    subscription stays open); returns status, headers and the de-chunked body so far."""
    headers = sign_headers(
        method="POST", url=f"http://127.0.0.1:{server.port}/",
        headers={"Content-Type": content_type, "Host": f"127.0.0.1:{server.port}",
                 "X-Amz-Target": "Kinesis_20131202.SubscribeToShard"},
        body=body, access_key=DEFAULT_ACCESS_KEY, region=DEFAULT_REGION)
    head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += f"Content-Length: {len(body)}\r\n\r\n"
    received = bytearray()
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as connection:
        connection.sendall(head.encode() + body)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _, separator, rest = bytes(received).partition(b"\r\n\r\n")
            if separator and len(decode_frames(dechunk(rest))) >= frames_wanted:
                break
            connection.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = connection.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            received += chunk
    raw_head, _, rest = bytes(received).partition(b"\r\n\r\n")
    lines = raw_head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    response_headers = {k.lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
    assert response_headers.get("transfer-encoding") == "chunked", response_headers
    return status, response_headers, dechunk(rest)


def test_cbor_events(fast):
    from . import cbor_support  # needs cbor2 (Debian's python3-cbor2; run.sh finds it)

    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumer = new_consumer(client, name)
    put(client, name, b"\x00\x01binary")
    request = cbor_support.encode_definite({"ConsumerARN": consumer, "ShardId": SHARD,
                                            "StartingPosition": {"Type": "TRIM_HORIZON"}})
    status, headers, body = read_event_stream_http1(fast, "application/x-amz-cbor-1.1",
                                                    request, frames_wanted=2)
    assert status == 200
    assert headers["content-type"] == "application/vnd.amazon.eventstream"
    frames = decode_frames(body)
    assert frames[0].headers[":event-type"] == "initial-response"
    assert cbor_support.decode(frames[0].payload) == {}
    assert frames[1].headers[":content-type"] == "application/x-amz-cbor-1.1"
    event = cbor_support.decode(frames[1].payload)
    record = event["Records"][0]
    assert record["Data"] == b"\x00\x01binary"  # a byte string, not base64 text
    assert isinstance(record["ApproximateArrivalTimestamp"], cbor_support.RawTimestamp)
    assert isinstance(record["ApproximateArrivalTimestamp"].value, int)  # epoch milliseconds


def test_json_frames_over_http1(fast):
    """The frames boto3 reads, checked directly: headers, JSON payloads, chunked encoding."""
    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumer = new_consumer(client, name)
    put(client, name, b"plain")
    request = json.dumps({"ConsumerARN": consumer, "ShardId": SHARD,
                          "StartingPosition": {"Type": "TRIM_HORIZON"}}).encode()
    status, headers, body = read_event_stream_http1(fast, "application/x-amz-json-1.1", request,
                                                    frames_wanted=2)
    assert status == 200
    frames = decode_frames(body)
    assert [(f.headers[":message-type"], f.headers[":event-type"]) for f in frames] == [
        ("event", "initial-response"), ("event", "SubscribeToShardEvent")]
    assert frames[0].payload == b"{}"
    assert frames[1].headers[":content-type"] == "application/x-amz-json-1.1"
    event = json.loads(frames[1].payload)
    assert set(event) == {"Records", "ContinuationSequenceNumber", "MillisBehindLatest"}
    assert base64.b64decode(event["Records"][0]["Data"]) == b"plain"
    # Epoch seconds with a millisecond fraction, never exponent form.
    assert "e" not in json.dumps(event["Records"][0]["ApproximateArrivalTimestamp"]).lower()


# --------------------------------------------------------------------------------------------
# Latency
# --------------------------------------------------------------------------------------------


def test_put_to_delivery_latency(fast):
    """Median time from a PutRecord's start to the record's arrival at the subscriber (boto3 on
    both ends, loopback). Printed for bench/README.md; the bound here is loose on purpose."""
    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumer = new_consumer(client, name)
    subscriber = Subscriber(client, consumer, {"Type": "LATEST"})
    subscriber.wait_events(1)
    latencies = []
    for i in range(100):
        before = len(subscriber.records())
        started = time.monotonic()
        put(client, name, f"t{i}".encode())
        subscriber.wait_records(before + 1, timeout=5)
        latencies.append((subscriber.arrivals[-1] - started) * 1000)
    median = statistics.median(latencies)
    print(f"\nput-to-delivery latency over 100 records: median {median:.2f} ms, "
          f"p90 {sorted(latencies)[89]:.2f} ms")
    assert median < 1000, latencies  # the number is the point; the bound only catches a stall
    subscriber.close()
