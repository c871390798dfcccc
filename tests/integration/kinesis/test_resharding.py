"""Resharding (issue 4): SplitShard, MergeShards and UpdateShardCount with real lineage —
closed parents with EndingSequenceNumber, children with ParentShardId/AdjacentParentShardId,
writes routed to open shards only, GetRecords ending a closed shard with ChildShards,
ListShards filters by generation, closed shards expiring with retention — and a scenario that
writes while resharding and then reads every record exactly once by following lineage.

Texts marked "captured" come from kinesalite's tests run against AWS; the others are ours."""
import threading
import time

import pytest

from support import (
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    advance_test_clock,
    assert_error,
    unique_name,
)
from .kinesis_support import (
    TWO_TO_128,
    call,
    create_active_stream,
    even_split,
    kinesis_client,
    partition_key_hash,
    stream_status,
    wait_for_status,
)

HOUR_MS = 3_600_000


@pytest.fixture
def reshard_server(start_server):
    """A private server: resharding is instant (UPDATING for 0 ms), the clock can be moved."""
    return start_server(
        in_memory=True,
        extra_args=["--test-clock", "--update-stream-ms", "0", "--shard-limit", "1000"],
    )


@pytest.fixture
def client(reshard_server):
    client = kinesis_client(reshard_server)
    client._tributary_server = reshard_server  # for raw calls and more clients
    return client


def shards_by_id(client, name: str) -> dict[str, dict]:
    return {s["ShardId"]: s for s in client.describe_stream(StreamName=name)["StreamDescription"]["Shards"]}


def hash_range(shard: dict) -> tuple[int, int]:
    return int(shard["HashKeyRange"]["StartingHashKey"]), int(shard["HashKeyRange"]["EndingHashKey"])


def open_shards(client, name: str) -> dict[str, dict]:
    return {
        shard_id: shard
        for shard_id, shard in shards_by_id(client, name).items()
        if "EndingSequenceNumber" not in shard["SequenceNumberRange"]
    }


def assert_open_shards_tile_hash_space(shards: dict[str, dict]) -> None:
    ranges = sorted(hash_range(s) for s in shards.values())
    assert ranges[0][0] == 0 and ranges[-1][1] == TWO_TO_128 - 1
    for (_, end), (start, _) in zip(ranges, ranges[1:]):
        assert start == end + 1, ranges


def assert_lineage_is_consistent(shards: dict[str, dict]) -> None:
    """Every child lies within its parents' ranges; a merge child is exactly their union; every
    closed shard's range is covered by its children; nobody has more than two parents."""
    children: dict[str, list[dict]] = {shard_id: [] for shard_id in shards}
    for shard in shards.values():
        parents = [shards[p] for p in (shard.get("ParentShardId"), shard.get("AdjacentParentShardId")) if p]
        for parent in parents:
            children[parent["ShardId"]].append(shard)
        if not parents:
            continue
        low, high = hash_range(shard)
        parent_ranges = sorted(hash_range(p) for p in parents)
        if len(parent_ranges) == 2:
            assert parent_ranges[0][1] + 1 == parent_ranges[1][0], parent_ranges
            assert (low, high) == (parent_ranges[0][0], parent_ranges[1][1])
        else:
            assert parent_ranges[0][0] <= low and high <= parent_ranges[0][1]
    for shard_id, shard in shards.items():
        if "EndingSequenceNumber" not in shard["SequenceNumberRange"]:
            assert not children[shard_id], shard_id
            continue
        covered = sorted(hash_range(c) for c in children[shard_id])
        low, high = hash_range(shard)
        assert covered, f"closed shard {shard_id} has no children"
        assert covered[0][0] <= low and covered[-1][1] >= high
        for (_, end), (start, _) in zip(covered, covered[1:]):
            assert start == end + 1, covered


# --------------------------------------------------------------------------------------
# SplitShard
# --------------------------------------------------------------------------------------


