"""A crash under load with a stream enabled: after SIGKILL and a restart, every acknowledged
item write has exactly one stream record, and there is none for a write that did not happen
(the record commits in the item's own storage batch)."""

from __future__ import annotations

import functools
import random
import threading
import time

from support import kill_during_writes

from dynamodb.dynamodb_support import dynamodb_client, hash_table_arguments, wait_for_table

from .streams_support import read_stream, streams_client


def test_acknowledged_writes_have_exactly_one_record_after_sigkill(start_server):
    server = start_server(extra_args=["--create-table-ms", "0", "--delete-table-ms", "0"])
    ddb = dynamodb_client(server)
    arguments = hash_table_arguments("crash")
    arguments["StreamSpecification"] = {"StreamEnabled": True,
                                        "StreamViewType": "NEW_AND_OLD_IMAGES"}
    arn = ddb.create_table(**arguments)["TableDescription"]["LatestStreamArn"]
    wait_for_table(ddb, "crash")
    acknowledged = {f"w{i}": 0 for i in range(4)}

    # Clients made here, one a writer: making four boto3 clients inside the threads took longer
    # than the whole write phase on a loaded machine, so a key could end with no acknowledgement.
    clients = {key: dynamodb_client(server) for key in acknowledged}

    def writer(key: str, stop: threading.Event) -> None:
        client = clients[key]
        while not stop.is_set():
            try:
                client.update_item(TableName="crash", Key={"pk": {"S": key}},
                                   UpdateExpression="ADD n :one",
                                   ExpressionAttributeValues={":one": {"N": "1"}})
            except Exception:  # the server is gone
                return
            acknowledged[key] += 1

    # Killed once every writer has been acknowledged at least once, a random moment later.
    seed = time.time_ns()
    kill_during_writes(server, [functools.partial(writer, key) for key in acknowledged],
                       writing=lambda: min(acknowledged.values()) > 0, kill_after=(0.2, 1.0),
                       rng=random.Random(seed), context=f"seed {seed}")

    ddb = dynamodb_client(server)
    records = read_stream(streams_client(server), arn)
    for key, acked in acknowledged.items():
        assert acked > 0
        item = ddb.get_item(TableName="crash", Key={"pk": {"S": key}})["Item"]
        stored = int(item["n"]["N"])
        # The write in flight at the kill may or may not have committed.
        assert stored in (acked, acked + 1)
        mine = [r for r in records if r["dynamodb"]["Keys"]["pk"]["S"] == key]
        assert [int(r["dynamodb"]["NewImage"]["n"]["N"]) for r in mine] == list(
            range(1, stored + 1))
        assert [r["eventName"] for r in mine] == ["INSERT"] + ["MODIFY"] * (stored - 1)
