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

from . import Member
from ._common import BadValue, check_latlon, e7, stream_items

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


# Sources, device tags and other short codes are a few dozen characters. Longer is not data:
# a 10 MB "deviceTag" would become a 10 MB grouping key in every later query (~100x in memory).
MAX_CODE_CHARS = 1000


def _short(s: str, what: str) -> str:
    if len(s) > MAX_CODE_CHARS:
        raise BadValue(f"{what} is {len(s):,} characters long: not a real value")
    return s


def text(value: Any, what: str = "a text field") -> str | None:
    """A non-empty string, or None (Google writes ids as ints in some files, strings in others)."""
    if value is None or isinstance(value, (dict, list)):
        return None
    s = _short(str(value).strip(), what)
    return s or None


def stream_arrays(member: Member, prefixes: tuple[str, ...]) -> Iterator[tuple[str, int, Any]]:
    """Stream the items of several arrays of one JSON member, one array after the other.

    Yields ``(prefix, index, item)`` with memory bounded by the largest single item.
    One read per prefix, on purpose: feeding one read to several ijson coroutines
    (``items_coro``) was measured 2.5-4x slower on a 96 MB Timeline.json (10-13 s against
    4 s for three ``ijson.items`` passes, which run in ijson's C backend), and re-inflating
    a zip member costs far less than that. A syntax error ends each pass after its last
    complete item; once every pass has run, ``BadValue`` reports the break, so everything
    before it, in every array, has been yielded.
    """
    error: Exception | None = None
    reached: list[str] = []
    for prefix in prefixes:
        i = -1
        try:
            # stream_items: same single pass, plus the shared guards (depth, huge values, UTF-8, big ints).
            for i, item in stream_items(member, prefix):
                yield prefix, i, item
        except BadValue as exc:
            error = error or exc
        reached.append(f"{i + 1} {prefix.split('.')[-2] if '.' in prefix else prefix}")
    if error is not None:
        raise BadValue(f"JSON breaks off (entries read: {', '.join(reached)}; {str(error).splitlines()[0][:100]})")


def device_tag(value: Any) -> str | None:
    """Google's ``deviceTag`` (an int, sometimes a string) as one canonical string.

    Records.json, Semantic Location History and Settings.json must agree on it, since it is
    what links a point to a named phone.
    """
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = _short(str(value).strip(), "deviceTag")
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
