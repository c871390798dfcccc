"""--log-format json: one JSON object a line, request logs at debug level with their request
id, operation, status and latency (issue 14); the text format logs requests at debug too."""

from __future__ import annotations

import json

from kinesis.kinesis_support import call
from support import LISTENING_BANNER


def log_lines(server) -> list[str]:
    return [line for line in server.output_lines if LISTENING_BANNER not in line]


def test_json_logs_one_object_a_line_with_request_fields(start_server):
    server = start_server(in_memory=True, extra_args=["--log-format", "json", "--log-level", "debug"])
    ok = call(server, "ListStreams", {})
    bad = call(server, "DescribeStream", {"StreamName": 'quote"d'})
    assert ok.status == 200 and bad.status == 400
    server.stop()
    entries = [json.loads(line) for line in log_lines(server)]  # every line parses
    assert entries and all({"time", "level", "message"} <= set(e) for e in entries)
    assert all(e["time"].endswith("Z") for e in entries)
    requests = {e["request_id"]: e for e in entries if e["message"] == "request"}
    first = requests[ok.headers["x-amzn-requestid"]]
    assert first["level"] == "debug"
    assert (first["service"], first["operation"], first["status"]) == ("kinesis", "ListStreams", 200)
    assert "error" not in first and first["latency_ms"] >= 0
    second = requests[bad.headers["x-amzn-requestid"]]
    assert (second["operation"], second["status"], second["error"]) == (
        "DescribeStream", 400, "ValidationException")


def test_request_logs_only_at_debug(start_server):
    server = start_server(in_memory=True, extra_args=["--log-format", "json"])
    call(server, "ListStreams", {})
    server.stop()
    assert not [line for line in log_lines(server) if '"message":"request"' in line]


def test_text_format_logs_requests_at_debug(start_server):
    server = start_server(in_memory=True, extra_args=["--log-level", "debug"])
    response = call(server, "ListStreams", {})
    server.stop()
    request_id = response.headers["x-amzn-requestid"]
    assert any(f"request {request_id} kinesis.ListStreams 200" in line for line in log_lines(server))
