"""Crash soak (issue 15): a mixed workload on every API while the server is SIGKILLed at random
moments, SOAK_KILLS times (20 by default). Run with `make soak` (not part of `make test`).

Workload, all at once, for a random 0.5-2.5 s per round before the kill:
  * PutRecords batches into three Kinesis streams; one of them is resharded all the time
    (SplitShard of an open shard, then MergeShards of two adjacent ones, alternately);
  * SubscribeToShard readers (an enhanced fan-out consumer) on another stream;
  * PutItem/UpdateItem writers on a table with a NEW_AND_OLD_IMAGES stream and a Kinesis
    streaming destination, and a TransactWriteItems writer (two items per transaction).
After each kill and restart on the same data directory:
  * every acknowledged Kinesis record is read exactly once (GetRecords over every shard, parents
    first) with the shard and sequence number it was acknowledged with; nothing never sent is
    read; each shard's numbers increase; numbers acknowledged after a restart are above every
    number the shard held before it;
  * a SubscribeToShard from TRIM_HORIZON delivers exactly the records GetRecords reads;
  * every acknowledged item write is stored (or overwritten by a later write of the same
    writer), and each item write that is stored has exactly one DynamoDB Streams record and
    exactly one destination record (a write in flight at the kill may or may not be there, but
    then with both records);
  * no stream, table, consumer or destination is left in a transitional state.
The figures (kills, checked records and writes, duration) are printed at the end and written
to SOAK_REPORT (default build/soak-report.txt). The seed is printed; SOAK_SEED replays the
random choices (not the timing)."""

from __future__ import annotations

import functools
import json
import os
import pathlib
import random
import sys
import tempfile
import threading
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "integration"))

from support import TributaryServer, kill_during_writes, poll_until  # noqa: E402

from dynamodb.dynamodb_support import dynamodb_client, hash_table_arguments, wait_for_table  # noqa: E402
from dynamodb.kinesis_destination_support import read_destination_records  # noqa: E402
from dynamodb_streams.streams_support import read_stream, streams_client  # noqa: E402
from kinesis.kinesis_support import (  # noqa: E402
    create_active_stream,
    kinesis_client,
    sequence_key,
    stream_arn,
    stream_status,
)
from kinesis.test_subscribe_to_shard import Subscriber  # noqa: E402
from dynamodb.kinesis_destination_support import shards_in_lineage_order  # noqa: E402
from kinesis.kinesis_support import drain_shard  # noqa: E402

KILLS = int(os.environ.get("SOAK_KILLS", "20"))
PRODUCED = ("soak-a", "soak-b", "soak-resharded")  # Kinesis streams the producers write
RESHARDED = "soak-resharded"
SUBSCRIBED = "soak-a"  # never resharded: shard 0 stays open for the subscription check
DESTINATION = "soak-destination"
TABLE = "soak"
ITEM_WRITERS = 2
BATCH = 10


