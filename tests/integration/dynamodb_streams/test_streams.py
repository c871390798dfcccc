"""DynamoDB Streams against boto3: StreamSpecification on tables, the four operations, the
record format per view type and event kind, no records for no-op writes, paging, errors
(facts: ../shared/facts/dynamodb-streams-and-destination.md)."""

from __future__ import annotations

import decimal
import math
import re

import botocore.exceptions
import pytest

from support import error_code, error_message, unique_name
from dynamodb.dynamodb_support import hash_table_arguments, wait_for_table

from .streams_support import (EVENT_ID, SEQUENCE_NUMBER, SHARD_ID, STREAM_ARN, all_shards,
                              read_stream, streams_client)

VIEW_TYPES = ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]


def stream_table(dynamodb, view_type="NEW_AND_OLD_IMAGES", range_key=None, name=None):
    name = name or unique_name("st")
    arguments = hash_table_arguments(name, range_key=range_key)
    arguments["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": view_type}
    description = dynamodb.create_table(**arguments)["TableDescription"]
    return name, description


def update_stream(dynamodb, name, **spec):
    """UpdateTable StreamSpecification=spec, then waits until the table is ACTIVE again."""
    description = dynamodb.update_table(TableName=name, StreamSpecification=spec)
    wait_for_table(dynamodb, name)
    return description["TableDescription"]


# facts §13: DynamoDB's item size rule.
def number_size(text: str) -> int:
    digits = str(decimal.Decimal(text).normalize()).lower().split("e")[0]
    digits = digits.replace("-", "").replace(".", "").strip("0") or "0"
    return math.ceil(len(digits) / 2) + 1


def value_size(value: dict) -> int:
    (kind, v), = value.items()
    if kind == "S":
        return len(v.encode())
    if kind == "N":
        return number_size(v)
    if kind == "B":
        return len(v)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(x.encode()) for x in v)
    if kind == "NS":
        return sum(number_size(x) for x in v)
    if kind == "BS":
        return sum(len(x) for x in v)
    if kind == "L":
        return 3 + sum(value_size(x) + 1 for x in v)
    return 3 + sum(len(k.encode()) + value_size(x) + 1 for k, x in v.items())


def item_size(item: dict) -> int:
    return sum(len(k.encode()) + value_size(v) for k, v in item.items())


