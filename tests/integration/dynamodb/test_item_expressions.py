"""DynamoDB expressions on items with boto3: ConditionExpression and the legacy Expected on
PutItem, DeleteItem and UpdateItem (ConditionalCheckFailedException, with the old item under
ReturnValuesOnConditionCheckFailure ALL_OLD), ProjectionExpression on GetItem and BatchGetItem,
UpdateExpression and AttributeUpdates with every ReturnValues mode, and AWS's error texts.

Uses the shared server (tables ACTIVE at once). Texts marked [V] were recorded against AWS
(facts §9, §11, §19); the others come from dynalite, whose texts were taken from AWS [P].
"""

from __future__ import annotations

import threading
import uuid

import pytest
from botocore.exceptions import ClientError

from .dynamodb_support import ddb_call, dynamodb_client

CONDITION_FAILED = "The conditional request failed"  # [V]
INVALID = "One or more parameter values were invalid: "


def new_name() -> str:
    return f"expr-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def table(make_table):
    name = new_name()
    make_table(name)
    return name


def expect_error(call, code: str, message: str | None = None) -> dict:
    with pytest.raises(ClientError) as info:
        call()
    error = info.value.response["Error"]
    assert error["Code"] == code, error
    if message is not None:
        assert error["Message"] == message
    return info.value.response


def key(value: str = "k") -> dict:
    return {"pk": {"S": value}}


def get(dynamodb, table: str, value: str = "k") -> dict | None:
    return dynamodb.get_item(TableName=table, Key=key(value), ConsistentRead=True).get("Item")


# ---- conditions on PutItem and DeleteItem ----


def test_put_condition_passes_and_fails(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={**key(), "v": {"N": "1"}},
                      ConditionExpression="attribute_not_exists(pk)")
    response = expect_error(
        lambda: dynamodb.put_item(TableName=table, Item={**key(), "v": {"N": "2"}},
                                  ConditionExpression="attribute_not_exists(pk)"),
        "ConditionalCheckFailedException", CONDITION_FAILED)
    assert "Item" not in response
    assert get(dynamodb, table) == {**key(), "v": {"N": "1"}}
    dynamodb.put_item(TableName=table, Item={**key(), "v": {"N": "3"}},
                      ConditionExpression="v = :one", ExpressionAttributeValues={":one": {"N": "1"}})
    assert get(dynamodb, table)["v"] == {"N": "3"}


def test_failed_condition_returns_the_old_item_when_asked(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={**key(), "v": {"N": "1"}})
    for call in (
        lambda: dynamodb.put_item(TableName=table, Item=key(), ConditionExpression="v = :two",
                                  ExpressionAttributeValues={":two": {"N": "2"}},
                                  ReturnValuesOnConditionCheckFailure="ALL_OLD"),
        lambda: dynamodb.delete_item(TableName=table, Key=key(), ConditionExpression="v = :two",
                                     ExpressionAttributeValues={":two": {"N": "2"}},
                                     ReturnValuesOnConditionCheckFailure="ALL_OLD"),
    ):
        response = expect_error(call, "ConditionalCheckFailedException", CONDITION_FAILED)
        assert response["Item"] == {**key(), "v": {"N": "1"}}
    # NONE, and a missing item: no Item.
    response = expect_error(
        lambda: dynamodb.put_item(TableName=table, Item=key(), ConditionExpression="v = :two",
                                  ExpressionAttributeValues={":two": {"N": "2"}},
                                  ReturnValuesOnConditionCheckFailure="NONE"),
        "ConditionalCheckFailedException", CONDITION_FAILED)
    assert "Item" not in response
    response = expect_error(
        lambda: dynamodb.delete_item(TableName=table, Key=key("missing"),
                                     ConditionExpression="attribute_exists(pk)",
                                     ReturnValuesOnConditionCheckFailure="ALL_OLD"),
        "ConditionalCheckFailedException", CONDITION_FAILED)
    assert "Item" not in response
    assert get(dynamodb, table) == {**key(), "v": {"N": "1"}}


def test_delete_condition(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={**key(), "s": {"S": "hello"}})
    expect_error(lambda: dynamodb.delete_item(TableName=table, Key=key(),
                                              ConditionExpression="begins_with(s, :p)",
                                              ExpressionAttributeValues={":p": {"S": "x"}}),
                 "ConditionalCheckFailedException", CONDITION_FAILED)
    assert get(dynamodb, table) is not None
    answer = dynamodb.delete_item(TableName=table, Key=key(), ReturnValues="ALL_OLD",
                                  ConditionExpression="begins_with(s, :p)",
                                  ExpressionAttributeValues={":p": {"S": "he"}})
    assert answer["Attributes"] == {**key(), "s": {"S": "hello"}}
    assert get(dynamodb, table) is None


