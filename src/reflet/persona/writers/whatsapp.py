"""WhatsApp "Request account info" report (UNCONFIRMED key names, docs/platform-research.md).

A zip holding ``whatsapp_report/user_information.json``: the phone number, the name shown
to contacts, the last IP address (the home fixed line) and the phone in use; groups and
contacts are counted by the audit, not stored.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Persona
from . import _out


def write(p: Persona, truth: dict[str, Any], exports: Any) -> dict[str, Any]:
    # UNCONFIRMED layout: the report's file names and keys.
    cur = _out.phones(truth)[-1]
    home_ips = [e for e in truth["ips"] if e["type"] == "residential"]
    last_ip = max(home_ips, key=lambda e: e["last_seen"])["ip"] if home_ips else truth["ips"][0]["ip"]
    report = {"wa_user_info": {"phone_number": _out.phone(truth, "whatsapp"),
                               "push_name": truth["person"]["given_name"],
                               "registration_time": _out.t(cur["first_seen"]).strftime("%Y-%m-%d %H:%M:%S"),
                               "last_ip_address": last_ip,
                               "device_info": {"device_model": cur["model"], "os": cur["os"],
                                               "os_version": cur["os_version"]}},
              "groups": [{"name": f"Group {i + 1}"} for i in range(4)],
              "contacts": [f"+1555010{i:04d}" for i in range(12)]}
    members = {"whatsapp_report/user_information.json": json.dumps(report, indent=2).encode()}
    d = _out.export_date(p)
    name = f"whatsapp_report_{d:%Y%m%d}.zip"
    _out.write_zip(exports / name, members, d)
    return _out.info(name, members, last_ip=last_ip, devices=[cur["id"]])
