"""Enhanced fan-out consumers (issue 4): RegisterStreamConsumer, DeregisterStreamConsumer,
DescribeStreamConsumer, ListStreamConsumers, DeleteStream's EnforceConsumerDeletion, and consumer
ARNs in the tagging and resource-policy operations; their CREATING/DELETING periods under the
test clock, their limits, persistence across a restart, and their end with their stream.

Texts marked "AWS's" were found in reports of real AWS answers (sources in
src/kinesis/consumers/errors.cc); the others are ours and the tests pin them so they stay stable.
"""
from __future__ import annotations

import datetime
import re


from support import (
    shared_server_fixture,
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    advance_test_clock,
    assert_error,
    unique_name,
)
from .kinesis_support import (
    call,
    create_active_stream,
    kinesis_client,
    stream_arn,
    wait_until_gone,
)

DELAY_MS = 60_000
INVALID_TAG_TEXT = (
    "Some tags contain invalid characters. Valid characters: "
    "Unicode letters, digits, white space, _ . / = + - % @."
)
CONSUMER_ARN = re.compile(
    r"^arn:aws:kinesis:(?P<region>[^:]+):(?P<account>\d{12}):stream/(?P<stream>[^/]+)"
    r"/consumer/(?P<name>[^:]+):(?P<seconds>\d+)$"
)


def stream_not_found_text(name: str) -> str:
    return f"Stream {name} under account {DEFAULT_ACCOUNT} not found."


def has_consumers_text(name: str) -> str:  # AWS's
    return (
        f"DeleteStream can't delete {stream_arn(name)} because there are consumers associated "
        f"with this data stream. To delete {name} anyway, set the EnforceConsumerDeletion "
        "parameter to true to force the deletion of all the consumers that are associated with it."
    )


def not_active_text(consumer: dict, stream: str) -> str:  # AWS's (resource policies)
    seconds = consumer["ConsumerARN"].rsplit(":", 1)[1]
    return (
        f"Consumer {consumer['ConsumerName']} with creation timestamp {seconds} under stream "
        f"{stream} and account {DEFAULT_ACCOUNT} is not in ACTIVE status."
    )


fast = shared_server_fixture(
    "Consumers become ACTIVE and disappear at once; a small consumer limit.",
    ["--register-consumer-ms", "0", "--deregister-consumer-ms", "0", "--consumer-limit", "8"],
)
clocked = shared_server_fixture(
    "Consumers stay CREATING / DELETING for 60 s of a clock the tests move.",
    ["--test-clock", "--register-consumer-ms", str(DELAY_MS), "--deregister-consumer-ms",
     str(DELAY_MS)],
    in_memory=True,
)


def register(client, name: str, consumer: str, **kwargs) -> dict:
    return client.register_stream_consumer(
        StreamARN=stream_arn(name), ConsumerName=consumer, **kwargs)["Consumer"]


def describe(client, consumer_arn: str) -> dict:
    return client.describe_stream_consumer(ConsumerARN=consumer_arn)["ConsumerDescription"]


def listed(client, name: str, **kwargs) -> list[dict]:
    return client.list_stream_consumers(StreamARN=stream_arn(name), **kwargs)["Consumers"]


# --------------------------------------------------------------------------------------------
# Register, describe, list
# --------------------------------------------------------------------------------------------


