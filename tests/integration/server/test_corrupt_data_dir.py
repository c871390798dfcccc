"""A damaged data directory (issue 15): start-up fails with a message naming the damaged file,
never a silent start on part of the data; damage that start-up cannot see (a table file's data
block, checksummed when it is read) makes the reads that meet it fail with a 500, never a crash
or wrong data.

Each test builds a directory with data in a table file (a restart replays the write-ahead log
into one), stops the server cleanly, damages one file and starts the server again
(docs/reliability.md, "Damaged data directory")."""

from __future__ import annotations

import os
import pathlib
import subprocess

import botocore.exceptions

import pytest

from dynamodb.dynamodb_support import dynamodb_client, hash_table_arguments, wait_for_table
from dynamodb_streams.streams_support import all_shards, streams_client
from kinesis.kinesis_support import create_active_stream, drain_shard, kinesis_client, shard_iterator
from support import TributaryServer, free_port, poll_until

RECORDS = 50


@pytest.fixture
def data_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    """A stopped server's directory: one stream with RECORDS records, in a table file."""
    directory = tmp_path / "data"
    server = TributaryServer(data_dir=directory).start()
    client = kinesis_client(server)
    create_active_stream(client, name="kept", shard_count=1)
    client.put_records(StreamName="kept", Records=[
        {"Data": f"record-{i}".encode() * 20, "PartitionKey": "p"} for i in range(RECORDS)])
    server.stop()
    server.restart()  # replays the log into a level-0 table file
    server.stop()
    assert list(directory.glob("*.sst")), sorted(p.name for p in directory.iterdir())
    return directory


def start_fails(directory: pathlib.Path) -> str:
    """Starts the server on `directory`, expects it to exit non-zero; returns its output."""
    command = TributaryServer(data_dir=directory).command(free_port())
    result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"started on a damaged directory:\n{output}"
    assert "listening" not in output.lower(), output
    return output


def only(directory: pathlib.Path, pattern: str) -> pathlib.Path:
    found = sorted(directory.glob(pattern))
    assert found, (pattern, sorted(p.name for p in directory.iterdir()))
    return found[-1]


def test_empty_current_file(data_dir):
    (data_dir / "CURRENT").write_bytes(b"")
    output = start_fails(data_dir)
    assert "CURRENT" in output, output


def test_current_naming_a_missing_manifest(data_dir):
    (data_dir / "CURRENT").write_bytes(b"MANIFEST-999999\n")
    output = start_fails(data_dir)
    assert "MANIFEST-999999" in output, output


def test_truncated_table_file(data_dir):
    table = only(data_dir, "*.sst")
    table.write_bytes(table.read_bytes()[:100])
    output = start_fails(data_dir)
    assert table.name in output, output


def test_garbage_options_file_is_not_data(data_dir):
    """RocksDB's OPTIONS files record the options a database was last opened with; the server
    sets its options itself and does not read them, so garbage there costs nothing: it starts
    with every record (and writes a new OPTIONS file)."""
    only(data_dir, "OPTIONS-*").write_bytes(b"\x00garbage\xff" * 100)
    server = TributaryServer(data_dir=data_dir).start()
    try:
        client = kinesis_client(server)
        records = drain_shard(client, shard_iterator(client, "kept", "shardId-000000000000"))
        assert len(records) == RECORDS
    finally:
        server.stop()


