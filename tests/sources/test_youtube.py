"""YouTube in Takeout (UNCONFIRMED layout): public comments and channel visibility."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from reflet import sources
from reflet.archive import open_archive
from reflet.records import Identity, ParseIssue, Post
from tests.builders import make_export
from tests.samples import youtube as s

UTC = timezone.utc


def _parse(tmp_path: Path, files: dict[str, str]) -> list:
    arch = open_archive(make_export(tmp_path, "takeout-20240101T000000Z-001", files, "zip"))
    out = []
    for info in arch.members():
        h = sources.match(arch, info)
        assert h is not None and h.platform == "youtube", info.path
        out.extend(sources.parse_member(arch, info, h))
    return out


def test_comments_are_public_posts_with_links(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"Takeout/YouTube and YouTube Music/comments/comments.csv": s.COMMENTS})
    posts = [r for r in recs if isinstance(r, Post)]
    assert [(p.text, p.time, p.visibility, "public" in p.channels) for p in posts] == [
        ("Great video, I live near there!", datetime(2023, 7, 1, 18, 30, 0, 123000, tzinfo=UTC), "public", True),
        ("plain text reply", datetime(2023, 7, 2, 8, tzinfo=UTC), "public", True)]
    assert posts[0].url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc=UgzAbC123"


def test_channel_title_and_visibility(tmp_path: Path) -> None:
    recs = _parse(tmp_path, {"Takeout/YouTube and YouTube Music/channels/channel.csv": s.CHANNEL})
    assert [(r.kind, r.value, "public" in r.channels) for r in recs if isinstance(r, Identity)] == [
        ("username", "Alice Bakes", True)]
    assert [p.text for p in recs if isinstance(p, Post)] == ["Channel visibility: public"]


def test_other_csvs_are_not_youtube_and_bad_rows_are_reported(tmp_path: Path) -> None:
    arch = open_archive(make_export(tmp_path / "o", "x", {"Jobs/Saved Jobs.csv": "Saved Date,Job Url\n1,2\n"}))
    (info,) = arch.members()
    assert sources.match(arch, info) is None
    bad = s.COMMENTS + "X,UC,not a time,,,,v,text\n"
    recs = _parse(tmp_path / "b", {"Takeout/YouTube and YouTube Music/comments/comments.csv": bad})
    assert [i.locator for i in recs if isinstance(i, ParseIssue)] == ["row 4"]
