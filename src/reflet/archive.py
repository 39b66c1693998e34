"""Open exports safely and read their members in place, never extracting to disk.

An export is a ``.zip``, ``.tar``, ``.tar.gz`` or a folder; several zips of one
export (Takeout's ``-001.zip``, ``-002.zip``; Facebook's parts) are read as one,
each member keeping the name of the part it is in. Only known split names are
grouped: two zips that merely look alike stay separate inputs.

Refused as a whole (``UnsafeArchive``), naming the archive and member: absolute
or ``..`` member names, links and device files (tar entries, zip entries whose
Unix mode says so), zips whose end record announces, or whose central directory
holds, more members than any real export has (checked before zipfile walks it),
and compressed tars whose members declare more than they could expand to. In a
folder, a link that leads outside is not followed and is reported instead, and
members are opened component by component without following links.

Every member is read through ``BoundedReader``, which counts the bytes really
decompressed: a zip whose header understates a member's size cannot make
reflet read more than the member's per-kind limit, nor expand more than
``MAX_RATIO`` times its compressed size; damaged data (bad CRC, cut-off stream)
raises ``MemberError`` naming archive and member, never a bare library error.

A truncated or damaged zip (no usable central directory, e.g. an interrupted
download) is walked by its local file headers; members written with data
descriptors (streaming zips) are delimited by finding their descriptor, without
decompressing anything at listing time. The member the file ends inside is
listed too: its beginning is read, then its reader reports the cut.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .errors import ArchiveError, MemberError, MemberTooLarge, RefletError, UnreadableArchive, UnsafeArchive
from .records import ParseIssue

MAX_MEMBERS = 300_000  # a large Takeout with photos has tens of thousands
MAX_RATIO = 200  # real JSON/CSV compresses 5-30x; bombs expand thousands of times
RATIO_FLOOR = 32 * 1024 * 1024  # tiny members may legitimately compress very well
DEFAULT_MEMBER_LIMIT = 256 * 1024 * 1024
WHOLE_FILE = "(whole file)"  # the locator of an issue about a member as a whole (= sources.WHOLE_FILE)
_CHUNK = 1024 * 1024  # the most one read asks of the layer below
_CD_ENTRY_MIN = 46  # bytes of the smallest central directory entry (no name, no extra)

# What the decompressors and containers raise on damaged data; turned into MemberError.
_DAMAGE = (zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError, OSError, ValueError,
           NotImplementedError, RuntimeError, struct.error)


@dataclass(frozen=True, slots=True)
class MemberInfo:
    """One member as listed: normalised POSIX path, declared size, the part it is in."""

    path: str
    size: int
    compressed: int | None = None
    part: str = ""  # file name of the archive part holding it (multi-part exports)
    mtime: float | None = None
    crc: int | None = None  # zip CRC-32 of the content, part of the fingerprint

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


class BoundedReader(io.RawIOBase):
    """A read-only stream that refuses to yield more than ``limit`` bytes.

    It counts bytes actually produced by the decompressor, so a lying header
    does not help a zip bomb. Damaged data (bad CRC, cut-off stream) raises
    ``MemberError`` naming the archive and member, never a bare library error.
    """

    def __init__(
        self, raw: BinaryIO, *, limit: int, archive: str, member: str,
        compressed: int | None = None,
    ) -> None:
        super().__init__()
        self._raw = raw
        self._read = 0
        self._limit = limit
        if compressed is not None and compressed > 0:
            self._limit = min(limit, max(RATIO_FLOOR, compressed * MAX_RATIO))
            self._ratio_bound = self._limit < limit
        else:
            self._ratio_bound = False
        self._archive = archive
        self._member = member

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return self.readall()
        # A raw stream may return less than asked: never ask for (nor let the layer below
        # allocate) more than one chunk, nor more than one byte past the limit.
        return self._take(min(size, _CHUNK, self._limit - self._read + 1))

    def readall(self) -> bytes:
        parts = []
        while chunk := self.read(_CHUNK):
            parts.append(chunk)
        return b"".join(parts)

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._take(min(len(b), _CHUNK, self._limit - self._read + 1))
        n = len(data)
        b[:n] = data
        return n

    def _take(self, want: int) -> bytes:
        try:
            data = self._raw.read(want)
        except MemberError:
            raise
        except _DAMAGE as exc:
            raise MemberError(self._archive, self._member,
                              f"damaged data, reading stopped after {self._read:,} bytes ({exc})") from exc
        self._read += len(data)
        if self._read > self._limit:
            why = (
                f"expands more than {MAX_RATIO} times its compressed size (a decompression bomb?)"
                if self._ratio_bound
                else f"is larger than {_human(self._limit)}, the limit for this kind of file"
            )
            raise MemberTooLarge(self._archive, self._member, f"refused: it {why}")
        return data

    @property
    def bytes_read(self) -> int:
        return self._read

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


def _human(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def clean_member_path(archive: str, raw: str) -> str:
    """Normalise a member name, refusing absolute and escaping ones."""
    name = raw.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise UnsafeArchive(archive, "refused: absolute member path", member=raw)
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise UnsafeArchive(archive, "refused: member path leads outside the archive (..)", member=raw)
    if any("\x00" in p for p in parts):
        raise UnsafeArchive(archive, "refused: NUL byte in member path", member=raw)
    return "/".join(parts)


class Archive:
    """A read-only view of one export (or one part of it)."""

    kind = "archive"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self.issues: list[ParseIssue] = []  # members that could not be listed or read
        self._members: list[MemberInfo] | None = None

    # -- listing --------------------------------------------------------------
    def members(self) -> list[MemberInfo]:
        if self._members is None:
            self._members = list(self._list())
        return self._members

    def _list(self) -> Iterable[MemberInfo]:
        raise NotImplementedError

    def _issue(self, member: str, message: str, level: str = "error", archive: str | None = None) -> None:
        self.issues.append(ParseIssue(archive=archive or self.name, member=member, locator=WHOLE_FILE,
                                      message=message, level=level))  # type: ignore[arg-type]

    # -- reading --------------------------------------------------------------
    def open(self, info: MemberInfo, limit: int = DEFAULT_MEMBER_LIMIT) -> BoundedReader:
        """Open a member for reading, bounded by ``limit`` decompressed bytes."""
        where = info.part or self.name
        if info.size > limit:
            raise MemberTooLarge(
                where, info.path,
                f"refused: it is {_human(info.size)}, over the {_human(limit)} limit for this kind of file",
            )
        return self._bounded(info, limit)

    def _bounded(self, info: MemberInfo, limit: int) -> BoundedReader:
        where = info.part or self.name
        try:
            raw = self._open_raw(info)
        except RefletError:
            raise
        except _DAMAGE as exc:
            raise MemberError(where, info.path, f"cannot be opened ({exc})") from exc
        return BoundedReader(raw, limit=limit, archive=where, member=info.path, compressed=info.compressed)

    def _open_raw(self, info: MemberInfo) -> BinaryIO:
        raise NotImplementedError

    def read_head(self, info: MemberInfo, n: int = 4096) -> bytes:
        """The first ``n`` bytes of a member, for sniffing generic file names.

        Only ``n`` bytes are read, so the declared size is not checked here: a
        4 GB Records.json must still be recognised (its handler allows 16 GiB).
        """
        out = b""
        with self._bounded(info, limit=n) as f:
            while len(out) < n:
                try:
                    chunk = f.read(n - len(out))
                except MemberError:
                    # Damage after the head: recognise the file anyway, so that parsing reports it.
                    if out:
                        break
                    raise
                if not chunk:
                    break
                out += chunk
        return out

    # -- identity -------------------------------------------------------------
    def fingerprint(self) -> str:
        """A hash of what identifies the content, cheap to compute; it changes when a member changes.

        The name is part of it: records cite their archive by name, so a renamed export is read
        again rather than cited under a name that no longer exists.
        """
        h = hashlib.sha256()
        h.update(f"{self.kind}\x00{self.name}\x00{self.total_size()}\x00{self._content_token()}\x00".encode())
        for m in sorted(self.members(), key=lambda m: m.path):
            h.update(f"{m.path}\x00{m.size}\x00{m.compressed}\x00{m.mtime}\x00{m.crc}\x00".encode())
        return h.hexdigest()

    def _content_token(self) -> str:
        """What the listing alone does not say about content (kind-specific)."""
        return ""

    def total_size(self) -> int:
        return self.path.stat().st_size

    def close(self) -> None:
        pass

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FolderArchive(Archive):
    """An export already unpacked by the person. Links are never followed out of it."""

    kind = "folder"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._root = path.resolve()

    def _list(self) -> Iterable[MemberInfo]:
        root = self._root
        out: list[MemberInfo] = []
        stack = [root]
        while stack:
            d = stack.pop()
            try:
                entries = sorted(os.scandir(d), key=lambda e: e.name)
            except OSError as exc:
                self._issue(_rel(root, Path(d)), f"folder cannot be listed: {exc.strerror}")
                continue
            for e in entries:
                rel = _rel(root, Path(e.path))
                try:
                    st = os.lstat(e.path)
                except OSError as exc:
                    self._issue(rel, f"cannot be read: {exc.strerror}")
                    continue
                if stat.S_ISLNK(st.st_mode):
                    target = Path(e.path).resolve()
                    if not _inside(root, target):
                        self._issue(rel, "not followed: this link leads outside the folder")
                    else:
                        # Its target is inside and is read under its own name; reading both would count twice.
                        self._issue(rel, f"a link to {_rel(root, target) or '.'}, which is read under "
                                         "its own name", level="info")
                    continue
                if stat.S_ISDIR(st.st_mode):
                    stack.append(Path(e.path))
                elif stat.S_ISREG(st.st_mode):
                    if len(out) >= MAX_MEMBERS:
                        raise UnsafeArchive(self.name, f"refused: more than {MAX_MEMBERS:,} files")
                    out.append(MemberInfo(path=rel, size=st.st_size, part=self.name, mtime=st.st_mtime))
                else:
                    self._issue(rel, "not read: a device file, socket or pipe")
        return sorted(out, key=lambda m: m.path)

    def _open_raw(self, info: MemberInfo) -> BinaryIO:
        # Walk from the root one component at a time with O_NOFOLLOW, so a file or
        # folder swapped for a link after listing is not followed out of the folder.
        nofollow = getattr(os, "O_NOFOLLOW", 0)
        parts = info.path.split("/")
        if os.open not in os.supports_dir_fd:
            fd = os.open(self._root / info.path, os.O_RDONLY | nofollow)
            return os.fdopen(fd, "rb")
        dir_fd = os.open(self._root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            for p in parts[:-1]:
                nxt = os.open(p, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | nofollow, dir_fd=dir_fd)
                os.close(dir_fd)
                dir_fd = nxt
            fd = os.open(parts[-1], os.O_RDONLY | nofollow, dir_fd=dir_fd)
        finally:
            os.close(dir_fd)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise MemberError(self.name, info.path, "is no longer a regular file")
        return os.fdopen(fd, "rb")

    def total_size(self) -> int:
        return sum(m.size for m in self.members())


def _rel(root: Path, p: Path) -> str:
    return p.relative_to(root).as_posix() if p != root else ""


def _inside(root: Path, target: Path) -> bool:
    try:
        target.relative_to(root)
        return True
    except ValueError:
        return False


# -- zip ----------------------------------------------------------------------
_EOCD = b"PK\x05\x06"
_EOCD64 = b"PK\x06\x06"
_EOCD64_LOC = b"PK\x06\x07"
_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_DESCRIPTOR = b"PK\x07\x08"


@dataclass(frozen=True, slots=True)
class _EndRecord:
    count: int  # members declared
    cd_size: int
    cd_offset: int


def _zip_end_record(path: Path) -> _EndRecord | None:
    """The zip's end record (zip64 if present), read from the tail without walking the zip."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        tail_len = min(size, 65536 + 22)
        f.seek(size - tail_len)
        tail = f.read(tail_len)
        i = tail.rfind(_EOCD)
        if i < 0 or len(tail) - i < 22:
            return None
        (_, _, _, on_disk, total, cd_size, cd_off, _) = struct.unpack("<4sHHHHIIH", tail[i : i + 22])
        end = _EndRecord(max(on_disk, total), cd_size, cd_off)
        j = tail.rfind(_EOCD64_LOC, 0, i)
        if j >= 0 and i - j >= 20:
            (_, _, off64, _) = struct.unpack("<4sIQI", tail[j : j + 20])
            if off64 + 56 <= size:
                f.seek(off64)
                rec = f.read(56)
                if rec[:4] == _EOCD64:
                    on_disk64, total64, size64, off64_cd = struct.unpack("<QQQQ", rec[24:56])
                    end = _EndRecord(max(on_disk64, total64), size64, off64_cd)
        return end


