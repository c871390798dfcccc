"""The records the Kinesis streaming destination writes (issue 13; facts §15.5-15.8), read
back through Kinesis GetRecords: members and their order, the eventID, the timestamp unit for
each precision, both images whatever the table's stream view type, SizeBytes by the item-size
rule, a PartitionKey stable per item (so one item's changes stay in one shard, in order), no
record for a no-op write, oversized records skipped while delivery goes on, and delivery
while the Kinesis stream is resharded."""

from __future__ import annotations

import json
import random
import re
import threading
import time

from support import shared_server_fixture

from kinesis.kinesis_support import (
    create_active_stream,
    kinesis_client,
    stream_arn,
    wait_for_status,
    wait_until_gone,
)
from kinesis.test_subscribe_to_shard import Subscriber

from .dynamodb_support import dynamodb_client, wait_for_table
from .kinesis_destination_support import (
    destination,
    destination_metrics,
    expected_size_bytes,
    read_destination_records,
    wait_for_records,
)

TOP_LEVEL = ["awsRegion", "eventID", "eventName", "userIdentity", "recordFormat", "tableName",
             "dynamodb", "eventSource"]
UUID_V4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

records_server = shared_server_fixture(
    "A server whose Kinesis streaming destinations are ACTIVE at once (RocksDB).",
    ["--create-table-ms", "0", "--delete-table-ms", "0", "--update-stream-ms", "300", "--kinesis-destination-ms", "0",
     "--register-consumer-ms", "0"],
)


