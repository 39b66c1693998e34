"""Write the persona's Google location exports in their real layouts (formats.md §3.1-3.5).

* a Takeout zip ``takeout-<date>T000000Z-001.zip`` holding, under
  ``Takeout/Location History (Timeline)/``: ``Records.json`` (§3.2, streamed),
  ``Settings.json`` (§3.2), ``Semantic Location History/YYYY/YYYY_MONTH.json``
  (§3.3) and ``Timeline Edits.json`` (§3.4; folder UNCONFIRMED);
* the on-device exports as separate files (§3.5): Android ``Timeline.json``
  and iOS ``location-history.json``, each covering the period the person used
  a phone of that kind, in a folder of its own (reflet audits folders and archives).

Every file is derived from the same stays and moves (``Persona.day``), so the
raw points, the visits and the on-device segments agree. Nothing is held
whole in memory: days are regenerated for each file, and the large files are
written item by item. Zips are byte-identical for a seed: fixed member dates
(the export date), sorted members, one compression method and level.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import orjson

from ..geo import iso_local, iso_z, midnight, utc_offset_minutes
from ..model import Persona, Point, Segment, Spot

LH = "Takeout/Location History (Timeline)"
MONTHS = ("JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER",
          "NOVEMBER", "DECEMBER")
FLUSH = 1 << 20
OLD_STYLE_DAYS = 14  # the first two weeks use the pre-2019 ``timestampMs`` key (robustness slice)


def e7(x: float) -> int:
    return round(x * 1e7)


def export_date(p: Persona) -> date:
    return p.last_day + timedelta(days=1)


def takeout_name(p: Persona) -> str:
    return f"takeout-{export_date(p):%Y%m%d}T000000Z-001.zip"


class _Buffered:
    """Collect text and write it to a binary stream in ~1 MB chunks."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out, self.buf, self.size = out, [], 0

    def write(self, s: str) -> None:
        self.buf.append(s)
        self.size += len(s)
        if self.size >= FLUSH:
            self.flush()

    def flush(self) -> None:
        if self.buf:
            self.out.write("".join(self.buf).encode("utf-8"))
            self.buf, self.size = [], 0


def _indent(obj: Any, prefix: str) -> str:
    """``obj`` as 2-space indented JSON, every line after the first shifted by ``prefix``."""
    text = orjson.dumps(obj, option=orjson.OPT_INDENT_2).decode()
    return text.replace("\n", "\n" + prefix)


# --------------------------------------------------------------------------- Records.json (§3.2)


def _ms(t: datetime) -> str:
    return str(int(t.timestamp() * 1000))


NEW_FIELDS_FROM = datetime(2024, 1, 15, tzinfo=UTC)  # formats.md §3.2: fields added early 2024


def _record(pt: Point, tag: int, platform: str, old: bool, charging: bool = False) -> str:
    ts = f'"timestampMs": "{_ms(pt.t)}"' if old else f'"timestamp": "{iso_z(pt.t)}"'
    lines = [f'"latitudeE7": {e7(pt.lat)}', f'"longitudeE7": {e7(pt.lon)}', f'"accuracy": {pt.accuracy}']
    if pt.velocity is not None:
        lines.append(f'"velocity": {pt.velocity}')
    if pt.heading is not None:
        lines.append(f'"heading": {pt.heading}')
    if pt.altitude is not None:
        lines.append(f'"altitude": {pt.altitude}')
        lines.append(f'"verticalAccuracy": {max(2, pt.accuracy // 2)}')
    if pt.activity is not None:
        conf = 100 if pt.activity == "STILL" else 78
        lines.append('"activity": [{\n      "activity": [{\n        "type": "' + pt.activity
                     + f'",\n        "confidence": {conf}\n      }}],\n      {ts}\n    }}]')
    lines.append(f'"source": "{pt.source}"')
    lines.append(f'"deviceTag": {tag}')
    lines.append('"deviceDesignation": "PRIMARY"')
    lines.append(f'"platformType": "{platform}"')
    if pt.t >= NEW_FIELDS_FROM:
        # Uploaded in batches: the server sees a fix a little after the phone took it.
        lines.append(f'"serverTimestamp": "{iso_z(pt.t + timedelta(seconds=37 + pt.t.second * 3))}"')
        lines.append(f'"deviceTimestamp": "{iso_z(pt.t + timedelta(milliseconds=212))}"')
        lines.append(f'"batteryCharging": {"true" if charging else "false"}')
        lines.append('"formFactor": "PHONE"')
    lines.append(ts)
    return "{\n    " + ",\n    ".join(lines) + "\n  }"


