"""Every kind of item write reaches the Kinesis streaming destination (issue 13; DESIGN.md
"Change capture"): TransactWriteItems, BatchWriteItem, PartiQL (ExecuteStatement,
BatchExecuteStatement, ExecuteTransaction) and Time to Live deletes, the last with the service's
userIdentity. A table with both a DynamoDB stream and a destination feeds both, with the same
changes."""

from __future__ import annotations

from support import advance_test_clock, poll_until, shared_server_fixture

from dynamodb_streams.streams_support import read_stream, streams_client
from kinesis.kinesis_support import kinesis_client

from .dynamodb_support import dynamodb_client
from .kinesis_destination_support import destination, wait_for_records

writes_server = shared_server_fixture(
    "A --test-clock server whose destinations are ACTIVE at once and whose TTL job sweeps "
    "every 100 ms.",
    ["--test-clock", "--create-table-ms", "0", "--delete-table-ms", "0",
     "--kinesis-destination-ms", "0", "--ttl-sweep-interval-ms", "100"],
    in_memory=True,
)


def key(pk: str, sk: int = 1) -> dict:
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def by_item(records: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for record in records:
        out.setdefault(record["json"]["dynamodb"]["Keys"]["pk"]["S"], []).append(
            record["json"]["eventName"])
    return out


def test_transact_write_items_over_two_tables(writes_server):
    dynamodb, kinesis = dynamodb_client(writes_server), kinesis_client(writes_server)
    first, first_stream = destination(writes_server, shards=2)
    second, second_stream = destination(writes_server, shards=2)
    dynamodb.put_item(TableName=first, Item={**key("old"), "v": {"N": "1"}})
    dynamodb.put_item(TableName=second, Item={**key("gone")})
    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": first, "Item": {**key("new"), "v": {"N": "1"}}}},
        {"Update": {"TableName": first, "Key": key("old"), "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": {"N": "2"}}}},
        {"Delete": {"TableName": second, "Key": key("gone")}},
        {"Put": {"TableName": second, "Item": {**key("other")}}},
    ])
    # A cancelled transaction writes nothing, so it sends nothing.
    try:
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": first, "Item": {**key("never")}}},
            {"ConditionCheck": {"TableName": second, "Key": key("missing"),
                                "ConditionExpression": "attribute_exists(pk)"}},
        ])
        raise AssertionError("the transaction should have been cancelled")
    except dynamodb.exceptions.TransactionCanceledException:
        pass
    assert by_item(wait_for_records(kinesis, first_stream, 3)) == {
        "old": ["INSERT", "MODIFY"], "new": ["INSERT"]}
    assert by_item(wait_for_records(kinesis, second_stream, 3)) == {
        "gone": ["INSERT", "REMOVE"], "other": ["INSERT"]}


def test_batch_write_item_over_two_tables(writes_server):
    dynamodb, kinesis = dynamodb_client(writes_server), kinesis_client(writes_server)
    first, first_stream = destination(writes_server, shards=2)
    second, second_stream = destination(writes_server, shards=2)
    dynamodb.batch_write_item(RequestItems={
        first: [{"PutRequest": {"Item": {**key(f"k{i}")}}} for i in range(20)],
        second: [{"PutRequest": {"Item": {**key(f"k{i}")}}} for i in range(5)],
    })
    dynamodb.batch_write_item(RequestItems={
        first: [{"DeleteRequest": {"Key": key(f"k{i}")}} for i in range(3)],
        second: [{"DeleteRequest": {"Key": key("absent")}}],  # nothing to delete: no record
    })
    first_records = by_item(wait_for_records(kinesis, first_stream, 23))
    assert len(first_records) == 20
    assert [first_records[f"k{i}"] for i in range(4)] == [["INSERT", "REMOVE"]] * 3 + [["INSERT"]]
    assert by_item(wait_for_records(kinesis, second_stream, 5)) == {
        f"k{i}": ["INSERT"] for i in range(5)}


