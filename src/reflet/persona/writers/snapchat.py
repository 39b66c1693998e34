"""Snapchat "My Data" (formats.md §7): ``mydata~<epoch ms>.zip`` with ``json/*.json``.

``account.json`` (username, name, phone, the current device, device history, login history
with IPs), ``account_history.json`` (the sign-up e-mail), ``user_profile.json`` (the current
phone's advertising id). Times are ``YYYY-MM-DD HH:MM:SS UTC``.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Persona
from . import _out


def _date(iso: str) -> str:
    return _out.t(iso).strftime("%Y-%m-%d %H:%M:%S UTC")


def write(p: Persona, truth: dict[str, Any], exports: Any) -> dict[str, Any]:
    devs = {d["id"]: d for d in truth["devices"]}
    ips = {e["ip"]: e for e in truth["ips"]}
    lg = _out.logins(truth, "snapchat")
    phones = _out.phones(truth)
    cur = phones[-1]
    account = {
        "Basic Information": {"Username": truth["identity"]["usernames"]["snapchat"],
                              "Name": truth["person"]["given_name"],
                              "Creation Date": _date(cur["first_seen"]), "Registration IP": "",
                              "Country": truth["person"]["country_code"],
                              "PhoneNumber": _out.phone(truth, "snapchat"), "Carrier": ""},
        "Device Information": {"Make": cur["make"], "Model ID": cur["model"], "Model Name": cur["pretty_name"],
                               "Language": "en", "OS Type": cur["os"], "OS Version": cur["os_version"],
                               "Connection Type": "WIFI, CELL"},
        "Device History": [{"Make": d["make"], "Model": d["model"], "Start Time": _date(d["first_seen"]),
                            "Device Type": "PHONE"} for d in reversed(phones)],
        "Login History": [{"IP": e["ip"], "Country": ips[e["ip"]]["country_code"], "Created": _date(e["time"]),
                           "Status": "success",
                           "Device": f"Snapchat/12.90 ({devs[e['device_id']].get('model') or 'Web'}; "
                                     f"{devs[e['device_id']]['os']} {devs[e['device_id']]['os_version']})"}
                          for e in reversed(lg)],
    }
    profile = {"Demographics": {"Cohort Age": "AGE_25_TO_34"}, "Interest Categories": ["Travel"],
               "Content Categories": [], "Ads You Interacted With": [],
               "Mobile Ad Id": cur["ad_id"].upper() if cur["platform_type"] == "IOS" else cur["ad_id"]}
    # The address given at sign-up appears as the first "Email Change" (the only place the JSON names it).
    history = {"Email Change": [{"Date": _date(cur["first_seen"]), "Email Address": m}
                                for m in _out.emails(truth, "snapchat")],
               "Password Change": [], "Mobile Number Change": []}
    stamp = int(_out.export_time(p).timestamp() * 1000)
    members = {"json/account.json": json.dumps(account, indent=2).encode(),
               "json/user_profile.json": json.dumps(profile, indent=2).encode(),
               "json/account_history.json": json.dumps(history, indent=2).encode()}
    name = f"mydata~{stamp}.zip"
    _out.write_zip(exports / name, members, _out.export_date(p))
    return _out.info(name, members, logins=len(lg), devices=[d["id"] for d in phones], ad_ids=[cur["id"]])
