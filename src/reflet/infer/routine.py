"""Routine: the hours you are usually at home, at work and on the way, weekdays and weekends apart.

Method: the stays at home and at work come from the anchor inference (``anchors.analyse``,
same places, same merging), so the routine never disagrees with the home and work shown.
Each stay is cut in 15-minute slots read in the local time of home. For every slot of the
day, the share of observed days (days with any stay at home or work) on which the person was
there gives an occupancy profile, weekdays and weekends apart; "usually home" is the longest
run of slots (wrapping past midnight) where that share is at least one half. A commute is a
home stay followed by a work stay (or the reverse) starting within ``MAX_COMMUTE_S``; its
departure and arrival are the end of one stay and the start of the next. Typical times are
medians on the 24-hour circle (a night-shift departure at 23:50 and one at 00:10 average to
midnight, not noon), rounded to 5 minutes.

This is what a pattern-of-life analysis gives: when the house is empty, when the person is
on the road and where.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..findings import Finding, Msg, msg
from ..store import Store
from . import anchors
from .anchors import Analysis, PlaceStats, Stay

SLOT_MIN = 15
SLOTS = 24 * 60 // SLOT_MIN
USUAL = 0.5  # "usually": on at least half the observed days
MAX_COMMUTE_S = 3 * 3600
MIN_DAYS = 5  # fewer observed days of a kind (weekday / weekend) and that part is not described
EVIDENCE_CAP = 10
MAX_AWAY_MIN = 4 * 60  # out fewer hours than this: "home all day except ..."


@dataclass
class Pattern:
    days: int
    home: tuple[int, int] | None  # (start, end) minute of day of the usual stay at home
    work: tuple[int, int] | None
    home_share: float  # share of the day at home, on average


def _slots(stays: Sequence[Stay], tz: ZoneInfo) -> dict[date, set[int]]:
    """Local day -> the 15-minute slots of that day spent in these stays."""
    out: dict[date, set[int]] = defaultdict(set)
    for s in stays:
        off = anchors._constant_offset(tz, s.start, s.end)
        if off is not None:
            # The same slots on integer microseconds, one offset for the stay (the per-slot conversion was slow).
            t_us, end_us, off_us = (s.start - anchors._EPOCH) // anchors._US, (s.end - anchors._EPOCH) // anchors._US, \
                off // anchors._US
            while t_us < end_us:
                local = t_us + off_us
                dn = local // anchors._DAY_US
                day = anchors._DATES.get(dn) or anchors._DATES.setdefault(dn, date.fromordinal(anchors._DAY0 + dn))
                out[day].add((local // 60_000_000) % 1440 // SLOT_MIN)
                t_us += SLOT_MIN * 60_000_000
            continue
        t = s.start
        while t < s.end:
            local = t.astimezone(tz)
            out[local.date()].add((local.hour * 60 + local.minute) // SLOT_MIN)
            t += timedelta(minutes=SLOT_MIN)
    return out


def _usual_run(share: list[float]) -> tuple[int, int] | None:
    """The longest circular run of slots with share >= USUAL, as (start, end) minutes of the day."""
    on = [v >= USUAL for v in share]
    if not any(on):
        return None
    if all(on):
        return (0, 24 * 60)
    start = on.index(False)  # begin scanning just after an "off" slot so wrapping runs stay whole
    best, best_len, run_start, run_len = (0, 0), 0, 0, 0
    for k in range(1, SLOTS + 1):
        i = (start + k) % SLOTS
        if on[i]:
            if run_len == 0:
                run_start = i
            run_len += 1
            if run_len > best_len:
                best, best_len = (run_start, (i + 1) % SLOTS), run_len
        else:
            run_len = 0
    return (best[0] * SLOT_MIN, best[1] * SLOT_MIN)


def _pattern(days: list[date], home: dict[date, set[int]], work: dict[date, set[int]]) -> Pattern:
    n = len(days)
    # Per slot, on how many of the days it was spent there (counted day by day: the same integers).
    hc, wc = [0] * SLOTS, [0] * SLOTS
    for d in days:
        for s in home.get(d, ()):
            hc[s] += 1
        for s in work.get(d, ()):
            wc[s] += 1
    hs = [c / n for c in hc]
    ws = [c / n for c in wc]
    return Pattern(n, _usual_run(hs), _usual_run(ws) if work else None, sum(hs) / SLOTS)


def circular_median(minutes: Sequence[float]) -> float:
    """Median of times of day on the 24-hour circle (minutes), so 23:50 and 00:10 give 00:00."""
    ang = [m / 1440 * 2 * math.pi for m in minutes]
    mean = math.atan2(sum(math.sin(a) for a in ang), sum(math.cos(a) for a in ang))
    centre = (mean / (2 * math.pi) * 1440) % 1440
    shifted = sorted(((m - centre + 720) % 1440) for m in minutes)  # centre moved to 12:00
    k = len(shifted)
    med = shifted[k // 2] if k % 2 else (shifted[k // 2 - 1] + shifted[k // 2]) / 2
    return (med + centre - 720) % 1440


def _home_span(run: tuple[int, int]) -> Msg:
    """'home from 19:00 to 08:00', or 'home all day (except 10:15 to 11:15)' when out a few hours at most."""
    start, end = run
    if (start, end) == (0, 24 * 60):
        return msg("routine.home_all_day")
    away = (start - end) % (24 * 60)
    if away <= MAX_AWAY_MIN:
        return msg("routine.home_except", start=_hhmm(end), end=_hhmm(start))
    return msg("routine.home_from", start=_hhmm(start), end=_hhmm(end))


def _hhmm(minute: float) -> str:
    m = int(round(minute / 5.0) * 5) % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


def _commutes(home: PlaceStats, work: PlaceStats, tz: ZoneInfo) -> dict[str, list[tuple[datetime, datetime]]]:
    """(departure, arrival) of the trips home -> work ("out") and work -> home ("back")."""
    seq = sorted([(s, "home") for s in home.merged] + [(s, "work") for s in work.merged],
                 key=lambda x: x[0].start)
    out: dict[str, list[tuple[datetime, datetime]]] = {"out": [], "back": []}
    for (a, wa), (b, wb) in itertools.pairwise(seq):
        gap = (b.start - a.end).total_seconds()
        if wa != wb and 0 <= gap <= MAX_COMMUTE_S:
            out["out" if wa == "home" else "back"].append((a.end.astimezone(tz), b.start.astimezone(tz)))
    return out


def _minute(t: datetime) -> int:
    return t.hour * 60 + t.minute


def describe(a: Analysis) -> Finding | None:
    """The routine finding from an anchor analysis, or None when home is unknown or data too thin."""
    home, work = a.home, a.work
    if home is None or not home.merged:
        return None
    tz = ZoneInfo(home.tz) if home.tz else ZoneInfo("UTC")
    at_home = _slots(home.merged, tz)
    at_work = _slots(work.merged, tz) if work is not None else {}
    observed = sorted(set(at_home) | set(at_work))
    weekdays = [d for d in observed if d.weekday() < 5]
    weekend = [d for d in observed if d.weekday() >= 5]
    if len(weekdays) < MIN_DAYS:
        return None
    wk = _pattern(weekdays, at_home, at_work)
    we = _pattern(weekend, at_home, at_work) if len(weekend) >= MIN_DAYS else None
    data: dict[str, Any] = {"tz": str(tz), "weekday": _pattern_data(wk), "weekend": _pattern_data(we) if we else None}

    parts: list[Msg] = []
    leave_at: str | None = None
    commutes = _commutes(home, work, tz) if work is not None else {"out": [], "back": []}
    weekday_out = [c for c in commutes["out"] if c[0].weekday() < 5]
    weekday_back = [c for c in commutes["back"] if c[0].weekday() < 5]
    if len(weekday_out) >= MIN_DAYS:
        leave = circular_median([_minute(d) for d, _ in weekday_out])
        arrive = circular_median([_minute(b) for _, b in weekday_out])
        minutes = sorted((b - d).total_seconds() / 60 for d, b in weekday_out)[len(weekday_out) // 2]
        leave_at = _hhmm(leave)
        parts.append(msg("routine.out", n=len(weekday_out), leave=_hhmm(leave), arrive=_hhmm(arrive),
                         minutes=round(minutes)))
        data["weekday"] |= {"leave_home": _hhmm(leave), "arrive_work": _hhmm(arrive),
                            "commute_min": round(minutes), "commutes_out": len(weekday_out)}
    if len(weekday_back) >= MIN_DAYS:
        leave_w = circular_median([_minute(d) for d, _ in weekday_back])
        back = circular_median([_minute(b) for _, b in weekday_back])
        parts.append(msg("routine.back", leave=_hhmm(leave_w), back=_hhmm(back), n=len(weekday_back)))
        data["weekday"] |= {"leave_work": _hhmm(leave_w), "arrive_home": _hhmm(back),
                            "commutes_back": len(weekday_back)}
    if wk.work is not None:
        parts.append(msg("routine.at_work", start=_hhmm(wk.work[0]), end=_hhmm(wk.work[1])))
    if we is not None:
        if we.home is not None:
            parts.append(msg("routine.weekend", span=_home_span(we.home), days=we.days, share=round(we.home_share, 2)))
        else:
            parts.append(msg("routine.weekend_irregular", days=we.days))
    title = msg("routine.title" if wk.home else "routine.title_irregular",
                span=_home_span(wk.home) if wk.home else None) if leave_at is None else msg(
        "routine.title_leave" if wk.home else "routine.title_irregular_leave",
        span=_home_span(wk.home) if wk.home else None, leave=leave_at)
    detail = msg("routine.detail_work" if work is not None else "routine.detail", parts=parts, tz=str(tz),
                 weekdays=len(weekdays), weekend=len(weekend))
    ev_from = [f for f in a.findings if f.kind in ("anchor.home", "anchor.work")]
    evidence = [e for f in ev_from for e in f.evidence[:EVIDENCE_CAP]]
    places = [p for p in (home, work) if p is not None]
    return Finding(
        kind="routine.weekly", channel=anchors._channel(home), severity="high", title=title, detail=detail,
        evidence=evidence, evidence_count=len(observed), platforms=sorted({x for p in places for x in p.platforms}),
        remediation=sorted({f"{x}.location_history" for p in places for x in p.platforms}),
        data=data | {"days": len(observed), "weekdays": len(weekdays), "weekend_days": len(weekend)},
    )


def _pattern_data(p: Pattern | None) -> dict[str, Any]:
    if p is None:
        return {}
    return {"days": p.days, "home_share": round(p.home_share, 3),
            "home_from": _hhmm(p.home[0]) if p.home else None, "home_to": _hhmm(p.home[1]) if p.home else None,
            "work_from": _hhmm(p.work[0]) if p.work else None, "work_to": _hhmm(p.work[1]) if p.work else None}


def run(store: Store) -> list[Finding]:
    f = describe(anchors.analyse(store))
    return [f] if f is not None else []


__all__ = ["circular_median", "describe", "run"]
