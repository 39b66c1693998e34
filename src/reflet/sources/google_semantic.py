"""Google Takeout Semantic Location History: one JSON file per month.

Layout (formats.md 3.3): ``…/Semantic Location History/<YYYY>/<YYYY>_<MONTH>.json`` holding
``{"timelineObjects": [{"placeVisit": {…}} | {"activitySegment": {…}}]}``. Folder and month
names are localised, so a member is recognised by its ``<YYYY>/<YYYY>_<anything>.json`` shape
and by ``"timelineObjects"`` in its first bytes.

What becomes a Place:
* placeVisit -> ``kind="visit"`` from start to end, at ``location`` (E7), named by the place
  name (or its address when it has none), ``label`` = Google's ``semanticType``
  (``TYPE_HOME``, ``TYPE_WORK``: Google's own inference of home and work), ``device`` from
  ``location.sourceInfo.deviceTag``. ``childVisits`` (a visit inside a visit) likewise.
* activitySegment -> its start and end (``kind="unknown"``, ``source="activitySegment"``:
  Google derived them, it does not say from which sensor), every ``simplifiedRawPath`` point
  (with its own time and accuracy), ``waypointPath`` waypoints (no time of their own, so
  ``time=None``) and the ``parkingEvent``.
Times are ISO ``startTimestamp`` or, in older files, ``startTimestampMs``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..records import ParseIssue, Place
from . import WHOLE_FILE, GiB, Handler, Member, register
from ._common import BadValue, json_pointer, parse_time, plausible, stream_items
from ._google_location import ENTRY_ERRORS, accuracy, device_tag, e7_pair, semantic_label, text

PLATFORM = "google"


def _time(obj: Any, key: str, required: bool = True) -> datetime | None:
    """``key`` (ISO) or ``keyMs`` (epoch ms, older exports) of an object."""
    if not isinstance(obj, dict):
        raise BadValue("duration is not an object")
    raw = obj.get(key)
    if raw is None:
        raw = obj.get(f"{key}Ms")
    if raw is None:
        if required:
            raise BadValue(f"no {key} or {key}Ms")
        return None
    t = parse_time(raw)
    if not plausible(t):
        raise BadValue(f"implausible date {t.date()}")
    return t


def _visit(member: Member, pv: Any, ptr: str, depth: int = 0) -> Iterator[Place | ParseIssue]:
    if not isinstance(pv, dict):
        yield member.issue(ptr, "placeVisit is not an object")
        return
    try:
        loc = pv.get("location")
        if not isinstance(loc, dict):
            raise BadValue("no location")
        try:
            lat, lon = e7_pair(loc, "latitudeE7", "longitudeE7")
        except BadValue:
            # Some visits only carry the centre of the cluster of points.
            if "centerLatE7" not in pv:
                raise
            lat, lon = e7_pair(pv, "centerLatE7", "centerLngE7", "placeVisit")
        start = _time(pv.get("duration"), "startTimestamp")
        end = _time(pv.get("duration"), "endTimestamp")
        source_info = loc.get("sourceInfo")
        yield Place(
            provenance=member.prov(ptr), platform=PLATFORM, time=start, end_time=end, lat=lat, lon=lon,
            kind="visit", name=text(loc.get("name")) or text(loc.get("address")),
            label=semantic_label(loc.get("semanticType")), source="placeVisit",
            device=device_tag(source_info.get("deviceTag")) if isinstance(source_info, dict) else None,
        )
    except ENTRY_ERRORS as exc:
        yield member.issue(ptr, str(exc))
    children = pv.get("childVisits")
    if isinstance(children, list):
        if depth >= 3:  # real files nest one level; deeper is damage, and recursion must stay bounded
            yield member.issue(f"{ptr}/childVisits", "child visits nested too deeply")
            return
        for j, child in enumerate(children):
            yield from _visit(member, child, f"{ptr}/childVisits/{j}", depth + 1)


def _segment(member: Member, seg: Any, ptr: str) -> Iterator[Place | ParseIssue]:
    if not isinstance(seg, dict):
        yield member.issue(ptr, "activitySegment is not an object")
        return
    try:
        start = _time(seg.get("duration"), "startTimestamp")
        end = _time(seg.get("duration"), "endTimestamp")
    except ENTRY_ERRORS as exc:
        yield member.issue(ptr, str(exc))
        return

    def place(p: str, lat: float, lon: float, t: datetime | None, source: str, acc: Any = None) -> Place:
        return Place(provenance=member.prov(p), platform=PLATFORM, time=t, lat=lat, lon=lon,
                     kind="unknown", source=source, accuracy_m=accuracy(acc))

    for key, t in (("startLocation", start), ("endLocation", end)):
        if key not in seg:
            continue
        try:
            lat, lon = e7_pair(seg[key], "latitudeE7", "longitudeE7", key)
            yield place(f"{ptr}/{key}", lat, lon, t, "activitySegment", seg[key].get("accuracyMetres"))
        except ENTRY_ERRORS as exc:
            yield member.issue(f"{ptr}/{key}", str(exc))

    raw = seg.get("simplifiedRawPath")
    points = raw.get("points") if isinstance(raw, dict) else None
    for j, pt in enumerate(points if isinstance(points, list) else ()):
        p = f"{ptr}/simplifiedRawPath/points/{j}"
        try:
            lat, lon = e7_pair(pt, "latE7", "lngE7", "point")
            yield place(p, lat, lon, _time(pt, "timestamp"), "simplifiedRawPath", pt.get("accuracyMeters"))
        except ENTRY_ERRORS as exc:
            yield member.issue(p, str(exc))

    way = seg.get("waypointPath")
    waypoints = way.get("waypoints") if isinstance(way, dict) else None
    for j, wp in enumerate(waypoints if isinstance(waypoints, list) else ()):
        p = f"{ptr}/waypointPath/waypoints/{j}"
        try:
            lat, lon = e7_pair(wp, "latE7", "lngE7", "waypoint")
            yield place(p, lat, lon, None, "waypointPath")
        except ENTRY_ERRORS as exc:
            yield member.issue(p, str(exc))

    park = seg.get("parkingEvent")
    if isinstance(park, dict):
        p = f"{ptr}/parkingEvent"
        try:
            loc = park.get("location")
            lat, lon = e7_pair(loc, "latitudeE7", "longitudeE7", "parkingEvent location")
            yield place(p, lat, lon, _time(park, "timestamp", required=False) or end, "parkingEvent",
                        loc.get("accuracyMetres"))
        except ENTRY_ERRORS as exc:
            yield member.issue(p, str(exc))


def parse(member: Member) -> Iterator[Place | ParseIssue]:
    try:
        for i, obj in stream_items(member, "timelineObjects.item"):
            ptr = json_pointer("timelineObjects", i)
            if not isinstance(obj, dict):
                yield member.issue(ptr, "entry is not an object")
            elif "placeVisit" in obj:
                yield from _visit(member, obj["placeVisit"], f"{ptr}/placeVisit")
            elif "activitySegment" in obj:
                yield from _segment(member, obj["activitySegment"], f"{ptr}/activitySegment")
            else:
                keys = ", ".join(sorted(obj)[:5]) or "nothing"
                yield member.issue(ptr, f"neither placeVisit nor activitySegment (has {keys})", "warning")
    except BadValue as exc:
        yield member.issue(WHOLE_FILE, str(exc))


register(Handler(
    platform=PLATFORM, name="google.semantic",
    title="Location History, visits and trips (Semantic Location History, monthly)",
    # <YYYY>/<YYYY>_<MONTH>.json: month names (and the parent folder) are localised.
    pattern=r"\d{4}/\d{4}_[^/]+\.json",
    example="Takeout/Location History (Timeline)/Semantic Location History/2019/2019_MARCH.json",
    parse=parse, max_bytes=2 * GiB,
    sniff=lambda head: b'"timelineObjects"' in head,
))
