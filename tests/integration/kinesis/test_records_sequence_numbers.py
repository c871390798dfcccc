"""Sequence-number fidelity (issue 9, points 5-8): how AWS reads the numbers clients send
(GetShardIterator's StartingSequenceNumber, PutRecord's SequenceNumberForOrdering), the index
field shared by the shards created together, and the creation second new shards encode.

Expected texts are AWS's as kinesalite's tests captured them against AWS (test/getShardIterator.js
and test/putRecord.js), as issue 9 quotes them. The layout of a version-2 number, in hex:
2 | shard creation seconds (9) | shard low nibble (1) | index (16) | 00 | record seconds (9) |
shard (8) | 2.
"""

from __future__ import annotations

import concurrent.futures
import time

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
    kinesis_client,
    shard_iterator,
    wait_for_status,
)

SHARD_0 = "shardId-000000000000"
SHARD_1 = "shardId-000000000001"
INDEX_TOP_BIT_SET = "49039857307719593840066370180380661734935976090628259842"
CREATION_ALL_F = "73559785961551514828601391991642864028743539089244946418"
VERSION_1_ZEROS = "49039857307708443467467104868809893875799651909875269633"
SHARD_FIELD_0x80000000 = "49039857307708443467467104868809893875799651944235008002"


def hex_of(sequence_number: str) -> str:
    return format(int(sequence_number), "x")


def index_field(sequence_number: str) -> int:
    return int(hex_of(sequence_number)[11:27], 16)


def creation_second(sequence_number: str) -> int:
    return int(hex_of(sequence_number)[1:10], 16)


def at_sequence_number(server, name: str, number: str, shard_id: str = SHARD_0):
    return call(server, "GetShardIterator", {
        "StreamName": name, "ShardId": shard_id, "ShardIteratorType": "AT_SEQUENCE_NUMBER",
        "StartingSequenceNumber": number})


def generic_invalid(name: str, number: str, shard_id: str = SHARD_0) -> str:
    return (f"StartingSequenceNumber {number} used in GetShardIterator on shard {shard_id} in "
            f"stream {name} under account {DEFAULT_ACCOUNT} is invalid.")


def encodes_other_shard(encoded: str, shard_id: str = SHARD_0) -> str:
    return (f"Invalid StartingSequenceNumber. It encodes {encoded}, while it was used in a call "
            f"to a shard with {shard_id}")


# --------------------------------------------------------------------------------------
# Point 5: GetShardIterator StartingSequenceNumber readings and texts
# --------------------------------------------------------------------------------------


def test_small_number_reads_as_an_old_format_number_of_its_low_16_bits(server, kinesis):
    name = create_active_stream(kinesis)
    assert_error(at_sequence_number(server, name, "5"), "InvalidArgumentException",
                 encodes_other_shard("shardId-000000000005"))
    # 0x10005: only the low 16 bits name the shard.
    assert_error(at_sequence_number(server, name, str(0x10005)), "InvalidArgumentException",
                 encodes_other_shard("shardId-000000000005"))


def test_index_with_its_top_bit_set_is_invalid(server, kinesis):
    name = create_active_stream(kinesis)
    assert_error(at_sequence_number(server, name, INDEX_TOP_BIT_SET), "InvalidArgumentException",
                 generic_invalid(name, INDEX_TOP_BIT_SET))


def test_shard_field_is_printed_as_a_signed_int(server, kinesis):
    name = create_active_stream(kinesis)
    assert_error(at_sequence_number(server, name, SHARD_FIELD_0x80000000),
                 "InvalidArgumentException", encodes_other_shard("shardId--02147483648"))


def test_zero_is_refused_with_a_400(server, kinesis):
    # AWS answers 500 InternalFailure here; Tributary keeps a 400 (docs/compatibility.md).
    name = create_active_stream(kinesis)
    assert_error(at_sequence_number(server, name, "0"), "InvalidArgumentException",
                 generic_invalid(name, "0"))


def test_large_date_is_invalid(server, kinesis):
    # Captured: a version-0 number created in the 25th century.
    name = create_active_stream(kinesis)
    number = str(int("13bb2cc3d80000000000000000000000", 16))
    assert_error(at_sequence_number(server, name, number), "InvalidArgumentException",
                 generic_invalid(name, number))


