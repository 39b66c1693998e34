"""Telegram Desktop export: identity, sessions, own shared locations, counts only."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from reflet import sources
from reflet.archive import open_archive
from reflet.records import Connection, Device, Identity, Login, ParseIssue, Place
from tests.builders import make_export
from tests.samples import telegram as s

UTC = timezone.utc
PATH = "Telegram Desktop/DataExport_2024-05-01/result.json"


def _parse(tmp_path: Path, data: str) -> list:
    arch = open_archive(make_export(tmp_path, "tg", {PATH: data}))
    (info,) = arch.members()
    h = sources.match(arch, info)
    assert h is not None and h.name == "telegram.result"
    return list(sources.parse_member(arch, info, h))


def test_result_json_exact(tmp_path: Path) -> None:
    recs = _parse(tmp_path, json.dumps(s.RESULT))
    assert {(r.kind, r.value) for r in recs if isinstance(r, Identity)} == {
        ("name", "Ann Example"), ("phone", "+31612345678"), ("username", "ann_example")}
    logins = [(r.time, r.ip, r.country, r.region, r.detail) for r in recs if isinstance(r, Login)]
    assert logins == [
        (datetime(2024, 5, 1, 13, 3, 22, tzinfo=UTC), "203.0.113.8", "Netherlands", "North Holland",
         "Telegram Desktop 5.0.1"),
        (datetime(2024, 4, 1, 10, tzinfo=UTC), "198.51.100.99", None, "Unknown", "web session: example.org"),
    ]
    (dev,) = [r for r in recs if isinstance(r, Device)]
    assert (dev.kind, dev.os, dev.first_seen) == ("computer", "Windows Windows 11",
                                                  datetime(2023, 11, 2, 9, tzinfo=UTC))
    # Only Ann's own shared location; Bob's is his and is not kept.
    places = [(p.lat, p.lon, p.time, p.provenance.locator) for p in recs if isinstance(p, Place)]
    assert places == [(52.370216, 4.895168, datetime(2024, 5, 1, 13, 5, tzinfo=UTC),
                       "/chats/list/0/messages/0/location_information")]
    assert {(c.kind, c.count) for c in recs if isinstance(c, Connection)} == {("contact", 2), ("chat", 2)}
    text = repr(recs)
    assert "Bob" not in text and "+31 6 0000 0001" not in text and "see you there" not in text


def test_truncated_export_keeps_what_came_before(tmp_path: Path) -> None:
    data = json.dumps(s.RESULT)
    cut = data.index('"chats"') + 40
    recs = _parse(tmp_path, data[:cut])
    issues = [i for i in recs if isinstance(i, ParseIssue)]
    assert [(i.member, i.locator) for i in issues] == [(PATH, "(whole file)")]
    assert sum(isinstance(r, Login) for r in recs) == 2


def test_other_result_json_not_claimed(tmp_path: Path) -> None:
    arch = open_archive(make_export(tmp_path, "o", {"build/result.json": '{"status": "ok", "tests": 3}'}))
    (info,) = arch.members()
    assert sources.match(arch, info) is None
