"""DynamoDB PartiQL with boto3: ExecuteStatement for each statement form (SELECT as a key lookup,
a partition query and a scan; INSERT; UPDATE with SET, REMOVE, set_add, list_append, conditions
and RETURNING; DELETE), `?` parameters, Limit and NextToken paging, ConsistentRead and
ConsumedCapacity, ReturnValuesOnConditionCheckFailure, BatchExecuteStatement, and AWS's error
texts (facts §16; sources in src/dynamodb/partiql/README.md)."""

from __future__ import annotations


import pytest

from .dynamodb_support import NOT_WELL_FORMED, error_of, hash_table_arguments, new_name


@pytest.fixture
def composite(make_table):
    """A table keyed by pk (S) and sk (N), with a global index on `color`."""
    name = new_name("pq")
    make_table(name, arguments=dict(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"},
                              {"AttributeName": "color", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "by-color",
            "KeySchema": [{"AttributeName": "color", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}}],
        BillingMode="PAY_PER_REQUEST"))
    return name


def fill(dynamodb, table: str) -> None:
    for pk in ("a", "b"):
        for sk in range(1, 6):
            dynamodb.execute_statement(
                Statement=f'INSERT INTO "{table}" VALUE {{\'pk\': ?, \'sk\': ?, \'n\': ?, '
                          f'\'color\': ?, \'tags\': <<\'x\', \'y\'>>, \'m\': {{\'k\': [1, 2]}}}}',
                Parameters=[{"S": pk}, {"N": str(sk)}, {"N": str(sk * 10)},
                            {"S": "red" if sk % 2 else "blue"}])


def test_insert_then_get_item_sees_every_literal_type(dynamodb, make_table):
    name = new_name("pq")
    make_table(name)
    out = dynamodb.execute_statement(Statement=(
        f"INSERT INTO \"{name}\" VALUE {{'pk': 'k1', 's': 'it''s', 'n': -1.50, 'b': true, "
        f"'z': null, 'l': [1, 'two', [3]], 'm': {{'inner': {{'x': 1e3}}}}, "
        f"'ss': <<'a', 'b'>>, 'ns': <<1, 2>>}}"))
    assert out["Items"] == []
    item = dynamodb.get_item(TableName=name, Key={"pk": {"S": "k1"}})["Item"]
    assert item["s"] == {"S": "it's"}
    assert item["n"] == {"N": "-1.5"}
    assert item["b"] == {"BOOL": True}
    assert item["z"] == {"NULL": True}
    assert item["l"] == {"L": [{"N": "1"}, {"S": "two"}, {"L": [{"N": "3"}]}]}
    assert item["m"] == {"M": {"inner": {"M": {"x": {"N": "1000"}}}}}
    assert sorted(item["ss"]["SS"]) == ["a", "b"]
    assert sorted(item["ns"]["NS"]) == ["1", "2"]


def test_insert_of_an_existing_key_is_a_duplicate_item(dynamodb, make_table):
    name = new_name("pq")
    make_table(name)
    statement = f"INSERT INTO \"{name}\" VALUE {{'pk': 'dup', 'v': 1}}"
    dynamodb.execute_statement(Statement=statement)
    code, message, _ = error_of(dynamodb.execute_statement, Statement=statement)
    assert (code, message) == ("DuplicateItemException", "Duplicate primary key exists in table")


def test_select_key_lookup_partition_query_and_scan(dynamodb, composite):
    fill(dynamodb, composite)
    one = dynamodb.execute_statement(
        Statement=f'SELECT * FROM "{composite}" WHERE pk = ? AND sk = ?',
        Parameters=[{"S": "a"}, {"N": "3"}])["Items"]
    assert len(one) == 1 and one[0]["n"] == {"N": "30"}
    # A partition query comes back in sort-key order; ORDER BY DESC reverses it.
    part = dynamodb.execute_statement(
        Statement=f"SELECT sk FROM \"{composite}\" WHERE pk = 'b' AND sk >= 2")["Items"]
    assert part == [{"sk": {"N": str(i)}} for i in (2, 3, 4, 5)]
    desc = dynamodb.execute_statement(
        Statement=f"SELECT sk FROM \"{composite}\" WHERE pk = 'b' ORDER BY sk DESC")["Items"]
    assert [i["sk"]["N"] for i in desc] == ["5", "4", "3", "2", "1"]
    between = dynamodb.execute_statement(
        Statement=f"SELECT sk FROM \"{composite}\" WHERE pk = 'a' AND sk BETWEEN 2 AND 4 "
                  f"AND n <> 30")["Items"]
    assert [i["sk"]["N"] for i in between] == ["2", "4"]
    # Without a partition-key equality: a scan with the whole WHERE as filter.
    scan = dynamodb.execute_statement(
        Statement=f"SELECT pk, sk FROM \"{composite}\" WHERE n > 20 AND color = 'red'")["Items"]
    assert sorted((i["pk"]["S"], i["sk"]["N"]) for i in scan) == [
        ("a", "3"), ("a", "5"), ("b", "3"), ("b", "5")]
    everything = dynamodb.execute_statement(Statement=f'SELECT * FROM "{composite}"')["Items"]
    assert len(everything) == 10


