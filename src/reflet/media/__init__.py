"""Read the location, time and device metadata that photos and videos carry.

Only headers are read: a JPEG up to its first scan, PNG/WebP chunk headers
(image chunks are skipped), ISO-BMFF boxes with ``mdat`` skipped by seeking.
Nothing here decodes pixels or spawns a program, so a folder of thousands of
photos reads in seconds.

``read(f)`` takes a binary file (seekable or not) and returns ``MediaMeta``;
``read_path(path)`` opens a file read-only. Damaged files never raise: what
could be read is returned and the rest is listed in ``MediaMeta.issues``.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import BinaryIO

# Extensions the readers know, by container.
EXTENSIONS: dict[str, str] = {
    "jpg": "jpeg", "jpeg": "jpeg", "jpe": "jpeg", "jfif": "jpeg",
    "png": "png", "webp": "webp",
    "tif": "tiff", "tiff": "tiff", "dng": "tiff", "cr2": "tiff", "nef": "tiff", "nrw": "tiff",
    "arw": "tiff", "srf": "tiff", "sr2": "tiff", "orf": "tiff", "rw2": "tiff", "pef": "tiff",
    "srw": "tiff", "raf": "tiff", "3fr": "tiff", "erf": "tiff", "kdc": "tiff", "mef": "tiff",
    "heic": "isobmff", "heif": "isobmff", "hif": "isobmff", "avif": "isobmff", "mp4": "isobmff",
    "m4v": "isobmff", "mov": "isobmff", "qt": "isobmff", "3gp": "isobmff", "3g2": "isobmff",
    "cr3": "isobmff",
}

# Labels used in summaries ("what was found / removed"); keys of MediaMeta.found.
LOCATION_FIELDS = ("GPS position", "GPS altitude", "GPS direction", "place name", "video location")
DEVICE_FIELDS = ("camera serial number", "lens serial number", "camera owner name")


class Short(Exception):
    """The file ended before a structure it announced."""


@dataclass
class MediaMeta:
    """What one photo or video says about where, when and with what it was taken."""

    container: str = "unknown"
    lat: float | None = None
    lon: float | None = None
    alt: float | None = None
    direction: float | None = None
    taken_local: str | None = None  # EXIF wall-clock "YYYY:MM:DD HH:MM:SS" (no zone)
    offset: str | None = None  # OffsetTimeOriginal "+02:00"
    taken_at: datetime | None = None  # aware, when the file says enough to know it
    gps_time: datetime | None = None  # GPS date+time stamp (UTC)
    make: str | None = None
    model: str | None = None
    serial: str | None = None
    lens_serial: str | None = None
    owner: str | None = None
    software: str | None = None
    orientation: int | None = None
    places: list[str] = field(default_factory=list)  # city / country / location text
    faces: int = 0  # face regions (people are counted, not named)
    history: list[str] = field(default_factory=list)  # editing software from XMP history
    thumbnail: bool = False
    blocks: list[str] = field(default_factory=list)  # metadata blocks present: EXIF, XMP, IPTC...
    found: dict[str, str] = field(default_factory=dict)  # label -> where it was found
    issues: list[str] = field(default_factory=list)

    def note(self, label: str, where: str) -> None:
        self.found.setdefault(label, where)

    def block(self, name: str) -> None:
        if name not in self.blocks:
            self.blocks.append(name)

    def set(self, name: str, value: object, where: str) -> None:
        """Fill a field the first time it is seen (EXIF is read before XMP and sidecars)."""
        if value is None or value == "" or getattr(self, name) not in (None, ""):
            return
        setattr(self, name, value)
        label = _LABELS.get(name)
        if label:
            self.note(label, where)

    def set_position(self, lat: float | None, lon: float | None, where: str) -> None:
        if lat is None or lon is None or self.lat is not None:
            return
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
            if not (lat == 0 and lon == 0):
                self.issues.append(f"{where}: position out of range ({lat}, {lon})")
            return
        self.lat, self.lon = lat, lon
        self.note("GPS position", where)

    @property
    def located(self) -> bool:
        return self.lat is not None or bool(self.places)

    def sensitive(self) -> list[str]:
        """Labels of what identifies a place, a time, a device or a person."""
        return list(self.found)

    def finish(self) -> MediaMeta:
        """Work out ``taken_at`` from what was read."""
        if self.taken_at is None and self.taken_local:
            local = parse_exif_time(self.taken_local)
            if local is not None:
                tz = parse_offset(self.offset) if self.offset else None
                if tz is not None:
                    self.taken_at = local.replace(tzinfo=tz).astimezone(UTC)
        if self.taken_at is None and self.gps_time is not None:
            self.taken_at = self.gps_time
        return self


_LABELS = {
    "alt": "GPS altitude", "direction": "GPS direction", "taken_local": "date taken",
    "taken_at": "date taken", "make": "camera make", "model": "camera model",
    "serial": "camera serial number", "lens_serial": "lens serial number",
    "owner": "camera owner name", "software": "software", "gps_time": "GPS time",
}


def parse_exif_time(s: str) -> datetime | None:
    """'2024:05:01 10:00:00' (or with '-' / 'T') as a naive datetime, None when blank or bad."""
    s = s.strip().rstrip("\x00").strip()
    if len(s) < 19 or s.startswith("0000"):
        return None
    try:
        return datetime(int(s[0:4]), int(s[5:7]), int(s[8:10]), int(s[11:13]), int(s[14:16]), int(s[17:19]))
    except ValueError:
        return None


def parse_offset(s: str) -> timezone | None:
    s = s.strip().rstrip("\x00")
    if s in ("Z", "z"):
        return UTC
    if len(s) >= 6 and s[0] in "+-" and s[3] == ":":
        try:
            mins = int(s[1:3]) * 60 + int(s[4:6])
        except ValueError:
            return None
        if mins > 18 * 60:
            return None
        return timezone(timedelta(minutes=mins if s[0] == "+" else -mins))
    return None


def sniff(head: bytes) -> str | None:
    """The container of a file from its first bytes (at least 16)."""
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"IIRO", b"IIRS", b"IIU\x00") or head[:8] == b"FUJIFILM":
        return "tiff"
    if head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"):
        return "isobmff"
    return None


def read(f: BinaryIO, *, size: int | None = None) -> MediaMeta:
    """Read one media file's metadata from a binary stream positioned at its start."""
    from . import isobmff, jpeg, png, tiff, webp

    head = f.read(16)
    kind = sniff(head)
    readers = {"jpeg": jpeg.read, "png": png.read, "webp": webp.read, "tiff": tiff.read,
               "isobmff": isobmff.read}
    if kind is None:
        m = MediaMeta()
        m.issues.append("not a photo or video format reflet reads (unknown first bytes)")
        return m
    m = MediaMeta(container=kind)
    stream = Stream(f, head, size)
    try:
        readers[kind](stream, m)
    except Short:
        m.issues.append("the file is truncated: it ends inside its metadata")
    except (ValueError, IndexError, KeyError, UnicodeError, OverflowError, struct.error) as exc:
        m.issues.append(f"damaged metadata ({type(exc).__name__}: {str(exc)[:120]})")
    try:
        return m.finish()
    except (ValueError, OverflowError):
        m.issues.append(f"impossible date taken {m.taken_local!r} {m.offset!r}")
        return m


