"""Stream lifecycle operations through boto3 (and raw HTTP where the wire matters):
CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary, ListStreams, ListShards.

Texts marked "captured" come from mhart/kinesalite's tests run against real AWS; others
are noted where AWS's exact text is not known (then only the error type is checked).
Tests that need a known set of streams use an account of their own (a random 12-digit
access key id selects it), so they never see other tests' streams.
"""

from __future__ import annotations

import datetime
import json
import re
import threading
import time

import botocore.exceptions
import pytest

from support import (
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    TributaryServer,
    error_code,
    error_message,
    find_nulls,
    fresh_account,
    poll_until,
    unique_name,
)
from .kinesis_support import (
    call,
    create_active_stream,
    even_split,
    kinesis_client,
    read_tags,
    stream_arn,
    stream_status,
    wait_for_status,
    wait_until_gone,
)

SHARD_LIMIT_TAIL = (
    "Refer to the AWS Service Limits page "
    "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) "
    "for current limits and how to request higher limits."
)
ALL_FILTER_TYPES = [
    "AFTER_SHARD_ID",
    "AT_TRIM_HORIZON",
    "FROM_TRIM_HORIZON",
    "AT_LATEST",
    "AT_TIMESTAMP",
    "FROM_TIMESTAMP",
]
TIMESTAMP_IN_JSON = re.compile(rb'"StreamCreationTimestamp":(-?[0-9.eE+]+)')


def not_found_message(name: str, account: str = DEFAULT_ACCOUNT) -> str:
    return f"Stream {name} under account {account} not found."


def in_use_message(name: str, account: str = DEFAULT_ACCOUNT) -> str:
    return f"Stream {name} under account {account} already exists."


def shard_id(index: int) -> str:
    return f"shardId-{index:012d}"


def is_listed(client, name: str) -> bool:
    """Whether ListStreams shows `name` (asks for the page that starts right before it, since
    a shared account may hold more streams than one page)."""
    page = client.list_streams(ExclusiveStartStreamName=name[:-1], Limit=1)
    return page["StreamNames"][:1] == [name]


def client_for(server, account: str, region: str = DEFAULT_REGION):
    return kinesis_client(server, access_key=account, region=region)


def expect_error(code: str, message=None):
    """Context manager: the boto3 call inside must fail with `code` (and `message`)."""

    class Expectation:
        def __enter__(self):
            return self

        def __exit__(self, kind, value, traceback):
            if kind is None:
                pytest.fail(f"expected {code}, but the call succeeded")
            if not isinstance(value, botocore.exceptions.ClientError):
                return False
            assert error_code(value) == code, value.response
            status = value.response["ResponseMetadata"]["HTTPStatusCode"]
            assert status == 400, value.response
            if message is not None:
                assert error_message(value) == message, value.response
            self.error = value
            return True

    return Expectation()


def all_shards_via_describe(client, name, limit=None):
    shards, start = [], None
    for _ in range(1000):
        arguments = {"StreamName": name}
        if limit is not None:
            arguments["Limit"] = limit
        if start is not None:
            arguments["ExclusiveStartShardId"] = start
        page = client.describe_stream(**arguments)["StreamDescription"]
        shards += page["Shards"]
        if not page["HasMoreShards"]:
            return shards
        start = page["Shards"][-1]["ShardId"]
    pytest.fail("DescribeStream paging did not end")


def assert_recent(timestamp: datetime.datetime, slack_seconds: float = 60.0) -> None:
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((now - timestamp).total_seconds()) < slack_seconds, timestamp


SLOW_MS = 1500


@pytest.fixture(scope="module")
def slow_server(tmp_path_factory):
    """Its own server with create/delete delays, to observe CREATING/DELETING. Each test makes
    up to four calls inside one such window; 300 ms was once too short for that on a busy
    machine (test_deleting_then_gone found the stream already gone)."""
    instance = TributaryServer(
        data_dir=tmp_path_factory.mktemp("slow-data"),
        create_stream_ms=SLOW_MS,
        delete_stream_ms=SLOW_MS,
    ).start()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory):
    """Its own server with --shard-limit 10."""
    instance = TributaryServer(
        data_dir=tmp_path_factory.mktemp("limited-data"), extra_args=["--shard-limit", "10"]
    ).start()
    yield instance
    instance.stop()


# ---------------------------------------------------------------------------------------
# CreateStream
# ---------------------------------------------------------------------------------------


def test_create_stream_answers_200_with_empty_body(server):
    response = call(server, "CreateStream", {"StreamName": unique_name(), "ShardCount": 1})
    assert response.status == 200, response.describe()
    assert response.body == b""
    assert response.headers.get("content-length") == "0"


