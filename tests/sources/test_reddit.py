"""Reddit: detection, exact records, corrupt files."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from reflet import sources
from reflet.archive import open_archive
from reflet.records import AdSignal, Connection, Identity, Login, ParseIssue, Post
from tests.builders import make_export
from tests.samples import reddit as s

UTC = timezone.utc


def _parse(tmp_path: Path, files: dict[str, str]) -> list:
    arch = open_archive(make_export(tmp_path, "export_alice_example_20230404", files, "zip"))
    out = []
    for info in arch.members():
        h = sources.match(arch, info)
        assert h is not None and h.platform == "reddit", info.path
        out.extend(sources.parse_member(arch, info, h))
    return out


def test_generic_csv_names_need_reddit_columns(tmp_path: Path) -> None:
    arch = open_archive(make_export(tmp_path, "other", {"posts.csv": "a,b\n1,2\n", "friends.csv": "name\nx\n"}))
    assert all(sources.match(arch, i) is None for i in arch.members())


def test_ip_logs_registration_row(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"ip_logs.csv": s.IP_LOGS})
    assert [(r.action, r.ip, r.time, r.provenance.locator) for r in recs] == [
        ("account_created", "203.0.113.50", None, "row 2"),
        ("session", "198.51.100.23", datetime(2023, 3, 1, 14, 2, 11, tzinfo=UTC), "row 3"),
    ]


def test_posts_comments_messages(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"posts.csv": s.POSTS, "comments.csv": s.COMMENTS, "messages.csv": s.MESSAGES})
    posts = sorted((r for r in recs if isinstance(r, Post)), key=lambda p: p.platform_id)
    assert [(p.platform_id, p.visibility, "public" in p.channels) for p in posts] == [
        ("abc1", "public", True), ("abc2", "public", True), ("c1", "public", True)]
    assert posts[2].text == "r/Paris: Try the one on rue Example, multi\nline"
    ips = sorted((r.ip, r.detail) for r in recs if isinstance(r, Login))
    assert ips == [("198.51.100.23", "message m1"), ("198.51.100.23", "post abc1"), ("2001:db8::9", "comment c1")]
    # Private messages: the IP is kept, the words and the other person are not.
    assert not any("private words" in repr(r) or "bob_other" in repr(r) for r in recs)


def test_identities_prefs_and_counts(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"statistics.csv": s.STATISTICS, "linked_identities.csv": s.LINKED,
                             "linked_phone_number.csv": s.PHONE, "user_preferences.csv": s.PREFS,
                             "friends.csv": s.FRIENDS})
    ids = {(r.kind, r.value) for r in recs if isinstance(r, Identity)}
    assert ids == {("username", "alice_example"), ("email", "alice@example.org"), ("phone", "+33612345678"),
                   ("device_id", "https://accounts.google.com#109876543210987654321")}
    assert {r.name for r in recs if isinstance(r, AdSignal)} == {
        "Setting country_code = FR", "Setting 3rd_party_personalized_ads = True"}
    assert [(c.kind, c.count) for c in recs if isinstance(c, Connection)] == [("friend", 2)]
    assert not any("carol_other" in repr(r) for r in recs)


def test_bad_row_reported_rest_kept(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"ip_logs.csv": s.IP_LOGS + "last tuesday,192.0.2.1\n2023-03-02 00:00:00 UTC,192.0.2.2\n"})
    assert [(i.member, i.locator) for i in recs if isinstance(i, ParseIssue)] == [("ip_logs.csv", "row 4")]
    assert sum(isinstance(r, Login) for r in recs) == 3