def test_insert_modify_remove_in_aws_format(records_server):
    dynamodb, kinesis = dynamodb_client(records_server), kinesis_client(records_server)
    # KEYS_ONLY stream view: the destination still carries both images (facts §15.6).
    table, stream = destination(records_server, StreamSpecification={
        "StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    key = {"pk": {"S": "item-1"}, "sk": {"N": "7"}}
    before = int(time.time() * 1000)
    dynamodb.put_item(TableName=table, Item={**key, "v": {"S": "first"}, "n": {"N": "10"}})
    dynamodb.put_item(TableName=table, Item={**key, "v": {"S": "first"}, "n": {"N": "10"}})  # no-op
    dynamodb.update_item(TableName=table, Key=key, UpdateExpression="SET v = :v, b = :b",
                         ExpressionAttributeValues={":v": {"S": "second"}, ":b": {"B": b"\x00\x01"}})
    dynamodb.delete_item(TableName=table, Key=key)
    dynamodb.delete_item(TableName=table, Key=key)  # nothing to delete: no record
    after = int(time.time() * 1000)

    records = wait_for_records(kinesis, stream, 3)
    assert [r["json"]["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    partition_keys = {r["PartitionKey"] for r in records}
    assert len(partition_keys) == 1 and re.fullmatch(r"[0-9A-F]{32}", partition_keys.pop())
    assert len({r["ShardId"] for r in records}) == 1
    ids = [r["json"]["eventID"] for r in records]
    assert len(set(ids)) == 3 and all(UUID_V4.match(i) for i in ids), ids
    for record in records:
        body = record["json"]
        assert list(body) == TOP_LEVEL
        assert body["awsRegion"] == kinesis.meta.region_name
        assert body["userIdentity"] is None and b'"userIdentity":null' in bytes(record["Data"])
        assert body["recordFormat"] == "application/json"
        assert body["tableName"] == table
        assert body["eventSource"] == "aws:dynamodb"
        change = body["dynamodb"]
        created = change["ApproximateCreationDateTime"]
        assert isinstance(created, int) and before <= created <= after, (before, created, after)
        assert change["Keys"] == key
        assert change["SizeBytes"] == expected_size_bytes(change)
        assert "SequenceNumber" not in change and "StreamViewType" not in change
    insert, modify, remove = (r["json"]["dynamodb"] for r in records)
    assert list(insert) == ["ApproximateCreationDateTime", "Keys", "NewImage", "SizeBytes"]
    assert insert["NewImage"] == {**key, "v": {"S": "first"}, "n": {"N": "10"}}
    assert list(modify) == ["ApproximateCreationDateTime", "Keys", "NewImage", "OldImage",
                            "SizeBytes"]
    assert modify["OldImage"] == insert["NewImage"]
    assert modify["NewImage"]["v"] == {"S": "second"} and modify["NewImage"]["b"] == {"B": "AAE="}
    assert list(remove) == ["ApproximateCreationDateTime", "Keys", "OldImage", "SizeBytes"]
    assert remove["OldImage"] == modify["NewImage"]
    # The compact form: no spaces between members.
    assert bytes(records[0]["Data"]).startswith(b'{"awsRegion":"')


def test_microsecond_precision_and_a_stable_partition_key_per_item(records_server):
    dynamodb, kinesis = dynamodb_client(records_server), kinesis_client(records_server)
    table, stream = destination(records_server, precision="MICROSECOND")
    before = int(time.time() * 1_000_000)
    for i in range(20):
        dynamodb.put_item(TableName=table, Item={"pk": {"S": f"k{i % 5}"}, "sk": {"N": "1"},
                                                 "i": {"N": str(i)}})
    after = int(time.time() * 1_000_000)
    records = wait_for_records(kinesis, stream, 20)
    assert len(records) == 20
    by_item: dict[str, list[dict]] = {}
    for record in records:
        change = record["json"]["dynamodb"]
        assert list(change)[-1] == "ApproximateCreationDateTimePrecision"
        assert change["ApproximateCreationDateTimePrecision"] == "MICROSECOND"
        assert before - 1000 <= change["ApproximateCreationDateTime"] <= after + 1000
        assert len(str(change["ApproximateCreationDateTime"])) == 16
        by_item.setdefault(change["Keys"]["pk"]["S"], []).append(record)
    assert len(by_item) == 5
    partition_keys = set()
    for item, item_records in by_item.items():
        assert len({r["PartitionKey"] for r in item_records}) == 1
        assert len({r["ShardId"] for r in item_records}) == 1
        partition_keys.add(item_records[0]["PartitionKey"])
        # In write order within the shard.
        values = [int(r["json"]["dynamodb"]["NewImage"]["i"]["N"]) for r in item_records]
        assert values == sorted(values)
    assert len(partition_keys) == 5


def test_subscribe_to_shard_gets_the_records_pushed(records_server):
    dynamodb, kinesis = dynamodb_client(records_server), kinesis_client(records_server)
    table, stream = destination(records_server, shards=1)
    consumer = kinesis.register_stream_consumer(StreamARN=stream_arn(stream),
                                                ConsumerName="reader")["Consumer"]["ConsumerARN"]
    subscriber = Subscriber(kinesis, consumer, {"Type": "LATEST"},
                            shard="shardId-000000000000")
    subscriber.wait_events(1, timeout=5)
    for i in range(5):
        dynamodb.put_item(TableName=table, Item={"pk": {"S": f"k{i}"}, "sk": {"N": "1"}})
    records = subscriber.wait_records(5, timeout=5)
    subscriber.close()
    assert [json.loads(bytes(r["Data"]))["dynamodb"]["Keys"]["pk"]["S"] for r in records] == [
        f"k{i}" for i in range(5)]


def test_an_oversized_record_is_skipped_and_delivery_goes_on(records_server):
    dynamodb, kinesis = dynamodb_client(records_server), kinesis_client(records_server)
    table, stream = destination(records_server, shards=1)
    # 50,000 NULL attributes: 350 KB as an item, about 1.15 MB as a JSON record (facts
    # §15.8: such items exceed Kinesis's 1 MiB record limit).
    big = {"pk": {"S": "big"}, "sk": {"N": "1"}}
    big.update({f"a{i:05d}": {"NULL": True} for i in range(50_000)})
    dynamodb.put_item(TableName=table, Item=big)
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "small"}, "sk": {"N": "1"}})
    records = wait_for_records(kinesis, stream, 1)
    assert [r["json"]["dynamodb"]["Keys"]["pk"]["S"] for r in records] == ["small"]
    # Counted as AWS's FailedToReplicateRecordCount, exposed in GET /metrics.
    metrics = destination_metrics(records_server, table)
    assert metrics[("failed", "oversized")] == 1, metrics
    assert metrics[("failed", "stream_gone")] == 0, metrics
    assert metrics[("replicated", None)] == 1 and metrics[("outbox", None)] == 0, metrics


def test_delivery_follows_the_stream_through_resharding(records_server):
    """Writers update random items while the stream goes 2 -> 4 -> 3 shards; a reader that
    reads parents before children rebuilds the table exactly from the records, each item's
    changes in order, none twice."""
    dynamodb, kinesis = dynamodb_client(records_server), kinesis_client(records_server)
    table, stream = destination(records_server, shards=2)
    seed = time.time_ns()
    items = [f"item{i}" for i in range(40)]
    acknowledged = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(number: int) -> None:
        generator = random.Random(seed + number)
        client = dynamodb_client(records_server)
        while not stop.is_set():
            item = generator.choice(items)
            if generator.random() < 0.15:
                client.delete_item(TableName=table, Key={"pk": {"S": item}, "sk": {"N": "0"}},
                                   ReturnValues="ALL_OLD")
                continue
            client.update_item(TableName=table, Key={"pk": {"S": item}, "sk": {"N": "0"}},
                               UpdateExpression="ADD version :one",
                               ExpressionAttributeValues={":one": {"N": "1"}})
            with lock:
                acknowledged.append(item)

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(3)]
    for thread in threads:
        thread.start()
    for count in (4, 3):
        time.sleep(0.5)
        kinesis.update_shard_count(StreamName=stream, TargetShardCount=count,
                                   ScalingType="UNIFORM_SCALING")
        wait_for_status(kinesis, stream, "ACTIVE")
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=20)

    expected = {item["pk"]["S"]: item for item in
                dynamodb.scan(TableName=table, ConsistentRead=True)["Items"]}
    # Every change is in the stream once delivery has caught up; wait for the final state.
    deadline = time.monotonic() + 20
    while True:
        records = read_destination_records(kinesis, stream)
        rebuilt: dict[str, dict] = {}
        for record in records:
            change = record["json"]["dynamodb"]
            key = change["Keys"]["pk"]["S"]
            if "NewImage" in change:
                rebuilt[key] = change["NewImage"]
            else:
                rebuilt.pop(key, None)
        if rebuilt == expected or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert rebuilt == expected, f"seed {seed}"
    ids = [r["json"]["eventID"] for r in records]
    assert len(ids) == len(set(ids)), f"seed {seed}: a record delivered twice"
    shards = {r["ShardId"] for r in records}
    assert len(shards) > 2, f"seed {seed}: records did not follow the new shards: {shards}"
    # Per item: versions rise by one from each INSERT; old images chain to the previous new one.
    last: dict[str, dict | None] = {}
    for record in records:
        change = record["json"]["dynamodb"]
        key = change["Keys"]["pk"]["S"]
        assert change.get("OldImage") == last.get(key), f"seed {seed}: {key} out of order"
        last[key] = change.get("NewImage")
    modifications = sum(1 for r in records if r["json"]["eventName"] in ("INSERT", "MODIFY"))
    assert modifications == len(acknowledged), f"seed {seed}"


