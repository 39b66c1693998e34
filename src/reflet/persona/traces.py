"""The person's other traces, derived from where they are: IP addresses, logins, photos, posts.

The network a device shows to a platform depends on where the person is: the
home fixed line, the employer's network, the mobile carrier (often behind
carrier-grade NAT, whose addresses are shared with strangers), a VPN exit,
hotel Wi-Fi abroad. Photos and posts are taken at the person's stays. One
login from an unrecognised device abroad and an unknown recovery e-mail are
planted (the compromise the audit should flag). See ``model.py`` for the
address ranges used.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from . import data, networks
from .geo import iso_local, iso_z, local_dt, midnight, offset
from .model import rng_for

if TYPE_CHECKING:
    from .model import Persona, Segment, Spot, Trip


@dataclass
class Traces:
    """Network, login, photo and post traces derived from where the person is."""

    p: Persona
    ips: dict[str, dict[str, Any]] = field(default_factory=dict)

    def _ip(self, ip: str, typ: str, t: datetime, **info: Any) -> str:
        e = self.ips.get(ip)
        if e is None:
            e = self.ips[ip] = {"ip": ip, "type": typ, "first_seen": iso_z(t, False), "last_seen": iso_z(t, False),
                                "uses": 0, **info}
        e["first_seen"] = min(e["first_seen"], iso_z(t, False))
        e["last_seen"] = max(e["last_seen"], iso_z(t, False))
        e["uses"] += 1
        return ip

    def network(self, t: datetime, seg: Segment, r: random.Random, device: str) -> str:
        """The IP address the person's device shows to a platform at ``t``."""
        p = self.p
        c = p.city
        spot = seg.spot if seg.kind == "stay" else None
        if device == "computer" and r.random() < 0.12:
            vpn = data.VPN_EXITS[r.randrange(len(data.VPN_EXITS))]
            ip, city, cc, country = networks.VPN[data.VPN_EXITS.index(vpn) % len(networks.VPN)]
            return self._ip(ip, "vpn", t, country_code=cc,
                            expected_db_location=f"{city}, {country} (the VPN exit, not the person)",
                            shared_with_strangers=True)
        fixed = networks.FIXED.get(c.key) or networks.FIXED["chicago"]
        mobile = networks.MOBILE.get(c.cc) or networks.MOBILE["US"]
        # Phones use the home Wi-Fi most of the time, the office network less: otherwise mobile data.
        if spot is not None and spot.id == "home" and (device == "computer" or r.random() < 0.8):
            # The fixed line's address changes every few months (ISP lease renewals).
            period = int((t - midnight(p.first_day, p.tz)).days // 97)
            ip, city, _ = fixed[period % (len(fixed) - 1)]
            return self._ip(ip, "residential", t, country_code=c.cc, isp="the home broadband line",
                            expected_db_location=f"{city}, within a few km of home",
                            shared_with_strangers=False)
        if spot is not None and spot.id == "work" and (device == "computer" or r.random() < 0.4):
            ip, city, _ = fixed[-1]
            return self._ip(ip, "work", t, country_code=c.cc, isp="employer's business line",
                            expected_db_location=f"{city}, near the workplace", shared_with_strangers=False)
        if spot is not None and spot.kind == "hotel":
            trip = p.trip_on(t.astimezone(ZoneInfo(spot.tz)).date())
            wifi = networks.WIFI.get(spot.cc) or networks.WIFI["US"]
            ip, city, _ = wifi[p.trips.index(trip) % len(wifi) if trip else 0]
            return self._ip(ip, "public_wifi", t, country_code=spot.cc,
                            expected_db_location=f"{city} (hotel Wi-Fi{', ' + trip.city.name if trip else ''})",
                            shared_with_strangers=True)
        abroad = (seg.spot or seg.dest or p.home).cc != c.cc
        x = r.random()
        if x < 0.6 and not abroad:
            # The carrier uses carrier-grade NAT: some logs keep the private side (100.64.0.0/10),
            # others the shared public address that many of its customers use at the same moment.
            if x < 0.25:
                return self._ip(f"100.{64 + r.randrange(8)}.{r.randrange(256)}.{r.randrange(1, 255)}",
                                "cgnat_internal", t, country_code=c.cc,
                                expected_db_location="none (not routable: RFC 6598)", shared_with_strangers=True)
            ip, city, _ = mobile[r.randrange(len(mobile) // 2)]
            return self._ip(ip, "cgnat_shared", t, country_code=c.cc,
                            expected_db_location=f"{city} (the carrier's hub, far from the person)",
                            shared_with_strangers=True)
        typ = "mobile_roaming" if abroad else "mobile"
        # Roaming data leaves through the home carrier, so it still geolocates to the home country.
        # A carrier pools its IPv4 addresses: one is a subscriber's for minutes, then someone else's.
        ip, city, _ = mobile[len(mobile) // 2 + r.randrange(len(mobile) - len(mobile) // 2)]
        return self._ip(ip, typ, t, country_code=c.cc,
                        expected_db_location=f"{city} (the carrier's hub, far from the person)",
                        shared_with_strangers=True)

    def build(self) -> dict[str, Any]:
        p = self.p
        logins: list[dict[str, Any]] = []
        photos: list[dict[str, Any]] = []
        posts: list[dict[str, Any]] = []
        from .model import LOGIN_LOG_SERVICES, POST_SERVICES

        services = tuple(s for s in p.services if s in LOGIN_LOG_SERVICES)
        post_services = tuple(s for s in p.services if s in POST_SERVICES)
        counters = {"ios": 1000 + rng_for(p.seed, "photo-counter").randrange(4000), "camera": 100}
        lo, hi = p.p.geotags
        geo_rate = rng_for(p.seed, "geotag-rate").uniform(lo, hi) if hi else 0.0
        for d in p.days():
            r = rng_for(p.seed, "traces", d.isoformat())
            segs = p.day(d)
            gaps = p.day_gaps(d)
            trip = p.trip_on(d)
            # Logins: the device and network in use at that moment.
            n_log = (1 if r.random() < p.p.login_rate else 0) + (1 if r.random() < p.p.login_rate / 4 else 0)
            for _ in range(n_log):
                t = segs[0].start + (segs[-1].end - segs[0].start) * r.uniform(0.3, 0.95)
                seg = next(s for s in segs if s.start <= t < s.end)
                use_computer = seg.kind == "stay" and seg.spot is not None and seg.spot.id in ("home", "work") \
                    and r.random() < 0.45
                dev = p.computer["id"] if use_computer else p.phone_at(t).id
                ua = p.computer["user_agent"] if use_computer else p.phone_at(t).user_agent
                ip = self.network(t, seg, r, "computer" if use_computer else "phone")
                loc = seg.spot or seg.dest
                assert loc is not None
                svc = r.choice(services)
                logins.append({"time": iso_z(t, False), "service": svc, "action": "login",
                               "ip": ip, "ip_type": self.ips[ip]["type"], "device_id": dev, "user_agent": ua,
                               "person_was_at": loc.id, "person_country": loc.cc, "recognised_device": True})
                if "x" in services and svc != "x" and self.ips[ip]["type"] == "residential" and r.random() < 0.3:
                    # The pseudonymous X account is opened on the same device, at home, minutes later:
                    # the only thing that ties it to the person.
                    t2 = t + timedelta(minutes=r.uniform(2, 40))
                    self._ip(ip, "residential", t2)
                    logins.append({**logins[-1], "time": iso_z(t2, False), "service": "x"})
            # Photos: at a stay, with the phone in use (a stand-alone camera on some trip days).
            n_ph = r.randint(3, 8) if trip and d not in (trip.first_day, trip.last_day) else (
                1 if r.random() < p.p.photo_rate else 0)
            stays = [s for s in segs if s.kind == "stay" and (s.end - s.start) > timedelta(minutes=20)]
            if not stays:
                continue
            for _ in range(n_ph):
                s = r.choice(stays)
                t = s.start + (s.end - s.start) * r.uniform(0.1, 0.9)
                lt = t.astimezone(ZoneInfo(s.tz))
                if not 7 <= lt.hour <= 22 or not p.observed(t, gaps):
                    continue
                assert s.spot is not None
                photos.append(self._photo(r, t, s.spot, trip, counters))
            # Posts: sometimes with the place they were written at.
            if r.random() < p.p.post_rate and post_services:
                s = r.choice(stays)
                assert s.spot is not None
                t = s.start + (s.end - s.start) * r.uniform(0.2, 0.8)
                posts.append(self._post(r, t, s.spot, post_services, len(posts)))
            if geo_rate and "x" in post_services:
                posts.extend(self._geotagged_tweets(d, stays, gaps, geo_rate, len(posts)))
        compromise = self._compromise(logins)
        posts.sort(key=lambda e: e["time"])
        return {"ips": sorted(self.ips.values(), key=lambda e: (e["type"], e["ip"])), "logins": logins,
                "photos": photos, "posts": posts, "compromise": compromise}

    def _photo(self, r: random.Random, t: datetime, spot: Spot, trip: Trip | None,
               counters: dict[str, int]) -> dict[str, Any]:
        p = self.p
        tz = ZoneInfo(spot.tz)
        lt = t.astimezone(tz)
        use_camera = p.camera is not None and trip is not None and r.random() < 0.3
        lat, lon = offset(spot.lat, spot.lon, r.gauss(0, 15), r.gauss(0, 15))
        if use_camera:
            assert p.camera is not None
            counters["camera"] += 1
            return {"file": f"IMG_{counters['camera']:04d}.JPG", "time": iso_z(t, False),
                    "local_time": iso_local(t, tz, ms=False), "format": "jpeg", "has_gps": False,
                    "lat": None, "lon": None, "device_id": p.camera["id"], "make": p.camera["make"],
                    "model": p.camera["model"], "serial": p.camera["serial"], "software": None,
                    "at": spot.kind, "spot_id": spot.id}
        ph = p.phone_at(t)
        if ph.platform == "IOS":
            counters["ios"] += 1
            name, fmt, soft = f"IMG_{counters['ios']:04d}.HEIC", "heic", ph.os_version
        elif r.random() < 0.1:
            name, fmt, soft = f"VID_{lt:%Y%m%d_%H%M%S}.mp4", "mp4", None
        else:
            soft = {"samsung": f"{ph.model[3:]}XXU{ph.android_level % 10}CWK1", "Google": "HDR+ 1.0.540104767zd"}
            name, fmt, soft = f"IMG_{lt:%Y%m%d_%H%M%S}.jpg", "jpeg", soft.get(ph.make)
        return {"file": name, "time": iso_z(t, False), "local_time": iso_local(t, tz, ms=False), "format": fmt,
                "has_gps": True, "lat": round(lat, 6), "lon": round(lon, 6), "device_id": ph.id,
                "make": ph.make, "model": ph.model, "serial": None, "software": soft,
                "at": spot.kind, "spot_id": spot.id}

    def _post(self, r: random.Random, t: datetime, spot: Spot, services: tuple[str, ...], i: int) -> dict[str, Any]:
        texts = {"home": ("Quiet night in.", "Finally finished painting the kitchen!", "Sunday cooking."),
                 "work": ("Long shift today.", "Team lunch!", "Another week done."),
                 "sight": ("What a view.", "Day three and still exploring.", "Missing this place already."),
                 "hotel": ("Checked in, exhausted.", "Room with a view."),
                 "worship": ("Grateful for this community.",), "gym": ("Leg day.", "New personal best!"),
                 "friend": ("Best people.", "Game night!")}
        vis = r.choices(("public", "friends", "private"), weights=(4, 4, 2))[0]
        with_place = r.random() < 0.45
        service = r.choice(services)
        if service in ("x", "reddit", "linkedin"):
            vis = "public"  # no per-post audience on X and Reddit; LinkedIn shares here are public
        if service in ("tiktok", "reddit", "linkedin"):
            with_place = False  # their exports keep no coordinates for a post
        return {"id": f"post-{i + 1}", "service": service, "time": iso_z(t, False),
                "text": r.choice(texts.get(spot.kind, ("Good day.", "Coffee first.", "Out and about."))),
                "visibility": vis,
                "place": ({"name": spot.name if spot.kind != "home" else "Home", "lat": spot.lat, "lon": spot.lon,
                           "spot_id": spot.id, "kind": spot.kind} if with_place else None)}

    def _geotagged_tweets(self, d: Any, stays: list[Segment], gaps: list[tuple[datetime, datetime]], rate: float,
                          n: int) -> list[dict[str, Any]]:
        """Public tweets with the phone's precise location, mostly from home in the evening.

        Their own random stream, so the rest of the day's traces do not change with them.
        """
        r = rng_for(self.p.seed, "geotags", d.isoformat())
        out: list[dict[str, Any]] = []
        k = int(rate) + (1 if r.random() < rate % 1 else 0)
        for _ in range(k):
            home = [s for s in stays if s.spot is not None and s.spot.id == "home"]
            s = r.choice(home if home and r.random() < 0.6 else stays)
            assert s.spot is not None
            # While awake: the part of the stay between 07:00 and 23:00 local time.
            day0 = midnight(d, ZoneInfo(s.tz))
            a, b = max(s.start, day0 + timedelta(hours=7)), min(s.end, day0 + timedelta(hours=23))
            if b <= a:
                continue
            t = a + (b - a) * r.uniform(0.05, 0.95)
            if not self.p.observed(t, gaps):
                continue
            post = self._post(r, t, s.spot, ("x",), n + len(out))
            # A phone's fix, not the place's centre: tens of metres off.
            lat, lon = offset(s.spot.lat, s.spot.lon, r.gauss(0, 20), r.gauss(0, 20))
            post["id"] = f"geo-{d:%Y%m%d}-{len(out) + 1}"
            post["place"] = {"name": s.spot.name if s.spot.kind != "home" else "Home", "lat": round(lat, 6),
                             "lon": round(lon, 6), "spot_id": s.spot.id, "kind": s.spot.kind}
            out.append(post)
        return out

    def _compromise(self, logins: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One login from an unrecognised device abroad, then an unknown recovery e-mail added."""
        p = self.p
        r = rng_for(p.seed, "compromise")
        days = [d for d in p.days() if p.trip_on(d) is None]
        d = days[int(len(days) * r.uniform(0.55, 0.8))]
        t = local_dt(d, r.uniform(2.0, 4.5), p.tz)  # deep in the person's night, at home
        a = p.attacker
        ip_, db_city, _ = networks.ATTACKER.get(a["country_code"], networks.ATTACKER["BR"])
        ip = self._ip(ip_, "unknown_foreign", t, country_code=a["country_code"],
                      expected_db_location=f"{db_city}, {a['country']}", shared_with_strangers=False)
        seg = p.where(t)
        was_at = seg.spot.id if seg.spot is not None else "moving"
        login = {"time": iso_z(t, False), "service": "google", "action": "login", "ip": ip,
                 "ip_type": "unknown_foreign", "device_id": a["id"], "user_agent": a["user_agent"],
                 "person_was_at": was_at, "person_country": p.city.cc, "recognised_device": False}
        logins.append(login)
        logins.sort(key=lambda e: e["time"])
        t2 = t + timedelta(minutes=r.uniform(4, 25))
        email = f"recover.acct.{r.randint(1000, 9999)}@example.net"
        self._ip(ip, "unknown_foreign", t2)
        return [
            {"kind": "login_unrecognised_device_abroad", "time": iso_z(t, False), "service": "google", "ip": ip,
             "country_code": a["country_code"], "country": a["country"], "city": a["city"],
             "device_id": a["id"], "user_agent": a["user_agent"],
             "person_was_at": was_at,
             "why": f"new device, from a country the person was not in, at night while the person was at {was_at}"},
            {"kind": "recovery_email_added", "time": iso_z(t2, False), "service": "google", "ip": ip,
             "value": email, "why": "recovery address the person never added, right after the foreign login"},
        ]
