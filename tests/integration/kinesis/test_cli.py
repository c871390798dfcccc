"""The AWS CLI, unmodified, against Tributary (`aws --endpoint-url ... kinesis ...`)."""

from __future__ import annotations

import base64
import subprocess

import pytest

from cli_support import CLI_TIMEOUT_SECONDS, Cli, aws_cli  # noqa: F401 (fixture)
from support import (
    fresh_account,
    unique_name,
)
from .kinesis_support import (
    create_active_stream,
    kinesis_client,
    stream_arn,
)


@pytest.fixture
def cli(aws_cli, server) -> Cli:
    return Cli(aws_cli, server, fresh_account())


def test_cli_stream_lifecycle(cli):
    name = unique_name("cli")
    assert cli.json("create-stream", "--stream-name", name, "--shard-count", "3") is None

    # The CLI's own waiter polls DescribeStream until ACTIVE.
    completed = cli.run("wait", "stream-exists", "--stream-name", name)
    assert completed.returncode == 0, completed.stderr

    summary = cli.json("describe-stream-summary", "--stream-name", name)[
        "StreamDescriptionSummary"
    ]
    assert summary["StreamName"] == name
    assert summary["StreamARN"] == stream_arn(name, cli.account)
    assert summary["StreamStatus"] == "ACTIVE"
    assert summary["OpenShardCount"] == 3
    assert summary["RetentionPeriodHours"] == 24

    listed = cli.json("list-streams")
    assert listed["StreamNames"] == [name]
    assert [s["StreamName"] for s in listed["StreamSummaries"]] == [name]

    shards = cli.json("list-shards", "--stream-name", name)["Shards"]
    assert [s["ShardId"] for s in shards] == [f"shardId-{i:012d}" for i in range(3)]
    assert shards[-1]["HashKeyRange"]["EndingHashKey"] == str(2**128 - 1)

    assert cli.json("delete-stream", "--stream-name", name) is None
    completed = cli.run("wait", "stream-not-exists", "--stream-name", name)
    assert completed.returncode == 0, completed.stderr
    assert cli.json("list-streams")["StreamNames"] == []


def test_cli_pagination_follows_next_tokens(cli):
    # The CLI pages through ListStreams itself (NextToken and Limit) with --page-size.
    # The streams are made with boto3 (same account) to keep the test quick.
    client = kinesis_client(cli.server, access_key=cli.account)
    names = sorted(unique_name("page") for _ in range(5))
    for name in names:
        client.create_stream(StreamName=name, ShardCount=1)
    listed = cli.json("list-streams", "--page-size", "2")
    assert listed["StreamNames"] == names
    assert [s["StreamName"] for s in listed["StreamSummaries"]] == names
    assert "NextToken" not in listed


def test_cli_list_shards_paging_fails_like_aws(cli):
    # The CLI's ListShards paginator repeats --stream-name next to the NextToken, which
    # real AWS rejects (boto/botocore#2009, harlow/kinesis-consumer#109). Users see this
    # error against AWS, so they should see it here too.
    name = unique_name("cli")
    cli.json("create-stream", "--stream-name", name, "--shard-count", "3")
    completed = cli.run("list-shards", "--stream-name", name, "--page-size", "2")
    assert_cli_error(
        completed,
        "InvalidArgumentException",
        "ListShards",
        "NextToken and StreamName cannot be provided together.",
    )


def test_cli_on_demand_stream(cli):
    name = unique_name("cli")
    cli.json(
        "create-stream", "--stream-name", name, "--stream-mode-details", "StreamMode=ON_DEMAND"
    )
    summary = cli.json("describe-stream-summary", "--stream-name", name)[
        "StreamDescriptionSummary"
    ]
    assert summary["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"}
    assert summary["OpenShardCount"] == 4


def test_cli_stream_arn(cli):
    name = unique_name("cli")
    cli.json("create-stream", "--stream-name", name, "--shard-count", "1")
    arn = stream_arn(name, cli.account)
    summary = cli.json("describe-stream-summary", "--stream-arn", arn)
    assert summary["StreamDescriptionSummary"]["StreamName"] == name
    assert cli.json("delete-stream", "--stream-arn", arn) is None


