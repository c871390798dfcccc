"""GET /metrics (Prometheus text format, read with prometheus_client's own parser) and
GET /_tributary/health (issue 14), on the same port as the AWS APIs.

Each test runs a server of its own, so the exact counter values it checks are its workload's
alone."""

from __future__ import annotations

import signal
import sys
import time

import pytest

from dynamodb.dynamodb_support import dynamodb_client, hash_table_arguments, wait_for_table
from kinesis.kinesis_support import create_active_stream, kinesis_client
from support import advance_test_clock, raw_request

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    # Debian's python3-prometheus-client (pure Python) when the interpreter running the suite
    # is another one; without it these tests fail, they do not skip.
    sys.path.append("/usr/lib/python3/dist-packages")
    from prometheus_client.parser import text_string_to_metric_families


def get(server, path: str):
    return raw_request(server, method="GET", path=path, sign=False)


def scrape(server) -> dict[str, list]:
    """name -> samples of the /metrics page, parsed by prometheus_client."""
    response = get(server, "/metrics")
    assert response.status == 200, response.describe()
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    families = {}
    for family in text_string_to_metric_families(response.body.decode()):
        families[family.name] = family
    return families


def sample_value(families, family_name: str, sample_name: str, **labels) -> float:
    for sample in families[family_name].samples:
        if sample.name == sample_name and all(sample.labels.get(k) == v for k, v in labels.items()):
            return sample.value
    raise AssertionError(f"no sample {sample_name}{labels} in {families[family_name].samples}")


def test_health_reports_serving_with_facts(start_server):
    server = start_server(in_memory=True)
    response = get(server, "/_tributary/health")
    assert response.status == 200, response.describe()
    assert response.headers["content-type"] == "application/json"
    body = response.json
    assert body["status"] == "serving"
    assert body["version"].count(".") == 2
    assert body["storage"] == {"engine": "memory"}
    assert body["services"] == {
        "kinesis": "serving",
        "dynamodb": "serving",
        "dynamodbstreams": "serving",
    }
    assert isinstance(body["uptime_seconds"], int) and body["uptime_seconds"] >= 0


def test_health_answers_503_while_stopping(start_server):
    """After SIGTERM the port still answers until the server has stopped; health says so.
    The hidden --test-stop-delay-ms holds that window open long enough to look (starting is
    shown by test_init_file.py: 503 while the --init file is applied)."""
    server = start_server(in_memory=True, extra_args=["--test-stop-delay-ms", "3000"])
    assert get(server, "/_tributary/health").status == 200
    server.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 2.5
    while True:
        response = get(server, "/_tributary/health")
        if response.status != 200:
            break
        assert time.monotonic() < deadline, "health never left 200 after SIGTERM"
        time.sleep(0.02)
    assert response.status == 503, response.describe()
    body = response.json
    assert body["status"] == "stopping"
    assert set(body["services"].values()) == {"stopping"}
    assert server.stop() == 0  # an orderly stop all the same


def test_health_names_rocksdb_and_data_dir(start_server, tmp_path):
    server = start_server(data_dir=tmp_path / "data")
    body = get(server, "/_tributary/health").json
    assert body["storage"] == {"engine": "rocksdb", "data_dir": str(tmp_path / "data")}


def test_aws_requests_are_unaffected_by_the_local_routes(start_server):
    server = start_server(in_memory=True)
    # A POST to /metrics is an AWS request like any other (the path means nothing to AWS).
    response = raw_request(server, method="POST", path="/metrics",
                           headers={"Content-Type": "application/x-amz-json-1.1",
                                    "X-Amz-Target": "Kinesis_20131202.ListStreams"},
                           body="{}")
    assert response.status == 200, response.describe()
    assert response.json["StreamNames"] == []
    # Another GET path keeps AWS's answer to a GET.
    other = get(server, "/_tributary/nothing-here")
    assert other.status == 403, other.describe()
    assert b"AccessDeniedException" in other.body


