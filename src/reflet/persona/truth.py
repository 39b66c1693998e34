"""The persona's ground truth: what an analyst (and reflet's inference) should find.

``ground_truth.json`` keys are documented in ``reflet.persona.__init__``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from . import data
from .geo import distance_m, iso_local, iso_z, local_dt

if TYPE_CHECKING:
    from .model import Persona, Spot

SCHEMA = 1


def _spot(s: Spot) -> dict[str, Any]:
    return {"id": s.id, "kind": s.kind, "name": s.name, "lat": s.lat, "lon": s.lon, "address": s.address,
            "place_id": s.place_id, "indoor": s.indoor, "country_code": s.cc, "timezone": s.tz}


def _hm(h: float) -> str:
    return f"{int(h):02d}:{round((h % 1) * 60):02d}"


def _x_ip_links(ips: list[dict[str, Any]], logins: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pseudonymous X account's links to the person's other accounts: an X log-in from an address
    only the person uses (the home line, the office) within an hour of another platform's log-in there.
    Only pairs the log-in histories really show: X's export names no device another platform names."""
    own = {i["ip"] for i in ips if not i.get("shared_with_strangers")}
    xs = [(_t(e["time"]), e["ip"]) for e in logins if e["service"] == "x" and e["ip"] in own]
    out: dict[str, dict[str, Any]] = {}
    for e in logins:
        if e["service"] == "x" or e["ip"] not in own or e["service"] in out:
            continue
        t = _t(e["time"])
        hit = next((ip for tx, ip in xs if ip == e["ip"] and abs(tx - t) <= timedelta(hours=1)), None)
        if hit is not None:
            out[e["service"]] = {"kind": "same_ip_close_times", "value": hit, "links": ["x", e["service"]],
                                 "note": "the pseudonymous X account logs in from the person's own line "
                                         "(home or office) within an hour of this account"}
    return [out[k] for k in sorted(out)]


