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

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from ..enrich.places import ROUND, country_name
from ..findings import Evidence, Finding
from ..store import Store
from ._net import country_of, ip_info, net_type
from .identity import norm_email, norm_phone

RARE_SHARE = 0.05
MIN_LOGINS = 10  # below this, "rare" means nothing
MAX_EVIDENCE = 30


def _logins(store: Store) -> list[dict[str, Any]]:
    cols = ("time", "ip", "user_agent", "device", "action", "country", "platform", "archive", "member", "locator")
    return [dict(zip(cols, r)) for r in store.query(
        f"SELECT {', '.join(cols)} FROM login ORDER BY time NULLS LAST")]


def _device_key(r: dict[str, Any]) -> str | None:
    return (r.get("device") or r.get("user_agent") or None) and str(r.get("device") or r.get("user_agent"))[:200]


def _presence(store: Store) -> set[tuple[date, str]]:
    """(UTC day, country) pairs where located points put the person, from the enrichment's place names."""
    tables = {r[0] for r in store.query("SELECT table_name FROM information_schema.tables")}
    if "place_name" not in tables:
        return set()
    rows = store.query(f"""
        SELECT DISTINCT CAST(p.time AS DATE), n.country FROM place p JOIN place_name n
          ON n.lat_r = round(p.lat, {ROUND}) AND n.lon_r = round(p.lon, {ROUND})
        WHERE p.time IS NOT NULL AND p.kind NOT IN ('ip', 'profile') AND n.country IS NOT NULL""")
    return {(d, c) for d, c in rows}


def foreign_logins(store: Store) -> list[Finding]:
    info = ip_info(store)
    rows = _logins(store)
    for r in rows:
        r["cc"] = country_of(r["ip"], r["country"], info)
    with_cc = [r for r in rows if r["cc"]]
    if len(with_cc) < MIN_LOGINS:
        return []
    counts = Counter(r["cc"] for r in with_cc)
    usual = {c for c, n in counts.items() if n / len(with_cc) >= RARE_SHARE} | {counts.most_common(1)[0][0]}
    device_seen = Counter(_device_key(r) for r in rows if _device_key(r))
    present = _presence(store)
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in with_cc:
        if r["cc"] in usual:
            continue
        # A login from a country the location history shows the person in that day is their own travel.
        if r["time"] is not None and any((r["time"].date() + timedelta(days=k), r["cc"]) in present
                                         for k in (-1, 0, 1)):
            continue
        by_country[r["cc"]].append(r)
    findings = []
    for cc, items in sorted(by_country.items()):
        new_device = any(_device_key(r) and device_seen[_device_key(r)] <= len(items) for r in items)
        types = {net_type(r["ip"], info) for r in items if r["ip"]}
        vpn = any(t and ("vpn" in t or "hosting" in t) for t in types)
        plats = sorted({r["platform"] for r in items})
        first = items[0]
        when = f"{first['time']:%d %B %Y}" if first["time"] else "an unknown date"
        sev = "critical" if new_device and not vpn else "high"
        findings.append(Finding(
            kind="account.foreign_login", channel="records", severity=sev,  # type: ignore[arg-type]
            title=f"{len(items)} login(s) from {country_name(cc) or cc} on {', '.join(plats)}, starting {when}: "
                  "was this you?"
                  + (" The device was not seen anywhere else." if new_device else ""),
            detail=(f"You usually log in from {', '.join(country_name(c) or c for c in sorted(usual))}. "
                    + ("These addresses belong to a VPN or hosting provider: if you use a VPN this may be you. "
                       if vpn else "")
                    + "If you do not recognise it: change your password, sign out of all other sessions, "
                      "turn on two-step verification, and check the recovery e-mail and phone."),
            evidence=[Evidence(r["archive"], r["member"], r["locator"],
                               f"{r['time']:%Y-%m-%d %H:%M} UTC · {r['ip'] or '?'} · {_device_key(r) or '?'}"
                               if r["time"] else f"{r['ip']}") for r in items[:MAX_EVIDENCE]],
            evidence_count=len(items), platforms=plats,
            remediation=[f"{p}.account_security" for p in plats],
            data={"country": cc, "usual": sorted(usual), "new_device": new_device, "vpn": vpn,
                  "ips": sorted({r["ip"] for r in items if r["ip"]})}))
    return findings


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
            title=f"A {'recovery' if role == 'recovery' else 'second'} {'e-mail' if kind == 'email' else 'phone'} "
                  f"on your {platform} account matches none of your main ones: {value}",
            detail="Whoever controls a recovery address can take over the account. If you do not recognise it, "
                   "remove it now and change your password.",
            evidence=[Evidence(archive, member, locator, f"{role}: {value}" + (f" (added {t:%Y-%m-%d})" if t else ""))],
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
        title=f"{len(rows)} password or recovery change(s) on {', '.join(plats)}: check you made each one",
        detail="A change you did not make means someone else had access. The dates are listed below.",
        evidence=[Evidence(r[3], r[4], r[5], f"{r[0].replace('_', ' ')} {r[1]:%Y-%m-%d %H:%M} UTC"
                           if r[1] else r[0]) for r in rows[:MAX_EVIDENCE]],
        evidence_count=len(rows), platforms=plats, remediation=[f"{p}.account_security" for p in plats])]


def connected_apps(store: Store) -> list[Finding]:
    rows = store.query("SELECT name, platform, archive, member, locator, permissions FROM app")
    if not rows:
        return []
    plats = sorted({r[1] for r in rows})
    return [Finding(
        kind="account.connected_apps", channel="records", severity="low",
        title=f"{len(rows)} app(s) or website(s) are connected to your {', '.join(plats)} account(s)",
        detail="Each connected app can read some of your data. Remove the ones you no longer use.",
        evidence=[Evidence(r[2], r[3], r[4], f"{r[1]}: {r[0]}" + (f" ({', '.join(r[5])})" if r[5] else ""))
                  for r in rows[:MAX_EVIDENCE]],
        evidence_count=len(rows), platforms=plats, remediation=[f"{p}.connected_apps" for p in plats])]


def run(store: Store) -> list[Finding]:
    return foreign_logins(store) + unknown_recovery(store) + security_changes(store) + connected_apps(store)
