"""Item collections of tables with a local secondary index (facts/dynamodb.md §4, §13):
ItemCollectionMetrics from the measured collection, the collection size limit
(ItemCollectionSizeLimitExceededException; AWS's 10 GB is lowered here with the test flag
--item-collection-limit-bytes), in transactions summed over the actions (reason
ItemCollectionSizeLimitExceeded), writes that shrink a collection always allowed, and local
index entries counted in the 400 KB item size (transactions too).

Self-contained (its own server, skipped under --url: the small limit is ours)."""

from __future__ import annotations

import pytest

from support import TributaryServer, skip_under_url, unique_name

from .dynamodb_support import dynamodb_client, wait_for_table

LIMIT = 1100  # bytes per item collection on this server
TOO_BIG = "Collection size exceeded"


@pytest.fixture(scope="module")
def collections_server(tmp_path_factory):
    skip_under_url("lowers the item collection limit with a server flag")
    server = TributaryServer(
        data_dir=tmp_path_factory.mktemp("collections"),
        extra_args=["--create-table-ms", "0", "--delete-table-ms", "0",
                    "--item-collection-limit-bytes", str(LIMIT)],
    ).start()
    yield server
    server.stop()


@pytest.fixture
def ddb(collections_server):
    return dynamodb_client(collections_server)


def lsi_table(client, projection: dict, *, gsi: bool = False) -> str:
    name = unique_name("collections")
    extra = {}
    definitions = [{"AttributeName": "pk", "AttributeType": "S"},
                   {"AttributeName": "sk", "AttributeType": "N"}]
    if projection is not None:
        definitions.append({"AttributeName": "l", "AttributeType": "S"})
        extra["LocalSecondaryIndexes"] = [{
            "IndexName": "by-l",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "l", "KeyType": "RANGE"}],
            "Projection": projection}]
    if gsi:
        definitions.append({"AttributeName": "g", "AttributeType": "S"})
        extra["GlobalSecondaryIndexes"] = [{
            "IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}}]
    client.create_table(TableName=name, AttributeDefinitions=definitions,
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                   {"AttributeName": "sk", "KeyType": "RANGE"}],
                        BillingMode="PAY_PER_REQUEST", **extra)
    wait_for_table(client, name)
    return name


def item(pk: str, sk: int, *, l: str | None = "L", x: int = 200) -> dict:
    out = {"pk": {"S": pk}, "sk": {"N": str(sk)}, "x": {"S": "x" * x}}
    if l is not None:
        out["l"] = {"S": l}
    return out


def error_of(call, **kwargs) -> tuple[str, str]:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as info:
        call(**kwargs)
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]


def test_collection_limit_counts_items_and_local_entries(ddb, collections_server):
    table = lsi_table(ddb, {"ProjectionType": "ALL"})
    # Each item is 2+1 + 2+2 + 1+1 + 1+200 = 210 bytes, its ALL entry as much again: 420 a
    # collection member. Two fit in 1100 bytes, a third does not.
    for sk in (1, 2):
        answer = ddb.put_item(TableName=table, Item=item("p", sk),
                              ReturnItemCollectionMetrics="SIZE")
        assert answer["ItemCollectionMetrics"] == {
            "ItemCollectionKey": {"pk": {"S": "p"}}, "SizeEstimateRangeGB": [0.0, 1.0]}
    assert error_of(ddb.put_item, TableName=table, Item=item("p", 3),
                    ReturnItemCollectionMetrics="SIZE") == (
        "ItemCollectionSizeLimitExceededException", TOO_BIG)
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "p"}, "sk": {"N": "3"}})
    # An item outside the local index counts once: 210 more bytes still fit (1050).
    ddb.put_item(TableName=table, Item=item("p", 3, l=None))
    # Growing an item (UpdateItem) or a batch write past the limit fails the same way.
    assert error_of(ddb.update_item, TableName=table, Key={"pk": {"S": "p"}, "sk": {"N": "3"}},
                    UpdateExpression="SET l = :l", ExpressionAttributeValues={":l": {"S": "L"}}) == (
        "ItemCollectionSizeLimitExceededException", TOO_BIG)
    assert error_of(ddb.batch_write_item, RequestItems={
        table: [{"PutRequest": {"Item": item("p", 4, l=None)}}]}) == (
        "ItemCollectionSizeLimitExceededException", TOO_BIG)
    # Other partition keys are other collections.
    ddb.put_item(TableName=table, Item=item("q", 1))
    # Shrinking is always allowed, and frees room.
    ddb.update_item(TableName=table, Key={"pk": {"S": "p"}, "sk": {"N": "1"}},
                    UpdateExpression="REMOVE x")
    ddb.delete_item(TableName=table, Key={"pk": {"S": "p"}, "sk": {"N": "2"}},
                    ReturnItemCollectionMetrics="SIZE")
    ddb.put_item(TableName=table, Item=item("p", 4))  # 20 + 210 + 420 = 650 bytes
    # The measured size is stored with the items: the limit holds after a restart.
    collections_server.stop()
    collections_server.restart()
    ddb = dynamodb_client(collections_server)
    assert error_of(ddb.put_item, TableName=table, Item=item("p", 5, x=300)) == (
        "ItemCollectionSizeLimitExceededException", TOO_BIG)  # 650 + 620
    ddb.delete_item(TableName=table, Key={"pk": {"S": "p"}, "sk": {"N": "3"}})
    ddb.put_item(TableName=table, Item=item("p", 5, x=300))  # 440 + 620


