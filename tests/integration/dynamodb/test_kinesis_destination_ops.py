"""The four KinesisStreamingDestination operations (issue 13): every status transition under
the test clock (--kinesis-destination-ms 60000 of the server's clock), ENABLE_FAILED for a
stream that cannot be used, AWS's recorded error texts (facts §15.3; the others recorded on
2026-10-09 by a third-party catalogue of AWS responses, docs/kinesis-destination.md), the
echoed configuration, and independence from StreamSpecification and DescribeTable."""

from __future__ import annotations

import pytest

from support import advance_test_clock, error_code, error_message, shared_server_fixture, unique_name

from kinesis.kinesis_support import create_active_stream, kinesis_client, stream_arn

from .dynamodb_support import dynamodb_client, hash_table_arguments, wait_for_table

DELAY_MS = 60_000

destination_server = shared_server_fixture(
    "A --test-clock server whose Kinesis streaming destinations stay ENABLING, DISABLING and "
    "UPDATING for a minute of its clock; tables and streams are ready at once.",
    ["--test-clock", "--create-table-ms", "0", "--delete-table-ms", "0", "--kinesis-destination-ms", str(DELAY_MS)],
    in_memory=True,
)


@pytest.fixture
def clients(destination_server):
    return dynamodb_client(destination_server), kinesis_client(destination_server)


def new_table(dynamodb, **extra) -> str:
    name = unique_name("dst")
    dynamodb.create_table(**hash_table_arguments(name, **extra))
    wait_for_table(dynamodb, name)
    return name


def new_stream(kinesis) -> str:
    return stream_arn(create_active_stream(kinesis))


def statuses(dynamodb, table: str) -> list[dict]:
    answer = dynamodb.describe_kinesis_streaming_destination(TableName=table)
    assert answer["TableName"] == table
    return answer["KinesisDataStreamDestinations"]


def expect_error(call, code: str, message: str | None = None) -> None:
    with pytest.raises(Exception) as raised:
        call()
    assert error_code(raised.value) == code, raised.value
    if message is not None:
        assert error_message(raised.value) == message


CANNOT_ENABLE = ("Table is not in a valid state to enable Kinesis Streaming Destination: "
                 "EnableKinesisStreamingDestination must be DISABLED or ENABLE_FAILED to perform "
                 "ENABLE operation.")
CANNOT_DISABLE = ("Table is not in a valid state to enable Kinesis Streaming Destination: "
                  "KinesisStreamingDestination must be ACTIVE to perform DISABLE operation.")
NO_PERMISSION = "User does not have a permission to use kinesis stream"


def update_call(dynamodb, table: str, arn: str, precision: str | None = None):
    """UpdateKinesisStreamingDestination with that precision (none: no configuration)."""
    arguments: dict = {"TableName": table, "StreamArn": arn}
    if precision is not None:
        arguments["UpdateKinesisStreamingConfiguration"] = {
            "ApproximateCreationDateTimePrecision": precision}
    return lambda: dynamodb.update_kinesis_streaming_destination(**arguments)


def test_enable_answers_enabling_then_active_by_the_clock(destination_server, clients):
    dynamodb, kinesis = clients
    table, arn = new_table(dynamodb), new_stream(kinesis)
    assert statuses(dynamodb, table) == []
    answer = dynamodb.enable_kinesis_streaming_destination(TableName=table, StreamArn=arn)
    answer.pop("ResponseMetadata")
    # Recorded 2025-07-23: ENABLING, and an empty configuration echoed when none was sent.
    assert answer == {"TableName": table, "StreamArn": arn, "DestinationStatus": "ENABLING",
                      "EnableKinesisStreamingConfiguration": {}}
    assert statuses(dynamodb, table) == [{"StreamArn": arn, "DestinationStatus": "ENABLING"}]
    advance_test_clock(destination_server, DELAY_MS - 1000)
    assert statuses(dynamodb, table)[0]["DestinationStatus"] == "ENABLING"
    advance_test_clock(destination_server, 1000)
    # Recorded: no DestinationStatusDescription, no precision member when none was set.
    assert statuses(dynamodb, table) == [{"StreamArn": arn, "DestinationStatus": "ACTIVE"}]


