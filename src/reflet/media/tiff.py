"""TIFF, DNG and TIFF-based RAW files (CR2, NEF, ARW, ORF, RW2, PEF...): the file is itself an EXIF structure.

IFDs may sit anywhere in the file, so values are fetched by offset (seeking in
a plain file; a zip member is read forward up to ``MAX_HEAD`` bytes). Picture
strips are never read. Fuji RAF files carry a JPEG preview whose EXIF is read.
"""

from __future__ import annotations

import struct

from . import MediaMeta, Stream, exif, jpeg

MAX_HEAD = 4 * 1024 * 1024


def read(s: Stream, m: MediaMeta) -> None:
    if s.seekable:
        def get(off: int, n: int) -> bytes:
            if s.size is not None and off >= s.size:
                return b""
            s.seek_to(off)
            return s.read(n)
        first = get(0, 16)
    else:
        data = s.read(MAX_HEAD)
        first = data[:16]

        def get(off: int, n: int) -> bytes:
            return data[off:off + n]
    if first[:8] == b"FUJIFILM":
        off, ln = struct.unpack(">II", get(84, 8))
        preview = get(off, min(ln, MAX_HEAD))
        inner = Stream(_Bytes(preview), b"", len(preview))
        jpeg.read(inner, m)
        return
    if first[:4] in (b"IIRO", b"IIRS", b"IIU\x00"):
        # Olympus ORF and Panasonic RW2 use their own magic number but standard IFDs.
        def get2(off: int, n: int) -> bytes:
            b = get(off, n)
            return b"II*\x00" + b[4:] if off == 0 else b
        exif.parse(get2, m, where="EXIF")
        return
    exif.parse(get, m, where="EXIF")


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data, self.i = data, 0

    def read(self, n: int = -1) -> bytes:
        out = self.data[self.i:] if n < 0 else self.data[self.i:self.i + n]
        self.i += len(out)
        return out

    def seekable(self) -> bool:
        return False


__all__ = ["read"]
