"""Per-container cleaning that never re-encodes the picture or the video.

- JPEG: keep SOI, JFIF APP0, ICC APP2, Adobe APP14 and the coding tables; drop APP1 (EXIF, XMP),
  APP13 (IPTC), COM, MPF and every other APPn; copy the scans byte for byte up to EOI and drop
  anything after it (MPF secondary images, depth maps, motion-photo videos, which carry their own
  metadata). Optionally a minimal EXIF with only Orientation / DateTimeOriginal is written.
- PNG: keep picture and colour chunks; drop eXIf, tEXt, iTXt, zTXt, tIME and unknown ancillary chunks.
- WebP: drop EXIF, 'XMP ' and unknown chunks, clear the VP8X flags, fix the RIFF size.
- ISO-BMFF (MP4, MOV, 3GP, HEIC, AVIF): same-length patches only, so no offset in the file moves:
  ``udta``, QuickTime ``meta`` and XMP ``uuid`` boxes become ``free`` boxes filled with zeros;
  creation/modification times in ``mvhd``/``tkhd``/``mdhd`` are zeroed (unless --keep-date);
  in HEIC the Exif item's bytes become an empty TIFF header padded with zeros and the XMP item an
  empty packet padded with spaces. Rewriting ``iloc`` to delete the items would move the picture
  data's offsets; overwriting in place keeps every byte of the picture where it was. The item
  entries stay (an empty Exif item is valid), which ``reflet`` and exiftool both read as empty.
- TIFF, DNG, RAW: the metadata is interleaved with the picture structure; refused with advice.
"""

from __future__ import annotations

import io
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..findings import msg
from ..media import EXTENSIONS, MediaMeta, Short, Stream, exif, isobmff, jpeg, read, sniff

MAX_IMAGE = 1024 * 1024 * 1024  # JPEG/PNG/WebP are rebuilt in memory; larger ones are refused
CHUNK = 1 << 20

PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP",
            b"mDCV", b"cLLI", b"bKGD", b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT"}
WEBP_KEEP = {b"VP8X", b"ICCP", b"ANIM", b"ANMF", b"ALPH", b"VP8 ", b"VP8L"}
NOT_CLEANABLE_TIFF = msg("scrub.why.raw", format="TIFF/DNG/RAW")
EMPTY_XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>',
             b'<?xpacket end="w"?>')


def label_msg(label: str) -> str:
    """A metadata label ("GPS position") as a message, so the terminal can say it in its language."""
    from ..report.i18n import translator

    key = "media." + label.replace(" ", "_")
    return msg(key) if translator("en").has(key) else label


class NotCleanable(Exception):
    """A format whose metadata cannot be removed without rewriting the picture."""


@dataclass
class Options:
    keep_orientation: bool = False
    keep_date: bool = False


@dataclass
class Plan:
    """How to make a clean copy of one file (or why it cannot be made losslessly)."""

    path: Path
    container: str = "unknown"
    before: MediaMeta | None = None
    after: MediaMeta | None = None
    data: bytes | None = None  # the whole clean file (JPEG/PNG/WebP)
    patches: list[tuple[int, bytes]] = field(default_factory=list)  # same-length overwrites (ISO-BMFF)
    dropped: list[str] = field(default_factory=list)  # blocks removed, for the summary
    reason: str | None = None  # set when the file cannot be cleaned losslessly

    @property
    def ok(self) -> bool:
        return self.reason is None

    def removed(self) -> list[str]:
        """What the clean copy no longer has, measured by reading both versions."""
        if self.before is None:
            return []
        left = set(self.after.found) if self.after else set()
        out = [k for k in self.before.found if k not in left]
        return out + [d for d in self.dropped if d not in out]

    def open_clean(self, src: BinaryIO) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        return Patched(src, self.patches)


class Patched(io.RawIOBase):
    """A read-only view of a file with same-length patches applied (for checking before writing)."""

    def __init__(self, f: BinaryIO, patches: list[tuple[int, bytes]]) -> None:
        super().__init__()
        self.f, self.patches, self.p = f, sorted(patches), 0
        f.seek(0)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, off: int, whence: int = 0) -> int:
        self.p = self.f.seek(off, whence)
        return self.p

    def tell(self) -> int:
        return self.p

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        self.f.seek(self.p)
        data = bytearray(self.f.read(len(b)))
        apply(data, self.p, self.patches)
        b[:len(data)] = data
        self.p += len(data)
        return len(data)