def test_select_partition_in_and_or_read_partition_by_partition(dynamodb, composite):
    """`pk IN [...]` and an OR of `pk = v` are not scans on AWS (its docs): one Query per value,
    in the order written (or in ORDER BY pk order), paged across partitions."""
    fill(dynamodb, composite)
    t = composite

    def pages(statement: str, limit: int, parameters=None) -> list[list[tuple[str, str]]]:
        out, token = [], None
        while True:
            kwargs = {"Statement": statement, "Limit": limit}
            if parameters:
                kwargs["Parameters"] = parameters
            if token:
                kwargs["NextToken"] = token
            page = dynamodb.execute_statement(**kwargs)
            out.append([(i["pk"]["S"], i["sk"]["N"]) for i in page["Items"]])
            token = page.get("NextToken")
            if not token:
                return out

    everything = [("b", str(i)) for i in range(1, 6)] + [("a", str(i)) for i in range(1, 6)]
    got = pages(f"SELECT pk, sk FROM \"{t}\" WHERE pk IN ['b', 'zz', 'a', 'b']", 4)
    assert sum(got, []) == everything
    assert got[0] == everything[:4] and got[1] == everything[4:8]
    got = pages(f"SELECT pk, sk FROM \"{t}\" WHERE pk = ? OR pk = ?", 5,
                [{"S": "b"}, {"S": "a"}])
    assert sum(got, []) == everything and got[0] == everything[:5]
    got = pages(f"SELECT pk, sk FROM \"{t}\" WHERE (pk = 'b' OR pk = 'a') AND sk > 3 "
                f"ORDER BY pk, sk DESC", 100)
    assert sum(got, []) == [("a", "5"), ("a", "4"), ("b", "5"), ("b", "4")]
    code, message, _ = error_of(
        dynamodb.execute_statement,
        Statement=f"SELECT * FROM \"{t}\" WHERE pk IN ['a', 'b'] ORDER BY sk")
    assert (code, message) == (
        "ValidationException",
        "Must have hash key in ORDER BY clause when more than one hash key condition specified "
        "in WHERE clause.")


def test_select_conditions_functions_and_nested_paths(dynamodb, composite):
    fill(dynamodb, composite)
    t = composite

    def keys(where: str, params=None) -> list[tuple[str, str]]:
        kwargs = {"Statement": f'SELECT pk, sk FROM "{t}" WHERE {where}'}
        if params:
            kwargs["Parameters"] = params
        items = dynamodb.execute_statement(**kwargs)["Items"]
        return sorted((i["pk"]["S"], i["sk"]["N"]) for i in items)

    assert keys("pk = 'a' AND (sk = 1 OR sk = 5)") == [("a", "1"), ("a", "5")]
    assert keys("pk = 'a' AND NOT sk IN [1, 2, 3]") == [("a", "4"), ("a", "5")]
    assert keys("sk IN (1) AND begins_with(pk, 'b')") == [("b", "1")]
    assert keys("pk = 'a' AND contains(tags, 'x') AND sk < 3") == [("a", "1"), ("a", "2")]
    assert keys("pk = 'a' AND attribute_type(n, 'N') AND size(tags) = 2 AND sk = 1") == [
        ("a", "1")]
    assert keys("pk = 'a' AND m.k[1] = 2 AND sk = 2") == [("a", "2")]
    assert keys("pk = 'a' AND \"m\".\"k\"[0] = ? AND sk = 2", [{"N": "1"}]) == [("a", "2")]
    assert keys("pk = 'a' AND missing_attr IS MISSING AND sk = 3") == [("a", "3")]
    assert keys("pk = 'a' AND n IS NOT MISSING AND n IS NUMERIC AND sk = 4") == [("a", "4")]
    assert keys("pk = 'a' AND n IS MISSING") == []
    nested = dynamodb.execute_statement(
        Statement=f"SELECT m.k[0], n FROM \"{t}\" WHERE pk = 'a' AND sk = 1")["Items"]
    assert nested == [{"m": {"M": {"k": {"L": [{"N": "1"}]}}}, "n": {"N": "10"}}]


