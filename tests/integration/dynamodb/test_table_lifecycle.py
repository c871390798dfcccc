"""Table states over time: CREATING -> ACTIVE after --create-table-ms, DELETING -> gone after
--delete-table-ms, driven by the server's test clock (POST /_tributary/clock), and the boto3
waiters against a server whose transitions take real time. AWS (facts §3, responses recorded
Oct 2025): CreateTable answers CREATING, DescribeTable later ACTIVE, DeleteTable DELETING.

Every test here needs a server of its own, so all skip under --url.
"""

from __future__ import annotations

import time

import botocore.exceptions
import pytest

from support import advance_test_clock, error_code, error_message, unique_name

from .dynamodb_support import dynamodb_client, hash_table_arguments, table_status

# clocked_server's --create-table-ms and --delete-table-ms. Its clock is system time plus
# the offset the tests add, so a step short of the end leaves a minute of real time spare.
CREATE_MS = 600_000
SPARE_MS = 60_000


def describe(client, name: str) -> dict:
    return client.describe_table(TableName=name)["Table"]


def test_creating_then_active_by_the_test_clock(clocked_server):
    client = dynamodb_client(clocked_server)
    name = unique_name("clk")
    arguments = hash_table_arguments(
        name,
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )
    created = client.create_table(**arguments)["TableDescription"]
    assert created["TableStatus"] == "CREATING"
    # A global index created with its table is CREATING with it.
    assert created["GlobalSecondaryIndexes"][0]["IndexStatus"] == "CREATING"

    advance_test_clock(clocked_server, CREATE_MS - SPARE_MS)
    table = describe(client, name)
    assert table["TableStatus"] == "CREATING"
    assert table["GlobalSecondaryIndexes"][0]["IndexStatus"] == "CREATING"
    assert name in client.list_tables()["TableNames"]  # CREATING tables are listed

    advance_test_clock(clocked_server, SPARE_MS)
    table = describe(client, name)
    assert table["TableStatus"] == "ACTIVE"
    assert table["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"
    assert "Backfilling" not in table["GlobalSecondaryIndexes"][0]
    # CreationDateTime is the creation time, not the activation time.
    assert table["CreationDateTime"] == created["CreationDateTime"]


def test_delete_while_creating_is_resource_in_use(clocked_server):
    client = dynamodb_client(clocked_server)
    name = unique_name("clk")
    client.create_table(**hash_table_arguments(name))
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.delete_table(TableName=name)
    # facts §19 [P]: dynalite's reading of AWS.
    assert error_code(caught.value) == "ResourceInUseException"
    assert error_message(caught.value) == (
        f"Attempt to change a resource which is still in use: Table is being created: {name}"
    )
    advance_test_clock(clocked_server, CREATE_MS)
    assert client.delete_table(TableName=name)["TableDescription"]["TableStatus"] == "DELETING"


def test_deleting_then_gone_by_the_test_clock(clocked_server):
    client = dynamodb_client(clocked_server)
    name = unique_name("clk")
    first_id = client.create_table(**hash_table_arguments(name))["TableDescription"]["TableId"]
    advance_test_clock(clocked_server, CREATE_MS)
    assert client.delete_table(TableName=name)["TableDescription"]["TableStatus"] == "DELETING"

    advance_test_clock(clocked_server, CREATE_MS - SPARE_MS)
    assert describe(client, name)["TableStatus"] == "DELETING"
    assert name in client.list_tables()["TableNames"]  # DELETING tables are still listed
    # Deleting again, or creating the name again, is refused while it is DELETING.
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.delete_table(TableName=name)
    assert error_code(caught.value) == "ResourceInUseException"
    assert error_message(caught.value) == (
        f"Attempt to change a resource which is still in use: Table is being deleted: {name}"
    )
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.create_table(**hash_table_arguments(name))
    assert error_code(caught.value) == "ResourceInUseException"

    advance_test_clock(clocked_server, SPARE_MS)
    assert table_status(client, name) is None
    assert name not in client.list_tables()["TableNames"]

    # The name is free again, with a new TableId.
    second = client.create_table(**hash_table_arguments(name))["TableDescription"]
    assert second["TableStatus"] == "CREATING"
    assert second["TableId"] != first_id


def test_waiters_see_the_transitional_states(slow_server):
    """The table_exists waiter polls until ACTIVE, table_not_exists until ResourceNotFound;
    with 1.5 s transitions and a 1 s delay each sees CREATING / DELETING first."""
    client = dynamodb_client(slow_server)
    name = unique_name("wait")
    client.create_table(**hash_table_arguments(name))
    assert table_status(client, name) == "CREATING"
    started = time.monotonic()
    client.get_waiter("table_exists").wait(
        TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 20}
    )
    assert time.monotonic() - started >= 0.5
    assert table_status(client, name) == "ACTIVE"

    client.delete_table(TableName=name)
    assert table_status(client, name) == "DELETING"
    started = time.monotonic()
    client.get_waiter("table_not_exists").wait(
        TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 20}
    )
    assert time.monotonic() - started >= 0.5
    assert table_status(client, name) is None


def test_waiter_gives_up_when_the_table_never_appears(slow_server):
    client = dynamodb_client(slow_server)
    with pytest.raises(botocore.exceptions.WaiterError):
        client.get_waiter("table_exists").wait(
            TableName=unique_name("never"), WaiterConfig={"Delay": 1, "MaxAttempts": 2}
        )
