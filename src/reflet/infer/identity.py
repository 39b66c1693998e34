"""Identity links: which of the person's accounts an analyst could tie together, and why.

Links, strongest first:

* the same e-mail address or phone number on two platforms;
* the same device or advertising identifier, or the same camera serial;
* the same IP address used on two platforms within ``IP_WINDOW`` (this is how a
  pseudonymous account is tied to a real-name one). Shared addresses
  (carrier-grade NAT, mobile carriers, VPN exits, hosting, private ranges)
  never link on their own: strangers use them at the same time. Nor does an
  address the person used only briefly: hotel, café or conference Wi-Fi is
  shared with strangers too, and no database says so. An address links only
  when it is also one of the person's regular networks (``REGULAR_DAYS`` days
  of log-ins over at least ``REGULAR_SPAN``), as a home or office line is;
* a real name on a public profile.

Each link is a finding with its evidence on both sides.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import timedelta
from typing import Any

from ..findings import Evidence, Finding, msg
from ..store import Store
from ._net import ip_info, is_shared

IP_WINDOW = timedelta(hours=1)
# A home or office line is used for months; a hotel's or a café's for a few days of a trip.
REGULAR_DAYS = 3
REGULAR_SPAN = timedelta(days=14)
# Platforms whose name field is the person's legal or everyday name by policy or by custom.
REAL_NAME_PLATFORMS = {"facebook", "linkedin", "google"}
MAX_EVIDENCE = 20


def norm_email(v: str) -> str:
    return v.strip().lower()


def norm_phone(v: str) -> str:
    digits = re.sub(r"\D", "", v)
    # Compare national significant numbers: "+33 6 12…" and "06 12…" are the same phone.
    return digits[-9:] if len(digits) >= 9 else digits


def _ev(row: dict[str, Any], summary: str) -> Evidence:
    return Evidence(archive=row["archive"], member=row["member"], locator=row["locator"], summary=summary)


def _identifier_groups(store: Store) -> dict[tuple[str, str], list[dict[str, Any]]]:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for kind, value, platform, archive, member, locator, channels in store.query(
            "SELECT kind, value, platform, archive, member, locator, channels FROM identity "
            "WHERE kind IN ('email', 'phone', 'device_id', 'ad_id')"):
        key = norm_email(value) if kind == "email" else norm_phone(value) if kind == "phone" else value.strip()
        if not key:
            continue
        # An advertising id and a device id with the same value are the same phone.
        gkind = "device" if kind in ("device_id", "ad_id") else kind
        groups[(gkind, key)].append({"platform": platform, "archive": archive, "member": member,
                                     "locator": locator, "value": value, "channels": channels})
    for identifiers, platform, archive, member, locator, channels in store.query(
            "SELECT identifiers, platform, archive, member, locator, channels FROM device"):
        for pair in json.loads(identifiers or "[]"):
            if isinstance(pair, list) and len(pair) == 2 and pair[1]:
                kind = "serial" if "serial" in str(pair[0]).lower() else "device"
                groups[(kind, str(pair[1]).strip())].append({
                    "platform": platform, "archive": archive, "member": member, "locator": locator,
                    "value": str(pair[1]), "channels": channels})
    for serial, platform, archive, member, locator, channels in store.query(
            "SELECT camera_serial, platform, archive, member, locator, channels FROM media "
            "WHERE camera_serial IS NOT NULL"):
        groups[("serial", serial.strip())].append({"platform": platform, "archive": archive, "member": member,
                                                   "locator": locator, "value": serial, "channels": channels})
    return groups


def run(store: Store) -> list[Finding]:
    links: dict[tuple[str, str], list[tuple[str, list[Evidence], bool]]] = defaultdict(list)
    for (kind, key), rows in _identifier_groups(store).items():
        plats = sorted({r["platform"] for r in rows})
        if len(plats) < 2:
            continue
        public = any("public" in (r["channels"] or []) for r in rows)
        ev = [_ev(r, f"{r['platform']}: {r['value']}") for r in rows[:MAX_EVIDENCE]]
        for i, a in enumerate(plats):
            for b in plats[i + 1:]:
                links[(a, b)].append((msg(f"identity.why.{kind}", value=_mask(kind, key)), ev, public))
    info = ip_info(store)
    rows = store.query(
        "SELECT ip, time, platform, archive, member, locator FROM login "
        "WHERE ip IS NOT NULL AND time IS NOT NULL ORDER BY ip, time")
    by_ip: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for r in rows:
        by_ip[r[0]].append(r)
    for ip, items in by_ip.items():
        if len({r[2] for r in items}) < 2 or is_shared(ip, info) or not _regular(items):
            continue
        seen_pairs: set[tuple[str, str]] = set()
        for j, r in enumerate(items):
            for s in items[j + 1:]:
                if s[1] - r[1] > IP_WINDOW:
                    break
                if s[2] == r[2]:
                    continue
                pair = tuple(sorted((r[2], s[2])))
                if pair in seen_pairs:
                    continue
                seen_pairs.add(pair)  # type: ignore[arg-type]
                ev = [Evidence(r[3], r[4], r[5], f"{r[2]}: {ip} at {r[1]:%Y-%m-%d %H:%M} UTC"),
                      Evidence(s[3], s[4], s[5], f"{s[2]}: {ip} at {s[1]:%Y-%m-%d %H:%M} UTC")]
                links[pair].append((msg("identity.why.ip", ip=ip), ev, False))  # type: ignore[index]
    findings = [_component_finding(comp, links) for comp in _components(links)]
    # A display name is not always a real name (a pseudonymous X account has one). A public name
    # counts as the real name when it is on a platform that asks for one, or matches a name there.
    all_names = store.query("SELECT value, platform, archive, member, locator, "
                            "list_contains(channels, 'public') FROM identity WHERE kind = 'name'")
    real = {n[0].strip().lower() for n in all_names if n[1] in REAL_NAME_PLATFORMS}
    names = [n for n in all_names if n[5] and (n[1] in REAL_NAME_PLATFORMS or n[0].strip().lower() in real)]
    if names:
        plats = sorted({n[1] for n in names})
        findings.append(Finding(
            kind="identity.real_name_public", channel="public", severity="medium",
            title=msg("find.identity.real_name_public.title", platforms=plats),
            detail=msg("find.identity.real_name_public.detail"),
            evidence=[Evidence(n[2], n[3], n[4], f"{n[1]}: {n[0]}") for n in names[:MAX_EVIDENCE]],
            evidence_count=len(names), platforms=plats, remediation=[f"{p}.profile" for p in plats]))
    return findings


def _regular(items: list[tuple[Any, ...]]) -> bool:
    """Whether the log-ins (sorted by time) show an address used on several days over weeks."""
    days = {r[1].date() for r in items}
    return len(days) >= REGULAR_DAYS and items[-1][1] - items[0][1] >= REGULAR_SPAN


def _components(links: dict[tuple[str, str], Any]) -> list[list[str]]:
    """Groups of platforms joined by at least one link (union-find), largest first."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        parent[find(a)] = find(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        groups[find(x)].append(x)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g))