def test_select_from_an_index(dynamodb, composite):
    fill(dynamodb, composite)
    items = dynamodb.execute_statement(
        Statement=f"SELECT pk, sk FROM \"{composite}\".\"by-color\" WHERE color = 'blue'")["Items"]
    assert sorted((i["pk"]["S"], i["sk"]["N"]) for i in items) == [
        ("a", "2"), ("a", "4"), ("b", "2"), ("b", "4")]
    code, message, _ = error_of(
        dynamodb.execute_statement,
        Statement=f"SELECT * FROM \"{composite}\".\"nope\" WHERE color = 'blue'")
    assert code == "ValidationException"
    assert message == "The table does not have the specified index: nope"
    code, message, _ = error_of(
        dynamodb.execute_statement, ConsistentRead=True,
        Statement=f"SELECT * FROM \"{composite}\".\"by-color\" WHERE color = 'blue'")
    assert (code, message) == (
        "ValidationException", "Strongly consistent read is not supported on Global Secondary Indexes")


def test_paging_with_limit_and_next_token(dynamodb, composite):
    fill(dynamodb, composite)
    for statement in (f'SELECT * FROM "{composite}"',
                      f"SELECT * FROM \"{composite}\" WHERE pk = 'a'"):
        seen, token, pages = [], None, 0
        while True:
            kwargs = {"Statement": statement, "Limit": 2, "ConsistentRead": True}
            if token:
                kwargs["NextToken"] = token
            out = dynamodb.execute_statement(**kwargs)
            pages += 1
            assert len(out["Items"]) <= 2
            seen.extend((i["pk"]["S"], i["sk"]["N"]) for i in out["Items"])
            token = out.get("NextToken")
            if not token:
                break
            assert "LastEvaluatedKey" in out
        expected = 10 if "WHERE" not in statement else 5
        assert len(seen) == expected and len(set(seen)) == expected
        assert pages >= expected // 2
    # A token from another statement, or a forged one, is refused.
    token = dynamodb.execute_statement(Statement=f'SELECT * FROM "{composite}"',
                                       Limit=1)["NextToken"]
    code, message, _ = error_of(dynamodb.execute_statement,
                                Statement=f'SELECT pk FROM "{composite}"', NextToken=token)
    assert (code, message) == ("ValidationException", "NextToken does not match request")
    token = dynamodb.execute_statement(Statement=f'SELECT * FROM "{composite}" WHERE pk = ?',
                                       Parameters=[{"S": "a"}], Limit=1)["NextToken"]
    code, message, _ = error_of(dynamodb.execute_statement,
                                Statement=f'SELECT * FROM "{composite}" WHERE pk = ?',
                                Parameters=[{"S": "b"}], NextToken=token)
    assert (code, message) == ("ValidationException", "NextToken does not match request")
    code, message, _ = error_of(dynamodb.execute_statement,
                                Statement=f'SELECT * FROM "{composite}"', NextToken="AAAA" * 8)
    assert (code, message) == ("ValidationException", "Invalid NextToken")


