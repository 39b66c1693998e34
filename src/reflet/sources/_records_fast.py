"""The fast path for big ``Records.json`` files: batches of points as Arrow columns.

Peers load the whole file (4-6 times its size in memory) or build one object per
point. Here the file is read in 8 MiB blocks; the end of the last complete location
object of a block is found by counting brackets (``bytes.count``), and each segment
of complete objects is written to a private spill file in the audit's scratch folder
and read by DuckDB's JSON reader, which types the fields and builds ``Place`` rows
(times, E7 degrees, kinds, locators and keys) in C++, with no Python object per
point. Without a scratch folder, or for a segment DuckDB refuses, the segment is
parsed with ``orjson`` and converted from Python lists. Memory stays bounded by the
block size.

Correctness never rests on the bracket count: a cut in the wrong place (a bracket
inside a string) makes both readers fail, and the caller then reads the file with the
streaming parser from the last good entry. Entries of an unusual shape (a string
where a number belongs, a missing time) are handed back to the per-entry parser,
which reports them exactly as the slow path would.
"""

from __future__ import annotations

import os
import queue
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ..records import PLACE_KEY_SQL, Place, RecordBatch
from . import SPILL_PREFIX, Member
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


def _read_block(f: Any, size: int) -> bytes:
    """Up to ``size`` bytes: the archive's readers return at most one chunk (1 MiB) per call."""
    parts = []
    while size > 0:
        chunk = f.read(size)
        if not chunk:
            break
        parts.append(chunk)
        size -= len(chunk)
    return b"".join(parts)


def object_segments(member: Member) -> Iterator[bytes]:
    """Consecutive runs of complete location objects, as the bytes between the array's commas.

    Each segment holds whole entries (``{...}, {...}``) and nothing else; what decides how
    many entries one holds is the reader (orjson or DuckDB). Raises ``Fallback`` with index
    -1 when the file cannot be cut (the caller knows how many entries came before).
    """
    with member.open() as f:
        carry = _find_array_start(f)
        while True:
            block = _read_block(f, BLOCK)
            data = carry + block
            if not data:
                raise Fallback(-1, "the file ends inside the locations array")
            cut = _last_cut(data)
            if cut is not None and cut >= 0:
                yield data[:cut].lstrip(b", \t\r\n")
                carry = data[cut:]
                if not block and not carry.strip(b", \t\r\n"):
                    raise Fallback(-1, "the file ends inside the locations array")
                continue
            if cut is None:
                if not block:
                    raise Fallback(-1, "the file ends inside a location entry")
                if len(data) > MAX_OBJECT:
                    raise Fallback(-1, "an entry is too large to be a location")
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
                    raise Fallback(-1, "a bracket inside a string")
            if ends.size == 0:
                if below.size:
                    return  # only whitespace before the closing bracket
                if not block:
                    raise Fallback(-1, "the file ends inside a location entry")
                if len(data) > MAX_OBJECT:
                    raise Fallback(-1, "an entry is too large to be a location")
                carry = data
                continue
            cut = int(ends[-1]) + 1
            yield data[:cut].lstrip(b", \t\r\n")
            carry = data[cut:]
            if below.size:
                return
            if not block and not carry.strip(b", \t\r\n"):
                raise Fallback(-1, "the file ends inside the locations array")


def parse_segment(segment: bytes) -> list[Any]:
    """The entries of a segment as Python objects (orjson); ``Fallback`` if it is not valid JSON."""
    try:
        items = orjson.loads(b"[" + segment + b"]")
    except orjson.JSONDecodeError as exc:
        raise Fallback(-1, f"unexpected JSON ({exc})") from exc
    return items  # type: ignore[no-any-return]


_PLAUSIBLE = (f"time >= TIMESTAMPTZ '{MIN_PLAUSIBLE.isoformat()}' "
              f"AND time < TIMESTAMPTZ '{MAX_PLAUSIBLE.isoformat()}'")

# From columns (idx, lat_e7, lon_e7, acc, source, device, ts, ts_ms, archive, member, ok) to Place rows,
# plus ``good``: the row is exactly what the per-entry parser would make of that entry (else it reads it).
_CONVERT = rf"""
SELECT *, {PLACE_KEY_SQL} AS key,
       coalesce(ok AND {_PLAUSIBLE} AND abs(lat) <= 90 AND abs(lon) <= 180, false) AS good
FROM (
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
    idx, ok, abs(lat_e7) > 1800000000 OR abs(lon_e7) > 1800000000 AS overflowed
  FROM {{source}})
"""

