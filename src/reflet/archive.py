"""Open exports safely and read their members in place, never extracting to disk.

An export is a ``.zip``, ``.tar``, ``.tar.gz`` or a folder; several zips of one
export (Takeout's ``-001.zip``, ``-002.zip``; Facebook's parts) are read as one.

Refused as a whole (``UnsafeArchive``), naming the archive and member: absolute
or ``..`` member names, tar links and device files, and zips whose end record
announces more members than any real export has. In a folder, a link that
leads outside the folder is not followed and is reported instead.

Every member is read through ``BoundedReader``, which counts the bytes really
decompressed: a zip whose header understates a member's size cannot make
reflet read more than the member's per-kind limit, nor expand more than
``MAX_RATIO`` times its compressed size.

A truncated or damaged zip (no central directory) is walked by its local file
headers: the members that can be read are read, the rest are reported.
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

from .errors import ArchiveError, MemberTooLarge, UnreadableArchive, UnsafeArchive
from .records import ParseIssue

MAX_MEMBERS = 300_000  # a large Takeout with photos has tens of thousands
MAX_RATIO = 200  # real JSON/CSV compresses 5-30x; bombs expand thousands of times
RATIO_FLOOR = 32 * 1024 * 1024  # tiny members may legitimately compress very well
DEFAULT_MEMBER_LIMIT = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class MemberInfo:
    """One member as listed: normalised POSIX path, declared size, the part it is in."""

    path: str
    size: int
    compressed: int | None = None
    part: str = ""  # file name of the archive part holding it (multi-part exports)
    mtime: float | None = None

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


class BoundedReader(io.RawIOBase):
    """A read-only stream that refuses to yield more than ``limit`` bytes.

    It counts bytes actually produced by the decompressor, so a lying header
    does not help a zip bomb.
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

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        want = len(b)
        data = self._raw.read(want)
        n = len(data)
        self._read += n
        if self._read > self._limit:
            why = (
                f"expands more than {MAX_RATIO} times its compressed size"
                if self._ratio_bound
                else f"is larger than {_human(self._limit)}, the limit for this kind of file"
            )
            raise MemberTooLarge(self._archive, self._member, f"refused: it {why}")
        b[:n] = data
        return n

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

    # -- reading --------------------------------------------------------------
    def open(self, info: MemberInfo, limit: int = DEFAULT_MEMBER_LIMIT) -> BoundedReader:
        """Open a member for reading, bounded by ``limit`` decompressed bytes."""
        if info.size > limit:
            raise MemberTooLarge(
                self.name, info.path,
                f"refused: it is {_human(info.size)}, over the {_human(limit)} limit for this kind of file",
            )
        raw = self._open_raw(info)
        return BoundedReader(raw, limit=limit, archive=self.name, member=info.path,
                             compressed=info.compressed)

    def _open_raw(self, info: MemberInfo) -> BinaryIO:
        raise NotImplementedError

    def read_head(self, info: MemberInfo, n: int = 4096) -> bytes:
        """The first ``n`` bytes of a member, for sniffing generic file names.

        Only ``n`` bytes are read, so the declared size is not checked here: a 500 MB
        Records.json must still be recognised (its handler allows 16 GiB).
        """
        with BoundedReader(self._open_raw(info), limit=n, archive=self.name, member=info.path,
                           compressed=None) as f:
            return f.read(n)

    # -- identity -------------------------------------------------------------
    def fingerprint(self) -> str:
        """Size plus a hash of the listing: changes when the export changes, cheap to compute.

        The name is part of it: records cite their archive by name, so a renamed export is read
        again rather than cited under a name that no longer exists.
        """
        h = hashlib.sha256()
        h.update(f"{self.kind}\x00{self.name}\x00{self.total_size()}\x00".encode())
        for m in sorted(self.members(), key=lambda m: m.path):
            h.update(f"{m.path}\x00{m.size}\x00{m.compressed}\x00{m.mtime}\x00".encode())
        return h.hexdigest()

    def total_size(self) -> int:
        return self.path.stat().st_size

    def close(self) -> None:
        pass

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FolderArchive(Archive):
    kind = "folder"

    def _list(self) -> Iterable[MemberInfo]:
        root = self.path.resolve()
        stack = [root]
        while stack:
            d = stack.pop()
            try:
                entries = sorted(os.scandir(d), key=lambda e: e.name)
            except OSError as exc:
                self.issues.append(ParseIssue(archive=self.name, member=_rel(root, Path(d)),
                                              locator="", message=f"folder cannot be listed: {exc.strerror}"))
                continue
            for e in entries:
                rel = _rel(root, Path(e.path))
                try:
                    st = os.lstat(e.path)
                except OSError as exc:
                    self.issues.append(ParseIssue(archive=self.name, member=rel, locator="",
                                                  message=f"cannot be read: {exc.strerror}"))
                    continue
                if stat.S_ISLNK(st.st_mode):
                    target = Path(e.path).resolve()
                    if not _inside(root, target):
                        self.issues.append(ParseIssue(
                            archive=self.name, member=rel, locator="",
                            message="not followed: this link leads outside the folder"))
                        continue
                    # A link that stays inside is a duplicate view; list the target once only.
                    continue
                if stat.S_ISDIR(st.st_mode):
                    stack.append(Path(e.path))
                elif stat.S_ISREG(st.st_mode):
                    if len(self._buffer) >= MAX_MEMBERS:
                        raise UnsafeArchive(self.name, f"refused: more than {MAX_MEMBERS:,} files")
                    self._buffer.append(MemberInfo(path=rel, size=st.st_size, part=self.name,
                                                   mtime=st.st_mtime))
                else:
                    self.issues.append(ParseIssue(archive=self.name, member=rel, locator="",
                                                  message="not read: a device file, socket or pipe"))
        out, self._buffer = self._buffer, []
        return sorted(out, key=lambda m: m.path)

    _buffer: list[MemberInfo]

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._buffer = []

    def _open_raw(self, info: MemberInfo) -> BinaryIO:
        full = self.path / info.path
        # O_NOFOLLOW: a file swapped for a link after listing is not followed.
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
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
_EOCD64_LOC = b"PK\x06\x07"
_LOCAL = b"PK\x03\x04"


