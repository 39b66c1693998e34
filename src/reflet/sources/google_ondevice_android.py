"""Google Maps on-device Timeline export, Android dialect (2024+): ``Timeline.json``.

Not in Takeout: since Timeline moved to the phone, the Maps app's "Export Timeline data"
writes one JSON file, named in the phone's language (``Timeline.json``, ``Cronología.json``,
``Zeitleiste.json``, ``Chronologie.json``, ``Vos trajets.json``, ``Tijdlijn.json``…).
It is recognised by such a name AND by ``{"semanticSegments"`` as its first key
(formats.md 3.5, detection table §10). Layout:

``{"semanticSegments": [{"startTime", "endTime", "visit" | "activity" | "timelinePath"}],
"rawSignals": [{"position": {"LatLng", "accuracyMeters", "source", "timestamp"}} |
{"activityRecord"} | {"wifiScan"}], "userLocationProfile": {"frequentPlaces": [{"placeId",
"placeLocation", "label"}]}}``

Coordinates are degree strings (``"40.7127760°, -74.0059740°"``); times carry the local
offset of the phone (``2024-06-21T19:51:13.014-06:00``) and are converted to UTC.
Google's own inferences go to ``Place.label``: ``semanticType`` of a visit (HOME, WORK,
INFERRED_HOME…) and the ``label`` of a frequent place (HOME, WORK), which is Google saying
it knows where the person lives and works.

Years of history make this file large, so its three arrays are streamed (``stream_arrays``:
one ijson pass per array, memory bounded by one entry; why not one pass is said there).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..records import ParseIssue, Place
from . import WHOLE_FILE, GiB, Handler, Member, register
from ._common import BadValue, json_pointer, parse_time, plausible
from ._google_location import ENTRY_ERRORS, accuracy, degrees, kind_of, semantic_label, stream_arrays, text

PLATFORM = "google"
_SEGMENTS = "semanticSegments.item"
_RAW = "rawSignals.item"
_FREQUENT = "userLocationProfile.frequentPlaces.item"


def _time(value: Any, what: str) -> datetime:
    if value is None:
        raise BadValue(f"no {what}")
    t = parse_time(value)
    if not plausible(t):
        raise BadValue(f"implausible {what} {t.date()}")
    return t


def _latlng(obj: Any, what: str) -> tuple[float, float]:
    """``{"latLng": "…°, …°"}`` or the bare string (frequentPlaces uses both in the wild)."""
    if isinstance(obj, dict):
        value = obj.get("latLng", obj.get("LatLng"))
        if value is None:
            raise BadValue(f"{what} has no latLng")
        return degrees(value)
    if isinstance(obj, str):
        return degrees(obj)
    raise BadValue(f"no {what}")



def _segment(member: Member, seg: Any, ptr: str) -> Iterator[Place | ParseIssue]:
    if not isinstance(seg, dict):
        yield member.issue(ptr, "entry is not an object")
        return
    try:
        start = _time(seg.get("startTime"), "startTime")
        end = _time(seg.get("endTime"), "endTime")
    except ENTRY_ERRORS as exc:
        yield member.issue(ptr, str(exc))
        return

    def place(p: str, latlon: tuple[float, float], t: datetime | None, **kw: Any) -> Place:
        return Place(provenance=member.prov(p), platform=PLATFORM, time=t, lat=latlon[0], lon=latlon[1], **kw)

    known = False
    if "visit" in seg:
        known = True
        p = f"{ptr}/visit"
        try:
            visit = seg["visit"]
            top = visit.get("topCandidate") if isinstance(visit, dict) else None
            if not isinstance(top, dict):
                raise BadValue("visit has no topCandidate")
            yield place(f"{p}/topCandidate", _latlng(top.get("placeLocation"), "placeLocation"), start,
                        end_time=end, kind="visit", label=semantic_label(top.get("semanticType")), source="visit")
        except ENTRY_ERRORS as exc:
            yield member.issue(p, str(exc))
    if "activity" in seg:
        known = True
        act = seg["activity"]
        if not isinstance(act, dict):
            yield member.issue(f"{ptr}/activity", "activity is not an object")
        else:
            for key, t in (("start", start), ("end", end)):
                if key in act:
                    try:
                        yield place(f"{ptr}/activity/{key}", _latlng(act[key], f"activity {key}"), t,
                                    kind="unknown", source="activity")
                    except ENTRY_ERRORS as exc:
                        yield member.issue(f"{ptr}/activity/{key}", str(exc))
            if isinstance(act.get("parking"), dict):
                park = act["parking"]
                try:
                    t = _time(park["startTime"], "parking startTime") if park.get("startTime") else end
                    yield place(f"{ptr}/activity/parking", _latlng(park.get("location"), "parking location"), t,
                                kind="unknown", source="parking")
                except ENTRY_ERRORS as exc:
                    yield member.issue(f"{ptr}/activity/parking", str(exc))
    if "timelinePath" in seg:
        known = True
        path = seg["timelinePath"]
        if not isinstance(path, list):
            yield member.issue(f"{ptr}/timelinePath", "timelinePath is not a list")
            path = []
        for j, pt in enumerate(path):
            p = f"{ptr}/timelinePath/{j}"
            try:
                if not isinstance(pt, dict):
                    raise BadValue("point is not an object")
                yield place(p, degrees(pt.get("point")), _time(pt.get("time"), "time"),
                            kind="unknown", source="timelinePath")
            except ENTRY_ERRORS as exc:
                yield member.issue(p, str(exc))
    if not known and "timelineMemory" not in seg:  # memories (trip summaries) hold no position
        yield member.issue(ptr, "segment has no visit, activity or timelinePath", "warning")


def _raw(member: Member, sig: Any, ptr: str) -> Iterator[Place | ParseIssue]:
    if not isinstance(sig, dict):
        yield member.issue(ptr, "entry is not an object")
        return
    pos = sig.get("position")
    if pos is None:
        return  # activityRecord / wifiScan: no position
    p = f"{ptr}/position"
    try:
        if not isinstance(pos, dict):
            raise BadValue("position is not an object")
        # Capital "LatLng" here (formats.md 3.5); accept the lower-case spelling too.
        value = pos.get("LatLng", pos.get("latLng"))
        if value is None:
            raise BadValue("position has no LatLng")
        lat, lon = degrees(value)
        src = text(pos.get("source"))
        yield Place(provenance=member.prov(p), platform=PLATFORM, time=_time(pos.get("timestamp"), "timestamp"),
                    lat=lat, lon=lon, accuracy_m=accuracy(pos.get("accuracyMeters")),
                    kind=kind_of(src), source=src)  # type: ignore[arg-type]
    except ENTRY_ERRORS as exc:
        yield member.issue(p, str(exc))


def _frequent(member: Member, fp: Any, ptr: str) -> Iterator[Place | ParseIssue]:
    try:
        if not isinstance(fp, dict):
            raise BadValue("entry is not an object")
        lat, lon = _latlng(fp.get("placeLocation"), "placeLocation")
        yield Place(provenance=member.prov(ptr), platform=PLATFORM, time=None, lat=lat, lon=lon,
                    kind="profile", label=semantic_label(fp.get("label")), source="frequentPlaces")
    except ENTRY_ERRORS as exc:
        yield member.issue(ptr, str(exc))


def parse(member: Member) -> Iterator[Place | ParseIssue]:
    try:
        for prefix, i, item in stream_arrays(member, (_SEGMENTS, _RAW, _FREQUENT)):
            if prefix == _SEGMENTS:
                yield from _segment(member, item, json_pointer("semanticSegments", i))
            elif prefix == _RAW:
                yield from _raw(member, item, json_pointer("rawSignals", i))
            else:
                yield from _frequent(member, item, json_pointer("userLocationProfile", "frequentPlaces", i))
    except BadValue as exc:
        yield member.issue(WHOLE_FILE, str(exc))


# The export's name in the phone's language (TLZ recognize.go list; several unconfirmed).
_NAMES = (
    "Timeline", "Cronolog[^/]{1,2}a", "Linha do tempo", "Chronologie", "Vos trajets", "Zeitleiste",
    "Tijdlijn", "Cronologia", "Oś czasu", "Tidslinje", "Zaman Çizelgesi", "الجدول الزمني", "时间线",
    "時間軸", "ไทม์ไลน์", "タイムライン", "타임라인", "Хронологія", "Хронология",
)
_HEAD = re.compile(rb'^(?:\xef\xbb\xbf)?\s*\{\s*"semanticSegments"\s*:')


register(Handler(
    platform=PLATFORM, name="google.ondevice_android",
    title="Timeline exported from an Android phone (Timeline.json)",
    pattern=r"[^/]*(?:" + "|".join(_NAMES) + r")[^/]*\.json",
    example="Timeline.json",
    parse=parse, max_bytes=16 * GiB,
    sniff=lambda head: _HEAD.match(head) is not None,
))
