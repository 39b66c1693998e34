"""The fast path for big ``Records.json`` files: batches of points as Arrow columns.

Peers load the whole file (4-6 times its size in memory) or build one object per
point. Here the file is read in blocks; the end of each complete location object
is found with a vectorised bracket count (numpy), every complete object of the
block is parsed in one ``orjson`` call, and the points become columns that DuckDB
turns into ``Place`` rows (times, E7 degrees, kinds, locators and keys) in bulk.
Memory stays bounded by the block size.

Correctness never rests on the bracket count: a cut in the wrong place (a bracket
inside a string) makes ``orjson`` fail, and the caller then reads the file with the
streaming parser from the last good entry. Entries of an unusual shape (a string
where a number belongs, a missing time) are handed back to the per-entry parser,
which reports them exactly as the slow path would.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ..records import PLACE_KEY_SQL, Place, RecordBatch
from . import Member
from ._common import MAX_PLAUSIBLE, MIN_PLAUSIBLE
from ._google_location import MAX_CODE_CHARS

BLOCK = 8 * 1024 * 1024
# One location is ~300 bytes; a bigger entry goes to the streaming parser (a 64 MiB one cost GBs here).
MAX_OBJECT = 1024 * 1024
_OPEN = (ord("{"), ord("["))
_CLOSE = (ord("}"), ord("]"))


class Fallback(Exception):
    """The fast path cannot go on; the streaming parser takes over from ``index``."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(reason)
        self.index = index


def _find_array_start(f: Any) -> bytes:
    """Consume the file up to the ``[`` of ``"locations"``; return what was read after it."""
    head = b""
    while len(head) < 1 << 20:
        chunk = f.read(65536)
        if not chunk:
            break
        head += chunk
        i = head.find(b'"locations"')
        if i >= 0:
            j = head.find(b"[", i)
            colon = head.find(b":", i)
            if j >= 0 and 0 <= colon < j and not head[colon + 1:j].strip():
                return head[j + 1:]
    raise Fallback(0, "no locations array at the start of the file")


def _depth(data: bytes, start: int = 0, end: int | None = None) -> int:
    """Opening minus closing brackets in ``data[start:end]`` (``bytes.count`` runs at memory speed)."""
    end = len(data) if end is None else end
    return (data.count(b"{", start, end) + data.count(b"[", start, end)
            - data.count(b"}", start, end) - data.count(b"]", start, end))


def _last_cut(data: bytes) -> int | None:
    """Just after the last ``}`` of ``data`` at depth 0 (a complete entry), or None.

    Returns -1 when the depth goes below 0 somewhere in ``data`` (the ``]`` that ends the
    array is in it): the caller then looks at every byte. Found by walking back over the
    ``}`` from the end, counting only the brackets in between: no per-byte arrays.
    """
    depth = _depth(data)
    if depth < 0:
        return -1
    p = len(data)
    while True:
        q = data.rfind(b"}", 0, p)
        if q < 0:
            return None
        depth -= _depth(data, q + 1, p)
        if depth == 0:
            return q + 1
        if depth < 0:
            return -1
        depth += 1  # step back over this "}" itself
        p = q


