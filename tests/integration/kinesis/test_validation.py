"""ValidationException texts, word for word, over raw HTTP (boto3 would refuse most of
these requests client-side).

Texts captured from real AWS by mhart/kinesalite's tests (createStream.js, deleteStream.js,
describeStream.js, describeStreamSummary.js, listStreams.js, listShards.js) are asserted
exactly. AWS lists errors for different members in an order of its own (neither
alphabetical nor model order; kinesalite's newer tests stopped pinning it), so for
combinations that were not captured the errors are compared as a set after the exact
"N validation errors detected: " prefix. Errors for one member keep AWS's order
(pattern before minimum length), which single-member cases check exactly.
"""

from __future__ import annotations

import re

import pytest

from support import (
    unique_name,
)
from .kinesis_support import (
    call,
)

STREAM_NAME_PATTERN = "[a-zA-Z0-9_.-]+"
STREAM_ARN_PATTERN = r"arn:aws.*:kinesis:.*:\d{12}:stream/\S+"
STREAM_ID_PATTERN = "[a-z0-9]{20}-[a-z0-9]{3}"
LONG_NAME = "a" * 129


def constraint(value, path: str, text: str) -> str:
    rendered = "null" if value is None else f"'{value}'"
    return f"Value {rendered} at '{path}' failed to satisfy constraint: {text}"


def not_null(path):
    return constraint(None, path, "Member must not be null")


def pattern(value, path, regex=STREAM_NAME_PATTERN):
    return constraint(value, path, f"Member must satisfy regular expression pattern: {regex}")


def min_length(value, path, minimum=1):
    return constraint(value, path, f"Member must have length greater than or equal to {minimum}")


def max_length(value, path, maximum=128):
    return constraint(value, path, f"Member must have length less than or equal to {maximum}")


def min_value(value, path, minimum=1):
    return constraint(value, path, f"Member must have value greater than or equal to {minimum}")


def max_value(value, path, maximum=10000):
    return constraint(value, path, f"Member must have value less than or equal to {maximum}")


def prefix(count: int) -> str:
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: "


def exact(*errors: str) -> str:
    return prefix(len(errors)) + "; ".join(errors)


def split_errors(message: str, expected: list[str]) -> list[str]:
    """Splits the list after the prefix into errors, matching expected texts greedily
    (kinesalite's approach: values may themselves contain '; ')."""
    rest = message
    found = []
    remaining = list(expected)
    while rest:
        for candidate in remaining:
            if rest.startswith(candidate):
                found.append(candidate)
                remaining.remove(candidate)
                rest = rest[len(candidate) :]
                if rest.startswith("; "):
                    rest = rest[2:]
                break
        else:
            raise AssertionError(f"unexpected error text {rest!r}; expected one of {remaining!r}")
    return found


def assert_validation(response, expected) -> None:
    """expected: the exact message (str) or the errors in any order (list)."""
    assert response.status == 400, response.describe()
    assert response.error_type == "ValidationException", response.describe()
    assert set(response.json) == {"__type", "message"}, response.describe()
    message = response.json["message"]
    if isinstance(expected, str):
        assert message == expected
        return
    head = prefix(len(expected))
    assert message.startswith(head), message
    found = split_errors(message[len(head) :], expected)
    assert sorted(found) == sorted(expected), message


ENUM_RE = re.compile(r"^(.*Member must satisfy enum value set: )\[(.*)\]$")


def assert_enum_error(response, value, path, allowed: set[str]) -> None:
    """AWS's order inside the enum set is not captured anywhere, so compare it as a set."""
    assert response.status == 400, response.describe()
    assert response.error_type == "ValidationException", response.describe()
    message = response.json["message"]
    match = ENUM_RE.match(message)
    assert match, message
    expected_start = constraint(value, path, "Member must satisfy enum value set: ")
    assert match.group(1) == prefix(1) + expected_start
    assert set(match.group(2).split(", ")) == allowed, message


# ---------------------------------------------------------------------------------------
# CreateStream
# ---------------------------------------------------------------------------------------


def test_create_stream_without_name(server):
    # ShardCount has been optional since on-demand streams (2021), so only the name is
    # missing (the pre-2021 capture also listed 'shardCount').
    assert_validation(call(server, "CreateStream", {}), exact(not_null("streamName")))