def test_split_shard_closes_parent_and_opens_two_children(client):
    name = create_active_stream(client)
    middle = TWO_TO_128 // 2
    client.split_shard(StreamName=name, ShardToSplit="shardId-000000000000", NewStartingHashKey=str(middle))
    shards = shards_by_id(client, name)
    assert list(shards) == ["shardId-000000000000", "shardId-000000000001", "shardId-000000000002"]
    parent = shards["shardId-000000000000"]
    ending = parent["SequenceNumberRange"]["EndingSequenceNumber"]
    assert int(ending) > int(parent["SequenceNumberRange"]["StartingSequenceNumber"])
    # AWS's ending numbers carry the largest counter: hex digits 11..26 are 7fff...f.
    assert format(int(ending), "x")[11:27] == "7fffffffffffffff"
    left, right = shards["shardId-000000000001"], shards["shardId-000000000002"]
    assert left["ParentShardId"] == right["ParentShardId"] == "shardId-000000000000"
    assert "AdjacentParentShardId" not in left
    assert hash_range(left) == (0, middle - 1)
    assert hash_range(right) == (middle, TWO_TO_128 - 1)
    assert "EndingSequenceNumber" not in left["SequenceNumberRange"]
    summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    assert summary["OpenShardCount"] == 2
    assert_lineage_is_consistent(shards)


def test_split_shard_by_arn_and_lenient_shard_id(client):
    name = create_active_stream(client)
    arn = f"arn:aws:kinesis:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:stream/{name}"
    client.split_shard(StreamARN=arn, ShardToSplit="0", NewStartingHashKey=str(2**100))
    assert len(open_shards(client, name)) == 2


def test_split_shard_hash_key_bounds(client):
    name = create_active_stream(client, shard_count=2)
    (start, end) = even_split(2)[1]

    def text(key: int) -> str:  # captured
        return (
            f"NewStartingHashKey {key} used in SplitShard() on shard shardId-000000000001 in stream "
            f"{name} under account {DEFAULT_ACCOUNT} is not both greater than one plus the shard's "
            f"StartingHashKey {start} and less than the shard's EndingHashKey {end}."
        )

    for bad in (start, start + 1, end, end + 5, 0):
        response = call(
            client._tributary_server, "SplitShard",
            {"StreamName": name, "ShardToSplit": "shardId-000000000001", "NewStartingHashKey": str(bad)},
        )
        assert_error(response, "InvalidArgumentException", text(bad))
    # start + 2 and end - 1 are the extremes that work.
    client.split_shard(StreamName=name, ShardToSplit="shardId-000000000001", NewStartingHashKey=str(start + 2))
    shards = shards_by_id(client, name)
    assert hash_range(shards["shardId-000000000002"]) == (start, start + 1)


def test_split_shard_errors(client, reshard_server):
    name = create_active_stream(client)
    server = reshard_server
    missing = call(server, "SplitShard", {"StreamName": name, "ShardToSplit": "shardId-000000000007",
                                         "NewStartingHashKey": "12345"})
    assert_error(missing, "ResourceNotFoundException",
                 f"Could not find shard shardId-000000000007 in stream {name} under account {DEFAULT_ACCOUNT}.")
    garbage = call(server, "SplitShard", {"StreamName": name, "ShardToSplit": "shard-x",
                                         "NewStartingHashKey": "12345"})
    assert_error(garbage, "ResourceNotFoundException",
                 f"Could not find shard shard-x in stream {name} under account {DEFAULT_ACCOUNT}.")
    no_stream = call(server, "SplitShard", {"StreamName": "nope-" + name, "ShardToSplit": "shardId-000000000000",
                                           "NewStartingHashKey": "12345"})
    assert_error(no_stream, "ResourceNotFoundException",
                 f"Stream nope-{name} under account {DEFAULT_ACCOUNT} not found.")
    client.split_shard(StreamName=name, ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127))
    again = call(server, "SplitShard", {"StreamName": name, "ShardToSplit": "shardId-000000000000",
                                       "NewStartingHashKey": str(2**126)})
    assert_error(again, "InvalidArgumentException",
                 f"Shard shardId-000000000000 in stream {name} under account {DEFAULT_ACCOUNT} has already "
                 "been merged or split, and thus is not eligible for splitting.")