def object_batches(member: Member) -> Iterator[tuple[int, list[Any]]]:
    """(index of the first entry, parsed entries) for consecutive runs of complete objects."""
    index = 0
    with member.open() as f:
        carry = _find_array_start(f)
        while True:
            block = f.read(BLOCK)
            data = carry + block
            if not data:
                raise Fallback(index, "the file ends inside the locations array")
            cut = _last_cut(data)
            if cut is not None and cut >= 0:
                segment = data[:cut].lstrip(b", \t\r\n")
                try:
                    items = orjson.loads(b"[" + segment + b"]")
                except orjson.JSONDecodeError as exc:
                    raise Fallback(index, f"unexpected JSON ({exc})") from exc
                yield index, items
                index += len(items)
                carry = data[cut:]
                if not block and not carry.strip(b", \t\r\n"):
                    raise Fallback(index, "the file ends inside the locations array")
                continue
            if cut is None:
                if not block:
                    raise Fallback(index, "the file ends inside a location entry")
                if len(data) > MAX_OBJECT:
                    raise Fallback(index, "an entry is too large to be a location")
                carry = data
                continue
            # The end of the array is in this block (once per file): find it byte by byte.
            arr = np.frombuffer(data, dtype=np.uint8)
            step = np.isin(arr, _OPEN).astype(np.int16) - np.isin(arr, _CLOSE).astype(np.int16)
            depth = np.cumsum(step, dtype=np.int32)
            below = np.flatnonzero(depth < 0)  # the "]" that closes the locations array
            limit = int(below[0]) if below.size else len(data)
            ends = np.flatnonzero((arr[:limit] == ord("}")) & (depth[:limit] == 0))
            if below.size:
                # A "]" inside a string also looks like the end: believe it only if nothing follows.
                tail = data[limit + 1:limit + 4096] + f.read(4096)
                if tail.strip(b" \t\r\n") != b"}":
                    raise Fallback(index, "a bracket inside a string")
            if ends.size == 0:
                if below.size:
                    return  # only whitespace before the closing bracket
                if not block:
                    raise Fallback(index, "the file ends inside a location entry")
                if len(data) > MAX_OBJECT:
                    raise Fallback(index, "an entry is too large to be a location")
                carry = data
                continue
            cut = int(ends[-1]) + 1
            segment = data[:cut].lstrip(b", \t\r\n")
            try:
                items = orjson.loads(b"[" + segment + b"]")
            except orjson.JSONDecodeError as exc:
                raise Fallback(index, f"unexpected JSON ({exc})") from exc
            yield index, items
            index += len(items)
            carry = data[cut:]
            if below.size:
                return
            if not block and not carry.strip(b", \t\r\n"):
                raise Fallback(index, "the file ends inside the locations array")


_SQL = rf"""
SELECT *, {PLACE_KEY_SQL} AS key FROM (
  SELECT
    'google' AS platform,
    -- A zone-less time string is left to the per-entry parser, which reports it: never guess a zone.
    CASE WHEN ts IS NOT NULL THEN
           CASE WHEN regexp_matches(ts, '(Z|z|[+-]\d\d:?\d\d)$') THEN TRY_CAST(ts AS TIMESTAMPTZ) END
         ELSE make_timestamp(TRY_CAST(ts_ms AS BIGINT) * 1000)::TIMESTAMPTZ END AS time,
    (CASE WHEN lat_e7 > 1800000000 THEN lat_e7 - 4294967296
          WHEN lat_e7 < -1800000000 THEN lat_e7 + 4294967296 ELSE lat_e7 END) / 1e7 AS lat,
    (CASE WHEN lon_e7 > 1800000000 THEN lon_e7 - 4294967296
          WHEN lon_e7 < -1800000000 THEN lon_e7 + 4294967296 ELSE lon_e7 END) / 1e7 AS lon,
    CASE WHEN acc >= 0 THEN acc END AS accuracy_m,
    CASE upper(trim(source)) WHEN 'GPS' THEN 'gps' WHEN 'WIFI' THEN 'wifi' WHEN 'CELL' THEN 'cell'
         ELSE 'unknown' END AS kind,
    NULL::TIMESTAMPTZ AS end_time, NULL::VARCHAR AS name, device, nullif(trim(source), '') AS source,
    NULL::VARCHAR AS label,
    ['records'] AS channels,
    archive, member, '/locations/' || idx AS locator,
    idx, abs(lat_e7) > 1800000000 OR abs(lon_e7) > 1800000000 AS overflowed
  FROM batch)
"""


