"""IncreaseStreamRetentionPeriod / DecreaseStreamRetentionPeriod (texts as real AWS prints
them) and retention trimming driven by the server's test clock.

Where AWS's check order is not known (a request violating both the 24..8760 range and the
direction rule), only the error type is asserted.
"""

from __future__ import annotations

import pytest

from support import (
    DEFAULT_ACCOUNT,
    TributaryServer,
    advance_test_clock,
    assert_error,
    unique_name,
)
from .kinesis_support import (
    call,
    create_active_stream,
    drain_shard,
    kinesis_client,
    shard_iterator,
    stream_arn,
)

SHARD_0 = "shardId-000000000000"
HOUR_MS = 3_600_000
INCREASE = "IncreaseStreamRetentionPeriod"
DECREASE = "DecreaseStreamRetentionPeriod"


def retention_of(client, name: str) -> int:
    summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    description = client.describe_stream(StreamName=name)["StreamDescription"]
    assert summary["RetentionPeriodHours"] == description["RetentionPeriodHours"]
    return summary["RetentionPeriodHours"]


def change(server, operation: str, name: str, hours: int):
    return call(server, operation, {"StreamName": name, "RetentionPeriodHours": hours})


def assert_ok(response) -> None:
    assert response.status == 200, response.describe()
    assert response.body == b"", response.describe()


# --------------------------------------------------------------------------------------
# The API
# --------------------------------------------------------------------------------------


def test_retention_happy_paths(server, kinesis):
    name = create_active_stream(kinesis)
    assert retention_of(kinesis, name) == 24
    assert_ok(change(server, INCREASE, name, 48))
    assert retention_of(kinesis, name) == 48
    # Applied at once; the next change right away succeeds (captured from AWS).
    assert_ok(change(server, DECREASE, name, 30))
    assert retention_of(kinesis, name) == 30
    kinesis.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=8760)
    assert retention_of(kinesis, name) == 8760
    kinesis.decrease_stream_retention_period(StreamName=name, RetentionPeriodHours=24)
    assert retention_of(kinesis, name) == 24
    # By ARN too.
    kinesis.increase_stream_retention_period(StreamARN=stream_arn(name), RetentionPeriodHours=25)
    assert retention_of(kinesis, name) == 25
    assert kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"][
        "StreamStatus"] == "ACTIVE"


def test_same_retention_is_a_successful_no_op(server, kinesis):
    # Real AWS accepts it (terraform calls IncreaseStreamRetentionPeriod 24 on new streams).
    name = create_active_stream(kinesis)
    assert_ok(change(server, INCREASE, name, 24))
    assert_ok(change(server, DECREASE, name, 24))
    assert retention_of(kinesis, name) == 24
    assert_ok(change(server, INCREASE, name, 100))
    assert_ok(change(server, INCREASE, name, 100))
    assert_ok(change(server, DECREASE, name, 100))
    assert retention_of(kinesis, name) == 100


def test_retention_below_minimum(server, kinesis):
    name = create_active_stream(kinesis)
    kinesis.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=48)
    assert_error(change(server, DECREASE, name, 23), "InvalidArgumentException",
                 "Minimum allowed retention period is 24 hours. Requested retention period "
                 "(23 hours) is too short.")
    assert_error(change(server, DECREASE, name, 1), "InvalidArgumentException",
                 "Minimum allowed retention period is 24 hours. Requested retention period "
                 "(1 hours) is too short.")
    # Increase to 23 also goes the wrong way; which check AWS reports first is unknown.
    assert_error(change(server, INCREASE, name, 23), "InvalidArgumentException")
    assert retention_of(kinesis, name) == 48


def test_retention_above_maximum(server, kinesis):
    name = create_active_stream(kinesis)
    assert_error(change(server, INCREASE, name, 8761), "InvalidArgumentException",
                 "Maximum allowed retention period is 8760 hours. Requested retention period "
                 "(8761 hours) is too long.")
    assert_error(change(server, INCREASE, name, 2_000_000_000), "InvalidArgumentException",
                 "Maximum allowed retention period is 8760 hours. Requested retention period "
                 "(2000000000 hours) is too long.")
    # Decrease to 8761 also goes the wrong way; which check AWS reports first is unknown.
    assert_error(change(server, DECREASE, name, 8761), "InvalidArgumentException")
    assert retention_of(kinesis, name) == 24


def test_retention_wrong_direction(server, kinesis):
    name = create_active_stream(kinesis)
    assert_error(change(server, DECREASE, name, 25), "InvalidArgumentException",
                 f"Requested retention period (25 hours) for stream {name} can not be longer "
                 "than existing retention period (24 hours). Use IncreaseRetentionPeriod API.")
    kinesis.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=25)
    assert_error(change(server, INCREASE, name, 24), "InvalidArgumentException",
                 f"Requested retention period (24 hours) for stream {name} can not be shorter "
                 "than existing retention period (25 hours). Use DecreaseRetentionPeriod API.")
    assert retention_of(kinesis, name) == 25


def test_retention_unknown_stream(server):
    missing = unique_name("missing")
    for operation in (INCREASE, DECREASE):
        assert_error(change(server, operation, missing, 48 if operation == INCREASE else 24),
                     "ResourceNotFoundException",
                     f"Stream {missing} under account {DEFAULT_ACCOUNT} not found.")


