"""The AWS CLI, unmodified, as the integration tests run it: `aws --endpoint-url <server>
--output json <service> ...` with the test's account as the access key id and no user
configuration or retries."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from support import DUMMY_SECRET

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
    def __init__(self, executable: str, server, account: str, region: str = "us-east-1",
                 service: str = "kinesis"):
        self.executable = executable
        self.service = service
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
            self.service,
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
