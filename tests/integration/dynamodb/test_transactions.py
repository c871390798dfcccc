"""DynamoDB transactions: TransactWriteItems and TransactGetItems with boto3.

Self-contained (its own --test-clock server with a data directory): success across tables,
indexes and counters; every cancellation reason with CancellationReasons (with and without the
old item); request-level refusals (duplicate items, missing tables, expressions, counts, 4 MB);
ClientRequestToken replay, mismatch, expiry by the clock and survival across a restart;
TransactGetItems; and a concurrency test: transfers between accounts while others read
snapshots, money conserved everywhere, no transaction both reported failed and applied.

AWS behaviour: ../../shared facts sheet §15 (docs/compatibility.md names the differences);
scylladb's test/alternator/test_transact.py, written to pass against AWS, for which failures
cancel and which reject.
"""

from __future__ import annotations

import json
import pathlib
import random
import sys
import threading
import time
import uuid

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import TributaryServer, advance_test_clock, shared_server_fixture  # noqa: E402

from .dynamodb_support import create_table, ddb_call, expect_error  # noqa: E402

# More I/O threads than cores, so concurrent requests really interleave in the server.
FAST = ["--create-table-ms", "0", "--delete-table-ms", "0", "--test-clock", "--threads", "8"]
CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]"
ACCESS_KEY = "AKIDTRIBUTARYTEST"
MULTIPLE = "Transaction request cannot include multiple operations on one item"


def client_for(server: TributaryServer, *, validate: bool = True):
    session = boto3.session.Session(
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key="secret",
        region_name="us-east-1")
    return session.client(
        "dynamodb", endpoint_url=server.url,
        config=botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"},
                                      connect_timeout=5, read_timeout=60,
                                      parameter_validation=validate,
                                      max_pool_connections=32))


txn_server = shared_server_fixture(
    "A --test-clock server on a data directory (restarted by the token test), 8 I/O threads.",
    FAST)


@pytest.fixture
def ddb(txn_server):
    return client_for(txn_server)


def get(client, table, pk, **key):
    return client.get_item(TableName=table, Key={"pk": {"S": pk}, **key},
                           ConsistentRead=True).get("Item")


def cancelled(call) -> dict:
    with pytest.raises(ClientError) as info:
        call()
    response = info.value.response
    assert response["Error"]["Code"] == "TransactionCanceledException", response
    return response


# ---- TransactWriteItems: success -------------------------------------------------------


