"""CBOR (application/x-amz-cbor-1.1) round trips for every implemented Kinesis operation, checked
with an independent CBOR library (cbor2) against what the same request returns over JSON 1.1.

For each operation in the server's operation table (parsed from src/kinesis/operations.cc, so a
newly implemented operation without a case here FAILS until one is added to CASES) one request
is sent three ways: as JSON, as cbor2's definite-length CBOR and as indefinite-length CBOR
(chunked strings too). The CBOR answers are decoded by cbor2 and must
  * carry the right wire types everywhere the botocore model says so: timestamps are tag 1 over
    an INTEGER count of epoch milliseconds, blobs are byte strings, ...;
  * equal the JSON answer once both are normalised (timestamps as milliseconds, blobs as bytes).
Read-only operations run the three requests against one account's state, so everything must
match exactly (iterators and pagination tokens, which may differ per call, are followed through
JSON instead and what they lead to is compared). Operations that change state run each encoding
in an account of its own on identical state; then timestamps, sequence numbers and the account
id are masked, and the state each call left behind is read back through JSON and compared.
SubscribeToShard answers an event stream: there every event's payload is checked and compared
(the same records from three consumers of one stream).

Errors: every operation with an empty request ({}), a few specific errors, and malformed CBOR
bodies (SerializationException) must answer a CBOR error body whose __type (and message) equal
JSON's.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

import pytest

from cbor_support import (
    CBOR_CONTENT_TYPE,
    ENCODINGS,
    EVENTSTREAM_CONTENT_TYPE,
    EpochMillis,
    cbor_call,
    decode,
    encode_definite,
    encode_indefinite,
    error_fields,
    normalise_cbor,
    normalise_json,
    output_shape,
    service_model,
    subscribe,
    to_json_payload,
)
from support import (
    JSON_CONTENT_TYPE,
    REPO_ROOT,
    TributaryServer,
    call,
    fresh_account,
)

OPERATIONS_SOURCE = REPO_ROOT / "src" / "kinesis" / "operations.cc"
OPERATION_LIST = REPO_ROOT / "src" / "kinesis" / "operation_list.h"
DEFAULT_KMS_KEY = "alias/aws/kinesis"


def implemented_operations() -> list[str]:
    """The names registered in src/kinesis/operation_list.h (one X(Name, function) line each)."""
    return re.findall(r"X\((\w+),\s*\w+\)", OPERATION_LIST.read_text())


def planned_operations() -> list[str]:
    """The names in unsupported_operations() (known to the model, not implemented yet)."""
    source = OPERATIONS_SOURCE.read_text()
    start = source.index("unsupported_operations()")
    end = source.index("};", start)
    return re.findall(r'\{\s*"(\w+)"\s*,', source[start:end])


OPERATIONS = implemented_operations()


# --------------------------------------------------------------------------------------------
# One account's view of the server
# --------------------------------------------------------------------------------------------


@dataclass
class Env:
    server: TributaryServer
    account: str
    name: str
    scratch: dict = field(default_factory=dict)

    def arn(self, name: Optional[str] = None) -> str:
        return f"arn:aws:kinesis:us-east-1:{self.account}:stream/{name or self.name}"

    def do(self, operation: str, **payload: Any) -> Any:
        """A setup call through JSON that must succeed; waits for the stream to be ACTIVE again
        when the call names it (many changes leave it UPDATING for a moment)."""
        answer = self.read(operation, payload)
        stream = payload.get("StreamName") or (self.name if "StreamARN" in payload else None)
        if stream is not None and operation not in ("PutRecord", "GetShardIterator"):
            self.wait_active(stream)
        return answer

    def wait_active(self, name: Optional[str] = None) -> None:
        deadline = time.monotonic() + 10
        while True:
            status, body = self.json_call("DescribeStreamSummary", {"StreamName": name or self.name})
            if status == 200 and body["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE":
                return
            assert time.monotonic() < deadline, f"stream {name or self.name} not ACTIVE: {body!r}"
            time.sleep(0.02)

    def create(self, shards: int = 1, name: Optional[str] = None, **kwargs: Any) -> None:
        self.do("CreateStream", StreamName=name or self.name, ShardCount=shards, **kwargs)

    def create_on_demand(self, name: Optional[str] = None) -> None:
        self.do("CreateStream", StreamName=name or self.name,
                StreamModeDetails={"StreamMode": "ON_DEMAND"})

    def json_call(self, operation: str, payload: Any) -> tuple[int, Any]:
        """(status, body normalised with the model) of a JSON call in this account."""
        response = call(self.server, operation, to_json_payload(payload), access_key=self.account)
        assert response.headers.get("content-type") == JSON_CONTENT_TYPE, response.describe()
        body = json.loads(response.body) if response.body else None
        if response.status == 200:
            body = normalise_json(body, output_shape(operation))
        return response.status, body

    def read(self, operation: str, payload: Any) -> Any:
        status, body = self.json_call(operation, payload)
        assert status == 200, (operation, status, body)
        return body

    def records(self, shard_id: str = "shardId-000000000000") -> list:
        iterator = self.do("GetShardIterator", StreamName=self.name, ShardId=shard_id,
                           ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        return self.read("GetRecords", {"ShardIterator": iterator})["Records"]


# --------------------------------------------------------------------------------------------
# Masking what legitimately differs
# --------------------------------------------------------------------------------------------

TOKEN_SHAPES = {"ShardIterator", "NextToken"}
CONSUMER_ARN_TIME = re.compile(r"(/consumer/[^:/]+:)\d+")


def mask(value: Any, shape, *, accounts: tuple[str, ...] = (), per_call: bool = False) -> Any:
    """Replaces per-call tokens by "<token>"; with per_call (each encoding ran in its own account)
    also timestamps, sequence numbers and the account id."""
    if shape is not None and shape.name in TOKEN_SHAPES and isinstance(value, str) and value:
        return "<token>"
    if per_call and shape is not None:
        if shape.type_name == "timestamp" and isinstance(value, EpochMillis):
            return "<timestamp>"
        if shape.name == "SequenceNumber" and isinstance(value, str) and value.isdigit():
            return "<sequence>"
    if isinstance(value, dict):
        kind = shape.type_name if shape is not None else None
        result = {}
        for key, item in value.items():
            if kind == "structure":
                child = shape.members.get(key)
            elif kind == "map":
                child = shape.value
            else:
                child = None
            result[key] = mask(item, child, accounts=accounts, per_call=per_call)
        return result
    if isinstance(value, (list, tuple)):
        child = shape.member if shape is not None and shape.type_name == "list" else None
        return type(value)(mask(item, child, accounts=accounts, per_call=per_call)
                           for item in value)
    if isinstance(value, str):
        for account in accounts:
            value = value.replace(account, "<account>")
        if per_call:  # a consumer ARN ends in its creation time
            value = CONSUMER_ARN_TIME.sub(r"\1<time>", value)
    return value


def masked_state(env: Env, value: Any, operation: str) -> Any:
    return mask(value, output_shape(operation), accounts=(env.account,), per_call=True)


# --------------------------------------------------------------------------------------------
# Cases: one per operation
# --------------------------------------------------------------------------------------------


@dataclass
class Case:
    request: Callable[[Env], dict]
    setup: Callable[[Env], None] = lambda env: None
    # True: the three encodings run one after another on one account's state (read-only
    # operations; answers must match exactly). False: each encoding gets an account of its own.
    shared_state: bool = False
    # Reads (through JSON) the state the call left behind; compared across encodings.
    observe: Optional[Callable[[Env], Any]] = None
    # Follows what the answer points to (an iterator, a token) through JSON; compared.
    follow: Optional[Callable[[Env, Any], Any]] = None
    # For operations whose answer is not one document (SubscribeToShard's event stream): runs
    # the call in one encoding on the state setup() made and returns what is compared.
    runner: Optional[Callable[[Env, str], Any]] = None


def summary(env: Env) -> Any:
    return masked_state(env, env.read("DescribeStreamSummary", {"StreamName": env.name}),
                        "DescribeStreamSummary")


def stream_tags(env: Env) -> Any:
    return env.read("ListTagsForStream", {"StreamName": env.name})


def resource_tags(env: Env) -> Any:
    return masked_state(env, env.read("ListTagsForResource", {"ResourceARN": env.arn()}),
                        "ListTagsForResource")


def stored_records(env: Env) -> Any:
    return masked_state(env, {"Records": env.records()}, "GetRecords")


def policy_document(env: Env) -> str:
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "cbor-round-trip",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{env.account}:root"},
            "Action": ["kinesis:GetRecords", "kinesis:DescribeStreamSummary"],
            "Resource": env.arn(),
        }],
    })


def put_sample_records(env: Env) -> None:
    samples = [bytes(range(256)), b"\x00", "h\u00e9llo \U0001f30a".encode(), bytes(5000)]
    for index, data in enumerate(samples):
        env.do("PutRecord", StreamName=env.name, PartitionKey=f"key-{index}", Data=data)
        time.sleep(0.003)  # distinct arrival milliseconds


def setup_get_records(env: Env) -> None:
    env.create()
    put_sample_records(env)
    env.scratch["iterator"] = env.do(
        "GetShardIterator", StreamName=env.name, ShardId="shardId-000000000000",
        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]


def setup_get_shard_iterator(env: Env) -> None:
    env.create()
    put_sample_records(env)
    records = env.records()
    assert len({record["ApproximateArrivalTimestamp"] for record in records}) == len(records)
    env.scratch["second_arrival"] = records[1]["ApproximateArrivalTimestamp"]


def follow_iterator(env: Env, answer: dict) -> Any:
    records = env.read("GetRecords", {"ShardIterator": env.scratch["last_raw"]["ShardIterator"]})
    assert records["Records"], "the iterator led to no records"
    return mask(records, output_shape("GetRecords"))


def follow_next_token(operation: str, **extra: Any) -> Callable[[Env, Any], Any]:
    def follow(env: Env, answer: dict) -> Any:
        token = env.scratch["last_raw"].get("NextToken")
        assert token, f"{operation} returned no NextToken to follow"
        return mask(env.read(operation, {"NextToken": token, **extra}), output_shape(operation))

    return follow


def shards(env: Env) -> Any:
    return masked_state(env, env.read("ListShards", {"StreamName": env.name}), "ListShards")


CONSUMER_NAME = "cbor-consumer"


def consumer_arn(env: Env) -> str:
    return env.scratch["consumer_arn"]


def describe_consumer(env: Env) -> tuple[int, Any]:
    return env.json_call("DescribeStreamConsumer",
                         {"StreamARN": env.arn(), "ConsumerName": CONSUMER_NAME})


def wait_for_consumer(env: Env, wanted: Callable[[tuple[int, Any]], bool], what: str) -> Any:
    deadline = time.monotonic() + 10
    while True:
        answer = describe_consumer(env)
        if wanted(answer):
            return answer
        assert time.monotonic() < deadline, f"consumer never became {what}: {answer!r}"
        time.sleep(0.05)


def setup_consumer(env: Env) -> None:
    env.create()
    registered = env.do("RegisterStreamConsumer", StreamARN=env.arn(), ConsumerName=CONSUMER_NAME)
    env.scratch["consumer_arn"] = registered["Consumer"]["ConsumerARN"]
    wait_for_consumer(
        env,
        lambda answer: answer[0] == 200
        and answer[1]["ConsumerDescription"]["ConsumerStatus"] == "ACTIVE",
        "ACTIVE")


def consumer_after_register(env: Env) -> Any:
    answer = wait_for_consumer(
        env,
        lambda answer: answer[0] == 200
        and answer[1]["ConsumerDescription"]["ConsumerStatus"] == "ACTIVE",
        "ACTIVE")
    return masked_state(env, answer[1], "DescribeStreamConsumer")


def consumer_after_deregister(env: Env) -> Any:
    answer = wait_for_consumer(env, lambda answer: answer[0] == 400, "gone")
    return mask(answer, None, accounts=(env.account,), per_call=True)


SUBSCRIBE_ENCODINGS = ("json", "definite", "indefinite")


def setup_subscriptions(env: Env) -> None:
    """A stream with the sample records and one ACTIVE consumer per encoding (a consumer may
    not subscribe to a shard twice within 5 s)."""
    env.create()
    put_sample_records(env)
    consumers = {}
    for encoding in SUBSCRIBE_ENCODINGS:
        registered = env.do("RegisterStreamConsumer", StreamARN=env.arn(),
                            ConsumerName=f"subscriber-{encoding}")
        consumers[encoding] = registered["Consumer"]["ConsumerARN"]
    for encoding, arn in consumers.items():
        deadline = time.monotonic() + 10
        while env.read("DescribeStreamConsumer", {"ConsumerARN": arn})[
                "ConsumerDescription"]["ConsumerStatus"] != "ACTIVE":
            assert time.monotonic() < deadline, f"consumer {arn} never became ACTIVE"
            time.sleep(0.05)
    env.scratch["consumers"] = consumers


def run_subscription(env: Env, encoding: str) -> Any:
    """SubscribeToShard at TRIM_HORIZON until every sample record arrived; every event's payload
    is checked (CBOR wire types) and normalised; returns what must not depend on the encoding."""
    payload = {"ConsumerARN": env.scratch["consumers"][encoding],
               "ShardId": "shardId-000000000000", "StartingPosition": {"Type": "TRIM_HORIZON"}}
    if encoding == "json":
        body, content_type = json.dumps(to_json_payload(payload)).encode(), JSON_CONTENT_TYPE
    else:
        body, content_type = ENCODINGS[encoding](payload), CBOR_CONTENT_TYPE
    event_shape = (output_shape("SubscribeToShard").members["EventStream"]
                   .members["SubscribeToShardEvent"])
    documents: list[tuple[str, Any]] = []

    def decode_event(message) -> tuple[str, Any]:
        assert message.headers.get(":message-type") == "event", message.headers
        assert message.headers.get(":content-type") == content_type, message.headers
        kind = message.headers.get(":event-type")
        if encoding == "json":
            document = normalise_json(json.loads(message.payload), event_shape)
        else:
            problems: list[str] = []
            document = normalise_cbor(decode(message.payload), event_shape, problems)
            assert not problems, f"SubscribeToShard event over CBOR: wire types wrong: {problems}"
        return kind, document

    def all_records_arrived(messages) -> bool:
        documents[:] = [decode_event(message) for message in messages]
        records = sum(len(doc.get("Records", [])) for kind, doc in documents
                      if kind == "SubscribeToShardEvent")
        return records >= 4

    status, headers, _ = subscribe(env.server, body, content_type=content_type,
                                   access_key=env.account, until=all_records_arrived)
    assert status == 200, (status, headers)
    assert headers.get("content-type") == EVENTSTREAM_CONTENT_TYPE, headers
    assert documents[0] == ("initial-response", {}), documents[0]
    events = [doc for kind, doc in documents[1:] if kind == "SubscribeToShardEvent"]
    assert len(events) == len(documents) - 1, [kind for kind, _ in documents]
    return {
        "records": [record for event in events for record in event["Records"]],
        "continuation": events[-1]["ContinuationSequenceNumber"],
        "millis_behind_latest": events[-1]["MillisBehindLatest"],
    }


def setup_tagged(env: Env) -> None:
    env.create(Tags={"a": "1", "b": "2", "c": "3"})


CASES: dict[str, Case] = {
    "AddTagsToStream": Case(
        setup=lambda env: env.create(),
        request=lambda env: {"StreamName": env.name,
                             "Tags": {"team": "data", "\u00fcnicode": "v\u00e4lue", "empty": ""}},
        observe=stream_tags),
    "CreateStream": Case(
        request=lambda env: {"StreamName": env.name, "ShardCount": 3,
                             "Tags": {"created-by": "cbor"}},
        observe=lambda env: (summary(env), stream_tags(env),
                             masked_state(env, env.read("ListShards", {"StreamName": env.name}),
                                          "ListShards"))),
    "DecreaseStreamRetentionPeriod": Case(
        setup=lambda env: (env.create(), env.do("IncreaseStreamRetentionPeriod",
            StreamName=env.name, RetentionPeriodHours=48)),
        request=lambda env: {"StreamName": env.name, "RetentionPeriodHours": 30},
        observe=summary),
    "DeleteResourcePolicy": Case(
        setup=lambda env: (env.create(), env.do("PutResourcePolicy",
            ResourceARN=env.arn(), Policy=policy_document(env))),
        request=lambda env: {"ResourceARN": env.arn()},
        observe=lambda env: env.read("GetResourcePolicy", {"ResourceARN": env.arn()})),
    "DeleteStream": Case(
        setup=lambda env: env.create(),
        request=lambda env: {"StreamName": env.name, "EnforceConsumerDeletion": True},
        observe=lambda env: mask(env.json_call("DescribeStreamSummary", {"StreamName": env.name}),
                                 None, accounts=(env.account,))),
    "DescribeAccountSettings": Case(
        shared_state=True,
        setup=lambda env: env.do("UpdateAccountSettings",
            MinimumThroughputBillingCommitment={"Status": "ENABLED"}),
        request=lambda env: {}),
    "DescribeLimits": Case(
        shared_state=True,
        setup=lambda env: (env.create(2), env.create_on_demand(env.name + "-od")),
        request=lambda env: {}),
    "DescribeStream": Case(
        shared_state=True,
        setup=lambda env: (env.create(3), put_sample_records(env)),
        request=lambda env: {"StreamName": env.name, "Limit": 2}),
    "DescribeStreamSummary": Case(
        shared_state=True,
        setup=lambda env: (setup_tagged(env), env.do("EnableEnhancedMonitoring",
            StreamName=env.name, ShardLevelMetrics=["IncomingBytes"])),
        request=lambda env: {"StreamARN": env.arn()}),
    "DisableEnhancedMonitoring": Case(
        setup=lambda env: (env.create(), env.do("EnableEnhancedMonitoring",
            StreamName=env.name, ShardLevelMetrics=["IncomingBytes", "OutgoingRecords"])),
        request=lambda env: {"StreamName": env.name, "ShardLevelMetrics": ["IncomingBytes"]},
        observe=summary),
    "EnableEnhancedMonitoring": Case(
        setup=lambda env: env.create(),
        request=lambda env: {"StreamARN": env.arn(), "ShardLevelMetrics": ["ALL"]},
        observe=summary),
    "GetRecords": Case(
        shared_state=True,
        setup=setup_get_records,
        request=lambda env: {"ShardIterator": env.scratch["iterator"], "Limit": 10}),
    "GetResourcePolicy": Case(
        shared_state=True,
        setup=lambda env: (env.create(), env.do("PutResourcePolicy",
            ResourceARN=env.arn(), Policy=policy_document(env))),
        request=lambda env: {"ResourceARN": env.arn()}),
    "GetShardIterator": Case(
        shared_state=True,
        setup=setup_get_shard_iterator,
        request=lambda env: {"StreamName": env.name, "ShardId": "shardId-000000000000",
                             "ShardIteratorType": "AT_TIMESTAMP",
                             "Timestamp": env.scratch["second_arrival"]},
        follow=follow_iterator),
    "IncreaseStreamRetentionPeriod": Case(
        setup=lambda env: env.create(),
        request=lambda env: {"StreamName": env.name, "RetentionPeriodHours": 100},
        observe=summary),
    "ListShards": Case(
        shared_state=True,
        setup=lambda env: env.create(3),
        request=lambda env: {"StreamName": env.name, "MaxResults": 2},
        follow=follow_next_token("ListShards")),
    "ListStreams": Case(
        shared_state=True,
        setup=lambda env: (env.create(), env.create(name=env.name + "-b"),
                           env.create(name=env.name + "-c")),
        request=lambda env: {"Limit": 2},
        follow=follow_next_token("ListStreams")),
    "ListTagsForResource": Case(
        shared_state=True,
        setup=setup_tagged,
        request=lambda env: {"ResourceARN": env.arn()}),
    "ListTagsForStream": Case(
        shared_state=True,
        setup=setup_tagged,
        request=lambda env: {"StreamName": env.name, "Limit": 1, "ExclusiveStartTagKey": "a"}),
    "PutRecord": Case(
        setup=lambda env: env.create(2),
        request=lambda env: {"StreamName": env.name, "PartitionKey": "p\u00e4rtition",
                             "Data": bytes(range(256)) * 3, "ExplicitHashKey": "12345"},
        observe=stored_records),
    "PutRecords": Case(
        setup=lambda env: env.create(),
        request=lambda env: {"StreamName": env.name, "Records": [
            {"PartitionKey": "a", "Data": b"\x00\xff\x80\x7f"},
            {"PartitionKey": "b", "Data": "\u2603 snow".encode()},
            {"PartitionKey": "c", "Data": bytes(range(256)) * 40, "ExplicitHashKey": "7"},
        ]},
        observe=stored_records),
    "PutResourcePolicy": Case(
        setup=lambda env: env.create(),
        request=lambda env: {"ResourceARN": env.arn(), "Policy": policy_document(env)},
        observe=lambda env: masked_state(
            env, env.read("GetResourcePolicy", {"ResourceARN": env.arn()}), "GetResourcePolicy")),
    "RemoveTagsFromStream": Case(
        setup=setup_tagged,
        request=lambda env: {"StreamName": env.name, "TagKeys": ["b", "not-there"]},
        observe=stream_tags),
    "StartStreamEncryption": Case(
        setup=lambda env: env.create(),
        request=lambda env: {"StreamName": env.name, "EncryptionType": "KMS",
                             "KeyId": DEFAULT_KMS_KEY},
        observe=summary),
    "StopStreamEncryption": Case(
        setup=lambda env: (env.create(), env.do("StartStreamEncryption",
            StreamName=env.name, EncryptionType="KMS", KeyId=DEFAULT_KMS_KEY)),
        request=lambda env: {"StreamARN": env.arn(), "EncryptionType": "KMS",
                             "KeyId": DEFAULT_KMS_KEY},
        observe=summary),
    "TagResource": Case(
        setup=lambda env: env.create(),
        request=lambda env: {"ResourceARN": env.arn(), "Tags": {"x": "1", "y": "\u00ff"}},
        observe=resource_tags),
    "UntagResource": Case(
        setup=setup_tagged,
        request=lambda env: {"ResourceARN": env.arn(), "TagKeys": ["a", "c"]},
        observe=resource_tags),
    "UpdateAccountSettings": Case(
        request=lambda env: {"MinimumThroughputBillingCommitment": {"Status": "ENABLED"}},
        observe=lambda env: masked_state(env, env.read("DescribeAccountSettings", {}),
                                         "DescribeAccountSettings")),
    "UpdateMaxRecordSize": Case(
        setup=lambda env: env.create(),
        request=lambda env: {"StreamARN": env.arn(), "MaxRecordSizeInKiB": 4096},
        observe=summary),
    "UpdateStreamMode": Case(
        setup=lambda env: env.create(2),
        request=lambda env: {"StreamARN": env.arn(),
                             "StreamModeDetails": {"StreamMode": "ON_DEMAND"}},
        observe=summary),
    "MergeShards": Case(
        setup=lambda env: env.create(2),
        request=lambda env: {"StreamName": env.name, "ShardToMerge": "shardId-000000000000",
                             "AdjacentShardToMerge": "shardId-000000000001"},
        observe=lambda env: (summary(env), shards(env))),
    "SplitShard": Case(
        setup=lambda env: env.create(),
        request=lambda env: {"StreamName": env.name, "ShardToSplit": "shardId-000000000000",
                             "NewStartingHashKey": str(2**127 + 12345)},
        observe=lambda env: (summary(env), shards(env))),
    "UpdateShardCount": Case(
        setup=lambda env: env.create(2),
        request=lambda env: {"StreamName": env.name, "TargetShardCount": 4,
                             "ScalingType": "UNIFORM_SCALING"},
        observe=lambda env: (summary(env), shards(env))),
    "RegisterStreamConsumer": Case(
        setup=lambda env: env.create(),
        request=lambda env: {"StreamARN": env.arn(), "ConsumerName": CONSUMER_NAME},
        observe=consumer_after_register),
    "SubscribeToShard": Case(
        setup=setup_subscriptions,
        request=lambda env: {},
        runner=run_subscription),
    "DescribeStreamConsumer": Case(
        shared_state=True,
        setup=setup_consumer,
        request=lambda env: {"ConsumerARN": consumer_arn(env)}),
    "ListStreamConsumers": Case(
        shared_state=True,
        setup=setup_consumer,
        request=lambda env: {"StreamARN": env.arn(), "MaxResults": 5}),
    "DeregisterStreamConsumer": Case(
        setup=setup_consumer,
        request=lambda env: {"ConsumerARN": consumer_arn(env)},
        observe=consumer_after_deregister),
    "UpdateStreamWarmThroughput": Case(
        setup=lambda env: env.create_on_demand(),
        request=lambda env: {"StreamName": env.name, "WarmThroughputMiBps": 25},
        observe=summary),
}


# --------------------------------------------------------------------------------------------
# Fixtures and the comparison
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cbor_server() -> Iterator[TributaryServer]:
    """In memory, no state delays: every setup is immediate."""
    instance = TributaryServer(data_dir=None, in_memory=True, extra_args=[
        "--update-stream-ms", "0", "--encryption-ms", "0", "--register-consumer-ms", "0",
        "--deregister-consumer-ms", "0",
    ]).start()
    yield instance
    instance.stop()


def new_env(server: TributaryServer, operation: str) -> Env:
    return Env(server=server, account=fresh_account(), name=f"cbor-{operation.lower()}")


def cbor_answer(env: Env, operation: str, body: bytes) -> tuple[int, Any]:
    """(status, body) of a CBOR call: a 200 answer normalised with the model (wire-type
    problems fail the test), an error as its decoded map."""
    response = cbor_call(env.server, operation, body, access_key=env.account)
    assert response.raw.headers.get("content-type") == CBOR_CONTENT_TYPE, response.describe()
    if response.status != 200:
        return response.status, response.value
    problems: list[str] = []
    normalised = normalise_cbor(response.value, output_shape(operation), problems)
    assert not problems, f"{operation}: CBOR wire types wrong:\n  " + "\n  ".join(problems)
    return 200, normalised


def run_encoding(env: Env, operation: str, case: Case, encoding: str, payload: dict) -> dict:
    """One call (JSON, or CBOR in one encoding) and what can be compared about it."""
    if encoding == "json":
        status, body = env.json_call(operation, payload)
    else:
        status, body = cbor_answer(env, operation, ENCODINGS[encoding](payload))
    assert status == 200, f"{operation} over {encoding}: HTTP {status} {body!r}"
    env.scratch["last_raw"] = body or {}
    accounts = () if case.shared_state else (env.account,)
    result = {"answer": mask(body, output_shape(operation), accounts=accounts,
                             per_call=not case.shared_state)}
    if case.follow is not None:
        result["follow"] = case.follow(env, body)
    if case.observe is not None:
        result["observe"] = case.observe(env)
    return result


def test_every_implemented_operation_has_a_case():
    assert len(OPERATIONS) >= 20, f"could not parse {OPERATION_LIST}"
    missing = sorted(set(OPERATIONS) - set(CASES))
    # A case may be written before its operation lands (it is in unsupported_operations()).
    stale = sorted(set(CASES) - set(OPERATIONS) - set(planned_operations()))
    assert not missing, f"implemented operations without a CBOR round-trip case: {missing}"
    assert not stale, f"CBOR cases for operations the server does not know: {stale}"


def test_indefinite_encoder_agrees_with_cbor2():
    """The hand-made indefinite encoding decodes (by cbor2) to what cbor2's own encodes."""
    sample = {"Text": "a string longer than seven bytes \u00e9\U0001f30a", "Blob": bytes(range(40)),
              "List": [1, -2, {"Nested": True}], "Map": {"k": "v"}, "When": EpochMillis(1_700_000_000_123)}
    indefinite = encode_indefinite(sample)
    assert indefinite[:1] == b"\xbf" and b"\x7f" in indefinite and b"\x5f" in indefinite
    assert decode(indefinite) == decode(encode_definite(sample))


