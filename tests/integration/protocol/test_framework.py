"""The request pipeline before any operation runs, over raw HTTP.

Expected texts and statuses are real AWS Kinesis responses as captured by
mhart/kinesalite's test/connection.js and test/helpers.js (run against AWS with REMOTE=1).
Real AWS checks, in order: method -> content type -> empty body -> JSON parse -> target ->
auth -> member types -> validation. Note that this differs from the order sketched in
DESIGN.md (target and auth before decoding): AWS answers an unparseable or empty body
with SerializationException even when the request carries no Authorization at all.
"""

from __future__ import annotations

import base64
import http.client
import itertools
import json
import re

import pytest

from support import (
    DEFAULT_ACCESS_KEY,
    DEFAULT_REGION,
    assert_error,
    exchange_bytes,
    parse_status_line,
    raw_request,
    send_while_reading,
    sign_headers,
    unique_name,
)
from kinesis.kinesis_support import (
    JSON_CONTENT_TYPE,
    KINESIS_TARGET_PREFIX,
    call,
    kinesis_headers,
    server_is_healthy,
)

UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

ACCESS_DENIED_XML = (
    b"<AccessDeniedException>\n"
    b"  <Message>Unable to determine service/operation name to be authorized</Message>\n"
    b"</AccessDeniedException>\n"
)
UNKNOWN_OPERATION_XML = b"<UnknownOperationException/>\n"


# CBOR maps {"__type": "..."} that AWS sends for an empty body whose content type is not
# x-amz-json-1.1 (kinesalite connection.js, captured from AWS). AWS writes an
# indefinite-length map (0xbf ... 0xff); a definite-length map (0xa1 ...) decodes to the
# same value for every CBOR client, so either encoding is accepted.
def cbor_type_map(type_name: str) -> set[bytes]:
    key = b"\x66__type"
    encoded = type_name.encode()
    if len(encoded) < 24:
        text = bytes([0x60 + len(encoded)]) + encoded
    else:
        text = b"\x78" + bytes([len(encoded)]) + encoded
    return {b"\xbf" + key + text + b"\xff", b"\xa1" + key + text}


CBOR_UNKNOWN_OPERATION = cbor_type_map("UnknownOperationException")
CBOR_SERIALIZATION = cbor_type_map("SerializationException")
assert b"\xbf\x66__type\x78\x19UnknownOperationException\xff" in CBOR_UNKNOWN_OPERATION
assert b"\xbf\x66__type\x76SerializationException\xff" in CBOR_SERIALIZATION

MISSING_TOKEN_MESSAGE = "Missing Authentication Token"
BOTH_AUTH_MESSAGE = (
    "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."
)


def assert_aws_headers(response) -> None:
    request_id = response.headers.get("x-amzn-requestid")
    assert request_id is not None, response.describe()
    assert UUID_PATTERN.match(request_id), request_id
    id_2 = response.headers.get("x-amz-id-2")
    assert id_2 is not None, response.describe()
    # AWS sends base64 of 64 to 80 random bytes (kinesalite checks within(64, 80)).
    decoded = base64.b64decode(id_2, validate=True)
    assert 64 <= len(decoded) <= 80, id_2


def assert_json_error_exact(response, body: dict, status: int = 400) -> None:
    assert response.status == status, response.describe()
    assert response.headers.get("content-type") == JSON_CONTENT_TYPE, response.describe()
    assert response.json == body, response.describe()


def assert_xml(response, status: int, body: bytes) -> None:
    assert response.status == status, response.describe()
    assert response.body == body, response.describe()
    # AWS sends these XML-ish bodies with no Content-Type at all.
    assert "content-type" not in response.headers, response.describe()


# ---------------------------------------------------------------------------------------
# Headers on every response
# ---------------------------------------------------------------------------------------

