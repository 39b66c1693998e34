"""Google Takeout beyond location history (formats.md §3.6-3.9), added to the Takeout zip.

* ``Access Log Activity/Activities - A list of Google services accessed by.csv``: every
  Google login of the ground truth (time, IP, country, user agent), the foreign one included;
* ``Access Log Activity/Devices - A list of devices (i.e. Nest, Pixel, iPh.csv``: the phones
  and the computer (header names UNCONFIRMED, formats.md §3.7);
* ``Profile/Profile.json``: name and every address on the account (the unknown recovery
  address included: Takeout lists it with the others);
* ``My Activity/Maps/MyActivity.json``: searches for the person's regular places, each with
  the ``locationInfos`` map centre Google attaches (the person's home area);
* ``My Activity/Ads/MyActivity.json``: ads seen, naming the advertiser.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from ..model import Persona, rng_for
from . import _out

ACCESS = "Takeout/Access Log Activity/Activities - A list of Google services accessed by.csv"
DEVICES = "Takeout/Access Log Activity/Devices - A list of devices (i.e. Nest, Pixel, iPh.csv"
HEADER = ("Gaia ID", "Activity Timestamp", "IP Address", "Proxiedhost IP Address", "Is Non-routable IP Address",
          "Activity Country", "Activity Region", "Activity City", "User Agent String", "Product Name",
          "Sub-Product Name", "Referer Product Name", "Referer Sub-Product Name", "Activity Type",
          "Gmail Access Channel", "Android Webview Package Name")


def _csv(rows: list[tuple[Any, ...]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode()


def takeout_members(p: Persona, truth: dict[str, Any]) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The extra Takeout members and what they hold."""
    ips = {e["ip"]: e for e in truth["ips"]}
    rows: list[tuple[Any, ...]] = [HEADER]
    lg = _out.logins(truth, "google")
    for e in lg:
        ip = ips[e["ip"]]
        rows.append(("100000000000000000001", _out.t(e["time"]).strftime("%Y-%m-%d %H:%M:%S UTC"), e["ip"], "",
                     "true" if e["ip_type"] == "cgnat_internal" else "false", ip["country_code"], "", "",
                     e["user_agent"], "Gmail", "", "", "", "", "", ""))
    devs: list[tuple[Any, ...]] = [("Device Type", "Brand", "Model", "OS", "OS Version", "Country",
                                    "First Activity Timestamp", "Last Activity Timestamp")]
    # UNCONFIRMED layout (formats.md §3.7): the new header names of the devices CSV.
    written_devices = []
    for d in [*_out.phones(truth), next(x for x in truth["devices"] if x["id"] == "computer-1")]:
        devs.append(("Phone" if d["kind"] == "phone" else "Computer", d["make"], d["model"], d["os"],
                     d["os_version"], truth["person"]["country_code"],
                     _out.t(d["first_seen"]).strftime("%Y-%m-%d %H:%M:%S UTC"),
                     _out.t(d["last_seen"]).strftime("%Y-%m-%d %H:%M:%S UTC")))
        written_devices.append(d["id"])
    mails = _out.emails(truth, "google")
    profile = {"name": {"givenName": truth["person"]["given_name"], "familyName": truth["person"]["family_name"],
                        "formattedName": truth["person"]["name"]},
               "displayName": truth["person"]["given_name"], "emails": [{"value": m} for m in mails]}
    r = rng_for(p.seed, "google-activity")
    maps = []
    home = truth["model_anchors"]["home"]
    for pl in truth["places"]:
        d = p.first_day + timedelta(days=r.randrange(p.days_total))
        when = _out.t(f"{d.isoformat()}T{r.randint(13, 23):02d}:{r.randrange(60):02d}:00Z")
        maps.append({"header": "Maps", "title": f"Searched for {pl['name']}",
                     "titleUrl": f"https://www.google.com/maps/search/{pl['name'].replace(' ', '+')}",
                     "time": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "products": ["Maps"],
                     "locationInfos": [{"name": "At this general area",
                                        "url": "https://www.google.com/maps/@?api=1&map_action=map&center="
                                               f"{home['lat']:.6f},{home['lon']:.6f}&zoom=12",
                                        "source": "From your Location History",
                                        "sourceUrl": "https://www.google.com/maps/timeline"}]})
    maps.sort(key=lambda e: e["time"], reverse=True)  # My Activity lists the newest first
    ads = []
    for a in truth["advertisers"]:
        if a["kind"] != "advertiser":
            continue
        d = p.first_day + timedelta(days=r.randrange(p.days_total))
        ads.append({"header": "Google Ads", "title": f"Saw an ad from {a['name']}",
                    "time": f"{d.isoformat()}T{r.randint(8, 22):02d}:{r.randrange(60):02d}:00.000Z",
                    "products": ["Ads"], "subtitles": [{"name": a["name"]}]})
    ads.sort(key=lambda e: e["time"], reverse=True)
    members = {ACCESS: _csv(rows), DEVICES: _csv(devs), "Takeout/Profile/Profile.json": _out.pretty_json(profile),
               "Takeout/My Activity/Maps/MyActivity.json": _out.pretty_json(maps),
               "Takeout/My Activity/Ads/MyActivity.json": _out.pretty_json(ads)}
    return members, {"access_log_rows": len(lg), "devices": written_devices, "emails": mails,
                     "maps_location_infos": len(maps), "ads_advertisers": [a["subtitles"][0]["name"] for a in ads]}