def write_records_json(p: Persona, out: IO[bytes]) -> dict[str, int]:
    """Stream ``Records.json`` to ``out``; returns counts. Memory stays flat whatever the scale."""
    w = _Buffered(out)
    w.write('{\n  "locations": [')
    n = n_old = 0
    old_until = midnight(p.first_day + timedelta(days=OLD_STYLE_DAYS), p.tz)
    phone = p.phones[0]
    for pt in p.points():
        if pt.t >= phone.last:
            phone = p.phone_at(pt.t)
        old = pt.t < old_until
        charging = pt.t >= NEW_FIELDS_FROM and not pt.moving and pt.t.astimezone(p.tz).hour < 6  # on the nightstand
        w.write(("" if n == 0 else ", ") + _record(pt, phone.device_tag, phone.platform, old, charging))
        n += 1
        n_old += old
    w.write("]\n}\n")
    w.flush()
    return {"points": n, "points_timestampMs": n_old}


# --------------------------------------------------------------------------- Settings.json (§3.2)


def settings_json(p: Persona) -> dict[str, Any]:
    devs = []
    for ph in p.phones:
        d: dict[str, Any] = {
            "deviceTag": ph.device_tag, "reportingEnabled": True, "devicePrettyName": ph.pretty,
            "platformType": ph.platform, "deviceCreationTime": iso_z(ph.first),
            "latestLocationReportingSettingChange": {"reportingEnabledModificationTime": iso_z(ph.first
                                                                                              + timedelta(minutes=7))}}
        if ph.platform == "ANDROID":
            d["androidOsLevel"] = ph.android_level
            d["deviceSpec"] = ph.spec
        devs.append(d)
    return {"createdTime": iso_z(p.phones[0].first), "modifiedTime": iso_z(midnight(export_date(p), p.tz)),
            "historyEnabled": True, "deviceSettings": devs, "retentionWindowDays": 1080,
            "hasReportedLocations": True, "hasSetRetention": False}


# --------------------------------------------------------------------------- Semantic Location History (§3.3)


def _semantic_type(s: Spot) -> str | None:
    # UNCONFIRMED layout (formats.md §3.3): the values TYPE_HOME / TYPE_WORK (only the key is documented).
    return {"home": "TYPE_HOME", "work": "TYPE_WORK"}.get(s.kind)


def _place_visit(p: Persona, s: Segment) -> dict[str, Any]:
    assert s.spot is not None
    sp = s.spot
    tag = p.phone_at(s.start).device_tag
    loc: dict[str, Any] = {"latitudeE7": e7(sp.lat), "longitudeE7": e7(sp.lon), "placeId": sp.place_id,
                           "address": sp.address, "name": sp.address.split(",")[0] if sp.kind == "home" else sp.name}
    st = _semantic_type(sp)
    if st:
        loc["semanticType"] = st
    loc["sourceInfo"] = {"deviceTag": tag}
    loc["locationConfidence"] = 91.5 if sp.kind in ("home", "work") else 63.2
    return {"placeVisit": {
        "location": loc,
        "duration": {"startTimestamp": iso_z(s.start), "endTimestamp": iso_z(s.end)},
        "placeConfidence": "HIGH_CONFIDENCE" if sp.kind in ("home", "work") else "MEDIUM_CONFIDENCE",
        "centerLatE7": e7(sp.lat + 0.00003), "centerLngE7": e7(sp.lon - 0.00002),
        "visitConfidence": 95 if sp.kind in ("home", "work") else 78,
        "otherCandidateLocations": [],
        "editConfirmationStatus": "NOT_CONFIRMED", "placeVisitType": "SINGLE_PLACE",
        "placeVisitImportance": "MAIN"}}


