"""DynamoDB Streams under the server's test clock: iterator expiry (15 min), shard rollover and
lineage, 24 h retention (TrimmedDataAccessException), disable / re-enable / DeleteTable
lifetimes, and a consumer in the KCL's manner reconstructing a table written concurrently while
its shards roll over."""

from __future__ import annotations

import random
import threading

import botocore.exceptions
import pytest

from support import advance_test_clock, error_code, error_message, poll_until, unique_name
from dynamodb.dynamodb_support import dynamodb_client, hash_table_arguments, wait_for_table

from .streams_support import all_shards, read_shard, read_stream

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


@pytest.fixture
def ddb(clocked_dynamodb):
    return clocked_dynamodb


@pytest.fixture
def streams(clocked_streams):
    return clocked_streams


def stream_table(ddb, view_type="NEW_AND_OLD_IMAGES"):
    name = unique_name("clk")
    arguments = hash_table_arguments(name)
    arguments["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": view_type}
    created = ddb.create_table(**arguments)["TableDescription"]
    return name, created["LatestStreamArn"]


def raises(code, call):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call()
    assert error_code(raised.value) == code, error_message(raised.value)
    return error_message(raised.value)


def test_iterator_expires_after_15_minutes(clocked_streams_server, ddb, streams):
    _, arn = stream_table(ddb)
    shard = all_shards(streams, arn)[0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    advance_test_clock(clocked_streams_server, 15 * 60_000 - 5_000)
    next_iterator = streams.get_records(ShardIterator=iterator)["NextShardIterator"]
    advance_test_clock(clocked_streams_server, 10_000)
    raises("ExpiredIteratorException", lambda: streams.get_records(ShardIterator=iterator))
    # A NextShardIterator gets a fresh 15 minutes.
    streams.get_records(ShardIterator=next_iterator)


def test_rollover_lineage(clocked_streams_server, ddb, streams):
    name, arn = stream_table(ddb, "KEYS_ONLY")
    for i in range(20):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"before-{i}"}})
    first = all_shards(streams, arn)
    # Iterators taken 5 minutes before the rollover (they live 15 minutes).
    advance_test_clock(clocked_streams_server, HOUR_MS - 5 * 60_000)
    open_iterators = {s["ShardId"]: streams.get_shard_iterator(
        StreamArn=arn, ShardId=s["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        for s in first}
    advance_test_clock(clocked_streams_server, 6 * 60_000)
    for i in range(20):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"after-{i}"}})
    shards = all_shards(streams, arn)
    assert len(shards) == 2 * len(first)
    by_id = {s["ShardId"]: s for s in shards}
    for parent in first:
        pid = parent["ShardId"]
        closed = by_id[pid]
        assert "EndingSequenceNumber" in closed["SequenceNumberRange"]
        children = streams.describe_stream(StreamArn=arn, ShardFilter={
            "Type": "CHILD_SHARDS", "ShardId": pid})["StreamDescription"]["Shards"]
        assert len(children) == 1 and children[0]["ParentShardId"] == pid
        child = children[0]
        assert child["ShardId"] > pid
        assert "EndingSequenceNumber" not in child["SequenceNumberRange"]
        assert (int(child["SequenceNumberRange"]["StartingSequenceNumber"])
                > int(closed["SequenceNumberRange"]["EndingSequenceNumber"]))
        # The iterator taken while the shard was open reads to its end, then has no successor.
        answer = streams.get_records(ShardIterator=open_iterators[pid])
        assert "NextShardIterator" not in answer
        for record in answer["Records"]:
            assert record["dynamodb"]["Keys"]["pk"]["S"].startswith("before-")
        for record in read_shard(streams, arn, child["ShardId"]):
            assert record["dynamodb"]["Keys"]["pk"]["S"].startswith("after-")
    keys = sorted(r["dynamodb"]["Keys"]["pk"]["S"] for r in read_stream(streams, arn))
    assert keys == sorted([f"before-{i}" for i in range(20)] + [f"after-{i}" for i in range(20)])


def test_records_are_trimmed_after_24_hours(clocked_streams_server, ddb, streams):
    name, arn = stream_table(ddb, "KEYS_ONLY")
    ddb.put_item(TableName=name, Item={"pk": {"S": "same"}, "v": {"N": "1"}})
    old_shards = all_shards(streams, arn)
    old = read_stream(streams, arn)[0]
    advance_test_clock(clocked_streams_server, 40 * 60_000)
    ddb.put_item(TableName=name, Item={"pk": {"S": "same"}, "v": {"N": "2"}})
    advance_test_clock(clocked_streams_server, DAY_MS - 40 * 60_000 + 10 * 60_000)
    shard = next(s["ShardId"] for s in old_shards
                 if s["SequenceNumberRange"]["StartingSequenceNumber"][0]
                 == old["dynamodb"]["SequenceNumber"][0])
    # The lifecycle job trims the first record (older than 24 h) but not the second.
    poll_until(lambda: error_code_of(lambda: streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
        SequenceNumber=old["dynamodb"]["SequenceNumber"])) == "TrimmedDataAccessException",
        timeout=10)
    records = read_shard(streams, arn, shard)
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in records] == ["same"]
    assert records[0]["dynamodb"]["SequenceNumber"] != old["dynamodb"]["SequenceNumber"]
    # A day later still, the shard itself is gone from DescribeStream and reads are trimmed.
    advance_test_clock(clocked_streams_server, DAY_MS)
    assert shard not in {s["ShardId"] for s in all_shards(streams, arn)}
    raises("TrimmedDataAccessException", lambda: streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"))


def error_code_of(call):
    try:
        call()
    except botocore.exceptions.ClientError as error:
        return error_code(error)
    return None


def test_disabled_stream_lives_24_hours(clocked_streams_server, ddb, streams):
    name, arn = stream_table(ddb, "KEYS_ONLY")
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}})
    ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    wait_for_table(ddb, name)
    assert streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == "DISABLED"
    advance_test_clock(clocked_streams_server, DAY_MS - 60_000)
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_stream(streams, arn)] == ["a"]
    assert arn in [s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]]
    advance_test_clock(clocked_streams_server, 120_000)
    message = raises("ResourceNotFoundException", lambda: streams.describe_stream(StreamArn=arn))
    assert message == f"Requested resource not found: Stream: {arn} not found"
    assert streams.list_streams(TableName=name)["Streams"] == []
    # The table keeps its LatestStreamArn.
    assert ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"] == arn


