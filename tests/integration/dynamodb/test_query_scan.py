"""DynamoDB Query and Scan with boto3: sort-key order (numbers numerically, strings and binaries
by unsigned bytes, both directions), key conditions (expression and legacy), Limit and paging
through boto3's paginators, the 1 MB page rule, filters, Select, projections, capacity, parallel
scan segments, secondary indexes (LSI, GSI, sparse, projections) and AWS's error texts
(facts §7, §10, §12, §19)."""

from __future__ import annotations

import random
import uuid
from decimal import Decimal, localcontext

import pytest
from botocore.exceptions import ClientError

from .dynamodb_support import assert_matches_shape, hash_table_arguments


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def error_of(call, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]


def table_with_sort_key(make_table, sort_type: str, **extra) -> str:
    name = unique("qs")
    make_table(name, arguments=dict(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": sort_type}]
        + extra.pop("definitions", []),
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST", **extra))
    return name


def query_all(dynamodb, **kwargs) -> list[dict]:
    items = []
    for page in dynamodb.get_paginator("query").paginate(**kwargs):
        items.extend(page["Items"])
    return items


def put_all(dynamodb, table: str, items: list[dict]) -> None:
    for start in range(0, len(items), 25):
        dynamodb.batch_write_item(RequestItems={
            table: [{"PutRequest": {"Item": item}} for item in items[start:start + 25]]})


# ---- ordering -------------------------------------------------------------------------

NUMBERS = ["-1E+10", "-12345.678", "-5", "-0.5", "-1e-7", "0", "1E-5", "0.25", "3", "10",
           "1e2", "100.5", "12345678901234567890123456789012345678", "9.9E+125"]


@pytest.mark.parametrize("forward", [True, False])
def test_numbers_sort_numerically(dynamodb, make_table, forward):
    table = table_with_sort_key(make_table, "N")
    shuffled = NUMBERS[:]
    random.Random(7).shuffle(shuffled)
    put_all(dynamodb, table, [{"pk": {"S": "p"}, "sk": {"N": n}} for n in shuffled])
    items = dynamodb.query(TableName=table, KeyConditionExpression="pk = :p",
                           ExpressionAttributeValues={":p": {"S": "p"}},
                           ScanIndexForward=forward)["Items"]
    got = [Decimal(item["sk"]["N"]) for item in items]
    assert got == sorted((Decimal(n) for n in NUMBERS), reverse=not forward)


@pytest.mark.parametrize("forward", [True, False])
def test_strings_and_binaries_sort_by_unsigned_bytes(dynamodb, make_table, forward):
    strings = ["A", "a", "z", "¿", "ab", "a\u0000", "Z", "~", "\U0001f600", "é"]
    table = table_with_sort_key(make_table, "S")
    put_all(dynamodb, table, [{"pk": {"S": "p"}, "sk": {"S": s}} for s in strings])
    items = query_all(dynamodb, TableName=table, KeyConditionExpression="pk = :p",
                      ExpressionAttributeValues={":p": {"S": "p"}}, ScanIndexForward=forward)
    assert [i["sk"]["S"] for i in items] == sorted(
        strings, key=lambda s: s.encode(), reverse=not forward)

    binaries = [b"\x00", b"\x00\x01", b"\x01", b"\x7f", b"\x80", b"\xff", b"\xff\x00", b"a"]
    btable = table_with_sort_key(make_table, "B")
    put_all(dynamodb, btable, [{"pk": {"S": "p"}, "sk": {"B": b}} for b in binaries])
    items = query_all(dynamodb, TableName=btable, KeyConditionExpression="pk = :p",
                      ExpressionAttributeValues={":p": {"S": "p"}}, ScanIndexForward=forward)
    assert [i["sk"]["B"] for i in items] == sorted(binaries, reverse=not forward)


def random_number(rng: random.Random) -> str:
    digits = str(rng.randint(1, 9)) + "".join(
        str(rng.randint(0, 9)) for _ in range(rng.randint(0, 37)))
    # Keep the magnitude inside DynamoDB's range (1E-130 .. 9.99E+125).
    exponent = rng.randint(-120 - (len(digits) - 1), 120 - (len(digits) - 1))
    sign = "-" if rng.random() < 0.5 else ""
    form = rng.randint(0, 2)
    if form == 0:
        return f"{sign}{digits}E{exponent}"
    if form == 1 and -40 < exponent < 0:
        point = Decimal(digits).scaleb(exponent)
        return f"{sign}{point:f}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}e{exponent + len(digits) - 1}"


@pytest.mark.parametrize("seed", [1, 2])
def test_property_random_numbers_query_in_numeric_order(dynamodb, make_table, seed):
    rng = random.Random(seed)
    table = table_with_sort_key(make_table, "N")
    by_value: dict[Decimal, str] = {}
    with localcontext() as context:
        context.prec = 60  # normalize() rounds to the context's precision (28 by default)
        while len(by_value) < 150:
            n = random_number(rng)
            by_value.setdefault(Decimal(n).normalize(), n)
            if rng.random() < 0.2:  # a neighbour: the same digits, the last one changed
                near = Decimal(n).next_plus() if rng.random() < 0.5 else Decimal(n).next_minus()
                if len(near.as_tuple().digits) <= 38:
                    by_value.setdefault(near.normalize(), str(near))
    by_value.setdefault(Decimal(0), "0")
    put_all(dynamodb, table, [{"pk": {"S": "p"}, "sk": {"N": n}} for n in by_value.values()])
    for forward in (True, False):
        items = query_all(dynamodb, TableName=table, KeyConditionExpression="pk = :p",
                          ExpressionAttributeValues={":p": {"S": "p"}},
                          ScanIndexForward=forward, PaginationConfig={"PageSize": 40})
        got = [Decimal(item["sk"]["N"]) for item in items]
        assert got == sorted(by_value, reverse=not forward)


def canonical_number(rng: random.Random) -> str:
    """A number as DynamoDB prints it (plain decimal, no exponent, no redundant zeros)."""
    with localcontext() as context:
        context.prec = 60
        value = Decimal(random_number(rng)).normalize()
    if abs(value.adjusted()) > 40:  # keep the plain form short
        value = value.scaleb(-value.adjusted())
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def random_value(rng: random.Random, depth: int = 0) -> dict:
    kinds = ["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS"] + (["L", "M"] if depth < 4 else [])
    kind = rng.choice(kinds)
    text = lambda: "".join(rng.choice("aZ09 _-é€😀\"\\\n") for _ in range(rng.randint(0, 12)))
    blob = lambda: bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 12)))
    if kind == "S":
        return {"S": text()}
    if kind == "N":
        return {"N": canonical_number(rng)}
    if kind == "B":
        return {"B": blob()}
    if kind == "BOOL":
        return {"BOOL": rng.random() < 0.5}
    if kind == "NULL":
        return {"NULL": True}
    if kind == "SS":
        return {"SS": sorted({text() + "s" for _ in range(rng.randint(1, 4))})}
    if kind == "NS":
        return {"NS": sorted({canonical_number(rng) for _ in range(rng.randint(1, 4))}, key=Decimal)}
    if kind == "BS":
        return {"BS": sorted({blob() + b"b" for _ in range(rng.randint(1, 4))})}
    if kind == "L":
        return {"L": [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]}
    return {"M": {text() or "k": random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}}


