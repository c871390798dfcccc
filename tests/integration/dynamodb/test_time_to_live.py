"""Time to Live: UpdateTimeToLive / DescribeTimeToLive (statuses, AWS's rules and texts, the
one-change window) and the background job that deletes expired items, all driven by the
server's test clock (POST /_tributary/clock) instead of sleeping.

AWS's texts: facts/dynamodb.md §17 and the ack-api-quirks catalogue (DDB-TABLE-143..147,
recorded 2026-10-09). The expiry rule (a Number of epoch seconds in the past, not more than
five years in the past; other types ignored): AWS's TTL guide.

Every test here needs a server of its own, so all skip under --url.
"""

from __future__ import annotations

import time

import botocore.exceptions
import pytest

from support import advance_test_clock, error_code, error_message, poll_until, unique_name, \
    shared_server_fixture

from .dynamodb_support import dynamodb_client, hash_table_arguments, indexed_table_arguments

UPDATE_TTL_MS = 60_000        # ENABLING / DISABLING
CHANGE_WINDOW_MS = 600_000    # one change per window
FIVE_YEARS_S = 5 * 365 * 24 * 3600

ttl_server = shared_server_fixture(
    "A --test-clock server whose TTL changes stay ENABLING/DISABLING for a minute of its clock, "
    "refuses a second change within 10 minutes, and sweeps each table every second.",
    [
        "--test-clock", "--create-table-ms", "0", "--delete-table-ms", "0",
        "--update-ttl-ms", str(UPDATE_TTL_MS),
        "--ttl-change-window-ms", str(CHANGE_WINDOW_MS),
        "--ttl-sweep-interval-ms", "1000",
    ],
    in_memory=True,
)


def now_s(server) -> float:
    return advance_test_clock(server)["now_ms"] / 1000


def ttl_description(client, name: str) -> dict:
    return client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]


def update_ttl(client, name: str, enabled: bool, attribute: str = "expires") -> dict:
    return client.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": enabled, "AttributeName": attribute}
    )


def refused(call) -> tuple[str, str]:
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call()
    return error_code(caught.value), error_message(caught.value)


def enable_and_settle(server, client, name: str, attribute: str = "expires"):
    update_ttl(client, name, True, attribute)
    advance_test_clock(server, UPDATE_TTL_MS)
    assert ttl_description(client, name) == {"TimeToLiveStatus": "ENABLED",
                                             "AttributeName": attribute}


def test_statuses_rules_and_texts(ttl_server):
    client = dynamodb_client(ttl_server)
    name = unique_name("ttl")
    client.create_table(**hash_table_arguments(name))
    assert ttl_description(client, name) == {"TimeToLiveStatus": "DISABLED"}
    assert refused(lambda: update_ttl(client, name, False)) == (
        "ValidationException", "TimeToLive is already disabled")

    answer = update_ttl(client, name, True)
    assert answer["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expires"}
    assert ttl_description(client, name) == {"TimeToLiveStatus": "ENABLING",
                                             "AttributeName": "expires"}
    # Content checks come before the one-change window (ack-api-quirks DDB-TABLE-147).
    assert refused(lambda: update_ttl(client, name, True)) == (
        "ValidationException", "TimeToLive is already enabled")
    different = ("ValidationException",
                 "TimeToLive is active on a different AttributeName: current AttributeName is "
                 "expires")
    assert refused(lambda: update_ttl(client, name, True, "other")) == different
    assert refused(lambda: update_ttl(client, name, False, "other")) == different
    window = ("ValidationException",
              "Time to live has been modified multiple times within a fixed interval")
    assert refused(lambda: update_ttl(client, name, False)) == window

    advance_test_clock(ttl_server, UPDATE_TTL_MS)
    assert ttl_description(client, name) == {"TimeToLiveStatus": "ENABLED",
                                             "AttributeName": "expires"}
    assert refused(lambda: update_ttl(client, name, False)) == window  # settled, still refused

    advance_test_clock(ttl_server, CHANGE_WINDOW_MS)
    update_ttl(client, name, False)
    assert ttl_description(client, name) == {"TimeToLiveStatus": "DISABLING",
                                             "AttributeName": "expires"}
    assert refused(lambda: update_ttl(client, name, True)) == window  # a disable opens one too
    advance_test_clock(ttl_server, UPDATE_TTL_MS)
    assert ttl_description(client, name) == {"TimeToLiveStatus": "DISABLED"}
    assert refused(lambda: update_ttl(client, name, False)) == (
        "ValidationException", "TimeToLive is already disabled")

    # The setting survives in the table document: the table ARN names the same table.
    advance_test_clock(ttl_server, CHANGE_WINDOW_MS)
    arn = client.describe_table(TableName=name)["Table"]["TableArn"]
    update_ttl(client, arn, True, "pk")  # TTL on the key attribute is accepted (DDB-TABLE-146)
    assert ttl_description(client, arn)["AttributeName"] == "pk"


