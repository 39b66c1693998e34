"""Helpers every source shares: time forms, JSON reading (whole or streamed), coordinates."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import ijson
import orjson

from . import Member

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


def load_json(member: Member) -> Any:
    """Read a whole (small) JSON member. Raises on invalid JSON: the caller reports it."""
    with member.open() as f:
        data = f.read()
    return orjson.loads(data)


def stream_items(member: Member, prefix: str) -> Iterator[tuple[int, Any]]:
    """Stream the items of an array inside a JSON member in bounded memory.

    ``prefix`` is an ijson prefix (``"locations.item"``, ``"item"``).
    Yields (index, item); a syntax error ends the stream with ``BadValue``
    naming the index reached, so everything before it is kept.
    """
    i = -1
    with member.open() as f:
        try:
            for i, item in enumerate(ijson.items(f, prefix, use_float=True)):
                yield i, item
        except ijson.JSONError as exc:
            raise BadValue(f"JSON breaks off after entry {i} ({str(exc)[:120]})") from exc


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
    builder: ijson.ObjectBuilder | None = None
    current = ""
    with member.open() as f:
        try:
            for prefix, event, value in ijson.parse(f, use_float=True):
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
                    yield current, builder.value
                    builder = None
        except ijson.JSONError as exc:
            raise BadValue(f"the JSON breaks off or is damaged ({str(exc)[:120]})") from exc
