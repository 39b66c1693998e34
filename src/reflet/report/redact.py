"""A redacted copy of a report, for a trainer or a lawyer: what was found, not who or where exactly.

The redaction works on the report's data (the same dict the HTML is rendered from
and the JSON holds), walked as a whole, so fields added to the report later are
covered too:

* coordinates are rounded to 0.1° (about 10 km) wherever they appear, as numbers or
  inside text, and places are named by the nearest town from ``place_name``;
  a radius is never shown smaller than 10 km;
* identifiers are masked, keeping only their first and last characters: e-mails,
  phone numbers, usernames, names, device and advertising ids; IPv4 addresses keep
  their /16, IPv6 addresses their /32. The values are taken from the store (every
  identity, device identifier, log-in IP and contact name) and also caught by
  pattern, so a title or a detail that quotes one is scrubbed too;
* free text is removed: post texts, captions, evidence summaries (which may quote
  what a post said), and any quoted passage in a title or detail;
* the audit folder's path is left out.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..store import Store

COARSE_DEG = 0.1
MIN_RADIUS_M = 10_000.0
REMOVED = "[removed]"

# Keys whose string values are free text: dropped, not scrubbed.
_FREE_TEXT_KEYS = {"text", "summary", "caption", "body", "content", "snippet", "quote", "comment", "bio",
                   "full_text", "post", "posts", "texts", "message_text"}
# Dropped whole: an evidence summary's values (what it quotes) and a place's exact nearest name in parts
# (the copy names the town instead, under "near").
_DROP_KEYS = {"summary_key", "summary_args", "near_parts"}
_LAT_KEYS = {"lat", "latitude", "lat_r", "centre_lat", "center_lat"}
_LON_KEYS = {"lon", "lng", "longitude", "lon_r", "centre_lon", "center_lon"}
_COORD_KEYS = _LAT_KEYS | _LON_KEYS | {"coord", "coords", "coordinates", "centre", "center", "point", "points",
                                       "path", "latlon", "latlng", "bbox"}
_RADIUS_KEYS = {"radius_m"}
# Fractions and scores: kept as they are (everything else fractional is rounded, in case it is a coordinate).
_KEEP_FLOAT_KEYS = {"confidence", "radius_level", "score", "share", "ratio", "fraction", "probability",
                    "weight", "level", "p", "pct", "percent"}

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_IPV4 = re.compile(r"(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.])")
_IPV6 = re.compile(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])")
_PHONE = re.compile(r"(?<![\w+])\+\d[\d\s().-]{6,18}\d(?!\w)")
_UUID = re.compile(r"\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b")
_LONG_ID = re.compile(r"(?<![\d.])\d{9,}(?![\d.])|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{16,}\b")
_DECIMAL = re.compile(r"(?<![\w.])(-?\d{1,3}\.\d{3,})(?![\d])")
_QUOTED = re.compile(r"“[^”]{3,}”|«[^»]{3,}»|\"[^\"]{3,}\"|‘[^’]{8,}’")


def mask(value: str) -> str:
    """Keep the first and last characters of an identifier (the /16 of an IPv4, /32 of an IPv6)."""
    v = value.strip()
    try:
        ip = ipaddress.ip_address(v)
    except ValueError:
        ip = None
    if ip is not None:
        if ip.version == 4:
            a, b, _, _ = v.split(".")
            return f"{a}.{b}.x.x"
        return str(ipaddress.ip_network(f"{ip}/32", strict=False))
    if "@" in v:
        local, _, domain = v.rpartition("@")
        tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
        return f"{_ends(local)}@{domain[:1]}…{'.' + tld if tld else ''}"
    return _ends(v)


def _ends(v: str) -> str:
    if len(v) <= 3:
        return "…"
    return f"{v[0]}…{v[-1]}"


def _ipv6(m: re.Match[str]) -> str:
    try:
        ipaddress.IPv6Address(m.group(0))
    except ValueError:
        return m.group(0)  # a time (12:30:00) or other colon text, not an address
    return mask(m.group(0))


def _ipv4(m: re.Match[str]) -> str:
    if all(int(g) <= 255 for g in m.groups()):
        return f"{m.group(1)}.{m.group(2)}.x.x"
    return m.group(0)


def _coarse(x: float) -> float:
    return round(round(x / COARSE_DEG) * COARSE_DEG, 1)


def _digits_pattern(phone: str) -> str | None:
    """A phone number written with any separators, by its last nine digits (catches local forms)."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return None
    return r"[\s().-]*".join(digits[-9:])