def test_all_four_actions_across_two_tables_with_capacity(ddb):
    first, second = create_table(ddb, range_key=False), create_table(ddb)
    ddb.put_item(TableName=first, Item={"pk": {"S": "upd"}, "n": {"N": "1"}})
    ddb.put_item(TableName=first, Item={"pk": {"S": "del"}})
    ddb.put_item(TableName=second, Item={"pk": {"S": "chk"}, "sk": {"N": "1"}})
    out = ddb.transact_write_items(ReturnConsumedCapacity="TOTAL", TransactItems=[
        {"Put": {"TableName": first, "Item": {"pk": {"S": "new"}, "x": {"S": "dog"}},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {"TableName": first, "Key": {"pk": {"S": "upd"}},
                    "UpdateExpression": "SET n = n + :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        {"Delete": {"TableName": first, "Key": {"pk": {"S": "del"}}}},
        {"ConditionCheck": {"TableName": second, "Key": {"pk": {"S": "chk"}, "sk": {"N": "1"}},
                            "ConditionExpression": "attribute_exists(pk)"}},
    ])
    assert get(ddb, first, "new") == {"pk": {"S": "new"}, "x": {"S": "dog"}}
    assert get(ddb, first, "upd")["n"] == {"N": "2"}
    assert get(ddb, first, "del") is None
    # Each small item costs 2 write units in a transaction, a ConditionCheck too (facts §12).
    assert out["ConsumedCapacity"] == [
        {"TableName": first, "CapacityUnits": 6.0, "WriteCapacityUnits": 6.0},
        {"TableName": second, "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}]
    assert "ItemCollectionMetrics" not in out


def test_indexes_counters_and_item_collection_metrics_follow(ddb):
    table = create_table(ddb, range_key=False, gsi=True)
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": f"k{i}"}, "g": {"S": "G"}}}}
        for i in range(10)])
    description = ddb.describe_table(TableName=table)["Table"]
    assert description["ItemCount"] == 10
    assert description["GlobalSecondaryIndexes"][0]["ItemCount"] == 10
    found = ddb.query(TableName=table, IndexName="by-g", KeyConditionExpression="g = :g",
                      ExpressionAttributeValues={":g": {"S": "G"}})["Items"]
    assert len(found) == 10
    out = ddb.transact_write_items(ReturnConsumedCapacity="INDEXES", TransactItems=[
        {"Delete": {"TableName": table, "Key": {"pk": {"S": "k0"}}}}])
    # The table's 1 unit and each index entry's 1 unit, all doubled.
    doubled = {"CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}
    assert out["ConsumedCapacity"] == [{
        "TableName": table, "CapacityUnits": 6.0, "WriteCapacityUnits": 6.0, "Table": doubled,
        "GlobalSecondaryIndexes": {"by-g": doubled, "by-g-all": doubled}}]
    assert ddb.describe_table(TableName=table)["Table"]["ItemCount"] == 9

    local = create_table(ddb, lsi=True)
    out = ddb.transact_write_items(ReturnItemCollectionMetrics="SIZE", TransactItems=[
        {"Put": {"TableName": local, "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}}},
        {"Put": {"TableName": local, "Item": {"pk": {"S": "b"}, "sk": {"N": "1"}}}},
        {"Put": {"TableName": table, "Item": {"pk": {"S": "z"}}}}])
    assert out["ItemCollectionMetrics"] == {local: [
        {"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]},
        {"ItemCollectionKey": {"pk": {"S": "b"}}, "SizeEstimateRangeGB": [0.0, 1.0]}]}


def test_one_hundred_actions_are_allowed(ddb):
    table = create_table(ddb, range_key=False)
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": f"p{i}"}}}} for i in range(100)])
    assert ddb.describe_table(TableName=table)["Table"]["ItemCount"] == 100


# ---- TransactWriteItems: cancellation ----------------------------------------------------


def test_failed_conditions_cancel_everything_and_list_every_reason(ddb, txn_server):
    table = create_table(ddb, range_key=False)
    ddb.put_item(TableName=table, Item={"pk": {"S": "exists"}, "v": {"N": "5"}})
    items = [
        {"Put": {"TableName": table, "Item": {"pk": {"S": "a"}}}},
        {"Update": {"TableName": table, "Key": {"pk": {"S": "exists"}},
                    "UpdateExpression": "SET v = :v", "ConditionExpression": "v = :old",
                    "ExpressionAttributeValues": {":v": {"N": "6"}, ":old": {"N": "4"}}}},
        {"ConditionCheck": {"TableName": table, "Key": {"pk": {"S": "missing"}},
                            "ConditionExpression": "attribute_exists(pk)"}},
        {"Delete": {"TableName": table, "Key": {"pk": {"S": "b"}}}},
    ]
    response = cancelled(lambda: ddb.transact_write_items(TransactItems=items))
    assert response["Error"]["Message"] == CANCELLED.format(
        "None, ConditionalCheckFailed, ConditionalCheckFailed, None")
    assert response["CancellationReasons"] == [
        {"Code": "None"},
        {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"},
        {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"},
        {"Code": "None"}]
    assert get(ddb, table, "a") is None
    assert get(ddb, table, "exists")["v"] == {"N": "5"}
    assert ddb.describe_table(TableName=table)["Table"]["ItemCount"] == 1

    # On the wire: capital Message (facts §1), no lowercase message.
    raw = ddb_call(txn_server, "TransactWriteItems", {"TransactItems": items},
                   access_key=ACCESS_KEY)
    body = json.loads(raw.body)
    assert raw.status == 400
    assert body["__type"] == "com.amazonaws.dynamodb.v20120810#TransactionCanceledException"
    assert "message" not in body and body["Message"].startswith("Transaction cancelled")


def test_all_old_puts_the_stored_item_in_its_reason(ddb):
    table = create_table(ddb, range_key=False)
    stored = {"pk": {"S": "p"}, "x": {"N": "42"}, "y": {"S": "dog"}}
    ddb.put_item(TableName=table, Item=stored)

    def update(mode=None, pk="p"):
        action = {"TableName": table, "Key": {"pk": {"S": pk}},
                  "UpdateExpression": "SET x = x + :one", "ConditionExpression": "x = :wrong",
                  "ExpressionAttributeValues": {":one": {"N": "1"}, ":wrong": {"N": "43"}}}
        if mode:
            action["ReturnValuesOnConditionCheckFailure"] = mode
        return lambda: ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": {"S": "other"}}}},
            {"Update": action}])

    reasons = cancelled(update("ALL_OLD"))["CancellationReasons"]
    assert reasons == [{"Code": "None"}, {"Code": "ConditionalCheckFailed",
                                          "Message": "The conditional request failed",
                                          "Item": stored}]
    for mode in ("NONE", None):
        assert "Item" not in cancelled(update(mode))["CancellationReasons"][1]
    # No item to return when it does not exist (facts §11 [U]).
    assert "Item" not in cancelled(update("ALL_OLD", pk="nope"))["CancellationReasons"][1]
    expect_error(lambda: client_for_validation(ddb).transact_write_items(TransactItems=[
        {"ConditionCheck": {"TableName": table, "Key": {"pk": {"S": "p"}},
                            "ConditionExpression": "attribute_exists(pk)",
                            "ReturnValuesOnConditionCheckFailure": "dog"}}]),
        "ValidationException")


def client_for_validation(ddb):
    """The same endpoint without botocore's parameter validation."""
    return boto3.session.Session(
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key="secret",
        region_name="us-east-1").client(
        "dynamodb", endpoint_url=ddb.meta.endpoint_url,
        config=botocore.config.Config(retries={"total_max_attempts": 1},
                                      parameter_validation=False))


def test_item_dependent_validation_errors_are_reasons(ddb):
    table = create_table(ddb, range_key=False)
    ddb.put_item(TableName=table, Item={"pk": {"S": "p"}})
    # A key of the wrong type: ValidationError for that action (the first such), None for the
    # rest, even a failing condition (scylladb test_transact_write_cancellation_reasons_*).
    reasons = cancelled(lambda: ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"N": "7"}}}},
        {"Put": {"TableName": table, "Item": {"pk": {"N": "8"}}}},
        {"Put": {"TableName": table, "Item": {"pk": {"S": "q"}},
                 "ConditionExpression": "attribute_exists(pk)"}}]))["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["ValidationError", "None", "None"]
    assert reasons[0]["Message"] == ("One or more parameter values were invalid: "
                                     "Type mismatch for key pk expected: S actual: N")
    # An update invalid on the stored item (aws/aws-sdk-net#1292's reason).
    response = cancelled(lambda: ddb.transact_write_items(TransactItems=[
        {"Update": {"TableName": table, "Key": {"pk": {"S": "p"}},
                    "UpdateExpression": "SET a = b + :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}}]))
    assert response["CancellationReasons"] == [{
        "Code": "ValidationError",
        "Message": "The provided expression refers to an attribute that does not exist in the item"}]
    assert response["Error"]["Message"] == CANCELLED.format("ValidationError")


# ---- TransactWriteItems: request-level refusals --------------------------------------------


def test_two_actions_on_one_item_are_refused(ddb):
    table = create_table(ddb, range_key=False)
    for second in ({"Put": {"TableName": table, "Item": {"pk": {"S": "p"}}}},
                   {"ConditionCheck": {"TableName": table, "Key": {"pk": {"S": "p"}},
                                       "ConditionExpression": "attribute_not_exists(pk)"}},
                   {"Delete": {"TableName": table, "Key": {"pk": {"S": "p"}}}}):
        expect_error(lambda: ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": {"S": "p"}, "x": {"S": "1"}}}}, second]),
            "ValidationException", MULTIPLE)
    assert get(ddb, table, "p") is None
    # The same key in two tables is two items.
    other = create_table(ddb, range_key=False)
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": "p"}}}},
        {"Put": {"TableName": other, "Item": {"pk": {"S": "p"}}}}])


def test_request_level_errors(ddb):
    table = create_table(ddb, range_key=False)
    put = {"Put": {"TableName": table, "Item": {"pk": {"S": "p"}}}}
    expect_error(lambda: ddb.transact_write_items(TransactItems=[
        put, {"Put": {"TableName": "no-such-table", "Item": {"pk": {"S": "p"}}}}]),
        "ResourceNotFoundException", "Requested resource not found")
    message = expect_error(lambda: ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": "p"}},
                 "ConditionExpression": "hello!"}}]), "ValidationException")
    assert message.startswith("Invalid ConditionExpression: Syntax error")
    message = expect_error(lambda: ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": "p"}},
                 "ConditionExpression": "attribute_exists(p)",
                 "ExpressionAttributeValues": {":xyz": {"N": "7"}}}}]), "ValidationException")
    assert "unused" in message and ":xyz" in message
    raw = client_for_validation(ddb)
    expect_error(lambda: raw.transact_write_items(TransactItems=[]), "ValidationException")
    message = expect_error(lambda: raw.transact_write_items(TransactItems=[put] * 101),
                       "ValidationException")
    assert "TransactItems" in message and "100" in message
    for bad in ({}, {**put, "Delete": {"TableName": table, "Key": {"pk": {"S": "p"}}}}):
        expect_error(lambda: raw.transact_write_items(TransactItems=[bad]), "ValidationException")
    message = expect_error(lambda: raw.transact_write_items(
        TransactItems=[put], ClientRequestToken="x" * 37), "ValidationException")
    assert "ClientRequestToken" in message
    assert get(ddb, table, "p") is None


