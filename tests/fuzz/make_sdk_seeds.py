#!/usr/bin/env python3
"""Writes the seed corpora of json_fuzz, values_fuzz, tokens_fuzz, http1_fuzz and http2_fuzz
(tests/fuzz/corpus/<target>/) from requests real clients build: each request below is made by a
botocore client whose `before-send` hook captures the prepared HTTP request (method, path,
headers, body: byte for byte what boto3 sends) and answers it locally; the HTTP/2 seeds are
what curl (libcurl on nghttp2, --http2-prior-knowledge) writes to a local listening socket for
such requests. Nothing leaves the machine. The files are committed; run this again only to
change them:

    python3 tests/fuzz/make_sdk_seeds.py            # all of them
    python3 tests/fuzz/make_sdk_seeds.py json       # only the named ones

The fuzz targets read a mode byte first (see each target's header): the seeds put it in front.
"""

from __future__ import annotations

import pathlib
import sys

import botocore.exceptions
import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config

CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"

ITEM = {
    "pk": {"S": "user#1"}, "sk": {"N": "1.5e3"}, "blob": {"B": b"\x00\x01\xff"},
    "flag": {"BOOL": True}, "nothing": {"NULL": True},
    "tags": {"SS": ["a", "b"]}, "scores": {"NS": ["-1", "0.001", "1E+10"]},
    "bins": {"BS": [b"x", b"\x00"]},
    "doc": {"M": {"list": {"L": [{"S": ""}, {"N": "-0"}, {"M": {"deep": {"L": []}}}]}}},
}