def zip_declared_count(path: Path) -> int | None:
    """Number of members the zip's end record declares, read without walking it."""
    end = _zip_end_record(path)
    return None if end is None else end.count


def _count_central_entries(path: Path, offset: int, size: int, stop: int) -> int:
    """Count central directory entries by their headers alone, in bounded memory; stop past ``stop``."""
    n = 0
    with open(path, "rb") as f:
        pos, end = offset, offset + size
        f.seek(pos)
        while pos + _CD_ENTRY_MIN <= end and n <= stop:
            hdr = f.read(_CD_ENTRY_MIN)
            if len(hdr) < _CD_ENTRY_MIN or hdr[:4] != _CENTRAL:
                break
            nlen, xlen, clen = struct.unpack("<HHH", hdr[28:34])
            n += 1
            pos += _CD_ENTRY_MIN + nlen + xlen + clen
            f.seek(pos)
    return n


class ZipArchive(Archive):
    kind = "zip"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._zip: zipfile.ZipFile | None = None
        self._index: dict[str, zipfile.ZipInfo] = {}
        self._recovered: dict[str, _Located] = {}

    def _list(self) -> Iterable[MemberInfo]:
        try:
            file_size = self.path.stat().st_size
            end = _zip_end_record(self.path)
        except OSError as exc:
            raise UnreadableArchive(self.name, f"cannot be opened: {exc.strerror}") from exc
        if end is not None:
            if end.count > MAX_MEMBERS:
                raise UnsafeArchive(self.name, f"refused: it declares {end.count:,} members "
                                               f"(the limit is {MAX_MEMBERS:,})")
            # zipfile reads the whole central directory and makes an object per entry: a
            # directory big enough to hide more entries than declared is counted first.
            if min(end.cd_size, file_size) > MAX_MEMBERS * _CD_ENTRY_MIN:
                n = _count_central_entries(self.path, end.cd_offset, end.cd_size, MAX_MEMBERS)
                if n > MAX_MEMBERS:
                    raise UnsafeArchive(self.name, f"refused: it holds more than {MAX_MEMBERS:,} members "
                                                   f"(its end record declares {end.count:,})")
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error, NotImplementedError):
            return self._recover()
        out: list[MemberInfo] = []
        for zi in self._zip.infolist():
            # Unix zips keep the file type in the high bits; 0 means "not said".
            ftype = stat.S_IFMT((zi.external_attr >> 16) & 0xFFFF) if zi.create_system == 3 else 0
            if ftype == stat.S_IFLNK:
                raise UnsafeArchive(self.name, "refused: the zip contains a symbolic link", member=zi.filename)
            if ftype not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise UnsafeArchive(self.name, "refused: the zip contains a device file", member=zi.filename)
            path = clean_member_path(self.name, zi.filename)
            if zi.is_dir() or not path:
                continue
            if path in self._index:
                self._issue(path, "appears twice in the zip; the first copy is read", level="warning")
                continue
            self._index[path] = zi
            # A compressed size beyond the file is a lie; capping it keeps the ratio bound honest.
            out.append(MemberInfo(path=path, size=zi.file_size, compressed=min(zi.compress_size, file_size),
                                  part=self.name, crc=zi.CRC))
        return out

    def _recover(self) -> list[MemberInfo]:
        """Walk the local headers of a zip without a usable central directory (cut-off download).

        Members whose end is known are read whole; a member the file ends inside is
        listed too, so that its beginning (e.g. the first points of a Records.json)
        is read, and the reader reports where it is cut off.
        """
        out: list[MemberInfo] = []
        size = self.path.stat().st_size
        with open(self.path, "rb") as f:
            pos = 0
            while pos + 30 <= size:
                f.seek(pos)
                hdr = f.read(30)
                if hdr[:4] != _LOCAL:
                    break
                (_, _, flags, method, _, _, crc, csize, usize, nlen, xlen) = struct.unpack(
                    "<4sHHHHHIIIHH", hdr)
                raw = f.read(nlen)
                extra = f.read(xlen)
                raw_name = raw.decode("utf-8" if flags & 0x800 else "cp437", "replace")
                if len(raw) < nlen or len(extra) < xlen:
                    self._issue(raw_name, "damaged zip: the file ends inside this member's header")
                    break
                path = clean_member_path(self.name, raw_name)
                data_start = pos + 30 + nlen + xlen
                zip64 = _has_zip64(extra)
                if csize == 0xFFFFFFFF or usize == 0xFFFFFFFF:
                    usize, csize = _zip64_sizes(extra, usize, csize)
                known_crc: int | None = crc
                complete = True
                if flags & 0x08:
                    found = _find_descriptor(f, data_start, size, zip64)
                    if found is None:
                        complete, csize, usize, known_crc = False, size - data_start, 0, None
                        nxt = size
                    else:
                        _end, known_crc, csize, usize, nxt = found
                elif data_start + csize > size:
                    complete, csize, known_crc = False, size - data_start, None
                    nxt = size
                else:
                    nxt = data_start + csize
                if flags & 0x01:
                    self._issue(path or raw_name, "not read: this member is encrypted")
                elif path and not raw_name.endswith("/"):
                    if path in self._recovered:
                        self._issue(path, "appears twice in the zip; the first copy is read", level="warning")
                    else:
                        self._recovered[path] = _Located(data_start, csize, method, known_crc, complete)
                        out.append(MemberInfo(path=path, size=usize, compressed=csize,
                                              part=self.name, crc=known_crc))
                        if not complete:
                            self._issue(path, "cut off: the zip ends inside this file (interrupted download?); "
                                              "only its beginning can be read", level="warning")
                if not complete:
                    break
                pos = nxt
        if not out:
            raise UnreadableArchive(self.name, "is not a readable zip (damaged or not a zip file)")
        self._issue("", f"damaged zip (no central directory): {len(out)} member(s) recovered "
                        "from local headers; the export may be incomplete, download it again if you can",
                    level="warning")
        return out

    def _open_raw(self, info: MemberInfo) -> BinaryIO:
        if info.path in self._recovered:
            loc = self._recovered[info.path]
            return _LocalMemberStream(self.path, loc, self.name, info.path)  # type: ignore[return-value]
        assert self._zip is not None
        try:
            return self._zip.open(self._index[info.path])  # type: ignore[return-value]
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError) as exc:
            raise MemberError(self.name, info.path, f"cannot be read: {exc}") from exc

    def fingerprint(self) -> str:
        self.members()
        return super().fingerprint()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def _has_zip64(extra: bytes) -> bool:
    i = 0
    while i + 4 <= len(extra):
        hid, hlen = struct.unpack("<HH", extra[i : i + 4])
        if hid == 1:
            return True
        i += 4 + hlen
    return False


