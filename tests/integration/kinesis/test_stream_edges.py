"""Edges of the stream operations that need a server of their own: NextToken expiry under
the test clock, lifecycle states driven by the clock, StreamName/StreamARN disagreement,
ListTagsForStream paging, and the admin path being inert without --test-clock."""
import json
import urllib.request

import pytest

from support import (
    assert_error,
    raw_request,
    unique_name,
)
from .kinesis_support import (
    call,
    create_active_stream,
    kinesis_client,
    stream_arn,
)


def advance_clock(server, milliseconds: int) -> dict:
    request = urllib.request.Request(
        server.url + "/_tributary/clock",
        data=json.dumps({"advance_ms": milliseconds}).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


@pytest.fixture
def clocked(start_server):
    """A private server whose clock the test moves; streams stay CREATING for 60 s of it."""
    return start_server(in_memory=True, create_stream_ms=60_000, extra_args=["--test-clock"])


def test_clock_drives_stream_lifecycle(clocked):
    client = kinesis_client(clocked)
    name = unique_name("clock")
    client.create_stream(StreamName=name, ShardCount=3)
    summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    assert summary["StreamStatus"] == "CREATING"
    assert summary["OpenShardCount"] == 0
    # ListShards answers only for an ACTIVE stream.
    response = call(clocked, "ListShards", {"StreamName": name})
    assert_error(response, "ResourceInUseException",
                 f"Stream {name} under account 000000000000 not ACTIVE, instead in state CREATING")

    state = advance_clock(clocked, 60_000)
    assert state["offset_ms"] == 60_000
    summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    assert summary["StreamStatus"] == "ACTIVE"
    assert summary["OpenShardCount"] == 3
    assert len(client.list_shards(StreamName=name)["Shards"]) == 3


def test_next_tokens_expire_after_five_minutes(clocked):
    client = kinesis_client(clocked)
    for _ in range(3):
        client.create_stream(StreamName=unique_name("expiry"), ShardCount=2)
    advance_clock(clocked, 60_000)
    name = client.list_streams(Limit=1)["StreamNames"][0]

    streams_token = client.list_streams(Limit=1)["NextToken"]
    shards_token = client.list_shards(StreamName=name, MaxResults=1)["NextToken"]
    # Still valid just before the limit...
    advance_clock(clocked, 299_000)
    assert client.list_streams(NextToken=streams_token, Limit=1)["StreamNames"]
    assert client.list_shards(NextToken=shards_token, MaxResults=1)["Shards"]
    # ...and expired after it.
    advance_clock(clocked, 2_000)
    assert_error(call(clocked, "ListStreams", {"NextToken": streams_token}),
                 "ExpiredNextTokenException", "The NextToken has expired.")
    assert_error(call(clocked, "ListShards", {"NextToken": shards_token}),
                 "ExpiredNextTokenException", "The NextToken has expired.")


def test_admin_path_is_inert_without_test_clock(server):
    # Without --test-clock the path is like any other: AWS ignores paths.
    response = raw_request(server, method="POST", path="/_tributary/clock",
                           headers={"Content-Type": "application/json"},
                           body='{"advance_ms": 1000}', sign=False)
    assert response.status == 404
    assert b"com.amazon.coral.service#UnknownOperationException" in response.body
    response = raw_request(server, method="GET", path="/_tributary/clock", headers={}, body="",
                           sign=False)
    assert response.status == 403
    assert b"AccessDeniedException" in response.body


def test_stream_name_and_arn_must_agree(server, kinesis):
    name = create_active_stream(kinesis)
    other = unique_name("other")
    for operation in ("DescribeStream", "DescribeStreamSummary", "DeleteStream", "ListShards"):
        response = call(server, operation, {"StreamName": other, "StreamARN": stream_arn(name)})
        assert_error(response, "InvalidArgumentException")
        assert name in response.message and other in response.message
        agreeing = call(server, operation if operation != "DeleteStream" else "DescribeStream",
                        {"StreamName": name, "StreamARN": stream_arn(name)})
        assert agreeing.status == 200, agreeing.describe()


def test_neither_stream_name_nor_arn(server):
    for operation in ("DescribeStream", "DescribeStreamSummary", "DeleteStream", "ListTagsForStream"):
        assert_error(call(server, operation, {}), "InvalidArgumentException",
                     "Either StreamName or StreamARN should be provided.")


def test_list_tags_for_stream_pages_in_key_order(server, kinesis):
    tags = {f"key-{i:02d}": f"value-{i}" for i in range(12)}
    name = create_active_stream(kinesis, Tags=tags)
    everything = kinesis.list_tags_for_stream(StreamName=name)
    assert [t["Key"] for t in everything["Tags"]] == sorted(tags)
    assert everything["HasMoreTags"] is False

    first = kinesis.list_tags_for_stream(StreamName=name, Limit=5)
    assert [t["Key"] for t in first["Tags"]] == sorted(tags)[:5]
    assert first["HasMoreTags"] is True
    rest = kinesis.list_tags_for_stream(StreamName=name, ExclusiveStartTagKey="key-04", Limit=50)
    assert [t["Key"] for t in rest["Tags"]] == sorted(tags)[5:]
    assert {t["Key"]: t["Value"] for t in rest["Tags"]} == {k: tags[k] for k in sorted(tags)[5:]}
    assert rest["HasMoreTags"] is False

    by_arn = kinesis.list_tags_for_stream(StreamARN=stream_arn(name), Limit=1)
    assert by_arn["Tags"] == [{"Key": "key-00", "Value": "value-0"}]

    missing = unique_name("missing")
    assert_error(call(server, "ListTagsForStream", {"StreamName": missing}),
                 "ResourceNotFoundException", f"Stream {missing} under account 000000000000 not found.")
    assert_error(call(server, "ListTagsForStream", {"StreamName": name, "Limit": 51}),
                 "ValidationException",
                 "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: "
                 "Member must have value less than or equal to 50")
