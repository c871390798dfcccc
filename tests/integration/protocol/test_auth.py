"""`--auth FILE`: real SigV4 verification (src/aws/sigv4.h, docs/security.md) for Kinesis,
DynamoDB and DynamoDB Streams, JSON and CBOR, HTTP/1.1 and HTTP/2, with boto3, raw requests
signed by botocore, curl's --aws-sigv4, the AWS CLI and the JavaScript SDK v3.

Without --auth nothing changes (every other test of the suite signs with a dummy secret)."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import time
from typing import Any, Optional
from unittest import mock

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions
import pytest

from support import (
    JS_DIR,
    TributaryServer,
    client_config,
    raw_request,
    skip_under_url,
    unique_name,
)

KEY = "AKIDTRIBUTARYAUTH"
SECRET = "right/secret+key"
ACCOUNT_KEY = "AKIDWITHACCOUNT"
ACCOUNT_SECRET = "account-secret"
ACCOUNT = "111122223333"
TEMPORARY_KEY = "ASIATRIBUTARYTEMP"
TEMPORARY_SECRET = "temporary-secret"
TOKEN = "FwoGZXIvYXdzEXAMPLE//token+="
# The fixed credentials of tests/js/scenario.mjs and dynamodb_scenario.mjs.
JS_KEY, JS_SECRET = "AKIDTRIBUTARYJS", "tributary-js-secret"

CREDENTIALS_FILE = f"""# Tributary --auth test keys
[default]
aws_access_key_id = {KEY}
aws_secret_access_key = {SECRET}
region = us-east-1

[with-account]
aws_access_key_id = {ACCOUNT_KEY}
aws_secret_access_key = {ACCOUNT_SECRET}
aws_account_id = {ACCOUNT}

[temporary]
aws_access_key_id = {TEMPORARY_KEY}
aws_secret_access_key = {TEMPORARY_SECRET}
aws_session_token = {TOKEN}