def sets_sorted(value):
    """Sets are unordered on DynamoDB: compare them sorted."""
    if isinstance(value, dict):
        out = {}
        for kind, inner in value.items():
            if kind in ("SS", "BS"):
                out[kind] = sorted(inner)
            elif kind == "NS":
                out[kind] = sorted(inner, key=Decimal)
            else:
                out[kind] = sets_sorted(inner)
        return out
    if isinstance(value, list):
        return [sets_sorted(v) for v in value]
    return value


@pytest.mark.parametrize("seed", [3, 4])
def test_property_random_items_round_trip_exactly(dynamodb, make_table, seed):
    """Random items of every type (nested lists and maps, sets, binaries, unicode, numbers in
    DynamoDB's own printed form) come back from GetItem, Query and Scan exactly as written."""
    rng = random.Random(seed)
    table = table_with_sort_key(make_table, "N")
    written = {}
    for index in range(60):
        item = {"pk": {"S": "p"}, "sk": {"N": str(index)}}
        for _ in range(rng.randint(0, 8)):
            item[f"a{rng.randint(0, 20)}"] = random_value(rng)
        written[index] = item
    put_all(dynamodb, table, list(written.values()))
    for index, item in written.items():
        got = dynamodb.get_item(TableName=table, Key={"pk": {"S": "p"}, "sk": {"N": str(index)}},
                                ConsistentRead=True)["Item"]
        assert sets_sorted(got) == sets_sorted(item), index
    queried = query_all(dynamodb, TableName=table, KeyConditionExpression="pk = :p",
                        ExpressionAttributeValues={":p": {"S": "p"}})
    assert [sets_sorted(i) for i in queried] == [sets_sorted(written[i]) for i in range(60)]