def test_split_and_merge_refused_while_updating(start_server):
    server = start_server(in_memory=True, extra_args=["--test-clock", "--update-stream-ms", "60000"])
    client = kinesis_client(server)
    name = create_active_stream(client, shard_count=2)
    client.split_shard(StreamName=name, ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**100))
    assert client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"] == "UPDATING"
    not_active = f"Stream {name} under account {DEFAULT_ACCOUNT} not ACTIVE, instead in state UPDATING"  # captured
    response = call(server, "SplitShard", {"StreamName": name, "ShardToSplit": "shardId-000000000001",
                                          "NewStartingHashKey": str(2**127 + 10)})
    assert_error(response, "ResourceInUseException", not_active)
    response = call(server, "MergeShards", {"StreamName": name, "ShardToMerge": "shardId-000000000000",
                                           "AdjacentShardToMerge": "shardId-000000000001"})
    assert_error(response, "ResourceInUseException", not_active)
    response = call(server, "UpdateShardCount", {"StreamName": name, "TargetShardCount": 4,
                                                "ScalingType": "UNIFORM_SCALING"})
    assert_error(response, "ResourceInUseException", not_active)
    # Records keep flowing while UPDATING, to the parent (the children do not exist yet).
    put = client.put_record(StreamName=name, Data=b"x", PartitionKey="a", ExplicitHashKey="5")
    assert put["ShardId"] == "shardId-000000000000"
    advance_test_clock(server, 60_000)
    wait_for_status(client, name, "ACTIVE")
    put = client.put_record(StreamName=name, Data=b"x", PartitionKey="a", ExplicitHashKey="5")
    assert put["ShardId"] == "shardId-000000000002"
    client.merge_shards(StreamName=name, ShardToMerge="shardId-000000000002", AdjacentShardToMerge="shardId-000000000003")


def split_first_shard(client, name: str) -> None:
    client.split_shard(StreamName=name, ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127))


def merge_first_two_shards(client, name: str) -> None:
    client.merge_shards(StreamName=name, ShardToMerge="shardId-000000000000",
                        AdjacentShardToMerge="shardId-000000000001")


def double_shard_count(client, name: str) -> None:
    client.update_shard_count(StreamName=name, TargetShardCount=4, ScalingType="UNIFORM_SCALING")