def test_enable_by_table_arn_echoes_the_precision(destination_server, clients):
    dynamodb, kinesis = clients
    table, arn = new_table(dynamodb), new_stream(kinesis)
    table_arn = dynamodb.describe_table(TableName=table)["Table"]["TableArn"]
    answer = dynamodb.enable_kinesis_streaming_destination(
        TableName=table_arn, StreamArn=arn,
        EnableKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "MICROSECOND"})
    assert answer["TableName"] == table
    assert answer["EnableKinesisStreamingConfiguration"] == {
        "ApproximateCreationDateTimePrecision": "MICROSECOND"}
    assert statuses(dynamodb, table) == [{
        "StreamArn": arn, "DestinationStatus": "ENABLING",
        "ApproximateCreationDateTimePrecision": "MICROSECOND"}]


def test_disable_only_from_active_then_disabled_and_enable_again(destination_server, clients):
    dynamodb, kinesis = clients
    table, arn = new_table(dynamodb), new_stream(kinesis)
    cannot_disable, cannot_enable = CANNOT_DISABLE, CANNOT_ENABLE
    expect_error(lambda: dynamodb.disable_kinesis_streaming_destination(
        TableName=table, StreamArn=arn), "ValidationException", cannot_disable)
    dynamodb.enable_kinesis_streaming_destination(TableName=table, StreamArn=arn)
    expect_error(lambda: dynamodb.disable_kinesis_streaming_destination(
        TableName=table, StreamArn=arn), "ValidationException", cannot_disable)
    expect_error(lambda: dynamodb.enable_kinesis_streaming_destination(
        TableName=table, StreamArn=arn), "ValidationException", cannot_enable)
    advance_test_clock(destination_server, DELAY_MS)
    expect_error(lambda: dynamodb.enable_kinesis_streaming_destination(
        TableName=table, StreamArn=arn), "ValidationException", cannot_enable)

    answer = dynamodb.disable_kinesis_streaming_destination(TableName=table, StreamArn=arn)
    assert answer["DestinationStatus"] == "DISABLING"
    assert answer["StreamArn"] == arn and answer["TableName"] == table
    assert statuses(dynamodb, table)[0]["DestinationStatus"] == "DISABLING"
    expect_error(lambda: dynamodb.enable_kinesis_streaming_destination(
        TableName=table, StreamArn=arn), "ValidationException", cannot_enable)
    advance_test_clock(destination_server, DELAY_MS)
    assert statuses(dynamodb, table) == [{"StreamArn": arn, "DestinationStatus": "DISABLED"}]
    expect_error(lambda: dynamodb.disable_kinesis_streaming_destination(
        TableName=table, StreamArn=arn), "ValidationException", cannot_disable)

    # From DISABLED: enabled again (the same entry, listed once).
    assert dynamodb.enable_kinesis_streaming_destination(
        TableName=table, StreamArn=arn)["DestinationStatus"] == "ENABLING"
    advance_test_clock(destination_server, DELAY_MS)
    assert statuses(dynamodb, table) == [{"StreamArn": arn, "DestinationStatus": "ACTIVE"}]


def test_one_enabled_stream_per_table(destination_server, clients):
    dynamodb, kinesis = clients
    table, first, second = new_table(dynamodb), new_stream(kinesis), new_stream(kinesis)
    dynamodb.enable_kinesis_streaming_destination(TableName=table, StreamArn=first)
    # AWS (recorded 2026-10-09) refuses a second stream with the same text, ENABLING or ACTIVE.
    expect_error(lambda: dynamodb.enable_kinesis_streaming_destination(
        TableName=table, StreamArn=second), "ValidationException", CANNOT_ENABLE)
    advance_test_clock(destination_server, DELAY_MS)
    expect_error(lambda: dynamodb.enable_kinesis_streaming_destination(
        TableName=table, StreamArn=second), "ValidationException", CANNOT_ENABLE)
    dynamodb.disable_kinesis_streaming_destination(TableName=table, StreamArn=first)
    advance_test_clock(destination_server, DELAY_MS)
    dynamodb.enable_kinesis_streaming_destination(TableName=table, StreamArn=second)
    assert statuses(dynamodb, table) == [
        {"StreamArn": first, "DestinationStatus": "DISABLED"},
        {"StreamArn": second, "DestinationStatus": "ENABLING"}]


