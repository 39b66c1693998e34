"""Facebook "Download Your Information" (2024+ layout, JSON; formats.md §1).

Strings are written the way Meta writes them (each UTF-8 byte as its own code point, escaped),
times as epoch seconds. Members: account activity (every Facebook login: IP, user agent,
city), mobile devices (model, OS, advertising id), profile (name, e-mails, phone, username),
posts (with the place attached when the person added one), advertisers that uploaded a list
with the person's data (data brokers included), activity off Meta technologies (the
money-transfer service included) and the friends list (counted, not stored, by the audit).
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..model import Persona
from . import _out

SEC = "security_and_login_information"


def _datr(seed: int, device_id: str) -> str:
    return hashlib.sha256(f"{seed}/{device_id}/datr".encode()).hexdigest()[:24]


def write(p: Persona, truth: dict[str, Any], exports: Any) -> dict[str, Any]:
    m = _out.moji
    ips = {e["ip"]: e for e in truth["ips"]}
    lg = _out.logins(truth, "facebook")
    activity = [{"action": "Login", "timestamp": _out.epoch(e["time"]), "ip_address": e["ip"],
                 "user_agent": e["user_agent"], "datr_cookie": _datr(p.seed, e["device_id"]),
                 "city": m(truth["person"]["city"]) if ips[e["ip"]]["country_code"] == truth["person"]["country_code"]
                 else "", "region": "", "country": ips[e["ip"]]["country_code"], "site_name": "www.facebook.com"}
                for e in reversed(lg)]  # newest first, as Meta lists them
    devices = []
    for d in _out.phones(truth):
        devices.append({"type": d["model"], "os": d["os"], "advertiser_id": d["ad_id"].upper()
                        if d["platform_type"] == "IOS" else d["ad_id"],
                        "update_time": _out.epoch(d["last_seen"]),
                        "push_tokens": [{"app_version": "460.0.0.0", "creation_time": _out.epoch(d["first_seen"]),
                                         "os_version": d["os_version"], "disabled": False}]})
    user = truth["identity"]["usernames"]["facebook"]
    profile = {"profile_v2": {
        "name": {"full_name": m(truth["person"]["name"]), "first_name": m(truth["person"]["given_name"]),
                 "last_name": m(truth["person"]["family_name"])},
        "emails": {"emails": _out.emails(truth, "facebook"), "previous_emails": [], "pending_emails": [],
                   "ad_account_emails": []},
        "phone_numbers": [{"phone_type": "Mobile", "phone_number": _out.phone(truth, "facebook"), "verified": True}],
        # UNCONFIRMED layout (formats.md §1.5): the current_city key name.
        "username": user, "current_city": {"name": m(f"{truth['person']['city']}, {truth['person']['country']}"),
                                           "timestamp": _out.epoch(truth["period"]["first_day"] + "T12:00:00Z")},
        "registration_timestamp": 1262304000 + p.seed % 1000 * 3600,
        "profile_uri": f"https://www.facebook.com/{user}"}}
    # Meta's JSON keeps no audience for a post (formats.md §1.7: UNCONFIRMED): the ground truth's
    # visibility of Facebook posts is not written, so their places are not public to the audit.
    posts = []
    n_place = 0
    for e in reversed(_out.posts(truth, "facebook")):
        post: dict[str, Any] = {"timestamp": _out.epoch(e["time"]), "data": [{"post": m(e["text"])}],
                                "title": m(f"{truth['person']['name']} updated their status.")}
        if e["place"]:
            n_place += 1
            post["attachments"] = [{"data": [{"place": {"name": m(e["place"]["name"]), "coordinate": {
                "latitude": e["place"]["lat"], "longitude": e["place"]["lon"]}, "address": "", "url": ""}}]}]
        posts.append(post)
    advertisers = {"custom_audiences_all_types_v2": [
        {"advertiser_name": m(a["name"]), "has_data_file_custom_audience": True,
         "has_remarketing_custom_audience": a["kind"] != "data_broker", "has_in_person_store_visit": False}
        for a in _out.advertisers(truth, "facebook")]}
    off = {"off_facebook_activity_v2": [
        {"name": m(a["name"]), "events": [{"id": 100000 + i, "type": ev["type"], "timestamp": _out.epoch(ev["time"])}
                                          for ev in reversed(a["events"])]}
        for i, a in enumerate(_out.off_platform(truth, "facebook"))]}
    friends = {"friends_v2": [{"name": f"Friend {i + 1}", "timestamp": 1500000000 + i * 86400} for i in range(23)]}
    members = {
        f"{SEC}/account_activity.json": _out.meta_json({"account_activity_v2": activity}),
        f"{SEC}/mobile_devices.json": _out.meta_json({"devices_v2": devices}),
        "personal_information/profile_information/profile_information.json": _out.meta_json(profile),
        "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json": _out.meta_json(posts),
        "ads_information/advertisers_using_your_activity_or_information.json": _out.meta_json(advertisers),
        "apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json": _out.meta_json(off),
        "connections/friends/your_friends.json": _out.meta_json(friends),
    }
    d = _out.export_date(p)
    name = f"facebook-{user.replace('.', '')}-{d:%d%m%Y}-{hashlib.sha256(f'{p.seed}fb'.encode()).hexdigest()[:8]}.zip"
    _out.write_zip(exports / name, members, d)
    return _out.info(name, members, logins=len(lg), devices=[x["id"] for x in _out.phones(truth)],
                     posts=len(posts), posts_with_place=n_place,
                     advertisers=len(advertisers["custom_audiences_all_types_v2"]),
                     off_platform=len(off["off_facebook_activity_v2"]), friends=23)
