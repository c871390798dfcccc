"""Fixtures of the DynamoDB Streams tests (the shared `server` is in ../conftest.py)."""

from __future__ import annotations

import pytest

from support import shared_server_fixture
from dynamodb.dynamodb_support import dynamodb_client

from .streams_support import streams_client


@pytest.fixture
def dynamodb(server):
    return dynamodb_client(server)


@pytest.fixture
def streams(server):
    return streams_client(server)


@pytest.fixture
def clocked_dynamodb(clocked_streams_server):
    return dynamodb_client(clocked_streams_server)


@pytest.fixture
def clocked_streams(clocked_streams_server):
    return streams_client(clocked_streams_server)


@pytest.fixture
def raw_streams(server):
    """Without botocore's parameter validation, so bad input reaches the server."""
    return streams_client(server, validate=False)


# One hour shard rollover and the test clock: lineage, expiry, retention and lifetimes.
clocked_streams_server = shared_server_fixture(
    "A --test-clock server whose stream shards roll over every hour of its clock.",
    ["--test-clock", "--create-table-ms", "0", "--delete-table-ms", "0",
     "--stream-shard-rollover-ms", "3600000"],
    in_memory=True,
)
