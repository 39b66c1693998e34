"""IPTC-IIM (in JPEG APP13 Photoshop resources, or TIFF tag 33723): place names and dates.

Datasets read: 2:90 City, 2:92 Sub-location, 2:95 Province/State,
2:100 Country code, 2:101 Country, 2:55 Date created (+ 2:60 Time created).
"""

from __future__ import annotations

import struct

from . import MediaMeta

PLACES = {90: "City", 92: "Sub-location", 95: "Province-State", 100: "Country code", 101: "Country"}


def parse_iim(data: bytes, meta: MediaMeta, where: str = "IPTC") -> None:
    meta.block("IPTC")
    i, n = 0, len(data)
    date = time = None
    while i + 5 <= n:
        if data[i] != 0x1C:
            i += 1  # padding between datasets is tolerated
            continue
        rec, ds, ln = data[i + 1], data[i + 2], struct.unpack(">H", data[i + 3:i + 5])[0]
        i += 5
        if ln & 0x8000:  # extended length: the next (ln & 0x7fff) bytes hold the size
            k = ln & 0x7FFF
            if k > 4:
                return
            ln = int.from_bytes(data[i:i + k], "big")
            i += k
        value = data[i:i + ln]
        i += ln
        if rec != 2:
            continue
        text = value.decode("utf-8", "replace").strip("\x00 ")
        if ds in PLACES and text:
            if text not in meta.places:
                meta.places.append(text)
            meta.note("place name", where)
        elif ds == 55:
            date = text
        elif ds == 60:
            time = text
        elif ds == 80 and text:
            meta.note("author name", where)
    if date and len(date) == 8 and not meta.taken_local:
        t = time or "000000"
        meta.taken_local = f"{date[:4]}:{date[4:6]}:{date[6:8]} {t[:2]}:{t[2:4]}:{t[4:6]}"
        if len(t) >= 11 and t[6] in "+-" and not meta.offset:
            meta.offset = f"{t[6:9]}:{t[9:11]}"
        meta.note("date taken", where)


def parse_photoshop(data: bytes, meta: MediaMeta) -> None:
    """APP13 'Photoshop 3.0' resources: find 8BIM 0x0404 (IPTC-NAA) and read it."""
    i = data.find(b"8BIM")
    while 0 <= i and i + 12 <= len(data):
        if data[i:i + 4] != b"8BIM":
            break
        rid = struct.unpack(">H", data[i + 4:i + 6])[0]
        nlen = data[i + 6]
        j = i + 7 + nlen
        if (1 + nlen) % 2:
            j += 1
        if j + 4 > len(data):
            break
        size = struct.unpack(">I", data[j:j + 4])[0]
        body = data[j + 4:j + 4 + size]
        if rid == 0x0404:
            parse_iim(body, meta)
        i = j + 4 + size + (size % 2)


__all__ = ["parse_iim", "parse_photoshop"]
