"""Home, work and regular places from a location history (reflet.infer.anchors).

The people here are synthetic, built in code with a known truth: home A, work B, a
Saturday market C. They live far from UTC so that a method reading UTC instead of
the place's local time would get their nights and days wrong.
"""

from __future__ import annotations

import json
import math
import random
import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reflet.findings import Finding
from reflet.infer import anchors
from reflet.records import Place, Provenance
from reflet.store import Store

from .builders import make_export

MEMBER = "Takeout/Location History (Timeline)/Records.json"

TOKYO = ZoneInfo("Asia/Tokyo")
TOKYO_HOME = (35.6595, 139.7005)  # Shibuya
TOKYO_WORK = (35.6812, 139.7671)  # ~6.6 km away
TOKYO_MARKET = (35.6467, 139.7101)

MTL = ZoneInfo("America/Toronto")  # Montréal's zone
MTL_HOME = (45.5231, -73.5817)
MTL_WORK = (45.4973, -73.5709)  # ~3 km away


def dist_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    return anchors._dist_m(a[0], a[1], b[0], b[1])


def lerp(a: tuple[float, float], b: tuple[float, float], f: float) -> tuple[float, float]:
    return (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f)


Where = Callable[[datetime], tuple[tuple[float, float], bool]]  # local time -> (position, moving)


def day_worker(home: tuple[float, float], work: tuple[float, float], market: tuple[float, float]) -> Where:
    """Weekdays 08:40-17:00 at work (40 min commute each way); Saturdays 10-12 at the market."""
    def where(t: datetime) -> tuple[tuple[float, float], bool]:
        m = t.hour * 60 + t.minute
        if t.weekday() < 5:
            if 480 <= m < 520:
                return lerp(home, work, (m - 480) / 40), True
            if 520 <= m < 1020:
                return work, False
            if 1020 <= m < 1060:
                return lerp(work, home, (m - 1020) / 40), True
        if t.weekday() == 5 and 600 <= m < 720:
            return market, False
        return home, False
    return where


def night_shift_worker(home: tuple[float, float], work: tuple[float, float]) -> Where:
    """Works 22:00-06:00 on nights starting Sunday to Thursday; sleeps at home in the day."""
    def where(t: datetime) -> tuple[tuple[float, float], bool]:
        m = t.hour * 60 + t.minute
        evening_wd = t.weekday() if m >= 1280 else (t.weekday() - 1) % 7  # weekday the shift began
        if evening_wd in (6, 0, 1, 2, 3):
            if 1280 <= m < 1320:
                return lerp(home, work, (m - 1280) / 40), True
            if m >= 1320 or m < 360:
                return work, False
            if 360 <= m < 400:
                return lerp(work, home, (m - 360) / 40), True
        return home, False
    return where


def simulate(where: Where, tz: ZoneInfo, start: date, days: int, *, noise_m: float = 30.0, seed: int = 1,
             step_still: int = 10) -> list[tuple[datetime, float, float, float]]:
    """(UTC time, lat, lon, accuracy) every minute while moving, every ``step_still`` minutes otherwise."""
    rng = random.Random(seed)
    out = []
    t0 = datetime(start.year, start.month, start.day, tzinfo=UTC)
    for minute in range(days * 1440):
        t = t0 + timedelta(minutes=minute)  # step in UTC; read the wall clock where the person is
        (lat, lon), moving = where(t.astimezone(tz))
        if not moving and minute % step_still:
            continue
        dy, dx = rng.gauss(0, noise_m), rng.gauss(0, noise_m)
        lat += dy / 111_320.0
        lon += dx / (111_320.0 * math.cos(math.radians(lat)))
        out.append((t, lat, lon, float(rng.randint(15, 50))))
    return out


def places(points: list[tuple[datetime, float, float, float]], offset: int = 0) -> list[Place]:
    return [Place(provenance=Provenance("takeout.zip", MEMBER, f"/locations/{i + offset}"), platform="google",
                  time=t, lat=lat, lon=lon, accuracy_m=acc, kind="gps")
            for i, (t, lat, lon, acc) in enumerate(points)]


