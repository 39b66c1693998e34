"""The map's location points: counted in grid cells fine enough to see a street when zoomed in, and
never more circles than the page can carry, however long the history."""

from __future__ import annotations

import math
from pathlib import Path

from reflet.report import data as agg
from reflet.store import Store


def _insert(store: Store, sql_select: str) -> None:
    store.con.execute("INSERT INTO place (key, archive, member, locator, archive_fp, platform, channels, time, lat, "
                      f"lon, kind) {sql_select}")


def test_ten_years_everywhere_stay_within_the_caps_and_every_point_is_counted(tmp_path: Path) -> None:
    with Store(tmp_path / "a.duckdb") as store:
        # 300,000 points over ten years, five platforms, two channels, spread over ~300 km.
        _insert(store, """
            SELECT md5(i::VARCHAR), 'takeout.zip', 'Records.json', '/locations/' || i, 'fp',
                   ['google', 'snapchat', 'instagram', 'facebook', 'media'][1 + i % 5],
                   CASE WHEN i % 7 = 0 THEN ['public', 'records'] ELSE ['records'] END,
                   TIMESTAMPTZ '2014-01-01' + to_seconds(i * 1050), 44.5 + (hash(i * 7) % 100000) / 40000.0,
                   -75.0 + (hash(i * 13) % 100000) / 28000.0, 'gps'
            FROM range(300000) t(i)""")
        cells, deg, period = agg._grid(store)
    assert len(cells) <= agg.MAX_CELL_ROWS
    assert len({(c["lat"], c["lon"]) for c in cells}) <= agg.MAX_CELLS
    assert sum(c["n"] for c in cells) == 300_000
    assert period == "year" and {c["time"] for c in cells} == {str(y) for y in range(2014, 2024)}
    assert deg in agg.CELL_LADDER


def test_a_city_history_with_a_trip_far_away_keeps_street_sized_cells(tmp_path: Path) -> None:
    home = (45.5231, -73.5817)
    with Store(tmp_path / "a.duckdb") as store:
        # Two months in one city (a few km), then a week abroad: the trip must not coarsen the city.
        _insert(store, f"""
            SELECT md5(i::VARCHAR), 'takeout.zip', 'Records.json', '/locations/' || i, 'fp', 'google', ['records'],
                   TIMESTAMPTZ '2024-03-01' + to_seconds(i * 300),
                   CASE WHEN i < 17000 THEN {home[0]} + ((hash(i) % 1000)::INTEGER - 500) / 1e5 ELSE 40.4168 END,
                   CASE WHEN i < 17000 THEN {home[1]} + ((hash(i + 1) % 1000)::INTEGER - 500) / 1e5 ELSE -3.7038 END,
                   'gps'
            FROM range(19000) t(i)""")
        cells, deg, period = agg._grid(store)
    assert period == "month" and sum(c["n"] for c in cells) == 19_000
    assert deg <= 0.001  # ~110 m: the city's streets show when zooming in (the trip once made them 65 km squares)
    near = min(cells, key=lambda c: math.hypot(c["lat"] - home[0], c["lon"] - home[1]))
    assert math.hypot(near["lat"] - home[0], near["lon"] - home[1]) <= deg
    madrid = [c for c in cells if abs(c["lat"] - 40.4168) < 0.01]
    assert sum(c["n"] for c in madrid) == 2_000