class Redactor:
    """Scrubs report data using the personal values the store holds."""

    def __init__(self, store: Store | None = None, extra: Iterable[str] = ()) -> None:
        self._store = store
        self._towns: dict[tuple[float, float], str | None] = {}
        values: set[str] = {v for v in extra if v}
        texts: set[str] = set()
        phone_patterns: list[str] = []
        if store is not None:
            tables = {r[0] for r in store.query("SELECT table_name FROM information_schema.tables")}
            self._has_place_name = "place_name" in tables
            for kind, value in store.query("SELECT kind, value FROM identity WHERE value IS NOT NULL"):
                if kind == "place":
                    continue  # a city name: already coarse
                values.add(value)
                if kind == "phone" and (p := _digits_pattern(value)):
                    phone_patterns.append(p)
            for (ids,) in store.query("SELECT identifiers FROM device WHERE identifiers IS NOT NULL"):
                for pair in json.loads(ids) if isinstance(ids, str) else ids or []:
                    if isinstance(pair, (list, tuple)) and len(pair) == 2 and pair[1]:
                        values.add(str(pair[1]))
            values.update(r[0] for r in store.query("SELECT DISTINCT ip FROM login WHERE ip IS NOT NULL"))
            for (names,) in store.query("SELECT names FROM connection WHERE len(names) > 0"):
                values.update(names)
            for (text,) in store.query("SELECT DISTINCT text FROM post WHERE text IS NOT NULL AND len(text) >= 4"):
                texts.add(text)
                if len(text) > 24:
                    texts.add(text[:24])  # titles quote posts shortened
            for (name,) in store.query("SELECT DISTINCT name FROM place WHERE name IS NOT NULL"):
                texts.add(name)  # a visited place's own name or address is as exact as its coordinates
        else:
            self._has_place_name = False
        self._values = {v.casefold(): mask(v) for v in values if len(v.strip()) >= 3}
        self._texts = {t.casefold() for t in texts if len(t.strip()) >= 4}
        alts = sorted(set(self._values) | self._texts, key=len, reverse=True)
        parts = [re.escape(a) for a in alts] + phone_patterns
        self._known = re.compile("|".join(parts), re.IGNORECASE) if parts else None

    # -- strings ----------------------------------------------------------------------------
    def _known_sub(self, m: re.Match[str]) -> str:
        k = m.group(0).casefold()
        if k in self._values:
            return self._values[k]
        if k in self._texts:
            return REMOVED
        return mask(m.group(0))  # a phone number written another way

    def text(self, s: str) -> str:
        """Scrub one string: known values, then anything that looks like an identifier or a coordinate."""
        if self._known is not None:
            s = self._known.sub(self._known_sub, s)
        s = _QUOTED.sub("“…”", s)
        s = _EMAIL.sub(lambda m: mask(m.group(0)), s)
        s = _UUID.sub("…", s)
        s = _IPV6.sub(_ipv6, s)
        s = _IPV4.sub(_ipv4, s)
        s = _PHONE.sub(lambda m: mask(m.group(0)), s)
        s = _LONG_ID.sub(lambda m: _ends(m.group(0)), s)
        return _DECIMAL.sub(lambda m: f"{_coarse(float(m.group(1))):.1f}", s)

    # -- places -----------------------------------------------------------------------------
    def town(self, lat: float, lon: float) -> str | None:
        """The nearest named place within ~20 km, from the audit's own place_name table."""
        if self._store is None or not self._has_place_name:
            return None
        key = (round(lat, 2), round(lon, 2))
        if key not in self._towns:
            row = self._store.query(
                "SELECT name, country_name FROM place_name WHERE abs(lat_r - ?) < 0.2 AND abs(lon_r - ?) < 0.2 "
                "AND name IS NOT NULL ORDER BY (lat_r - ?) ^ 2 + (lon_r - ?) ^ 2 LIMIT 1",
                [lat, lon, lat, lon])
            self._towns[key] = ", ".join(p for p in row[0] if p) if row else None
        return self._towns[key]

    # -- the whole tree ---------------------------------------------------------------------
    def value(self, v: Any, key: str = "", *, in_coords: bool = False) -> Any:
        """Redact any value; ``in_coords``: inside a list held under a coordinates key (points, path...)."""
        k = key.lower()
        if isinstance(v, dict):
            return self._dict(v)
        if isinstance(v, (list, tuple)):
            if k in _FREE_TEXT_KEYS:
                return []
            inner = in_coords or k in _COORD_KEYS
            return [self.value(x, key, in_coords=inner) for x in v]
        if isinstance(v, str):
            if k in _FREE_TEXT_KEYS:
                return REMOVED if v else v
            return self.text(v)
        if isinstance(v, bool) or v is None:
            return v
        if isinstance(v, (int, float)):
            if k in _LAT_KEYS or k in _LON_KEYS or (in_coords and isinstance(v, float)):
                return _coarse(float(v))
            if isinstance(v, float) and k not in _KEEP_FLOAT_KEYS and math.isfinite(v) and v != round(v, 2):
                return round(v, 1)  # could be a coordinate under a name we do not know
        return v

    def _dict(self, d: dict[str, Any]) -> dict[str, Any]:
        out = {k: None if k in _DROP_KEYS else self.value(v, k) for k, v in d.items()}
        lat = next((d[k] for k in d if k.lower() in _LAT_KEYS and isinstance(d[k], (int, float))), None)
        lon = next((d[k] for k in d if k.lower() in _LON_KEYS and isinstance(d[k], (int, float))), None)
        if lat is not None and lon is not None:
            out["near"] = self.town(float(lat), float(lon))
            for rk in _RADIUS_KEYS:
                if isinstance(d.get(rk), (int, float)):
                    out[rk] = max(float(d[rk]), MIN_RADIUS_M)
        return out