def infer(tmp_path: Path, recs: list[Place]) -> tuple[list[Finding], Store]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    store = Store(tmp_path / "audit.duckdb")
    store.insert(recs, "fp")
    return anchors.run(store), store


def one(findings: list[Finding], kind: str) -> Finding:
    found = [f for f in findings if f.kind == kind]
    assert len(found) == 1, [f.kind for f in findings]
    return found[0]


def centre(f: Finding) -> tuple[float, float]:
    return (f.data["lat"], f.data["lon"])


# -- the main cases ---------------------------------------------------------------------------
def test_day_worker_in_tokyo_home_work_and_market(tmp_path: Path) -> None:
    pts = simulate(day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET), TOKYO, date(2024, 4, 1), 42)
    findings, store = infer(tmp_path, places(pts))
    home, work = one(findings, "anchor.home"), one(findings, "anchor.work")
    assert dist_m(centre(home), TOKYO_HOME) < 250
    assert dist_m(centre(work), TOKYO_WORK) < 250
    # The stated 95% radius really contains the truth.
    assert dist_m(centre(home), TOKYO_HOME) <= home.data["radius_m"]
    assert dist_m(centre(work), TOKYO_WORK) <= work.data["radius_m"]
    assert home.severity == "critical" and work.severity == "high" and home.channel == "records"
    assert home.data["tz"] == "Asia/Tokyo"
    # Local time, not UTC: Tokyo's nights are UTC's afternoons. Every point recorded at A between
    # 22:00 and 06:00 Tokyo time is counted as a night point, and nothing else.
    truth_night = sum(1 for t, la, lo, _ in pts
                      if dist_m((la, lo), TOKYO_HOME) < 150 and (t.astimezone(TOKYO).hour >= 22
                                                                  or t.astimezone(TOKYO).hour < 6))
    assert home.data["night_points"] == truth_night
    assert home.data["rest_pattern"] == "night" and work.data["shift"] == "day"
    assert 40 <= home.data["nights"] <= 42
    assert 28 <= work.data["weekdays"] <= 30
    assert home.title == (f"Your home can be placed within {home.data['radius_m']:,.0f} m from "
                          f"{truth_night:,} location points recorded at night")
    assert home.evidence_count == home.data["points"] and len(home.evidence) == anchors.EVIDENCE_CAP
    market = [f for f in findings if f.kind == "anchor.regular" and dist_m(centre(f), TOKYO_MARKET) < 250]
    assert len(market) == 1 and "Saturday" in market[0].detail
    # No commute point along the route became a "place".
    assert all(dist_m(centre(f), p) < 250 for f in findings if f.kind.startswith("anchor.")
               for p in [min((TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET), key=lambda q: dist_m(centre(f), q))])
    store.close()


def test_night_shift_worker_across_dst_in_montreal(tmp_path: Path) -> None:
    # Six weeks over the 10 March 2024 clock change.
    pts = simulate(night_shift_worker(MTL_HOME, MTL_WORK), MTL, date(2024, 2, 26), 42, noise_m=40)
    findings, store = infer(tmp_path, places(pts))
    home, work = one(findings, "anchor.home"), one(findings, "anchor.work")
    # A "most nights" rule would put this person's home at their workplace.
    assert dist_m(centre(home), MTL_HOME) < 250 <= dist_m(centre(home), MTL_WORK)
    assert dist_m(centre(work), MTL_WORK) < 250
    assert dist_m(centre(home), MTL_HOME) <= home.data["radius_m"]
    assert dist_m(centre(work), MTL_WORK) <= work.data["radius_m"]
    assert home.data["rest_pattern"] == "day" and work.data["shift"] == "night"
    assert home.data["tz"] == "America/Toronto"
    assert "daytime" in home.title or "rest" in home.title
    store.close()


