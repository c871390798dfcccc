"""UpdateTable, tags, DescribeLimits, DescribeEndpoints and continuous backups against the real
binary with boto3.

Self-contained: the module starts its own servers (one with zero delays, one on --test-clock
with long UPDATING / CREATING delays to watch the transitions). Each AWS text the server
implements has a test here; the source of each text is named in src/dynamodb/ops/*.cc.
"""

from __future__ import annotations

import datetime
import pathlib
import sys
import uuid

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from support import (  # noqa: E402
    DEFAULT_ACCESS_KEY,
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    DUMMY_SECRET,
    TributaryServer,
    advance_test_clock,
    raw_request,
)

UPDATE_MS = 60_000
CREATE_INDEX_MS = 120_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000


def dynamodb_client(server: TributaryServer, *, validate: bool = True):
    session = boto3.session.Session(
        aws_access_key_id=DEFAULT_ACCESS_KEY,
        aws_secret_access_key=DUMMY_SECRET,
        region_name=DEFAULT_REGION,
    )
    config = botocore.config.Config(
        retries={"total_max_attempts": 1, "mode": "standard"},
        connect_timeout=5,
        read_timeout=15,
        parameter_validation=validate,
    )
    return session.client("dynamodb", endpoint_url=server.url, config=config)


@pytest.fixture(scope="module")
def fast(tmp_path_factory):
    """Zero delays: every state transition is immediate."""
    server = TributaryServer(
        data_dir=tmp_path_factory.mktemp("table-updates"),
        extra_args=["--create-table-ms", "0", "--delete-table-ms", "0", "--update-table-ms", "0",
                    "--create-index-ms", "0"],
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def clocked():
    """--test-clock, UPDATING for 60 s and index backfills of 120 s."""
    server = TributaryServer(
        data_dir=None,
        in_memory=True,
        extra_args=["--test-clock", "--create-table-ms", "0", "--delete-table-ms", "0",
                    "--update-table-ms", str(UPDATE_MS), "--create-index-ms", str(CREATE_INDEX_MS)],
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def ddb(fast):
    return dynamodb_client(fast)


@pytest.fixture(scope="module")
def cddb(clocked):
    return dynamodb_client(clocked)


def name(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def create_table(client, *, billing: str = "PROVISIONED", gsi: bool = False, **extra) -> str:
    table = name()
    definitions = [{"AttributeName": "pk", "AttributeType": "S"}]
    args = dict(
        TableName=table,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode=billing,
    )
    if billing == "PROVISIONED":
        args["ProvisionedThroughput"] = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    if gsi:
        definitions.append({"AttributeName": "g", "AttributeType": "S"})
        index = {
            "IndexName": "by-g",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }
        if billing == "PROVISIONED":
            index["ProvisionedThroughput"] = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
        args["GlobalSecondaryIndexes"] = [index]
    args["AttributeDefinitions"] = definitions
    args.update(extra)
    client.create_table(**args)
    return table


def expect_error(call, code: str, message: str | None = None, **kwargs) -> ClientError:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    assert error["Code"] == code, caught.value.response
    if message is not None:
        assert error["Message"] == message, caught.value.response
    return caught.value


def describe(client, table: str) -> dict:
    return client.describe_table(TableName=table)["Table"]


def arn(table: str, account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> str:
    return f"arn:aws:dynamodb:{region}:{account}:table/{table}"


def gsi_create(index: str, attribute: str, throughput: bool = True) -> dict:
    create = {
        "IndexName": index,
        "KeySchema": [{"AttributeName": attribute, "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "KEYS_ONLY"},
    }
    if throughput:
        create["ProvisionedThroughput"] = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
    return {"Create": create}


# --------------------------------------------------------------------------------------
# UpdateTable: request checks
# --------------------------------------------------------------------------------------


def test_update_missing_table(ddb):
    expect_error(ddb.update_table, "ResourceNotFoundException",
                 "Requested resource not found: Table: nope-table not found",
                 TableName="nope-table", DeletionProtectionEnabled=True)


def test_update_with_nothing_to_change(ddb):
    table = create_table(ddb)
    expect_error(
        ddb.update_table, "ValidationException",
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, "
        "ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, "
        "OnDemandThroughput, WarmThroughput or TableClass is required",
        TableName=table)
    # A request with MultiRegionConsistency leaves it out of the list (AWS, recorded).
    expect_error(
        ddb.update_table, "ValidationException",
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, "
        "ReplicaTransitRoleArn, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or "
        "TableClass is required",
        TableName=table, MultiRegionConsistency="STRONG")
    expect_error(ddb.update_table, "ValidationException",
                 "One or more parameter values were invalid: List of GlobalSecondaryIndexUpdates is empty",
                 TableName=table, GlobalSecondaryIndexUpdates=[], DeletionProtectionEnabled=True)
    # AttributeDefinitions alone changes nothing either.
    expect_error(ddb.update_table, "ValidationException", None, TableName=table,
                 AttributeDefinitions=[{"AttributeName": "x", "AttributeType": "S"}])


def test_update_changes_that_must_come_alone(ddb):
    table = create_table(ddb)
    prefix = "One or more parameter values were invalid: "
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "Server-Side Encryption modification must be the only operation in the request",
                 TableName=table, SSESpecification={"Enabled": True}, DeletionProtectionEnabled=True)
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "TableClass modification must be the only operation in the request",
                 TableName=table, TableClass="STANDARD_INFREQUENT_ACCESS",
                 DeletionProtectionEnabled=True)
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "DeletionProtection modification must be the only operation in the request",
                 TableName=table, DeletionProtectionEnabled=True,
                 ProvisionedThroughput={"ReadCapacityUnits": 9, "WriteCapacityUnits": 9})
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "WarmThroughput must be the only operation in the request",
                 TableName=table, WarmThroughput={"ReadUnitsPerSecond": 20000},
                 ProvisionedThroughput={"ReadCapacityUnits": 9, "WriteCapacityUnits": 9})
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "OnDemandThroughput can only be combined with BillingMode in an UpdateTable request",
                 TableName=table, OnDemandThroughput={"MaxReadRequestUnits": 10},
                 StreamSpecification={"StreamEnabled": False})
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "You cannot modify stream status while updating table IOPS",
                 TableName=table, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
                 ProvisionedThroughput={"ReadCapacityUnits": 9, "WriteCapacityUnits": 9})
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "You cannot create or delete index while updating table IOPS",
                 TableName=table, AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
                 GlobalSecondaryIndexUpdates=[gsi_create("by-a", "a")],
                 ProvisionedThroughput={"ReadCapacityUnits": 9, "WriteCapacityUnits": 9})
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "You cannot create or delete index while changing stream status",
                 TableName=table, AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
                 GlobalSecondaryIndexUpdates=[gsi_create("by-a", "a")],
                 StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})