# ---- key conditions -------------------------------------------------------------------

@pytest.fixture
def sorted_table(dynamodb, make_table):
    name = make_table(unique("qs"), **{"range_key": "sk"})["TableName"]
    put_all(dynamodb, name, [{"pk": {"S": p}, "sk": {"N": str(i)}, "v": {"N": str(i % 3)}}
                             for p in ("a", "b") for i in range(10)])
    return name


@pytest.mark.parametrize("condition,values,expected", [
    ("pk = :p", {}, list(range(10))),
    ("pk = :p AND sk = :x", {":x": {"N": "4"}}, [4]),
    ("pk = :p AND sk < :x", {":x": {"N": "4"}}, [0, 1, 2, 3]),
    ("pk = :p AND sk <= :x", {":x": {"N": "4"}}, [0, 1, 2, 3, 4]),
    ("pk = :p AND sk > :x", {":x": {"N": "7"}}, [8, 9]),
    ("pk = :p AND sk >= :x", {":x": {"N": "7"}}, [7, 8, 9]),
    ("pk = :p AND sk BETWEEN :x AND :y", {":x": {"N": "2.5"}, ":y": {"N": "5"}}, [3, 4, 5]),
    (":x > sk AND pk = :p", {":x": {"N": "2"}}, [0, 1]),
])
def test_key_condition_operators(dynamodb, sorted_table, condition, values, expected):
    answer = dynamodb.query(TableName=sorted_table, KeyConditionExpression=condition,
                            ExpressionAttributeValues={":p": {"S": "a"}, **values})
    assert [int(i["sk"]["N"]) for i in answer["Items"]] == expected
    assert answer["Count"] == answer["ScannedCount"] == len(expected)
    assert "LastEvaluatedKey" not in answer
    answer.pop("ResponseMetadata")
    assert_matches_shape(answer, "QueryOutput")


def test_begins_with_and_legacy_key_conditions(dynamodb, make_table):
    table = table_with_sort_key(make_table, "S")
    put_all(dynamodb, table, [{"pk": {"S": "p"}, "sk": {"S": s}}
                              for s in ("a", "ab", "abc", "abd", "ac", "b", "a\u00ff")])
    answer = dynamodb.query(TableName=table,
                            KeyConditionExpression="pk = :p AND begins_with(sk, :b)",
                            ExpressionAttributeValues={":p": {"S": "p"}, ":b": {"S": "ab"}})
    assert [i["sk"]["S"] for i in answer["Items"]] == ["ab", "abc", "abd"]
    legacy = dynamodb.query(TableName=table, KeyConditions={
        "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]},
        "sk": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"S": "ab"}, {"S": "ac"}]},
    }, ScanIndexForward=False)
    assert [i["sk"]["S"] for i in legacy["Items"]] == ["ac", "abd", "abc", "ab"]


def test_key_condition_errors(dynamodb, sorted_table):
    q = dynamodb.query
    assert error_of(q, TableName=sorted_table, KeyConditionExpression="sk = :x",
                    ExpressionAttributeValues={":x": {"N": "1"}}) == (
        "ValidationException", "Query condition missed key schema element: pk")
    assert error_of(q, TableName=sorted_table, KeyConditionExpression="pk = :x",
                    ExpressionAttributeValues={":x": {"N": "1"}}) == (
        "ValidationException",
        "One or more parameter values were invalid: Condition parameter type does not match "
        "schema type")
    assert error_of(q, TableName=unique("missing"), KeyConditionExpression="pk = :x",
                    ExpressionAttributeValues={":x": {"S": "1"}}) == (
        "ResourceNotFoundException", "Requested resource not found")


# ---- paging, Limit, the 1 MB rule -----------------------------------------------------