CALLS = {
    "kinesis": [
        ("CreateStream", {"StreamName": "s", "ShardCount": 2}),
        ("PutRecord", {"StreamName": "s", "Data": b"hello", "PartitionKey": "p",
                       "ExplicitHashKey": "340282366920938463463374607431768211455"}),
        ("PutRecords", {"StreamName": "s", "Records": [
            {"Data": b"a", "PartitionKey": "1"}, {"Data": b"\x00" * 40, "PartitionKey": "2"}]}),
        ("GetShardIterator", {"StreamName": "s", "ShardId": "shardId-000000000000",
                              "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": 1790000000.5}),
        ("GetRecords", {"ShardIterator": "AAAAAAAAAAE=", "Limit": 10000}),
        ("ListShards", {"StreamName": "s", "ShardFilter": {"Type": "AT_LATEST"}, "MaxResults": 3}),
        ("ListStreams", {"Limit": 5, "ExclusiveStartStreamName": "a"}),
        ("UpdateShardCount", {"StreamName": "s", "TargetShardCount": 4,
                              "ScalingType": "UNIFORM_SCALING"}),
        ("AddTagsToStream", {"StreamName": "s", "Tags": {"k": "v", "k2": ""}}),
        ("RegisterStreamConsumer", {"StreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s",
                                    "ConsumerName": "c"}),
    ],
    "dynamodb": [
        ("CreateTable", {"TableName": "things", "BillingMode": "PAY_PER_REQUEST",
                         "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                                  {"AttributeName": "sk", "AttributeType": "N"}],
                         "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                       {"AttributeName": "sk", "KeyType": "RANGE"}],
                         "StreamSpecification": {"StreamEnabled": True,
                                                 "StreamViewType": "NEW_AND_OLD_IMAGES"}}),
        ("PutItem", {"TableName": "things", "Item": ITEM, "ConditionExpression": "attribute_not_exists(pk)",
                     "ReturnValues": "ALL_OLD"}),
        ("GetItem", {"TableName": "things", "Key": {"pk": {"S": "user#1"}, "sk": {"N": "1500"}},
                     "ProjectionExpression": "#d.list[0], scores", "ExpressionAttributeNames": {"#d": "doc"}}),
        ("UpdateItem", {"TableName": "things", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}},
                        "UpdateExpression": "SET n = n + :one ADD tags :t REMOVE gone",
                        "ExpressionAttributeValues": {":one": {"N": "1"}, ":t": {"SS": ["c"]}}}),
        ("Query", {"TableName": "things", "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
                   "ExpressionAttributeValues": {":p": {"S": "a"}, ":a": {"N": "-1e-130"},
                                                 ":b": {"N": "9.9999999999999999999999999999999999999E+125"}},
                   "ExclusiveStartKey": {"pk": {"S": "a"}, "sk": {"N": "0"}}, "Limit": 10}),
        ("Scan", {"TableName": "things", "Segment": 1, "TotalSegments": 4, "Select": "COUNT"}),
        ("BatchWriteItem", {"RequestItems": {"things": [{"PutRequest": {"Item": ITEM}},
                                                   {"DeleteRequest": {"Key": {"pk": {"S": "b"}, "sk": {"N": "2"}}}}]}}),
        ("TransactWriteItems", {"TransactItems": [
            {"ConditionCheck": {"TableName": "things", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}},
                                "ConditionExpression": "attribute_exists(pk)"}},
            {"Put": {"TableName": "things", "Item": {"pk": {"S": "c"}, "sk": {"N": "3"}}}}],
            "ClientRequestToken": "token-1"}),
        ("ExecuteStatement", {"Statement": "SELECT * FROM things WHERE pk = ?", "Parameters": [{"S": "a"}],
                              "NextToken": "AAAAAAAAAAE="}),
        ("UpdateTimeToLive", {"TableName": "things", "TimeToLiveSpecification": {"Enabled": True,
                                                                             "AttributeName": "ttl"}}),
    ],
    "dynamodbstreams": [
        ("ListStreams", {"TableName": "things", "Limit": 2}),
        ("DescribeStream", {"StreamArn": "arn:aws:dynamodb:us-east-1:123456789012:table/things/stream/2026-12-02T08:00:00.000",
                            "ExclusiveStartShardId": "shardId-00000001790000000000-00000001"}),
        ("GetShardIterator", {"StreamArn": "arn:aws:dynamodb:us-east-1:123456789012:table/things/stream/2026-12-02T08:00:00.000",
                              "ShardId": "shardId-00000001790000000000-00000001",
                              "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                              "SequenceNumber": "100000000000000000001"}),
        ("GetRecords", {"ShardIterator": "arn:aws:dynamodb:us-east-1:123456789012:table/things/stream/2026-12-02T08:00:00.000|1|AAAAAAAAAAE=",
                        "Limit": 1000}),
    ],
}


def capture() -> dict[str, bytes]:
    """Request bodies as boto3 sends them, keyed by file name."""
    return {name: request.body for name, request in capture_requests().items()}


def capture_requests() -> dict:
    """botocore's prepared requests (url, method, headers, body), keyed by file name."""
    bodies: dict = {}
    session = botocore.session.get_session()
    for service, calls in CALLS.items():
        client = session.create_client(
            service, region_name="us-east-1", endpoint_url="http://127.0.0.1:1",
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
            config=Config(retries={"max_attempts": 0}))
        sent = []

        def before_send(request, **_):
            sent.append(request)
            return AWSResponse(request.url, 200, {}, None)

        client.meta.events.register("before-send", before_send)
        for operation, params in calls:
            method = getattr(client, botocore.xform_name(operation))
            try:
                method(**params)
            except botocore.exceptions.ParamValidationError:
                raise
            except Exception:  # the fake empty answer may not parse; the request is captured
                pass
            request = sent[-1]
            if not isinstance(request.body, bytes):
                request.body = (request.body or "").encode()
            bodies[f"{service}-{operation}.json"] = request
    return bodies


_REQUESTS: dict = {}


def requests() -> dict:
    if not _REQUESTS:
        _REQUESTS.update(capture_requests())
    return _REQUESTS


def http1_bytes(request, extra: dict[str, str] | None = None, chunked: bool = False) -> bytes:
    headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()}
    headers["Host"] = "127.0.0.1:4567"
    headers.update(extra or {})
    body = request.body
    if chunked:
        headers.pop("Content-Length", None)
        headers["Transfer-Encoding"] = "chunked"
        pieces = [body[i:i + 7] for i in range(0, len(body), 7)]
        body = b"".join(b"%x\r\n" % len(p) + p + b"\r\n" for p in pieces) + b"0\r\n\r\n"
    else:
        headers["Content-Length"] = str(len(body))
    head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode() + body