def test_missing_table(ttl_server):
    client = dynamodb_client(ttl_server)
    name = unique_name("nottl")
    expected = ("ResourceNotFoundException",
                f"Requested resource not found: Table: {name} not found")
    assert refused(lambda: client.describe_time_to_live(TableName=name)) == expected
    assert refused(lambda: update_ttl(client, name, True)) == expected


def test_missing_members_are_validation_errors(ttl_server):
    client = dynamodb_client(ttl_server, validate=False)
    name = unique_name("ttlv")
    client.create_table(**hash_table_arguments(name))
    # The model's checks, in the pipeline's current wording (facts/dynamodb.md §20).
    assert refused(lambda: client.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True})) == (
        "ValidationException",
        "1 validation error detected: Value at 'TimeToLiveSpecification.AttributeName' failed "
        "to satisfy constraint: Member must not be null")
    assert refused(lambda: client.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"AttributeName": "expires"})) == (
        "ValidationException",
        "1 validation error detected: Value at 'TimeToLiveSpecification.Enabled' failed "
        "to satisfy constraint: Member must not be null")


def put(client, name: str, sk: int, expires: dict | None, **extra):
    item = {"pk": {"S": "p"}, "sk": {"N": str(sk)}, "g": {"S": "G"}, "l": {"S": f"l{sk}"}}
    if expires is not None:
        item["expires"] = expires
    item.update(extra)
    client.put_item(TableName=name, Item=item)


def present(client, name: str, sk: int) -> bool:
    key = {"pk": {"S": "p"}, "sk": {"N": str(sk)}}
    return "Item" in client.get_item(TableName=name, Key=key)


def counts(client, name: str) -> tuple[int, int]:
    table = client.describe_table(TableName=name)["Table"]
    return table["ItemCount"], table["GlobalSecondaryIndexes"][0]["ItemCount"]


def index_keys(client, name: str, index: str, condition: str, values: dict) -> list[int]:
    items = client.query(TableName=name, IndexName=index, KeyConditionExpression=condition,
                         ExpressionAttributeValues=values)["Items"]
    return sorted(int(i["sk"]["N"]) for i in items)


def test_expired_items_are_deleted_with_their_index_entries(ttl_server):
    client = dynamodb_client(ttl_server)
    name = unique_name("ttlx")
    client.create_table(**indexed_table_arguments(name))
    now = now_s(ttl_server)
    put(client, name, 1, {"N": str(int(now) - 100)})                 # expired
    put(client, name, 2, {"N": f"{now - 50:.3f}"})                  # expired, with a fraction
    put(client, name, 3, {"N": str(int(now) + 3600)})                # expires in an hour
    put(client, name, 4, {"S": str(int(now) - 100)})                 # a string: never
    put(client, name, 5, {"N": str(int(now) - FIVE_YEARS_S - 100)})  # over 5 years ago: never
    put(client, name, 6, None)                                       # no attribute
    put(client, name, 7, {"NS": [str(int(now) - 100)]})              # a number set: never
    put(client, name, 8, None, other={"N": str(int(now) - 100)})     # another attribute
    assert counts(client, name) == (8, 8)

    # TTL disabled: nothing is deleted, expired items are read back as any other.
    advance_test_clock(ttl_server, 5_000)
    time.sleep(0.5)
    assert all(present(client, name, sk) for sk in range(1, 9))

    update_ttl(client, name, True)
    # ENABLING: not yet (the job deletes once ENABLED).
    time.sleep(0.5)
    assert present(client, name, 1)
    advance_test_clock(ttl_server, UPDATE_TTL_MS)
    poll_until(lambda: not present(client, name, 1) and not present(client, name, 2),
               timeout=10, what="the expired items to be deleted")
    assert [sk for sk in range(1, 9) if present(client, name, sk)] == [3, 4, 5, 6, 7, 8]
    assert counts(client, name) == (6, 6)
    assert index_keys(client, name, "gsi1", "g = :g", {":g": {"S": "G"}}) == [3, 4, 5, 6, 7, 8]
    assert index_keys(client, name, "lsi1", "pk = :p", {":p": {"S": "p"}}) == [3, 4, 5, 6, 7, 8]

    # Time passes: the item that expires in an hour goes too; the others stay.
    advance_test_clock(ttl_server, 3_601_000)
    poll_until(lambda: not present(client, name, 3), timeout=10, what="item 3 to expire")
    assert [sk for sk in range(1, 9) if present(client, name, sk)] == [4, 5, 6, 7, 8]
    assert counts(client, name) == (5, 5)