@pytest.mark.parametrize("operation", OPERATIONS)
def test_cbor_round_trip_matches_json(cbor_server, operation):
    case = CASES.get(operation)
    if case is None:
        pytest.fail(f"{operation} is implemented but has no CBOR round-trip case: add one to "
                    "CASES in tests/integration/test_cbor_roundtrip.py")
    results: dict[str, dict] = {}
    if case.runner is not None:
        env = new_env(cbor_server, operation)
        case.setup(env)
        for encoding in ("json", "definite", "indefinite"):
            results[encoding] = case.runner(env, encoding)
    elif case.shared_state:
        env = new_env(cbor_server, operation)
        case.setup(env)
        payload = case.request(env)
        for encoding in ("json", "definite", "indefinite"):
            results[encoding] = run_encoding(env, operation, case, encoding, payload)
    else:
        for encoding in ("json", "definite", "indefinite"):
            env = new_env(cbor_server, operation)
            case.setup(env)
            results[encoding] = run_encoding(env, operation, case, encoding, case.request(env))
    assert results["definite"] == results["json"], (
        f"{operation}: definite-length CBOR differs from JSON")
    assert results["indefinite"] == results["json"], (
        f"{operation}: indefinite-length CBOR differs from JSON")


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def error_answer(env: Env, operation: str, payload: Any, encoding: str) -> tuple[int, Any]:
    if encoding == "json":
        status, body = env.json_call(operation, payload)
        if status != 200:
            return status, mask(error_fields(body), None, accounts=(env.account,))
        return status, mask(body, output_shape(operation), accounts=(env.account,), per_call=True)
    status, body = cbor_answer(env, operation, ENCODINGS[encoding](payload))
    if status != 200:
        fields = error_fields(body)
        assert fields is not None, f"{operation}: CBOR error body without __type: {body!r}"
        assert isinstance(fields[0], str) and isinstance(fields[1], (str, type(None)))
        return status, mask(fields, None, accounts=(env.account,))
    return status, mask(body, output_shape(operation), accounts=(env.account,), per_call=True)