def apply(buf: bytearray, start: int, patches: list[tuple[int, bytes]]) -> None:
    end = start + len(buf)
    for off, rep in patches:
        lo, hi = max(off, start), min(off + len(rep), end)
        if lo < hi:
            buf[lo - start:hi - start] = rep[lo - off:hi - off]


def plan(path: Path, opts: Options) -> Plan:
    """Read a file (read-only) and work out its clean version, checking it by reading it back."""
    p = Plan(path)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        head = f.read(16)
        f.seek(0)
        kind = sniff(head)
        p.container = kind or "unknown"
        if kind is None:
            p.reason = msg("scrub.why.format")
            return p
        p.before = read(f, size=size)
        f.seek(0)
        if kind == "tiff":
            p.reason = NOT_CLEANABLE_TIFF
            return p
        try:
            if kind == "isobmff":
                _isobmff(f, size, p, opts)
            else:
                if size > MAX_IMAGE:
                    p.reason = msg("scrub.why.too_large")
                    return p
                data = f.read()
                p.data = {"jpeg": _jpeg, "png": _png, "webp": _webp}[kind](data, p, opts)
        except NotCleanable as exc:
            p.reason = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
            return p
        except Short:
            p.reason = msg("scrub.why.truncated")
            return p
        except (ValueError, IndexError, struct.error) as exc:
            p.reason = msg("scrub.why.damaged", error=str(exc))
            return p
        with p.open_clean(f) as clean:
            p.after = read(clean, size=size if p.data is None else len(p.data))
    leaks = leftovers(p.after)
    if leaks:
        p.reason = msg("scrub.why.leaks", labels=[label_msg(x) for x in leaks])
    return p


# Anything in this list left in a copy makes it a failure (the date is allowed with --keep-date).
LEAK_LABELS = ("GPS position", "GPS altitude", "GPS direction", "place name", "video location",
               "camera serial number", "lens serial number", "camera owner name", "face regions", "author name",
               "GPS time")


def leftovers(m: MediaMeta | None) -> list[str]:
    if m is None:
        return []
    return [k for k in LEAK_LABELS if k in m.found] + (["unreadable result"] if m.issues else [])


