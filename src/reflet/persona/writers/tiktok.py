"""TikTok "Download your data" (formats.md §5): one ``user_data_tiktok.json`` (2024+ section names).

Login history (IP, phone model, OS), the phones' advertising ids (Status), profile (username,
e-mail, phone), videos (the audience each was posted to; TikTok keeps only a place name, no
coordinates). Empty lists are ``null`` as TikTok writes them; dates are UTC without a zone.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..model import Persona
from . import _out


def _date(iso: str) -> str:
    return _out.t(iso).strftime("%Y-%m-%d %H:%M:%S")


def write(p: Persona, truth: dict[str, Any], exports: Any) -> dict[str, Any]:
    devs = {d["id"]: d for d in truth["devices"]}
    lg = _out.logins(truth, "tiktok")
    ips = {e["ip"]: e for e in truth["ips"]}
    history = [{"Date": _date(e["time"]), "IP": e["ip"],
                "DeviceModel": devs[e["device_id"]].get("model") or "Desktop",
                "DeviceSystem": f"{devs[e['device_id']]['os']} {devs[e['device_id']]['os_version']}",
                "NetworkType": "Wi-Fi" if ips[e["ip"]]["type"] in ("residential", "work", "public_wifi") else "4G",
                "Carrier": ""} for e in reversed(lg)]
    status = []
    phones = [d for d in _out.phones(truth)]
    for d in phones:
        ios = d["platform_type"] == "IOS"
        status.append({"Resolution": "1170x2532" if ios else "1080x2400", "App Version": "34.1.2",
                       "IDFA": d["ad_id"].upper() if ios else "N/A", "GAID": "N/A" if ios else d["ad_id"],
                       "Android ID": "N/A", "IDFV": "N/A",
                       "Web ID": str(7_300_000_000_000_000_000 + int(hashlib.sha256(d["id"].encode()).hexdigest()[:8],
                                                                     16))})
    user = truth["identity"]["usernames"]["tiktok"]
    # UNCONFIRMED layout (formats.md §5.6): the WhoCanView value set.
    vis = {"public": "Everyone", "friends": "Friends", "private": "Only me"}
    videos = [{"Date": _date(e["time"]), "Link": f"https://www.tiktok.com/@{user}/video/{7_000_000_000 + i}",
               "Likes": "0", "WhoCanView": vis[e["visibility"]], "Location": "N/A", "Title": e["text"]}
              for i, e in enumerate(reversed(_out.posts(truth, "tiktok")))]
    data = {
        "Your Activity": {"Login History": {"LoginHistoryList": history or None},
                          "Status": {"Status List": status or None}},
        "Profile": {"Profile Info": {"ProfileMap": {
            "userName": user, "bioDescription": "", "birthDate": f"01-Jan-{truth['person']['birth_year']}",
            "emailAddress": _out.emails(truth, "tiktok")[0], "telephoneNumber": _out.phone(truth, "tiktok"),
            "likesReceived": "0"}}},
        "Post": {"Posts": {"VideoList": videos or None}},
        "App Settings": {"Settings": {"SettingsMap": {"Private Account": "Disabled"}}},
    }
    members = {"user_data_tiktok.json": _out.pretty_json(data)}
    d = _out.export_date(p)
    # UNCONFIRMED layout (formats.md §5.1): the name of the zip TikTok delivers.
    name = f"TikTok_Data_{int(_out.export_time(p).timestamp())}.zip"
    _out.write_zip(exports / name, members, d)
    return _out.info(name, members, logins=len(history), videos=len(videos), ad_ids=len(status),
                     devices=[x["id"] for x in phones])
