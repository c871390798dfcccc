"""Restarts: clean shutdown, kill -9 under load, pending state transitions, --in-memory.

Each test starts its own servers (start_server factory) on a data directory of its own.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest

from support import (
    TributaryServer,
    free_port,
    fresh_account,
    unique_name,
)
from .kinesis_support import (
    call,
    create_active_stream,
    kinesis_client,
    read_tags,
    stream_status,
    wait_for_status,
    wait_until_gone,
)


def snapshot(client, name):
    """Everything about a stream that must survive a restart."""
    description = client.describe_stream(StreamName=name)["StreamDescription"]
    summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    return {"description": description, "summary": summary}


def all_stream_names(client) -> list[str]:
    names, token = [], None
    for _ in range(1000):
        page = client.list_streams(NextToken=token) if token else client.list_streams()
        names += page["StreamNames"]
        if not page["HasMoreStreams"]:
            return names
        token = page["NextToken"]
    pytest.fail("ListStreams paging did not end")


def test_sigterm_exits_zero(start_server):
    server = start_server()
    client = kinesis_client(server)
    create_active_stream(client)
    assert server.stop() == 0, server.output_tail()


def test_sigterm_with_idle_keep_alive_connection_exits_zero(start_server):
    # An open client connection must not keep the process from shutting down.
    server = start_server()
    idle = socket.create_connection(("127.0.0.1", server.port))
    try:
        started = time.monotonic()
        assert server.stop() == 0, server.output_tail()
        assert time.monotonic() - started < 5
    finally:
        idle.close()


def test_restart_keeps_streams(start_server):
    server = start_server()
    account = fresh_account()
    client = kinesis_client(server, access_key=account)
    provisioned = create_active_stream(client, shard_count=3)
    on_demand = unique_name()
    client.create_stream(StreamName=on_demand, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    wait_for_status(client, on_demand, "ACTIVE")
    other_region = kinesis_client(server, access_key=account, region="eu-west-1")
    regional = create_active_stream(other_region, shard_count=2)
    before = {name: snapshot(client, name) for name in (provisioned, on_demand)}
    before_regional = snapshot(other_region, regional)
    names_before = all_stream_names(client)

    assert server.stop() == 0, server.output_tail()
    server.restart()

    client = kinesis_client(server, access_key=account)
    other_region = kinesis_client(server, access_key=account, region="eu-west-1")
    for name, expected in before.items():
        assert snapshot(client, name) == expected
    assert snapshot(other_region, regional) == before_regional
    assert all_stream_names(client) == names_before
    # And it still works for new streams, with fresh (never reused) shard numbering.
    create_active_stream(client, shard_count=1)


def test_restart_keeps_tags(start_server):
    server = start_server()
    client = kinesis_client(server)
    name = unique_name()
    client.create_stream(StreamName=name, ShardCount=1, Tags={"team": "data", "tier": "gold"})
    wait_for_status(client, name, "ACTIVE")
    assert server.stop() == 0
    server.restart()
    client = kinesis_client(server)
    assert stream_status(client, name) == "ACTIVE"
    assert read_tags(client, name) == {"team": "data", "tier": "gold"}


def test_deleted_stream_stays_deleted_after_restart(start_server):
    server = start_server()
    client = kinesis_client(server)
    name = create_active_stream(client)
    client.delete_stream(StreamName=name)
    wait_until_gone(client, name)
    assert server.stop() == 0
    server.restart()
    assert stream_status(kinesis_client(server), name) is None


def test_pending_transitions_complete_after_restart(start_server):
    # With a positive delay, streams still CREATING or DELETING at shutdown finish their
    # transition after the restart instead of staying stuck.
    server = start_server(create_stream_ms=300, delete_stream_ms=300)
    client = kinesis_client(server)
    doomed = unique_name()
    client.create_stream(StreamName=doomed, ShardCount=1)
    wait_for_status(client, doomed, "ACTIVE")
    creating = unique_name()
    client.create_stream(StreamName=creating, ShardCount=2)
    client.delete_stream(StreamName=doomed)
    assert stream_status(client, creating) == "CREATING"
    assert stream_status(client, doomed) == "DELETING"
    assert server.stop() == 0
    server.restart()
    client = kinesis_client(server)
    wait_for_status(client, creating, "ACTIVE", timeout=10)
    assert len(client.describe_stream(StreamName=creating)["StreamDescription"]["Shards"]) == 2
    wait_until_gone(client, doomed, timeout=10)


def test_acknowledged_creates_survive_kill_9(start_server):
    server = start_server()
    account = fresh_account()
    acknowledged: list[str] = []
    stop = threading.Event()
    errors: list[str] = []

    def create_continuously() -> None:
        # Bounded: at most 300 creates or 5 seconds, whichever comes first.
        deadline = time.monotonic() + 5
        for index in range(300):
            if stop.is_set() or time.monotonic() > deadline:
                return
            name = f"crash-{index:04d}"
            try:
                response = call(
                    server,
                    "CreateStream",
                    {"StreamName": name, "ShardCount": 1},
                    access_key=account,
                )
            except (OSError, http.client.HTTPException):
                return  # the server died mid-request: not acknowledged
            if response.status == 200:
                acknowledged.append(name)
            else:
                errors.append(response.describe())
                return

    writer = threading.Thread(target=create_continuously, daemon=True)
    writer.start()
    # Let some creates through, then pull the plug in the middle of the stream of writes.
    deadline = time.monotonic() + 5
    while len(acknowledged) < 25 and writer.is_alive() and time.monotonic() < deadline:
        time.sleep(0.005)
    server.kill()
    stop.set()
    writer.join(timeout=10)
    assert not writer.is_alive()
    assert not errors, errors
    assert acknowledged, "no CreateStream was acknowledged before the kill"

    server.restart()
    client = kinesis_client(server, access_key=account)
    surviving = set(all_stream_names(client))
    missing = [name for name in acknowledged if name not in surviving]
    assert not missing, f"{len(missing)} acknowledged streams lost after kill -9: {missing[:10]}"
    for name in acknowledged[:5] + acknowledged[-5:]:
        assert stream_status(client, name) == "ACTIVE"
    # Anything beyond the acknowledged ones can only be the single create in flight.
    assert len(surviving - set(acknowledged)) <= 1


def test_kill_9_then_restart_serves_requests(start_server):
    server = start_server()
    client = kinesis_client(server)
    name = create_active_stream(client, shard_count=2)
    server.kill()
    server.restart()
    client = kinesis_client(server)
    assert stream_status(client, name) == "ACTIVE"
    assert len(client.list_shards(StreamName=name)["Shards"]) == 2


def test_in_memory_server_starts_empty_after_restart(start_server):
    server = start_server(in_memory=True)
    client = kinesis_client(server)
    name = create_active_stream(client)
    assert name in all_stream_names(client)
    assert server.stop() == 0
    server.restart()
    client = kinesis_client(server)
    assert all_stream_names(client) == []
    assert stream_status(client, name) is None


def test_in_memory_server_works(memory_server):
    client = kinesis_client(memory_server, access_key=fresh_account())
    name = create_active_stream(client, shard_count=2)
    assert client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"][
        "OpenShardCount"
    ] == 2
    client.delete_stream(StreamName=name)
    wait_until_gone(client, name)


def test_second_process_on_the_same_data_directory_refuses_to_start(start_server, tmp_path):
    first = start_server(data_dir=tmp_path / "shared")
    second = TributaryServer(data_dir=tmp_path / "shared")
    failure = second._try_start(free_port())
    try:
        assert failure, "a second process opened a data directory that is in use"
        assert "exited with code" in failure, failure  # refused, rather than hung
        assert second.exit_code not in (None, 0), failure
    finally:
        second.stop()
    # The first one is unaffected.
    create_active_stream(kinesis_client(first))


# ---------------------------------------------------------------------------------------
# Configuration from the environment
# ---------------------------------------------------------------------------------------


def shard_limit_of(server, account) -> str:
    """Asks for far too many shards and returns the 'Limit: N' the error reports."""
    response = call(
        server,
        "CreateStream",
        {"StreamName": unique_name(), "ShardCount": 100000},
        access_key=account,
    )
    assert response.error_type == "LimitExceededException", response.describe()
    return response.message.split("Limit: ")[1].split(".")[0]


def test_environment_variables_configure_the_server(start_server):
    server = start_server(extra_env={"TRIBUTARY_SHARD_LIMIT": "7"})
    assert shard_limit_of(server, fresh_account()) == "7"


def test_flags_win_over_environment_variables(start_server):
    server = start_server(
        extra_env={"TRIBUTARY_SHARD_LIMIT": "7"}, extra_args=["--shard-limit", "9"]
    )
    assert shard_limit_of(server, fresh_account()) == "9"