def write(p: Plan, dst: Path) -> None:
    """Write the clean copy to ``dst`` (0600, created fresh; the original is only read)."""
    tmp = dst.with_name(dst.name + ".reflet-tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            if p.data is not None:
                out.write(p.data)
            else:
                sfd = os.open(p.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
                with os.fdopen(sfd, "rb") as src:
                    pos = 0
                    patches = sorted(p.patches)
                    while True:
                        chunk = bytearray(src.read(CHUNK))
                        if not chunk:
                            break
                        apply(chunk, pos, patches)
                        out.write(chunk)
                        pos += len(chunk)
        os.chmod(tmp, 0o600)
        os.replace(tmp, dst)
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        raise


# -- JPEG ---------------------------------------------------------------------------------------

def _jpeg(data: bytes, p: Plan, opts: Options) -> bytes:
    if data[:2] != b"\xff\xd8":
        raise ValueError("no JPEG start marker")
    out = bytearray(b"\xff\xd8")
    pos = 2
    inserted = False
    minimal = _minimal_exif(p.before, opts)

    def insert() -> None:
        nonlocal inserted
        if minimal and not inserted:
            payload = b"Exif\x00\x00" + minimal
            out.extend(b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload)
        inserted = True

    while True:
        if pos + 4 > len(data):
            raise ValueError("the file ends before the picture data")
        if data[pos] != 0xFF:
            raise ValueError(f"expected a marker at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += data[pos:pos + 2]
            pos += 2
            continue
        ln = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        seg = data[pos:pos + 2 + ln]
        payload = seg[4:]
        if marker == 0xDA:
            insert()
            break
        kind = jpeg.classify(marker, payload)
        keep = kind in ("ICC", "Adobe", "other") or (kind == "JFIF" and payload.startswith(b"JFIF\x00"))
        if keep:
            if kind != "JFIF":
                insert()
            out += seg
        elif kind not in p.dropped:
            p.dropped.append(kind)
        pos += 2 + ln
    eoi = _find_eoi(data, pos)
    if eoi is None:
        raise ValueError("no end-of-image marker (truncated picture)")
    out += data[pos:eoi]
    trailer = data[eoi:]
    if trailer.strip(b"\x00"):
        p.dropped.append(f"data after the end of the picture ({len(trailer):,} bytes: extra images or video)")
    return bytes(out)


def _find_eoi(data: bytes, pos: int) -> int | None:
    """End of EOI, walking scans and the table segments between them (progressive JPEGs)."""
    ln = struct.unpack(">H", data[pos + 2:pos + 4])[0]
    i = pos + 2 + ln
    n = len(data)
    while True:
        j = data.find(b"\xff", i)
        if j < 0 or j + 1 >= n:
            return None
        b = data[j + 1]
        if b == 0x00 or 0xD0 <= b <= 0xD7 or b == 0xFF:
            i = j + 1
            continue
        if b == 0xD9:
            return j + 2
        if j + 4 > n:
            return None
        i = j + 2 + struct.unpack(">H", data[j + 2:j + 4])[0]


def _minimal_exif(m: MediaMeta | None, opts: Options) -> bytes | None:
    if m is None:
        return None
    orient = m.orientation if opts.keep_orientation and m.orientation and m.orientation != 1 else None
    taken = m.taken_local if opts.keep_date else None
    offset = m.offset if opts.keep_date and taken else None
    if not orient and not taken:
        return None
    return exif.minimal(orient, taken, offset)


# -- PNG ----------------------------------------------------------------------------------------

def _png(data: bytes, p: Plan, opts: Options) -> bytes:
    import zlib

    out = bytearray(data[:8])
    pos = 8
    minimal = _minimal_exif(p.before, opts)
    while pos + 12 <= len(data):
        ln, typ = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + ln
        if end > len(data):
            raise ValueError(f"chunk {typ!r} runs past the end")
        if typ == b"IDAT" and minimal:
            out += struct.pack(">I4s", len(minimal), b"eXIf") + minimal
            out += struct.pack(">I", zlib.crc32(b"eXIf" + minimal))
            minimal = None
        critical = not (typ[0] & 0x20)
        if typ in PNG_KEEP or (critical and typ not in (b"eXIf",)):
            out += data[pos:end]
        else:
            label = typ.decode("latin-1")
            if label not in p.dropped:
                p.dropped.append(label)
        pos = end
        if typ == b"IEND":
            break
    return bytes(out)


# -- WebP ---------------------------------------------------------------------------------------

def _webp(data: bytes, p: Plan, opts: Options) -> bytes:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("no RIFF/WEBP header")
    end = min(len(data), struct.unpack("<I", data[4:8])[0] + 8)
    chunks = []
    pos = 12
    while pos + 8 <= end:
        fourcc, ln = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        nxt = pos + 8 + ln + (ln & 1)
        if nxt > end:
            raise ValueError(f"chunk {fourcc!r} runs past the end")
        if fourcc in WEBP_KEEP:
            chunks.append(bytearray(data[pos:nxt]))
        else:
            label = fourcc.decode("latin-1").strip()
            if label not in p.dropped:
                p.dropped.append(label)
        pos = nxt
    minimal = _minimal_exif(p.before, opts)
    if chunks and chunks[0][:4] == b"VP8X":
        chunks[0][8] &= ~0x0C & 0xFF  # clear EXIF (0x08) and XMP (0x04) flags
        if minimal:
            chunks[0][8] |= 0x08
            chunks.append(bytearray(b"EXIF" + struct.pack("<I", len(minimal)) + minimal
                                    + (b"\x00" if len(minimal) & 1 else b"")))
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


# -- ISO-BMFF -----------------------------------------------------------------------------------

def _free(box: isobmff.Box) -> bytes:
    """The same number of bytes, now a ``free`` box full of zeros."""
    if box.header == 16:
        head = struct.pack(">I4sQ", 1, b"free", box.size)
    else:
        head = struct.pack(">I4s", box.size, b"free")
    return head + b"\x00" * (box.size - len(head))


def _isobmff(f: BinaryIO, size: int, p: Plan, opts: Options) -> None:
    s = Stream(f, b"", size)
    heif = False
    for box in isobmff.top_level(s):
        if box.size < 0:
            raise ValueError("a box of unknown size")
        if box.type == b"ftyp":
            brand = s.exact(4)
            if brand == b"crx ":
                raise NotCleanable(msg("scrub.why.raw", format="Canon CR3 (RAW)"))
            heif = brand in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis", b"avif", b"avis")
        elif box.type == b"moov" and box.size <= isobmff.MAX_BOX:
            data = s.exact(box.size - box.header)
            _moov(data, box.start, box.start, len(data), p, opts)
        elif box.type == b"meta" and box.size <= isobmff.MAX_BOX:
            data = s.exact(box.size - box.header)
            if heif or _handler(data) == b"pict":
                _heif_meta(data, box, p, opts, size)
            else:
                p.patches.append((box.offset, _free(box)))
                p.dropped.append("meta")
        elif box.type in (b"udta", b"XMP_") or (box.type == b"uuid" and s.exact(16) == isobmff.XMP_UUID):
            p.patches.append((box.offset, _free(box)))
            p.dropped.append("XMP" if box.type != b"udta" else "udta")
        elif box.type in (b"moov", b"meta"):
            raise ValueError(f"{box.type.decode()} box too large")


def _handler(meta_payload: bytes) -> bytes:
    start = 0 if meta_payload[4:8] == b"hdlr" else 4
    return meta_payload[start + 16:start + 20]


def _moov(data: bytes, base: int, start_abs: int, length: int, p: Plan, opts: Options) -> None:
    lo = start_abs - base
    for b in isobmff.children(data, lo, lo + length, base):
        q = b.start - base
        if b.type in (b"mvhd", b"tkhd", b"mdhd") and not opts.keep_date:
            n = 16 if data[q] == 1 else 8
            p.patches.append((b.start + 4, b"\x00" * n))
            if "video creation time" not in p.dropped:
                p.dropped.append("video creation time")
        elif b.type in (b"udta", b"meta", b"XMP_") or (b.type == b"uuid" and data[q:q + 16] == isobmff.XMP_UUID):
            p.patches.append((b.offset, _free(b)))
            label = {b"udta": "udta", b"meta": "meta"}.get(b.type, "XMP")
            if label not in p.dropped:
                p.dropped.append(label)
        elif b.type in (b"trak", b"mdia", b"edts"):
            _moov(data, base, b.start, b.size - b.header, p, opts)


def _heif_meta(data: bytes, box: isobmff.Box, p: Plan, opts: Options, size: int) -> None:
    items, _ = isobmff.heif_items(data, isobmff.Box(b"meta", box.start, 0, len(data)), box.start)
    minimal = _minimal_exif(p.before, Options(keep_orientation=False, keep_date=opts.keep_date))
    for it in items.values():
        if it.type != b"Exif" and not (it.type == b"mime" and "rdf+xml" in it.content_type):
            continue
        total = sum(ln for _, ln in it.extents)
        if total > isobmff.MAX_ITEM or any(off < 0 or off + ln > size for off, ln in it.extents):
            raise ValueError(f"metadata item {it.id} lies outside the file")
        if it.type == b"Exif":
            empty = b"\x00\x00\x00\x00" + (minimal or b"MM\x00*\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00")
            rep = empty + b"\x00" * (total - len(empty)) if total >= len(empty) else b"\x00" * total
            label = "EXIF"
        elif it.type == b"mime" and "rdf+xml" in it.content_type:
            head, tail = EMPTY_XMP
            rep = head + b" " * (total - len(head) - len(tail)) + tail if total >= len(head) + len(tail) \
                else b" " * total
            label = "XMP"
        else:
            continue
        i = 0
        for off, ln in it.extents:
            p.patches.append((off, rep[i:i + ln]))
            i += ln
        if label not in p.dropped:
            p.dropped.append(label)


def is_media_name(name: str) -> bool:
    return name.rsplit(".", 1)[-1].lower() in EXTENSIONS if "." in name else False


__all__ = ["LEAK_LABELS", "NOT_CLEANABLE_TIFF", "Options", "Plan", "is_media_name", "leftovers", "plan", "write"]
