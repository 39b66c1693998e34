"""What the report draws, aggregated in SQL so that a store of millions of rows stays a small page.

Every function reads the store (and the findings) and returns plain data that
goes into ``report.json`` and the HTML alike. Location points are never copied
one by one: the map gets counts per grid cell, platform, channel and month; the
evidence stays exact in the findings and the store.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from ..findings import SEVERITY_ORDER
from ..remediation import lookup
from ..store import Store

MAX_CELLS = 6_000  # distinct grid cells drawn on the map
MAX_CELL_ROWS = 40_000  # cells x platform x channel x period
MAX_IPS = 500
MAX_DELETE = 2_000
MAX_MEMBERS_LISTED = 400  # beyond this, "What was read" is aggregated by folder
MAX_MONTHS = 120  # beyond this, the timeline counts years

# Most exposed first: a point both public and in the platform's records is drawn as public.
_CHANNEL_SQL = ("CASE WHEN list_contains(channels, 'public') THEN 'public' "
                "WHEN list_contains(channels, 'adtech') THEN 'adtech' ELSE 'records' END")
ANCHOR_KINDS = ("anchor.home", "anchor.home.past", "anchor.work", "anchor.regular", "anchor.label.home",
                "anchor.label.work")
_TIMELINE_TABLES = (("place", "time", "locations"), ("login", "time", "logins"), ("post", "time", "posts"),
                    ("media", "taken_at", "photos"), ("ad_signal", "time", "adtech"))


def _tables(store: Store) -> set[str]:
    return {r[0] for r in store.query("SELECT table_name FROM information_schema.tables")}


def _iso(v: Any) -> str | None:
    if isinstance(v, datetime | date):
        return v.isoformat()
    return None if v is None else str(v)


# -- map -------------------------------------------------------------------------------------
def map_data(store: Store, findings: list[dict[str, Any]]) -> dict[str, Any]:
    anchors = []
    for f in findings:
        d = f.get("data") or {}
        if f["kind"] in ANCHOR_KINDS and d.get("lat") is not None and d.get("lon") is not None:
            anchors.append({"kind": f["kind"], "lat": float(d["lat"]), "lon": float(d["lon"]),
                            "radius_m": float(d.get("radius_m") or 0.0), "near": d.get("near"),
                            "near_parts": d.get("near_parts"),
                            "channel": f["channel"], "platforms": f.get("platforms") or [],
                            "first_seen": d.get("first_seen"), "last_seen": d.get("last_seen"),
                            "title": f["title"]})
    ips = _ip_places(store)
    cells, cell_deg, period = _grid(store)
    trips = _trip_places(store, findings)
    return {"anchors": anchors, "ips": ips, "cells": cells, "cell_deg": cell_deg, "period": period,
            "trips": trips, "points": sum(c["n"] for c in cells)}


# Grid sizes tried for the map's cells, each twice the last (so each grid nests in the next and finer never
# means fewer cells): from ~55 m to the whole world.
CELL_LADDER = tuple(0.0005 * 2 ** k for k in range(20))


def _grid(store: Store) -> tuple[list[dict[str, Any]], float, str]:
    """Counts of location points per grid cell, platform, channel and month (or year).

    The finest grid whose drawing stays within ``MAX_CELLS`` cells and ``MAX_CELL_ROWS`` circles: a
    million points make a page of a few megabytes that opens in about a second, while every point is
    still counted (the evidence itself stays exact in the findings and the store). Months are kept
    unless they would cost more than one step of the ladder (cells twice as wide); long histories
    are counted by year.
    """
    (n,) = store.query("SELECT count(*) FROM place WHERE kind != 'ip'")[0]
    if not n:
        return [], 0.0, "month"
    # Counted once at the finest step; a coarser step's cell is the finest one's index divided by 2^k.
    fine = CELL_LADDER[0]
    store.con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _reflet_grid AS
        SELECT floor(lat / {fine!r})::BIGINT AS ix, floor(lon / {fine!r})::BIGINT AS iy, platform,
               {_CHANNEL_SQL} AS ch, strftime(time, '%Y-%m') AS m, count(*) AS n
        FROM place WHERE kind != 'ip' GROUP BY ALL""")
    try:
        counted: dict[tuple[int, str], int] = {}

        def count(step: int, by: str) -> int:
            if (step, by) not in counted:
                d = 2 ** step
                extra = {"cell": "", "month": ", platform, ch, m", "year": ", platform, ch, m[:4]"}[by]
                counted[(step, by)] = int(store.query(
                    f"SELECT count(*) FROM (SELECT DISTINCT floor(ix / {d}), floor(iy / {d}){extra} "
                    "FROM _reflet_grid)")[0][0])
            return counted[(step, by)]

        def finest(by: str) -> int:
            """The finest ladder step within both caps (counts only fall as cells grow: bisect)."""
            lo, hi = 0, len(CELL_LADDER) - 1
            while lo < hi:
                mid = (lo + hi) // 2
                if count(mid, "cell") <= MAX_CELLS and count(mid, by) <= MAX_CELL_ROWS:
                    hi = mid
                else:
                    lo = mid + 1
            return lo

        by_month, by_year = finest("month"), finest("year")
        period, step = ("month", by_month) if by_month <= by_year + 1 else ("year", by_year)
        d, cell = 2 ** step, CELL_LADDER[step]
        t = "m" if period == "month" else "m[:4]"
        rows = store.query(f"""
            SELECT floor(ix / {d}) AS cx, floor(iy / {d}) AS cy, platform, ch, {t} AS t, sum(n)
            FROM _reflet_grid GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5""")
    finally:
        store.con.execute("DROP TABLE IF EXISTS _reflet_grid")
    cells = [{"lat": round((float(a) + 0.5) * cell, 5), "lon": round((float(b) + 0.5) * cell, 5), "platform": p,
              "channel": ch, "time": t, "n": int(k)} for a, b, p, ch, t, k in rows]
    return cells, round(cell, 6), period


