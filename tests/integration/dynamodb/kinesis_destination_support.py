"""Helpers for the Kinesis streaming destination tests: reading every destination record of a
Kinesis stream back in lineage order (parents before children, as a KCL-like reader does),
and DynamoDB's item-size rule for SizeBytes (facts §13)."""

from __future__ import annotations

import base64
import decimal
import json
import time
from typing import Any

import pytest

from kinesis.kinesis_support import create_active_stream, drain_shard, kinesis_client, stream_arn
from support import raw_request, unique_name

from .dynamodb_support import dynamodb_client, hash_table_arguments, wait_for_table


def destination(server, *, shards: int = 4, precision: str | None = None, **table_extra):
    """A table (pk S, sk N) with a destination to a new stream (ACTIVE at once on a server
    started with --kinesis-destination-ms 0): (table, stream name)."""
    dynamodb, kinesis = dynamodb_client(server), kinesis_client(server)
    table = unique_name("dst")
    dynamodb.create_table(**hash_table_arguments(table, range_key="sk", **table_extra))
    wait_for_table(dynamodb, table)
    stream = create_active_stream(kinesis, shard_count=shards)
    arguments = {}
    if precision:
        arguments["EnableKinesisStreamingConfiguration"] = {
            "ApproximateCreationDateTimePrecision": precision}
    dynamodb.enable_kinesis_streaming_destination(TableName=table, StreamArn=stream_arn(stream),
                                                  **arguments)
    return table, stream


def shards_in_lineage_order(kinesis, stream: str) -> list[dict]:
    """Every shard of the stream, each after its parents (ListShards lists them so already;
    sorted again here so the test does not depend on it)."""
    shards = kinesis.list_shards(StreamName=stream)["Shards"]
    by_id = {s["ShardId"]: s for s in shards}
    ordered: list[dict] = []
    seen: set[str] = set()

    def visit(shard: dict) -> None:
        if shard["ShardId"] in seen:
            return
        for parent in (shard.get("ParentShardId"), shard.get("AdjacentParentShardId")):
            if parent in by_id:
                visit(by_id[parent])
        seen.add(shard["ShardId"])
        ordered.append(shard)

    for shard in shards:
        visit(shard)
    return ordered


def read_destination_records(kinesis, stream: str) -> list[dict]:
    """All records of the stream, parents' records before their children's; each record is
    the Kinesis record with "json" (the decoded document, member order kept) and "ShardId"."""
    out: list[dict] = []
    for shard in shards_in_lineage_order(kinesis, stream):
        iterator = kinesis.get_shard_iterator(
            StreamName=stream, ShardId=shard["ShardId"],
            ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        for record in drain_shard(kinesis, iterator):
            record["json"] = json.loads(bytes(record["Data"]))
            record["ShardId"] = shard["ShardId"]
            out.append(record)
    return out


def wait_for_records(kinesis, stream: str, count: int, timeout: float = 20.0) -> list[dict]:
    """Reads until at least `count` records are there (delivery is asynchronous), then once
    more after a short pause so that extra (duplicate) records would show."""
    deadline = time.monotonic() + timeout
    while True:
        records = read_destination_records(kinesis, stream)
        if len(records) >= count:
            time.sleep(0.2)
            return read_destination_records(kinesis, stream)
        if time.monotonic() > deadline:
            pytest.fail(f"{len(records)} of {count} destination records after {timeout}s")
        time.sleep(0.05)


def destination_metrics(server, table: str) -> dict[tuple[str, str | None], float]:
    """The destination's samples of GET /metrics for one table: ("replicated", None),
    ("failed", reason) and ("outbox", None) -> value."""
    response = raw_request(server, method="GET", path="/metrics", sign=False)
    assert response.status == 200
    names = {
        "tributary_dynamodb_destination_replicated_records_total": "replicated",
        "tributary_dynamodb_destination_failed_to_replicate_records_total": "failed",
        "tributary_dynamodb_destination_outbox_records": "outbox",
    }
    out: dict[tuple[str, str | None], float] = {}
    for line in response.body.decode().splitlines():
        if line.startswith("#") or f'table="{table}"' not in line:
            continue
        name, _, rest = line.partition("{")
        if name not in names:
            continue
        labels, _, value = rest.rpartition("} ")
        reason = None
        for part in labels.split(","):
            key, _, quoted = part.partition("=")
            if key == "reason":
                reason = quoted.strip('"')
        out[(names[name], reason)] = float(value)
    return out


def _number_size(text: str) -> int:
    digits = decimal.Decimal(text).normalize().as_tuple().digits
    significant = "".join(map(str, digits)).strip("0") or "0"
    return (len(significant) + 1) // 2 + 1


def attribute_size(value: dict) -> int:
    (kind, payload), = value.items()
    if kind == "S":
        return len(payload.encode())
    if kind == "N":
        return _number_size(payload)
    if kind == "B":
        return len(base64.b64decode(payload))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode()) for s in payload)
    if kind == "NS":
        return sum(_number_size(n) for n in payload)
    if kind == "BS":
        return sum(len(base64.b64decode(b)) for b in payload)
    if kind == "L":
        return 3 + sum(attribute_size(v) + 1 for v in payload)
    if kind == "M":
        return 3 + sum(len(k.encode()) + attribute_size(v) + 1 for k, v in payload.items())
    raise AssertionError(f"unknown type {kind}")


def item_size(item: dict) -> int:
    """DynamoDB's item size (facts §13) of an item in wire form."""
    return sum(len(name.encode()) + attribute_size(value) for name, value in item.items())


def expected_size_bytes(dynamodb_member: dict[str, Any]) -> int:
    return sum(item_size(dynamodb_member[part]) for part in ("Keys", "NewImage", "OldImage")
               if part in dynamodb_member)
