"""kill -9 while records stream in: nothing acknowledged is lost, and sequence numbers keep
increasing after the restart.

A producer thread sends PutRecords batches of 20 into a 2-shard stream of a RocksDB-backed
server; the test SIGKILLs the server at a random moment 0.3-1.5 s after the first acknowledged batch, restarts it on the same
data directory and checks that:
  * every acknowledged record is readable, with its original sequence number, shard and data;
  * nothing is read that was never sent (the batch in flight at the kill may or may not be);
  * records written after the restart get sequence numbers greater than every earlier one of
    their shard.
Three rounds on the same data directory; the seed is printed on failure.
"""

from __future__ import annotations

import functools
import random
import threading
import time

from support import kill_during_writes

from .kinesis_support import (
    create_active_stream,
    drain_shard,
    kinesis_client,
    sequence_key,
    shard_iterator,
)

ROUNDS = 3
BATCH = 20
SHARDS = ("shardId-000000000000", "shardId-000000000001")


def produce_until_failure(server, name: str, round_number: int, generator: random.Random,
                          acknowledged: dict, attempted: set, stop: threading.Event) -> None:
    client = kinesis_client(server)
    batch_number = 0
    while not stop.is_set():
        entries = []
        for index in range(BATCH):
            data = f"r{round_number}-b{batch_number}-i{index}-".encode() + generator.randbytes(
                generator.randint(0, 600))
            entries.append({"Data": data, "PartitionKey": f"k{generator.getrandbits(32)}"})
            attempted.add(data)
        batch_number += 1
        try:
            answer = client.put_records(StreamName=name, Records=entries)
        except Exception:  # the server was killed mid-request: expected
            return
        for entry, result in zip(entries, answer["Records"]):
            if "SequenceNumber" in result:
                acknowledged[entry["Data"]] = (result["ShardId"], result["SequenceNumber"])


def read_everything(server, name: str) -> dict[bytes, tuple[str, str]]:
    client = kinesis_client(server)
    found: dict[bytes, tuple[str, str]] = {}
    for shard in SHARDS:
        records = drain_shard(client, shard_iterator(client, name, shard))
        numbers = [sequence_key(r["SequenceNumber"]) for r in records]
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), shard
        for record in records:
            data = bytes(record["Data"])
            assert data not in found, f"record read twice: {data[:40]!r}"
            found[data] = (shard, record["SequenceNumber"])
    return found


def test_kill_during_put_records_loses_nothing_acknowledged(start_server):
    seed = time.time_ns()
    generator = random.Random(seed)
    server = start_server()
    name = create_active_stream(kinesis_client(server), shard_count=len(SHARDS))
    acknowledged: dict[bytes, tuple[str, str]] = {}
    attempted: set[bytes] = set()

    for round_number in range(ROUNDS):
        before = len(acknowledged)
        # The kill moment is random, 0.3-1.5 s after the first acknowledged batch of the round.
        kill_during_writes(
            server,
            [functools.partial(produce_until_failure, server, name, round_number,
                               random.Random(generator.getrandbits(64)), acknowledged, attempted)],
            writing=lambda: len(acknowledged) > before, kill_after=(0.3, 1.5), rng=generator,
            context=f"seed {seed}, round {round_number}", join_timeout=20)
        assert len(acknowledged) > before, f"round {round_number}: nothing acknowledged"

        found = read_everything(server, name)
        lost = [data for data in acknowledged if data not in found]
        assert not lost, (f"seed {seed}, round {round_number}: {len(lost)} of "
                          f"{len(acknowledged)} acknowledged records lost, e.g. {lost[0][:40]!r}")
        changed = {data: (acknowledged[data], found[data]) for data in acknowledged
                   if found[data] != acknowledged[data]}
        assert not changed, f"seed {seed}: shard/sequence number changed: {changed}"
        invented = [data for data in found if data not in attempted]
        assert not invented, f"seed {seed}: records never sent: {invented[:2]!r}"

        # New writes continue above everything already in each shard.
        highest = {shard: max((sequence_key(n) for s, n in found.values() if s == shard),
                              default=-1) for shard in SHARDS}
        client = kinesis_client(server)
        fresh = client.put_records(StreamName=name, Records=[
            {"Data": f"after-{round_number}-{i}".encode(), "PartitionKey": f"after{i}"}
            for i in range(BATCH)])
        assert fresh["FailedRecordCount"] == 0
        for index, result in enumerate(fresh["Records"]):
            assert sequence_key(result["SequenceNumber"]) > highest[result["ShardId"]], (
                seed, round_number, result)
            data = f"after-{round_number}-{index}".encode()
            attempted.add(data)
            acknowledged[data] = (result["ShardId"], result["SequenceNumber"])