def _activity_segment(p: Persona, s: Segment) -> dict[str, Any]:
    assert s.origin is not None and s.dest is not None
    tag = p.phone_at(s.start).device_tag
    seg: dict[str, Any] = {
        "startLocation": {"latitudeE7": e7(s.origin.lat), "longitudeE7": e7(s.origin.lon),
                          "sourceInfo": {"deviceTag": tag}},
        "endLocation": {"latitudeE7": e7(s.dest.lat), "longitudeE7": e7(s.dest.lon),
                        "sourceInfo": {"deviceTag": tag}},
        "duration": {"startTimestamp": iso_z(s.start), "endTimestamp": iso_z(s.end)},
        "distance": round(s.distance_m()), "activityType": s.mode, "confidence": "HIGH",
        "activities": [{"activityType": s.mode, "probability": 91.7},
                       {"activityType": "WALKING" if s.mode != "WALKING" else "IN_PASSENGER_VEHICLE",
                        "probability": 5.2}]}
    if s.mode != "FLYING":
        seg["waypointPath"] = {"waypoints": [{"latE7": e7(a), "lngE7": e7(b)} for a, b in s.path],
                               "source": "INFERRED"}
        dur = s.end - s.start
        seg["simplifiedRawPath"] = {"points": [
            {"latE7": e7(a), "lngE7": e7(b), "accuracyMeters": 10,
             "timestamp": iso_z(s.start + dur * (i / max(1, len(s.path) - 1)))}
            for i, (a, b) in enumerate(s.path[1:-1], start=1)]}
    return {"activitySegment": seg}


def _months(p: Persona) -> list[tuple[int, int]]:
    out, d = [], p.first_day.replace(day=1)
    while d <= p.last_day:
        out.append((d.year, d.month))
        d = (d + timedelta(days=32)).replace(day=1)
    return out


def semantic_month(p: Persona, year: int, month: int) -> tuple[dict[str, Any], int, int]:
    t0 = midnight(date(year, month, 1), p.tz)
    nxt = (date(year, month, 1) + timedelta(days=32)).replace(day=1)
    t1 = midnight(nxt, p.tz)
    objs: list[dict[str, Any]] = []
    nv = na = 0
    for s in p.segments_starting(t0, t1):
        if not p.segment_observed(s):
            continue
        if s.kind == "stay":
            objs.append(_place_visit(p, s))
            nv += 1
        else:
            objs.append(_activity_segment(p, s))
            na += 1
    return {"timelineObjects": objs}, nv, na


# --------------------------------------------------------------------------- Timeline Edits.json (§3.4)


def timeline_edits(p: Persona) -> dict[str, Any]:
    """Place aggregates over 12-week windows plus the last days' raw positions."""
    # UNCONFIRMED layout (formats.md §3.4): the folder inside Takeout; score values are invented.
    edits: list[dict[str, Any]] = []
    end = midnight(export_date(p), p.tz)
    window = timedelta(hours=2016)
    start = max(midnight(p.first_day, p.tz), end - window)
    hours: dict[str, float] = {}
    days_seen: dict[str, set[date]] = {}
    spots: dict[str, Spot] = {}
    for s in p.segments_starting(start, end):
        if s.kind == "stay" and s.spot is not None:
            hours[s.spot.id] = hours.get(s.spot.id, 0) + (s.end - s.start).total_seconds() / 3600
            days_seen.setdefault(s.spot.id, set()).add(s.start.date())
            spots[s.spot.id] = s.spot
    top = sorted(hours, key=lambda k: (-hours[k], k))[:6]
    edits.append({"deviceId": "0", "placeAggregates": {
        "placeAggregateInfo": [{
            "score": round(hours[k] / 24, 3), "numBucketsWithLocation": len(days_seen[k]), "bucketSpanDays": 1,
            "point": {"latE7": e7(spots[k].lat + 0.0001), "lngE7": e7(spots[k].lon - 0.0001)},
            "placeId": spots[k].place_id,
            "placePoint": {"latE7": e7(spots[k].lat), "lngE7": e7(spots[k].lon)}} for k in top],
        "windowSizeHrs": 2016, "topRankedPlacesPlaceIds": [spots[k].place_id for k in top],
        "processWindow": {"startTime": iso_z(start, False), "endTime": iso_z(end, False)},
        "metadata": {"platform": "UNKNOWN"}}})
    if p.p.sparse_points is None:
        ph = p.phones[-1]
        for d in (p.last_day - timedelta(days=2), p.last_day - timedelta(days=1), p.last_day):
            for i, pt in enumerate(p.day_points(d)):
                if i % 5:
                    continue
                pos: dict[str, Any] = {"point": {"latE7": e7(pt.lat), "lngE7": e7(pt.lon)},
                                       "accuracyMm": pt.accuracy * 1000, "timestamp": iso_z(pt.t),
                                       "source": pt.source}
                if pt.altitude is not None:
                    pos["altitudeMeters"] = float(pt.altitude)
                if pt.velocity is not None:
                    pos["speedMetersPerSecond"] = float(pt.velocity)
                edits.append({"deviceId": str(ph.device_tag), "rawSignal": {
                    "signal": {"position": pos}, "additionalTimestamp": iso_z(pt.t + timedelta(seconds=3)),
                    "metadata": {"platform": ph.platform}}})
    return {"timelineEdits": edits}


