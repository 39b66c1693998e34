"""TikTok: detection, exact records in both section generations, corrupt files."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from reflet import sources
from reflet.archive import open_archive
from reflet.records import AdSignal, Connection, Device, Identity, Login, ParseIssue, Post
from tests.builders import make_export
from tests.samples import tiktok as s

UTC = timezone.utc


def _parse(tmp_path: Path, path: str, data: str | bytes) -> list:
    arch = open_archive(make_export(tmp_path, "tiktok", {path: data}, "zip"))
    (info,) = arch.members()
    h = sources.match(arch, info)
    assert h is not None and h.name == "tiktok.user_data"
    return list(sources.parse_member(arch, info, h))


def test_not_claimed_without_tiktok_sections(tmp_path: Path) -> None:
    arch = open_archive(make_export(tmp_path, "x", {"user_data.json": '{"something": "else"}'}))
    (info,) = arch.members()
    assert sources.match(arch, info) is None


def test_new_layout_exact(tmp_path: Path) -> None:
    recs = _parse(tmp_path, "user_data_tiktok.json", json.dumps(s.NEW))
    logins = [(r.time, r.ip, r.device, r.detail) for r in recs if isinstance(r, Login)]
    assert logins == [
        (datetime(2025, 3, 1, 18, 22, 10, tzinfo=UTC), "203.0.113.9", "iPhone15,3 iOS 18.3", "Wi-Fi"),
        (datetime(2025, 3, 4, 7, tzinfo=UTC), "198.51.100.77", "iPhone15,3 iOS 18.3", "mobile / Example Mobile"),
    ]
    ids = {(r.kind, r.value) for r in recs if isinstance(r, Identity)}
    assert ids == {("ad_id", "6D92078A-8246-4BA4-AE5B-76104861E7DC"), ("device_id", "7300000000000000001"),
                   ("username", "alice.example"), ("email", "alice@example.org"), ("phone", "+33612345678"),
                   ("name", "Alice Example")}
    idfa = next(r for r in recs if isinstance(r, Identity) and r.kind == "ad_id")
    assert "adtech" in idfa.channels
    posts = {r.url: r for r in recs if isinstance(r, Post) and r.url}
    assert posts["https://www.tiktok.com/@alice.example/video/1"].visibility == "public"
    assert posts["https://www.tiktok.com/@alice.example/video/1"].text == "Croissants [location: Paris]"
    assert posts["https://www.tiktok.com/@alice.example/video/2"].visibility == "private"
    assert any(isinstance(r, Post) and r.text == "Autofill address: 1 Rue Example, 75004, Paris, France" for r in recs)
    ads = {(r.kind, r.name) for r in recs if isinstance(r, AdSignal)}
    assert {("interest", "Food & Drink"), ("interest", "Travel"), ("off_platform_activity", "Example Remit"),
            ("advertiser_has_your_data", "Example Broker"), ("advertiser_has_your_data", "Example Bank")} <= ads
    counts = {(r.kind, r.count) for r in recs if isinstance(r, Connection)}
    assert counts == {("follower", 2), ("following", 0)}
    assert not any("friend_one" in repr(r) for r in recs)  # counted, not stored
    assert not [r for r in recs if isinstance(r, ParseIssue)]


def test_old_layout_and_private_account(tmp_path: Path) -> None:
    recs = _parse(tmp_path, "user_data.json", json.dumps(s.OLD))
    assert [(r.ip, r.detail) for r in recs if isinstance(r, Login)] == [("192.0.2.44", "4G / Example Telecom")]
    assert any(isinstance(r, Device) and r.model == "SM-G991B" for r in recs)
    assert [(r.kind, r.value) for r in recs if isinstance(r, Identity)] == [("username", "alice_old")]
    data = json.loads(json.dumps(s.NEW))
    data["App Settings"]["Settings"]["SettingsMap"]["Private Account"] = "Enabled"
    recs = _parse(tmp_path / "p", "user_data_tiktok.json", json.dumps(data))
    vis = {r.url: r.visibility for r in recs if isinstance(r, Post) and r.url}
    assert vis["https://www.tiktok.com/@alice.example/video/1"] == "friends"


def test_corrupt_file_and_bad_entries(tmp_path: Path) -> None:
    recs = _parse(tmp_path, "user_data_tiktok.json", json.dumps(s.NEW)[:300])
    assert [(i.member, i.locator) for i in recs if isinstance(i, ParseIssue)] == [
        ("user_data_tiktok.json", "(whole file)")]
    data = json.loads(json.dumps(s.NEW))
    data["Your Activity"]["Login History"]["LoginHistoryList"][0]["Date"] = "yesterday"
    recs = _parse(tmp_path / "b", "user_data_tiktok.json", json.dumps(data))
    issues = [i for i in recs if isinstance(i, ParseIssue)]
    assert [i.locator for i in issues] == ["/Your Activity/Login History/LoginHistoryList/0"]
    assert sum(isinstance(r, Login) for r in recs) == 1