def _zip64_sizes(extra: bytes, usize: int, csize: int) -> tuple[int, int]:
    """Sizes from the zip64 extra field (id 1), which holds those the header marks 0xFFFFFFFF."""
    i = 0
    while i + 4 <= len(extra):
        hid, hlen = struct.unpack("<HH", extra[i : i + 4])
        body = extra[i + 4 : i + 4 + hlen]
        if hid == 1:
            vals = [struct.unpack("<Q", body[k : k + 8])[0] for k in range(0, len(body) - 7, 8)]
            if usize == 0xFFFFFFFF and vals:
                usize = vals.pop(0)
            if csize == 0xFFFFFFFF and vals:
                csize = vals.pop(0)
            break
        i += 4 + hlen
    return usize, csize


def _find_descriptor(f: BinaryIO, data_start: int, size: int,
                     zip64: bool) -> tuple[int, int, int, int, int] | None:
    """Find where a member written with a data descriptor (flag bit 3) ends, without decompressing it.

    A descriptor (optionally signed ``PK\\x07\\x08``) holds the CRC and sizes after the
    data, with 8-byte sizes for zip64 members; the true one is the first whose
    compressed size equals its distance from the data start and which is followed
    by another header (or the end of the file). Returns (data end, crc,
    compressed, uncompressed, next header).
    """
    chunk_size = 1 << 20
    start = data_start
    while start < size:
        f.seek(start)
        chunk = f.read(chunk_size + 1)  # one byte more: a "PK" across two chunks is still seen
        i = chunk.find(b"PK")
        while i >= 0:
            hit = _descriptor_at(f, data_start, start + i, size, zip64)
            if hit is not None:
                return hit
            i = chunk.find(b"PK", i + 1)
        if len(chunk) <= chunk_size:
            break
        start += chunk_size
    return None