ITEM = {
    "pk": {"S": "k"}, "n": {"N": "5"}, "s": {"S": "hello"}, "b": {"B": b"\x01\x02"},
    "ss": {"SS": ["a", "b"]}, "l": {"L": [{"S": "x"}, {"N": "1"}]},
    "m": {"M": {"in": {"S": "y"}}}, "t": {"BOOL": True}, "z": {"NULL": True},
}


@pytest.mark.parametrize("condition, values, holds", [
    ("n = :v", {":v": {"N": "5"}}, True),
    ("n = :v", {":v": {"N": "5.0"}}, True),
    ("n = :v", {":v": {"S": "5"}}, False),
    ("n <> :v", {":v": {"N": "4"}}, True),
    ("n <> :v", {":v": {"N": "5"}}, False),
    ("n < :v", {":v": {"N": "6"}}, True),
    ("n < :v", {":v": {"N": "5"}}, False),
    ("n <= :v", {":v": {"N": "5"}}, True),
    ("n > :v", {":v": {"N": "4"}}, True),
    ("n > :v", {":v": {"N": "5"}}, False),
    ("n >= :v", {":v": {"N": "5"}}, True),
    ("s < :v", {":v": {"S": "help"}}, True),
    ("n BETWEEN :a AND :b", {":a": {"N": "1"}, ":b": {"N": "5"}}, True),
    ("n BETWEEN :a AND :b", {":a": {"N": "6"}, ":b": {"N": "9"}}, False),
    ("n IN (:a, :b)", {":a": {"N": "1"}, ":b": {"N": "5"}}, True),
    ("n IN (:a, :b)", {":a": {"N": "1"}, ":b": {"N": "2"}}, False),
    ("gone = :v", {":v": {"N": "5"}}, False),
    ("gone <> :v", {":v": {"N": "5"}}, True),
    ("attribute_exists(m.#in)", {}, True),
    ("attribute_exists(l[2])", {}, False),
    ("attribute_not_exists(gone)", {}, True),
    ("attribute_not_exists(n)", {}, False),
    ("attribute_type(ss, :t)", {":t": {"S": "SS"}}, True),
    ("attribute_type(z, :t)", {":t": {"S": "NULL"}}, True),
    ("attribute_type(n, :t)", {":t": {"S": "S"}}, False),
    ("begins_with(s, :p)", {":p": {"S": "hel"}}, True),
    ("begins_with(b, :p)", {":p": {"B": b"\x01"}}, True),
    ("begins_with(s, :p)", {":p": {"S": "ell"}}, False),
    ("contains(s, :p)", {":p": {"S": "ell"}}, True),
    ("contains(ss, :p)", {":p": {"S": "b"}}, True),
    ("contains(ss, :p)", {":p": {"S": "c"}}, False),
    ("contains(l, :p)", {":p": {"N": "1"}}, True),
    ("size(s) = :v", {":v": {"N": "5"}}, True),
    ("size(l) > :v", {":v": {"N": "1"}}, True),
    ("size(m) = :v", {":v": {"N": "2"}}, False),
    ("t = :v AND NOT z = :w", {":v": {"BOOL": True}, ":w": {"NULL": True}}, False),
    ("t = :v OR n = :w", {":v": {"BOOL": False}, ":w": {"N": "5"}}, True),
    ("(n = :v OR n = :w) AND s = :s",
     {":v": {"N": "1"}, ":w": {"N": "5"}, ":s": {"S": "hello"}}, True),
    ("NOT (n = :v)", {":v": {"N": "5"}}, False),
])
def test_each_comparator_and_function(dynamodb, table, condition, values, holds):
    dynamodb.put_item(TableName=table, Item=ITEM)
    names = {"#in": "in"} if "#in" in condition else None
    arguments = dict(TableName=table, Item=ITEM, ConditionExpression=condition)
    if values:
        arguments["ExpressionAttributeValues"] = values
    if names:
        arguments["ExpressionAttributeNames"] = names
    if holds:
        dynamodb.put_item(**arguments)
    else:
        expect_error(lambda: dynamodb.put_item(**arguments), "ConditionalCheckFailedException",
                     CONDITION_FAILED)


