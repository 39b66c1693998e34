"""EXIF: the TIFF-structured block inside JPEG APP1, PNG eXIf, WebP EXIF, HEIC Exif items and TIFF/RAW files.

Read: GPS (latitude, longitude, altitude, direction, date/time stamp),
DateTimeOriginal + OffsetTimeOriginal, Make, Model, Software, Orientation,
serial numbers (BodySerialNumber, DNG CameraSerialNumber), LensSerialNumber,
CameraOwnerName, and whether IFD1 holds a thumbnail (which keeps the original
picture, crop and all, even after an edit). Offsets are bounded and visited
once, so a looping or lying IFD cannot hang or blow up the reader.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from datetime import UTC, datetime

from . import MediaMeta

_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8}
MAX_ENTRIES = 1000
MAX_VALUE = 1 << 20  # no tag we read is longer; a bigger count is damage

IFD0_TAGS = {0x010F: "make", 0x0110: "model", 0x0131: "software", 0x0112: "orientation",
             0x013B: "artist", 0xC62F: "serial"}
EXIF_TAGS = {0x9003: "taken_local", 0x9011: "offset", 0xA430: "owner", 0xA431: "serial", 0xA435: "lens_serial"}
GPS_IFD, EXIF_IFD, INTEROP_IFD = 0x8825, 0x8769, 0xA005


Getter = Callable[[int, int], bytes]


class Tiff:
    """A TIFF structure read through ``get(offset, length)`` (offsets from the TIFF header)."""

    def __init__(self, get: Getter) -> None:
        self.get = get
        head = get(0, 8)
        if len(head) < 8 or head[:2] not in (b"II", b"MM"):
            raise ValueError("no TIFF header")
        self.e = "<" if head[:2] == b"II" else ">"
        self.first = struct.unpack(self.e + "I", head[4:8])[0]
        self.seen: set[int] = set()

    def ifd(self, off: int) -> tuple[dict[int, object], int]:
        """Entries of the IFD at ``off`` (tag -> value) and the next IFD's offset."""
        if off in self.seen or off < 8:
            return {}, 0
        self.seen.add(off)
        raw = self.get(off, 2)
        if len(raw) < 2:
            raise ValueError(f"IFD offset {off} is past the end")
        n = struct.unpack(self.e + "H", raw)[0]
        if n > MAX_ENTRIES:
            raise ValueError(f"IFD at {off} claims {n} entries")
        body = self.get(off + 2, n * 12 + 4)
        if len(body) < n * 12:
            raise ValueError(f"IFD at {off} is truncated")
        out: dict[int, object] = {}
        for i in range(n):
            tag, typ, count = struct.unpack(self.e + "HHI", body[i * 12:i * 12 + 8])
            size = _SIZES.get(typ)
            if size is None or count * size > MAX_VALUE:
                continue
            total = size * count
            field = body[i * 12 + 8:i * 12 + 12]
            if total <= 4:
                data = field[:total]
            else:
                voff = struct.unpack(self.e + "I", field)[0]
                data = self.get(voff, total)
                if len(data) < total:
                    continue
            out[tag] = self._value(typ, count, data)
        nxt = struct.unpack(self.e + "I", body[n * 12:n * 12 + 4])[0] if len(body) >= n * 12 + 4 else 0
        return out, nxt

    def _value(self, typ: int, count: int, data: bytes) -> object:
        e = self.e
        if typ == 2:
            return data.split(b"\x00", 1)[0].decode("utf-8", "replace").strip()
        if typ in (1, 7):
            return data
        if typ == 3:
            return struct.unpack(f"{e}{count}H", data)
        if typ in (4, 13):
            return struct.unpack(f"{e}{count}I", data)
        if typ == 9:
            return struct.unpack(f"{e}{count}i", data)
        if typ in (5, 10):
            nums = struct.unpack(f"{e}{count * 2}{'I' if typ == 5 else 'i'}", data)
            return tuple(nums[i] / nums[i + 1] if nums[i + 1] else 0.0 for i in range(0, len(nums), 2))
        if typ == 11:
            return struct.unpack(f"{e}{count}f", data)
        if typ == 12:
            return struct.unpack(f"{e}{count}d", data)
        if typ == 16:
            return struct.unpack(f"{e}{count}Q", data)
        return data