_HEADERS = (_LOCAL, _CENTRAL, _EOCD, _EOCD64)


def _descriptor_at(f: BinaryIO, ds: int, p: int, size: int, zip64: bool) -> tuple[int, int, int, int, int] | None:
    lo = max(ds, p - 24)
    f.seek(lo)
    w = f.read(p + 32 - lo)
    k = p - lo

    def u32(at: int) -> int:
        return int(struct.unpack("<I", w[at : at + 4])[0]) if 0 <= at and at + 4 <= len(w) else -1

    def u64(at: int) -> int:
        return int(struct.unpack("<Q", w[at : at + 8])[0]) if 0 <= at and at + 8 <= len(w) else -1

    def followed(nxt: int) -> bool:
        if nxt + 4 > size:  # the file ends here (or inside the next header): nothing to contradict it
            return True
        f.seek(nxt)
        return f.read(4) in _HEADERS

    forms = (True, False) if zip64 else (False, True)
    if w[k : k + 4] == _DESCRIPTOR:  # signed: crc, then sizes
        for wide in forms:
            csize, usize, nxt = (u64(k + 8), u64(k + 16), p + 24) if wide else (u32(k + 8), u32(k + 12), p + 16)
            if csize == p - ds and usize >= 0 and followed(nxt):
                return p, u32(k + 4), csize, usize, nxt
    if w[k : k + 4] in _HEADERS:  # an unsigned descriptor just before the next header
        for wide in forms:
            q = p - (20 if wide else 12)
            at = q - lo
            csize, usize = (u64(at + 4), u64(at + 12)) if wide else (u32(at + 4), u32(at + 8))
            if q >= ds and csize == q - ds:
                return q, u32(at), csize, usize, p
    return None


