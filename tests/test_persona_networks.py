"""The persona's IP addresses are real networks of the stated kind, so its audit exercises enrichment.

Integration test on the installed databases (`make install` sets them up): every address of
``persona/networks.py`` resolves to its stated country (and city for fixed lines), fixed lines to
a curated fixed-line network, and an audit of the demo persona gives every public IP a country, a
radius, and a network type where the curated file knows the network.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reflet.audit import run_audit
from reflet.enrich import places
from reflet.enrich.ip import open_installed
from reflet.persona import export_inputs, generate, networks
from reflet.store import Store


@pytest.fixture(scope="module")
def locator():  # type: ignore[no-untyped-def]
    loc, warnings = open_installed()
    assert loc is not None, f"IP databases are not installed: {warnings} (run `make install`)"
    return loc


def _all() -> list[tuple[str, str, str, str]]:
    out = [(ip, city, cc, f"fixed {k}") for k, v in networks.FIXED.items() for ip, city, cc in v]
    out += [(ip, city, cc, "mobile") for v in networks.MOBILE.values() for ip, city, cc in v]
    out += [(ip, city, cc, "wifi") for v in networks.WIFI.values() for ip, city, cc in v]
    out += [(ip, city, cc, "vpn") for ip, city, cc, _ in networks.VPN]
    out += [(ip, city, cc, "attacker") for ip, city, cc in networks.ATTACKER.values()]
    return out


def test_every_persona_network_is_where_it_says(locator) -> None:  # type: ignore[no-untyped-def]
    for ip, city, cc, what in _all():
        assert ip.endswith(".0"), ip  # a network's name, never a host's
        info = locator.lookup(ip)
        assert info.country == cc, (ip, what, info)
        if what.startswith("fixed"):
            assert info.net_type == "fixed", (ip, info)
            assert (info.city or "").startswith(city.split(" (")[0]), (ip, info)
        if what == "vpn":
            assert info.net_type in ("vpn", "hosting"), (ip, info)


def test_demo_persona_ips_all_enriched(tmp_path: Path) -> None:
    out = generate(tmp_path / "p", seed=0, scale=0.25)
    run_audit(export_inputs(out), tmp_path / "audit")
    with Store(tmp_path / "audit" / "audit.duckdb", read_only=True) as s:
        rows = s.query("SELECT DISTINCT l.ip, i.kind, i.country, i.radius_km, i.net_type FROM login l "
                       "LEFT JOIN ip_info i ON i.ip = l.ip WHERE l.ip IS NOT NULL")
        unnamed = s.query(f"""SELECT count(*) FROM place p LEFT JOIN place_name n
                              ON n.lat_r = round(p.lat, {places.ROUND}) AND n.lon_r = round(p.lon, {places.ROUND})
                              WHERE n.name IS NULL OR n.tz IS NULL""")[0][0]
        named = s.query("SELECT count(*) FROM place")[0][0]
    assert named > 1000 and unnamed == 0  # every place has a name and a timezone
    public = [r for r in rows if not r[0].startswith("100.")]
    assert public, "the persona wrote no login with a public IP"
    # A VPN or hosting address has no radius on purpose: its place is the server's, not the person's.
    missing = [r for r in public if not r[2] or (r[3] is None and r[4] not in ("vpn", "hosting"))]
    assert not missing, missing
    cgnat = [r for r in rows if r[0].startswith("100.")]
    assert all(r[2] is None for r in cgnat)  # labelled, not located
    assert {r[4] for r in public} >= {"fixed", "mobile"}