def assert_cli_error(completed, error_code: str, operation: str, message: str) -> None:
    # The CLI prints "An error occurred (Code) when calling the Op operation: message";
    # with retries configured it inserts " (reached max retries: N)" before the colon.
    assert completed.returncode != 0, completed.stdout
    assert f"An error occurred ({error_code}) when calling the {operation} operation" in (
        completed.stderr
    ), completed.stderr
    assert completed.stderr.rstrip().endswith(f": {message}"), completed.stderr


def test_cli_reports_errors(cli):
    name = unique_name("cli")
    completed = cli.run("describe-stream-summary", "--stream-name", name)
    assert_cli_error(
        completed,
        "ResourceNotFoundException",
        "DescribeStreamSummary",
        f"Stream {name} under account {cli.account} not found.",
    )

    cli.json("create-stream", "--stream-name", name, "--shard-count", "1")
    completed = cli.run("create-stream", "--stream-name", name, "--shard-count", "1")
    assert_cli_error(
        completed,
        "ResourceInUseException",
        "CreateStream",
        f"Stream {name} under account {cli.account} already exists.",
    )


# --------------------------------------------------------------------------------------
# Records (issue 3)
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_major_version(aws_cli) -> int:
    completed = subprocess.run([aws_cli, "--version"], capture_output=True, text=True,
                               timeout=CLI_TIMEOUT_SECONDS)
    text = (completed.stdout + completed.stderr).strip()
    assert text.startswith("aws-cli/"), text
    return int(text.split("/", 1)[1].split(".", 1)[0])


def text_data_arguments(major_version: int, text: str) -> list[str]:
    """--data for a text payload. CLI v1 sends the text's bytes (it base64-encodes them for
    the wire itself); v2 expects base64 unless told --cli-binary-format raw-in-base64-out."""
    arguments = ["--data", text]
    if major_version >= 2:
        arguments += ["--cli-binary-format", "raw-in-base64-out"]
    return arguments


def test_cli_put_and_get_records_round_trip(cli, cli_major_version, tmp_path):
    # The stream is made with boto3 (same account) to keep the test quick; every CLI run
    # costs about a second.
    name = create_active_stream(kinesis_client(cli.server, access_key=cli.account))

    text = "hello from the CLI \u00e9\u4e2d"
    first = cli.json("put-record", "--stream-name", name, "--partition-key", "text",
                     *text_data_arguments(cli_major_version, text))
    assert first["ShardId"] == "shardId-000000000000"
    # fileb:// sends a file's raw bytes in both CLI versions.
    binary = bytes(range(256)) * 3
    binary_file = tmp_path / "record.bin"
    binary_file.write_bytes(binary)
    second = cli.json("put-record", "--stream-name", name, "--partition-key", "binary",
                      "--data", f"fileb://{binary_file}")

    iterator = cli.json("get-shard-iterator", "--stream-name", name, "--shard-id",
                        "shardId-000000000000", "--shard-iterator-type", "TRIM_HORIZON")
    assert list(iterator) == ["ShardIterator"]
    answer = cli.json("get-records", "--shard-iterator", iterator["ShardIterator"])
    records = answer["Records"]
    assert [r["SequenceNumber"] for r in records] == [first["SequenceNumber"],
                                                      second["SequenceNumber"]]
    assert [r["PartitionKey"] for r in records] == ["text", "binary"]
    # The CLI prints blobs base64-encoded.
    assert base64.b64decode(records[0]["Data"]) == text.encode("utf-8")
    assert base64.b64decode(records[1]["Data"]) == binary
    assert answer["MillisBehindLatest"] == 0
    assert answer["NextShardIterator"] != iterator["ShardIterator"]


def test_cli_reports_record_errors(cli):
    name = create_active_stream(kinesis_client(cli.server, access_key=cli.account))
    completed = cli.run("get-shard-iterator", "--stream-name", name, "--shard-id",
                        "shardId-000000000000", "--shard-iterator-type", "LATEST",
                        "--starting-sequence-number", "1")
    assert_cli_error(
        completed, "InvalidArgumentException", "GetShardIterator",
        "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
        "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. "
        "Request specified LATEST and also a StartingSequenceNumber.")
    completed = cli.run("get-records", "--shard-iterator", "not-an-iterator")
    assert_cli_error(completed, "InvalidArgumentException", "GetRecords",
                     "Invalid ShardIterator.")
