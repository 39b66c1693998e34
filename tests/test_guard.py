"""The no-network guard: while an audit runs, nothing in the process reaches a network.

The guard is armed for the whole suite (conftest.py), as it is during an audit.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from reflet import guard
from reflet.errors import NetworkBlocked
from reflet.store import STORE_NAME, Store

from .coredata import google_export, point

REPO = Path(__file__).resolve().parents[1]


def expect_blocked(action: Callable[[], object]) -> str:
    """Run ``action`` (a lambda written on the caller's line) and check the refusal names that line."""
    line = inspect.currentframe().f_back.f_lineno  # type: ignore[union-attr]
    with pytest.raises(NetworkBlocked) as exc:
        action()
    msg = str(exc.value)
    assert "offline" in msg
    assert f"{__file__}:{line}" in msg, msg
    return msg


@contextmanager
def disarmed() -> Iterator[None]:
    """A moment before the audit started: sockets made here exist when the guard is armed."""
    saved = guard._armed
    guard._armed = 0
    try:
        yield
    finally:
        guard._armed = saved


def test_the_suite_runs_armed() -> None:
    assert guard.is_armed()


def test_create_connection_is_blocked() -> None:
    expect_blocked(lambda: socket.create_connection(("192.0.2.1", 443), timeout=1))


def test_tcp_socket_is_blocked() -> None:
    expect_blocked(lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("192.0.2.1", 80)))


def test_connect_on_a_socket_made_before_arming_is_blocked() -> None:
    with disarmed():
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with s:
        expect_blocked(lambda: s.connect(("192.0.2.1", 80)))
        expect_blocked(lambda: s.connect_ex(("192.0.2.1", 80)))
        expect_blocked(lambda: s.bind(("0.0.0.0", 0)))


def test_dns_is_blocked() -> None:
    expect_blocked(lambda: socket.getaddrinfo("example.org", 443))
    expect_blocked(lambda: socket.gethostbyname("example.org"))
    expect_blocked(lambda: socket.gethostbyname_ex("example.org"))
    expect_blocked(lambda: socket.gethostbyaddr("192.0.2.1"))


def test_udp_sendto_is_blocked() -> None:
    expect_blocked(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    with disarmed():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with s:
        expect_blocked(lambda: s.sendto(b"hello", ("192.0.2.1", 53)))
        expect_blocked(lambda: s.sendmsg([b"hello"], [], 0, ("192.0.2.1", 53)))


def test_ipv6_socket_is_blocked() -> None:
    expect_blocked(lambda: socket.socket(socket.AF_INET6, socket.SOCK_STREAM))
    expect_blocked(lambda: socket.create_connection(("2001:db8::1", 443), timeout=1))


def test_socket_in_another_thread_is_blocked() -> None:
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            socket.create_connection(("192.0.2.1", 443), timeout=1)
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert len(errors) == 1 and isinstance(errors[0], NetworkBlocked)


def test_programs_are_blocked() -> None:
    expect_blocked(lambda: subprocess.run(["true"], check=False))
    expect_blocked(lambda: os.system("true"))
    expect_blocked(lambda: os.posix_spawn("/bin/true", ["true"], dict(os.environ)))


def test_local_socketpair_still_works() -> None:
    a, b = socket.socketpair()
    with a, b:
        assert a.family == socket.AF_UNIX
        a.sendall(b"ping")
        assert b.recv(4) == b"ping"


def test_allow_subprocess_lets_a_local_program_run_but_not_the_network() -> None:
    with guard.allow_subprocess():
        done = subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True, check=True)
        assert done.stdout.strip() == "42"
        expect_blocked(lambda: socket.create_connection(("192.0.2.1", 443), timeout=1))
    expect_blocked(lambda: subprocess.run(["true"], check=False))


# -- DuckDB: C++ the audit hook cannot see into ------------------------------------------------

@pytest.mark.parametrize("passphrase", [None, "canary-duck-7"], ids=["clear", "encrypted"])
@pytest.mark.parametrize("url", ["http://192.0.2.1/x.csv", "https://example.org/x.csv", "s3://bucket/x.parquet",
                                 "hf://datasets/x/y.csv"])
def test_store_cannot_read_urls(tmp_path: Path, url: str, passphrase: str | None) -> None:
    with Store(tmp_path / STORE_NAME, passphrase=passphrase) as store:
        with pytest.raises(duckdb.Error) as exc:
            store.query(f"SELECT * FROM read_csv('{url}')")
        msg = str(exc.value)
        # Refused before any connection is tried (no timeout, no HTTP error).
        assert "disabled by configuration" in msg or "requires the extension" in msg, msg
        assert "HTTP" not in msg.replace("HTTPFileSystem", "")


@pytest.mark.parametrize("passphrase", [None, "canary-duck-7"], ids=["clear", "encrypted"])
def test_store_cannot_install_or_autoload_extensions(tmp_path: Path, passphrase: str | None) -> None:
    with Store(tmp_path / STORE_NAME, passphrase=passphrase) as store:
        assert store.query("SELECT current_setting('autoload_known_extensions'), "
                           "current_setting('autoinstall_known_extensions')") == [(False, False)]
        for sql in ("INSTALL spatial FROM core", "INSTALL spatial", "SET autoinstall_known_extensions=true",
                    "SET enable_external_access=true", "SET disabled_filesystems=''"):
            with pytest.raises(duckdb.Error) as exc:
                store.query(sql)
            assert "download" not in str(exc.value).lower(), f"{sql}: {exc.value}"


# -- End to end: a whole audit in a network namespace with no interface -----------------------

def _unshare_prefix() -> list[str]:
    exe = shutil.which("unshare")
    if exe is None:
        pytest.fail("`unshare` (util-linux) is needed to prove an audit runs with no network; "
                    "install it (apt-get install util-linux)")
    return [exe, "--net"] if os.geteuid() == 0 else [exe, "--net", "--map-root-user"]


def test_whole_audit_runs_without_any_network(tmp_path: Path) -> None:
    exp = google_export(tmp_path, "takeout", [point(i) for i in range(6)], container="zip")
    pp = tmp_path / "pp"
    pp.write_text("offline-canary-3\n")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    runs = []
    with guard.allow_subprocess():
        # First prove the namespace really has no network, then audit inside one.
        probe = subprocess.run(
            [*_unshare_prefix(), sys.executable, "-c",
             "import socket\ntry:\n socket.create_connection(('192.0.2.1', 9), timeout=2)\n"
             "except OSError as e:\n print('no network:', e)\n"],
            capture_output=True, text=True, env=env, timeout=60, check=False)
        if probe.returncode != 0:
            pytest.fail(f"cannot create a network namespace here (unshare --net failed: "
                        f"{probe.stderr.strip()}); the offline promise cannot be checked")
        assert "no network" in probe.stdout
        for extra in ([], ["--encrypt", "--passphrase-file", str(pp)]):
            runs.append(subprocess.run(
                [*_unshare_prefix(), sys.executable, "-m", "reflet", "audit", str(exp),
                 "--out", str(tmp_path / f"out{len(runs)}"), "--json", *extra],
                capture_output=True, text=True, env=env, timeout=120, check=False))
    for run in runs:
        assert run.returncode == 0, run.stderr
        summary = json.loads(run.stdout)
        assert summary["exit_code"] == 0
        assert [r for r in summary["records"] if r["type"] == "Place"] == [
            {"type": "Place", "platform": "google", "count": 6}]
    assert [json.loads(r.stdout)["encrypted"] for r in runs] == [False, True]