REQUEST_SHAPES = {
    "success": dict(headers=kinesis_headers("ListStreams"), body="{}"),
    "validation_error": dict(headers=kinesis_headers("DescribeStream"), body="{}"),
    "not_found": dict(
        headers=kinesis_headers("DescribeStreamSummary"), body='{"StreamName":"no-such-stream"}'
    ),
    "unknown_operation": dict(headers=kinesis_headers("NoSuchOperation"), body="{}"),
    "malformed_json": dict(headers=kinesis_headers("ListStreams"), body="{not json"),
    "type_error": dict(headers=kinesis_headers("ListStreams"), body='{"Limit":"5"}'),
    "missing_auth": dict(headers=kinesis_headers("ListStreams"), body="{}", sign=False),
    "get_method": dict(method="GET", headers={}, body=""),
}


@pytest.mark.parametrize("shape", sorted(REQUEST_SHAPES))
def test_every_response_has_request_id_and_id_2(server, shape):
    response = raw_request(server, **REQUEST_SHAPES[shape])
    assert response.status != 500, response.describe()
    assert_aws_headers(response)
    assert int(response.headers["content-length"]) == len(response.body)


def test_request_ids_are_unique(server):
    ids = {
        raw_request(server, headers=kinesis_headers("ListStreams"), body="{}").headers[
            "x-amzn-requestid"
        ]
        for _ in range(5)
    }
    assert len(ids) == 5


def test_success_response_is_json_1_1(server):
    response = call(server, "ListStreams", {})
    assert response.status == 200, response.describe()
    assert response.headers["content-type"] == JSON_CONTENT_TYPE
    assert isinstance(response.json, dict)
    assert response.json["HasMoreStreams"] in (True, False)


def test_keep_alive_serves_several_requests_on_one_connection(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        for _ in range(3):
            headers = sign_headers(
                method="POST",
                url=f"http://127.0.0.1:{server.port}/",
                headers=kinesis_headers("ListStreams"),
                body=b"{}",
                access_key=DEFAULT_ACCESS_KEY,
                region=DEFAULT_REGION,
            )
            connection.request("POST", "/", body=b"{}", headers=headers)
            response = connection.getresponse()
            payload = response.read()
            assert response.status == 200, payload
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------
# Body not JSON / empty body
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["hello", "{", '{"StreamName":', "null", "true", '"a string"', "42", "{}}"],
)
def test_body_that_is_not_a_json_object_is_serialization_exception(server, body):
    response = call(server, "ListStreams", raw_body=body)
    assert_json_error_exact(response, {"__type": "SerializationException"})


def test_malformed_json_is_serialization_exception_even_without_auth(server):
    # AWS parses the body before it looks at auth (kinesalite connection.js:
    # "should return SerializationException if non-JSON body", sent unsigned).
    response = raw_request(
        server, headers=kinesis_headers("ListStreams"), body="hello", sign=False
    )
    assert_json_error_exact(response, {"__type": "SerializationException"})


def test_empty_body_with_valid_target_is_serialization_exception(server):
    response = raw_request(server, headers=kinesis_headers("ListStreams"), body="")
    assert_json_error_exact(response, {"__type": "SerializationException"})


def test_empty_body_without_auth_is_serialization_exception(server):
    response = raw_request(server, headers=kinesis_headers("ListStreams"), body="", sign=False)
    assert_json_error_exact(response, {"__type": "SerializationException"})


def test_empty_body_without_target_is_unknown_operation(server):
    response = raw_request(server, headers=kinesis_headers(None), body="", sign=False)
    assert_json_error_exact(response, {"__type": "UnknownOperationException"})


def test_empty_body_without_content_type_answers_in_cbor(server):
    # With no JSON content type AWS answers an empty body in CBOR.
    response = raw_request(server, headers={}, body="")
    assert response.status == 400, response.describe()
    assert response.headers.get("content-type") == "application/x-amz-cbor-1.1"
    assert response.body in CBOR_UNKNOWN_OPERATION, response.describe()


def test_empty_body_with_valid_target_and_no_content_type_answers_in_cbor(server):
    response = raw_request(server, headers=kinesis_headers("ListStreams", None), body="")
    assert response.status == 400, response.describe()
    assert response.headers.get("content-type") == "application/x-amz-cbor-1.1"
    assert response.body in CBOR_SERIALIZATION, response.describe()


