"""The AWS SDK for JavaScript v3 (Kinesis client, NodeHttp2Handler) against the real binary, over
h2c (http:// with HTTP/2 prior knowledge) and over TLS (https://, ALPN h2, the server's own
self-signed certificate trusted through NODE_EXTRA_CA_CERTS).

tests/js/scenario.mjs does the SDK calls and checks their answers (data byte for byte); this file
starts a server, runs the scenario through a recording TCP proxy and checks, from the bytes on the
wire, that every connection the SDK opened really spoke HTTP/2: the h2c preface in clear text, or
a TLS ClientHello offering only ALPN "h2" (and the scenario reports the negotiated protocol).

Needs node (>= 18) and the packages of tests/js (scripts/install-deps.sh --test --npm, which
`make test` runs): without them these tests FAIL, they do not skip.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import threading
from typing import Iterator, Optional

import pytest

from support import (
    REPO_ROOT,
    TributaryServer,
    skip_under_url,
)

JS_DIR = REPO_ROOT / "tests" / "js"
SCENARIO = JS_DIR / "scenario.mjs"
REQUIRED_PACKAGES = ("@aws-sdk/client-kinesis", "@smithy/node-http-handler")
MINIMUM_NODE_MAJOR = 18
SCENARIO_TIMEOUT_SECONDS = 45
HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
INSTALL_HINT = "run `scripts/install-deps.sh --test --npm` (or `make test-deps`)"


# --------------------------------------------------------------------------------------------
# A TCP proxy that forwards bytes unchanged and keeps the first bytes each client sent.
# --------------------------------------------------------------------------------------------


class RecordingProxy:
    HEAD_BYTES = 16384

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.heads: list[bytearray] = []
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self._acceptor.start()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            head = bytearray()
            with self._lock:
                self.heads.append(head)
                self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, head), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, None), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, head: Optional[bytearray]) -> None:
        try:
            while True:
                chunk = source.recv(65536)
                if not chunk:
                    break
                if head is not None and len(head) < self.HEAD_BYTES:
                    with self._lock:
                        head += chunk[: self.HEAD_BYTES - len(head)]
                sink.sendall(chunk)
        except OSError:
            pass
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def connection_heads(self) -> list[bytes]:
        with self._lock:
            return [bytes(head) for head in self.heads]

    def close(self) -> None:
        self._stopping.set()
        self.listener.close()
        self._acceptor.join(timeout=2)
        with self._lock:
            for connection in self._sockets:
                try:
                    connection.close()
                except OSError:
                    pass


def offered_alpn_protocols(head: bytes) -> Optional[list[str]]:
    """The ALPN protocols of the TLS ClientHello at the start of `head`; None when `head` does
    not start with a ClientHello or it carries no ALPN extension."""
    if len(head) < 9 or head[0] != 0x16 or head[5] != 0x01:
        return None
    record_length = int.from_bytes(head[3:5], "big")
    hello = head[9 : 5 + record_length]
    offset = 2 + 32  # client version, random
    offset += 1 + hello[offset]  # session id
    offset += 2 + int.from_bytes(hello[offset : offset + 2], "big")  # cipher suites
    offset += 1 + hello[offset]  # compression methods
    extensions_end = offset + 2 + int.from_bytes(hello[offset : offset + 2], "big")
    offset += 2
    while offset + 4 <= min(extensions_end, len(hello)):
        extension_type = int.from_bytes(hello[offset : offset + 2], "big")
        extension_length = int.from_bytes(hello[offset + 2 : offset + 4], "big")
        data = hello[offset + 4 : offset + 4 + extension_length]
        offset += 4 + extension_length
        if extension_type != 0x0010:  # application_layer_protocol_negotiation
            continue
        protocols, position = [], 2
        while position < len(data):
            length = data[position]
            protocols.append(data[position + 1 : position + 1 + length].decode("ascii"))
            position += 1 + length
        return protocols
    return None


# --------------------------------------------------------------------------------------------
# Fixtures: node + packages (fail when missing), a server of this module's own.
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def node_binary() -> str:
    skip_under_url("the scenario runs against a server of this module's own (TCP proxy, TLS)")
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail(f"node is not installed; {INSTALL_HINT}", pytrace=False)
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=10)
    major = int(version.stdout.strip().lstrip("v").split(".")[0] or 0)
    if major < MINIMUM_NODE_MAJOR:
        pytest.fail(f"node {version.stdout.strip()} is older than {MINIMUM_NODE_MAJOR}", pytrace=False)
    for package in REQUIRED_PACKAGES:
        manifest = JS_DIR / "node_modules" / package / "package.json"
        if not manifest.is_file():
            pytest.fail(f"{package} is not installed in {JS_DIR}/node_modules; {INSTALL_HINT}",
                        pytrace=False)
    return node


@pytest.fixture(scope="module")
def js_server() -> Iterator[TributaryServer]:
    """A server with short (non-zero) state delays, so the scenario's waits really wait."""
    directory = pathlib.Path(tempfile.mkdtemp(prefix="tributary-js-"))
    instance = TributaryServer(
        data_dir=directory / "data", create_stream_ms=300, delete_stream_ms=300
    ).start()
    yield instance
    instance.stop()
    shutil.rmtree(directory, ignore_errors=True)


