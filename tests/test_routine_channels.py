"""Routine (usual hours at home, at work, commuting) and channel separation (what each channel alone shows).

Synthetic people built in code (helpers shared with test_anchors): a day worker in Tokyo
(weekdays: leaves home 08:00, at work 08:40-17:00, home 17:40) and a night-shift worker in
Montréal (leaves 21:20, works 22:00-06:00, home 06:40), far from UTC on purpose.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from reflet.enrich import _TABLES as ENRICH_TABLES
from reflet.findings import Finding
from reflet.infer import anchors, channels, routine
from reflet.records import Login, Place, Provenance
from reflet.store import Store

from .test_anchors import (
    MTL,
    MTL_HOME,
    MTL_WORK,
    TOKYO,
    TOKYO_HOME,
    TOKYO_MARKET,
    TOKYO_WORK,
    day_worker,
    dist_m,
    night_shift_worker,
    places,
    simulate,
)


def _store(tmp_path: Path, recs: list) -> Store:
    tmp_path.mkdir(parents=True, exist_ok=True)
    store = Store(tmp_path / "audit.duckdb")
    store.insert(recs, "fp")
    return store


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _near(hhmm: str, expected: str, tol: int = 15) -> bool:
    d = abs(_minutes(hhmm) - _minutes(expected)) % 1440
    return min(d, 1440 - d) <= tol


def _one(findings: list[Finding], kind: str) -> Finding:
    found = [f for f in findings if f.kind == kind]
    assert len(found) == 1, [f.kind for f in findings]
    return found[0]


# -- routine ------------------------------------------------------------------------------------
def test_day_worker_routine_in_local_time(tmp_path: Path) -> None:
    pts = simulate(day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET), TOKYO, date(2024, 4, 1), 21)
    store = _store(tmp_path, places(pts))
    f = _one(routine.run(store), "routine.weekly")
    wk = f.data["weekday"]
    assert f.data["tz"] == "Asia/Tokyo"
    assert _near(wk["leave_home"], "08:00") and _near(wk["arrive_work"], "08:40")
    assert _near(wk["leave_work"], "17:00") and _near(wk["arrive_home"], "17:40")
    assert 30 <= wk["commute_min"] <= 50
    assert _near(wk["home_from"], "17:40") and _near(wk["home_to"], "08:00")
    assert _near(wk["work_from"], "08:40") and _near(wk["work_to"], "17:00")
    assert f"leave around {wk['leave_home']}" in f.title and "on weekdays" in f.title
    assert f.data["weekdays"] >= 14 and f.data["weekend_days"] >= 5
    assert f.evidence and f.evidence_count == f.data["days"]
    store.close()


def test_night_shift_routine_wraps_past_midnight(tmp_path: Path) -> None:
    pts = simulate(night_shift_worker(MTL_HOME, MTL_WORK), MTL, date(2024, 2, 26), 28)
    store = _store(tmp_path, places(pts))
    wk = _one(routine.run(store), "routine.weekly").data["weekday"]
    assert _near(wk["leave_home"], "21:20") and _near(wk["arrive_work"], "22:00")
    assert _near(wk["leave_work"], "06:00") and _near(wk["arrive_home"], "06:40")
    assert _near(wk["work_from"], "22:00") and _near(wk["work_to"], "06:00")
    store.close()


def test_circular_median_of_times_around_midnight() -> None:
    assert routine.circular_median([23 * 60 + 50, 10]) in (0, 1440) or abs(
        routine.circular_median([23 * 60 + 50, 10])) < 1
    assert abs(routine.circular_median([23 * 60, 23 * 60 + 30, 60]) - (23 * 60 + 30)) < 1
    assert abs(routine.circular_median([8 * 60, 8 * 60 + 10, 9 * 60]) - (8 * 60 + 10)) < 1


def test_no_home_no_routine(tmp_path: Path) -> None:
    pts = simulate(day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET), TOKYO, date(2024, 4, 1), 3)
    store = _store(tmp_path, places(pts))
    assert routine.run(store) == []
    store.close()


# -- channels -----------------------------------------------------------------------------------
def _geotags(n_home: int, n_work: int, days: int = 14) -> list[Place]:
    out = []
    for i in range(n_home + n_work):
        at = TOKYO_HOME if i < n_home else TOKYO_WORK
        t = datetime(2024, 4, 1, 11, tzinfo=UTC) + timedelta(days=i % days, minutes=7 * i)
        out.append(Place(provenance=Provenance("instagram.zip", "your_instagram_activity/media/posts_1.json",
                                               f"/{i}/media/0"), platform="instagram",
                         channels=frozenset({"records", "public"}), time=t,
                         lat=at[0] + (i % 5 - 2) * 0.0002, lon=at[1] + (i % 3 - 1) * 0.0002, kind="geotag"))
    return out


def test_each_channel_alone(tmp_path: Path) -> None:
    pts = simulate(day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET), TOKYO, date(2024, 4, 1), 21)
    store = _store(tmp_path, places(pts) + _geotags(25, 6))
    found = {f.kind: f for f in channels.run(store)}
    pub = found["channel.public"].data["home"]
    assert pub["status"] == "found" and pub["method"] == "geotags" and pub["points"] == 25
    assert dist_m((pub["lat"], pub["lon"]), TOKYO_HOME) < 1000
    assert found["channel.public"].title.startswith("From your public posts and photos alone, your home can be placed")
    assert found["channel.public"].channel == "public" and found["channel.public"].severity == "critical"
    assert found["channel.public"].evidence[0].member == "your_instagram_activity/media/posts_1.json"
    assert found["channel.public"].remediation == ["instagram.public_places"]
    assert found["channel.records"].remediation == ["google.location_history", "instagram.location_history"]
    rec = found["channel.records"].data["home"]
    assert rec["status"] == "found" and rec["method"] == "stays" and dist_m((rec["lat"], rec["lon"]), TOKYO_HOME) < 250
    ad = found["channel.adtech"]
    assert ad.data["home"]["status"] == "not_enough_data" and ad.severity == "info"
    assert ad.title == "From ad-tech data alone: not enough to say where you live"
    assert "advertisers" in ad.detail
    assert "channel.ip_city" not in found  # no log-ins
    store.close()


def test_a_few_public_geotags_or_gps_fixes_are_not_enough(tmp_path: Path) -> None:
    pts = simulate(day_worker(TOKYO_HOME, TOKYO_WORK, TOKYO_MARKET), TOKYO, date(2024, 4, 1), 3)
    store = _store(tmp_path, places(pts) + _geotags(6, 0, days=3))
    found = {f.kind: f for f in channels.run(store)}
    assert found["channel.public"].data["home"]["status"] == "not_enough_data"
    # Three days of GPS are not enough either: the geotag fallback never applies to GPS tracks.
    assert found["channel.records"].data["home"]["status"] == "not_enough_data"
    store.close()


def test_channel_filter_is_validated() -> None:
    assert anchors._channel_filter(None) == "TRUE"
    try:
        anchors._channel_filter("public'); DROP TABLE place; --")
    except ValueError:
        pass
    else:
        raise AssertionError("an unknown channel must be refused")


def _login(i: int, ip: str) -> Login:
    return Login(provenance=Provenance("facebook.zip", "security_and_login_information/account_activity.json",
                                       f"/account_activity_v2/{i}"), platform="facebook",
                 time=datetime(2024, 3, 1, tzinfo=UTC) + timedelta(hours=13 * i), ip=ip)


def _ip_info(store: Store, rows: list[tuple[str, str, str, float, float, float, str]]) -> None:
    store.con.execute(ENRICH_TABLES)
    for ip, city, cc, lat, lon, radius, net in rows:
        store.con.execute("INSERT INTO ip_info (ip, kind, city, country, lat, lon, radius_km, net_type) "
                          "VALUES (?, 'public', ?, ?, ?, ?, ?, ?)", [ip, city, cc, lat, lon, radius, net])


def test_home_town_from_fixed_line_logins(tmp_path: Path) -> None:
    home_ip, office_ip, mobile_ip = "81.250.1.1", "62.160.2.2", "80.12.3.3"
    logins = ([_login(i, home_ip) for i in range(6)] + [_login(10 + i, office_ip) for i in range(2)]
              + [_login(20 + i, mobile_ip) for i in range(9)])
    store = _store(tmp_path, logins)
    _ip_info(store, [(home_ip, "Lyon", "FR", 45.76, 4.83, 15.0, "fixed"),
                     (office_ip, "Paris", "FR", 48.86, 2.35, 15.0, "fixed"),
                     (mobile_ip, "Paris", "FR", 48.86, 2.35, 200.0, "mobile")])
    f = channels.ip_home_city(store)
    assert f is not None and f.kind == "channel.ip_city"
    assert f.data["city"] == "Lyon" and f.data["logins"] == 6 and f.data["fixed_logins"] == 8
    assert f.data["radius_km"] == 15.0 and "Lyon, France" in f.title
    assert {e.locator for e in f.evidence} == {f"/account_activity_v2/{i}" for i in range(6)}
    store.close()


def test_two_fixed_line_logins_say_nothing(tmp_path: Path) -> None:
    store = _store(tmp_path, [_login(0, "81.250.1.1"), _login(1, "81.250.1.1")])
    _ip_info(store, [("81.250.1.1", "Lyon", "FR", 45.76, 4.83, 15.0, "fixed")])
    assert channels.ip_home_city(store) is None
    store.close()


def test_two_fixes_hours_apart_are_not_a_stay(tmp_path: Path) -> None:
    # A sparse history: two daytime fixes at the same office on each of 10 weekdays, three hours apart.
    # Nothing shows the person stayed in between, so no workplace (and no home) is named.
    recs = []
    for day in range(14):
        d = datetime(2024, 4, 1, tzinfo=TOKYO) + timedelta(days=day)
        if d.weekday() >= 5:
            continue
        for h in (10, 13):
            t = d.replace(hour=h)
            recs.append(Place(provenance=Provenance("takeout.zip", "Records.json", f"/locations/{len(recs)}"),
                              platform="google", time=t, lat=TOKYO_WORK[0], lon=TOKYO_WORK[1], accuracy_m=20.0,
                              kind="gps"))
    store = _store(tmp_path, recs)
    kinds = {f.kind for f in anchors.run(store)}
    assert "anchor.work" not in kinds and "anchor.home" not in kinds and "anchor.home.unknown" in kinds
    # The same days with a third fix in between are stays: the office is named.
    for i, r in enumerate(list(recs[::2])):
        recs.append(Place(provenance=Provenance("takeout.zip", "Records.json", f"/locations/{100 + i}"),
                          platform="google", time=r.time + timedelta(hours=1, minutes=30), lat=TOKYO_WORK[0],
                          lon=TOKYO_WORK[1], accuracy_m=20.0, kind="gps"))
    store.close()
    store = _store(tmp_path / "three", recs)
    assert "anchor.work" in {f.kind for f in anchors.run(store)}
    store.close()


def test_home_span_wording() -> None:
    assert routine._home_span((19 * 60, 8 * 60)) == "home from 19:00 to 08:00"
    assert routine._home_span((0, 1440)) == "home all day"
    assert routine._home_span((11 * 60 + 15, 10 * 60 + 15)) == "home all day except from 10:15 to 11:15"


def test_a_single_foreign_login_among_a_few_dozen_is_flagged(tmp_path: Path) -> None:
    # 17 logins from home and one intruder abroad: 1/18 is over 5%, but one login is never "usual".
    from reflet.infer import account

    recs = [Login(provenance=Provenance("takeout.zip", "Access Log Activity.csv", f"row {i}"), platform="google",
                  time=datetime(2024, 3, 1, tzinfo=UTC) + timedelta(days=i), ip=f"198.51.100.{i}",
                  country="BR" if i == 17 else "US" if i % 2 else "United States",
                  user_agent="Chrome/118 Windows" if i == 17 else "Safari/17 Mac") for i in range(18)]
    store = _store(tmp_path, recs)
    (f,) = [f for f in account.run(store) if f.kind == "account.foreign_login"]
    assert f.data["country"] == "BR" and f.data["usual"] == ["US"] and f.data["new_device"] is True
    assert f.evidence[0].locator == "row 17"
    store.close()


def test_an_address_no_other_export_knows_is_questioned(tmp_path: Path) -> None:
    from reflet.infer import account
    from reflet.records import Identity

    def ident(platform: str, i: int, value: str, kind: str = "email") -> Identity:
        return Identity(provenance=Provenance(f"{platform}.zip", "Profile.json", f"/emails/{i}"),
                        platform=platform, kind=kind, value=value)

    recs = [ident("google", 0, "ana@example.com"), ident("google", 1, "Ana.Perez@Example.org"),
            ident("google", 2, "recover.acct@example.net"), ident("facebook", 0, "ana@example.com"),
            ident("instagram", 0, "ana.perez@example.org"),
            ident("x", 0, "nightowl@example.net")]  # a pseudonymous account's only address: not odd
    store = _store(tmp_path, recs)
    found = [f for f in account.run(store) if f.kind == "account.lone_address"]
    assert [f.data["value"] for f in found] == ["recover.acct@example.net"]
    assert found[0].evidence[0].locator == "/emails/2" and found[0].platforms == ["google"]
    store.close()


def test_few_logins_flag_only_a_new_device_abroad(tmp_path: Path) -> None:
    from reflet.infer import account

    def logins(extra_ua: str) -> list[Login]:
        return [Login(provenance=Provenance("takeout.zip", "Access Log Activity.csv", f"row {i}"), platform="google",
                      time=datetime(2024, 3, 1, tzinfo=UTC) + timedelta(days=i), ip=f"198.51.100.{i}",
                      country="BR" if i == 6 else "US", user_agent=extra_ua if i == 6 else "Safari/17 Mac")
                for i in range(7)]

    store = _store(tmp_path / "new", logins("Chrome/118 Windows"))
    (f,) = [f for f in account.run(store) if f.kind == "account.foreign_login"]
    assert f.data["country"] == "BR" and f.data["new_device"] is True
    store.close()
    # The person's own laptop on a trip, among seven logins: too little to call it odd.
    store = _store(tmp_path / "own", logins("Safari/17 Mac"))
    assert [f for f in account.run(store) if f.kind == "account.foreign_login"] == []
    store.close()


def test_one_export_an_address_without_the_persons_name_is_questioned(tmp_path: Path) -> None:
    from reflet.infer import account
    from reflet.records import Identity

    def ident(i: int, value: str, kind: str = "email") -> Identity:
        return Identity(provenance=Provenance("takeout.zip", "Takeout/Profile/Profile.json", f"/emails/{i}"),
                        platform="google", kind=kind, value=value)

    recs = [ident(0, "Ana Perez", "name"), ident(1, "ana.perez@example.com"), ident(2, "perez82@example.org"),
            ident(3, "recover.acct.2353@example.net")]
    store = _store(tmp_path, recs)
    found = [f for f in account.run(store) if f.kind == "account.lone_address"]
    assert [f.data["value"] for f in found] == ["recover.acct.2353@example.net"]
    store.close()
    # A single address says nothing, whatever it looks like.
    store = _store(tmp_path / "one", [ident(0, "Ana Perez", "name"), ident(1, "bluefox@example.com")])
    assert [f for f in account.run(store) if f.kind == "account.lone_address"] == []
    store.close()


def test_a_login_from_where_the_location_history_puts_you_is_yours(tmp_path: Path) -> None:
    from reflet.infer import account

    from .test_infer_travel import MADRID, PARIS, _points
    from .test_infer_travel import _store as travel_store

    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    recs: list = _points(PARIS, t0, 20, "a") + _points(MADRID, t0 + timedelta(days=20), 5, "b") + _points(
        PARIS, t0 + timedelta(days=25), 10, "c")

    def login(i: int, day: int, cc: str, ua: str) -> Login:
        return Login(provenance=Provenance("takeout.zip", "Access Log Activity.csv", f"row {i}"), platform="google",
                     time=t0 + timedelta(days=day, hours=20), ip=f"198.51.100.{i}", country=cc, user_agent=ua)

    recs += [login(i, i, "FR", "Safari/17 Mac") for i in range(20)]
    recs += [login(20, 22, "ES", "Safari/17 Mac")]  # the person's laptop, in Madrid with them
    recs += [login(21, 30, "BR", "Chrome/118 Windows")]  # nobody's trip: an intruder
    tmp_path.mkdir(parents=True, exist_ok=True)
    with travel_store(tmp_path, recs) as store:
        found = [f for f in account.run(store) if f.kind == "account.foreign_login"]
    assert [f.data["country"] for f in found] == ["BR"]
