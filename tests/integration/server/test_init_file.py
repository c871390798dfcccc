"""--init FILE / TRIBUTARY_INIT: streams and tables (with TTL and a Kinesis streaming
destination) created at start-up when missing, before the health endpoint reports "serving"; a
bad file stops the server naming the file, line and problem (issue 14)."""

from __future__ import annotations

import json
import time

import pytest

from dynamodb.kinesis_destination_support import wait_for_records
from kinesis.kinesis_support import kinesis_client
from support import TributaryServer, aws_client, free_port, raw_request


def health(server):
    return raw_request(server, method="GET", path="/_tributary/health", sign=False)


def wait_serving(server, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = health(server)
        if response.status == 200:
            return response.json
        assert response.status == 503, response.describe()
        assert response.json["status"] == "starting"
        time.sleep(0.02)
    pytest.fail("the server never reported serving")


def wait_exit(server, timeout: float = 20.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = server.reap_if_dead()
        if code is not None:
            return code
        time.sleep(0.05)
    pytest.fail("the server did not stop after a bad init file")


YAML_FILE = """\
# streams and a table, in YAML
streams:
  - name: orders
    shard_count: 2
    retention_hours: 48
    consumers: [audit, billing]
    tags: {team: payments, tier: "1"}
  - name: clicks
    mode: ON_DEMAND
tables:
  - TableName: users
    KeySchema: [{AttributeName: id, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
    BillingMode: PAY_PER_REQUEST
"""


def test_yaml_file_creates_streams_consumers_tags_and_tables_idempotently(start_server, tmp_path):
    init = tmp_path / "init.yaml"
    init.write_text(YAML_FILE)
    data = tmp_path / "data"
    # Slow creation so "starting" is visible while the file is applied.
    server = start_server(data_dir=data, create_stream_ms=600, extra_args=["--init", str(init)])
    first = health(server)
    assert first.status == 503, first.describe()
    assert first.json["status"] == "starting"
    assert wait_serving(server)["status"] == "serving"

    kinesis = kinesis_client(server)
    summary = kinesis.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
    assert summary["StreamStatus"] == "ACTIVE"
    assert summary["OpenShardCount"] == 2
    assert summary["RetentionPeriodHours"] == 48
    consumers = kinesis.list_stream_consumers(StreamARN=summary["StreamARN"])["Consumers"]
    assert sorted(c["ConsumerName"] for c in consumers) == ["audit", "billing"]
    tags = kinesis.list_tags_for_stream(StreamName="orders")["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("team", "payments"), ("tier", "1")]
    clicks = kinesis.describe_stream_summary(StreamName="clicks")["StreamDescriptionSummary"]
    assert clicks["StreamModeDetails"]["StreamMode"] == "ON_DEMAND"
    dynamodb = aws_client(server, "dynamodb")
    table = dynamodb.describe_table(TableName="users")["Table"]
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    kinesis.put_record(StreamName="orders", PartitionKey="p", Data=b"kept")

    # Again on the same data: nothing is re-created, nothing fails.
    server.stop()
    server.restart()
    assert wait_serving(server)["status"] == "serving"
    summary = kinesis_client(server).describe_stream_summary(
        StreamName="orders")["StreamDescriptionSummary"]
    assert summary["StreamCreationTimestamp"] is not None
    shards = kinesis_client(server).list_shards(StreamName="orders")["Shards"]
    assert len(shards) == 2


def test_json_file_through_the_environment(start_server, tmp_path):
    init = tmp_path / "init.json"
    init.write_text(json.dumps({"streams": [{"name": "orders", "shard_count": 3}]}))
    server = start_server(in_memory=True, extra_env={"TRIBUTARY_INIT": str(init)})
    wait_serving(server)
    summary = kinesis_client(server).describe_stream_summary(
        StreamName="orders")["StreamDescriptionSummary"]
    assert summary["OpenShardCount"] == 3


def start_on_stopped(server):
    """Starts a stopped server expected to exit on its init file: (exit code, output)."""
    error = server._try_start(free_port())
    if error:  # exited before listening (the file is read before the port opens)
        return server.exit_code, error
    return wait_exit(server), server.output_tail()


def start_expecting_exit(tmp_path, text: str, name: str = "init.json"):
    """Starts a server on a bad file: (the file, the exit code, the server's output)."""
    init = tmp_path / name
    init.write_text(text)
    server = TributaryServer(data_dir=None, in_memory=True, extra_args=["--init", str(init)])
    return (init, *start_on_stopped(server))


@pytest.mark.parametrize(
    "text, line, problem",
    [
        ('{"streams": [\n  {"name": "a", "shard_count": 1},\n  {"name": "b" "shard_count": 1}\n]}',
         3, ""),
        ('{"streams": [\n  {"name": "a",\n   "shards": 2}\n]}', 3,
         'unknown stream member "shards"'),
        ('{"streams": [\n  {"shard_count": 1}\n]}', 2, 'a stream needs a "name"'),
        ('{"streams": [\n  {"name": "a"}\n]}', 2, 'needs shard_count (or mode: ON_DEMAND)'),
        ('{"streams": [{"name": "a", "shard_count": "two"}]}', 1, "shard_count must be an integer"),
        ('{"queues": []}', 1, 'unknown top-level member "queues"'),
        ('{"tables": [\n  {"TableName": "t",\n   "KinesisStreamingDestination": ["orders"]}\n]}', 3,
         "KinesisStreamingDestination (a stream name) must be a string"),
        ('{"tables": [{"TableName": "t", "KinesisStreamingDestination": ""}]}', 1,
         "KinesisStreamingDestination (a stream name) must not be empty"),
    ],
)
def test_bad_files_stop_start_up_naming_file_and_line(tmp_path, text, line, problem):
    init, code, output = start_expecting_exit(tmp_path, text)
    assert code == 1, output
    assert f"{init}:{line}: " in output, output
    assert problem in output, output


@pytest.mark.parametrize("count", ["1e400", "1" * 300_000], ids=["1e400", "300000-digits"])
def test_numbers_beyond_a_double_or_very_long_stop_start_up_by_name(tmp_path, count):
    # 1e400 ended the process with std::stod's out_of_range; 300,000 digits overflowed the stack
    # of std::regex, which read the scalars before.
    text = f"streams:\n  - name: a\n    shard_count: {count}\n"
    init, code, output = start_expecting_exit(tmp_path, text, "init.yaml")
    assert code == 1, output
    assert f"{init}:3: " in output and "shard_count must be an integer" in output, output[-2000:]


def test_aws_validation_errors_name_the_entry(tmp_path):
    text = ('{"streams": [\n  {"name": "fine", "shard_count": 1},\n'
            '  {"name": "bad name!", "shard_count": 1}\n]}')
    init, code, output = start_expecting_exit(tmp_path, text)
    assert code == 1, output
    assert f"{init}:3: CreateStream bad name!: ValidationException: 1 validation error detected: " \
           "Value 'bad name!' at 'streamName' failed to satisfy constraint" in output, output


def test_table_errors_carry_dynamodb_validation(tmp_path):
    text = "tables:\n  - TableName: t\n    KeySchema: []\n"
    init, code, output = start_expecting_exit(tmp_path, text, "init.yaml")
    assert code == 1, output
    assert f"{init}:2: CreateTable t: ValidationException" in output, output


def start_serving_with(start_server, tmp_path, text: str, *extra_args: str):
    """A server on a data directory with `text` as its init.yaml, once serving: (file, server)."""
    init = tmp_path / "init.yaml"
    init.write_text(text)
    server = start_server(data_dir=tmp_path / "data",
                          extra_args=["--init", str(init), *extra_args])
    wait_serving(server)
    return init, server


TTL_FILE = """\
tables:
  - TableName: sessions
    KeySchema: [{{AttributeName: id, KeyType: HASH}}]
    AttributeDefinitions: [{{AttributeName: id, AttributeType: S}}]
    BillingMode: PAY_PER_REQUEST
    TimeToLiveAttribute: {attribute}
"""


def test_table_with_time_to_live_attribute(start_server, tmp_path):
    init, server = start_serving_with(start_server, tmp_path, TTL_FILE.format(
        attribute="expires_at"), "--ttl-sweep-interval-ms", "100")
    dynamodb = aws_client(server, "dynamodb")
    assert dynamodb.describe_time_to_live(TableName="sessions")["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    # TTL is on: an item that expired ten seconds ago is deleted by the TTL job.
    expired = str(int(time.time()) - 10)
    dynamodb.put_item(TableName="sessions",
                      Item={"id": {"S": "old"}, "expires_at": {"N": expired}})
    dynamodb.put_item(TableName="sessions",
                      Item={"id": {"S": "new"}, "expires_at": {"N": str(int(time.time()) + 3600)}})
    deadline = time.monotonic() + 15
    while dynamodb.get_item(TableName="sessions", Key={"id": {"S": "old"}}).get("Item"):
        assert time.monotonic() < deadline, "the expired item was never deleted"
        time.sleep(0.1)
    assert dynamodb.get_item(TableName="sessions", Key={"id": {"S": "new"}})["Item"]

    # The same file again (inside AWS's one-change-an-hour window): nothing to change, starts.
    server.stop()
    server.restart()
    wait_serving(server)
    assert aws_client(server, "dynamodb").describe_time_to_live(
        TableName="sessions")["TimeToLiveDescription"]["AttributeName"] == "expires_at"

    # Another attribute while TTL is on: UpdateTimeToLive's refusal stops start-up, naming the
    # entry's line.
    server.stop()
    init.write_text(TTL_FILE.format(attribute="valid_until"))
    code, output = start_on_stopped(server)
    assert code == 1, output
    assert f"{init}:2: UpdateTimeToLive sessions: ValidationException: TimeToLive is active on " \
           "a different AttributeName" in output, output


DESTINATION_FILE = """\
# tables first: streams are created before tables all the same
tables:
  - TableName: orders-table
    KeySchema: [{{AttributeName: id, KeyType: HASH}}]
    AttributeDefinitions: [{{AttributeName: id, AttributeType: S}}]
    BillingMode: PAY_PER_REQUEST
    KinesisStreamingDestination: {stream}
streams:
  - name: order-changes
    shard_count: 2
  - name: other-changes
    shard_count: 1
"""


def destinations(server, table: str) -> list[dict]:
    return aws_client(server, "dynamodb").describe_kinesis_streaming_destination(
        TableName=table)["KinesisDataStreamDestinations"]


def enable_requests(server) -> float:
    """EnableKinesisStreamingDestination requests counted by /metrics since the start."""
    body = raw_request(server, method="GET", path="/metrics", sign=False).body.decode()
    return sum(float(line.rpartition(" ")[2]) for line in body.splitlines()
               if line.startswith("tributary_requests_total{")
               and 'operation="EnableKinesisStreamingDestination"' in line)


def test_table_with_kinesis_streaming_destination(start_server, tmp_path):
    # A slow ENABLING: "serving" must wait for ACTIVE, when changes start to be delivered.
    init, server = start_serving_with(start_server, tmp_path, DESTINATION_FILE.format(
        stream="order-changes"), "--kinesis-destination-ms", "800")
    arn = kinesis_client(server).describe_stream_summary(
        StreamName="order-changes")["StreamDescriptionSummary"]["StreamARN"]
    assert destinations(server, "orders-table") == [
        {"StreamArn": arn, "DestinationStatus": "ACTIVE"}]
    assert enable_requests(server) == 1
    # The first write after "serving" is delivered.
    dynamodb = aws_client(server, "dynamodb")
    dynamodb.put_item(TableName="orders-table", Item={"id": {"S": "o-1"}, "total": {"N": "5"}})
    [record] = wait_for_records(kinesis_client(server), "order-changes", 1)
    assert record["json"]["tableName"] == "orders-table"
    assert record["json"]["eventName"] == "INSERT"
    assert record["json"]["dynamodb"]["Keys"] == {"id": {"S": "o-1"}}

    # Again on the same data: the destination is ACTIVE already, nothing is enabled again.
    server.stop()
    server.restart()
    wait_serving(server)
    assert destinations(server, "orders-table") == [
        {"StreamArn": arn, "DestinationStatus": "ACTIVE"}]
    assert enable_requests(server) == 0
    aws_client(server, "dynamodb").put_item(TableName="orders-table",
                                            Item={"id": {"S": "o-2"}, "total": {"N": "6"}})
    records = wait_for_records(kinesis_client(server), "order-changes", 2)
    assert [r["json"]["dynamodb"]["Keys"]["id"]["S"] for r in records] in (
        ["o-1", "o-2"], ["o-2", "o-1"])  # two shards: read back shard by shard

    # Another stream while this one is ACTIVE (one live destination a table): Enable's refusal
    # stops start-up, naming the line of KinesisStreamingDestination.
    server.stop()
    init.write_text(DESTINATION_FILE.format(stream="other-changes"))
    code, output = start_on_stopped(server)
    assert code == 1, output
    assert f"{init}:7: EnableKinesisStreamingDestination orders-table to other-changes: " \
           "ValidationException: Table is not in a valid state to enable Kinesis Streaming " \
           "Destination" in output, output


def test_destination_to_an_unknown_stream_stops_start_up(tmp_path):
    text = ("tables:\n  - TableName: users\n    KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
            "    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
            "    BillingMode: PAY_PER_REQUEST\n    KinesisStreamingDestination: nowhere\n")
    init, code, output = start_expecting_exit(tmp_path, text, "init.yaml")
    assert code == 1, output
    assert f"{init}:6: KinesisStreamingDestination nowhere of table users: " \
           "ResourceNotFoundException: Stream nowhere under account" in output, output
