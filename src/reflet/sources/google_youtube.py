"""YouTube in Google Takeout: your public comments and your channel's visibility.

UNCONFIRMED layout: formats.md has no YouTube section. Public tools that read Takeout confirm the
folder ``YouTube and YouTube Music/comments/`` holding ``comments.csv`` (split as
``comments(1).csv``… and named in the account's language), and ``channels/channel.csv``. The column
names used here (``Comment ID``, ``Channel ID``, ``Comment create timestamp``, ``Video ID``,
``Comment text``, which holds a small JSON object; ``Channel title (original)``, ``Channel
visibility``) are from knowledge of real exports, not from a sample in this repository, so every
column is optional and files are recognised by their header row.

Comments on YouTube are public: anyone, including scrapers, can read them under the video.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..records import AnyRecord, Identity, ParseIssue, Post
from . import Handler, Member, MiB, register
from ._common import col, each_row, parse_time, plausible

PLATFORM = "youtube"
Out = Iterator[AnyRecord | ParseIssue]
PUBLIC = frozenset({"records", "public"})


def _text(raw: str | None) -> str | None:
    """The comment's words: the column holds a JSON object ({"text": …} or segments) in newer exports."""
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    if isinstance(value, dict):
        if isinstance(value.get("text"), str):
            return value["text"]
        segs = value.get("segments") or value.get("takeoutSegments")
        if isinstance(segs, list):
            return "".join(str(s.get("text", "")) for s in segs if isinstance(s, dict)) or None
    return raw


def parse_comments(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        raw_t = col(row, "Comment create timestamp", "Comment creation timestamp", "Timestamp")
        t = parse_time(raw_t) if raw_t else None
        video, cid = col(row, "Video ID"), col(row, "Comment ID")
        url = (f"https://www.youtube.com/watch?v={video}" + (f"&lc={cid}" if cid else "")) if video else None
        yield Post(provenance=member.prov(loc), platform=PLATFORM, platform_id=cid, url=url,
                   time=t if t is None or plausible(t) else None,
                   text=_text(col(row, "Comment text", "Text")), visibility="public", channels=PUBLIC)
    return each_row(member, one)


def parse_channel(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        title = col(row, "Channel title (original)", "Channel title", "Title")
        vis = (col(row, "Channel visibility", "Visibility") or "").lower()
        public = vis in ("public", "")
        if title:
            yield Identity(provenance=member.prov(loc), platform=PLATFORM, kind="username", value=title,
                           channels=PUBLIC if public else frozenset({"records"}))
        if vis:
            yield Post(provenance=member.prov(loc), platform=PLATFORM, platform_id=col(row, "Channel ID"),
                       text=f"Channel visibility: {vis}", visibility="public" if public else "private",
                       channels=PUBLIC if public else frozenset({"records"}))
    return each_row(member, one)


register(Handler(
    platform=PLATFORM, name="youtube.comments", title="YouTube comments (public) (layout unconfirmed)",
    pattern=r"[^/]*/[^/]+/[^/]*\.csv", example="Takeout/YouTube and YouTube Music/comments/comments.csv",
    parse=parse_comments, max_bytes=512 * MiB, unconfirmed=True,
    sniff=lambda head: b"Comment ID" in head.split(b"\n", 1)[0] and b"Video ID" in head.split(b"\n", 1)[0],
))
register(Handler(
    platform=PLATFORM, name="youtube.channel", title="YouTube channel and its visibility (layout unconfirmed)",
    pattern=r"[^/]*/[^/]+/[^/]*\.csv", example="Takeout/YouTube and YouTube Music/channels/channel.csv",
    parse=parse_channel, max_bytes=16 * MiB, unconfirmed=True,
    sniff=lambda head: b"Channel ID" in head.split(b"\n", 1)[0] and b"visibility" in head.split(b"\n", 1)[0].lower(),
))
