"""Coordinates -> IANA timezone, offline (``timezonefinder`` with its packaged data).

Local time always comes from where a record happened, never from the machine
running the audit: a night shift seen from another timezone is still a night shift.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from timezonefinder import TimezoneFinder


@lru_cache(maxsize=1)
def _finder() -> TimezoneFinder:
    return TimezoneFinder()


@lru_cache(maxsize=65536)
def _tz_cell(lat_r: float, lon_r: float) -> str | None:
    return _finder().timezone_at(lat=lat_r, lng=lon_r)


def timezone_at(lat: float, lon: float) -> str | None:
    """The IANA timezone name at a coordinate (cached on a ~1 km grid), or None at sea."""
    # Two decimals (~1 km) is far below the size of any timezone boundary ambiguity that matters here.
    return _tz_cell(round(lat, 2), round(lon, 2))


def local_time(t: datetime, lat: float, lon: float) -> datetime:
    """``t`` (aware) as wall-clock time where (lat, lon) is; UTC when the place has no zone."""
    name = timezone_at(lat, lon)
    return t.astimezone(ZoneInfo(name)) if name else t


__all__ = ["local_time", "timezone_at"]