@pytest.mark.parametrize("start", [date(2024, 2, 26), date(1969, 12, 10)])
def test_night_points_on_local_time_across_the_dst_change(tmp_path: Path, start: date) -> None:
    # Exact positions, so "at the place" is "at the truth"; the 10 March 2024 change moves 06:00 by an
    # hour on that UTC day: every point is read on Montréal's clock of its own instant. Times before
    # 1970 (a bogus clock) still have hours 0-23.
    pts = simulate(night_shift_worker(MTL_HOME, MTL_WORK), MTL, start, 42, noise_m=0)
    findings, store = infer(tmp_path, places(pts))
    for f in (one(findings, "anchor.home"), one(findings, "anchor.work")):
        truth = MTL_HOME if f.kind == "anchor.home" else MTL_WORK
        assert f.data["night_points"] == sum(1 for t, la, lo, _ in pts if dist_m((la, lo), truth) < 150
                                             and (t.astimezone(MTL).hour >= 22 or t.astimezone(MTL).hour < 6))
    store.close()


def test_radius_contains_truth_across_noisy_samples(tmp_path: Path) -> None:
    # Three independent people, 50 m noise, two weeks each: the 95% radius must hold every time.
    misses = 0
    for seed in range(3):
        pts = simulate(day_worker(MTL_HOME, MTL_WORK, MTL_HOME), MTL, date(2024, 10, 7), 14, noise_m=50,
                       seed=seed, step_still=15)
        findings, store = infer(tmp_path / str(seed), places(pts))
        home = one(findings, "anchor.home")
        misses += dist_m(centre(home), MTL_HOME) > home.data["radius_m"]
        assert home.data["radius_m"] <= 250  # honest, but still useful
        store.close()
    assert misses == 0


# -- not enough data --------------------------------------------------------------------------
def test_three_days_is_not_enough(tmp_path: Path) -> None:
    pts = simulate(day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET), TOKYO, date(2024, 4, 1), 3)
    findings, store = infer(tmp_path, places(pts))
    assert not [f for f in findings if f.kind == "anchor.home"]
    unknown = one(findings, "anchor.home.unknown")
    assert unknown.severity == "info" and unknown.title == "Not enough data to say where you live"
    assert "3" in unknown.detail
    store.close()


def test_scattered_points_are_not_enough(tmp_path: Path) -> None:
    rng = random.Random(3)
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    pts = [(t0 + timedelta(hours=rng.uniform(0, 24 * 60)), 35.6 + rng.uniform(0, 0.2), 139.6 + rng.uniform(0, 0.2),
            30.0) for _ in range(60)]
    findings, store = infer(tmp_path, places(pts))
    assert [f.kind for f in findings] == ["anchor.home.unknown"]
    store.close()


def test_two_homes_in_turn_is_not_a_guess(tmp_path: Path) -> None:
    # Alternate weeks at two flats 4 km apart: no single home dominates, so none is named.
    other = (35.6938, 139.7034)
    a = day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET)
    b = day_worker(other, TOKYO_WORK, TOKYO_MARKET)

    def where(t: datetime) -> tuple[tuple[float, float], bool]:
        return (a if t.isocalendar().week % 2 else b)(t)

    findings, store = infer(tmp_path, places(simulate(where, TOKYO, date(2024, 4, 1), 42)))
    assert not [f for f in findings if f.kind == "anchor.home"]
    assert "more than one place" in one(findings, "anchor.home.unknown").detail
    regular = [centre(f) for f in findings if f.kind == "anchor.regular"]
    assert any(dist_m(c, TOKYO_HOME) < 250 for c in regular) and any(dist_m(c, other) < 250 for c in regular)
    store.close()


def test_no_location_data_no_finding(tmp_path: Path) -> None:
    findings, store = infer(tmp_path, [])
    assert findings == []
    store.close()


