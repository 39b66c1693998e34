"""JPEG: metadata segments (APP1 EXIF/XMP, APP13 IPTC, COM, APPn) up to the first scan.

Reading stops at SOS: everything after it is compressed picture data.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from . import MediaMeta, Stream, exif, iptc, xmp

XMP_SIG = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_SIG = b"http://ns.adobe.com/xmp/extension/\x00"
PS_SIG = b"Photoshop 3.0\x00"
ICC_SIG = b"ICC_PROFILE\x00"
MAX_SEGMENTS = 4000


def segments(s: Stream) -> Iterator[tuple[int, bytes]]:
    """(marker, payload) for each segment after SOI, ending with SOS (payload = its header)."""
    if s.exact(2) != b"\xff\xd8":
        raise ValueError("no JPEG start marker")
    for _ in range(MAX_SEGMENTS):
        b = s.exact(2)
        while b[0] == 0xFF and b[1] == 0xFF:  # fill bytes before a marker
            b = b[1:] + s.exact(1)
        if b[0] != 0xFF:
            raise ValueError(f"expected a marker at byte {s.pos - 2}")
        marker = b[1]
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue  # markers without a length
        if marker == 0xD9:
            return
        ln = struct.unpack(">H", s.exact(2))[0]
        if ln < 2:
            raise ValueError(f"bad segment length at byte {s.pos - 2}")
        yield marker, s.exact(ln - 2)
        if marker == 0xDA:
            return


def classify(marker: int, payload: bytes) -> str:
    """A name for a segment: what it is, for reports and for the scrubber."""
    if marker == 0xE1:
        if payload[:6] == b"Exif\x00\x00":
            return "EXIF"
        if payload.startswith(XMP_SIG) or payload.startswith(XMP_EXT_SIG):
            return "XMP"
        return "APP1"
    if marker == 0xED:
        return "IPTC" if payload.startswith(PS_SIG) else "APP13"
    if marker == 0xFE:
        return "comment"
    if marker == 0xE2:
        if payload.startswith(ICC_SIG):
            return "ICC"
        if payload.startswith(b"MPF\x00"):
            return "MPF"
        return "APP2"
    if marker == 0xE0:
        return "JFIF" if payload[:5] in (b"JFIF\x00", b"JFXX\x00") else "APP0"
    if marker == 0xEE:
        return "Adobe" if payload.startswith(b"Adobe") else "APP14"
    if 0xE0 <= marker <= 0xEF:
        return f"APP{marker - 0xE0}"
    return "other"


def read(s: Stream, m: MediaMeta) -> None:
    ext_xmp = bytearray()
    for marker, payload in segments(s):
        kind = classify(marker, payload)
        if kind == "EXIF":
            exif.from_bytes(payload, m)
        elif kind == "XMP":
            if payload.startswith(XMP_SIG):
                xmp.parse(payload[len(XMP_SIG):], m)
            else:
                ext_xmp += payload[len(XMP_EXT_SIG) + 40:]  # GUID(32) + full length(4) + offset(4)
        elif kind == "IPTC":
            iptc.parse_photoshop(payload[len(PS_SIG):], m)
        elif kind == "comment":
            m.block("comment")
            m.note("comment", "JPEG comment")
        elif kind == "MPF":
            m.block("MPF")
        elif kind.startswith("APP") and kind not in ("APP0", "APP14"):
            m.block(kind)
    if ext_xmp:
        xmp.parse(bytes(ext_xmp), m, where="XMP (extended)")


__all__ = ["classify", "read", "segments"]