@pytest.mark.parametrize("shard_count,reshard,parents", [
    (1, split_first_shard, ["shardId-000000000000"]),
    (2, merge_first_two_shards, ["shardId-000000000000", "shardId-000000000001"]),
    (2, double_shard_count, ["shardId-000000000000", "shardId-000000000001"]),
], ids=["SplitShard", "MergeShards", "UpdateShardCount"])
def test_old_shards_take_records_until_the_stream_is_active_again(start_server, shard_count, reshard, parents):
    """AWS (recorded, issue 9): while the stream is UPDATING after a reshard, DescribeStream,
    ListShards and DescribeStreamSummary show the old shards (no EndingSequenceNumber, no
    children) and records go to the parents; the children appear and the parents close when
    the stream is ACTIVE again."""
    server = start_server(in_memory=True, extra_args=["--test-clock", "--update-stream-ms", "60000"])
    client = kinesis_client(server)
    name = create_active_stream(client, shard_count=shard_count)
    before = shards_by_id(client, name)
    reshard(client, name)
    description = client.describe_stream(StreamName=name)["StreamDescription"]
    assert description["StreamStatus"] == "UPDATING"
    assert {s["ShardId"]: s for s in description["Shards"]} == before
    assert {s["ShardId"]: s for s in client.list_shards(StreamName=name)["Shards"]} == before
    summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    assert (summary["StreamStatus"], summary["OpenShardCount"]) == ("UPDATING", shard_count)
    during = [client.put_record(StreamName=name, Data=b"during", PartitionKey="k", ExplicitHashKey=str(key))
              for key in (0, TWO_TO_128 - 1)]
    assert {p["ShardId"] for p in during} <= set(before)
    advance_test_clock(server, 59_000)
    assert shards_by_id(client, name) == before

    advance_test_clock(server, 1_000)
    assert stream_status(client, name) == "ACTIVE"
    shards = shards_by_id(client, name)
    assert set(shards) > set(before)
    for parent in parents:
        assert "EndingSequenceNumber" in shards[parent]["SequenceNumberRange"]
    assert_lineage_is_consistent(shards)
    assert_open_shards_tile_hash_space(open_shards(client, name))
    summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    assert summary["OpenShardCount"] == len(open_shards(client, name))
    after = client.put_record(StreamName=name, Data=b"after", PartitionKey="k", ExplicitHashKey="0")
    assert after["ShardId"] not in before
    # What the parents took while UPDATING is read there, before their children.
    for put in during:
        if put["ShardId"] in parents:
            iterator = client.get_shard_iterator(StreamName=name, ShardId=put["ShardId"],
                                                 ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            records, children = drain_to_end(client, iterator)
            assert put["SequenceNumber"] in [r["SequenceNumber"] for r in records]
            assert children


def test_reshard_pending_at_a_crash_completes_after_restart(start_server):
    server = start_server(extra_args=["--update-stream-ms", "3000"])
    client = kinesis_client(server)
    name = create_active_stream(client)
    split_first_shard(client, name)
    put = client.put_record(StreamName=name, Data=b"during", PartitionKey="k")
    assert put["ShardId"] == "shardId-000000000000"
    assert stream_status(client, name) == "UPDATING"
    server.kill()
    server.restart()
    client = kinesis_client(server)
    wait_for_status(client, name, "ACTIVE")
    shards = shards_by_id(client, name)
    assert list(shards) == ["shardId-000000000000", "shardId-000000000001", "shardId-000000000002"]
    assert "EndingSequenceNumber" in shards["shardId-000000000000"]["SequenceNumberRange"]
    assert client.put_record(StreamName=name, Data=b"after", PartitionKey="k")["ShardId"] != "shardId-000000000000"
    iterator = client.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records, children = drain_to_end(client, iterator)
    assert [r["Data"] for r in records] == [b"during"]
    assert [c["ShardId"] for c in children] == ["shardId-000000000001", "shardId-000000000002"]


def test_split_refused_beyond_the_shard_limit(start_server):
    server = start_server(in_memory=True, extra_args=["--update-stream-ms", "0", "--shard-limit", "2"])
    client = kinesis_client(server)
    name = create_active_stream(client, shard_count=2)
    response = call(server, "SplitShard", {"StreamName": name, "ShardToSplit": "shardId-000000000000",
                                          "NewStartingHashKey": str(2**100)})
    assert_error(response, "LimitExceededException",  # captured wording
                 f"This request would exceed the shard limit for the account {DEFAULT_ACCOUNT} in {DEFAULT_REGION}. "
                 "Current shard count for the account: 2. Limit: 2. Number of additional shards that would have "
                 "resulted from this request: 1. Refer to the AWS Service Limits page "
                 "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and "
                 "how to request higher limits.")
    # Merging frees a shard, after which the split fits.
    client.merge_shards(StreamName=name, ShardToMerge="shardId-000000000000", AdjacentShardToMerge="shardId-000000000001")
    client.split_shard(StreamName=name, ShardToSplit="shardId-000000000002", NewStartingHashKey=str(2**100))


UNREADABLE_SHARD_IDS = ["2147483648", "shardId-002147483648", "ABKLFD8", "2.14E4"]


@pytest.mark.parametrize("shard_id", UNREADABLE_SHARD_IDS)
@pytest.mark.parametrize("operation,member", [("SplitShard", "ShardToSplit"), ("MergeShards", "ShardToMerge"),
                                              ("MergeShards", "AdjacentShardToMerge")])
def test_unreadable_shard_id_is_refused_before_the_stream_is_looked_up(reshard_server, operation, member, shard_id):
    """AWS (recorded, issue 9): with a stream that does not exist, a shard id that cannot name a
    shard gets the shard's ResourceNotFoundException text, as sent, not the stream's."""
    name = unique_name("no-such-stream")
    payload = {"StreamName": name}
    if operation == "SplitShard":
        payload.update({"ShardToSplit": shard_id, "NewStartingHashKey": str(2**127)})
    else:
        payload.update({"ShardToMerge": "shardId-000000000000", "AdjacentShardToMerge": "shardId-000000000001"})
        payload[member] = shard_id
    response = call(reshard_server, operation, payload)
    assert_error(response, "ResourceNotFoundException",
                 f"Could not find shard {shard_id} in stream {name} under account {DEFAULT_ACCOUNT}.")
    # A readable shard id on a missing stream: the stream's text.
    payload[member] = "shardId-000000000000" if member != "AdjacentShardToMerge" else "shardId-000000000001"
    response = call(reshard_server, operation, payload)
    assert_error(response, "ResourceNotFoundException", f"Stream {name} under account {DEFAULT_ACCOUNT} not found.")


# --------------------------------------------------------------------------------------
# MergeShards
# --------------------------------------------------------------------------------------


def test_merge_shards_refuses_the_reverse_order(client, reshard_server):
    """AWS (recorded, issue 9): ShardToMerge must be the lower of the two adjacent shards."""
    name = create_active_stream(client, shard_count=4)
    before = shards_by_id(client, name)
    response = call(reshard_server, "MergeShards", {"StreamName": name, "ShardToMerge": "shardId-000000000001",
                                                   "AdjacentShardToMerge": "shardId-000000000000"})
    assert_error(response, "InvalidArgumentException",
                 f"Shards shardId-000000000001 and shardId-000000000000 in stream {name} under account "
                 f"{DEFAULT_ACCOUNT} are not an adjacent pair of shards eligible for merging")
    assert shards_by_id(client, name) == before
    client.merge_shards(StreamName=name, ShardToMerge="shardId-000000000000", AdjacentShardToMerge="shardId-000000000001")
    shards = shards_by_id(client, name)
    child = shards["shardId-000000000004"]
    assert child["ParentShardId"] == "shardId-000000000000"
    assert child["AdjacentParentShardId"] == "shardId-000000000001"
    assert hash_range(child) == (0, even_split(4)[1][1])
    assert_lineage_is_consistent(shards)
    assert_open_shards_tile_hash_space(open_shards(client, name))


def test_merge_shards_errors(client, reshard_server):
    name = create_active_stream(client, shard_count=3)
    server = reshard_server
    response = call(server, "MergeShards", {"StreamName": name, "ShardToMerge": "shardId-000000000000",
                                           "AdjacentShardToMerge": "shardId-000000000002"})
    assert_error(response, "InvalidArgumentException",  # captured
                 f"Shards shardId-000000000000 and shardId-000000000002 in stream {name} under account "
                 f"{DEFAULT_ACCOUNT} are not an adjacent pair of shards eligible for merging")
    response = call(server, "MergeShards", {"StreamName": name, "ShardToMerge": "shardId-000000000000",
                                           "AdjacentShardToMerge": "shardId-000000000000"})
    assert_error(response, "InvalidArgumentException")
    response = call(server, "MergeShards", {"StreamName": name, "ShardToMerge": "shardId-000000000000",
                                           "AdjacentShardToMerge": "shardId-000000000009"})
    assert_error(response, "ResourceNotFoundException",
                 f"Could not find shard shardId-000000000009 in stream {name} under account {DEFAULT_ACCOUNT}.")
    client.merge_shards(StreamName=name, ShardToMerge="shardId-000000000000", AdjacentShardToMerge="shardId-000000000001")
    response = call(server, "MergeShards", {"StreamName": name, "ShardToMerge": "shardId-000000000001",
                                           "AdjacentShardToMerge": "shardId-000000000002"})
    assert_error(response, "InvalidArgumentException",
                 f"Shard shardId-000000000001 in stream {name} under account {DEFAULT_ACCOUNT} has already "
                 "been merged or split, and thus is not eligible for merging.")


# --------------------------------------------------------------------------------------
# Records across a reshard
# --------------------------------------------------------------------------------------


def drain_to_end(client, iterator: str) -> tuple[list[dict], list[dict]]:
    """Reads a closed shard to its end: (records, ChildShards)."""
    records: list[dict] = []
    for _ in range(1000):
        answer = client.get_records(ShardIterator=iterator)
        records += answer["Records"]
        if "NextShardIterator" not in answer:
            assert answer["Records"] == [] and answer["MillisBehindLatest"] == 0
            return records, answer["ChildShards"]
        assert "ChildShards" not in answer
        iterator = answer["NextShardIterator"]
    pytest.fail("closed shard never ended")


def test_closed_parent_reads_to_its_end_then_names_children(client):
    name = create_active_stream(client)
    before = [client.put_record(StreamName=name, Data=f"old-{i}".encode(), PartitionKey=str(i)) for i in range(5)]
    iterator = client.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    middle = TWO_TO_128 // 2
    client.split_shard(StreamName=name, ShardToSplit="shardId-000000000000", NewStartingHashKey=str(middle))
    after = [client.put_record(StreamName=name, Data=f"new-{i}".encode(), PartitionKey=str(i)) for i in range(20)]
    assert {p["ShardId"] for p in after} <= {"shardId-000000000001", "shardId-000000000002"}
    for put in after:
        expected = "shardId-000000000001" if partition_key_hash(
            str(after.index(put))) < middle else "shardId-000000000002"
        assert put["ShardId"] == expected

    records, children = drain_to_end(client, iterator)
    assert [r["SequenceNumber"] for r in records] == [p["SequenceNumber"] for p in before]
    assert children == [
        {"ShardId": "shardId-000000000001", "ParentShards": ["shardId-000000000000"],
         "HashKeyRange": {"StartingHashKey": "0", "EndingHashKey": str(middle - 1)}},
        {"ShardId": "shardId-000000000002", "ParentShards": ["shardId-000000000000"],
         "HashKeyRange": {"StartingHashKey": str(middle), "EndingHashKey": str(TWO_TO_128 - 1)}},
    ]
    # LATEST on the closed shard is its end at once; so is its EndingSequenceNumber.
    latest = client.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                       ShardIteratorType="LATEST")["ShardIterator"]
    assert drain_to_end(client, latest) == ([], children)
    ending = shards_by_id(client, name)["shardId-000000000000"]["SequenceNumberRange"]["EndingSequenceNumber"]
    at_end = client.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                       ShardIteratorType="AT_SEQUENCE_NUMBER",
                                       StartingSequenceNumber=ending)["ShardIterator"]
    assert drain_to_end(client, at_end) == ([], children)
    # Children are open shards: reads end with an iterator, never ChildShards.
    child = client.get_shard_iterator(StreamName=name, ShardId="shardId-000000000001",
                                      ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    answer = client.get_records(ShardIterator=child)
    assert "NextShardIterator" in answer and "ChildShards" not in answer


def test_merge_child_lists_both_parents_in_child_shards(client):
    name = create_active_stream(client, shard_count=2)
    client.merge_shards(StreamName=name, ShardToMerge="shardId-000000000000", AdjacentShardToMerge="shardId-000000000001")
    for parent in ("shardId-000000000000", "shardId-000000000001"):
        iterator = client.get_shard_iterator(StreamName=name, ShardId=parent,
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        _, children = drain_to_end(client, iterator)
        assert children == [{"ShardId": "shardId-000000000002",
                             "ParentShards": ["shardId-000000000000", "shardId-000000000001"],
                             "HashKeyRange": {"StartingHashKey": "0", "EndingHashKey": str(TWO_TO_128 - 1)}}]


def test_list_shards_filters_select_generations(client, reshard_server):
    name = create_active_stream(client, shard_count=2)
    created = advance_test_clock(reshard_server)["now_ms"]
    advance_test_clock(reshard_server, 10_000)
    client.split_shard(StreamName=name, ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**100))
    split_at = advance_test_clock(reshard_server)["now_ms"]
    advance_test_clock(reshard_server, 10_000)
    client.merge_shards(StreamName=name, ShardToMerge="shardId-000000000002", AdjacentShardToMerge="shardId-000000000003")

    def listed(**shard_filter) -> list[str]:
        return [s["ShardId"] for s in client.list_shards(StreamName=name, ShardFilter=shard_filter)["Shards"]]

    everything = ["shardId-00000000000%d" % i for i in range(5)]
    assert [s["ShardId"] for s in client.list_shards(StreamName=name)["Shards"]] == everything
    assert listed(Type="FROM_TRIM_HORIZON") == everything
    assert listed(Type="AT_TRIM_HORIZON") == ["shardId-000000000000", "shardId-000000000001"]
    assert listed(Type="AT_LATEST") == ["shardId-000000000001", "shardId-000000000004"]
    assert listed(Type="AFTER_SHARD_ID", ShardId="shardId-000000000002") == everything[3:]
    assert listed(Type="AT_TIMESTAMP", Timestamp=(created + 5_000) / 1000) == ["shardId-000000000000", "shardId-000000000001"]
    assert listed(Type="AT_TIMESTAMP", Timestamp=(split_at + 5_000) / 1000) == [
        "shardId-000000000001", "shardId-000000000002", "shardId-000000000003"]
    assert listed(Type="FROM_TIMESTAMP", Timestamp=(split_at + 5_000) / 1000) == [
        "shardId-000000000001", "shardId-000000000002", "shardId-000000000003", "shardId-000000000004"]


def test_closed_shards_expire_after_retention(client, reshard_server):
    name = create_active_stream(client)
    client.put_record(StreamName=name, Data=b"old", PartitionKey="k")
    client.split_shard(StreamName=name, ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127))
    assert len(shards_by_id(client, name)) == 3
    advance_test_clock(reshard_server, 24 * HOUR_MS + 60_000)
    assert list(shards_by_id(client, name)) == ["shardId-000000000001", "shardId-000000000002"]
    assert [s["ShardId"] for s in client.list_shards(StreamName=name, ShardFilter={"Type": "AT_TRIM_HORIZON"})["Shards"]] == [
        "shardId-000000000001", "shardId-000000000002"]
    response = call(reshard_server, "GetShardIterator", {"StreamName": name, "ShardId": "shardId-000000000000",
                                                        "ShardIteratorType": "TRIM_HORIZON"})
    assert_error(response, "ResourceNotFoundException")
    response = call(reshard_server, "SplitShard", {"StreamName": name, "ShardToSplit": "shardId-000000000000",
                                                  "NewStartingHashKey": "5"})
    assert_error(response, "ResourceNotFoundException")
    # The lifecycle job then prunes the expired shard (records and metadata); new shards still
    # get new indexes.
    time.sleep(1.5)
    client.split_shard(StreamName=name, ShardToSplit="shardId-000000000001", NewStartingHashKey="5")
    assert list(shards_by_id(client, name)) == [
        "shardId-000000000001", "shardId-000000000002", "shardId-000000000003", "shardId-000000000004"]