# -- evidence, channels, platform labels ------------------------------------------------------
def test_evidence_points_at_real_night_rows(tmp_path: Path) -> None:
    pts = simulate(day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET), TOKYO, date(2024, 4, 1), 21)
    findings, store = infer(tmp_path, places(pts))
    home = one(findings, "anchor.home")
    assert home.evidence
    for e in home.evidence:
        assert e.archive == "takeout.zip" and e.member == MEMBER
        i = int(e.locator.rsplit("/", 1)[1])
        t, lat, lon, _ = pts[i]  # the locator names the very entry of the export
        assert dist_m((lat, lon), TOKYO_HOME) < 200
        local = t.astimezone(TOKYO)
        assert local.hour >= 22 or local.hour < 6
        assert f"{local:%Y-%m-%d %H:%M}" in e.summary and "local time" in e.summary
        rows = store.query("SELECT lat, lon FROM place WHERE member = ? AND locator = ?", [e.member, e.locator])
        assert rows == [(pytest.approx(lat), pytest.approx(lon))]
    store.close()


def test_public_geotag_makes_home_public_and_google_label_is_reported(tmp_path: Path) -> None:
    pts = simulate(day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET), TOKYO, date(2024, 4, 1), 21)
    recs = places(pts)
    t = datetime(2024, 4, 20, 12, tzinfo=UTC)
    recs.append(Place(provenance=Provenance("photos", "IMG_0001.jpg", "EXIF GPS"), platform="photos",
                      channels=frozenset({"records", "public"}), time=t, lat=TOKYO_HOME[0] + 0.0002,
                      lon=TOKYO_HOME[1], kind="geotag"))
    recs.append(Place(provenance=Provenance("takeout.zip", "Takeout/Timeline.json", "/semanticSegments/4"),
                      platform="google", time=t, end_time=t + timedelta(hours=1), lat=TOKYO_HOME[0],
                      lon=TOKYO_HOME[1], kind="visit", label="HOME"))
    recs.append(Place(provenance=Provenance("takeout.zip", "Takeout/Timeline.json", "/semanticSegments/9"),
                      platform="google", time=t + timedelta(days=1), lat=TOKYO_WORK[0], lon=TOKYO_WORK[1],
                      kind="visit", label="INFERRED_WORK"))
    findings, store = infer(tmp_path, recs)
    assert one(findings, "anchor.home").channel == "public"
    assert one(findings, "anchor.work").channel == "records"
    label = one(findings, "anchor.label.home")
    assert label.title == "Google itself labelled a place as your home"
    assert label.severity == "critical" and label.channel == "records" and label.evidence_count == 1
    assert label.evidence[0].locator == "/semanticSegments/4"
    assert one(findings, "anchor.label.work").evidence[0].locator == "/semanticSegments/9"
    store.close()


def test_ip_positions_alone_say_not_enough(tmp_path: Path) -> None:
    t = datetime(2024, 1, 1, tzinfo=UTC)
    recs = [Place(provenance=Provenance("a", "logins.json", f"/{i}"), platform="facebook", time=t + timedelta(days=i),
                  lat=35.68, lon=139.76, kind="ip") for i in range(30)]
    findings, store = infer(tmp_path, recs)
    assert [f.kind for f in findings] == ["anchor.home.unknown"]
    store.close()