# ---------------------------------------------------------------------------------------
# Member type errors (SerializationException with AWS's Java-flavoured text)
# ---------------------------------------------------------------------------------------

TRUNCATING_BIG_NUMBER = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber"
NUMBER_TO_STRING = f"{TRUNCATING_BIG_NUMBER} can not be converted to an String"
LIST_NOT_EXPECTED = "Start of list found where not expected"
STRUCTURE_NOT_EXPECTED = "Start of structure or map found where not expected."

STRING_CASES = [
    (True, "class java.lang.Boolean can not be converted to an String"),
    (23, NUMBER_TO_STRING),
    (-2147483648, NUMBER_TO_STRING),
    (2147483648, NUMBER_TO_STRING),
    (34.56, NUMBER_TO_STRING),
    ([], LIST_NOT_EXPECTED),
    ({}, STRUCTURE_NOT_EXPECTED),
]
INTEGER_CASES = [
    ("23", "class java.lang.String can not be converted to an Integer"),
    (True, "class java.lang.Boolean can not be converted to an Integer"),
    ([], LIST_NOT_EXPECTED),
    ({}, STRUCTURE_NOT_EXPECTED),
]
NUMBER_TO_BOOLEAN = f"{TRUNCATING_BIG_NUMBER} can not be converted to an Boolean"
BOOLEAN_CASES = [
    ("23", "'23' can not be converted to an Boolean"),
    (23, NUMBER_TO_BOOLEAN),
    (-2147483648, NUMBER_TO_BOOLEAN),
    (2147483648, NUMBER_TO_BOOLEAN),
    ([], LIST_NOT_EXPECTED),
    ({}, STRUCTURE_NOT_EXPECTED),
]
MAP_CASES = [
    ("23", "Expected map or null"),
    (True, "Expected map or null"),
    (23, "Expected map or null"),
    (34.56, "Expected map or null"),
    ([], LIST_NOT_EXPECTED),
]
STRUCTURE_CASES = [
    ("23", "Expected null"),
    (True, "Expected null"),
    (23, "Expected null"),
    (34.56, "Expected null"),
    ([], LIST_NOT_EXPECTED),
]

# (operation, member path, cases). A member path with dots nests structures.
TYPE_CHECKS = [
    ("CreateStream", "StreamName", STRING_CASES),
    ("CreateStream", "ShardCount", INTEGER_CASES),
    ("CreateStream", "Tags", MAP_CASES),
    ("CreateStream", "StreamModeDetails", STRUCTURE_CASES),
    ("CreateStream", "StreamModeDetails.StreamMode", STRING_CASES),
    ("DeleteStream", "StreamName", STRING_CASES),
    ("DeleteStream", "EnforceConsumerDeletion", BOOLEAN_CASES),
    ("DescribeStream", "StreamName", STRING_CASES),
    ("DescribeStream", "Limit", INTEGER_CASES),
    ("DescribeStream", "ExclusiveStartShardId", STRING_CASES),
    ("DescribeStreamSummary", "StreamName", STRING_CASES),
    ("DescribeStreamSummary", "StreamARN", STRING_CASES),
    ("ListStreams", "Limit", INTEGER_CASES),
    ("ListStreams", "ExclusiveStartStreamName", STRING_CASES),
    ("ListStreams", "NextToken", STRING_CASES),
    ("ListShards", "StreamName", STRING_CASES),
    ("ListShards", "MaxResults", INTEGER_CASES),
    ("ListShards", "ExclusiveStartShardId", STRING_CASES),
    ("ListShards", "NextToken", STRING_CASES),
    ("ListShards", "ShardFilter", STRUCTURE_CASES),
    ("ListShards", "ShardFilter.Type", STRING_CASES),
]


def nested_payload(path: str, value):
    payload: dict = {}
    cursor = payload
    pieces = path.split(".")
    for piece in pieces[:-1]:
        cursor[piece] = {}
        cursor = cursor[piece]
    cursor[pieces[-1]] = value
    return payload


TYPE_CASE_PARAMS = [
    pytest.param(operation, path, value, message, id=f"{operation}.{path}={json.dumps(value)}")
    for operation, path, cases in TYPE_CHECKS
    for value, message in cases
]


