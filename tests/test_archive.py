"""Hostile and damaged exports, built in code: what a person sees when reflet meets them.

Every refusal must name the archive and the member, and the audit must go on
with the other inputs. Memory must stay bounded whatever the headers claim.
"""

from __future__ import annotations

import io
import json
import os
import resource
import stat
import struct
import tarfile
import tracemalloc
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflet import archive as A
from reflet import sources
from reflet.archive import (
    MultiPartArchive,
    clean_member_path,
    group_parts,
    open_archive,
    open_inputs,
)
from reflet.audit import run_audit
from reflet.errors import MemberError, MemberTooLarge, UnreadableArchive, UnsafeArchive
from reflet.records import ParseIssue, Place, RecordBatch

from .builders import CONTAINERS, make_export

MiB = 1024 * 1024
RECORDS = "Takeout/Location History (Timeline)/Records.json"


def records_json(n: int = 3, start: int = 0) -> bytes:
    locs = [{"latitudeE7": 488566000 + i + start, "longitudeE7": 23522000 + i, "accuracy": 10, "source": "WIFI",
             "timestamp": f"2024-03-01T{i % 24:02d}:{i % 60:02d}:00Z"} for i in range(n)]
    return json.dumps({"locations": locs}, indent=1).encode()


def parse_all(arch: A.Archive) -> tuple[list[Place], list[ParseIssue]]:
    """What the audit does with an archive: match every member, parse it, collect issues."""
    recs: list[Place] = []
    issues: list[ParseIssue] = []
    for info in arch.members():
        h = sources.match(arch, info)
        if h is None:
            continue
        for item in sources.parse_member(arch, info, h):
            if isinstance(item, ParseIssue):
                issues.append(item)
            else:
                recs.extend(item.records() if isinstance(item, RecordBatch) else [item])  # type: ignore[arg-type]
    return recs, issues + arch.issues


@contextmanager
def memory_cap(extra: int) -> Iterator[None]:
    """Lower the soft address-space limit to what the process uses now plus ``extra``; restore after."""
    with open("/proc/self/status") as f:
        vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = vm + extra
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextmanager
def python_peak(limit: int) -> Iterator[None]:
    """Fail when Python-level allocations (numpy's included) peak above ``limit``.

    Used around parsing: a DuckDB query (the Records.json fast path) can crash the
    process under a lowered RLIMIT_AS instead of raising, so the address-space cap
    is kept for reading archives only.
    """
    tracemalloc.start()
    try:
        yield
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limit, f"peak {peak / MiB:.0f} MiB"


# -- hand-made zips -----------------------------------------------------------
def zip_entry(name: str, data: bytes, *, method: int = 8, declared: int | None = None,
              unix_mode: int | None = None) -> dict[str, object]:
    """One member for ``raw_zip``; ``declared`` is the (possibly lying) uncompressed size."""
    comp = data if method == 0 else _deflate(data)
    return {"name": name.encode(), "comp": comp, "method": method, "crc": zlib.crc32(data),
            "usize": len(data) if declared is None else declared, "mode": unix_mode}


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def raw_zip(entries: list[dict[str, object]]) -> tuple[bytes, int]:
    """A zip written by hand (so headers can lie); returns the bytes and where the central directory starts."""
    out = bytearray()
    central = bytearray()
    for e in entries:
        off = len(out)
        name, comp = e["name"], e["comp"]
        assert isinstance(name, bytes) and isinstance(comp, bytes)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, e["method"], 0, 0x5821, e["crc"],
                           len(comp), e["usize"], len(name), 0) + name + comp
        mode = e["mode"]
        made_by = (3 << 8 | 20) if mode is not None else 20
        ext = (int(mode) << 16) if mode is not None else 0  # type: ignore[call-overload]
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", made_by, 20, 0, e["method"], 0, 0x5821,
                               e["crc"], len(comp), e["usize"], len(name), 0, 0, 0, 0, ext, off) + name
    cd_at = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), cd_at, 0)
    return bytes(out), cd_at


