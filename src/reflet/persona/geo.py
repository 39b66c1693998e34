"""Small geometry and time helpers for the persona (no dependencies, deterministic)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EARTH_M = 6_371_000.0


def offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    """The point ``north_m`` / ``east_m`` metres away (flat approximation, fine below ~50 km)."""
    dlat = north_m / EARTH_M * 180 / math.pi
    dlon = east_m / (EARTH_M * math.cos(math.radians(lat))) * 180 / math.pi
    return lat + dlat, lon + dlon


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_M * math.asin(min(1.0, math.sqrt(h)))


def bearing_deg(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    y = math.sin(lo2 - lo1) * math.cos(la2)
    x = math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(lo2 - lo1)
    return (math.degrees(math.atan2(y, x)) + 360) % 360


def local_dt(d: date, hours: float, tz: ZoneInfo) -> datetime:
    """``d`` at ``hours`` (may exceed 24) local time in ``tz``, as aware UTC."""
    base = datetime.combine(d, time(0), tzinfo=tz)
    # Add in UTC so DST days are 23 or 25 hours long, as for a real person.
    return (base.astimezone(UTC) + timedelta(hours=hours)).astimezone(UTC)


def midnight(d: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, time(0), tzinfo=tz).astimezone(UTC)


def iso_z(t: datetime, ms: bool = True) -> str:
    """UTC ISO-8601 with ``Z``, as Takeout writes it."""
    t = t.astimezone(UTC)
    if ms:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_local(t: datetime, tz: ZoneInfo, ms: bool = True) -> str:
    """ISO-8601 with the local offset (``2024-06-21T19:51:13.014-06:00``), as the on-device export writes it."""
    lt = t.astimezone(tz)
    s = lt.strftime("%Y-%m-%dT%H:%M:%S")
    if ms:
        s += f".{lt.microsecond // 1000:03d}"
    off = lt.utcoffset() or timedelta(0)
    mins = int(off.total_seconds() // 60)
    sign = "+" if mins >= 0 else "-"
    mins = abs(mins)
    return f"{s}{sign}{mins // 60:02d}:{mins % 60:02d}"


def utc_offset_minutes(t: datetime, tz: ZoneInfo) -> int:
    off = t.astimezone(tz).utcoffset() or timedelta(0)
    return int(off.total_seconds() // 60)
