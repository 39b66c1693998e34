"""Instagram export (Accounts Center, 2024+ layout, JSON; formats.md §2).

Members: login activity ("map" generation: ``string_map_data`` with the time as a
timestamp), personal information (e-mail, phone, username, name, account private or not),
devices (user agents), posts (photo metadata with the GPS position when the post has a
place), advertisers using the person's information and activity off Meta technologies.
Strings in Meta's encoding.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..model import Persona
from . import _out

LPC = "security_and_login_information/login_and_profile_creation"


def _smd(**fields: Any) -> dict[str, dict[str, Any]]:
    return {k.replace("_", " "): {"href": "", "value": v, "timestamp": 0} if not isinstance(v, int)
            else {"href": "", "value": "", "timestamp": v} for k, v in fields.items()}


def _ua(d: dict[str, Any]) -> str:
    if d["platform_type"] == "IOS":
        return f"Instagram 321.0.0.13.112 (iPhone; iOS {d['os_version'].replace('.', '_')}; en_US; scale=3.00)"
    return (f"Instagram 321.0.0.0 Android ({30 + int(d['os_version'].split('.')[0]) - 11}/{d['os_version']}; "
            f"420dpi; 1080x2400; {d['make']}; {d['model']}; en_US)")


def write(p: Persona, truth: dict[str, Any], exports: Any) -> dict[str, Any]:
    m = _out.moji
    lg = _out.logins(truth, "instagram")
    devs = {d["id"]: d for d in _out.phones(truth)}
    history = []
    for e in reversed(lg):
        ua = _ua(devs[e["device_id"]]) if e["device_id"] in devs else e["user_agent"]
        history.append({"title": _out.t(e["time"]).strftime("%Y-%m-%dT%H:%M:%S+00:00"), "media_map_data": {},
                        "string_map_data": _smd(Cookie_Name=hashlib.sha256(f"{p.seed}ig".encode()).hexdigest()[:20],
                                                IP_Address=e["ip"], Language_Code="en", Port="443",
                                                Time=_out.epoch(e["time"]), User_Agent=ua)})
    user = truth["identity"]["usernames"]["instagram"]
    personal = {"profile_user": [{"media_map_data": {}, "string_map_data": {
        **_smd(Email=_out.emails(truth, "instagram")[0], Phone_Number=_out.phone(truth, "instagram"),
               Username=user, Name=m(truth["person"]["name"])),
        "Private Account": {"href": "", "value": "False", "timestamp": 0}}}]}
    devices = {"devices_devices": [{"title": "", "string_map_data": {
        "User Agent": {"href": "", "value": _ua(d), "timestamp": 0},
        "Last Login": {"href": "", "value": "", "timestamp": _out.epoch(d["last_seen"])}}} for d in devs.values()]}
    posts = []
    n_place = 0
    for e in reversed(_out.posts(truth, "instagram")):
        ts = _out.epoch(e["time"])
        media: dict[str, Any] = {"uri": f"media/posts/{e['time'][:7].replace('-', '')}/{17900000000 + ts}.jpg",
                                 "creation_timestamp": ts, "title": m(e["text"])}
        if e["place"]:
            n_place += 1
            media["media_metadata"] = {"photo_metadata": {"exif_data": [
                {"latitude": e["place"]["lat"], "longitude": e["place"]["lon"]}]}}
        posts.append({"media": [media]})
    advertisers = {"ig_custom_audiences_all_types": [
        {"advertiser_name": m(a["name"]), "has_data_file_custom_audience": True,
         "has_remarketing_custom_audience": False, "has_in_person_store_visit": False}
        for a in _out.advertisers(truth, "instagram")]}
    off = {"apps_and_websites_off_meta_activity": [
        {"name": m(a["name"]), "events": [{"id": 200000 + i, "type": ev["type"], "timestamp": _out.epoch(ev["time"])}
                                          for ev in reversed(a["events"])]}
        for i, a in enumerate(_out.off_platform(truth, "instagram"))]}
    members = {
        f"{LPC}/login_activity.json": _out.meta_json({"account_history_login_history": history}),
        "personal_information/personal_information/personal_information.json": _out.meta_json(personal),
        "personal_information/device_information/devices.json": _out.meta_json(devices),
        "your_instagram_activity/media/posts_1.json": _out.meta_json(posts),
        "ads_information/instagram_ads_and_businesses/advertisers_using_your_activity_or_information.json":
            _out.meta_json(advertisers),
        "apps_and_websites_off_of_instagram/apps_and_websites/your_activity_off_meta_technologies.json":
            _out.meta_json(off),
    }
    d = _out.export_date(p)
    # UNCONFIRMED layout (formats.md §2.1): the zip name.
    name = f"instagram-{user}-{d:%Y-%m-%d}-{hashlib.sha256(f'{p.seed}ig'.encode()).hexdigest()[:8]}.zip"
    _out.write_zip(exports / name, members, d)
    return _out.info(name, members, logins=len(lg), devices=sorted(devs), posts=len(posts), posts_with_place=n_place,
                     advertisers=len(advertisers["ig_custom_audiences_all_types"]),
                     off_platform=len(off["apps_and_websites_off_meta_activity"]))
