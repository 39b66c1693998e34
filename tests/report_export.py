"""A small realistic set of exports for report tests: a Google location history with a clear
home/work pattern (Montréal, three weeks) and an X archive (tests/samples/x.py) holding an
e-mail, a phone number, log-in IPs and posts.

``PLANTED`` lists personal values these exports contain, for tests that check where they
must (and must not) appear.
"""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from .builders import make_export
from .samples import x as x_samples

RECORDS = "Takeout/Location History (Timeline)/Records.json"
MTL = ZoneInfo("America/Toronto")
HOME = (45.5231, -73.5817)  # Plateau-Mont-Royal
WORK = (45.4973, -73.5709)  # ~3 km south

PLANTED = {
    "email": "alice@example.org",
    "phone": "+33612345678",
    "ip": "198.51.100.4",
    "post": "Coffee & rain",
}


def _where(t: datetime, home: tuple[float, float], work: tuple[float, float]) -> tuple[tuple[float, float], bool]:
    """Weekdays 08:40-17:00 at work (40 min commute each way); home otherwise."""
    m = t.hour * 60 + t.minute
    if t.weekday() < 5:
        if 480 <= m < 520:
            f = (m - 480) / 40
            return (home[0] + (work[0] - home[0]) * f, home[1] + (work[1] - home[1]) * f), True
        if 520 <= m < 1020:
            return work, False
        if 1020 <= m < 1060:
            f = (m - 1020) / 40
            return (work[0] + (home[0] - work[0]) * f, work[1] + (home[1] - work[1]) * f), True
    return home, False


def location_history(days: int = 21, *, start: date = date(2024, 5, 6), seed: int = 1,
                     work: tuple[float, float] = WORK) -> str:
    """Records.json text: a point every 20 minutes when still, every 5 when moving, ~30 m noise."""
    rng = random.Random(seed)
    t0 = datetime(start.year, start.month, start.day, tzinfo=UTC)
    locs = []
    for minute in range(0, days * 1440, 5):
        t = t0 + timedelta(minutes=minute)
        (lat, lon), moving = _where(t.astimezone(MTL), HOME, work)
        if not moving and minute % 20:
            continue
        lat += rng.gauss(0, 30) / 111_320.0
        lon += rng.gauss(0, 30) / (111_320.0 * math.cos(math.radians(lat)))
        locs.append({"latitudeE7": round(lat * 1e7), "longitudeE7": round(lon * 1e7),
                     "accuracy": rng.randint(15, 50), "source": "GPS",
                     "timestamp": t.isoformat().replace("+00:00", "Z")})
    return json.dumps({"locations": locs})


def x_archive_files(*, drop: tuple[str, ...] = ()) -> dict[str, str | bytes]:
    """One member per X handler, from the shared samples (minus the handlers named in ``drop``).

    The protected-history sample is left out: a protected account's tweets are not public, and the
    report tests look for the public ones.
    """
    files: dict[str, str | bytes] = {}
    for handler, members in x_samples.SAMPLES.items():
        if handler in drop or handler == "x.protected_history":
            continue
        path, content = members[0]
        files[path] = content
    return files


def build_exports(tmp: Path, *, days: int = 21, with_x: bool = True, x_drop: tuple[str, ...] = (),
                  work: tuple[float, float] = WORK) -> list[Path]:
    """The inputs of an audit: a Takeout zip and (optionally) an X archive folder."""
    inputs = [make_export(tmp, "takeout-20240601T000000Z-001", {RECORDS: location_history(days, work=work)},
                          container="zip")]
    if with_x:
        inputs.append(make_export(tmp, "twitter-2024-06-01", x_archive_files(drop=x_drop)))
    return inputs