def test_limit_counts_evaluated_items_and_paginator_walks_all(dynamodb, sorted_table):
    page = dynamodb.query(TableName=sorted_table, KeyConditionExpression="pk = :p",
                          FilterExpression="v = :zero", Limit=4,
                          ExpressionAttributeValues={":p": {"S": "a"}, ":zero": {"N": "0"}})
    # Items 0..3 evaluated, 0 and 3 match.
    assert [int(i["sk"]["N"]) for i in page["Items"]] == [0, 3]
    assert (page["Count"], page["ScannedCount"]) == (2, 4)
    assert page["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": "3"}}

    # Exactly Limit items left: LastEvaluatedKey is still returned (facts §10).
    last = dynamodb.query(TableName=sorted_table, KeyConditionExpression="pk = :p", Limit=10,
                          ExpressionAttributeValues={":p": {"S": "a"}})
    assert last["Count"] == 10 and "LastEvaluatedKey" in last
    after = dynamodb.query(TableName=sorted_table, KeyConditionExpression="pk = :p", Limit=10,
                           ExpressionAttributeValues={":p": {"S": "a"}},
                           ExclusiveStartKey=last["LastEvaluatedKey"])
    assert (after["Items"], after["Count"], after["ScannedCount"]) == ([], 0, 0)
    assert "LastEvaluatedKey" not in after

    for forward in (True, False):
        pages = list(dynamodb.get_paginator("query").paginate(
            TableName=sorted_table, KeyConditionExpression="pk = :p", ScanIndexForward=forward,
            ExpressionAttributeValues={":p": {"S": "b"}}, PaginationConfig={"PageSize": 3}))
        assert all(len(p["Items"]) <= 3 for p in pages)
        got = [int(i["sk"]["N"]) for p in pages for i in p["Items"]]
        assert got == sorted(range(10), reverse=not forward)

    scanned = []
    for p in dynamodb.get_paginator("scan").paginate(TableName=sorted_table,
                                                     PaginationConfig={"PageSize": 7}):
        assert p["ScannedCount"] <= 7
        scanned.extend((i["pk"]["S"], int(i["sk"]["N"])) for i in p["Items"])
    assert sorted(scanned) == [(p, i) for p in ("a", "b") for i in range(10)]


def test_start_key_errors(dynamodb, sorted_table):
    q = dynamodb.query
    base = dict(TableName=sorted_table, KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": {"S": "a"}})
    invalid = ("ValidationException", "The provided starting key is invalid: The provided key "
               "element does not match the schema")
    assert error_of(q, **base, ExclusiveStartKey={"pk": {"S": "a"}}) == invalid
    assert error_of(q, **base, ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"S": "1"}}) == invalid
    assert error_of(dynamodb.scan, TableName=sorted_table,
                    ExclusiveStartKey={"pk": {"S": "a"}, "other": {"N": "1"}}) == invalid
    assert error_of(q, **base, ExclusiveStartKey={"pk": {"S": "b"}, "sk": {"N": "1"}}) == (
        "ValidationException",
        "The provided starting key is outside query boundaries based on provided conditions")


