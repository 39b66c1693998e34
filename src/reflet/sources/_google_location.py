"""What the Google location layouts share: coordinate forms, number forms, multi-array streaming.

Google ships location history in four incompatible encodings (formats.md 3.2-3.5): E7
integers (``latitudeE7``, ``latE7``), degree strings (``"40.7127760°, -74.0059740°"``), ``geo:``
URIs (``"geo:40.712776,-74.005974"``) and numbers written as strings. The helpers here turn
each into floats or raise ``BadValue`` with a message that names what was wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import ijson

from . import Member
from ._common import BadValue, check_latlon, e7

# What a bad entry can raise while it is read: reported against that entry, never the file.
# RecursionError: str() or == on a value nested thousands of levels deep (fuzzed input).
ENTRY_ERRORS = (BadValue, ValueError, TypeError, OverflowError, RecursionError)

# Google's position sources, mapped to Place kinds (any case: TLZ saw lowercase ones too).
SOURCE_KIND = {"GPS": "gps", "WIFI": "wifi", "CELL": "cell"}

_NUM = r"[-+]?\d+(?:\.\d+)?"
_DEGREES = re.compile(rf"\s*({_NUM})\s*°?\s*,\s*({_NUM})\s*°?\s*")
_GEO = re.compile(rf"\s*geo:\s*({_NUM})\s*,\s*({_NUM})(?:[,;].*)?\s*", re.IGNORECASE)


def kind_of(source: Any) -> str:
    return SOURCE_KIND.get(str(source).upper(), "unknown") if source is not None else "unknown"


def degrees(value: Any) -> tuple[float, float]:
    """``"40.7127760°, -74.0059740°"`` (Android on-device export) -> (lat, lon)."""
    if not isinstance(value, str):
        raise BadValue(f"not a coordinate string: {str(value)[:40]!r}")
    m = _DEGREES.fullmatch(value)
    if m is None:
        raise BadValue(f"not a coordinate string: {value[:40]!r}")
    return check_latlon(float(m.group(1)), float(m.group(2)))


def geo_uri(value: Any) -> tuple[float, float]:
    """``"geo:40.712776,-74.005974"`` (iOS on-device export) -> (lat, lon)."""
    if not isinstance(value, str):
        raise BadValue(f"not a geo: coordinate: {str(value)[:40]!r}")
    m = _GEO.fullmatch(value)
    if m is None:
        raise BadValue(f"not a geo: coordinate: {value[:40]!r}")
    return check_latlon(float(m.group(1)), float(m.group(2)))


def e7_pair(obj: Any, lat_key: str, lon_key: str, where: str = "location") -> tuple[float, float]:
    """Two E7 integers of an object -> (lat, lon); names the object when keys are missing."""
    if not isinstance(obj, dict):
        raise BadValue(f"{where} is not an object")
    if lat_key not in obj or lon_key not in obj:
        raise BadValue(f"{where} has no {lat_key}/{lon_key}")
    return check_latlon(e7(obj[lat_key]), e7(obj[lon_key]))


def number(value: Any, what: str = "number") -> float | None:
    """A number or a number written as a string (iOS export); None when absent."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise BadValue(f"{what} is not a number: {value!r}")
    if isinstance(value, (int, float)):
        n = float(value)
    elif isinstance(value, str):
        try:
            n = float(value.strip())
        except ValueError as exc:
            raise BadValue(f"{what} is not a number: {value[:40]!r}") from exc
    else:
        raise BadValue(f"{what} is not a number: {str(value)[:40]!r}")
    if n != n or n in (float("inf"), float("-inf")):
        raise BadValue(f"{what} is not a finite number")
    return n


def accuracy(value: Any, scale: float = 1.0) -> float | None:
    """An accuracy radius in metres, or None when absent or meaningless (negative)."""
    n = number(value, "accuracy")
    if n is None or n < 0:
        return None
    return n * scale


def text(value: Any) -> str | None:
    """A non-empty string, or None (Google writes ids as ints in some files, strings in others)."""
    if value is None or isinstance(value, (dict, list)):
        return None
    s = str(value).strip()
    return s or None


def stream_arrays(member: Member, prefixes: tuple[str, ...], chunk: int = 256 * 1024,
                  ) -> Iterator[tuple[str, int, Any]]:
    """Stream the items of several arrays of one JSON member in a single read.

    Yields ``(prefix, index, item)``. One read matters because a Timeline.json inside a
    zip is decompressed as it is read: three ``ijson.items`` passes would inflate it three
    times. Each prefix gets its own ijson coroutine fed the same chunks; the C parser
    skips what does not match its prefix without building objects, so memory stays
    bounded by the largest single item. Items of one array come in order; arrays are
    interleaved as they appear in the file. A syntax error ends the stream with
    ``BadValue`` after every complete item before it has been yielded.
    """
    sinks = {p: ijson.sendable_list() for p in prefixes}
    coros = {p: ijson.items_coro(sinks[p], p, use_float=True) for p in prefixes}
    counts = dict.fromkeys(prefixes, 0)
    error: Exception | None = None

    def drain() -> Iterator[tuple[str, int, Any]]:
        for p in prefixes:
            for item in sinks[p]:
                yield p, counts[p], item
                counts[p] += 1
            sinks[p].clear()

    with member.open() as f:
        while error is None:
            data = f.read(chunk)
            for p in prefixes:
                try:
                    if data:
                        coros[p].send(data)
                    else:
                        coros[p].close()  # end of input: an unfinished document raises here
                except ijson.JSONError as exc:
                    error = exc
                    break
            yield from drain()
            if not data:
                break
    if error is not None:
        reached = ", ".join(f"{counts[p]} {p.split('.')[-2] if '.' in p else p}" for p in prefixes)
        raise BadValue(f"JSON breaks off (after {reached} entries read; {str(error).splitlines()[0][:100]})")


def device_tag(value: Any) -> str | None:
    """Google's ``deviceTag`` (an int, sometimes a string) as one canonical string.

    Records.json, Semantic Location History and Settings.json must agree on it, since it is
    what links a point to a named phone.
    """
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip()
    return s or None


def overflowed(value: Any) -> bool:
    """An E7 value beyond ±180°, that ``e7`` reads as an int32 overflow."""
    try:
        return abs(int(value)) > 1_800_000_000
    except (TypeError, ValueError):
        return False


def semantic_label(value: Any) -> str | None:
    """Google's own place label in one spelling: ``TYPE_HOME`` (Takeout), ``HOME`` (Android),
    ``Home`` / ``Inferred Home`` (iOS) all become ``HOME`` / ``INFERRED_HOME``, so that later
    steps test one value. ``UNKNOWN`` means no label. The raw form stays at the provenance.
    """
    s = text(value)
    if s is None:
        return None
    s = re.sub(r"[\s-]+", "_", s.upper())
    s = s.removeprefix("TYPE_")
    return None if s in ("", "UNKNOWN", "TYPE_UNKNOWN") else s
