"""Records behaviour that depends on time, driven by the server's test clock
(--test-clock, POST /_tributary/clock): AT_TIMESTAMP iterators between, before and after
records' arrival times, and shard-iterator expiry after 300 s.

The test clock only moves forward and keeps running in real time, so every bound below has
slack in the direction real time can add to it. Retention (also clock-driven) is in
test_records_retention.py.
"""

from __future__ import annotations

import base64
import datetime
import re

import pytest

from support import (
    TributaryServer,
    advance_test_clock,
    assert_error,
)
from .kinesis_support import (
    call,
    create_active_stream,
    drain_shard,
    kinesis_client,
    shard_iterator,
)

SHARD_0 = "shardId-000000000000"


@pytest.fixture(scope="module")
def clocked(tmp_path_factory):
    """A private --test-clock server for this module (each test uses streams of its own)."""
    instance = TributaryServer(data_dir=tmp_path_factory.mktemp("clocked-records"),
                               extra_args=["--test-clock"]).start()
    yield instance
    instance.stop()


@pytest.fixture
def client(clocked):
    return kinesis_client(clocked)


def arrival_ms(record) -> int:
    value = record["ApproximateArrivalTimestamp"]
    if isinstance(value, datetime.datetime):
        return round(value.timestamp() * 1000)
    return round(value * 1000)


def at_timestamp_iterator(server, name: str, timestamp):
    return call(server, "GetShardIterator", {"StreamName": name, "ShardId": SHARD_0,
                                             "ShardIteratorType": "AT_TIMESTAMP",
                                             "Timestamp": timestamp})


def read_from_timestamp(server, client, name: str, timestamp) -> list[bytes]:
    response = at_timestamp_iterator(server, name, timestamp)
    assert response.status == 200, (timestamp, response.describe())
    return [bytes(r["Data"]) for r in drain_shard(client, response.json["ShardIterator"])]


@pytest.fixture
def spaced_records(clocked, client):
    """A one-shard stream with r0, r1, r2 arriving at least 1 s apart (by the test clock).
    Returns (name, [arrival ms of r0, r1, r2])."""
    name = create_active_stream(client)
    for index in range(3):
        if index:
            advance_test_clock(clocked, 1000)
        client.put_record(StreamName=name, Data=f"r{index}".encode(), PartitionKey="p")
    advance_test_clock(clocked, 10)
    records = drain_shard(client, shard_iterator(client, name, SHARD_0))
    assert [bytes(r["Data"]) for r in records] == [b"r0", b"r1", b"r2"]
    arrivals = [arrival_ms(r) for r in records]
    assert arrivals[1] - arrivals[0] >= 1000 and arrivals[2] - arrivals[1] >= 1000, arrivals
    return name, arrivals


def test_at_timestamp_between_and_at_arrivals(clocked, client, spaced_records):
    name, (t0, t1, t2) = spaced_records
    everything = [b"r0", b"r1", b"r2"]
    # Wire Timestamp is epoch seconds with millisecond precision.
    assert read_from_timestamp(clocked, client, name, t0 / 1000) == everything
    assert read_from_timestamp(clocked, client, name, (t0 + 1) / 1000) == everything[1:]
    assert read_from_timestamp(clocked, client, name, (t0 + 500) / 1000) == everything[1:]
    assert read_from_timestamp(clocked, client, name, (t1 - 1) / 1000) == everything[1:]
    assert read_from_timestamp(clocked, client, name, t1 / 1000) == everything[1:]
    assert read_from_timestamp(clocked, client, name, (t1 + 999) / 1000) == everything[2:]
    assert read_from_timestamp(clocked, client, name, t2 / 1000) == everything[2:]