def test_metrics_count_a_known_workload_exactly(start_server):
    server = start_server(in_memory=True)
    client = kinesis_client(server)
    name = create_active_stream(client, "metered", shard_count=2)
    for i in range(3):
        client.put_record(StreamName=name, PartitionKey=f"key-{i}", Data=b"0123456789")
    client.put_records(StreamName=name, Records=[
        {"PartitionKey": "a", "Data": b"xy"}, {"PartitionKey": "b", "Data": b"z"}])
    for _ in range(2):
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_stream(StreamName="no-such-stream")
    shards = client.list_shards(StreamName=name)["Shards"]
    read_records = read_bytes = 0
    for shard in shards:
        iterator = client.get_shard_iterator(StreamName=name, ShardId=shard["ShardId"],
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        for record in client.get_records(ShardIterator=iterator)["Records"]:
            read_records += 1
            read_bytes += len(record["Data"]) + len(record["PartitionKey"])
    assert read_records == 5

    families = scrape(server)
    requests = "tributary_requests"  # the parser drops the counter's _total suffix
    assert sample_value(families, requests, "tributary_requests_total", service="kinesis",
                        operation="PutRecord", status="200") == 3
    assert sample_value(families, requests, "tributary_requests_total", service="kinesis",
                        operation="PutRecords", status="200") == 1
    assert sample_value(families, requests, "tributary_requests_total", service="kinesis",
                        operation="DescribeStream", status="400") == 2
    assert sample_value(families, requests, "tributary_requests_total", service="kinesis",
                        operation="GetRecords", status="200") == 2
    assert sample_value(families, "tributary_request_errors", "tributary_request_errors_total",
                        operation="DescribeStream", error="ResourceNotFoundException") == 2
    # The histogram: +Inf bucket and count equal the requests, buckets are cumulative.
    duration = "tributary_request_duration_seconds"
    assert sample_value(families, duration, duration + "_count", operation="PutRecord") == 3
    assert sample_value(families, duration, duration + "_bucket", operation="PutRecord",
                        le="+Inf") == 3
    buckets = [s for s in families[duration].samples
               if s.name == duration + "_bucket" and s.labels["operation"] == "PutRecord"]
    assert [s.value for s in buckets] == sorted(s.value for s in buckets)

    shard_in = "tributary_kinesis_shard_incoming_records"
    incoming = sum(s.value for s in families[shard_in].samples if s.labels["stream"] == name)
    assert incoming == 5
    bytes_in = "tributary_kinesis_shard_incoming_bytes"
    assert sum(s.value for s in families[bytes_in].samples if s.labels["stream"] == name) == (
        3 * (10 + 5) + (2 + 1) + (1 + 1))
    out = "tributary_kinesis_shard_outgoing_records"
    assert sum(s.value for s in families[out].samples if s.labels["stream"] == name) == read_records
    out_bytes = "tributary_kinesis_shard_outgoing_bytes"
    assert sum(s.value for s in families[out_bytes].samples
               if s.labels["stream"] == name) == read_bytes
    assert sample_value(families, "tributary_kinesis_stream_open_shards",
                        "tributary_kinesis_stream_open_shards", stream=name) == 2
    assert sample_value(families, "tributary_open_connections",
                        "tributary_open_connections") >= 1
    # Nothing enabled yet: no enhanced shard-level samples.
    assert families["tributary_kinesis_enhanced_shard_metric"].samples == []

    client.enable_enhanced_monitoring(StreamName=name,
                                      ShardLevelMetrics=["IncomingRecords", "OutgoingBytes"])
    families = scrape(server)
    enhanced = families["tributary_kinesis_enhanced_shard_metric"].samples
    assert {s.labels["metric"] for s in enhanced} == {"IncomingRecords", "OutgoingBytes"}
    assert sum(s.value for s in enhanced if s.labels["metric"] == "IncomingRecords") == 5


def test_metrics_count_a_known_dynamodb_workload_exactly(start_server):
    """Requests by service="dynamodb", operation and status, and errors by their type, after
    a workload whose every request is known (the table is ACTIVE at once: no DescribeTable
    polling)."""
    server = start_server(in_memory=True, extra_args=["--create-table-ms", "0"])
    client = dynamodb_client(server)
    client.create_table(**hash_table_arguments("metered"))
    for i in range(3):
        client.put_item(TableName="metered", Item={"pk": {"S": f"k{i}"}, "n": {"N": str(i)}})
    with pytest.raises(client.exceptions.ConditionalCheckFailedException):
        client.put_item(TableName="metered", Item={"pk": {"S": "k0"}},
                        ConditionExpression="attribute_not_exists(pk)")
    for key in ("k1", "absent"):
        client.get_item(TableName="metered", Key={"pk": {"S": key}})
    for _ in range(2):
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.get_item(TableName="no-such-table", Key={"pk": {"S": "k1"}})
    assert len(client.scan(TableName="metered")["Items"]) == 3

    families = scrape(server)
    requests = "tributary_requests"
    dynamodb = [s for s in families[requests].samples if s.labels["service"] == "dynamodb"]
    assert {(s.labels["operation"], s.labels["status"]): s.value for s in dynamodb} == {
        ("CreateTable", "200"): 1,
        ("PutItem", "200"): 3,
        ("PutItem", "400"): 1,
        ("GetItem", "200"): 2,
        ("GetItem", "400"): 2,
        ("Scan", "200"): 1,
    }
    errors = "tributary_request_errors"
    assert sample_value(families, errors, errors + "_total", operation="PutItem",
                        error="ConditionalCheckFailedException") == 1
    assert sample_value(families, errors, errors + "_total", operation="GetItem",
                        error="ResourceNotFoundException") == 2
    duration = "tributary_request_duration_seconds"
    assert sample_value(families, duration, duration + "_count", operation="PutItem") == 4


def test_enhanced_monitoring_exports_the_throughput_exceeded_metrics(start_server):
    """The two ...ProvisionedThroughputExceeded shard-level metrics appear for each shard once
    enabled, at 0 (Tributary never throttles), and go away when disabled."""
    server = start_server(in_memory=True)
    client = kinesis_client(server)
    name = create_active_stream(client, "throttled", shard_count=2)
    client.put_record(StreamName=name, PartitionKey="k", Data=b"x")
    exceeded = {"ReadProvisionedThroughputExceeded", "WriteProvisionedThroughputExceeded"}
    enhanced = "tributary_kinesis_enhanced_shard_metric"
    assert scrape(server)[enhanced].samples == []
    client.enable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=sorted(exceeded))
    samples = scrape(server)[enhanced].samples
    assert sorted((s.labels["shard"], s.labels["metric"], s.value) for s in samples) == [
        (shard, metric, 0.0)
        for shard in ("shardId-000000000000", "shardId-000000000001")
        for metric in sorted(exceeded)]
    assert {s.labels["stream"] for s in samples} == {name}
    client.disable_enhanced_monitoring(StreamName=name,
                                       ShardLevelMetrics=["WriteProvisionedThroughputExceeded"])
    samples = scrape(server)[enhanced].samples
    assert {s.labels["metric"] for s in samples} == {"ReadProvisionedThroughputExceeded"}