def test_four_megabytes(ddb):
    table = create_table(ddb, range_key=False)
    big = "x" * 100_000
    message = expect_error(lambda: ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": f"p{i}"}, "v": {"S": big}}}}
        for i in range(50)]), "ValidationException")
    assert "size cannot exceed 4 MB" in message
    assert ddb.describe_table(TableName=table)["Table"]["ItemCount"] == 0
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": f"p{i}"}, "v": {"S": big}}}}
        for i in range(30)])
    assert ddb.describe_table(TableName=table)["Table"]["ItemCount"] == 30
    # Deleting more than 4 MB of items is a small request: allowed (scylladb
    # test_transact_write_items_delete_5MB, against AWS).
    for start in (30, 40):
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": {"S": f"p{i}"}, "v": {"S": big}}}}
            for i in range(start, start + 10)])
    ddb.transact_write_items(TransactItems=[
        {"Delete": {"TableName": table, "Key": {"pk": {"S": f"p{i}"}}}} for i in range(50)])
    assert ddb.describe_table(TableName=table)["Table"]["ItemCount"] == 0


# ---- ClientRequestToken ------------------------------------------------------------------


def increment(table, pk="c"):
    return [{"Update": {"TableName": table, "Key": {"pk": {"S": pk}},
                        "UpdateExpression": "ADD n :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}}}}]


def test_token_replay_mismatch_restart_and_expiry(txn_server):
    ddb = client_for(txn_server)
    table = create_table(ddb, range_key=False)
    counter = lambda: int(get(ddb, table, "c")["n"]["N"])  # noqa: E731
    ddb.transact_write_items(TransactItems=increment(table))
    ddb.transact_write_items(TransactItems=increment(table))
    assert counter() == 2  # boto3 sends a fresh token on every call
    token = uuid.uuid4().hex
    first = ddb.transact_write_items(ClientRequestToken=token, TransactItems=increment(table),
                                     ReturnConsumedCapacity="TOTAL")
    assert first["ConsumedCapacity"] == [
        {"TableName": table, "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}]
    replay = ddb.transact_write_items(ClientRequestToken=token, TransactItems=increment(table),
                                      ReturnConsumedCapacity="TOTAL")
    assert counter() == 3
    # A replay reports the reads of the items, not writes (API reference, ClientRequestToken).
    assert replay["ConsumedCapacity"] == [
        {"TableName": table, "CapacityUnits": 1.0, "ReadCapacityUnits": 1.0}]
    # Member order does not matter (localstack/localstack#6529, checked against AWS).
    payload = {"TransactItems": [{"Update": dict(reversed(list({
        "TableName": table, "Key": {"pk": {"S": "c"}}, "UpdateExpression": "ADD n :one",
        "ExpressionAttributeValues": {":one": {"N": "1"}}}.items())))}],
        "ReturnConsumedCapacity": "TOTAL", "ClientRequestToken": token}
    assert ddb_call(txn_server, "TransactWriteItems", payload,
                    access_key=ACCESS_KEY).status == 200
    assert counter() == 3
    expect_error(lambda: ddb.transact_write_items(ClientRequestToken=token,
                                              TransactItems=increment(table, "other"),
                                              ReturnConsumedCapacity="TOTAL"),
             "IdempotentParameterMismatchException")
    assert get(ddb, table, "other") is None
    # Another token with a failing condition writes nothing, and records nothing: once the
    # condition holds the same token works.
    failing = [{"ConditionCheck": {"TableName": table, "Key": {"pk": {"S": "gate"}},
                                   "ConditionExpression": "attribute_exists(pk)"}}]
    gated = failing + increment(table)
    cancelled(lambda: ddb.transact_write_items(ClientRequestToken="gate-token",
                                               TransactItems=gated))
    ddb.put_item(TableName=table, Item={"pk": {"S": "gate"}})
    ddb.transact_write_items(ClientRequestToken="gate-token", TransactItems=gated)
    assert counter() == 4

    # Tokens are stored: a restart (after kill -9) remembers them.
    txn_server.kill()
    txn_server.restart()
    ddb = client_for(txn_server)
    ddb.transact_write_items(ClientRequestToken=token, TransactItems=increment(table),
                             ReturnConsumedCapacity="TOTAL")
    assert counter() == 4
    expect_error(lambda: ddb.transact_write_items(ClientRequestToken=token,
                                              TransactItems=increment(table, "other"),
                                              ReturnConsumedCapacity="TOTAL"),
             "IdempotentParameterMismatchException")
    # Ten minutes after completion (by the server's clock) the token is new again.
    advance_test_clock(txn_server, 9 * 60 * 1000)
    ddb.transact_write_items(ClientRequestToken=token, TransactItems=increment(table),
                             ReturnConsumedCapacity="TOTAL")
    assert counter() == 4
    advance_test_clock(txn_server, 61 * 1000)
    ddb.transact_write_items(ClientRequestToken=token, TransactItems=increment(table),
                             ReturnConsumedCapacity="TOTAL")
    assert counter() == 5
    ddb.transact_write_items(ClientRequestToken=token, TransactItems=increment(table),
                             ReturnConsumedCapacity="TOTAL")
    assert counter() == 5


def test_token_replay_whatever_path_decoded_the_items(txn_server):
    # Items are decoded straight from the JSON when plain (aws/json_shape_decoders.h) and the
    # generic way otherwise; the same request must fingerprint the same either way. Each pair
    # is the same request: a null member is ignored, as is "true" for a BOOL's true.
    table = create_table(client_for(txn_server), range_key=False)
    call = lambda payload: ddb_call(txn_server, "TransactWriteItems", payload,  # noqa: E731
                                    access_key=ACCESS_KEY)
    pairs = [
        ({"pk": {"S": "a"}, "v": {"S": "x"}}, {"pk": {"S": "a"}, "v": {"S": "x"}, "z": None}),
        ({"pk": {"S": "b"}, "v": {"S": "x"}, "z": None}, {"pk": {"S": "b"}, "v": {"S": "x"}}),
        ({"pk": {"S": "c"}, "f": {"BOOL": True}}, {"pk": {"S": "c"}, "f": {"BOOL": "true"}}),
        ({"pk": {"S": "d"}, "n": {"N": "1.5"}, "s": {"SS": ["a", "b"]}},
         {"pk": {"S": "d"}, "n": {"N": "1.5"}, "s": {"SS": ["a", "b"]}, "z": None}),
    ]
    for first, second in pairs:
        token = uuid.uuid4().hex
        for item in (first, second, first):
            payload = {"ClientRequestToken": token,
                       "TransactItems": [{"Put": {"TableName": table, "Item": item}}]}
            response = call(payload)
            assert response.status == 200, (item, response.json)
    # A different item under the same token is still a mismatch.
    token = uuid.uuid4().hex
    put = lambda item: {"ClientRequestToken": token,  # noqa: E731
                        "TransactItems": [{"Put": {"TableName": table, "Item": item}}]}
    assert call(put({"pk": {"S": "e"}})).status == 200
    response = call(put({"pk": {"S": "e"}, "v": {"S": "x"}}))
    assert response.status == 400
    assert response.error_type.endswith("#IdempotentParameterMismatchException")


# ---- TransactGetItems --------------------------------------------------------------------


def test_transact_get_items(ddb):
    table, other = create_table(ddb, range_key=False), create_table(ddb)
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "x": {"N": "1"}, "y": {"S": "z" * 5000}})
    ddb.put_item(TableName=other, Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "m": {"M": {
        "deep": {"S": "v"}, "other": {"S": "w"}}}})
    out = ddb.transact_get_items(ReturnConsumedCapacity="TOTAL", TransactItems=[
        {"Get": {"TableName": table, "Key": {"pk": {"S": "a"}}, "ProjectionExpression": "x"}},
        {"Get": {"TableName": table, "Key": {"pk": {"S": "missing"}}}},
        {"Get": {"TableName": other, "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}},
                 "ProjectionExpression": "#m.deep", "ExpressionAttributeNames": {"#m": "m"}}}])
    assert out["Responses"] == [{"Item": {"x": {"N": "1"}}}, {},
                                {"Item": {"m": {"M": {"deep": {"S": "v"}}}}}]
    # 2 per 4 KB read (the 5 KB item: 4), a missing item 2 (facts §12).
    assert out["ConsumedCapacity"] == [
        {"TableName": table, "CapacityUnits": 6.0, "ReadCapacityUnits": 6.0},
        {"TableName": other, "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0}]
    expect_error(lambda: ddb.transact_get_items(TransactItems=[
        {"Get": {"TableName": "no-such-table", "Key": {"pk": {"S": "a"}}}}]),
        "ResourceNotFoundException", "Requested resource not found")
    expect_error(lambda: ddb.transact_get_items(TransactItems=[
        {"Get": {"TableName": table, "Key": {"pk": {"S": "a"}}}},
        {"Get": {"TableName": table, "Key": {"pk": {"S": "a"}}}}]), "ValidationException", MULTIPLE)
    # An empty Key is cancelled with ValidationError (facts §15 [V, rec]).
    response = cancelled(lambda: ddb.transact_get_items(TransactItems=[
        {"Get": {"TableName": table, "Key": {"pk": {"S": "a"}}}},
        {"Get": {"TableName": table, "Key": {}}}]))
    assert [r["Code"] for r in response["CancellationReasons"]] == ["None", "ValidationError"]
    expect_error(lambda: client_for_validation(ddb).transact_get_items(TransactItems=[]),
             "ValidationException")


# ---- Isolation ---------------------------------------------------------------------------


def test_transfers_conserve_money_in_every_snapshot(txn_server):
    """N writers move amounts between K accounts (conditional on funds, each with a ledger
    entry) while readers take TransactGetItems snapshots of all accounts."""
    setup = client_for(txn_server)
    table = create_table(setup, range_key=False)
    accounts, initial = 40, 100
    setup.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": f"acct{i}"}, "bal": {"N": str(initial)}}}}
        for i in range(accounts)])
    # Large filler items read between the accounts widen each snapshot read (about 2 MB), so a
    # read that was not one snapshot would straddle commits.
    setup.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": f"fill{i}"}, "v": {"S": "f" * 50_000}}}}
        for i in range(accounts)])
    writers_count, transfers_each = 8, 40
    total = accounts * initial
    stop = threading.Event()
    succeeded: dict[str, tuple[int, int, int]] = {}
    failed: set[str] = set()
    problems: list[str] = []
    snapshots = [0]
    lock = threading.Lock()

    def writer(seed: int) -> None:
        client = client_for(txn_server)
        generator = random.Random(seed)
        for n in range(transfers_each):
            source, target = generator.sample(range(accounts), 2)
            # Hot accounts: most transfers touch the first few, so conditions fail too.
            if generator.random() < 0.7:
                source, target = generator.sample(range(4), 2)
            amount = generator.randint(1, 60)
            transfer = f"t{seed}-{n}"
            try:
                client.transact_write_items(TransactItems=[
                    {"Update": {"TableName": table, "Key": {"pk": {"S": f"acct{source}"}},
                                "UpdateExpression": "SET bal = bal - :a",
                                "ConditionExpression": "bal >= :a",
                                "ExpressionAttributeValues": {":a": {"N": str(amount)}}}},
                    {"Update": {"TableName": table, "Key": {"pk": {"S": f"acct{target}"}},
                                "UpdateExpression": "SET bal = bal + :a",
                                "ExpressionAttributeValues": {":a": {"N": str(amount)}}}},
                    {"Put": {"TableName": table, "Item": {
                        "pk": {"S": transfer}, "from": {"N": str(source)},
                        "to": {"N": str(target)}, "amount": {"N": str(amount)}},
                        "ConditionExpression": "attribute_not_exists(pk)"}}])
                with lock:
                    succeeded[transfer] = (source, target, amount)
            except ClientError as e:
                code = e.response["Error"]["Code"]
                with lock:
                    if code == "TransactionCanceledException":
                        failed.add(transfer)
                    else:
                        problems.append(f"{transfer}: {e.response['Error']}")

    def reader() -> None:
        client = client_for(txn_server)
        while not stop.is_set():
            out = client.transact_get_items(TransactItems=[
                {"Get": {"TableName": table, "Key": {"pk": {"S": f"{kind}{i}"}}}}
                for i in range(accounts) for kind in ("acct", "fill")])
            seen = sum(int(r["Item"]["bal"]["N"]) for r in out["Responses"] if "bal" in r["Item"])
            with lock:
                snapshots[0] += 1
                if seen != total:
                    problems.append(f"snapshot saw {seen}, not {total}")

    readers = [threading.Thread(target=reader) for _ in range(3)]
    writers = [threading.Thread(target=writer, args=(seed,)) for seed in range(writers_count)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join(timeout=120)
    stop.set()
    for thread in readers:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in readers + writers), "a client hung"
    assert not problems, problems[:5]
    assert snapshots[0] > 0
    assert len(succeeded) + len(failed) == writers_count * transfers_each
    assert succeeded, "no transfer went through"

    balances = [int(get(setup, table, f"acct{i}")["bal"]["N"]) for i in range(accounts)]
    assert sum(balances) == total and min(balances) >= 0
    # Exactly the reported successes were applied: a ledger entry for each, none for the
    # failures, and the balances are the initial ones moved by the successes.
    for transfer in failed:
        assert get(setup, table, transfer) is None, transfer
    expected = [initial] * accounts
    for transfer, (source, target, amount) in succeeded.items():
        entry = get(setup, table, transfer)
        assert entry is not None and int(entry["amount"]["N"]) == amount, transfer
        expected[source] -= amount
        expected[target] += amount
    assert balances == expected