@pytest.mark.parametrize("operation,path,value,message", TYPE_CASE_PARAMS)
def test_wrong_member_type_is_serialization_exception(server, operation, path, value, message):
    response = call(server, operation, nested_payload(path, value))
    # AWS spells this one key 'Message' with a capital M (kinesalite helpers.js compares the
    # whole body with eql).
    assert_json_error_exact(response, {"__type": "SerializationException", "Message": message})


def test_type_error_wins_over_validation_error(server):
    # Types are checked before constraints: a bad type anywhere hides validation errors.
    response = call(server, "CreateStream", {"StreamName": "", "ShardCount": "1"})
    assert_error(
        response,
        "SerializationException",
        "class java.lang.String can not be converted to an Integer",
    )


def test_unknown_members_are_ignored(server):
    response = call(server, "ListStreams", {"NoSuchMember": [1, {"x": None}], "Limit": 1})
    assert response.status == 200, response.describe()


def test_null_members_are_treated_as_absent(server):
    response = call(server, "ListStreams", {"Limit": None, "ExclusiveStartStreamName": None})
    assert response.status == 200, response.describe()


# ---------------------------------------------------------------------------------------
# Target
# ---------------------------------------------------------------------------------------


def test_missing_target_is_unknown_operation(server):
    response = raw_request(server, headers=kinesis_headers(None), body="{}")
    assert_json_error_exact(response, {"__type": "UnknownOperationException"})


def test_missing_target_without_auth_is_unknown_operation(server):
    response = raw_request(server, headers=kinesis_headers(None), body="{}", sign=False)
    assert_json_error_exact(response, {"__type": "UnknownOperationException"})


@pytest.mark.parametrize(
    "target",
    [
        f"{KINESIS_TARGET_PREFIX}.ListStream",
        f"{KINESIS_TARGET_PREFIX}.liststreams",
        f"{KINESIS_TARGET_PREFIX}.",
        "Kinesis_20131203.ListStreams",
        "Whatever",
        "",
    ],
)
def test_unknown_target_is_unknown_operation(server, target):
    headers = {"Content-Type": JSON_CONTENT_TYPE, "X-Amz-Target": target}
    response = raw_request(server, headers=headers, body="{}")
    assert_json_error_exact(response, {"__type": "UnknownOperationException"})


def test_unknown_target_is_checked_before_auth(server):
    headers = {"Content-Type": JSON_CONTENT_TYPE, "X-Amz-Target": f"{KINESIS_TARGET_PREFIX}.Nope"}
    response = raw_request(server, headers=headers, body="{}", sign=False)
    assert_json_error_exact(response, {"__type": "UnknownOperationException"})


# ---------------------------------------------------------------------------------------
# Content type and method
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["   application/x-amz-json-1.1   ;whatever", "application/x-amz-json-1.1; charset=utf-8"],
)
def test_content_type_parameters_and_spaces_are_accepted(server, content_type):
    response = raw_request(
        server, headers=kinesis_headers("ListStreams", content_type), body="{}"
    )
    assert response.status == 200, response.describe()


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-amz-json-1.1asdf", "application/xml"]
)
def test_body_with_wrong_content_type_and_valid_target_is_404(server, content_type):
    response = raw_request(
        server, headers=kinesis_headers("ListStreams", content_type), body="{}"
    )
    assert_xml(response, 404, UNKNOWN_OPERATION_XML)


@pytest.mark.parametrize("content_type", [None, "text/plain"])
def test_body_with_wrong_content_type_and_no_target_is_access_denied(server, content_type):
    response = raw_request(server, headers=kinesis_headers(None, content_type), body="{}")
    assert_xml(response, 403, ACCESS_DENIED_XML)


# application/json and application/x-amz-json-1.0: AWS's Kinesis front end answers these
# without a 200 (issue 9's recording).
CORAL_SERIALIZATION = {
    "Output": {"__type": "com.amazon.coral.service#SerializationException"},
    "Version": "1.0",
}
CORAL_UNKNOWN_OPERATION = {
    "Output": {"__type": "com.amazon.coral.service#UnknownOperationException"},
    "Version": "1.0",
}