def _first(v: object) -> object:
    return v[0] if isinstance(v, tuple) and v else v


def _dms(v: object) -> float | None:
    if not isinstance(v, tuple) or not v:
        return None
    parts = [*v, 0.0, 0.0]
    return float(parts[0]) + float(parts[1]) / 60 + float(parts[2]) / 3600


def _ref(v: object) -> str:
    if isinstance(v, bytes):
        v = v.decode("latin-1")
    return str(v or "").strip("\x00 ").upper()[:1]


def parse(get: Getter, meta: MediaMeta, where: str = "EXIF") -> Tiff | None:
    """Read the fields reflet cares about from a TIFF structure into ``meta``."""
    try:
        t = Tiff(get)
    except ValueError as exc:
        meta.issues.append(f"{where}: {exc}")
        return None
    meta.block(where)
    try:
        ifd0, ifd1_off = t.ifd(t.first)
        _read_ifd(ifd0, IFD0_TAGS, meta, where)
        if isinstance(ifd0.get(0x02BC), bytes):  # XMP inside TIFF (DNG, TIFF)
            from . import xmp

            xmp.parse(ifd0[0x02BC], meta, where=f"{where} XMP")  # type: ignore[arg-type]
        if isinstance(ifd0.get(0x83BB), (bytes, tuple)):
            from . import iptc

            raw = ifd0[0x83BB]
            iptc.parse_iim(raw if isinstance(raw, bytes) else struct.pack(f"{t.e}{len(raw)}I", *raw), meta)  # type: ignore[arg-type]
        sub = _first(ifd0.get(EXIF_IFD))
        if isinstance(sub, int):
            exif_ifd, _ = t.ifd(sub)
            _read_ifd(exif_ifd, EXIF_TAGS, meta, where)
        gps = _first(ifd0.get(GPS_IFD))
        if isinstance(gps, int):
            _read_gps(t.ifd(gps)[0], meta, where)
        if ifd1_off:
            ifd1, _ = t.ifd(ifd1_off)
            if 0x0201 in ifd1 or 0x0111 in ifd1:
                meta.thumbnail = True
                meta.note("embedded thumbnail", where)
    except ValueError as exc:
        meta.issues.append(f"{where}: {exc}")
    return t


def _read_ifd(ifd: dict[int, object], tags: dict[int, str], meta: MediaMeta, where: str) -> None:
    for tag, name in tags.items():
        v = ifd.get(tag)
        if v is None:
            continue
        if name == "orientation":
            o = _first(v)
            if isinstance(o, int) and 1 <= o <= 8:
                meta.orientation = o
            continue
        if name == "artist":
            if isinstance(v, str) and v:
                meta.note("author name", where)
            continue
        if isinstance(v, bytes):
            v = v.decode("utf-8", "replace").strip("\x00 ")
        if isinstance(v, tuple):
            v = " ".join(str(x) for x in v)
        meta.set(name, str(v).strip() or None, where)


def _read_gps(g: dict[int, object], meta: MediaMeta, where: str) -> None:
    lat, lon = _dms(g.get(2)), _dms(g.get(4))
    if lat is not None and lon is not None:
        if _ref(g.get(1)) == "S":
            lat = -lat
        if _ref(g.get(3)) == "W":
            lon = -lon
        meta.set_position(lat, lon, where)
    alt = _first(g.get(6))
    if isinstance(alt, float):
        ref = g.get(5)
        below = (isinstance(ref, bytes) and ref[:1] == b"\x01") or (isinstance(ref, tuple) and ref[:1] == (1,))
        meta.set("alt", -alt if below else alt, where)
    d = _first(g.get(17))
    if isinstance(d, float):
        meta.set("direction", d, where)
    ds, ts = g.get(29), g.get(7)
    if isinstance(ds, str) and isinstance(ts, tuple) and len(ts) == 3:
        try:
            y, mo, dd = (int(x) for x in ds.replace("-", ":").split(":")[:3])
            h, mi, s = (float(x) for x in ts)
            base = datetime(y, mo, dd, tzinfo=UTC)
            from datetime import timedelta

            meta.set("gps_time", base + timedelta(hours=h, minutes=mi, seconds=s), where)
        except (ValueError, OverflowError):
            pass
    if any(k in g for k in (2, 4)) and meta.lat is None:
        meta.note("GPS position", where)  # present but unreadable still counts as a leak


