"""Hostile sizes, each read under a lowered address-space limit (RLIMIT_AS) and a time bound.

tests/test_archive.py covers the shapes of hostile archives (path escapes, links, bombs,
end records that lie). Here the point is resources: every case must finish within a
memory budget far below what reading the input whole would take, and say what it did.
The budget is a *soft* ``RLIMIT_AS`` set above the process's current size and restored
afterwards; going over it makes allocations fail (MemoryError), so a test that passes
proves the memory was never needed.
"""

from __future__ import annotations

import io
import resource
import struct
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson

from reflet import sources
from reflet.archive import open_archive
from reflet.audit import run_audit
from reflet.store import Store

MB = 1024 * 1024


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {key}")


@contextmanager
def memory_budget(rss: int, seconds: float, address_space: int = 3 * 1024 * MB) -> Iterator[None]:
    """At most ``rss`` bytes more resident memory than now, ``seconds``, and an address-space backstop.

    The resident peak is what the person's machine pays; it is reset first (clear_refs 5),
    then read back. ``RLIMIT_AS`` (soft, restored afterwards) is only a backstop that turns a
    runaway allocation into a MemoryError: DuckDB reserves far more address space than it
    touches (2.3 GB virtual for 430 MB resident here), so it cannot be the measure.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (_status("VmSize") + address_space, hard))
    Path("/proc/self/clear_refs").write_text("5")
    base = _status("VmRSS")
    started = time.monotonic()
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    took = time.monotonic() - started
    grew = _status("VmHWM") - base
    assert grew < rss, f"resident memory grew by {grew / MB:.0f} MB (budget {rss / MB:.0f} MB)"
    assert took < seconds


def _audit(inputs: list[Path], out: Path) -> tuple[object, list[tuple[object, ...]], list[tuple[object, ...]]]:
    result = run_audit(inputs, out, write_report=False)
    with Store(out / "audit.duckdb", read_only=True) as s:
        issues = s.query("SELECT member, locator, message FROM parse_issue ORDER BY ALL")
        log = s.query("SELECT member, status, reason FROM member_log ORDER BY ALL")
    return result, issues, log


def _entry(i: int) -> bytes:
    return orjson.dumps({"latitudeE7": 485_000_000 + i % 99_991, "longitudeE7": 23_000_000 + (i * 7) % 99_989,
                         "accuracy": 5 + i % 40, "source": "WIFI", "deviceTag": 777,
                         "timestamp": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z"})


def test_single_line_records_json_is_read_in_bounded_memory(tmp_path: Path) -> None:
    # 46 MB on ONE line (no newline anywhere), streamed into a zip member. reflet reads it in
    # 8 MB blocks whatever the line length; the resident growth here is mostly DuckDB's buffers
    # and the enrichment tables, and stays flat with the file size (bench/README.md: 500 MB
    # -> ~0.5 GB peak, where google-takeout-parser takes ~6x the file size).
    n = 360_000
    path = tmp_path / "takeout.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z, \
            z.open("Takeout/Location History/Records.json", "w", force_zip64=True) as f:
        f.write(b'{"locations":[')
        for start in range(0, n, 10_000):
            f.write(b",".join(_entry(i) for i in range(start, min(n, start + 10_000))) + (b"," if start + 10_000 < n
                                                                                         else b""))
        f.write(b"]}")
    with zipfile.ZipFile(path) as z:
        size = z.infolist()[0].file_size
        assert size > 40 * MB
    with memory_budget(450 * MB, seconds=120):
        result, issues, _ = _audit([path], tmp_path / "out")
    assert issues == [] and result.total_records == n  # type: ignore[attr-defined]


def _zip_with_members(n: int) -> bytes:
    """A real zip of ``n`` empty members (every header present), built without zipfile's overhead."""
    local, central = [], []
    offset = 0
    for i in range(n):
        name = b"f%07d" % i
        lh = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 0, 0, 0x21, 0, 0, 0, len(name), 0) + name
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 0, 0, 0x21, 0, 0, 0,
                                   len(name), 0, 0, 0, 0, 0o644 << 16, offset) + name)
        local.append(lh)
        offset += len(lh)
    cd = b"".join(central)
    cd_off = offset
    eocd64 = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, n, n, len(cd), cd_off)
    loc = struct.pack("<4sIQI", b"PK\x06\x07", 0, cd_off + len(cd), 1)
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return b"".join(local) + cd + eocd64 + loc + eocd


