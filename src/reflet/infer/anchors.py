"""Anchors: where you live, where you work, and the other places you return to.

This is the first thing an analyst does with a location history, and the most
damaging: a home address. The method is the textbook one, so that the report
shows what any competent analyst would get, no more and no less.

Method
------
1. **Usable points** (SQL). Positions from the ``place`` table with a time and an
   accuracy of 250 m or better; IP-based and profile positions are left out (they
   locate a city, not a building). Platform *visits* with an end time are stays in
   their own right.
2. **Dwell per point** (SQL). Each point, in time order per device, is credited
   with the time until the next point when that next point is within 150 m and less
   than 6 hours later: the person stayed put. Esri's "Find Frequented Locations"
   pattern-of-life tool uses a 100 m / 10 minute dwell by default (research.md §A14);
   150 m allows for the noisier fixes phones get indoors.
3. **Candidate places** (SQL + Python). Dwell is summed on a ~50 m grid in SQL; only
   cells holding at least 5 minutes come to Python, where they are grouped greedily,
   heaviest first, into places of 150 m radius (a density clustering: a place is where
   time accumulates, not where points do, so a commute route never becomes a place).
4. **Stays** (SQL). Points are mapped to their place through the grid; consecutive
   points at the same place (per device, gaps under 6 hours) form a stay, kept when it
   lasts 10 minutes or more and holds 3 fixes or more (two fixes hours apart do not show
   that the person stayed put; stay-point detection, as in step 2). Stays at a place
   separated by less than 30 minutes are merged: one stray fix must not cut a night in two.
5. **Local time**. Every stay is cut in 15-minute slices read in the local time *of
   the place* (``reflet.enrich.tz``), never the machine's: a night in Montréal is
   still a night when the audit runs in Paris.
6. **Home** is the place of longest regular sleep-like dwell: the hours spent there in
   stays of 4 hours or more, counted at most 12 hours a day (so a fortnight spent
   entirely in a hotel does not outweigh the home of the other four weeks). Counting
   nights only (22:00-06:00) would put a night-shift worker's home at their workplace;
   long daily dwell does not (tested). Nights decide only when two places tie on long
   days (very long working days): home is then where the nights are spent. Home is
   named only when there are long stays on at least 5 different days and the place
   clearly dominates (score at least 1.5 times the next place); otherwise the finding
   says there is not enough data, never a guess. Two home-like places slept at for two
   weeks or more each, one period after the other (less than 10% overlap), are a move
   (each must dominate its own period): the later one is home, the earlier one a past
   home. A trip falls inside home's period and alternating homes overlap, so neither
   is read as a move.
7. **Work** is the other place with most weekday hours (any time of day, so night
   shifts count; at most 12 hours a day), present on at least 4 different weekdays for
   2 hours or more. A place within home's radius is not reported as work, nor, for
   someone who sleeps at night, a place where they also spend their nights (a hotel).
8. **Radius.** The centre is the coordinate-wise median of the stays' centroids.
   The radius is the largest of: the 95th percentile of the stays' distances to the
   centre, twice the 95th percentile of the centre's displacement over 200 bootstrap
   resamples of the stays, the median stated accuracy of the points, and 50 m. It is
   rounded up to 10 m and reported as a 95% radius. It is deliberately conservative.
9. **Confidence** (0-1, shown as low / medium / high) is a heuristic, not a probability:
   how clearly the place stands out (1 at twice the score of the next place, 0.5 at the
   1.5 threshold) times how much data there is (1 - exp(-days / 14)).

Caveats written into the findings: home-detection methods disagree on the home of up
to ~40% of people in phone-network data (Vanhoof et al. 2018, research.md §B19), their
agreement with ground truth is "moderate at best" (§B20, §B21); with GPS-grade data
the continuity of the recording matters more than its volume (§B22), which is why the
thresholds above count distinct days, not points. Krumm (2007, §B23) showed that such
simple rules find home addresses from GPS tracks.

Platform labels: when a platform itself labelled a place HOME or WORK (Google's
Timeline does), that is reported separately: it is the platform's own inference,
already in its records.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa

from ..enrich.tz import timezone_at
from ..findings import Evidence, Finding, Msg, msg
from ..store import Store
from . import _shared

# -- parameters (see the module docstring for where they come from) ---------------------------
CELL_DEG = 50.0 / 111_320.0  # ~50 m of latitude; cells are square in degrees (no projection shear)
RADIUS_M = 150.0  # a place's radius, and the "stayed put" distance between consecutive points
MAX_GAP_S = 6 * 3600  # a longer silence between two points is not read as a stay
MIN_STAY_S = 10 * 60  # dwell threshold (ArcGIS default: 10 minutes)
MIN_STAY_POINTS = 3  # two fixes hours apart do not show that the person stayed put in between
MERGE_GAP_S = 30 * 60  # stays at one place closer than this are one stay
MIN_CELL_DWELL_S = 5 * 60
MIN_PLACE_DWELL_S = 30 * 60
MAX_PLACES = 300
MAX_ACCURACY_M = 250.0
SLICE_S = 15 * 60
LONG_STAY_S = 4 * 3600  # long enough to sleep
DAY_CAP_H = 12.0
NIGHT_START, NIGHT_END = 22, 6
DAY_START, DAY_END = 8, 19
MIN_HOME_DAYS = 5
MIN_MOVE_DAYS = 14  # slept at for two weeks or more: a home, not a trip
DOMINANCE = 1.5
MIN_WORK_DAYS = 4
MIN_REGULAR_DAYS = 3
MAX_REGULAR = 5
EVIDENCE_CAP = 20
BOOTSTRAP = 200
RADIUS_LEVEL = 0.95
MIN_RADIUS_M = 50.0
EARTH_M = 6_371_008.8

# Positions that locate a city or a declared profile, not where the person physically was.
_EXCLUDED_KINDS = ("ip", "profile")
# Kinds that are samples of a moving device, chained in time to find stays.
_CHAINED_KINDS = ("gps", "wifi", "cell", "unknown")


def _dist_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: exact enough under a few km, and cheap."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_M * math.hypot(x, y)


_SQL_DIST = (  # the same formula in SQL, between columns a_lat/a_lon and b_lat/b_lon
    "{e} * sqrt(pow(radians({b_lon} - {a_lon}) * cos(radians(({a_lat} + {b_lat}) / 2)), 2)"
    " + pow(radians({b_lat} - {a_lat}), 2))"
)


def _sql_dist(a_lat: str, a_lon: str, b_lat: str, b_lon: str) -> str:
    return _SQL_DIST.format(e=EARTH_M, a_lat=a_lat, a_lon=a_lon, b_lat=b_lat, b_lon=b_lon)


# -- data classes ----------------------------------------------------------------------------
@dataclass
class Stay:
    place: int
    start: datetime
    end: datetime
    points: int
    lat: float
    lon: float

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass
class PlaceStats:
    """What one place holds, in the local time of that place."""

    pid: int
    lat: float
    lon: float
    tz: str | None
    stays: list[Stay] = field(default_factory=list)  # raw stays (for the centre and radius)
    merged: list[Stay] = field(default_factory=list)  # stays after merging (what the hours count)
    hours: float = 0.0
    night_hours: float = 0.0
    weekday_hours: float = 0.0
    weekday_day_hours: float = 0.0
    long_hours: float = 0.0  # hours inside stays of LONG_STAY_S or more
    long_night_hours: float = 0.0
    nights: set[date] = field(default_factory=set)  # nights (dated by their evening) with >= 1 h here
    long_days: set[date] = field(default_factory=set)  # days with >= 3 h of a long stay here
    long_by_day: dict[date, float] = field(default_factory=lambda: defaultdict(float))
    weekday_by_day: dict[date, float] = field(default_factory=lambda: defaultdict(float))
    work_days: set[date] = field(default_factory=set)  # weekdays with >= 2 h here
    days: set[date] = field(default_factory=set)  # days with any stay here
    weekday_counts: list[int] = field(default_factory=lambda: [0] * 7)
    hour_counts: list[int] = field(default_factory=lambda: [0] * 24)
    points: int = 0
    night_points: int = 0
    public: bool = False
    adtech: bool = False
    platforms: list[str] = field(default_factory=list)
    first: datetime | None = None
    last: datetime | None = None
    median_accuracy: float | None = None
    radius_m: float = 0.0
    centre: tuple[float, float] = (0.0, 0.0)

    @property
    def rest_score(self) -> float:
        # Hours of long stays, at most DAY_CAP_H a day: a two-week trip spent entirely in a hotel
        # must not outweigh the home of the other four weeks.
        return sum(min(v, DAY_CAP_H) for v in self.long_by_day.values())

    @property
    def sleeps_at_night(self) -> bool:
        return self.long_night_hours >= 0.3 * self.long_hours

    def score_between(self, lo: date, hi: date) -> float:
        return sum(min(v, DAY_CAP_H) for d, v in self.long_by_day.items() if lo <= d <= hi)

    @property
    def work_score(self) -> float:
        # Weekday hours, at most DAY_CAP_H a day: a week in a hotel is not a workplace.
        return sum(min(v, DAY_CAP_H) for v in self.weekday_by_day.values())


# -- step 1-3: candidate places ----------------------------------------------------------------
CHANNELS = ("public", "records", "adtech")


def _channel_filter(channel: str | None) -> str:
    """SQL condition keeping the place rows one channel can see (all rows when ``channel`` is None)."""
    if channel is None:
        return "TRUE"
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return f"list_contains(channels, '{channel}')"


def _prepare_points(store: Store, channel: str | None = None) -> int:
    excluded = ", ".join(f"'{k}'" for k in _EXCLUDED_KINDS)
    chained = ", ".join(f"'{k}'" for k in _CHAINED_KINDS)
    store.con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _anchor_pts AS
        WITH p AS (
            SELECT rowid AS rid, coalesce(device, '') AS dev, time, lat, lon, accuracy_m AS acc,
                   end_time, kind IN ({chained}) AS chain,
                   list_contains(channels, 'public') AS pub, list_contains(channels, 'adtech') AS adt,
                   platform,
                   CAST(floor(lat / {CELL_DEG}) AS BIGINT) AS cy,
                   CAST(floor(lon / {CELL_DEG}) AS BIGINT) AS cx
            FROM place
            WHERE time IS NOT NULL AND kind NOT IN ({excluded}) AND {_channel_filter(channel)}
              AND (accuracy_m IS NULL OR accuracy_m <= {MAX_ACCURACY_M})
        ), n AS (
            SELECT *,
                   lead(time) OVER w AS t_next, lead(lat) OVER w AS lat_next, lead(lon) OVER w AS lon_next
            FROM p WHERE chain
            WINDOW w AS (PARTITION BY dev ORDER BY time, rid)
        )
        SELECT rid, dev, time, lat, lon, acc, end_time, chain, pub, adt, platform, cy, cx,
               CASE WHEN t_next IS NOT NULL
                         AND epoch(t_next) - epoch(time) <= {MAX_GAP_S}
                         AND {_sql_dist('lat', 'lon', 'lat_next', 'lon_next')} <= {RADIUS_M}
                    THEN epoch(t_next) - epoch(time) ELSE 0 END AS dwell
        FROM n
        UNION ALL
        SELECT rid, dev, time, lat, lon, acc, end_time, chain, pub, adt, platform, cy, cx,
               CASE WHEN end_time IS NOT NULL AND end_time > time
                    THEN least(epoch(end_time) - epoch(time), 7 * 86400) ELSE 0 END AS dwell
        FROM p WHERE NOT chain
    """)
    return int(store.query("SELECT count(*) FROM _anchor_pts")[0][0])


