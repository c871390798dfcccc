"""The AWS CLI, unmodified, against Tributary's DynamoDB (`aws --endpoint-url ... dynamodb
...`): a table with a global and a local secondary index, the CLI's waiters, put-item,
get-item, batch-write-item, query (table, global and local index), scan, describe-table's
live counts, delete-table."""

from __future__ import annotations

import json

import pytest

from cli_support import Cli, aws_cli  # noqa: F401 (fixture)
from support import fresh_account, skip_under_url, unique_name


@pytest.fixture
def cli(aws_cli, server) -> Cli:
    skip_under_url("uses a fresh account of its own")
    return Cli(aws_cli, server, fresh_account(), service="dynamodb")


def test_cli_table_and_items(cli):
    name = unique_name("cli-orders")
    created = cli.json(
        "create-table", "--table-name", name,
        "--attribute-definitions", "AttributeName=customer,AttributeType=S",
        "AttributeName=order,AttributeType=N", "AttributeName=placed,AttributeType=S",
        "AttributeName=status,AttributeType=S",
        "--key-schema", "AttributeName=customer,KeyType=HASH", "AttributeName=order,KeyType=RANGE",
        "--billing-mode", "PAY_PER_REQUEST",
        "--local-secondary-indexes", json.dumps([{
            "IndexName": "by-placed",
            "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"},
                          {"AttributeName": "placed", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
        }]),
        "--global-secondary-indexes", json.dumps([{
            "IndexName": "by-status",
            "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
        }]),
    )["TableDescription"]
    assert created["TableStatus"] == "CREATING"
    assert created["TableArn"] == f"arn:aws:dynamodb:us-east-1:{cli.account}:table/{name}"

    completed = cli.run("wait", "table-exists", "--table-name", name)
    assert completed.returncode == 0, completed.stderr

    item = {"customer": {"S": "ada"}, "order": {"N": "1"}, "placed": {"S": "2026-12-01"},
            "status": {"S": "OPEN"}, "total": {"N": "12.50"}}
    assert cli.json("put-item", "--table-name", name, "--item", json.dumps(item)) is None
    got = cli.json("get-item", "--table-name", name, "--consistent-read",
                   "--key", json.dumps({"customer": {"S": "ada"}, "order": {"N": "1"}}))
    assert got["Item"]["total"] == {"N": "12.5"}
    assert got["Item"]["status"] == {"S": "OPEN"}

    requests = [{"PutRequest": {"Item": {"customer": {"S": "bob"}, "order": {"N": str(n)},
                                         "placed": {"S": f"2026-12-0{n}"}}}}
                for n in range(1, 6)]
    written = cli.json("batch-write-item", "--request-items", json.dumps({name: requests}))
    assert written["UnprocessedItems"] == {}

    table = cli.json("describe-table", "--table-name", name)["Table"]
    assert table["ItemCount"] == 6
    assert table["GlobalSecondaryIndexes"][0]["ItemCount"] == 1  # sparse: only "ada" has status
    assert table["LocalSecondaryIndexes"][0]["ItemCount"] == 6

    queried = cli.json("query", "--table-name", name, "--consistent-read",
                       "--key-condition-expression", "customer = :c AND #o BETWEEN :lo AND :hi",
                       "--expression-attribute-names", json.dumps({"#o": "order"}),
                       "--expression-attribute-values",
                       json.dumps({":c": {"S": "bob"}, ":lo": {"N": "2"}, ":hi": {"N": "4"}}))
    assert [item["order"]["N"] for item in queried["Items"]] == ["2", "3", "4"]
    by_status = cli.json("query", "--table-name", name, "--index-name", "by-status",
                         "--key-condition-expression", "#s = :s",
                         "--expression-attribute-names", json.dumps({"#s": "status"}),
                         "--expression-attribute-values", json.dumps({":s": {"S": "OPEN"}}))
    assert by_status["Count"] == 1
    assert set(by_status["Items"][0]) == {"customer", "order", "status"}  # KEYS_ONLY
    by_placed = cli.json("query", "--table-name", name, "--index-name", "by-placed",
                         "--key-condition-expression", "customer = :c AND placed > :p",
                         "--expression-attribute-values",
                         json.dumps({":c": {"S": "bob"}, ":p": {"S": "2026-12-03"}}))
    assert [item["order"]["N"] for item in by_placed["Items"]] == ["4", "5"]
    # The CLI pages through Scan by itself (--page-size 2: three requests).
    scanned = cli.json("scan", "--table-name", name, "--page-size", "2")
    assert scanned["Count"] == 6
    assert scanned["ScannedCount"] == 6

    assert name in cli.json("list-tables")["TableNames"]
    assert cli.json("delete-table", "--table-name", name)["TableDescription"]["TableStatus"] == "DELETING"
    completed = cli.run("wait", "table-not-exists", "--table-name", name)
    assert completed.returncode == 0, completed.stderr


