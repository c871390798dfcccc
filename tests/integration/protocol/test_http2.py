"""HTTP/2 (h2c with prior knowledge, and h2 over TLS via ALPN) and TLS on the one port, with
curl, h2load and Python's ssl against the real binary."""

from __future__ import annotations

import hashlib
import json
import pathlib
import shutil
import socket
import ssl
import stat
import subprocess

import pytest

from support import (
    exchange_bytes,
    unique_name,
)
from kinesis.kinesis_support import (
    create_active_stream,
    server_is_healthy,
)

HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
# Any Authorization of SigV4's shape is accepted (signatures are not verified by default).
SIGNED_SHAPE_HEADERS = [
    "Content-Type: application/x-amz-json-1.1",
    "X-Amz-Date: 20260101T000000Z",
    "Authorization: AWS4-HMAC-SHA256 "
    "Credential=AKID/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=abc",
]

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


def kinesis_curl(server, operation: str, *, body_args: list[str], protocol: list[str],
                 tls: bool = False, timeout: float = 30) -> tuple[int, str, bytes]:
    """Runs curl for one Kinesis call; returns (status, HTTP version, body)."""
    scheme = "https" if tls else "http"
    command = ["curl", "-sS", "--max-time", str(timeout), *protocol]
    if tls:
        command.append("-k")
    for header in SIGNED_SHAPE_HEADERS + [f"X-Amz-Target: Kinesis_20131202.{operation}"]:
        command += ["-H", header]
    command += body_args
    command += ["-w", "\n%{http_code} %{http_version}", f"{scheme}://127.0.0.1:{server.port}/"]
    completed = subprocess.run(command, capture_output=True, timeout=timeout + 5)
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")
    body, _, trailer = completed.stdout.rpartition(b"\n")
    status, version = trailer.decode().split()
    return int(status), version, body


H2C = ["--http2-prior-knowledge"]


def served_certificate_pem(server) -> str:
    return ssl.get_server_certificate(("127.0.0.1", server.port))


def pem_fingerprint(pem: str) -> str:
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest()


# --- h2c -------------------------------------------------------------------------------------


def test_h2c_create_and_list_streams(server):
    name = unique_name("h2")
    status, version, body = kinesis_curl(
        server, "CreateStream", body_args=["-d", json.dumps({"StreamName": name, "ShardCount": 1})],
        protocol=H2C)
    assert (status, version) == (200, "2"), body
    assert body == b""
    status, version, body = kinesis_curl(server, "ListStreams", body_args=["-d", "{}"],
                                         protocol=H2C)
    assert (status, version) == (200, "2"), body
    assert name in json.loads(body)["StreamNames"]


def test_h2c_errors_are_json(server):
    status, version, body = kinesis_curl(
        server, "DescribeStreamSummary", body_args=["-d", json.dumps({"StreamName": "no-such"})],
        protocol=H2C)
    assert (status, version) == (400, "2")
    assert json.loads(body)["__type"] == "ResourceNotFoundException"


@pytest.mark.skipif(shutil.which("h2load") is None, reason="h2load is not installed")
def test_h2load_hundred_concurrent_streams_on_one_connection(server, kinesis, tmp_path):
    name = create_active_stream(kinesis)
    body_file = tmp_path / "body.json"
    body_file.write_text(json.dumps({"StreamName": name}))
    command = ["h2load", "-n", "2000", "-c", "1", "-m", "100", "-d", str(body_file)]
    for header in SIGNED_SHAPE_HEADERS + ["X-Amz-Target: Kinesis_20131202.DescribeStreamSummary"]:
        command += ["-H", header]
    command.append(f"http://127.0.0.1:{server.port}/")
    completed = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert "status codes: 2000 2xx, 0 3xx, 0 4xx, 0 5xx" in completed.stdout, completed.stdout
    assert "2000 succeeded" in completed.stdout, completed.stdout


def test_h2c_five_mib_put_records(server, kinesis, tmp_path):
    import base64

    name = create_active_stream(kinesis)
    # 5 records of 1000 KiB each: a ~6.7 MB JSON body, just under PutRecords' 5 MiB of data.
    records = [
        {"Data": base64.b64encode(bytes([index]) * (1000 * 1024)).decode(), "PartitionKey": str(index)}
        for index in range(5)
    ]
    body_file = tmp_path / "put-records.json"
    body_file.write_text(json.dumps({"StreamName": name, "Records": records}))
    assert body_file.stat().st_size > 5 * 1024 * 1024
    status, version, body = kinesis_curl(
        server, "PutRecords", body_args=["--data-binary", f"@{body_file}"], protocol=H2C)
    assert (status, version) == (200, "2"), body[:500]
    answer = json.loads(body)
    assert answer["FailedRecordCount"] == 0
    assert len(answer["Records"]) == 5


def test_h2c_body_over_the_limit_is_413(server, tmp_path):
    too_big = tmp_path / "too-big.bin"
    too_big.write_bytes(b"x" * (15 * 1024 * 1024))  # the default limit is 14 MiB
    status, version, _ = kinesis_curl(
        server, "PutRecords", body_args=["--data-binary", f"@{too_big}"], protocol=H2C)
    assert (status, version) == (413, "2")
    assert server_is_healthy(server)


