"""Secrets stay where they belong: the passphrase nowhere, personal values only in the audit.

A canary passphrase and planted personal values (an e-mail address and an IP address from
the Facebook samples) are looked for in everything a real run leaves around it: what it
prints, the temporary folder (``TMPDIR`` pointed at an empty one), the output of an
internal error without ``--debug``, and the process's command line while it runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reflet import guard
from reflet.store import Store

from .builders import make_export
from .samples.facebook import SAMPLES

SRC = str(Path(__file__).resolve().parents[1] / "src")
CANARY = "canary-Passphrase-7f3q9"
EMAIL = b"zoe@example.org"  # in the profile sample
IP = b"203.0.113.7"  # in the login samples


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {path: data for items in SAMPLES.values() for path, data in items}
    assert any(EMAIL in d for d in files.values()) and any(IP in d for d in files.values())
    return make_export(tmp_path_factory.mktemp("secrets"), "facebook-zoe-2024", files)


def _files_under(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _run(args: list[str], tmp: Path, *, prelude: str = "") -> tuple[subprocess.CompletedProcess[str], list[bytes]]:
    """Run reflet as a process; returns it and every command line seen while it ran."""
    code = f"import sys\n{prelude}\nfrom reflet.cli import main\nsys.argv = ['reflet'] + sys.argv[1:]\nmain()\n"
    env = dict(os.environ, PYTHONPATH=SRC, TMPDIR=str(tmp), TEMP=str(tmp), TMP=str(tmp), REFLET_DEBUG="")
    env.pop("REFLET_PASSPHRASE", None)
    cmdlines: list[bytes] = []
    with guard.allow_subprocess():
        proc = subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        while proc.poll() is None:
            try:
                cmdlines.append(Path(f"/proc/{proc.pid}/cmdline").read_bytes())
            except OSError:
                break
            time.sleep(0.05)
        out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), cmdlines


def test_passphrase_is_in_no_output_no_temporary_file_no_command_line(export: Path, tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text(CANARY + "\n")
    out = tmp_path / "audit"
    done, cmdlines = _run(["audit", str(export), "--out", str(out), "--encrypt", "--passphrase-file", str(secret)],
                          tmp)
    assert done.returncode in (0, 3), done.stderr
    canary = CANARY.encode()
    assert CANARY not in done.stdout and CANARY not in done.stderr
    assert cmdlines and all(canary not in c for c in cmdlines)
    leaked = [p for p, data in {**_files_under(tmp), **_files_under(out)}.items() if canary in data]
    assert leaked == []
    assert (out / "audit.duckdb").exists()  # the run really wrote an (encrypted) store


def test_personal_values_stay_out_of_logs_and_temporary_files(export: Path, tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "audit"
    done, cmdlines = _run(["audit", str(export), "--out", str(out)], tmp)
    assert done.returncode in (0, 3), done.stderr
    # They were read: the store has them (it is the person's own, in a private folder)...
    with Store(out / "audit.duckdb", read_only=True) as s:
        assert s.query("SELECT count(*) FROM login WHERE ip = ?", [IP.decode()])[0][0] > 0
        assert s.query("SELECT count(*) FROM identity WHERE value = ?", [EMAIL.decode()])[0][0] > 0
    # ...and they are nowhere else.
    for value in (EMAIL, IP):
        assert value.decode() not in done.stdout and value.decode() not in done.stderr
        assert all(value not in c for c in cmdlines)
        assert [p for p, data in _files_under(tmp).items() if value in data] == []


def test_an_internal_error_does_not_print_the_data_it_was_reading(export: Path, tmp_path: Path) -> None:
    # An internal error whose message quotes a value being read, as a real bug's would.
    prelude = (
        "import reflet.infer as infer\n"
        "def broken(store):\n"
        f"    raise ValueError('cannot use {EMAIL.decode()} from {IP.decode()}')\n"
        "infer.run_all = broken\n"
    )
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    done, _ = _run(["audit", str(export), "--out", str(tmp_path / "audit")], tmp, prelude=prelude)
    assert done.returncode == 1
    assert "internal error" in done.stderr and "ValueError" in done.stderr and "--debug" in done.stderr
    assert "reflet/audit.py:" in done.stderr  # where, for a bug report
    assert "Traceback" not in done.stderr
    for value in (EMAIL, IP):
        assert value.decode() not in done.stderr and value.decode() not in done.stdout
    assert [p for p, data in _files_under(tmp).items() if EMAIL in data or IP in data] == []