def redact_data(data: dict[str, Any], redactor: Redactor) -> dict[str, Any]:
    """The report data with personal details coarsened, masked or removed."""
    out: dict[str, Any] = redactor.value(data)
    out["store"] = "(folder not shown in this redacted copy)/audit.duckdb"
    out["redacted"] = True
    if isinstance(out.get("map"), dict) and "cell_deg" in out["map"]:
        # The map's squares are as coarse as the rounded coordinates in them, and the caption says so.
        cell = data.get("map", {}).get("cell_deg") or 0.0
        out["map"]["cell_deg"] = max(float(cell), COARSE_DEG)
    return out


def banner(lang: str) -> str:
    """The note at the top of a redacted copy, in the page's language."""
    from markupsafe import escape

    from .i18n import translator

    t = translator(lang)
    return (f'<p class="banner" role="note" id="redacted-note"><strong>{escape(t("redact.banner_h"))}</strong> '
            f'{escape(t("redact.banner"))}</p>')


def write_redacted(store: Store, result: Any, html_path: Path, *, lang: str = "en") -> tuple[Path, Path]:
    """Render the redacted report to ``html_path`` and its data next to it (``.json``)."""
    from .render import render_html, report_data

    data = redact_data(report_data(store, result), Redactor(store))
    html = render_html(data, lang)
    # The section templates belong to the report itself; the note goes in after the page's <main>.
    html = html.replace("<main>", "<main>\n" + banner(lang), 1)
    json_path = html_path.with_suffix(".json")
    html_path.write_text(html, encoding="utf-8")
    json_path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    for p in (html_path, json_path):
        p.chmod(0o600)
    return html_path, json_path


__all__ = ["Redactor", "mask", "redact_data", "write_redacted"]