@dataclass(frozen=True, slots=True)
class _Located:
    """A member found by its local header: where its data is and what is known of it."""

    offset: int
    csize: int
    method: int
    crc: int | None
    complete: bool  # False when the file ends inside the member


class _LocalMemberStream(io.RawIOBase):
    """Decompressing stream over one member located by its local header.

    Raises ``MemberError`` where the data is cut off or does not match its CRC,
    after yielding everything before, so a cut-off member is read up to the cut.
    """

    def __init__(self, path: Path, loc: _Located, archive: str, member: str) -> None:
        super().__init__()
        if loc.method not in (0, 8):
            raise MemberError(archive, member, f"cannot be read: compression method {loc.method} "
                                               "is not supported in a damaged zip")
        self._archive, self._member, self._loc = archive, member, loc
        self._f = open(path, "rb")
        self._f.seek(loc.offset)
        self._left = loc.csize
        self._d = zlib.decompressobj(-15) if loc.method == 8 else None
        self._buf = b""
        self._crc = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _fail(self, why: str) -> MemberError:
        return MemberError(self._archive, self._member, why)

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        want = max(1, len(b))
        while not self._buf and not self._done:
            tail = self._d.unconsumed_tail if self._d is not None else b""
            if tail:
                chunk = tail
            elif self._left > 0:
                chunk = self._f.read(min(65536, self._left))
                if not chunk:
                    raise self._fail("cut off: the zip ends inside this file")
                self._left -= len(chunk)
            else:
                self._finish()
                break
            self._buf = self._d.decompress(chunk, want) if self._d is not None else chunk
            if self._d is not None and self._d.eof:
                self._left = 0
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._crc = zlib.crc32(self._buf[:n], self._crc)
        self._buf = self._buf[n:]
        return n

    def _finish(self) -> None:
        self._done = True
        if not self._loc.complete and not (self._d is not None and self._d.eof):
            raise self._fail("cut off: the zip ends inside this file (interrupted download?); "
                             "what came before the cut was read")
        if self._d is not None and not self._d.eof:
            raise self._fail("damaged: the compressed data ends early")
        if self._loc.crc is not None and self._crc != self._loc.crc:
            raise self._fail("damaged: the content does not match its checksum (CRC)")

    def close(self) -> None:
        self._f.close()
        super().close()


