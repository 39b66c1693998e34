"""Google Takeout beyond location history (formats.md 3.6-3.9).

* ``Access Log Activity/Activities - A list of Google services accessed by.csv``:
  the Takeout IP log (time, IP, country/region/city, user agent, product).
  File names are truncated by Takeout, so they are matched by prefix.
* ``Access Log Activity/Devices - A list of devices ….csv``: devices (new header
  names UNCONFIRMED; the old export packs everything in one cell).
* ``My Activity/<Product>/MyActivity.json``: activity entries; those with
  ``locationInfos`` carry a map centre (``center=lat,lon``) Google attached.
  The ``Ads`` product is ad-tech.
* ``Profile/Profile.json``: names, e-mails, birthday, gender.
* ``Maps (your places)/Saved Places.json`` and ``Maps/My labeled places/Labeled
  places.json``: GeoJSON places the person saved or labelled ("Home", "Work").
  Their layout is not in formats.md: UNCONFIRMED.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

from ..records import AdSignal, AnyRecord, Device, Identity, Login, ParseIssue, Place
from . import WHOLE_FILE, GiB, Handler, Member, MiB, register
from ._common import (
    BadValue,
    check_latlon,
    col,
    csv_rows,
    json_pointer,
    load_json,
    load_json_object,
    parse_time,
    plausible,
    stream_items,
)

PLATFORM = "google"
Out = Iterator[AnyRecord | ParseIssue]


def parse_access_log(member: Member) -> Out:
    try:
        for i, row in csv_rows(member):
            loc = f"row {i}"
            try:
                raw_t = col(row, "Activity Timestamp", "Timestamp")
                if raw_t is None:
                    raise BadValue("no Activity Timestamp")
                t = parse_time(raw_t)
                product = " / ".join(x for x in (col(row, "Product Name"), col(row, "Sub-Product Name")) if x)
                yield Login(
                    provenance=member.prov(loc), platform=PLATFORM, time=t, action="session",
                    ip=col(row, "IP Address"), user_agent=col(row, "User Agent String"),
                    country=col(row, "Activity Country"), region=col(row, "Activity Region"),
                    city=col(row, "Activity City"), detail=product or None,
                )
            except (BadValue, ValueError) as exc:
                yield member.issue(loc, str(exc))
    except (csv.Error, UnicodeError) as exc:
        yield member.issue(WHOLE_FILE, f"not a readable CSV file ({exc})")


def parse_access_devices(member: Member) -> Out:
    # UNCONFIRMED header names (formats.md 3.7): take what is there, keep the rest as text.
    try:
        for i, row in csv_rows(member):
            loc = f"row {i}"
            try:
                first = col(row, "First Activity Timestamp", "Device First Activity Timestamp")
                last = col(row, "Last Activity Timestamp", "Device Last Activity Timestamp")
                name = col(row, "Device Name", "Device Model", "Model") or "; ".join(
                    f"{k}: {v}" for k, v in row.items() if v)[:200]
                yield Device(
                    provenance=member.prov(loc), platform=PLATFORM,
                    kind="phone" if "phone" in (col(row, "Device Type") or "").lower() else "unknown",
                    make=col(row, "Brand", "Device Brand", "Manufacturer"),
                    model=col(row, "Model", "Device Model"), os=col(row, "OS", "Device OS"),
                    name=name or None,
                    first_seen=parse_time(first) if first else None,
                    last_seen=parse_time(last) if last else None,
                )
            except (BadValue, ValueError) as exc:
                yield member.issue(loc, str(exc))
    except (csv.Error, UnicodeError) as exc:
        yield member.issue(WHOLE_FILE, f"not a readable CSV file ({exc})")


_CENTER = re.compile(r"(-?\d{1,3}\.\d+),\s*(-?\d{1,3}\.\d+)")


def _center(url: str) -> tuple[float, float] | None:
    """Coordinates from a Maps URL: ``center=lat,lon`` or ``@lat,lon``."""
    q = parse_qs(urlparse(url).query)
    for value in q.get("center", []) + q.get("query", []):
        m = _CENTER.search(value)
        if m:
            return float(m.group(1)), float(m.group(2))
    m = re.search(r"@(-?\d{1,3}\.\d+),(-?\d{1,3}\.\d+)", url)
    return (float(m.group(1)), float(m.group(2))) if m else None


def parse_my_activity(member: Member) -> Out:
    is_ads = "/ads/" in member.path.lower() or member.path.lower().startswith("ads/")
    try:
        for i, entry in stream_items(member, "item"):
            ptr = json_pointer(i)
            if not isinstance(entry, dict):
                yield member.issue(ptr, "entry is not an object")
                continue
            try:
                t = parse_time(entry["time"]) if entry.get("time") else None
                for j, li in enumerate(entry.get("locationInfos") or []):
                    if not isinstance(li, dict) or not li.get("url"):
                        continue
                    c = _center(str(li["url"]))
                    if c is None:
                        continue
                    lat, lon = check_latlon(*c)
                    yield Place(provenance=member.prov(f"{ptr}/locationInfos/{j}"), platform=PLATFORM, time=t,
                                lat=lat, lon=lon, kind="unknown", name=li.get("name"), source=li.get("source"))
                if is_ads:
                    title = str(entry.get("title") or "")
                    adv = next((s.get("name") for s in entry.get("subtitles") or []
                                if isinstance(s, dict) and s.get("name")), None)
                    yield AdSignal(provenance=member.prov(ptr), platform=PLATFORM,
                                   kind="advertiser_has_your_data" if adv else "interest",
                                   name=str(adv or title)[:300], time=t, detail=title[:300] or None,
                                   channels=frozenset({"records", "adtech"}))
            except (BadValue, ValueError, TypeError) as exc:
                yield member.issue(ptr, str(exc))
    except BadValue as exc:
        yield member.issue(WHOLE_FILE, str(exc))


def parse_profile(member: Member) -> Out:
    try:
        yield from _profile(member)
    except (TypeError, AttributeError, ValueError) as exc:
        yield member.issue(WHOLE_FILE, f"unexpected shape ({exc})")


def _profile(member: Member) -> Out:
    data = load_json_object(member)
    if isinstance(data, ParseIssue):
        yield data
        return
    name = data.get("name") if isinstance(data.get("name"), dict) else {}
    full = name.get("formattedName") or " ".join(
        x for x in (name.get("givenName"), name.get("familyName")) if x) or None
    if full:
        yield Identity(provenance=member.prov("/name"), platform=PLATFORM, kind="name", value=str(full))
    if data.get("displayName") and data.get("displayName") != full:
        yield Identity(provenance=member.prov("/displayName"), platform=PLATFORM, kind="name",
                       value=str(data["displayName"]))
    for j, e in enumerate(data.get("emails") or []):
        value = e.get("value") if isinstance(e, dict) else e
        if value:
            # Every address listed on the profile is one the person added (main or alternate).
            yield Identity(provenance=member.prov(f"/emails/{j}"), platform=PLATFORM, kind="email",
                           value=str(value), role="primary")


def _geojson_places(member: Member, kind: str) -> Out:
    # UNCONFIRMED layout: GeoJSON FeatureCollection, coordinates [lon, lat].
    try:
        data = load_json(member)
    except (ValueError, RecursionError) as exc:
        yield member.issue(WHOLE_FILE, f"not valid JSON ({exc})")
        return
    feats = data.get("features") if isinstance(data, dict) else None
    if not isinstance(feats, list):
        yield member.issue(WHOLE_FILE, "no 'features' list")
        return
    for i, feat in enumerate(feats):
        ptr = json_pointer("features", i)
        try:
            coords = feat["geometry"]["coordinates"]
            lon, lat = float(coords[0]), float(coords[1])
            if lat == 0 and lon == 0:
                continue  # saved places without coordinates are exported as 0,0
            check_latlon(lat, lon)
            props: dict[str, Any] = feat.get("properties") or {}
            loc = props.get("location") if isinstance(props.get("location"), dict) else {}
            name = props.get("name") or props.get("Title") or loc.get("name") or props.get("address")
            t = None
            if props.get("date") or props.get("Updated"):
                try:
                    t = parse_time(props.get("date") or props.get("Updated"))
                    t = t if plausible(t) else None
                except BadValue:
                    t = None
            label = str(name).upper() if kind == "labelled" and name else None
            yield Place(provenance=member.prov(ptr), platform=PLATFORM, time=t, lat=lat, lon=lon,
                        kind="profile", name=str(name) if name else None,
                        label=label if label in ("HOME", "WORK") else None, source=f"Maps {kind} place")
        except (KeyError, IndexError, TypeError, ValueError, AttributeError, BadValue) as exc:
            yield member.issue(ptr, f"could not be read: {exc}")


def parse_saved_places(member: Member) -> Out:
    return _geojson_places(member, "saved")


def parse_labelled_places(member: Member) -> Out:
    return _geojson_places(member, "labelled")


register(Handler(
    platform=PLATFORM, name="google.access_log", title="Access log: IP addresses, places, devices (CSV)",
    pattern=r"[^/]*/Activities - [^/]*\.csv", example="Takeout/Access Log Activity/Activities - A list of "
    "Google services accessed by.csv", parse=parse_access_log, max_bytes=2 * GiB,
    sniff=lambda head: b"IP Address" in head and b"Activity" in head,
))
register(Handler(
    platform=PLATFORM, name="google.access_devices", title="Access log: devices (CSV)",
    pattern=r"[^/]*/Devices - [^/]*\.csv", example="Takeout/Access Log Activity/Devices - A list of devices "
    "(i.e. Nest, Pixel, iPh.csv", parse=parse_access_devices, max_bytes=256 * MiB, unconfirmed=True,
    sniff=lambda head: b"Device" in head,
))
register(Handler(
    platform=PLATFORM, name="google.my_activity", title="My Activity (entries with locations; ads)",
    pattern=r"My Activity/[^/]+/My ?Activity\.json", example="Takeout/My Activity/Maps/MyActivity.json",
    parse=parse_my_activity, max_bytes=4 * GiB,
))
register(Handler(
    platform=PLATFORM, name="google.profile", title="Google profile (names, e-mails)",
    pattern=r"Profile/Profile\.json", example="Takeout/Profile/Profile.json", parse=parse_profile,
    max_bytes=16 * MiB,
))
register(Handler(
    platform=PLATFORM, name="google.saved_places", title="Maps saved places", unconfirmed=True,
    pattern=r"[^/]*/Saved Places\.json", example="Takeout/Maps (your places)/Saved Places.json",
    parse=parse_saved_places, max_bytes=256 * MiB, sniff=lambda head: b"FeatureCollection" in head,
))
register(Handler(
    platform=PLATFORM, name="google.labelled_places", title="Maps labelled places (Home, Work)", unconfirmed=True,
    pattern=r"[^/]*/Labeled places\.json", example="Takeout/Maps/My labeled places/Labeled places.json",
    parse=parse_labelled_places, max_bytes=64 * MiB, sniff=lambda head: b"FeatureCollection" in head,
))
