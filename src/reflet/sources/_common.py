"""Helpers every source shares: time forms, JSON reading (whole or streamed), coordinates."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import ijson
import orjson

from ..records import ParseIssue
from . import WHOLE_FILE, Member

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Dates before this are sentinels (FB's -62169958800, X's 1970 device tokens), not facts.
MIN_PLAUSIBLE = datetime(1995, 1, 1, tzinfo=UTC)
MAX_PLAUSIBLE = datetime(2100, 1, 1, tzinfo=UTC)


class BadValue(ValueError):
    """A value in an entry has an unexpected form."""


def from_epoch(value: float | int | str) -> datetime:
    """Epoch seconds, milliseconds or microseconds, told apart by magnitude."""
    try:
        n = float(value)
    except (TypeError, ValueError) as exc:
        raise BadValue(f"not a timestamp: {str(value)[:40]!r}") from exc
    if n != n or abs(n) > 1e18:
        raise BadValue(f"not a timestamp: {str(value)[:40]!r}")
    if abs(n) > 1e14:
        n /= 1e6
    elif abs(n) > 1e11:
        n /= 1e3
    try:
        return _EPOCH + timedelta(seconds=n)
    except OverflowError as exc:  # e.g. 9e17 read as microseconds: past year 9999
        raise BadValue(f"not a timestamp: {str(value)[:40]!r}") from exc


_ISO_Z = re.compile(r"Z$|z$")
_TWITTER = "%a %b %d %H:%M:%S %z %Y"
_FORMS = (
    "%Y-%m-%d %H:%M:%S %Z",  # Reddit, Google Access Log: 2026-03-11 02:49:39 UTC
    "%Y-%m-%d %H:%M:%S UTC",
    "%a %b %d %H:%M:%S UTC %Y",  # LinkedIn: Wed Apr 17 17:17:56 UTC 2024
    "%b %d, %Y, %I:%M:%S %p UTC",  # Google: Jun 15, 2026, 7:40:10 AM UTC
)


def parse_time(value: Any, *, assume_utc: bool = False) -> datetime:
    """Any timestamp form the exports use, as an aware UTC datetime.

    ``assume_utc`` is for zone-less strings a platform documents as UTC
    (ad impressions, TikTok); otherwise a zone-less string is an error.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_epoch(value)
    if not isinstance(value, str) or not value.strip():
        raise BadValue(f"not a timestamp: {str(value)[:40]!r}")
    s = value.strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", s):
        return from_epoch(s)
    iso = _ISO_Z.sub("+00:00", s)
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        dt = None
    if dt is None:
        try:
            dt = datetime.strptime(s, _TWITTER)
        except ValueError:
            for form in _FORMS:
                try:
                    dt = datetime.strptime(s, form).replace(tzinfo=UTC)
                    break
                except ValueError:
                    continue
    if dt is None:
        raise BadValue(f"unrecognised time {s[:40]!r}")
    if dt.tzinfo is None:
        if not assume_utc:
            raise BadValue(f"time without a timezone: {s[:40]!r}")
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def plausible(dt: datetime) -> bool:
    return MIN_PLAUSIBLE <= dt < MAX_PLAUSIBLE


def e7(value: Any) -> float:
    """Google's integer degrees x 1e7."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadValue(f"not an E7 coordinate: {str(value)[:40]!r}")
    try:
        n = int(value)
    except ValueError as exc:
        raise BadValue(f"not an E7 coordinate: {str(value)[:40]!r}") from exc
    # Very old exports overflowed int32; undo it (UNCONFIRMED in formats.md, harmless otherwise).
    if n > 1_800_000_000:
        n -= 2**32
    elif n < -1_800_000_000:
        n += 2**32
    return n / 1e7


def check_latlon(lat: float, lon: float) -> tuple[float, float]:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or lat != lat or lon != lon:
        raise BadValue(f"coordinates out of range: {lat}, {lon}")
    return lat, lon


# Real exports nest fewer than 20 levels. A value nested deeper than this is
# replaced by ``TOO_DEEP``: ijson builds any depth, but ``str()``, ``repr()`` or
# ``==`` on a 10,000-level list raise RecursionError in whatever source touches it.
MAX_DEPTH = 200


class _TooDeep:
    """Stands in for a value nested too deeply: not a str/number/dict/list, so sources reject it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<value nested too deeply>"

    __str__ = __repr__


