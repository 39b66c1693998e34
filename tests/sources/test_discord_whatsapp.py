"""Discord and WhatsApp (layouts researched, UNCONFIRMED: see docs/platform-research.md)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from reflet import sources
from reflet.archive import open_archive
from reflet.records import App, Connection, Device, Identity, Login, ParseIssue
from tests.builders import make_export
from tests.samples import discord as d
from tests.samples import whatsapp as w

UTC = timezone.utc


def _parse(tmp_path: Path, files: dict[str, bytes | str], platform: str) -> list:
    arch = open_archive(make_export(tmp_path, "pkg", files, "zip"))
    out = []
    for info in arch.members():
        h = sources.match(arch, info)
        assert h is not None and h.platform == platform, info.path
        out.extend(sources.parse_member(arch, info, h))
    return out


def test_discord_events_folded_per_ip_day_device(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"package/Activity/Analytics/events-2024-00000-of-00001.json": d.EVENTS_NDJSON},
                  "discord")
    logins = [(r.time, r.ip, r.city, r.country, r.device, r.provenance.locator) for r in recs]
    assert logins == [
        (datetime(2024, 5, 1, 8, tzinfo=UTC), "203.0.113.60", "Lyon", "FR", "Windows Chrome", "line 1"),
        (datetime(2024, 5, 2, 9, tzinfo=UTC), "198.51.100.61", "Paris", "FR", "Pixel 7 Android", "line 3"),
    ]


def test_discord_account_and_counts(tmp_path: Path) -> None:
    files = {p: data for name, items in d.SAMPLES.items() if name != "discord.events" for p, data in items}
    recs = _parse(tmp_path, files, "discord")
    ids = {(r.kind, r.value, "public" in r.channels) for r in recs if isinstance(r, Identity)}
    assert ids == {("username", "alice_d", True), ("email", "alice@example.org", False),
                   ("phone", "+33612345678", False), ("username", "steam:alice_steam", True),
                   ("username", "spotify:alice_sp", False)}
    assert [r.ip for r in recs if isinstance(r, Login)] == ["203.0.113.60"]
    assert {(c.kind, c.count) for c in recs if isinstance(c, Connection)} == {
        ("friend", 1), ("group", 2), ("chat", 1)}
    assert [a.name for a in recs if isinstance(a, App)] == ["Alice Bot"]
    assert "bob_d" not in repr(recs)


def test_discord_bad_lines_reported(tmp_path: Path) -> None:
    data = d.EVENTS_NDJSON + "{broken\n" + json.dumps({"ip": "192.0.2.1", "timestamp": "not a time"}) + "\n"
    recs = _parse(tmp_path, {"package/Activity/Analytics/events-2024-00000-of-00001.json": data}, "discord")
    assert [(i.locator, i.message[:10]) for i in recs if isinstance(i, ParseIssue)] == [
        ("line 5", "not a JSON"), ("line 6", "unrecognis")]
    assert sum(isinstance(r, Login) for r in recs) == 2


def test_whatsapp_report_by_meaning_of_keys(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"whatsapp_report/user_information.json": json.dumps(w.REPORT)}, "whatsapp")
    assert {(r.kind, r.value) for r in recs if isinstance(r, Identity)} == {
        ("phone", "+33612345678"), ("name", "Alice")}
    assert [r.ip for r in recs if isinstance(r, Login)] == ["203.0.113.70"]
    (dev,) = [r for r in recs if isinstance(r, Device)]
    assert (dev.model, dev.os, dev.first_seen) == ("Pixel 7", "Android 14", datetime(2019, 3, 1, 10, tzinfo=UTC))
    assert {(c.kind, c.count) for c in recs if isinstance(c, Connection)} == {("contact", 3), ("group", 2)}
    assert "+33600000001" not in repr(recs) and "Family" not in repr(recs)


def test_whatsapp_damaged_report(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"whatsapp_report/user_information.json": '{"phone_number": "+3'}, "whatsapp")
    assert [(i.locator) for i in recs if isinstance(i, ParseIssue)] == ["(whole file)"]
