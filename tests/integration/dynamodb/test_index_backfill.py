"""UpdateTable's GlobalSecondaryIndexUpdates on a table that already has items: a created
index gets the entries of the existing items (sparse: only items with the index key), a
deleted index loses them. Seen through the index's ItemCount and IndexSizeBytes, which
Tributary keeps current."""

from __future__ import annotations

from support import unique_name

from .dynamodb_support import wait_for_table


def index_description(dynamodb, table: str, index: str):
    for candidate in dynamodb.describe_table(TableName=table)["Table"].get(
        "GlobalSecondaryIndexes", []
    ):
        if candidate["IndexName"] == index:
            return candidate
    return None


def test_created_index_is_backfilled_and_a_deleted_one_emptied(dynamodb, make_table):
    name = unique_name("backfill")
    make_table(name)
    for n in range(30):
        item = {"pk": {"S": f"item-{n}"}, "payload": {"S": "x" * n}}
        if n % 3 == 0:
            item["colour"] = {"S": "red" if n % 2 else "blue"}
        dynamodb.put_item(TableName=name, Item=item)

    dynamodb.update_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "colour", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    "IndexName": "by-colour",
                    "KeySchema": [{"AttributeName": "colour", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                }
            }
        ],
    )
    wait_for_table(dynamodb, name)
    index = index_description(dynamodb, name, "by-colour")
    assert index is not None
    # Items 0, 3, ..., 27 carry the index key: 10 of them.
    assert index["ItemCount"] == 10
    assert index["IndexSizeBytes"] > 0

    # Writes after the backfill keep the index current.
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "late"}, "colour": {"S": "green"}})
    dynamodb.delete_item(TableName=name, Key={"pk": {"S": "item-0"}})
    assert index_description(dynamodb, name, "by-colour")["ItemCount"] == 10

    dynamodb.update_table(
        TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-colour"}}]
    )
    wait_for_table(dynamodb, name)
    gone = index_description(dynamodb, name, "by-colour")
    assert gone is None or gone["IndexStatus"] == "DELETING"
    # The table's own count is untouched.
    assert dynamodb.describe_table(TableName=name)["Table"]["ItemCount"] == 30
