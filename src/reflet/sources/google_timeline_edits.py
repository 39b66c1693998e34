"""Google Takeout ``Timeline Edits.json`` (2024+, after Timeline moved to the phone).

UNCONFIRMED layout (formats.md 3.4): the folder it sits in inside Takeout is not known, and
the shapes come from parsers and fixtures, not from a real export. It is recognised by its
name in any folder and by ``"timelineEdits"`` in its first bytes.

``{"timelineEdits": [{"deviceId", "rawSignal": {"signal": {"position" | "activityRecord" |
"wifiScan"}}} | {"deviceId", "placeAggregates": {…}} | {"deviceId", "inferredSemanticSegment" |
"userEditedSemanticSegment": {"startTime", "endTime", "segment": {"visit" | "activity"}}}]}``

* ``rawSignal.signal.position`` -> a raw point (``accuracyMm`` in millimetres);
  ``activityRecord`` and ``wifiScan`` carry no position and yield nothing.
* ``placeAggregates`` -> Google's ranking of the places you spend time at over a window
  (``windowSizeHrs``, about 12 weeks). Not a visit at a time, so each place is a Place
  of ``kind="profile"`` spanning the window, ``label`` = ``FREQUENT_PLACE`` with its rank
  among ``topRankedPlacesPlaceIds`` and Google's score: Google's own inference.
* semantic segments -> a visit (``label`` = semanticType) or an activity's start and end.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..records import ParseIssue, Place
from . import WHOLE_FILE, GiB, Handler, Member, register
from ._common import BadValue, json_pointer, parse_time, plausible, stream_items
from ._google_location import ENTRY_ERRORS, accuracy, e7_pair, kind_of, number, semantic_label, text

PLATFORM = "google"
_SEGMENTS = ("inferredSemanticSegment", "userEditedSemanticSegment")


def _time(value: Any, what: str) -> datetime:
    if value is None:
        raise BadValue(f"no {what}")
    t = parse_time(value)
    if not plausible(t):
        raise BadValue(f"implausible {what} {t.date()}")
    return t


def _raw_signal(member: Member, rs: Any, device: str | None, ptr: str) -> Iterator[Place]:
    signal = rs.get("signal") if isinstance(rs, dict) else None
    if not isinstance(signal, dict):
        raise BadValue("rawSignal has no signal object")
    pos = signal.get("position")
    if pos is None:
        return  # activityRecord / wifiScan: no position, nothing wrong
    if not isinstance(pos, dict):
        raise BadValue("position is not an object")
    lat, lon = e7_pair(pos.get("point"), "latE7", "lngE7", "position point")
    src = text(pos.get("source"))
    yield Place(
        provenance=member.prov(f"{ptr}/rawSignal/signal/position"), platform=PLATFORM,
        time=_time(pos.get("timestamp"), "timestamp"), lat=lat, lon=lon,
        accuracy_m=accuracy(pos.get("accuracyMm"), 1e-3), kind=kind_of(src),  # type: ignore[arg-type]
        source=src, device=device,
    )


def _aggregates(member: Member, pa: Any, device: str | None, ptr: str) -> Iterator[Place | ParseIssue]:
    if not isinstance(pa, dict):
        raise BadValue("placeAggregates is not an object")
    window = pa.get("processWindow") if isinstance(pa.get("processWindow"), dict) else {}
    start = _time(window["startTime"], "processWindow startTime") if window.get("startTime") else None
    end = _time(window["endTime"], "processWindow endTime") if window.get("endTime") else None
    ranked = pa.get("topRankedPlacesPlaceIds")
    ranked = [str(x) for x in ranked] if isinstance(ranked, list) else []
    infos = pa.get("placeAggregateInfo")
    if not isinstance(infos, list):
        raise BadValue("placeAggregateInfo is not a list")
    for j, info in enumerate(infos):
        p = f"{ptr}/placeAggregates/placeAggregateInfo/{j}"
        try:
            if not isinstance(info, dict):
                raise BadValue("entry is not an object")
            # ``point`` is where your signals clustered, ``placePoint`` the place's own pin.
            where = info.get("point") if isinstance(info.get("point"), dict) else info.get("placePoint")
            lat, lon = e7_pair(where, "latE7", "lngE7", "point")
            label = "FREQUENT_PLACE"
            place_id = text(info.get("placeId"))
            if place_id in ranked:
                label += f" #{ranked.index(place_id) + 1}"
            score = number(info.get("score"), "score")
            if score is not None:
                label += f" score {score:g}"
            yield Place(provenance=member.prov(p), platform=PLATFORM, time=start, end_time=end,
                        lat=lat, lon=lon, kind="profile", label=label, source="placeAggregates", device=device)
        except ENTRY_ERRORS as exc:
            yield member.issue(p, str(exc))


def _semantic(member: Member, key: str, ss: Any, device: str | None, ptr: str) -> Iterator[Place]:
    if not isinstance(ss, dict):
        raise BadValue(f"{key} is not an object")
    start = _time(ss.get("startTime"), "startTime")
    end = _time(ss.get("endTime"), "endTime")
    seg = ss.get("segment")
    if not isinstance(seg, dict):
        raise BadValue("no segment object")
    base = f"{ptr}/{key}/segment"
    if isinstance(seg.get("visit"), dict):
        top = seg["visit"].get("topCandidate")
        if not isinstance(top, dict):
            raise BadValue("visit has no topCandidate")
        lat, lon = e7_pair(top.get("placeLocation"), "latE7", "lngE7", "placeLocation")
        yield Place(provenance=member.prov(f"{base}/visit"), platform=PLATFORM, time=start, end_time=end,
                    lat=lat, lon=lon, kind="visit", label=semantic_label(top.get("semanticType")),
                    source=key, device=device)
    elif isinstance(seg.get("activity"), dict):
        act = seg["activity"]
        for end_key, t in (("start", start), ("end", end)):
            if end_key in act:
                lat, lon = e7_pair(act[end_key], "latE7", "lngE7", f"activity {end_key}")
                yield Place(provenance=member.prov(f"{base}/activity/{end_key}"), platform=PLATFORM, time=t,
                            lat=lat, lon=lon, kind="unknown", source=key, device=device)


def parse(member: Member) -> Iterator[Place | ParseIssue]:
    try:
        for i, edit in stream_items(member, "timelineEdits.item"):
            ptr = json_pointer("timelineEdits", i)
            if not isinstance(edit, dict):
                yield member.issue(ptr, "entry is not an object")
                continue
            try:
                device = text(edit.get("deviceId"))
                if "rawSignal" in edit:
                    yield from _raw_signal(member, edit["rawSignal"], device, ptr)
                elif "placeAggregates" in edit:
                    yield from _aggregates(member, edit["placeAggregates"], device, ptr)
                elif any(k in edit for k in _SEGMENTS):
                    key = next(k for k in _SEGMENTS if k in edit)
                    yield from _semantic(member, key, edit[key], device, ptr)
                else:
                    keys = ", ".join(sorted(edit)[:5]) or "nothing"
                    yield member.issue(ptr, f"unknown kind of edit (has {keys})", "warning")
            except ENTRY_ERRORS as exc:
                yield member.issue(ptr, str(exc))
    except BadValue as exc:
        yield member.issue(WHOLE_FILE, str(exc))


register(Handler(
    platform=PLATFORM, name="google.timeline_edits",
    title="Timeline edits: raw points and Google's ranking of your places (Timeline Edits.json)",
    pattern=r"Timeline Edits\.json",
    example="Takeout/Location History (Timeline)/Timeline Edits.json",  # folder UNCONFIRMED
    parse=parse, max_bytes=8 * GiB, unconfirmed=True,
    sniff=lambda head: b'"timelineEdits"' in head,
))
