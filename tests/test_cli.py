"""The `reflet` command as a person meets it: exit codes, JSON, safe names, errors, help."""

from __future__ import annotations

import json
import traceback
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reflet import audit as audit_mod
from reflet.cli import cli
from reflet.errors import StoreError

from .builders import make_export
from .coredata import MEMBER, google_export, point, records_json

WIDE = {"COLUMNS": "200", "REFLET_PASSPHRASE": None, "REFLET_DEBUG": None}


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), env=WIDE)


def _bad_points() -> str:
    pts = [point(i) for i in range(4)]
    del pts[2]["latitudeE7"]  # one entry a person can be told about
    return records_json(pts)


def test_clean_audit_exits_0(tmp_path: Path) -> None:
    exp = google_export(tmp_path, "takeout", [point(i) for i in range(4)], container="zip")
    res = run("audit", str(exp), "--out", str(tmp_path / "out"))
    assert res.exit_code == 0, res.output
    assert "locations" in res.output and "reflet forget" in res.output  # record kinds in plain words


def test_nothing_readable_exits_1(tmp_path: Path) -> None:
    exp = make_export(tmp_path, "photos-and-notes", {"notes.txt": "hello", "todo.md": "- x"})
    res = run("audit", str(exp), "--out", str(tmp_path / "out"))
    assert res.exit_code == 1
    assert "Nothing readable" in res.output and "reflet sources" in res.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    res = run("audit", str(tmp_path / "no-such-export.zip"), "--out", str(tmp_path / "out"))
    assert res.exit_code == 2 and "does not exist" in res.output
    assert run("audit").exit_code == 2
    assert run("no-such-command").exit_code == 2
    assert not (tmp_path / "out").exists()


def test_per_file_problems_exit_3_and_are_listed(tmp_path: Path) -> None:
    exp = make_export(tmp_path, "takeout", {MEMBER: _bad_points()}, container="zip")
    res = run("audit", str(exp), "--out", str(tmp_path / "out"))
    assert res.exit_code == 3, res.output
    assert "could not be read" in res.output and "Records.json: 1" in res.output


def test_json_output_lists_records_unrecognised_and_issues(tmp_path: Path) -> None:
    exp = make_export(tmp_path, "takeout", {MEMBER: _bad_points(), "Takeout/Mystery/thing.bin": b"\x00\x01"})
    res = run("audit", str(exp), "--out", str(tmp_path / "out"), "--json")
    assert res.exit_code == 3
    data = json.loads(res.stdout)
    assert data["exit_code"] == 3
    assert {"type": "Place", "platform": "google", "count": 3} in data["records"]
    assert data["unrecognised"] == [{"archive": "takeout", "member": "Takeout/Mystery/thing.bin"}]
    assert data["issues"] == [{"archive": "takeout", "member": MEMBER, "count": 1}]
    assert data["encrypted"] is False and data["store"].endswith("audit.duckdb")


HOSTILE = [
    "ansi\x1b[31mRED\x1b[0m.txt",  # colours, and ESC [2J would clear the screen
    "bidi\u202eexe.txt",  # right-to-left override: reads as "bidi" + "txt.exe"
    "bell\x07back\x08space\x0d.txt",
    "[blink]markup.txt",  # rich markup: would vanish and make the rest blink
    "sep\u2028line\u200f.txt",
]