TOO_DEEP = _TooDeep()


def limit_depth(obj: Any, max_depth: int = MAX_DEPTH) -> Any:
    """Replace containers nested deeper than ``max_depth`` by ``TOO_DEEP``, in place (no recursion)."""
    if type(obj) is not dict and type(obj) is not list:
        return obj
    stack: list[tuple[Any, int]] = [(obj, 1)]
    while stack:
        o, d = stack.pop()
        for k, v in o.items() if type(o) is dict else enumerate(o):
            if type(v) is dict or type(v) is list:
                if d >= max_depth:
                    o[k] = TOO_DEEP
                elif v:
                    stack.append((v, d + 1))
    return obj


def load_json(member: Member) -> Any:
    """Read a whole (small) JSON member.

    Raises ``orjson.JSONDecodeError`` (a ``ValueError``) on invalid JSON or invalid
    UTF-8, for the caller to report; the member's size limit still applies.
    """
    with member.open() as f:
        return loads_json(f.read())


def load_json_object(member: Member) -> dict[str, Any] | ParseIssue:
    """A small JSON member that must be an object, or the issue that says why it is not."""
    try:
        data = load_json(member)
    except (ValueError, RecursionError) as exc:
        return member.issue(WHOLE_FILE, f"not valid JSON ({exc})")
    if not isinstance(data, dict):
        return member.issue(WHOLE_FILE, "not a JSON object")
    return data


def loads_json(data: bytes) -> Any:
    """Parse JSON bytes as ``load_json`` does (for sources that strip a prefix first, like X's ``.js``).

    Any depth is read (orjson stops at 1024 levels) and cut at ``MAX_DEPTH``; a UTF-8
    byte order mark is skipped. Raises ``orjson.JSONDecodeError`` on invalid JSON.
    """
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark, written by some Windows tools
        data = data[3:]
    try:
        return limit_depth(orjson.loads(data))
    except orjson.JSONDecodeError as exc:
        if "depth" not in str(exc):
            raise
    # ijson builds any depth without recursion; the result is then cut.
    for backend in (ijson, _IJSON_PY):
        try:
            return limit_depth(next(iter(backend.items(data, "", use_float=True))))
        except (ijson.JSONError, StopIteration, UnicodeDecodeError) as exc:
            if backend is ijson and _INT_OVERFLOW in str(exc):
                continue
            raise orjson.JSONDecodeError(f"invalid JSON ({_short(exc)})", "", 0) from exc
    raise AssertionError("unreachable")


# yajl (ijson's fast parser) refuses integers beyond 64 bits; the pure-Python one reads them.
_IJSON_PY = ijson.get_backend("python")
_INT_OVERFLOW = "integer overflow"


MAX_STREAM_DEPTH = 20_000  # ijson's cost grows faster than the square of the depth: 20,000 levels ~ 1 s
MAX_TOKEN = 16 * 1024 * 1024  # one string or number longer than this is not data (yajl slows down on it)
_CHUNK = 1024 * 1024
_OPENERS = frozenset(b"[{")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DELTA = [1 if b in _OPENERS else -1 for b in range(256)]


class _JsonGuard:
    """Hands a JSON stream to ijson chunk by chunk, refusing input that would make it crawl.

    ijson slows down badly on very deep nesting and on single tokens spanning many
    chunks. Both are checked with byte counts at C speed; brackets inside strings are
    counted too, which only matters past thousands of unbalanced ones (never in real data).
    """

    def __init__(self, f: Any) -> None:
        self._f = f
        self._depth = 0  # nesting depth at the end of what was read (string-blind estimate)
        self._run = 0  # bytes since the last quote: the length of a token in progress

    def read(self, n: int = -1) -> bytes:
        data: bytes = self._f.read(_CHUNK if n is None or n < 0 else n)
        opens = data.count(b"[") + data.count(b"{")
        closes = data.count(b"]") + data.count(b"}")
        if self._depth + opens > MAX_STREAM_DEPTH:
            brackets = data.translate(None, _NOT_BRACKETS)
            peak = max(itertools.accumulate(map(_DELTA.__getitem__, brackets), initial=0))
            if self._depth + peak > MAX_STREAM_DEPTH:
                raise BadValue(f"nested more than {MAX_STREAM_DEPTH:,} levels deep")
        self._depth = max(0, self._depth + opens - closes)
        q = data.rfind(b'"')
        if q > 0 and data[q - 1] == 0x5C:  # an escaped quote does not end a string
            q = -1
        self._run = self._run + len(data) if q < 0 else len(data) - q - 1
        if self._run > MAX_TOKEN:
            raise BadValue(f"a single value runs over {MAX_TOKEN // (1024 * 1024)} MiB")
        return data