def test_zip_with_a_million_real_members_is_refused_before_walking(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    path.write_bytes(_zip_with_members(1_000_000))
    assert path.stat().st_size > 80 * MB
    # Walking a million ZipInfo objects takes ~1 GB and a minute; refusing takes neither.
    with memory_budget(100 * MB, seconds=20):
        result, _, _ = _audit([path], tmp_path / "out")
    assert len(result.refused) == 1  # type: ignore[attr-defined]
    assert "many.zip" in result.refused[0] and "1,000,000 members" in result.refused[0]  # type: ignore[attr-defined]


def test_fifty_nested_zips_are_reported_not_opened(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("Takeout/Location History/Records.json", orjson.dumps({"locations": [orjson.loads(_entry(0))]}))
    data = buf.getvalue()
    for level in range(50):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(f"level{level}.zip", data)
        data = buf.getvalue()
    path = tmp_path / "nested.zip"
    path.write_bytes(data)
    with memory_budget(100 * MB, seconds=60):
        result, _, log = _audit([path], tmp_path / "out")
    assert result.total_records == 0 and result.exit_code == 1  # type: ignore[attr-defined]
    assert len(log) == 1
    member, status, reason = log[0]
    assert member == "level49.zip" and status == "unrecognised"
    assert "archive inside this export" in str(reason) and "does not open archives within archives" in str(reason)


def test_ten_megabyte_string_fields_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    locs = [orjson.loads(_entry(i)) for i in range(200)]
    locs[5]["source"] = "A" * 10_000_000
    locs[6]["deviceTag"] = "7" * 10_000_000
    folder = tmp_path / "takeout" / "Takeout" / "Location History"
    folder.mkdir(parents=True)
    (folder / "Records.json").write_bytes(orjson.dumps({"locations": locs}))  # 20 MB: the fast path reads it
    # Before this limit, the 10 MB deviceTag became a grouping key and took ~1 GB.
    with memory_budget(300 * MB, seconds=60):
        result, issues, _ = _audit([tmp_path / "takeout"], tmp_path / "out")
    assert result.total_records == 198  # type: ignore[attr-defined]
    assert [(loc, msg) for _, loc, msg in issues] == [
        ("/locations/5", "source is 10,000,000 characters long: not a real value"),
        ("/locations/6", "deviceTag is 10,000,000 characters long: not a real value"),
    ]


def _set_sizes(data: bytes, name: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size both headers give for member ``name``."""
    out = bytearray(data)
    i = out.find(b"PK\x03\x04" + b"")
    while i >= 0:
        n_len = struct.unpack_from("<H", out, i + 26)[0]
        if out[i + 30:i + 30 + n_len] == name:
            struct.pack_into("<I", out, i + 22, size)
        i = out.find(b"PK\x03\x04", i + 4)
    j = out.find(b"PK\x01\x02")
    while j >= 0:
        n_len = struct.unpack_from("<H", out, j + 28)[0]
        if out[j + 46:j + 46 + n_len] == name:
            struct.pack_into("<I", out, j + 24, size)
        j = out.find(b"PK\x01\x02", j + 4)
    return bytes(out)


def test_zip_claiming_a_4_gb_member_is_refused_without_allocating_it(tmp_path: Path) -> None:
    name = b"Takeout/Location History/Settings.json"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name.decode(), b'{"deviceSettings": []}')
        z.writestr("Takeout/Location History/Records.json", orjson.dumps({"locations": [orjson.loads(_entry(1))]}))
    path = tmp_path / "liar.zip"
    path.write_bytes(_set_sizes(buf.getvalue(), name, 0xFFFFFFF0))
    with memory_budget(100 * MB, seconds=60):
        result, issues, _ = _audit([path], tmp_path / "out")
    assert result.total_records == 1  # the honest member is still read  # type: ignore[attr-defined]
    assert [(m, msg) for m, _, msg in issues] == [
        (name.decode(), f"liar.zip: {name.decode()}: refused: it is 4.0 GiB, over the 16.0 MiB limit for this kind "
                        "of file")]


def test_a_records_json_bigger_than_the_default_limit_is_still_recognised(tmp_path: Path) -> None:
    folder = tmp_path / "takeout" / "Takeout" / "Location History"
    folder.mkdir(parents=True)
    with open(folder / "Records.json", "wb") as f:  # sparse: 300 MB on paper, a few bytes on disk
        f.write(b'{\n  "locations": [')
        f.truncate(300 * MB)
    with memory_budget(50 * MB, seconds=10), open_archive(tmp_path / "takeout") as arch:
        (info,) = arch.members()
        handler = sources.match(arch, info)
    assert handler is not None and handler.name == "google.records"