def cancelled(call, **kwargs) -> dict:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as info:
        call(**kwargs)
    response = info.value.response
    assert response["Error"]["Code"] == "TransactionCanceledException", response
    return response


def test_transaction_sums_a_collection_and_cancels_past_the_limit(ddb):
    # The limit in a transaction: the actions' changes of one collection are summed, and each
    # action that grew a collection past the limit is cancelled with reason
    # ItemCollectionSizeLimitExceeded (facts §13, §15).
    table = lsi_table(ddb, {"ProjectionType": "ALL"})
    ddb.put_item(TableName=table, Item=item("p", 1))  # 420 bytes of 1100

    def get(pk: str, sk: int):
        return ddb.get_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"N": str(sk)}},
                            ConsistentRead=True).get("Item")

    # Two more members of p: each would fit alone (840), together they do not (1260).
    response = cancelled(ddb.transact_write_items, TransactItems=[
        {"Put": {"TableName": table, "Item": item("p", 2)}},
        {"Put": {"TableName": table, "Item": item("q", 1)}},
        {"Put": {"TableName": table, "Item": item("p", 3)}}])
    assert response["Error"]["Message"] == (
        "Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[ItemCollectionSizeLimitExceeded, None, ItemCollectionSizeLimitExceeded]")
    assert response["CancellationReasons"] == [
        {"Code": "ItemCollectionSizeLimitExceeded", "Message": TOO_BIG},
        {"Code": "None"},
        {"Code": "ItemCollectionSizeLimitExceeded", "Message": TOO_BIG}]
    assert get("p", 2) is None and get("p", 3) is None and get("q", 1) is None

    # One of them fits, with metrics per table as for BatchWriteItem.
    out = ddb.transact_write_items(ReturnItemCollectionMetrics="SIZE", TransactItems=[
        {"Put": {"TableName": table, "Item": item("p", 2)}},
        {"Put": {"TableName": table, "Item": item("q", 1)}}])
    assert out["ItemCollectionMetrics"] == {table: [
        {"ItemCollectionKey": {"pk": {"S": "p"}}, "SizeEstimateRangeGB": [0.0, 1.0]},
        {"ItemCollectionKey": {"pk": {"S": "q"}}, "SizeEstimateRangeGB": [0.0, 1.0]}]}

    # p is nearly full: an Update moving an item into the index is cancelled, beside a
    # ConditionCheck that passes (858 + 402 > 1100); the item keeps its old value.
    ddb.put_item(TableName=table, Item=item("p", 3, l=None, x=10))  # 18 bytes: 858
    response = cancelled(ddb.transact_write_items, TransactItems=[
        {"ConditionCheck": {"TableName": table, "Key": {"pk": {"S": "p"}, "sk": {"N": "1"}},
                            "ConditionExpression": "attribute_exists(pk)"}},
        {"Update": {"TableName": table, "Key": {"pk": {"S": "p"}, "sk": {"N": "3"}},
                    "UpdateExpression": "SET l = :l, x = :x",
                    "ExpressionAttributeValues": {":l": {"S": "L"}, ":x": {"S": "x" * 200}}}}])
    assert response["CancellationReasons"] == [
        {"Code": "None"}, {"Code": "ItemCollectionSizeLimitExceeded", "Message": TOO_BIG}]
    assert "l" not in get("p", 3)

    # The same Update beside a Delete of p/1 shrinks p overall (402 - 420): allowed.
    ddb.transact_write_items(TransactItems=[
        {"Delete": {"TableName": table, "Key": {"pk": {"S": "p"}, "sk": {"N": "1"}}}},
        {"Update": {"TableName": table, "Key": {"pk": {"S": "p"}, "sk": {"N": "3"}},
                    "UpdateExpression": "SET l = :l, x = :x",
                    "ExpressionAttributeValues": {":l": {"S": "L"}, ":x": {"S": "x" * 200}}}}])
    assert get("p", 1) is None and get("p", 3)["l"] == {"S": "L"}
    # The stored size followed the transaction (840 again): one more member does not fit.
    assert error_of(ddb.put_item, TableName=table, Item=item("p", 4)) == (
        "ItemCollectionSizeLimitExceededException", TOO_BIG)