def assert_cbor_error(response, bodies: set[bytes]) -> None:
    assert response.status == 400, response.describe()
    assert response.headers.get("content-type") == "application/x-amz-cbor-1.1", response.describe()
    assert response.body in bodies, response.describe()


def test_json_1_0_without_target_and_empty_body_answers_in_cbor(server):
    response = raw_request(
        server, headers=kinesis_headers(None, "application/x-amz-json-1.0"), body=""
    )
    assert_cbor_error(response, CBOR_UNKNOWN_OPERATION)


def test_json_1_0_without_target_with_body_is_access_denied(server):
    # Not Kinesis's dialect, so an unknown content type like text/plain (kinesalite's
    # index.js, modelled on AWS, accepts only x-amz-json-1.1 and application/json).
    response = raw_request(
        server, headers=kinesis_headers(None, "application/x-amz-json-1.0"), body="{}"
    )
    assert_xml(response, 403, ACCESS_DENIED_XML)


@pytest.mark.parametrize(
    "operation, bodies", [(None, CBOR_UNKNOWN_OPERATION), ("ListStreams", CBOR_SERIALIZATION)]
)
def test_application_json_with_empty_body_answers_in_cbor(server, operation, bodies):
    response = raw_request(
        server, headers=kinesis_headers(operation, "application/json"), body=""
    )
    assert_cbor_error(response, bodies)


@pytest.mark.parametrize("content_type", ["application/json", "  application/json ;"])
def test_application_json_with_bad_json_is_400_coral_envelope(server, content_type):
    response = raw_request(
        server, headers=kinesis_headers("ListStreams", content_type), body="hello"
    )
    assert response.status == 400, response.describe()
    assert response.headers.get("content-type") == "application/json", response.describe()
    assert response.json == CORAL_SERIALIZATION, response.describe()


@pytest.mark.parametrize("content_type", ["application/json", "  application/json ;"])
def test_application_json_with_parseable_body_is_404_coral_envelope(server, content_type):
    response = raw_request(
        server, headers=kinesis_headers("ListStreams", content_type), body="{}"
    )
    assert response.status == 404, response.describe()
    assert response.headers.get("content-type") == "application/json", response.describe()
    assert response.json == CORAL_UNKNOWN_OPERATION, response.describe()


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_non_post_method_is_access_denied(server, method):
    response = raw_request(
        server, method=method, headers=kinesis_headers("ListStreams"), body="{}"
    )
    assert_xml(response, 403, ACCESS_DENIED_XML)


def test_get_without_anything_is_access_denied(server):
    response = raw_request(server, method="GET", headers={}, body="", sign=False)
    assert_xml(response, 403, ACCESS_DENIED_XML)


def test_head_request_gets_no_500(server):
    response = raw_request(server, method="HEAD", headers={}, body="")
    assert response.status == 403, response.describe()
    assert response.body == b""


def test_cors_preflight(server):
    # Browser SDKs send a preflight; AWS answers 200 with the CORS headers echoed.
    response = raw_request(
        server,
        method="OPTIONS",
        headers={
            "Origin": "http://example.test",
            "Access-Control-Request-Headers": "a, b, c",
            "Access-Control-Request-Method": "POST",
        },
        body="",
        sign=False,
    )
    assert response.status == 200, response.describe()
    assert response.body == b""
    assert response.headers.get("access-control-allow-origin") == "*"
    assert response.headers.get("access-control-allow-headers") == "a, b, c"
    assert response.headers.get("access-control-allow-methods") == "POST"
    assert response.headers.get("access-control-max-age") == "172800"


def test_cors_origin_on_normal_request(server):
    headers = kinesis_headers("ListStreams")
    headers["Origin"] = "http://example.test"
    response = raw_request(server, headers=headers, body="{}")
    assert response.status == 200, response.describe()
    assert response.headers.get("access-control-allow-origin") == "*"


# ---------------------------------------------------------------------------------------
# Auth
# ---------------------------------------------------------------------------------------