def test_at_timestamp_with_boto3_datetime(clocked, client, spaced_records):
    name, (t0, t1, _) = spaced_records
    # boto3 sends whole seconds here; floor(t1) lies in [t0, t1] because they are >= 1 s apart.
    between = datetime.datetime.fromtimestamp(t1 // 1000, tz=datetime.timezone.utc)
    iterator = shard_iterator(client, name, SHARD_0, "AT_TIMESTAMP", Timestamp=between)
    assert [bytes(r["Data"]) for r in drain_shard(client, iterator)] == [b"r1", b"r2"], (t0, t1)


def test_at_timestamp_before_the_oldest_record_reads_from_the_oldest(clocked, client,
                                                                       spaced_records):
    name, (t0, _, _) = spaced_records
    everything = [b"r0", b"r1", b"r2"]
    assert read_from_timestamp(clocked, client, name, (t0 - 1) / 1000) == everything
    assert read_from_timestamp(clocked, client, name, (t0 - 2 * 86_400_000) / 1000) == everything
    assert read_from_timestamp(clocked, client, name, 1) == everything
    assert read_from_timestamp(clocked, client, name, 0) == everything


def test_at_timestamp_after_the_last_record_waits_for_the_next(clocked, client, spaced_records):
    name, (_, _, t2) = spaced_records
    now = advance_test_clock(clocked, 5)["now_ms"]
    assert now > t2 + 1
    response = at_timestamp_iterator(clocked, name, (t2 + 1) / 1000)
    assert response.status == 200, response.describe()
    iterator = response.json["ShardIterator"]
    answer = client.get_records(ShardIterator=iterator)
    assert answer["Records"] == [] and answer["MillisBehindLatest"] == 0
    advance_test_clock(clocked, 5)
    client.put_record(StreamName=name, Data=b"r3", PartitionKey="p")
    assert [bytes(r["Data"]) for r in client.get_records(ShardIterator=iterator)["Records"]] == [
        b"r3"]


def test_at_timestamp_in_the_future(clocked, client):
    name = create_active_stream(client)
    before = advance_test_clock(clocked)["now_ms"]
    future_seconds = before // 1000 + 3600
    response = at_timestamp_iterator(clocked, name, future_seconds)
    after = advance_test_clock(clocked)["now_ms"]
    assert_error(response, "InvalidArgumentException")
    match = re.fullmatch(
        r"The timestampInMillis parameter cannot be greater than the currentTimestampInMillis\. "
        r"timestampInMillis: (\d+), currentTimestampInMillis: (\d+)",
        response.message)
    assert match, response.message
    assert int(match.group(1)) == future_seconds * 1000
    # The current time is the server's (test) clock.
    assert before <= int(match.group(2)) <= after, (before, match.group(2), after)


# --------------------------------------------------------------------------------------
# Iterator expiry
# --------------------------------------------------------------------------------------

JAVA_DATE = r"[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}"
EXPIRED_PREFIX = "Iterator expired. The iterator was created at time "
EXPIRED_SUFFIX = ("which is further in the future than the tolerated delay of 300000 "
                  "milliseconds.")


def parse_java_date(text: str) -> datetime.datetime:
    return datetime.datetime.strptime(text, "%a %b %d %H:%M:%S UTC %Y").replace(
        tzinfo=datetime.timezone.utc)


def test_iterator_expires_after_five_minutes(clocked, client):
    name = create_active_stream(client)
    client.put_records(StreamName=name, Records=[
        {"Data": f"r{i}".encode(), "PartitionKey": "p"} for i in range(3)])
    created_ms = advance_test_clock(clocked)["now_ms"]
    iterator = shard_iterator(client, name, SHARD_0)

    # Still valid just before the limit; its NextShardIterator is a fresh one.
    advance_test_clock(clocked, 299_000)
    first = client.get_records(ShardIterator=iterator, Limit=1)
    assert [bytes(r["Data"]) for r in first["Records"]] == [b"r0"]
    fresh = first["NextShardIterator"]

    advance_test_clock(clocked, 1_001)
    response = call(clocked, "GetRecords", {"ShardIterator": iterator})
    assert_error(response, "ExpiredIteratorException")
    message = response.message
    assert message.startswith(EXPIRED_PREFIX), message
    assert message.endswith(EXPIRED_SUFFIX), message
    # The dates are Java's Date.toString() in UTC, as AWS prints them.
    match = re.fullmatch(
        rf"Iterator expired\. The iterator was created at time ({JAVA_DATE}) while right now "
        rf"it is ({JAVA_DATE}) which is further in the future than the tolerated delay of "
        r"300000 milliseconds\.", message)
    assert match, message
    created, now = parse_java_date(match.group(1)), parse_java_date(match.group(2))
    assert abs(created.timestamp() * 1000 - created_ms) < 2000, (match.group(1), created_ms)
    assert 300 <= (now - created).total_seconds() <= 302, message

    # The iterator handed out 1 s ago still reads on, and so does an iterator quoted.
    answer = client.get_records(ShardIterator=fresh)
    assert [bytes(r["Data"]) for r in answer["Records"]] == [b"r1", b"r2"]
    quoted = call(clocked, "GetRecords", {"ShardIterator": '"' + iterator + '"'})
    assert_error(quoted, "ExpiredIteratorException")


def test_next_shard_iterators_chain_past_five_minutes(clocked, client):
    # A consumer that keeps reading never sees an expiry: each NextShardIterator is new.
    name = create_active_stream(client)
    iterator = shard_iterator(client, name, SHARD_0, "LATEST")
    for round_number in range(4):
        client.put_record(StreamName=name, Data=f"n{round_number}".encode(), PartitionKey="p")
        answer = client.get_records(ShardIterator=iterator)
        assert [bytes(r["Data"]) for r in answer["Records"]] == [f"n{round_number}".encode()]
        iterator = answer["NextShardIterator"]
        advance_test_clock(clocked, 200_000)
    assert client.get_records(ShardIterator=iterator)["Records"] == []


def test_tampered_expired_iterator_is_invalid(clocked, client):
    # Expiry is decided from the sealed creation time: tampering with an expired iterator
    # still says 'Invalid ShardIterator.'.
    name = create_active_stream(client)
    iterator = shard_iterator(client, name, SHARD_0)
    advance_test_clock(clocked, 300_001)
    assert_error(call(clocked, "GetRecords", {"ShardIterator": iterator}),
                 "ExpiredIteratorException")
    decoded = bytearray(base64.b64decode(iterator))
    decoded[len(decoded) // 2] ^= 0x80
    assert_error(call(clocked, "GetRecords",
                      {"ShardIterator": base64.b64encode(bytes(decoded)).decode()}),
                 "InvalidArgumentException", "Invalid ShardIterator.")
