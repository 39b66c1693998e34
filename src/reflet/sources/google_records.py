"""Google Takeout legacy location history: ``Records.json`` (and the pre-2018 name).

Layout (formats.md 3.2): ``{"locations": [{"latitudeE7", "longitudeE7", "accuracy",
"source", "deviceTag", "timestamp" | "timestampMs", "activity": [...]}, ...]}``.
Until 2017-18 the file was ``Location History/Location History.json`` and times were
``timestampMs`` (epoch milliseconds as a string); later ``timestamp`` (ISO-8601 UTC).
Files of several GB are normal, so the array is streamed, never loaded whole.

``activity`` (Google's guess of STILL / ON_FOOT / IN_VEHICLE, with its own timestamps) is
not a position: it yields no Place and is not an error. ``Place`` has no field for it yet.
``deviceTag`` is kept as ``Place.device``; ``Settings.json`` (google_settings) names it.

E7 values beyond ±180° are read as int32 overflow, which very old exports are said to
contain (UNCONFIRMED, formats.md 3.2/13); since such values cannot be real coordinates
the correction cannot hurt, but it is reported once per file so it is never silent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..records import ParseIssue, Place, RecordBatch
from . import SCRATCH, WHOLE_FILE, GiB, Handler, Member, MiB, register
from ._common import BadValue, check_latlon, e7, json_pointer, parse_time, plausible, stream_items
from ._google_location import ENTRY_ERRORS, accuracy, device_tag, kind_of, overflowed, text
from ._records_fast import Converter, Fallback, in_background, object_segments, parse_segment


def _place(member: Member, loc: dict, ptr: str) -> Place:  # type: ignore[type-arg]
    if "latitudeE7" not in loc or "longitudeE7" not in loc:
        raise BadValue("no latitudeE7/longitudeE7")
    lat, lon = check_latlon(e7(loc["latitudeE7"]), e7(loc["longitudeE7"]))
    raw_t = loc.get("timestamp")
    if raw_t is None:
        raw_t = loc.get("timestampMs")
    if raw_t is None:
        raise BadValue("no timestamp or timestampMs")
    t = parse_time(raw_t)
    if not plausible(t):
        raise BadValue(f"implausible date {t.date()}")
    src = text(loc.get("source"), "source")
    return Place(
        provenance=member.prov(ptr), platform="google", time=t, lat=lat, lon=lon,
        accuracy_m=accuracy(loc.get("accuracy")),
        kind=kind_of(src),  # type: ignore[arg-type]
        source=src, device=device_tag(loc.get("deviceTag")),
    )


FAST_MIN_BYTES = 8 * MiB  # below this, objects are as fast and keep small fixtures simple


def _entry(member: Member, loc: Any, ptr: str, overflow_at: list[str]) -> Iterator[Place | ParseIssue]:
    if not isinstance(loc, dict):
        yield member.issue(ptr, "entry is not an object")
        return
    try:
        place = _place(member, loc, ptr)
    except ENTRY_ERRORS as exc:
        # A point without coordinates but with activity is Google's activity log, not bad data.
        level = "info" if "activity" in loc and "latitudeE7" not in loc else "error"
        yield member.issue(ptr, str(exc), level)
        return
    if overflowed(loc["latitudeE7"]) or overflowed(loc["longitudeE7"]):
        overflow_at.append(ptr)
    yield place


def _parse_fast(member: Member, scratch: Path | None,
                overflow_at: list[str]) -> Iterator[list[Place | ParseIssue | RecordBatch] | int]:
    """What each segment gives, as one list; an int (the entry to resume from) when the slow path must take over."""
    conv = Converter(member, scratch)
    index = 0
    try:
        for segment in object_segments(member):
            items: list[Any] | None = None
            done = conv.convert_segment(index, segment)
            if done is None:
                items = parse_segment(segment)
                batch, redo, over = conv.convert(index, items)
                n = len(items)
            else:
                batch, redo, over, n = done
                if redo:
                    # Entries of an unusual shape: the per-entry parser needs them as Python objects.
                    items = parse_segment(segment)
                    if len(items) != n:
                        raise Fallback(-1, "the JSON readers disagree on the number of entries")
            out: list[Place | ParseIssue | RecordBatch] = [batch] if len(batch) else []
            if redo:
                assert items is not None
                for i in redo:
                    out.extend(_entry(member, items[i - index], json_pointer("locations", i), overflow_at))
            overflow_at.extend(json_pointer("locations", i) for i in over)
            index += n
            yield out
    except Fallback:
        yield index
    finally:
        conv.close()


def parse(member: Member) -> Iterator[Place | ParseIssue | RecordBatch]:
    overflow_at: list[str] = []
    resume = 0
    try:
        if member.info.size >= FAST_MIN_BYTES:
            resume = -1
            # Segments are read and converted in a second thread while the store writes the previous
            # ones: reading (DuckDB's JSON reader) and writing (the store) each take about half the time.
            for chunk in in_background(_parse_fast(member, SCRATCH.get(), overflow_at)):
                if isinstance(chunk, int):
                    resume = chunk
                    break
                yield from chunk
        if resume >= 0:
            for i, loc in stream_items(member, "locations.item"):
                if i >= resume:
                    yield from _entry(member, loc, json_pointer("locations", i), overflow_at)
    except BadValue as exc:
        yield member.issue(WHOLE_FILE, str(exc))
    if overflow_at:
        overflow_at.sort(key=lambda p: int(p.rsplit("/", 1)[1]))
        yield member.issue(
            WHOLE_FILE,
            f"{len(overflow_at)} coordinate(s) beyond ±180° were read as 32-bit overflow "
            f"(value - 2^32), as in very old exports; first at {overflow_at[0]}",
            "warning",
        )


register(Handler(
    platform="google", name="google.records",
    title="Location History, raw points (Records.json)",
    # Any parent folder (it is localised: "Standortverlauf"...), or none when the folder itself is the input.
    pattern=r"(Records|Location History)\.json",
    example="Takeout/Location History (Timeline)/Records.json",
    parse=parse, max_bytes=16 * GiB, version=2,  # 2: numeric-string accuracy, overflow warning, info level
    sniff=lambda head: b'"locations"' in head,
))