def test_update_precision_and_its_recorded_errors(destination_server, clients):
    dynamodb, kinesis = clients
    table, arn = new_table(dynamodb), new_stream(kinesis)
    table_id = dynamodb.describe_table(TableName=table)["Table"]["TableId"]
    dynamodb.enable_kinesis_streaming_destination(TableName=table, StreamArn=arn)
    advance_test_clock(destination_server, DELAY_MS)

    no_configuration = ("Streaming destination cannot be updated with given parameters: "
                        "UpdateKinesisStreamingConfiguration cannot be null or contain only "
                        "null values")
    expect_error(update_call(dynamodb, table, arn), "ValidationException", no_configuration)
    expect_error(lambda: dynamodb.update_kinesis_streaming_destination(
        TableName=table, StreamArn=arn, UpdateKinesisStreamingConfiguration={}),
        "ValidationException", no_configuration)
    bad = stream_arn("bad-stream")
    expect_error(update_call(dynamodb, table, bad, "MICROSECOND"), "ValidationException",
        "Table is not in a valid state to enable Kinesis Streaming Destination: No streaming "
        f"destination with streamArn: {bad} found for table with tableName: {table}")
    # Enabled without a precision: it behaves as MILLISECOND (the recording, facts §15.4).
    def already_set(precision: str) -> str:
        return (f"Invalid Request: Precision is already set to the desired value of {precision} "
                f"for tableId: {table_id}, kdsArn: {arn}")

    expect_error(update_call(dynamodb, table, arn, "MILLISECOND"), "ValidationException",
                 already_set("MILLISECOND"))

    answer = update_call(dynamodb, table, arn, "MICROSECOND")()
    answer.pop("ResponseMetadata")
    assert answer == {"TableName": table, "StreamArn": arn, "DestinationStatus": "UPDATING",
                      "UpdateKinesisStreamingConfiguration": {
                          "ApproximateCreationDateTimePrecision": "MICROSECOND"}}
    assert statuses(dynamodb, table)[0]["DestinationStatus"] == "UPDATING"
    advance_test_clock(destination_server, DELAY_MS)
    assert statuses(dynamodb, table) == [{
        "StreamArn": arn, "DestinationStatus": "ACTIVE",
        "ApproximateCreationDateTimePrecision": "MICROSECOND"}]
    expect_error(update_call(dynamodb, table, arn, "MICROSECOND"), "ValidationException",
                 already_set("MICROSECOND"))


def test_update_with_an_unknown_precision_is_a_model_validation_error(destination_server, clients):
    dynamodb, kinesis = clients
    raw = dynamodb_client(destination_server, validate=False)
    table, arn = new_table(dynamodb), new_stream(kinesis)
    expect_error(update_call(raw, table, arn, "SECOND"), "ValidationException")


def test_update_with_an_unknown_precision_in_the_legacy_wording(legacy_server):
    # Recorded from AWS (facts §15.3) in the older validation wording.
    dynamodb = dynamodb_client(legacy_server, validate=False)
    table = new_table(dynamodb)
    arn = stream_arn("some-stream")
    expect_error(update_call(dynamodb, table, arn, "SECOND"), "ValidationException",
        "1 validation error detected: Value 'SECOND' at "
        "'updateKinesisStreamingConfiguration.approximateCreationDateTimePrecision' failed to "
        "satisfy constraint: Member must satisfy enum value set: [MILLISECOND, MICROSECOND]")


@pytest.mark.parametrize("operation", ["enable", "disable", "describe", "update"])
def test_a_missing_table_is_named(destination_server, clients, operation):
    dynamodb, kinesis = clients
    arn = stream_arn("any-stream")
    calls = {
        "enable": lambda: dynamodb.enable_kinesis_streaming_destination(
            TableName="bad-table", StreamArn=arn),
        "disable": lambda: dynamodb.disable_kinesis_streaming_destination(
            TableName="bad-table", StreamArn=arn),
        "describe": lambda: dynamodb.describe_kinesis_streaming_destination(TableName="bad-table"),
        "update": update_call(dynamodb, "bad-table", arn, "MICROSECOND"),
    }
    # Recorded for Enable and Disable; the same assumed for Describe and Update.
    expect_error(calls[operation], "ResourceNotFoundException",
                 "Requested resource not found: Table: bad-table not found")