# -- scale ------------------------------------------------------------------------------------
def test_half_a_million_points_in_seconds(tmp_path: Path) -> None:
    store = Store(tmp_path / "audit.duckdb")
    # One point a minute for a year (Tokyo, UTC+9): home 19:00-08:00 local, work 09:00-18:00 on weekdays.
    store.con.execute(f"""
        INSERT INTO place (key, archive, member, locator, archive_fp, channels, platform, time, lat, lon,
                           accuracy_m, kind)
        WITH g AS (
            SELECT i, TIMESTAMPTZ '2023-01-02 00:00:00+00' + i * INTERVAL 1 MINUTE AS t FROM range(500000) r(i)
        ), l AS (
            SELECT i, t, extract(hour FROM t + INTERVAL 9 HOUR) AS h, isodow(t + INTERVAL 9 HOUR) AS wd FROM g
        )
        SELECT 'k' || i, 'big.zip', '{MEMBER}', '/locations/' || i, 'fp', ['records'], 'google', t,
               CASE WHEN wd <= 5 AND h BETWEEN 9 AND 17 THEN {TOKYO_WORK[0]} ELSE {TOKYO_HOME[0]} END
                   + (random() - 0.5) * 0.0006,
               CASE WHEN wd <= 5 AND h BETWEEN 9 AND 17 THEN {TOKYO_WORK[1]} ELSE {TOKYO_HOME[1]} END
                   + (random() - 0.5) * 0.0008,
               25.0, 'gps'
        FROM l
    """)
    started = clock.monotonic()
    findings = anchors.run(store)
    elapsed = clock.monotonic() - started
    assert dist_m(centre(one(findings, "anchor.home")), TOKYO_HOME) < 250
    assert dist_m(centre(one(findings, "anchor.work")), TOKYO_WORK) < 250
    assert one(findings, "anchor.home").evidence_count > 300_000
    assert elapsed < 20, f"{elapsed:.1f} s"  # a few seconds on one core; generous for a shared machine
    store.close()


