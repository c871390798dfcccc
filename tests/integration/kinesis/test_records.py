"""Kinesis records data plane (issue 3): PutRecord, PutRecords, GetShardIterator, GetRecords
on the shared server, with boto3 and, where the exact wire shape or AWS's error text
matters, raw signed JSON calls.

Expected texts and shapes are real AWS's, as catalogued in the issue-3 research (kinesalite's
tests captured against AWS, localstack's AWS-validated tests, AWS quotes in bug reports).
Clock-driven behaviour (AT_TIMESTAMP, iterator expiry, retention) is in test_records_clock.py
and test_records_retention.py; the concurrent producers property in
test_records_property.py; kill -9 in test_records_crash.py.
"""

from __future__ import annotations

import base64
import re

import pytest

from support import (
    DEFAULT_ACCOUNT,
    assert_error,
    unique_name,
)
from .kinesis_support import (
    TWO_TO_128,
    call,
    create_active_stream,
    drain_shard,
    even_split,
    kinesis_client,
    partition_key_hash,
    sequence_key,
    shard_for_hash_key,
    shard_hash_ranges,
    shard_iterator,
    wait_until_gone,
)

SHARD_0 = "shardId-000000000000"
SHARD_1 = "shardId-000000000001"
ONE_MIB = 1048576
FIVE_MIB = 5 * ONE_MIB
SEQUENCE_NUMBER_PATTERN = re.compile(r"[1-9][0-9]{55}")
INVALID_ITERATOR = "Invalid ShardIterator."
ITERATOR_TYPE_RULE = (
    "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
    "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. "
)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def raw_iterator(server, name: str, shard_id: str = SHARD_0, iterator_type: str = "TRIM_HORIZON",
                 **extra) -> str:
    response = call(server, "GetShardIterator",
                    {"StreamName": name, "ShardId": shard_id, "ShardIteratorType": iterator_type,
                     **extra})
    assert response.status == 200, response.describe()
    return response.json["ShardIterator"]


def get_records_raw(server, iterator: str, limit: int | None = None):
    payload = {"ShardIterator": iterator}
    if limit is not None:
        payload["Limit"] = limit
    response = call(server, "GetRecords", payload)
    assert response.status == 200, response.describe()
    return response.json


def record_tuples(records) -> list[tuple[str, bytes, str]]:
    return [(r["SequenceNumber"], bytes(r["Data"]), r["PartitionKey"]) for r in records]


# --------------------------------------------------------------------------------------
# Put and read back: shapes
# --------------------------------------------------------------------------------------


def test_put_record_then_get_records_exact_shapes(server, kinesis):
    name = create_active_stream(kinesis)
    put = call(server, "PutRecord",
               {"StreamName": name, "PartitionKey": "pk-1", "Data": b64(b"hello \x00\xff")})
    assert put.status == 200, put.describe()
    # Unencrypted stream: exactly ShardId and SequenceNumber, no EncryptionType.
    assert sorted(put.json) == ["SequenceNumber", "ShardId"]
    assert put.json["ShardId"] == SHARD_0
    assert SEQUENCE_NUMBER_PATTERN.fullmatch(put.json["SequenceNumber"]), put.json

    iterator_answer = call(server, "GetShardIterator",
                           {"StreamName": name, "ShardId": SHARD_0,
                            "ShardIteratorType": "TRIM_HORIZON"})
    assert iterator_answer.status == 200, iterator_answer.describe()
    assert list(iterator_answer.json) == ["ShardIterator"]

    body = get_records_raw(server, iterator_answer.json["ShardIterator"])
    assert sorted(body) == ["MillisBehindLatest", "NextShardIterator", "Records"]
    assert body["MillisBehindLatest"] == 0
    assert len(body["Records"]) == 1
    record = body["Records"][0]
    assert sorted(record) == ["ApproximateArrivalTimestamp", "Data", "PartitionKey",
                              "SequenceNumber"]
    assert record["SequenceNumber"] == put.json["SequenceNumber"]
    assert record["PartitionKey"] == "pk-1"
    assert record["Data"] == b64(b"hello \x00\xff")
    arrival = record["ApproximateArrivalTimestamp"]
    assert isinstance(arrival, (int, float)) and 1e9 < arrival < 1e10
    # Epoch seconds with millisecond precision.
    assert abs(arrival * 1000 - round(arrival * 1000)) < 0.01, arrival
    assert body["NextShardIterator"] != iterator_answer.json["ShardIterator"]