def test_update_index_update_list_rules(ddb):
    table = create_table(ddb, gsi=True)
    prefix = "One or more parameter values were invalid: "
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
                 "GlobalSecondaryIndexUpdate.Delete must not be null",
                 TableName=table, GlobalSecondaryIndexUpdates=[{}])
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object",
                 TableName=table, GlobalSecondaryIndexUpdates=[
                     {"Delete": {"IndexName": "by-g"}, "Update": {"IndexName": "by-g"}}])
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "Only one global secondary index update per index is allowed simultaneously. Index: by-g",
                 TableName=table, GlobalSecondaryIndexUpdates=[
                     {"Delete": {"IndexName": "by-g"}}, {"Delete": {"IndexName": "by-g"}}])
    expect_error(ddb.update_table, "LimitExceededException",
                 "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
                 TableName=table,
                 AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
                 GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-g"}}, gsi_create("by-a", "a")])
    expect_error(ddb.update_table, "ValidationException",
                 "Given value 1000000000001 for ReadCapacityUnits is out of bounds",
                 TableName=table,
                 ProvisionedThroughput={"ReadCapacityUnits": 1_000_000_000_001, "WriteCapacityUnits": 1})
    expect_error(ddb.update_table, "ValidationException",
                 "This operation cannot be performed with given input values. Please contact DynamoDB "
                 "service team for more info: Action Blocked: IndexUpdate",
                 TableName=table, GlobalSecondaryIndexUpdates=[{"Update": {
                     "IndexName": "by-g",
                     "ProvisionedThroughput": {"ReadCapacityUnits": 1_000_000_000_001,
                                               "WriteCapacityUnits": 1}}}])


# --------------------------------------------------------------------------------------
# UpdateTable: throughput and billing mode
# --------------------------------------------------------------------------------------


def test_update_throughput_increase_and_same_values(ddb):
    table = create_table(ddb)
    answer = ddb.update_table(TableName=table,
                              ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 5})
    description = answer["TableDescription"]
    assert description["TableStatus"] == "UPDATING"
    throughput = description["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (10, 5)
    assert "LastIncreaseDateTime" in throughput and "LastDecreaseDateTime" not in throughput
    assert throughput["NumberOfDecreasesToday"] == 0
    assert describe(ddb, table)["TableStatus"] == "ACTIVE"
    expect_error(
        ddb.update_table, "ValidationException",
        "The provisioned throughput for the table will not change. The requested value equals the "
        "current value. Current ReadCapacityUnits provisioned for the table: 10. Requested "
        "ReadCapacityUnits: 10. Current WriteCapacityUnits provisioned for the table: 5. Requested "
        "WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and "
        "how to request higher limits.",
        TableName=table, ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 5})