def test_an_item_given_a_later_expiry_stays(ttl_server):
    client = dynamodb_client(ttl_server)
    name = unique_name("ttlu")
    client.create_table(**indexed_table_arguments(name))
    enable_and_settle(ttl_server, client, name)
    now = now_s(ttl_server)
    put(client, name, 1, {"N": str(int(now) + 30)})
    client.update_item(TableName=name, Key={"pk": {"S": "p"}, "sk": {"N": "1"}},
                       UpdateExpression="SET expires = :e",
                       ExpressionAttributeValues={":e": {"N": str(int(now) + 7200)}})
    advance_test_clock(ttl_server, 60_000)
    time.sleep(1.0)  # several sweeps
    assert present(client, name, 1)


def test_disabled_ttl_deletes_nothing(ttl_server):
    client = dynamodb_client(ttl_server)
    name = unique_name("ttld")
    client.create_table(**indexed_table_arguments(name))
    advance_test_clock(ttl_server, CHANGE_WINDOW_MS)
    enable_and_settle(ttl_server, client, name)
    advance_test_clock(ttl_server, CHANGE_WINDOW_MS)
    update_ttl(client, name, False)
    advance_test_clock(ttl_server, UPDATE_TTL_MS)
    now = now_s(ttl_server)
    for sk in range(1, 4):
        put(client, name, sk, {"N": str(int(now) - 10)})
    advance_test_clock(ttl_server, 10_000)
    time.sleep(1.0)
    assert all(present(client, name, sk) for sk in range(1, 4))
    assert counts(client, name) == (3, 3)


def test_many_expired_items_are_deleted_across_ticks(start_server):
    # 2,500 expired items with 200 examined per tick: the job works through the table over
    # several ticks (a cursor per table), never in one.
    server = start_server(in_memory=True, extra_args=[
        "--test-clock", "--create-table-ms", "0", "--ttl-items-per-tick", "200",
        "--ttl-sweep-interval-ms", "100"])
    client = dynamodb_client(server)
    name = unique_name("ttlm")
    client.create_table(**hash_table_arguments(name))
    update_ttl(client, name, True)
    now = now_s(server)
    for start in range(0, 2500, 25):
        client.batch_write_item(RequestItems={name: [
            {"PutRequest": {"Item": {"pk": {"S": f"k{i}"},
                                     "expires": {"N": str(int(now) + 60)}}}}
            for i in range(start, start + 25)]})
    # Items that are not expired yet are examined and kept.
    time.sleep(0.5)
    assert client.describe_table(TableName=name)["Table"]["ItemCount"] == 2500
    advance_test_clock(server, 61_000)
    seen: list[int] = []

    def item_count() -> int:
        seen.append(client.describe_table(TableName=name)["Table"]["ItemCount"])
        return seen[-1]

    poll_until(lambda: item_count() == 0, timeout=30, what="every expired item to be deleted")
    assert any(0 < count < 2500 for count in seen), seen  # deleted over several ticks
    assert client.scan(TableName=name)["Count"] == 0