def test_iterator_age_is_the_age_of_the_last_record_read(start_server):
    """IteratorAgeMilliseconds as CloudWatch defines it (src/streams/record_log.h): the current
    time minus the arrival of the last record the shard's latest read returned, 0 once a read
    is caught up; only after EnableEnhancedMonitoring names it, only for shards read."""
    server = start_server(in_memory=True, extra_args=["--test-clock"])
    client = kinesis_client(server)
    name = create_active_stream(client, "aged", shard_count=1)
    client.enable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["ALL"])

    def age() -> list[float]:
        return [s.value for s in scrape(server)["tributary_kinesis_enhanced_shard_metric"].samples
                if s.labels["metric"] == "IteratorAgeMilliseconds" and s.labels["stream"] == name]

    for i in range(3):
        client.put_record(StreamName=name, PartitionKey="k", Data=b"%d" % i)
    assert age() == []  # written, never read: no age yet
    shard_id = client.list_shards(StreamName=name)["Shards"][0]["ShardId"]
    iterator = client.get_shard_iterator(StreamName=name, ShardId=shard_id,
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    advance_test_clock(server, 60_000)
    # Behind: one of three records read a minute after it was written.
    page = client.get_records(ShardIterator=iterator, Limit=1)
    assert len(page["Records"]) == 1 and page["MillisBehindLatest"] >= 0
    [behind] = age()
    assert 60_000 <= behind < 90_000, behind
    advance_test_clock(server, 30_000)
    [later] = age()
    assert later == behind  # the age of that read, not a clock
    # Caught up: the rest read, the newest record among them.
    page = client.get_records(ShardIterator=page["NextShardIterator"])
    assert len(page["Records"]) == 2
    assert age() == [0]
    client.disable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["ALL"])
    assert age() == []


