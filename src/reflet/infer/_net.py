"""What inference needs to know about an IP address, offline.

Shared addresses (carrier-grade NAT, VPN exits, hosting, mobile carriers,
private ranges) are used by many strangers at once: they never link two
accounts on their own. The ``ip_info`` table written by ``enrich/`` says a
network's type when the curated data knows it; the ``ipaddress`` module
labels reserved ranges either way.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

import pycountry

from ..store import Store

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
# Documentation ranges stand for public addresses in examples and in the synthetic persona;
# real exports never contain them, so they are treated as ordinary public addresses.
_DOCS = tuple(ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24",
                                                  "2001:db8::/32"))
SHARED_TYPES = {"mobile", "mixed", "vpn", "hosting", "cgnat", "private", "reserved", "mobile carrier", "commercial vpn",
                "hosting/cloud"}


def address_class(ip: str) -> str | None:
    """'private', 'cgnat' or 'reserved' for addresses that are not one subscriber's, else None."""
    try:
        a = ipaddress.ip_address(ip.strip())
    except ValueError:
        return "reserved"
    if any(a in n for n in _DOCS if n.version == a.version):
        return None
    if isinstance(a, ipaddress.IPv4Address) and a in _CGNAT:
        return "cgnat"
    if a.is_private or a.is_loopback or a.is_link_local:
        return "private"
    if a.is_reserved or a.is_multicast or a.is_unspecified:
        return "reserved"
    return None


def ip_info(store: Store) -> dict[str, dict[str, Any]]:
    """ip -> enrichment row, when the enrichment table exists."""
    tables = {r[0] for r in store.query("SELECT table_name FROM information_schema.tables")}
    if "ip_info" not in tables:
        return {}
    cols = [r[0] for r in store.query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'ip_info' ORDER BY ordinal_position")]
    out = {}
    for row in store.query(f"SELECT {', '.join(cols)} FROM ip_info"):
        d = dict(zip(cols, row))
        if d.get("ip"):
            out[str(d["ip"])] = d
    return out


def net_type(ip: str, info: dict[str, dict[str, Any]]) -> str | None:
    cls = address_class(ip)
    if cls:
        return cls
    row = info.get(ip) or {}
    t = row.get("net_type") or row.get("type") or row.get("kind")
    return str(t).lower() if t else None


def is_shared(ip: str, info: dict[str, dict[str, Any]]) -> bool:
    t = net_type(ip, info)
    return t is not None and any(s in t for s in SHARED_TYPES)


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO 3166 alpha-2 for a code or an English country name ("FR", "fra", "France")."""
    name = name.strip()
    if not name or name.lower() in ("unknown", "n/a", "none", "null"):
        return None
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return name.upper() if len(name) == 2 and name.isalpha() else None


def country_of(ip: str | None, reported: str | None, info: dict[str, dict[str, Any]]) -> str | None:
    """The country a login came from: what the platform reported, else the IP database's."""
    if reported:
        code = country_code(reported)
        if code:
            return code
    if ip:
        row = info.get(ip) or {}
        c = row.get("country") or row.get("country_code")
        return country_code(str(c)) if c else None
    return None