class Ledger:
    """What the clients sent and what the server acknowledged, shared by the worker threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.records: dict[bytes, tuple[str, str, str]] = {}  # data -> (stream, shard, number)
        self.sent_records: set[bytes] = set()
        self.writes: set[str] = set()  # acknowledged item-write tags
        self.sent_writes: set[str] = set()
        # per item key: the tag of its last acknowledged write (writers own their keys)
        self.last_write: dict[str, str] = {}
        self.sent_after: dict[str, list[str]] = {}  # per key: tags sent after the last ack
        self.reshards = 0
        self.transactions = 0


def produce(server, stream: str, round_number: int, ledger: Ledger, stop: threading.Event,
            rng: random.Random) -> None:
    client = kinesis_client(server)
    batch = 0
    while not stop.is_set():
        entries = [{"Data": f"{stream}/r{round_number}/b{batch}/{i}/".encode() + rng.randbytes(
            rng.randint(0, 300)), "PartitionKey": f"k{rng.getrandbits(32)}"} for i in range(BATCH)]
        batch += 1
        with ledger.lock:
            ledger.sent_records.update(e["Data"] for e in entries)
        try:
            answer = client.put_records(StreamName=stream, Records=entries)
        except Exception:  # killed mid-request, or refused while the server stops
            return
        with ledger.lock:
            for entry, result in zip(entries, answer["Records"]):
                if "SequenceNumber" in result:
                    ledger.records[entry["Data"]] = (stream, result["ShardId"],
                                                     result["SequenceNumber"])


def open_shards(client, stream: str) -> list[dict]:
    shards = client.list_shards(StreamName=stream)["Shards"]
    return sorted((s for s in shards if "EndingSequenceNumber" not in s["SequenceNumberRange"]),
                  key=lambda s: int(s["HashKeyRange"]["StartingHashKey"]))


def reshard(server, ledger: Ledger, stop: threading.Event, rng: random.Random) -> None:
    client = kinesis_client(server)
    while not stop.is_set():
        try:
            if stream_status(client, RESHARDED) != "ACTIVE":
                time.sleep(0.02)
                continue
            shards = open_shards(client, RESHARDED)
            if len(shards) < 2 or (len(shards) < 6 and rng.random() < 0.5):
                shard = rng.choice(shards)
                low = int(shard["HashKeyRange"]["StartingHashKey"])
                high = int(shard["HashKeyRange"]["EndingHashKey"])
                client.split_shard(StreamName=RESHARDED, ShardToSplit=shard["ShardId"],
                                   NewStartingHashKey=str((low + high) // 2 + 1))
            else:
                left = rng.randrange(len(shards) - 1)
                client.merge_shards(StreamName=RESHARDED, ShardToMerge=shards[left]["ShardId"],
                                    AdjacentShardToMerge=shards[left + 1]["ShardId"])
            with ledger.lock:
                ledger.reshards += 1
        except Exception:
            if stop.is_set():
                return
            time.sleep(0.05)  # LimitExceeded/ResourceInUse while the last one finishes


def subscribe(server, consumer_arn: str, stop: threading.Event) -> None:
    """Keeps SubscribeToShard readers open on every open shard of SUBSCRIBED until the kill."""
    client = kinesis_client(server)
    try:
        readers = [Subscriber(client, consumer_arn, {"Type": "TRIM_HORIZON"}, shard=s["ShardId"])
                   for s in open_shards(client, SUBSCRIBED)]
    except Exception:
        return
    stop.wait()
    for reader in readers:
        reader.close()


def write_items(server, writer: int, round_number: int, ledger: Ledger, stop: threading.Event,
                rng: random.Random) -> None:
    client = dynamodb_client(server)
    version = 0
    while not stop.is_set():
        version += 1
        key = f"w{writer}-{rng.randrange(20)}"
        tag = f"r{round_number}/w{writer}/v{version}"
        with ledger.lock:
            ledger.sent_writes.add(tag)
            ledger.sent_after.setdefault(key, []).append(tag)
        try:
            if rng.random() < 0.5:
                client.put_item(TableName=TABLE, Item={"pk": {"S": key}, "tag": {"S": tag},
                                                       "pad": {"B": rng.randbytes(rng.randint(0, 2000))}})
            else:
                client.update_item(TableName=TABLE, Key={"pk": {"S": key}},
                                   UpdateExpression="SET tag = :tag ADD n :one",
                                   ExpressionAttributeValues={":tag": {"S": tag},
                                                              ":one": {"N": "1"}})
        except Exception:
            return
        with ledger.lock:
            ledger.writes.add(tag)
            ledger.last_write[key] = tag
            ledger.sent_after[key] = []


def write_transactions(server, round_number: int, ledger: Ledger, stop: threading.Event,
                       rng: random.Random) -> None:
    client = dynamodb_client(server)
    number = 0
    while not stop.is_set():
        number += 1
        keys = [f"t{side}-{rng.randrange(10)}" for side in "ab"]
        tags = [f"r{round_number}/t{number}/{side}" for side in "ab"]
        with ledger.lock:
            ledger.sent_writes.update(tags)
            for key, tag in zip(keys, tags):
                ledger.sent_after.setdefault(key, []).append(tag)
        try:
            client.transact_write_items(TransactItems=[
                {"Put": {"TableName": TABLE, "Item": {"pk": {"S": key}, "tag": {"S": tag}}}}
                for key, tag in zip(keys, tags)])
        except Exception:
            return
        with ledger.lock:
            ledger.writes.update(tags)
            ledger.transactions += 1
            for key, tag in zip(keys, tags):
                ledger.last_write[key] = tag
                ledger.sent_after[key] = []


def read_all_records(client, stream: str) -> list[dict]:
    out = []
    for shard in shards_in_lineage_order(client, stream):
        iterator = client.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        for record in drain_shard(client, iterator):
            record["ShardId"] = shard["ShardId"]
            out.append(record)
    return out


def wait_settled(server, consumer_arn: str) -> None:
    """Nothing stuck in a transitional state: every resource reaches its resting state."""
    kinesis, dynamodb = kinesis_client(server), dynamodb_client(server)
    for stream in PRODUCED + (DESTINATION,):
        poll_until(lambda s=stream: stream_status(kinesis, s) == "ACTIVE", timeout=30,
                   what=f"stream {stream} ACTIVE")
    wait_for_table(dynamodb, TABLE, timeout=30)
    poll_until(lambda: kinesis.describe_stream_consumer(ConsumerARN=consumer_arn)
               ["ConsumerDescription"]["ConsumerStatus"] == "ACTIVE", timeout=30,
               what="consumer ACTIVE")
    poll_until(lambda: [d["DestinationStatus"] for d in dynamodb.describe_kinesis_streaming_destination(
        TableName=TABLE)["KinesisDataStreamDestinations"]] == ["ACTIVE"], timeout=30,
        what="destination ACTIVE")


def check(server, ledger: Ledger, consumer_arn: str, table_stream: str,
          floors: dict[tuple[str, str], int], seed: int, round_number: int) -> dict:
    """The checks after a restart; returns each shard's highest number (the next floors)."""
    where = f"seed {seed}, after kill {round_number + 1}"
    kinesis, dynamodb = kinesis_client(server), dynamodb_client(server)
    wait_settled(server, consumer_arn)

    # Kinesis: exactly once, same shard and number, increasing, above the previous floors.
    found: dict[bytes, tuple[str, str, str]] = {}
    highest: dict[tuple[str, str], int] = {}
    for stream in PRODUCED:
        last: dict[str, int] = {}
        for record in read_all_records(kinesis, stream):
            data, shard, number = bytes(record["Data"]), record["ShardId"], record["SequenceNumber"]
            assert data not in found, f"{where}: record read twice: {data[:40]!r}"
            assert sequence_key(number) > last.get(shard, -1), f"{where}: {shard} out of order"
            last[shard] = sequence_key(number)
            found[data] = (stream, shard, number)
        highest.update({(stream, shard): n for shard, n in last.items()})
    lost = [d for d in ledger.records if d not in found]
    assert not lost, f"{where}: {len(lost)} of {len(ledger.records)} acknowledged records lost"
    moved = [d for d in ledger.records if found[d] != ledger.records[d]]
    assert not moved, f"{where}: shard or number changed for {len(moved)} records"
    invented = [d for d in found if d not in ledger.sent_records]
    assert not invented, f"{where}: {len(invented)} records never sent"
    for data, (stream, shard, number) in ledger.records.items():
        floor = floors.get((stream, shard))
        if floor is not None and data.startswith(f"{stream}/r{round_number}/".encode()):
            assert sequence_key(number) > floor, f"{where}: {shard} numbered below its past"

    # SubscribeToShard delivers what GetRecords reads.
    shard0 = "shardId-000000000000"
    expected = [r["SequenceNumber"] for d, r in
                ((d, {"SequenceNumber": v[2]}) for d, v in found.items())
                if found[d][0] == SUBSCRIBED and found[d][1] == shard0]
    expected.sort(key=sequence_key)
    reader = Subscriber(kinesis, consumer_arn, {"Type": "TRIM_HORIZON"}, shard=shard0)
    got = [r["SequenceNumber"] for r in reader.wait_records(len(expected), timeout=60)]
    reader.close()
    assert got[:len(expected)] == expected, f"{where}: SubscribeToShard differs from GetRecords"

    # DynamoDB: every acknowledged write stored or overwritten by a later one of its key.
    items = {i["pk"]["S"]: i["tag"]["S"] for i in dynamodb.scan(TableName=TABLE)["Items"]}
    for key, tag in ledger.last_write.items():
        allowed = {tag, *ledger.sent_after.get(key, [])}
        assert items.get(key) in allowed, f"{where}: {key} holds {items.get(key)}, not {allowed}"
    # Stored writes: acknowledged ones, plus each key's current tag (a write in flight may have
    # committed without its answer).
    stored = set(ledger.writes) | set(items.values())
    assert stored <= ledger.sent_writes

    # Exactly one DynamoDB Streams record and one destination record per stored write.
    changes = [r["dynamodb"]["NewImage"]["tag"]["S"]
               for r in read_stream(streams_client(server), table_stream)]
    assert len(changes) == len(set(changes)), f"{where}: a stream record twice"
    assert set(changes) >= stored, f"{where}: {len(stored - set(changes))} stream records missing"
    assert set(changes) <= ledger.sent_writes, f"{where}: stream record of a write never sent"

    def destination_tags():
        return [r["json"]["dynamodb"]["NewImage"]["tag"]["S"]
                for r in read_destination_records(kinesis, DESTINATION)]

    # Delivery to the destination is asynchronous: wait until it has caught up with the
    # stream records (which commit with the items).
    delivered = poll_until(lambda: (lambda t: t if set(t) >= set(changes) else None)(
        destination_tags()), timeout=60, interval=0.2, what="destination delivery")
    assert len(delivered) == len(set(delivered)), f"{where}: a destination record twice"
    assert set(delivered) == set(changes), f"{where}: destination and stream records differ"
    ledger.checked = (len(ledger.records), len(stored), len(changes))
    return highest