# The fields a Place needs, read by DuckDB's JSON reader from a spill file, each as raw JSON so
# that its JSON type can be checked: a value of another type (a number written as a string, a
# float where Google writes an integer) makes ``ok`` false and the entry goes to the per-entry
# parser, which reads or reports it exactly as for a small file. Strings are accepted only in the
# plain ASCII Google writes, so that SQL's trim/upper mean what Python's strip/upper do.
_FIELDS = {"latitudeE7": "lat", "longitudeE7": "lon", "accuracy": "acc", "source": "src",
           "deviceTag": "dev", "timestamp": "ts", "timestampMs": "ms"}
_JSON_COLUMNS = "{" + ", ".join(f"'{k}': 'JSON'" for k in _FIELDS) + "}"
_FROM_FILE = f"""(
  SELECT idx, lat_e7, lon_e7, acc, source, device, ts, ts_ms, ? AS archive, ? AS member,
    j_lat IN ('BIGINT', 'UBIGINT') AND lat_e7 IS NOT NULL AND j_lon IN ('BIGINT', 'UBIGINT') AND lon_e7 IS NOT NULL
    AND (j_ts = 'VARCHAR' OR (j_ts = 'NULL' AND j_ms = 'VARCHAR'))
    AND (j_acc = 'NULL' OR (j_acc IN ('BIGINT', 'UBIGINT', 'DOUBLE') AND isfinite(acc)))
    AND (j_src = 'NULL' OR (j_src = 'VARCHAR' AND length(source) <= {MAX_CODE_CHARS}
                             AND regexp_full_match(source, '[A-Za-z0-9_ ]*')))
    AND (j_dev IN ('NULL', 'BIGINT', 'UBIGINT') OR (j_dev = 'VARCHAR' AND length(device) <= {MAX_CODE_CHARS}
                                                   AND regexp_full_match(device, '[A-Za-z0-9_ +-]*')))
    AS ok
  FROM (
    SELECT ordinality - 1 + ? AS idx, j_lat, j_lon, j_acc, j_src, j_dev, j_ts, j_ms,
      CASE WHEN j_lat IN ('BIGINT', 'UBIGINT') THEN TRY_CAST(lat AS BIGINT) END AS lat_e7,
      CASE WHEN j_lon IN ('BIGINT', 'UBIGINT') THEN TRY_CAST(lon AS BIGINT) END AS lon_e7,
      CASE WHEN j_acc IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN TRY_CAST(acc AS DOUBLE) END AS acc,
      CASE WHEN j_src = 'VARCHAR' THEN src ->> '$' END AS source,
      CASE WHEN j_dev IN ('BIGINT', 'UBIGINT') THEN CAST(TRY_CAST(dev AS HUGEINT) AS VARCHAR)
           WHEN j_dev = 'VARCHAR' THEN nullif(trim(dev ->> '$'), '') END AS device,
      CASE WHEN j_ts = 'VARCHAR' THEN ts ->> '$' END AS ts,
      CASE WHEN j_ts = 'NULL' AND j_ms = 'VARCHAR' THEN ms ->> '$' END AS ts_ms
    FROM (
      SELECT *, {", ".join(f"coalesce(json_type({v}), 'NULL') AS j_{v}" for v in _FIELDS.values())}
      FROM (SELECT ordinality, {", ".join(f'"{k}" AS {v}' for k, v in _FIELDS.items())}
            FROM read_json({{path}}, format = 'array', columns = {_JSON_COLUMNS}) WITH ORDINALITY))))
"""


_VARYING = ["time", "lat", "lon", "accuracy_m", "kind", "device", "source", "locator", "key"]
_FLAGS = ["idx", "good", "overflowed"]


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


