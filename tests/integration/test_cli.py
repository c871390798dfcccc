"""The AWS CLI, unmodified, against Tributary (`aws --endpoint-url ... kinesis ...`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from support import DUMMY_SECRET, fresh_account, kinesis_client, stream_arn, unique_name

CLI_TIMEOUT_SECONDS = 60


@pytest.fixture(scope="module")
def aws_cli() -> str:
    path = shutil.which("aws")
    if path is None:
        pytest.fail(
            "the AWS CLI ('aws') is not on PATH; install it (e.g. pip install awscli or the "
            "Debian package awscli) to run the CLI integration tests"
        )
    return path


class Cli:
    def __init__(self, executable: str, server, account: str, region: str = "us-east-1"):
        self.executable = executable
        self.server = server
        self.account = account
        self.region = region

    def environment(self) -> dict[str, str]:
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("AWS_") and not key.startswith("TRIBUTARY_")
        }
        environment.update(
            AWS_ACCESS_KEY_ID=self.account,
            AWS_SECRET_ACCESS_KEY=DUMMY_SECRET,
            AWS_DEFAULT_REGION=self.region,
            # Keep the user's configuration and retries out of the picture.
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_RETRY_MODE="standard",
            AWS_MAX_ATTEMPTS="1",
            AWS_PAGER="",
        )
        return environment

    def run(self, *arguments: str) -> subprocess.CompletedProcess:
        command = [
            self.executable,
            "--endpoint-url",
            self.server.url,
            "--output",
            "json",
            "kinesis",
            *arguments,
        ]
        return subprocess.run(
            command,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT_SECONDS,
        )

    def json(self, *arguments: str):
        completed = self.run(*arguments)
        assert completed.returncode == 0, (arguments, completed.stdout, completed.stderr)
        return json.loads(completed.stdout) if completed.stdout.strip() else None


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
