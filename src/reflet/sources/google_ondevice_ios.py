"""Google Maps on-device Timeline export, iOS dialect (2024): ``location-history.json``.

Layout (formats.md 3.5): a top-level ARRAY of ``{"startTime", "endTime", "visit" |
"activity" | "timelinePath"}``. Coordinates are ``geo:lat,lon`` URIs, numbers are strings,
and path points carry only ``durationMinutesOffsetFromStartTime`` (minutes after the
segment's start). The path segments are grouped at the end of the array, so the file is
not in time order: nothing here relies on order. Recognised by a name containing
``location-history`` and a first element that starts with a time.

Visits keep Google's ``semanticType`` (``Home``, ``Work``, ``Inferred Home``…) as
``Place.label``: Google's own inference of where the person lives and works.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from ..records import ParseIssue, Place
from . import WHOLE_FILE, GiB, Handler, Member, register
from ._common import BadValue, json_pointer, parse_time, plausible, stream_items
from ._google_location import ENTRY_ERRORS, geo_uri, number, semantic_label

PLATFORM = "google"


def _time(value: Any, what: str) -> datetime:
    if value is None:
        raise BadValue(f"no {what}")
    t = parse_time(value)
    if not plausible(t):
        raise BadValue(f"implausible {what} {t.date()}")
    return t



def _entry(member: Member, e: Any, ptr: str) -> Iterator[Place | ParseIssue]:
    if not isinstance(e, dict):
        yield member.issue(ptr, "entry is not an object")
        return
    try:
        start = _time(e.get("startTime"), "startTime")
        end = _time(e.get("endTime"), "endTime")
    except ENTRY_ERRORS as exc:
        yield member.issue(ptr, str(exc))
        return

    def place(p: str, latlon: tuple[float, float], t: datetime | None, **kw: Any) -> Place:
        return Place(provenance=member.prov(p), platform=PLATFORM, time=t, lat=latlon[0], lon=latlon[1], **kw)

    if "visit" in e:
        p = f"{ptr}/visit"
        try:
            top = e["visit"].get("topCandidate") if isinstance(e["visit"], dict) else None
            if not isinstance(top, dict):
                raise BadValue("visit has no topCandidate")
            yield place(f"{p}/topCandidate", geo_uri(top.get("placeLocation")), start, end_time=end,
                        kind="visit", label=semantic_label(top.get("semanticType")), source="visit")
        except ENTRY_ERRORS as exc:
            yield member.issue(p, str(exc))
    elif "activity" in e:
        act = e["activity"]
        if not isinstance(act, dict):
            yield member.issue(f"{ptr}/activity", "activity is not an object")
            return
        for key, t in (("start", start), ("end", end)):
            if key in act:
                try:
                    yield place(f"{ptr}/activity/{key}", geo_uri(act[key]), t, kind="unknown", source="activity")
                except ENTRY_ERRORS as exc:
                    yield member.issue(f"{ptr}/activity/{key}", str(exc))
    elif "timelinePath" in e:
        path = e["timelinePath"]
        if not isinstance(path, list):
            yield member.issue(f"{ptr}/timelinePath", "timelinePath is not a list")
            return
        for j, pt in enumerate(path):
            p = f"{ptr}/timelinePath/{j}"
            try:
                if not isinstance(pt, dict):
                    raise BadValue("point is not an object")
                offset = number(pt.get("durationMinutesOffsetFromStartTime"), "durationMinutesOffsetFromStartTime")
                if offset is None:
                    raise BadValue("no durationMinutesOffsetFromStartTime")
                yield place(p, geo_uri(pt.get("point")), start + timedelta(minutes=offset),
                            kind="unknown", source="timelinePath")
            except ENTRY_ERRORS as exc:
                yield member.issue(p, str(exc))
    else:
        keys = ", ".join(sorted(e)[:5])
        yield member.issue(ptr, f"entry has no visit, activity or timelinePath (has {keys})", "warning")


def parse(member: Member) -> Iterator[Place | ParseIssue]:
    try:
        for i, e in stream_items(member, "item"):
            yield from _entry(member, e, json_pointer(i))
    except BadValue as exc:
        yield member.issue(WHOLE_FILE, str(exc))


_HEAD = re.compile(rb'^(?:\xef\xbb\xbf)?\s*\[\s*(?:\]|\{\s*"(?:start|end)Time"\s*:)')


register(Handler(
    platform=PLATFORM, name="google.ondevice_ios",
    title="Timeline exported from an iPhone (location-history.json)",
    pattern=r"[^/]*location-history[^/]*\.json",
    example="location-history.json",
    parse=parse, max_bytes=16 * GiB,
    sniff=lambda head: _HEAD.match(head) is not None,
))