# --------------------------------------------------------------------------- the Takeout zip


def _zinfo(name: str, when: date) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=(when.year, when.month, when.day, 0, 0, 0))
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.create_system = 3  # Unix, whatever machine writes it: part of being byte-identical
    zi.external_attr = 0o644 << 16
    return zi


def _archive_browser(p: Persona) -> str:
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Archive Overview</title></head>\n"
            "<body><h1>Archive Overview</h1>\n<p>Location History (Timeline)</p>\n"
            f"<p>Created on {export_date(p):%B} {export_date(p).day}, {export_date(p).year}</p>\n</body></html>\n")


def write_takeout(p: Persona, exports: Path, extra: dict[str, bytes] | None = None) -> dict[str, Any]:
    """Write the Takeout zip into ``exports``; returns what it holds."""
    exports.mkdir(parents=True, exist_ok=True)
    path = exports / takeout_name(p)
    when = export_date(p)
    info: dict[str, Any] = {"path": path.name, "kind": "google_takeout"}
    sparse = p.p.sparse_points is not None
    members: dict[str, Callable[[IO[bytes]], None]] = {}

    def records(f: IO[bytes]) -> None:
        info.update(write_records_json(p, f))

    def small(obj_fn: Callable[[], Any]) -> Callable[[IO[bytes]], None]:
        return lambda f: f.write(orjson.dumps(obj_fn(), option=orjson.OPT_INDENT_2))

    members[f"{LH}/Records.json"] = records
    members[f"{LH}/Settings.json"] = small(lambda: settings_json(p))
    members["Takeout/archive_browser.html"] = lambda f: f.write(_archive_browser(p).encode())
    info["semantic_months"] = []
    counts = {"placeVisit": 0, "activitySegment": 0}
    if not sparse:
        for y, m in _months(p):
            def month(f: IO[bytes], y: int = y, m: int = m) -> None:
                obj, nv, na = semantic_month(p, y, m)
                counts["placeVisit"] += nv
                counts["activitySegment"] += na
                f.write(orjson.dumps(obj, option=orjson.OPT_INDENT_2))
            members[f"{LH}/Semantic Location History/{y}/{y}_{MONTHS[m - 1]}.json"] = month
            info["semantic_months"].append(f"{y}_{MONTHS[m - 1]}")
        # UNCONFIRMED layout (formats.md §3.4): the folder of Timeline Edits.json inside Takeout.
        def edits(f: IO[bytes]) -> None:
            obj = timeline_edits(p)
            info["timeline_edits"] = {k: sum(1 for e in obj["timelineEdits"] if k in e)
                                      for k in ("placeAggregates", "rawSignal")}
            f.write(orjson.dumps(obj, option=orjson.OPT_INDENT_2))
        members[f"{LH}/Timeline Edits.json"] = edits
    for name, content in (extra or {}).items():
        members[name] = lambda f, content=content: f.write(content)
    tmp = path.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name in sorted(members):
            zi = _zinfo(name, when)
            with z.open(zi, "w", force_zip64=name.endswith("Records.json")) as f:
                members[name](f)  # type: ignore[arg-type]
    tmp.replace(path)
    info["members"] = sorted(members)
    info.update(counts)
    return info


