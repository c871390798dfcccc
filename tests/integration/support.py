"""Helpers shared by Tributary's integration tests of every service (fixtures live in
conftest.py; Kinesis-only helpers in kinesis/kinesis_support.py, DynamoDB-only ones in
dynamodb/dynamodb_support.py).

Every test talks to the real `tributary` binary over loopback TCP. The binary is
$TRIBUTARY_BIN, or <repo>/build/tributary. A session-wide server (RocksDB data
directory, zero-delay state transitions) serves most tests; tests that need other
flags (a positive state delay, a small shard limit, restarts) start their own through
the `start_server` factory, which stops whatever it started at teardown.

With `pytest --url URL` (README.md) the session fixtures target that endpoint instead
(real AWS, or a Tributary started by hand): `server` is then a RemoteEndpoint, and whatever
needs a server of its own, its process, its test clock or Tributary's account selection
skips with the reason.

Helpers:
  * `aws_client(server, service, ...)`: a boto3 client aimed at a server, retries off.
  * `raw_request(server, ...)`: raw HTTP with http.client, SigV4-signed by botocore unless
    told not to, returning status, headers (lower-case names) and the parsed body.
  * `unique_name()`: a fresh resource name so tests never collide.
  * `poll_until(...)`: bounded polling.
  * `kill_during_writes(...)`: one round of the crash tests (writers, SIGKILL, restart).
  * `skip_under_url(reason)`: skips the calling test when the suite targets --url.
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import pathlib
import random
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_BINARY = REPO_ROOT / "build" / "tributary"

# The account and region the server falls back to when the access key id is not a
# 12-digit number / the request carries no credential scope. We pass them explicitly so
# the suite does not depend on the binary's defaults.
# Under --url, conftest.py rebinds both to the target's (before any test module imports
# them); SUITE_REGION keeps the value helpers' default arguments were bound to.
DEFAULT_ACCOUNT = "000000000000"
DEFAULT_REGION = "us-east-1"
SUITE_REGION = DEFAULT_REGION
# Not 12 digits, so it selects DEFAULT_ACCOUNT.
DEFAULT_ACCESS_KEY = "AKIDTRIBUTARYTEST"
DUMMY_SECRET = "tributary-test-secret"


# The SigV4 signing name of each service Tributary serves.
SIGNING_NAMES = {"kinesis": "kinesis", "dynamodb": "dynamodb", "dynamodbstreams": "dynamodb"}

STARTUP_DEADLINE_SECONDS = 10.0
SHUTDOWN_DEADLINE_SECONDS = 10.0
LISTENING_BANNER = "tributary listening on"

# The first line of a sanitizer report in a server's output (stderr, which the fixtures merge
# into stdout): AddressSanitizer, LeakSanitizer (at exit), UndefinedBehaviorSanitizer
# ("file:line:col: runtime error: ..."), ThreadSanitizer, and a sanitizer that could not run
# its check (LeakSanitizer without ptrace, say: a check that did not run must not pass).
# `make asan-integration` runs the suite against a server built with them; every report a
# server prints is kept in SANITIZER_REPORTS until conftest.py's pytest_runtest_teardown claims
# it and fails the test during or at the end of which it appeared (pytest_sessionfinish fails
# the session for any left over). A release build never prints these.
SANITIZER_REPORT_START = re.compile(
    r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|:\d+:\d+: runtime error: "
    r"|WARNING: ThreadSanitizer|Sanitizer has encountered a fatal error"
)
# Lines kept per report (a LeakSanitizer report lists every leak; the first ones suffice).
SANITIZER_REPORT_MAX_LINES = 400


@dataclass
class SanitizerReport:
    server: str
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        return f"[{self.server}]\n" + "\n".join(self.lines)


SANITIZER_REPORTS: list[SanitizerReport] = []
_sanitizer_reports_lock = threading.Lock()


def take_sanitizer_reports() -> list[SanitizerReport]:
    """The sanitizer reports printed since the last call (oldest first), removed from the list."""
    with _sanitizer_reports_lock:
        taken = list(SANITIZER_REPORTS)
        SANITIZER_REPORTS.clear()
    return taken


def binary_path() -> pathlib.Path:
    return pathlib.Path(os.environ.get("TRIBUTARY_BIN", str(DEFAULT_BINARY)))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unique_name(prefix: str = "it") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


# --------------------------------------------------------------------------------------
# --url: an endpoint the suite does not start (real AWS, or a Tributary started by hand)
# --------------------------------------------------------------------------------------


@dataclass
class Target:
    """Where `pytest --url` points the session fixtures, and with which credentials."""

    url: str
    region: str
    access_key: str
    secret_key: str
    session_token: Optional[str]
    account: str

    @property
    def scheme(self) -> str:
        return urllib.parse.urlsplit(self.url).scheme or "http"

    @property
    def netloc(self) -> str:
        return urllib.parse.urlsplit(self.url).netloc

    @property
    def host_and_port(self) -> tuple[str, int]:
        parts = urllib.parse.urlsplit(self.url)
        default_port = 443 if parts.scheme == "https" else 80
        return parts.hostname or "127.0.0.1", parts.port or default_port


# Set by conftest.py's pytest_configure when --url is given; None when the suite starts
# its own servers.
TARGET: Optional[Target] = None


def make_target(url: str, account: Optional[str]) -> Target:
    """The --url target: region from AWS_REGION / AWS_DEFAULT_REGION and credentials from
    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN when set (else the suite's
    dummy ones, which any Tributary accepts). The account is --account, else a 12-digit
    access key id (Tributary's rule), else STS GetCallerIdentity for an amazonaws.com
    endpoint, else Tributary's default account."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or SUITE_REGION
    access_key = os.environ.get("AWS_ACCESS_KEY_ID") or DEFAULT_ACCESS_KEY
    secret_key = os.environ.get("AWS_SECRET_ACCESS_KEY") or DUMMY_SECRET
    session_token = os.environ.get("AWS_SESSION_TOKEN") or None
    if not account:
        if access_key.isdigit() and len(access_key) == 12:
            account = access_key
        elif (urllib.parse.urlsplit(url).hostname or "").endswith(".amazonaws.com"):
            account = boto3.session.Session(
                aws_access_key_id=access_key,
                aws_secret_access_key=secret_key,
                aws_session_token=session_token,
                region_name=region,
            ).client("sts").get_caller_identity()["Account"]
        else:
            account = DEFAULT_ACCOUNT
    return Target(url.rstrip("/"), region, access_key, secret_key, session_token, account)


def skip_under_url(reason: str) -> None:
    """Skips the calling test (or fixture) when the suite targets --url: for what only a
    Tributary the suite controls can do (its flags, its process, its test clock, accounts
    chosen by access key id, raw TCP to 127.0.0.1)."""
    if TARGET is not None:
        pytest.skip(f"not run against --url ({TARGET.url}): {reason}")


def resolve_region(region: Optional[str]) -> str:
    """The region a client or signature uses. DEFAULT_REGION (or None) means the target's;
    under --url any other region skips (it is another endpoint on AWS)."""
    if TARGET is None:
        return region or DEFAULT_REGION
    if region in (None, SUITE_REGION, TARGET.region):
        return TARGET.region
    skip_under_url(f"uses a second region ({region})")
    raise AssertionError("unreachable")


def resolve_credentials(access_key: Optional[str]) -> tuple[str, str, Optional[str]]:
    """(access key id, secret, session token) for a client or signature. Tests pass a
    12-digit access key id to select an account of their own on Tributary; under --url
    that skips."""
    if TARGET is None:
        return access_key or DEFAULT_ACCESS_KEY, DUMMY_SECRET, None
    if access_key not in (None, DEFAULT_ACCESS_KEY, TARGET.access_key):
        skip_under_url("selects an account of its own by access key id (Tributary's rule)")
    return TARGET.access_key, TARGET.secret_key, TARGET.session_token


class RemoteEndpoint:
    """What the `server` fixture is under --url: addressable, never started or stopped.
    Touching what only a local process has (its port on 127.0.0.1, its output, stop, kill,
    restart) skips the test."""

    running = True
    in_memory = False

    def __init__(self, target: Target) -> None:
        self.target = target
        self.region = target.region
        self.account = target.account

    @property
    def url(self) -> str:
        return self.target.url

    @property
    def address(self) -> tuple[str, int, str, str]:
        host, port = self.target.host_and_port
        return host, port, self.target.scheme, self.target.netloc

    def _local_only(self, what: str):
        skip_under_url(f"needs the server's {what}, which only a server the suite starts has")

    @property
    def port(self) -> int:
        self._local_only("port on 127.0.0.1 (raw TCP)")
        raise AssertionError("unreachable")

    @property
    def data_dir(self):
        self._local_only("data directory")

    @property
    def output_lines(self) -> list[str]:
        self._local_only("output")
        return []

    def output_tail(self, lines: int = 40) -> str:
        return ""

    def reap_if_dead(self) -> Optional[int]:
        return None

    def start(self, port: Optional[int] = None) -> "RemoteEndpoint":
        self._local_only("process")
        return self

    def stop(self) -> Optional[int]:
        self._local_only("process (stop)")
        return None

    def kill(self) -> Optional[int]:
        self._local_only("process (kill -9)")
        return None

    def restart(self) -> "RemoteEndpoint":
        self._local_only("process (restart)")
        return self


# --------------------------------------------------------------------------------------
# Server process management
# --------------------------------------------------------------------------------------


class TributaryServer:
    """One running (or stopped) tributary process."""

    def __init__(
        self,
        *,
        data_dir: Optional[pathlib.Path],
        in_memory: bool = False,
        create_stream_ms: int = 0,
        delete_stream_ms: int = 0,
        extra_args: Optional[list[str]] = None,
        region: str = DEFAULT_REGION,
        account: str = DEFAULT_ACCOUNT,
        extra_env: Optional[dict[str, str]] = None,
    ) -> None:
        self.extra_env = dict(extra_env or {})
        self.data_dir = data_dir
        self.in_memory = in_memory
        self.create_stream_ms = create_stream_ms
        self.delete_stream_ms = delete_stream_ms
        self.extra_args = list(extra_args or [])
        self.region = region
        self.account = account
        self.port: Optional[int] = None
        self.process: Optional[subprocess.Popen] = None
        self.output_lines: list[str] = []
        self._banner_seen = threading.Event()
        self._reader: Optional[threading.Thread] = None
        self.exit_code: Optional[int] = None

    # -- lifecycle ---------------------------------------------------------------------

    def command(self, port: int) -> list[str]:
        binary = binary_path()
        command = [
            str(binary),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--region",
            self.region,
            "--account",
            self.account,
            "--create-stream-ms",
            str(self.create_stream_ms),
            "--delete-stream-ms",
            str(self.delete_stream_ms),
        ]
        if self.in_memory:
            command.append("--in-memory")
        else:
            assert self.data_dir is not None
            command += ["--data-dir", str(self.data_dir)]
        return command + self.extra_args

    def start(self, port: Optional[int] = None) -> "TributaryServer":
        skip_under_url("needs a Tributary server of its own (its flags, data or process)")
        binary = binary_path()
        if not binary.exists():
            pytest.fail(
                f"tributary binary not found at {binary}: build it (cmake --build build) "
                "or set TRIBUTARY_BIN"
            )
        last_error = ""
        # A port picked by free_port() can be taken by someone else before the server
        # binds it; try a few fresh ports unless the caller insists on one.
        attempts = 1 if port is not None else 3
        for _ in range(attempts):
            chosen = port if port is not None else free_port()
            last_error = self._try_start(chosen)
            if not last_error:
                return self
        pytest.fail(f"tributary did not start: {last_error}")

    def _try_start(self, port: int) -> str:
        self.port = port
        self.output_lines = []
        self._banner_seen = threading.Event()
        self.exit_code = None
        environment = dict(os.environ)
        # Flags must win over anything the caller's environment sets.
        for key in list(environment):
            if key.startswith("TRIBUTARY_") and key != "TRIBUTARY_BIN":
                del environment[key]
        environment.update(self.extra_env)
        self.process = subprocess.Popen(
            self.command(port),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environment,
            text=True,
            errors="replace",
            bufsize=1,
        )
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._reader.join(timeout=2)
                self.exit_code = self.process.returncode
                return (
                    f"exited with code {self.process.returncode} before listening; output:\n"
                    + self.output_tail()
                )
            if self._banner_seen.is_set() and self._accepts_connections():
                return ""
            self._banner_seen.wait(0.02)
        self.kill()
        return f"no '{LISTENING_BANNER}' within {STARTUP_DEADLINE_SECONDS}s; output:\n" + (
            self.output_tail()
        )

    def _read_output(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        report: Optional[SanitizerReport] = None
        for line in self.process.stdout:
            line = line.rstrip("\n")
            self.output_lines.append(line)
            if len(self.output_lines) > 5000:
                del self.output_lines[:1000]
            if LISTENING_BANNER in line:
                self._banner_seen.set()
            # A report runs from its first line to the end of the output (ASan, LSan and UBSan
            # as built here end the process) or to the next report.
            if SANITIZER_REPORT_START.search(line):
                report = SanitizerReport(server=" ".join(self.command(self.port or 0)[1:]))
                with _sanitizer_reports_lock:
                    SANITIZER_REPORTS.append(report)
            if report is not None and len(report.lines) < SANITIZER_REPORT_MAX_LINES:
                report.lines.append(line)

    def _accepts_connections(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def output_tail(self, lines: int = 40) -> str:
        return "\n".join(self.output_lines[-lines:])

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> Optional[int]:
        """SIGTERM, wait, then SIGKILL. Returns the exit code (negative = signal)."""
        if self.process is None:
            return self.exit_code
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=SHUTDOWN_DEADLINE_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=SHUTDOWN_DEADLINE_SECONDS)
        return self._finish()

    def kill(self) -> Optional[int]:
        """SIGKILL (kill -9) right away."""
        if self.process is None:
            return self.exit_code
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=SHUTDOWN_DEADLINE_SECONDS)
        return self._finish()

    def _finish(self) -> Optional[int]:
        assert self.process is not None
        self.exit_code = self.process.returncode
        if self._reader is not None:
            self._reader.join(timeout=2)
        self.process = None
        return self.exit_code

    def reap_if_dead(self) -> Optional[int]:
        """If the process has exited on its own, collect it and return its exit code."""
        if self.process is not None and self.process.poll() is not None:
            return self._finish()
        return None

    def restart(self) -> "TributaryServer":
        """Start again on the same data directory (and, if still free, the same port)."""
        assert self.process is None, "stop() or kill() the server first"
        return self.start()

    # -- addressing --------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> tuple[str, int, str, str]:
        """(host to connect to, port, scheme, Host header)."""
        return "127.0.0.1", self.port, "http", f"127.0.0.1:{self.port}"


# --------------------------------------------------------------------------------------
# boto3
# --------------------------------------------------------------------------------------


def shared_server_fixture(description: str, extra_args: list[str], *, in_memory: bool = False):
    """A module-scoped pytest fixture: one server shared by the tests of a module (on its own
    data directory unless in_memory), stopped after them. Assign it to a module-level name:
    `fast = shared_server_fixture("...", ["--register-consumer-ms", "0"])`."""

    @pytest.fixture(scope="module")
    def fixture(tmp_path_factory):
        data_dir = None if in_memory else tmp_path_factory.mktemp("shared-server")
        instance = TributaryServer(data_dir=data_dir, in_memory=in_memory, extra_args=extra_args)
        instance.start()
        yield instance
        instance.stop()

    fixture.__doc__ = description
    return fixture


def client_config(**overrides: Any) -> botocore.config.Config:
    settings: dict[str, Any] = dict(
        # total_max_attempts=1 means one attempt, no retries ('max_attempts' counts
        # retries only, so the equivalent there would be 0).
        retries={"total_max_attempts": 1, "mode": "standard"},
        connect_timeout=5,
        read_timeout=15,
    )
    settings.update(overrides)
    return botocore.config.Config(**settings)


def aws_client(
    server: Any,
    service: str,
    *,
    access_key: Optional[str] = DEFAULT_ACCESS_KEY,
    region: Optional[str] = DEFAULT_REGION,
    validate: bool = True,
    **config_overrides: Any,
):
    """A boto3 client of `service` for `server` (a TributaryServer or, under --url, the
    RemoteEndpoint), retries off. On Tributary a 12-digit access key id selects an account."""
    key_id, secret, token = resolve_credentials(access_key)
    session = boto3.session.Session(
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        aws_session_token=token,
        region_name=resolve_region(region),
    )
    return session.client(
        service,
        endpoint_url=server.url,
        config=client_config(parameter_validation=validate, **config_overrides),
    )


def error_code(exc: Exception) -> str:
    return exc.response["Error"]["Code"]  # type: ignore[attr-defined]


def error_message(exc: Exception) -> str:
    return exc.response["Error"]["Message"]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------
# Raw HTTP
# --------------------------------------------------------------------------------------


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    json: Any = field(default=None)

    @property
    def error_type(self) -> Optional[str]:
        if isinstance(self.json, dict):
            return self.json.get("__type")
        return None

    @property
    def message(self) -> Optional[str]:
        """The error message; AWS Kinesis spells the key 'message' (SerializationException
        used to be 'Message'), so accept either."""
        if isinstance(self.json, dict):
            if "message" in self.json:
                return self.json["message"]
            return self.json.get("Message")
        return None

    def describe(self) -> str:
        return f"HTTP {self.status} {self.headers} {self.body[:2000]!r}"


def sign_headers(
    *,
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    access_key: Optional[str] = DEFAULT_ACCESS_KEY,
    region: Optional[str] = DEFAULT_REGION,
    service: Optional[str] = None,
) -> dict[str, str]:
    """Returns `headers` plus Authorization and X-Amz-Date (and X-Amz-Security-Token with
    session credentials), SigV4-signed by botocore. The signing name is `service`, else the
    one the X-Amz-Target header's prefix implies (Kinesis when there is none). Under --url
    the target's credentials and region sign (see resolve_credentials / resolve_region)."""
    key_id, secret, token = resolve_credentials(access_key)
    request = botocore.awsrequest.AWSRequest(method=method, url=url, data=body, headers=headers)
    credentials = botocore.credentials.Credentials(key_id, secret, token)
    signing_name = service or signing_name_for(headers)
    botocore.auth.SigV4Auth(credentials, signing_name, resolve_region(region)).add_auth(request)
    return {name: value for name, value in request.headers.items()}


def signing_name_for(headers: dict[str, str]) -> str:
    target = next((value for name, value in headers.items() if name.lower() == "x-amz-target"), "")
    if target.startswith("DynamoDB"):
        return "dynamodb"
    return "kinesis"


def raw_request(
    server: Any,
    *,
    method: str = "POST",
    path: str = "/",
    headers: Optional[dict[str, str]] = None,
    body: bytes | str = b"",
    sign: bool = True,
    access_key: Optional[str] = DEFAULT_ACCESS_KEY,
    region: Optional[str] = DEFAULT_REGION,
    host: Optional[str] = None,
    timeout: float = 15.0,
    service: Optional[str] = None,
) -> RawResponse:
    """Sends one HTTP/1.1 request on a fresh connection and reads the whole response.

    With sign=True, Authorization and X-Amz-Date are added by botocore's SigV4 signer
    (over the Host header that is actually sent). With sign=False the headers are sent
    exactly as given (plus Host and Content-Length, which http.client adds). Works on a
    RemoteEndpoint too (HTTPS when its URL says so).
    """
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = dict(headers or {})
    connect_host, port, scheme, default_host_header = server.address
    host_header = host or default_host_header
    if sign:
        headers = sign_headers(
            method=method,
            url=f"{scheme}://{host_header}{path}",
            headers=headers,
            body=body,
            access_key=access_key,
            region=region,
            service=service,
        )
    connection_class = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    connection = connection_class(connect_host, port, timeout=timeout)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host_header)
        has_length = any(name.lower() == "content-length" for name in headers)
        for name, value in headers.items():
            if name.lower() == "host":
                continue
            connection.putheader(name, value)
        if not has_length and (body or method in ("POST", "PUT")):
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body if body else None)
        response = connection.getresponse()
        payload = response.read()
        response_headers = {name.lower(): value for name, value in response.getheaders()}
        parsed: Any = None
        if payload:
            try:
                parsed = json.loads(payload)
            except ValueError:
                parsed = None
        return RawResponse(response.status, response_headers, payload, parsed)
    finally:
        connection.close()


