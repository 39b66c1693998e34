"""PNG: eXIf (EXIF), iTXt/tEXt/zTXt (XMP, ImageMagick's raw EXIF profile, free text), tIME.

Chunk data of IDAT and other picture chunks is skipped, never read.
"""

from __future__ import annotations

import binascii
import struct
import zlib

from . import MediaMeta, Stream, exif, xmp

SIG = b"\x89PNG\r\n\x1a\n"
META_CHUNKS = {b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"}
MAX_TEXT = 8 * 1024 * 1024
MAX_CHUNKS = 100_000


def read(s: Stream, m: MediaMeta) -> None:
    if s.exact(8) != SIG:
        raise ValueError("no PNG signature")
    for _ in range(MAX_CHUNKS):
        head = s.read(8)
        if len(head) < 8:
            m.issues.append("no IEND chunk (truncated file)")
            return
        ln, typ = struct.unpack(">I4s", head)
        if typ == b"IEND":
            return
        if typ in META_CHUNKS and ln <= MAX_TEXT:
            data = s.exact(ln)
            s.skip(4)
            _chunk(typ, data, m)
        else:
            s.skip(ln + 4)


def _chunk(typ: bytes, data: bytes, m: MediaMeta) -> None:
    if typ == b"eXIf":
        exif.from_bytes(data, m)
    elif typ == b"tIME":
        m.block("tIME")
    else:
        key, _, rest = data.partition(b"\x00")
        try:
            if typ == b"zTXt":
                text = zlib.decompressobj().decompress(rest[1:], MAX_TEXT)
            elif typ == b"iTXt":
                flag, _method = rest[0], rest[1]
                _lang, _, rest2 = rest[2:].partition(b"\x00")
                _tkey, _, body = rest2.partition(b"\x00")
                text = zlib.decompressobj().decompress(body, MAX_TEXT) if flag else body
            else:
                text = rest
        except (zlib.error, IndexError):
            m.issues.append(f"PNG {typ.decode()} chunk {key[:40]!r} is damaged")
            return
        if key == b"XML:com.adobe.xmp":
            xmp.parse(text, m)
        elif key.lower() in (b"raw profile type exif", b"raw profile type app1"):
            _raw_profile(text, m)
        else:
            m.block("text")
            m.note("text note", f"PNG {key.decode('latin-1')[:40]}")


def _raw_profile(text: bytes, m: MediaMeta) -> None:
    """ImageMagick's 'Raw profile type exif': '\\nexif\\n   <len>\\n<hex...>'."""
    parts = text.split(b"\n", 3)
    if len(parts) < 4:
        return
    try:
        raw = binascii.unhexlify(b"".join(parts[3].split()))
    except (binascii.Error, ValueError):
        m.issues.append("PNG raw EXIF profile is damaged")
        return
    exif.from_bytes(raw, m)


__all__ = ["META_CHUNKS", "SIG", "read"]
