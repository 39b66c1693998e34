"""Telegram Desktop export (formats.md §9): a FOLDER ``Telegram Desktop/DataExport_<date>/result.json``.

Personal information (name, phone formatted with spaces, ``@username``) and the active
sessions: the phone and the computer, each with the IP it was last active from (the last
Google-independent network it used: the home fixed line for the computer, the phone's last
network). Dates are local time without an offset, with ``*_unixtime`` strings (TDESK).
Folder naming UNCONFIRMED (formats.md §9.1).
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Persona
from . import _out


def _local(p: Persona, iso: str) -> str:
    return _out.t(iso).astimezone(p.tz).strftime("%Y-%m-%dT%H:%M:%S")


def _spaced(number: str) -> str:
    digits = number.lstrip("+")
    return "+" + " ".join([digits[:1], digits[1:4], digits[4:7], digits[7:]]).strip()


def write(p: Persona, truth: dict[str, Any], exports: Any) -> dict[str, Any]:
    per = truth["person"]
    # The IP each device was last seen from, from the ground-truth logins of any service.
    last: dict[str, dict[str, Any]] = {}
    for e in truth["logins"]:
        if e["recognised_device"]:
            last[e["device_id"]] = e
    phone = _out.phones(truth)[-1]
    comp = next(d for d in truth["devices"] if d["id"] == "computer-1")
    sessions = []
    for d, app, plat, model in ((phone, "Telegram iOS" if phone["platform_type"] == "IOS" else "Telegram Android",
                                 phone["os"], phone["model"]),
                                (comp, "Telegram Desktop", comp["os"], "Desktop")):
        e = last.get(d["id"])
        if e is None:
            continue
        sessions.append({"last_active": _local(p, e["time"]), "last_active_unixtime": str(_out.epoch(e["time"])),
                         "last_ip": e["ip"], "last_country": per["country"], "last_region": per["city"],
                         "application_name": app, "application_version": "10.14.1", "device_model": model,
                         "platform": plat, "system_version": f"{d['os']} {d['os_version']}",
                         "created": _local(p, d["first_seen"]),
                         "created_unixtime": str(_out.epoch(d["first_seen"]))})
    result = {"about": "Here is the data you requested. Remember: Telegram is ad free, it doesn't use your data "
                       "for ad targeting and doesn't sell it to others.",
              "personal_information": {"user_id": 5_000_000_000 + p.seed, "first_name": per["given_name"],
                                       "last_name": per["family_name"],
                                       "phone_number": _spaced(_out.phone(truth, "telegram") or ""),
                                       "username": "@" + truth["identity"]["usernames"]["telegram"]},
              "sessions": {"about": "We store this to display you a list of your active sessions.",
                           "list": sessions}}
    d = _out.export_date(p)
    rel = f"Telegram Desktop/DataExport_{d:%Y-%m-%d}/result.json"
    path = exports / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(json.dumps(result, indent=1, ensure_ascii=False).encode())
    return {"path": rel, "members": [rel.split("/", 1)[1]], "sessions": len(sessions),
            "ips": [s["last_ip"] for s in sessions], "devices": [phone["id"], comp["id"]][:len(sessions)]}
