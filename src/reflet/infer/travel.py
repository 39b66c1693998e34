"""Travel: trips abroad (countries, cities, first and last day) and border crossings.

Method: every located point (not IP or profile positions, which are too coarse)
is named by the offline enrichment (country, nearest town, timezone). Points are
counted per local day and country in DuckDB. The home country is the one seen on
the most days. Consecutive days with points abroad, allowing ``GAP_DAYS`` without
data between them, form one trip if at least one of them was spent mostly abroad
(a layover alone is not a trip); its first and last days are those of the first
and last point abroad. A border crossing is the first point seen in a new country
after points in another one, with the time between the two.

Without the place-name enrichment there are no countries: the module then says
nothing rather than guessing from coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..enrich.places import ROUND
from ..findings import Evidence, Finding, msg
from ..store import Store
from . import _shared

GAP_DAYS = 2  # a trip survives two days without any data
EVIDENCE_CAP = 30


@dataclass
class Trip:
    countries: list[str] = field(default_factory=list)
    cities: dict[str, int] = field(default_factory=dict)
    first: date | None = None
    last: date | None = None
    points: int = 0
    evidence: list[Evidence] = field(default_factory=list)
    public: bool = False


def _days(store: Store, channel: str | None = None) -> list[tuple[Any, ...]]:
    tables = {r[0] for r in store.query("SELECT table_name FROM information_schema.tables")}
    if "place_name" not in tables:
        return []
    cond = "TRUE" if channel is None else "list_contains(p.channels, ?)"
    # The local day comes from each zone's UTC offset, read once per zone and UTC day (DuckDB's ICU
    # converting every row with its own zone took 1.4 s of a 700,000-point audit). A day whose offset
    # differs at its two ends holds a change of offset: its rows are converted one by one, as before
    # (no zone changes its offset and back within one day).
    return store.query(f"""
        WITH p AS (
          SELECT p.time, n.country, n.name, coalesce(n.tz, 'UTC') AS tz, p.archive, p.member, p.locator,
                 list_contains(p.channels, 'public') AS public, CAST(floor(epoch(p.time) / 86400) AS BIGINT) AS dn
          FROM place p JOIN place_name n
            ON n.lat_r = round(p.lat, {ROUND}) AND n.lon_r = round(p.lon, {ROUND})
          WHERE p.time IS NOT NULL AND p.kind NOT IN ('ip', 'profile') AND n.country IS NOT NULL AND {cond}),
        d AS (SELECT tz, dn, to_timestamp(dn * 86400) AS t0, to_timestamp(dn * 86400 + 86399) AS t1
              FROM (SELECT DISTINCT tz, dn FROM p)),
        z AS (SELECT tz, dn, epoch_us(timezone(tz, t0)) - dn * 86400000000 AS off,
                     epoch_us(timezone(tz, t0)) - dn * 86400000000
                       = epoch_us(timezone(tz, t1)) - (dn * 86400 + 86399) * 1000000 AS same FROM d)
        SELECT CASE WHEN same THEN DATE '1970-01-01' + CAST(floor((epoch_us(p.time) + off) / 86400000000) AS INTEGER)
                    ELSE CAST(timezone(tz, p.time) AS DATE) END AS day, country, count(*) AS n,
               mode(name) AS city, min(time) AS first_t, max(time) AS last_t,
               arg_min(archive, time), arg_min(member, time), arg_min(locator, time), bool_or(public)
        FROM p JOIN z USING (tz, dn) GROUP BY 1, 2 ORDER BY 1, 2""", [] if channel is None else [channel])


@dataclass
class Travel:
    home: str  # the home country (ISO code)
    trips: list[Trip]
    crossings: list[tuple[datetime, str, str]]  # (time, from, to)
    days: int  # days with named points


def trips(store: Store, channel: str | None = None) -> Travel | None:
    """Trips abroad from the place rows ``channel`` can see (all when None); None without named points.

    Computed once per audit and view of the place table (travel, account and channels ask)."""
    key = _shared.place_key(store, channel)
    return _shared.memo(store, ("travel", *key), lambda: _trips(store, key[0]))


def _trips(store: Store, channel: str | None) -> Travel | None:
    rows = _days(store, channel)
    if not rows:
        return None
    by_day: dict[date, list[tuple[Any, ...]]] = {}
    for r in rows:
        by_day.setdefault(r[0], []).append(r)
    day_count: dict[str, int] = {}
    for items in by_day.values():
        for r in items:
            day_count[r[1]] = day_count.get(r[1], 0) + 1
    home = max(day_count, key=lambda c: day_count[c])
    found_trips: list[Trip] = []
    current: Trip | None = None
    crossings: list[tuple[datetime, str, str]] = []
    last_country: str | None = None
    majority = False
    for day in sorted(by_day):
        items = by_day[day]
        for r in sorted(items, key=lambda r: r[4]):
            if last_country is not None and r[1] != last_country:
                crossings.append((r[4], last_country, r[1]))
            last_country = r[1]
        away = [r for r in items if r[1] != home]
        if not away:
            continue
        # Days with any point abroad extend a trip (the day of the flight out and back); a trip
        # needs at least one day spent mostly abroad, so a layover alone is not a trip.
        if current is None or current.last is None or (day - current.last).days > GAP_DAYS + 1:
            if current is not None and not majority:
                found_trips.pop()
            current, majority = Trip(), False
            found_trips.append(current)
        majority = majority or sum(r[2] for r in away) * 2 > sum(r[2] for r in items)
        current.first = current.first or day
        current.last = day
        for r in away:
            if r[1] not in current.countries:
                current.countries.append(r[1])
                current.evidence.append(Evidence(r[6], r[7], r[8], msg("ev.first_point_in", country=r[1],
                                                                       day=f"{day:%Y-%m-%d}")))
            current.cities[r[3]] = current.cities.get(r[3], 0) + r[2]
            current.points += r[2]
            current.public = current.public or bool(r[9])
    if current is not None and not majority:
        found_trips.pop()
    return Travel(home, found_trips, crossings, len(by_day))


def run(store: Store) -> list[Finding]:
    found = trips(store)
    if found is None or not found.trips:
        return []
    home, trips_, crossings = found.home, found.trips, found.crossings
    distinct = list(dict.fromkeys(c for t in trips_ for c in t.countries))
    described = []
    for t in trips_:
        span = (msg("span.day", day=t.first) if t.first == t.last
                else msg("span.days" if t.first and t.last and t.first.year == t.last.year else "span.days_years",
                         first=t.first, last=t.last))
        described.append(msg("find.travel.trip", countries=t.countries, span=span))
    evidence = [e for t in trips_ for e in t.evidence][:EVIDENCE_CAP]
    public = any(t.public for t in trips_)
    border = [c for c in crossings if home in (c[1], c[2])]
    return [Finding(
        kind="travel.trips", channel="public" if public else "records", severity="medium",
        title=msg("find.travel.trips.title" + ("_more" if len(described) > 4 else ""), n=len(trips_),
                  trips=described[:4], more=len(described) - 4),
        detail=msg("find.travel.trips.detail", home=home, countries=distinct, crossings=len(border)),
        evidence=evidence, evidence_count=sum(len(t.evidence) for t in trips_),
        remediation=["google.location_history"],
        data={"home_country": home, "trips": [
            {"countries": t.countries, "first_day": t.first.isoformat() if t.first else None,
             "last_day": t.last.isoformat() if t.last else None, "points": t.points,
             "cities": sorted(t.cities, key=lambda c: -t.cities[c])[:5]} for t in trips_],
            "crossings": [{"time": c[0].isoformat(), "from": c[1], "to": c[2]} for c in border[:100]]},
    )]