def test_soak(tmp_path_factory):
    seed = int(os.environ.get("SOAK_SEED", time.time_ns()))
    rng = random.Random(seed)
    print(f"soak: seed {seed}, {KILLS} kills")
    started = time.monotonic()
    data_dir = pathlib.Path(tempfile.mkdtemp(prefix="tributary-soak-"))
    server = TributaryServer(data_dir=data_dir, extra_args=[
        "--create-table-ms", "0", "--delete-table-ms", "0", "--kinesis-destination-ms", "0",
        "--register-consumer-ms", "0", "--update-stream-ms", "300"]).start()
    try:
        kinesis, dynamodb = kinesis_client(server), dynamodb_client(server)
        for stream in PRODUCED:
            create_active_stream(kinesis, name=stream, shard_count=2)
        create_active_stream(kinesis, name=DESTINATION, shard_count=2)
        consumer_arn = kinesis.register_stream_consumer(
            StreamARN=stream_arn(SUBSCRIBED), ConsumerName="soak")["Consumer"]["ConsumerARN"]
        arguments = hash_table_arguments(TABLE)
        arguments["StreamSpecification"] = {"StreamEnabled": True,
                                            "StreamViewType": "NEW_AND_OLD_IMAGES"}
        table_stream = dynamodb.create_table(**arguments)["TableDescription"]["LatestStreamArn"]
        wait_for_table(dynamodb, TABLE)
        dynamodb.enable_kinesis_streaming_destination(TableName=TABLE,
                                                      StreamArn=stream_arn(DESTINATION))
        wait_settled(server, consumer_arn)

        ledger = Ledger()
        floors: dict[tuple[str, str], int] = {}
        for round_number in range(KILLS):
            workers = [functools.partial(produce, server, stream, round_number, ledger,
                                         rng=random.Random(rng.getrandbits(64)))
                       for stream in PRODUCED]
            workers.append(functools.partial(reshard, server, ledger,
                                             rng=random.Random(rng.getrandbits(64))))
            workers.append(functools.partial(subscribe, server, consumer_arn))
            workers += [functools.partial(write_items, server, w, round_number, ledger,
                                          rng=random.Random(rng.getrandbits(64)))
                        for w in range(ITEM_WRITERS)]
            workers.append(functools.partial(write_transactions, server, round_number, ledger,
                                             rng=random.Random(rng.getrandbits(64))))
            acknowledged = (len(ledger.records), len(ledger.writes))
            kill_during_writes(
                server, workers,
                writing=lambda: len(ledger.records) > acknowledged[0] + 50
                and len(ledger.writes) > acknowledged[1] + 10,
                kill_after=(0.5, 2.5), rng=rng, context=f"seed {seed}, kill {round_number + 1}",
                writing_timeout=60)
            floors = check(server, ledger, consumer_arn, table_stream, floors, seed, round_number)
            print(f"soak: kill {round_number + 1}: {len(ledger.records)} records, "
                  f"{len(ledger.writes)} item writes acknowledged, {ledger.reshards} reshards")
        elapsed = time.monotonic() - started
        records, writes, changes = ledger.checked
        report = (f"soak: {KILLS} SIGKILLs in {elapsed:.0f} s (seed {seed}); after the last "
                  f"restart {records} acknowledged Kinesis records checked, {writes} item writes "
                  f"stored ({len(ledger.writes)} acknowledged, {ledger.transactions} "
                  f"transactions), each with one stream and one destination record "
                  f"({changes} of each); {ledger.reshards} reshards")
        print(report)
        report_path = pathlib.Path(os.environ.get("SOAK_REPORT", "build/soak-report.txt"))
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(report + "\n")
    finally:
        server.kill()
        if os.environ.get("SOAK_KEEP_DATA"):
            print(f"soak: data kept in {data_dir}")
        else:
            import shutil
            shutil.rmtree(data_dir, ignore_errors=True)
