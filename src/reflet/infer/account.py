"""Is someone else in my account? Signs of access the person may not have made.

* Logins from a country the person almost never logs in from (under
  ``RARE_SHARE`` of their logins with a known country) and where their location
  history does not place them that day (travel is not an intrusion), most
  serious when the device was seen nowhere else.
* E-mail addresses or phone numbers attached as recovery or unverified that
  match none of the person's primary ones on any platform.
* Password, recovery and two-factor changes (the person should recognise each).
* Apps, web sessions and third parties that still have access.

Each finding lists the immediate steps first (remediation keys
``<platform>.account_security``). A VPN exit abroad also looks like a foreign
login: the finding says so instead of guessing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from ..findings import Evidence, Finding, msg
from ..store import Store
from ._net import country_of, ip_info, net_type
from .identity import norm_email, norm_phone

RARE_SHARE = 0.05
MIN_USUAL = 3  # one or two logins from a country never make it "usual", whatever their share
MIN_LOGINS = 10  # below this, "rare" means nothing
MAX_EVIDENCE = 30


def _logins(store: Store) -> list[dict[str, Any]]:
    cols = ("time", "ip", "user_agent", "device", "action", "country", "platform", "archive", "member", "locator")
    return [dict(zip(cols, r)) for r in store.query(
        f"SELECT {', '.join(cols)} FROM login ORDER BY time NULLS LAST")]


def _device_key(r: dict[str, Any]) -> str | None:
    return (r.get("device") or r.get("user_agent") or None) and str(r.get("device") or r.get("user_agent"))[:200]


def foreign_logins(store: Store) -> list[Finding]:
    info = ip_info(store)
    rows = _logins(store)
    for r in rows:
        r["cc"] = country_of(r["ip"], r["country"], info)
    with_cc = [r for r in rows if r["cc"]]
    if not with_cc:
        return []
    counts = Counter(r["cc"] for r in with_cc)
    # Below MIN_LOGINS "rare" means little: only a new device abroad, against a clear home country, is flagged.
    few = len(with_cc) < MIN_LOGINS
    if few and counts.most_common(1)[0][1] < MIN_USUAL:
        return []
    # With a few dozen logins one intruder's login is over 5%: a usual country also needs MIN_USUAL logins.
    usual = ({c for c, n in counts.items() if n / len(with_cc) >= RARE_SHARE and n >= MIN_USUAL}
             | {counts.most_common(1)[0][0]})
    device_seen = Counter(_device_key(r) for r in rows if _device_key(r))
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in with_cc:
        if r["cc"] not in usual:
            by_country[r["cc"]].append(r)
    findings = []
    away = _trip_days(store)
    for cc, all_items in sorted(by_country.items()):
        # A login from a country the location history shows the person in that day (a trip) is theirs,
        # unless it came from a device seen nowhere else.
        known = [r for r in all_items if _device_key(r) and device_seen[_device_key(r)] > 1]
        items = [r for r in all_items if not (r in known and r["time"] is not None
                                                and (cc, r["time"].date()) in away)]
        if not items:
            continue
        new_device = any(_device_key(r) and device_seen[_device_key(r)] <= len(items) for r in items)
        if few and not new_device:
            continue
        types = {net_type(r["ip"], info) for r in items if r["ip"]}
        vpn = any(t and ("vpn" in t or "hosting" in t) for t in types)
        plats = sorted({r["platform"] for r in items})
        first = items[0]
        when = first["time"].date() if first["time"] else msg("word.unknown_date")
        sev = "critical" if new_device and not vpn else "high"
        findings.append(Finding(
            kind="account.foreign_login", channel="records", severity=sev,  # type: ignore[arg-type]
            title=msg("find.account.foreign_login.title" + ("_new_device" if new_device else ""), n=len(items),
                      country=cc, platforms=plats, when=when),
            detail=msg("find.account.foreign_login.detail" + ("_vpn" if vpn else ""), usual=sorted(usual)),
            evidence=[Evidence(r["archive"], r["member"], r["locator"],
                               msg("ev.login_utc", time=f"{r['time']:%Y-%m-%d %H:%M}", ip=r["ip"] or "?",
                                   device=_device_key(r) or "?")
                               if r["time"] else f"{r['ip']}") for r in items[:MAX_EVIDENCE]],
            evidence_count=len(items), platforms=plats,
            remediation=[f"{p}.account_security" for p in plats],
            data={"country": cc, "usual": sorted(usual), "new_device": new_device, "vpn": vpn,
                  "ips": sorted({r["ip"] for r in items if r["ip"]})}))
    return findings


def _trip_days(store: Store) -> set[tuple[str, date]]:
    """(country, day) for every day of a trip abroad the location history shows, a day either side."""
    from .travel import trips

    found = trips(store)
    out: set[tuple[str, date]] = set()
    for t in (found.trips if found else []):
        if t.first is None or t.last is None:
            continue
        d = t.first - timedelta(days=1)
        while d <= t.last + timedelta(days=1):
            out.update((c, d) for c in t.countries)
            d += timedelta(days=1)
    return out


def unknown_recovery(store: Store) -> list[Finding]:
    rows = store.query("SELECT kind, value, role, platform, archive, member, locator, time FROM identity "
                       "WHERE kind IN ('email', 'phone')")
    primary = {(k, norm_email(v) if k == "email" else norm_phone(v)) for k, v, role, *_ in rows if role == "primary"}
    findings = []
    odd = [r for r in rows if r[2] in ("recovery", "unverified")
           and (r[0], norm_email(r[1]) if r[0] == "email" else norm_phone(r[1])) not in primary]
    for kind, value, role, platform, archive, member, locator, t in odd:
        findings.append(Finding(
            kind="account.unknown_recovery", channel="records", severity="high",
            title=msg(f"find.account.unknown_recovery.title.{'recovery' if role == 'recovery' else 'second'}."
                      f"{'email' if kind == 'email' else 'phone'}", platform=platform, value=value),
            detail=msg("find.account.unknown_recovery.detail"),
            evidence=[Evidence(archive, member, locator,
                               msg(f"ev.address_role.{role}" + ("_added" if t else ""), value=value,
                                   added=f"{t:%Y-%m-%d}" if t else None))],
            evidence_count=1, platforms=[platform], remediation=[f"{platform}.account_security"],
            data={"kind": kind, "value": value, "role": role}))
    return findings


def security_changes(store: Store) -> list[Finding]:
    rows = store.query("SELECT action, time, platform, archive, member, locator, detail FROM login "
                       "WHERE action IN ('password_change', 'recovery_change') ORDER BY time NULLS LAST")
    if not rows:
        return []
    plats = sorted({r[2] for r in rows})
    return [Finding(
        kind="account.security_changes", channel="records", severity="medium",
        title=msg("find.account.security_changes.title", n=len(rows), platforms=plats),
        detail=msg("find.account.security_changes.detail"),
        evidence=[Evidence(r[3], r[4], r[5], msg(f"ev.{r[0]}" + ("_at" if r[1] else ""),
                                                 time=f"{r[1]:%Y-%m-%d %H:%M}" if r[1] else None))
                  for r in rows[:MAX_EVIDENCE]],
        evidence_count=len(rows), platforms=plats, remediation=[f"{p}.account_security" for p in plats])]


def connected_apps(store: Store) -> list[Finding]:
    rows = store.query("SELECT name, platform, archive, member, locator, permissions FROM app")
    if not rows:
        return []
    plats = sorted({r[1] for r in rows})
    return [Finding(
        kind="account.connected_apps", channel="records", severity="low",
        title=msg("find.account.connected_apps.title", n=len(rows), platforms=plats, n_platforms=len(plats)),
        detail=msg("find.account.connected_apps.detail"),
        evidence=[Evidence(r[2], r[3], r[4], f"{r[1]}: {r[0]}" + (f" ({', '.join(r[5])})" if r[5] else ""))
                  for r in rows[:MAX_EVIDENCE]],
        evidence_count=len(rows), platforms=plats, remediation=[f"{p}.connected_apps" for p in plats])]


def lone_addresses(store: Store) -> list[Finding]:
    """An address on an account that no other export knows, beside one that others do.

    Some exports (Google's Profile.json) list every address on the account with no role, so
    an intruder's recovery address looks like any other. One that appears in none of the
    person's other exports, on an account whose other address does, is worth a question.
    Addresses already marked recovery/unverified are left to ``unknown_recovery``."""
    rows = store.query("SELECT kind, value, role, platform, archive, member, locator FROM identity "
                       "WHERE kind IN ('email', 'phone') AND value IS NOT NULL")
    if len({r[3] for r in rows}) < 2:
        return _nameless_emails(store, rows)  # one export: nothing to compare with but the person's names

    def norm(kind: str, value: str) -> str:
        return norm_email(value) if kind == "email" else norm_phone(value)

    seen_on: dict[tuple[str, str], set[str]] = defaultdict(set)
    for kind, value, _, platform, *_ in rows:
        seen_on[(kind, norm(kind, value))].add(platform)
    findings, done = [], set()
    for kind, value, role, platform, archive, member, locator in rows:
        key = (kind, norm(kind, value))
        if role in ("recovery", "unverified") or seen_on[key] != {platform} or (platform, key) in done:
            continue
        siblings = {(k, norm(k, v)) for k, v, _, p, *_ in rows if p == platform and k == kind} - {key}
        if not any(len(seen_on[sib]) > 1 for sib in siblings):
            continue  # the account's only shared address is this one's kin: nothing stands out
        done.add((platform, key))
        findings.append(_lone_finding((kind, value, role, platform, archive, member, locator)))
    return findings


def _tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[^a-z]+", text.lower()) if len(t) >= 3}


def _nameless_emails(store: Store, rows: list[tuple[Any, ...]]) -> list[Finding]:
    """With a single export: an e-mail address on an account whose other addresses carry the person's
    name or username while this one carries none of it (an intruder's recovery address rarely does)."""
    names = set().union(*[_tokens(str(r[0])) for r in store.query(
        "SELECT value FROM identity WHERE kind IN ('name', 'username') AND value IS NOT NULL")])
    emails = [r for r in rows if r[0] == "email" and r[2] not in ("recovery", "unverified")]
    if not names or len(emails) < 2:
        return []
    local = {r: _tokens(str(r[1]).split("@")[0]) for r in emails}
    named = [r for r in emails if local[r] & names]
    if not named:
        return []
    return [_lone_finding(r) for r in emails if not local[r] & names]


def _lone_finding(r: tuple[Any, ...]) -> Finding:
    kind, value, role, platform, archive, member, locator = r
    what = "email" if kind == "email" else "phone"
    return Finding(
        kind="account.lone_address", channel="records", severity="medium",
        title=msg(f"find.account.lone_address.title.{what}", platform=platform, value=value),
        detail=msg(f"find.account.lone_address.detail.{what}", platform=platform),
        evidence=[Evidence(archive, member, locator, msg(f"ev.identifier.{kind}", value=value))], evidence_count=1,
        platforms=[platform], remediation=[f"{platform}.account_security"],
        data={"kind": kind, "value": value, "role": role})


def run(store: Store) -> list[Finding]:
    return (foreign_logins(store) + unknown_recovery(store) + lone_addresses(store) + security_changes(store)
            + connected_apps(store))