def test_create_stream_empty_name_and_zero_shards(server):
    # Captured exactly (kinesalite createStream.js).
    assert_validation(
        call(server, "CreateStream", {"StreamName": "", "ShardCount": 0}),
        exact(
            min_value(0, "shardCount"),
            pattern("", "streamName"),
            min_length("", "streamName"),
        ),
    )


def test_create_stream_long_name_with_huge_shard_count(server):
    # Captured: a ShardCount beyond 32 bits is not a type error and still satisfies min 1.
    assert_validation(
        call(server, "CreateStream", {"StreamName": LONG_NAME, "ShardCount": 100000000000}),
        exact(max_length(LONG_NAME, "streamName")),
    )


@pytest.mark.parametrize("name", ["has space", "slash/name", "colon:name", "é"])
def test_create_stream_name_pattern(server, name):
    assert_validation(
        call(server, "CreateStream", {"StreamName": name, "ShardCount": 1}),
        exact(pattern(name, "streamName")),
    )


@pytest.mark.parametrize("count", [0, -1, -2147483648])
def test_create_stream_shard_count_minimum(server, count):
    assert_validation(
        call(server, "CreateStream", {"StreamName": unique_name(), "ShardCount": count}),
        exact(min_value(count, "shardCount")),
    )


def test_create_stream_mode_details_without_mode(server):
    assert_validation(
        call(server, "CreateStream", {"StreamName": unique_name(), "StreamModeDetails": {}}),
        exact(not_null("streamModeDetails.streamMode")),
    )


@pytest.mark.parametrize("mode", ["FAST", "on_demand", ""])
def test_create_stream_mode_enum(server, mode):
    response = call(
        server,
        "CreateStream",
        {"StreamName": unique_name(), "StreamModeDetails": {"StreamMode": mode}},
    )
    assert_enum_error(response, mode, "streamModeDetails.streamMode", {"PROVISIONED", "ON_DEMAND"})


@pytest.mark.parametrize(
    "member,path,value,expected",
    [
        ("MaxRecordSizeInKiB", "maxRecordSizeInKiB", 1023, "min 1024"),
        ("MaxRecordSizeInKiB", "maxRecordSizeInKiB", 10241, "max 10240"),
        ("WarmThroughputMiBps", "warmThroughputMiBps", -1, "min 0"),
    ],
)
def test_create_stream_newer_numeric_members(server, member, path, value, expected):
    # Members added to CreateStream in 2025 models; constraints from the service model.
    kind, bound = expected.split()
    text = (
        min_value(value, path, int(bound)) if kind == "min" else max_value(value, path, int(bound))
    )
    assert_validation(
        call(server, "CreateStream", {"StreamName": unique_name(), "ShardCount": 1, member: value}),
        exact(text),
    )


def test_create_stream_several_members_invalid(server):
    assert_validation(
        call(
            server,
            "CreateStream",
            {"StreamName": "", "ShardCount": 0, "StreamModeDetails": {}},
        ),
        [
            min_value(0, "shardCount"),
            pattern("", "streamName"),
            min_length("", "streamName"),
            not_null("streamModeDetails.streamMode"),
        ],
    )


def test_create_stream_empty_tag_map(server):
    # TagMap has min 1. The rendering of a map value ('{}') is Java's toString, which is
    # not captured for Kinesis: check the member path and constraint only.
    response = call(
        server, "CreateStream", {"StreamName": unique_name(), "ShardCount": 1, "Tags": {}}
    )
    assert response.status == 400, response.describe()
    assert response.error_type == "ValidationException", response.describe()
    message = response.json["message"]
    assert message.startswith(prefix(1) + "Value "), message
    assert message.endswith(
        "at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1"
    ), message


def test_create_stream_tag_key_too_long(server):
    response = call(
        server,
        "CreateStream",
        {"StreamName": unique_name(), "ShardCount": 1, "Tags": {"k" * 129: "v"}},
    )
    assert response.status == 400, response.describe()
    assert response.error_type == "ValidationException", response.describe()
    assert "at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [" in (
        response.json["message"]
    ), response.describe()


def test_create_stream_name_of_128_characters_is_valid(server, kinesis):
    name = ("b" * 96) + unique_name("x")[:32]
    name = name[:128].ljust(128, "c")
    response = call(server, "CreateStream", {"StreamName": name, "ShardCount": 1})
    assert response.status == 200, response.describe()
    assert response.body == b""


# ---------------------------------------------------------------------------------------
# DeleteStream
# ---------------------------------------------------------------------------------------