# -- tar ----------------------------------------------------------------------
class TarArchive(Archive):
    kind = "tar"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._tar: tarfile.TarFile | None = None
        self._infos: dict[str, tarfile.TarInfo] = {}
        self._compressed = False

    def _list(self) -> Iterable[MemberInfo]:
        try:
            self._tar = tarfile.open(self.path, "r:*")
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise UnreadableArchive(self.name, f"is not a readable tar archive: {exc}") from exc
        file_size = self.path.stat().st_size
        self._compressed = not isinstance(self._tar.fileobj, io.BufferedReader)
        out: list[MemberInfo] = []
        declared = 0
        try:
            for ti in self._tar:
                if len(out) >= MAX_MEMBERS:
                    raise UnsafeArchive(self.name, f"refused: more than {MAX_MEMBERS:,} members")
                path = clean_member_path(self.name, ti.name)
                if ti.issym() or ti.islnk():
                    raise UnsafeArchive(self.name, "refused: the archive contains a link", member=ti.name)
                if ti.isdev() or ti.isfifo():
                    raise UnsafeArchive(self.name, "refused: the archive contains a device file or pipe",
                                        member=ti.name)
                if not ti.isfile() or not path:
                    continue
                # Listing a compressed tar decompresses every member it steps over, so a
                # member declaring far more than the archive could hold is refused here.
                declared += ti.size
                if self._compressed and declared > max(RATIO_FLOOR, file_size * MAX_RATIO):
                    raise UnsafeArchive(self.name, f"refused: its members expand more than {MAX_RATIO} "
                                                   "times the archive's size (a decompression bomb?)",
                                        member=ti.name)
                if path in self._infos:
                    self._issue(path, "appears twice in the archive; the first copy is read", level="warning")
                    continue
                self._infos[path] = ti
                out.append(MemberInfo(path=path, size=ti.size, part=self.name, mtime=float(ti.mtime)))
                self._tar.members = []  # keep memory flat on huge tars
        except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
            self._issue("", f"damaged archive: listing stopped after {len(out)} member(s) ({exc}); "
                            "the export may be incomplete")
        return out

    def _open_raw(self, info: MemberInfo) -> BinaryIO:
        assert self._tar is not None
        f = self._tar.extractfile(self._infos[info.path])
        if f is None:
            raise MemberError(self.name, info.path, "is not a regular file")
        return f  # type: ignore[return-value]

    def _content_token(self) -> str:
        # A tar lists no checksum. gzip's trailer holds the CRC-32 and length of the
        # whole tar stream: free to read and content-sensitive (the gzip header's own
        # time stamp is left out). Other forms are hashed whole.
        with open(self.path, "rb") as f:
            if f.read(2) == b"\x1f\x8b":
                f.seek(-8, os.SEEK_END)
                return f.read(8).hex()
            f.seek(0)
            return hashlib.file_digest(f, "sha256").hexdigest()

    def close(self) -> None:
        if self._tar is not None:
            self._tar.close()