# --------------------------------------------------------------------------- on-device exports (§3.5)


def _deg(lat: float, lon: float) -> str:
    return f"{lat:.7f}°, {lon:.7f}°"


def _geo(lat: float, lon: float) -> str:
    return f"geo:{lat:.6f},{lon:.6f}"


def _period(p: Persona, platform: str) -> tuple[datetime, datetime] | None:
    """When the person carried a phone of ``platform`` (the first such stretch)."""
    lo = midnight(p.first_day, p.tz)
    hi = midnight(p.last_day + timedelta(days=1), p.tz)
    spans = [(max(ph.first, lo), min(ph.last, hi)) for ph in p.phones if ph.platform == platform]
    spans = [s for s in spans if s[0] < s[1]]
    return spans[0] if spans else None


def _visit_type_android(s: Spot) -> str:
    return {"home": "HOME", "work": "WORK"}.get(s.kind, "UNKNOWN")


def _android_segments(p: Persona, t0: datetime, t1: datetime) -> Iterator[dict[str, Any]]:
    for s in p.segments_starting(t0, t1):
        if not p.segment_observed(s):
            continue
        tz = ZoneInfo(s.tz if s.kind == "stay" else (s.origin.tz if s.origin else s.tz))
        head = {"startTime": iso_local(s.start, tz), "endTime": iso_local(s.end, ZoneInfo(s.tz)),
                "startTimeTimezoneUtcOffsetMinutes": utc_offset_minutes(s.start, tz),
                "endTimeTimezoneUtcOffsetMinutes": utc_offset_minutes(s.end, ZoneInfo(s.tz))}
        if s.kind == "stay":
            assert s.spot is not None
            yield {**head, "visit": {"hierarchyLevel": 0, "probability": 0.9,
                                     "topCandidate": {"placeId": s.spot.place_id,
                                                      "semanticType": _visit_type_android(s.spot),
                                                      "probability": 0.8,
                                                      "placeLocation": {"latLng": _deg(s.spot.lat, s.spot.lon)}}}}
            continue
        assert s.origin is not None and s.dest is not None
        if s.mode != "FLYING":
            dur = s.end - s.start
            yield {**head, "timelinePath": [
                {"point": _deg(a, b), "time": iso_local(s.start + dur * (i / max(1, len(s.path) - 1)), tz)}
                for i, (a, b) in enumerate(s.path)]}
        yield {**head, "activity": {"start": {"latLng": _deg(s.origin.lat, s.origin.lon)},
                                    "end": {"latLng": _deg(s.dest.lat, s.dest.lon)},
                                    "distanceMeters": round(s.distance_m(), 1), "probability": 0.97,
                                    "topCandidate": {"type": s.mode, "probability": 0.9}}}


def _android_raw(p: Persona, t0: datetime, t1: datetime) -> Iterator[dict[str, Any]]:
    """Raw signals of the last 30 days of the period (the phone keeps only recent ones)."""
    start = max(t0, t1 - timedelta(days=30))
    d = start.astimezone(p.tz).date()
    while midnight(d, p.tz) < t1:
        for i, pt in enumerate(p.day_points(d)):
            if not start <= pt.t < t1 or i % 3:
                continue
            tz = ZoneInfo(p.where(pt.t).tz)
            pos: dict[str, Any] = {"LatLng": _deg(pt.lat, pt.lon), "accuracyMeters": pt.accuracy}
            if pt.altitude is not None:
                pos["altitudeMeters"] = float(pt.altitude)
            pos["source"] = pt.source
            pos["timestamp"] = iso_local(pt.t, tz)
            if pt.velocity is not None:
                pos["speedMetersPerSecond"] = float(pt.velocity)
            yield {"position": pos}
            if pt.activity is not None:
                yield {"activityRecord": {"probableActivities": [
                    {"type": pt.activity, "confidence": 0.92}], "timestamp": iso_local(pt.t, tz)}}
            if pt.source == "WIFI" and i % 12 == 0:
                # MACs as integers, as the export writes them; derived from the place, so stable.
                base = int(abs(pt.lat) * 1e3) * 1_000_003 + int(abs(pt.lon) * 1e3)
                yield {"wifiScan": {"deliveryTime": iso_local(pt.t, tz), "devicesRecords": [
                    {"mac": (base * 7919 + k * 104729) % (1 << 48), "rawRssi": -45 - 9 * k} for k in range(3)]}}
        d += timedelta(days=1)


