"""IP address -> where it is registered (country, region, city, point), which network, what kind.

Offline only: DB-IP City Lite (mmdb, read with ``maxminddb``) and the ASN table the
set-up built (``asn.py``). The network type comes from ``data/asn_types.csv``, a
curated list where every row cites a source; an AS not listed is "unknown".

An IP location is never a point. Each answer carries an honest radius:

* mobile, mixed and unknown networks: ~200 km. Free and commercial databases err by a
  median of 179–207 km on mobile networks, and ~70% of mobile prefixes span more than
  100 km ("Lost in the Prefix", arXiv 2605.21937, 2026; research.md B26). A network we
  cannot classify is treated like the worse case rather than flattered.
* fixed lines: ~15 km, the top of the 3–16 km median error the same study measured on
  fixed networks (B26). Even MaxMind's own radius is a 67% confidence circle (B28).
* hosting and VPN: no radius at all. The location is the server's, not the person's.

Private, carrier-grade NAT (100.64.0.0/10), loopback, link-local, documentation,
multicast and other reserved addresses are labelled and never geolocated: they say
nothing about where anyone was.
"""

from __future__ import annotations

import csv
import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from . import datasets
from .asn import AsnTable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NET_TYPES = ("mobile", "mixed", "fixed", "hosting", "vpn", "unknown")

# km; None = "not about you" (research.md B26, see the module docstring).
RADIUS_KM: dict[str, float | None] = {
    "mobile": 200.0, "mixed": 200.0, "unknown": 200.0, "fixed": 15.0, "hosting": None, "vpn": None,
}
NOTES = {
    "mobile": "mobile network: the address is shared across a wide area; databases err by about "
              "180–210 km here (median)",
    "mixed": "this operator carries mobile and home lines on the same network; treated as mobile "
             "(about 200 km)",
    "unknown": "network type unknown: treated like a mobile network (about 200 km)",
    "fixed": "fixed line (home or office): usually right to the town, within about 15 km",
    "hosting": "a data centre or cloud: this is where the server is, not where you were",
    "vpn": "a VPN provider: this is where the VPN server is, not where you were",
}