def zip_declared_count(path: Path) -> int | None:
    """Number of members the zip's end record declares, read without walking it."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        tail_len = min(size, 65536 + 22)
        f.seek(size - tail_len)
        tail = f.read(tail_len)
        i = tail.rfind(_EOCD)
        if i < 0 or len(tail) - i < 22:
            return None
        (_, _, _, _, total, _, _, _) = struct.unpack("<4sHHHHIIH", tail[i : i + 22])
        j = tail.rfind(_EOCD64_LOC, 0, i)
        if j >= 0 and len(tail) - j >= 20:
            (_, _, off64, _) = struct.unpack("<4sIQI", tail[j : j + 20])
            if off64 + 56 <= size:
                f.seek(off64)
                rec = f.read(56)
                if rec[:4] == b"PK\x06\x06":
                    return int(struct.unpack("<Q", rec[32:40])[0])
        return int(total)


class ZipArchive(Archive):
    kind = "zip"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._zip: zipfile.ZipFile | None = None
        self._recovered: dict[str, tuple[int, int, int, int]] = {}  # path -> (offset, csize, method, size)

    def _list(self) -> Iterable[MemberInfo]:
        try:
            count = zip_declared_count(self.path)
        except OSError as exc:
            raise UnreadableArchive(self.name, f"cannot be opened: {exc.strerror}") from exc
        if count is not None and count > MAX_MEMBERS:
            raise UnsafeArchive(self.name, f"refused: it declares {count:,} members "
                                           f"(the limit is {MAX_MEMBERS:,})")
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
            return self._recover()
        out: list[MemberInfo] = []
        seen: set[str] = set()
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
            if path in seen:
                self.issues.append(ParseIssue(archive=self.name, member=path, locator="",
                                              message="appears twice in the zip; the first copy is read"))
                continue
            seen.add(path)
            out.append(MemberInfo(path=path, size=zi.file_size, compressed=zi.compress_size,
                                  part=self.name))
        return out

    def _recover(self) -> list[MemberInfo]:
        """Walk local headers of a zip without a central directory (truncated download)."""
        out: list[MemberInfo] = []
        size = self.path.stat().st_size
        with open(self.path, "rb") as f:
            pos = 0
            while pos + 30 <= size:
                f.seek(pos)
                hdr = f.read(30)
                if hdr[:4] != _LOCAL:
                    break
                (_, _, flags, method, _, _, _, csize, usize, nlen, xlen) = struct.unpack(
                    "<4sHHHHHIIIHH", hdr)
                raw_name = f.read(nlen).decode("utf-8" if flags & 0x800 else "cp437", "replace")
                data_start = pos + 30 + nlen + xlen
                path = clean_member_path(self.name, raw_name)
                if flags & 0x08 or csize == 0xFFFFFFFF:
                    # Sizes follow the data: find the end by decompressing.
                    end = _find_deflate_end(f, data_start, method) if method == 8 else None
                    if end is None:
                        self.issues.append(ParseIssue(
                            archive=self.name, member=path or raw_name, locator=f"@{pos}",
                            message="damaged zip: this member and those after it cannot be read"))
                        break
                    csize, usize = end - data_start, -1
                    nxt = end
                    f.seek(end)
                    desc = f.read(16)
                    if desc[:4] == b"PK\x07\x08":
                        usize = struct.unpack("<I", desc[12:16])[0]
                        nxt = end + 16
                    elif len(desc) >= 12:
                        usize = struct.unpack("<I", desc[8:12])[0]
                        nxt = end + 12
                else:
                    nxt = data_start + csize
                if data_start + csize > size:
                    self.issues.append(ParseIssue(
                        archive=self.name, member=path or raw_name, locator=f"@{pos}",
                        message="damaged zip: this member is cut off and cannot be read"))
                    break
                if path and not raw_name.endswith("/"):
                    self._recovered[path] = (data_start, csize, method, usize)
                    out.append(MemberInfo(path=path, size=max(usize, 0), compressed=csize, part=self.name))
                pos = nxt
        if not out:
            raise UnreadableArchive(self.name, "is not a readable zip (damaged or not a zip file)")
        self.issues.append(ParseIssue(
            archive=self.name, member="", locator="", level="warning",
            message=f"damaged zip (no central directory): {len(out)} member(s) recovered "
                    "from local headers; the export may be incomplete, download it again if you can"))
        return out

    def _open_raw(self, info: MemberInfo) -> BinaryIO:
        if info.path in self._recovered:
            off, csize, method, _ = self._recovered[info.path]
            return _LocalMemberStream(self.path, off, csize, method)  # type: ignore[return-value]
        assert self._zip is not None
        try:
            return self._zip.open(self._find(info.path))  # type: ignore[return-value]
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
            raise ArchiveError(self.name, f"cannot be read: {exc}", member=info.path) from exc

    def _find(self, path: str) -> zipfile.ZipInfo:
        assert self._zip is not None
        if not hasattr(self, "_index"):
            self._index = {}
            for zi in self._zip.infolist():
                try:
                    self._index.setdefault(clean_member_path(self.name, zi.filename), zi)
                except UnsafeArchive:
                    continue
        return self._index[path]

    def fingerprint(self) -> str:
        self.members()
        return super().fingerprint()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def _find_deflate_end(f: BinaryIO, start: int, method: int) -> int | None:
    d = zlib.decompressobj(-15)
    f.seek(start)
    consumed = 0
    while True:
        chunk = f.read(65536)
        if not chunk:
            return None
        try:
            d.decompress(chunk, 0)
            # discard output: we only want where the stream ends
        except zlib.error:
            return None
        if d.eof:
            return start + consumed + len(chunk) - len(d.unused_data)
        consumed += len(chunk)


class _LocalMemberStream(io.RawIOBase):
    """Decompressing stream over one member located by its local header."""

    def __init__(self, path: Path, offset: int, csize: int, method: int) -> None:
        super().__init__()
        self._f = open(path, "rb")
        self._f.seek(offset)
        self._left = csize
        self._method = method
        self._d = zlib.decompressobj(-15) if method == 8 else None
        self._buf = b""
        if method not in (0, 8):
            raise ArchiveError(path.name, f"compression method {method} is not supported")

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._buf and (self._left > 0 or (self._d and self._d.unconsumed_tail)):
            if self._d is not None and self._d.unconsumed_tail:
                chunk = self._d.unconsumed_tail
            else:
                chunk = self._f.read(min(65536, self._left))
                self._left -= len(chunk)
                if not chunk:
                    self._left = 0
                    break
            self._buf = self._d.decompress(chunk, len(b)) if self._d else chunk
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

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

    def _list(self) -> Iterable[MemberInfo]:
        try:
            self._tar = tarfile.open(self.path, "r:*")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise UnreadableArchive(self.name, f"is not a readable tar archive: {exc}") from exc
        out: list[MemberInfo] = []
        try:
            for ti in self._tar:
                if len(out) >= MAX_MEMBERS:
                    raise UnsafeArchive(self.name, f"refused: more than {MAX_MEMBERS:,} members")
                path = clean_member_path(self.name, ti.name)
                if ti.issym() or ti.islnk():
                    raise UnsafeArchive(self.name, "refused: the archive contains a link", member=ti.name)
                if ti.isdev() or ti.isfifo():
                    raise UnsafeArchive(self.name, "refused: the archive contains a device file",
                                        member=ti.name)
                if not ti.isfile() or not path:
                    continue
                if path in self._infos:
                    continue
                self._infos[path] = ti
                out.append(MemberInfo(path=path, size=ti.size, part=self.name, mtime=float(ti.mtime)))
                self._tar.members = []  # keep memory flat on huge tars
        except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
            self.issues.append(ParseIssue(
                archive=self.name, member="", locator="",
                message=f"damaged archive: listing stopped after {len(out)} member(s) ({exc})"))
        return out

    def _open_raw(self, info: MemberInfo) -> BinaryIO:
        assert self._tar is not None
        f = self._tar.extractfile(self._infos[info.path])
        if f is None:
            raise ArchiveError(self.name, "is not a regular file", member=info.path)
        return f  # type: ignore[return-value]

    def close(self) -> None:
        if self._tar is not None:
            self._tar.close()


class MultiPartArchive(Archive):
    """Several zips of one export, read as one listing."""

    kind = "multipart"

    def __init__(self, parts: Sequence[Archive]) -> None:
        super().__init__(parts[0].path)
        self.parts = list(parts)
        self.name = " + ".join(p.name for p in parts)
        self._owner: dict[str, Archive] = {}

    def _list(self) -> Iterable[MemberInfo]:
        out: list[MemberInfo] = []
        for part in self.parts:
            for m in part.members():
                if m.path in self._owner:
                    continue
                self._owner[m.path] = part
                out.append(m)
            self.issues.extend(part.issues)
        return out

    def open(self, info: MemberInfo, limit: int = DEFAULT_MEMBER_LIMIT) -> BoundedReader:
        return self._owner[info.path].open(info, limit)

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
    with open(path, "rb") as f:
        head = f.read(512)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06") or path.suffix.lower() == ".zip":
        return ZipArchive(path)
    if head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:6] == b"\xfd7zXZ\x00" or (
        len(head) >= 262 and head[257:262] == b"ustar"
    ):
        return TarArchive(path)
    raise UnreadableArchive(path.name, "is not a zip, a tar archive or a folder")


_PART = re.compile(r"^(?P<stem>.+)-(?P<part>[^-]+)\.zip$", re.IGNORECASE)
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
        if p.is_file() and m and (_KNOWN_SPLIT.match(p.name) or m.group("part").isdigit()):
            key = (p.resolve().parent, m.group("stem").lower())
        else:
            key = (p.resolve(), "")
        if key not in groups:
            groups[key] = []
            order.append(key)
        if p not in groups[key]:
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
    "DEFAULT_MEMBER_LIMIT", "MAX_MEMBERS", "MAX_RATIO", "Archive", "BoundedReader",
    "FolderArchive", "MemberInfo", "MultiPartArchive", "TarArchive", "ZipArchive",
    "clean_member_path", "group_parts", "open_archive", "open_inputs", "zip_declared_count",
]