def test_partiql_writes(writes_server):
    dynamodb, kinesis = dynamodb_client(writes_server), kinesis_client(writes_server)
    table, stream = destination(writes_server, shards=1)
    dynamodb.execute_statement(Statement=f"INSERT INTO \"{table}\" VALUE {{'pk': 'a', 'sk': 1}}")
    dynamodb.execute_statement(
        Statement=f"UPDATE \"{table}\" SET v = 5 WHERE pk = 'a' AND sk = 1")
    dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'b', 'sk': 1}}"},
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'c', 'sk': 1}}"},
    ])
    dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'a' AND sk = 1"},
        {"Statement": f"UPDATE \"{table}\" SET w = 'x' WHERE pk = 'b' AND sk = 1"},
    ])
    records = wait_for_records(kinesis, stream, 6)
    assert by_item(records) == {"a": ["INSERT", "MODIFY", "REMOVE"], "b": ["INSERT", "MODIFY"],
                                "c": ["INSERT"]}
    modify_a = [r for r in records if r["json"]["eventName"] == "MODIFY"
                and r["json"]["dynamodb"]["Keys"]["pk"]["S"] == "a"][0]["json"]["dynamodb"]
    assert modify_a["NewImage"]["v"] == {"N": "5"} and "v" not in modify_a["OldImage"]
    assert all(r["json"]["userIdentity"] is None for r in records)


def test_a_time_to_live_delete_carries_the_service_identity(writes_server):
    dynamodb, kinesis = dynamodb_client(writes_server), kinesis_client(writes_server)
    table, stream = destination(writes_server, shards=1)
    dynamodb.update_time_to_live(TableName=table, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "exp"})
    now_s = advance_test_clock(writes_server)["now_ms"] // 1000
    expired = {**key("old"), "exp": {"N": str(now_s - 10)}}
    dynamodb.put_item(TableName=table, Item=expired)
    dynamodb.put_item(TableName=table, Item={**key("mine"), "exp": {"N": str(now_s + 3600)}})
    dynamodb.delete_item(TableName=table, Key=key("mine"))
    records = wait_for_records(kinesis, stream, 4, timeout=30)
    removes = {r["json"]["dynamodb"]["Keys"]["pk"]["S"]: r for r in records
               if r["json"]["eventName"] == "REMOVE"}
    assert set(removes) == {"old", "mine"}
    ttl = removes["old"]
    # The member order, with the service identity in userIdentity's place.
    assert list(ttl["json"]) == ["awsRegion", "eventID", "eventName", "userIdentity",
                                 "recordFormat", "tableName", "dynamodb", "eventSource"]
    assert ttl["json"]["userIdentity"] == {"Type": "Service",
                                           "PrincipalId": "dynamodb.amazonaws.com"}
    assert b'"userIdentity":{"Type":"Service","PrincipalId":"dynamodb.amazonaws.com"}' in bytes(
        ttl["Data"])
    assert ttl["json"]["dynamodb"]["OldImage"] == expired
    assert "NewImage" not in ttl["json"]["dynamodb"]
    assert removes["mine"]["json"]["userIdentity"] is None


def test_a_table_with_a_stream_and_a_destination_feeds_both(writes_server):
    dynamodb, kinesis = dynamodb_client(writes_server), kinesis_client(writes_server)
    streams = streams_client(writes_server)
    table, stream = destination(writes_server, shards=2, StreamSpecification={
        "StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    stream_arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    dynamodb.put_item(TableName=table, Item={**key("a"), "v": {"N": "1"}})
    dynamodb.update_item(TableName=table, Key=key("a"), UpdateExpression="SET v = :v",
                         ExpressionAttributeValues={":v": {"N": "2"}})
    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {**key("b")}}},
        {"Delete": {"TableName": table, "Key": key("a")}},
    ])
    dynamodb.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": {**key("c")}}}]})
    destination_records = wait_for_records(kinesis, stream, 5)

    def stream_records():
        return read_stream(streams, stream_arn)

    poll_until(lambda: len(stream_records()) == 5, timeout=15)
    from_stream = {}
    for record in stream_records():
        from_stream.setdefault(record["dynamodb"]["Keys"]["pk"]["S"], []).append(
            (record["eventName"], record["dynamodb"].get("NewImage"),
             record["dynamodb"].get("OldImage")))
    from_destination = {}
    for record in destination_records:
        change = record["json"]["dynamodb"]
        from_destination.setdefault(change["Keys"]["pk"]["S"], []).append(
            (record["json"]["eventName"], change.get("NewImage"), change.get("OldImage")))
    assert from_stream == from_destination
    assert from_stream["a"][0][0] == "INSERT" and [e for e, _, _ in from_stream["a"]] == [
        "INSERT", "MODIFY", "REMOVE"]