def bomb_deflate(head: bytes, blocks: int, tail: bytes) -> tuple[bytes, int, int]:
    """A raw deflate stream of ``head`` + ``blocks`` x ~1 MiB of padding + ``tail``, built cheaply.

    After a full flush the compressor forgets its history, so one compressed block
    can be repeated. The padding is one JSON object's key set again and again
    (constant memory for any parser), so only the size limits can stop it.
    Returns (stream, crc, real size).
    """
    unit = b', "p": "' + b"A" * 1000 + b'"'
    block = unit * (MiB // len(unit))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    rep = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return first + rep * blocks + last, crc, len(head) + blocks * len(block) + len(tail)


def bomb_entry(name: str, mib: int, *, declared: int | None = None) -> dict[str, object]:
    head = (b'{"locations": [{"latitudeE7": 488566000, "longitudeE7": 23522000, "timestamp": "2024-03-01T10:00:00Z"},'
            b' {"q": 0')
    comp, crc, real = bomb_deflate(head, mib, b"}]}")
    return {"name": name.encode(), "comp": comp, "method": 8, "crc": crc,
            "usize": real if declared is None else declared, "mode": None}


def zinfo(name: str, mode: int | None = None) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    zi.compress_type = zipfile.ZIP_DEFLATED
    if mode is not None:
        zi.create_system = 3
        zi.external_attr = mode << 16
    return zi


def tar_with(path: Path, members: list[tarfile.TarInfo], good: bytes = b"{}") -> Path:
    with tarfile.open(path, "w:gz") as t:
        ok = tarfile.TarInfo("export/ok.json")
        ok.size = len(good)
        t.addfile(ok, io.BytesIO(good))
        for ti in members:
            t.addfile(ti, io.BytesIO(b"x" * ti.size) if ti.isfile() else None)
    return path


# -- member names and file types -------------------------------------------------
HOSTILE_NAMES = ["/etc/passwd", "../evil.json", "Takeout/../../evil.json", "C:/Windows/evil.json",
                 "..\\evil.json"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_zip_with_escaping_member_name_is_refused_naming_it(tmp_path: Path, name: str) -> None:
    p = tmp_path / "hostile.zip"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr(zinfo("Takeout/ok.json"), "{}")
        z.writestr(zinfo(name), "{}")
    assert name in zipfile.ZipFile(p).namelist()  # the hostile name really is in the zip
    with open_archive(p) as arch, pytest.raises(UnsafeArchive) as ei:
        arch.members()
    assert ei.value.archive == "hostile.zip" and ei.value.member == name
    assert "hostile.zip" in str(ei.value) and name in str(ei.value)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_tar_with_escaping_member_name_is_refused_naming_it(tmp_path: Path, name: str) -> None:
    ti = tarfile.TarInfo(name)
    ti.size = 2
    p = tar_with(tmp_path / "hostile.tar.gz", [ti])
    with open_archive(p) as arch, pytest.raises(UnsafeArchive) as ei:
        arch.members()
    assert ei.value.member == name and "hostile.tar.gz" in str(ei.value)


@pytest.mark.parametrize(("kind", "why"), [
    (tarfile.SYMTYPE, "link"), (tarfile.LNKTYPE, "link"), (tarfile.CHRTYPE, "device"),
    (tarfile.BLKTYPE, "device"), (tarfile.FIFOTYPE, "pipe"),
])
def test_tar_links_devices_and_pipes_are_refused(tmp_path: Path, kind: bytes, why: str) -> None:
    ti = tarfile.TarInfo("export/strange")
    ti.type = kind
    ti.linkname = "/etc/shadow" if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE) else ""
    p = tar_with(tmp_path / "odd.tar.gz", [ti])
    with open_archive(p) as arch, pytest.raises(UnsafeArchive) as ei:
        arch.members()
    assert ei.value.member == "export/strange" and why in str(ei.value) and "odd.tar.gz" in str(ei.value)


@pytest.mark.parametrize(("mode", "why"), [(stat.S_IFLNK | 0o777, "symbolic link"),
                                           (stat.S_IFCHR | 0o644, "device")])
def test_zip_member_marked_as_link_or_device_is_refused(tmp_path: Path, mode: int, why: str) -> None:
    p = tmp_path / "links.zip"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr(zinfo("Takeout/ok.json"), "{}")
        z.writestr(zinfo("Takeout/passwd", mode), "/etc/passwd")
    with open_archive(p) as arch, pytest.raises(UnsafeArchive) as ei:
        arch.members()
    assert ei.value.member == "Takeout/passwd" and why in str(ei.value) and "links.zip" in str(ei.value)


def test_clean_member_path_normalises_harmless_forms() -> None:
    assert clean_member_path("a.zip", "Takeout//./x\\y.json") == "Takeout/x/y.json"
    with pytest.raises(UnsafeArchive):
        clean_member_path("a.zip", "ok/\x00/x")


def test_folder_links_are_not_followed_outside_and_the_rest_is_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_text("{}")
    (outside / "Records.json").write_bytes(records_json(50))
    root = make_export(tmp_path, "export", {RECORDS: records_json(3)})
    (root / "Takeout" / "leak.json").symlink_to(outside / "secret.json")
    (root / "Takeout" / "Location History").symlink_to(outside)  # a folder link leading out
    (root / "Takeout" / "same.json").symlink_to(root / RECORDS)  # a link that stays inside
    with open_archive(root) as arch:
        paths = [m.path for m in arch.members()]
        assert paths == [RECORDS]
        recs, issues = parse_all(arch)
    assert len(recs) == 3  # the 50 points behind the outward link are not read
    by_member = {i.member: i for i in issues}
    for link in ("Takeout/leak.json", "Takeout/Location History"):
        assert "leads outside the folder" in by_member[link].message
        assert by_member[link].level == "error" and by_member[link].archive == "export"
    assert by_member["Takeout/same.json"].level == "info"


def test_folder_member_swapped_for_a_link_after_listing_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"secret": 1}')
    root = make_export(tmp_path, "export", {"a/b/x.json": "{}", "c.json": "{}"})
    with open_archive(root) as arch:
        infos = {m.path: m for m in arch.members()}
        (root / "c.json").unlink()
        (root / "c.json").symlink_to(secret)
        os.rename(root / "a" / "b", root / "a" / "b2")
        (root / "a" / "b").symlink_to(tmp_path)
        (tmp_path / "x.json").write_text('{"secret": 2}')
        for path in ("c.json", "a/b/x.json"):
            with pytest.raises(MemberError) as ei:
                arch.open(infos[path]).read()
            assert ei.value.member == path and ei.value.archive == "export"