def test_one_megabyte_page_counted_before_the_filter(dynamodb, make_table):
    table = make_table(unique("qs"), range_key="sk")["TableName"]
    big = "x" * 350_000
    for i in range(5):
        dynamodb.put_item(TableName=table,
                          Item={"pk": {"S": "p"}, "sk": {"N": str(i)}, "xbody": {"S": big}})
    first = dynamodb.query(TableName=table, KeyConditionExpression="pk = :p",
                           FilterExpression="attribute_not_exists(xbody)",
                           ExpressionAttributeValues={":p": {"S": "p"}},
                           ReturnConsumedCapacity="TOTAL")
    # 3 × ~350 KB crosses 1 MB: the page stops after the third item read, none matched.
    assert (first["Items"], first["Count"], first["ScannedCount"]) == ([], 0, 3)
    assert first["LastEvaluatedKey"] == {"pk": {"S": "p"}, "sk": {"N": "2"}}
    # One rounding of the summed sizes, halved (eventually consistent).
    total = 3 * (len("pk") + 1 + len("sk") + 2 + len("xbody") + len(big))
    assert first["ConsumedCapacity"]["CapacityUnits"] == pytest.approx(-(-total // 4096) / 2, abs=0.6)
    rest = dynamodb.query(TableName=table, KeyConditionExpression="pk = :p",
                          ExpressionAttributeValues={":p": {"S": "p"}},
                          ExclusiveStartKey=first["LastEvaluatedKey"], Select="COUNT")
    assert (rest["Count"], rest["ScannedCount"]) == (2, 2) and "Items" not in rest
    assert "LastEvaluatedKey" not in rest
    scan = dynamodb.scan(TableName=table, ProjectionExpression="sk")
    assert scan["ScannedCount"] == 3 and scan["Items"] == [{"sk": {"N": str(i)}} for i in range(3)]


# ---- filters, Select, projections, capacity --------------------------------------------

def test_filters_select_and_projections(dynamodb, sorted_table):
    base = dict(TableName=sorted_table, KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": {"S": "a"}})
    filtered = dynamodb.query(**{**base, "ExpressionAttributeValues": {
        ":p": {"S": "a"}, ":one": {"N": "1"}}}, FilterExpression="v = :one",
        ProjectionExpression="#s", ExpressionAttributeNames={"#s": "sk"})
    assert filtered["Items"] == [{"sk": {"N": str(i)}} for i in (1, 4, 7)]
    assert (filtered["Count"], filtered["ScannedCount"]) == (3, 10)

    legacy = dynamodb.query(TableName=sorted_table, KeyConditions={
        "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}},
        QueryFilter={"v": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "1"}]}},
        AttributesToGet=["v"], Select="SPECIFIC_ATTRIBUTES")
    assert legacy["Items"] == [{"v": {"N": "2"}}] * 3

    count = dynamodb.query(**base, Select="COUNT")
    assert "Items" not in count and (count["Count"], count["ScannedCount"]) == (10, 10)
    scan = dynamodb.scan(TableName=sorted_table, ScanFilter={
        "v": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "0"}]}}, Select="COUNT")
    assert (scan["Count"], scan["ScannedCount"]) == (8, 20)

    q = dynamodb.query
    assert error_of(q, **base, Select="SPECIFIC_ATTRIBUTES") == (
        "ValidationException", "Must specify the AttributesToGet or ProjectionExpression when "
        "choosing to get SPECIFIC_ATTRIBUTES")
    assert error_of(q, TableName=sorted_table, KeyConditions={
        "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}},
        AttributesToGet=["v"], Select="COUNT") == (
        "ValidationException", "Cannot specify the AttributesToGet when choosing to get only the "
        "Count")
    assert error_of(q, **base, Select="ALL_PROJECTED_ATTRIBUTES") == (
        "ValidationException",
        "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
    assert error_of(q, **base, QueryFilter={
        "v": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "0"}]}}) == (
        "ValidationException", "Can not use both expression and non-expression parameters in "
        "the same request: Non-expression parameters: {QueryFilter} Expression parameters: "
        "{KeyConditionExpression}")
    # A filter may not name a queried key attribute (dynalite's test, run against AWS); a
    # ScanFilter may.
    legacy_keys = {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}}
    for key, condition in (("pk", {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}),
                           ("sk", {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "1"}]})):
        assert error_of(q, TableName=sorted_table, KeyConditions=legacy_keys,
                        QueryFilter={"v": {"ComparisonOperator": "NOT_NULL"}, key: condition}) == (
            "ValidationException", "QueryFilter can only contain non-primary key attributes: "
            f"Primary key attribute: {key}")
    assert error_of(q, **{**base, "ExpressionAttributeValues": {":p": {"S": "a"}, ":one": {"N": "1"}}},
                    FilterExpression="v = :one OR pk = :p") == (
        "ValidationException", "Filter Expression can only contain non-primary key attributes: "
        "Primary key attribute: pk")
    keyed = dynamodb.scan(TableName=sorted_table, ScanFilter={
        "sk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "3"}]}})
    assert keyed["Count"] == 2


def test_consumed_capacity_rounds_the_sum_once(dynamodb, make_table):
    table = make_table(unique("qs"), range_key="sk")["TableName"]
    put_all(dynamodb, table, [{"pk": {"S": "p"}, "sk": {"N": str(i)}, "d": {"S": "x" * 1100}}
                              for i in range(10)])
    # ~11.1 KB in all: ⌈11.1 / 4⌉ = 3 units (ten separate roundings would give 10).
    for consistent, units in ((False, 1.5), (True, 3.0)):
        answer = dynamodb.query(TableName=table, KeyConditionExpression="pk = :p",
                                ExpressionAttributeValues={":p": {"S": "p"}}, Select="COUNT",
                                ConsistentRead=consistent, ReturnConsumedCapacity="TOTAL")
        assert answer["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": units}
    scan = dynamodb.scan(TableName=table, ReturnConsumedCapacity="INDEXES", Limit=4)
    assert scan["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0,
                                        "Table": {"CapacityUnits": 1.0}}


# ---- parallel scan ---------------------------------------------------------------------

def test_parallel_scan_segments_disjoint_and_complete(dynamodb, make_table):
    table = make_table(unique("qs"))["TableName"]
    keys = {f"k{i}" for i in range(300)}
    put_all(dynamodb, table, [{"pk": {"S": k}} for k in sorted(keys)])
    for total in (1, 3, 7):
        seen: list[str] = []
        for segment in range(total):
            for page in dynamodb.get_paginator("scan").paginate(
                    TableName=table, Segment=segment, TotalSegments=total,
                    PaginationConfig={"PageSize": 16}):
                seen.extend(i["pk"]["S"] for i in page["Items"])
        assert len(seen) == len(keys) and set(seen) == keys
    s = dynamodb.scan
    assert error_of(s, TableName=table, TotalSegments=2) == (
        "ValidationException", "The Segment parameter is required but was not present in the "
        "request when parameter TotalSegments is present")
    assert error_of(s, TableName=table, Segment=1) == (
        "ValidationException", "The TotalSegments parameter is required but was not present in "
        "the request when Segment parameter is present")
    assert error_of(s, TableName=table, Segment=5, TotalSegments=5) == (
        "ValidationException", "The Segment parameter is zero-based and must be less than "
        "parameter TotalSegments: Segment: 5 is not less than TotalSegments: 5")
    # An ExclusiveStartKey from another segment (AWS's text, naming the requested segment:
    # scylladb/scylladb#9270 quotes real DynamoDB; dynalite's test runs against AWS).
    first = dynamodb.scan(TableName=table, Segment=1, TotalSegments=2, Limit=1)
    foreign = first["LastEvaluatedKey"]
    assert error_of(s, TableName=table, Segment=0, TotalSegments=2, ExclusiveStartKey=foreign) == (
        "ValidationException", "The provided starting key is invalid: Invalid ExclusiveStartKey. "
        "Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 0")
    rest = dynamodb.scan(TableName=table, Segment=1, TotalSegments=2, ExclusiveStartKey=foreign)
    assert foreign not in rest["Items"] and rest["Count"] > 0
    # Without segments any key is a starting point.
    assert dynamodb.scan(TableName=table, ExclusiveStartKey=foreign)["Count"] > 0


# ---- secondary indexes -----------------------------------------------------------------

@pytest.fixture
def indexed_table(dynamodb, make_table):
    name = unique("qsi")
    make_table(name, arguments=dict(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t in
                              (("pk", "S"), ("sk", "N"), ("lsk", "S"), ("gpk", "S"),
                               ("gsk", "N"))],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        LocalSecondaryIndexes=[{
            "IndexName": "by_lsk",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "lsk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a"]}}],
        GlobalSecondaryIndexes=[{
            "IndexName": "by_g",
            "KeySchema": [{"AttributeName": "gpk", "KeyType": "HASH"},
                          {"AttributeName": "gsk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}}]))
    items = []
    for i in range(12):
        item = {"pk": {"S": "p"}, "sk": {"N": str(i)}, "a": {"N": str(i)}, "b": {"N": str(i)}}
        if i % 2 == 0:  # sparse: odd items are in neither index
            item["lsk"] = {"S": f"l{11 - i:02d}"}
            item["gpk"] = {"S": "g"}
            item["gsk"] = {"N": str(i % 4)}
        items.append(item)
    put_all(dynamodb, name, items)
    return name


def test_local_index_query(dynamodb, indexed_table):
    answer = dynamodb.query(TableName=indexed_table, IndexName="by_lsk",
                            KeyConditionExpression="pk = :p",
                            ExpressionAttributeValues={":p": {"S": "p"}})
    # Ordered by the index's sort key; only projected attributes (keys and `a`).
    assert [i["lsk"]["S"] for i in answer["Items"]] == [f"l{11 - i:02d}" for i in (10, 8, 6, 4, 2, 0)]
    assert all(set(i) == {"pk", "sk", "lsk", "a"} for i in answer["Items"])
    full = dynamodb.query(TableName=indexed_table, IndexName="by_lsk", Select="ALL_ATTRIBUTES",
                          KeyConditionExpression="pk = :p", Limit=2,
                          ExpressionAttributeValues={":p": {"S": "p"}})
    assert all("b" in i for i in full["Items"]) and full["Count"] == 2
    assert full["LastEvaluatedKey"] == {"pk": {"S": "p"}, "sk": {"N": "8"}, "lsk": {"S": "l03"}}
    specific = dynamodb.query(TableName=indexed_table, IndexName="by_lsk",
                              KeyConditionExpression="pk = :p", ProjectionExpression="b",
                              FilterExpression="b > :four",
                              ExpressionAttributeValues={":p": {"S": "p"}, ":four": {"N": "4"}})
    assert specific["Items"] == [{"b": {"N": n}} for n in ("10", "8", "6")]
    projected = dynamodb.query(TableName=indexed_table, IndexName="by_lsk",
                               KeyConditionExpression="pk = :p", FilterExpression="b > :four",
                               ExpressionAttributeValues={":p": {"S": "p"}, ":four": {"N": "4"}})
    assert [set(i) for i in projected["Items"]] == [{"pk", "sk", "lsk", "a"}] * 3
    pages = query_all(dynamodb, TableName=indexed_table, IndexName="by_lsk",
                      KeyConditionExpression="pk = :p AND lsk > :l", ScanIndexForward=False,
                      ExpressionAttributeValues={":p": {"S": "p"}, ":l": {"S": "l05"}},
                      PaginationConfig={"PageSize": 1})
    assert [i["lsk"]["S"] for i in pages] == ["l11", "l09", "l07"]


def test_global_index_query_and_scan(dynamodb, indexed_table):
    pages = list(dynamodb.get_paginator("query").paginate(
        TableName=indexed_table, IndexName="by_g", KeyConditionExpression="gpk = :g",
        ExpressionAttributeValues={":g": {"S": "g"}}, PaginationConfig={"PageSize": 4}))
    items = [i for p in pages for i in p["Items"]]
    assert [(int(i["gsk"]["N"]), int(i["sk"]["N"])) for i in items] == sorted(
        (i % 4, i) for i in range(0, 12, 2))
    assert all(set(i) == {"pk", "sk", "gpk", "gsk"} for i in items)
    assert set(pages[0]["LastEvaluatedKey"]) == {"pk", "sk", "gpk", "gsk"}
    scan = dynamodb.scan(TableName=indexed_table, IndexName="by_g",
                         ReturnConsumedCapacity="INDEXES")
    assert scan["Count"] == 6
    assert scan["ConsumedCapacity"]["GlobalSecondaryIndexes"] == {"by_g": {"CapacityUnits": 0.5}}
    lsi_scan = dynamodb.scan(TableName=indexed_table, IndexName="by_lsk")
    assert lsi_scan["Count"] == 6

    q = dynamodb.query
    base = dict(TableName=indexed_table, KeyConditionExpression="gpk = :g",
                ExpressionAttributeValues={":g": {"S": "g"}})
    assert error_of(q, **base, IndexName="by_g", ConsistentRead=True) == (
        "ValidationException", "Consistent reads are not supported on global secondary indexes")
    assert error_of(q, **base, IndexName="nope") == (
        "ValidationException", "The table does not have the specified index: nope")
    assert error_of(q, **base, IndexName="by_g", Select="ALL_ATTRIBUTES") == (
        "ValidationException", "One or more parameter values were invalid: Select type "
        "ALL_ATTRIBUTES is not supported for global secondary index by_g because its projection "
        "type is not ALL")
    assert error_of(q, **base, IndexName="by_lsk") == (
        "ValidationException", "Query condition missed key schema element: pk")
    assert error_of(q, **base, IndexName="by_g", FilterExpression="gsk > :g") == (
        "ValidationException", "Filter Expression can only contain non-primary key attributes: "
        "Primary key attribute: gsk")
