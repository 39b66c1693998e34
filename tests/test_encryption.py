"""Encryption: with a passphrase, nothing personal is readable on disk, and the passphrase never leaks."""

from __future__ import annotations

import os
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflet import store as store_mod
from reflet.audit import run_audit
from reflet.cli import cli
from reflet.errors import EncryptionUnavailable, StoreError
from reflet.records import Identity, Login, Place, Provenance
from reflet.store import STORE_NAME, Store

from .coredata import google_export, point

CANARY = "Canary-passphrase-7f3a9c"
EMAIL = "alice.planted@example.org"
IP = "203.0.113.77"
PLANTED = (EMAIL, IP)
PROV = Provenance(archive="x.zip", member="security/logins.json", locator="/0")

# Wide enough that rich does not wrap a message around a long temporary path.
WIDE = {"COLUMNS": "250"}
RUNNER = CliRunner(env=WIDE)


def _export(tmp_path: Path) -> Path:
    # The device tags are stored as they are: the planted values travel into the database.
    pts = [point(i) for i in range(20)]
    pts[3]["deviceTag"] = EMAIL
    pts[7]["deviceTag"] = IP
    return google_export(tmp_path, "takeout", pts, container="zip")


@pytest.fixture
def empty_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "TMPDIR"
    d.mkdir()
    monkeypatch.setenv("TMPDIR", str(d))
    monkeypatch.setattr(tempfile, "tempdir", None)  # make Python read TMPDIR again
    return d


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def _leaks(files: list[Path], secrets: tuple[str, ...]) -> list[str]:
    out = []
    for f in files:
        data = f.read_bytes()
        out += [f"{f.name}: {s}" for s in secrets
                if s.encode() in data or s.encode("utf-16-le") in data]
    return out


def test_encrypted_audit_leaves_nothing_readable(tmp_path: Path, empty_tmpdir: Path) -> None:
    out = tmp_path / "out"
    result = run_audit([_export(tmp_path)], out, passphrase=CANARY)
    assert result.encrypted and result.records[("Place", "google")] == 20
    db_files = [out / STORE_NAME, *(p for p in [out / f"{STORE_NAME}.wal"] if p.exists()), *_files(out / ".tmp")]
    assert _leaks(db_files, (*PLANTED, CANARY)) == []
    assert _files(empty_tmpdir) == []
    # The reports are not encrypted yet (a later issue), but never carry the passphrase.
    assert result.report_path is not None and result.json_path is not None
    assert _leaks([result.report_path, result.json_path], (CANARY,)) == []
    # And the same audit in clear does hold the planted values: the check above can fail.
    clear = run_audit([_export(tmp_path)], tmp_path / "clear")
    assert _leaks([clear.store_path], PLANTED) != []


def test_wal_of_an_open_encrypted_store_is_encrypted(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    t = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    with Store(path, passphrase=CANARY) as store:
        store.insert([Login(provenance=PROV, platform="facebook", time=t, ip=IP, user_agent="UA"),
                      Identity(provenance=PROV, platform="facebook", kind="email", value=EMAIL)], "fp")
        wal = Path(f"{path}.wal")
        assert wal.exists() and wal.stat().st_size > 0  # small writes go to the log first
        assert _leaks([path, wal], (*PLANTED, CANARY)) == []
    with Store(path, passphrase=CANARY, read_only=True) as store:
        assert store.query("SELECT ip FROM login") == [(IP,)]
        assert store.query("SELECT value FROM identity") == [(EMAIL,)]


def test_spill_files_of_an_encrypted_store_are_encrypted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Force DuckDB to spill a sort to disk (small memory, one thread), and watch the spill folder.
    monkeypatch.setitem(store_mod._DUCKDB_CONFIG, "memory_limit", "64MB")
    monkeypatch.setitem(store_mod._DUCKDB_CONFIG, "threads", 1)
    monkeypatch.setitem(store_mod._DUCKDB_CONFIG, "preserve_insertion_order", False)
    seen: set[str] = set()
    leaked: set[str] = set()
    stop = threading.Event()

    def watch(folder: Path) -> None:
        while not stop.is_set():
            for f in _files(folder):
                seen.add(f.name)
                try:
                    if EMAIL.encode() in f.read_bytes():
                        leaked.add(f.name)
                except OSError:
                    pass
            stop.wait(0.005)

    with Store(tmp_path / STORE_NAME, passphrase=CANARY) as store:
        assert store.query("SELECT current_setting('temp_file_encryption')") == [(True,)]
        store.con.execute(f"CREATE TABLE big AS SELECT '{EMAIL}' || i::VARCHAR || repeat('x', 40) AS v, "
                          "hash(i) AS r FROM range(1200000) t(i)")
        w = threading.Thread(target=watch, args=(tmp_path / ".tmp",))
        w.start()
        try:
            # A sorted copy larger than the memory limit: DuckDB must spill it.
            store.con.execute("CREATE TABLE sorted AS SELECT v FROM big ORDER BY r")
        finally:
            stop.set()
            w.join()
    assert seen, "the sort did not spill: the check proved nothing"
    assert leaked == set()


def test_opening_needs_the_right_passphrase(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    with Store(path, passphrase=CANARY) as store:
        store.insert([Place(provenance=PROV, platform="google", time=None, lat=1.0, lon=2.0)], "fp")
    with pytest.raises(StoreError, match="is encrypted: give its passphrase"):
        Store(path)
    with pytest.raises(StoreError, match="wrong passphrase") as exc:
        Store(path, passphrase="not-" + CANARY)
    assert CANARY not in str(exc.value)
    with Store(path, passphrase=CANARY, read_only=True) as store:
        assert store.query("SELECT lat, lon FROM place") == [(1.0, 2.0)]


def test_missing_encryption_extension_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_mod, "httpfs_extension_path", lambda: None)
    with pytest.raises(EncryptionUnavailable, match="duckdb-ext-httpfs"):
        Store(tmp_path / STORE_NAME, passphrase=CANARY)
    # Nothing was written in clear instead.
    assert not (tmp_path / STORE_NAME).exists()
    res = RUNNER.invoke(cli, ["audit", str(_export(tmp_path)), "--out", str(tmp_path / "out"), "--encrypt"],
                             env={"REFLET_PASSPHRASE": CANARY})
    assert res.exit_code == 1
    assert "duckdb-ext-httpfs" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "out" / STORE_NAME).exists()