def test_delete_table_disables_its_stream(clocked_streams_server, ddb, streams):
    name, arn = stream_table(ddb, "NEW_IMAGE")
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}})
    ddb.delete_table(TableName=name)
    poll_until(lambda: error_code_of(lambda: ddb.describe_table(TableName=name))
               == "ResourceNotFoundException", timeout=10)
    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert description["StreamStatus"] == "DISABLED"
    assert all("EndingSequenceNumber" in s["SequenceNumberRange"] for s in description["Shards"])
    assert [r["dynamodb"]["NewImage"] for r in read_stream(streams, arn)] == [{"pk": {"S": "a"}}]
    # A table re-created under the name has a stream of its own; the old one stays readable.
    arguments = hash_table_arguments(name)
    arguments["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    new_arn = ddb.create_table(**arguments)["TableDescription"]["LatestStreamArn"]
    assert new_arn != arn
    assert read_stream(streams, new_arn) == []
    advance_test_clock(clocked_streams_server, DAY_MS + 1_000)
    raises("ResourceNotFoundException", lambda: streams.describe_stream(StreamArn=arn))
    streams.describe_stream(StreamArn=new_arn)


def test_consumer_follows_lineage_while_writers_run(clocked_streams_server, ddb, streams):
    """Writers update random items while every shard rolls over three times; a reader that
    finishes parents before children rebuilds the final table exactly, and sees each item's
    changes in write order (every record's OldImage is the item's previous NewImage)."""
    name, arn = stream_table(ddb, "NEW_AND_OLD_IMAGES")
    keys = [f"item-{i}" for i in range(24)]
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer(seed: int) -> None:
        client = dynamodb_client(clocked_streams_server)
        rng = random.Random(seed)
        try:
            while not stop.is_set():
                key = {"pk": {"S": rng.choice(keys)}}
                if rng.random() < 0.15:
                    client.delete_item(TableName=name, Key=key)
                else:
                    client.update_item(TableName=name, Key=key,
                                       UpdateExpression="ADD n :one SET w = :w",
                                       ExpressionAttributeValues={":one": {"N": "1"},
                                                                  ":w": {"N": str(seed)}})
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(3):
            stop.wait(0.7)
            advance_test_clock(clocked_streams_server, HOUR_MS)
        stop.wait(0.7)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors, errors

    shards = all_shards(streams, arn)
    assert len(shards) >= 4 * len({s["ShardId"] for s in shards if "ParentShardId" not in s})
    done: set[str] = set()
    table: dict[str, dict] = {}
    last_image: dict[str, dict | None] = {}
    pending = list(shards)
    while pending:
        ready = [s for s in pending if s.get("ParentShardId") in (None, *done)
                 or s.get("ParentShardId") not in {x["ShardId"] for x in shards}]
        assert ready, "a shard whose parent never finishes"
        for shard in ready:
            for record in read_shard(streams, arn, shard["ShardId"]):
                pk = record["dynamodb"]["Keys"]["pk"]["S"]
                assert record["dynamodb"].get("OldImage") == last_image.get(pk), record
                new = record["dynamodb"].get("NewImage")
                last_image[pk] = new
                if new is None:
                    table.pop(pk, None)
                else:
                    table[pk] = new
            done.add(shard["ShardId"])
            pending.remove(shard)
    scanned = {item["pk"]["S"]: item for item in ddb.scan(TableName=name)["Items"]}
    assert table == scanned


def test_ttl_deletes_are_the_services(clocked_streams_server, ddb, streams):
    """[V] facts §12: a TTL expiry is a REMOVE with the old image and userIdentity
    {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}; other deletes carry none."""
    name, arn = stream_table(ddb, "NEW_AND_OLD_IMAGES")
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "exp"})
    now_s = advance_test_clock(clocked_streams_server)["now_ms"] // 1000
    expired = {"pk": {"S": "old"}, "exp": {"N": str(now_s - 10)}}
    ddb.put_item(TableName=name, Item=expired)
    ddb.put_item(TableName=name, Item={"pk": {"S": "mine"}, "exp": {"N": str(now_s + 3600)}})
    ddb.delete_item(TableName=name, Key={"pk": {"S": "mine"}})

    def removes():
        return [r for r in read_stream(streams, arn) if r["eventName"] == "REMOVE"]

    poll_until(lambda: len(removes()) == 2, timeout=15)
    by_key = {r["dynamodb"]["Keys"]["pk"]["S"]: r for r in removes()}
    assert by_key["old"]["userIdentity"] == {"Type": "Service",
                                             "PrincipalId": "dynamodb.amazonaws.com"}
    assert by_key["old"]["dynamodb"]["OldImage"] == expired
    assert "userIdentity" not in by_key["mine"]
