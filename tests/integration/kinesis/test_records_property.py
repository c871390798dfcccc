"""Property: concurrent producers lose, duplicate and misplace nothing.

8 producer threads, each with its own boto3 client, write 150 records each into a 4-shard
stream: random partition keys (some with an ExplicitHashKey), random sizes 0..4 KiB, mixing
PutRecord and PutRecords batches. Then every shard is drained from TRIM_HORIZON and:
  * the records read are exactly the records acknowledged, compared as
    (shard, sequence number, data, partition key), with no duplicates;
  * each shard's order is sequence-number order (as integers), arrival times never decrease;
  * each record sits in the shard its hash key (MD5 of the key, or the explicit one) maps to;
  * one producer's successive acknowledgements on one shard have increasing numbers.
The seed is printed on failure so a run can be repeated.
"""

from __future__ import annotations

import collections
import random
import threading
import time

from .kinesis_support import (
    TWO_TO_128,
    create_active_stream,
    drain_shard,
    kinesis_client,
    partition_key_hash,
    sequence_key,
    shard_for_hash_key,
    shard_hash_ranges,
    shard_iterator,
)

PRODUCERS = 8
RECORDS_PER_PRODUCER = 150
SHARDS = 4
MAX_RECORD_BYTES = 4096


def test_concurrent_producers_read_back_exactly(server):
    seed = time.time_ns()
    setup = kinesis_client(server)
    name = create_active_stream(setup, shard_count=SHARDS)
    ranges = shard_hash_ranges(setup, name)
    assert len(ranges) == SHARDS

    # Per producer: list of (shard, sequence number, data, partition key, hash key) in the
    # order acknowledged.
    acknowledged: list[list[tuple]] = [[] for _ in range(PRODUCERS)]
    errors: list[BaseException] = []

    def produce(index: int) -> None:
        generator = random.Random(seed + index)
        client = kinesis_client(server)
        remaining = RECORDS_PER_PRODUCER
        try:
            while remaining:
                count = min(remaining, generator.choice([1, 1, 2, 5, 17, 40]))
                entries = []
                for _ in range(count):
                    key = f"p{index}-{generator.getrandbits(40):x}"
                    entry = {"PartitionKey": key,
                             "Data": generator.randbytes(generator.randint(0, MAX_RECORD_BYTES))}
                    hash_key = partition_key_hash(key)
                    if generator.random() < 0.2:
                        hash_key = generator.randrange(TWO_TO_128)
                        entry["ExplicitHashKey"] = str(hash_key)
                    entries.append((entry, hash_key))
                if count == 1 and generator.random() < 0.5:
                    entry, hash_key = entries[0]
                    answer = client.put_record(StreamName=name, **entry)
                    results = [answer]
                else:
                    answer = client.put_records(StreamName=name,
                                                Records=[entry for entry, _ in entries])
                    assert answer["FailedRecordCount"] == 0, answer
                    results = answer["Records"]
                assert len(results) == count
                for (entry, hash_key), result in zip(entries, results):
                    acknowledged[index].append((result["ShardId"], result["SequenceNumber"],
                                                entry["Data"], entry["PartitionKey"], hash_key))
                remaining -= count
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=produce, args=(i,)) for i in range(PRODUCERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), f"producers hung (seed {seed})"
    assert not errors, f"producer failed (seed {seed}): {errors[0]!r}"

    everything = [ack for producer in acknowledged for ack in producer]
    assert len(everything) == PRODUCERS * RECORDS_PER_PRODUCER

    for shard, number, _, key, hash_key in everything:
        assert shard == shard_for_hash_key(ranges, hash_key), (seed, key, hash_key, shard)
    for producer in acknowledged:
        by_shard = collections.defaultdict(list)
        for shard, number, *_ in producer:
            by_shard[shard].append(sequence_key(number))
        for shard, numbers in by_shard.items():
            assert numbers == sorted(numbers), (seed, shard)

    reader = kinesis_client(server)
    read: list[tuple] = []
    for shard in ranges:
        records = drain_shard(reader, shard_iterator(reader, name, shard), limit=97)
        numbers = [sequence_key(r["SequenceNumber"]) for r in records]
        assert numbers == sorted(numbers), (seed, shard, "not in sequence-number order")
        assert len(set(numbers)) == len(numbers), (seed, shard, "duplicate sequence numbers")
        arrivals = [r["ApproximateArrivalTimestamp"] for r in records]
        assert arrivals == sorted(arrivals), (seed, shard, "arrival times go back")
        read += [(shard, r["SequenceNumber"], bytes(r["Data"]), r["PartitionKey"])
                 for r in records]

    expected = collections.Counter((s, n, d, k) for s, n, d, k, _ in everything)
    actual = collections.Counter(read)
    assert max(actual.values()) == 1, f"duplicates (seed {seed})"
    missing = expected - actual
    unexpected = actual - expected
    assert not missing and not unexpected, (
        f"seed {seed}: {len(missing)} acknowledged records not read, "
        f"{len(unexpected)} read records not acknowledged; e.g. "
        f"{list(missing)[:2]!r} / {list(unexpected)[:2]!r}")