def test_update_throughput_decreases_per_utc_day(clocked, cddb):
    now = advance_test_clock(clocked)["now_ms"]
    # Keep the whole test inside one UTC day.
    if DAY_MS - now % DAY_MS < 6 * HOUR_MS:
        advance_test_clock(clocked, DAY_MS - now % DAY_MS + 1000)
    table = create_table(cddb)
    cddb.update_table(TableName=table,
                      ProvisionedThroughput={"ReadCapacityUnits": 100, "WriteCapacityUnits": 100})
    advance_test_clock(clocked, UPDATE_MS + 1)
    for units in (90, 80, 70, 60):
        cddb.update_table(TableName=table,
                          ProvisionedThroughput={"ReadCapacityUnits": units, "WriteCapacityUnits": 100})
        advance_test_clock(clocked, UPDATE_MS + 1)
    throughput = describe(cddb, table)["ProvisionedThroughput"]
    assert throughput["NumberOfDecreasesToday"] == 4
    last = throughput["LastDecreaseDateTime"].astimezone(datetime.timezone.utc)
    error = expect_error(cddb.update_table, "LimitExceededException", None, TableName=table,
                         ProvisionedThroughput={"ReadCapacityUnits": 50, "WriteCapacityUnits": 100})
    following = last + datetime.timedelta(hours=1)

    def human(moment: datetime.datetime) -> str:
        hour = moment.hour % 12 or 12
        return (f"{moment:%A}, {moment:%B} {moment.day}, {moment.year} at {hour}:{moment:%M:%S} "
                f"{'AM' if moment.hour < 12 else 'PM'} Coordinated Universal Time")

    assert error.response["Error"]["Message"] == (
        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC "
        "day. After the first 4 decreases, each subsequent decrease in the same UTC day can be "
        "performed at most once every 3600 seconds. Number of decreases today: 4. Last decrease at "
        f"{human(last)}. Next decrease can be made at {human(following)}")
    # Increases are never limited; an hour after the last decrease a fifth one is allowed.
    cddb.update_table(TableName=table,
                      ProvisionedThroughput={"ReadCapacityUnits": 60, "WriteCapacityUnits": 200})
    advance_test_clock(clocked, HOUR_MS)
    cddb.update_table(TableName=table,
                      ProvisionedThroughput={"ReadCapacityUnits": 50, "WriteCapacityUnits": 200})
    assert describe(cddb, table)["ProvisionedThroughput"]["NumberOfDecreasesToday"] == 5


def test_update_billing_mode_rules(ddb):
    prefix = "One or more parameter values were invalid: "
    on_demand = create_table(ddb, billing="PAY_PER_REQUEST")
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                 "BillingMode is PAY_PER_REQUEST",
                 TableName=on_demand,
                 ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    provisioned = create_table(ddb)
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                 "BillingMode is PAY_PER_REQUEST",
                 TableName=provisioned, BillingMode="PAY_PER_REQUEST",
                 ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "ProvisionedThroughput must be specified when BillingMode is PROVISIONED",
                 TableName=on_demand, BillingMode="PROVISIONED")
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "MaxReadRequestUnits for OnDemandThroughput cannot be specified when the "
                 "table BillingMode is PROVISIONED",
                 TableName=provisioned, OnDemandThroughput={"MaxReadRequestUnits": 100})
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "Requested MaxWriteRequestUnits for OnDemandThroughput for table is outside "
                 "of valid range",
                 TableName=on_demand, OnDemandThroughput={"MaxWriteRequestUnits": 0})


def test_update_switch_billing_modes(ddb):
    table = create_table(ddb, gsi=True)
    answer = ddb.update_table(TableName=table, BillingMode="PAY_PER_REQUEST")["TableDescription"]
    assert answer["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert "LastUpdateToPayPerRequestDateTime" in answer["BillingModeSummary"]
    described = describe(ddb, table)
    assert described["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert described["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["WriteCapacityUnits"] == 0
    ddb.update_table(TableName=table, OnDemandThroughput={"MaxReadRequestUnits": 500})
    assert describe(ddb, table)["OnDemandThroughput"] == {"MaxReadRequestUnits": 500,
                                                          "MaxWriteRequestUnits": -1}
    # Back to provisioned: every global index needs its throughput.
    expect_error(ddb.update_table, "ValidationException",
                 "One or more parameter values were invalid: ProvisionedThroughput must be specified "
                 "for index: by-g",
                 TableName=table, BillingMode="PROVISIONED",
                 ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4})
    ddb.update_table(
        TableName=table, BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4},
        GlobalSecondaryIndexUpdates=[{"Update": {
            "IndexName": "by-g",
            "ProvisionedThroughput": {"ReadCapacityUnits": 6, "WriteCapacityUnits": 7}}}])
    described = describe(ddb, table)
    assert "BillingModeSummary" not in described
    assert described["ProvisionedThroughput"]["ReadCapacityUnits"] == 3
    index = described["GlobalSecondaryIndexes"][0]
    assert (index["ProvisionedThroughput"]["ReadCapacityUnits"],
            index["ProvisionedThroughput"]["WriteCapacityUnits"]) == (6, 7)


