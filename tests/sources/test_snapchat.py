"""Snapchat: every coordinate encoding, account, ad profile, corrupt files."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from reflet import sources
from reflet.archive import open_archive
from reflet.records import AdSignal, App, Connection, Device, Identity, Login, ParseIssue, Place, Post
from reflet.sources.snapchat import coords
from tests.builders import make_export
from tests.samples import snapchat as s

UTC = timezone.utc


def _parse(tmp_path: Path, files: dict[str, bytes]) -> list:
    arch = open_archive(make_export(tmp_path, "mydata", files, "zip"))
    out = []
    for info in arch.members():
        h = sources.match(arch, info)
        assert h is not None and h.platform == "snapchat", info.path
        out.extend(sources.parse_member(arch, info, h))
    return out


def _all(tmp_path: Path) -> list:
    return _parse(tmp_path, {p: d for items in s.SAMPLES.values() for p, d in items})


@pytest.mark.parametrize(("text", "expected"), [
    ("lat 52.370 ± 19.5 meters, long 4.895 ± 19.5 meters", (52.37, 4.895, 19.5)),
    ("52.370, 4.895", (52.37, 4.895, None)),
    ("Latitude, Longitude: 48.858844, 2.294351", (48.858844, 2.294351, None)),
    ("lat -33.9 ± 0 meters, long 151.2 ± 0 meters", (-33.9, 151.2, 0.0)),
])
def test_coordinate_encodings(text: str, expected: tuple) -> None:
    assert coords(text) == expected


def test_location_history_exact(tmp_path: Path) -> None:
    recs = _all(tmp_path)
    places = sorted(((p.time, p.lat, p.lon, p.kind, p.label) for p in recs if isinstance(p, Place)),
                    key=lambda x: (x[0] is not None, x[0] or datetime.min.replace(tzinfo=UTC), x[3]))
    assert places == [
        (None, 52.37, 4.895, "profile", "HOME"),
        (datetime(2024, 6, 1, 12, tzinfo=UTC), 52.37, 4.89, "geotag", None),
        (datetime(2024, 9, 5, tzinfo=UTC), 52.37, 4.895, "visit", None),
        (datetime(2024, 9, 5, 10, 11, 12, tzinfo=UTC), 52.37, 4.895, "gps", None),
        (datetime(2024, 9, 6, 8, tzinfo=UTC), 52.36, 4.9, "gps", None),
    ]
    home = next(p for p in recs if isinstance(p, Place) and p.label == "HOME")
    assert home.source == "inferred by Snapchat" and home.provenance.locator == "/Home & Work/inferredHome"
    areas = [a for a in recs if isinstance(a, AdSignal) and a.name.startswith("Area visited")]
    assert [(a.name, a.time) for a in areas] == [
        ("Area visited: Amsterdam, North Holland, 1012", datetime(2024, 8, 30, 17, tzinfo=UTC))]


def test_account_devices_identity(tmp_path: Path) -> None:
    recs = _all(tmp_path)
    logins = sorted((r.action, r.ip, r.time) for r in recs if isinstance(r, Login) and r.ip)
    assert logins == [("account_created", "203.0.113.33", datetime(2019, 4, 1, 10, tzinfo=UTC)),
                      ("login", "198.51.100.40", datetime(2024, 9, 1, 7, tzinfo=UTC))]
    assert {(d.make, d.model) for d in recs if isinstance(d, Device)} == {
        ("Apple", "iPhone 14 Pro Max"), ("samsung", "SM-G991B")}
    ids = {(r.kind, r.value, r.role) for r in recs if isinstance(r, Identity)}
    assert ids == {("username", "alice_snap", "primary"), ("name", "Alice", "primary"),
                   ("phone", "+31612345678", "primary"), ("email", "old@example.org", "former")}
    assert any(r.action == "password_change" for r in recs if isinstance(r, Login))


def test_adtech_sharing_apps_counts(tmp_path: Path) -> None:
    recs = _all(tmp_path)
    ads = {(a.kind, a.name) for a in recs if isinstance(a, AdSignal)}
    assert {("inferred_category", "Cohort Age: AGE_25_TO_34"), ("interest", "Bakeries"),
            ("advertiser_has_your_data", "Example Remit"),
            ("inferred_category", "Visited: Example Clinic, Amsterdam")} <= ads
    (post,) = [p for p in recs if isinstance(p, Post)]
    assert post.visibility == "public" and "Example Café" in post.text
    assert [a.name for a in recs if isinstance(a, App)] == ["Example Game"]
    assert [(c.kind, c.count) for c in recs if isinstance(c, Connection)] == [("friend", 2)]
    assert not any("bob_snap" in repr(r) for r in recs)


def test_corrupt_and_bad_entries(tmp_path: Path) -> None:
    bad = dict(s.LOCATION)
    bad["Location History"] = [["2024-09-05 10:11:12 UTC", "somewhere"], ["2024-09-06 08:00:00 UTC", "52.1, 4.1"]]
    import json

    recs = _parse(tmp_path, {"json/location_history.json": json.dumps(bad).encode(),
                             "json/account.json": b'{"Basic Information": {"Username": '})
    issues = sorted((i.member, i.locator) for i in recs if isinstance(i, ParseIssue))
    assert issues == [("json/account.json", "(whole file)"), ("json/location_history.json", "/Location History/0")]
    assert any(isinstance(p, Place) and p.lat == 52.1 for p in recs)