@pytest.mark.parametrize("expected, operator, holds", [
    ({"v": {"Value": {"N": "1"}}}, None, True),
    ({"v": {"Value": {"N": "2"}}}, None, False),
    ({"v": {"Exists": True, "Value": {"N": "1"}}}, None, True),
    ({"missing": {"Exists": False}}, None, True),
    ({"v": {"Exists": False}}, None, False),
    ({"v": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "0"}]}}, None, True),
    ({"v": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "2"}, {"N": "3"}]}},
     None, False),
    ({"v": {"ComparisonOperator": "NOT_NULL"}, "w": {"ComparisonOperator": "NOT_NULL"}},
     "AND", False),
    ({"v": {"ComparisonOperator": "NOT_NULL"}, "w": {"ComparisonOperator": "NOT_NULL"}},
     "OR", True),
    ({"s": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "ab"}]}}, None, True),
    ({"s": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "z"}]}}, None, False),
])
def test_legacy_expected(dynamodb, table, expected, operator, holds):
    dynamodb.put_item(TableName=table, Item={**key(), "v": {"N": "1"}, "s": {"S": "abc"}})
    arguments = dict(TableName=table, Key=key(), Expected=expected)
    if operator:
        arguments["ConditionalOperator"] = operator
    if holds:
        dynamodb.delete_item(**arguments)
        assert get(dynamodb, table) is None
    else:
        expect_error(lambda: dynamodb.delete_item(**arguments), "ConditionalCheckFailedException",
                     CONDITION_FAILED)
        assert get(dynamodb, table) is not None


def test_expected_on_put_with_a_bad_value_gets_the_legacy_text(raw_dynamodb, table):
    expect_error(lambda: raw_dynamodb.put_item(
        TableName=table, Item=key(),
        Expected={"v": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}]}}),
        "ValidationException",
        INVALID + "Invalid number of argument(s) for the BETWEEN ComparisonOperator")


def test_mixing_expression_and_legacy_parameters(dynamodb, table):
    # [V, rec] for PutItem's pair.
    expect_error(lambda: dynamodb.put_item(TableName=table, Item=key(),
                                           ConditionExpression="attribute_exists(pk)",
                                           Expected={"pk": {"Exists": False}}),
                 "ValidationException",
                 "Can not use both expression and non-expression parameters in the same request: "
                 "Non-expression parameters: {Expected} Expression parameters: "
                 "{ConditionExpression}")
    expect_error(lambda: dynamodb.delete_item(TableName=table, Key=key(),
                                              ConditionExpression="attribute_exists(pk)",
                                              Expected={"pk": {"Exists": False}}),
                 "ValidationException",
                 "Can not use both expression and non-expression parameters in the same request: "
                 "Non-expression parameters: {Expected} Expression parameters: "
                 "{ConditionExpression}")


def test_condition_names_and_values_checks(dynamodb, table):
    # [V, rec]
    expect_error(lambda: dynamodb.put_item(TableName=table, Item=key(),
                                           ConditionExpression="attribute_not_exists(pk)",
                                           ExpressionAttributeNames={"#unused": "x"}),
                 "ValidationException",
                 "Value provided in ExpressionAttributeNames unused in expressions: keys: "
                 "{#unused}")
    expect_error(lambda: dynamodb.put_item(TableName=table, Item=key(),
                                           ConditionExpression="attribute_not_exists(pk)",
                                           ExpressionAttributeValues={":unused": {"S": "x"}}),
                 "ValidationException",
                 "Value provided in ExpressionAttributeValues unused in expressions: keys: "
                 "{:unused}")
    expect_error(lambda: dynamodb.delete_item(TableName=table, Key=key(),
                                              ConditionExpression="v = :missing"),
                 "ValidationException",
                 "Invalid ConditionExpression: An expression attribute value used in expression "
                 "is not defined; attribute value: :missing")
    expect_error(lambda: dynamodb.delete_item(TableName=table, Key=key(),
                                              ConditionExpression="attribute_exists(#missing)"),
                 "ValidationException",
                 "Invalid ConditionExpression: An expression attribute name used in the document "
                 "path is not defined; attribute name: #missing")
    expect_error(lambda: dynamodb.put_item(TableName=table, Item=key(),
                                           ConditionExpression="attribute_exists(status)"),
                 "ValidationException",
                 "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved "
                 "keyword: status")
    expect_error(lambda: dynamodb.put_item(TableName=table, Item=key(),
                                           ConditionExpression="a-b"),
                 "ValidationException",
                 'Invalid ConditionExpression: Syntax error; token: "-", near: "a-b"')
    # Nothing was written by the refused requests.
    assert get(dynamodb, table) is None