def test_update_while_updating_is_resource_in_use(clocked, cddb):
    table = create_table(cddb)
    cddb.update_table(TableName=table,
                      ProvisionedThroughput={"ReadCapacityUnits": 6, "WriteCapacityUnits": 6})
    assert describe(cddb, table)["TableStatus"] == "UPDATING"
    expect_error(cddb.update_table, "ResourceInUseException",
                 f"Attempt to change a resource which is still in use: Table IOPS are currently being "
                 f"updated. Table: {table}",
                 TableName=table, ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 7})
    expect_error(cddb.update_table, "ResourceInUseException",
                 f"Attempt to change a resource which is still in use: Table is being updated: {table}",
                 TableName=table, DeletionProtectionEnabled=True)
    advance_test_clock(clocked, UPDATE_MS + 1)
    assert describe(cddb, table)["TableStatus"] == "ACTIVE"
    cddb.update_table(TableName=table, DeletionProtectionEnabled=True)


# --------------------------------------------------------------------------------------
# UpdateTable: global secondary indexes
# --------------------------------------------------------------------------------------


def test_create_index_backfills_then_becomes_active(clocked, cddb):
    table = create_table(cddb)
    answer = cddb.update_table(
        TableName=table,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "a", "AttributeType": "N"}],
        GlobalSecondaryIndexUpdates=[gsi_create("by-a", "a")])["TableDescription"]
    assert answer["TableStatus"] == "UPDATING"
    assert {"AttributeName": "a", "AttributeType": "N"} in answer["AttributeDefinitions"]
    index = answer["GlobalSecondaryIndexes"][0]
    assert (index["IndexName"], index["IndexStatus"], index["Backfilling"]) == ("by-a", "CREATING", True)
    assert index["IndexArn"] == arn(table) + "/index/by-a"
    advance_test_clock(clocked, UPDATE_MS + 1)
    described = describe(cddb, table)
    assert described["TableStatus"] == "ACTIVE"
    assert described["GlobalSecondaryIndexes"][0]["IndexStatus"] == "CREATING"
    # A second online index change waits for the first.
    expect_error(cddb.update_table, "LimitExceededException",
                 "Subscriber limit exceeded: Only 1 online index can be created or deleted "
                 "simultaneously per table",
                 TableName=table, AttributeDefinitions=[{"AttributeName": "b", "AttributeType": "S"}],
                 GlobalSecondaryIndexUpdates=[gsi_create("by-b", "b")])
    # Reads of the index wait for the backfill (AWS's text, as applications quote it).
    cddb.put_item(TableName=table, Item={"pk": {"S": "one"}, "a": {"N": "1"}})
    backfilling = "Cannot read from backfilling global secondary index: by-a"
    expect_error(cddb.query, "ValidationException", backfilling, TableName=table,
                 IndexName="by-a", KeyConditionExpression="a = :a",
                 ExpressionAttributeValues={":a": {"N": "1"}})
    expect_error(cddb.scan, "ValidationException", backfilling, TableName=table, IndexName="by-a")
    advance_test_clock(clocked, CREATE_INDEX_MS)
    index = describe(cddb, table)["GlobalSecondaryIndexes"][0]
    assert index["IndexStatus"] == "ACTIVE" and "Backfilling" not in index
    assert cddb.scan(TableName=table, IndexName="by-a")["Count"] == 1
    expect_error(cddb.update_table, "ValidationException",
                 "Attempting to create an index which already exists",
                 TableName=table, AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "N"}],
                 GlobalSecondaryIndexUpdates=[gsi_create("by-a", "a")])