@dataclass
class _Cell:
    cy: int
    cx: int
    lat: float
    lon: float
    dwell: float
    place: int = -1


def _cells_around(lat: float, lon: float) -> list[tuple[int, int]]:
    """Grid cells that may hold points within RADIUS_M of (lat, lon)."""
    ry = int(RADIUS_M / 111_320.0 / CELL_DEG) + 2
    rx = int(RADIUS_M / (111_320.0 * max(math.cos(math.radians(lat)), 0.01)) / CELL_DEG) + 2
    cy0, cx0 = math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG)
    return [(cy0 + dy, cx0 + dx) for dy in range(-ry, ry + 1) for dx in range(-rx, rx + 1)]


def _cluster_cells(cells: list[_Cell]) -> list[tuple[float, float, float]]:
    """Greedy density clustering of grid cells, heaviest first. Returns (lat, lon, dwell) per place."""
    index = {(c.cy, c.cx): c for c in cells}
    places: list[tuple[float, float, float]] = []

    def near(lat: float, lon: float) -> list[_Cell]:
        out = []
        for key in _cells_around(lat, lon):
            c = index.get(key)
            if c is not None and c.place < 0 and _dist_m(lat, lon, c.lat, c.lon) <= RADIUS_M:
                out.append(c)
        return out

    for seed in sorted(cells, key=lambda c: (-c.dwell, c.cy, c.cx)):
        if seed.place >= 0:
            continue
        lat, lon = seed.lat, seed.lon
        members: list[_Cell] = [seed]
        for _ in range(3):  # a few mean-shift steps towards where the time is
            members = near(lat, lon) or [seed]
            w = sum(c.dwell for c in members)
            lat = sum(c.lat * c.dwell for c in members) / w
            lon = sum(c.lon * c.dwell for c in members) / w
        members = near(lat, lon)
        if seed not in members:
            members.append(seed)
        w = sum(c.dwell for c in members)
        pid = len(places)
        for c in members:
            c.place = pid
        places.append((lat, lon, w))
    return [p for p in places if p[2] >= MIN_PLACE_DWELL_S][:MAX_PLACES]


