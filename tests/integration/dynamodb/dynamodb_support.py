"""DynamoDB-only helpers for the integration tests (shared ones are in ../support.py).

  * `dynamodb_client(server, ...)`: a boto3 DynamoDB client aimed at a server, retries off.
  * `ddb_call(server, operation, payload, ...)`: a signed raw JSON 1.0 DynamoDB call.
  * `table_arn(name)`, `hash_table_arguments(...)`, `indexed_table_arguments(name)`,
    `table_status(...)`, `wait_for_table(...)`.
  * `new_name(prefix)`, `create_table(client, range_key=, gsi=, lsi=)` (an on-demand pk/sk
    table with optional indexes, not waited for: --create-table-ms 0 servers),
    `expect_error(call, code, message)` for the item and transaction tests.
  * `assert_matches_shape(value, shape_name)`: a raw JSON answer checked against the pinned
    botocore model (member names and JSON types).
"""

from __future__ import annotations

import json
import uuid
from typing import Any, Optional

import pytest
from botocore.exceptions import ClientError

import botocore.session

import support
from support import (
    DEFAULT_ACCESS_KEY,
    DEFAULT_REGION,
    RawResponse,
    aws_client,
    poll_until,
    raw_request,
)

DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810"
JSON10_CONTENT_TYPE = "application/x-amz-json-1.0"
DYNAMODB_NAMESPACE = "com.amazonaws.dynamodb.v20120810"
VALIDATE_NAMESPACE = "com.amazon.coral.validate"
SERVICE_NAMESPACE = "com.amazon.coral.service"


def dynamodb_client(
    server: Any,
    *,
    access_key: Optional[str] = DEFAULT_ACCESS_KEY,
    region: Optional[str] = DEFAULT_REGION,
    validate: bool = True,
):
    """A boto3 DynamoDB client for `server`; validate=False lets bad input reach the server."""
    return aws_client(server, "dynamodb", access_key=access_key, region=region, validate=validate)


