"""Google Takeout legacy location history: ``Records.json`` (and the pre-2018 name).

Layout (formats.md 3.2): ``{"locations": [{"latitudeE7", "longitudeE7", "accuracy",
"source", "deviceTag", "timestamp" | "timestampMs", "activity": [...]}, ...]}``.
Files of several GB are normal, so the array is streamed, never loaded whole.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..records import ParseIssue, Place
from . import WHOLE_FILE, GiB, Handler, Member, register
from ._common import BadValue, check_latlon, e7, json_pointer, parse_time, plausible, stream_items

_KIND = {"GPS": "gps", "WIFI": "wifi", "CELL": "cell"}


def parse(member: Member) -> Iterator[Place | ParseIssue]:
    try:
        for i, loc in stream_items(member, "locations.item"):
            loc_ptr = json_pointer("locations", i)
            if not isinstance(loc, dict):
                yield member.issue(loc_ptr, "entry is not an object")
                continue
            try:
                lat, lon = check_latlon(e7(loc["latitudeE7"]), e7(loc["longitudeE7"]))
                raw_t = loc.get("timestamp", loc.get("timestampMs"))
                if raw_t is None:
                    raise BadValue("no timestamp")
                t = parse_time(raw_t)
                if not plausible(t):
                    raise BadValue(f"implausible date {t.date()}")
                acc = loc.get("accuracy")
                src = loc.get("source")
                dev = loc.get("deviceTag")
                yield Place(
                    provenance=member.prov(loc_ptr), platform="google", time=t, lat=lat, lon=lon,
                    accuracy_m=float(acc) if isinstance(acc, (int, float)) else None,
                    kind=_KIND.get(str(src).upper(), "unknown") if src else "unknown",  # type: ignore[arg-type]
                    source=str(src) if src is not None else None,
                    device=str(dev) if dev is not None else None,
                )
            except KeyError as exc:
                yield member.issue(loc_ptr, f"missing {exc.args[0]!r}")
            except (BadValue, ValueError, TypeError) as exc:
                yield member.issue(loc_ptr, str(exc))
    except BadValue as exc:
        yield member.issue(WHOLE_FILE, str(exc))


register(Handler(
    platform="google", name="google.records",
    title="Location History, raw points (Records.json)",
    pattern=r"(Location History( \(Timeline\))?|[^/]+)/(Records|Location History)\.json",
    example="Takeout/Location History (Timeline)/Records.json",
    parse=parse, max_bytes=16 * GiB,
    sniff=lambda head: b'"locations"' in head,
))