[js]
aws_access_key_id = {JS_KEY}
aws_secret_access_key = {JS_SECRET}
"""

MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details."
)
INVALID_TOKEN = "The security token included in the request is invalid."

KINESIS_JSON = {"Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": "Kinesis_20131202.ListStreams"}
DYNAMODB_JSON = {"Content-Type": "application/x-amz-json-1.0",
                 "X-Amz-Target": "DynamoDB_20120810.ListTables"}
STREAMS_JSON = {"Content-Type": "application/x-amz-json-1.0",
                "X-Amz-Target": "DynamoDBStreams_20120810.ListStreams"}


@pytest.fixture(scope="module")
def auth_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("auth") / "credentials"
    path.write_text(CREDENTIALS_FILE)
    return path


@pytest.fixture(scope="module")
def auth_server(auth_file):
    skip_under_url("starts a server with --auth")
    instance = TributaryServer(
        data_dir=None, in_memory=True,
        extra_args=["--auth", str(auth_file), "--create-table-ms", "0", "--delete-table-ms", "0",
                    "--register-consumer-ms", "0"])
    instance.start()
    yield instance
    instance.stop()


def client(server, service: str, key: str = KEY, secret: str = SECRET, *,
           token: Optional[str] = None, region: str = "us-east-1"):
    session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret,
                                    aws_session_token=token, region_name=region)
    return session.client(service, endpoint_url=server.url, config=client_config())


def error_of(call, *args, **kwargs) -> dict:
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call(*args, **kwargs)
    response = raised.value.response
    return {"code": response["Error"]["Code"], "message": response["Error"]["Message"],
            "status": response["ResponseMetadata"]["HTTPStatusCode"]}


def signed_headers(server, headers: dict[str, str], body: bytes, *, key: str = KEY,
                   secret: str = SECRET, token: Optional[str] = None, region: str = "us-east-1",
                   service: str = "kinesis", when: Optional[datetime.datetime] = None
                   ) -> dict[str, str]:
    """`headers` plus X-Amz-Date and Authorization, signed by botocore (at `when`, else now)."""
    host = server.address[3]
    request = botocore.awsrequest.AWSRequest(method="POST", url=f"http://{host}/", data=body,
                                             headers=dict(headers))
    signer = botocore.auth.SigV4Auth(botocore.credentials.Credentials(key, secret, token),
                                     service, region)
    if when is None:
        signer.add_auth(request)
    else:
        with mock.patch("botocore.auth.get_current_datetime", return_value=when):
            signer.add_auth(request)
    return dict(request.headers.items())


def send(server, headers: dict[str, str], body: bytes | str = b"{}", **signing: Any):
    if isinstance(body, str):
        body = body.encode()
    return raw_request(server, headers=signed_headers(server, headers, body, **signing), body=body,
                       sign=False)


# --------------------------------------------------------------------------------------------
# boto3: right and wrong keys for every service
# --------------------------------------------------------------------------------------------


def test_right_key_serves_every_service(auth_server):
    name = unique_name("auth")
    kinesis = client(auth_server, "kinesis")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    assert name in kinesis.list_streams()["StreamNames"]
    dynamodb = client(auth_server, "dynamodb")
    dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                          StreamSpecification={"StreamEnabled": True,
                                               "StreamViewType": "NEW_IMAGE"})
    dynamodb.put_item(TableName=name, Item={"k": {"S": "v"}})
    assert dynamodb.get_item(TableName=name, Key={"k": {"S": "v"}})["Item"] == {"k": {"S": "v"}}
    streams = client(auth_server, "dynamodbstreams").list_streams(TableName=name)["Streams"]
    assert len(streams) == 1


@pytest.mark.parametrize("service,call", [
    ("kinesis", lambda c: c.list_streams()),
    ("dynamodb", lambda c: c.list_tables()),
    ("dynamodbstreams", lambda c: c.list_streams()),
])
def test_wrong_secret_is_invalid_signature_with_the_canonical_request(auth_server, service, call):
    error = error_of(call, client(auth_server, service, secret="wrong-secret"))
    assert error["code"] == "InvalidSignatureException"
    assert error["status"] == 400
    signing_name = "kinesis" if service == "kinesis" else "dynamodb"
    assert error["message"].startswith(
        MISMATCH + "\n\nThe Canonical String for this request should have been\n'POST\n/\n\n")
    assert f"/us-east-1/{signing_name}/aws4_request\n" in error["message"]
    assert "\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n" in error["message"]


@pytest.mark.parametrize("service,call", [
    ("kinesis", lambda c: c.list_streams()),
    ("dynamodb", lambda c: c.list_tables()),
    ("dynamodbstreams", lambda c: c.list_streams()),
])
def test_unknown_key_id_is_unrecognized_client(auth_server, service, call):
    error = error_of(call, client(auth_server, service, key="AKIDNOBODYKNOWS"))
    assert error == {"code": "UnrecognizedClientException", "message": INVALID_TOKEN,
                     "status": 400}


def test_error_type_spelling_per_service(auth_server):
    kinesis = send(auth_server, KINESIS_JSON, secret="wrong")
    assert kinesis.status == 400
    assert kinesis.json["__type"] == "InvalidSignatureException"
    dynamodb = send(auth_server, DYNAMODB_JSON, service="dynamodb", secret="wrong")
    assert dynamodb.status == 400
    assert dynamodb.json["__type"] == "com.amazon.coral.service#InvalidSignatureException"
    assert "x-amz-crc32" in dynamodb.headers
    unknown = send(auth_server, STREAMS_JSON, service="dynamodb", key="AKIDUNKNOWN")
    assert unknown.json == {"__type": "com.amazon.coral.service#UnrecognizedClientException",
                            "message": INVALID_TOKEN}


def test_other_regions_are_served_and_scope_the_resources(auth_server):
    name = unique_name("auth-region")
    kinesis = client(auth_server, "kinesis", region="eu-west-1")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    arn = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    assert arn.startswith("arn:aws:kinesis:eu-west-1:000000000000:stream/")


def test_region_that_is_not_an_aws_region(auth_server):
    error = error_of(client(auth_server, "kinesis", region="moon-1").list_streams)
    assert error == {"code": "InvalidSignatureException", "status": 400,
                     "message": "Credential should be scoped to a valid region, not 'moon-1'. "}


def test_credential_scope_names_the_right_service(auth_server):
    kinesis = send(auth_server, KINESIS_JSON, service="dynamodb")
    assert (kinesis.status, kinesis.json) == (400, {
        "__type": "InvalidSignatureException",
        "message": "Credential should be scoped to correct service: 'kinesis'. "})
    streams = send(auth_server, STREAMS_JSON, service="dynamodbstreams")
    assert streams.json["message"] == "Credential should be scoped to correct service: 'dynamodb'. "
    # DynamoDB Streams is signed as dynamodb (the model's signingName).
    assert send(auth_server, STREAMS_JSON, service="dynamodb").status == 200


def test_key_account_id_is_the_account_of_the_resources(auth_server):
    name = unique_name("auth-account")
    kinesis = client(auth_server, "kinesis", ACCOUNT_KEY, ACCOUNT_SECRET)
    kinesis.create_stream(StreamName=name, ShardCount=1)
    arn = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    assert arn == f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/{name}"
    # Another key's account does not see it.
    assert name not in client(auth_server, "kinesis").list_streams()["StreamNames"]


def test_session_tokens(auth_server):
    assert "TableNames" in client(auth_server, "dynamodb", TEMPORARY_KEY, TEMPORARY_SECRET,
                                  token=TOKEN).list_tables()
    for token in (None, TOKEN + "x"):
        error = error_of(client(auth_server, "dynamodb", TEMPORARY_KEY, TEMPORARY_SECRET,
                                token=token).list_tables)
        assert error["code"] == "UnrecognizedClientException", token
    # A long-term key with a token.
    error = error_of(client(auth_server, "kinesis", token=TOKEN).list_streams)
    assert error["code"] == "UnrecognizedClientException"


# --------------------------------------------------------------------------------------------
# Raw requests: dates, tampering, unsigned, UNSIGNED-PAYLOAD, CBOR
# --------------------------------------------------------------------------------------------


def test_old_and_future_dates_are_refused_in_aws_words(auth_server):
    now = datetime.datetime.now(datetime.timezone.utc)
    old = send(auth_server, KINESIS_JSON, when=now - datetime.timedelta(minutes=6))
    assert old.status == 400, old.describe()
    assert old.json["__type"] == "InvalidSignatureException"
    assert old.json["message"].startswith("Signature expired: ")
    assert " is now earlier than " in old.json["message"]
    assert old.json["message"].endswith(" - 5 min.)")
    future = send(auth_server, DYNAMODB_JSON, service="dynamodb",
                  when=now + datetime.timedelta(minutes=6))
    assert future.json["__type"] == "com.amazon.coral.service#InvalidSignatureException"
    assert future.json["message"].startswith("Signature not yet current: ")
    assert future.json["message"].endswith(" + 5 min.)")
    recent = send(auth_server, KINESIS_JSON, when=now - datetime.timedelta(minutes=4))
    assert recent.status == 200, recent.describe()


def test_tampered_body_is_refused(auth_server):
    body = json.dumps({"Limit": 1}).encode()
    headers = signed_headers(auth_server, KINESIS_JSON, body)
    assert raw_request(auth_server, headers=headers, body=body, sign=False).status == 200
    tampered = raw_request(auth_server, headers=headers, body=json.dumps({"Limit": 2}).encode(),
                           sign=False)
    assert tampered.status == 400, tampered.describe()
    assert tampered.json["__type"] == "InvalidSignatureException"
    assert tampered.json["message"].startswith(MISMATCH)


def test_tampered_signed_header_is_refused(auth_server):
    headers = signed_headers(auth_server, KINESIS_JSON, b"{}")
    assert "x-amz-target" in headers["Authorization"]
    headers["X-Amz-Target"] = "Kinesis_20131202.DescribeLimits"
    response = raw_request(auth_server, headers=headers, body=b"{}", sign=False)
    assert response.status == 400, response.describe()
    assert response.json["__type"] == "InvalidSignatureException"
    assert "x-amz-target:Kinesis_20131202.DescribeLimits\n" in response.json["message"]
    # An unsigned header may be added.
    headers = signed_headers(auth_server, KINESIS_JSON, b"{}")
    headers["X-Unsigned-Extra"] = "anything"
    assert raw_request(auth_server, headers=headers, body=b"{}", sign=False).status == 200


def test_unsigned_request_is_missing_authentication_token(auth_server):
    for headers in (KINESIS_JSON, DYNAMODB_JSON):
        response = raw_request(auth_server, headers=headers, body=b"{}", sign=False)
        assert response.status == 400, response.describe()
        assert response.json["__type"].endswith("MissingAuthenticationTokenException")
        assert response.json["message"] == "Missing Authentication Token"


def test_unsigned_payload(auth_server):
    headers = dict(KINESIS_JSON)
    headers["X-Amz-Content-SHA256"] = "UNSIGNED-PAYLOAD"
    signed = signed_headers(auth_server, headers, b"{}")
    assert raw_request(auth_server, headers=signed, body=b"{}", sign=False).status == 200
    # The body is not covered by the signature then (documented in docs/security.md).
    assert raw_request(auth_server, headers=signed, body=b'{"Limit": 3}',
                       sign=False).status == 200
    # A hash that is not the body's is refused.
    headers["X-Amz-Content-SHA256"] = "0" * 64
    wrong = send(auth_server, headers)
    assert wrong.json["__type"] == "InvalidSignatureException"


def test_cbor_errors_are_cbor(auth_server):
    cbor2 = pytest.importorskip("cbor2")
    headers = {"Content-Type": "application/x-amz-cbor-1.1",
               "X-Amz-Target": "Kinesis_20131202.ListStreams"}
    body = cbor2.dumps({})
    assert send(auth_server, headers, body).status == 200
    wrong = send(auth_server, headers, body, secret="wrong")
    assert wrong.status == 400
    assert wrong.headers["content-type"] == "application/x-amz-cbor-1.1"
    document = cbor2.loads(wrong.body)
    assert document["__type"] == "InvalidSignatureException"
    assert document["message"].startswith(MISMATCH)


def test_local_gets_stay_unauthenticated(auth_server):
    for path in ("/_tributary/health", "/metrics"):
        response = raw_request(auth_server, method="GET", path=path, sign=False)
        assert response.status == 200, (path, response.describe())


# --------------------------------------------------------------------------------------------
# HTTP/2 (curl --aws-sigv4), the AWS CLI, the JavaScript SDK
# --------------------------------------------------------------------------------------------


def curl_h2c(server, secret: str, target: str = "Kinesis_20131202.ListStreams",
             content_type: str = "application/x-amz-json-1.1", service: str = "kinesis"):
    command = ["curl", "-sS", "--max-time", "20", "--http2-prior-knowledge",
               "--aws-sigv4", f"aws:amz:us-east-1:{service}", "--user", f"{KEY}:{secret}",
               "-H", f"Content-Type: {content_type}", "-H", f"X-Amz-Target: {target}",
               "--data-binary", "{}", "-w", "\n%{http_code} %{http_version}",
               f"http://127.0.0.1:{server.port}/"]
    completed = subprocess.run(command, capture_output=True, timeout=30)
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")
    body, _, trailer = completed.stdout.rpartition(b"\n")
    status, version = trailer.decode().split()
    return int(status), version, json.loads(body)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_http2_with_right_and_wrong_secret(auth_server):
    status, version, body = curl_h2c(auth_server, SECRET)
    assert (status, version) == (200, "2"), body
    assert "StreamNames" in body
    status, version, body = curl_h2c(auth_server, SECRET, "DynamoDB_20120810.ListTables",
                                     "application/x-amz-json-1.0", "dynamodb")
    assert (status, version) == (200, "2"), body
    status, version, body = curl_h2c(auth_server, "wrong")
    assert (status, version) == (400, "2")
    assert body["__type"] == "InvalidSignatureException"
    assert body["message"].startswith(MISMATCH)


def aws_cli(server, secret: str, *arguments: str) -> subprocess.CompletedProcess:
    executable = shutil.which("aws")
    if executable is None:
        pytest.fail("the AWS CLI ('aws') is not on PATH")
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("AWS_") and not key.startswith("TRIBUTARY_")}
    environment.update(AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=secret,
                       AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=os.devnull,
                       AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_MAX_ATTEMPTS="1",
                       AWS_PAGER="")
    return subprocess.run([executable, "--endpoint-url", server.url, "--output", "json",
                           *arguments], env=environment, capture_output=True, text=True,
                          timeout=60)


def test_aws_cli_with_right_and_wrong_key(auth_server):
    right = aws_cli(auth_server, SECRET, "kinesis", "list-streams")
    assert right.returncode == 0, right.stderr
    assert "StreamNames" in json.loads(right.stdout)
    right = aws_cli(auth_server, SECRET, "dynamodb", "list-tables")
    assert right.returncode == 0, right.stderr
    wrong = aws_cli(auth_server, "wrong", "kinesis", "list-streams")
    assert wrong.returncode != 0
    assert "(InvalidSignatureException)" in wrong.stderr
    assert MISMATCH in wrong.stderr


def run_node(script: str, *arguments: str, timeout: float = 60) -> subprocess.CompletedProcess:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail("node is not installed; run `scripts/install-deps.sh --test --npm`")
    for package in ("@aws-sdk/client-kinesis", "@aws-sdk/client-dynamodb",
                    "@aws-sdk/client-dynamodb-streams", "@smithy/node-http-handler"):
        if not (JS_DIR / "node_modules" / package / "package.json").exists():
            pytest.fail(f"{package} is not installed in {JS_DIR}/node_modules")
    return subprocess.run([node, str(JS_DIR / script), *arguments], cwd=JS_DIR,
                          capture_output=True, text=True, timeout=timeout)


def test_javascript_sdk_with_right_and_wrong_secret(auth_server):
    right = run_node("auth_scenario.mjs", auth_server.url, KEY, SECRET)
    assert right.returncode == 0, right.stderr
    summary = json.loads(right.stdout.strip().splitlines()[-1])
    assert summary["kinesis"] == {"ok": True}, summary
    assert summary["dynamodb"] == {"ok": True}, summary
    assert summary["dynamodbstreams"] == {"ok": True}, summary
    assert summary["http2_streams"] >= 1

    wrong = run_node("auth_scenario.mjs", auth_server.url, KEY, "wrong-secret")
    assert wrong.returncode == 0, wrong.stderr
    summary = json.loads(wrong.stdout.strip().splitlines()[-1])
    for service in ("kinesis", "dynamodb", "dynamodbstreams"):
        outcome = summary[service]
        assert outcome["ok"] is False, (service, summary)
        assert outcome["name"] == "InvalidSignatureException", (service, outcome)
        assert outcome["status"] == 400
        assert outcome["message"].startswith(MISMATCH)
    assert summary["http2_streams"] >= 1


def test_javascript_sdk_subscribe_to_shard_over_http2_is_verified(auth_server):
    # scenario.mjs fan-out: RegisterStreamConsumer, SubscribeToShard over HTTP/2, records read
    # from the event stream, all signed with its fixed key (in the credentials file).
    completed = run_node("scenario.mjs", auth_server.url, "fan-out", timeout=90)
    assert completed.returncode == 0, f"{completed.stdout}\n{completed.stderr}"
    summary = json.loads(completed.stdout.strip().splitlines()[-1])
    assert summary["ok"] is True


# --------------------------------------------------------------------------------------------
# Start-up: the environment variable, a bad file, --init with --auth
# --------------------------------------------------------------------------------------------


def test_auth_through_the_environment(start_server, auth_file):
    server = start_server(in_memory=True, extra_env={"TRIBUTARY_AUTH": str(auth_file)})
    assert error_of(client(server, "kinesis", secret="wrong").list_streams)["code"] == \
        "InvalidSignatureException"
    assert "StreamNames" in client(server, "kinesis").list_streams()


def test_bad_credentials_file_stops_start_up_naming_it(tmp_path):
    skip_under_url("starts a server")
    bad = tmp_path / "credentials"
    bad.write_text("[default]\naws_access_key_id = K\n")
    server = TributaryServer(data_dir=None, in_memory=True, extra_args=["--auth", str(bad)])
    with pytest.raises(pytest.fail.Exception):
        server.start()
    output = server.output_tail()
    assert str(bad) in output
    assert "needs both aws_access_key_id and aws_secret_access_key" in output


def test_init_file_is_applied_with_auth(start_server, tmp_path, auth_file):
    init = tmp_path / "init.json"
    init.write_text(json.dumps({"streams": [{"name": "from-init", "shard_count": 1}]}))
    server = start_server(in_memory=True, extra_args=["--auth", str(auth_file),
                                                      "--init", str(init)])
    kinesis = client(server, "kinesis")
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=20)
    while "from-init" not in kinesis.list_streams()["StreamNames"]:
        assert datetime.datetime.now() < deadline, server.output_tail()
        time.sleep(0.05)