def test_cli_partiql(cli):
    """The PartiQL scenario through `aws dynamodb execute-statement` and
    `batch-execute-statement`: inserts with parameters, a duplicate refused, a key lookup, a
    partition query paged by hand with --limit/--next-token, an update with RETURNING, a
    delete, and a batch of reads."""
    name = unique_name("cli-pq")
    cli.json("create-table", "--table-name", name,
             "--attribute-definitions", "AttributeName=pk,AttributeType=S",
             "AttributeName=sk,AttributeType=N",
             "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
             "--billing-mode", "PAY_PER_REQUEST")
    completed = cli.run("wait", "table-exists", "--table-name", name)
    assert completed.returncode == 0, completed.stderr

    for sk in range(1, 5):
        out = cli.json("execute-statement", "--statement",
                       f"INSERT INTO \"{name}\" VALUE {{'pk': ?, 'sk': ?, 'n': {sk * 10}}}",
                       "--parameters", json.dumps([{"S": "p"}, {"N": str(sk)}]))
        assert out == {"Items": []}
    duplicate = cli.run("execute-statement", "--statement",
                        f"INSERT INTO \"{name}\" VALUE {{'pk': 'p', 'sk': 1}}")
    assert duplicate.returncode != 0
    assert "DuplicateItemException" in duplicate.stderr
    assert "Duplicate primary key exists in table" in duplicate.stderr

    got = cli.json("execute-statement", "--statement",
                   f"SELECT n FROM \"{name}\" WHERE pk = 'p' AND sk = 2")
    assert got["Items"] == [{"n": {"N": "20"}}]

    seen, token = [], None
    while True:
        arguments = ["execute-statement", "--statement",
                     f"SELECT sk FROM \"{name}\" WHERE pk = 'p'", "--limit", "3"]
        if token:
            arguments += ["--next-token", token]
        page = cli.json(*arguments)
        seen += [item["sk"]["N"] for item in page["Items"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == ["1", "2", "3", "4"]

    updated = cli.json("execute-statement", "--statement",
                       f"UPDATE \"{name}\" SET n = n + 1 WHERE pk = 'p' AND sk = 1 "
                       f"RETURNING ALL NEW *")
    assert updated["Items"][0]["n"] == {"N": "11"}
    failed = cli.run("execute-statement", "--statement",
                     f"UPDATE \"{name}\" SET n = 0 WHERE pk = 'p' AND sk = 1 AND n = 99",
                     "--return-values-on-condition-check-failure", "ALL_OLD")
    assert failed.returncode != 0 and "ConditionalCheckFailedException" in failed.stderr
    assert cli.json("execute-statement", "--statement",
                    f"DELETE FROM \"{name}\" WHERE pk = 'p' AND sk = 4") == {"Items": []}

    batch = cli.json("batch-execute-statement", "--statements", json.dumps([
        {"Statement": f"SELECT sk FROM \"{name}\" WHERE pk = ? AND sk = ?",
         "Parameters": [{"S": "p"}, {"N": str(sk)}]} for sk in (1, 4)]))
    assert batch["Responses"] == [{"TableName": name, "Item": {"sk": {"N": "1"}}},
                                  {"TableName": name}]
    cli.json("delete-table", "--table-name", name)