class MultiPartArchive(Archive):
    """Several zips of one export, read as one listing; each member keeps the name of its part."""

    kind = "multipart"

    def __init__(self, parts: Sequence[Archive]) -> None:
        super().__init__(parts[0].path)
        self.parts = list(parts)
        self.name = " + ".join(p.name for p in parts)
        self._owner: dict[str, Archive] = {}

    def _list(self) -> Iterable[MemberInfo]:
        out: list[MemberInfo] = []
        readable = 0
        for part in self.parts:
            try:
                listed = part.members()
            except UnreadableArchive as exc:
                # One damaged part must not hide the others; an unsafe one refuses the whole export.
                self._issue("", str(exc), archive=part.name)
                continue
            readable += 1
            for m in listed:
                if m.path in self._owner:
                    self._issue(m.path, f"appears in {self._owner[m.path].name} and {part.name}; "
                                        f"the copy in {self._owner[m.path].name} is read",
                                level="warning", archive=part.name)
                    continue
                self._owner[m.path] = part
                out.append(m)
            self.issues.extend(part.issues)
        if not readable:
            raise UnreadableArchive(self.name, "none of its parts can be read")
        return out

    def _open_raw(self, info: MemberInfo) -> BinaryIO:
        return self._owner[info.path]._open_raw(info)

    def fingerprint(self) -> str:
        self.members()
        h = hashlib.sha256(b"multipart\x00")
        for p in self.parts:
            try:
                h.update(f"{p.name}\x00{p.fingerprint()}\x00".encode())
            except ArchiveError:
                h.update(f"{p.name}\x00unreadable\x00".encode())
        return h.hexdigest()

    def total_size(self) -> int:
        return sum(p.total_size() for p in self.parts)

    def close(self) -> None:
        for p in self.parts:
            p.close()