def from_cmt(data: bytes, kind: str, meta: MediaMeta) -> None:
    """Canon CR3 ``CMT1``/``CMT2``/``CMT4`` boxes: each is a TIFF whose first IFD is IFD0, Exif or GPS."""
    where = "EXIF (CR3)"
    try:
        t = Tiff(lambda off, n: data[off:off + n])
        ifd, _ = t.ifd(t.first)
    except ValueError as exc:
        meta.issues.append(f"{where}: {exc}")
        return
    meta.block("EXIF")
    if kind == "CMT1":
        _read_ifd(ifd, IFD0_TAGS, meta, where)
    elif kind == "CMT2":
        _read_ifd(ifd, EXIF_TAGS, meta, where)
    elif kind == "CMT4":
        _read_gps(ifd, meta, where)


def from_bytes(data: bytes, meta: MediaMeta, where: str = "EXIF") -> Tiff | None:
    """Parse an EXIF block held in memory (with or without the ``Exif\\0\\0`` prefix)."""
    if data[:6] == b"Exif\x00\x00":
        data = data[6:]
    return parse(lambda off, n: data[off:off + n], meta, where)


def minimal(orientation: int | None = None, taken_local: str | None = None, offset: str | None = None) -> bytes:
    """A TIFF block with only Orientation and/or DateTimeOriginal (+ OffsetTimeOriginal).

    Used by ``scrub --keep-orientation/--keep-date``: the picture stays upright
    and sorted by date without carrying anything else.
    """
    ifd0: list[tuple[int, int, int, bytes]] = []
    if orientation:
        ifd0.append((0x0112, 3, 1, struct.pack(">H", orientation) + b"\x00\x00"))
    exif_entries: list[tuple[int, int, int, bytes]] = []
    if taken_local:
        exif_entries.append((0x9003, 2, 20, taken_local.encode("ascii", "replace")[:19].ljust(19, b" ") + b"\x00"))
    if offset:
        exif_entries.append((0x9011, 2, 7, offset.encode("ascii", "replace")[:6].ljust(6, b" ") + b"\x00"))
    if exif_entries:
        ifd0.append((EXIF_IFD, 4, 1, b""))  # offset filled below
    ifd0_size = 2 + 12 * len(ifd0) + 4
    exif_off = 8 + ifd0_size
    exif_size = 2 + 12 * len(exif_entries) + 4
    data_off = exif_off + exif_size
    out = bytearray(b"MM\x00*" + struct.pack(">I", 8))
    out += struct.pack(">H", len(ifd0))
    for tag, typ, count, val in ifd0:
        if tag == EXIF_IFD:
            val = struct.pack(">I", exif_off)
        out += struct.pack(">HHI", tag, typ, count) + val
    out += b"\x00\x00\x00\x00"
    if exif_entries:
        blobs = b""
        out += struct.pack(">H", len(exif_entries))
        for tag, typ, count, val in exif_entries:
            out += struct.pack(">HHI", tag, typ, count)
            if len(val) <= 4:
                out += val.ljust(4, b"\x00")
            else:
                out += struct.pack(">I", data_off + len(blobs))
                blobs += val + (b"\x00" if len(val) % 2 else b"")
        out += b"\x00\x00\x00\x00" + blobs
    return bytes(out)


__all__ = ["Tiff", "from_bytes", "minimal", "parse"]
