"""DynamoDB on the wire, as SDKs see it: x-amz-crc32 on every response (errors included),
52-character request ids, namespaced `__type`s, no Kinesis headers, and the dialect rule
(JSON 1.0 only). Self-contained: starts its own in-memory server."""

from __future__ import annotations

import json
import re
import zlib

import pytest

from support import TributaryServer, raw_request

TARGET = "DynamoDB_20120810"
JSON_10 = "application/x-amz-json-1.0"


@pytest.fixture(scope="module")
def server():
    instance = TributaryServer(
        data_dir=None, in_memory=True,
        extra_args=["--create-table-ms", "0", "--delete-table-ms", "0"],
    ).start()
    yield instance
    instance.stop()


def call(server, operation, body, content_type=JSON_10):
    payload = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return raw_request(
        server,
        headers={"Content-Type": content_type, "X-Amz-Target": f"{TARGET}.{operation}"},
        body=payload,
    )


def assert_dynamodb_headers(response):
    assert response.headers["x-amz-crc32"] == str(zlib.crc32(response.body)), response.describe()
    assert re.fullmatch(r"[A-Z0-9]{52}", response.headers["x-amzn-requestid"]), response.describe()
    assert "x-amz-id-2" not in response.headers


def test_success_carries_crc32_of_the_body(server):
    response = call(server, "ListTables", {})
    assert response.status == 200, response.describe()
    assert response.headers["content-type"] == JSON_10
    assert response.json == {"TableNames": []} or "TableNames" in response.json
    assert_dynamodb_headers(response)


def test_errors_carry_crc32_and_namespaced_types(server):
    missing = call(server, "DescribeTable", {"TableName": "no-such-table"})
    assert missing.status == 400
    assert missing.json == {
        "__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
        "message": "Requested resource not found: Table: no-such-table not found",
    }
    assert_dynamodb_headers(missing)

    invalid = call(server, "DescribeTable", {"TableName": "ab"})
    assert invalid.status == 400
    assert invalid.json == {
        "__type": "com.amazon.coral.validate#ValidationException",
        "message": "1 validation error detected: Value at 'TableName' failed to satisfy "
        "constraint: Member must have length greater than or equal to 3",
    }
    assert_dynamodb_headers(invalid)


def test_framework_errors_use_coral_service_namespace(server):
    unknown = call(server, "NoSuchOperation", {})
    assert unknown.status == 400
    assert unknown.json["__type"] == "com.amazon.coral.service#UnknownOperationException"
    assert_dynamodb_headers(unknown)

    wrong_type = call(server, "DescribeTable", {"TableName": 5})
    assert wrong_type.status == 400
    assert wrong_type.json["__type"] == "com.amazon.coral.service#SerializationException"
    assert_dynamodb_headers(wrong_type)


def test_json_11_is_not_dynamodb_dialect(server):
    response = call(server, "ListTables", {}, content_type="application/x-amz-json-1.1")
    assert response.status != 200, response.describe()


def test_bodies_sdks_refuse_to_send(server):
    # Not JSON, or a JSON value that is not an object: SerializationException (facts §19,
    # step 1), with DynamoDB's headers.
    for body in ("{not json", "[]", '"TableName"'):
        response = call(server, "ListTables", body)
        assert response.status == 400, (body, response.describe())
        assert response.json["__type"] == "com.amazon.coral.service#SerializationException", body
        assert_dynamodb_headers(response)
    # Wrong JSON types inside a valid object: SerializationException too.
    for member, value in (("Limit", "10"), ("ExclusiveStartTableName", 5)):
        response = call(server, "ListTables", {member: value})
        assert response.status == 400
        assert response.json["__type"] == "com.amazon.coral.service#SerializationException"
