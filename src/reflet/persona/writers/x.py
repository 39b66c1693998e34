"""X (Twitter) archive (formats.md §4): ``twitter-<YYYY-MM-DD>-<64 hex>.zip`` with ``data/*.js``.

The person's X account is pseudonymous: its own e-mail and handle, no phone, no name. What
links it to them is the network and the device: ``ip-audit.js`` lists the logins (the home
fixed line among them, at times close to the person's other logins) and ``key-registry.js``
the phone's browser user agent. Also: ``tweets.js`` (always public here; tweets with a place
carry ``coordinates``/``geo``), ``ni-devices.js`` (the phone) and ``ad-impressions.js``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..model import Persona
from . import _out


def _ytd(name: str, items: list[Any]) -> bytes:
    return f"window.YTD.{name}.part0 = {json.dumps(items, indent=2, ensure_ascii=False)}".encode()


def _iso(iso: str) -> str:
    return _out.t(iso).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def write(p: Persona, truth: dict[str, Any], exports: Any) -> dict[str, Any]:
    acc = str(1_400_000_000_000_000_000 + int(hashlib.sha256(f"{p.seed}x".encode()).hexdigest()[:12], 16))
    user = truth["identity"]["usernames"]["x"]
    mail = _out.emails(truth, "x")
    lg = _out.logins(truth, "x")
    ip_audit = [{"ipAudit": {"accountId": acc, "createdAt": _iso(e["time"]), "loginIp": e["ip"],
                             "loginPortNumber": "0"}} for e in reversed(lg)]
    first = lg[0]["time"] if lg else truth["period"]["first_day"] + "T12:00:00Z"
    account = [{"account": {"email": mail[0], "createdVia": "web", "username": user, "accountId": acc,
                            "createdAt": _iso(first), "accountDisplayName": user}}]
    tweets = []
    n_place = 0
    for e in reversed(_out.posts(truth, "x")):
        tid = str(1_700_000_000_000_000_000 + _out.epoch(e["time"]))
        tw: dict[str, Any] = {"id_str": tid, "id": tid,
                              "created_at": _out.t(e["time"]).strftime("%a %b %d %H:%M:%S +0000 %Y"),
                              "full_text": e["text"].replace("&", "&amp;"), "favorite_count": "0",
                              "retweet_count": "0", "lang": "en"}
        if e["place"]:
            n_place += 1
            lat, lon = e["place"]["lat"], e["place"]["lon"]
            # UNCONFIRMED layout (formats.md §4.4): [lon, lat] in coordinates, [lat, lon] in geo (API convention).
            tw["coordinates"] = {"type": "Point", "coordinates": [f"{lon}", f"{lat}"]}
            tw["geo"] = {"type": "Point", "coordinates": [f"{lat}", f"{lon}"]}
        tweets.append({"tweet": tw})
    used = {e["device_id"] for e in lg}
    phones = [d for d in _out.phones(truth) if d["id"] in used] or _out.phones(truth)[-1:]
    ni = [{"niDeviceResponse": {"pushDevice": {
        "deviceVersion": d["os_version"], "udid": hashlib.sha256(f"{p.seed}/{d['id']}/udid".encode()).hexdigest()[:32],
        "deviceType": "Twitter for iPhone" if d["platform_type"] == "IOS" else "Twitter for Android",
        "token": "t", "updatedDate": _out.t(d["last_seen"]).strftime("%Y.%m.%d"),
        "createdDate": _out.t(d["first_seen"]).strftime("%Y.%m.%d")}}} for d in phones]
    keys = [{"keyRegistryData": {"userId": acc, "registeredDevices": {"deviceMetadataList": [
        {"userAgent": d["user_agent"], "registrationToken": "r", "identityKey": "k",
         "createdAt": _iso(d["first_seen"]),
         "deviceId": hashlib.sha256(f"{p.seed}/{d['id']}".encode()).hexdigest()[:16]}
        for d in phones]}}}]
    ads = [a for a in truth["advertisers"] if a["kind"] == "advertiser"][:3]
    impressions = [{"ad": {"adsUserData": {"adImpressions": {"impressions": [
        {"deviceInfo": {"osType": "Ios" if phones[-1]["platform_type"] == "IOS" else "Android"},
         "displayLocation": "TimelineHome",
         "advertiserInfo": {"advertiserName": a["name"], "screenName": "@" + a["name"].replace(" ", "")},
         "matchedTargetingCriteria": [{"targetingType": "Locations", "targetingValue": truth["person"]["country"]}],
         "impressionTime": f"{truth['period']['last_day']} 1{i}:00:00"} for i, a in enumerate(ads)]}}}}]
    members = {"data/ip-audit.js": _ytd("ip_audit", ip_audit), "data/account.js": _ytd("account", account),
               "data/tweets.js": _ytd("tweets", tweets), "data/ni-devices.js": _ytd("ni_devices", ni),
               "data/key-registry.js": _ytd("key_registry", keys),
               "data/ad-impressions.js": _ytd("ad_impressions", impressions)}
    d = _out.export_date(p)
    name = f"twitter-{d:%Y-%m-%d}-{hashlib.sha256(f'{p.seed}twitter'.encode()).hexdigest()}.zip"
    _out.write_zip(exports / name, members, d)
    return _out.info(name, members, logins=len(lg), tweets=len(tweets), tweets_with_place=n_place,
                     devices=[x["id"] for x in phones], ad_advertisers=[a["name"] for a in ads])