def test_put_records_result_shape(server, kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    records = [{"PartitionKey": f"key-{i}", "Data": b64(bytes([i]) * i)} for i in range(10)]
    response = call(server, "PutRecords", {"StreamName": name, "Records": records})
    assert response.status == 200, response.describe()
    body = response.json
    assert sorted(body) == ["FailedRecordCount", "Records"]
    assert body["FailedRecordCount"] == 0
    assert len(body["Records"]) == 10
    ranges = shard_hash_ranges(kinesis, name)
    for entry, record in zip(body["Records"], records):
        assert sorted(entry) == ["SequenceNumber", "ShardId"]
        assert SEQUENCE_NUMBER_PATTERN.fullmatch(entry["SequenceNumber"])
        assert entry["ShardId"] == shard_for_hash_key(
            ranges, partition_key_hash(record["PartitionKey"]))
    # boto3 sees FailedRecordCount 0 too.
    answer = kinesis.put_records(StreamName=name, Records=[{"Data": b"x", "PartitionKey": "p"}])
    assert answer["FailedRecordCount"] == 0


def test_put_records_one_shard_numbers_increase_in_request_order(kinesis):
    name = create_active_stream(kinesis)
    entries = [{"Data": f"record-{i}".encode(), "PartitionKey": f"pk-{i % 7}"} for i in range(100)]
    answer = kinesis.put_records(StreamName=name, Records=entries)
    numbers = [sequence_key(entry["SequenceNumber"]) for entry in answer["Records"]]
    assert all(a < b for a, b in zip(numbers, numbers[1:])), numbers
    # A later PutRecord gets a larger number still.
    later = kinesis.put_record(StreamName=name, Data=b"later", PartitionKey="pk-0")
    assert sequence_key(later["SequenceNumber"]) > numbers[-1]

    read = drain_shard(kinesis, shard_iterator(kinesis, name, SHARD_0))
    assert [bytes(r["Data"]) for r in read] == [e["Data"] for e in entries] + [b"later"]
    assert [r["SequenceNumber"] for r in read] == (
        [e["SequenceNumber"] for e in answer["Records"]] + [later["SequenceNumber"]])
    arrivals = [r["ApproximateArrivalTimestamp"] for r in read]
    assert arrivals == sorted(arrivals)


def test_empty_data_is_a_valid_record(kinesis):
    name = create_active_stream(kinesis)
    kinesis.put_record(StreamName=name, Data=b"", PartitionKey="empty")
    kinesis.put_records(StreamName=name, Records=[{"Data": b"", "PartitionKey": "empty-2"}])
    read = drain_shard(kinesis, shard_iterator(kinesis, name, SHARD_0))
    assert [(bytes(r["Data"]), r["PartitionKey"]) for r in read] == [
        (b"", "empty"), (b"", "empty-2")]


def test_unknown_stream(server):
    missing = unique_name("missing")
    not_found = f"Stream {missing} under account {DEFAULT_ACCOUNT} not found."
    assert_error(call(server, "PutRecord", {"StreamName": missing, "PartitionKey": "a",
                                            "Data": b64(b"x")}),
                 "ResourceNotFoundException", not_found)
    assert_error(call(server, "PutRecords", {"StreamName": missing,
                                             "Records": [{"PartitionKey": "a", "Data": ""}]}),
                 "ResourceNotFoundException", not_found)


def test_get_shard_iterator_unknown_stream(server):
    missing = unique_name("missing")
    # For an unknown stream GetShardIterator still names the shard (captured from AWS).
    assert_error(call(server, "GetShardIterator", {"StreamName": missing, "ShardId": SHARD_0,
                                                   "ShardIteratorType": "LATEST"}),
                 "ResourceNotFoundException",
                 f"Shard {SHARD_0} in stream {missing} under account {DEFAULT_ACCOUNT} "
                 "does not exist")


def test_unknown_shard_id_is_normalised(server, kinesis):
    name = create_active_stream(kinesis)
    for shard_id in ("shardId-5", "5", "shardId-000000000005"):
        assert_error(call(server, "GetShardIterator", {"StreamName": name, "ShardId": shard_id,
                                                       "ShardIteratorType": "TRIM_HORIZON"}),
                     "ResourceNotFoundException",
                     f"Shard shardId-000000000005 in stream {name} under account "
                     f"{DEFAULT_ACCOUNT} does not exist")


# --------------------------------------------------------------------------------------
# Iterator types and boundaries
# --------------------------------------------------------------------------------------


@pytest.fixture
def five_records(kinesis):
    """A one-shard stream holding records r0..r4; returns (name, put answers)."""
    name = create_active_stream(kinesis)
    puts = [kinesis.put_record(StreamName=name, Data=f"r{i}".encode(), PartitionKey="p")
            for i in range(5)]
    return name, puts


def data_of(records) -> list[bytes]:
    return [bytes(r["Data"]) for r in records]


def test_trim_horizon_reads_from_the_first_record(kinesis, five_records):
    name, puts = five_records
    answer = kinesis.get_records(ShardIterator=shard_iterator(kinesis, name, SHARD_0))
    assert data_of(answer["Records"]) == [b"r0", b"r1", b"r2", b"r3", b"r4"]
    assert [r["SequenceNumber"] for r in answer["Records"]] == [p["SequenceNumber"] for p in puts]
    assert answer["MillisBehindLatest"] == 0
    # At the tip: nothing more, but a next iterator.
    tip = kinesis.get_records(ShardIterator=answer["NextShardIterator"])
    assert tip["Records"] == [] and tip["MillisBehindLatest"] == 0
    assert tip["NextShardIterator"] != answer["NextShardIterator"]


def test_latest_reads_only_later_records(kinesis, five_records):
    name, _ = five_records
    latest = shard_iterator(kinesis, name, SHARD_0, "LATEST")
    first = kinesis.get_records(ShardIterator=latest)
    assert first["Records"] == [] and first["MillisBehindLatest"] == 0
    kinesis.put_record(StreamName=name, Data=b"r5", PartitionKey="p")
    kinesis.put_record(StreamName=name, Data=b"r6", PartitionKey="p")
    # The original LATEST iterator is a fixed position: it sees both new records...
    assert data_of(kinesis.get_records(ShardIterator=latest)["Records"]) == [b"r5", b"r6"]
    # ...and so does the NextShardIterator of the empty read.
    assert data_of(kinesis.get_records(ShardIterator=first["NextShardIterator"])["Records"]) == [
        b"r5", b"r6"]


def test_at_and_after_sequence_number(kinesis, five_records):
    name, puts = five_records
    sequence = [p["SequenceNumber"] for p in puts]

    def read(iterator_type, number):
        iterator = shard_iterator(kinesis, name, SHARD_0, iterator_type,
                                  StartingSequenceNumber=number)
        return data_of(drain_shard(kinesis, iterator))

    assert read("AT_SEQUENCE_NUMBER", sequence[0]) == [b"r0", b"r1", b"r2", b"r3", b"r4"]
    assert read("AT_SEQUENCE_NUMBER", sequence[2]) == [b"r2", b"r3", b"r4"]
    assert read("AT_SEQUENCE_NUMBER", sequence[4]) == [b"r4"]
    assert read("AFTER_SEQUENCE_NUMBER", sequence[0]) == [b"r1", b"r2", b"r3", b"r4"]
    assert read("AFTER_SEQUENCE_NUMBER", sequence[2]) == [b"r3", b"r4"]
    # After the last record: empty now, the next record later.
    after_last = shard_iterator(kinesis, name, SHARD_0, "AFTER_SEQUENCE_NUMBER",
                                StartingSequenceNumber=sequence[4])
    empty = kinesis.get_records(ShardIterator=after_last)
    assert empty["Records"] == [] and empty["MillisBehindLatest"] == 0
    kinesis.put_record(StreamName=name, Data=b"r5", PartitionKey="p")
    assert data_of(kinesis.get_records(ShardIterator=after_last)["Records"]) == [b"r5"]


def test_empty_shard(server, kinesis):
    name = create_active_stream(kinesis)
    for iterator_type in ("TRIM_HORIZON", "LATEST"):
        iterator = raw_iterator(server, name, SHARD_0, iterator_type)
        body = get_records_raw(server, iterator)
        assert body["Records"] == []
        assert body["MillisBehindLatest"] == 0
        assert isinstance(body["NextShardIterator"], str) and body["NextShardIterator"]
        # Always a new string (AWS-validated localstack test), chaining indefinitely.
        again = get_records_raw(server, body["NextShardIterator"])
        assert again["Records"] == [] and again["MillisBehindLatest"] == 0
        assert len({iterator, body["NextShardIterator"], again["NextShardIterator"]}) == 3


def test_limit_one_pages_through_a_shard(kinesis):
    name = create_active_stream(kinesis)
    entries = [{"Data": f"page-{i}".encode(), "PartitionKey": "p"} for i in range(7)]
    kinesis.put_records(StreamName=name, Records=entries)
    iterator = shard_iterator(kinesis, name, SHARD_0)
    first_iterator = iterator
    seen = []
    for index in range(7):
        answer = kinesis.get_records(ShardIterator=iterator, Limit=1)
        assert data_of(answer["Records"]) == [entries[index]["Data"]], index
        assert answer["MillisBehindLatest"] >= 0
        assert answer["NextShardIterator"] != iterator
        seen.append(answer["Records"][0]["SequenceNumber"])
        iterator = answer["NextShardIterator"]
    assert seen == sorted(seen, key=sequence_key)
    end = kinesis.get_records(ShardIterator=iterator, Limit=1)
    assert end["Records"] == [] and end["MillisBehindLatest"] == 0
    # Iterators are immutable positions: the first one reads the first record again, and a
    # larger Limit from it returns the first n records.
    assert data_of(kinesis.get_records(ShardIterator=first_iterator, Limit=1)["Records"]) == [
        b"page-0"]
    assert data_of(kinesis.get_records(ShardIterator=first_iterator, Limit=3)["Records"]) == [
        b"page-0", b"page-1", b"page-2"]


def test_get_records_limit_validation(server, kinesis):
    name = create_active_stream(kinesis)
    iterator = raw_iterator(server, name)
    assert_error(call(server, "GetRecords", {"ShardIterator": iterator, "Limit": 10001}),
                 "ValidationException",
                 "1 validation error detected: Value '10001' at 'limit' failed to satisfy "
                 "constraint: Member must have value less than or equal to 10000")
    assert_error(call(server, "GetRecords", {"ShardIterator": iterator, "Limit": 0}),
                 "ValidationException",
                 "1 validation error detected: Value '0' at 'limit' failed to satisfy "
                 "constraint: Member must have value greater than or equal to 1")
    assert get_records_raw(server, iterator, limit=10000)["Records"] == []
    assert_error(call(server, "GetRecords", {}), "ValidationException",
                 "1 validation error detected: Value null at 'shardIterator' failed to satisfy "
                 "constraint: Member must not be null")
    long_iterator = "a" * 513
    assert_error(call(server, "GetRecords", {"ShardIterator": long_iterator}),
                 "ValidationException",
                 f"1 validation error detected: Value '{long_iterator}' at 'shardIterator' failed "
                 "to satisfy constraint: Member must have length less than or equal to 512")


# --------------------------------------------------------------------------------------
# Size limits
# --------------------------------------------------------------------------------------


def test_put_records_500_entries_accepted_501_refused(server, kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    entries = [{"PartitionKey": f"k{i}", "Data": b64(b"d")} for i in range(500)]
    accepted = call(server, "PutRecords", {"StreamName": name, "Records": entries})
    assert accepted.status == 200, accepted.describe()
    assert accepted.json["FailedRecordCount"] == 0
    assert len(accepted.json["Records"]) == 500

    refused = call(server, "PutRecords",
                   {"StreamName": name, "Records": entries + [{"PartitionKey": "x", "Data": ""}]})
    assert_error(refused, "ValidationException")
    # AWS renders the list with Java's toString: one PutRecordsRequestEntry@<hash> per entry.
    match = re.fullmatch(
        r"1 validation error detected: Value '\[(.*)\]' at 'records' failed to satisfy "
        r"constraint: Member must have length less than or equal to 500",
        refused.message, re.S)
    assert match, refused.message[:300] + " ... " + refused.message[-200:]
    items = match.group(1).split(", ")
    assert len(items) == 501
    assert all(re.fullmatch(r"com\.amazonaws\.kinesis\.v20131202\.PutRecordsRequestEntry@"
                            r"[0-9a-f]{1,8}", item) for item in items), items[:3]
    # Nothing of the refused request was written.
    total = sum(len(drain_shard(kinesis, shard_iterator(kinesis, name, shard)))
                for shard in (SHARD_0, SHARD_1))
    assert total == 500


def oversized_message(length: int, member: str) -> str:
    return (f"1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim={length} "
            f"cap={length}]' at '{member}' failed to satisfy constraint: Member must have length "
            f"less than or equal to {ONE_MIB}")


def test_record_of_exactly_one_mib(server, kinesis):
    name = create_active_stream(kinesis)
    big = bytes(range(256)) * (ONE_MIB // 256)
    assert len(big) == ONE_MIB
    kinesis.put_record(StreamName=name, Data=big, PartitionKey="big")
    kinesis.put_records(StreamName=name, Records=[{"Data": big[::-1], "PartitionKey": "big2"}])
    read = drain_shard(kinesis, shard_iterator(kinesis, name, SHARD_0))
    assert [bytes(r["Data"]) for r in read] == [big, big[::-1]]

    too_big = b64(b"z" * (ONE_MIB + 1))
    assert_error(call(server, "PutRecord", {"StreamName": name, "PartitionKey": "p",
                                            "Data": too_big}),
                 "ValidationException", oversized_message(ONE_MIB + 1, "data"))
    assert_error(call(server, "PutRecords", {"StreamName": name, "Records": [
        {"PartitionKey": "p", "Data": b64(b"ok")}, {"PartitionKey": "p", "Data": too_big}]}),
        "ValidationException", oversized_message(ONE_MIB + 1, "records.2.member.data"))
    assert len(drain_shard(kinesis, shard_iterator(kinesis, name, SHARD_0))) == 2


def test_put_records_five_mib_edge(server, kinesis):
    name = create_active_stream(kinesis)
    # Data plus partition keys count: 5 records of 1 MiB - 2 bytes with 2-byte keys.
    entries = [{"PartitionKey": f"k{i}", "Data": b64(bytes([65 + i]) * (ONE_MIB - 2))}
               for i in range(5)]
    accepted = call(server, "PutRecords", {"StreamName": name, "Records": entries})
    assert accepted.status == 200, accepted.describe()
    assert accepted.json["FailedRecordCount"] == 0

    one_more = entries + [{"PartitionKey": "x", "Data": ""}]
    assert_error(call(server, "PutRecords", {"StreamName": name, "Records": one_more}),
                 "InvalidArgumentException", "Records size exceeds 5 MB limit")
    # The partition key counts too: one more byte of key.
    longer_key = [dict(entry) for entry in entries]
    longer_key[3]["PartitionKey"] = "k3!"
    assert_error(call(server, "PutRecords", {"StreamName": name, "Records": longer_key}),
                 "InvalidArgumentException", "Records size exceeds 5 MB limit")
    read = drain_shard(kinesis, shard_iterator(kinesis, name, SHARD_0))
    assert [(r["PartitionKey"], len(r["Data"])) for r in read] == [
        (f"k{i}", ONE_MIB - 2) for i in range(5)]


# --------------------------------------------------------------------------------------
# Routing
# --------------------------------------------------------------------------------------


def test_explicit_hash_key_routing(server, kinesis):
    name = create_active_stream(kinesis, shard_count=3)
    ranges = shard_hash_ranges(kinesis, name)
    assert sorted(ranges.values()) == even_split(3)
    third = TWO_TO_128 // 3
    cases = {
        0: "shardId-000000000000",
        third - 1: "shardId-000000000000",
        third: "shardId-000000000001",
        third * 2 - 1: "shardId-000000000001",
        third * 2: "shardId-000000000002",
        TWO_TO_128 - 1: "shardId-000000000002",
    }
    for hash_key, shard in cases.items():
        # The partition key would route elsewhere: 'a' hashes into shard 0.
        answer = kinesis.put_record(StreamName=name, Data=b"x", PartitionKey="a",
                                    ExplicitHashKey=str(hash_key))
        assert answer["ShardId"] == shard, hash_key
    batch = kinesis.put_records(StreamName=name, Records=[
        {"Data": b"x", "PartitionKey": "a", "ExplicitHashKey": str(k)} for k in cases])
    assert [entry["ShardId"] for entry in batch["Records"]] == list(cases.values())

    too_big = str(TWO_TO_128)
    message = ("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
               f"Specified value was {too_big}")
    assert_error(call(server, "PutRecord", {"StreamName": name, "PartitionKey": "a",
                                            "Data": b64(b"x"), "ExplicitHashKey": too_big}),
                 "InvalidArgumentException", message)
    # One bad entry fails the whole PutRecords request.
    assert_error(call(server, "PutRecords", {"StreamName": name, "Records": [
        {"PartitionKey": "a", "Data": b64(b"bad-batch")},
        {"PartitionKey": "a", "Data": b64(b"bad-batch"), "ExplicitHashKey": too_big}]}),
        "InvalidArgumentException", message)
    everything = [r for shard in ranges
                  for r in drain_shard(kinesis, shard_iterator(kinesis, name, shard))]
    assert len(everything) == 12
    assert b"bad-batch" not in data_of(everything)


def test_partition_key_routing_is_md5(kinesis):
    name = create_active_stream(kinesis, shard_count=3)
    # Vectors captured from AWS on a 3-shard stream.
    for key, shard in (("a", 0), ("b", 1), ("e", 2), ("f", 1)):
        assert kinesis.put_record(StreamName=name, Data=b"v", PartitionKey=key)["ShardId"] == (
            f"shardId-{shard:012d}")

    name = create_active_stream(kinesis, shard_count=5)
    ranges = shard_hash_ranges(kinesis, name)
    keys = [f"key-{i}-\u00e9\u4e2d" for i in range(300)] + ["x" * 256]
    answer = kinesis.put_records(StreamName=name, Records=[
        {"Data": key.encode(), "PartitionKey": key} for key in keys])
    expected = {key: shard_for_hash_key(ranges, partition_key_hash(key)) for key in keys}
    assert [entry["ShardId"] for entry in answer["Records"]] == [expected[key] for key in keys]
    assert len(set(expected.values())) == 5
    for shard in ranges:
        read = drain_shard(kinesis, shard_iterator(kinesis, name, shard))
        assert {r["PartitionKey"] for r in read} == {k for k in keys if expected[k] == shard}


# --------------------------------------------------------------------------------------
# GetShardIterator arguments
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("iterator_type", ["LATEST", "TRIM_HORIZON"])
def test_starting_sequence_number_refused_with(server, kinesis, iterator_type):
    # Not ignored: AWS rejects the combination.
    name = create_active_stream(kinesis)
    number = kinesis.put_record(StreamName=name, Data=b"x", PartitionKey="p")["SequenceNumber"]
    assert_error(call(server, "GetShardIterator", {
        "StreamName": name, "ShardId": SHARD_0, "ShardIteratorType": iterator_type,
        "StartingSequenceNumber": number}),
        "InvalidArgumentException",
        ITERATOR_TYPE_RULE + f"Request specified {iterator_type} and also a "
        "StartingSequenceNumber.")


@pytest.mark.parametrize("iterator_type", ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"])
def test_starting_sequence_number_required_for(server, kinesis, iterator_type):
    name = create_active_stream(kinesis)
    assert_error(call(server, "GetShardIterator", {
        "StreamName": name, "ShardId": SHARD_0, "ShardIteratorType": iterator_type}),
        "InvalidArgumentException",
        ITERATOR_TYPE_RULE + f"Request specified {iterator_type} and no "
        "StartingSequenceNumber.")


def test_at_timestamp_requires_a_timestamp(server, kinesis):
    name = create_active_stream(kinesis)
    assert_error(call(server, "GetShardIterator", {
        "StreamName": name, "ShardId": SHARD_0, "ShardIteratorType": "AT_TIMESTAMP"}),
        "InvalidArgumentException",
        "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. "
        "Current request has no timestamp parameter.")


def test_sequence_number_of_another_shard(server, kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    on_shard_1 = kinesis.put_record(StreamName=name, Data=b"x", PartitionKey="p",
                                    ExplicitHashKey=str(TWO_TO_128 - 1))
    assert on_shard_1["ShardId"] == SHARD_1
    for iterator_type in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        assert_error(call(server, "GetShardIterator", {
            "StreamName": name, "ShardId": SHARD_0, "ShardIteratorType": iterator_type,
            "StartingSequenceNumber": on_shard_1["SequenceNumber"]}),
            "InvalidArgumentException",
            f"Invalid StartingSequenceNumber. It encodes {SHARD_1}, while it was used in a call "
            f"to a shard with {SHARD_0}")
    # On its own shard it works.
    iterator = shard_iterator(kinesis, name, SHARD_1, "AT_SEQUENCE_NUMBER",
                              StartingSequenceNumber=on_shard_1["SequenceNumber"])
    assert data_of(kinesis.get_records(ShardIterator=iterator)["Records"]) == [b"x"]


# --------------------------------------------------------------------------------------
# Iterator tokens
# --------------------------------------------------------------------------------------


def test_iterator_token_format(kinesis):
    name = create_active_stream(kinesis)
    kinesis.put_record(StreamName=name, Data=b"x", PartitionKey="p")
    iterators = [shard_iterator(kinesis, name, SHARD_0, kind) for kind in ("TRIM_HORIZON",
                                                                          "LATEST")]
    iterators.append(kinesis.get_records(ShardIterator=iterators[0])["NextShardIterator"])
    for iterator in iterators:
        assert len(iterator) <= 512
        decoded = base64.b64decode(iterator, validate=True)
        assert base64.b64encode(decoded).decode() == iterator
        assert decoded[:8] == b"\x00" * 7 + b"\x01"
        assert re.match(r"AAAAAAAAAA[EFGH]", iterator), iterator
        assert len(decoded) >= 152 and (len(decoded) - 8) % 16 == 0, len(decoded)


def test_tampered_and_garbage_iterators(server, kinesis):
    name = create_active_stream(kinesis)
    kinesis.put_record(StreamName=name, Data=b"secret", PartitionKey="p")
    iterator = shard_iterator(kinesis, name, SHARD_0)
    decoded = bytearray(base64.b64decode(iterator))

    def flipped(position: int) -> str:
        copy = bytearray(decoded)
        copy[position] ^= 0x01
        return b64(bytes(copy))

    candidates = {
        "middle byte flipped": flipped(len(decoded) // 2),
        "last byte flipped": flipped(len(decoded) - 1),
        "first body byte flipped": flipped(8),
        "header flipped": flipped(7),
        "truncated by one block": b64(bytes(decoded[:-16])),
        "extended by one block": b64(bytes(decoded) + bytes(16)),
        "header only": "AAAAAAAAAAE=",
        "not base64": "garbage!!",
        "random text": "__tributary_test_0.123456789",
        "base64 of zeros": b64(b"\x00" * 7 + b"\x01" + bytes(160)),
    }
    for label, candidate in candidates.items():
        assert candidate != iterator
        response = call(server, "GetRecords", {"ShardIterator": candidate})
        assert response.status == 400, (label, response.describe())
        assert (response.error_type, response.message) == (
            "InvalidArgumentException", INVALID_ITERATOR), (label, response.describe())
    # The genuine one still works.
    assert data_of(kinesis.get_records(ShardIterator=iterator)["Records"]) == [b"secret"]


def test_quoted_iterator_is_accepted(server, kinesis):
    # AWS (and the CLI) accept an iterator wrapped in double quotes.
    name = create_active_stream(kinesis)
    kinesis.put_record(StreamName=name, Data=b"quoted", PartitionKey="p")
    iterator = raw_iterator(server, name)
    body = get_records_raw(server, '"' + iterator + '"')
    assert [base64.b64decode(r["Data"]) for r in body["Records"]] == [b"quoted"]
    assert body["NextShardIterator"]
    assert kinesis.get_records(ShardIterator='"' + body["NextShardIterator"] + '"')[
        "Records"] == []


def test_iterator_from_another_server_is_invalid(server, kinesis, start_server):
    # Same stream name and shard on a server with another data directory (another key).
    name = create_active_stream(kinesis)
    kinesis.put_record(StreamName=name, Data=b"here", PartitionKey="p")
    other = start_server()
    other_client = kinesis_client(other)
    create_active_stream(other_client, name)
    other_client.put_record(StreamName=name, Data=b"there", PartitionKey="p")
    foreign = shard_iterator(other_client, name, SHARD_0)
    assert data_of(other_client.get_records(ShardIterator=foreign)["Records"]) == [b"there"]
    assert_error(call(server, "GetRecords", {"ShardIterator": foreign}),
                 "InvalidArgumentException", INVALID_ITERATOR)
    assert_error(call(other, "GetRecords", {"ShardIterator": shard_iterator(kinesis, name,
                                                                            SHARD_0)}),
                 "InvalidArgumentException", INVALID_ITERATOR)


def deleted_stream_iterators(kinesis) -> tuple[str, list[str]]:
    name = create_active_stream(kinesis)
    kinesis.put_record(StreamName=name, Data=b"old", PartitionKey="p")
    iterators = [shard_iterator(kinesis, name, SHARD_0),
                 shard_iterator(kinesis, name, SHARD_0, "LATEST")]
    kinesis.delete_stream(StreamName=name)
    wait_until_gone(kinesis, name)
    return name, iterators


def test_iterator_of_a_deleted_stream(server, kinesis):
    name, iterators = deleted_stream_iterators(kinesis)
    for iterator in iterators:
        assert_error(call(server, "GetRecords", {"ShardIterator": iterator}),
                     "ResourceNotFoundException",
                     f"Shard {SHARD_0} in stream {name} under account {DEFAULT_ACCOUNT} "
                     "does not exist")


def test_iterator_of_a_deleted_then_recreated_stream(server, kinesis):
    name, iterators = deleted_stream_iterators(kinesis)
    create_active_stream(kinesis, name)
    kinesis.put_record(StreamName=name, Data=b"new", PartitionKey="p")
    for iterator in iterators:
        response = call(server, "GetRecords", {"ShardIterator": iterator})
        if response.status == 200:
            # Allowed (AWS iterators name the stream, not its incarnation), but the old
            # stream's position must not leak the new stream's records, nor the old ones.
            assert response.json["Records"] == [], response.describe()
        else:
            assert response.status == 400, response.describe()
            assert response.error_type in ("ResourceNotFoundException",
                                           "InvalidArgumentException"), response.describe()
    assert data_of(drain_shard(kinesis, shard_iterator(kinesis, name, SHARD_0))) == [b"new"]


def test_boto3_round_trip_across_shards(kinesis):
    # The SDK path end to end: PutRecord and PutRecords into 2 shards, every iterator type.
    name = create_active_stream(kinesis, shard_count=2)
    put = [kinesis.put_record(StreamName=name, Data=f"single-{i}".encode(), PartitionKey=f"s{i}")
           for i in range(6)]
    batch = kinesis.put_records(StreamName=name, Records=[
        {"Data": f"batch-{i}".encode(), "PartitionKey": f"b{i}"} for i in range(10)])
    acknowledged = {(p["ShardId"], p["SequenceNumber"]) for p in put} | {
        (e["ShardId"], e["SequenceNumber"]) for e in batch["Records"]}
    read = set()
    for shard in (SHARD_0, SHARD_1):
        records = drain_shard(kinesis, shard_iterator(kinesis, name, shard), limit=3)
        numbers = [sequence_key(r["SequenceNumber"]) for r in records]
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
        read |= {(shard, r["SequenceNumber"]) for r in records}
    assert read == acknowledged