def test_a_deleted_stream_leaves_the_destination_active_and_blocks_nothing(records_server):
    """The Kinesis stream deleted under an ACTIVE destination: as on AWS (recorded 2026-10-09 by a
    third-party catalogue of AWS responses: ACTIVE for the 293 s watched, no description), the
    destination stays ACTIVE; writes go on; the changes that cannot be delivered are dropped and
    counted in /metrics (FailedToReplicateRecordCount), so the outbox does not grow; Disable
    works and the table can then stream to another stream."""
    dynamodb, kinesis = dynamodb_client(records_server), kinesis_client(records_server)
    table, stream = destination(records_server, shards=1)
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "a"}, "sk": {"N": "1"}})
    wait_for_records(kinesis, stream, 1)
    kinesis.delete_stream(StreamName=stream)
    wait_until_gone(kinesis, stream)
    for i in range(20):
        dynamodb.put_item(TableName=table, Item={"pk": {"S": f"k{i}"}, "sk": {"N": "1"}})
    deadline = time.monotonic() + 20
    while True:
        metrics = destination_metrics(records_server, table)
        if metrics.get(("failed", "stream_gone"), 0) >= 20 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert metrics[("failed", "stream_gone")] == 20, metrics
    assert metrics[("replicated", None)] == 1 and metrics[("outbox", None)] == 0, metrics
    assert dynamodb.describe_kinesis_streaming_destination(TableName=table)[
        "KinesisDataStreamDestinations"] == [
            {"StreamArn": stream_arn(stream), "DestinationStatus": "ACTIVE"}]
    assert dynamodb.update_kinesis_streaming_destination(
        TableName=table, StreamArn=stream_arn(stream),
        UpdateKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "MICROSECOND"},
    )["DestinationStatus"] == "UPDATING"
    dynamodb.disable_kinesis_streaming_destination(TableName=table, StreamArn=stream_arn(stream))
    other = create_active_stream(kinesis, shard_count=1)
    dynamodb.enable_kinesis_streaming_destination(TableName=table, StreamArn=stream_arn(other))
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "b"}, "sk": {"N": "1"}})
    assert [r["json"]["dynamodb"]["Keys"]["pk"]["S"]
            for r in wait_for_records(kinesis, other, 1)] == ["b"]


def test_a_deleted_table_takes_its_destination_along(records_server):
    dynamodb, kinesis = dynamodb_client(records_server), kinesis_client(records_server)
    table, stream = destination(records_server, shards=1)
    for i in range(50):
        dynamodb.put_item(TableName=table, Item={"pk": {"S": f"k{i}"}, "sk": {"N": "1"}})
    dynamodb.delete_table(TableName=table)
    wait_for_table(dynamodb, table, None)
    try:
        dynamodb.describe_kinesis_streaming_destination(TableName=table)
        raise AssertionError("the destination outlived its table")
    except dynamodb.exceptions.ResourceNotFoundException:
        pass
    # Whatever was delivered before the table went is there once; the stream lives on.
    records = read_destination_records(kinesis, stream)
    keys = [r["json"]["dynamodb"]["Keys"]["pk"]["S"] for r in records]
    assert len(keys) == len(set(keys)) <= 50
    assert kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"][
        "StreamStatus"] == "ACTIVE"