def http1_seeds() -> dict[str, bytes]:
    reqs = requests()
    seeds = {}
    for name in ["kinesis-PutRecord.json", "kinesis-ListShards.json", "dynamodb-PutItem.json",
                 "dynamodb-Query.json", "dynamodbstreams-GetRecords.json"]:
        stem = name[:-5]
        seeds[f"{stem}.http"] = b"\x00" + http1_bytes(reqs[name])
        seeds[f"{stem}-pieces.http"] = b"\x07" + http1_bytes(reqs[name])
    put = reqs["kinesis-PutRecords.json"]
    seeds["chunked.http"] = b"\x05" + http1_bytes(put, chunked=True)
    seeds["pipelined.http"] = b"\x00" + http1_bytes(put) + http1_bytes(reqs["kinesis-ListStreams.json"])
    seeds["close.http"] = b"\x00" + http1_bytes(put, {"Connection": "close"}) + http1_bytes(put)
    seeds["http10.http"] = b"\x00GET /ping HTTP/1.0\r\n\r\n"
    seeds["expect.http"] = b"\x03" + http1_bytes(put, {"Expect": "100-continue"})
    big = http1_bytes(put).replace(b"Content-Length: ", b"Content-Length: 99999", 1)
    seeds["too-large.http"] = b"\x00" + big
    seeds["bad-chunk.http"] = b"\x00POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
    seeds["bad-line.http"] = b"\x00POST  / HTTP/9.9\r\nHost h\r\n\r\n"
    seeds["long-header.http"] = b"\x00GET / HTTP/1.1\r\nX: " + b"a" * 5000 + b"\r\n\r\n"
    return seeds


def curl_h2(request, path: str = "/") -> bytes:
    """What curl --http2-prior-knowledge sends for `request` (captured on a local socket)."""
    import socket
    import subprocess
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    args = ["curl", "-s", "--http2-prior-knowledge", "-m", "2", "-X", "POST"]
    for k, v in request.headers.items():
        v = v.decode() if isinstance(v, bytes) else v
        if k.lower() not in ("content-length", "host"):
            args += ["-H", f"{k}: {v}"]
    args += ["--data-binary", "@-", f"http://127.0.0.1:{port}{path}"]
    client = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    client.stdin.write(request.body)
    client.stdin.close()
    connection, _ = server.accept()
    connection.settimeout(0.7)
    data = b""
    try:
        while chunk := connection.recv(65536):
            data += chunk
    except socket.timeout:
        pass
    connection.close()
    server.close()
    client.wait()
    return data


def http2_seeds() -> dict[str, bytes]:
    reqs = requests()
    seeds = {}
    preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    for name in ["kinesis-PutRecord.json", "kinesis-GetRecords.json", "dynamodb-PutItem.json",
                 "dynamodbstreams-DescribeStream.json"]:
        sent = curl_h2(reqs[name])
        assert sent.startswith(preface), name
        stem = name[:-5]
        seeds[f"{stem}.h2"] = b"\x80" + sent  # as captured, preface included
        seeds[f"{stem}-pieces.h2"] = b"\x05" + sent[len(preface):]  # the target adds the preface
    big = reqs["kinesis-PutRecords.json"]
    big.body = big.body * 200  # over the fuzz harness's 4 KiB body limit: a 413
    seeds["too-large.h2"] = b"\x00" + curl_h2(big)[len(preface):]
    seeds["preface-only.h2"] = b"\x80" + preface
    seeds["garbage.h2"] = b"\x80" + b"GET / HTTP/1.1\r\n\r\n"
    return seeds


def json_seeds(bodies: dict[str, bytes]) -> dict[str, bytes]:
    seeds = dict(bodies)
    seeds.update({
        "bad-truncated.json": b'{"StreamName": "s", "Data": "aGVsbG8',
        "bad-type.json": b'{"StreamName": 5, "Limit": "x", "Item": []}',
        "bad-base64.json": b'{"StreamName": "s", "Data": "@@@", "PartitionKey": "p"}',
        "deep.json": b'{"Item": {"a": ' + b'{"M": {"a": ' * 40 + b'{"S": "x"}' + b"}}" * 40 + b"}}",
        "numbers.json": b'{"Limit": 1e400, "ShardCount": -9223372036854775809, "Timestamp": 1.7e9}',
        "unicode.json": '{"StreamName": "\\ud83d\\ude00 \u00e9", "TableName": "\\u0000"}'.encode(),
    })
    return seeds