def test_projection_decides_what_the_entries_add(ddb):
    # KEYS_ONLY entries are small (pk, sk, l: 2+1 + 2+2 + 1+1 = 9 bytes): five 210-byte items
    # and their entries (5 * 219 = 1095 bytes) fit where three ALL members did not.
    table = lsi_table(ddb, {"ProjectionType": "KEYS_ONLY"})
    for sk in range(5):
        ddb.put_item(TableName=table, Item=item("p", sk))
    assert error_of(ddb.put_item, TableName=table, Item=item("p", 9)) == (
        "ItemCollectionSizeLimitExceededException", TOO_BIG)


def test_tables_without_a_local_index_have_no_collections(ddb):
    table = lsi_table(ddb, None, gsi=True)
    for sk in range(8):
        answer = ddb.put_item(TableName=table, Item={**item("p", sk, l=None), "g": {"S": "g"}},
                              ReturnItemCollectionMetrics="SIZE")
        assert "ItemCollectionMetrics" not in answer


def test_local_index_entries_count_toward_the_item_size(dynamodb):
    ddb = dynamodb  # the shared server: AWS's own collection limit
    # "For each local secondary index on a table, there is a 400 KB limit on the total of the
    # item's data in the table and its entries in all local secondary indexes" (AWS quotas).
    big = unique_name("big")
    ddb.create_table(
        TableName=big, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"},
                              {"AttributeName": "l", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        LocalSecondaryIndexes=[{
            "IndexName": "by-l", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                               {"AttributeName": "l", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}}])
    wait_for_table(ddb, big)
    half = 250 * 1024  # the item alone fits in 400 KB; the item and its ALL entry do not
    assert error_of(ddb.put_item, TableName=big, Item=item(f"{big}-a", 1, x=half)) == (
        "ValidationException", "Item size has exceeded the maximum allowed size")
    assert error_of(ddb.batch_write_item, RequestItems={
        big: [{"PutRequest": {"Item": item(f"{big}-a", 1, x=half)}}]}) == (
        "ValidationException", "Item size has exceeded the maximum allowed size")
    # Outside the index (no l), the same item is accepted; moving it into the index is not.
    ddb.put_item(TableName=big, Item=item(f"{big}-b", 1, l=None, x=half))
    assert error_of(ddb.update_item, TableName=big,
                    Key={"pk": {"S": f"{big}-b"}, "sk": {"N": "1"}},
                    UpdateExpression="SET l = :l", ExpressionAttributeValues={":l": {"S": "L"}}) == (
        "ValidationException", "Item size to update has exceeded the maximum allowed size")
    # Transactions check the same: a Put is rejected as a whole (as a Put too large by itself),
    # an Update is cancelled with ValidationError.
    assert error_of(ddb.transact_write_items, TransactItems=[
        {"Put": {"TableName": big, "Item": item(f"{big}-a", 1, x=half)}}]) == (
        "ValidationException", "Item size has exceeded the maximum allowed size")
    response = cancelled(ddb.transact_write_items, TransactItems=[
        {"Put": {"TableName": big, "Item": item(f"{big}-c", 1)}},
        {"Update": {"TableName": big, "Key": {"pk": {"S": f"{big}-b"}, "sk": {"N": "1"}},
                    "UpdateExpression": "SET l = :l",
                    "ExpressionAttributeValues": {":l": {"S": "L"}}}}])
    assert response["CancellationReasons"] == [
        {"Code": "None"},
        {"Code": "ValidationError",
         "Message": "Item size to update has exceeded the maximum allowed size"}]
    assert "Item" not in ddb.get_item(TableName=big,
                                      Key={"pk": {"S": f"{big}-c"}, "sk": {"N": "1"}})