def read_path(path: str | os.PathLike[str]) -> MediaMeta:
    """Open read-only (never following a swapped-in link) and read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        return read(f, size=os.fstat(f.fileno()).st_size)


class Stream:
    """A forward reader over a file that may not be seekable (a zip member).

    ``skip`` seeks when it can and reads otherwise, so a 4 GB ``mdat`` in a
    plain file costs one seek; ``pos`` counts from the start of the file.
    """

    def __init__(self, f: BinaryIO, head: bytes, size: int | None) -> None:
        self.f = f
        self.buf = head
        self.pos = 0
        self.size = size
        try:
            self.seekable = bool(f.seekable())
        except (AttributeError, OSError, ValueError):
            self.seekable = False

    def read(self, n: int) -> bytes:
        if n <= 0:
            return b""
        out = b""
        if self.buf:
            out, self.buf = self.buf[:n], self.buf[n:]
        if len(out) < n:
            out += self.f.read(n - len(out))
        self.pos += len(out)
        return out

    def exact(self, n: int) -> bytes:
        data = self.read(n)
        if len(data) < n:
            raise Short()
        return data

    def skip(self, n: int) -> None:
        if n <= 0:
            return
        if self.size is not None and self.pos + n > self.size:
            raise Short()  # a length pointing past the end is damage, not a reason to seek there
        if self.buf:
            take = min(n, len(self.buf))
            self.buf = self.buf[take:]
            self.pos += take
            n -= take
        if n <= 0:
            return
        if self.seekable:
            self.f.seek(n, os.SEEK_CUR)
            self.pos += n
            return
        while n > 0:
            chunk = self.f.read(min(n, 1 << 20))
            if not chunk:
                raise Short()
            self.pos += len(chunk)
            n -= len(chunk)

    def at_end(self) -> bool:
        if self.size is not None:
            return self.pos >= self.size
        if self.buf:
            return False
        b = self.f.read(1)
        if not b:
            return True
        self.buf = b
        return False

    def seek_to(self, pos: int) -> bool:
        """Random access where the file allows it (TIFF IFDs, HEIC items)."""
        if pos >= self.pos:
            self.skip(pos - self.pos)
            return True
        if not self.seekable or pos < 0:
            return False
        self.f.seek(pos)
        self.buf = b""
        self.pos = pos
        return True


__all__ = ["DEVICE_FIELDS", "EXTENSIONS", "LOCATION_FIELDS", "MediaMeta", "Short", "Stream", "parse_exif_time",
           "parse_offset", "read", "read_path", "sniff"]