def test_register_describe_and_list(fast):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    before = datetime.datetime.now(datetime.timezone.utc)
    consumer = register(client, name, "reader-1")
    assert set(consumer) == {"ConsumerName", "ConsumerARN", "ConsumerStatus",
                             "ConsumerCreationTimestamp"}
    assert consumer["ConsumerName"] == "reader-1"
    assert consumer["ConsumerStatus"] == "ACTIVE"  # --register-consumer-ms 0
    created = consumer["ConsumerCreationTimestamp"]
    assert abs((created - before).total_seconds()) < 5
    match = CONSUMER_ARN.match(consumer["ConsumerARN"])
    assert match, consumer["ConsumerARN"]
    assert (match["region"], match["account"], match["stream"], match["name"]) == (
        DEFAULT_REGION, DEFAULT_ACCOUNT, name, "reader-1")
    assert int(match["seconds"]) == int(created.timestamp())

    expected = dict(consumer, StreamARN=stream_arn(name))
    # By ARN, by stream ARN and name, and by all three.
    assert describe(client, consumer["ConsumerARN"]) == expected
    assert client.describe_stream_consumer(
        StreamARN=stream_arn(name), ConsumerName="reader-1")["ConsumerDescription"] == expected
    assert client.describe_stream_consumer(
        StreamARN=stream_arn(name), ConsumerName="reader-1",
        ConsumerARN=consumer["ConsumerARN"])["ConsumerDescription"] == expected

    second = register(client, name, "reader-0")
    # Registration order, not name order.
    assert [c["ConsumerName"] for c in listed(client, name)] == ["reader-1", "reader-0"]
    assert listed(client, name)[1] == second
    summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    assert summary["ConsumerCount"] == 2
    response = call(fast, "ListStreamConsumers", {"StreamARN": stream_arn(name)})
    assert response.status == 200 and "NextToken" not in response.json
    # A stream without consumers lists none.
    assert listed(client, create_active_stream(client)) == []


def test_register_errors(fast):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    missing = unique_name("missing")
    assert_error(call(fast, "RegisterStreamConsumer",
                      {"StreamARN": stream_arn(missing), "ConsumerName": "c"}),
                 "ResourceNotFoundException", stream_not_found_text(missing))
    register(client, name, "twice")
    assert_error(call(fast, "RegisterStreamConsumer",
                      {"StreamARN": stream_arn(name), "ConsumerName": "twice"}),
                 "ResourceInUseException",
                 f"Consumer twice under stream {name} under account {DEFAULT_ACCOUNT} "
                 "already exists.")
    # The model's constraints.
    assert_error(call(fast, "RegisterStreamConsumer",
                      {"StreamARN": stream_arn(name), "ConsumerName": "bad name"}),
                 "ValidationException")
    assert_error(call(fast, "RegisterStreamConsumer",
                      {"StreamARN": "arn:aws:kinesis:us-east-1:123:stream/x", "ConsumerName": "c"}),
                 "ValidationException")
    assert_error(call(fast, "RegisterStreamConsumer", {"StreamARN": stream_arn(name)}),
                 "ValidationException")


def test_register_on_stream_that_is_not_active(start_server):
    server = start_server(in_memory=True, create_stream_ms=60_000, delete_stream_ms=60_000,
                          extra_args=["--test-clock", "--register-consumer-ms", "0"])
    client = kinesis_client(server)
    name = unique_name("creating")
    client.create_stream(StreamName=name, ShardCount=1)
    assert_error(call(server, "RegisterStreamConsumer",
                      {"StreamARN": stream_arn(name), "ConsumerName": "c"}),
                 "ResourceInUseException",
                 f"Stream {name} under account {DEFAULT_ACCOUNT} not ACTIVE, instead in state "
                 "CREATING")
    advance_test_clock(server, 60_000)
    register(client, name, "c")
    # UPDATING streams take consumers.
    client.start_stream_encryption(StreamName=name, EncryptionType="KMS",
                                   KeyId="alias/aws/kinesis")
    assert client.describe_stream_summary(
        StreamName=name)["StreamDescriptionSummary"]["StreamStatus"] == "UPDATING"
    register(client, name, "d")
    client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
    assert_error(call(server, "RegisterStreamConsumer",
                      {"StreamARN": stream_arn(name), "ConsumerName": "e"}),
                 "ResourceInUseException",
                 f"Stream {name} under account {DEFAULT_ACCOUNT} not ACTIVE, instead in state "
                 "DELETING")


def test_consumer_limit_per_stream(fast):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumers = [register(client, name, f"c{i}") for i in range(8)]  # --consumer-limit 8
    assert_error(call(fast, "RegisterStreamConsumer",
                      {"StreamARN": stream_arn(name), "ConsumerName": "one-more"}),
                 "LimitExceededException",
                 f"Stream {name} under account {DEFAULT_ACCOUNT} already has 8 registered "
                 "consumers, the most a stream can have.")
    # The limit is per stream.
    register(client, create_active_stream(client), "one-more")
    # A finished deregistration frees the slot (--deregister-consumer-ms 0).
    client.deregister_stream_consumer(ConsumerARN=consumers[0]["ConsumerARN"])
    register(client, name, "one-more")


