"""ISO base media files: MP4, MOV, 3GP (videos) and HEIC/HEIF/AVIF (images).

Videos: ``moov/mvhd`` creation time (UTC, seconds since 1904), ``udta``
QuickTime atoms (``©xyz`` ISO 6709 location, ``©mak``, ``©mod``, ``©swr``),
3GPP ``loci``, Apple ``moov/meta`` keys (``com.apple.quicktime.location.ISO6709``,
make, model, software, creationdate), XMP boxes.
HEIC/AVIF: the top-level ``meta`` box lists items (``iinf``) and where their
bytes are (``iloc``); the ``Exif`` and XMP items are read from there.
``mdat`` (the picture or video data) is skipped by seeking, never read.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from . import MediaMeta, Stream, exif, xmp

MAX_BOX = 64 * 1024 * 1024  # moov of a long video is a few MB; more is damage
MAX_ITEM = 16 * 1024 * 1024
XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")
CANON_UUID = bytes.fromhex("85C0B687820F11E08111F4CE462B6A48")  # CR3: holds CMT1..CMT4 (TIFF-structured EXIF)
EPOCH_1904 = datetime(1904, 1, 1, tzinfo=UTC)
QT_TEXT = {b"\xa9xyz": "location", b"\xa9mak": "make", b"\xa9mod": "model", b"\xa9swr": "software",
           b"\xa9day": "date", b"\xa9too": "software"}
MDTA_KEYS = {
    "com.apple.quicktime.location.iso6709": "location", "com.apple.quicktime.make": "make",
    "com.apple.quicktime.model": "model", "com.apple.quicktime.software": "software",
    "com.apple.quicktime.creationdate": "date", "com.android.manufacturer": "make",
    "com.android.model": "model", "com.android.version": "software",
}
_ISO6709 = re.compile(r"([+-]\d+(?:\.\d*)?)([+-]\d+(?:\.\d*)?)([+-]\d+(?:\.\d*)?)?")


@dataclass
class Box:
    type: bytes
    offset: int  # absolute offset of the box header
    header: int
    size: int  # whole box, header included

    @property
    def start(self) -> int:
        return self.offset + self.header

    @property
    def end(self) -> int:
        return self.offset + self.size


def top_level(s: Stream) -> Iterator[Box]:
    """Top-level boxes; the caller reads or skips each payload before asking for the next."""
    while True:
        if s.at_end():
            return
        off = s.pos
        h = s.read(8)
        if len(h) < 8:
            return
        size, typ = struct.unpack(">I4s", h)
        header = 8
        if size == 1:
            size = struct.unpack(">Q", s.exact(8))[0]
            header = 16
        elif size == 0:
            if s.size is None:
                yield Box(typ, off, header, -1)
                return
            size = s.size - off
        if size < header:
            raise ValueError(f"box {typ!r} at byte {off} has a bad size")
        box = Box(typ, off, header, size)
        yield box
        if s.pos < box.end:
            s.skip(box.end - s.pos)


def children(data: bytes, start: int, end: int, base: int = 0) -> Iterator[Box]:
    """Boxes inside ``data[start:end]``; offsets are absolute (``base`` = file offset of data[0])."""
    i = start
    while i + 8 <= end:
        size, typ = struct.unpack(">I4s", data[i:i + 8])
        header = 8
        if size == 1:
            if i + 16 > end:
                return
            size = struct.unpack(">Q", data[i + 8:i + 16])[0]
            header = 16
        elif size == 0:
            size = end - i
        if size < header or i + size > end:
            raise ValueError(f"box {typ!r} at byte {base + i} runs past its parent")
        yield Box(typ, base + i, header, size)
        i += size


def meta_payload_start(data: bytes, box: Box, base: int = 0) -> int:
    """``meta`` is a FullBox in ISO files but has no version field in some QuickTime files."""
    p = box.start - base
    if data[p + 4:p + 8] == b"hdlr":
        return box.start
    return box.start + 4


def iso6709(text: str) -> tuple[float, float, float | None] | None:
    m = _ISO6709.match(text.strip())
    if not m:
        return None

    def conv(s: str, deg_digits: int) -> float:
        sign = -1.0 if s[0] == "-" else 1.0
        body = s[1:]
        whole = body.split(".")[0]
        v = float(body)
        if len(whole) == deg_digits + 2:  # DDMM.mmm
            d, rest = divmod(v, 100)
            return sign * (d + rest / 60)
        if len(whole) == deg_digits + 4:  # DDMMSS.s
            d, rest = divmod(v, 10000)
            mi, sec = divmod(rest, 100)
            return sign * (d + mi / 60 + sec / 3600)
        return sign * v

    lat, lon = conv(m.group(1), 2), conv(m.group(2), 3)
    alt = float(m.group(3)) if m.group(3) else None
    return lat, lon, alt


@dataclass
class Item:
    id: int
    type: bytes
    content_type: str = ""
    method: int = 0
    extents: list[tuple[int, int]] = field(default_factory=list)  # (absolute offset, length)


def heif_items(data: bytes, meta_box: Box, base: int) -> tuple[dict[int, Item], Box | None]:
    """Items of a HEIF ``meta`` box (its bytes in ``data``, at file offset ``base``), and its idat box."""
    items: dict[int, Item] = {}
    iloc: Box | None = None
    idat: Box | None = None
    for b in children(data, meta_payload_start(data, meta_box, base) - base, meta_box.end - base, base):
        if b.type == b"iinf":
            p = b.start - base
            version = data[p]
            q = p + 4 + (2 if version == 0 else 4)
            for infe in children(data, q, b.end - base, base):
                if infe.type != b"infe":
                    continue
                r = infe.start - base
                v = data[r]
                if v < 2:
                    continue
                r += 4
                if v == 2:
                    iid = struct.unpack(">H", data[r:r + 2])[0]
                    r += 2
                else:
                    iid = struct.unpack(">I", data[r:r + 4])[0]
                    r += 4
                r += 2  # protection index
                typ = data[r:r + 4]
                r += 4
                name_end = data.find(b"\x00", r, infe.end - base)
                ct = ""
                if typ == b"mime" and name_end >= 0:
                    ct_end = data.find(b"\x00", name_end + 1, infe.end - base)
                    ct = data[name_end + 1:ct_end if ct_end >= 0 else infe.end - base].decode("latin-1")
                items[iid] = Item(iid, typ, ct)
        elif b.type == b"iloc":
            iloc = b
        elif b.type == b"idat":
            idat = b
    if iloc is not None:
        _parse_iloc(data, iloc, base, items, idat)
    return items, idat


def _uint(data: bytes, p: int, n: int) -> int:
    return int.from_bytes(data[p:p + n], "big") if n else 0


def _parse_iloc(data: bytes, box: Box, base: int, items: dict[int, Item], idat: Box | None) -> None:
    p = box.start - base
    version = data[p]
    off_sz, len_sz = data[p + 4] >> 4, data[p + 4] & 15
    base_sz, idx_sz = data[p + 5] >> 4, (data[p + 5] & 15 if version in (1, 2) else 0)
    p += 6
    if version < 2:
        count = _uint(data, p, 2)
        p += 2
    else:
        count = _uint(data, p, 4)
        p += 4
    for _ in range(count):
        if p >= box.end - base:
            raise ValueError("iloc is truncated")
        if version < 2:
            iid = _uint(data, p, 2)
            p += 2
        else:
            iid = _uint(data, p, 4)
            p += 4
        method = 0
        if version in (1, 2):
            method = _uint(data, p, 2) & 15
            p += 2
        p += 2  # data reference index
        base_off = _uint(data, p, base_sz)
        p += base_sz
        n_ext = _uint(data, p, 2)
        p += 2
        extents = []
        for _ in range(n_ext):
            p += idx_sz
            eo = _uint(data, p, off_sz)
            p += off_sz
            el = _uint(data, p, len_sz)
            p += len_sz
            start = base_off + eo
            if method == 1 and idat is not None:
                start += idat.start
            extents.append((start, el))
        if iid in items:
            items[iid].method = method
            items[iid].extents = extents


def read(s: Stream, m: MediaMeta) -> None:
    mvhd_time: datetime | None = None
    pending: list[tuple[Item, str]] = []
    for box in top_level(s):
        if box.type == b"ftyp":
            brand = s.exact(min(box.size - box.header, 64))[:4]
            if brand == b"crx ":
                m.container = "cr3"
            elif brand in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis", b"avif", b"avis"):
                m.container = "heif"
            elif brand == b"qt  ":
                m.container = "quicktime"
            else:
                m.container = "mp4"
        elif box.type in (b"moov", b"meta") and 0 < box.size <= MAX_BOX:
            data = s.exact(box.size - box.header)
            if box.type == b"moov":
                mvhd_time = _moov(data, box.start, m) or mvhd_time
            else:
                items, _ = heif_items(data, Box(b"meta", box.start, 0, len(data)), box.start)
                for it in items.values():
                    if it.type == b"Exif":
                        pending.append((it, "EXIF"))
                    elif it.type == b"mime" and "rdf+xml" in it.content_type:
                        pending.append((it, "XMP"))
        elif box.type == b"uuid" and box.size - box.header <= MAX_ITEM + 16:
            body = s.exact(box.size - box.header)
            if body[:16] == XMP_UUID:
                xmp.parse(body[16:], m)
        elif box.size < 0:
            return
    for it, kind in sorted(pending, key=lambda p: p[0].extents[0][0] if p[0].extents else 0):
        payload = b""
        for off, ln in it.extents:
            if ln > MAX_ITEM or not s.seek_to(off):
                m.issues.append(f"HEIF {kind} item {it.id} could not be reached")
                payload = b""
                break
            payload += s.exact(ln)
        if not payload:
            continue
        if kind == "EXIF":
            skip = struct.unpack(">I", payload[:4])[0] if len(payload) >= 4 else 0
            exif.from_bytes(payload[4 + skip:] if 4 + skip < len(payload) else b"", m)
        else:
            xmp.parse(payload, m)
    if m.taken_at is None and not m.taken_local and mvhd_time is not None:
        m.taken_at = mvhd_time
        m.note("date taken", "video header (mvhd)")


def _moov(data: bytes, base: int, m: MediaMeta) -> datetime | None:
    t: datetime | None = None
    for b in children(data, 0, len(data), base):
        p, e = b.start - base, b.end - base
        if b.type == b"mvhd":
            v = data[p]
            secs = struct.unpack(">Q", data[p + 4:p + 12])[0] if v == 1 else struct.unpack(">I", data[p + 4:p + 8])[0]
            if secs > 0:
                t = EPOCH_1904 + timedelta(seconds=secs)
        elif b.type == b"udta":
            _udta(data, p, e, base, m)
        elif b.type == b"meta":
            _mdta(data, b, base, m)
        elif b.type == b"uuid" and data[p:p + 16] == XMP_UUID:
            xmp.parse(data[p + 16:e], m)
        elif b.type == b"uuid" and data[p:p + 16] == CANON_UUID:
            for c in children(data, p + 16, e, base):
                if c.type in (b"CMT1", b"CMT2", b"CMT4"):
                    exif.from_cmt(data[c.start - base:c.end - base], c.type.decode(), m)
    return t


def _udta(data: bytes, start: int, end: int, base: int, m: MediaMeta) -> None:
    m.block("udta")
    for b in children(data, start, end, base):
        p, e = b.start - base, b.end - base
        if b.type in QT_TEXT:
            if data[p + 4:p + 8] == b"data":
                text = data[p + 16:e].decode("utf-8", "replace")
            else:
                n = struct.unpack(">H", data[p:p + 2])[0]
                text = data[p + 4:p + 4 + n].decode("utf-8", "replace")
            _qt_value(QT_TEXT[b.type], text.strip("\x00 "), m, "QuickTime " + b.type[1:].decode("latin-1"))
        elif b.type == b"loci":
            q = p + 6
            nul = data.find(b"\x00\x00" if data[q:q + 2] in (b"\xfe\xff", b"\xff\xfe") else b"\x00", q, e)
            if nul < 0:
                continue
            q = nul + (2 if data[p + 6:p + 8] in (b"\xfe\xff", b"\xff\xfe") else 1) + 1  # + role
            lon, lat, _alt = struct.unpack(">iii", data[q:q + 12])
            m.set_position(lat / 65536, lon / 65536, "3GPP loci")
            m.note("video location", "3GPP loci")
        elif b.type == b"XMP_":
            xmp.parse(data[p:e], m)
        elif b.type == b"meta":
            _mdta(data, b, base, m)


def _qt_value(kind: str, text: str, m: MediaMeta, where: str) -> None:
    if not text:
        return
    if kind == "location":
        pos = iso6709(text)
        m.note("video location", where)
        if pos:
            m.set_position(pos[0], pos[1], where)
            if pos[2] is not None:
                m.set("alt", pos[2], where)
    elif kind == "date":
        iso = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text.replace("Z", "+00:00"))
        try:
            dt = datetime.fromisoformat(iso)
        except ValueError:
            return
        if dt.tzinfo is not None:
            m.set("taken_local", dt.strftime("%Y:%m:%d %H:%M:%S"), where)
            off = dt.strftime("%z")
            m.set("offset", f"{off[:3]}:{off[3:]}", where)
    else:
        m.set(kind, text, where)


def _mdta(data: bytes, box: Box, base: int, m: MediaMeta) -> None:
    """Apple ``meta``: ``keys`` names the entries, ``ilst`` holds them by 1-based index."""
    m.block("meta")
    keys: list[str] = []
    start = meta_payload_start(data, box, base) - base
    for b in children(data, start, box.end - base, base):
        p, e = b.start - base, b.end - base
        if b.type == b"keys":
            n = struct.unpack(">I", data[p + 4:p + 8])[0]
            q = p + 8
            for _ in range(min(n, 10000)):
                if q + 8 > e:
                    break
                ks = struct.unpack(">I", data[q:q + 4])[0]
                if ks < 8:
                    break
                keys.append(data[q + 8:q + ks].decode("utf-8", "replace"))
                q += ks
        elif b.type == b"ilst":
            for it in children(data, p, e, base):
                ip, ie = it.start - base, it.end - base
                idx = struct.unpack(">I", it.type)[0]
                name = keys[idx - 1].lower() if 0 < idx <= len(keys) else ""
                kind = MDTA_KEYS.get(name) or QT_TEXT.get(it.type)
                if not kind:
                    continue
                for d in children(data, ip, ie, base):
                    if d.type == b"data":
                        dp = d.start - base
                        text = data[dp + 8:d.end - base].decode("utf-8", "replace").strip("\x00 ")
                        _qt_value(kind, text, m, f"QuickTime {name or it.type[1:].decode('latin-1')}")
                        break


__all__ = ["Box", "Item", "children", "heif_items", "iso6709", "meta_payload_start", "read", "top_level"]
