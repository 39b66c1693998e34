"""Google Takeout beyond location history: access log, devices, My Activity, profile, Maps places."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from reflet import sources
from reflet.archive import open_archive
from reflet.records import AdSignal, Device, Identity, Login, ParseIssue, Place
from tests.builders import make_export
from tests.samples import google_takeout as s

UTC = timezone.utc
ACCESS = "Takeout/Access Log Activity/Activities - A list of Google services accessed by.csv"


def _parse(tmp_path: Path, files: dict[str, bytes | str]) -> list:
    arch = open_archive(make_export(tmp_path, "takeout-20260101T000000Z-001", files, "zip"))
    out = []
    for info in arch.members():
        h = sources.match(arch, info)
        if h is not None:
            out.extend(sources.parse_member(arch, info, h))
    return out


def test_each_file_is_claimed_by_its_google_handler(tmp_path: Path) -> None:
    for name, items in s.SAMPLES.items():
        for k, (path, data) in enumerate(items):
            arch = open_archive(make_export(tmp_path / name, f"t{k}", {path: data}))
            (info,) = arch.members()
            h = sources.match(arch, info)
            assert h is not None and h.name == name, (path, h)


def test_access_log_rows_exact(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {ACCESS: s.ACCESS_CSV})
    logins = [r for r in recs if isinstance(r, Login)]
    assert [(r.time, r.ip, r.country, r.city, r.detail, r.provenance.locator) for r in logins] == [
        (datetime(2026, 3, 11, 2, 49, 39, tzinfo=UTC), "198.51.100.23", "FR", "Paris", "Gmail", "row 2"),
        (datetime(2026, 3, 12, 8, 0, tzinfo=UTC), "2001:db8::42", "FR", "Paris", "Gmail", "row 3"),
    ]
    assert logins[0].region == "Île-de-France"
    assert logins[1].user_agent.startswith("App : GMAIL_APP")


def test_older_access_log_without_referer_columns(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {ACCESS: s.OLD_ACCESS_CSV})
    assert [(r.ip, r.city) for r in recs if isinstance(r, Login)] == [("203.0.113.7", "Montreal")]


def test_my_activity_locations_and_ads(tmp_path: Path) -> None:
    import json

    recs = _parse(tmp_path, {"Takeout/My Activity/Maps/MyActivity.json": json.dumps(s.MY_ACTIVITY),
                             "Takeout/My Activity/Ads/MyActivity.json": json.dumps(s.ADS_ACTIVITY)})
    places = [r for r in recs if isinstance(r, Place)]
    assert [(p.lat, p.lon, p.provenance.locator) for p in places] == [(48.853, 2.349, "/0/locationInfos/0")]
    ads = [r for r in recs if isinstance(r, AdSignal)]
    assert [(a.kind, a.name) for a in ads] == [("advertiser_has_your_data", "Example Remit")]
    assert "adtech" in ads[0].channels


def test_profile_and_places(tmp_path: Path) -> None:
    import json

    recs = _parse(tmp_path, {"Takeout/Profile/Profile.json": json.dumps(s.PROFILE),
                             "Takeout/Maps (your places)/Saved Places.json": json.dumps(s.SAVED),
                             "Takeout/Maps/My labeled places/Labeled places.json": json.dumps(s.LABELLED)})
    ids = {(r.kind, r.value, r.role) for r in recs if isinstance(r, Identity)}
    assert ids == {("name", "Alice Example", "primary"), ("name", "Alice E.", "primary"),
                   ("email", "alice@example.org", "primary"), ("email", "alice.old@example.org", "primary")}
    places = sorted((p.name, p.lat, p.lon, p.label) for p in recs if isinstance(p, Place))
    assert places == [("Home", 48.8534, 2.3488, "HOME"), ("Tour Eiffel", 48.8584, 2.2945, None)]


def test_devices_csv(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"Takeout/Access Log Activity/Devices - A list of devices (i.e. Nest, Pixel, iPh.csv":
                             s.DEVICES_CSV})
    (d,) = [r for r in recs if isinstance(r, Device)]
    assert (d.make, d.model, d.os, d.kind) == ("Google", "Pixel 7", "Android", "phone")
    assert d.first_seen == datetime(2023, 1, 1, 10, tzinfo=UTC)


def test_corrupt_rows_and_files_are_reported(tmp_path: Path) -> None:
    bad_csv = s.ACCESS_CSV + "1,not a date,1.2.3.4,,,,,,,,,,,,,\n"
    recs = _parse(tmp_path, {ACCESS: bad_csv, "Takeout/Profile/Profile.json": '{"name": ',
                             "Takeout/My Activity/Maps/MyActivity.json": '[{"time": "2021-01-01T00:00:00Z"}, {"ti'})
    issues = [r for r in recs if isinstance(r, ParseIssue)]
    assert {(i.member.split("/")[-1], i.locator) for i in issues} >= {
        ("Activities - A list of Google services accessed by.csv", "row 4"),
        ("Profile.json", "(whole file)"),
    }
    assert any(i.member.endswith("MyActivity.json") for i in issues)
    assert sum(isinstance(r, Login) for r in recs) == 2