def test_reshard_survives_restart(start_server):
    server = start_server(extra_args=["--update-stream-ms", "0"])
    client = kinesis_client(server)
    name = create_active_stream(client)
    client.put_record(StreamName=name, Data=b"before", PartitionKey="k")
    client.split_shard(StreamName=name, ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127))
    before = shards_by_id(client, name)
    server.stop()
    server.restart()
    client = kinesis_client(server)
    assert shards_by_id(client, name) == before
    put = client.put_record(StreamName=name, Data=b"after", PartitionKey="k")
    assert put["ShardId"] != "shardId-000000000000"
    iterator = client.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records, children = drain_to_end(client, iterator)
    assert [r["Data"] for r in records] == [b"before"]
    assert [c["ShardId"] for c in children] == ["shardId-000000000001", "shardId-000000000002"]


# --------------------------------------------------------------------------------------
# UpdateShardCount
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("start,target", [(1, 2), (2, 1), (2, 3), (3, 5), (4, 3), (5, 3), (3, 6), (6, 3), (7, 4)])
def test_update_shard_count_uniform_scaling(client, start, target):
    name = create_active_stream(client, shard_count=start)
    answer = client.update_shard_count(StreamName=name, TargetShardCount=target, ScalingType="UNIFORM_SCALING")
    assert answer["CurrentShardCount"] == start and answer["TargetShardCount"] == target
    assert answer["StreamName"] == name
    assert answer["StreamARN"] == f"arn:aws:kinesis:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:stream/{name}"
    shards = shards_by_id(client, name)
    opened = open_shards(client, name)
    assert sorted(hash_range(s) for s in opened.values()) == even_split(target)
    assert_lineage_is_consistent(shards)
    summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    assert summary["OpenShardCount"] == target