def values_seeds(bodies: dict[str, bytes]) -> dict[str, bytes]:
    numbers = ["0", "-0", "1.5e3", "1500", ".5", "5.", "0001.23", "-1E-130", "1E-131",
               "9.9999999999999999999999999999999999999E+125", "1e126", "0e126", "0.0e126",
               "12345678901234567890123456789012345678", "123456789012345678901234567890123456789",
               "1e9223372036854775808", "NaN", "+7", "", " 1", "1e", "-.e1"]
    seeds = {f"number-{i:02}": b"\x00" + n.encode() for i, n in enumerate(numbers)}
    pairs = [("1", "1.0"), ("-1", "1"), ("0.1", "0.09"), ("-1e-130", "0"), ("1e125", "9e124"),
             ("-100", "-99.999"), ("12345678901234567890123456789012345678", "1")]
    seeds.update({f"pair-{i:02}": b"\x00" + a.encode() + b"\x01" + b.encode()
                  for i, (a, b) in enumerate(pairs)})
    for name, body in bodies.items():
        if name.startswith("dynamodb-") and b'"Item"' in body:
            seeds[f"document-{name}"] = b"\x02" + body
    seeds["document-empty-value"] = b'\x02{"TableName":"t","Item":{"a":{}}}'
    seeds["document-two-types"] = b'\x02{"TableName":"t","Item":{"a":{"S":"x","N":"1"}}}'
    seeds["document-dup-set"] = b'\x02{"TableName":"t","Item":{"a":{"NS":["1","1.0"]}}}'
    # Stored forms: an item and key components as src/dynamodb/values/item_codec.cc writes them
    # (layouts in docs/storage-encoding.md); the fuzzer mutates from here.
    seeds["stored-empty-item"] = b"\x01\x01"
    seeds["stored-key-s"] = b"\x01abc\x00\xff\x00\x01"
    seeds["stored-bytes"] = b"\x01" + bytes(range(0, 40))
    return seeds


def tokens_seeds() -> dict[str, bytes]:
    sep = b"\x1f"
    arn = b"arn:aws:dynamodb:us-east-1:123456789012:table/things/stream/2026-12-02T08:00:00.000"
    import struct
    streams_plain = struct.pack(">BQIIQQ", 1, 7, 0, 1, 42, 1790000000000) + arn
    return {
        "client-kinesis-iterator": b"\x00AAAAAAAAAAEWnVHUH+nRcQ3DksBeLKDG9R6Z7MF7ZdEDAAAAAAAAAAA=",
        "client-quoted": b'\x00"AAAAAAAAAAE="',
        "client-streams-iterator": b"\x00" + arn + b"|1|AAAAAAAAAAE=",
        "client-arn": b"\x00" + arn,
        "client-sequence-number": b"\x00100000000000000000001",
        "client-empty": b"\x00",
        "kinesis-iterator-plain": b"\x01" + sep.join([b"1", b"123456789012", b"us-east-1", b"s", b"1",
                                                      b"0", b"0", b"1790000000000"]) + sep + b"0" * 40,
        "kinesis-next-token-plain": b"\x01" + sep.join([b"ListShards", b"123456789012", b"us-east-1",
                                                       b"1790000000000", b"s", b"shardId-000000000001"]),
        "kinesis-next-token-expired": b"\x01" + sep.join([b"ListStreams", b"123456789012", b"us-east-1",
                                                         b"0", b"a"]),
        "streams-iterator-plain": b"\x02" + arn + b"\x02" + streams_plain,
        "streams-iterator-mismatch": b"\x02" + arn + b"\x02" + streams_plain[:-3],
        # ExecuteStatement NextToken plaintexts (src/dynamodb/ops/partiql_next_token.cc): the last
        # key in the item encoding (version 1, one entry "pk" -> S "a").
        "partiql-next-token-plain": b"\x03" + sep.join([b"partiql", b"123456789012", b"us-east-1",
                                                        b"1234567", b"0", b"\x01\x01\x02pk\x00\x01a"]),
        "partiql-next-token-no-key": b"\x03" + sep.join([b"partiql", b"123456789012", b"us-east-1",
                                                         b"1234567", b"2", b""]),
        "partiql-next-token-foreign": b"\x03" + sep.join([b"partiql", b"210987654321", b"us-east-1",
                                                          b"1234567", b"0", b""]),
    }


def write(directory: str, seeds: dict[str, bytes]) -> None:
    target = CORPUS / directory
    target.mkdir(parents=True, exist_ok=True)
    for old in target.iterdir():
        old.unlink()
    for name, data in sorted(seeds.items()):
        (target / name).write_bytes(data)
    print(f"{target}: {len(seeds)} seeds")


if __name__ == "__main__":
    wanted = sys.argv[1:] or ["json", "values", "tokens", "http1", "http2"]
    bodies = {name: request.body for name, request in requests().items()}
    makers = {"json": lambda: json_seeds(bodies), "values": lambda: values_seeds(bodies),
              "tokens": tokens_seeds, "http1": http1_seeds, "http2": http2_seeds}
    for name in wanted:
        write(name, makers[name]())
