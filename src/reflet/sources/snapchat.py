"""Snapchat "My Data" (``json/`` folder) (formats.md 7).

Location comes in four encodings in one file: ``"lat 52.370 ± 19.5 meters, long
4.895 ± 19.5 meters"`` strings, dates inside keys (``{"Date: 2024-09-05 UTC":
"lat … long …"}``), ``["2024-09-05 10:11:12 UTC", "52.370, 4.895"]`` pairs and
``"Latitude, Longitude: 48.858844, 2.294351"``; "Areas…" times use slashes.
Snapchat's own "Home & Work" inference is kept as labelled places when it
carries coordinates, otherwise as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from ..records import AdSignal, AnyRecord, App, Connection, Device, Identity, Login, ParseIssue, Place, Post
from . import WHOLE_FILE, Handler, Member, MiB, register
from ._common import BadValue, check_latlon, json_pointer, load_json_object, parse_time, plausible

PLATFORM = "snapchat"
Out = Iterator[AnyRecord | ParseIssue]
ADTECH = frozenset({"records", "adtech"})

_LATLONG = re.compile(
    r"lat(?:itude)?\s*(-?\d+(?:\.\d+)?)\s*(?:±\s*(\d+(?:\.\d+)?)\s*m\w*)?\s*,\s*long(?:itude)?\s*(-?\d+(?:\.\d+)?)",
    re.IGNORECASE)
_PAIR = re.compile(r"^\s*(?:Latitude,\s*Longitude:\s*)?(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$", re.IGNORECASE)
_KEY_DATE = re.compile(r"Date:\s*(\d{4}-\d{2}-\d{2})(?:\s*UTC)?")


def coords(text: str) -> tuple[float, float, float | None] | None:
    """(lat, lon, accuracy_m) from any of Snapchat's coordinate strings."""
    m = _LATLONG.search(text)
    if m:
        lat, lon = check_latlon(float(m.group(1)), float(m.group(3)))
        return lat, lon, float(m.group(2)) if m.group(2) else None
    m = _PAIR.match(text)
    if m:
        lat, lon = check_latlon(float(m.group(1)), float(m.group(2)))
        return lat, lon, None
    return None


def _time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    s = str(value).strip().replace("/", "-", 2) if re.match(r"\d{4}/\d{2}/\d{2}", str(value)) else str(value)
    t = parse_time(s, assume_utc=True)
    return t if plausible(t) else None


def _each(member: Member, data: dict[str, Any], key: str) -> Iterator[tuple[str, Any]]:
    value = data.get(key)
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield json_pointer(key, i), item