class Converter:
    """Turns entries into Place rows with one private in-memory DuckDB.

    With a ``scratch`` folder (the audit's own ``out/.tmp``), each segment of complete entries
    is written to a private spill file there and read by DuckDB's JSON reader (C++, no Python
    object per point): ``convert_segment``. Without one, or for a segment DuckDB refuses,
    ``convert`` takes entries orjson has already parsed.
    """

    def __init__(self, member: Member, scratch: Path | None = None) -> None:
        self.member = member
        self.scratch = scratch
        self._spills = 0
        self._tag = secrets.token_hex(8)
        self.con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                                      "autoload_known_extensions": False})
        self.con.execute("SET TimeZone='UTC'")
        # One thread: WITH ORDINALITY then numbers entries in file order, which the locators need.
        self.con.execute("SET threads=1")
        # Batches are a few MB: never spill them to disk (an empty temp_directory disables spilling),
        # so no personal data lands outside the output folder.
        self.con.execute("SET temp_directory=''")
        # Spill files are rewritten under new names; never serve a cached copy of an older one.
        self.con.execute("SET enable_external_file_cache=false")
        if scratch is not None:
            # This DuckDB reads the scratch folder and nothing else.
            self.con.execute(f"SET allowed_directories=[{_quote(str(scratch) + os.sep)}]")
        self.con.execute("SET enable_external_access=false")
        self.con.execute("SET lock_configuration=true")

    def _table(self, source: str, params: list[Any]) -> tuple[RecordBatch, list[int], list[int], int]:
        # Only the columns that vary: the member's name and the like are the same for every row, and
        # the store fills them in (RecordBatch.constants) instead of copying them out per point.
        table = self.con.execute(f"SELECT {', '.join(_VARYING + _FLAGS)} FROM ({_CONVERT.format(source=source)})",
                                 params).fetch_arrow_table()
        good = table.column("good")
        bad_idx = table.filter(pc.invert(good)).column("idx").to_pylist()
        n_rows = table.num_rows
        table = table.filter(good)
        overflow = table.filter(table.column("overflowed")).column("idx").to_pylist()
        table = table.drop_columns(_FLAGS)
        constants = {"platform": "google", "end_time": None, "name": None, "label": None, "channels": ["records"],
                     "archive": self.member.archive_name, "member": self.member.path}
        return RecordBatch(Place, table, constants), bad_idx, overflow, n_rows

    def convert_segment(self, start: int, segment: bytes) -> tuple[RecordBatch, list[int], list[int], int] | None:
        """(good rows, indexes for the per-entry parser, indexes with int32 overflow, entries read).

        None when there is no scratch folder or DuckDB cannot read the segment (an entry that
        is not an object, a duplicate key, a cut inside a string): the caller parses it with orjson.
        """
        if self.scratch is None:
            return None
        self._spills += 1
        path = self.scratch / f"{SPILL_PREFIX}records-{self._tag}-{self._spills}.json"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        try:
            try:
                # O_EXCL + O_NOFOLLOW: never write through a file or link someone else put there; 0600: ours only.
                fd = os.open(path, flags, 0o600)
                try:
                    for part in (b"[", segment, b"]"):
                        view = memoryview(part)
                        while view:
                            view = view[os.write(fd, view):]
                finally:
                    os.close(fd)
            except OSError:
                # A full disk, say: spilling is only a speed-up, so read in memory from here on
                # (the store's own writes report a full disk).
                self.scratch = None
                return None
            return self._table(_FROM_FILE.replace("{path}", _quote(str(path))),
                               [self.member.archive_name, self.member.path, start])
        except duckdb.Error:
            return None
        finally:
            # Deleted whatever happened (an error, Ctrl-C): the copy must not outlive the read.
            path.unlink(missing_ok=True)

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
                    or (type(src) is str and (len(src) > MAX_CODE_CHARS or not src.isascii()))
                    or (type(dev) is str and len(dev) > MAX_CODE_CHARS)):
                odd.append(i)
                continue
            cols["idx"].append(i)
            cols["lat_e7"].append(d["latitudeE7"])
            cols["lon_e7"].append(d["longitudeE7"])
            cols["acc"].append(float(acc) if acc is not None else None)
            cols["source"].append(src.strip() if src is not None else None)  # Python's strip, not SQL's trim
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
                "ok": pa.array([True] * n_rows, pa.bool_()),
            })
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            return RecordBatch(Place, pa.table({})), [start + n for n in range(len(items))], []
        self.con.register("batch", batch)
        try:
            rows, bad_idx, overflow, _ = self._table("batch", [])
        finally:
            self.con.unregister("batch")
        return rows, sorted(odd + bad_idx), overflow

    def close(self) -> None:
        self.con.close()


T = TypeVar("T")
_END = object()


def in_background(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Run the generator ``items`` in a second thread, at most ``depth`` items ahead of the consumer.

    Its exceptions are raised here. When the consumer stops early (a break, an error, Ctrl-C),
    the thread is told to stop, closes ``items`` (so its own clean-up runs) and is waited for.
    """
    q: queue.Queue[tuple[BaseException | None, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[BaseException | None, Any]) -> bool:
        while not stop.is_set():
            try:
                q.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in items:
                if not put((None, item)):
                    break
            else:
                put((None, _END))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
            put((exc, None))
        finally:
            items.close()  # type: ignore[attr-defined]

    worker = threading.Thread(target=run, name="reflet-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            exc, item = q.get()
            if exc is not None:
                raise exc
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        worker.join()


__all__ = ["BLOCK", "Converter", "Fallback", "in_background", "object_segments", "parse_segment"]