def test_h2c_garbage_after_the_preface_does_not_crash(server):
    for garbage in (
        b"\xff" * 300,
        b"\x00\x00\x04\x08\x00\x00\x00\x00\x00junk",  # WINDOW_UPDATE on stream 0, then junk
        b"\x00\x00\x05\x01\x05\x00\x00\x00\x01\xff\xff\xff\xff\xff",  # HEADERS, bad HPACK
        b"\x00\x40\x00\x00\x00\x00\x00\x00\x01" + b"\x00" * 100,  # DATA before SETTINGS
    ):
        answer = exchange_bytes(server, HTTP2_PREFACE + garbage, timeout=3, half_close=True)
        assert not answer.startswith(b"HTTP/1.1"), answer[:100]
    # A truncated preface, and TLS record garbage.
    exchange_bytes(server, HTTP2_PREFACE[:10], timeout=1, half_close=True)
    exchange_bytes(server, b"\x16\x03\x01\x00\x10" + b"\xee" * 64, timeout=3, half_close=True)
    assert server_is_healthy(server)


# --- TLS -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "protocol, expected_version", [(["--http2"], "2"), (["--http1.1"], "1.1")]
)
def test_tls_alpn_chooses_the_protocol(server, protocol, expected_version):
    status, version, body = kinesis_curl(server, "ListStreams", body_args=["-d", "{}"],
                                         protocol=protocol, tls=True)
    assert (status, version) == (200, expected_version), body
    assert "StreamNames" in json.loads(body)


def test_tls_without_alpn_speaks_http1(server):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as connection:
            assert connection.selected_alpn_protocol() is None
            connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            answer = connection.recv(100)
    assert answer.startswith(b"HTTP/1.1 "), answer


def tls_client_context(version: ssl.TLSVersion | None = None) -> ssl.SSLContext:
    """A client context that trusts anything and, at security level 0, may offer TLS 1.0 and
    1.1 (Debian's OpenSSL refuses them on the client side too at its default level 2)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    if version is not None:
        context.minimum_version = version
        context.maximum_version = version
    return context


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1:DeprecationWarning")
@pytest.mark.parametrize(
    "version, accepted",
    [("TLSv1", False), ("TLSv1_1", False), ("TLSv1_2", True), ("TLSv1_3", True)],
)
def test_tls_versions_below_1_2_are_refused(server, version, accepted):
    context = tls_client_context(getattr(ssl.TLSVersion, version))
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        if not accepted:
            with pytest.raises((ssl.SSLError, ConnectionError)):
                context.wrap_socket(raw, server_hostname="localhost")
            return
        with context.wrap_socket(raw, server_hostname="localhost") as connection:
            assert connection.version() == version.replace("_", ".")
    assert server_is_healthy(server)


@pytest.mark.parametrize(
    "offered, selected",
    [(["http/1.1", "h2"], "h2"), (["http/1.1"], "http/1.1"), (["h3", "spdy/3"], None)],
)
def test_tls_alpn_follows_the_server_preference(server, offered, selected):
    # h2 whenever offered, whatever the client's order; no common protocol: no ALPN (no alert),
    # and the connection speaks HTTP/1.1.
    context = tls_client_context()
    context.set_alpn_protocols(offered)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as connection:
            assert connection.selected_alpn_protocol() == selected
            if selected != "h2":
                connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                assert connection.recv(100).startswith(b"HTTP/1.1 ")


def test_boto3_over_tls_verifies_the_self_signed_certificate(server):
    certificate = pathlib.Path(server.data_dir) / "tls" / "cert.pem"
    import boto3
    from support import DUMMY_SECRET, DEFAULT_ACCESS_KEY, DEFAULT_REGION, client_config

    client = boto3.session.Session(
        aws_access_key_id=DEFAULT_ACCESS_KEY, aws_secret_access_key=DUMMY_SECRET,
        region_name=DEFAULT_REGION,
    ).client("kinesis", endpoint_url=f"https://127.0.0.1:{server.port}",
             verify=str(certificate), config=client_config())
    name = unique_name("tls")
    client.create_stream(StreamName=name, ShardCount=1)
    summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    assert summary["StreamName"] == name


def test_self_signed_certificate_is_persisted_and_reused(start_server):
    first = start_server()
    tls_directory = pathlib.Path(first.data_dir) / "tls"
    certificate_file = tls_directory / "cert.pem"
    key_file = tls_directory / "key.pem"
    assert certificate_file.exists() and key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert any(str(certificate_file) in line for line in first.output_lines), first.output_tail()
    served = pem_fingerprint(served_certificate_pem(first))
    assert served == pem_fingerprint(certificate_file.read_text())
    stored_key = key_file.read_bytes()
    first.stop()
    first.restart()
    assert pem_fingerprint(served_certificate_pem(first)) == served
    assert key_file.read_bytes() == stored_key


def test_operator_certificate_and_no_tls(start_server, tmp_path):
    # A certificate made by one server, handed to another with --tls-cert/--tls-key.
    maker = start_server()
    source = pathlib.Path(maker.data_dir) / "tls"
    shutil.copy(source / "cert.pem", tmp_path / "mine.pem")
    shutil.copy(source / "key.pem", tmp_path / "mine.key")
    maker.stop()
    expected = pem_fingerprint((tmp_path / "mine.pem").read_text())
    custom = start_server(
        extra_args=["--tls-cert", str(tmp_path / "mine.pem"), "--tls-key", str(tmp_path / "mine.key")]
    )
    assert pem_fingerprint(served_certificate_pem(custom)) == expected
    assert not (pathlib.Path(custom.data_dir) / "tls").exists()
    # --no-tls: TLS handshakes are refused, plain HTTP/1.1 and h2c still work.
    plain = start_server(extra_args=["--no-tls"])
    with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
        served_certificate_pem(plain)
    status, version, _ = kinesis_curl(plain, "ListStreams", body_args=["-d", "{}"], protocol=H2C)
    assert (status, version) == (200, "2")
    assert server_is_healthy(plain)


def test_in_memory_server_serves_tls(memory_server):
    status, version, _ = kinesis_curl(memory_server, "ListStreams", body_args=["-d", "{}"],
                                      protocol=["--http2"], tls=True)
    assert (status, version) == (200, "2")