def test_manifest_cut_in_half(data_dir):
    """RocksDB alone takes a cut MANIFEST for an unfinished last write: it started on the part
    before the cut (here: no stream at all) and deleted the table files the rest named. The
    server refuses, names the MANIFEST and the sequence mark, and deletes nothing."""
    manifest = data_dir / (data_dir / "CURRENT").read_text().strip()
    manifest.write_bytes(manifest.read_bytes()[: manifest.stat().st_size // 2])
    tables = sorted(p.name for p in data_dir.glob("*.sst"))
    output = start_fails(data_dir)
    assert str(manifest) in output, output
    assert "TRIBUTARY-SEQUENCE" in output, output
    assert sorted(p.name for p in data_dir.glob("*.sst")) == tables


def damage_records_block(directory: pathlib.Path) -> pathlib.Path:
    """Overwrites bytes in the middle of the stored records (the records keyspace is stored
    uncompressed, so the payload is found as it was sent)."""
    for table in sorted(directory.glob("*.sst")):
        content = bytearray(table.read_bytes())
        at = content.find(b"record-25record-25")
        if at >= 0:
            content[at:at + 16] = b"\xff" * 16
            table.write_bytes(bytes(content))
            return table
    raise AssertionError("no table file holds the records")


def expect_internal_failure(call) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call()
    error = raised.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 500, error
    assert error["Error"]["Code"] == "InternalFailure", error


def test_damaged_data_block_fails_its_reads_with_500(data_dir):
    """The block's checksum is verified when it is read (RocksDB's default), not at start-up:
    the server starts; a GetRecords that meets the block answers Kinesis's 500 InternalFailure
    (never the records with the damaged bytes, never a crash). So does a PutRecord to that
    shard: its stored end cannot be read, and appending from position 0 (what an unread end
    looked like before) would overwrite the stored records and reuse their sequence numbers.
    The server stays up, and what does not read the block keeps working."""
    table = damage_records_block(data_dir)
    server = TributaryServer(data_dir=data_dir).start()
    try:
        client = kinesis_client(server)
        iterator = shard_iterator(client, "kept", "shardId-000000000000")
        expect_internal_failure(lambda: client.get_records(ShardIterator=iterator, Limit=RECORDS))
        expect_internal_failure(
            lambda: client.put_record(StreamName="kept", Data=b"after", PartitionKey="p"))
        assert client.describe_stream_summary(StreamName="kept")["StreamDescriptionSummary"][
            "StreamStatus"] == "ACTIVE"
        # The catalog (another keyspace, other table files) reads and writes as usual. (Records
        # of a stream created now would not: its keys sort right after the damaged block's, and
        # a seek there reads that block.)
        create_active_stream(client, name="fresh", shard_count=1)
        assert "fresh" in client.list_streams()["StreamNames"]
        assert server.process.poll() is None, server.output_tail()
        # The operator learns which file is damaged from the server's log.
        poll_until(lambda: any(table.name in line and "storage: a read failed" in line
                               for line in server.output_lines), what="the damaged file logged")
    finally:
        server.stop()


ITEMS = 40


def test_damaged_blocks_fail_dynamodb_and_streams_reads_with_500(tmp_path):
    """The same for DynamoDB and DynamoDB Streams: every table-file block holding an item or a
    stream record is damaged. GetItem of a damaged item answers DynamoDB's 500
    InternalServerError; so does GetShardIterator LATEST on every shard (the shard's last record
    cannot be read, and before this an unread end passed for an empty shard: LATEST pointed at
    its first position). The server stays up."""
    directory = tmp_path / "data"
    server = TributaryServer(data_dir=directory).start()
    ddb = dynamodb_client(server)
    arguments = hash_table_arguments("kept")
    arguments["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    arn = ddb.create_table(**arguments)["TableDescription"]["LatestStreamArn"]
    wait_for_table(ddb, "kept")
    # Random hex tokens: stored verbatim even in the LZ4-compressed items keyspace.
    tokens = [os.urandom(16).hex() for _ in range(ITEMS)]
    for i, token in enumerate(tokens):
        ddb.put_item(TableName="kept", Item={"pk": {"S": f"item-{i}"}, "v": {"S": token}})
    server.stop()
    server.restart()  # replays the log into level-0 table files
    server.stop()
    damaged = 0
    for table in sorted(directory.glob("*.sst")):
        content = bytearray(table.read_bytes())
        for token in tokens:
            at = content.find(token.encode())
            while at >= 0:
                content[at:at + 16] = b"\xff" * 16
                damaged += 1
                at = content.find(token.encode(), at + 1)
        table.write_bytes(bytes(content))
    # Every stream record (stored uncompressed) and most items (LZ4 keeps most tokens whole).
    assert damaged > ITEMS, damaged

    server = TributaryServer(data_dir=directory).start()
    try:
        ddb = dynamodb_client(server)
        streams = streams_client(server)
        failures = 0
        for i in range(ITEMS):
            try:
                ddb.get_item(TableName="kept", Key={"pk": {"S": f"item-{i}"}})
            except botocore.exceptions.ClientError as raised:
                error = raised.response
                assert error["ResponseMetadata"]["HTTPStatusCode"] == 500, error
                assert error["Error"]["Code"] == "InternalServerError", error
                failures += 1
        assert failures > 0, "no GetItem met a damaged block"
        shards = all_shards(streams, arn)
        assert shards
        for shard in shards:
            with pytest.raises(botocore.exceptions.ClientError) as raised:
                streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                           ShardIteratorType="LATEST")
            error = raised.value.response
            assert error["ResponseMetadata"]["HTTPStatusCode"] == 500, error
            assert error["Error"]["Code"] == "InternalServerError", error
        assert ddb.describe_table(TableName="kept")["Table"]["TableStatus"] == "ACTIVE"
        assert server.process.poll() is None, server.output_tail()
    finally:
        server.stop()


def test_damaged_record_in_the_middle_of_the_log_after_a_crash(tmp_path):
    """A write-ahead log damaged in its middle, after a kill -9 left intact writes beyond the
    damage: RocksDB's point-in-time replay alone would start on the writes before it and drop
    the rest silently. The server refuses to start, naming the log file, and changes nothing;
    with --recover-damaged-wal it starts on what precedes the damage. A log cut or damaged at
    its very end (what a power loss can leave) still starts, on what precedes it."""
    directory = tmp_path / "data"
    server = TributaryServer(data_dir=directory, extra_args=["--create-table-ms", "0"]).start()
    ddb = dynamodb_client(server)
    ddb.create_table(**hash_table_arguments("kept"))
    wait_for_table(ddb, "kept")
    count = 200  # about 1 KB each, one log record each: many of the log's 32 KiB blocks
    for i in range(count):
        ddb.put_item(TableName="kept",
                     Item={"pk": {"S": f"item-{i:04d}"}, "v": {"S": f"marker-{i:04d}-" * 80}})
    server.kill()
    logs = sorted(directory.glob("*.log"))
    assert len(logs) == 1, logs
    log = logs[0]
    content = bytearray(log.read_bytes())
    at = content.find(b"marker-0050-")
    assert at >= 0
    content[at + 200] ^= 0x5A
    log.write_bytes(bytes(content))

    output = start_fails(directory)
    assert str(log) in output, output
    assert "--recover-damaged-wal" in output, output
    assert log.read_bytes() == bytes(content), "the refused start changed the log"

    server = TributaryServer(data_dir=directory, extra_args=["--recover-damaged-wal"]).start()
    try:
        ddb = dynamodb_client(server)
        assert "Item" in ddb.get_item(TableName="kept", Key={"pk": {"S": "item-0049"}})
        assert "Item" not in ddb.get_item(TableName="kept", Key={"pk": {"S": "item-0050"}})
        assert ddb.scan(TableName="kept", Select="COUNT")["Count"] == 50
        assert any("--recover-damaged-wal" in line and str(log) in line
                   for line in server.output_lines), server.output_tail()
        # Writes after the recovery, then a crash whose log is cut inside its last record.
        for i in range(count, count + 20):
            ddb.put_item(TableName="kept",
                         Item={"pk": {"S": f"item-{i:04d}"}, "v": {"S": f"marker-{i:04d}-" * 80}})
        server.kill()
    finally:
        server.stop()
    log = sorted(directory.glob("*.log"))[-1]
    content = log.read_bytes()
    last = content.find(b"marker-0219-")  # the first of its 80 in the record
    assert last >= 0
    log.write_bytes(content[:last + 100])
    server = TributaryServer(data_dir=directory).start()
    try:
        ddb = dynamodb_client(server)
        assert "Item" in ddb.get_item(TableName="kept", Key={"pk": {"S": "item-0218"}})
        assert "Item" not in ddb.get_item(TableName="kept", Key={"pk": {"S": "item-0219"}})
    finally:
        server.stop()
