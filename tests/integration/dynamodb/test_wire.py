"""DynamoDB on the wire, checked with raw HTTP: the `__type` namespaces of errors (facts §1:
`com.amazonaws.dynamodb.v20120810#` for modelled errors, `com.amazon.coral.validate#` for
ValidationException, `com.amazon.coral.service#` for protocol errors [P]), the JSON 1.0
content type of answers, and unknown operations (x-amz-crc32: test_wire_headers.py).
"""

from __future__ import annotations

import pytest

from support import assert_error, unique_name

from .dynamodb_support import (
    DYNAMODB_NAMESPACE,
    JSON10_CONTENT_TYPE,
    SERVICE_NAMESPACE,
    VALIDATE_NAMESPACE,
    ddb_call,
    hash_table_arguments,
)


def test_resource_not_found_namespace(server):
    name = unique_name("wire")
    response = ddb_call(server, "DescribeTable", {"TableName": name})
    assert_error(
        response,
        f"{DYNAMODB_NAMESPACE}#ResourceNotFoundException",
        f"Requested resource not found: Table: {name} not found",
    )
    assert response.headers["content-type"] == JSON10_CONTENT_TYPE
    assert response.headers.get("x-amzn-requestid")
    # The error body has exactly these two members.
    assert set(response.json) == {"__type", "message"}


def test_resource_in_use_namespace(server):
    name = unique_name("wire")
    assert ddb_call(server, "CreateTable", hash_table_arguments(name)).status == 200
    try:
        assert_error(
            ddb_call(server, "CreateTable", hash_table_arguments(name)),
            f"{DYNAMODB_NAMESPACE}#ResourceInUseException",
            f"Table already exists: {name}",
        )
    finally:
        ddb_call(server, "DeleteTable", {"TableName": name})


def test_validation_namespace(server):
    # A model constraint (length of TableName) and an operation's own check.
    assert_error(
        ddb_call(server, "DescribeTable", {"TableName": "ab"}),
        f"{VALIDATE_NAMESPACE}#ValidationException",
        "1 validation error detected: Value at 'TableName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3",
    )
    assert_error(
        ddb_call(server, "CreateTable", hash_table_arguments(
            unique_name("wire"), StreamSpecification={"StreamEnabled": True})),
        f"{VALIDATE_NAMESPACE}#ValidationException",
        "One or more parameter values were invalid: You must specify a StreamViewType when "
        "enabling a stream",
    )


def test_missing_required_member(server):
    assert_error(
        ddb_call(server, "DescribeTable", {}),
        f"{VALIDATE_NAMESPACE}#ValidationException",
        "1 validation error detected: Value at 'TableName' failed to satisfy constraint: "
        "Member must not be null",
    )


@pytest.mark.parametrize("operation", ["NoSuchOperation", "describeTable", "DescribeTables"])
def test_unknown_operation(server, operation):
    response = ddb_call(server, operation, {})
    assert_error(response, f"{SERVICE_NAMESPACE}#UnknownOperationException")


def test_success_answers_are_json_1_0(server):
    response = ddb_call(server, "ListTables", {"Limit": 1})
    assert response.status == 200, response.describe()
    assert response.headers["content-type"] == JSON10_CONTENT_TYPE
    assert response.headers.get("x-amzn-requestid")
    assert isinstance(response.json["TableNames"], list)