def test_create_index_checks(ddb):
    table = create_table(ddb)
    prefix = "One or more parameter values were invalid: "
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "AttributeDefinitions is not specified for index: by-a",
                 TableName=table, GlobalSecondaryIndexUpdates=[gsi_create("by-a", "a")])
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "ProvisionedThroughput must be specified for index: by-a",
                 TableName=table, AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
                 GlobalSecondaryIndexUpdates=[gsi_create("by-a", "a", throughput=False)])
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "Some index key attributes are not defined in AttributeDefinitions. "
                 "Keys: [a], AttributeDefinitions: [pk, b]",
                 TableName=table, AttributeDefinitions=[{"AttributeName": "b", "AttributeType": "S"}],
                 GlobalSecondaryIndexUpdates=[gsi_create("by-a", "a")])
    on_demand = create_table(ddb, billing="PAY_PER_REQUEST")
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for "
                 "index: by-a when BillingMode is PAY_PER_REQUEST",
                 TableName=on_demand, AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
                 GlobalSecondaryIndexUpdates=[gsi_create("by-a", "a")])
    ddb.update_table(TableName=on_demand,
                     AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
                     GlobalSecondaryIndexUpdates=[gsi_create("by-a", "a", throughput=False)])
    assert describe(ddb, on_demand)["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"


def test_create_index_limit_of_twenty(ddb):
    table = create_table(ddb, billing="PAY_PER_REQUEST")
    for i in range(20):
        ddb.update_table(TableName=table,
                         AttributeDefinitions=[{"AttributeName": f"a{i}", "AttributeType": "S"}],
                         GlobalSecondaryIndexUpdates=[gsi_create(f"ix{i}", f"a{i}", throughput=False)])
    expect_error(ddb.update_table, "LimitExceededException",
                 "Subscriber limit exceeded: Number of global secondary indexes exceeds per-table "
                 "limit of 20",
                 TableName=table, AttributeDefinitions=[{"AttributeName": "z", "AttributeType": "S"}],
                 GlobalSecondaryIndexUpdates=[gsi_create("ix20", "z", throughput=False)])


def test_update_index_throughput(clocked, cddb):
    table = create_table(cddb, gsi=True)
    update = {"Update": {"IndexName": "by-g",
                         "ProvisionedThroughput": {"ReadCapacityUnits": 8, "WriteCapacityUnits": 5}}}
    answer = cddb.update_table(TableName=table, GlobalSecondaryIndexUpdates=[update])
    index = answer["TableDescription"]["GlobalSecondaryIndexes"][0]
    assert index["IndexStatus"] == "UPDATING"
    assert index["ProvisionedThroughput"]["ReadCapacityUnits"] == 8
    assert "LastIncreaseDateTime" in index["ProvisionedThroughput"]
    assert answer["TableDescription"]["TableStatus"] == "ACTIVE"
    expect_error(cddb.update_table, "ResourceInUseException",
                 f"Attempt to change a resource which is still in use: Index is being updated.  "
                 f"Table: {table} Index: by-g",
                 TableName=table, GlobalSecondaryIndexUpdates=[update])
    advance_test_clock(clocked, UPDATE_MS + 1)
    expect_error(
        cddb.update_table, "ValidationException",
        "The provisioned throughput for the index by-g will not change. The requested value equals "
        "the current value. Current ReadCapacityUnits provisioned for the index: 8. Requested "
        "ReadCapacityUnits: 8. Current WriteCapacityUnits provisioned for the index: 5. Requested "
        "WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and "
        "how to request higher limits.",
        TableName=table, GlobalSecondaryIndexUpdates=[update])
    expect_error(cddb.update_table, "ValidationException",
                 "Cannot update an index that is not a GlobalSecondaryIndex: nope",
                 TableName=table, GlobalSecondaryIndexUpdates=[{"Update": {
                     "IndexName": "nope",
                     "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}}])
    on_demand = create_table(cddb, billing="PAY_PER_REQUEST", gsi=True)
    expect_error(cddb.update_table, "ValidationException",
                 "One or more parameter values were invalid: The only Updates for index: by-g when "
                 "TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput",
                 TableName=on_demand, GlobalSecondaryIndexUpdates=[update])


def test_delete_index(clocked, cddb):
    table = create_table(cddb, gsi=True)
    answer = cddb.update_table(TableName=table,
                               GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-g"}}])
    assert answer["TableDescription"]["GlobalSecondaryIndexes"][0]["IndexStatus"] == "DELETING"
    assert describe(cddb, table)["GlobalSecondaryIndexes"][0]["IndexStatus"] == "DELETING"
    advance_test_clock(clocked, UPDATE_MS + 1)
    expect_error(cddb.update_table, "ValidationException",
                 "Cannot delete an index that is not a GlobalSecondaryIndex: nope",
                 TableName=table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "nope"}}])
    described = describe(cddb, table)
    assert "GlobalSecondaryIndexes" not in described
    # The next change drops the definition only the deleted index used.
    cddb.update_table(TableName=table, DeletionProtectionEnabled=False)
    assert describe(cddb, table)["AttributeDefinitions"] == [
        {"AttributeName": "pk", "AttributeType": "S"}]


def test_delete_local_index_refused(ddb):
    table = name()
    ddb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"},
                              {"AttributeName": "l", "AttributeType": "S"}],
        LocalSecondaryIndexes=[{"IndexName": "local", "Projection": {"ProjectionType": "ALL"},
                                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                              {"AttributeName": "l", "KeyType": "RANGE"}]}],
        BillingMode="PAY_PER_REQUEST")
    expect_error(ddb.update_table, "ValidationException",
                 "Cannot delete an index that is not a GlobalSecondaryIndex: local",
                 TableName=table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "local"}}])


# --------------------------------------------------------------------------------------
# UpdateTable: settings
# --------------------------------------------------------------------------------------