def test_hostile_member_names_are_printed_defused(tmp_path: Path) -> None:
    top = "Take\x1b]0;pwned\x07out\u2066"  # also in the archive name and in the path of a parsed file
    files: dict[str, str | bytes] = {name: "x" for name in HOSTILE}
    files[f"{top}/Location History/Records.json"] = _bad_points()
    exp = make_export(tmp_path, "exp\x1b[1m", files)
    res = run("audit", str(exp), "--out", str(tmp_path / "out"))
    assert res.exit_code == 3, res.output
    out = res.output
    for bad in ("\x1b", "\x07", "\x08", "\x0d", "\u202e", "\u2066", "\u2028", "\u200f"):
        assert bad not in out, repr(bad)
    assert "[blink]markup.txt" in out  # shown as it is named, not interpreted
    assert "bidi?exe.txt" in out and "ansi?[31mRED?[0m.txt" in out
    assert "Take?]0;pwned?out?/Location History/Records.json: 1" in out
    # JSON escapes controls (\u001b), so it is safe to print too, and keeps the real names.
    data = json.loads(run("audit", str(exp), "--out", str(tmp_path / "out2"), "--json").stdout)
    assert "\x1b" not in run("audit", str(exp), "--out", str(tmp_path / "out3"), "--json").stdout
    assert {u["member"] for u in data["unrecognised"]} == set(HOSTILE)


def test_internal_error_has_no_traceback_without_debug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*a: object, **k: object) -> None:
        raise RuntimeError("something inside went wrong")

    monkeypatch.setattr(audit_mod, "run_audit", broken)
    exp = google_export(tmp_path, "takeout", [point(0)])
    res = run("audit", str(exp), "--out", str(tmp_path / "out"))
    assert res.exit_code == 1
    # The type and where, not the message: it may quote the data being read (tests/test_secrets.py).
    assert "internal error" in res.output and "RuntimeError in reflet/" in res.output
    assert "something inside went wrong" not in res.output
    assert "--debug" in res.output and "please report it" in res.output
    assert "Traceback" not in res.output and 'File "' not in res.output

    res = run("--debug", "audit", str(exp), "--out", str(tmp_path / "out"))
    assert isinstance(res.exception, RuntimeError)
    assert res.exc_info is not None
    tb = "".join(traceback.format_exception(*res.exc_info))
    assert "Traceback" in tb and "broken" in tb and "something inside went wrong" in tb


def test_reflet_errors_are_one_line_unless_debugging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuses(*a: object, **k: object) -> None:
        raise StoreError("the audit database could not be written: disk full")

    monkeypatch.setattr(audit_mod, "run_audit", refuses)
    exp = google_export(tmp_path, "takeout", [point(0)])
    res = run("audit", str(exp), "--out", str(tmp_path / "out"))
    assert res.exit_code == 1 and "Error:" in res.output and "disk full" in res.output
    assert "Traceback" not in res.output
    assert isinstance(run("--debug", "audit", str(exp), "--out", str(tmp_path / "o")).exception, StoreError)


JARGON = ("duckdb", "arrow", "regex", "handler", "pep 578", "stdout", "traceback", "sql")


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out: list[tuple[tuple[str, ...], click.Command]] = []
    for name, cmd in sorted(group.commands.items()):
        out.append(((*prefix, name), cmd))
        if isinstance(cmd, click.Group):
            out += _all_commands(cmd, (*prefix, name))
    return out


def test_every_command_has_plain_help() -> None:
    top = run("--help")
    assert top.exit_code == 0 and "offline" in top.output
    commands = _all_commands(cli)
    assert {"audit", "sources", "forget"} <= {path[0] for path, _ in commands}
    for path, cmd in commands:
        res = run(*path, "--help")
        assert res.exit_code == 0, path
        assert cmd.help and len(cmd.help.split()) >= 4, f"{path}: no description"
        assert len(path) > 1 or f"  {path[0]} " in top.output, f"{path[0]} missing from reflet --help"
        for p in cmd.params:
            if isinstance(p, click.Option) and not p.hidden:
                assert p.help, f"{' '.join(path)} {p.opts[0]} has no help text"
        text = res.output.lower()
        found = [w for w in JARGON if f" {w}" in text]
        assert found == [], f"{' '.join(path)} --help uses jargon: {found}"


def test_sources_lists_the_google_records_reader() -> None:
    res = run("sources")
    assert res.exit_code == 0
    assert "google" in res.output and "Records.json" in res.output
    listed = json.loads(run("sources", "--json").stdout)
    rec = next(h for h in listed if h["name"] == "google.records")
    assert rec["platform"] == "google" and rec["example"].endswith("Records.json")