class Converter:
    """Turns parsed entries into Place rows with one private in-memory DuckDB."""

    def __init__(self, member: Member) -> None:
        self.member = member
        self.con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                                      "autoload_known_extensions": False})
        self.con.execute("SET TimeZone='UTC'")
        # Batches are a few MB: never spill them to disk (an empty temp_directory disables spilling),
        # so no personal data lands outside the output folder.
        self.con.execute("SET temp_directory=''")

    def convert(self, start: int, items: list[Any]) -> tuple[RecordBatch, list[int], list[int]]:
        """(good rows, indexes the per-entry parser must handle, indexes with int32 overflow)."""
        cols: dict[str, list[Any]] = {k: [] for k in ("idx", "lat_e7", "lon_e7", "acc", "source", "device",
                                                      "ts", "ts_ms")}
        odd: list[int] = []
        for n, d in enumerate(items):
            i = start + n
            if type(d) is not dict or type(d.get("latitudeE7")) is not int or type(d.get("longitudeE7")) is not int:
                odd.append(i)
                continue
            ts, ms, acc = d.get("timestamp"), d.get("timestampMs"), d.get("accuracy")
            src, dev = d.get("source"), d.get("deviceTag")
            if ((ts is not None and type(ts) is not str) or (ts is None and type(ms) is not str)
                    or (acc is not None and type(acc) not in (int, float))
                    or (src is not None and type(src) is not str)
                    or (dev is not None and type(dev) not in (int, str))
                    or (type(src) is str and len(src) > MAX_CODE_CHARS)
                    or (type(dev) is str and len(dev) > MAX_CODE_CHARS)):
                odd.append(i)
                continue
            cols["idx"].append(i)
            cols["lat_e7"].append(d["latitudeE7"])
            cols["lon_e7"].append(d["longitudeE7"])
            cols["acc"].append(float(acc) if acc is not None else None)
            cols["source"].append(src)
            cols["device"].append(str(dev).strip() or None if dev is not None else None)
            cols["ts"].append(ts)
            cols["ts_ms"].append(ms if ts is None else None)
        n_rows = len(cols["idx"])
        try:
            batch = pa.table({
                "idx": pa.array(cols["idx"], pa.int64()), "lat_e7": pa.array(cols["lat_e7"], pa.int64()),
                "lon_e7": pa.array(cols["lon_e7"], pa.int64()), "acc": pa.array(cols["acc"], pa.float64()),
                "source": pa.array(cols["source"], pa.string()), "device": pa.array(cols["device"], pa.string()),
                "ts": pa.array(cols["ts"], pa.string()), "ts_ms": pa.array(cols["ts_ms"], pa.string()),
                "archive": pa.array([self.member.archive_name] * n_rows, pa.string()),
                "member": pa.array([self.member.path] * n_rows, pa.string()),
            })
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            return RecordBatch(Place, pa.table({})), [start + n for n in range(len(items))], []
        self.con.register("batch", batch)
        try:
            table = self.con.execute(_SQL).fetch_arrow_table()
        finally:
            self.con.unregister("batch")
        lo, hi = pa.scalar(MIN_PLAUSIBLE), pa.scalar(MAX_PLAUSIBLE)
        good = _mask(table, lo, hi)
        bad_idx = table.filter(pc.invert(good)).column("idx").to_pylist()
        table = table.filter(good)
        overflow = table.filter(table.column("overflowed")).column("idx").to_pylist()
        table = table.drop_columns(["idx", "overflowed"])
        return RecordBatch(Place, table), sorted(odd + bad_idx), overflow

    def close(self) -> None:
        self.con.close()


def _mask(table: pa.Table, lo: pa.Scalar, hi: pa.Scalar) -> pa.ChunkedArray:
    t = table.column("time")
    lat, lon = table.column("lat"), table.column("lon")
    ok = pc.and_kleene(pc.is_valid(t), pc.and_(pc.greater_equal(t, lo), pc.less(t, hi)))
    ok = pc.and_(ok, pc.and_(pc.less_equal(pc.abs(lat), 90.0), pc.less_equal(pc.abs(lon), 180.0)))
    return pc.fill_null(ok, False)


__all__ = ["BLOCK", "Converter", "Fallback", "object_batches"]