def test_failed_condition_is_a_write_of_nothing(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={**key(), "v": {"N": "1"}})
    expect_error(lambda: dynamodb.put_item(TableName=table, Item={**key(), "v": {"N": "9"}},
                                           ConditionExpression="attribute_not_exists(pk)",
                                           ReturnConsumedCapacity="TOTAL"),
                 "ConditionalCheckFailedException", CONDITION_FAILED)
    assert get(dynamodb, table) == {**key(), "v": {"N": "1"}}
    answer = dynamodb.describe_table(TableName=table)["Table"]
    assert answer["ItemCount"] == 1


def test_failed_condition_reports_no_consumed_capacity(server, table):
    # AWS charges a failed conditional write but says nothing of it in the answer: the error
    # shape has only `message` and `Item` (pinned model), and the AWS developer guide sends
    # users to CloudWatch's ConsumedWriteCapacityUnits for it.
    ddb_call(server, "PutItem", {"TableName": table, "Item": {**key(), "v": {"N": "1"}}})
    calls = [
        ("PutItem", {"Item": {**key(), "v": {"N": "2"}}, "ConditionExpression": "v = :x"}),
        ("UpdateItem", {"Key": key(), "UpdateExpression": "SET v = :x",
                        "ConditionExpression": "v = :x"}),
        ("DeleteItem", {"Key": key(), "ConditionExpression": "v = :x"}),
    ]
    for operation, payload in calls:
        for detail, on_failure in (("TOTAL", "NONE"), ("INDEXES", "ALL_OLD")):
            response = ddb_call(server, operation, {
                "TableName": table, **payload, "ExpressionAttributeValues": {":x": {"N": "7"}},
                "ReturnConsumedCapacity": detail, "ReturnValuesOnConditionCheckFailure": on_failure,
                "ReturnItemCollectionMetrics": "SIZE"})
            assert response.status == 400
            body = response.json
            expected = {"__type", "message"} | ({"Item"} if on_failure == "ALL_OLD" else set())
            assert set(body) == expected, (operation, body)


# ---- ProjectionExpression on GetItem and BatchGetItem ----