_DOCUMENTATION = [ipaddress.ip_network(n) for n in (
    "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "3fff::/20")]
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
# Home and office networks (RFC 1918, RFC 4193). Python's is_private also covers benchmark and
# protocol ranges, which are not anyone's home network: those are labelled "reserved".
_PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")]

ADDRESS_KINDS = {
    "public": "a public address: it can be located",
    "private": "a private address (home or office network): it is not visible on the internet",
    "cgnat": "a carrier-grade NAT address (100.64.0.0/10): shared inside an operator's network",
    "loopback": "this machine itself (loopback)",
    "link_local": "a link-local address: only meaningful on one local network",
    "documentation": "a documentation/example address (never used on the internet)",
    "multicast": "a multicast address",
    "unspecified": "the unspecified address",
    "reserved": "a reserved address (not used on the public internet)",
    "invalid": "not an IP address",
}


@dataclass(frozen=True)
class IpInfo:
    ip: str
    kind: str  # one of ADDRESS_KINDS
    country: str | None = None  # ISO 3166-1 alpha-2
    region: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    asn: int | None = None
    org: str | None = None
    net_type: str = "unknown"
    net_name: str | None = None  # the curated name, when the AS is in asn_types.csv
    note: str | None = None
    source: str | None = None

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None


def parse_ip(text: str) -> IPAddress | None:
    """An address from the forms exports use ('1.2.3.4', '[2001:db8::1]', '1.2.3.4:443', 'fe80::1%eth0')."""
    s = (text or "").strip()
    if s.startswith("[") and "]" in s:
        s = s[1:s.index("]")]
    elif s.count(":") == 1 and "." in s:
        s = s.split(":", 1)[0]  # IPv4 with a port
    s = s.split("%", 1)[0]
    try:
        ip = ipaddress.ip_address(s)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped  # ::ffff:1.2.3.4 is an IPv4 client seen through an IPv6 socket
    return ip


def address_kind(ip: IPAddress) -> str:
    """What kind of address this is; only 'public' ones are geolocated."""
    if any(ip in n for n in _DOCUMENTATION if n.version == ip.version):
        return "documentation"
    if ip.version == 4 and ip in _CGNAT:
        return "cgnat"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"
    if ip.is_multicast:
        return "multicast"
    if any(ip in n for n in _PRIVATE if n.version == ip.version):
        return "private"
    if ip.is_reserved or not ip.is_global:
        return "reserved"
    return "public"


@dataclass(frozen=True)
class NetType:
    asn: int
    type: str
    name: str
    country: str
    source: str


def load_asn_types(path: Path | None = None) -> dict[int, NetType]:
    """The curated ASN -> network type table (``data/asn_types.csv`` by default)."""
    if path is None:
        text = resources.files("reflet.enrich").joinpath("data/asn_types.csv").read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    out: dict[int, NetType] = {}
    for row in csv.DictReader(lines):
        t = row["type"].strip()
        if t not in NET_TYPES or not row.get("source", "").strip():
            raise ValueError(f"asn_types: row for AS{row['asn']} needs a known type and a source")
        out[int(row["asn"])] = NetType(int(row["asn"]), t, row["name"].strip(), row["country"].strip(),
                                       row["source"].strip())
    return out


class IpLocator:
    """Looks addresses up in the installed databases; any of them may be absent."""

    def __init__(self, city_dir: Path | None, asn_file: Path | None,
                 asn_types: dict[int, NetType] | None = None, *, source: str = "") -> None:
        import maxminddb  # imported here so that a missing package only disables IP lookups

        self._readers: dict[int, Any] = {}
        if city_dir is not None:
            for version in (4, 6):
                f = city_dir / f"dbip-city-ipv{version}.mmdb"
                if f.exists():
                    self._readers[version] = maxminddb.open_database(str(f), maxminddb.MODE_MMAP)
        self._asn = AsnTable(asn_file) if asn_file is not None and asn_file.exists() else None
        self._types = load_asn_types() if asn_types is None else asn_types
        self.source = source

    @property
    def has_city(self) -> bool:
        return bool(self._readers)

    @property
    def has_asn(self) -> bool:
        return self._asn is not None

    def unknown_curated_asns(self) -> list[int]:
        """Curated AS numbers that the installed ASN data does not know (typos, retired ASes)."""
        known = self._asn.asns() if self._asn is not None else set()
        return sorted(a for a in self._types if a not in known)

    def close(self) -> None:
        for r in self._readers.values():
            r.close()
        self._readers.clear()

    @lru_cache(maxsize=65536)  # noqa: B019 - one locator per audit; addresses repeat a lot
    def lookup(self, text: str) -> IpInfo:
        ip = parse_ip(text)
        if ip is None:
            return IpInfo(ip=text, kind="invalid", note=ADDRESS_KINDS["invalid"], source=self.source)
        kind = address_kind(ip)
        if kind != "public":
            return IpInfo(ip=str(ip), kind=kind, note=ADDRESS_KINDS[kind], source=self.source)
        asn = org = None
        if self._asn is not None:
            hit = self._asn.lookup(ip)
            if hit is not None:
                asn, org = hit
        nt = self._types.get(asn) if asn is not None else None
        net_type = nt.type if nt else "unknown"
        rec: dict[str, Any] | None = None
        reader = self._readers.get(ip.version)
        if reader is not None:
            got = reader.get(str(ip))
            rec = got if isinstance(got, dict) else None
        lat = lon = None
        country = region = city = None
        if rec:
            country = rec.get("country_code") or None
            region = rec.get("state1") or None
            city = rec.get("city") or None
            if rec.get("latitude") is not None and rec.get("longitude") is not None:
                lat, lon = round(float(rec["latitude"]), 4), round(float(rec["longitude"]), 4)
        radius = RADIUS_KM[net_type] if lat is not None else None
        return IpInfo(ip=str(ip), kind=kind, country=country, region=region, city=city, lat=lat, lon=lon,
                      radius_km=radius, asn=asn, org=org, net_type=net_type,
                      net_name=nt.name if nt else None, note=NOTES[net_type], source=self.source)


def open_installed() -> tuple[IpLocator | None, list[str]]:
    """The locator over the installed databases, and warnings for what is missing."""
    warnings: list[str] = []
    city_dir = datasets.find(datasets.DBIP_CITY)
    asn_dir = datasets.find(datasets.ASN)
    if city_dir is None:
        warnings.append("IP addresses were not placed on a map: " + datasets.missing_message(datasets.DBIP_CITY))
    if asn_dir is None:
        warnings.append("IP addresses were not matched to networks: " + datasets.missing_message(datasets.ASN))
    if city_dir is None and asn_dir is None:
        return None, warnings
    try:
        import maxminddb  # noqa: F401
    except ImportError:
        return None, [*warnings, "IP lookups are off: the Python package maxminddb is not installed"]
    parts = []
    if city_dir is not None:
        parts.append(f"DB-IP City Lite {datasets.DBIP_CITY.version}")
    if asn_dir is not None:
        parts.append(f"ip-location-db ASN {datasets.ASN.version}")
    parts.append("reflet asn_types.csv")
    loc = IpLocator(city_dir, asn_dir / datasets.ASN_FILE if asn_dir else None, source="; ".join(parts))
    return loc, warnings


__all__ = ["ADDRESS_KINDS", "NET_TYPES", "NOTES", "RADIUS_KM", "IpInfo", "IpLocator", "NetType",
           "address_kind", "load_asn_types", "open_installed", "parse_ip"]