def test_a_number_of_this_shard_from_another_stream_is_invalid(server, kinesis):
    other = create_active_stream(kinesis)
    foreign = kinesis.put_record(StreamName=other, Data=b"x", PartitionKey="p")["SequenceNumber"]
    name = create_active_stream(kinesis)
    assert_error(at_sequence_number(server, name, foreign), "InvalidArgumentException",
                 generic_invalid(name, foreign))


# --------------------------------------------------------------------------------------
# Point 6: PutRecord SequenceNumberForOrdering
# --------------------------------------------------------------------------------------


def put_with_ordering(server, name: str, number: str):
    return call(server, "PutRecord", {"StreamName": name, "Data": "AAAA", "PartitionKey": "a",
                                      "SequenceNumberForOrdering": number})


def exclusive_minimum_invalid(name: str, number: str) -> str:
    return (f"ExclusiveMinimumSequenceNumber {number} used in PutRecord on stream {name} under "
            f"account {DEFAULT_ACCOUNT} is invalid.")


@pytest.mark.parametrize("number", [
    INDEX_TOP_BIT_SET,
    CREATION_ALL_F,
    # Captured: a 47-digit number of version 0 or 4, or starting with 3 or 1.
    str(int("20000000000000000000000000000000000000000000000", 16)),
    str(int("20000000000000000000000000000000000000000000004", 16)),
    str(int("30000000000000000000000000000000000000000000001", 16)),
    str(int("1ffffffffff7fffffffffffffff000000000007fffffff2", 16)),
    str(int("13bb2cc3d80000000000000000000000", 16)),
    # AWS answers this one with a 500 InternalFailure; Tributary with a 400 (compatibility.md).
    str(int("20000000000000000000000000000000000000000000003", 16)),
], ids=["index-top-bit", "creation-all-f", "version-0", "version-4", "initial-3", "initial-1",
        "large-date", "version-3"])
def test_sequence_number_for_ordering_refused(server, kinesis, number):
    name = create_active_stream(kinesis)
    assert_error(put_with_ordering(server, name, number), "InvalidArgumentException",
                 exclusive_minimum_invalid(name, number))


def test_sequence_number_for_ordering_with_a_future_record_time_refused(server, kinesis):
    name = create_active_stream(kinesis)
    number = str(int("2" + "0" * 28 + f"{int(time.time()) + 30:09x}" + "00000000" + "2", 16))
    assert_error(put_with_ordering(server, name, number), "InvalidArgumentException",
                 exclusive_minimum_invalid(name, number))


@pytest.mark.parametrize("number", [
    VERSION_1_ZEROS,
    str(int("20000000000000000000000000000000000000000000002", 16)),
    SHARD_FIELD_0x80000000,
    "5",
], ids=["version-1", "version-2-zeros", "shard-field-8", "small"])
def test_sequence_number_for_ordering_accepted(server, kinesis, number):
    name = create_active_stream(kinesis)
    response = put_with_ordering(server, name, number)
    assert response.status == 200, response.describe()
    assert response.json["ShardId"] == SHARD_0


def test_sequence_number_for_ordering_from_an_earlier_put(kinesis):
    name = create_active_stream(kinesis)
    first = kinesis.put_record(StreamName=name, Data=b"1", PartitionKey="a")["SequenceNumber"]
    second = kinesis.put_record(StreamName=name, Data=b"2", PartitionKey="a",
                                SequenceNumberForOrdering=first)["SequenceNumber"]
    assert int(second) > int(first)


# --------------------------------------------------------------------------------------
# Point 7: one index counter for the shards created together
# --------------------------------------------------------------------------------------

LOW_HASH_KEY, HIGH_HASH_KEY = "0", str(TWO_TO_128 - 1)


def put_alternating(client, name: str, count: int) -> list[dict]:
    """`count` concurrent PutRecords, alternating between the lowest and highest hash key."""
    def put(i: int) -> dict:
        return client.put_record(StreamName=name, Data=f"{i}".encode(), PartitionKey="p",
                                 ExplicitHashKey=LOW_HASH_KEY if i % 2 == 0 else HIGH_HASH_KEY)
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(put, range(count)))


def assert_increasing_per_shard(client, name: str, shard_ids: list[str]) -> None:
    for shard_id in shard_ids:
        numbers = [int(r["SequenceNumber"])
                   for r in drain_shard(client, shard_iterator(client, name, shard_id))]
        assert numbers == sorted(set(numbers)), shard_id