def test_lifecycle_under_the_clock(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    consumer = register(client, name, "slow")
    assert consumer["ConsumerStatus"] == "CREATING"
    advance_test_clock(clocked, DELAY_MS - 1_000)
    assert describe(client, consumer["ConsumerARN"])["ConsumerStatus"] == "CREATING"
    advance_test_clock(clocked, 1_000)
    assert describe(client, consumer["ConsumerARN"])["ConsumerStatus"] == "ACTIVE"

    client.deregister_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
    assert describe(client, consumer["ConsumerARN"])["ConsumerStatus"] == "DELETING"
    assert [c["ConsumerStatus"] for c in listed(client, name)] == ["DELETING"]
    # Deregistering again keeps the schedule; the name stays taken while DELETING.
    client.deregister_stream_consumer(StreamARN=stream_arn(name), ConsumerName="slow")
    assert_error(call(clocked, "RegisterStreamConsumer",
                      {"StreamARN": stream_arn(name), "ConsumerName": "slow"}),
                 "ResourceInUseException")
    advance_test_clock(clocked, DELAY_MS - 1_000)
    assert describe(client, consumer["ConsumerARN"])["ConsumerStatus"] == "DELETING"
    advance_test_clock(clocked, 1_000)
    assert_error(call(clocked, "DescribeStreamConsumer", {"ConsumerARN": consumer["ConsumerARN"]}),
                 "ResourceNotFoundException", f"Consumer {consumer['ConsumerARN']} not found.")
    assert listed(client, name) == []

    # The name can be registered again; the new consumer has a new ARN and the old ARN does not
    # name it.
    again = register(client, name, "slow")
    assert again["ConsumerARN"] != consumer["ConsumerARN"]
    assert_error(call(clocked, "DescribeStreamConsumer", {"ConsumerARN": consumer["ConsumerARN"]}),
                 "ResourceNotFoundException")


def test_deregister_while_creating(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    consumer = register(client, name, "early")
    client.deregister_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
    assert describe(client, consumer["ConsumerARN"])["ConsumerStatus"] == "DELETING"


def test_five_consumers_creating_at_once(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    for i in range(5):
        register(client, name, f"c{i}")
    assert_error(call(clocked, "RegisterStreamConsumer",
                      {"StreamARN": stream_arn(name), "ConsumerName": "c5"}),
                 "LimitExceededException",
                 f"Stream {name} under account {DEFAULT_ACCOUNT} already has 5 consumers in "
                 "CREATING status; only 5 consumers can be created at the same time.")
    advance_test_clock(clocked, DELAY_MS)
    assert register(client, name, "c5")["ConsumerStatus"] == "CREATING"


def test_addressing_errors(fast):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumer = register(client, name, "addressed")
    arn = consumer["ConsumerARN"]
    for operation in ("DescribeStreamConsumer", "DeregisterStreamConsumer"):
        for payload in ({}, {"ConsumerName": "addressed"}, {"StreamARN": stream_arn(name)}):
            assert_error(call(fast, operation, payload), "InvalidArgumentException",
                         "Either ConsumerARN or both StreamARN and ConsumerName must be provided.")
        assert_error(call(fast, operation, {"ConsumerARN": arn, "ConsumerName": "other"}),
                     "InvalidArgumentException",
                     f"ConsumerARN {arn} and ConsumerName other do not refer to the same "
                     "consumer.")
        other_stream = stream_arn(unique_name("other"))
        assert_error(call(fast, operation, {"ConsumerARN": arn, "StreamARN": other_stream,
                                            "ConsumerName": "addressed"}),
                     "InvalidArgumentException",
                     f"ConsumerARN {arn} and StreamARN {other_stream} and ConsumerName addressed "
                     "do not refer to the same consumer.")
        assert_error(call(fast, operation, {"StreamARN": stream_arn(name),
                                            "ConsumerName": "nobody"}),
                     "ResourceNotFoundException",
                     f"Consumer nobody under stream {name} under account {DEFAULT_ACCOUNT} "
                     "not found.")
        missing = unique_name("missing")
        assert_error(call(fast, operation, {"StreamARN": stream_arn(missing),
                                            "ConsumerName": "addressed"}),
                     "ResourceNotFoundException", stream_not_found_text(missing))
        # Same name, another creation second: another consumer.
        stale = arn.rsplit(":", 1)[0] + ":1000000000"
        assert_error(call(fast, operation, {"ConsumerARN": stale}),
                     "ResourceNotFoundException", f"Consumer {stale} not found.")
        # Not a consumer ARN at all (the model's pattern).
        assert_error(call(fast, operation, {"ConsumerARN": stream_arn(name)}),
                     "ValidationException")
    client.deregister_stream_consumer(StreamARN=stream_arn(name), ConsumerName="addressed")
    assert listed(client, name) == []


# --------------------------------------------------------------------------------------------
# ListStreamConsumers paging
# --------------------------------------------------------------------------------------------


def test_list_paging(fast):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    names = [f"p{i}" for i in range(7)]
    for consumer in names:
        register(client, name, consumer)
    pages = []
    token = None
    while True:
        kwargs = {"NextToken": token} if token else {}
        answer = client.list_stream_consumers(StreamARN=stream_arn(name), MaxResults=3, **kwargs)
        pages.append([c["ConsumerName"] for c in answer["Consumers"]])
        token = answer.get("NextToken")
        if not token:
            break
    assert pages == [names[0:3], names[3:6], names[6:7]]
    # Exactly a page's worth: no NextToken.
    answer = client.list_stream_consumers(StreamARN=stream_arn(name), MaxResults=7)
    assert len(answer["Consumers"]) == 7 and "NextToken" not in answer
    # At most 100 per call whatever MaxResults says (only 7 here); the model bounds MaxResults.
    assert len(listed(client, name, MaxResults=10_000)) == 7
    for bad in (0, 10_001):
        assert_error(call(fast, "ListStreamConsumers",
                          {"StreamARN": stream_arn(name), "MaxResults": bad}),
                     "ValidationException")

    first = client.list_stream_consumers(StreamARN=stream_arn(name), MaxResults=2)
    assert_error(call(fast, "ListStreamConsumers",
                      {"StreamARN": stream_arn(name), "NextToken": "bogus"}),
                 "InvalidArgumentException", "Invalid NextToken.")
    # A token belongs to its stream.
    other = create_active_stream(client)
    assert_error(call(fast, "ListStreamConsumers",
                      {"StreamARN": stream_arn(other), "NextToken": first["NextToken"]}),
                 "InvalidArgumentException", "Invalid NextToken.")
    assert_error(call(fast, "ListStreamConsumers",
                      {"StreamARN": stream_arn(name), "NextToken": first["NextToken"],
                       "StreamCreationTimestamp": 1_700_000_000}),
                 "InvalidArgumentException",
                 "NextToken and StreamCreationTimestamp cannot be provided together.")


def test_list_by_stream_creation_timestamp(fast):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    register(client, name, "c")
    created = client.describe_stream_summary(
        StreamName=name)["StreamDescriptionSummary"]["StreamCreationTimestamp"]
    assert len(listed(client, name, StreamCreationTimestamp=created)) == 1
    assert_error(call(fast, "ListStreamConsumers",
                      {"StreamARN": stream_arn(name),
                       "StreamCreationTimestamp": created.timestamp() - 3600}),
                 "ResourceNotFoundException", stream_not_found_text(name))
    missing = unique_name("missing")
    assert_error(call(fast, "ListStreamConsumers", {"StreamARN": stream_arn(missing)}),
                 "ResourceNotFoundException", stream_not_found_text(missing))


def test_list_next_token_expires(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    for i in range(3):
        register(client, name, f"c{i}")
    token = client.list_stream_consumers(StreamARN=stream_arn(name), MaxResults=1)["NextToken"]
    advance_test_clock(clocked, 301_000)
    assert_error(call(clocked, "ListStreamConsumers",
                      {"StreamARN": stream_arn(name), "NextToken": token}),
                 "ExpiredNextTokenException", "The NextToken has expired.")


# --------------------------------------------------------------------------------------------
# DeleteStream and consumers
# --------------------------------------------------------------------------------------------


def test_delete_stream_with_consumers(fast):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumer = register(client, name, "holder")
    for payload in ({"StreamName": name}, {"StreamARN": stream_arn(name)},
                    {"StreamName": name, "EnforceConsumerDeletion": False}):
        assert_error(call(fast, "DeleteStream", payload), "ResourceInUseException",
                     has_consumers_text(name))
    assert client.describe_stream_summary(
        StreamName=name)["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE"

    client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
    wait_until_gone(client, name)
    assert_error(call(fast, "DescribeStreamConsumer", {"ConsumerARN": consumer["ConsumerARN"]}),
                 "ResourceNotFoundException")
    # A new stream of the same name starts without consumers; the old ARN names nothing.
    create_active_stream(client, name)
    assert listed(client, name) == []
    assert_error(call(fast, "DescribeStreamConsumer", {"ConsumerARN": consumer["ConsumerARN"]}),
                 "ResourceNotFoundException")
    assert_error(call(fast, "DescribeStreamConsumer",
                      {"StreamARN": stream_arn(name), "ConsumerName": "holder"}),
                 "ResourceNotFoundException")
    # Deleting a stream whose consumers have all been deregistered needs no flag.
    register(client, name, "holder")
    client.deregister_stream_consumer(StreamARN=stream_arn(name), ConsumerName="holder")
    client.delete_stream(StreamName=name)
    wait_until_gone(client, name)


def test_enforced_deletion_marks_consumers_deleting(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    consumer = register(client, name, "a")
    advance_test_clock(clocked, DELAY_MS)
    # --delete-stream-ms is 0 here: the stream and its consumers go at once.
    client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
    assert_error(call(clocked, "DescribeStreamConsumer", {"ConsumerARN": consumer["ConsumerARN"]}),
                 "ResourceNotFoundException")


def test_enforced_deletion_with_slow_delete(start_server):
    server = start_server(in_memory=True, delete_stream_ms=60_000,
                          extra_args=["--test-clock", "--register-consumer-ms", "0",
                                      "--deregister-consumer-ms", "10000"])
    client = kinesis_client(server)
    name = create_active_stream(client)
    consumer = register(client, name, "a")
    client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
    # The stream is DELETING; its consumer is being deregistered with it.
    assert describe(client, consumer["ConsumerARN"])["ConsumerStatus"] == "DELETING"
    assert_error(call(server, "RegisterStreamConsumer",
                      {"StreamARN": stream_arn(name), "ConsumerName": "b"}),
                 "ResourceInUseException")
    advance_test_clock(server, 10_000)
    assert_error(call(server, "DescribeStreamConsumer", {"ConsumerARN": consumer["ConsumerARN"]}),
                 "ResourceNotFoundException")
    advance_test_clock(server, 50_000)
    wait_until_gone(client, name)


# --------------------------------------------------------------------------------------------
# Tags and resource policies on consumer ARNs
# --------------------------------------------------------------------------------------------


def tags_of(client, arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in client.list_tags_for_resource(ResourceARN=arn)["Tags"]}


def test_consumer_tags(fast):
    client = kinesis_client(fast)
    name = create_active_stream(client)
    consumer = register(client, name, "tagged", Tags={"team": "a", "env": "dev"})
    arn = consumer["ConsumerARN"]
    assert client.list_tags_for_resource(ResourceARN=arn)["Tags"] == [
        {"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "a"}]
    client.tag_resource(ResourceARN=arn, Tags={"team": "b", "new": ""})
    assert tags_of(client, arn) == {"team": "b", "env": "dev", "new": ""}
    client.untag_resource(ResourceARN=arn, TagKeys=["env", "absent"])
    assert tags_of(client, arn) == {"team": "b", "new": ""}
    # Consumer tags are the consumer's own: the stream has none.
    assert tags_of(client, stream_arn(name)) == {}

    assert_error(call(fast, "TagResource", {"ResourceARN": arn, "Tags": {"a;b": "1"}}),
                 "InvalidArgumentException", INVALID_TAG_TEXT)
    assert_error(call(fast, "UntagResource", {"ResourceARN": arn, "TagKeys": ["a;b"]}),
                 "InvalidArgumentException", INVALID_TAG_TEXT)
    assert_error(call(fast, "TagResource", {"ResourceARN": arn, "Tags": {"a%b": "1"}}),
                 "InvalidArgumentException",
                 f"Failed to add tags to consumer {arn} because some tags contained illegal "
                 "characters. The allowed characters are Unicode letters, white-spaces, "
                 "'_',',','/','=','+','-','@'.")
    assert_error(call(fast, "TagResource",
                      {"ResourceARN": arn, "Tags": {f"k{i}": "" for i in range(49)}}),
                 "InvalidArgumentException",
                 f"Failed to add tags to consumer {arn} because a given consumer cannot have "
                 "more than 50 tags associated with it.")
    assert tags_of(client, arn) == {"team": "b", "new": ""}
    assert_error(call(fast, "RegisterStreamConsumer",
                      {"StreamARN": stream_arn(name), "ConsumerName": "bad-tags",
                       "Tags": {"x": "a;b"}}),
                 "InvalidArgumentException", INVALID_TAG_TEXT)

    # A consumer ARN that names no consumer; one that is not a consumer ARN.
    for operation, extra in (("TagResource", {"Tags": {"a": "b"}}),
                             ("UntagResource", {"TagKeys": ["a"]}),
                             ("ListTagsForResource", {})):
        stale = arn.rsplit(":", 1)[0] + ":1000000000"
        assert_error(call(fast, operation, {"ResourceARN": stale, **extra}),
                     "ResourceNotFoundException", f"Consumer {stale} not found.")
        assert_error(call(fast, operation, {"ResourceARN": f"{stream_arn(name)}/consumer/x",
                                            **extra}),
                     "InvalidArgumentException")


def test_consumer_resource_policy(clocked):
    client = kinesis_client(clocked)
    name = create_active_stream(client)
    consumer = register(client, name, "governed")
    arn = consumer["ConsumerARN"]
    policy = '{"Version": "2012-10-17", "Statement": []}'
    # AWS's text: a consumer must be ACTIVE for its policy to change.
    for operation, extra in (("PutResourcePolicy", {"Policy": policy}),
                             ("DeleteResourcePolicy", {})):
        assert_error(call(clocked, operation, {"ResourceARN": arn, **extra}),
                     "ResourceInUseException", not_active_text(consumer, name))
    assert client.get_resource_policy(ResourceARN=arn)["Policy"] == "{}"
    advance_test_clock(clocked, DELAY_MS)
    client.put_resource_policy(ResourceARN=arn, Policy=policy)
    assert client.get_resource_policy(ResourceARN=arn)["Policy"] == policy
    # The stream's policy is another one.
    assert client.get_resource_policy(ResourceARN=stream_arn(name))["Policy"] == "{}"
    assert_error(call(clocked, "PutResourcePolicy", {"ResourceARN": arn, "Policy": "[1]"}),
                 "InvalidArgumentException")
    client.delete_resource_policy(ResourceARN=arn)
    assert client.get_resource_policy(ResourceARN=arn)["Policy"] == "{}"


# --------------------------------------------------------------------------------------------
# Persistence
# --------------------------------------------------------------------------------------------


def test_consumers_survive_a_restart(start_server):
    server = start_server(extra_args=["--register-consumer-ms", "0",
                                      "--deregister-consumer-ms", "600000"])
    client = kinesis_client(server)
    name = create_active_stream(client)
    kept = register(client, name, "kept", Tags={"k": "v"})
    leaving = register(client, name, "leaving")
    client.put_resource_policy(ResourceARN=kept["ConsumerARN"], Policy='{"a": 1}')
    client.deregister_stream_consumer(ConsumerARN=leaving["ConsumerARN"])
    before = listed(client, name)

    server.stop()
    server.restart()
    client = kinesis_client(server)
    after = listed(client, name)
    assert after == before
    assert [c["ConsumerStatus"] for c in after] == ["ACTIVE", "DELETING"]
    assert describe(client, kept["ConsumerARN"])["ConsumerARN"] == kept["ConsumerARN"]
    assert tags_of(client, kept["ConsumerARN"]) == {"k": "v"}
    assert client.get_resource_policy(ResourceARN=kept["ConsumerARN"])["Policy"] == '{"a": 1}'
    assert_error(call(server, "DeleteStream", {"StreamName": name}), "ResourceInUseException",
                 has_consumers_text(name))

    # A stream deleted with its consumers stays without them after a restart.
    client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
    wait_until_gone(client, name)
    server.stop()
    server.restart()
    client = kinesis_client(server)
    create_active_stream(client, name)
    assert listed(client, name) == []
