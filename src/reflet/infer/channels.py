"""Channel separation: what each channel alone gives away (public posts, platform records, ad-tech).

An analyst rarely holds everything. A contractor scraping public posts sees only the
``public`` records; a subpoena returns a platform's ``records``; a data broker sells what
reached ``adtech``. This module runs the same home and travel inference (``anchors.analyse``,
``travel.trips``) on the place rows each channel can see, and says what it gives:
"From your public posts alone, your home can be placed within 1.2 km", or "not enough to say".

Public geotags (photos, posts, check-ins) are single instants with no dwell, so the stay-based
method finds nothing in them. For those point events the home is the densest place among them
(same grid and 150 m clustering as ``anchors``), named only when it holds at least
``MIN_GEOTAG_POINTS`` points on at least ``MIN_GEOTAG_DAYS`` different days and
``anchors.DOMINANCE`` times the points of the next place. Continuous tracks (GPS, Wi-Fi, cell)
never use this fallback: a few dozen daytime fixes must stay "not enough data".

Also: the home city from fixed-line IP log-ins alone (``login`` + ``ip_info``, net_type
``fixed``): the most common city among those log-ins, with the database's radius.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from ..findings import Evidence, Finding, msg
from ..store import Store
from . import anchors, travel

MIN_GEOTAG_POINTS = 8
MIN_GEOTAG_DAYS = 5
MAX_GEOTAG_POINTS = 200_000
MIN_IP_LOGINS = 3
EVIDENCE_CAP = 10
_POINT_KINDS = ("geotag", "checkin")

# Per channel: "From your public posts and photos alone", "Anyone who collects public posts"
# (channel.lead.<channel>, channel.who.<channel> in the translation files).
WHO = {c: (msg(f"channel.lead.{c}"), msg(f"channel.who.{c}")) for c in ("public", "records", "adtech")}

_NONE = {c: msg(f"reason.none.{c}") for c in ("public", "records", "adtech")}


def _geotag_home(store: Store, channel: str) -> dict[str, Any] | None:
    """Home as the densest place among point events (geotags, check-ins) of one channel."""
    kinds = ", ".join(f"'{k}'" for k in _POINT_KINDS)
    rows = store.query(f"""
        SELECT lat, lon, time, archive, member, locator, platform FROM place
        WHERE time IS NOT NULL AND kind IN ({kinds}) AND list_contains(channels, ?)
          AND (accuracy_m IS NULL OR accuracy_m <= {anchors.MAX_ACCURACY_M})
        ORDER BY hash(rowid) LIMIT {MAX_GEOTAG_POINTS}""", [channel])
    if len(rows) < MIN_GEOTAG_POINTS:
        return None
    cells: dict[tuple[int, int], list[Any]] = {}
    for lat, lon, *_ in rows:  # rows: (lat, lon, time, archive, member, locator, platform)
        key = (math.floor(lat / anchors.CELL_DEG), math.floor(lon / anchors.CELL_DEG))
        c = cells.setdefault(key, [0.0, 0.0, 0])
        c[0] += lat
        c[1] += lon
        c[2] += 1
    # A point weighs as a 10-minute stay so that the clustering's 30-minute floor means 3 points.
    places = anchors._cluster_cells([anchors._Cell(cy, cx, s_lat / n, s_lon / n, n * 600.0)
                                     for (cy, cx), (s_lat, s_lon, n) in cells.items()])
    if not places:
        return None
    members: list[list[Any]] = [[] for _ in places]
    for r in rows:
        best = min(range(len(places)), key=lambda i: anchors._dist_m(r[0], r[1], places[i][0], places[i][1]))
        if anchors._dist_m(r[0], r[1], places[best][0], places[best][1]) <= anchors.RADIUS_M:
            members[best].append(r)
    ranked = sorted(range(len(places)), key=lambda i: -len(members[i]))
    top = members[ranked[0]]
    second = len(members[ranked[1]]) if len(ranked) > 1 else 0
    days = {_aware(r[2]).date() for r in top}
    if len(top) < MIN_GEOTAG_POINTS or len(days) < MIN_GEOTAG_DAYS or len(top) < anchors.DOMINANCE * second:
        return None
    ps = anchors.PlaceStats(ranked[0], places[ranked[0]][0], places[ranked[0]][1], None)
    ps.stays = [anchors.Stay(ranked[0], _aware(r[2]), _aware(r[2]), 1, r[0], r[1]) for r in top]
    anchors._centre_radius(ps)
    return {"status": "found", "lat": round(ps.centre[0], 6), "lon": round(ps.centre[1], 6),
            "radius_m": ps.radius_m, "points": len(top), "days": len(days), "method": "geotags",
            "confidence": anchors._confidence(float(len(top)), float(second), len(days)),
            "platforms": sorted({r[6] for r in top}),
            "evidence": [Evidence(a, m, loc, msg("ev.geotag", lat=round(float(la), 5), lon=round(float(lo), 5),
                                                 day=f"{_aware(t):%Y-%m-%d}"))
                         for la, lo, t, a, m, loc, _ in sorted(top, key=lambda r: _aware(r[2]))[:EVIDENCE_CAP]]}


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def home_from(store: Store, channel: str) -> dict[str, Any]:
    """{status: found|not_enough_data, ...} for the home as ``channel`` alone shows it."""
    a = anchors.analyse(store, channel)
    if a.home is not None:
        home = next(f for f in a.findings if f.kind == "anchor.home")
        return {"status": "found", "lat": home.data["lat"], "lon": home.data["lon"],
                "radius_m": home.data["radius_m"], "points": home.data["points"], "days": home.data["days"],
                "confidence": home.data["confidence"], "method": "stays", "platforms": list(home.platforms),
                "evidence": home.evidence[:EVIDENCE_CAP]}
    geo = _geotag_home(store, channel)
    if geo is not None:
        return geo
    reason = _NONE[channel] if a.points == 0 and not a.findings else a.reason
    return {"status": "not_enough_data", "points": a.points, "reason": reason or _NONE[channel]}


def channel_finding(store: Store, channel: str) -> Finding:
    lead, who = WHO[channel]
    home = home_from(store, channel)
    trips = travel.trips(store, channel)
    n_trips = len(trips.trips) if trips else 0
    parts = []
    if home["status"] == "found":
        title = msg("find.channel.title_found", lead=lead, radius=home["radius_m"])
        how = (msg("find.channel.how_geotags", points=home["points"], days=home["days"])
               if home["method"] == "geotags" else msg("find.channel.how_points", points=home["points"]))
        parts.append(msg("find.channel.found", who=who, radius=home["radius_m"], lat=home["lat"], lon=home["lon"],
                         how=how))
    else:
        title = msg("find.channel.title_none", lead=lead)
        parts.append(msg("find.channel.none", who=who, reason=home["reason"]))
    if n_trips and trips is not None:
        countries = list(dict.fromkeys(c for t in trips.trips for c in t.countries))
        title = msg("find.channel.title_trips", title=title, n=n_trips)
        parts.append(msg("find.channel.trips", n=n_trips, countries=countries[:6]))
    elif trips is not None:
        parts.append(msg("find.channel.no_trips"))
    found = home["status"] == "found"
    severity = ("critical" if channel == "public" else "high") if found else "medium" if n_trips else "info"
    home_data = {k: v for k, v in home.items() if k != "evidence"}
    plats = list(home.get("platforms", []))
    # Public places are removed post by post; records and ad-tech copies by turning the history off.
    topic = "public_places" if channel == "public" else "location_history"
    return Finding(
        kind=f"channel.{channel}", channel=channel, severity=severity, title=title,
        detail=msg("find.channel.detail", parts=parts),
        evidence=list(home.get("evidence", [])), evidence_count=int(home.get("points") or 0),
        platforms=plats, remediation=[f"{p}.{topic}" for p in plats],
        data={"channel": channel, "home": home_data,
              "trips": [{"countries": t.countries, "first_day": t.first.isoformat() if t.first else None,
                         "last_day": t.last.isoformat() if t.last else None} for t in (trips.trips if trips else [])]},
    )


_TOWN = r"trim(regexp_replace(i.city, '\s*\(.*\)\s*$', ''))"


def ip_home_city(store: Store) -> Finding | None:
    """The most common city of log-ins from fixed-line (home or office) IP addresses."""
    tables = {r[0] for r in store.query("SELECT table_name FROM information_schema.tables")}
    if "ip_info" not in tables:
        return None
    # DB-IP names districts ("Houston (Westbranch)"): a town is the name before the parenthesis.
    rows = store.query(f"""
        SELECT {_TOWN} AS town, i.country, count(*) AS n, count(DISTINCT l.ip), median(i.lat), median(i.lon),
               max(i.radius_km), list(DISTINCT l.platform)
        FROM login l JOIN ip_info i ON i.ip = l.ip
        WHERE i.net_type = 'fixed' AND i.city IS NOT NULL
        GROUP BY town, i.country ORDER BY n DESC, town LIMIT 5""")
    total = sum(int(r[2]) for r in rows)
    if not rows or total < MIN_IP_LOGINS:
        return None
    city, cc, n, n_ips, lat, lon, radius, plats = rows[0]
    ev = [Evidence(a, m, loc, msg("ev.login_from", ip=ip, city=city)) for a, m, loc, ip in store.query(f"""
        SELECT l.archive, l.member, l.locator, l.ip FROM login l JOIN ip_info i ON i.ip = l.ip
        WHERE i.net_type = 'fixed' AND {_TOWN} = ? AND i.country IS NOT DISTINCT FROM ?
        ORDER BY l.time NULLS LAST, l.member, l.locator LIMIT ?""", [city, cc, EVIDENCE_CAP])]
    where = msg("place.city_country", city=city, country=cc) if cc else msg("place.city", city=str(city))
    radius_txt = msg("find.channel.ip_city.radius", km=round(float(radius))) if radius else msg("word.empty")
    return Finding(
        kind="channel.ip_city", channel="records", severity="high",
        title=msg("find.channel.ip_city.title", where=where),
        detail=msg("find.channel.ip_city.detail", n=int(n), total=total, ips=int(n_ips), where=where,
                   radius=radius_txt),
        evidence=ev, evidence_count=int(n), platforms=sorted(plats),
        data={"city": city, "country": cc, "lat": float(lat) if lat is not None else None,
              "lon": float(lon) if lon is not None else None, "radius_km": radius, "logins": int(n),
              "fixed_logins": total, "share": round(int(n) / total, 3)},
    )


def run(store: Store) -> list[Finding]:
    findings = [channel_finding(store, c) for c in anchors.CHANNELS]
    ip = ip_home_city(store)
    return findings + ([ip] if ip is not None else [])


__all__ = ["channel_finding", "home_from", "ip_home_city", "run"]