def test_rocksdb_compaction_and_stall_figures(start_server, tmp_path):
    server = start_server(data_dir=tmp_path / "data")
    families = scrape(server)
    for name in ("tributary_storage_rocksdb_running_compactions",
                 "tributary_storage_rocksdb_compaction_pending",
                 "tributary_storage_rocksdb_pending_compaction_bytes",
                 "tributary_storage_rocksdb_write_stopped",
                 "tributary_storage_rocksdb_delayed_write_rate_bytes"):
        assert families[name].type == "gauge", name
        assert families[name].samples[0].value >= 0
    # Counters (the parser names the family without _total).
    assert families["tributary_storage_rocksdb_write_stops"].samples[0].value == 0
    assert families["tributary_storage_rocksdb_write_slowdowns"].samples[0].value == 0
    assert sample_value(families, "tributary_storage_bytes", "tributary_storage_bytes",
                        engine="rocksdb", keyspace="meta") > 0
    memory = scrape(start_server(in_memory=True))
    assert not [name for name in memory if name.startswith("tributary_storage_rocksdb")]


def synced_writes(server) -> float:
    # The parser names a counter's family without _total.
    return sample_value(scrape(server), "tributary_storage_synced_writes",
                        "tributary_storage_synced_writes_total")


def test_sync_writes_fsyncs_the_control_plane_too(start_server, tmp_path):
    """--sync-writes: every write is fsynced before it is acknowledged, the control plane's
    (CreateTable, CreateStream, tags) as well as records and items; without the flag only the
    server's own always-synced writes are (docs/reliability.md, "Durability")."""
    durable = start_server(data_dir=tmp_path / "durable", extra_args=["--sync-writes"])
    dynamodb = dynamodb_client(durable)
    before = synced_writes(durable)
    dynamodb.create_table(**hash_table_arguments("synced"))
    after_create = synced_writes(durable)
    assert after_create > before
    create_active_stream(kinesis_client(durable), "synced-stream", shard_count=1)
    after_stream = synced_writes(durable)
    assert after_stream > after_create
    wait_for_table(dynamodb, "synced")
    after_active = synced_writes(durable)
    dynamodb.put_item(TableName="synced", Item={"pk": {"S": "a"}})
    assert synced_writes(durable) > after_active

    default = start_server(data_dir=tmp_path / "default")
    dynamodb = dynamodb_client(default)
    before = synced_writes(default)
    dynamodb.create_table(**hash_table_arguments("plain"))
    create_active_stream(kinesis_client(default), "plain-stream", shard_count=1)
    wait_for_table(dynamodb, "plain")
    dynamodb.put_item(TableName="plain", Item={"pk": {"S": "a"}})
    assert synced_writes(default) == before
