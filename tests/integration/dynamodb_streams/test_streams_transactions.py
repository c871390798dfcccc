"""DynamoDB Streams records of TransactWriteItems: one record per changed item, in action order
within a shard, none for a condition check, a no-op or a cancelled transaction (AWS: "each
write operation in a transaction ... appears in the stream", DynamoDB developer guide,
"DynamoDB Transactions", "Using transactional APIs with DynamoDB Streams" [V docs; the order of
one transaction's records in a shard is our write-path order, a guess for AWS])."""

from __future__ import annotations

import botocore.exceptions
import pytest

from support import error_code

from .streams_support import read_stream
from .test_streams import stream_table


def key(pk: str, sk: int) -> dict:
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def test_transaction_records_one_per_changed_item(dynamodb, streams):
    name, created = stream_table(dynamodb, "NEW_AND_OLD_IMAGES", range_key="sk")
    arn = created["LatestStreamArn"]
    for sk in (0, 9, 7):
        dynamodb.put_item(TableName=name, Item={**key("a", sk), "v": {"N": "0"}})
    before = read_stream(streams, arn)
    assert len(before) == 3

    # Five items of one partition key (one shard chain), one of another, a condition check and
    # a delete of an absent item (no change, no record).
    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": name, "Item": {**key("a", 1), "v": {"N": "1"}}}},
        {"Update": {"TableName": name, "Key": key("a", 0), "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": {"N": "5"}}}},
        {"ConditionCheck": {"TableName": name, "Key": key("a", 7),
                            "ConditionExpression": "attribute_exists(pk)"}},
        {"Put": {"TableName": name, "Item": {**key("b", 1), "v": {"N": "1"}}}},
        {"Delete": {"TableName": name, "Key": key("a", 9)}},
        {"Put": {"TableName": name, "Item": {**key("a", 2), "v": {"N": "2"}}}},
        {"Delete": {"TableName": name, "Key": key("a", 8)}},
    ])
    records = read_stream(streams, arn)
    new = [r for r in records if r["eventID"] not in {b["eventID"] for b in before}]
    changes = [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"], r["dynamodb"]["Keys"]["sk"]["N"])
               for r in new]
    assert sorted(changes) == sorted([("INSERT", "a", "1"), ("MODIFY", "a", "0"),
                                      ("INSERT", "b", "1"), ("REMOVE", "a", "9"),
                                      ("INSERT", "a", "2")])
    # Within the chain of pk "a": action order, distinct increasing sequence numbers after the
    # records written before the transaction.
    chain_a = [r for r in records if r["dynamodb"]["Keys"]["pk"]["S"] == "a"]
    assert [(r["eventName"], r["dynamodb"]["Keys"]["sk"]["N"]) for r in chain_a[3:]] == [
        ("INSERT", "1"), ("MODIFY", "0"), ("REMOVE", "9"), ("INSERT", "2")]
    numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in chain_a]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    modify = next(r for r in new if r["eventName"] == "MODIFY")
    assert modify["dynamodb"]["OldImage"]["v"] == {"N": "0"}
    assert modify["dynamodb"]["NewImage"]["v"] == {"N": "5"}
    remove = next(r for r in new if r["eventName"] == "REMOVE")
    assert remove["dynamodb"]["OldImage"] == {**key("a", 9), "v": {"N": "0"}}

    # The next single write to the chain continues after the transaction's numbers.
    dynamodb.put_item(TableName=name, Item={**key("a", 3)})
    chain_a = [r for r in read_stream(streams, arn) if r["dynamodb"]["Keys"]["pk"]["S"] == "a"]
    assert chain_a[-1]["dynamodb"]["Keys"]["sk"]["N"] == "3"
    numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in chain_a]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_cancelled_transaction_records_nothing(dynamodb, streams):
    name, created = stream_table(dynamodb, "KEYS_ONLY", range_key="sk")
    arn = created["LatestStreamArn"]
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": name, "Item": key("a", 1)}},
            {"Put": {"TableName": name, "Item": key("a", 2),
                     "ConditionExpression": "attribute_exists(pk)"}},
        ])
    assert error_code(caught.value) == "TransactionCanceledException"
    assert read_stream(streams, arn) == []
    dynamodb.put_item(TableName=name, Item=key("a", 3))
    assert [r["dynamodb"]["Keys"]["sk"]["N"] for r in read_stream(streams, arn)] == ["3"]