def test_a_stream_that_cannot_be_used_ends_enable_failed(destination_server, clients):
    """AWS answers ENABLING for any well-formed ARN and ends ENABLE_FAILED with a description
    (recorded 2026-10-09): missing, CREATING or not-a-stream ARNs "User does not have a
    permission ...", another region "... not in the current region", another account "... not
    in Active state". The failed entries stay listed beside a live one."""
    dynamodb, kinesis = clients
    table = new_table(dynamodb)
    name = create_active_stream(kinesis)
    region = kinesis.meta.region_name
    other_region = "eu-north-1" if region != "eu-north-1" else "eu-west-3"
    own = stream_arn(name)
    account = own.split(":")[4]
    other_account = "111122223333" if account != "111122223333" else "444455556666"
    cases = {
        stream_arn("no-such-stream"): NO_PERMISSION,
        own + "/consumer/reader:1700000000": NO_PERMISSION,
        own.replace(f":{region}:", f":{other_region}:"): (
            "The kinesis Arn used to enable kinesis replication belongs to a stream which is not "
            "in the current region"),
        own.replace(f":{account}:", f":{other_account}:"): (
            "The kinesis Arn used to enable kinesis replication belongs to a stream which is not "
            "in Active state"),
        f"arn:aws:firehose:{region}:{account}:deliverystream/{name}": (
            "The kinesis Arn used to enable kinesis replication belongs to a stream which is not "
            "in Active state"),
    }
    for arn in cases:
        answer = dynamodb.enable_kinesis_streaming_destination(TableName=table, StreamArn=arn)
        assert answer["DestinationStatus"] == "ENABLING", arn
        assert {d["StreamArn"]: d["DestinationStatus"] for d in statuses(dynamodb, table)}[arn] == \
            "ENABLING"
        # No description while ENABLING; the next Enable waits for this one to settle.
        assert "DestinationStatusDescription" not in statuses(dynamodb, table)[-1]
        advance_test_clock(destination_server, DELAY_MS)
    described = {d["StreamArn"]: d for d in statuses(dynamodb, table)}
    for arn, description in cases.items():
        assert described[arn] == {"StreamArn": arn, "DestinationStatus": "ENABLE_FAILED",
                                  "DestinationStatusDescription": description}, arn
    # ENABLE_FAILED cannot be disabled or updated (recorded texts), but enabled again.
    failed = stream_arn("no-such-stream")
    expect_error(lambda: dynamodb.disable_kinesis_streaming_destination(
        TableName=table, StreamArn=failed), "ValidationException", CANNOT_DISABLE)
    expect_error(update_call(dynamodb, table, failed, "MICROSECOND"), "ValidationException",
                 "Table is not in a valid state to enable Kinesis Streaming Destination: Kinesis "
                 "streaming is not in ACTIVE state. Updates are only allowed in ACTIVE state. "
                 f"TableName: {table}")
    # A usable stream beside the failed entries goes ACTIVE; nothing else changes.
    dynamodb.enable_kinesis_streaming_destination(TableName=table, StreamArn=own)
    advance_test_clock(destination_server, DELAY_MS)
    described = {d["StreamArn"]: d["DestinationStatus"] for d in statuses(dynamodb, table)}
    assert described.pop(own) == "ACTIVE"
    assert set(described.values()) == {"ENABLE_FAILED"} and len(described) == len(cases)


def test_a_stream_still_creating_ends_enable_failed(start_server):
    """A stream that is CREATING when Enable is called: ENABLE_FAILED (as on AWS, recorded)."""
    server = start_server(in_memory=True, create_stream_ms=60_000, extra_args=[
        "--test-clock", "--create-table-ms", "0", "--kinesis-destination-ms", "1000"])
    dynamodb, kinesis = dynamodb_client(server), kinesis_client(server)
    table = new_table(dynamodb)
    name = unique_name("creating")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    assert kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"][
        "StreamStatus"] == "CREATING"
    arn = stream_arn(name)
    assert dynamodb.enable_kinesis_streaming_destination(
        TableName=table, StreamArn=arn)["DestinationStatus"] == "ENABLING"
    advance_test_clock(server, 1000)
    assert statuses(dynamodb, table) == [{"StreamArn": arn, "DestinationStatus": "ENABLE_FAILED",
                                          "DestinationStatusDescription": NO_PERMISSION}]


def test_independent_of_stream_specification_and_not_in_describe_table(destination_server,
                                                                        clients):
    dynamodb, kinesis = clients
    plain = new_table(dynamodb)
    streamed = new_table(dynamodb, StreamSpecification={"StreamEnabled": True,
                                                         "StreamViewType": "KEYS_ONLY"})
    before = {name: dynamodb.describe_table(TableName=name)["Table"] for name in (plain, streamed)}
    for name in (plain, streamed):
        arn = new_stream(kinesis)
        dynamodb.enable_kinesis_streaming_destination(TableName=name, StreamArn=arn)
        advance_test_clock(destination_server, DELAY_MS)
        after = dynamodb.describe_table(TableName=name)["Table"]
        assert after.get("StreamSpecification") == before[name].get("StreamSpecification")
        assert after.get("LatestStreamArn") == before[name].get("LatestStreamArn")
        assert not [key for key in after if "Kinesis" in key], after
    assert "StreamSpecification" not in dynamodb.describe_table(TableName=plain)["Table"]
