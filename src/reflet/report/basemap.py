"""An offline base map: country outlines as SVG paths, and the projection the report draws with.

The outlines are Natural Earth's, as TopoJSON in the npm package ``world-atlas``
(installed by the set-up with the other data, see ``reflet.enrich.datasets``).
TopoJSON stores shared borders once, as quantised, delta-encoded "arcs"; a
polygon ring is a list of arc indexes (``~i`` = arc ``i`` reversed). We decode
the arcs, keep the rings that touch the area shown, and project them with the
(spherical) Mercator projection of web maps. It keeps shapes and directions
true at every latitude, which matters because the person zooms in: a map that
spans a trip abroad is still right about which way work lies from home, and an
uncertainty circle is a circle of the stated radius wherever it is drawn.

Without the package the map still draws the points, with no outlines, and says why.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..enrich import datasets

WIDTH = 1000.0
MIN_ASPECT, MAX_ASPECT = 0.5, 0.75  # height / width of the drawing
DETAILED_BELOW_DEG = 25.0  # a view narrower than this uses the 1:50m outlines


def _merc(lat: float) -> float:
    """Mercator ordinate, in degrees (equal to the latitude near the equator)."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _unmerc(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


@dataclass(frozen=True)
class Projection:
    """Mercator, fitted to a bounding box (degrees)."""

    west: float
    south: float
    east: float
    north: float
    width: float = WIDTH

    @property
    def kx(self) -> float:
        return self.width / max(self.east - self.west, 1e-9)

    @property
    def height(self) -> float:
        return round((_merc(self.north) - _merc(self.south)) * self.kx, 1)

    def xy(self, lat: float, lon: float, nd: int = 3) -> tuple[float, float]:
        """Drawing coordinates; 3 decimals keep ~40 m even on a world map (zooming in must not blur a home)."""
        return (round((lon - self.west) * self.kx, nd), round((_merc(self.north) - _merc(lat)) * self.kx, nd))

    def metres(self, m: float, lat: float) -> float:
        """A distance on the ground, in drawing units, at latitude ``lat`` (the scale grows towards the poles)."""
        return m / (111_320.0 * (math.cos(math.radians(lat)) or 1e-6)) * self.kx

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


def fit(points: Iterable[tuple[float, float]], *, pad: float = 0.15, min_span_deg: float = 0.02) -> Projection:
    """A projection showing every (lat, lon) in ``points``, padded, at a readable aspect."""
    pts = list(points)
    if not pts:
        return Projection(-180.0, -60.0, 180.0, 80.0)
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    s, n, w, e = min(lats), max(lats), min(lons), max(lons)
    dlat = max(n - s, min_span_deg)
    dlon = max(e - w, min_span_deg)
    clat, clon = (s + n) / 2, (w + e) / 2
    s, n = max(clat - dlat / 2 * (1 + 2 * pad), -85.0), min(clat + dlat / 2 * (1 + 2 * pad), 85.0)
    dlon = dlon * (1 + 2 * pad)
    # Widen the narrow side so the drawing's aspect stays readable on a phone and on paper (in Mercator
    # units, where a degree of latitude grows towards the poles).
    ms, mn = _merc(s), _merc(n)
    aspect = (mn - ms) / dlon
    if aspect < MIN_ASPECT:
        mid, half = (ms + mn) / 2, MIN_ASPECT * dlon / 2
        s, n = max(_unmerc(mid - half), -85.0), min(_unmerc(mid + half), 85.0)
    elif aspect > MAX_ASPECT:
        dlon = (mn - ms) / MAX_ASPECT
    w, e = max(clon - dlon / 2, -180.0), min(clon + dlon / 2, 180.0)
    return Projection(w, s, e, n)


@dataclass(frozen=True)
class Ring:
    coords: tuple[tuple[float, float], ...]  # (lon, lat)
    west: float
    south: float
    east: float
    north: float


def decode(topo: dict) -> list[tuple[str, list[Ring]]]:  # type: ignore[type-arg]
    """(country name, rings) for every geometry of the first object of a TopoJSON topology."""
    tf = topo.get("transform")
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        pts: list[tuple[float, float]] = []
        x = y = 0.0
        for pos in arc:
            if tf:  # quantised: positions are deltas on an integer grid
                x += pos[0]
                y += pos[1]
                pts.append((x * tf["scale"][0] + tf["translate"][0], y * tf["scale"][1] + tf["translate"][1]))
            else:
                pts.append((float(pos[0]), float(pos[1])))
        arcs.append(pts)

    def ring(indexes: Sequence[int]) -> Ring | None:
        coords: list[tuple[float, float]] = []
        for i in indexes:
            seg = arcs[i] if i >= 0 else arcs[~i][::-1]
            coords.extend(seg[1:] if coords else seg)  # consecutive arcs share their end point
        if len(coords) < 3:
            return None
        lons = [c[0] for c in coords]
        lats = [c[1] for c in coords]
        return Ring(tuple(coords), min(lons), min(lats), max(lons), max(lats))

    obj = next(iter(topo["objects"].values()))
    out: list[tuple[str, list[Ring]]] = []
    for g in obj.get("geometries", []):
        polys = ([g["arcs"]] if g.get("type") == "Polygon" else g.get("arcs", []) if g.get("type") == "MultiPolygon"
                 else [])
        rings = [r for poly in polys for rr in poly if (r := ring(rr)) is not None]
        out.append((str((g.get("properties") or {}).get("name") or g.get("id") or ""), rings))
    return out


@lru_cache(maxsize=2)
def _load(path: str) -> list[tuple[str, list[Ring]]]:
    return decode(json.loads(Path(path).read_text("utf-8")))


def atlas_file(detailed: bool) -> Path | None:
    """The installed outline file, or None when the set-up has not installed world-atlas."""
    folder = datasets.find(datasets.WORLD_ATLAS)
    if folder is None:
        return None
    f = folder / ("countries-50m.json" if detailed else "countries-110m.json")
    return f if f.exists() else None


def outlines(proj: Projection, countries: list[tuple[str, list[Ring]]] | None = None) -> list[str]:
    """SVG path data of the country rings that touch the view (all of them when none is given: installed)."""
    if countries is None:
        f = atlas_file(detailed=(proj.east - proj.west) < DETAILED_BELOW_DEG)
        if f is None:
            return []
        countries = _load(str(f))
    mx, my = (proj.east - proj.west) * 0.5, (proj.north - proj.south) * 0.5
    paths: list[str] = []
    for _name, rings in countries:
        parts: list[str] = []
        for r in rings:
            if r.east < proj.west - mx or r.west > proj.east + mx or r.north < proj.south - my \
                    or r.south > proj.north + my:
                continue
            pts: list[str] = []
            last = None
            prev_lon: float | None = None
            for lon, lat in r.coords:
                # A ring crossing the antimeridian jumps from +180 to -180: keep it continuous (the part
                # beyond the edge is clipped by the drawing) instead of a stroke across the whole map.
                if prev_lon is not None:
                    while lon - prev_lon > 180:
                        lon -= 360
                    while lon - prev_lon < -180:
                        lon += 360
                prev_lon = lon
                x, y = proj.xy(lat, lon, 1)
                cur = f"{x:g},{y:g}"
                if cur != last:  # points closer than the drawing's resolution add bytes, not detail
                    pts.append(cur)
                    last = cur
            if len(pts) >= 3:
                parts.append("M" + "L".join(pts) + "Z")
        if parts:
            paths.append("".join(parts))
    return paths


__all__ = ["Projection", "Ring", "atlas_file", "decode", "fit", "outlines"]
