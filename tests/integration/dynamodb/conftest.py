"""Fixtures of the DynamoDB integration tests (the shared `server` is in ../conftest.py and
runs with --create-table-ms 0 --delete-table-ms 0)."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from support import shared_server_fixture

from .dynamodb_support import dynamodb_client, hash_table_arguments, wait_for_table


@pytest.fixture
def dynamodb(server):
    """A boto3 DynamoDB client on the shared server."""
    return dynamodb_client(server)


@pytest.fixture
def raw_dynamodb(server):
    """A DynamoDB client without botocore's parameter validation, so bad input reaches the
    server."""
    return dynamodb_client(server, validate=False)


@pytest.fixture
def make_table(dynamodb) -> Iterator[Callable[..., dict]]:
    """Creates tables (hash_table_arguments(name, **kwargs), or the CreateTable arguments
    given as `arguments=`), waits until ACTIVE, and deletes whatever it created at teardown
    (so runs against a real account leave nothing behind). Returns the CreateTable answer's
    TableDescription."""
    created: list[str] = []

    def factory(name: str, *, arguments: dict | None = None, wait: bool = True,
                **kwargs: Any) -> dict:
        request = arguments or hash_table_arguments(name, **kwargs)
        description = dynamodb.create_table(**request)["TableDescription"]
        created.append(request["TableName"])
        if wait:
            wait_for_table(dynamodb, request["TableName"])
        return description

    yield factory
    for name in created:
        try:
            dynamodb.update_table(TableName=name, DeletionProtectionEnabled=False)
        except Exception:  # UpdateTable may not be served yet; the table may be gone
            pass
        try:
            dynamodb.delete_table(TableName=name)
        except Exception:
            pass


# Servers of their own, shared by the tests of a module (skip under --url).
legacy_server = shared_server_fixture(
    "A server answering with the legacy DynamoDB validation wording (value echoed, camelCase "
    "member paths, every violation listed).",
    ["--validation-messages", "legacy", "--create-table-ms", "0", "--delete-table-ms", "0"],
    in_memory=True,
)

clocked_server = shared_server_fixture(
    "A --test-clock server whose tables stay CREATING and DELETING for 10 minutes of its clock "
    "(system time plus an offset the tests move forward with advance_test_clock).",
    ["--test-clock", "--create-table-ms", "600000", "--delete-table-ms", "600000"],
    in_memory=True,
)

slow_server = shared_server_fixture(
    "A server whose tables stay CREATING and DELETING for 1.5 s of real time (for the boto3 "
    "waiters, which must see the transitional state and poll again).",
    ["--create-table-ms", "1500", "--delete-table-ms", "1500"],
    in_memory=True,
)