def test_create_table_with_stream_shows_arn_label_and_spec(dynamodb, streams):
    name, created = stream_table(dynamodb, "NEW_IMAGE")
    assert created["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    arn = created["LatestStreamArn"]
    assert STREAM_ARN.match(arn), arn
    assert arn.endswith("/stream/" + created["LatestStreamLabel"])
    assert f":table/{name}/stream/" in arn
    described = dynamodb.describe_table(TableName=name)["Table"]
    assert described["LatestStreamArn"] == arn
    assert described["StreamSpecification"]["StreamViewType"] == "NEW_IMAGE"
    listed = streams.list_streams(TableName=name)["Streams"]
    assert listed == [{"StreamArn": arn, "TableName": name,
                       "StreamLabel": created["LatestStreamLabel"]}]
    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert description["StreamStatus"] == "ENABLED"
    assert description["StreamViewType"] == "NEW_IMAGE"
    assert description["TableName"] == name
    assert description["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert description["StreamLabel"] == created["LatestStreamLabel"]
    assert description["Shards"], description
    for shard in description["Shards"]:
        assert SHARD_ID.match(shard["ShardId"])
        assert SEQUENCE_NUMBER.match(shard["SequenceNumberRange"]["StartingSequenceNumber"])
        assert "EndingSequenceNumber" not in shard["SequenceNumberRange"]
        assert "ParentShardId" not in shard
    ids = [s["ShardId"] for s in description["Shards"]]
    assert ids == sorted(ids)


def test_enable_twice_and_disable_nothing_are_refused(dynamodb):
    name, _ = stream_table(dynamodb, "KEYS_ONLY")
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        dynamodb.update_table(TableName=name, StreamSpecification={
            "StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    assert error_code(raised.value) == "ValidationException"
    assert re.search("already.*enabled", error_message(raised.value))
    update_stream(dynamodb, name, StreamEnabled=False)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    assert error_code(raised.value) == "ValidationException"
    assert re.search("stream.*disable", error_message(raised.value))


@pytest.mark.parametrize("view_type", VIEW_TYPES)
def test_record_format_per_view_type(dynamodb, streams, view_type):
    name, created = stream_table(dynamodb, view_type)
    arn = created["LatestStreamArn"]
    key = {"pk": {"S": "item-1"}}
    first = {**key, "a": {"N": "1"}, "b": {"S": "x"}}
    second = {**key, "a": {"N": "2"}, "c": {"SS": ["p", "q"]}}
    dynamodb.put_item(TableName=name, Item=first)                       # INSERT
    dynamodb.put_item(TableName=name, Item=first)                       # identical: none
    dynamodb.put_item(TableName=name, Item=second)                      # MODIFY
    dynamodb.update_item(TableName=name, Key=key, UpdateExpression="SET a = :v",
                         ExpressionAttributeValues={":v": {"N": "2"}})  # same value: none
    dynamodb.update_item(TableName=name, Key=key, UpdateExpression="ADD a :z",
                         ExpressionAttributeValues={":z": {"N": "0"}})  # ADD 0: none
    dynamodb.update_item(TableName=name, Key=key, UpdateExpression="REMOVE gone")  # none
    dynamodb.update_item(TableName=name, Key={"pk": {"S": "never"}},
                         UpdateExpression="REMOVE gone")                # none, no item
    dynamodb.delete_item(TableName=name, Key=key)                       # REMOVE
    dynamodb.delete_item(TableName=name, Key=key)                       # missing: none
    dynamodb.update_item(TableName=name, Key={"pk": {"S": "item-2"}},
                         UpdateExpression="SET a = :v",
                         ExpressionAttributeValues={":v": {"N": "5"}})  # creates: INSERT
    records = read_stream(streams, arn)
    by_item = [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in records]
    assert sorted(by_item) == sorted([("INSERT", "item-1"), ("MODIFY", "item-1"),
                                      ("REMOVE", "item-1"), ("INSERT", "item-2")])
    item1 = [r for r in records if r["dynamodb"]["Keys"]["pk"]["S"] == "item-1"]
    assert [r["eventName"] for r in item1] == ["INSERT", "MODIFY", "REMOVE"]
    images = {
        "INSERT": (first, None), "MODIFY": (second, first), "REMOVE": (None, second)}
    for record in item1:
        assert list(record) == ["eventID", "eventName", "eventVersion", "eventSource",
                                "awsRegion", "dynamodb"]
        assert EVENT_ID.match(record["eventID"])
        assert record["eventVersion"] == "1.1"
        assert record["eventSource"] == "aws:dynamodb"
        assert record["awsRegion"] == streams.meta.region_name
        body = record["dynamodb"]
        assert body["Keys"] == key
        assert body["StreamViewType"] == view_type
        assert SEQUENCE_NUMBER.match(body["SequenceNumber"])
        new, old = images[record["eventName"]]
        shows_new = view_type in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES") and new is not None
        shows_old = view_type in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES") and old is not None
        assert ("NewImage" in body) == shows_new
        assert ("OldImage" in body) == shows_old
        if shows_new:
            assert body["NewImage"] == new
        if shows_old:
            assert body["OldImage"] == old
        expected_size = item_size(key) + (item_size(new) if shows_new else 0) + (
            item_size(old) if shows_old else 0)
        assert body["SizeBytes"] == expected_size
    sequence = [int(r["dynamodb"]["SequenceNumber"]) for r in item1]
    assert sequence == sorted(sequence) and len(set(sequence)) == 3
    assert len({r["eventID"] for r in records}) == len(records)


def test_raw_record_timestamp_is_whole_seconds(server, dynamodb):
    import json
    from support import raw_request
    name, created = stream_table(dynamodb, "KEYS_ONLY")
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "k"}})
    streams = streams_client(server)
    shard = all_shards(streams, created["LatestStreamArn"])
    iterators = [streams.get_shard_iterator(StreamArn=created["LatestStreamArn"],
                                            ShardId=s["ShardId"],
                                            ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
                 for s in shard]
    bodies = []
    for iterator in iterators:
        response = raw_request(server, headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "DynamoDBStreams_20120810.GetRecords"},
            body=json.dumps({"ShardIterator": iterator}).encode(), service="dynamodb")
        assert response.status == 200, response.body
        assert "x-amz-crc32" in {k.lower() for k in response.headers}
        bodies.append(response.body.decode())
    text = "".join(bodies)
    match = re.search(r'"ApproximateCreationDateTime":(\d+(\.\d+)?)', text)
    assert match and match.group(2) is None, text
    assert "null" not in text


def test_size_bytes_of_the_cli_example(dynamodb, streams):
    # facts §10/§13: the AWS CLI's MODIFY record has SizeBytes 170.
    name = unique_name("Music")
    dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "Artist", "AttributeType": "S"},
                              {"AttributeName": "SongTitle", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "Artist", "KeyType": "HASH"},
                   {"AttributeName": "SongTitle", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    arn = dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    key = {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}
    dynamodb.put_item(TableName=name, Item={**key, "AlbumTitle": {"S": "Songs About Life"},
                                            "Awards": {"N": "10"}})
    dynamodb.update_item(TableName=name, Key=key, UpdateExpression="SET AlbumTitle = :t",
                         ExpressionAttributeValues={":t": {"S": "Updated Album Title"}})
    records = read_stream(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY"]
    assert records[1]["dynamodb"]["SizeBytes"] == 170
    assert records[0]["dynamodb"]["SizeBytes"] == 100


def test_batch_write_item_records_like_single_writes(dynamodb, streams):
    name, created = stream_table(dynamodb, "NEW_AND_OLD_IMAGES")
    dynamodb.batch_write_item(RequestItems={name: [
        {"PutRequest": {"Item": {"pk": {"S": f"b{i}"}, "v": {"N": str(i)}}}} for i in range(5)]})
    dynamodb.batch_write_item(RequestItems={name: [
        {"DeleteRequest": {"Key": {"pk": {"S": "b0"}}}},
        {"DeleteRequest": {"Key": {"pk": {"S": "absent"}}}},
        {"PutRequest": {"Item": {"pk": {"S": "b1"}, "v": {"N": "1"}}}},  # identical
    ]})
    records = read_stream(streams, created["LatestStreamArn"])
    names = sorted((r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in records)
    assert names == sorted([("INSERT", f"b{i}") for i in range(5)] + [("REMOVE", "b0")])


def test_no_records_without_a_stream_and_after_disable(dynamodb, streams):
    name, created = stream_table(dynamodb, "KEYS_ONLY")
    arn = created["LatestStreamArn"]
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "before"}})
    update_stream(dynamodb, name, StreamEnabled=False)
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "after"}})
    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert description["StreamStatus"] == "DISABLED"
    for shard in description["Shards"]:
        assert "EndingSequenceNumber" in shard["SequenceNumberRange"]
    records = read_stream(streams, arn)
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in records] == ["before"]
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert "StreamSpecification" not in table
    assert table["LatestStreamArn"] == arn
    # Re-enabling makes a new stream; the old one stays listed and readable.
    updated = update_stream(dynamodb, name, StreamEnabled=True, StreamViewType="NEW_IMAGE")
    new_arn = updated["LatestStreamArn"]
    assert new_arn != arn
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "again"}})
    listed = [s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]]
    assert listed == [arn, new_arn]
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_stream(streams, new_arn)] == ["again"]
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_stream(streams, arn)] == ["before"]