def test_update_deletion_protection_and_table_class(ddb):
    table = create_table(ddb)
    answer = ddb.update_table(TableName=table, DeletionProtectionEnabled=True)["TableDescription"]
    assert answer["DeletionProtectionEnabled"] is True
    expect_error(ddb.delete_table, "ValidationException",
                 "Resource cannot be deleted as it is currently protected against deletion. Disable "
                 "deletion protection first.", TableName=table)
    ddb.update_table(TableName=table, TableClass="STANDARD_INFREQUENT_ACCESS")
    assert describe(ddb, table)["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    ddb.update_table(TableName=arn(table), DeletionProtectionEnabled=False)
    ddb.delete_table(TableName=table)


def test_update_stream(ddb):
    table = create_table(ddb)
    prefix = "One or more parameter values were invalid: "
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "If stream is being enabled then UpdateViewType is required",
                 TableName=table, StreamSpecification={"StreamEnabled": True})
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "If stream is being disabled, then UpdateViewType must not be specified",
                 TableName=table, StreamSpecification={"StreamEnabled": False,
                                                       "StreamViewType": "KEYS_ONLY"})
    expect_error(ddb.update_table, "ValidationException",
                 f"Table has no stream to disable: TableName: {table}",
                 TableName=table, StreamSpecification={"StreamEnabled": False})
    ddb.update_table(TableName=table,
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    assert describe(ddb, table)["StreamSpecification"] == {"StreamEnabled": True,
                                                           "StreamViewType": "NEW_IMAGE"}
    expect_error(ddb.update_table, "ValidationException",
                 f"Table already has an enabled stream: TableName: {table}",
                 TableName=table, StreamSpecification={"StreamEnabled": True,
                                                       "StreamViewType": "KEYS_ONLY"})
    ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
    assert "StreamSpecification" not in describe(ddb, table)


def test_update_sse(ddb):
    table = create_table(ddb)
    prefix = "One or more parameter values were invalid: "
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "Table is already encrypted by default",
                 TableName=table, SSESpecification={"Enabled": False})
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "SSEType can not be specified if Enabled is false",
                 TableName=table, SSESpecification={"Enabled": False, "SSEType": "KMS"})
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "KMSMasterKeyId can not be specified if Enabled is false",
                 TableName=table, SSESpecification={"Enabled": False, "KMSMasterKeyId": "k"})
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "SSEType AES256 is not supported",
                 TableName=table, SSESpecification={"Enabled": True, "SSEType": "AES256"})
    ddb.update_table(TableName=table, SSESpecification={"Enabled": True, "SSEType": "KMS"})
    sse = describe(ddb, table)["SSEDescription"]
    assert sse["Status"] == "ENABLED" and sse["SSEType"] == "KMS"
    assert sse["KMSMasterKeyArn"].startswith(f"arn:aws:kms:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:key/")
    expect_error(ddb.update_table, "ValidationException",
                 prefix + "Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId "
                 "parameter if you want to change Master Key",
                 TableName=table, SSESpecification={"Enabled": True})
    ddb.update_table(TableName=table, SSESpecification={"Enabled": False})
    assert "SSEDescription" not in describe(ddb, table)


def test_update_warm_throughput(ddb):
    table = create_table(ddb, billing="PAY_PER_REQUEST")
    ddb.update_table(TableName=table, WarmThroughput={"ReadUnitsPerSecond": 15000})
    warm = describe(ddb, table)["WarmThroughput"]
    assert (warm["ReadUnitsPerSecond"], warm["WriteUnitsPerSecond"]) == (15000, 4000)
    expect_error(ddb.update_table, "ValidationException",
                 "One or more parameter values were invalid: Requested ReadUnitsPerSecond for "
                 "WarmThroughput for table is lower than current WarmThroughput, decreasing "
                 "WarmThroughput is not supported",
                 TableName=table, WarmThroughput={"ReadUnitsPerSecond": 14000})


# --------------------------------------------------------------------------------------
# Tags
# --------------------------------------------------------------------------------------


def tags_of(client, resource: str) -> list[dict]:
    return client.list_tags_of_resource(ResourceArn=resource)["Tags"]


def test_tag_list_untag(ddb):
    table = create_table(ddb, Tags=[{"Key": "first", "Value": "1"}])
    resource = arn(table)
    assert tags_of(ddb, resource) == [{"Key": "first", "Value": "1"}]
    ddb.tag_resource(ResourceArn=resource, Tags=[{"Key": "env", "Value": "test"},
                                                 {"Key": "first", "Value": "one"},
                                                 {"Key": "blank", "Value": ""},
                                                 {"Key": "a b_c.d:e/f=g+h-i@j", "Value": "ok"}])
    assert tags_of(ddb, resource) == [{"Key": "first", "Value": "one"},
                                      {"Key": "env", "Value": "test"},
                                      {"Key": "blank", "Value": ""},
                                      {"Key": "a b_c.d:e/f=g+h-i@j", "Value": "ok"}]
    # Removing a key the table does not have is no error.
    ddb.untag_resource(ResourceArn=resource, TagKeys=["first", "absent"])
    assert [t["Key"] for t in tags_of(ddb, resource)] == ["env", "blank", "a b_c.d:e/f=g+h-i@j"]
    assert "NextToken" not in ddb.list_tags_of_resource(ResourceArn=resource)


def test_tag_limit_of_fifty(ddb):
    table = create_table(ddb)
    resource = arn(table)
    ddb.tag_resource(ResourceArn=resource, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(30)])
    ddb.tag_resource(ResourceArn=resource, Tags=[{"Key": f"k{i}", "Value": "w"} for i in range(20, 50)])
    assert len(tags_of(ddb, resource)) == 50
    expect_error(ddb.tag_resource, "ValidationException",
                 "Number of Tags exceed the current limit for the provided ResourceArn",
                 ResourceArn=resource, Tags=[{"Key": "k50", "Value": "v"}])
    too_many = name()
    expect_error(ddb.create_table, "ValidationException",
                 "Number of Tags exceed the current limit for the provided ResourceArn",
                 TableName=too_many, BillingMode="PAY_PER_REQUEST",
                 KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                 AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                 Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])
    expect_error(ddb.describe_table, "ResourceNotFoundException", None, TableName=too_many)