def _open_one(path: Path) -> Archive:
    if path.is_dir():
        return FolderArchive(path)
    if not path.exists():
        raise UnreadableArchive(str(path), "does not exist")
    if not path.is_file():
        raise UnreadableArchive(path.name, "is neither a file nor a folder")
    try:
        with open(path, "rb") as f:
            head = f.read(512)
    except OSError as exc:
        raise UnreadableArchive(path.name, f"cannot be opened: {exc.strerror}") from exc
    if head[:4] in (_LOCAL, _EOCD) or path.suffix.lower() == ".zip":
        return ZipArchive(path)
    if head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:6] == b"\xfd7zXZ\x00" or (
        len(head) >= 262 and head[257:262] == b"ustar"
    ):
        return TarArchive(path)
    raise UnreadableArchive(path.name, "is not a zip, a tar archive or a folder")


_PART = re.compile(r"^(?P<stem>.+)-(?P<part>[^-]+)\.zip$", re.IGNORECASE)
# Only exports known to be split are grouped: two zips named alike (e.g. two Reddit
# exports ``export-alice-20230404.zip`` and ``export-alice-20240101.zip``) are separate inputs.
_KNOWN_SPLIT = re.compile(r"^(takeout|facebook|instagram|meta)-", re.IGNORECASE)


def group_parts(paths: Sequence[Path]) -> list[list[Path]]:
    """Group the parts of split exports; every other input stays alone.

    Parts share everything up to the last ``-`` and sit in the same folder:
    ``takeout-20240101T000000Z-001.zip`` / ``-002.zip``, or Facebook's
    ``facebook-name-2024-01-01-AbCd.zip`` / ``…-EfGh.zip``.
    """
    groups: dict[tuple[Path, str], list[Path]] = {}
    order: list[tuple[Path, str]] = []
    for p in paths:
        m = _PART.match(p.name)
        if p.is_file() and m and _KNOWN_SPLIT.match(p.name):
            key = (p.resolve().parent, m.group("stem").lower())
        else:
            key = (p.resolve(), "")
        if key not in groups:
            groups[key] = []
            order.append(key)
        if all(p.resolve() != q.resolve() for q in groups[key]):
            groups[key].append(p)
    return [sorted(groups[k]) for k in order]


def open_archive(paths: Path | Sequence[Path]) -> Archive:
    """Open one export: a folder, a zip or tar, or the parts of a split export."""
    if isinstance(paths, Path):
        return _open_one(paths)
    paths = list(paths)
    if len(paths) == 1:
        return _open_one(paths[0])
    return MultiPartArchive([_open_one(p) for p in paths])


def open_inputs(paths: Sequence[Path]) -> Iterator[Archive | ArchiveError]:
    """Open every input, grouping split exports; errors are yielded, not raised."""
    for group in group_parts(paths):
        try:
            yield open_archive(group)
        except ArchiveError as exc:
            yield exc


__all__ = [
    "DEFAULT_MEMBER_LIMIT", "MAX_MEMBERS", "MAX_RATIO", "WHOLE_FILE", "Archive", "BoundedReader",
    "FolderArchive", "MemberInfo", "MultiPartArchive", "TarArchive", "ZipArchive",
    "clean_member_path", "group_parts", "open_archive", "open_inputs", "zip_declared_count",
]
