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


def _rows(tmp_path: Path, data: bytes, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list]:
    monkeypatch.setattr(google_records, "FAST_MIN_BYTES", 0 if fast else 1 << 62)
    monkeypatch.setattr(_records_fast, "BLOCK", 4096)  # many blocks, objects cut across them
    arch = open_archive(make_export(tmp_path / ("f" if fast else "s"), "t", {PATH: data}))
    (info,) = arch.members()
    handler = sources.match(arch, info)
    assert handler is not None and handler.name == "google.records"
    rows, issues, batches = [], [], 0
    for item in sources.parse_member(arch, info, handler):
        if isinstance(item, ParseIssue):
            issues.append((item.locator, item.level, item.message))
        elif isinstance(item, RecordBatch):
            batches += 1
            for r in item.table.to_pylist():
                rows.append((r["locator"], r["time"], r["lat"], r["lon"], r["accuracy_m"], r["kind"], r["source"],
                             r["device"], r["key"], r["channels"]))
        else:
            assert isinstance(item, Place)
            rows.append((item.provenance.locator, item.time, item.lat, item.lon, item.accuracy_m, item.kind,
                         item.source, item.device, item.key, sorted(item.channels)))
    assert (batches > 0) == fast or not rows
    return sorted(rows, key=lambda r: int(r[0].rsplit("/", 1)[1])), sorted(issues)


@pytest.mark.parametrize("indent", [None, 2])
def test_fast_equals_slow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indent: int | None) -> None:
    data = json.dumps({"locations": _locations(600)}, indent=indent).encode()
    fast = _rows(tmp_path, data, True, monkeypatch)
    slow = _rows(tmp_path, data, False, monkeypatch)
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
    assert _rows(tmp_path, data, True, monkeypatch) == _rows(tmp_path, data, False, monkeypatch)


def test_truncated_file_keeps_entries_before_the_break(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.dumps({"locations": _locations(300)}).encode()
    cut = data[: len(data) * 2 // 3]
    fast_rows, fast_issues = _rows(tmp_path, cut, True, monkeypatch)
    slow_rows, slow_issues = _rows(tmp_path, cut, False, monkeypatch)
    assert fast_rows == slow_rows and len(fast_rows) > 150
    assert [i for i in fast_issues if i[0] == "(whole file)"] == [i for i in slow_issues if i[0] == "(whole file)"]