def test_cli_reads_the_passphrase_from_a_file(tmp_path: Path) -> None:
    pp = tmp_path / "passphrase.txt"
    pp.write_text(CANARY + "\n")
    out = tmp_path / "out"
    res = RUNNER.invoke(cli, ["audit", str(_export(tmp_path)), "--out", str(out), "--passphrase-file", str(pp)],
                             env={"REFLET_PASSPHRASE": None})
    assert res.exit_code == 0, res.output
    with pytest.raises(StoreError):
        Store(out / STORE_NAME, read_only=True)
    with Store(out / STORE_NAME, passphrase=CANARY, read_only=True) as store:  # the newline is not part of it
        assert store.count(Place) == 20
    assert CANARY not in res.output


def test_cli_reads_the_passphrase_from_the_environment(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = RUNNER.invoke(cli, ["audit", str(_export(tmp_path)), "--out", str(out), "--encrypt", "--json"],
                             env={"REFLET_PASSPHRASE": CANARY})
    assert res.exit_code == 0, res.output
    assert '"encrypted": true' in res.output and CANARY not in res.output
    with Store(out / STORE_NAME, passphrase=CANARY, read_only=True) as store:
        assert store.count(Place) == 20
    # Nothing in this process put the passphrase on its command line.
    assert CANARY.encode() not in Path(f"/proc/{os.getpid()}/cmdline").read_bytes()


def test_environment_passphrase_alone_encrypts(tmp_path: Path) -> None:
    # Someone who set REFLET_PASSPHRASE and forgot --encrypt must not get a clear database.
    out = tmp_path / "out"
    res = RUNNER.invoke(cli, ["audit", str(_export(tmp_path)), "--out", str(out)],
                             env={"REFLET_PASSPHRASE": CANARY})
    assert res.exit_code == 0, res.output
    with pytest.raises(StoreError, match="encrypted"):
        Store(out / STORE_NAME, read_only=True)


def test_there_is_no_passphrase_option_taking_a_value(tmp_path: Path) -> None:
    audit = cli.commands["audit"]
    opts = {o for p in audit.params for o in getattr(p, "opts", [])}
    assert "--passphrase" not in opts
    assert [o for o in opts if "passphrase" in o] == ["--passphrase-file"]
    res = RUNNER.invoke(cli, ["audit", str(_export(tmp_path)), "--out", str(tmp_path / "out"),
                                   "--passphrase", CANARY])
    assert res.exit_code == 2 and "No such option" in res.output


def test_rerun_into_an_encrypted_folder_needs_the_passphrase(tmp_path: Path) -> None:
    exp, out = _export(tmp_path), tmp_path / "out"
    first = RUNNER.invoke(cli, ["audit", str(exp), "--out", str(out)], env={"REFLET_PASSPHRASE": CANARY})
    assert first.exit_code == 0, first.output
    clear = RUNNER.invoke(cli, ["audit", str(exp), "--out", str(out)], env={"REFLET_PASSPHRASE": None})
    assert clear.exit_code == 1 and "is encrypted: give its passphrase" in clear.output
    wrong = RUNNER.invoke(cli, ["audit", str(exp), "--out", str(out)], env={"REFLET_PASSPHRASE": "nope"})
    assert wrong.exit_code == 1 and "wrong passphrase" in wrong.output
    assert "Traceback" not in clear.output + wrong.output and CANARY not in clear.output + wrong.output
    # A clear audit folder is not silently mixed with an encrypted one either.
    plain = tmp_path / "plain"
    assert RUNNER.invoke(cli, ["audit", str(exp), "--out", str(plain)],
                              env={"REFLET_PASSPHRASE": None}).exit_code == 0
    mixed = RUNNER.invoke(cli, ["audit", str(exp), "--out", str(plain)], env={"REFLET_PASSPHRASE": CANARY})
    assert mixed.exit_code == 1 and "not encrypted" in mixed.output