def _ip_places(store: Store) -> list[dict[str, Any]]:
    if "ip_info" not in _tables(store):
        return []
    rows = store.query(f"""
        SELECT round(i.lat, 2), round(i.lon, 2), max(i.radius_km), any_value(i.city), any_value(i.country),
               count(*), count(DISTINCT i.ip), list_sort(list(DISTINCT l.platform)), min(l.time), max(l.time)
        FROM login l JOIN ip_info i ON i.ip = l.ip
        WHERE i.lat IS NOT NULL AND i.lon IS NOT NULL
        GROUP BY 1, 2 ORDER BY 6 DESC LIMIT {MAX_IPS}""")
    return [{"lat": float(a), "lon": float(b), "radius_km": float(r) if r is not None else None, "city": city,
             "country": cc, "logins": int(n), "addresses": int(k), "platforms": list(pl),
             "first": _iso(t0), "last": _iso(t1)} for a, b, r, city, cc, n, k, pl, t0, t1 in rows]


def _trip_places(store: Store, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Where each trip abroad was, as the median position of its points per country."""
    trips = [t for f in findings if f["kind"] == "travel.trips" for t in (f.get("data") or {}).get("trips", [])]
    if not trips or "place_name" not in _tables(store):
        return []
    out = []
    for i, t in enumerate(trips[:50]):
        if not t.get("first_day") or not t.get("last_day"):
            continue
        for cc, lat, lon, n in store.query("""
                SELECT n.country, median(p.lat), median(p.lon), count(*) FROM place p JOIN place_name n
                  ON n.lat_r = round(p.lat, 3) AND n.lon_r = round(p.lon, 3)
                WHERE p.time >= CAST(? AS DATE) AND p.time < CAST(? AS DATE) + INTERVAL 2 DAY
                  AND list_contains(?, n.country) AND p.kind NOT IN ('ip', 'profile')
                GROUP BY 1 ORDER BY 1""", [t["first_day"], t["last_day"], t.get("countries") or []]):
            out.append({"trip": i, "country": cc, "lat": float(lat), "lon": float(lon), "points": int(n),
                        "first_day": t["first_day"], "last_day": t["last_day"],
                        "cities": t.get("cities") or []})
    return out


# -- timeline --------------------------------------------------------------------------------
def timeline_data(store: Store, findings: list[dict[str, Any]]) -> dict[str, Any]:
    series: list[tuple[str, str, str, int]] = []  # (period, platform, kind, n)
    months: set[str] = set()
    for table, col, kind in _TIMELINE_TABLES:
        for ym, platform, n in store.query(
                f"SELECT strftime({col}, '%Y-%m'), platform, count(*) FROM {table} WHERE {col} IS NOT NULL "
                "GROUP BY 1, 2"):
            series.append((ym, platform, kind, int(n)))
            months.add(ym)
    period = "month"
    if months and _month_span(min(months), max(months)) > MAX_MONTHS:
        period = "year"
        agg: dict[tuple[str, str, str], int] = defaultdict(int)
        for ym, p, k, n in series:
            agg[(ym[:4], p, k)] += n
        series = [(a, p, k, n) for (a, p, k), n in agg.items()]
    periods = _all_periods(sorted({s[0] for s in series}), period)
    marks: list[dict[str, Any]] = []
    for f in findings:
        d = f.get("data") or {}
        if f["kind"] == "travel.trips":
            for t in d.get("trips", []):
                marks.append({"type": "trip", "start": t.get("first_day"), "end": t.get("last_day"),
                              "label": ", ".join(t.get("countries") or [])})
        elif f["kind"] == "account.foreign_login" and d.get("ips"):
            for t0, t1, n in store.query(
                    "SELECT min(time), max(time), count(*) FROM login WHERE list_contains(?, ip) AND time IS NOT NULL",
                    [d["ips"]]):
                if t0 is not None:
                    marks.append({"type": "foreign_login", "start": _iso(t0)[:10],  # type: ignore[index]
                                  "end": _iso(t1)[:10], "label": str(d.get("country") or ""),  # type: ignore[index]
                                  "count": int(n)})
    return {"period": period, "periods": periods,
            "series": [{"time": t, "platform": p, "kind": k, "n": n} for t, p, k, n in sorted(series)],
            "marks": marks}


def _month_span(a: str, b: str) -> int:
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[5:7]) - int(a[5:7]) + 1


def _all_periods(seen: list[str], period: str) -> list[str]:
    """Every month (or year) from the first to the last seen: a gap must show as a gap."""
    if not seen:
        return []
    if period == "year":
        return [str(y) for y in range(int(seen[0]), int(seen[-1]) + 1)]
    y, m = int(seen[0][:4]), int(seen[0][5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= seen[-1]:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


# -- identity and devices --------------------------------------------------------------------
def devices(store: Store) -> list[dict[str, Any]]:
    if "device_group" not in _tables(store):
        return []
    out = []
    for dev, label, kind, brand, model, os_, plats, n, ev in store.query(
            "SELECT device_id, label, kind, brand, model, os, platforms, n_sources, evidence FROM device_group "
            "ORDER BY n_sources DESC, label LIMIT 300"):
        try:
            evidence = json.loads(ev) if ev else []
        except ValueError:
            evidence = []
        out.append({"device_id": dev, "label": label, "kind": kind, "brand": brand, "model": model, "os": os_,
                    "platforms": list(plats or []), "sources": int(n or 0),
                    "reasons": [{"why": e.get("why", ""), "platforms": e.get("platforms", [])}
                                for e in evidence if isinstance(e, dict)]})
    return out


# -- plan ------------------------------------------------------------------------------------
def step_id(key: str, step: str) -> str:
    """Stable across audits and languages of the page: the check-box state survives a new report."""
    return hashlib.sha256(f"{key}\x1f{step}".encode()).hexdigest()[:12]


def plan(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One item per remediation key, most serious first; within a severity, most evidence first."""
    items: dict[str, dict[str, Any]] = {}
    for f in findings:
        for key in f.get("remediation") or []:
            it = items.get(key)
            if it is None:
                rem = lookup(key)
                platform = key.split(".", 1)[0]
                it = items[key] = {
                    "key": key, "source": rem.key if rem else None,
                    "platform": None if platform == "*" else platform, "found": rem is not None,
                    "title": rem.title if rem else key, "steps": [], "checked": rem.checked if rem else None,
                    "where": rem.where if rem else None, "severity": f["severity"], "evidence_count": 0,
                    "findings": []}
                if rem:
                    it["steps"] = [{"id": step_id(key, s), "text": s} for s in rem.steps]
            if SEVERITY_ORDER[f["severity"]] < SEVERITY_ORDER[it["severity"]]:
                it["severity"] = f["severity"]
            it["evidence_count"] += int(f.get("evidence_count") or 0)
            it["findings"].append(f["kind"])
    return sorted(items.values(), key=lambda i: (SEVERITY_ORDER[i["severity"]], -i["evidence_count"], i["key"]))


def deletion_list(store: Store) -> dict[str, Any]:
    """Public posts, photos and check-ins that carry a place: what to delete or edit first."""
    (total,) = store.query("SELECT count(*) FROM place WHERE list_contains(channels, 'public')")[0]
    rows = store.query(f"""
        SELECT p.time, p.platform, any_value(po.url), p.archive, p.member, p.locator, p.kind, p.name, p.lat, p.lon
        FROM place p LEFT JOIN post po ON po.place = p.key AND po.platform = p.platform
        WHERE list_contains(p.channels, 'public')
        GROUP BY ALL ORDER BY p.time NULLS LAST, p.member, p.locator LIMIT {MAX_DELETE}""")
    return {"total": int(total), "items": [
        {"time": _iso(t), "platform": pl, "url": url, "archive": a, "member": m, "locator": loc, "kind": k,
         "name": nm, "lat": round(float(la), 5), "lon": round(float(lo), 5)}
        for t, pl, url, a, m, loc, k, nm, la, lo in rows]}


# -- what was read ---------------------------------------------------------------------------
def archives(store: Store) -> list[dict[str, Any]]:
    """Every input read: its name, kind, size and what came out of it."""
    return [{"name": n, "kind": k, "size": int(sz or 0), "records": int(r or 0), "issues": int(i or 0),
             "files": int(f or 0)}
            for n, k, sz, r, i, f in store.query("""
                SELECT a.name, a.kind, a.size, a.records, a.issues,
                       (SELECT count(*) FROM member_log m WHERE m.archive_fp = a.archive_fp)
                FROM archive a ORDER BY a.name""")]


def read_folders(store: Store) -> list[dict[str, Any]]:
    """Members counted by archive, folder and status (the page lists folders when files are thousands)."""
    rows = store.query("""
        SELECT archive, CASE WHEN strpos(member, '/') > 0 THEN regexp_replace(member, '/[^/]*$', '') ELSE '' END,
               status, count(*), sum(records), sum(issues), any_value(reason)
        FROM member_log GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""")
    return [{"archive": a, "folder": f, "status": s, "files": int(n), "records": int(r or 0), "issues": int(i or 0),
             "reason": why} for a, f, s, n, r, i, why in rows]


def top_findings(findings: list[dict[str, Any]], n: int = 5) -> list[dict[str, Any]]:
    serious = [f for f in findings if not f["kind"].startswith("coverage.") and f["severity"] != "info"]
    # A sign of someone else in an account comes first within its severity: it may be happening now, and
    # one login from abroad would otherwise sink below findings drawn from thousands of records.
    serious.sort(key=lambda f: (SEVERITY_ORDER[f["severity"]], not f["kind"].startswith("account."),
                                -int(f.get("evidence_count") or 0), f["kind"]))
    return serious[:n]


def radius_deg(m: float) -> float:
    return m / 111_320.0 if math.isfinite(m) else 0.0


__all__ = ["ANCHOR_KINDS", "archives", "deletion_list", "devices", "map_data", "plan", "read_folders", "step_id",
           "timeline_data", "top_findings"]