def assert_error(
    response: RawResponse,
    error_type: str,
    message: Optional[str] = None,
    status: int = 400,
) -> None:
    assert response.status == status, response.describe()
    assert response.error_type == error_type, response.describe()
    if message is not None:
        assert response.message == message, response.describe()


# --------------------------------------------------------------------------------------
# Waiting
# --------------------------------------------------------------------------------------


def poll_until(
    probe: Callable[[], Any], *, timeout: float = 10.0, interval: float = 0.02, what: str = ""
) -> Any:
    """Calls probe() until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what or probe}; last={last!r}")
        time.sleep(interval)


def kill_during_writes(
    server: "TributaryServer",
    workers: Sequence[Callable[[threading.Event], None]],
    *,
    writing: Callable[[], Any],
    kill_after: tuple[float, float],
    rng: random.Random,
    context: str,
    writing_timeout: float = 30.0,
    join_timeout: float = 30.0,
) -> None:
    """One round of the crash tests' shape: SIGKILL a server at a random moment while writers
    run, then start it again on the same data directory.

    Each worker is called in its own (daemon) thread with a `stop` event; it writes until the
    server stops answering or `stop` is set, recording what was acknowledged. The round waits
    (at most `writing_timeout` s, failing otherwise) until `writing()` is truthy, which is
    meant to say the first writes have been acknowledged (making boto3 clients takes a while
    on a busy machine), then sleeps a random `rng.uniform(*kill_after)` seconds (the kill
    moment, not a wait for anything), SIGKILLs the server, sets `stop`, fails if a worker
    has not returned within `join_timeout` s (a client hung on a dead server), and restarts
    the server. `context` (the test's seed, the round) goes into the failure messages."""
    stop = threading.Event()
    threads = [threading.Thread(target=worker, args=(stop,), daemon=True) for worker in workers]
    for thread in threads:
        thread.start()
    try:
        poll_until(writing, timeout=writing_timeout,
                   what=f"the first acknowledged writes ({context})")
        time.sleep(rng.uniform(*kill_after))
        server.kill()
    finally:
        stop.set()
    for thread in threads:
        thread.join(timeout=join_timeout)
        assert not thread.is_alive(), f"a writer hung after the kill ({context})"
    server.restart()


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def exchange_bytes(
    server: TributaryServer, data: bytes, *, timeout: float = 5.0, half_close: bool = False
) -> bytes:
    """Writes `data` on a fresh TCP connection and returns everything read until the
    server closes the connection or `timeout` passes without data. Tolerates the server
    closing or resetting the connection early (returns what was read)."""
    received = bytearray()
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as connection:
        try:
            connection.sendall(data)
            if half_close:
                connection.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        while True:
            try:
                chunk = connection.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            received += chunk
    return bytes(received)


def parse_status_line(response_bytes: bytes) -> Optional[int]:
    """The status code of the first HTTP/1.x response in `response_bytes`, if any."""
    if not response_bytes.startswith(b"HTTP/1."):
        return None
    first_line = response_bytes.split(b"\r\n", 1)[0]
    parts = first_line.split(b" ")
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    return int(parts[1])


def fresh_account() -> str:
    """A random 12-digit account id (used as an access key id) no other test uses. Under
    --url the test skips: only Tributary selects accounts by access key id."""
    skip_under_url("needs an account of its own (a 12-digit access key id on Tributary)")
    return str(10**11 + uuid.uuid4().int % (9 * 10**11))


def find_nulls(value: Any, path: str = "$") -> list[str]:
    """Paths of JSON nulls inside `value` (AWS omits absent members instead)."""
    found: list[str] = []
    if value is None:
        found.append(path)
    elif isinstance(value, dict):
        for key, item in value.items():
            found += find_nulls(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += find_nulls(item, f"{path}[{index}]")
    return found


def send_while_reading(
    server: TributaryServer, head: bytes, body: bytes, timeout: float = 10.0
) -> bytes:
    """Sends `head` then `body` from a helper thread while this thread reads the answer,
    so a server that answers early (e.g. 413 before reading the body) and closes the
    connection is observed instead of deadlocking on a full socket buffer."""
    received = bytearray()
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as connection:
        connection.sendall(head)

        def pump() -> None:
            try:
                view = memoryview(body)
                for offset in range(0, len(view), 65536):
                    connection.sendall(view[offset : offset + 65536])
            except OSError:
                pass  # the server stopped reading and closed: expected for a 413

        sender = threading.Thread(target=pump, daemon=True)
        sender.start()
        while True:
            try:
                chunk = connection.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            received += chunk
            if b"\r\n\r\n" in received and parse_status_line(bytes(received)) == 413:
                break
        try:
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sender.join(timeout=timeout)
    return bytes(received)


# --------------------------------------------------------------------------------------
# The test clock (--test-clock)
# --------------------------------------------------------------------------------------


def advance_test_clock(server: TributaryServer, milliseconds: int = 0) -> dict:
    """Moves a --test-clock server's clock forward; returns {"now_ms": ..., "offset_ms": ...}.
    advance_test_clock(server) (0 ms) just reads the server's current time."""
    skip_under_url("drives the server's --test-clock")
    import urllib.request

    request = urllib.request.Request(
        server.url + "/_tributary/clock",
        data=json.dumps({"advance_ms": milliseconds}).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


JS_DIR = REPO_ROOT / "tests" / "js"
JS_INSTALL_HINT = "run `scripts/install-deps.sh --test --npm` (or `make test-deps`)"


def run_js_scenario(server: Any, scenario: str, required_packages: tuple[str, ...],
                    timeout: float = 90) -> dict:
    """Runs tests/js/<scenario> with node against `server` and returns the JSON summary on its
    last stdout line. Without node or the packages of tests/js the calling test FAILS (it does
    not skip)."""
    import shutil
    import subprocess

    skip_under_url("the scenario signs with fixed test credentials and region")
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail(f"node is not installed; {JS_INSTALL_HINT}", pytrace=False)
    for package in required_packages:
        if not (JS_DIR / "node_modules" / package / "package.json").exists():
            pytest.fail(f"{package} is not installed in {JS_DIR}/node_modules; {JS_INSTALL_HINT}",
                        pytrace=False)
    result = subprocess.run([node, str(JS_DIR / scenario), server.url], cwd=JS_DIR,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])
