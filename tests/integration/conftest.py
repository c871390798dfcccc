"""Fixtures for Tributary's integration tests of every service; helpers live in support.py.

Tests live in one folder per service (kinesis/, dynamodb/) and protocol/ (HTTP/1.1, HTTP/2,
TLS, SigV4: the pipeline every service shares). `--url URL` points the session fixtures at
an endpoint the suite does not start (README.md)."""

from __future__ import annotations

import pathlib
import shutil
import sys
import tempfile
from typing import Any, Callable, Iterator

import pytest

# Make support.py importable from the test modules whatever pytest's import mode is.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import support  # noqa: E402
from support import RemoteEndpoint, TributaryServer  # noqa: E402


def pytest_addoption(parser):
    group = parser.getgroup("tributary")
    group.addoption(
        "--url",
        default=None,
        metavar="URL",
        help="run against this endpoint (e.g. https://dynamodb.eu-west-1.amazonaws.com or a "
        "Tributary started by hand) instead of starting servers; region and credentials come "
        "from AWS_REGION/AWS_DEFAULT_REGION and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/"
        "AWS_SESSION_TOKEN when set. Tests that need a server of their own skip.",
    )
    group.addoption(
        "--account",
        default=None,
        metavar="ACCOUNT",
        help="with --url: the account id ARNs are expected to carry (default: a 12-digit "
        "access key id, else STS GetCallerIdentity for amazonaws.com, else 000000000000)",
    )


def pytest_configure(config):
    url = config.getoption("--url")
    if not url:
        return
    target = support.make_target(url, config.getoption("--account"))
    support.TARGET = target
    # Test modules import these names after this hook runs, so they see the target's.
    support.DEFAULT_ACCOUNT = target.account
    support.DEFAULT_REGION = target.region


def pytest_report_header(config):
    if support.TARGET is None:
        return f"tributary: starting servers from {support.binary_path()}"
    target = support.TARGET
    return (f"tributary: --url {target.url} (region {target.region}, account "
            f"{target.account}); tests needing a server of their own skip")


@pytest.fixture(scope="session")
def session_tmp() -> Iterator[pathlib.Path]:
    directory = pathlib.Path(tempfile.mkdtemp(prefix="tributary-it-"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def server(session_tmp: pathlib.Path) -> Iterator[TributaryServer | RemoteEndpoint]:
    """The shared server: RocksDB data directory, 0 ms create/delete delays for streams and
    tables. Under --url, the RemoteEndpoint instead."""
    if support.TARGET is not None:
        yield RemoteEndpoint(support.TARGET)
        return
    # A generous shard limit: many tests share this server's default account. The limit
    # itself is tested on servers of its own.
    instance = TributaryServer(
        data_dir=session_tmp / "shared-data",
        extra_args=[
            "--shard-limit", "100000",
            "--create-table-ms", "0",
            "--delete-table-ms", "0",
        ],
    ).start()
    yield instance
    instance.stop()


@pytest.fixture(scope="session")
def memory_server() -> Iterator[TributaryServer]:
    """A shared --in-memory server, 0 ms create/delete delays."""
    instance = TributaryServer(data_dir=None, in_memory=True).start()
    yield instance
    instance.stop()


@pytest.fixture
def start_server(tmp_path: pathlib.Path) -> Iterator[Callable[..., TributaryServer]]:
    """Factory for servers private to one test; all are stopped at teardown.

    Keyword arguments are those of TributaryServer; data_dir defaults to a fresh
    directory under the test's tmp_path.
    """
    started: list[TributaryServer] = []

    def factory(**kwargs: Any) -> TributaryServer:
        if not kwargs.get("in_memory"):
            kwargs.setdefault("data_dir", tmp_path / f"data-{len(started)}")
        else:
            kwargs.setdefault("data_dir", None)
        instance = TributaryServer(**kwargs)
        started.append(instance)
        return instance.start()

    yield factory
    for instance in started:
        instance.stop()


@pytest.fixture
def kinesis(server: TributaryServer):
    from kinesis.kinesis_support import kinesis_client

    return kinesis_client(server)


# Servers shared by several tests. When one dies (a crash is a server bug), the test that
# was running fails with the server's last output, and the server is started again on the
# same data so that one crash does not fail every later test.
SHARED_SERVER_FIXTURES = (
    "server",
    "memory_server",
    "slow_server",
    "limited_server",
    "legacy_server",
    "clocked_server",
)


@pytest.fixture(autouse=True)
def fail_and_restart_crashed_shared_server(request):
    yield
    for fixture_name in SHARED_SERVER_FIXTURES:
        if fixture_name not in request.fixturenames:
            continue
        instance = request.getfixturevalue(fixture_name)
        if instance.running:
            continue
        tail = instance.output_tail()
        exit_code = instance.reap_if_dead()
        instance.start()
        pytest.fail(
            f"the shared '{fixture_name}' server died during this test (exit code {exit_code}; "
            f"-11 is SIGSEGV); restarted it for the next tests. Last output:\n{tail}",
            pytrace=False,
        )


# Sanitizer reports (make asan-integration; support.SANITIZER_REPORT_START). Runs after the
# item's own teardown, so a report printed by a server stopped at that teardown (a
# start_server server, or a module or session server stopped after its last test) fails the
# item too, as a teardown error.
@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    reports = support.take_sanitizer_reports()
    if reports:
        pytest.fail(
            f"{len(reports)} sanitizer report(s) from a server during or at the end of this "
            "test:\n" + "\n\n".join(report.text() for report in reports),
            pytrace=False,
        )


def pytest_sessionfinish(session, exitstatus):
    reports = support.take_sanitizer_reports()
    if not reports:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("=", f"{len(reports)} sanitizer report(s) after the last test", red=True)
        for report in reports:
            reporter.write_line(report.text())
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