def test_shards_of_one_create_stream_share_the_index_counter(kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    results = put_alternating(kinesis, name, 200)
    assert {r["ShardId"] for r in results} == {SHARD_0, SHARD_1}
    indexes = sorted(index_field(r["SequenceNumber"]) for r in results)
    assert indexes == list(range(indexes[0], indexes[0] + 200)), indexes
    assert_increasing_per_shard(kinesis, name, [SHARD_0, SHARD_1])


def test_children_of_a_split_share_a_counter_of_their_own(start_server):
    server = start_server(in_memory=True, extra_args=["--update-stream-ms", "0"])
    client = kinesis_client(server)
    name = create_active_stream(client)
    client.put_record(StreamName=name, Data=b"parent", PartitionKey="p")
    client.split_shard(StreamName=name, ShardToSplit=SHARD_0, NewStartingHashKey=str(2**127))
    wait_for_status(client, name, "ACTIVE")
    results = put_alternating(client, name, 100)
    assert {r["ShardId"] for r in results} == {SHARD_1, "shardId-000000000002"}
    indexes = sorted(index_field(r["SequenceNumber"]) for r in results)
    assert indexes == list(range(indexes[0], indexes[0] + 100)), indexes
    assert_increasing_per_shard(client, name, [SHARD_1, "shardId-000000000002"])


def test_shared_counter_survives_a_restart(start_server):
    server = start_server()
    client = kinesis_client(server)
    name = create_active_stream(client, shard_count=2)
    before = put_alternating(client, name, 40)
    # Shard 0 takes more records, so after a restart shard 1 alone cannot know where the
    # group's counter stood.
    for i in range(10):
        before.append(client.put_record(StreamName=name, Data=b"x", PartitionKey="p",
                                        ExplicitHashKey=LOW_HASH_KEY))
    server.stop()
    server.restart()
    client = kinesis_client(server)
    after = put_alternating(client, name, 40)
    indexes = [index_field(r["SequenceNumber"]) for r in before + after]
    assert len(set(indexes)) == len(indexes)
    assert min(index_field(r["SequenceNumber"]) for r in after) > max(
        index_field(r["SequenceNumber"]) for r in before)
    assert_increasing_per_shard(client, name, [SHARD_0, SHARD_1])
    # Every number still finds its record.
    for result in before + after:
        iterator = shard_iterator(client, name, result["ShardId"], "AT_SEQUENCE_NUMBER",
                                  StartingSequenceNumber=result["SequenceNumber"])
        first = client.get_records(ShardIterator=iterator, Limit=1)["Records"][0]
        assert first["SequenceNumber"] == result["SequenceNumber"]


# --------------------------------------------------------------------------------------
# Point 8: the creation second a new stream's shards encode
# --------------------------------------------------------------------------------------


def test_new_shards_encode_a_creation_second_before_the_create_stream_call(server, kinesis):
    # AWS encodes a second 2-7 s before its CreateStream response (issue 9's recording);
    # Tributary encodes the call's time less 4 s.
    name = unique_name()
    started = time.time()
    kinesis.create_stream(StreamName=name, ShardCount=2)
    answered = time.time()
    wait_for_status(kinesis, name, "ACTIVE")
    shards = kinesis.describe_stream(StreamName=name)["StreamDescription"]["Shards"]
    record = kinesis.put_record(StreamName=name, Data=b"x", PartitionKey="p")
    numbers = [s["SequenceNumberRange"]["StartingSequenceNumber"] for s in shards]
    numbers.append(record["SequenceNumber"])
    for number in numbers:
        created = creation_second(number)
        assert int(started) - 7 <= created <= int(answered) - 2, (number, started, answered)
    # The numbers still work as starting points.
    iterator = shard_iterator(kinesis, name, record["ShardId"], "AT_SEQUENCE_NUMBER",
                              StartingSequenceNumber=record["SequenceNumber"])
    assert kinesis.get_records(ShardIterator=iterator)["Records"][0]["Data"] == b"x"
    for shard in shards:
        shard_iterator(kinesis, name, shard["ShardId"], "AT_SEQUENCE_NUMBER",
                       StartingSequenceNumber=shard["SequenceNumberRange"]["StartingSequenceNumber"])