def test_audit_goes_on_past_refused_inputs_and_lists_each_refusal(tmp_path: Path) -> None:
    bad_zip = tmp_path / "dotdot.zip"
    with zipfile.ZipFile(bad_zip, "w") as z:
        z.writestr(zinfo("../../evil.json"), "{}")
    link_zip = tmp_path / "link.zip"
    with zipfile.ZipFile(link_zip, "w") as z:
        z.writestr(zinfo("Takeout/l", stat.S_IFLNK | 0o777), "/etc/passwd")
    sym = tarfile.TarInfo("export/l")
    sym.type, sym.linkname = tarfile.SYMTYPE, "/etc/passwd"
    sym_tar = tar_with(tmp_path / "sym.tar.gz", [sym])
    fifo = tarfile.TarInfo("export/f")
    fifo.type = tarfile.FIFOTYPE
    fifo_tar = tar_with(tmp_path / "fifo.tar.gz", [fifo])
    not_archive = tmp_path / "notes.txt"
    not_archive.write_text("hello")
    good = make_export(tmp_path, "good", {RECORDS: records_json(4)})
    res = run_audit([bad_zip, link_zip, sym_tar, good, fifo_tar, not_archive], tmp_path / "out",
                    write_report=False)
    assert res.total_records == 4
    assert len(res.refused) == 5
    for name, member in [("dotdot.zip", "../../evil.json"), ("link.zip", "Takeout/l"),
                         ("sym.tar.gz", "export/l"), ("fifo.tar.gz", "export/f"), ("notes.txt", None)]:
        [line] = [r for r in res.refused if r.startswith(name)]
        assert member is None or member in line
    assert res.exit_code == 3


# -- end record: member counts --------------------------------------------------------
def _small_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zinfo(RECORDS), records_json(2))
    return buf.getvalue()


def _no_zipfile(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*a: object, **k: object) -> None:
        raise AssertionError("the zip was walked before its member count was checked")

    monkeypatch.setattr(A.zipfile, "ZipFile", refuse)