def test_closed_shard_ends_without_next_iterator(dynamodb, streams):
    name, created = stream_table(dynamodb, "KEYS_ONLY")
    arn = created["LatestStreamArn"]
    for i in range(8):
        dynamodb.put_item(TableName=name, Item={"pk": {"S": f"k{i}"}})
    update_stream(dynamodb, name, StreamEnabled=False)
    total = 0
    for shard in all_shards(streams, arn):
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        answer = streams.get_records(ShardIterator=iterator)
        assert "NextShardIterator" not in answer
        total += len(answer["Records"])
        if answer["Records"]:
            assert (answer["Records"][-1]["dynamodb"]["SequenceNumber"]
                    == shard["SequenceNumberRange"]["EndingSequenceNumber"])
    assert total == 8


def test_open_shard_always_has_next_iterator_and_latest(dynamodb, streams):
    name, created = stream_table(dynamodb, "KEYS_ONLY")
    arn = created["LatestStreamArn"]
    shards = all_shards(streams, arn)
    latest = {s["ShardId"]: streams.get_shard_iterator(
        StreamArn=arn, ShardId=s["ShardId"], ShardIteratorType="LATEST")["ShardIterator"]
        for s in shards}
    for iterator in latest.values():
        assert iterator.startswith(arn + "|1|")
        answer = streams.get_records(ShardIterator=iterator)
        assert answer["Records"] == [] and answer["NextShardIterator"]
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "new"}})
    seen = []
    for iterator in latest.values():
        answer = streams.get_records(ShardIterator=iterator, Limit=1)
        seen += answer["Records"]
        assert answer["NextShardIterator"]
        again = streams.get_records(ShardIterator=answer["NextShardIterator"])
        assert again["Records"] == []
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in seen] == ["new"]