def test_missing_authorization_is_missing_authentication_token(server):
    response = raw_request(server, headers=kinesis_headers("ListStreams"), body="{}", sign=False)
    assert_json_error_exact(
        response,
        {"__type": "MissingAuthenticationTokenException", "message": MISSING_TOKEN_MESSAGE},
    )


def test_query_auth_without_algorithm_is_missing_authentication_token(server):
    response = raw_request(
        server,
        path="/?X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-SignedHeaders=c&X-Amz-Date=d",
        headers=kinesis_headers("ListStreams"),
        body="{}",
        sign=False,
    )
    assert_json_error_exact(
        response,
        {"__type": "MissingAuthenticationTokenException", "message": MISSING_TOKEN_MESSAGE},
    )


@pytest.mark.parametrize(
    "authorization,extra_headers,message",
    [
        (
            "X",
            {},
            "Authorization header requires 'Credential' parameter. "
            "Authorization header requires 'Signature' parameter. "
            "Authorization header requires 'SignedHeaders' parameter. "
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            "Authorization=X",
        ),
        (
            "AWS4- Signature=b Credential=a",
            {"Date": "a"},
            "Authorization header requires 'SignedHeaders' parameter. "
            "Authorization=AWS4- Signature=b Credential=a",
        ),
        (
            "AWS4- Signature=b,Credential=a",
            {"Date": "a"},
            "Authorization header requires 'SignedHeaders' parameter. "
            "Authorization=AWS4- Signature=b,Credential=a",
        ),
        (
            "AWS4- Signature=b, Credential=a",
            {"Date": "a"},
            "Authorization header requires 'SignedHeaders' parameter. "
            "Authorization=AWS4- Signature=b, Credential=a",
        ),
        (
            "AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/kinesis/aws4_request, "
            "SignedHeaders=host, Signature=abc",
            {},
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            "Authorization=AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/kinesis/aws4_request, "
            "SignedHeaders=host, Signature=abc",
        ),
    ],
)
def test_incomplete_authorization_header(server, authorization, extra_headers, message):
    headers = kinesis_headers("ListStreams")
    headers["Authorization"] = authorization
    headers.update(extra_headers)
    response = raw_request(server, headers=headers, body="{}", sign=False)
    assert_json_error_exact(
        response, {"__type": "IncompleteSignatureException", "message": message}
    )


def test_incomplete_header_with_misspelt_query_parameter_reports_the_header(server):
    headers = kinesis_headers("ListStreams")
    headers["Authorization"] = "X"
    response = raw_request(server, path="/?X-Amz-Algorith", headers=headers, body="{}", sign=False)
    assert_error(
        response,
        "IncompleteSignatureException",
        "Authorization header requires 'Credential' parameter. "
        "Authorization header requires 'Signature' parameter. "
        "Authorization header requires 'SignedHeaders' parameter. "
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        "Authorization=X",
    )


@pytest.mark.parametrize(
    "query,message",
    [
        (
            "X-Amz-Algorithm",
            "AWS query-string parameters must include 'X-Amz-Algorithm'. "
            "AWS query-string parameters must include 'X-Amz-Credential'. "
            "AWS query-string parameters must include 'X-Amz-Signature'. "
            "AWS query-string parameters must include 'X-Amz-SignedHeaders'. "
            "AWS query-string parameters must include 'X-Amz-Date'. "
            "Re-examine the query-string parameters.",
        ),
        (
            "X-Amz-Algorithm=a&X-Amz-Credential=b&X-Amz-Signature=c&X-Amz-Date=d",
            "AWS query-string parameters must include 'X-Amz-SignedHeaders'. "
            "Re-examine the query-string parameters.",
        ),
    ],
)
def test_incomplete_query_authentication(server, query, message):
    response = raw_request(
        server, path=f"/?{query}", headers=kinesis_headers("ListStreams"), body="{}", sign=False
    )
    assert_json_error_exact(
        response, {"__type": "IncompleteSignatureException", "message": message}
    )