def test_zip64_end_record_declaring_a_million_members_is_refused_before_walking(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _small_zip()
    eocd_at = data.rindex(b"PK\x05\x06")
    (_, _, _, _, _, cd_size, cd_off, _) = struct.unpack("<4sHHHHIIH", data[eocd_at: eocd_at + 22])
    body = data[:eocd_at]
    z64_at = len(body)
    z64 = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, 1_000_000, 1_000_000, cd_size, cd_off)
    loc = struct.pack("<4sIQI", b"PK\x06\x07", 0, z64_at, 1)
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    p = tmp_path / "million.zip"
    p.write_bytes(body + z64 + loc + eocd)
    assert A.zip_declared_count(p) == 1_000_000
    _no_zipfile(monkeypatch)
    with open_archive(p) as arch, pytest.raises(UnsafeArchive) as ei:
        arch.members()
    assert "million.zip" in str(ei.value) and "1,000,000" in str(ei.value)


def test_plain_end_record_over_the_limit_is_refused_before_walking(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = bytearray(_small_zip())
    i = data.rindex(b"PK\x05\x06")
    data[i + 8: i + 12] = struct.pack("<HH", 65535, 65535)
    p = tmp_path / "many.zip"
    p.write_bytes(bytes(data))
    monkeypatch.setattr(A, "MAX_MEMBERS", 60_000)
    _no_zipfile(monkeypatch)
    with open_archive(p) as arch, pytest.raises(UnsafeArchive, match="declares 65,535 members"):
        arch.members()


def test_central_directory_hiding_more_members_than_declared_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(120):
            z.writestr(zinfo(f"f{i}.json"), "{}")
    data = bytearray(buf.getvalue())
    i = data.rindex(b"PK\x05\x06")
    data[i + 8: i + 12] = struct.pack("<HH", 10, 10)  # the end record lies: 10 members
    p = tmp_path / "liar.zip"
    p.write_bytes(bytes(data))
    monkeypatch.setattr(A, "MAX_MEMBERS", 50)
    _no_zipfile(monkeypatch)
    with open_archive(p) as arch, pytest.raises(UnsafeArchive, match="more than 50 members"):
        arch.members()


# -- sizes: lying headers, bombs, per-kind limits ----------------------------------------
def _profile_handler(monkeypatch: pytest.MonkeyPatch, max_bytes: int) -> sources.Handler:
    """A throw-away handler for a small kind of file, registered for one test only."""
    from reflet.sources._common import load_json

    def parse(member: sources.Member) -> Iterator[ParseIssue]:
        data = load_json(member)
        yield member.issue("/", f"read {type(data).__name__}", level="info")

    h = sources.Handler(platform="test", name="test.profile", title="Profile", pattern=r"profile\.json",
                        parse=parse, example="x/profile.json", max_bytes=max_bytes)
    sources.load()
    monkeypatch.setitem(sources._HANDLERS, h.name, h)
    return h


def test_understated_size_with_central_directory_gives_a_clear_error_in_bounded_memory(tmp_path: Path) -> None:
    data, _ = raw_zip([bomb_entry(RECORDS, 300, declared=100)])
    p = tmp_path / "liar.zip"
    p.write_bytes(data)
    with python_peak(128 * MiB), open_archive(p) as arch:
        recs, issues = parse_all(arch)
    assert recs == []
    [issue] = [i for i in issues if i.member == RECORDS]
    assert "liar.zip" in issue.message and RECORDS in issue.message
    assert "damaged" in issue.message or "refused" in issue.message


@pytest.mark.parametrize("declared", [100, None])
def test_bomb_in_a_zip_without_central_directory_stops_at_the_ratio_limit(tmp_path: Path,
                                                                         declared: int | None) -> None:
    data, cd_at = raw_zip([bomb_entry(RECORDS, 150, declared=declared)])
    p = tmp_path / "bomb.zip"
    p.write_bytes(data[:cd_at + 10])  # the central directory is cut off: local headers are all there is
    with open_archive(p) as arch:
        with memory_cap(160 * MiB):
            [info] = arch.members()
            with arch.open(info, limit=16 * 1024 * MiB) as f, pytest.raises(MemberTooLarge) as ei:
                while f.read(1 << 20):
                    pass
        assert info.compressed is not None and info.compressed < 1_000_000
        assert f.bytes_read <= max(A.RATIO_FLOOR, info.compressed * A.MAX_RATIO) + (1 << 20) < 150 * MiB
        with python_peak(256 * MiB):
            recs, issues = parse_all(arch)
    assert "bomb.zip" in str(ei.value) and RECORDS in str(ei.value) and "200 times" in str(ei.value)
    assert len(recs) == 1  # the point before the padding is read
    assert any(i.member == RECORDS and "200 times" in i.message for i in issues)


def test_honest_bomb_with_central_directory_stops_at_the_ratio_limit(tmp_path: Path) -> None:
    data, _ = raw_zip([bomb_entry(RECORDS, 300)])
    p = tmp_path / "bomb.zip"
    p.write_bytes(data)
    with python_peak(256 * MiB), open_archive(p) as arch:
        recs, issues = parse_all(arch)
    assert len(recs) == 1
    assert any(i.member == RECORDS and "expands more than 200 times" in i.message for i in issues)


def test_per_kind_limit_applies_whatever_the_header_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _profile_handler(monkeypatch, max_bytes=1 * MiB)
    big = b'{"name": "' + b"a" * (3 * MiB) + b'"}'
    honest, _ = raw_zip([zip_entry("x/profile.json", big)])
    liar, cd_at = raw_zip([zip_entry("x/profile.json", big, declared=50)])
    (tmp_path / "honest.zip").write_bytes(honest)
    (tmp_path / "liar.zip").write_bytes(liar[:cd_at])
    for name, expect in [("honest.zip", "over the 1.0 MiB limit"), ("liar.zip", "larger than 1.0 MiB")]:
        with open_archive(tmp_path / name) as arch:
            _, issues = parse_all(arch)
        msgs = [i.message for i in issues if i.member == "x/profile.json"]
        assert any(expect in m and name in m for m in msgs), msgs


def test_big_records_json_is_allowed_while_a_big_profile_is_refused(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _profile_handler(monkeypatch, max_bytes=1 * MiB)
    root = tmp_path / "export"
    (root / "Takeout" / "Location History").mkdir(parents=True)
    big_records = root / "Takeout" / "Location History" / "Records.json"
    head = records_json(5)[:-3] + b", "  # five points, then the file runs on (sparse, costs no disk)
    big_records.write_bytes(head)
    os.truncate(big_records, 300 * MiB)  # over the default 256 MiB, under Records.json's 16 GiB
    (root / "profile.json").write_bytes(b'{"name": "' + b"a" * (2 * MiB) + b'"}')
    with open_archive(root) as arch:
        recs, issues = parse_all(arch)
    assert len(recs) == 5  # recognised and read despite its size; the NUL bytes end it with an issue
    assert any(i.member.endswith("Records.json") and "breaks off after entry 4" in i.message for i in issues)
    [prof] = [i for i in issues if i.member == "profile.json"]
    assert "over the 1.0 MiB limit" in prof.message and "export" in prof.message


def test_read_never_allocates_more_than_the_limit(tmp_path: Path) -> None:
    root = make_export(tmp_path, "e", {"a.json": "{}"})
    with open_archive(root) as arch:
        [info] = arch.members()
        with memory_cap(256 * MiB), arch.open(info) as f:
            assert f.read(10**12) == b"{}"  # a huge request must not allocate a huge buffer


# -- damaged zips ------------------------------------------------------------------------
class Unseekable(io.RawIOBase):
    """A write-only stream that cannot seek: zipfile then writes data descriptors (flag bit 3)."""

    def __init__(self) -> None:
        super().__init__()
        self.buf = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self.buf += b
        return len(b)


def _zip_bytes(files: dict[str, bytes], *, streaming: bool, method: int = zipfile.ZIP_DEFLATED,
               zip64: bool = False) -> bytes:
    out: io.BytesIO | Unseekable = Unseekable() if streaming else io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:  # type: ignore[arg-type]
        for name, data in files.items():
            zi = zinfo(name)
            zi.compress_type = method
            with z.open(zi, "w", force_zip64=zip64) as w:
                w.write(data)
    return bytes(out.buf) if isinstance(out, Unseekable) else out.getvalue()


@pytest.mark.parametrize("zip64", [False, True])
@pytest.mark.parametrize("streaming", [False, True])
@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_zip_cut_in_central_directory_yields_every_member(tmp_path: Path, streaming: bool, method: int,
                                                          zip64: bool) -> None:
    # x.txt holds a descriptor signature: finding where a streamed member ends must not be fooled by it.
    files = {RECORDS: records_json(40), "Takeout/other.json": b'{"a": 1}', "Takeout/x.txt": b"PK\x07\x08 text"}
    data = _zip_bytes(files, streaming=streaming, method=method, zip64=zip64)
    assert bool(zipfile.ZipFile(io.BytesIO(data)).infolist()[0].flag_bits & 0x08) == streaming
    cd_at = data.index(b"PK\x01\x02")
    p = tmp_path / "cut.zip"
    p.write_bytes(data[: cd_at + 30])
    with open_archive(p) as arch:
        assert [m.path for m in arch.members()] == list(files)
        for m in arch.members():
            with arch.open(m) as f:
                assert f.read() == files[m.path]
        recs, issues = parse_all(arch)
    assert len(recs) == 40
    [warn] = issues
    assert warn.level == "warning" and "3 member(s) recovered" in warn.message and warn.archive == "cut.zip"


@pytest.mark.parametrize("streaming", [False, True])
def test_zip_cut_inside_a_member_reads_its_beginning_and_reports_the_cut(tmp_path: Path, streaming: bool) -> None:
    big = records_json(3000)
    files = {"Takeout/first.json": b'{"a": 1}', RECORDS: big, "Takeout/after.json": b"{}"}
    data = _zip_bytes(files, streaming=streaming)
    start = data.index(RECORDS.encode()) + len(RECORDS)
    end = data.index(b"PK\x03\x04", start)
    p = tmp_path / "takeout-20240101T000000Z-001.zip"
    p.write_bytes(data[: (start + end) // 2])
    with open_archive(p) as arch:
        assert [m.path for m in arch.members()] == ["Takeout/first.json", RECORDS]
        recs, issues = parse_all(arch)
    assert 0 < len(recs) < 3000
    assert [r.provenance.locator for r in recs] == [f"/locations/{i}" for i in range(len(recs))]
    cut = [i for i in issues if i.member == RECORDS]
    assert any("cut off" in i.message and i.archive == p.name for i in cut)
    res = run_audit([p], tmp_path / "out", write_report=False)
    assert res.total_records == len(recs) and (p.name, RECORDS) in res.issues_by_file


def test_zip_with_corrupted_data_reports_the_member_and_reads_the_others(tmp_path: Path) -> None:
    files = {RECORDS: records_json(30), "Takeout/b/Records.json": records_json(7)}
    data = bytearray(_zip_bytes(files, streaming=False))
    at = data.index(RECORDS.encode()) + len(RECORDS) + 40
    data[at: at + 8] = b"\x00\xff" * 4
    p = tmp_path / "flipped.zip"
    p.write_bytes(bytes(data))
    with open_archive(p) as arch:
        recs, issues = parse_all(arch)
    assert sum(r.provenance.member == "Takeout/b/Records.json" for r in recs) == 7
    assert any(i.member == RECORDS and "flipped.zip" in i.message for i in issues)


def test_compressed_tar_whose_member_declares_a_bomb_is_refused_while_listing(tmp_path: Path) -> None:
    import gzip

    ti = tarfile.TarInfo("export/huge.json")
    ti.size = 50 * 1024**3  # 50 GiB declared in a file of a few hundred bytes
    p = tmp_path / "bomb.tar.gz"
    p.write_bytes(gzip.compress(ti.tobuf(format=tarfile.PAX_FORMAT) + b"{}" + b"\0" * 1024))
    with open_archive(p) as arch, pytest.raises(UnsafeArchive) as ei:
        arch.members()
    assert ei.value.member == "export/huge.json" and "200 times" in str(ei.value)


def test_not_a_zip_at_all_is_unreadable(tmp_path: Path) -> None:
    p = tmp_path / "fake.zip"
    p.write_bytes(b"this is not a zip" * 10)
    with open_archive(p) as arch, pytest.raises(UnreadableArchive, match=r"fake\.zip"):
        arch.members()


def test_duplicate_members_keep_the_first_and_say_so(tmp_path: Path) -> None:
    p = tmp_path / "dup.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(p, "w") as z:
        warnings.simplefilter("ignore")
        z.writestr(zinfo(RECORDS), records_json(2))
        z.writestr(zinfo(RECORDS), records_json(9))
    with open_archive(p) as arch:
        recs, issues = parse_all(arch)
    assert len(recs) == 2
    assert any(i.member == RECORDS and "twice" in i.message for i in issues)


# -- multi-part exports ---------------------------------------------------------------------
def _zip(path: Path, files: dict[str, bytes]) -> Path:
    path.write_bytes(_zip_bytes(files, streaming=False))
    return path


def test_takeout_parts_are_read_as_one_export_with_the_right_part_named(tmp_path: Path) -> None:
    p1 = _zip(tmp_path / "takeout-20240101T000000Z-001.zip", {RECORDS: records_json(3)})
    p2 = _zip(tmp_path / "takeout-20240101T000000Z-002.zip",
              {"Takeout/Location History/Records.json": records_json(5, start=100)})
    [group] = group_parts([p2, p1])
    assert group == [p1, p2]
    [arch] = list(open_inputs([p1, p2]))
    assert isinstance(arch, MultiPartArchive)
    with arch:
        recs, _ = parse_all(arch)
    parts = {(r.provenance.archive, r.provenance.member) for r in recs}
    assert parts == {(p1.name, RECORDS), (p2.name, "Takeout/Location History/Records.json")}
    res = run_audit([p1, p2], tmp_path / "out", write_report=False)
    assert res.total_records == 8


def test_facebook_parts_group_and_unrelated_zips_stay_apart(tmp_path: Path) -> None:
    names = ["facebook-alice-2024-01-01-AbCd.zip", "facebook-alice-2024-01-01-EfGh.zip",
             "export-alice-20230404.zip", "export-alice-20240101.zip",
             "takeout-20240101T000000Z-001.zip", "takeout-20240301T000000Z-001.zip", "photos-2023.zip"]
    paths = [_zip(tmp_path / n, {f"{n}/a.json": b"{}"}) for n in names]
    groups = group_parts(paths)
    assert [[p.name for p in g] for g in groups] == [[names[0], names[1]]] + [[n] for n in names[2:]]


def test_member_in_two_parts_is_read_once_and_reported(tmp_path: Path) -> None:
    p1 = _zip(tmp_path / "facebook-alice-2024-01-01-AbCd.zip", {RECORDS: records_json(3)})
    p2 = _zip(tmp_path / "facebook-alice-2024-01-01-EfGh.zip", {RECORDS: records_json(4)})
    with open_archive([p1, p2]) as arch:
        recs, issues = parse_all(arch)
    assert len(recs) == 3 and {r.provenance.archive for r in recs} == {p1.name}
    assert any(i.member == RECORDS and "appears in" in i.message for i in issues)


def test_damaged_part_does_not_hide_the_others(tmp_path: Path) -> None:
    p1 = tmp_path / "takeout-20240101T000000Z-001.zip"
    p1.write_bytes(b"garbage" * 100)
    p2 = _zip(tmp_path / "takeout-20240101T000000Z-002.zip", {RECORDS: records_json(3)})
    res = run_audit([p1, p2], tmp_path / "out", write_report=False)
    assert res.total_records == 3
    assert any(a == p1.name for a, _ in res.issues_by_file)


# -- one content, three containers ---------------------------------------------------------
def test_folder_zip_and_tar_give_identical_records(tmp_path: Path) -> None:
    files = {RECORDS: records_json(25), "Takeout/Location History/Location History.json": records_json(4),
             "Takeout/readme.txt": "not a source"}
    seen = {}
    for container in CONTAINERS:
        path = make_export(tmp_path / container, "export", files, container=container)
        with open_archive(path) as arch:
            recs, issues = parse_all(arch)
        assert issues == []
        seen[container] = sorted((r.provenance.member, r.provenance.locator, r.time, r.lat, r.lon) for r in recs)
    assert len(seen["dir"]) == 29
    assert seen["dir"] == seen["zip"] == seen["tar.gz"]


# -- fingerprints ------------------------------------------------------------------------
def _fp(path: Path) -> str:
    with open_archive(path) as arch:
        return arch.fingerprint()


@pytest.mark.parametrize("container", ["zip", "tar.gz", "tar"])
def test_fingerprint_follows_content_not_packing_time(tmp_path: Path, container: str) -> None:
    files = {RECORDS: records_json(5)}
    a = make_export(tmp_path / "a", "export", files, container=container)
    b = make_export(tmp_path / "b", "export", files, container=container)
    if container == "zip":  # packed at another time: only the zip's own time stamps differ
        with zipfile.ZipFile(b, "w") as z:
            zi = zipfile.ZipInfo(RECORDS, date_time=(2020, 5, 5, 5, 5, 5))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, files[RECORDS])
    assert _fp(a) == _fp(b) == _fp(a)
    changed = records_json(5).replace(b"488566001", b"488566009")  # one digit: same size
    assert len(changed) == len(files[RECORDS])
    c = make_export(tmp_path / "c", "export", {RECORDS: changed}, container=container)
    assert _fp(c) != _fp(a)


def test_folder_fingerprint_changes_when_a_member_changes(tmp_path: Path) -> None:
    root = make_export(tmp_path, "export", {RECORDS: records_json(5)})
    first = _fp(root)
    assert _fp(root) == first
    target = root / RECORDS
    st = target.stat()
    target.write_bytes(records_json(5).replace(b"488566001", b"488566009"))
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert _fp(root) != first


def test_multipart_fingerprint_changes_with_any_part(tmp_path: Path) -> None:
    p1 = _zip(tmp_path / "takeout-20240101T000000Z-001.zip", {RECORDS: records_json(3)})
    p2 = _zip(tmp_path / "takeout-20240101T000000Z-002.zip", {"Takeout/b.json": b"{}"})
    first = _fp_multi([p1, p2])
    assert _fp_multi([p1, p2]) == first
    _zip(p2, {"Takeout/b.json": b"[]"})
    assert _fp_multi([p1, p2]) != first


def _fp_multi(paths: list[Path]) -> str:
    with open_archive(paths) as arch:
        return arch.fingerprint()


def test_whole_file_locator_is_the_sources_one() -> None:
    assert A.WHOLE_FILE == sources.WHOLE_FILE


def test_bomb_cut_off_inside_its_data_still_stops_at_the_ratio_limit(tmp_path: Path) -> None:
    data, cd_at = raw_zip([bomb_entry(RECORDS, 300, declared=100)])
    p = tmp_path / "cut-bomb.zip"
    p.write_bytes(data[: cd_at - 100])
    with python_peak(256 * MiB), open_archive(p) as arch:
        [info] = arch.members()
        recs, issues = parse_all(arch)
    assert info.compressed == cd_at - 100 - 30 - len(RECORDS)  # what is there, not what was declared
    assert len(recs) == 1
    assert any("cut off" in i.message and i.member == RECORDS for i in issues)
    assert any("200 times" in i.message and i.member == RECORDS for i in issues)


# -- damaged containers, at random ----------------------------------------------------------
_FUZZ_FILES = {RECORDS: records_json(30), "Takeout/a.json": b'{"a": [1, 2, 3]}', "Takeout/b.txt": b"hello " * 50}


def _containers() -> dict[str, bytes]:
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w:gz") as t:
        for name, data in _FUZZ_FILES.items():
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    return {"zip": _zip_bytes(_FUZZ_FILES, streaming=False), "stream.zip": _zip_bytes(_FUZZ_FILES, streaming=True),
            "stored.zip": _zip_bytes(_FUZZ_FILES, streaming=True, method=zipfile.ZIP_STORED),
            "tar.gz": tar.getvalue()}


_CONTAINERS = _containers()


@settings(max_examples=int(os.environ.get("REFLET_FUZZ_EXAMPLES", "0")) or 60, deadline=None,
          derandomize=not os.environ.get("REFLET_FUZZ_EXAMPLES"),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(_CONTAINERS)), data=st.data())
def test_damaged_container_never_escapes_as_a_bare_error(tmp_path: Path, kind: str, data: st.DataObject) -> None:
    raw = bytearray(_CONTAINERS[kind])
    if data.draw(st.booleans(), label="truncate"):
        raw = raw[: data.draw(st.integers(0, len(raw)), label="at")]
    for _ in range(data.draw(st.integers(0, 6), label="flips")):
        if raw:
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] ^= data.draw(st.integers(1, 255))
    p = tmp_path / f"damaged.{kind}"
    p.write_bytes(bytes(raw))
    try:
        arch = open_archive(p)
        members = arch.members()
    except (UnsafeArchive, UnreadableArchive) as exc:
        assert "damaged." in str(exc)
        return
    with arch:
        for m in members:
            try:
                with arch.open(m) as f:
                    while f.read(1 << 16):
                        pass
            except MemberError as exc:
                assert exc.member == m.path and exc.archive == p.name
        _, issues = parse_all(arch)  # nothing may raise here
    for i in issues:
        assert i.archive == p.name and i.locator
