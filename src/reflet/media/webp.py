"""WebP: RIFF chunks EXIF and 'XMP ' (in the extended VP8X format); picture chunks are skipped."""

from __future__ import annotations

import struct

from . import MediaMeta, Stream, exif, xmp

MAX_META = 16 * 1024 * 1024


def read(s: Stream, m: MediaMeta) -> None:
    head = s.exact(12)
    if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        raise ValueError("no RIFF/WEBP header")
    end = struct.unpack("<I", head[4:8])[0] + 8
    while s.pos + 8 <= end:
        h = s.read(8)
        if len(h) < 8:
            break
        fourcc, ln = h[:4], struct.unpack("<I", h[4:8])[0]
        pad = ln + (ln & 1)
        if fourcc in (b"EXIF", b"XMP ") and ln <= MAX_META:
            data = s.exact(ln)
            s.skip(pad - ln)
            if fourcc == b"EXIF":
                exif.from_bytes(data, m)
            else:
                xmp.parse(data, m)
        else:
            s.skip(pad)


__all__ = ["read"]