def test_delete_stream_empty_name(server):
    # Captured exactly (kinesalite deleteStream.js): pattern before min length.
    assert_validation(
        call(server, "DeleteStream", {"StreamName": ""}),
        exact(pattern("", "streamName"), min_length("", "streamName")),
    )


def test_delete_stream_long_name(server):
    assert_validation(
        call(server, "DeleteStream", {"StreamName": LONG_NAME}),
        exact(max_length(LONG_NAME, "streamName")),
    )


def test_delete_stream_bad_arn(server):
    arn = "arn:aws:kinesis:us-east-1:123:stream/x"
    assert_validation(
        call(server, "DeleteStream", {"StreamARN": arn}),
        exact(pattern(arn, "streamARN", STREAM_ARN_PATTERN)),
    )


def test_delete_stream_empty_arn(server):
    assert_validation(
        call(server, "DeleteStream", {"StreamARN": ""}),
        [pattern("", "streamARN", STREAM_ARN_PATTERN), min_length("", "streamARN")],
    )


def test_delete_stream_long_arn(server):
    arn = "arn:aws:kinesis:us-east-1:123456789012:stream/" + "a" * 2048
    assert_validation(
        call(server, "DeleteStream", {"StreamARN": arn}),
        exact(max_length(arn, "streamARN", 2048)),
    )