def test_consumed_capacity(dynamodb, composite):
    fill(dynamodb, composite)
    out = dynamodb.execute_statement(
        Statement=f"SELECT * FROM \"{composite}\" WHERE pk = 'a' AND sk = 1",
        ReturnConsumedCapacity="TOTAL", ConsistentRead=True)
    assert out["ConsumedCapacity"] == {"TableName": composite, "CapacityUnits": 1.0}
    out = dynamodb.execute_statement(
        Statement=f"INSERT INTO \"{composite}\" VALUE {{'pk': 'c', 'sk': 1}}",
        ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"]["TableName"] == composite
    assert out["ConsumedCapacity"]["CapacityUnits"] >= 1.0


def test_update_set_remove_and_returning(dynamodb, composite):
    fill(dynamodb, composite)
    t = composite
    out = dynamodb.execute_statement(
        Statement=f"UPDATE \"{t}\" SET n = n + 1 SET extra = 'e' REMOVE color "
                  f"WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *")
    item = out["Items"][0]
    assert item["n"] == {"N": "11"} and item["extra"] == {"S": "e"} and "color" not in item
    out = dynamodb.execute_statement(
        Statement=f"UPDATE \"{t}\" SET tags = set_add(tags, <<'z'>>), "
                  f"m.k = list_append(m.k, [3]) WHERE pk = ? AND sk = ? RETURNING MODIFIED NEW *",
        Parameters=[{"S": "a"}, {"N": "1"}])
    item = out["Items"][0]
    assert sorted(item["tags"]["SS"]) == ["x", "y", "z"]
    assert item["m"] == {"M": {"k": {"L": [{"N": "1"}, {"N": "2"}, {"N": "3"}]}}}
    out = dynamodb.execute_statement(
        Statement=f"UPDATE \"{t}\" SET tags = set_delete(tags, <<'x'>>) "
                  f"WHERE pk = 'a' AND sk = 1 RETURNING ALL OLD *")
    assert sorted(out["Items"][0]["tags"]["SS"]) == ["x", "y", "z"]
    out = dynamodb.execute_statement(
        Statement=f"UPDATE \"{t}\" SET n = 5 WHERE pk = 'a' AND sk = 2")
    assert out["Items"] == []
    item = dynamodb.get_item(TableName=t, Key={"pk": {"S": "a"}, "sk": {"N": "1"}})["Item"]
    assert sorted(item["tags"]["SS"]) == ["y", "z"]


def test_update_conditions_and_missing_items(dynamodb, composite):
    fill(dynamodb, composite)
    t = composite
    # Extra WHERE terms are conditions on the item.
    code, message, response = error_of(
        dynamodb.execute_statement,
        Statement=f"UPDATE \"{t}\" SET n = 0 WHERE pk = 'a' AND sk = 1 AND n > 100",
        ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert (code, message) == ("ConditionalCheckFailedException",
                               "The conditional request failed")
    assert response["Item"]["n"] == {"N": "10"}
    dynamodb.execute_statement(
        Statement=f"UPDATE \"{t}\" SET n = 0 WHERE pk = 'a' AND sk = 1 AND n = 10")
    # An UPDATE of a missing item fails its condition (AWS docs).
    code, _, response = error_of(
        dynamodb.execute_statement,
        Statement=f"UPDATE \"{t}\" SET n = 0 WHERE pk = 'zz' AND sk = 1",
        ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert code == "ConditionalCheckFailedException" and "Item" not in response
    assert "Item" not in dynamodb.get_item(TableName=t, Key={"pk": {"S": "zz"},
                                                             "sk": {"N": "1"}})
    # The WHERE must name the whole key.
    for where in ("pk = 'a'", "n = 1", "pk = 'a' OR sk = 1"):
        code, message, _ = error_of(dynamodb.execute_statement,
                                    Statement=f'UPDATE "{t}" SET n = 1 WHERE {where}')
        assert (code, message) == (
            "ValidationException",
            "Where clause does not contain a mandatory equality on all key attributes")


def test_delete_with_conditions_and_returning(dynamodb, composite):
    fill(dynamodb, composite)
    t = composite
    out = dynamodb.execute_statement(
        Statement=f"DELETE FROM \"{t}\" WHERE pk = 'a' AND sk = 1 RETURNING ALL OLD *")
    assert out["Items"][0]["n"] == {"N": "10"}
    # Deleting a missing item succeeds, with or without further conditions (AWS docs).
    assert dynamodb.execute_statement(
        Statement=f"DELETE FROM \"{t}\" WHERE pk = 'a' AND sk = 1 AND n = 10")["Items"] == []
    code, message, response = error_of(
        dynamodb.execute_statement,
        Statement=f"DELETE FROM \"{t}\" WHERE pk = 'a' AND sk = 2 AND n = 999",
        ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert code == "ConditionalCheckFailedException"
    assert response["Item"]["sk"] == {"N": "2"}
    dynamodb.execute_statement(Statement=f"DELETE FROM \"{t}\" WHERE pk = 'a' AND sk = 2 AND n = 20")
    left = dynamodb.execute_statement(Statement=f"SELECT sk FROM \"{t}\" WHERE pk = 'a'")["Items"]
    assert [i["sk"]["N"] for i in left] == ["3", "4", "5"]
    # The index follows the writes (the one write path).
    blue = dynamodb.execute_statement(
        Statement=f"SELECT pk FROM \"{t}\".\"by-color\" WHERE color = 'blue'")["Items"]
    assert len(blue) == 3


def test_parameters_must_match(dynamodb, make_table):
    name = new_name("pq")
    make_table(name)
    for statement, parameters in ((f'SELECT * FROM "{name}" WHERE pk = ?', None),
                                  (f"SELECT * FROM \"{name}\" WHERE pk = 'a'", [{"S": "x"}]),
                                  (f'SELECT * FROM "{name}" WHERE pk = ? AND a = ?',
                                   [{"S": "x"}])):
        kwargs = {"Statement": statement}
        if parameters:
            kwargs["Parameters"] = parameters
        code, message, _ = error_of(dynamodb.execute_statement, **kwargs)
        assert (code, message) == ("ValidationException",
                                   "Number of parameters in request and statement don't match.")


@pytest.mark.parametrize("statement, message", [
    ('SELECT * FROM "{t}" WHERE pk = 1 foo', NOT_WELL_FORMED + "Unexpected token after expression"),
    ('SELECT * FROM "{t}" WHERE pk = 1)', NOT_WELL_FORMED + "Unexpected token after expression"),
    ('SELECT * FROM "{t}" WHERE', NOT_WELL_FORMED + "Unexpected term"),
    ('SELECT * FROM "{t}" WHERE NOT', NOT_WELL_FORMED + "Unexpected term"),
    ("SELECT * FROM \"{t}\" WHERE pk = 'p1' AND",
     NOT_WELL_FORMED + "Missing right-hand side expression of infix operator"),
    ('SELECT * FROM "{t}" WHERE ORDER BY pk', NOT_WELL_FORMED + "Unexpected keyword"),
    ('SELECT * FROM "{t}" WHERE IS NULL', NOT_WELL_FORMED + "Unexpected operator"),
    ("SELECT * FROM \"{t}\" WHERE pk = 'a' AND x IS FOO", NOT_WELL_FORMED + "Expected type name"),
    ("DELETE FROM WHERE pk = 'a'", NOT_WELL_FORMED + "Expected identifier for simple path"),
    ("SELECT * FROM", NOT_WELL_FORMED + "Unexpected term"),
    ('SELECT * FROM "{t}" WHERE pk = 1 # note', NOT_WELL_FORMED),
    ('SELECT * FROM "{t}" WHERE pk = 1e2147483648', NOT_WELL_FORMED),
    ("SELECT * FROM \"{t}\" t WHERE pk = 'x'", "Aliasing is not supported"),
    ("UPDATE \"{t}\" t SET a = 3 WHERE pk = 'x'", "Aliasing is not supported"),
    ("INSERT INTO \"{t}\" t VALUE {{'pk': 'x'}}", NOT_WELL_FORMED + "Unexpected token after expression"),
    ("CREATE TABLE x", NOT_WELL_FORMED + "Expected data manipulation"),
    ("INSERT INTO \"{t}\" VALUE {{'pk': 'a', 'n': 1e126}}",
     "Number overflow. Attempting to store a number with magnitude larger than supported range "
     "under root"),
    ("INSERT INTO \"{t}\" VALUE {{'pk': 'a', 'l': [1, 1e-131]}}",
     "Number underflow. Attempting to store a number with magnitude smaller than supported "
     "range under root[1]"),
    ("SELECT *, a FROM \"{t}\"",
     "Other attributes should not be present in the projection when '*' is used."),
    ("DELETE FROM \"{t}\" WHERE pk = 'a' RETURNING ALL NEW *",
     "Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in "
     "DELETE statements."),
    ("SELECT * FROM \"{t}\" WHERE EXISTS(x)",
     "EXISTS can only be used in ExecuteTransaction write requests."),
])
def test_error_texts(dynamodb, make_table, statement, message):
    name = new_name("pq")
    make_table(name)
    code, got, _ = error_of(dynamodb.execute_statement, Statement=statement.format(t=name))
    assert (code, got) == ("ValidationException", message)


def test_missing_table(dynamodb):
    code, message, _ = error_of(dynamodb.execute_statement,
                                Statement='SELECT * FROM "no-such-table-here"')
    assert (code, message) == ("ResourceNotFoundException", "Requested resource not found")


def test_batch_execute_statement(dynamodb, composite):
    t = composite
    out = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{t}\" VALUE {{'pk': 'q', 'sk': 1, 'n': 1}}"},
        {"Statement": f"INSERT INTO \"{t}\" VALUE {{'pk': ?, 'sk': ?}}",
         "Parameters": [{"S": "q"}, {"N": "2"}]},
        {"Statement": f"INSERT INTO \"{t}\" VALUE {{'pk': 'q', 'sk': 1}}"},
        {"Statement": f"UPDATE \"{t}\" SET n = 5 WHERE pk = 'nope' AND sk = 1"},
        {"Statement": f"INSERT INTO \"{t}\" VALUE {{'pk': 'q'}} junk"},
        {"Statement": f"INSERT INTO \"{t}\" VALUE {{'pk': ?, 'sk': 3}}"},
    ])["Responses"]
    assert out[0] == {"TableName": t}
    assert out[1] == {"TableName": t}
    assert out[2] == {"Error": {"Code": "DuplicateItem",
                                "Message": "Duplicate primary key exists in table"}}
    assert out[3]["Error"]["Code"] == "ConditionalCheckFailed"
    assert out[4] == {"Error": {"Code": "ValidationError",
                                "Message": NOT_WELL_FORMED + "Unexpected token after expression"}}
    assert out[5] == {"Error": {"Code": "ValidationError", "Message":
                                "Number of parameters in request and statement don't match."}}
    reads = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT n FROM \"{t}\" WHERE pk = 'q' AND sk = 1"},
        {"Statement": f"SELECT * FROM \"{t}\" WHERE pk = ? AND sk = ?",
         "Parameters": [{"S": "q"}, {"N": "9"}], "ConsistentRead": True},
        {"Statement": f"SELECT * FROM \"{t}\" WHERE pk = 'q'"},
    ], ReturnConsumedCapacity="TOTAL")
    responses = reads["Responses"]
    assert responses[0] == {"TableName": t, "Item": {"n": {"N": "1"}}}
    assert responses[1] == {"TableName": t}
    assert responses[2]["Error"] == {
        "Code": "ValidationError",
        "Message": "Where clause does not contain a mandatory equality on all key attributes"}
    assert reads["ConsumedCapacity"][0]["TableName"] == t
    code, _, _ = error_of(dynamodb.batch_execute_statement, Statements=[
        {"Statement": f"SELECT * FROM \"{t}\" WHERE pk = 'q' AND sk = 1"},
        {"Statement": f"DELETE FROM \"{t}\" WHERE pk = 'q' AND sk = 1"}])
    assert code == "ValidationException"


def test_batch_limits_from_the_model(raw_dynamodb, make_table):
    name = new_name("pq")
    make_table(name, **{})
    statements = [{"Statement": f"SELECT * FROM \"{name}\" WHERE pk = '{i}'"} for i in range(26)]
    code, message, _ = error_of(raw_dynamodb.batch_execute_statement, Statements=statements)
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 25" in message
    code, message, _ = error_of(raw_dynamodb.execute_statement,
                                Statement=f'SELECT * FROM "{name}"', Parameters=[])
    assert code == "ValidationException"
    assert "Member must have length greater than or equal to 1" in message


def test_writes_reach_streams_of_change_through_one_path(dynamodb, make_table):
    """Item counts follow PartiQL writes (counters are kept by the one write path)."""
    name = new_name("pq")
    make_table(name, arguments=hash_table_arguments(name))
    for i in range(3):
        dynamodb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'pk': '{i}'}}")
    dynamodb.execute_statement(Statement=f"DELETE FROM \"{name}\" WHERE pk = '0'")
    assert dynamodb.describe_table(TableName=name)["Table"]["ItemCount"] == 2