_CONTACT = ("identity.why.email", "identity.why.phone")  # message keys of the reasons


def _component_finding(comp: list[str], links: dict[tuple[str, str], list[tuple[str, list[Evidence], bool]]]
                       ) -> Finding:
    """One finding per group of linkable accounts; the pairs and their reasons are in ``data``."""
    pairs = [(a, b) for (a, b) in sorted(links) if a in comp]
    reasons_of = {pair: sorted({r[0] for r in links[pair]}) for pair in pairs}
    # Accounts joined to the others by no shared e-mail or phone: the ones a person may think are separate.
    hidden = [p for p in comp if not any(
        p in pair and any(getattr(w, "key", None) in _CONTACT for w in reasons_of[pair]) for pair in pairs)]
    public = any(r[2] for pair in pairs for r in links[pair])
    reasons = sorted({w for r in reasons_of.values() for w in r})
    ev = [e for pair in pairs for r in links[pair] for e in r[1]]
    if len(comp) == 2:
        a, b = comp
        why = reasons_of[(a, b)]
        title = msg("find.identity.link.title_pair" + ("_more" if len(why) > 1 else ""), a=a, b=b, why=why[0],
                    more=len(why) - 1)
    else:
        title = msg("find.identity.link.title_group", n=len(comp), platforms=comp)
    if hidden and len(comp) > 2:
        title = msg("find.identity.link.title_hidden", title=title, hidden=hidden, n=len(hidden))
    detail = msg("find.identity.link.detail" + ("_more" if len(pairs) > 12 else ""), more=len(pairs) - 12,
                 pairs=[msg("identity.pair", a=a, b=b, reasons=reasons_of[(a, b)]) for a, b in pairs[:12]])
    return Finding(
        kind="identity.link", channel="public" if public else "records",
        severity="critical" if hidden and len(comp) > 2 else "high",
        title=title, detail=detail, evidence=ev[:MAX_EVIDENCE], evidence_count=len(ev), platforms=comp,
        remediation=[f"{p}.identity" for p in (hidden or comp)],
        data={"platforms": comp, "hidden": hidden,
              "pairs": [{"platforms": [a, b], "reasons": reasons_of[(a, b)]} for a, b in pairs],
              "reasons": reasons, "reason_msgs": [w.as_dict() for w in reasons]})


def _mask(kind: str, key: str) -> str:
    """Enough of an identifier to recognise it, not enough to copy it from a shared report."""
    if kind == "email" and "@" in key:
        user, dom = key.split("@", 1)
        return f"{user[:2]}…@{dom}"
    return f"…{key[-4:]}" if len(key) > 4 else key