def test_update_shard_count_limits(start_server):
    server = start_server(in_memory=True, extra_args=[
        "--update-stream-ms", "0", "--max-shards-per-stream", "6", "--shard-count-updates-per-day", "3",
        "--test-clock"])
    client = kinesis_client(server)
    name = create_active_stream(client, shard_count=4)

    def update(target: int):
        return call(server, "UpdateShardCount", {"StreamName": name, "TargetShardCount": target,
                                                "ScalingType": "UNIFORM_SCALING"})

    assert_error(update(9), "InvalidArgumentException",
                 "UpdateShardCount cannot scale up over double your current open shard count. "
                 "Current open shard count: 4 Target shard count: 9")
    assert_error(update(1), "InvalidArgumentException",
                 "UpdateShardCount cannot scale down below half your current open shard count. "
                 "Current open shard count: 4 Target shard count: 1")
    assert_error(update(7), "LimitExceededException")  # over --max-shards-per-stream
    for target in (5, 4, 6):
        assert update(target).status == 200
    assert_error(update(5), "LimitExceededException")  # a fourth call within 24 hours
    advance_test_clock(server, 24 * HOUR_MS + 1)
    assert update(5).status == 200
    assert_error(update(0), "ValidationException")


def test_update_shard_count_refused_for_on_demand_and_beyond_account_limit(start_server):
    server = start_server(in_memory=True, extra_args=["--update-stream-ms", "0", "--shard-limit", "10"])
    client = kinesis_client(server)
    name = unique_name()
    client.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    wait_for_status(client, name, "ACTIVE")
    response = call(server, "UpdateShardCount", {"StreamName": name, "TargetShardCount": 5,
                                                "ScalingType": "UNIFORM_SCALING"})
    assert_error(response, "InvalidArgumentException")
    other = create_active_stream(client, shard_count=4)
    response = call(server, "UpdateShardCount", {"StreamName": other, "TargetShardCount": 8,
                                                "ScalingType": "UNIFORM_SCALING"})
    assert_error(response, "LimitExceededException")
    assert response.message.startswith(f"This request would exceed the shard limit for the account {DEFAULT_ACCOUNT}")


