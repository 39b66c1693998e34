"""Google Takeout Location History ``Settings.json``: the devices that reported locations.

Layout (formats.md 3.2): ``{"createdTime", "modifiedTime", "historyEnabled", "deviceSettings":
[{"deviceTag", "reportingEnabled", "devicePrettyName", "platformType", "deviceCreationTime",
"androidOsLevel", "deviceSpec": {"manufacturer", "brand", "model", …}}], "retentionWindowDays", …}``.

Each device becomes a ``Device`` whose identifier ``("google_device_tag", tag)`` is the same
string as ``Place.device`` on Records.json and Semantic points: that is what ties a location
trail to a named phone. Small file, read whole. Since 2024 Takeout often carries only this
file of the location folder (research.md A3), so it is worth reading on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from ..records import Device, ParseIssue
from . import WHOLE_FILE, Handler, Member, MiB, register
from ._common import BadValue, json_pointer, load_json, parse_time, plausible
from ._google_location import ENTRY_ERRORS, device_tag, number, text

_OS = {"ANDROID": "Android", "IOS": "iOS"}


def _os(d: dict[str, Any]) -> str | None:
    platform = text(d.get("platformType"))
    if platform is None or platform.upper() == "UNKNOWN":
        return None
    name = _OS.get(platform.upper(), platform)
    try:
        level = number(d.get("androidOsLevel"), "androidOsLevel")
    except BadValue:
        level = None
    # androidOsLevel is the API level (33 = Android 13), not the marketing version.
    return f"{name} (API {int(level)})" if level and name == "Android" else name


def _device(member: Member, d: Any, ptr: str) -> Device:
    if not isinstance(d, dict):
        raise BadValue("device entry is not an object")
    tag = device_tag(d.get("deviceTag"))
    spec = d.get("deviceSpec") if isinstance(d.get("deviceSpec"), dict) else {}
    name = text(d.get("devicePrettyName"))
    make = text(spec.get("manufacturer")) or text(spec.get("brand"))
    model = text(spec.get("model"))
    if tag is None and name is None and model is None:
        raise BadValue("device has no deviceTag, name or model")
    created = d.get("deviceCreationTime")
    first = parse_time(created) if created is not None else None
    if first is not None and not plausible(first):
        raise BadValue(f"implausible deviceCreationTime {first.date()}")
    hint = " ".join(filter(None, (name, model))).lower()
    return Device(
        provenance=member.prov(ptr), platform="google",
        kind="tablet" if ("ipad" in hint or "tablet" in hint) else "phone",
        make=make, model=model, os=_os(d), name=name, first_seen=first,
        identifiers=(("google_device_tag", tag),) if tag else (),
    )


def parse(member: Member) -> Iterator[Device | ParseIssue]:
    try:
        data = load_json(member)
    except orjson.JSONDecodeError as exc:
        yield member.issue(WHOLE_FILE, f"not valid JSON ({str(exc)[:120]})")
        return
    if not isinstance(data, dict):
        yield member.issue(WHOLE_FILE, "top level is not an object")
        return
    devices = data.get("deviceSettings")
    if devices is None:
        return  # location history never enabled on any device: nothing to read, nothing wrong
    if not isinstance(devices, list):
        yield member.issue("/deviceSettings", "deviceSettings is not a list")
        return
    for i, d in enumerate(devices):
        ptr = json_pointer("deviceSettings", i)
        try:
            yield _device(member, d, ptr)
        except ENTRY_ERRORS as exc:
            yield member.issue(ptr, str(exc))


def _sniff(head: bytes) -> bool:
    return any(k in head for k in (b'"deviceSettings"', b'"historyEnabled"', b'"retentionWindowDays"',
                                   b'"hasReportedLocations"'))


register(Handler(
    platform="google", name="google.location_settings",
    title="Location History settings: reporting devices (Settings.json)",
    pattern=r"Settings\.json",  # also when the location folder itself is the input
    example="Takeout/Location History (Timeline)/Settings.json",
    parse=parse, max_bytes=16 * MiB, sniff=_sniff,
))