def scenario_environment(certificate: Optional[pathlib.Path]) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_")
        and key not in ("NODE_TLS_REJECT_UNAUTHORIZED", "NODE_EXTRA_CA_CERTS", "NODE_OPTIONS")
    }
    if certificate is not None:
        environment["NODE_EXTRA_CA_CERTS"] = str(certificate)
    return environment


def run_scenario(node: str, server: TributaryServer, mode: str, transport: str, *,
                 trust_certificate: bool = True) -> tuple[subprocess.CompletedProcess, list[bytes]]:
    """Runs scenario.mjs through a RecordingProxy; returns the process and the connection heads."""
    proxy = RecordingProxy(server.port)
    try:
        scheme = "https" if transport == "tls" else "http"
        certificate = pathlib.Path(server.data_dir) / "tls" / "cert.pem"
        if transport == "tls":
            assert certificate.is_file(), f"the server wrote no certificate at {certificate}"
        completed = subprocess.run(
            [node, str(SCENARIO), f"{scheme}://127.0.0.1:{proxy.port}", mode],
            cwd=JS_DIR,
            env=scenario_environment(certificate if transport == "tls" and trust_certificate else None),
            capture_output=True,
            text=True,
            timeout=SCENARIO_TIMEOUT_SECONDS,
            stdin=subprocess.DEVNULL,
        )
        return completed, proxy.connection_heads()
    finally:
        proxy.close()


def assert_scenario_passed_over_http2(
    node: str, server: TributaryServer, mode: str, transport: str
) -> None:
    completed, heads = run_scenario(node, server, mode, transport)
    if completed.returncode != 0:
        pytest.fail(
            f"JS SDK scenario '{mode}' over {transport} exited {completed.returncode}\n"
            f"stderr:\n{completed.stderr}\nstdout:\n{completed.stdout}\n"
            f"server output:\n{server.output_tail()}",
            pytrace=False,
        )
    summary = json.loads(completed.stdout.strip().splitlines()[-1])
    assert summary["ok"] is True and summary["mode"] == mode
    sessions = summary["http2_sessions"]
    # The SDK's own view: every request went out as a stream of an HTTP/2 session.
    expected_alpn = "h2" if transport == "tls" else "h2c"
    assert sessions, summary
    assert {session["alpnProtocol"] for session in sessions} == {expected_alpn}, sessions
    assert sum(session["streams"] for session in sessions) == summary["sdk_requests"], summary
    # The wire's view: one TCP connection per session, each opened as HTTP/2.
    assert len(heads) == len(sessions), (len(heads), sessions)
    for head in heads:
        if transport == "tls":
            assert head[:1] == b"\x16", f"not a TLS handshake: {head[:32]!r}"
            assert offered_alpn_protocols(head) == ["h2"], offered_alpn_protocols(head)
        else:
            assert head.startswith(HTTP2_PREFACE), f"not the h2c preface: {head[:32]!r}"


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("transport", ["h2c", "tls"])
def test_js_sdk_records_round_trip(node_binary, js_server, transport):
    """CreateStream, wait ACTIVE, PutRecord, PutRecords, ListShards, GetShardIterator,
    GetRecords (byte for byte), DeleteStream."""
    assert_scenario_passed_over_http2(node_binary, js_server, "records", transport)


@pytest.mark.parametrize("transport", ["h2c", "tls"])
def test_js_sdk_enhanced_fan_out(node_binary, js_server, transport):
    """RegisterStreamConsumer, wait ACTIVE via DescribeStreamConsumer, SubscribeToShard at
    LATEST; records put after subscribing arrive on the event stream byte for byte."""
    assert_scenario_passed_over_http2(node_binary, js_server, "fan-out", transport)


def test_js_sdk_tls_verifies_the_certificate(node_binary, js_server):
    """Without NODE_EXTRA_CA_CERTS the self-signed certificate is refused: the TLS runs above
    really verified it (nothing turned verification off)."""
    completed, heads = run_scenario(node_binary, js_server, "records", "tls",
                                    trust_certificate=False)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "self-signed certificate" in completed.stderr or "SELF_SIGNED" in completed.stderr, (
        completed.stderr
    )
    assert heads and all(offered_alpn_protocols(head) == ["h2"] for head in heads)
