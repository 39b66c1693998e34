"""XMP packets: location (exif:GPS*, photoshop:City/Country, Iptc4xmpCore:Location), face regions,
camera and serials (tiff:Make, aux:SerialNumber, exifEX:BodySerialNumber), dates and edit history.

XMP is RDF/XML where a property may be an attribute or an element; a small
tolerant scan finds both without an XML parser (packets are often slightly
malformed, and an XML parser brings entity-expansion risks for no gain here).
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import MediaMeta

MAX_XMP = 4 * 1024 * 1024


@lru_cache(maxsize=64)
def _rx(name: str) -> re.Pattern[str]:
    n = re.escape(name)
    return re.compile(rf'{n}\s*=\s*"([^"]*)"|{n}\s*=\s*\'([^\']*)\'|<{n}(?:\s[^>]*)?>\s*([^<]*?)\s*</{n}>')


def prop(text: str, name: str) -> str | None:
    """The first value of property ``name`` (prefix:Local) as attribute or simple element."""
    m = _rx(name).search(text)
    if not m:
        return None
    v = next((g for g in m.groups() if g is not None), None)
    return _unescape(v.strip()) if v and v.strip() else None


def props(text: str, name: str) -> list[str]:
    out = []
    for m in _rx(name).finditer(text):
        v = next((g for g in m.groups() if g is not None), None)
        if v and v.strip():
            out.append(_unescape(v.strip()))
    return out


def _unescape(s: str) -> str:
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        s = s.replace(a, b)
    return s


def coord(value: str) -> float | None:
    """XMP GPS coordinate: 'DDD,MM,SSk', 'DDD,MM.mmk' or a plain decimal."""
    s = value.strip().upper()
    if not s:
        return None
    sign = 1.0
    if s[-1] in "NSEW":
        if s[-1] in "SW":
            sign = -1.0
        s = s[:-1]
    try:
        parts = [float(p) for p in s.split(",")]
    except ValueError:
        return None
    if not parts or len(parts) > 3:
        return None
    deg = abs(parts[0]) + (parts[1] / 60 if len(parts) > 1 else 0) + (parts[2] / 3600 if len(parts) > 2 else 0)
    if parts[0] < 0:
        sign = -sign
    return sign * deg


def parse(data: bytes | str, meta: MediaMeta, where: str = "XMP") -> None:
    text = data if isinstance(data, str) else data[:MAX_XMP].decode("utf-8", "replace")
    meta.block("XMP")
    lat_s, lon_s = prop(text, "exif:GPSLatitude"), prop(text, "exif:GPSLongitude")
    if lat_s and lon_s:
        lat, lon = coord(lat_s), coord(lon_s)
        if lat is not None and lon is not None:
            meta.set_position(lat, lon, where)
        else:
            meta.note("GPS position", where)
    alt = prop(text, "exif:GPSAltitude")
    if alt:
        try:
            num, _, den = alt.partition("/")
            meta.set("alt", float(num) / float(den or 1), where)
        except (ValueError, ZeroDivisionError):
            pass
    for name in ("photoshop:City", "photoshop:State", "photoshop:Country", "Iptc4xmpCore:Location",
                 "Iptc4xmpCore:CountryCode", "Iptc4xmpExt:City", "Iptc4xmpExt:CountryName",
                 "Iptc4xmpExt:Sublocation"):
        v = prop(text, name)
        if v and v not in meta.places:
            meta.places.append(v)
            meta.note("place name", where)
    meta.set("make", prop(text, "tiff:Make"), where)
    meta.set("model", prop(text, "tiff:Model"), where)
    meta.set("serial", prop(text, "exifEX:BodySerialNumber") or prop(text, "aux:SerialNumber"), where)
    meta.set("lens_serial", prop(text, "exifEX:LensSerialNumber") or prop(text, "aux:LensSerialNumber"), where)
    meta.set("owner", prop(text, "exifEX:CameraOwnerName") or prop(text, "aux:OwnerName"), where)
    meta.set("software", prop(text, "xmp:CreatorTool") or prop(text, "tiff:Software"), where)
    taken = prop(text, "exif:DateTimeOriginal") or prop(text, "photoshop:DateCreated")
    if taken and not meta.taken_local and len(taken) >= 19:
        meta.taken_local = taken[:19].replace("-", ":", 2).replace("T", " ")
        tail = taken[19:].lstrip("0123456789.")
        if tail and not meta.offset:
            meta.offset = "+00:00" if tail.upper() == "Z" else tail[:6]
        meta.note("date taken", where)
    faces = len(re.findall(r'mwg-rs:Type\s*=\s*"Face"|<mwg-rs:Type>\s*Face\s*<', text))
    faces += len(props(text, "MPRI:Rectangle"))
    if faces:
        meta.faces += faces
        meta.note("face regions", where)
    agents = props(text, "stEvt:softwareAgent")
    if agents:
        for a in agents:
            if a not in meta.history:
                meta.history.append(a)
        meta.note("edit history", where)


__all__ = ["coord", "parse", "prop", "props"]