def test_get_item_projection_expression(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=ITEM)
    answer = dynamodb.get_item(TableName=table, Key=key(), ProjectionExpression="n, l[1], #m.#in",
                               ExpressionAttributeNames={"#m": "m", "#in": "in"})
    assert answer["Item"] == {"n": {"N": "5"}, "l": {"L": [{"N": "1"}]},
                              "m": {"M": {"in": {"S": "y"}}}}
    answer = dynamodb.get_item(TableName=table, Key=key(), ProjectionExpression="absent")
    assert answer["Item"] == {}
    answer = dynamodb.get_item(TableName=table, Key=key(), AttributesToGet=["s", "t"])
    assert answer["Item"] == {"s": {"S": "hello"}, "t": {"BOOL": True}}
    expect_error(lambda: dynamodb.get_item(TableName=table, Key=key(),
                                           ProjectionExpression="n",
                                           ExpressionAttributeNames={"#x": "x"}),
                 "ValidationException",
                 "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}")
    expect_error(lambda: dynamodb.get_item(TableName=table, Key=key(), ProjectionExpression="!!"),
                 "ValidationException",
                 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"')
    expect_error(lambda: dynamodb.get_item(TableName=table, Key=key(),
                                           ProjectionExpression="a, a.b"),
                 "ValidationException",
                 "Invalid ProjectionExpression: Two document paths overlap with each other; must "
                 "remove or rewrite one of these paths; path one: [a], path two: [a, b]")


def test_batch_get_item_projection_per_table(dynamodb, make_table):
    first, second = new_name(), new_name()
    make_table(first)
    make_table(second)
    dynamodb.put_item(TableName=first, Item={**key(), "a": {"S": "1"}, "b": {"S": "2"}})
    dynamodb.put_item(TableName=second, Item={**key(), "a": {"S": "3"}, "b": {"S": "4"}})
    answer = dynamodb.batch_get_item(RequestItems={
        first: {"Keys": [key()], "ProjectionExpression": "#a",
                "ExpressionAttributeNames": {"#a": "a"}},
        second: {"Keys": [key()], "ProjectionExpression": "pk, b"},
    })
    assert answer["Responses"][first] == [{"a": {"S": "1"}}]
    assert answer["Responses"][second] == [{**key(), "b": {"S": "4"}}]
    expect_error(lambda: dynamodb.batch_get_item(RequestItems={
        first: {"Keys": [key()], "ProjectionExpression": "#zz"}}),
        "ValidationException",
        "Invalid ProjectionExpression: An expression attribute name used in the document path "
        "is not defined; attribute name: #zz")


# ---- UpdateItem ----


def test_update_creates_the_item_with_its_key(dynamodb, table):
    answer = dynamodb.update_item(TableName=table, Key=key(), UpdateExpression="SET a = :v",
                                  ExpressionAttributeValues={":v": {"S": "x"}},
                                  ReturnValues="ALL_NEW")
    assert answer["Attributes"] == {**key(), "a": {"S": "x"}}
    assert get(dynamodb, table) == {**key(), "a": {"S": "x"}}
    # Neither UpdateExpression nor AttributeUpdates: the key-only item.
    dynamodb.update_item(TableName=table, Key=key("bare"))
    assert get(dynamodb, table, "bare") == key("bare")
    # REMOVE only on a missing item creates nothing [V: scylladb, run against AWS].
    answer = dynamodb.update_item(TableName=table, Key=key("none"), UpdateExpression="REMOVE a",
                                  ReturnValues="ALL_NEW")
    assert "Attributes" not in answer
    assert get(dynamodb, table, "none") is None


START = {**key(), "a": {"N": "1"}, "b": {"S": "keep"}, "m": {"M": {"x": {"N": "1"},
                                                                     "y": {"N": "2"}}}}


@pytest.mark.parametrize("mode, expected", [
    ("NONE", None),
    ("ALL_OLD", START),
    ("ALL_NEW", {**key(), "a": {"N": "2"}, "b": {"S": "keep"},
                 "m": {"M": {"x": {"N": "5"}, "y": {"N": "2"}}}, "c": {"S": "new"}}),
    ("UPDATED_OLD", {"a": {"N": "1"}, "m": {"M": {"x": {"N": "1"}}}}),
    ("UPDATED_NEW", {"a": {"N": "2"}, "m": {"M": {"x": {"N": "5"}}}, "c": {"S": "new"}}),
])
def test_update_return_values(dynamodb, table, mode, expected):
    dynamodb.put_item(TableName=table, Item=START)
    answer = dynamodb.update_item(TableName=table, Key=key(),
                                  UpdateExpression="SET a = a + :one, m.x = :five, c = :new",
                                  ExpressionAttributeValues={":one": {"N": "1"}, ":five": {"N": "5"},
                                                             ":new": {"S": "new"}},
                                  ReturnValues=mode)
    if expected is None:
        assert "Attributes" not in answer
    else:
        assert answer["Attributes"] == expected


def test_update_return_values_on_a_new_item(dynamodb, table):
    for mode in ("ALL_OLD", "UPDATED_OLD"):
        answer = dynamodb.update_item(TableName=table, Key=key(mode),
                                      UpdateExpression="SET a = :v",
                                      ExpressionAttributeValues={":v": {"N": "1"}},
                                      ReturnValues=mode)
        assert "Attributes" not in answer
    answer = dynamodb.update_item(TableName=table, Key=key("new"), UpdateExpression="SET a = :v",
                                  ExpressionAttributeValues={":v": {"N": "1"}},
                                  ReturnValues="UPDATED_NEW")
    assert answer["Attributes"] == {"a": {"N": "1"}}


def update(dynamodb, table, expression, values=None, names=None, **extra):
    arguments = dict(TableName=table, Key=key(), UpdateExpression=expression,
                     ReturnValues="ALL_NEW", **extra)
    if values:
        arguments["ExpressionAttributeValues"] = values
    if names:
        arguments["ExpressionAttributeNames"] = names
    return dynamodb.update_item(**arguments).get("Attributes")


def test_set_arithmetic_list_append_and_if_not_exists(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={**key(), "n": {"N": "10"}, "l": {"L": [{"N": "1"}]}})
    item = update(dynamodb, table, "SET n = n - :d, o = :a + :b",
                  {":d": {"N": "0.5"}, ":a": {"N": "99999999999999999999999999999999999999"},
                   ":b": {"N": "-99999999999999999999999999999999999998"}})
    assert item["n"] == {"N": "9.5"}
    assert item["o"] == {"N": "1"}  # exact decimal arithmetic
    item = update(dynamodb, table, "SET l = list_append(l, :tail), f = list_append(:head, l)",
                  {":tail": {"L": [{"N": "2"}]}, ":head": {"L": [{"N": "0"}]}})
    assert item["l"] == {"L": [{"N": "1"}, {"N": "2"}]}
    assert item["f"] == {"L": [{"N": "0"}, {"N": "1"}]}  # the old l: read before write
    item = update(dynamodb, table, "SET n = if_not_exists(n, :z), p = if_not_exists(p, :z)",
                  {":z": {"N": "0"}})
    assert item["n"] == {"N": "9.5"}
    assert item["p"] == {"N": "0"}
    item = update(dynamodb, table, "SET l[0] = :x, l[10] = :y", {":x": {"S": "x"}, ":y": {"S": "y"}})
    assert item["l"] == {"L": [{"S": "x"}, {"N": "2"}, {"S": "y"}]}


def test_remove_add_delete(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={
        **key(), "a": {"S": "x"}, "l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}]},
        "ns": {"NS": ["1", "2", "3"]}, "ss": {"SS": ["a"]}, "m": {"M": {"k": {"S": "v"}}}})
    item = update(dynamodb, table, "REMOVE a, l[0], l[2], m.k")
    assert "a" not in item
    assert item["l"] == {"L": [{"N": "1"}]}
    assert item["m"] == {"M": {}}
    item = update(dynamodb, table, "ADD c :one, ns :more, t :set",
                  {":one": {"N": "1"}, ":more": {"NS": ["4"]}, ":set": {"SS": ["z"]}})
    assert item["c"] == {"N": "1"}
    assert sorted(item["ns"]["NS"]) == ["1", "2", "3", "4"]
    assert item["t"] == {"SS": ["z"]}
    item = update(dynamodb, table, "ADD c :one", {":one": {"N": "41"}})
    assert item["c"] == {"N": "42"}
    item = update(dynamodb, table, "DELETE ns :gone, ss :a",
                  {":gone": {"NS": ["1", "2"]}, ":a": {"SS": ["a"]}})
    assert sorted(item["ns"]["NS"]) == ["3", "4"]
    assert "ss" not in item  # a set emptied by DELETE goes away


def test_update_with_condition(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={**key(), "v": {"N": "1"}})
    expect_error(lambda: update(dynamodb, table, "SET v = :two",
                                {":two": {"N": "2"}, ":zero": {"N": "0"}},
                                ConditionExpression="v = :zero"),
                 "ConditionalCheckFailedException", CONDITION_FAILED)
    response = expect_error(
        lambda: update(dynamodb, table, "SET w = :two", {":two": {"N": "2"}},
                       ConditionExpression="v = :two",
                       ReturnValuesOnConditionCheckFailure="ALL_OLD"),
        "ConditionalCheckFailedException", CONDITION_FAILED)
    assert response["Item"] == {**key(), "v": {"N": "1"}}
    assert update(dynamodb, table, "SET v = :two", {":two": {"N": "2"}, ":one": {"N": "1"}},
                  ConditionExpression="v = :one")["v"] == {"N": "2"}
    # A condition on a missing item sees the empty item.
    expect_error(lambda: dynamodb.update_item(TableName=table, Key=key("nothing-here"),
                                              UpdateExpression="SET a = :v",
                                              ConditionExpression="attribute_exists(pk)",
                                              ExpressionAttributeValues={":v": {"N": "1"}}),
                 "ConditionalCheckFailedException", CONDITION_FAILED)
    assert get(dynamodb, table, "nothing-here") is None


def test_legacy_attribute_updates_and_expected(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={**key(), "n": {"N": "1"}, "ss": {"SS": ["a", "b"]},
                                             "gone": {"S": "x"}})
    answer = dynamodb.update_item(
        TableName=table, Key=key(),
        AttributeUpdates={"n": {"Action": "ADD", "Value": {"N": "2"}},
                          "ss": {"Action": "DELETE", "Value": {"SS": ["a"]}},
                          "gone": {"Action": "DELETE"},
                          "p": {"Value": {"S": "put"}}},
        Expected={"n": {"Value": {"N": "1"}}}, ReturnValues="UPDATED_NEW")
    assert answer["Attributes"] == {"n": {"N": "3"}, "ss": {"SS": ["b"]}, "p": {"S": "put"}}
    expect_error(lambda: dynamodb.update_item(
        TableName=table, Key=key(), AttributeUpdates={"n": {"Action": "PUT", "Value": {"N": "0"}}},
        Expected={"n": {"Value": {"N": "1"}}}),
        "ConditionalCheckFailedException", CONDITION_FAILED)
    answer = dynamodb.update_item(
        TableName=table, Key=key(), AttributeUpdates={"n": {"Action": "PUT", "Value": {"N": "0"}}},
        ReturnValues="UPDATED_OLD")
    assert answer["Attributes"] == {"n": {"N": "3"}}


def test_update_errors(dynamodb, raw_dynamodb, table):
    dynamodb.put_item(TableName=table, Item={**key(), "s": {"S": "x"}, "l": {"L": []}})
    # [V, rec]
    expect_error(lambda: update(dynamodb, table, "SET pk = :v", {":v": {"S": "y"}}),
                 "ValidationException",
                 INVALID + "Cannot update attribute pk. This attribute is part of the key")
    expect_error(lambda: dynamodb.update_item(
        TableName=table, Key=key(), AttributeUpdates={"pk": {"Value": {"S": "y"}}}),
        "ValidationException",
        INVALID + "Cannot update attribute pk. This attribute is part of the key")
    expect_error(lambda: update(dynamodb, table, "SET a = pk.x"),
                 "ValidationException",
                 "Key attributes must be scalars; list random access '[]' and map lookup '.' are "
                 "not allowed: Key: pk")
    # [V, rec]
    expect_error(lambda: update(dynamodb, table, "INVALID SYNTAX HERE"),
                 "ValidationException",
                 'Invalid UpdateExpression: Syntax error; token: "INVALID", near: '
                 '"INVALID SYNTAX"')
    expect_error(lambda: update(dynamodb, table, ""), "ValidationException",
                 "Invalid UpdateExpression: The expression can not be empty;")
    expect_error(lambda: update(dynamodb, table, "SET a = :v"), "ValidationException",
                 "Invalid UpdateExpression: An expression attribute value used in expression is "
                 "not defined; attribute value: :v")
    expect_error(lambda: update(dynamodb, table, "SET a = :v", {":v": {"N": "1"}, ":w": {"N": "1"}}),
                 "ValidationException",
                 "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}")
    expect_error(lambda: update(dynamodb, table, "SET a = :v, a.b = :v", {":v": {"N": "1"}}),
                 "ValidationException",
                 "Invalid UpdateExpression: Two document paths overlap with each other; must "
                 "remove or rewrite one of these paths; path one: [a], path two: [a, b]")
    expect_error(lambda: update(dynamodb, table, "SET a = s + :v", {":v": {"N": "1"}}),
                 "ValidationException",
                 "An operand in the update expression has an incorrect data type")
    expect_error(lambda: update(dynamodb, table, "SET q.r = :v", {":v": {"N": "1"}}),
                 "ValidationException",
                 "The document path provided in the update expression is invalid for update")
    expect_error(lambda: update(dynamodb, table, "SET a = nothing_here"),
                 "ValidationException",
                 "The provided expression refers to an attribute that does not exist in the item")
    expect_error(lambda: dynamodb.update_item(
        TableName=table, Key=key(), UpdateExpression="SET a = :v",
        ExpressionAttributeValues={":v": {"N": "1"}},
        AttributeUpdates={"a": {"Value": {"N": "1"}}}),
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributeUpdates} Expression parameters: "
        "{UpdateExpression}")
    expect_error(lambda: dynamodb.update_item(
        TableName=table, Key=key(), UpdateExpression="SET a = :v",
        ConditionExpression="attribute_exists(pk)", ExpressionAttributeValues={":v": {"N": "1"}},
        Expected={"pk": {"Exists": True, "Value": {"S": "k"}}}),
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {Expected} Expression parameters: "
        "{UpdateExpression, ConditionExpression}")
    expect_error(lambda: dynamodb.update_item(TableName=table, Key={"other": {"S": "k"}},
                                              UpdateExpression="REMOVE a"),
                 "ValidationException", "The provided key element does not match the schema")
    expect_error(lambda: dynamodb.update_item(TableName=new_name(), Key=key(),
                                              UpdateExpression="REMOVE a"),
                 "ResourceNotFoundException", "Requested resource not found")
    # The item is unchanged by all of the above.
    assert get(dynamodb, table) == {**key(), "s": {"S": "x"}, "l": {"L": []}}


