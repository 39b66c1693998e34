"""Trips abroad from located points named by the enrichment."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from reflet.enrich import places
from reflet.infer import travel
from reflet.records import Place, Provenance
from reflet.store import Store

UTC = timezone.utc
PARIS = (48.8566, 2.3522, "FR", "Paris", "Europe/Paris")
MADRID = (40.4168, -3.7038, "ES", "Madrid", "Europe/Madrid")
LISBON = (38.7223, -9.1393, "PT", "Lisbon", "Europe/Lisbon")


def _points(where: tuple, start: datetime, days: int, tag: str) -> list[Place]:
    out = []
    for d in range(days):
        for h in (8, 13, 19):
            t = start + timedelta(days=d, hours=h)
            out.append(Place(provenance=Provenance("takeout.zip", "Records.json", f"/locations/{tag}{d}{h}"),
                             platform="google", time=t, lat=where[0], lon=where[1], kind="gps"))
    return out


def _store(tmp_path: Path, recs: list[Place]) -> Store:
    s = Store(tmp_path / "a.duckdb")
    s.insert(recs, "fp")
    s.con.execute("CREATE TABLE place_name (lat_r DOUBLE, lon_r DOUBLE, name VARCHAR, admin1 VARCHAR, "
                  "country VARCHAR, country_name VARCHAR, distance_km DOUBLE, bearing VARCHAR, tz VARCHAR, "
                  "description VARCHAR)")
    for lat, lon, cc, city, tz in (PARIS, MADRID, LISBON):
        s.con.execute("INSERT INTO place_name VALUES (?, ?, ?, NULL, ?, NULL, 0, NULL, ?, ?)",
                      [round(lat, places.ROUND), round(lon, places.ROUND), city, cc, tz, f"in {city}"])
    return s


def test_trip_with_two_countries_and_crossings(tmp_path: Path) -> None:
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    recs = (_points(PARIS, t0, 20, "a") + _points(MADRID, t0 + timedelta(days=20), 4, "b")
            + _points(LISBON, t0 + timedelta(days=24), 3, "c") + _points(PARIS, t0 + timedelta(days=27), 10, "d"))
    with _store(tmp_path, recs) as s:
        (f,) = travel.run(s)
    assert f.data["home_country"] == "FR"
    (trip,) = f.data["trips"]
    assert trip["countries"] == ["ES", "PT"]
    assert (trip["first_day"], trip["last_day"]) == ("2024-05-21", "2024-05-27")
    assert [(c["from"], c["to"]) for c in f.data["crossings"]] == [("FR", "ES"), ("PT", "FR")]
    assert "Spain and Portugal" in f.title
    assert f.evidence[0].locator.startswith("/locations/b")


def test_no_trip_when_always_home_and_nothing_without_place_names(tmp_path: Path) -> None:
    recs = _points(PARIS, datetime(2024, 5, 1, tzinfo=UTC), 30, "a")
    with _store(tmp_path, recs) as s:
        assert travel.run(s) == []
    with Store(tmp_path / "b.duckdb") as s:
        s.insert(recs, "fp")
        assert travel.run(s) == []


def test_days_are_local_on_the_day_the_clocks_change(tmp_path: Path) -> None:
    # Lisbon goes from UTC+0 to UTC+1 at 01:00 UTC on 31 March 2024: a point at 23:30 UTC that day
    # is 00:30 on 1 April there, so the trip starts on 1 April, not on 31 March.
    t0 = datetime(2024, 3, 1, tzinfo=UTC)
    first = Place(provenance=Provenance("takeout.zip", "Records.json", "/locations/first"), platform="google",
                  time=datetime(2024, 3, 31, 23, 30, tzinfo=UTC), lat=LISBON[0], lon=LISBON[1], kind="gps")
    recs = [*_points(PARIS, t0, 25, "a"), first, *_points(LISBON, datetime(2024, 4, 1, tzinfo=UTC), 3, "b"),
            *_points(PARIS, datetime(2024, 4, 6, tzinfo=UTC), 20, "c")]
    with _store(tmp_path, recs) as s:
        found = travel.trips(s)
    assert found is not None
    (trip,) = found.trips
    assert (str(trip.first), str(trip.last)) == ("2024-04-01", "2024-04-03")