def test_update_shard_count_to_the_current_count_changes_nothing(client):
    name = create_active_stream(client, shard_count=3)
    before = shards_by_id(client, name)
    answer = client.update_shard_count(StreamName=name, TargetShardCount=3, ScalingType="UNIFORM_SCALING")
    assert answer["CurrentShardCount"] == 3
    assert shards_by_id(client, name) == before


# --------------------------------------------------------------------------------------
# The scenario: write continuously while resharding, then read by lineage
# --------------------------------------------------------------------------------------


def read_following_lineage(client, name: str) -> dict[str, list[dict]]:
    """A consumer as the KCL reads: starts at the oldest generation (AT_TRIM_HORIZON), reads a
    shard only after all its parents are finished, learns children from ChildShards."""
    shards = {s["ShardId"]: s for s in client.list_shards(StreamName=name)["Shards"]}
    finished: set[str] = set()
    pending = [s["ShardId"] for s in client.list_shards(
        StreamName=name, ShardFilter={"Type": "AT_TRIM_HORIZON"})["Shards"]]
    records: dict[str, list[dict]] = {}
    while pending:
        ready = [shard_id for shard_id in pending if all(
            p in finished for p in (shards[shard_id].get("ParentShardId"),
                                    shards[shard_id].get("AdjacentParentShardId")) if p)]
        assert ready, f"no shard ready among {pending}"
        shard_id = ready[0]
        pending.remove(shard_id)
        iterator = client.get_shard_iterator(StreamName=name, ShardId=shard_id,
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        got: list[dict] = []
        while True:
            answer = client.get_records(ShardIterator=iterator)
            got += answer["Records"]
            if "NextShardIterator" not in answer:
                for child in answer["ChildShards"]:
                    if child["ShardId"] not in pending and child["ShardId"] not in finished:
                        pending.append(child["ShardId"])
                break
            if not answer["Records"] and answer["MillisBehindLatest"] == 0:
                break  # an open shard, read to its tip
            iterator = answer["NextShardIterator"]
        records[shard_id] = got
        finished.add(shard_id)
    return records


def test_writes_during_resharding_are_read_exactly_once_in_order(client):
    name = create_active_stream(client, shard_count=2)
    acknowledged: list[tuple[str, str, str]] = []  # (partition key, sequence number, shard id)
    stop = threading.Event()
    errors: list[BaseException] = []

    def produce(worker: int) -> None:
        producer = kinesis_client(client._tributary_server)
        counter = 0
        try:
            while not stop.is_set() or counter < 50:
                keys = [f"key-{worker}-{(counter + i) % 17}" for i in range(10)]
                answer = producer.put_records(StreamName=name, Records=[
                    {"PartitionKey": key, "Data": f"{worker}:{counter + i}".encode()} for i, key in enumerate(keys)])
                assert answer["FailedRecordCount"] == 0
                for key, result in zip(keys, answer["Records"]):
                    acknowledged.append((key, result["SequenceNumber"], result["ShardId"]))
                counter += 10
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    producers = [threading.Thread(target=produce, args=(w,)) for w in range(3)]
    for thread in producers:
        thread.start()
    time.sleep(0.2)
    client.split_shard(StreamName=name, ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**125))
    time.sleep(0.2)
    client.merge_shards(StreamName=name, ShardToMerge="shardId-000000000003", AdjacentShardToMerge="shardId-000000000001")
    time.sleep(0.2)
    client.update_shard_count(StreamName=name, TargetShardCount=3, ScalingType="UNIFORM_SCALING")
    time.sleep(0.2)
    client.update_shard_count(StreamName=name, TargetShardCount=5, ScalingType="UNIFORM_SCALING")
    time.sleep(0.2)
    stop.set()
    for thread in producers:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(acknowledged) >= 150

    shards = shards_by_id(client, name)
    assert_lineage_is_consistent(shards)
    by_shard = read_following_lineage(client, name)
    read = [(r["PartitionKey"], r["SequenceNumber"], shard_id) for shard_id, rs in by_shard.items() for r in rs]
    assert len(read) == len(set(read)), "a record was read twice"
    assert sorted(read) == sorted(acknowledged), "read set differs from acknowledged set"
    # Per partition key, the lineage order of reading is the order of writing.
    order_read: dict[str, list[str]] = {}
    for key, sequence_number, _ in read:
        order_read.setdefault(key, []).append(sequence_number)
    acknowledged_per_key: dict[str, list[str]] = {}
    for key, sequence_number, _ in acknowledged:
        acknowledged_per_key.setdefault(key, []).append(sequence_number)
    for key, sequence_numbers in order_read.items():
        # Within one key, acknowledged order is write order for each producer; keys belong to one producer.
        assert sequence_numbers == acknowledged_per_key[key], key
    # Records really were written to parents and to children.
    assert sum(1 for rs in by_shard.values() if rs) >= 4
