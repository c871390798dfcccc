"""Helpers of the DynamoDB Streams integration tests."""

from __future__ import annotations

import re
from typing import Any, Optional

from support import DEFAULT_ACCESS_KEY, DEFAULT_REGION, aws_client

STREAM_ARN = re.compile(
    r"^arn:aws:dynamodb:[a-z0-9-]+:\d{12}:table/[A-Za-z0-9_.-]+/stream/"
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$")
SHARD_ID = re.compile(r"^shardId-\d{20}-[0-9a-f]{8}$")
SEQUENCE_NUMBER = re.compile(r"^\d{21,40}$")
EVENT_ID = re.compile(r"^[0-9a-f]{32}$")


def streams_client(server: Any, *, access_key: Optional[str] = DEFAULT_ACCESS_KEY,
                   region: Optional[str] = DEFAULT_REGION, validate: bool = True):
    return aws_client(server, "dynamodbstreams", access_key=access_key, region=region,
                      validate=validate)


def all_shards(streams, arn: str, limit: Optional[int] = None) -> list[dict]:
    """Every shard DescribeStream lists, following LastEvaluatedShardId (pages of `limit`)."""
    shards: list[dict] = []
    start = None
    while True:
        kwargs: dict[str, Any] = {"StreamArn": arn}
        if limit:
            kwargs["Limit"] = limit
        if start:
            kwargs["ExclusiveStartShardId"] = start
        description = streams.describe_stream(**kwargs)["StreamDescription"]
        shards += description["Shards"]
        start = description.get("LastEvaluatedShardId")
        if not start:
            return shards


def read_shard(streams, arn: str, shard_id: str, iterator_type: str = "TRIM_HORIZON") -> list[dict]:
    """Every record of one shard now: to the end of a closed one, to the first empty answer of
    an open one."""
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id,
                                          ShardIteratorType=iterator_type)["ShardIterator"]
    records: list[dict] = []
    while iterator:
        answer = streams.get_records(ShardIterator=iterator)
        records += answer["Records"]
        iterator = answer.get("NextShardIterator")
        if not answer["Records"]:
            break
    return records


def read_stream(streams, arn: str) -> list[dict]:
    """Every record of the stream, parents before children (shard id order is creation order)."""
    records: list[dict] = []
    for shard in sorted(all_shards(streams, arn), key=lambda s: s["ShardId"]):
        records += read_shard(streams, arn, shard["ShardId"])
    return records