def _lookup_table(places: list[tuple[float, float, float]]) -> pa.Table:
    """Grid cell -> nearest place within RADIUS_M, so points find their place with a hash join."""
    best: dict[tuple[int, int], tuple[float, int]] = {}
    for pid, (lat, lon, _) in enumerate(places):
        for cy, cx in _cells_around(lat, lon):
            d = _dist_m(lat, lon, (cy + 0.5) * CELL_DEG, (cx + 0.5) * CELL_DEG)
            if d <= RADIUS_M and d < best.get((cy, cx), (math.inf, -1))[0]:
                best[(cy, cx)] = (d, pid)
    keys = list(best)
    zones = [timezone_at(lat, lon) or "UTC" for lat, lon, _ in places]
    return pa.table({
        "cy": pa.array([k[0] for k in keys], pa.int64()),
        "cx": pa.array([k[1] for k in keys], pa.int64()),
        "place": pa.array([best[k][1] for k in keys], pa.int32()),
        "tz": pa.array([zones[best[k][1]] for k in keys], pa.string()),
    })


# -- step 4: stays ----------------------------------------------------------------------------
def _stays(store: Store) -> list[Stay]:
    rows = store.query(f"""
        WITH o AS (
            SELECT rid, dev, time, lat, lon, place,
                   CASE WHEN place IS NOT DISTINCT FROM lag(place) OVER w
                             AND epoch(time) - epoch(lag(time) OVER w) <= {MAX_GAP_S}
                        THEN 0 ELSE 1 END AS brk
            FROM _anchor_asg WHERE chain
            WINDOW w AS (PARTITION BY dev ORDER BY time, rid)
        ), r AS (
            SELECT *, sum(brk) OVER (PARTITION BY dev ORDER BY time, rid ROWS UNBOUNDED PRECEDING) AS run
            FROM o
        )
        SELECT place, min(time), max(time), count(*), avg(lat), avg(lon)
        FROM r WHERE place IS NOT NULL
        GROUP BY dev, run, place
        HAVING epoch(max(time)) - epoch(min(time)) >= {MIN_STAY_S} AND count(*) >= {MIN_STAY_POINTS}
        UNION ALL
        SELECT place, time, least(end_time, time + INTERVAL 7 DAY), 1, lat, lon FROM _anchor_asg
        WHERE NOT chain AND place IS NOT NULL AND end_time IS NOT NULL
          AND epoch(end_time) - epoch(time) >= {MIN_STAY_S}
    """)
    return sorted((Stay(int(p), _aware(a), _aware(b), int(n), float(la), float(lo))
                   for p, a, b, n, la, lo in rows), key=lambda s: (s.start, s.place))


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def _merge(stays: list[Stay]) -> list[Stay]:
    """Per place, the union of its stays, closing gaps under MERGE_GAP_S.

    One stray fix must not cut a night in two, and two devices at one place (a phone and
    a tablet left at home) must not count its hours twice. Places are merged separately:
    a tablet at home must not erase the phone's day at work.
    """
    out: list[Stay] = []
    for s in sorted(stays, key=lambda s: (s.place, s.start)):
        prev = out[-1] if out else None
        if prev is not None and prev.place == s.place and (s.start - prev.end).total_seconds() <= MERGE_GAP_S:
            prev.end = max(prev.end, s.end)
            prev.points += s.points
        else:
            out.append(Stay(s.place, s.start, s.end, s.points, s.lat, s.lon))
    return out


# -- step 5: local-time accounting ------------------------------------------------------------
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_HOUR_US, _DAY_US = 3_600_000_000, 86_400_000_000
_DATES: dict[int, date] = {}  # day number since 1970 -> date
_DAY0 = date(1970, 1, 1).toordinal()