def compare_across_encodings(server, operation: str, payload: Any,
                             setup: Callable[[Env], None] = lambda env: None) -> tuple[int, Any]:
    answers = {}
    for encoding in ("json", "definite", "indefinite"):
        env = new_env(server, operation)
        setup(env)
        answers[encoding] = error_answer(env, operation, payload, encoding)
    assert answers["definite"] == answers["json"], (operation, answers)
    assert answers["indefinite"] == answers["json"], (operation, answers)
    return answers["json"]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_empty_request_answers_like_json(cbor_server, operation):
    """{} for every operation: the validation (or other) error, or the answer, equals JSON's."""
    status, answer = compare_across_encodings(cbor_server, operation, {})
    assert status in (200, 400), (status, answer)


ERROR_CASES = {
    "missing stream": ("DescribeStreamSummary", {"StreamName": "no-such-stream"},
                       "ResourceNotFoundException"),
    "several validation errors": ("CreateStream", {"StreamName": "bad name!", "ShardCount": 0},
                                  "ValidationException"),
    "integer for a blob": ("PutRecord", {"StreamName": "s", "PartitionKey": "k", "Data": 12},
                           "SerializationException"),
    "text for a timestamp": ("GetShardIterator", {"StreamName": "s", "ShardId": "shardId-000000000000",
                                                  "ShardIteratorType": "AT_TIMESTAMP",
                                                  "Timestamp": "yesterday"},
                             "SerializationException"),
    "text for an integer": ("CreateStream", {"StreamName": "s", "ShardCount": "one"},
                            "SerializationException"),
    "list for a structure": ("UpdateStreamMode", {"StreamARN": "arn:aws:kinesis:us-east-1:1:stream/s",
                                                  "StreamModeDetails": ["ON_DEMAND"]},
                             "SerializationException"),
}


