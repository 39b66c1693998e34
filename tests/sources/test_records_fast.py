"""The fast Records.json path gives exactly what the per-entry parser gives, or hands over to it."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from reflet import sources
from reflet.archive import open_archive
from reflet.records import ParseIssue, Place, RecordBatch
from reflet.sources import _records_fast, google_records
from tests.builders import make_export

PATH = "Takeout/Location History (Timeline)/Records.json"


def _locations(n: int, seed: int = 3) -> list[Any]:
    rnd = random.Random(seed)
    out: list[Any] = []
    t = 1_600_000_000_000
    for i in range(n):
        t += rnd.randint(10_000, 900_000)
        d: dict[str, Any] = {"latitudeE7": 488_566_000 + rnd.randint(-90_000, 90_000),
                             "longitudeE7": 23_522_000 + rnd.randint(-90_000, 90_000),
                             "accuracy": rnd.choice([5, 12, 30.5, 800]),
                             "source": rnd.choice(["GPS", "WIFI", "CELL", "wifi ", None]),
                             "deviceTag": rnd.choice([1978796627, -42, "123"])}
        if i % 3:
            d["timestamp"] = (f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}"
                              f":0{i % 10}.{i % 1000:03d}Z")
        else:
            d["timestampMs"] = str(t)
        if i % 5 == 0:
            d["activity"] = [{"timestamp": "2020-01-01T00:00:00Z", "activity": [{"type": "STILL", "confidence": 9}]}]
        out.append(d)
    # Entries the fast path must hand back, and that the per-entry parser reports.
    out[7] = {"latitudeE7": "488566000", "longitudeE7": 23522000, "timestamp": "2020-01-01T00:00:00Z"}
    out[11] = {"latitudeE7": 4100000000, "longitudeE7": 23522000, "timestamp": "2020-01-01T00:00:00Z"}  # overflow
    out[13] = {"latitudeE7": 488566000, "longitudeE7": 23522000, "timestamp": "2020-01-01T00:00:00"}  # no zone
    out[17] = {"latitudeE7": 488566000, "longitudeE7": 23522000}  # no time
    out[19] = {"activity": [{"timestamp": "2020-01-01T00:00:00Z"}]}  # activity only: info
    out[23] = {"latitudeE7": 988566000, "longitudeE7": 23522000, "timestamp": "2020-01-01T00:00:00Z"}  # lat > 90
    out[29] = {"latitudeE7": 488566000, "longitudeE7": 23522000, "timestampMs": "86400000"}  # 1970
    out[31] = "not an object"
    out[37] = {"latitudeE7": 488566000, "longitudeE7": 23522000, "timestamp": "2020-01-01T00:00:00Z",
               "accuracy": -1, "deviceTag": 5.0}
    return out


SLOW, ORJSON, SPILL = "slow", "orjson", "spill"  # the per-entry parser; the fast path without / with a scratch folder


def _rows(tmp_path: Path, data: bytes, mode: str, monkeypatch: pytest.MonkeyPatch,
          container: str = "dir") -> tuple[list, list]:
    fast = mode != SLOW
    monkeypatch.setattr(google_records, "FAST_MIN_BYTES", 0 if fast else 1 << 62)
    monkeypatch.setattr(_records_fast, "BLOCK", 4096)  # many blocks, objects cut across them
    arch = open_archive(make_export(tmp_path / mode, "t", {PATH: data}, container))
    (info,) = arch.members()
    handler = sources.match(arch, info)
    assert handler is not None and handler.name == "google.records"
    scratch = tmp_path / f"scratch-{mode}"
    scratch.mkdir(mode=0o700)
    token = sources.SCRATCH.set(scratch if mode == SPILL else None)
    rows, issues, batches = [], [], 0
    try:
        for item in sources.parse_member(arch, info, handler):
            if isinstance(item, ParseIssue):
                issues.append((item.locator, item.level, item.message))
            elif isinstance(item, RecordBatch):
                batches += 1
                for r in item.rows():
                    rows.append((r["locator"], r["time"], r["lat"], r["lon"], r["accuracy_m"], r["kind"],
                                 r["source"], r["device"], r["key"], r["channels"]))
            else:
                assert isinstance(item, Place)
                rows.append((item.provenance.locator, item.time, item.lat, item.lon, item.accuracy_m, item.kind,
                             item.source, item.device, item.key, sorted(item.channels)))
    finally:
        sources.SCRATCH.reset(token)
    assert (batches > 0) == fast or not rows
    assert list(scratch.iterdir()) == []  # every spill file is gone
    return sorted(rows, key=lambda r: int(r[0].rsplit("/", 1)[1])), sorted(issues)


@pytest.mark.parametrize("indent", [None, 2])
def test_fast_equals_slow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indent: int | None) -> None:
    data = json.dumps({"locations": _locations(600)}, indent=indent).encode()
    slow = _rows(tmp_path, data, SLOW, monkeypatch)
    for mode in (ORJSON, SPILL):
        fast = _rows(tmp_path, data, mode, monkeypatch)
        assert len(fast[0]) == 600 - 6  # every good entry (7, 11 and 37 are odd but valid), and only those
        assert fast == slow
        assert any("32-bit overflow" in m for _, _, m in fast[1])
        assert ("/locations/19", "info") in {(loc, lvl) for loc, lvl, _ in fast[1]}


def test_bracket_inside_a_string_hands_over_to_the_streaming_parser(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locs = _locations(3000)
    locs[2500]["source"] = "WIFI}]{"  # would mislead the bracket count, past the first blocks
    locs[2600]["source"] = "]"  # would look like the end of the array
    data = json.dumps({"locations": locs}).encode()
    slow = _rows(tmp_path, data, SLOW, monkeypatch)
    assert _rows(tmp_path, data, ORJSON, monkeypatch) == slow
    assert _rows(tmp_path, data, SPILL, monkeypatch) == slow


def test_truncated_file_keeps_entries_before_the_break(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.dumps({"locations": _locations(300)}).encode()
    cut = data[: len(data) * 2 // 3]
    slow_rows, slow_issues = _rows(tmp_path, cut, SLOW, monkeypatch)
    for mode in (ORJSON, SPILL):
        fast_rows, fast_issues = _rows(tmp_path, cut, mode, monkeypatch)
        assert fast_rows == slow_rows and len(fast_rows) > 150
        assert fast_issues == slow_issues


def _odd_entries() -> list[bytes]:
    """Entries of every unusual shape a field can take, as raw JSON (some are not json.dumps-able)."""
    base = {"latitudeE7": 488566000, "longitudeE7": 23522000, "timestamp": "2021-03-04T05:06:07Z"}
    variants: list[dict[str, Any]] = [
        {"source": "\tGPS"}, {"source": "gps\n"}, {"source": "Wi-Fi"}, {"source": "ÉTÉ"}, {"source": 5},
        {"source": True}, {"source": {}}, {"source": []}, {"source": ""}, {"source": "  "}, {"source": "G" * 1001},
        {"deviceTag": 1.5}, {"deviceTag": 5.0}, {"deviceTag": ""}, {"deviceTag": " 12 "}, {"deviceTag": "x" * 2000},
        {"deviceTag": True}, {"deviceTag": None}, {"deviceTag": -(2**63)}, {"deviceTag": 2**64 - 1},
        {"accuracy": "12"}, {"accuracy": True}, {"accuracy": None}, {"accuracy": 2**64 - 1}, {"accuracy": -0.0},
        {"accuracy": 1.5}, {"accuracy": 1e308},
        {"latitudeE7": 488566000.0}, {"latitudeE7": 2**63}, {"latitudeE7": -(2**63)}, {"latitudeE7": True},
        {"latitudeE7": None}, {"latitudeE7": "x"}, {"longitudeE7": 1 << 40}, {"longitudeE7": -2_400_000_000},
        {"timestamp": 1614834367000}, {"timestamp": None, "timestampMs": "1614834367000"}, {"timestamp": ""},
        {"timestamp": "2020-01-01T00:00:00+01:00"}, {"timestamp": "2020-01-01 00:00:00Z"},
        {"timestamp": "2020-01-01T00:00:00.123456789Z"}, {"timestamp": None, "timestampMs": "  1614834367000"},
        {"timestamp": None, "timestampMs": "1e3"}, {"timestamp": None, "timestampMs": "-5"},
        {"timestamp": None, "timestampMs": 1614834367000}, {"timestamp": None},
    ]
    out = [json.dumps({**base, **v}).encode() for v in variants]
    t = b'"timestamp": "2021-03-04T05:06:07Z"'
    out += [b'{"latitudeE7": 488566000, "longitudeE7": -0, "deviceTag": -0, ' + t + b'}',
            b'{"latitudeE7": 488566000, "longitudeE7": 23522000, "source": "\\u0047PS", ' + t + b'}',
            b'null', b'{}']
    return out


_REFUSED_BY_DUCKDB = [b'[]', b'5', b'"a string"',  # orjson reads the segments that hold these
                      b'{"latitudeE7": 1, "latitudeE7": 488566000, "longitudeE7": 23522000, '
                      b'"timestamp": "2021-03-04T05:06:07Z"}']
_BIG = {"latitudeE7": 488566000, "longitudeE7": 23522000, "timestamp": "2021-03-04T05:06:07Z"}
# Integers beyond 64 bits: orjson refuses them, so the streaming parser reads the rest of the file.
_TOO_BIG = [json.dumps({**_BIG, k: v}).encode() for k, v in
            [("deviceTag", 2**70), ("accuracy", 2**70), ("latitudeE7", 2**64 + 5)]]


@pytest.mark.parametrize("extra", ["", "refused", "too big"])
def test_odd_fields_give_what_the_per_entry_parser_gives(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str) -> None:
    first = [json.dumps(d).encode() for d in _locations(800)][:600]
    good = [json.dumps(d).encode() for d in _locations(200, 5)]
    odd = _odd_entries() + {"": [], "refused": _REFUSED_BY_DUCKDB, "too big": _TOO_BIG}[extra]
    # The first 64 kB are one segment: good entries there, so that some batch has no odd entry.
    entries = first + [e for pair in zip(good, odd + [b"{}"] * (len(good) - len(odd)), strict=True) for e in pair]
    data = b'{"locations": [' + b",\n ".join(entries) + b"]}"
    slow = _rows(tmp_path, data, SLOW, monkeypatch)
    assert len(slow[0]) > 200 and len(slow[1]) > 20
    assert _rows(tmp_path, data, ORJSON, monkeypatch) == slow
    assert _rows(tmp_path, data, SPILL, monkeypatch) == slow


def test_a_zip_member_is_spilled_and_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.dumps({"locations": _locations(500)}, indent=1).encode()
    slow = _rows(tmp_path / "a", data, SLOW, monkeypatch, "zip")
    assert _rows(tmp_path / "b", data, SPILL, monkeypatch, "zip") == slow


def test_spill_files_are_private_and_removed_even_on_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.dumps({"locations": _locations(2000)}).encode()
    modes: list[int] = []
    real = _records_fast.Converter._table

    def spying(self: _records_fast.Converter, source: str, params: list[Any]) -> Any:
        if "read_json" not in source:  # a segment DuckDB refused ("not an object"), read by orjson
            return real(self, source, params)
        (spill,) = list(scratch.iterdir())
        modes.append(spill.stat().st_mode & 0o777)
        if len(modes) == 3:
            raise RuntimeError("disk on fire")
        return real(self, source, params)

    monkeypatch.setattr(_records_fast.Converter, "_table", spying)
    monkeypatch.setattr(google_records, "FAST_MIN_BYTES", 0)
    monkeypatch.setattr(_records_fast, "BLOCK", 4096)
    arch = open_archive(make_export(tmp_path, "t", {PATH: data}, "zip"))
    (info,) = arch.members()
    handler = sources.match(arch, info)
    assert handler is not None
    scratch = tmp_path / "scratch"
    scratch.mkdir(mode=0o700)
    token = sources.SCRATCH.set(scratch)
    try:
        items = list(sources.parse_member(arch, info, handler))
    finally:
        sources.SCRATCH.reset(token)
    assert modes == [0o600, 0o600, 0o600]
    assert list(scratch.iterdir()) == []
    assert isinstance(items[-1], ParseIssue) and "disk on fire" in items[-1].message  # reported, not hidden


def test_an_audit_spills_into_its_own_folder_and_sweeps_a_killed_runs_leftovers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reflet.audit import run_audit
    from reflet.store import Store

    monkeypatch.setattr(google_records, "FAST_MIN_BYTES", 0)
    monkeypatch.setattr(_records_fast, "BLOCK", 4096)
    seen: list[Path] = []
    real = _records_fast.Converter._table

    def spying(self: _records_fast.Converter, source: str, params: list[Any]) -> Any:
        if "read_json" in source:
            seen.extend(self.scratch.iterdir())  # type: ignore[union-attr]
        return real(self, source, params)

    monkeypatch.setattr(_records_fast.Converter, "_table", spying)
    out = tmp_path / "out"
    export = make_export(tmp_path, "t", {PATH: json.dumps({"locations": _locations(2000)}).encode()}, "zip")
    result = run_audit([export], out, write_report=False)
    assert seen and all(p.parent == out / ".tmp" for p in seen)  # spilled inside the output folder only
    assert list((out / ".tmp").glob(sources.SPILL_PREFIX + "*")) == []
    leftover = out / ".tmp" / f"{sources.SPILL_PREFIX}records-killed-1.json"  # as a SIGKILLed run leaves it
    leftover.write_bytes(b'[{"latitudeE7": 1}]')
    again = run_audit([export], out, write_report=False)
    assert again.cached and not leftover.exists()
    monkeypatch.setattr(google_records, "FAST_MIN_BYTES", 1 << 62)
    slow = run_audit([export], tmp_path / "slow", write_report=False)
    assert result.total_records == again.total_records == slow.total_records > 1900
    q = "SELECT locator, key FROM place ORDER BY ALL"
    with Store(out / "audit.duckdb", read_only=True) as s, Store(tmp_path / "slow" / "audit.duckdb",
                                                                   read_only=True) as t:
        assert s.query(q) == t.query(q)