def _constant_offset(tz: ZoneInfo | Any, start: datetime, end: datetime) -> timedelta | None:
    """The zone's UTC offset over [start, end] when it does not change (checked every 12 hours), else None."""
    off = start.astimezone(tz).utcoffset()
    t = start
    while t < end:
        t = min(t + timedelta(hours=12), end)
        if t.astimezone(tz).utcoffset() != off:
            return None
    return off


def _account(ps: PlaceStats, stay: Stay) -> None:
    tz = ZoneInfo(ps.tz) if ps.tz else UTC
    long_stay = stay.seconds >= LONG_STAY_S
    per_night: dict[date, float] = defaultdict(float)
    per_day_long: dict[date, float] = defaultdict(float)
    per_weekday: dict[date, float] = defaultdict(float)
    off = _constant_offset(tz, stay.start, stay.end)
    if off is not None:
        # The same slices and sums as below, on integer microseconds with one offset for the stay:
        # converting each slice to local time was most of the inference's Python time.
        t_us, end_us, off_us = (stay.start - _EPOCH) // _US, (stay.end - _EPOCH) // _US, off // _US
        night_us = (NIGHT_END + 1) * _HOUR_US
        # Totals in locals, added to in the same order: the same floats, without attribute lookups.
        hours, night_hours, weekday_hours = ps.hours, ps.night_hours, ps.weekday_hours
        weekday_day_hours, long_hours, long_night_hours = ps.weekday_day_hours, ps.long_hours, ps.long_night_hours
        days, hour_counts, weekday_by_day, long_by_day = ps.days, ps.hour_counts, ps.weekday_by_day, ps.long_by_day
        dates = _DATES
        while t_us < end_us:
            step = min(SLICE_S, (end_us - t_us) / 10**6)
            h = step / 3600.0
            local = t_us + off_us
            hour, dn = (local // _HOUR_US) % 24, local // _DAY_US
            day = dates.get(dn) or dates.setdefault(dn, date.fromordinal(_DAY0 + dn))
            night = hour >= NIGHT_START or hour < NIGHT_END
            hours += h
            days.add(day)
            hour_counts[hour] += 1
            if night:
                night_hours += h
                nd = (local - night_us) // _DAY_US
                per_night[dates.get(nd) or dates.setdefault(nd, date.fromordinal(_DAY0 + nd))] += h
            if (dn + 3) % 7 < 5:  # a weekday (1 January 1970 was a Thursday)
                weekday_hours += h
                per_weekday[day] += h
                weekday_by_day[day] += h
                if DAY_START <= hour < DAY_END:
                    weekday_day_hours += h
            if long_stay:
                long_hours += h
                per_day_long[day] += h
                long_by_day[day] += h
                if night:
                    long_night_hours += h
            t_us += SLICE_S * 1_000_000
        ps.hours, ps.night_hours, ps.weekday_hours = hours, night_hours, weekday_hours
        ps.weekday_day_hours, ps.long_hours, ps.long_night_hours = weekday_day_hours, long_hours, long_night_hours
        _account_end(ps, stay, tz, per_night, per_day_long, per_weekday)
        return
    t = stay.start
    while t < stay.end:
        step = min(SLICE_S, (stay.end - t).total_seconds())
        h = step / 3600.0
        local = t.astimezone(tz)
        hour, wd, day = local.hour, local.weekday(), local.date()
        night = hour >= NIGHT_START or hour < NIGHT_END
        ps.hours += h
        ps.days.add(day)
        ps.hour_counts[hour] += 1
        if night:
            ps.night_hours += h
            per_night[(local - timedelta(hours=NIGHT_END + 1)).date()] += h  # the night of its evening
        if wd < 5:
            ps.weekday_hours += h
            per_weekday[day] += h
            ps.weekday_by_day[day] += h
            if DAY_START <= hour < DAY_END:
                ps.weekday_day_hours += h
        if long_stay:
            ps.long_hours += h
            per_day_long[day] += h
            ps.long_by_day[day] += h
            if night:
                ps.long_night_hours += h
        t += timedelta(seconds=step)
    _account_end(ps, stay, tz, per_night, per_day_long, per_weekday)


def _account_end(ps: PlaceStats, stay: Stay, tz: ZoneInfo | Any, per_night: dict[date, float],
                 per_day_long: dict[date, float], per_weekday: dict[date, float]) -> None:
    ps.weekday_counts[stay.start.astimezone(tz).weekday()] += 1
    ps.nights.update(d for d, v in per_night.items() if v >= 1.0)
    ps.long_days.update(d for d, v in per_day_long.items() if v >= 3.0)
    ps.work_days.update(d for d, v in per_weekday.items() if v >= 2.0)


# -- step 8: centre and radius ----------------------------------------------------------------
def _median(values: Sequence[float]) -> float:
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def _quantile(values: Sequence[float], q: float) -> float:
    v = sorted(values)
    if not v:
        return 0.0
    i = min(len(v) - 1, max(0, math.ceil(q * len(v)) - 1))
    return v[i]


def _centre_radius(ps: PlaceStats) -> None:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    stays = ps.stays or [Stay(ps.pid, epoch, epoch, 1, ps.lat, ps.lon)]  # only the cluster's centre is known
    lat = _median([s.lat for s in stays])
    lon = _median([s.lon for s in stays])
    spread = _quantile([_dist_m(lat, lon, s.lat, s.lon) for s in stays], RADIUS_LEVEL)
    shifts = []
    if len(stays) > 1:
        # All resamples at once (numpy): the Python loop took 2 s of every audit's inference.
        rng = np.random.default_rng(abs(int(ps.pid)))  # deterministic: the same data gives the same report
        pick = rng.integers(0, len(stays), size=(BOOTSTRAP, len(stays)))
        lats = np.median(np.array([s.lat for s in stays])[pick], axis=1)
        lons = np.median(np.array([s.lon for s in stays])[pick], axis=1)
        shifts = [_dist_m(lat, lon, float(a), float(b)) for a, b in zip(lats, lons, strict=True)]
    boot = 2 * _quantile(shifts, RADIUS_LEVEL) if shifts else 0.0
    r = max(spread, boot, ps.median_accuracy or 0.0, MIN_RADIUS_M)
    ps.centre = (lat, lon)
    ps.radius_m = float(math.ceil(r / 10.0) * 10)


# -- evidence ---------------------------------------------------------------------------------
def _evidence(store: Store, pid: int, tz: str | None, night_only: bool) -> list[Evidence]:
    # A hash order gives a sample spread over the whole period, the same on every run.
    # The zone is a constant here: a per-row zone column makes DuckDB's ICU ten times slower.
    if night_only:
        # A row's local hour from the zone's offset at the start of its UTC day (SQL's % keeps the sign:
        # a time before 1970 must not give a negative hour); rows of a day whose offset changes (a clock
        # change) are converted one by one.
        rids = [r[0] for r in store.query(f"""
            WITH a AS (SELECT rid, time, CAST(floor(epoch_us(time) / {_DAY_US}) AS BIGINT) AS dn
                       FROM _anchor_asg WHERE place = ?),
            z AS (SELECT dn, epoch_us(timezone(?, to_timestamp(dn * 86400))) - dn * {_DAY_US} AS off,
                         epoch_us(timezone(?, to_timestamp(dn * 86400))) - dn * {_DAY_US}
                           = epoch_us(timezone(?, to_timestamp(dn * 86400 + 86399))) - (dn * 86400 + 86399) * 1000000
                           AS same
                  FROM (SELECT DISTINCT dn FROM a)),
            h AS (SELECT rid,
                         CASE WHEN same THEN (CAST(floor((epoch_us(time) + off) / {_HOUR_US}) AS BIGINT) % 24 + 24) % 24
                              ELSE hour(timezone(?, time)) END AS hr FROM a JOIN z USING (dn))
            SELECT rid FROM h WHERE hr >= {NIGHT_START} OR hr < {NIGHT_END} ORDER BY hash(rid) LIMIT {EVIDENCE_CAP}
        """, [pid, *[tz or "UTC"] * 4])]
    else:
        rids = [r[0] for r in store.query(
            f"SELECT rid FROM _anchor_asg WHERE place = ? ORDER BY hash(rid) LIMIT {EVIDENCE_CAP}", [pid])]
    if not rids:
        return []
    rows = store.query(f"""
        SELECT archive, member, locator, time, lat, lon, accuracy_m, kind, end_time, ? FROM place
        WHERE rowid IN ({", ".join("?" * len(rids))}) ORDER BY time, locator
    """, [tz, *rids])
    out = []
    for archive, member, locator, t, lat, lon, acc, kind, end, tzname in rows:
        local = _aware(t).astimezone(ZoneInfo(tzname)) if tzname else _aware(t)
        what = msg("ev.point", weekday=local.weekday(), when=f"{local:%Y-%m-%d %H:%M}",
                   until=msg("ev.until", time=f"{_aware(end).astimezone(local.tzinfo):%H:%M}")
                   if end is not None else msg("word.empty"),
                   lat=round(float(lat), 5), lon=round(float(lon), 5),
                   acc=msg("ev.accuracy", m=round(float(acc))) if acc is not None else msg("word.empty"),
                   kind=msg("ev.kind", kind=kind) if kind and kind != "unknown" else msg("word.empty"))
        out.append(Evidence(archive, member, locator, what))
    return out


def _channel(ps: PlaceStats) -> str:
    # The strongest channel that can see it: anyone (public) > advertisers > legal process.
    return "public" if ps.public else "adtech" if ps.adtech else "records"


def _data(ps: PlaceStats, confidence: float | None) -> dict[str, Any]:
    return {
        "lat": round(ps.centre[0], 6), "lon": round(ps.centre[1], 6), "radius_m": ps.radius_m,
        "radius_level": RADIUS_LEVEL, "confidence": confidence, "nights": len(ps.nights),
        "days": len(ps.days), "weekdays": len(ps.work_days), "points": ps.points,
        "night_points": ps.night_points, "stays": len(ps.stays), "hours": round(ps.hours, 1),
        "night_hours": round(ps.night_hours, 1), "weekday_hours": round(ps.weekday_hours, 1),
        "weekday_day_hours": round(ps.weekday_day_hours, 1), "tz": ps.tz,
        "first_seen": ps.first.isoformat() if ps.first else None,
        "last_seen": ps.last.isoformat() if ps.last else None,
        "near": None,  # filled by a reverse-geocoding enrichment when one is installed
        "channels": sorted({"records"} | ({"public"} if ps.public else set()) | ({"adtech"} if ps.adtech else set())),
    }


def _span(ps: PlaceStats) -> Msg:
    if ps.first and ps.last:
        return msg("span.between", first=ps.first.date(), last=ps.last.date()) if (
            ps.first.year, ps.first.month) != (ps.last.year, ps.last.month) else msg("span.in", month=ps.first.date())
    return msg("word.empty")


# -- the inference ----------------------------------------------------------------------------
def run(store: Store) -> list[Finding]:
    return list(analyse(store).findings) + _labels(store)


def analyse(store: Store, channel: str | None = None) -> Analysis:
    """The anchor inference on the place rows ``channel`` can see (all of them when None).

    ``routine`` and ``channels`` call this to reuse the places, stays and choices; the
    temporary tables are gone when it returns. Results are cached while the place table is unchanged,
    and a channel that sees every row shares the all-rows analysis."""
    _channel_filter(channel)  # an unknown channel is an error, cached or not
    key = _shared.place_key(store, channel)
    return _shared.memo(store, ("anchors", *key), lambda: _analyse(store, key[0]))


def _analyse(store: Store, channel: str | None) -> Analysis:
    if _prepare_points(store, channel) == 0:
        store.con.execute("DROP TABLE IF EXISTS _anchor_pts")
        if store.query(f"SELECT count(*) FROM place WHERE {_channel_filter(channel)}")[0][0]:
            # only city-level positions (IP addresses, profiles): say so
            reason = msg("reason.city_only")
            return Analysis([_unknown(reason, 0, 0)], reason=reason)
        return Analysis([], reason=msg("reason.no_points_channel") if channel else msg("reason.no_points"))
    try:
        result = _infer(store)
        _name_places(store, result.findings)
    finally:
        for t in ("_anchor_pts", "_anchor_asg"):
            store.con.execute(f"DROP TABLE IF EXISTS {t}")
        try:
            store.con.unregister("_anchor_lookup")
        except Exception:  # noqa: BLE001 - never registered when nothing qualified
            pass
    return result


def _name_places(store: Store, findings: list[Finding]) -> None:
    """Fill ``near`` ("1.2 km north-east of Saint-Denis") from the enrichment's place names, offline."""
    tables = {r[0] for r in store.query("SELECT table_name FROM information_schema.tables")}
    if "place_name" not in tables:
        return
    for f in findings:
        lat, lon = f.data.get("lat"), f.data.get("lon")
        if lat is None or lon is None or f.data.get("near"):
            continue
        # The rounded coordinates of the anchor's own points are named; take the closest within ~300 m.
        row = store.query(
            "SELECT description, name, admin1, country, distance_km, bearing FROM place_name "
            "WHERE abs(lat_r - ?) < 0.003 AND abs(lon_r - ?) < 0.004 "
            "ORDER BY (lat_r - ?) ^ 2 + (lon_r - ?) ^ 2 LIMIT 1", [lat, lon, lat, lon])
        if row and row[0][0]:
            f.data["near"] = row[0][0]
            # The same, in parts, for the report to say it in the reader's language.
            f.data["near_parts"] = dict(zip(("name", "admin1", "country", "km", "bearing"), row[0][1:]))


def _unknown(reason: str, n_points: int, n_days: int) -> Finding:
    return Finding(
        kind="anchor.home.unknown", channel="records", severity="info",
        title=msg("find.anchor.home.unknown.title"),
        detail=msg("find.anchor.home.unknown.detail", reason=reason, points=n_points, days=n_days),
        data={"points": n_points, "days": n_days, "reason": reason},
    )


@dataclass
class Analysis:
    """What the anchor inference found: its findings and the places behind them (for routine, channels)."""

    findings: list[Finding]
    places: dict[int, PlaceStats] = field(default_factory=dict)
    home: PlaceStats | None = None
    past_home: PlaceStats | None = None
    work: PlaceStats | None = None
    points: int = 0
    reason: str = ""  # why no home, when there is none


def _infer(store: Store) -> Analysis:
    n_points, n_days = (int(v or 0) for v in store.query(
        # UTC days (the store's zone), counted on integers: a cast per row goes through ICU.
        f"SELECT count(*), count(DISTINCT CAST(floor(epoch_us(time) / {_DAY_US}) AS BIGINT)) FROM _anchor_pts")[0])
    cells = [_Cell(int(cy), int(cx), float(la), float(lo), float(d)) for cy, cx, la, lo, d in store.query(f"""
        SELECT cy, cx, sum(lat * greatest(dwell, 1)) / sum(greatest(dwell, 1)),
               sum(lon * greatest(dwell, 1)) / sum(greatest(dwell, 1)), sum(dwell) AS d
        FROM _anchor_pts GROUP BY cy, cx HAVING sum(dwell) >= {MIN_CELL_DWELL_S}
        ORDER BY d DESC, cy, cx LIMIT 50000
    """)]
    places = _cluster_cells(cells)
    if not places:
        reason = msg("reason.no_stay")
        return Analysis([_unknown(reason, n_points, n_days)], points=n_points, reason=reason)
    store.con.register("_anchor_lookup", _lookup_table(places))
    store.con.execute("""
        CREATE OR REPLACE TEMP TABLE _anchor_asg AS
        SELECT p.*, l.place, l.tz FROM _anchor_pts p LEFT JOIN _anchor_lookup l USING (cy, cx)
    """)
    stats = {pid: PlaceStats(pid, lat, lon, timezone_at(lat, lon)) for pid, (lat, lon, _) in enumerate(places)}
    raw = _stays(store)
    for s in raw:
        stats[s.place].stays.append(s)
    for s in _merge(raw):
        stats[s.place].merged.append(s)
        _account(stats[s.place], s)
    # Night points: a point's local hour is its 15-minute bucket's (every zone's offset is a multiple of
    # 15 minutes), read from its zone's offset at the start of its UTC day (DuckDB's ICU converting rows
    # one by one, each with its own zone, is slow). A day holding a change of offset (no zone changes
    # and changes back within one day) has its buckets converted one by one.
    for pid, n, n_night, pub, adt, plats, first, last, acc in store.query(f"""
        WITH d AS (
            SELECT tz, dn, to_timestamp(dn * 86400) AS t0, to_timestamp(dn * 86400 + 86399) AS t1
            FROM (SELECT DISTINCT tz, CAST(floor(epoch_us(time) / {_DAY_US}) AS BIGINT) AS dn
                  FROM _anchor_asg WHERE place IS NOT NULL)
        ), z AS (
            SELECT tz, dn, epoch_us(timezone(tz, t0)) - dn * {_DAY_US} AS off,
                   epoch_us(timezone(tz, t0)) - dn * {_DAY_US}
                     = epoch_us(timezone(tz, t1)) - (dn * 86400 + 86399) * 1000000 AS same FROM d
        ), h AS (
            SELECT a.place, a.pub, a.adt, a.platform, a.time, a.end_time, a.acc,
                   CASE WHEN z.same THEN (CAST(floor((epoch_us(a.time) + z.off) / {_HOUR_US}) AS BIGINT) % 24 + 24) % 24
                        ELSE hour(timezone(a.tz, to_timestamp(floor(epoch(a.time) / 900) * 900))) END AS hr
            FROM _anchor_asg a JOIN z ON z.tz = a.tz AND z.dn = CAST(floor(epoch_us(a.time) / {_DAY_US}) AS BIGINT)
            WHERE a.place IS NOT NULL
        )
        SELECT place, count(*),
               count(*) FILTER (WHERE hr >= {NIGHT_START} OR hr < {NIGHT_END}),
               bool_or(pub), bool_or(adt), list_sort(list_distinct(list(platform))), min(time),
               max(coalesce(end_time, time)), median(acc)
        FROM h GROUP BY place
    """):
        ps = stats[int(pid)]
        ps.points, ps.night_points, ps.public, ps.adtech = int(n), int(n_night), bool(pub), bool(adt)
        ps.platforms, ps.first, ps.last = list(plats), _aware(first), _aware(last)
        ps.median_accuracy = float(acc) if acc is not None else None

    ranked = sorted(stats.values(), key=lambda p: (-p.rest_score, -len(p.nights), p.pid))
    findings: list[Finding] = []
    home, past, second, reason = _choose_home(ranked)
    if home is None:
        findings.append(_unknown(reason, n_points, n_days))
    else:
        for p, is_past in ((home, False), (past, True)):
            if p is None:
                continue
            _centre_radius(p)
            conf = _confidence(p.rest_score, second, len(p.long_days))
            findings.append(_home_finding(store, p, conf, past=is_past,
                                          moved_from=past if not is_past else None))

    others = [p for p in ranked if p is not home and p is not past]
    work_cands = [p for p in others if len(p.work_days) >= MIN_WORK_DAYS
                  # Someone who sleeps at night does not work where they also sleep (a hotel, a partner's).
                  and not (home is not None and home.sleeps_at_night and len(p.nights) >= 0.5 * len(p.work_days))]
    work = max(work_cands, key=lambda p: (p.work_score, -p.pid)) if work_cands else None
    if work is not None and home is not None:
        _centre_radius(work)
        if _dist_m(*home.centre, *work.centre) < home.radius_m:
            work = None  # working from home: the home finding says it all
    if work is not None:
        if home is None:
            _centre_radius(work)
        wsecond = max((p.work_score for p in work_cands if p is not work), default=0.0)
        findings.append(_work_finding(store, work, _confidence(work.work_score, wsecond, len(work.work_days))))

    regular = [p for p in others if p is not work and len(p.days) >= MIN_REGULAR_DAYS]
    regular.sort(key=lambda p: (-len(p.days), -p.hours, p.pid))
    for p in regular[:MAX_REGULAR]:
        _centre_radius(p)
        findings.append(_regular_finding(store, p))
    return Analysis(findings, stats, home, past, work, n_points, reason)


def _confidence(score: float, rival: float, days: int) -> float:
    """0-1: how clearly the place stands out (1 at twice the next place, 0.5 at the 1.5 threshold)
    times how much data there is (distinct days, saturating after a few weeks). A heuristic, not
    a probability: the radius carries the 95%."""
    clear = min(1.0, max(0.0, score / max(rival, 1e-9) - 1.0))
    volume = 1.0 - math.exp(-days / 14.0)
    return round(min(clear * volume, 0.99), 2)


def _choose_home(ranked: list[PlaceStats]) -> tuple[PlaceStats | None, PlaceStats | None, float, str]:
    """(home, past home, the best rival's score, why no home) from places ranked by rest score."""
    # A move: two home-like places, one period after the other. Each must dominate its own period.
    for i, j in ((0, 1), (0, 2), (1, 2)):
        if j < len(ranked) and _moved(ranked[i], ranked[j]):
            past, home = sorted((ranked[i], ranked[j]), key=lambda p: max(p.long_days))
            rivals = [p for p in ranked if p is not home and p is not past]
            worst = math.inf
            for h in (home, past):
                lo, hi = min(h.long_days), max(h.long_days)
                rival = max((p.score_between(lo, hi) for p in rivals), default=0.0)
                worst = min(worst, h.score_between(lo, hi) / max(rival, 1e-9))
            if worst >= DOMINANCE:
                return home, past, max((p.rest_score for p in rivals), default=0.0), ""
    top = ranked[0]
    second = ranked[1].rest_score if len(ranked) > 1 else 0.0
    if len(top.long_days) < MIN_HOME_DAYS:
        return None, None, 0.0, msg("reason.few_long_days", min=MIN_HOME_DAYS, most=len(top.long_days))
    if top.rest_score >= DOMINANCE * second:
        return top, None, second, ""
    # Long days at two places (long working hours): the one where the nights are spent is home.
    a, b = sorted(ranked[:2], key=lambda p: -len(p.nights))
    if len(a.nights) >= max(MIN_HOME_DAYS, DOMINANCE * len(b.nights)) and len(a.long_days) >= MIN_HOME_DAYS:
        return a, None, max(p.rest_score for p in ranked if p is not a), ""
    return None, None, 0.0, msg("reason.shared_nights")


def _moved(a: PlaceStats, b: PlaceStats) -> bool:
    """Two places each slept at for two weeks or more, one period after the other (a move, not a trip)."""
    if min(len(a.long_days), len(b.long_days)) < MIN_MOVE_DAYS:
        return False

    def inside(days: set[date], other: set[date]) -> float:
        lo, hi = min(other), max(other)
        return sum(lo <= d <= hi for d in days) / len(days)

    # A trip falls inside home's period; alternating homes overlap; a move barely does.
    return inside(a.long_days, b.long_days) <= 0.1 and inside(b.long_days, a.long_days) <= 0.1


def _home_finding(store: Store, ps: PlaceStats, confidence: float, *, past: bool = False,
                  moved_from: PlaceStats | None = None) -> Finding:
    night_sleeper = ps.sleeps_at_night
    whose = "home_past" if past else "home"
    if night_sleeper:
        title = msg(f"find.anchor.{whose}.title.night", radius=ps.radius_m, points=ps.night_points,
                    until=max(ps.long_days) if past else None)
        how = msg("find.anchor.how.night", nights=len(ps.nights), tz=ps.tz or "UTC")
    else:
        title = msg(f"find.anchor.{whose}.title.day", radius=ps.radius_m, points=ps.points,
                    until=max(ps.long_days) if past else None)
        how = msg("find.anchor.how.day", days=len(ps.long_days))
    moved = (msg("find.anchor.moved", month=min(ps.long_days)) if moved_from is not None else msg("word.empty"))
    detail = msg(f"find.anchor.{whose}.detail", how=how, span=_span(ps), moved=moved, lat=round(ps.centre[0], 5),
                 lon=round(ps.centre[1], 5), radius=ps.radius_m, caveat=msg("find.anchor.caveat"))
    return Finding(
        kind="anchor.home.past" if past else "anchor.home", channel=_channel(ps),
        severity="high" if past else "critical", title=title, detail=detail,
        evidence=_evidence(store, ps.pid, ps.tz, night_only=night_sleeper), evidence_count=ps.points,
        platforms=ps.platforms, remediation=[f"{p}.location_history" for p in ps.platforms],
        data=_data(ps, confidence) | {"rest_pattern": "night" if night_sleeper else "day"},
    )


def _work_finding(store: Store, ps: PlaceStats, confidence: float) -> Finding:
    night_shift = ps.weekday_day_hours < 0.5 * ps.weekday_hours
    when = msg("word.mostly_night") if night_shift else msg("word.mostly_day")
    title = msg("find.anchor.work.title", radius=ps.radius_m, points=ps.points, weekdays=len(ps.work_days))
    detail = msg("find.anchor.work.detail", hours=round(ps.weekday_hours), when=when, tz=ps.tz or "UTC",
                 days=len(ps.work_days), span=_span(ps), lat=round(ps.centre[0], 5), lon=round(ps.centre[1], 5),
                 radius=ps.radius_m)
    return Finding(
        kind="anchor.work", channel=_channel(ps), severity="high", title=title, detail=detail,
        evidence=_evidence(store, ps.pid, ps.tz, night_only=False), evidence_count=ps.points,
        platforms=ps.platforms, remediation=[f"{p}.location_history" for p in ps.platforms],
        data=_data(ps, confidence) | {"shift": "night" if night_shift else "day"},
    )


def _regular_finding(store: Store, ps: PlaceStats) -> Finding:
    wd = max(range(7), key=lambda i: (ps.weekday_counts[i], -i))
    hr = max(range(24), key=lambda i: (ps.hour_counts[i], -i))
    title = msg("find.anchor.regular.title", radius=ps.radius_m, stays=len(ps.stays), days=len(ps.days))
    detail = msg("find.anchor.regular.detail", weekday=wd, hour=f"{hr:02d}:00", span=_span(ps),
                 hours=round(ps.hours), lat=round(ps.centre[0], 5), lon=round(ps.centre[1], 5))
    return Finding(
        kind="anchor.regular", channel=_channel(ps), severity="medium", title=title, detail=detail,
        evidence=_evidence(store, ps.pid, ps.tz, night_only=False), evidence_count=ps.points,
        platforms=ps.platforms, remediation=[f"{p}.location_history" for p in ps.platforms],
        data=_data(ps, None),
    )


# -- the platform's own labels ----------------------------------------------------------------
def _labels(store: Store) -> list[Finding]:
    """Places a platform itself labelled HOME or WORK: its own inference, already in its records."""
    findings = []
    for what, pattern, severity in (("home", "%HOME%", "critical"), ("work", "%WORK%", "high")):
        rows = store.query("""
            SELECT platform, count(*), median(lat), median(lon), bool_or(list_contains(channels, 'public')),
                   min(time), max(coalesce(end_time, time))
            FROM place WHERE upper(label) LIKE ? GROUP BY platform ORDER BY 2 DESC, 1
        """, [pattern])
        for platform, n, lat, lon, pub, first, last in rows:
            ev = [Evidence(a, m, loc, msg("ev.label_named" if nm else "ev.label", label=lab, lat=round(float(la), 5),
                                          lon=round(float(lo), 5), name=nm))
                  for a, m, loc, lab, la, lo, nm in store.query("""
                    SELECT archive, member, locator, label, lat, lon, name FROM place
                    WHERE upper(label) LIKE ? AND platform = ? ORDER BY time NULLS FIRST, member, locator LIMIT ?
                  """, [pattern, platform, EVIDENCE_CAP])]
            findings.append(Finding(
                kind=f"anchor.label.{what}", channel="public" if pub else "records", severity=severity,
                title=msg(f"find.anchor.label.{what}.title", platform=platform),
                detail=msg(f"find.anchor.label.{what}.detail", platform=platform, n=int(n), lat=round(float(lat), 5),
                           lon=round(float(lon), 5)),
                evidence=ev, evidence_count=int(n), platforms=[platform],
                remediation=[f"{platform}.location_history"],
                data={"lat": round(float(lat), 6), "lon": round(float(lon), 6), "points": int(n),
                      "first_seen": _aware(first).isoformat() if first else None,
                      "last_seen": _aware(last).isoformat() if last else None, "near": None},
            ))
    return findings


__all__ = ["CHANNELS", "Analysis", "analyse", "run"]