def stream_items(member: Member, prefix: str) -> Iterator[tuple[int, Any]]:
    """Stream the items of an array inside a JSON member in bounded memory.

    ``prefix`` is an ijson prefix (``"locations.item"``, ``"item"``).
    Yields (index, item); a syntax error, invalid UTF-8, absurd nesting or a
    value of tens of MB ends the stream with ``BadValue`` naming the index
    reached, so everything before it is kept. Values nested deeper than
    ``MAX_DEPTH`` arrive as ``TOO_DEEP``.
    """
    small = _small_items(member, prefix)
    if small is not None:
        for i, item in enumerate(small):
            yield i, limit_depth(item)
        return
    done = 0  # items already yielded, when the stream is read again with the slower parser
    backend = ijson
    while True:
        i = done - 1
        with member.open() as f:
            try:
                for i, item in enumerate(backend.items(_JsonGuard(f), prefix, use_float=True, buf_size=_CHUNK)):
                    if i >= done:
                        yield i, limit_depth(item)
                return
            except (ijson.JSONError, UnicodeDecodeError, BadValue) as exc:
                if backend is ijson and _INT_OVERFLOW in str(exc):
                    # One huge integer must not end the file: read it again, slower, from where it was.
                    backend, done = _IJSON_PY, i + 1
                    continue
                where = f"after entry {i}" if i >= 0 else "before its first entry"
                raise BadValue(f"JSON breaks off {where} ({_short(exc)})") from exc


_DIGITS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
SMALL_JSON = 4 * 1024 * 1024  # below this, one orjson call is ~10x faster than streaming (monthly files)


def _small_items(member: Member, prefix: str) -> list[Any] | None:
    """The items ``stream_items`` would yield, read whole with orjson, for a small valid file.

    None when the file is big, the prefix is not ``"item"`` or ``"<key>.item"``, the key occurs more
    than once (ijson would read every array of that name), or orjson refuses the file (invalid JSON,
    invalid UTF-8, huge integers, deep nesting): the streaming parser then reads it and says where
    it breaks, so the two readers always agree.
    """
    parts = prefix.split(".")
    if member.info.size > SMALL_JSON or parts[-1] != "item" or len(parts) > 2:
        return None
    chunks, size = [], 0
    try:
        with member.open() as f:
            while size <= SMALL_JSON and (chunk := f.read(SMALL_JSON + 1 - size)):  # readers give 1 MiB a call
                chunks.append(chunk)
                size += len(chunk)
    except Exception:  # noqa: BLE001 - a member cut off or damaged: streaming keeps what comes before the damage
        return None
    if size > SMALL_JSON:
        return None
    data = b"".join(chunks)
    # A key spelled with escapes could hide a second array of the same name.
    if len(parts) == 2 and (data.count(orjson.dumps(parts[0])) != 1 or b"\\u" in data):
        return None
    # orjson turns an integer beyond 64 bits into a float; ijson keeps it exact. 19 digits in a row
    # (also in a string or a long fraction, which only costs the slower read) leave it to ijson.
    if b"0" * 19 in data.translate(_DIGITS):
        return None
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if len(parts) == 2:
        doc = doc.get(parts[0]) if isinstance(doc, dict) else None
    return doc if isinstance(doc, list) else []


def _short(exc: Exception) -> str:
    # yajl's messages quote the surrounding bytes over several lines; the first line says it.
    text = str(exc).strip().strip("b'\"")
    return text.split("\\n")[0].split("\n")[0][:120]


