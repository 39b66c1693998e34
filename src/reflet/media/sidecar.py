"""Metadata kept NEXT TO a photo: Google Photos JSON sidecars, XMP sidecars, Apple ``.aae`` edit files.

Google Takeout strips nothing from photos but adds ``IMG_1234.jpg.supplemental-metadata.json``
(older: ``IMG_1234.jpg.json``); long names are cut (``….supplemental-metad.json``,
``….su.json``) and duplicates get ``(1)`` after the suffix (formats.md §3.10).
"""

from __future__ import annotations

import plistlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson

from . import MediaMeta, xmp

_SUPPLEMENTAL = "supplemental-metadata"
# ".supplemental-metadata", any truncation of it (at least ".s"), an optional "(n)", then ".json"
_SIDE = re.compile(r"^(?P<media>.+?)(?:\.(?P<supp>s[a-z-]*))?(?P<dup>\(\d+\))?\.json$", re.IGNORECASE)


def media_name(sidecar: str) -> str | None:
    """The photo a Google sidecar describes: 'IMG_1.jpg.supplemental-metadata(1).json' -> 'IMG_1(1).jpg'."""
    m = _SIDE.match(sidecar)
    if not m:
        return None
    media, supp, dup = m.group("media"), m.group("supp"), m.group("dup") or ""
    if supp and not _SUPPLEMENTAL.startswith(supp.lower()):
        media = f"{media}.{supp}"  # not a supplemental suffix after all: part of the name
    if "." not in media.rsplit("/", 1)[-1]:
        return None
    if dup:
        stem, dot, ext = media.rpartition(".")
        media = f"{stem}{dup}{dot}{ext}"
    return media


@dataclass
class GoogleSidecar:
    title: str | None
    taken_at: datetime | None
    lat: float | None
    lon: float | None
    people: int  # counted only: they are third parties


def _epoch(v: object) -> datetime | None:
    if isinstance(v, dict):
        v = v.get("timestamp")
    try:
        n = int(str(v))
    except (TypeError, ValueError):
        return None
    if n <= 0:
        return None
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=n)


def google(data: bytes) -> GoogleSidecar:
    """Parse a Google Photos sidecar (raises ValueError when it is not one)."""
    doc = orjson.loads(data)
    if not isinstance(doc, dict):
        raise ValueError("sidecar is not a JSON object")
    lat = lon = None
    for key in ("geoDataExif", "geoData"):
        g = doc.get(key)
        if isinstance(g, dict):
            a, b = g.get("latitude"), g.get("longitude")
            if isinstance(a, (int, float)) and isinstance(b, (int, float)) and (a, b) != (0, 0):
                if not (-90 <= a <= 90 and -180 <= b <= 180):
                    raise ValueError(f"{key}: coordinates out of range ({a}, {b})")
                lat, lon = float(a), float(b)
                break
    people = doc.get("people")
    title = doc.get("title")
    return GoogleSidecar(
        title=title if isinstance(title, str) else None,
        taken_at=_epoch(doc.get("photoTakenTime")),
        lat=lat, lon=lon,
        people=len(people) if isinstance(people, list) else 0,
    )


def xmp_sidecar(data: bytes) -> MediaMeta:
    m = MediaMeta(container="xmp")
    xmp.parse(data, m, where="XMP sidecar")
    return m.finish()


def aae(data: bytes) -> tuple[str | None, datetime | None]:
    """An Apple edit record: which app edited the photo, and when."""
    doc = plistlib.loads(data)
    if not isinstance(doc, dict):
        raise ValueError("not an adjustments property list")
    editor = doc.get("adjustmentEditorBundleID") or doc.get("adjustmentFormatIdentifier")
    when = doc.get("adjustmentTimestamp")
    if isinstance(when, datetime) and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # plistlib returns UTC as naive datetimes
    return (str(editor) if editor else None), (when if isinstance(when, datetime) else None)


__all__ = ["GoogleSidecar", "aae", "google", "media_name", "xmp_sidecar"]