@pytest.mark.parametrize("query", ["X-Amz-Algorithm", "X-Amz-Algorithm=AWS4-HMAC-SHA256"])
def test_header_and_query_authentication_together_is_invalid_signature(server, query):
    headers = kinesis_headers("ListStreams")
    headers["Authorization"] = "X"
    response = raw_request(server, path=f"/?{query}", headers=headers, body="{}", sign=False)
    assert_json_error_exact(
        response, {"__type": "InvalidSignatureException", "message": BOTH_AUTH_MESSAGE}
    )


def test_signed_request_with_any_secret_is_accepted(server):
    # Signatures are not verified by default (a local emulator has no secrets to check).
    response = call(server, "ListStreams", {}, access_key="AKIDSOMEONEELSE")
    assert response.status == 200, response.describe()


# ---------------------------------------------------------------------------------------
# Size limit, robustness
# ---------------------------------------------------------------------------------------


def test_declared_body_over_the_limit_is_413_and_server_survives(server):
    request = (
        f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Content-Type: {JSON_CONTENT_TYPE}\r\n"
        f"X-Amz-Target: {KINESIS_TARGET_PREFIX}.ListStreams\r\n"
        "Content-Length: 20000000\r\n\r\n{}"
    ).encode()
    answer = exchange_bytes(server, request, timeout=5)
    assert parse_status_line(answer) == 413, answer[:500]
    assert server_is_healthy(server)