def fix_mojibake(s: str) -> str:
    """Repair Meta's UTF-8-bytes-as-code-points strings; leave others unchanged."""
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def json_pointer(*parts: object) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


_MAX_CSV_FIELD = 1 << 20  # csv's 128 KB default is too small for pasted texts; 1 MB is already absurd


def csv_rows(
    member: Member, *, is_header: Callable[[list[str]], bool] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Stream a CSV member as (1-based line-ish row number, {column: value}).

    ``is_header`` skips preamble lines until the header row (LinkedIn's
    ``Notes:`` block). Duplicate column names get ``#2``, ``#3`` suffixes
    instead of silently overwriting each other (LinkedIn's Ad_Targeting.csv).
    """
    csv.field_size_limit(_MAX_CSV_FIELD)
    with member.open() as f:
        text = io.TextIOWrapper(f, encoding="utf-8-sig", errors="replace", newline="")
        reader = csv.reader(text)
        header: list[str] | None = None
        for i, row in enumerate(reader, start=1):
            if header is None:
                if not row or (is_header is not None and not is_header(row)):
                    continue
                seen: dict[str, int] = {}
                header = []
                for name in row:
                    name = name.strip()
                    seen[name] = seen.get(name, 0) + 1
                    header.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
                continue
            if not any(c.strip() for c in row):
                continue
            yield i, {h: (row[j].strip() if j < len(row) else "") for j, h in enumerate(header)}


def each_row(
    member: Member, fn: Callable[[str, dict[str, str]], Iterator[Any]],
    is_header: Callable[[list[str]], bool] | None = None,
) -> Iterator[Any]:
    """Run ``fn(locator, row)`` on every CSV row; a bad row or a bad file becomes an issue."""
    try:
        for i, row in csv_rows(member, is_header=is_header):
            loc = f"row {i}"
            try:
                yield from fn(loc, row)
            except (BadValue, ValueError) as exc:
                yield member.issue(loc, str(exc))
    except (csv.Error, UnicodeError) as exc:
        yield member.issue("(whole file)", f"not a readable CSV file ({exc})")


def col(row: dict[str, str], *names: str) -> str | None:
    """The first non-empty value among these column names (case-insensitive)."""
    lower = {k.lower(): v for k, v in row.items()}
    for n in names:
        v = lower.get(n.lower())
        if v and v not in ("N/A", "None", "null"):
            return v
    return None


def stream_multi(member: Member, prefixes: set[str]) -> Iterator[tuple[str, Any]]:
    """One streaming pass yielding (prefix, value) for every value found at these ijson prefixes.

    Lets a parser read several sections of one big file (``personal_information``
    and each ``chats.list.item``) without building the whole document.
    Raises BadValue when the JSON breaks off; what was yielded before stands.
    """
    done = 0  # values already yielded, when the file is read again with the slower parser
    backend = ijson
    while True:
        n = 0
        try:
            for prefix, value in _multi_pass(member, prefixes, backend):
                n += 1
                if n > done:
                    yield prefix, value
            return
        except (ijson.JSONError, UnicodeDecodeError, BadValue) as exc:
            if backend is ijson and _INT_OVERFLOW in str(exc):
                backend, done = _IJSON_PY, n  # one huge integer must not end the file
                continue
            raise BadValue(f"the JSON breaks off or is damaged ({_short(exc)})") from exc


def _multi_pass(member: Member, prefixes: set[str], backend: Any) -> Iterator[tuple[str, Any]]:
    builder: ijson.ObjectBuilder | None = None
    current = ""
    with member.open() as f:
        for prefix, event, value in backend.parse(_JsonGuard(f), use_float=True, buf_size=_CHUNK):
            if builder is None:
                if prefix in prefixes:
                    if event in ("start_map", "start_array"):
                        builder = ijson.ObjectBuilder()
                        builder.event(event, value)
                        current = prefix
                    elif event not in ("map_key", "end_map", "end_array"):
                        yield prefix, value
                continue
            builder.event(event, value)
            if prefix == current and event in ("end_map", "end_array"):
                yield current, limit_depth(builder.value)
                builder = None
