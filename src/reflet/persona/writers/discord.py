"""Discord data package: ``package.zip`` with ``package/...`` (UNCONFIRMED layout, docs/platform-research.md).

``Account/user.json`` (username, e-mail, phone, last IP) and
``Activity/Analytics/events-<year>-00000-of-00001.json`` (one JSON event a line:
every Discord login as ``login_successful`` with IP, country, OS and device).
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Persona
from . import _out


def write(p: Persona, truth: dict[str, Any], exports: Any) -> dict[str, Any]:
    # UNCONFIRMED layout: the package's folders and the event field names.
    devs = {d["id"]: d for d in truth["devices"]}
    ips = {e["ip"]: e for e in truth["ips"]}
    lg = _out.logins(truth, "discord")
    by_year: dict[str, list[str]] = {}
    for e in lg:
        dv = devs[e["device_id"]]
        ev: dict[str, Any] = {"event_type": "login_successful", "timestamp": _out.t(e["time"]).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z"), "ip": e["ip"], "country_code": ips[e["ip"]]["country_code"],
            "os": dv["os"], "time_zone": truth["person"]["timezone"]}
        if dv["kind"] == "phone":
            ev["device"] = dv["model"]
        else:
            ev["browser"] = dv.get("browser") or "Discord Client"
        by_year.setdefault(e["time"][:4], []).append(json.dumps(ev))
    last_ip = lg[-1]["ip"] if lg else ""
    user = {"id": str(900_000_000_000_000_000 + p.seed), "username": truth["identity"]["usernames"]["discord"],
            "discriminator": "0", "email": _out.emails(truth, "discord")[0], "phone": _out.phone(truth, "discord"),
            "ip": last_ip, "verified": True, "connections": [], "relationships": []}
    members = {"package/Account/user.json": json.dumps(user, indent=2).encode()}
    for y, lines in sorted(by_year.items()):
        members[f"package/Activity/Analytics/events-{y}-00000-of-00001.json"] = ("\n".join(lines) + "\n").encode()
    name = "package.zip"
    _out.write_zip(exports / name, members, _out.export_date(p))
    return _out.info(name, members, logins=len(lg), last_ip=last_ip)
