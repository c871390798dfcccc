"""A sanitizer report printed by a server the suite started fails the run (make
asan-integration): conftest.py's pytest_runtest_teardown fails the test during or at the end
of which the report appeared, including a report printed when a server is stopped at the
test's teardown or after the last test (LeakSanitizer reports at exit).

Shown with an inner pytest run of the suite's own fixtures against a stand-in server: a
small Python program that listens like tributary and, when stopped, prints what the
sanitizers print (or nothing)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

from support import LISTENING_BANNER, skip_under_url

INTEGRATION_DIR = pathlib.Path(__file__).resolve().parents[1]

# Listens on --port, prints the banner, and on SIGTERM prints $STAND_IN_REPORT on stderr before
# exiting with $STAND_IN_EXIT.
STAND_IN = textwrap.dedent(
    """\
    import signal, socket, sys, os
    report = os.environ.get("STAND_IN_REPORT", "")
    exit_code = int(os.environ.get("STAND_IN_EXIT", "0"))
    port = int(sys.argv[sys.argv.index("--port") + 1])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)
    def stop(*_):
        if report:
            sys.stderr.write(report)
            sys.stderr.flush()
        os._exit(exit_code)
    signal.signal(signal.SIGTERM, stop)
    print("BANNER 127.0.0.1:%d" % port, flush=True)
    while True:
        listener.accept()[0].close()
    """
).replace("BANNER", LISTENING_BANNER)

# What LeakSanitizer and UndefinedBehaviorSanitizer print (abridged, with their real first lines).
LEAK_REPORT = (
    "\n=================================================================\n"
    "==4242==ERROR: LeakSanitizer: detected memory leaks\n\n"
    "Direct leak of 64 byte(s) in 1 object(s) allocated from:\n"
    "    #0 0x7f in operator new(unsigned long)\n"
    "SUMMARY: AddressSanitizer: 64 byte(s) leaked in 1 allocation(s).\n"
)
UBSAN_REPORT = "src/aws/value.cc:12:5: runtime error: signed integer overflow\n"

INNER_TESTS = textwrap.dedent(
    """\
    def test_private_server(start_server):
        start_server(in_memory=True)

    def test_shared_server(server):
        assert server.running
    """
)

# The inner conftest loads the suite's conftest.py under another module name (both would be
# "conftest") and takes over its fixtures and hooks.
INNER_CONFTEST = textwrap.dedent(
    f"""\
    import importlib.util, sys
    sys.path.insert(0, {str(INTEGRATION_DIR)!r})
    spec = importlib.util.spec_from_file_location(
        "suite_conftest", {str(INTEGRATION_DIR / "conftest.py")!r})
    suite_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(suite_conftest)
    globals().update({{k: v for k, v in vars(suite_conftest).items() if not k.startswith("__")}})
    """
)


def run_inner_suite(tmp_path: pathlib.Path, report: str, select: str) -> subprocess.CompletedProcess:
    skip_under_url("starts servers of its own")
    (tmp_path / "stand_in.py").write_text(STAND_IN)
    binary = tmp_path / "tributary"
    binary.write_text(f"#!/bin/sh\nexec {sys.executable} {tmp_path / 'stand_in.py'} \"$@\"\n")
    binary.chmod(0o755)
    (tmp_path / "conftest.py").write_text(INNER_CONFTEST)
    (tmp_path / "test_inner.py").write_text(INNER_TESTS)
    environment = {
        **os.environ,
        "TRIBUTARY_BIN": str(binary),
        "STAND_IN_REPORT": report,
        "STAND_IN_EXIT": "23" if report else "0",
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
         str(tmp_path), "-k", select, str(tmp_path / "test_inner.py")],
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120,
    )


def test_clean_servers_pass(tmp_path):
    result = run_inner_suite(tmp_path, "", "private or shared")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


# A leak report from a test's own server (stopped at the test's teardown), and a UBSan report
# from the session server (stopped after the last test): each fails the test as a teardown error.
@pytest.mark.parametrize(
    "report, select, expected",
    [
        (LEAK_REPORT, "private", ["test_private_server", "Direct leak of 64 byte(s)"]),
        (UBSAN_REPORT, "shared", ["test_shared_server", "runtime error: signed integer overflow"]),
    ],
)
def test_a_report_fails_the_test_it_appeared_in(tmp_path, report, select, expected):
    result = run_inner_suite(tmp_path, report, select)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 passed, 1 deselected, 1 error" in result.stdout
    assert f"ERROR at teardown of {expected[0]}" in result.stdout
    assert "1 sanitizer report(s)" in result.stdout
    assert expected[1] in result.stdout