def test_at_and_after_sequence_number(dynamodb, streams):
    name, created = stream_table(dynamodb, "KEYS_ONLY")
    arn = created["LatestStreamArn"]
    for i in range(3):
        dynamodb.put_item(TableName=name, Item={"pk": {"S": "same"}, "v": {"N": str(i)}})
    records = read_stream(streams, arn)
    assert len(records) == 3
    shard = next(s for s in all_shards(streams, arn)
                 if s["SequenceNumberRange"]["StartingSequenceNumber"][0]
                 == records[0]["dynamodb"]["SequenceNumber"][0])
    second = records[1]["dynamodb"]["SequenceNumber"]
    at = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                    ShardIteratorType="AT_SEQUENCE_NUMBER",
                                    SequenceNumber=second)["ShardIterator"]
    assert [r["dynamodb"]["SequenceNumber"] for r in
            streams.get_records(ShardIterator=at)["Records"]] == [
        r["dynamodb"]["SequenceNumber"] for r in records[1:]]
    after = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                       ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                                       SequenceNumber=second)["ShardIterator"]
    assert len(streams.get_records(ShardIterator=after)["Records"]) == 1
    start = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="AT_SEQUENCE_NUMBER",
        SequenceNumber=shard["SequenceNumberRange"]["StartingSequenceNumber"])["ShardIterator"]
    assert len(streams.get_records(ShardIterator=start)["Records"]) == 3


def test_list_streams_paging(server, dynamodb):
    from support import fresh_account
    from dynamodb.dynamodb_support import dynamodb_client
    account = fresh_account()
    client = dynamodb_client(server, access_key=account)
    streams = streams_client(server, access_key=account)
    arns = []
    for i in range(5):
        _, created = stream_table(client, "KEYS_ONLY", name=f"page-{i}")
        arns.append(created["LatestStreamArn"])
    seen, start = [], None
    while True:
        kwargs = {"Limit": 2}
        if start:
            kwargs["ExclusiveStartStreamArn"] = start
        page = streams.list_streams(**kwargs)
        seen += [s["StreamArn"] for s in page["Streams"]]
        start = page.get("LastEvaluatedStreamArn")
        if not start:
            break
        assert start == seen[-1]
    assert seen == arns
    assert streams.list_streams()["Streams"][0]["StreamArn"] == arns[0]
    assert streams.list_streams(TableName="page-9")["Streams"] == []
    assert "LastEvaluatedStreamArn" not in streams.list_streams(Limit=5)


def test_describe_stream_paging(dynamodb, streams):
    _, created = stream_table(dynamodb, "KEYS_ONLY")
    arn = created["LatestStreamArn"]
    every = all_shards(streams, arn)
    paged = all_shards(streams, arn, limit=1)
    assert paged == every
    first_page = streams.describe_stream(StreamArn=arn, Limit=1)["StreamDescription"]
    assert len(first_page["Shards"]) == 1
    assert first_page["LastEvaluatedShardId"] == first_page["Shards"][0]["ShardId"]
    last = every[-1]["ShardId"]
    assert streams.describe_stream(StreamArn=arn, ExclusiveStartShardId=last)[
        "StreamDescription"]["Shards"] == []
    garbage = "shardId-00000000000000000000-00000000"
    assert streams.describe_stream(StreamArn=arn, ExclusiveStartShardId=garbage)[
        "StreamDescription"]["Shards"] == []
    open_shard = every[0]["ShardId"]
    assert streams.describe_stream(StreamArn=arn, ShardFilter={
        "Type": "CHILD_SHARDS", "ShardId": open_shard})["StreamDescription"]["Shards"] == []