def test_create_provisioned_stream_and_describe_it(server, kinesis):
    name = unique_name()
    before = datetime.datetime.now(datetime.timezone.utc)
    kinesis.create_stream(StreamName=name, ShardCount=3)
    wait_for_status(kinesis, name, "ACTIVE")
    description = kinesis.describe_stream(StreamName=name)["StreamDescription"]
    assert description["StreamName"] == name
    assert description["StreamARN"] == stream_arn(name)
    assert description["StreamStatus"] == "ACTIVE"
    assert description["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
    assert description["HasMoreShards"] is False
    assert description["RetentionPeriodHours"] == 24
    assert description["EnhancedMonitoring"] == [{"ShardLevelMetrics": []}]
    assert description["EncryptionType"] == "NONE"
    assert "KeyId" not in description
    created = description["StreamCreationTimestamp"]
    assert created >= before - datetime.timedelta(seconds=1)
    assert_recent(created)
    assert [shard["ShardId"] for shard in description["Shards"]] == [shard_id(i) for i in range(3)]


def test_describe_stream_wire_format(server, kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    response = call(server, "DescribeStream", {"StreamName": name})
    assert response.status == 200, response.describe()
    assert find_nulls(response.json) == []
    description = response.json["StreamDescription"]
    assert set(description) == {
        "StreamName",
        "StreamARN",
        "StreamStatus",
        "StreamModeDetails",
        "Shards",
        "HasMoreShards",
        "RetentionPeriodHours",
        "StreamCreationTimestamp",
        "EnhancedMonitoring",
        "EncryptionType",
    }
    # Epoch seconds as a plain decimal number with at most millisecond precision.
    match = TIMESTAMP_IN_JSON.search(response.body)
    assert match, response.body
    assert re.fullmatch(rb"\d{10}(\.\d{1,3})?", match.group(1)), match.group(1)
    for shard in description["Shards"]:
        assert set(shard) == {"ShardId", "HashKeyRange", "SequenceNumberRange"}
        assert set(shard["SequenceNumberRange"]) == {"StartingSequenceNumber"}
        assert isinstance(shard["HashKeyRange"]["StartingHashKey"], str)


def test_create_on_demand_stream_has_four_shards(server, kinesis):
    name = unique_name()
    kinesis.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    wait_for_status(kinesis, name, "ACTIVE")
    summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    assert summary["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"}
    assert summary["OpenShardCount"] == 4
    shards = kinesis.list_shards(StreamName=name)["Shards"]
    assert [shard["ShardId"] for shard in shards] == [shard_id(i) for i in range(4)]
    assert [
        (int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"]))
        for s in shards
    ] == even_split(4)


def test_create_explicit_provisioned_mode(server, kinesis):
    name = unique_name()
    kinesis.create_stream(
        StreamName=name, ShardCount=2, StreamModeDetails={"StreamMode": "PROVISIONED"}
    )
    wait_for_status(kinesis, name, "ACTIVE")
    summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    assert summary["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
    assert summary["OpenShardCount"] == 2


def test_on_demand_with_shard_count_is_invalid_argument(server, kinesis):
    # AWS: "ShardCount is not expected when StreamMode=ON_DEMAND" (seen through
    # CloudFormation; the exact API text is not captured, so only the type is checked).
    with expect_error("InvalidArgumentException"):
        kinesis.create_stream(
            StreamName=unique_name(), ShardCount=2, StreamModeDetails={"StreamMode": "ON_DEMAND"}
        )


def test_provisioned_without_shard_count_is_invalid_argument(server, kinesis):
    # ShardCount is optional in the model (for ON_DEMAND) but a provisioned stream needs
    # it. AWS's exact text is not captured, so only the type is checked.
    name = unique_name()
    with expect_error("InvalidArgumentException"):
        kinesis.create_stream(StreamName=name)
    assert stream_status(kinesis, name) is None


def test_create_stream_with_tags(server, kinesis):
    name = unique_name()
    kinesis.create_stream(StreamName=name, ShardCount=1, Tags={"team": "data", "env": ""})
    wait_for_status(kinesis, name, "ACTIVE")
    assert stream_status(kinesis, name) == "ACTIVE"
    assert read_tags(kinesis, name) == {"team": "data", "env": ""}


def test_create_existing_stream_is_resource_in_use(server, kinesis):
    name = create_active_stream(kinesis)
    with expect_error("ResourceInUseException", in_use_message(name)):
        kinesis.create_stream(StreamName=name, ShardCount=1)


def test_stream_names_are_case_sensitive(server, kinesis):
    name = unique_name("Case")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    kinesis.create_stream(StreamName=name.lower(), ShardCount=1)
    assert is_listed(kinesis, name) and is_listed(kinesis, name.lower())
    kinesis.delete_stream(StreamName=name)
    wait_until_gone(kinesis, name)
    assert stream_status(kinesis, name.lower()) == "ACTIVE"


# ---------------------------------------------------------------------------------------
# Shard limit
# ---------------------------------------------------------------------------------------


def shard_limit_message(account, current, limit, requested, region=DEFAULT_REGION):
    return (
        f"This request would exceed the shard limit for the account {account} in {region}. "
        f"Current shard count for the account: {current}. Limit: {limit}. "
        f"Number of additional shards that would have resulted from this request: {requested}. "
        + SHARD_LIMIT_TAIL
    )


def test_shard_limit(limited_server):
    account = fresh_account()
    client = client_for(limited_server, account)
    create_active_stream(client, shard_count=3)
    # Captured text (kinesalite createStream.js).
    with expect_error("LimitExceededException", shard_limit_message(account, 3, 10, 8)):
        client.create_stream(StreamName=unique_name(), ShardCount=8)
    # Exactly up to the limit is fine.
    create_active_stream(client, shard_count=7)
    with expect_error("LimitExceededException", shard_limit_message(account, 10, 10, 1)):
        client.create_stream(StreamName=unique_name(), ShardCount=1)


def test_shard_limit_counts_on_demand_streams_and_frees_on_delete(limited_server):
    account = fresh_account()
    client = client_for(limited_server, account)
    name = unique_name()
    client.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    wait_for_status(client, name, "ACTIVE")
    with expect_error("LimitExceededException", shard_limit_message(account, 4, 10, 7)):
        client.create_stream(StreamName=unique_name(), ShardCount=7)
    client.delete_stream(StreamName=name)
    wait_until_gone(client, name)
    create_active_stream(client, shard_count=10)


def test_single_request_over_the_limit(limited_server):
    account = fresh_account()
    client = client_for(limited_server, account)
    with expect_error("LimitExceededException", shard_limit_message(account, 0, 10, 11)):
        client.create_stream(StreamName=unique_name(), ShardCount=11)


def test_shard_limit_is_per_account_and_region(limited_server):
    first, second = fresh_account(), fresh_account()
    create_active_stream(client_for(limited_server, first), shard_count=10)
    create_active_stream(client_for(limited_server, second), shard_count=10)
    create_active_stream(client_for(limited_server, first, "eu-west-1"), shard_count=10)


# ---------------------------------------------------------------------------------------
# DeleteStream, not found
# ---------------------------------------------------------------------------------------


def test_delete_stream(server, kinesis):
    name = create_active_stream(kinesis)
    response = call(server, "DeleteStream", {"StreamName": name})
    assert response.status == 200, response.describe()
    assert response.body == b""
    wait_until_gone(kinesis, name)
    assert not is_listed(kinesis, name)


def test_delete_stream_enforce_consumer_deletion_is_accepted(server, kinesis):
    name = create_active_stream(kinesis)
    kinesis.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
    wait_until_gone(kinesis, name)
    other = create_active_stream(kinesis)
    kinesis.delete_stream(StreamName=other, EnforceConsumerDeletion=False)
    wait_until_gone(kinesis, other)


@pytest.mark.parametrize(
    "operation", ["DeleteStream", "DescribeStream", "DescribeStreamSummary", "ListShards"]
)
def test_missing_stream_is_resource_not_found(server, operation):
    name = unique_name()
    response = call(server, operation, {"StreamName": name})
    assert response.status == 400, response.describe()
    assert response.json == {
        "__type": "ResourceNotFoundException",
        "message": not_found_message(name),
    }


def test_not_found_names_the_callers_account(server):
    account = fresh_account()
    name = unique_name()
    response = call(server, "DescribeStreamSummary", {"StreamName": name}, access_key=account)
    assert response.json == {
        "__type": "ResourceNotFoundException",
        "message": not_found_message(name, account),
    }


def test_recreate_after_delete_is_a_fresh_stream(server, kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    first = kinesis.describe_stream(StreamName=name)["StreamDescription"]
    kinesis.delete_stream(StreamName=name)
    wait_until_gone(kinesis, name)
    time.sleep(0.01)  # creation timestamps have millisecond precision
    create_active_stream(kinesis, name, shard_count=3)
    second = kinesis.describe_stream(StreamName=name)["StreamDescription"]
    assert second["StreamCreationTimestamp"] > first["StreamCreationTimestamp"]
    assert len(second["Shards"]) == 3
    assert second["StreamStatus"] == "ACTIVE"


def test_recreated_stream_does_not_reuse_sequence_numbers(server, kinesis):
    # DESIGN.md: sequence numbers are never reused, and a re-created stream must never be
    # confused with the old one. On AWS a shard's StartingSequenceNumber embeds its creation
    # time, and deletion takes long enough that a re-created stream's numbers always
    # differ; with a 0 ms delete delay the re-creation can happen within the same second,
    # and must still not hand out the old incarnation's numbers (a consumer's checkpoint
    # from the old stream would otherwise look valid in the new one).
    name = create_active_stream(kinesis, shard_count=2)
    first = kinesis.describe_stream(StreamName=name)["StreamDescription"]["Shards"]
    kinesis.delete_stream(StreamName=name)
    wait_until_gone(kinesis, name)
    create_active_stream(kinesis, name, shard_count=2)
    second = kinesis.describe_stream(StreamName=name)["StreamDescription"]["Shards"]
    old_numbers = {s["SequenceNumberRange"]["StartingSequenceNumber"] for s in first}
    new_numbers = {s["SequenceNumberRange"]["StartingSequenceNumber"] for s in second}
    assert not old_numbers & new_numbers


# ---------------------------------------------------------------------------------------
# CREATING / DELETING with a positive delay
# ---------------------------------------------------------------------------------------


def test_creating_then_active(slow_server):
    account = fresh_account()
    client = client_for(slow_server, account)
    name = unique_name()
    started = time.monotonic()
    client.create_stream(StreamName=name, ShardCount=2)
    description = client.describe_stream(StreamName=name)["StreamDescription"]
    assert description["StreamStatus"] == "CREATING"
    # Captured: while CREATING, DescribeStream has no shards and HasMoreShards false.
    assert description["Shards"] == []
    assert description["HasMoreShards"] is False
    summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    assert summary["StreamStatus"] == "CREATING"
    listed = client.list_streams()
    assert name in listed["StreamNames"]
    assert [s["StreamStatus"] for s in listed["StreamSummaries"] if s["StreamName"] == name] == [
        "CREATING"
    ]
    with expect_error("ResourceInUseException", in_use_message(name, account)):
        client.create_stream(StreamName=name, ShardCount=1)
    wait_for_status(client, name, "ACTIVE", timeout=10)
    assert time.monotonic() - started >= SLOW_MS / 1000 - 0.05
    assert len(client.describe_stream(StreamName=name)["StreamDescription"]["Shards"]) == 2


def test_deleting_then_gone(slow_server):
    account = fresh_account()
    client = client_for(slow_server, account)
    name = unique_name()
    client.create_stream(StreamName=name, ShardCount=1)
    wait_for_status(client, name, "ACTIVE")
    started = time.monotonic()
    client.delete_stream(StreamName=name)
    description = client.describe_stream(StreamName=name)["StreamDescription"]
    # Captured: while DELETING, DescribeStream has no shards and HasMoreShards false.
    assert description["StreamStatus"] == "DELETING"
    assert description["Shards"] == []
    assert description["HasMoreShards"] is False
    assert name in client.list_streams()["StreamNames"]
    with expect_error("ResourceInUseException", in_use_message(name, account)):
        client.create_stream(StreamName=name, ShardCount=1)
    wait_until_gone(client, name, timeout=10)
    assert time.monotonic() - started >= SLOW_MS / 1000 - 0.05
    with expect_error("ResourceNotFoundException", not_found_message(name, account)):
        client.describe_stream(StreamName=name)


def test_delete_while_creating_is_allowed(slow_server):
    # Captured (kinesalite deleteStream.js): 200, then DELETING, then gone.
    client = client_for(slow_server, fresh_account())
    name = unique_name()
    client.create_stream(StreamName=name, ShardCount=1)
    assert stream_status(client, name) == "CREATING"
    client.delete_stream(StreamName=name)
    assert stream_status(client, name) == "DELETING"
    wait_until_gone(client, name, timeout=10)


# ---------------------------------------------------------------------------------------
# DescribeStream: shards, hash ranges, paging
# ---------------------------------------------------------------------------------------


def test_two_shards_split_the_hash_space_in_half(server, kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    shards = kinesis.describe_stream(StreamName=name)["StreamDescription"]["Shards"]
    assert [s["HashKeyRange"] for s in shards] == [
        {"StartingHashKey": "0", "EndingHashKey": "170141183460469231731687303715884105727"},
        {
            "StartingHashKey": "170141183460469231731687303715884105728",
            "EndingHashKey": "340282366920938463463374607431768211455",
        },
    ]


def test_three_shards_hash_ranges_captured(server, kinesis):
    # Captured exactly (kinesalite createStream.js / describeStream.js).
    name = create_active_stream(kinesis, shard_count=3)
    shards = kinesis.describe_stream(StreamName=name)["StreamDescription"]["Shards"]
    assert [s["ShardId"] for s in shards] == [shard_id(0), shard_id(1), shard_id(2)]
    assert [s["HashKeyRange"] for s in shards] == [
        {"StartingHashKey": "0", "EndingHashKey": "113427455640312821154458202477256070484"},
        {
            "StartingHashKey": "113427455640312821154458202477256070485",
            "EndingHashKey": "226854911280625642308916404954512140969",
        },
        {
            "StartingHashKey": "226854911280625642308916404954512140970",
            "EndingHashKey": "340282366920938463463374607431768211455",
        },
    ]


@pytest.mark.parametrize("count", [1, 5, 7, 16])
def test_hash_ranges_cover_the_space_exactly(server, kinesis, count):
    name = create_active_stream(kinesis, shard_count=count)
    shards = kinesis.list_shards(StreamName=name)["Shards"]
    ranges = [
        (int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"]))
        for s in shards
    ]
    assert ranges == even_split(count)


def test_starting_sequence_numbers(server, kinesis):
    name = create_active_stream(kinesis, shard_count=3)
    shards = kinesis.describe_stream(StreamName=name)["StreamDescription"]["Shards"]
    numbers = [s["SequenceNumberRange"]["StartingSequenceNumber"] for s in shards]
    for number in numbers:
        # Captured: 56 decimal digits.
        assert re.fullmatch(r"\d{56}", number), number
    for shard in shards:
        assert "EndingSequenceNumber" not in shard["SequenceNumberRange"]
    assert len(set(numbers)) == 3
    for shard in shards:
        assert "ParentShardId" not in shard and "AdjacentParentShardId" not in shard
    # Captured (kinesalite createStream.js): consecutive shards of a new stream start
    # exactly this far apart, and in hex the number is '2' followed by the shard's creation
    # time in epoch seconds (9 hex digits).
    values = [int(number) for number in numbers]
    assert [b - a for a, b in zip(values, values[1:])] == [
        22300745198530623141535718272648361505980432
    ] * 2
    for value in values:
        digits = format(value, "x")
        assert digits.startswith("2"), digits
        assert abs(int(digits[1:10], 16) - time.time()) < 60, digits


def test_describe_stream_paging(server, kinesis):
    name = create_active_stream(kinesis, shard_count=5)
    first = kinesis.describe_stream(StreamName=name, Limit=2)["StreamDescription"]
    assert [s["ShardId"] for s in first["Shards"]] == [shard_id(0), shard_id(1)]
    assert first["HasMoreShards"] is True
    second = kinesis.describe_stream(
        StreamName=name, Limit=2, ExclusiveStartShardId=shard_id(1)
    )["StreamDescription"]
    assert [s["ShardId"] for s in second["Shards"]] == [shard_id(2), shard_id(3)]
    assert second["HasMoreShards"] is True
    third = kinesis.describe_stream(
        StreamName=name, Limit=2, ExclusiveStartShardId=shard_id(3)
    )["StreamDescription"]
    assert [s["ShardId"] for s in third["Shards"]] == [shard_id(4)]
    assert third["HasMoreShards"] is False
    exact = kinesis.describe_stream(StreamName=name, Limit=5)["StreamDescription"]
    assert len(exact["Shards"]) == 5 and exact["HasMoreShards"] is False
    last = kinesis.describe_stream(StreamName=name, ExclusiveStartShardId=shard_id(4))
    assert last["StreamDescription"]["Shards"] == []
    assert last["StreamDescription"]["HasMoreShards"] is False
    assert [s["ShardId"] for s in all_shards_via_describe(kinesis, name, limit=1)] == [
        shard_id(i) for i in range(5)
    ]


def test_describe_stream_default_limit_is_100(server):
    client = client_for(server, fresh_account())
    name = create_active_stream(client, shard_count=101)
    page = client.describe_stream(StreamName=name)["StreamDescription"]
    assert len(page["Shards"]) == 100
    assert page["HasMoreShards"] is True
    assert len(all_shards_via_describe(client, name)) == 101


# ---------------------------------------------------------------------------------------
# DescribeStreamSummary
# ---------------------------------------------------------------------------------------


def test_describe_stream_summary(server, kinesis):
    name = create_active_stream(kinesis, shard_count=3)
    response = call(server, "DescribeStreamSummary", {"StreamName": name})
    assert response.status == 200, response.describe()
    assert find_nulls(response.json) == []
    summary = response.json["StreamDescriptionSummary"]
    created = summary.pop("StreamCreationTimestamp")
    assert isinstance(created, (int, float))
    assert abs(created - time.time()) < 60
    consumer_count = summary.pop("ConsumerCount", 0)  # optional in the model
    assert consumer_count == 0
    assert summary == {
        "StreamName": name,
        "StreamARN": stream_arn(name),
        "StreamStatus": "ACTIVE",
        "StreamModeDetails": {"StreamMode": "PROVISIONED"},
        "RetentionPeriodHours": 24,
        "EnhancedMonitoring": [{"ShardLevelMetrics": []}],
        "EncryptionType": "NONE",
        "OpenShardCount": 3,
    }


def test_summary_and_description_agree(server, kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    description = kinesis.describe_stream(StreamName=name)["StreamDescription"]
    for key in ("StreamName", "StreamARN", "StreamStatus", "StreamCreationTimestamp"):
        assert summary[key] == description[key], key


# ---------------------------------------------------------------------------------------
# ListStreams
# ---------------------------------------------------------------------------------------


def test_list_streams_empty_account(server):
    response = call(server, "ListStreams", {}, access_key=fresh_account())
    assert response.status == 200, response.describe()
    assert response.json == {"HasMoreStreams": False, "StreamNames": [], "StreamSummaries": []}


def test_list_streams_sorted_with_summaries(server):
    account = fresh_account()
    client = client_for(server, account)
    names = [unique_name(p) for p in ("c", "a", "b")]
    for name in names:
        create_active_stream(client, name)
    listed = client.list_streams()
    assert listed["StreamNames"] == sorted(names)
    assert listed["HasMoreStreams"] is False
    assert "NextToken" not in listed
    summaries = listed["StreamSummaries"]
    assert [s["StreamName"] for s in summaries] == sorted(names)
    for summary in summaries:
        assert summary["StreamARN"] == stream_arn(summary["StreamName"], account)
        assert summary["StreamStatus"] == "ACTIVE"
        assert summary["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
        assert_recent(summary["StreamCreationTimestamp"])


def test_list_streams_limit_and_exclusive_start(server):
    client = client_for(server, fresh_account())
    names = sorted(create_active_stream(client) for _ in range(5))
    first = client.list_streams(Limit=2)
    assert first["StreamNames"] == names[:2]
    assert first["HasMoreStreams"] is True
    assert len(first["StreamSummaries"]) == 2
    rest = client.list_streams(ExclusiveStartStreamName=names[1], Limit=10)
    assert rest["StreamNames"] == names[2:]
    assert rest["HasMoreStreams"] is False
    # The start name need not exist: listing continues after it in sort order.
    between = client.list_streams(ExclusiveStartStreamName=names[2][:-1])
    assert between["StreamNames"] == names[2:]
    exact = client.list_streams(Limit=5)
    assert exact["StreamNames"] == names and exact["HasMoreStreams"] is False


def test_list_streams_next_token_paging(server):
    client = client_for(server, fresh_account())
    names = sorted(create_active_stream(client) for _ in range(5))
    seen, token, pages = [], None, 0
    while pages < 10:
        arguments = {"Limit": 2}
        if token:
            arguments["NextToken"] = token
        page = client.list_streams(**arguments)
        pages += 1
        seen += page["StreamNames"]
        assert [s["StreamName"] for s in page["StreamSummaries"]] == page["StreamNames"]
        if not page["HasMoreStreams"]:
            assert "NextToken" not in page
            break
        token = page["NextToken"]
        assert token
    assert seen == names
    assert pages == 3


def test_list_streams_paginator(server):
    client = client_for(server, fresh_account())
    names = sorted(create_active_stream(client) for _ in range(3))
    paginator = client.get_paginator("list_streams")
    seen = []
    for page in paginator.paginate(PaginationConfig={"PageSize": 1}):
        seen += page["StreamNames"]
    assert seen == names


def test_list_streams_default_limit_is_100(server):
    client = client_for(server, fresh_account())
    # 101 one-shard streams: creation is immediate on the shared server.
    for index in range(101):
        client.create_stream(StreamName=f"s{index:03d}", ShardCount=1)
    page = client.list_streams()
    assert len(page["StreamNames"]) == 100
    assert page["HasMoreStreams"] is True
    big = client.list_streams(Limit=10000)
    # The API reference: a Limit above 100 still returns at most 100 streams.
    assert len(big["StreamNames"]) == 100
    assert big["HasMoreStreams"] is True


def test_list_streams_bad_next_token(server):
    response = call(server, "ListStreams", {"NextToken": "not-a-real-token"})
    assert response.status == 400, response.describe()
    # AWS: InvalidArgumentException for a malformed token (text not captured).
    assert response.error_type == "InvalidArgumentException", response.describe()


# ---------------------------------------------------------------------------------------
# ListShards
# ---------------------------------------------------------------------------------------


def test_list_shards_all(server, kinesis):
    name = create_active_stream(kinesis, shard_count=3)
    response = call(server, "ListShards", {"StreamName": name})
    assert response.status == 200, response.describe()
    assert set(response.json) == {"Shards"}  # no NextToken on the last page
    described = kinesis.describe_stream(StreamName=name)["StreamDescription"]["Shards"]
    listed = kinesis.list_shards(StreamName=name)["Shards"]
    assert listed == described


def test_list_shards_next_token_paging(server, kinesis):
    name = create_active_stream(kinesis, shard_count=5)
    first = kinesis.list_shards(StreamName=name, MaxResults=2)
    assert [s["ShardId"] for s in first["Shards"]] == [shard_id(0), shard_id(1)]
    token = first["NextToken"]
    seen = [s["ShardId"] for s in first["Shards"]]
    for _ in range(10):
        page = kinesis.list_shards(NextToken=token, MaxResults=2)
        seen += [s["ShardId"] for s in page["Shards"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == [shard_id(i) for i in range(5)]


def test_list_shards_paginator_with_stream_name_fails_like_aws(server, kinesis):
    # botocore's ListShards paginator sends StreamName again next to the NextToken, which
    # real AWS rejects (boto/botocore#2009). Follow AWS, not the paginator.
    name = create_active_stream(kinesis, shard_count=4)
    paginator = kinesis.get_paginator("list_shards")
    pages = paginator.paginate(StreamName=name, PaginationConfig={"PageSize": 3})
    with expect_error(
        "InvalidArgumentException", "NextToken and StreamName cannot be provided together."
    ):
        for _ in pages:
            pass


def test_list_shards_exclusive_start_shard_id(server, kinesis):
    name = create_active_stream(kinesis, shard_count=5)
    page = kinesis.list_shards(StreamName=name, ExclusiveStartShardId=shard_id(2))
    assert [s["ShardId"] for s in page["Shards"]] == [shard_id(3), shard_id(4)]
    page = kinesis.list_shards(StreamName=name, ExclusiveStartShardId=shard_id(4))
    assert page["Shards"] == []


def test_list_shards_stream_creation_timestamp(server, kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    created = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"][
        "StreamCreationTimestamp"
    ]
    page = kinesis.list_shards(StreamName=name, StreamCreationTimestamp=created)
    assert [s["ShardId"] for s in page["Shards"]] == [shard_id(0), shard_id(1)]


@pytest.mark.parametrize("filter_type", ALL_FILTER_TYPES)
def test_list_shards_filter_types(server, kinesis, filter_type):
    name = create_active_stream(kinesis, shard_count=3)
    shard_filter = {"Type": filter_type}
    expected = [shard_id(i) for i in range(3)]
    if filter_type == "AFTER_SHARD_ID":
        shard_filter["ShardId"] = shard_id(0)
        expected = expected[1:]
    if filter_type in ("AT_TIMESTAMP", "FROM_TIMESTAMP"):
        # Every shard of a stream that never resharded is open at any time from now on.
        shard_filter["Timestamp"] = datetime.datetime.now(datetime.timezone.utc)
    page = kinesis.list_shards(StreamName=name, ShardFilter=shard_filter)
    assert [s["ShardId"] for s in page["Shards"]] == expected


def test_list_shards_after_shard_id_without_shard_id(server, kinesis):
    name = create_active_stream(kinesis)
    # Text not captured for AWS; the type is.
    with expect_error("InvalidArgumentException"):
        kinesis.list_shards(StreamName=name, ShardFilter={"Type": "AFTER_SHARD_ID"})


@pytest.mark.parametrize("filter_type", ["AT_TIMESTAMP", "FROM_TIMESTAMP"])
def test_list_shards_timestamp_filter_without_timestamp(server, kinesis, filter_type):
    name = create_active_stream(kinesis)
    with expect_error("InvalidArgumentException"):
        kinesis.list_shards(StreamName=name, ShardFilter={"Type": filter_type})


def first_page_token(client, name) -> str:
    return client.list_shards(StreamName=name, MaxResults=1)["NextToken"]


def test_list_shards_next_token_with_stream_name(server, kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    token = first_page_token(kinesis, name)
    # Captured (kinesalite listShards.js; also widely reported from AWS).
    with expect_error(
        "InvalidArgumentException", "NextToken and StreamName cannot be provided together."
    ):
        kinesis.list_shards(StreamName=name, NextToken=token)


def test_list_shards_next_token_with_stream_arn(server, kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    token = first_page_token(kinesis, name)
    # aws/aws-cli#9635 (2025).
    with expect_error(
        "InvalidArgumentException", "NextToken and StreamARN cannot be provided together."
    ):
        kinesis.list_shards(StreamARN=stream_arn(name), NextToken=token)


@pytest.mark.parametrize(
    "member,value,text",
    [
        (
            "ExclusiveStartShardId",
            shard_id(0),
            "NextToken and ExclusiveStartShardId cannot be provided together.",
        ),
        (
            "ShardFilter",
            {"Type": "AT_LATEST"},
            "NextToken and ShardFilter cannot be provided together.",
        ),
    ],
)
def test_list_shards_next_token_with_other_members(server, kinesis, member, value, text):
    name = create_active_stream(kinesis, shard_count=2)
    token = first_page_token(kinesis, name)
    with expect_error("InvalidArgumentException", text):
        kinesis.list_shards(NextToken=token, **{member: value})


def test_list_shards_neither_token_nor_stream(server):
    # Captured text (kinesalite listShards.js, 2018). Newer AWS may mention StreamARN too.
    response = call(server, "ListShards", {})
    assert response.json == {
        "__type": "InvalidArgumentException",
        "message": "Either NextToken or StreamName should be provided.",
    }, response.describe()


def test_list_shards_bad_next_token(server):
    response = call(server, "ListShards", {"NextToken": "garbage"})
    assert response.status == 400, response.describe()
    assert response.error_type == "InvalidArgumentException", response.describe()


def test_list_shards_token_of_deleted_stream(server, kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    token = first_page_token(kinesis, name)
    kinesis.delete_stream(StreamName=name)
    wait_until_gone(kinesis, name)
    response = call(server, "ListShards", {"NextToken": token})
    assert response.status == 400, response.describe()
    assert response.error_type in (
        "ResourceNotFoundException",
        "InvalidArgumentException",
    ), response.describe()


# ---------------------------------------------------------------------------------------
# StreamARN instead of StreamName
# ---------------------------------------------------------------------------------------


def test_every_operation_accepts_stream_arn(server, kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    arn = stream_arn(name)
    summary = kinesis.describe_stream_summary(StreamARN=arn)["StreamDescriptionSummary"]
    assert summary["StreamName"] == name and summary["StreamARN"] == arn
    description = kinesis.describe_stream(StreamARN=arn, Limit=1)["StreamDescription"]
    assert description["StreamName"] == name
    assert description["HasMoreShards"] is True
    shards = kinesis.list_shards(StreamARN=arn)["Shards"]
    assert [s["ShardId"] for s in shards] == [shard_id(0), shard_id(1)]
    kinesis.delete_stream(StreamARN=arn)
    wait_until_gone(kinesis, name)
    with expect_error("ResourceNotFoundException", not_found_message(name)):
        kinesis.describe_stream_summary(StreamARN=arn)


def test_name_and_arn_together(server, kinesis):
    name = create_active_stream(kinesis)
    summary = kinesis.describe_stream_summary(StreamName=name, StreamARN=stream_arn(name))
    assert summary["StreamDescriptionSummary"]["StreamName"] == name


def test_name_and_arn_naming_different_streams(server, kinesis):
    first, second = create_active_stream(kinesis), create_active_stream(kinesis)
    # AWS's answer is not captured; it must be a client error, not a silent pick.
    response = call(
        server, "DescribeStreamSummary", {"StreamName": first, "StreamARN": stream_arn(second)}
    )
    assert response.status == 400, response.describe()
    assert response.error_type in (
        "InvalidArgumentException",
        "ValidationException",
    ), response.describe()


def test_arn_for_another_account_and_region(server):
    owner_account, owner_region = fresh_account(), "eu-west-1"
    owner = client_for(server, owner_account, owner_region)
    name = create_active_stream(owner, shard_count=2)
    arn = stream_arn(name, owner_account, owner_region)
    caller = client_for(server, fresh_account(), "us-west-2")
    # The caller's own account and region have no such stream ...
    with expect_error("ResourceNotFoundException"):
        caller.describe_stream_summary(StreamName=name)
    # ... but the ARN names the owner's, which lives in the same process.
    summary = caller.describe_stream_summary(StreamARN=arn)["StreamDescriptionSummary"]
    assert summary["StreamARN"] == arn
    assert summary["OpenShardCount"] == 2
    assert caller.describe_stream(StreamARN=arn)["StreamDescription"]["StreamARN"] == arn
    assert len(caller.list_shards(StreamARN=arn)["Shards"]) == 2
    caller.delete_stream(StreamARN=arn)
    wait_until_gone(owner, name)


def test_arn_of_missing_stream_names_the_arn_account(server):
    account = fresh_account()
    name = unique_name()
    response = call(
        server, "DescribeStreamSummary", {"StreamARN": stream_arn(name, account, "eu-west-1")}
    )
    assert response.json == {
        "__type": "ResourceNotFoundException",
        "message": not_found_message(name, account),
    }, response.describe()


# ---------------------------------------------------------------------------------------
# Accounts and regions are isolated
# ---------------------------------------------------------------------------------------


def test_accounts_and_regions_are_isolated(server):
    name = unique_name("shared")
    places = [
        ("111111111111", "us-east-1", 1),
        ("222222222222", "us-east-1", 2),
        ("111111111111", "eu-west-1", 3),
    ]
    clients = {}
    for account, region, shards in places:
        client = client_for(server, account, region)
        clients[(account, region)] = client
        create_active_stream(client, name, shard_count=shards)
    for account, region, shards in places:
        client = clients[(account, region)]
        summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        assert summary["StreamARN"] == stream_arn(name, account, region)
        assert summary["OpenShardCount"] == shards
        listed = client.list_streams(ExclusiveStartStreamName="shared", Limit=10000)
        assert listed["StreamNames"].count(name) == 1
        for other_summary in listed["StreamSummaries"]:
            assert other_summary["StreamARN"].startswith(
                f"arn:aws:kinesis:{region}:{account}:stream/"
            )
    # Deleting in one place leaves the others alone.
    first = clients[("111111111111", "us-east-1")]
    first.delete_stream(StreamName=name)
    wait_until_gone(first, name)
    assert stream_status(clients[("222222222222", "us-east-1")], name) == "ACTIVE"
    assert stream_status(clients[("111111111111", "eu-west-1")], name) == "ACTIVE"
    for key in (("222222222222", "us-east-1"), ("111111111111", "eu-west-1")):
        clients[key].delete_stream(StreamName=name)


def test_default_account_for_non_numeric_key(server, kinesis):
    name = create_active_stream(kinesis)
    summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    expected = f"arn:aws:kinesis:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:stream/{name}"
    assert summary["StreamARN"] == expected


def test_boto3_sees_no_nulls_anywhere(server, kinesis):
    name = create_active_stream(kinesis, shard_count=2)
    for operation, payload in [
        ("DescribeStream", {"StreamName": name}),
        ("DescribeStreamSummary", {"StreamName": name}),
        ("ListStreams", {"Limit": 5}),
        ("ListShards", {"StreamName": name}),
    ]:
        response = call(server, operation, payload)
        assert response.status == 200, response.describe()
        assert find_nulls(response.json) == [], (operation, response.body)
        json.dumps(response.json)


# ---------------------------------------------------------------------------------------
# Concurrency
# ---------------------------------------------------------------------------------------


def test_concurrent_creates_of_one_name_let_exactly_one_win(server):
    account = fresh_account()
    name = unique_name("race")
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def create() -> None:
        barrier.wait(timeout=10)
        response = call(
            server, "CreateStream", {"StreamName": name, "ShardCount": 1}, access_key=account
        )
        outcomes.append("ok" if response.status == 200 else str(response.error_type))

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ResourceInUseException"] * 7 + ["ok"], outcomes
    client = client_for(server, account)
    assert client.list_streams()["StreamNames"] == [name]


def test_concurrent_creates_lists_and_deletes(server):
    account = fresh_account()
    client_errors: list[str] = []

    def worker(index: int) -> None:
        client = client_for(server, account)
        for round_number in range(10):
            name = f"w{index}-{round_number}"
            try:
                client.create_stream(StreamName=name, ShardCount=2)
                client.list_streams(Limit=5)
                client.describe_stream(StreamName=name)
                client.list_shards(StreamName=name)
                if round_number % 2:
                    client.delete_stream(StreamName=name)
            except Exception as error:  # collected and reported below
                client_errors.append(f"{name}: {error!r}")

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not client_errors, client_errors[:5]
    client = client_for(server, account)
    poll_until(
        lambda: len(client.list_streams()["StreamNames"]) == 30,
        timeout=10,
        what="the 30 kept streams to be the only ones left",
    )
    expected = sorted(
        f"w{index}-{round_number}" for index in range(6) for round_number in range(0, 10, 2)
    )
    assert client.list_streams()["StreamNames"] == expected