@pytest.mark.parametrize("label", sorted(ERROR_CASES))
def test_cbor_errors_match_json(cbor_server, label):
    operation, payload, expected_type = ERROR_CASES[label]
    status, fields = compare_across_encodings(cbor_server, operation, payload)
    assert status == 400 and fields[0] == expected_type, (status, fields)


MALFORMED_BODIES = {
    "lone break": b"\xff",
    "truncated map": b"\xbf\x6aStreamName",
    "map missing its value": b"\xa1\x6aStreamName",
    "text string longer than the body": b"\xa1\x6aStreamName\x78\x40abc",
    "invalid UTF-8 text": b"\xa1\x6aStreamName\x62\xff\xfe",
    "reserved additional information": b"\xa1\x6aStreamName\x1c",
    "indefinite map never closed": b"\xbf\x6aStreamName\x61s",
    "JSON text under the CBOR content type": b'{"StreamName": "s"}',
}


@pytest.mark.parametrize("label", sorted(MALFORMED_BODIES))
def test_malformed_cbor_is_a_serialization_exception(cbor_server, label):
    env = new_env(cbor_server, "malformed")
    response = cbor_call(cbor_server, "DescribeStreamSummary", MALFORMED_BODIES[label],
                         access_key=env.account)
    assert response.status == 400, response.describe()
    assert response.raw.headers.get("content-type") == CBOR_CONTENT_TYPE, response.describe()
    fields = error_fields(response.value)
    assert fields is not None and fields[0] == "SerializationException", response.describe()


def test_model_has_every_case_operation():
    """The botocore model this file normalises with knows every operation it tests."""
    assert not sorted(set(CASES) - set(service_model().operation_names))
