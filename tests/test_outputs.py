"""The output folder: private, warned about when synced, forgettable, and the only place written."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflet.audit import run_audit
from reflet.cli import cli
from reflet.errors import UsageError
from reflet.outputs import MARKER, cloud_service, forget, prepare

from .coredata import google_export, point

# Wide enough that rich does not wrap a message around a long temporary path.
WIDE = {"COLUMNS": "250"}
RUNNER = CliRunner(env=WIDE)


def _export(tmp_path: Path) -> Path:
    return google_export(tmp_path / "inputs", "takeout", [point(i) for i in range(5)], container="zip")


def test_output_is_private_to_its_owner(tmp_path: Path) -> None:
    out = tmp_path / "out"
    old = os.umask(0o022)  # a typical desktop umask: files would be world-readable by default
    try:
        result = run_audit([_export(tmp_path)], out)
    finally:
        os.umask(old)
    assert result.total_records == 5 and result.report_path is not None
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    seen = 0
    for root, dirs, files in os.walk(out):
        for d in dirs:
            assert stat.S_IMODE(os.stat(os.path.join(root, d)).st_mode) == 0o700, d
        for f in files:
            assert stat.S_IMODE(os.stat(os.path.join(root, f)).st_mode) == 0o600, f
            seen += 1
    assert seen >= 4  # marker, database, report.html, report.json


@pytest.mark.parametrize(("parts", "service"), [
    (("Dropbox", "audits"), "Dropbox"),
    (("OneDrive - Contoso", "x"), "OneDrive"),
    (("Google Drive", "My Drive"), "Google Drive"),
    (("Library", "Mobile Documents", "com~apple~CloudDocs"), "iCloud Drive"),
    (("iCloud Drive",), "iCloud Drive"),
])
def test_cloud_folder_is_warned_about(tmp_path: Path, parts: tuple[str, ...], service: str) -> None:
    out = tmp_path.joinpath(*parts, "reflet-out")
    assert cloud_service(out) == service
    result = run_audit([_export(tmp_path)], out, write_report=False)
    assert any(service in w for w in result.warnings), result.warnings
    res = RUNNER.invoke(cli, ["audit", str(_export(tmp_path)), "--out", str(tmp_path.joinpath(*parts, "o2"))])
    assert res.exit_code == 0, res.output
    assert res.output.count(service) >= 1 and "Warning" in res.output


def test_ordinary_folder_is_not_warned_about(tmp_path: Path) -> None:
    out = tmp_path / "Documents" / "drive-notes" / "reflet-out"
    assert cloud_service(out) is None
    assert run_audit([_export(tmp_path)], out, write_report=False).warnings == []
    res = RUNNER.invoke(cli, ["audit", str(_export(tmp_path)), "--out", str(tmp_path / "plain")])
    assert res.exit_code == 0 and "Warning" not in res.output


def test_forget_deletes_an_audit_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    exp = _export(tmp_path)
    run_audit([exp], out)
    before = exp.read_bytes()
    res = RUNNER.invoke(cli, ["forget", str(out), "--yes"])
    assert res.exit_code == 0, res.output
    assert not out.exists()
    assert exp.read_bytes() == before  # the original export is untouched


def test_forget_never_overwrites_what_a_link_points_to(tmp_path: Path) -> None:
    out = prepare(tmp_path / "out")
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    (out / "link").symlink_to(outside)
    forget(out)
    assert not out.exists() and outside.read_text() == "keep me"


def test_forget_refuses_a_folder_reflet_did_not_write(tmp_path: Path) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    (folder / "thesis.txt").write_text("years of work")
    res = RUNNER.invoke(cli, ["forget", str(folder), "--yes"])
    assert res.exit_code == 2
    assert "not a reflet output folder" in res.output
    assert (folder / "thesis.txt").read_text() == "years of work"
    with pytest.raises(UsageError):
        forget(tmp_path / "missing")


def test_forget_refuses_a_link_to_an_output_folder(tmp_path: Path) -> None:
    out = prepare(tmp_path / "out")
    link = tmp_path / "link"
    link.symlink_to(out)
    res = RUNNER.invoke(cli, ["forget", str(link), "--yes"])
    assert res.exit_code == 2 and "link" in res.output
    assert (out / MARKER).exists()


def test_prepare_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "Desktop"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="not empty"):
        prepare(folder)
    res = RUNNER.invoke(cli, ["audit", str(_export(tmp_path)), "--out", str(folder)])
    assert res.exit_code == 2 and "not empty" in res.output
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]  # nothing written there
    # A reflet folder can be reused, and an empty folder adopted.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert prepare(empty) == empty and (empty / MARKER).exists()
    assert prepare(empty) == empty


def test_nothing_is_written_outside_the_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tmpdir = tmp_path / "TMPDIR"
    tmpdir.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", None)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)  # DuckDB's own default spill folder is relative to the working directory
    exp = _export(tmp_path)
    inputs_before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "inputs").rglob("*"))
    res = RUNNER.invoke(cli, ["audit", str(exp), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert list(tmpdir.iterdir()) == []
    assert list(cwd.iterdir()) == []
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "inputs").rglob("*")) == inputs_before


def test_results_never_go_inside_an_export(tmp_path: Path) -> None:
    exp = google_export(tmp_path, "takeout", [point(i) for i in range(3)])
    before = sorted(p.relative_to(exp) for p in exp.rglob("*"))
    for out in (exp / "reflet-out", exp, exp / "Takeout" / "x"):
        res = RUNNER.invoke(cli, ["audit", str(exp), "--out", str(out)])
        assert res.exit_code == 2 and "outside it" in " ".join(res.output.split()), res.output
    assert sorted(p.relative_to(exp) for p in exp.rglob("*")) == before
    # Nor may the output folder hold an export (forget would delete it).
    res = RUNNER.invoke(cli, ["audit", str(exp), "--out", str(tmp_path)])
    assert res.exit_code == 2 and "is inside the output folder" in " ".join(res.output.split())