def test_real_body_over_the_limit_is_413_and_server_survives(server):
    # 20 MB really sent: over any request limit (kinesalite uses 7 MiB; Tributary's default
    # is larger so 10 MiB records fit). The answer may come before the body is read.
    body = b'{"StreamName":"' + b"a" * 20_000_000 + b'"}'
    head = (
        f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Content-Type: {JSON_CONTENT_TYPE}\r\n"
        f"X-Amz-Target: {KINESIS_TARGET_PREFIX}.ListStreams\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    answer = send_while_reading(server, head, body, timeout=10)
    assert parse_status_line(answer) == 413, answer[:500]
    assert server_is_healthy(server)


def test_body_under_the_limit_is_not_rejected_for_size(server):
    # 1 MiB of padding in an unknown member: well under the limit, so the request runs.
    body = json.dumps({"Limit": 1, "Padding": "p" * (1024 * 1024)})
    response = call(server, "ListStreams", raw_body=body)
    assert response.status == 200, response.describe()


def test_path_query_and_host_are_ignored(server):
    response = raw_request(
        server,
        path="/foo/bar?x=1",
        headers=kinesis_headers("ListStreams"),
        body="{}",
        host="whatever",
    )
    assert response.status == 200, response.describe()
    assert "StreamNames" in response.json


def test_account_specific_host_is_ignored(server, kinesis):
    # Newer SDKs address <account>.control-kinesis.<region>.amazonaws.com for ARN calls.
    name = unique_name()
    kinesis.create_stream(StreamName=name, ShardCount=1)
    response = raw_request(
        server,
        headers=kinesis_headers("DescribeStreamSummary"),
        body=json.dumps({"StreamName": name}),
        host="000000000000.control-kinesis.us-east-1.amazonaws.com",
    )
    assert response.status == 200, response.describe()
    assert response.json["StreamDescriptionSummary"]["StreamName"] == name


@pytest.mark.parametrize(
    "garbage",
    [
        b"HELLO\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: banana\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"\x00\x01\x02\x03" * 64,
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
    ids=["not-http", "bad-length", "negative-length", "binary", "bad-chunk"],
)
def test_garbage_never_gets_500_and_server_survives(server, garbage):
    answer = exchange_bytes(server, garbage, timeout=3, half_close=True)
    status = parse_status_line(answer)
    assert status is None or 400 <= status < 500, answer[:500]
    assert server_is_healthy(server)


def test_truncated_request_then_close_leaves_server_alive(server):
    request = (
        f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {JSON_CONTENT_TYPE}\r\n"
        f"X-Amz-Target: {KINESIS_TARGET_PREFIX}.ListStreams\r\nContent-Length: 100\r\n\r\n{{"
    ).encode()
    exchange_bytes(server, request, timeout=0.5, half_close=True)
    assert server_is_healthy(server)


def test_chunked_request_body_is_accepted(server):
    body = b"{}"
    headers = kinesis_headers("ListStreams")
    signed = sign_headers(
        method="POST",
        url=f"http://127.0.0.1:{server.port}/",
        headers=headers,
        body=body,
        access_key=DEFAULT_ACCESS_KEY,
        region=DEFAULT_REGION,
    )
    lines = ["POST / HTTP/1.1", f"Host: 127.0.0.1:{server.port}", "Transfer-Encoding: chunked"]
    lines += [f"{name}: {value}" for name, value in signed.items()]
    lines += ["Connection: close"]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + b"2\r\n{}\r\n0\r\n\r\n"
    answer = exchange_bytes(server, request, timeout=5)
    assert parse_status_line(answer) == 200, answer[:500]


def test_no_combination_of_headers_and_bodies_gets_a_5xx(server):
    # The request matrix kinesalite's connection.js uses to probe AWS's order of checks
    # (paths x auth x content types x origins x targets x bodies x methods), trimmed.
    # Whatever the combination, a client problem is never answered with a 5xx.
    paths = ["/whatever", "/?X-Amz-Algorithm"]
    authorizations = [None, "a"]
    content_types = [None, "application/x-amz-json-1.0", JSON_CONTENT_TYPE, "application/json"]
    origins = [None, "whatever"]
    targets = [
        None,
        "whatever",
        f"{KINESIS_TARGET_PREFIX}.",
        f"{KINESIS_TARGET_PREFIX}.whatever",
        "whatever.ListStreams",
        f"{KINESIS_TARGET_PREFIX}.ListStreams",
        f"{KINESIS_TARGET_PREFIX}.DescribeStream",
    ]
    bodies = ["", "hello", "true", "null", "{}", "[]", '{"StreamName":7}']
    methods = ["OPTIONS", "GET", "POST"]
    server_errors = []
    count = 0
    combinations = itertools.product(
        paths, authorizations, content_types, origins, targets, bodies, methods
    )
    for path, authorization, content_type, origin, target, body, method in combinations:
        if method != "POST" and body:
            continue
        headers = {}
        for name, value in (
            ("Authorization", authorization),
            ("Content-Type", content_type),
            ("Origin", origin),
            ("X-Amz-Target", target),
        ):
            if value:
                headers[name] = value
        response = raw_request(
            server, method=method, path=path, headers=headers, body=body, sign=False
        )
        count += 1
        if response.status >= 500:
            server_errors.append((method, path, headers, body, response.status, response.body))
    assert count > 500
    assert not server_errors, server_errors[:5]
    assert server_is_healthy(server)


@pytest.mark.parametrize(
    "body",
    [
        '{"X":' + "[" * 100000 + "]" * 100000 + "}",
        '{"Limit":1e400}',
        '{"Limit":-1e400}',
        '{"Limit":3.9}',
        '{"Limit":99999999999999999999999999999999}',
        '{"ExclusiveStartStreamName":"a\\u0000b"}',
        '{"ExclusiveStartStreamName":"\\ud800"}',
        b'{"ExclusiveStartStreamName":"\xff\xfe"}',
        '{"Limit":1,"Limit":2}',
        '{"ExclusiveStartStreamName":"' + "x" * 100000 + '"}',
    ],
    ids=[
        "deep-nesting",
        "huge-float",
        "huge-negative-float",
        "fraction",
        "huge-integer",
        "nul-in-string",
        "lone-surrogate",
        "invalid-utf8",
        "duplicate-key",
        "long-string",
    ],
)
def test_odd_json_never_gets_a_5xx(server, body):
    response = call(server, "ListStreams", raw_body=body)
    assert 200 <= response.status < 500, response.describe()
    if response.status != 200:
        assert response.error_type in (
            "SerializationException",
            "ValidationException",
        ), response.describe()
    assert server_is_healthy(server)


@pytest.mark.parametrize("body", [" {} ", "\n{\n}\n", "\t{ \"Limit\" : 1 }\r\n"])
def test_json_whitespace_is_accepted(server, body):
    response = call(server, "ListStreams", raw_body=body)
    assert response.status == 200, response.describe()
