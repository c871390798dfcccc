"""DynamoDB PartiQL ExecuteTransaction with boto3: writes applied atomically through the
TransactWriteItems path, reads as one TransactGetItems, cancellation reasons, ClientRequestToken
replay and mismatch, the refusal of a mix of reads and writes, the 100-statement limit and the
per-statement error texts (sources in src/dynamodb/ops/execute_transaction.cc)."""

from __future__ import annotations


import pytest

from .dynamodb_support import NOT_WELL_FORMED, error_of, new_name


@pytest.fixture
def table(make_table):
    name = new_name("pqt")
    make_table(name)
    return name


def get(dynamodb, table: str, pk: str):
    return dynamodb.get_item(TableName=table, Key={"pk": {"S": pk}},
                             ConsistentRead=True).get("Item")


def test_writes_commit_together_and_reads_see_them(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "u"}, "n": {"N": "1"}})
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "d"}, "n": {"N": "1"}})
    answer = dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'i', 'n': 7}}"},
        {"Statement": f"UPDATE \"{table}\" SET n = ? WHERE pk = 'u' AND n = 1",
         "Parameters": [{"N": "2"}]},
        {"Statement": f"DELETE FROM \"{table}\" WHERE pk = ?", "Parameters": [{"S": "d"}]},
    ], ReturnConsumedCapacity="TOTAL")
    # A write-only transaction answers an empty Responses list [V, facts §16].
    assert answer["Responses"] == []
    assert answer["ConsumedCapacity"][0]["TableName"] == table
    assert get(dynamodb, table, "i") == {"pk": {"S": "i"}, "n": {"N": "7"}}
    assert get(dynamodb, table, "u")["n"] == {"N": "2"}
    assert get(dynamodb, table, "d") is None

    answer = dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'i'"},
        {"Statement": f"SELECT n FROM \"{table}\" WHERE pk = ?", "Parameters": [{"S": "u"}]},
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'd'"},
    ])
    assert answer["Responses"] == [{"Item": {"pk": {"S": "i"}, "n": {"N": "7"}}},
                                   {"Item": {"n": {"N": "2"}}}, {}]


def test_a_failed_condition_cancels_everything_with_reasons(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "a"}, "n": {"N": "1"}})
    statements = [
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'new'}}"},
        {"Statement": f"UPDATE \"{table}\" SET n = 5 WHERE pk = 'a' AND n = 99",
         "ReturnValuesOnConditionCheckFailure": "ALL_OLD"},
    ]
    code, message, response = error_of(dynamodb.execute_transaction,
                                       TransactStatements=statements)
    assert code == "TransactionCanceledException"
    assert message == ("Transaction cancelled, please refer cancellation reasons for specific "
                       "reasons [None, ConditionalCheckFailed]")
    reasons = response["CancellationReasons"]
    assert reasons[0] == {"Code": "None"}
    assert reasons[1]["Code"] == "ConditionalCheckFailed"
    assert reasons[1]["Item"] == {"pk": {"S": "a"}, "n": {"N": "1"}}
    assert get(dynamodb, table, "new") is None
    assert get(dynamodb, table, "a")["n"] == {"N": "1"}

    # An INSERT of an existing key: reason DuplicateItem (a guess, see execute_transaction.cc).
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "b"}, "n": {"N": "1"}})
    code, message, response = error_of(dynamodb.execute_transaction, TransactStatements=[
        {"Statement": f"UPDATE \"{table}\" SET n = 2 WHERE pk = 'b'"},
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'a'}}"}])
    assert code == "TransactionCanceledException"
    assert message.endswith("[None, DuplicateItem]")
    assert response["CancellationReasons"][1] == {
        "Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"}
    assert get(dynamodb, table, "b")["n"] == {"N": "1"}

    # Two statements on one item: TransactWriteItems' refusal [V, facts §15].
    code, message, _ = error_of(dynamodb.execute_transaction, TransactStatements=[
        {"Statement": f"UPDATE \"{table}\" SET n = 2 WHERE pk = 'b'"},
        {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'b'"}])
    assert (code, message) == ("ValidationException",
                               "Transaction request cannot include multiple operations on one item")


def test_client_request_token_replay_and_mismatch(dynamodb, table):
    token = new_name("tok")
    statements = [{"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'once'}}"}]
    dynamodb.execute_transaction(TransactStatements=statements, ClientRequestToken=token)
    # The INSERT would now fail as a duplicate: the replay succeeds without running it again.
    assert dynamodb.execute_transaction(TransactStatements=statements,
                                        ClientRequestToken=token)["Responses"] == []
    code, _, _ = error_of(dynamodb.execute_transaction, TransactStatements=statements)
    assert code == "TransactionCanceledException"
    code, _, _ = error_of(
        dynamodb.execute_transaction, ClientRequestToken=token,
        TransactStatements=[{"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'other'}}"}])
    assert code == "IdempotentParameterMismatchException"
    assert get(dynamodb, table, "other") is None


def test_reads_and_writes_cannot_mix(dynamodb, table):
    code, message, _ = error_of(dynamodb.execute_transaction, TransactStatements=[
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'a'"},
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'mixed'}}"}])
    assert code == "ValidationException"
    assert message == "Unsupported operation in transaction."
    assert get(dynamodb, table, "mixed") is None


def test_statement_errors_name_the_statement(dynamodb, table):
    cases = [
        ([f"INSERT INTO \"{table}\" VALUE {{'pk': 'x'}}", "SELEKT"],
         f"Validation failed in TransactStatements[1]: {NOT_WELL_FORMED}"),
        ([f"UPDATE \"{table}\" SET n = 1 WHERE pk = 'x' RETURNING ALL NEW *"],
         "Validation failed in TransactStatements[0]: RETURNING clause is not supported in "
         "ExecuteTransaction."),
        ([f"SELECT * FROM \"{table}\" WHERE n = 1"],
         "Validation failed in TransactStatements[0]: Select statements within "
         "ExecuteTransaction must specify the primary key in the where clause."),
    ]
    for statements, text in cases:
        code, message, _ = error_of(dynamodb.execute_transaction,
                                    TransactStatements=[{"Statement": s} for s in statements])
        assert code == "ValidationException", statements
        assert message.startswith(text), (statements, message)
    assert get(dynamodb, table, "x") is None
    code, _, _ = error_of(dynamodb.execute_transaction, TransactStatements=[
        {"Statement": "SELECT * FROM \"no-such-table-pqt\" WHERE pk = 'a'"}])
    assert code == "ResourceNotFoundException"


def test_one_hundred_statements_and_no_more(dynamodb, raw_dynamodb, table):
    statements = [{"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': '{i}'}}"}
                  for i in range(100)]
    assert dynamodb.execute_transaction(TransactStatements=statements)["Responses"] == []
    answer = dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = '{i}'"} for i in range(100)])
    assert len(answer["Responses"]) == 100
    assert all("Item" in r for r in answer["Responses"])
    code, message, _ = error_of(raw_dynamodb.execute_transaction, TransactStatements=statements + [
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': '100'}}"}])
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 100" in message
    assert get(dynamodb, table, "100") is None