def test_item_size_after_update(dynamodb, table):
    big = "x" * 300_000
    dynamodb.put_item(TableName=table, Item={**key(), "a": {"S": big}})
    expect_error(lambda: update(dynamodb, table, "SET b = :v", {":v": {"S": big}}),
                 "ValidationException", "Item size to update has exceeded the maximum allowed size")
    assert get(dynamodb, table) == {**key(), "a": {"S": big}}


def test_update_capacity_and_index_maintenance(dynamodb, make_table):
    name = new_name()
    make_table(name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "g", "AttributeType": "S"}],
               GlobalSecondaryIndexes=[{"IndexName": "by-g",
                                        "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                        "Projection": {"ProjectionType": "ALL"}}])
    answer = dynamodb.update_item(TableName=name, Key=key(), UpdateExpression="SET g = :g",
                                  ExpressionAttributeValues={":g": {"S": "one"}},
                                  ReturnConsumedCapacity="INDEXES")
    # facts §12: 1 unit for the table, +1 to add the index entry.
    assert answer["ConsumedCapacity"] == {
        "TableName": name, "CapacityUnits": 2.0, "Table": {"CapacityUnits": 1.0},
        "GlobalSecondaryIndexes": {"by-g": {"CapacityUnits": 1.0}}}
    # Changing the index key: +2.
    answer = dynamodb.update_item(TableName=name, Key=key(), UpdateExpression="SET g = :g",
                                  ExpressionAttributeValues={":g": {"S": "two"}},
                                  ReturnConsumedCapacity="TOTAL")
    assert answer["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": 3.0}
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert table["ItemCount"] == 1
    assert table["GlobalSecondaryIndexes"][0]["ItemCount"] == 1
    # Removing the index key takes the item out of the (sparse) index.
    dynamodb.update_item(TableName=name, Key=key(), UpdateExpression="REMOVE g")
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert table["GlobalSecondaryIndexes"][0]["ItemCount"] == 0
    # A wrong index key type: PutItem's text.
    expect_error(lambda: dynamodb.update_item(TableName=name, Key=key(),
                                              UpdateExpression="SET g = :g",
                                              ExpressionAttributeValues={":g": {"N": "1"}}),
                 "ValidationException",
                 INVALID + "Type mismatch for Index Key g Expected: S Actual: N IndexName: by-g")


def test_update_item_collection_metrics(dynamodb, make_table):
    name = new_name()
    make_table(name, range_key="sk",
               AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "N"},
                                     {"AttributeName": "l", "AttributeType": "S"}],
               LocalSecondaryIndexes=[{"IndexName": "by-l",
                                       "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                     {"AttributeName": "l", "KeyType": "RANGE"}],
                                       "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    answer = dynamodb.update_item(TableName=name, Key={**key(), "sk": {"N": "1"}},
                                  UpdateExpression="SET l = :l",
                                  ExpressionAttributeValues={":l": {"S": "x"}},
                                  ReturnItemCollectionMetrics="SIZE")
    assert answer["ItemCollectionMetrics"]["ItemCollectionKey"] == key()


# ---- concurrency ----


def test_concurrent_conditional_increments(server, dynamodb, table):
    """Many clients increment one counter with a conditional UpdateItem (the condition on the
    value they read): two never succeed on the same old value, so the final value is the number
    of successful calls."""
    dynamodb.put_item(TableName=table, Item={**key(), "c": {"N": "0"}})
    threads, attempts = 8, 40
    successes = [0] * threads
    failures = [0] * threads
    errors: list[BaseException] = []
    clients = [dynamodb_client(server) for _ in range(threads)]

    def worker(index: int) -> None:
        client = clients[index]
        try:
            for _ in range(attempts):
                current = client.get_item(TableName=table, Key=key(),
                                          ConsistentRead=True)["Item"]["c"]
                try:
                    client.update_item(TableName=table, Key=key(),
                                       UpdateExpression="SET c = c + :one",
                                       ConditionExpression="c = :old",
                                       ExpressionAttributeValues={":one": {"N": "1"},
                                                                  ":old": current})
                    successes[index] += 1
                except ClientError as error:
                    if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                        raise
                    failures[index] += 1
        except BaseException as error:  # reported below
            errors.append(error)

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert not errors, errors
    assert sum(successes) + sum(failures) == threads * attempts
    assert sum(successes) > 0
    assert get(dynamodb, table)["c"] == {"N": str(sum(successes))}


def test_concurrent_unconditional_adds(server, dynamodb, table):
    threads, attempts = 8, 25
    clients = [dynamodb_client(server) for _ in range(threads)]
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            for _ in range(attempts):
                clients[index].update_item(TableName=table, Key=key(), UpdateExpression="ADD c :one",
                                           ExpressionAttributeValues={":one": {"N": "1"}})
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert not errors, errors
    assert get(dynamodb, table)["c"] == {"N": str(threads * attempts)}