@pytest.mark.parametrize("operation", [INCREASE, DECREASE])
def test_retention_model_validation(server, kinesis, operation):
    name = create_active_stream(kinesis)
    assert_error(call(server, operation, {"StreamName": name}), "ValidationException",
                 "1 validation error detected: Value null at 'retentionPeriodHours' failed to "
                 "satisfy constraint: Member must not be null")
    # Below 1: AWS answered a ValidationException ('... Member must have value greater than
    # or equal to 1') in 2016, when the model had min 1; today's model has no minimum, so the
    # range rule's InvalidArgumentException is as plausible. Either way it is refused.
    for hours in (0, -1):
        response = change(server, operation, name, hours)
        assert response.status == 400, response.describe()
        assert response.error_type in ("ValidationException", "InvalidArgumentException"), (
            response.describe())
    assert retention_of(kinesis, name) == 24


# --------------------------------------------------------------------------------------
# Trimming under the test clock
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["rocksdb", "in-memory"])
def clocked(request, tmp_path_factory):
    in_memory = request.param == "in-memory"
    instance = TributaryServer(
        data_dir=None if in_memory else tmp_path_factory.mktemp("retention"),
        in_memory=in_memory, extra_args=["--test-clock"]).start()
    yield instance
    instance.stop()


def data_from(client, iterator: str) -> list[bytes]:
    return [bytes(r["Data"]) for r in drain_shard(client, iterator)]


def test_records_older_than_retention_are_not_returned(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    old = [client.put_record(StreamName=name, Data=f"old-{i}".encode(), PartitionKey="p")
           for i in range(3)]
    advance_test_clock(clocked, 23 * HOUR_MS)
    assert data_from(client, shard_iterator(client, name, SHARD_0)) == [b"old-0", b"old-1",
                                                                        b"old-2"]
    new = [client.put_record(StreamName=name, Data=f"new-{i}".encode(), PartitionKey="p")
           for i in range(2)]
    old_arrival_ms = advance_test_clock(clocked)["now_ms"] - 23 * HOUR_MS

    # The old records are now a little over 24 h old, the new ones 1 h: immediately (no
    # waiting for the background deletion) only the new ones are returned.
    advance_test_clock(clocked, HOUR_MS + 1000)
    assert data_from(client, shard_iterator(client, name, SHARD_0)) == [b"new-0", b"new-1"]
    # AT_TIMESTAMP before the trim horizon reads from the oldest untrimmed record.
    from_old_time = call(clocked, "GetShardIterator", {
        "StreamName": name, "ShardId": SHARD_0, "ShardIteratorType": "AT_TIMESTAMP",
        "Timestamp": (old_arrival_ms - 1000) / 1000})
    assert from_old_time.status == 200, from_old_time.describe()
    assert data_from(client, from_old_time.json["ShardIterator"]) == [b"new-0", b"new-1"]
    # AT_SEQUENCE_NUMBER on a retained record works as before.
    at_new = shard_iterator(client, name, SHARD_0, "AT_SEQUENCE_NUMBER",
                            StartingSequenceNumber=new[1]["SequenceNumber"])
    assert data_from(client, at_new) == [b"new-1"]
    # New writes still get larger sequence numbers than every earlier (trimmed) one.
    later = client.put_record(StreamName=name, Data=b"later", PartitionKey="p")
    assert int(later["SequenceNumber"]) > max(int(p["SequenceNumber"]) for p in old + new)
    assert data_from(client, shard_iterator(client, name, SHARD_0)) == [b"new-0", b"new-1",
                                                                        b"later"]


def test_everything_trimmed_leaves_an_empty_readable_shard(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client, shard_count=2)
    client.put_records(StreamName=name, Records=[
        {"Data": b"gone", "PartitionKey": f"k{i}"} for i in range(20)])
    advance_test_clock(clocked, 24 * HOUR_MS + 1000)
    for shard in ("shardId-000000000000", "shardId-000000000001"):
        answer = client.get_records(ShardIterator=shard_iterator(client, name, shard))
        assert answer["Records"] == [] and answer["MillisBehindLatest"] == 0
        assert answer["NextShardIterator"]


def test_retention_changes_move_the_trim_horizon(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    client.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=48)
    client.put_record(StreamName=name, Data=b"a", PartitionKey="p")
    advance_test_clock(clocked, 20 * HOUR_MS)
    client.put_record(StreamName=name, Data=b"b", PartitionKey="p")

    # a is 30 h old, b 10 h: both kept with 48 h.
    advance_test_clock(clocked, 10 * HOUR_MS)
    assert data_from(client, shard_iterator(client, name, SHARD_0)) == [b"a", b"b"]
    # Decreasing to 24 h hides a at once.
    client.decrease_stream_retention_period(StreamName=name, RetentionPeriodHours=24)
    assert data_from(client, shard_iterator(client, name, SHARD_0)) == [b"b"]
    # b expires 24 h after it arrived.
    advance_test_clock(clocked, 13 * HOUR_MS)
    assert data_from(client, shard_iterator(client, name, SHARD_0)) == [b"b"]
    advance_test_clock(clocked, 1 * HOUR_MS + 1000)
    assert data_from(client, shard_iterator(client, name, SHARD_0)) == []


def test_increasing_retention_does_not_bring_back_expired_records(clocked):
    # AWS docs (IncreaseStreamRetentionPeriod): a longer period "does not make previous,
    # expired data (older than the stream's previous retention period) accessible".
    # The increase comes right after expiry, before any background deletion could run.
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    client.put_record(StreamName=name, Data=b"expired", PartitionKey="p")
    advance_test_clock(clocked, 24 * HOUR_MS + 1000)
    client.put_record(StreamName=name, Data=b"kept", PartitionKey="p")
    client.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=72)
    assert data_from(client, shard_iterator(client, name, SHARD_0)) == [b"kept"]
    advance_test_clock(clocked, 2000)
    assert data_from(client, shard_iterator(client, name, SHARD_0)) == [b"kept"]