_KINDS = ("visit", "activity", "timelinePath", "position", "activityRecord", "wifiScan")


def _counted(items: Iterator[dict[str, Any]], counts: dict[str, int],
             modes: dict[str, int] | None = None) -> Iterator[dict[str, Any]]:
    """Pass items through, counting them by kind (and path points), for the ground truth."""
    for it in items:
        kind = next(k for k in _KINDS if k in it)
        counts[kind] = counts.get(kind, 0) + 1
        if modes is not None and kind == "activity":
            m = it["activity"]["topCandidate"]["type"]
            modes[m] = modes.get(m, 0) + 1
        if kind == "timelinePath":
            counts["timelinePath_points"] = counts.get("timelinePath_points", 0) + len(it["timelinePath"])
        yield it


def _stream_array(w: _Buffered, key: str, items: Iterator[dict[str, Any]], last: bool = False) -> int:
    w.write(f'  "{key}": [')
    n = 0
    for it in items:
        w.write(("" if n == 0 else ",") + "\n    " + _indent(it, "    "))
        n += 1
    w.write(("\n  ]" if n else "]") + ("\n" if last else ",\n"))
    return n


def _location_profile(p: Persona, modes: dict[str, int]) -> dict[str, Any]:
    """Google's own summary: frequent places (HOME/WORK labelled), the commute, travel modes."""
    frequent = [p.home, *([p.work] if p.work else []), *p.places[:2]]
    prof: dict[str, Any] = {"frequentPlaces": [
        {"placeId": s.place_id, "placeLocation": _deg(s.lat, s.lon),
         **({"label": _visit_type_android(s)} if s.kind in ("home", "work") else {})} for s in frequent]}
    if p.work is not None:
        # UNCONFIRMED layout (formats.md §3.5 lists only frequentPlaces; peers' parsers read frequentTrips
        # and persona): times are minutes from Monday 00:00, written for a Monday.
        from ..model import _DayBuilder, rng_for

        minutes = round(_DayBuilder(p, p.first_day, p.home, rng_for(p.seed, "probe")).travel_minutes(p.work))
        leave, back = (7.6, 17.0) if p.p.work == "day" else (21.6 - minutes / 60, 6.0)
        prof["frequentTrips"] = [
            {"waypointIds": [a.place_id, b.place_id], "modeDistribution": [{"mode": p.commute_mode, "rate": 1.0}],
             "startTimeMinutes": round(h * 60), "endTimeMinutes": round(h * 60) + minutes,
             "durationMinutes": minutes, "confidence": 0.71, "commuteDirection": direction}
            for a, b, h, direction in ((p.home, p.work, leave, "COMMUTE_DIRECTION_HOME_TO_WORK"),
                                       (p.work, p.home, back, "COMMUTE_DIRECTION_WORK_TO_HOME"))]
    total = sum(modes.values()) or 1
    prof["persona"] = {"travelModeAffinities": [
        {"mode": m, "affinity": round(n / total, 4)} for m, n in sorted(modes.items(), key=lambda x: (-x[1], x[0]))
        if m != "FLYING"]}
    return prof


def write_android_timeline(p: Persona, path: Path) -> dict[str, Any] | None:
    """The Android on-device ``Timeline.json`` for the Android phone's period, or None if none."""
    per = _period(p, "ANDROID")
    if per is None or p.p.sparse_points is not None:
        return None
    t0, t1 = per
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        w = _Buffered(f)
        w.write("{\n")
        counts: dict[str, int] = {}
        modes: dict[str, int] = {}
        n_seg = _stream_array(w, "semanticSegments", _counted(_android_segments(p, t0, t1), counts, modes))
        n_raw = _stream_array(w, "rawSignals", _counted(_android_raw(p, t0, t1), counts))
        w.write('  "userLocationProfile": ' + _indent(_location_profile(p, modes), "  ") + "\n}\n")
        w.flush()
    return {"path": path.name, "kind": "google_ondevice_android", "first": iso_z(t0, False),
            "last": iso_z(t1, False), "semanticSegments": n_seg, "rawSignals": n_raw, "counts": counts}


