"""LinkedIn: detection, exact records per file, corrupt rows."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from reflet import sources
from reflet.archive import open_archive
from reflet.records import AdSignal, Connection, Identity, Login, ParseIssue, Post
from tests.builders import make_export
from tests.samples import linkedin as s

UTC = timezone.utc


def _parse(tmp_path: Path, files: dict[str, bytes]) -> list:
    arch = open_archive(make_export(tmp_path, "linkedin", files, "zip"))
    out = []
    for info in arch.members():
        h = sources.match(arch, info)
        assert h is not None and h.platform == "linkedin", info.path
        out.extend(sources.parse_member(arch, info, h))
    return out


def _all(tmp_path: Path) -> list:
    return _parse(tmp_path, {p: d for items in s.SAMPLES.values() for p, d in items[:1]})


def test_logins_challenges_registration(tmp_path: Path) -> None:
    recs = _all(tmp_path)
    logins = sorted(((r.time, r.ip, r.action, r.country) for r in recs if isinstance(r, Login)),
                    key=lambda x: x[0])
    assert logins == [
        (datetime(2009, 1, 2, 15, 4, tzinfo=UTC), "192.0.2.10", "account_created", None),
        (datetime(2024, 3, 5, 9, 12, 44, tzinfo=UTC), "203.0.113.77", "login", None),
        (datetime(2024, 4, 17, 17, 17, 56, tzinfo=UTC), "2001:db8::5", "login", None),
        (datetime(2024, 4, 17, 17, 17, 56, tzinfo=UTC), "198.51.100.200", "other", None),
        (datetime(2024, 4, 18, 1, tzinfo=UTC), None, "other", "Brazil"),
    ]


def test_identity_profile_positions(tmp_path: Path) -> None:
    recs = _all(tmp_path)
    ids = {(r.kind, r.value, r.role) for r in recs if isinstance(r, Identity)}
    assert ids == {("name", "Alice Example", "primary"), ("email", "alice@example.org", "primary"),
                   ("email", "alice.recovery@example.net", "unverified"), ("phone", "+33612345678", "primary")}
    texts = {r.text for r in recs if isinstance(r, Post)}
    assert "Profile location: Paris, Île-de-France, France, 75004" in texts
    assert "Works at Example Bakery (Pastry chef) in Paris, Île-de-France, from Jan 2022 to now" in texts


def test_ad_targeting_duplicate_headers_and_inferences(tmp_path: Path) -> None:
    recs = _all(tmp_path)
    names = {r.name for r in recs if isinstance(r, AdSignal)}
    assert {"Company Names: Example Bakery", "Company Names: Other Co", "Company Names: Third Co",
            "Member Interests: Travel", "Gender: FEMALE", "Member Age: 25 to 34"} <= names
    assert all("adtech" in r.channels for r in recs if isinstance(r, AdSignal))


def test_shares_visibility_and_connections_counted(tmp_path: Path) -> None:
    recs = _all(tmp_path)
    shares = {r.url: r for r in recs if isinstance(r, Post) and r.url}
    assert shares["https://www.linkedin.com/feed/update/urn:li:share:1"].text == 'New job! "Finally"'
    assert shares["https://www.linkedin.com/feed/update/urn:li:share:1"].visibility == "public"
    assert shares["https://www.linkedin.com/feed/update/urn:li:share:2"].visibility == "friends"
    assert [(c.kind, c.count) for c in recs if isinstance(c, Connection)] == [("contact", 2)]
    assert not any("Carol" in repr(r) for r in recs)


def test_bad_date_row_reported(tmp_path: Path) -> None:
    bad = s.LOGINS + "sometime,192.0.2.99,UA,Login\n"
    recs = _parse(tmp_path, {"Logins.csv": bad.encode()})
    assert [(i.member, i.locator) for i in recs if isinstance(i, ParseIssue)] == [("Logins.csv", "row 4")]
    assert sum(isinstance(r, Login) for r in recs) == 2