def _safe(member: Member, fn: Callable[[dict[str, Any]], Out]) -> Out:
    data = load_json_object(member)
    if isinstance(data, ParseIssue):
        yield data
        return
    try:
        yield from fn(data)
    except (BadValue, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        # Entries are guarded one by one; this catches a section of an unexpected shape.
        yield member.issue(WHOLE_FILE, f"a section has an unexpected shape ({exc})")


def _try(member: Member, ptr: str, gen: Callable[[], Out]) -> Out:
    try:
        yield from gen()
    except (BadValue, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        yield member.issue(ptr, f"could not be read: {exc}")


def parse_location_history(member: Member) -> Out:
    def body(data: dict[str, Any]) -> Out:
        for ptr, item in _each(member, data, "Location History"):
            def one(ptr: str = ptr, item: Any = item) -> Out:
                t_raw, where = item[0], item[1]
                c = coords(str(where))
                if c is None:
                    raise BadValue(f"unrecognised coordinates {str(where)[:40]!r}")
                yield Place(provenance=member.prov(ptr), platform=PLATFORM, time=_time(t_raw), lat=c[0], lon=c[1],
                            accuracy_m=c[2], kind="gps")
            yield from _try(member, ptr, one)
        for section in ("Daily Top Locations", "Top Locations Per Six-Day Period"):
            for ptr, group in _each(member, data, section):
                entries = group if isinstance(group, list) else [group]
                for j, entry in enumerate(entries):
                    if not isinstance(entry, dict):
                        continue
                    for key, value in entry.items():
                        def one(ptr: str = f"{ptr}/{j}", key: str = key, value: Any = value,
                                section: str = section) -> Out:
                            m = _KEY_DATE.search(key)  # the date is in the KEY
                            c = coords(str(value))
                            if c is None:
                                raise BadValue(f"unrecognised coordinates {str(value)[:40]!r}")
                            t = _time(m.group(1) + " 00:00:00") if m else None
                            yield Place(provenance=member.prov(ptr), platform=PLATFORM, time=t, lat=c[0], lon=c[1],
                                        accuracy_m=c[2], kind="visit", source=section)
                        yield from _try(member, f"{ptr}/{j}", one)
        hw = data.get("Home & Work") or data.get("Home, School & Work")
        if isinstance(hw, dict):
            for key, value in hw.items():
                if not value:
                    continue
                label = "HOME" if "home" in key.lower() else "WORK" if "work" in key.lower() else key.upper()
                inferred = key.lower().startswith("inferred")
                c = coords(str(value)) if isinstance(value, str) else None
                ptr = json_pointer("Home & Work" if "Home & Work" in data else "Home, School & Work", key)
                if c:
                    yield Place(provenance=member.prov(ptr), platform=PLATFORM, time=None, lat=c[0], lon=c[1],
                                accuracy_m=c[2], kind="profile", label=label,
                                source="inferred by Snapchat" if inferred else "given by you")
                else:
                    yield AdSignal(provenance=member.prov(ptr), platform=PLATFORM, kind="inferred_category",
                                   name=f"{'Snapchat inferred' if inferred else 'You gave'} {label.lower()}: "
                                        f"{str(value)[:200]}", channels=frozenset({"records"}))
        for section in ("Frequent Locations", "Latest Location"):
            for ptr, item in _each(member, data, section):
                if isinstance(item, dict):
                    where = ", ".join(str(item[k]) for k in ("City", "Region", "Country") if item.get(k))
                    if where:
                        yield AdSignal(provenance=member.prov(ptr), platform=PLATFORM, kind="inferred_category",
                                       name=f"{section}: {where}", channels=frozenset({"records"}))
        for ptr, item in _each(member, data, "Areas you may have visited in the last two years"):
            if isinstance(item, dict):
                def one(ptr: str = ptr, item: dict[str, Any] = item) -> Out:
                    where = ", ".join(str(item[k]) for k in ("City", "Region", "Postal Code") if item.get(k))
                    yield AdSignal(provenance=member.prov(ptr), platform=PLATFORM, kind="inferred_category",
                                   name=f"Area visited: {where}", time=_time(item.get("Time")), channels=ADTECH)
                yield from _try(member, ptr, one)
        biz = data.get("Businesses and places you may have visited")
        if isinstance(biz, dict):
            for j, pair in enumerate(biz.get("inferredVisitationList") or []):
                if isinstance(pair, list) and pair:
                    yield AdSignal(provenance=member.prov(json_pointer(
                        "Businesses and places you may have visited", "inferredVisitationList", j)),
                        platform=PLATFORM, kind="inferred_category",
                        name="Visited: " + ", ".join(map(str, pair)), channels=ADTECH)
    return _safe(member, body)


def parse_account(member: Member) -> Out:
    def body(data: dict[str, Any]) -> Out:
        basic = data.get("Basic Information") or {}
        if isinstance(basic, dict):
            created = _time(basic.get("Creation Date"))
            if basic.get("Registration IP"):
                yield Login(provenance=member.prov("/Basic Information/Registration IP"), platform=PLATFORM,
                            time=created, ip=str(basic["Registration IP"]), action="account_created",
                            country=basic.get("Country"))
            for key, kind in (("Username", "username"), ("Name", "name"), ("PhoneNumber", "phone")):
                if basic.get(key):
                    ch = frozenset({"records", "public"}) if kind in ("username", "name") else frozenset({"records"})
                    yield Identity(provenance=member.prov(f"/Basic Information/{key}"), platform=PLATFORM,
                                   kind=kind, value=str(basic[key]), channels=ch)  # type: ignore[arg-type]
        dev = data.get("Device Information")
        if isinstance(dev, dict) and (dev.get("Make") or dev.get("Model Name")):
            yield Device(provenance=member.prov("/Device Information"), platform=PLATFORM, kind="phone",
                         make=dev.get("Make"), model=dev.get("Model Name") or dev.get("Model ID"),
                         os=" ".join(str(x) for x in (dev.get("OS Type"), dev.get("OS Version")) if x) or None)
        for ptr, d in _each(member, data, "Device History"):
            if isinstance(d, dict):
                yield from _try(member, ptr, lambda ptr=ptr, d=d: iter([Device(
                    provenance=member.prov(ptr), platform=PLATFORM,
                    kind="phone" if str(d.get("Device Type", "")).upper() == "PHONE" else "unknown",
                    make=d.get("Make"), model=d.get("Model"), first_seen=_time(d.get("Start Time")))]))
        for ptr, lg in _each(member, data, "Login History"):
            if isinstance(lg, dict):
                yield from _try(member, ptr, lambda ptr=ptr, lg=lg: iter([Login(
                    provenance=member.prov(ptr), platform=PLATFORM, time=_time(lg.get("Created")),
                    ip=lg.get("IP"), user_agent=lg.get("Device"), country=lg.get("Country"),
                    action="login" if str(lg.get("Status", "success")).lower() == "success" else "failed_login")]))
    return _safe(member, body)


def parse_account_history(member: Member) -> Out:
    def body(data: dict[str, Any]) -> Out:
        for section, key, kind in (("Email Change", "Email Address", "email"),
                                   ("Mobile Number Change", "Mobile Number", "phone"),
                                   ("Display Name Change", "Display Name", "name")):
            for ptr, item in _each(member, data, section):
                if isinstance(item, dict) and item.get(key):
                    yield from _try(member, ptr, lambda ptr=ptr, item=item, key=key, kind=kind: iter([Identity(
                        provenance=member.prov(ptr), platform=PLATFORM, kind=kind, value=str(item[key]),
                        role="former", time=_time(item.get("Date")))]))
        for section, action in (("Password Change", "password_change"), ("Two-Factor Authentication", "other")):
            for ptr, item in _each(member, data, section):
                if isinstance(item, dict):
                    yield from _try(member, ptr, lambda ptr=ptr, item=item, action=action, section=section: iter([
                        Login(provenance=member.prov(ptr), platform=PLATFORM, time=_time(item.get("Date")),
                              action=action, detail=item.get("Event") or section)]))
    return _safe(member, body)


def parse_user_profile(member: Member) -> Out:
    def body(data: dict[str, Any]) -> Out:
        demo = data.get("Demographics") or {}
        if isinstance(demo, dict):
            for key, value in demo.items():
                if value:
                    yield AdSignal(provenance=member.prov(json_pointer("Demographics", key)), platform=PLATFORM,
                                   kind="inferred_category", name=f"{key}: {value}", channels=ADTECH)
        for section in ("Interest Categories", "Content Categories"):
            for ptr, v in _each(member, data, section):
                if v:
                    yield AdSignal(provenance=member.prov(ptr), platform=PLATFORM, kind="interest", name=str(v),
                                   channels=ADTECH)
        for ptr, ad in _each(member, data, "Ads You Interacted With"):
            if isinstance(ad, dict) and ad.get("Advertiser Name"):
                yield from _try(member, ptr, lambda ptr=ptr, ad=ad: iter([AdSignal(
                    provenance=member.prov(ptr), platform=PLATFORM, kind="advertiser_has_your_data",
                    name=str(ad["Advertiser Name"]), time=_time(ad.get("Date") and f"{ad['Date']} 00:00:00"),
                    channels=ADTECH)]))
        if data.get("Mobile Ad Id"):
            yield Identity(provenance=member.prov("/Mobile Ad Id"), platform=PLATFORM, kind="ad_id",
                           value=str(data["Mobile Ad Id"]), channels=ADTECH)
    return _safe(member, body)


def parse_memories(member: Member) -> Out:
    def body(data: dict[str, Any]) -> Out:
        for ptr, item in _each(member, data, "Saved Media"):
            if isinstance(item, dict) and item.get("Location"):
                def one(ptr: str = ptr, item: dict[str, Any] = item) -> Out:
                    c = coords(str(item["Location"]))
                    if c and not (c[0] == 0 and c[1] == 0):
                        yield Place(provenance=member.prov(ptr), platform=PLATFORM, time=_time(item.get("Date")),
                                    lat=c[0], lon=c[1], kind="geotag", source=f"memory ({item.get('Media Type')})")
                yield from _try(member, ptr, one)
    return _safe(member, body)


def parse_snap_map_places(member: Member) -> Out:
    def body(data: dict[str, Any]) -> Out:
        for ptr, item in _each(member, data, "Snap Map Places History"):
            if isinstance(item, dict):
                share = str(item.get("Share Type") or "")
                public = "story" in share.lower()  # a Story post on the Map can be seen by others
                yield from _try(member, ptr, lambda ptr=ptr, item=item, public=public, share=share: iter([Post(
                    provenance=member.prov(ptr), platform=PLATFORM, time=_time(item.get("Date")),
                    text=f"Shared place: {item.get('Place')} ({item.get('Place Location')}) via {share}",
                    visibility="public" if public else "friends",
                    channels=frozenset({"records", "public"}) if public else frozenset({"records"}))]))
    return _safe(member, body)


def parse_connected_apps(member: Member) -> Out:
    def body(data: dict[str, Any]) -> Out:
        for ptr, item in _each(member, data, "Permissions"):
            if isinstance(item, dict) and item.get("App"):
                yield from _try(member, ptr, lambda ptr=ptr, item=item: iter([App(
                    provenance=member.prov(ptr), platform=PLATFORM, name=str(item["App"]),
                    permissions=(str(item.get("Type")),) if item.get("Type") else (),
                    first_seen=_time(item.get("Time")))]))
    return _safe(member, body)


def parse_friends(member: Member) -> Out:
    def body(data: dict[str, Any]) -> Out:
        friends = data.get("Friends")
        n = len(friends) if isinstance(friends, list) else 0
        yield Connection(provenance=member.prov("/Friends"), platform=PLATFORM, kind="friend", count=n)
    return _safe(member, body)


def _has(*keys: str) -> Callable[[bytes], bool]:
    return lambda head: any(k.encode() in head for k in keys)


for _name, _title, _file, _fn, _keys in (
    ("location_history", "Location history, top places, home & work", "location_history",
     parse_location_history, ("Location History", "Frequent Locations", "Home & Work", "Daily Top Locations")),
    ("account", "Account: sign-up IP, logins, devices", "account", parse_account,
     ("Basic Information", "Login History", "Device")),
    ("account_history", "Account changes (e-mail, phone, password)", "account_history", parse_account_history,
     ("Change", "Two-Factor")),
    ("user_profile", "Ad profile: demographics, interests, advertisers", "user_profile", parse_user_profile,
     ("Demographics", "Interest Categories", "App Profile")),
    ("memories", "Memories with location", "memories_history", parse_memories, ("Saved Media",)),
    ("snap_map_places", "Places shared on Snap Map", "snap_map_places_history", parse_snap_map_places,
     ("Snap Map Places",)),
    ("connected_apps", "Connected apps and permissions", "connected_apps", parse_connected_apps,
     ("Permissions", "Connected Applications")),
    ("friends", "Friends (counted)", "friends", parse_friends, ("Friends",)),
):
    register(Handler(platform=PLATFORM, name=f"snapchat.{_name}", title=_title, pattern=rf"json/{_file}\.json",
                     example=f"mydata~1725000000000/json/{_file}.json", parse=_fn, sniff=_has(*_keys),
                     max_bytes=512 * MiB))