@pytest.mark.parametrize("length", [100_000, 2_000_000])
def test_arns_far_too_long_are_matched_against_the_pattern_too(server, length):
    # The pattern is checked whatever the length (AWS reports both). std::regex, used for it
    # before, recursed once per character: a StreamARN of 100,000 characters killed the server.
    good_shape = "arn:aws:kinesis:us-east-1:123456789012:stream/" + "a" * length
    assert_validation(
        call(server, "DeleteStream", {"StreamARN": good_shape}),
        exact(max_length(good_shape, "streamARN", 2048)),
    )
    # Many ':kinesis' make a backtracking matcher try each split among the pattern's `.*`.
    bad_shape = "arn:aws" + ":kinesis" * (length // 8)
    assert_validation(
        call(server, "DeleteStream", {"StreamARN": bad_shape}),
        [pattern(bad_shape, "streamARN", STREAM_ARN_PATTERN), max_length(bad_shape, "streamARN", 2048)],
    )
    assert call(server, "ListStreams", {}).status == 200


# ---------------------------------------------------------------------------------------
# DescribeStream
# ---------------------------------------------------------------------------------------


def test_describe_stream_empty_everything(server):
    # Captured exactly (kinesalite describeStream.js).
    assert_validation(
        call(
            server,
            "DescribeStream",
            {"StreamName": "", "Limit": 0, "ExclusiveStartShardId": ""},
        ),
        exact(
            min_value(0, "limit"),
            pattern("", "exclusiveStartShardId"),
            min_length("", "exclusiveStartShardId"),
            pattern("", "streamName"),
            min_length("", "streamName"),
        ),
    )


def test_describe_stream_too_long_everything(server):
    # Captured exactly (kinesalite describeStream.js).
    assert_validation(
        call(
            server,
            "DescribeStream",
            {"StreamName": LONG_NAME, "Limit": 100000, "ExclusiveStartShardId": LONG_NAME},
        ),
        exact(
            max_value(100000, "limit"),
            max_length(LONG_NAME, "exclusiveStartShardId"),
            max_length(LONG_NAME, "streamName"),
        ),
    )


@pytest.mark.parametrize("limit,expected", [(0, "min"), (-5, "min"), (10001, "max")])
def test_describe_stream_limit_range(server, limit, expected):
    text = min_value(limit, "limit") if expected == "min" else max_value(limit, "limit")
    assert_validation(
        call(server, "DescribeStream", {"StreamName": unique_name(), "Limit": limit}),
        exact(text),
    )


@pytest.mark.parametrize("limit", [1, 10000])
def test_describe_stream_limit_bounds_are_valid(server, limit):
    # Valid limits pass validation and reach the operation (the stream does not exist).
    response = call(server, "DescribeStream", {"StreamName": unique_name(), "Limit": limit})
    assert response.error_type == "ResourceNotFoundException", response.describe()


# ---------------------------------------------------------------------------------------
# DescribeStreamSummary
# ---------------------------------------------------------------------------------------


def test_describe_stream_summary_empty_name(server):
    assert_validation(
        call(server, "DescribeStreamSummary", {"StreamName": ""}),
        exact(pattern("", "streamName"), min_length("", "streamName")),
    )


def test_describe_stream_summary_long_name(server):
    assert_validation(
        call(server, "DescribeStreamSummary", {"StreamName": LONG_NAME}),
        exact(max_length(LONG_NAME, "streamName")),
    )


def test_describe_stream_summary_bad_arn_and_name(server):
    assert_validation(
        call(server, "DescribeStreamSummary", {"StreamName": "a b", "StreamARN": "nope"}),
        [pattern("a b", "streamName"), pattern("nope", "streamARN", STREAM_ARN_PATTERN)],
    )


@pytest.mark.parametrize("operation", ["DescribeStreamSummary", "DescribeStream", "DeleteStream"])
def test_neither_name_nor_arn(server, operation):
    # Both members are optional in the model ("use either the StreamARN or the StreamName
    # parameter, or both"), so this is not a ValidationException. AWS's exact text is not
    # captured anywhere, so only the type is checked.
    response = call(server, operation, {})
    assert response.status == 400, response.describe()
    assert response.error_type == "InvalidArgumentException", response.describe()
    assert response.message, response.describe()


# ---------------------------------------------------------------------------------------
# ListStreams
# ---------------------------------------------------------------------------------------


def test_list_streams_empty_start_name_and_zero_limit(server):
    # Captured exactly (kinesalite listStreams.js).
    assert_validation(
        call(server, "ListStreams", {"ExclusiveStartStreamName": "", "Limit": 0}),
        exact(
            min_value(0, "limit"),
            pattern("", "exclusiveStartStreamName"),
            min_length("", "exclusiveStartStreamName"),
        ),
    )


def test_list_streams_long_start_name_and_huge_limit(server):
    # Captured exactly (kinesalite listStreams.js).
    assert_validation(
        call(server, "ListStreams", {"ExclusiveStartStreamName": LONG_NAME, "Limit": 1000000}),
        exact(
            max_value(1000000, "limit"),
            max_length(LONG_NAME, "exclusiveStartStreamName"),
        ),
    )


def test_list_streams_empty_next_token(server):
    assert_validation(
        call(server, "ListStreams", {"NextToken": ""}),
        exact(min_length("", "nextToken")),
    )


@pytest.mark.parametrize("limit", [0, 10001])
def test_list_streams_limit_range(server, limit):
    text = min_value(limit, "limit") if limit < 1 else max_value(limit, "limit")
    assert_validation(call(server, "ListStreams", {"Limit": limit}), exact(text))


# ---------------------------------------------------------------------------------------
# ListShards
# ---------------------------------------------------------------------------------------


def test_list_shards_empty_everything(server):
    assert_validation(
        call(
            server,
            "ListShards",
            {"StreamName": "", "MaxResults": 0, "ExclusiveStartShardId": ""},
        ),
        [
            min_value(0, "maxResults"),
            pattern("", "exclusiveStartShardId"),
            min_length("", "exclusiveStartShardId"),
            pattern("", "streamName"),
            min_length("", "streamName"),
        ],
    )


def test_list_shards_too_long_everything(server):
    assert_validation(
        call(
            server,
            "ListShards",
            {"StreamName": LONG_NAME, "MaxResults": 100000, "ExclusiveStartShardId": LONG_NAME},
        ),
        [
            max_value(100000, "maxResults"),
            max_length(LONG_NAME, "exclusiveStartShardId"),
            max_length(LONG_NAME, "streamName"),
        ],
    )


@pytest.mark.parametrize("max_results", [0, -1, 10001])
def test_list_shards_max_results_range(server, max_results):
    text = (
        min_value(max_results, "maxResults")
        if max_results < 1
        else max_value(max_results, "maxResults")
    )
    assert_validation(
        call(server, "ListShards", {"StreamName": unique_name(), "MaxResults": max_results}),
        exact(text),
    )


def test_list_shards_empty_next_token(server):
    assert_validation(
        call(server, "ListShards", {"NextToken": ""}),
        exact(min_length("", "nextToken")),
    )


def test_list_shards_filter_without_type(server):
    assert_validation(
        call(server, "ListShards", {"StreamName": unique_name(), "ShardFilter": {}}),
        exact(not_null("shardFilter.type")),
    )


@pytest.mark.parametrize("filter_type", ["LATEST", "at_latest", ""])
def test_list_shards_filter_type_enum(server, filter_type):
    response = call(
        server,
        "ListShards",
        {"StreamName": unique_name(), "ShardFilter": {"Type": filter_type}},
    )
    assert_enum_error(
        response,
        filter_type,
        "shardFilter.type",
        {
            "AFTER_SHARD_ID",
            "AT_TRIM_HORIZON",
            "FROM_TRIM_HORIZON",
            "AT_LATEST",
            "AT_TIMESTAMP",
            "FROM_TIMESTAMP",
        },
    )


def test_list_shards_filter_shard_id_pattern(server):
    assert_validation(
        call(
            server,
            "ListShards",
            {
                "StreamName": unique_name(),
                "ShardFilter": {"Type": "AFTER_SHARD_ID", "ShardId": "bad id"},
            },
        ),
        exact(pattern("bad id", "shardFilter.shardId")),
    )


def test_at_most_ten_errors_are_listed(server):
    # Twelve constraint failures in one request; AWS lists no more than ten. Whether the
    # count in the prefix is the number listed (kinesalite) or the real total is not
    # captured, so both are accepted.
    payload = {
        "StreamName": "",  # pattern, min length
        "NextToken": "",  # min length
        "ExclusiveStartShardId": "",  # pattern, min length
        "MaxResults": 0,  # min value
        "ShardFilter": {"Type": "AFTER_SHARD_ID", "ShardId": ""},  # pattern, min length
        "StreamARN": "",  # pattern, min length
        "StreamId": "",  # pattern, min length
    }
    candidates = [
        pattern("", "streamName"),
        min_length("", "streamName"),
        min_length("", "nextToken"),
        pattern("", "exclusiveStartShardId"),
        min_length("", "exclusiveStartShardId"),
        min_value(0, "maxResults"),
        pattern("", "shardFilter.shardId"),
        min_length("", "shardFilter.shardId"),
        pattern("", "streamARN", STREAM_ARN_PATTERN),
        min_length("", "streamARN"),
        pattern("", "streamId", STREAM_ID_PATTERN),
        min_length("", "streamId"),
    ]
    response = call(server, "ListShards", payload)
    assert response.status == 400, response.describe()
    assert response.error_type == "ValidationException", response.describe()
    message = response.json["message"]
    match = re.match(r"^(\d+) validation errors detected: (.*)$", message)
    assert match, message
    assert int(match.group(1)) in (10, len(candidates)), message
    # All ten listed errors must come from the candidates, each once.
    found = split_errors(match.group(2), candidates)
    assert len(found) == 10, message
    assert len(set(found)) == 10, message


# ---------------------------------------------------------------------------------------
# PutRecords: a list of structures is printed with Java's Object.toString,
# "<class>@<Integer.toHexString(hashCode())>", and the hash code is the entry's content hash.
# ---------------------------------------------------------------------------------------

ENTRY_CLASS = "com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry"


def test_put_records_over_500_entries_as_recorded(server):
    # Recorded against AWS (mhart/kinesalite test/putRecords.js): 501 entries with empty
    # PartitionKey and Data each print as ...PutRecordsRequestEntry@c965e310.
    records = [{"PartitionKey": "", "Data": ""}] * 501
    response = call(server, "PutRecords", {"StreamName": "", "Records": records})
    listed = ", ".join([f"{ENTRY_CLASS}@c965e310"] * 501)
    records_error = max_length(f"[{listed}]", "records", 500)
    candidates = [records_error] + [
        min_length("", f"records.{i}.member.partitionKey") for i in range(1, 502)
    ] + [pattern("", "streamName"), min_length("", "streamName")]
    assert response.status == 400, response.describe()
    message = response.json["message"]
    assert message.startswith(prefix(10)), message[:200]
    found = split_errors(message[len(prefix(10)) :], candidates)
    assert records_error in found, message[:400]


def test_put_records_entry_hash_is_its_content_hash(server):
    # Java 17 computes c967cb7d for an entry with PartitionKey "k" and Data b"d" (see
    # tests/unit/aws/java_hash_test.cc); identical entries print the same value.
    records = [{"PartitionKey": "k", "Data": "ZA=="}] * 501
    response = call(server, "PutRecords", {"StreamName": unique_name(), "Records": records})
    listed = ", ".join([f"{ENTRY_CLASS}@c967cb7d"] * 501)
    assert_validation(response, exact(max_length(f"[{listed}]", "records", 500)))


def test_validation_precedes_not_found(server):
    # A request that is both invalid and names a missing stream gets the validation error.
    assert_validation(
        call(server, "DescribeStream", {"StreamName": unique_name(), "Limit": 0}),
        exact(min_value(0, "limit")),
    )