# -- end to end -------------------------------------------------------------------------------
def test_audit_report_and_summary_show_home(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from reflet.cli import cli

    pts = simulate(day_worker(MTL_HOME, MTL_WORK, MTL_HOME), MTL, date(2024, 5, 6), 21, step_still=20)
    locs = [{"latitudeE7": round(la * 1e7), "longitudeE7": round(lo * 1e7), "accuracy": int(acc),
             "source": "GPS", "timestamp": t.isoformat().replace("+00:00", "Z")} for t, la, lo, acc in pts]
    export = make_export(tmp_path, "takeout", {MEMBER: json.dumps({"locations": locs})}, container="zip")
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["audit", str(export), "--out", str(out)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    report = json.loads((out / "report.json").read_text())
    home = next(f for f in report["findings"] if f["kind"] == "anchor.home")
    assert dist_m((home["data"]["lat"], home["data"]["lon"]), MTL_HOME) < 250
    html = (out / "report.html").read_text()
    assert home["title"] in html.replace('<span class="v">', "").replace("</span>", "")  # values marked as data
    assert f"{home['data']['lat']:.5f}, {home['data']['lon']:.5f}" in html
    assert "Your home" in html and "Where you work" in html
    assert "http://" not in html and "https://" not in html  # nothing that could load from the network
    assert f"Home: within {home['data']['radius_m']:,.0f} m of {home['data']['lat']:.5f}" in res.output
    assert "Work: within" in res.output
    assert "[critical] Your home can be placed" in res.output


def test_audit_with_too_little_data_says_so(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from reflet.cli import cli

    pts = simulate(day_worker(MTL_HOME, MTL_WORK, MTL_HOME), MTL, date(2024, 5, 6), 2, step_still=30)
    locs = [{"latitudeE7": round(la * 1e7), "longitudeE7": round(lo * 1e7), "accuracy": int(acc),
             "timestamp": t.isoformat()} for t, la, lo, acc in pts]
    export = make_export(tmp_path, "takeout", {MEMBER: json.dumps({"locations": locs})})
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["audit", str(export), "--out", str(out)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    html = (out / "report.html").read_text()
    assert "Not enough data to say where you live" in html and "Your home can be placed" not in html
    assert "Home: not enough data to say where you live" in res.output


def _render(findings: list[Finding]) -> str:
    from reflet.report.render import _env

    d = {"encrypted_store": True, "store": "/x/audit.duckdb", "warnings": [],
         "findings": [f.to_dict() for f in findings],
         "records": [], "refused": [], "members": [], "issues": [], "reflet_version": "0", "generated": "now",
         "attributions": []}
    return _env().get_template("report.html").render(d=d, css="", lang="en")


def test_report_summary_near_hook_label_and_no_location() -> None:
    data = {"lat": 45.5, "lon": -73.6, "radius_m": 120.0, "radius_level": 0.95, "confidence": 0.8, "nights": 30,
            "days": 40, "weekdays": 0, "points": 900, "night_points": 400, "tz": "America/Toronto",
            "first_seen": "2024-01-01T00:00:00+00:00", "last_seen": "2024-03-01T00:00:00+00:00",
            "near": "Parc Jarry", "rest_pattern": "night"}
    home = Finding(kind="anchor.home", channel="public", severity="critical", title="Your home ...", data=data)
    label = Finding(kind="anchor.label.work", channel="records", severity="high",
                    title="Google itself labelled a place as your work", data={"lat": 45.49, "lon": -73.57})
    html = _render([home, label])
    assert "within <strong>120 m</strong>" in html and "(near Parc Jarry)" in html
    assert "anyone can see this" in html  # the public channel in plain words
    assert "Google itself labelled a place as your work" in html
    assert "No place where you spend your working days stands out" in html
    assert "no location history" in _render([])


def test_a_move_names_the_latest_home_and_the_previous_one(tmp_path: Path) -> None:
    new_home = (35.7100, 139.8107)  # ~11 km from the first
    before = simulate(day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET), TOKYO, date(2024, 4, 1), 28)
    after = simulate(day_worker(new_home, TOKYO_WORK, TOKYO_MARKET), TOKYO, date(2024, 4, 29), 28, seed=2)
    findings, store = infer(tmp_path, places(before + after))
    home, prev = one(findings, "anchor.home"), one(findings, "anchor.home.past")
    assert dist_m(centre(home), new_home) < 250 and dist_m(centre(prev), TOKYO_HOME) < 250
    assert prev.severity == "high" and "previous home" in prev.title and "(until April 2024)" in prev.title
    assert "moved here in April 2024" in home.detail
    assert dist_m(centre(one(findings, "anchor.work")), TOKYO_WORK) < 250
    html = _render(findings)
    assert "Before that, until 2024-04-2" in html
    store.close()


def test_a_trip_is_not_a_move(tmp_path: Path) -> None:
    hotel = (34.9858, 135.7588)  # two weeks in Kyoto, in the middle of six weeks at home
    base = day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET)

    def where(t: datetime) -> tuple[tuple[float, float], bool]:
        return (hotel, False) if date(2024, 4, 15) <= t.date() < date(2024, 4, 29) else base(t)

    findings, store = infer(tmp_path, places(simulate(where, TOKYO, date(2024, 4, 1), 42)))
    assert dist_m(centre(one(findings, "anchor.home")), TOKYO_HOME) < 250
    assert not [f for f in findings if f.kind == "anchor.home.past"]
    assert any(dist_m(centre(f), hotel) < 250 for f in findings if f.kind == "anchor.regular")
    store.close()


def test_a_hotel_is_not_a_part_timers_workplace(tmp_path: Path) -> None:
    # Works Mondays and Tuesdays only; a fortnight in Kyoto holds more weekday hours than work does.
    hotel = (34.9858, 135.7588)
    base = day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET)

    def where(t: datetime) -> tuple[tuple[float, float], bool]:
        if date(2024, 4, 15) <= t.date() < date(2024, 4, 29):
            return hotel, False
        return base(t) if t.weekday() in (0, 1, 5) else (TOKYO_HOME, False)

    findings, store = infer(tmp_path, places(simulate(where, TOKYO, date(2024, 4, 1), 56)))
    assert dist_m(centre(one(findings, "anchor.home")), TOKYO_HOME) < 250
    assert dist_m(centre(one(findings, "anchor.work")), TOKYO_WORK) < 250
    store.close()


def test_long_working_days_the_nights_decide(tmp_path: Path) -> None:
    # 07:00-19:00 at work six days a week: as many long hours there as at home; the nights are at home.
    def where(t: datetime) -> tuple[tuple[float, float], bool]:
        m = t.hour * 60 + t.minute
        if t.weekday() < 6 and 390 <= m < 420:
            return lerp(TOKYO_HOME, TOKYO_WORK, (m - 390) / 30), True
        if t.weekday() < 6 and 420 <= m < 1140:
            return TOKYO_WORK, False
        if t.weekday() < 6 and 1140 <= m < 1170:
            return lerp(TOKYO_WORK, TOKYO_HOME, (m - 1140) / 30), True
        return TOKYO_HOME, False

    findings, store = infer(tmp_path, places(simulate(where, TOKYO, date(2024, 4, 1), 28)))
    assert dist_m(centre(one(findings, "anchor.home")), TOKYO_HOME) < 250
    assert dist_m(centre(one(findings, "anchor.work")), TOKYO_WORK) < 250
    store.close()


def test_platform_visits_alone_are_stays(tmp_path: Path) -> None:
    # Semantic timelines hold visits (start and end), not raw points.
    recs = []
    for d in range(21):
        day = datetime(2024, 4, 1, tzinfo=TOKYO) + timedelta(days=d)
        spans = [(TOKYO_HOME, day - timedelta(hours=6), day + timedelta(hours=8))]
        if day.weekday() < 5:
            spans.append((TOKYO_WORK, day + timedelta(hours=9), day + timedelta(hours=17, minutes=30)))
        for (lat, lon), a, b in spans:
            recs.append(Place(provenance=Provenance("takeout.zip", "Semantic/2024_APRIL.json",
                                                    f"/timelineObjects/{len(recs)}/placeVisit"),
                              platform="google", time=a, end_time=b, lat=lat, lon=lon, kind="visit"))
    findings, store = infer(tmp_path, recs)
    home = one(findings, "anchor.home")
    assert dist_m(centre(home), TOKYO_HOME) < 250 and home.data["nights"] >= 20
    assert dist_m(centre(one(findings, "anchor.work")), TOKYO_WORK) < 250
    assert all(e.locator.endswith("/placeVisit") for e in home.evidence)
    store.close()


def test_runs_on_a_read_only_store(tmp_path: Path) -> None:
    pts = simulate(day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET), TOKYO, date(2024, 4, 1), 14)
    _, store = infer(tmp_path, places(pts))
    store.close()
    with Store(tmp_path / "audit.duckdb", read_only=True) as ro:
        assert dist_m(centre(one(anchors.run(ro), "anchor.home")), TOKYO_HOME) < 250


def test_a_tablet_left_at_home_does_not_hide_work(tmp_path: Path) -> None:
    phone = places(simulate(day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET), TOKYO, date(2024, 4, 1), 28))
    tablet_pts = simulate(lambda t: (TOKYO_HOME, False), TOKYO, date(2024, 4, 1), 28, seed=5, step_still=30)
    tablet = [Place(provenance=Provenance("takeout.zip", MEMBER, f"/locations/{len(phone) + i}"), platform="google",
                    time=t, lat=la, lon=lo, accuracy_m=acc, kind="wifi", device="tablet")
              for i, (t, la, lo, acc) in enumerate(tablet_pts)]
    phone = [Place(provenance=p.provenance, platform=p.platform, time=p.time, lat=p.lat, lon=p.lon,
                   accuracy_m=p.accuracy_m, kind=p.kind, device="phone") for p in phone]
    findings, store = infer(tmp_path, phone + tablet)
    home, work = one(findings, "anchor.home"), one(findings, "anchor.work")
    assert dist_m(centre(home), TOKYO_HOME) < 250 and dist_m(centre(work), TOKYO_WORK) < 250
    assert home.data["hours"] <= 28 * 24 + 1  # two devices at home: its hours are not counted twice
    store.close()