def ddb_headers(operation: Optional[str], content_type: Optional[str] = JSON10_CONTENT_TYPE):
    headers: dict[str, str] = {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if operation is not None:
        headers["X-Amz-Target"] = f"{DYNAMODB_TARGET_PREFIX}.{operation}"
    return headers


def ddb_call(
    server: Any,
    operation: str,
    payload: Any = None,
    *,
    raw_body: Optional[bytes | str] = None,
    access_key: Optional[str] = DEFAULT_ACCESS_KEY,
    region: Optional[str] = DEFAULT_REGION,
) -> RawResponse:
    """A signed DynamoDB JSON 1.0 call with an arbitrary (possibly invalid) payload."""
    body = raw_body if raw_body is not None else json.dumps({} if payload is None else payload)
    return raw_request(
        server,
        headers=ddb_headers(operation),
        body=body,
        access_key=access_key,
        region=region,
        service="dynamodb",
    )


def table_arn(name: str, account: Optional[str] = None, region: Optional[str] = None) -> str:
    """The table's ARN; account and region default to the suite's (the target's under --url)."""
    account = account or support.DEFAULT_ACCOUNT
    region = region or support.DEFAULT_REGION
    return f"arn:aws:dynamodb:{region}:{account}:table/{name}"


def hash_table_arguments(name: str, *, range_key: Optional[str] = None, **extra: Any) -> dict:
    """CreateTable arguments for an on-demand table keyed by `pk` (S) and optionally a
    range key (N); `extra` overrides or adds members."""
    definitions = [{"AttributeName": "pk", "AttributeType": "S"}]
    schema = [{"AttributeName": "pk", "KeyType": "HASH"}]
    if range_key:
        definitions.append({"AttributeName": range_key, "AttributeType": "N"})
        schema.append({"AttributeName": range_key, "KeyType": "RANGE"})
    arguments: dict[str, Any] = dict(
        TableName=name,
        AttributeDefinitions=definitions,
        KeySchema=schema,
        BillingMode="PAY_PER_REQUEST",
    )
    arguments.update(extra)
    return arguments


def indexed_table_arguments(name: str) -> dict:
    """hash_table_arguments(name, range_key="sk") with a global index "gsi1" on g (S, ALL) and a
    local index "lsi1" on (pk, l S, KEYS_ONLY)."""
    return hash_table_arguments(
        name,
        range_key="sk",
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "g", "AttributeType": "S"},
            {"AttributeName": "l", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[{
            "IndexName": "gsi1",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }],
        LocalSecondaryIndexes=[{
            "IndexName": "lsi1",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "l", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
        }],
    )


def table_status(client, name: str) -> Optional[str]:
    """The table's status, or None when it does not exist."""
    try:
        return client.describe_table(TableName=name)["Table"]["TableStatus"]
    except client.exceptions.ResourceNotFoundException:
        return None


def wait_for_table(client, name: str, status: Optional[str] = "ACTIVE", timeout: float = 60.0):
    """Polls DescribeTable until the table has `status` (None: until it is gone)."""
    poll_until(
        lambda: table_status(client, name) == status,
        timeout=timeout,
        what=f"table {name} to become {status or 'gone'}",
    )


# --------------------------------------------------------------------------------------
# The model: JSON answers checked against botocore's DynamoDB shapes
# --------------------------------------------------------------------------------------

_MODEL = None


def service_model():
    global _MODEL
    if _MODEL is None:
        _MODEL = botocore.session.get_session().get_service_model("dynamodb")
    return _MODEL


def shape_problems(value: Any, shape, path: str = "$") -> list[str]:
    """Where `value` (parsed JSON 1.0) does not match botocore's `shape`: unknown members,
    wrong JSON types, enum values outside the model's list."""
    problems: list[str] = []
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, expected an object ({shape.name})"]
        for key, item in value.items():
            if key not in shape.members:
                problems.append(f"{path}.{key}: not a member of {shape.name}")
            else:
                problems += shape_problems(item, shape.members[key], f"{path}.{key}")
    elif kind == "list":
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__}, expected a list ({shape.name})"]
        for index, item in enumerate(value):
            problems += shape_problems(item, shape.member, f"{path}[{index}]")
    elif kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, expected an object (map {shape.name})"]
        for key, item in value.items():
            problems += shape_problems(item, shape.value, f"{path}.{key}")
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: {value!r} is not a string ({shape.name})")
        elif shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not in {shape.name}'s enum {shape.enum}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path}: {value!r} is not an integer ({shape.name})")
    elif kind in ("double", "float"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(f"{path}: {value!r} is not a number ({shape.name})")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: {value!r} is not a boolean ({shape.name})")
    elif kind == "timestamp":
        # JSON 1.0 timestamps are epoch seconds as a JSON number.
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(f"{path}: {value!r} is not epoch seconds ({shape.name})")
    elif kind == "blob":
        if not isinstance(value, str):
            problems.append(f"{path}: {value!r} is not base64 text ({shape.name})")
    return problems


def assert_matches_shape(value: Any, shape_name: str) -> None:
    problems = shape_problems(value, service_model().shape_for(shape_name))
    assert not problems, "\n".join(problems)


# The start of AWS's PartiQL syntax-error message (src/dynamodb/partiql/README.md).
NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: "


def error_of(call, **kwargs) -> tuple[str, str, dict]:
    """Calls `call(**kwargs)`, which must fail; its error code, message and whole response."""
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    response = info.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response


def new_name(prefix: str = "items") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def create_table(client, *, range_key=True, gsi=False, lsi=False, name=None) -> str:
    name = name or new_name()
    definitions = [{"AttributeName": "pk", "AttributeType": "S"}]
    schema = [{"AttributeName": "pk", "KeyType": "HASH"}]
    if range_key:
        definitions.append({"AttributeName": "sk", "AttributeType": "N"})
        schema.append({"AttributeName": "sk", "KeyType": "RANGE"})
    extra = {}
    if gsi:
        definitions.append({"AttributeName": "g", "AttributeType": "S"})
        extra["GlobalSecondaryIndexes"] = [
            {"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "KEYS_ONLY"}},
            {"IndexName": "by-g-all", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "ALL"}},
        ]
    if lsi:
        definitions.append({"AttributeName": "l", "AttributeType": "S"})
        extra["LocalSecondaryIndexes"] = [
            {"IndexName": "by-l", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                {"AttributeName": "l", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}},
        ]
    client.create_table(TableName=name, AttributeDefinitions=definitions, KeySchema=schema,
                        BillingMode="PAY_PER_REQUEST", **extra)
    return name


def expect_error(call, code: str, message: str | None = None) -> str:
    with pytest.raises(ClientError) as info:
        call()
    assert info.value.response["Error"]["Code"] == code, info.value.response
    if message is not None:
        assert info.value.response["Error"]["Message"] == message
    return info.value.response["Error"]["Message"]