@pytest.mark.parametrize("limit", [0, 101])
def test_limits_out_of_range(raw_streams, dynamodb, limit):
    _, created = stream_table(dynamodb, "KEYS_ONLY")
    for call in (lambda: raw_streams.list_streams(Limit=limit),
                 lambda: raw_streams.describe_stream(StreamArn=created["LatestStreamArn"],
                                                     Limit=limit)):
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            call()
        assert error_code(raised.value) == "ValidationException"
        assert "limit" in error_message(raised.value).lower()


def test_stream_arn_errors(raw_streams, streams, dynamodb):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        raw_streams.describe_stream(StreamArn="arn:aws:dynamodb:us-east-1:000000000000:garbage")
    assert error_code(raised.value) == "ValidationException"
    missing = ("arn:aws:dynamodb:" + streams.meta.region_name
               + ":000000000000:table/nope/stream/2020-01-01T00:00:00.000")
    for call in (lambda: streams.describe_stream(StreamArn=missing),
                 lambda: streams.get_shard_iterator(
                     StreamArn=missing, ShardId="shardId-00000001577836800000-00000000",
                     ShardIteratorType="LATEST")):
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            call()
        assert error_code(raised.value) == "ResourceNotFoundException"
        assert error_message(raised.value) == (
            f"Requested resource not found: Stream: {missing} not found")
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        raw_streams.list_streams(ExclusiveStartStreamArn="arn:aws:dynamodb:x:y:garbage-garbage-x")
    assert error_code(raised.value) == "ValidationException"


def test_shard_filter_errors(raw_streams, dynamodb):
    _, created = stream_table(dynamodb, "KEYS_ONLY")
    arn = created["LatestStreamArn"]
    for shard_filter, text in (({"ShardId": "shardId-00000001577836800000-00000000"}, "Type"),
                               ({"Type": "CHILD_SHARDS"}, "ShardId"),
                               ({"Type": "PARENT", "ShardId": "shardId-00000001577836800000-00000000"}, "Type"),
                               ({"Type": "CHILD_SHARDS", "ShardId": "x" * 30}, "ShardFilter.ShardId")):
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            raw_streams.describe_stream(StreamArn=arn, ShardFilter=shard_filter)
        assert error_code(raised.value) == "ValidationException"
        assert text.lower() in error_message(raised.value).lower()


def test_get_shard_iterator_errors(raw_streams, dynamodb):
    _, created = stream_table(dynamodb, "KEYS_ONLY")
    arn = created["LatestStreamArn"]
    shard = all_shards(raw_streams, arn)[0]["ShardId"]
    start = all_shards(raw_streams, arn)[0]["SequenceNumberRange"]["StartingSequenceNumber"]
    cases = [
        dict(ShardIteratorType="AT_SEQUENCE_NUMBER"),
        dict(ShardIteratorType="AFTER_SEQUENCE_NUMBER"),
        dict(ShardIteratorType="LATEST", SequenceNumber=start),
        dict(ShardIteratorType="TRIM_HORIZON", SequenceNumber=start),
        dict(ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber="x" * 21),
        dict(ShardIteratorType="SOMEWHERE"),
    ]
    for case in cases:
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            raw_streams.get_shard_iterator(StreamArn=arn, ShardId=shard, **case)
        assert error_code(raised.value) == "ValidationException", case
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        raw_streams.get_shard_iterator(StreamArn=arn,
                                       ShardId="shardId-00000001577836800000-00000000",
                                       ShardIteratorType="LATEST")
    assert error_code(raised.value) == "ResourceNotFoundException"


def test_get_records_errors(raw_streams, dynamodb):
    _, created = stream_table(dynamodb, "KEYS_ONLY")
    arn = created["LatestStreamArn"]
    shard = all_shards(raw_streams, arn)[0]["ShardId"]
    iterator = raw_streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                              ShardIteratorType="LATEST")["ShardIterator"]
    for bad in (arn + "|1|AAAAAAAAAAE" + "A" * 40, "garbage", iterator[:-8] + "AAAAAAAA"):
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            raw_streams.get_records(ShardIterator=bad)
        assert error_code(raised.value) == "ValidationException"
    for limit in (0, 1001):
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            raw_streams.get_records(ShardIterator=iterator, Limit=limit)
        assert error_code(raised.value) == "ValidationException"
        assert "limit" in error_message(raised.value).lower()