def _t(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def ground_truth(p: Persona) -> dict[str, Any]:
    tr = p.traces
    sparse = p.p.sparse_points is not None
    home = _spot(p.home)
    if sparse:
        home_truth: dict[str, Any] = {
            "status": "not_enough_data",
            "reason": "only a few dozen daytime points: no night pattern to place a home"}
    else:
        home_truth = {"lat": p.home.lat, "lon": p.home.lon, "address": p.home.address,
                      "place_id": p.home.place_id, "radius_m": 100}
    if p.work is None:
        work_truth: dict[str, Any] = {"status": "none", "reason": "the person does not work"}
    elif sparse:
        work_truth = {"status": "not_enough_data", "reason": "too few points"}
    else:
        work_truth = {"lat": p.work.lat, "lon": p.work.lon, "address": p.work.address, "name": p.work.name,
                      "place_id": p.work.place_id, "radius_m": 150, "schedule": p.p.work,
                      "hours_local": "22:00-06:00, Sunday to Thursday nights" if p.p.work == "night"
                      else "about 08:00-17:00, Monday to Friday"}
    commute = None
    if p.work is not None:
        from .model import _DayBuilder, rng_for

        b = _DayBuilder(p, p.first_day, p.home, rng_for(p.seed, "commute-probe"))
        commute = {"mode": b._mode(p.work, b._route(p.work)), "route_distance_m": round(
            sum(distance_m(a, c) for a, c in zip(b._route(p.work), b._route(p.work)[1:]))),
            "typical_minutes": round(b.travel_minutes(p.work)),
            "straight_distance_m": round(distance_m((p.home.lat, p.home.lon), (p.work.lat, p.work.lon)))}
    places = []
    for s in p.places:
        e = _spot(s)
        e["distance_from_home_m"] = round(distance_m((s.lat, s.lon), (p.home.lat, p.home.lon)))
        e["schedule"] = [{"weekdays": [("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[w] for w in it.weekdays],
                          "start_local": _hm(it.start_h), "dwell_min": it.dwell_min, "probability": it.probability}
                         for it in p.schedule if it.spot_id == s.id]
        e["sensitive"] = s.kind in ("worship", "clinic")
        places.append(e)
    trips = []
    for t in p.trips:
        out_flight = next(s for s in p.day(t.first_day) if s.mode == "FLYING")
        back_flight = next(s for s in p.day(t.last_day) if s.mode == "FLYING")
        trips.append({
            "country_code": t.city.cc, "country": t.city.country, "city": t.city.name,
            "lat": t.city.lat, "lon": t.city.lon, "timezone": t.city.tz,
            "first_day": t.first_day.isoformat(), "last_day": t.last_day.isoformat(),
            "nights": (t.last_day - t.first_day).days, "hotel": _spot(t.hotel),
            "border_crossings": [
                {"direction": "out", "mode": "flight", "from_country": p.city.cc, "to_country": t.city.cc,
                 "from_airport": t.home_airport.name.split(" (")[0], "to_airport": t.airport.name,
                 "from_code": p.city.airport.code, "to_code": t.city.airport.code,
                 "departure": iso_z(out_flight.start, False), "arrival": iso_z(out_flight.end, False),
                 "arrival_local": iso_local(out_flight.end, ZoneInfo(t.city.tz), ms=False)},
                {"direction": "back", "mode": "flight", "from_country": t.city.cc, "to_country": p.city.cc,
                 "from_airport": t.airport.name, "to_airport": t.home_airport.name,
                 "from_code": t.city.airport.code, "to_code": p.city.airport.code,
                 "departure": iso_z(back_flight.start, False), "arrival": iso_z(back_flight.end, False),
                 "arrival_local": iso_local(back_flight.end, p.tz, ms=False)}]})
    gaps = [{"start": iso_z(a), "end": iso_z(b), "kind": "phone_off",
             "hours": round((b - a).total_seconds() / 3600, 1)} for a, b in p.long_gaps]
    if not sparse:
        for d in p.days():
            g = p._short_gap(d)
            if g is not None:
                a, b = g
                gaps.append({"start": iso_z(a), "end": iso_z(b), "kind": "phone_off",
                                 "hours": round((b - a).total_seconds() / 3600, 1)})
        for t in p.trips:
            for d in (t.first_day, t.last_day):
                f = next(s for s in p.day(d) if s.mode == "FLYING")
                gaps.append({"start": iso_z(f.start), "end": iso_z(f.end), "kind": "flight",
                             "hours": round((f.end - f.start).total_seconds() / 3600, 1)})
    gaps.sort(key=lambda g: g["start"])
    devices: list[dict[str, Any]] = []
    for ph in p.phones:
        devices.append({"id": ph.id, "kind": "phone", "make": ph.make, "model": ph.model, "os": ph.os,
                        "os_version": ph.os_version, "platform_type": ph.platform, "pretty_name": ph.pretty,
                        "device_tag": ph.device_tag, "ad_id": ph.ad_id,
                        "ad_id_kind": "IDFA" if ph.platform == "IOS" else "GAID", "user_agent": ph.user_agent,
                        "first_seen": iso_z(ph.first, False), "last_seen": iso_z(ph.last, False),
                        "camera_format": "heic" if ph.platform == "IOS" else "jpeg", "owned_by_person": True})
    devices.append({**p.computer, "owned_by_person": True})
    if p.camera:
        devices.append({**p.camera, "owned_by_person": True})
    devices.append(p.attacker)
    local = p.given.lower() + "." + p.family.lower()
    r_num = p.seed % 100
    phone_number = f"{p.city.phone_prefix}{r_num:02d}" if p.city.cc != "GB" else f"{p.city.phone_prefix}{r_num:03d}"
    recovery = next(c for c in tr["compromise"] if c["kind"] == "recovery_email_added")
    used = p.services

    def on(*names: str) -> list[str]:
        return [n for n in names if n in used]

    primary_email = f"{local}@example.com"
    # X is pseudonymous: its own address and handle, nothing naming the person.
    pseudo = f"nightowl{p.seed}{p.birth_year % 100:02d}"
    identity = {
        "name": f"{p.given} {p.family}",
        "emails": [{"value": primary_email, "role": "primary",
                    "services": on("google", "facebook", "linkedin", "reddit", "discord")},
                   {"value": f"{p.given.lower()}{p.birth_year % 100:02d}@example.org", "role": "secondary",
                    "services": on("google", "instagram", "tiktok", "snapchat")},
                   {"value": recovery["value"], "role": "recovery", "services": ["google"],
                    "added": recovery["time"], "known_to_person": False},
                   *([{"value": f"{pseudo}@example.net", "role": "pseudonymous", "services": ["x"]}]
                     if "x" in used else [])],
        "phones": [{"value": phone_number, "role": "primary",
                    "services": on("facebook", "instagram", "tiktok", "snapchat", "linkedin", "telegram",
                                   "whatsapp", "discord")}],
        "usernames": {k: v for k, v in {
            "facebook": f"{local}.{p.birth_year % 100}", "instagram": f"{p.given.lower()}_{p.family.lower()}",
            "x": pseudo, "tiktok": f"{p.given.lower()}.{p.birth_year}", "reddit": f"{p.given}_{p.family}_{p.seed}",
            "snapchat": f"{p.given.lower()}{p.family.lower()[:3]}", "telegram": f"{p.given.lower()}_{p.seed}",
            "discord": f"{p.given.lower()}.{p.family.lower()}"}.items() if k in used},
        "ad_ids": [{"value": ph.ad_id, "device_id": ph.id, "kind": "IDFA" if ph.platform == "IOS" else "GAID",
                    # Snapchat's export names only the phone in use now.
                    "services": on("facebook", "tiktok", *(("snapchat",) if ph is p.phones[-1] else ()))}
                   for ph in p.phones],
        "links": [
            {"kind": "email", "value": primary_email, "links": on("google", "facebook", "linkedin", "reddit",
                                                                  "discord")},
            {"kind": "phone", "value": phone_number, "links": on("facebook", "instagram", "tiktok", "snapchat",
                                                                 "linkedin", "telegram", "whatsapp", "discord")},
            *({"kind": "ad_id", "value": ph.ad_id,
               "links": on("facebook", "tiktok", *(("snapchat",) if ph is p.phones[-1] else ()))}
              for ph in p.phones),
            *_x_ip_links(tr["ips"], tr["logins"]),
            {"kind": "camera_serial", "value": p.camera["serial"], "links": ["photos"]} if p.camera else None,
        ],
    }
    identity["links"] = [x for x in identity["links"] if x]
    r = __import__("random").Random(f"{p.seed}/advertisers")
    meta = on("facebook", "instagram")
    advertisers = [{"name": n, "kind": k, "holds": ["email", "phone"], "how": "uploaded a customer list",
                    "services": meta} for n, k in data.BROKERS]
    for n in sorted(r.sample(data.ADVERTISERS, k=8 if p.profile != "sparse" else 3)):
        advertisers.append({"name": n, "kind": "advertiser", "holds": r.choice((["email"], ["phone"],
                                                                                ["email", "phone"])),
                            "how": "uploaded a customer list", "services": meta})
    off = []
    for name, cat, what in data.OFF_PLATFORM:
        if cat != "money_transfer" and r.random() < 0.3:
            continue
        events = []
        d = p.first_day
        while d <= p.last_day:
            if cat == "money_transfer":  # the first weekend of every month
                if d.day <= 7 and d.weekday() == 5:
                    events.append({"time": iso_z(local_dt(d, 11 + r.uniform(0, 6), p.tz), False),
                                   "type": "PURCHASE"})
            elif r.random() < 0.03:
                events.append({"time": iso_z(local_dt(d, 9 + r.uniform(0, 12), p.tz), False),
                               "type": r.choice(("PAGE_VIEW", "SEARCH", "ADD_TO_CART"))})
            d += timedelta(days=1)
        off.append({"name": name, "category": cat, "what": what, "services": meta,
                    "events": events, "sensitive": cat in ("money_transfer", "health")})
    return {
        "schema": SCHEMA,
        "generator": "reflet.persona",
        "fictional": "Everything here is invented: no real person, address, number or account.",
        "seed": p.seed, "scale": p.scale, "profile": p.profile,
        "person": {"name": f"{p.given} {p.family}", "given_name": p.given, "family_name": p.family,
                   "birth_year": p.birth_year, "city": p.city.name, "country": p.city.country,
                   "country_code": p.city.cc, "timezone": p.city.tz},
        "period": {"first_day": p.first_day.isoformat(), "last_day": p.last_day.isoformat(), "days": p.days_total,
                   "timezone": p.city.tz},
        "home": home_truth,
        "work": work_truth,
        "model_anchors": {"home": home, "work": _spot(p.work) if p.work else None,
                          "note": "where the model put them, even when the data cannot show it"},
        "commute": commute,
        "places": places,
        "trips": trips,
        "countries_visited": sorted({t.city.cc for t in p.trips}),
        "gaps": gaps,
        "devices": devices,
        "ips": tr["ips"],
        "ip_ranges_note": ("Public addresses name real networks of the stated kind (x.y.z.0, persona/networks.py); "
                           "100.64.0.0/10 ones are the private side of carrier-grade NAT (RFC 6598), which no IP "
                           "database locates. 'expected_db_location' says where a database places each."),
        "logins": tr["logins"],
        "compromise": tr["compromise"],
        "services": list(used),
        "identity": identity,
        "photos": tr["photos"],
        "posts": tr["posts"],
        "advertisers": advertisers,
        "off_platform_activity": off,
    }