def _ios_visits(p: Persona, t0: datetime, t1: datetime) -> Iterator[dict[str, Any]]:
    # UNCONFIRMED layout (formats.md §3.5): the time format (written like Android's, with the local
    # offset, as peers' fixtures do) and the semanticType spellings.
    for s in p.segments_starting(t0, t1):
        if not p.segment_observed(s):
            continue
        tz = ZoneInfo(s.tz)
        head = {"endTime": iso_local(s.end, tz), "startTime": iso_local(s.start, tz)}
        if s.kind == "stay":
            assert s.spot is not None
            yield {**head, "visit": {"hierarchyLevel": "0", "topCandidate": {
                "probability": "0.812345", "semanticType": {"home": "Home", "work": "Work"}.get(s.spot.kind, "Unknown"),
                "placeID": s.spot.place_id, "placeLocation": _geo(s.spot.lat, s.spot.lon)}, "probability": "0.9"}}
        else:
            assert s.origin is not None and s.dest is not None
            kind = s.mode.lower().replace("_", " ")
            yield {**head, "activity": {"probability": "0.97", "end": _geo(s.dest.lat, s.dest.lon),
                                        "topCandidate": {"type": kind, "probability": "0.9"},
                                        "distanceMeters": f"{s.distance_m():.1f}",
                                        "start": _geo(s.origin.lat, s.origin.lon)}}


def _ios_paths(p: Persona, t0: datetime, t1: datetime) -> Iterator[dict[str, Any]]:
    for s in p.segments_starting(t0, t1):
        if s.kind != "move" or s.mode == "FLYING" or not p.segment_observed(s):
            continue
        tz = ZoneInfo(s.tz)
        total = (s.end - s.start).total_seconds() / 60
        yield {"endTime": iso_local(s.end, tz), "startTime": iso_local(s.start, tz), "timelinePath": [
            {"point": _geo(a, b), "durationMinutesOffsetFromStartTime": str(int(total * i / max(1, len(s.path) - 1)))}
            for i, (a, b) in enumerate(s.path)]}


def write_ios_location_history(p: Persona, path: Path) -> dict[str, Any] | None:
    """The iOS on-device ``location-history.json`` (top-level array; path entries grouped at the end)."""
    per = _period(p, "IOS")
    if per is None or p.p.sparse_points is not None:
        return None
    t0, t1 = per
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(path, "wb") as f:
        w = _Buffered(f)
        w.write("[")
        counts: dict[str, int] = {}
        for src in (_counted(_ios_visits(p, t0, t1), counts), _counted(_ios_paths(p, t0, t1), counts)):
            for it in src:
                w.write(("" if n == 0 else ",") + "\n  " + _indent(it, "  "))
                n += 1
        w.write("\n]\n" if n else "]\n")
        w.flush()
    return {"path": path.name, "kind": "google_ondevice_ios", "first": iso_z(t0, False), "last": iso_z(t1, False),
            "entries": n, "counts": counts}


def write_google_location(p: Persona, exports: Path,
                          extra: dict[str, bytes] | None = None) -> dict[str, dict[str, Any]]:
    """Write every Google location export of the persona under ``exports``; returns what was written.

    ``extra`` members (the rest of Takeout, ``google_takeout.py``) go into the same zip.
    """
    out: dict[str, dict[str, Any]] = {"google_takeout": write_takeout(p, exports, extra)}
    a = write_android_timeline(p, exports / "google-maps-android" / "Timeline.json")
    if a:
        a["path"] = "google-maps-android/Timeline.json"
        out["google_ondevice_android"] = a
    i = write_ios_location_history(p, exports / "google-maps-ios" / "location-history.json")
    if i:
        i["path"] = "google-maps-ios/location-history.json"
        out["google_ondevice_ios"] = i
    return out


__all__ = ["takeout_name", "write_android_timeline", "write_google_location",
           "write_ios_location_history", "write_records_json", "write_takeout"]
