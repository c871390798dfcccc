"""kill -9 during sustained writes to a table with an ACTIVE Kinesis streaming destination:
after a restart on the same data directory, the Kinesis stream holds exactly one record per
acknowledged item change (issue 13's delivery guarantee; the outbox commits with the item and
leaves with the Kinesis append in one batch).

Writers put (item, version) pairs, each version once, so every record names the write it came
from. A write in flight at the kill may or may not be there (at most once); every acknowledged
one must be there exactly once, and each item's records are in version order. Two rounds on the
same data directory; the seed is printed on failure."""

from __future__ import annotations

import functools
import random
import threading
import time

from support import kill_during_writes, unique_name

from kinesis.kinesis_support import create_active_stream, kinesis_client, stream_arn

from .dynamodb_support import dynamodb_client, hash_table_arguments, wait_for_table
from .kinesis_destination_support import read_destination_records

ROUNDS = 2
WRITERS = 3


def write_until_killed(server, table: str, writer: int, round_number: int, acknowledged: set,
                       attempted: set, stop: threading.Event, *, failures: list) -> None:
    client = dynamodb_client(server)
    version = 0
    while not stop.is_set():
        version += 1
        item = f"w{writer}-i{version % 7}"
        tag = f"r{round_number}-w{writer}-v{version}"
        attempted.add(tag)
        try:
            client.put_item(TableName=table, Item={"pk": {"S": item}, "tag": {"S": tag},
                                                   "order": {"N": str(round_number * 10**6 + version)}})
        except Exception as error:  # the server was killed mid-request: expected
            failures.append(error)
            return
        acknowledged.add(tag)


def test_kill_during_writes_delivers_each_acknowledged_change_exactly_once(start_server):
    seed = time.time_ns()
    generator = random.Random(seed)
    server = start_server(extra_args=["--create-table-ms", "0", "--kinesis-destination-ms", "0"])
    dynamodb, kinesis = dynamodb_client(server), kinesis_client(server)
    table = unique_name("crash")
    dynamodb.create_table(**hash_table_arguments(table))
    wait_for_table(dynamodb, table)
    stream = create_active_stream(kinesis, shard_count=3)
    dynamodb.enable_kinesis_streaming_destination(TableName=table, StreamArn=stream_arn(stream))
    acknowledged: set[str] = set()
    attempted: set[str] = set()

    for round_number in range(ROUNDS):
        failures: list[Exception] = []
        before = len(acknowledged)
        kill_during_writes(
            server,
            [functools.partial(write_until_killed, server, table, w, round_number, acknowledged,
                               attempted, failures=failures) for w in range(WRITERS)],
            writing=lambda: len(acknowledged) > before + 10 or failures,
            kill_after=(0.2, 1.0), rng=generator, context=f"seed {seed}, round {round_number}",
            join_timeout=20)
        kinesis = kinesis_client(server)

        # Delivery resumes by itself after the restart; wait until every acknowledged change
        # is there, then check nothing is there twice.
        deadline = time.monotonic() + 30
        while True:
            records = read_destination_records(kinesis, stream)
            tags = [r["json"]["dynamodb"]["NewImage"]["tag"]["S"] for r in records]
            missing = acknowledged - set(tags)
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert not missing, (f"seed {seed}, round {round_number}: {len(missing)} of "
                             f"{len(acknowledged)} acknowledged changes missing, e.g. "
                             f"{sorted(missing)[:3]}")
        duplicates = {t for t in tags if tags.count(t) > 1}
        assert not duplicates, f"seed {seed}: delivered twice: {sorted(duplicates)[:3]}"
        invented = set(tags) - attempted
        assert not invented, f"seed {seed}: records of writes never made: {sorted(invented)[:3]}"
        # Each item's records in write order.
        last: dict[str, int] = {}
        for record in records:
            change = record["json"]["dynamodb"]
            key = change["Keys"]["pk"]["S"]
            order = int(change["NewImage"]["order"]["N"])
            assert order > last.get(key, -1), f"seed {seed}: {key} out of order"
            last[key] = order
        assert len(acknowledged) > 0, f"nothing acknowledged: {failures[:1]}"