def test_tag_key_and_value_rules(fast, ddb):
    resource = arn(create_table(ddb))
    expect_error(ddb.tag_resource, "ValidationException",
                 "Atleast one Tag needs to be provided as Input.", ResourceArn=resource, Tags=[])
    expect_error(ddb.untag_resource, "ValidationException",
                 "Atleast one Tag Key needs to be provided as Input.", ResourceArn=resource, TagKeys=[])
    expect_error(ddb.tag_resource, "ValidationException",
                 "Tag Key cannot be prefixed with aws:, Key: aws:owner",
                 ResourceArn=resource, Tags=[{"Key": "aws:owner", "Value": "x"}])
    expect_error(ddb.untag_resource, "ValidationException",
                 "Tag Key cannot be prefixed with aws:, Key: aws:owner",
                 ResourceArn=resource, TagKeys=["aws:owner"])
    expect_error(ddb.tag_resource, "ValidationException", "The Tag Key provided is invalid, Key: hi!",
                 ResourceArn=resource, Tags=[{"Key": "hi!", "Value": "x"}])
    expect_error(ddb.tag_resource, "ValidationException",
                 "The Tag Value provided is invalid, Value: d%g",
                 ResourceArn=resource, Tags=[{"Key": "dog", "Value": "d%g"}])
    expect_error(ddb.tag_resource, "ValidationException",
                 "Duplicate Tag Keys provided as input: Duplicate Tag Key found k",
                 ResourceArn=resource, Tags=[{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}])
    unchecked = dynamodb_client(fast, validate=False)
    expect_error(unchecked.tag_resource, "ValidationException", None,
                 ResourceArn=resource, Tags=[{"Key": "x" * 129, "Value": "v"}])
    expect_error(unchecked.tag_resource, "ValidationException", None,
                 ResourceArn=resource, Tags=[{"Key": "k", "Value": "v" * 257}])
    ddb.tag_resource(ResourceArn=resource, Tags=[{"Key": "x" * 128, "Value": "v" * 256}])
    expect_error(ddb.create_table, "ValidationException",
                 "Tag Key cannot be prefixed with aws:, Key: aws:x",
                 TableName=name(), BillingMode="PAY_PER_REQUEST",
                 KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                 AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                 Tags=[{"Key": "aws:x", "Value": "v"}])


def test_tag_resource_arns(ddb):
    table = create_table(ddb)
    prefix = "One or more parameter values were invalid: "
    tags = [{"Key": "k", "Value": "v"}]
    expect_error(ddb.tag_resource, "ValidationException", prefix + "ARNs must start with 'arn:': abcd",
                 ResourceArn="abcd", Tags=tags)
    kinesis = f"arn:aws:kinesis:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:stream/{table}"
    expect_error(ddb.list_tags_of_resource, "ValidationException",
                 prefix + f"Provided Arn is not a DynamoDB resource arn: {kinesis}", ResourceArn=kinesis)
    other_account = arn(table, account="123456789012")
    expect_error(ddb.list_tags_of_resource, "AccessDeniedException",
                 f"User: arn:aws:iam::{DEFAULT_ACCOUNT}:root is not authorized to perform: "
                 f"dynamodb:ListTagsOfResource on resource: {other_account}",
                 ResourceArn=other_account)
    other_region = arn(table, region="eu-west-1")
    expect_error(ddb.list_tags_of_resource, "ValidationException",
                 f"Invalid TableArn: Invalid ResourceArn provided as input {other_region}",
                 ResourceArn=other_region)
    short = arn("ab")
    expect_error(ddb.tag_resource, "ValidationException",
                 f"Invalid TableArn: Invalid ResourceArn provided as input {short}",
                 ResourceArn=short, Tags=tags)
    index = arn(table) + "/index/by-g"
    expect_error(ddb.tag_resource, "ValidationException",
                 prefix + "Invalid resource arn provided, only table or stream is accepted. Provided "
                 f"resource arn: {index}", ResourceArn=index, Tags=tags)
    missing = arn("missing-" + table)
    expect_error(ddb.tag_resource, "ResourceNotFoundException",
                 f"Requested resource not found: ResourcArn: {missing} not found",
                 ResourceArn=missing, Tags=tags)
    expect_error(ddb.list_tags_of_resource, "ResourceNotFoundException",
                 f"Requested resource not found: ResourcArn: {missing} not found", ResourceArn=missing)
    expect_error(ddb.untag_resource, "ResourceNotFoundException", "Requested resource not found",
                 ResourceArn=missing, TagKeys=["k"])


