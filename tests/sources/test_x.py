"""X archive: detection, exact records, corrupt files (formats.md section 4)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from reflet import sources
from reflet.archive import open_archive
from reflet.records import AdSignal, Connection, Device, Identity, Login, ParseIssue, Place, Post
from tests.builders import make_export
from tests.samples import x as samples

UTC = timezone.utc


def _parse(tmp_path: Path, files: dict[str, bytes | str]) -> list:
    root = make_export(tmp_path, "twitter-2025-01-01-abc", files)
    arch = open_archive(root)
    out = []
    for info in arch.members():
        h = sources.match(arch, info)
        if h is not None:
            out.extend(sources.parse_member(arch, info, h))
    return out


def test_detects_x_files_and_only_x_handlers_claim_them(tmp_path: Path) -> None:
    files = {path: data for items in samples.SAMPLES.values() for path, data in items}
    root = make_export(tmp_path, "twitter", files)
    arch = open_archive(root)
    for info in arch.members():
        h = sources.match(arch, info)
        assert h is not None and h.platform == "x", info.path
    # The same names without the window.YTD prefix are not X's (e.g. a generic account.js).
    other = make_export(tmp_path, "other", {"data/account.js": "var x = 1;", "account.js": "{}"})
    arch2 = open_archive(other)
    assert all(sources.match(arch2, i) is None for i in arch2.members())


def test_ip_audit_exact(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"data/ip-audit.js": samples.ytd("ip_audit", samples.IP_AUDIT)})
    logins = [(r.time, r.ip, r.action, r.provenance.locator) for r in recs if isinstance(r, Login)]
    assert logins == [
        (datetime(2024, 3, 5, 9, 12, 44, tzinfo=UTC), "198.51.100.4", "login", "/0/ipAudit"),
        (datetime(2024, 3, 7, 21, 0, 1, tzinfo=UTC), "2001:db8::7", "login", "/1/ipAudit"),
    ]


def test_account_identities_and_channels(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"data/account.js": samples.ytd("account", samples.ACCOUNT)})
    ids = {(r.kind, r.value, "public" in r.channels) for r in recs if isinstance(r, Identity)}
    assert ids == {("email", "alice@example.org", False), ("username", "alice_example", True),
                   ("name", "Alice Example", True)}


def test_tweets_text_time_and_axis_order(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"data/tweets.js": samples.ytd("tweets", samples.TWEETS)})
    posts = [r for r in recs if isinstance(r, Post)]
    places = [r for r in recs if isinstance(r, Place)]
    assert [p.text for p in posts] == ["Coffee & rain", "No place here"]
    assert posts[0].time == datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)
    assert posts[0].visibility == "public" and "public" in posts[0].channels
    assert posts[0].url == "https://x.com/i/web/status/1790000000000000001"
    # GeoJSON "coordinates" is [lon, lat]: Paris, not a point off Somalia.
    assert [(p.lat, p.lon, p.kind) for p in places] == [(48.8566, 2.3522, "geotag")]
    assert posts[0].place == places[0].key and posts[1].place is None


def test_protected_account_tweets_are_not_public(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {
        "data/tweets.js": samples.ytd("tweets", samples.TWEETS),
        "data/protected-history.js": samples.ytd("protected_history", [
            {"protectedHistory": {"protectedAt": "2020-01-01T00:00:00.000Z", "action": "Protect",
                                  "timestamp": "2020-01-01T00:00:00.000Z"}}]),
    })
    posts = [r for r in recs if isinstance(r, Post) and r.provenance.member == "data/tweets.js"]
    assert posts and all(p.visibility == "friends" and "public" not in p.channels for p in posts)
    (change,) = [r for r in recs if isinstance(r, Post) and r.provenance.member == "data/protected-history.js"]
    assert change.text == "Account protection changed: Protect" and change.time == datetime(2020, 1, 1, tzinfo=UTC)


def test_adtech_personalization_and_impressions(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {
        "data/personalization.js": samples.ytd("personalization", samples.PERSONALIZATION),
        "data/ad-impressions.js": samples.ytd("ad_impressions", samples.AD_IMPRESSIONS),
    })
    ads = {(r.kind, r.name) for r in recs if isinstance(r, AdSignal)}
    assert ("interest", "Hiking") in ads
    assert ("advertiser_has_your_data", "@ExampleBrand") in ads
    assert ("advertiser_has_your_data", "Example Remit") in ads
    assert ("inferred_category", "Location: Springfield, IL, USA") in ads
    assert ("inferred_category", "Locations: France") in ads
    remit = next(r for r in recs if isinstance(r, AdSignal) and r.name == "Example Remit")
    assert remit.time == datetime(2025, 2, 3, 14, 15, 16, tzinfo=UTC)  # zone-less, documented UTC
    assert all("adtech" in r.channels for r in recs if isinstance(r, AdSignal))


def test_devices_dates_and_sentinels(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {
        "data/ni-devices.js": samples.ytd("ni_devices", samples.NI_DEVICES),
        "data/device-token.js": samples.ytd("device_token", samples.DEVICE_TOKEN),
    })
    devs = {d.name: d for d in recs if isinstance(d, Device)}
    assert devs["Twitter for Android"].first_seen == datetime(2024, 2, 1, tzinfo=UTC)
    assert ("udid", "UDID-0001") in devs["Twitter for Android"].identifiers
    # The 1970 creation date of legacy tokens is a sentinel, not a fact.
    assert devs["Twitter Web App (Twitter. Inc)"].first_seen is None


def test_followers_are_counted_not_stored(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"data/follower.js": samples.ytd("follower", samples.FOLLOWER)})
    conns = [r for r in recs if isinstance(r, Connection)]
    assert [(c.kind, c.count, c.names) for c in conns] == [("follower", 2, ())]
    assert not any("111" in repr(r) for r in recs)


@pytest.mark.parametrize("cut", [10, 60, 200])
def test_truncated_file_gives_issue_naming_file(tmp_path: Path, cut: int) -> None:
    data = samples.ytd("ip_audit", samples.IP_AUDIT)[:cut]
    recs = _parse(tmp_path, {"data/ip-audit.js": data})
    issues = [r for r in recs if isinstance(r, ParseIssue)]
    assert issues and all(i.member == "data/ip-audit.js" and i.locator for i in issues)


def test_bad_entry_is_reported_and_others_kept(tmp_path: Path) -> None:
    items = [*samples.IP_AUDIT, {"ipAudit": {"createdAt": "yesterday", "loginIp": "1.2.3.4"}}, "junk"]
    recs = _parse(tmp_path, {"data/ip-audit.js": samples.ytd("ip_audit", items)})
    assert sum(isinstance(r, Login) for r in recs) == 2
    assert sorted(i.locator for i in recs if isinstance(i, ParseIssue)) == ["/2/ipAudit", "/3"]
