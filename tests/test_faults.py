"""Faults a real run meets: Ctrl-C, a killed process, a full disk.

Each runs ``python -m reflet audit`` as a real process (signals need one). The export is a
synthetic ``Records.json`` big enough for the fast path and a run of a few seconds, so a
signal lands mid-run; an invalid entry makes the store hold issues as well as records.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from reflet import guard
from reflet.cli import cli
from reflet.store import Store

from .builders import make_export

SRC = str(Path(__file__).resolve().parents[1] / "src")
N_POINTS = 40_000  # ~9 MB: over the fast-path threshold, and a run long enough to interrupt


def _records_json(n: int) -> bytes:
    locs = []
    for i in range(n):
        loc = {"latitudeE7": 485_000_000 + (i * 7919) % 100_000, "longitudeE7": 23_000_000 + (i * 104_729) % 100_000,
               "accuracy": 10 + i % 50, "source": "WIFI" if i % 3 else "GPS", "deviceTag": 12345,
               "timestamp": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}Z"}
        if i % 5 == 0:
            loc["activity"] = [{"timestamp": loc["timestamp"], "activity": [{"type": "STILL", "confidence": 90}]}]
        locs.append(loc)
    locs.insert(1234, {"latitudeE7": "north", "timestamp": "never"})  # one bad entry: a ParseIssue
    return orjson.dumps({"locations": locs}, option=orjson.OPT_INDENT_2)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_export(tmp_path_factory.mktemp("faults"), "takeout",
                       {"Takeout/Location History/Records.json": _records_json(N_POINTS)})


def _cmd(export: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "reflet", "audit", str(export), "--out", str(out)]


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=SRC, REFLET_DEBUG="", COLUMNS="200")


def _run(export: Path, out: Path) -> subprocess.CompletedProcess[str]:
    with guard.allow_subprocess():
        return subprocess.run(_cmd(export, out), env=_env(), capture_output=True, text=True, timeout=300)


def _started(export: Path, out: Path) -> subprocess.Popen[str]:
    with guard.allow_subprocess():
        return subprocess.Popen(_cmd(export, out), env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)


def _wait_for_store(out: Path, proc: subprocess.Popen[str]) -> None:
    """Until the run has opened its store (imports done): signals then land in the real work."""
    deadline = time.monotonic() + 120
    while not (out / "audit.duckdb").exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)


def _snapshot(out: Path) -> dict[str, list[tuple[object, ...]]]:
    """Everything a later step reads: records, issues, the member log, the archive cache."""
    with Store(out / "audit.duckdb", read_only=True) as s:
        return {
            "place": s.query("SELECT key, archive, member, locator, time, lat, lon, accuracy_m, kind, source, device "
                             "FROM place ORDER BY locator, key"),
            "issues": s.query("SELECT archive, member, locator, level, message FROM parse_issue ORDER BY ALL"),
            "members": s.query("SELECT archive, member, status, handler, records, issues FROM member_log "
                               "ORDER BY ALL"),
            "archives": s.query("SELECT archive_fp, name, records, issues FROM archive ORDER BY ALL"),
        }


@pytest.fixture(scope="module")
def clean(export: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, list[tuple[object, ...]]], float]:
    out = tmp_path_factory.mktemp("clean") / "out"
    started = time.monotonic()
    done = _run(export, out)
    took = time.monotonic() - started
    assert done.returncode == 3, done.stderr  # completed, with one unreadable entry
    snap = _snapshot(out)
    assert len(snap["place"]) == N_POINTS and len(snap["issues"]) >= 1
    return snap, took


def _no_temporary_files(out: Path) -> None:
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".report")]
    assert leftovers == []


def test_ctrl_c_stops_with_a_plain_message_and_no_half_report(
        export: Path, clean: tuple[dict[str, list[tuple[object, ...]]], float], tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _started(export, out)
    _wait_for_store(out, proc)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Stopped (Ctrl-C)" in err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert not (out / "report.html").exists() and not (out / "report.json").exists()
    _no_temporary_files(out)
    # The store left behind is not trusted: the next run reads the export again and finishes.
    again = _run(export, out)
    assert again.returncode == 3, again.stderr
    assert "Unchanged since the last audit" not in again.stdout
    assert _snapshot(out) == clean[0]
    assert (out / "report.html").exists()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killed_at_a_random_point_then_rerun_gives_the_same_records(
        export: Path, clean: tuple[dict[str, list[tuple[object, ...]]], float], tmp_path: Path, seed: int) -> None:
    snap, took = clean
    out = tmp_path / "out"
    proc = _started(export, out)
    _wait_for_store(out, proc)
    time.sleep(random.Random(seed).uniform(0.0, max(0.2, took * 0.6)))
    proc.kill()  # SIGKILL: no handler, no cleanup, possibly mid-write
    proc.communicate(timeout=60)
    again = _run(export, out)
    assert again.returncode == 3, again.stderr
    assert _snapshot(out) == snap


@pytest.mark.parametrize("commit_every_batch", [True, False])
def test_a_partly_read_export_does_not_survive_into_an_audit_without_it(
        export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, commit_every_batch: bool) -> None:
    """Records of an export cut short must not count in a later audit of other inputs."""
    from reflet import audit
    from reflet.audit import run_audit

    # Rows are committed every audit.TX_ROWS rows: with 1, the first batch is already in the store
    # when the read stops; with the default, the open transaction is rolled back and nothing is.
    if commit_every_batch:
        monkeypatch.setattr(audit, "TX_ROWS", 1)
    out = tmp_path / "out"
    real = Store.insert_batch
    calls = []

    def insert_then_stop(self: Store, batch: object, fp: str) -> None:
        real(self, batch, fp)  # type: ignore[arg-type]
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # after the first batch is stored (and committed), before the archive row

    monkeypatch.setattr(Store, "insert_batch", insert_then_stop)
    with pytest.raises(KeyboardInterrupt):
        run_audit([export], out)
    monkeypatch.undo()
    assert len(calls) == 2
    with Store(out / "audit.duckdb", read_only=True) as s:
        left = s.query("SELECT count(*) FROM place")[0][0]
        assert left > 0 if commit_every_batch else left == 0  # the half-read export left rows, or none
        assert s.query("SELECT status FROM audit_run") == [("interrupted",)]
    other = make_export(tmp_path, "other", {"Takeout/Location History/Records.json": _records_json(50)})
    result = run_audit([other], out)
    assert result.total_records == 50
    with Store(out / "audit.duckdb", read_only=True) as s:
        assert s.query("SELECT DISTINCT archive FROM place") == [("other",)]


def test_full_disk_gives_a_clear_error_naming_the_output_folder(export: Path, tmp_path: Path) -> None:
    mnt = tmp_path / "small-disk"
    mnt.mkdir()
    out = mnt / "audit-out"
    # A private 1.5 MB tmpfs (a user namespace: no root needed) really fills up mid-run.
    mount = 'mount -t tmpfs -o size=1500k tmpfs "$1" && shift && exec "$@"'
    with guard.allow_subprocess():
        done = subprocess.run(["unshare", "-rm", "sh", "-c", mount, "sh", str(mnt), *_cmd(export, out)],
                              env=_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "full" in done.stderr and str(out) in done.stderr.replace("\n", "")
    assert "Traceback" not in done.stderr


def test_full_disk_while_writing_the_report(export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = make_export(tmp_path, "small", {"Takeout/Location History/Records.json": _records_json(200)})
    out = tmp_path / "out"
    real_open = open

    def full_open(file: object, mode: str = "r", *a: object, **kw: object) -> object:
        if "w" in mode and str(file).startswith(str(out)) and ".report." in str(file):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file))
        return real_open(file, mode, *a, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", full_open)
    res = CliRunner().invoke(cli, ["audit", str(small), "--out", str(out)])
    assert res.exit_code == 1, res.output
    assert "full" in res.output and str(out) in res.output.replace("\n", "")
    assert "Traceback" not in res.output
    assert not (out / "report.html").exists()
    _no_temporary_files(out)