def test_tags_are_per_table_incarnation(ddb):
    table = create_table(ddb, billing="PAY_PER_REQUEST")
    ddb.tag_resource(ResourceArn=arn(table), Tags=[{"Key": "k", "Value": "v"}])
    ddb.delete_table(TableName=table)
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    assert tags_of(ddb, arn(table)) == []


# --------------------------------------------------------------------------------------
# DescribeLimits, DescribeEndpoints
# --------------------------------------------------------------------------------------


def test_describe_limits(ddb):
    limits = ddb.describe_limits()
    limits.pop("ResponseMetadata")
    assert limits == {"AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
                      "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000}


def test_describe_endpoints_names_this_server(fast, ddb):
    endpoints = ddb.describe_endpoints()["Endpoints"]
    assert endpoints == [{"Address": f"127.0.0.1:{fast.port}", "CachePeriodInMinutes": 1440}]
    response = raw_request(
        fast, host="tributary.example:4566", body="{}",
        headers={"Content-Type": "application/x-amz-json-1.0",
                 "X-Amz-Target": "DynamoDB_20120810.DescribeEndpoints"})
    assert response.status == 200, response.describe()
    assert response.json["Endpoints"][0]["Address"] == "tributary.example:4566"


# --------------------------------------------------------------------------------------
# Continuous backups
# --------------------------------------------------------------------------------------


def test_continuous_backups(fast, ddb):
    table = create_table(ddb)
    described = ddb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert described == {"ContinuousBackupsStatus": "ENABLED",
                         "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}
    enabled = ddb.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )["ContinuousBackupsDescription"]
    pitr = enabled["PointInTimeRecoveryDescription"]
    assert enabled["ContinuousBackupsStatus"] == "ENABLED"
    assert pitr["PointInTimeRecoveryStatus"] == "ENABLED" and pitr["RecoveryPeriodInDays"] == 35
    assert pitr["EarliestRestorableDateTime"] <= pitr["LatestRestorableDateTime"]
    ddb.update_continuous_backups(
        TableName=arn(table),
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 7})
    pitr = ddb.describe_continuous_backups(TableName=arn(table))[
        "ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert pitr["RecoveryPeriodInDays"] == 7
    expect_error(ddb.update_continuous_backups, "ValidationException",
                 "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time "
                 "recovery.",
                 TableName=table,
                 PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False,
                                                   "RecoveryPeriodInDays": 7})
    ddb.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
    assert ddb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"][
        "PointInTimeRecoveryDescription"] == {"PointInTimeRecoveryStatus": "DISABLED"}
    unchecked = dynamodb_client(fast, validate=False)
    expect_error(unchecked.update_continuous_backups, "ValidationException", None, TableName=table,
                 PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True,
                                                   "RecoveryPeriodInDays": 36})


def test_continuous_backups_missing_table(ddb):
    for call, extra in ((ddb.describe_continuous_backups, {}),
                        (ddb.update_continuous_backups,
                         {"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}})):
        expect_error(call, "TableNotFoundException", "Table not found: no-such-table",
                     TableName="no-such-table", **extra)


# --------------------------------------------------------------------------------------
# Durability of what UpdateTable and the tag and backup operations store
# --------------------------------------------------------------------------------------


def test_settings_survive_restart(tmp_path):
    server = TributaryServer(
        data_dir=tmp_path / "data",
        extra_args=["--create-table-ms", "0", "--update-table-ms", "0", "--create-index-ms", "0"],
    ).start()
    try:
        client = dynamodb_client(server)
        table = create_table(client)
        client.tag_resource(ResourceArn=arn(table), Tags=[{"Key": "k", "Value": "v"}])
        client.update_continuous_backups(
            TableName=table,
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True,
                                              "RecoveryPeriodInDays": 3})
        client.update_table(TableName=table,
                            AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "B"}],
                            GlobalSecondaryIndexUpdates=[gsi_create("by-a", "a")])
        client.update_table(TableName=table,
                            ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 2})
        before = describe(client, table)
        server.stop()
        server.restart()
        client = dynamodb_client(server)
        after = describe(client, table)
        assert after == before
        assert tags_of(client, arn(table)) == [{"Key": "k", "Value": "v"}]
        pitr = client.describe_continuous_backups(TableName=table)[
            "ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        assert (pitr["PointInTimeRecoveryStatus"], pitr["RecoveryPeriodInDays"]) == ("ENABLED", 3)
        assert after["ProvisionedThroughput"]["NumberOfDecreasesToday"] == 1
    finally:
        server.stop()


def test_create_table_gsi_without_throughput(ddb):
    # CreateTable words the rule differently from UpdateTable (both recorded).
    expect_error(ddb.create_table, "ValidationException",
                 "One or more parameter values were invalid: ProvisionedThroughput is not specified "
                 "for index: by-g",
                 TableName=name(), KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                 AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                       {"AttributeName": "g", "AttributeType": "S"}],
                 ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                 GlobalSecondaryIndexes=[{"IndexName": "by-g", "Projection": {"ProjectionType": "ALL"},
                                          "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}])
