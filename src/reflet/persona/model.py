"""A model of a fictional person's behaviour, generated deterministically from a seed.

What is modelled
----------------
A person lives at a **home** in a residential area of a real city and, by
profile, works days (Monday to Friday, about 9:00-17:00), works nights (Sunday
to Thursday nights, about 22:00-06:00, sleeping at home in the morning) or
does not work. They have 3-6 **regular places** (gym, supermarket, place of
worship, a friend's home, café, park, clinic, laundromat), each with a weekly
schedule: weekdays, a local start time, a dwell time and a probability of
going. Every local day is built as a chain of **stays** and **moves**: a
move follows the same route between two places every time (people keep their
routes) and takes a time set by distance and mode (walking under 1.2 km,
otherwise the person's commute mode: car or bus). **Trips abroad** start with
a morning drive to the airport, a flight (airplane mode: no points) and a
hotel in the destination; days abroad mix the hotel and sights.

Points are sampled from the stays and moves, as a phone reports them: every
few minutes while still (sparser), every 30-75 s while moving. Indoors most
fixes come from Wi-Fi (accuracy 15-45 m), some from GPS (worse indoors) and
a few from cell towers (accuracy 600-1,500 m, placed near the tower, not the
person). Errors are Gaussian with a spread of about half the stated
accuracy. The **phone is off** for a few hours on some days and for several
days once (the ground truth lists these gaps). Phones are **replaced** over
time; each has a device tag, an advertising id and a camera.

Around the locations the model derives (``traces.py``) the person's other traces: **IP
addresses** by network (home fixed line, employer, mobile carrier with
carrier-grade NAT, VPN exits, hotel Wi-Fi abroad), **logins** from the
device and network in use at that moment, one **login from an unrecognised
device abroad** followed by an **unknown recovery e-mail** (the planted
compromise), **geotagged photos**, **posts** (public or not, some with a
place; the default and traveller profiles also tweet publicly with the phone's
precise location on, mostly from home in the evening, at a rate each person
draws from ``Params.geotags``: enough public points to place a home for most
of them, too few for some), **advertisers** holding their contact details (including data
brokers such as LiveRamp) and **off-platform activity** (including a
money-transfer service).

Determinism
-----------
Nothing reads the clock or the global random generator. Every draw comes from
``random.Random`` seeded with a string naming the seed and what is drawn
(``"7/day/2024-03-02"``), so any day can be rebuilt alone and in any order:
writers re-generate days instead of keeping the history in memory, which is
how ``scale`` can make gigabytes with bounded memory.

Addresses and numbers
---------------------
Every public IP address is the first address of a /24 block (``x.y.z.0``: a
network's name, not a host's, so no real person's address is ever used) taken
from a real network of the right kind (``networks.py``: a fixed-line ISP in the
home city, the country's mobile carrier, a commercial VPN, hotel Wi-Fi abroad),
so the offline enrichment can be tested on the persona as on a real export;
private-side carrier-grade NAT addresses come from 100.64.0.0/10 (RFC 6598).
The ground truth records each address's type and where the database places it
(for a mobile address: the carrier's hub, often hundreds of km away).
Phone numbers are from ranges reserved for fiction and e-mail addresses use
``example.*`` domains.
"""

from __future__ import annotations

import itertools
import math
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from . import data
from .geo import bearing_deg, distance_m, iso_z, local_dt, midnight, offset

PROFILES = ("default", "nightshift", "traveller", "no_work", "sparse")
ALL_SERVICES = ("google", "facebook", "instagram", "x", "tiktok", "reddit", "snapchat", "linkedin", "telegram",
                "discord", "whatsapp")
# The services each profile uses (an export is written for each). The sparse person barely uses anything.
SERVICES: dict[str, tuple[str, ...]] = {
    "default": ALL_SERVICES,
    "nightshift": ("google", "facebook", "tiktok", "snapchat", "whatsapp"),
    "traveller": ("google", "facebook", "instagram", "x", "linkedin", "telegram", "whatsapp"),
    "no_work": ("google", "facebook", "instagram", "tiktok", "reddit", "discord", "whatsapp"),
    "sparse": ("google",),
}
# Services whose export keeps a log of logins with IP addresses (Telegram and WhatsApp keep only the last).
LOGIN_LOG_SERVICES = ("google", "facebook", "instagram", "x", "tiktok", "reddit", "snapchat", "linkedin", "discord")
POST_SERVICES = ("facebook", "instagram", "x", "tiktok", "reddit", "linkedin")
BASE_DAYS = 270  # scale 1: nine months
MIN_DAYS = 14
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def profile_for_seed(seed: int) -> str:
    """The profile a benchmark sweep uses for ``seed``: seed 0 (the demo) is ``default``."""
    return PROFILES[seed % len(PROFILES)]


@dataclass(frozen=True)
class Params:
    work: str | None  # "day", "night" or None
    n_places: tuple[int, int]
    trips_per_year: float
    min_trips: int
    trip_days: tuple[int, int]
    photo_rate: float  # photos per ordinary day
    post_rate: float
    login_rate: float
    stay_every_min: tuple[float, float]
    move_every_s: tuple[float, float]
    phones: tuple[str, ...] | None  # fixed lineup, or None for a seeded choice
    sparse_points: tuple[int, int] | None = None
    # Public tweets with the phone's precise location on, per day (a range: each person draws a rate).
    # Only profiles that use X have them; the others' few places are on non-public posts.
    geotags: tuple[float, float] = (0.0, 0.0)


PARAMS: dict[str, Params] = {
    "default": Params("day", (4, 5), 3, 2, (5, 10), 0.5, 0.2, 0.45, (5, 12), (30, 75),
                      ("galaxy_a52", "iphone_13"), geotags=(0.5, 0.9)),
    "nightshift": Params("night", (3, 4), 1, 1, (5, 9), 0.35, 0.15, 0.4, (5, 12), (30, 75), None),
    "traveller": Params("day", (3, 4), 8, 4, (3, 8), 0.6, 0.3, 0.5, (5, 12), (30, 75), None, geotags=(0.2, 0.6)),
    "no_work": Params(None, (5, 6), 1, 1, (5, 10), 0.45, 0.25, 0.4, (5, 12), (30, 75), None),
    "sparse": Params("day", (3, 3), 0, 0, (5, 8), 0.05, 0.05, 0.1, (5, 12), (30, 75), ("iphone_se",),
                     sparse_points=(30, 60)),
}


def rng_for(seed: int, *what: object) -> random.Random:
    """An independent generator for one named draw; string seeds hash the same in every run."""
    return random.Random("/".join(map(str, (seed, *what))))


# --------------------------------------------------------------------------- building blocks


@dataclass(frozen=True, slots=True)
class Spot:
    """A place the person spends time at."""

    id: str
    kind: str  # home, work, gym, shop, worship, friend, cafe, park, clinic, laundromat, airport, hotel, sight
    name: str
    lat: float
    lon: float
    indoor: bool
    address: str
    place_id: str
    tz: str
    cc: str
    tower: tuple[float, float]  # the cell tower whose position cell fixes report
    altitude: float = 100.0


@dataclass(frozen=True, slots=True)
class Segment:
    """A stay at a spot, or a move between two spots along ``path``."""

    kind: str  # "stay" | "move"
    start: datetime
    end: datetime
    spot: Spot | None = None
    origin: Spot | None = None
    dest: Spot | None = None
    mode: str = ""  # WALKING, IN_PASSENGER_VEHICLE, IN_BUS, FLYING
    path: tuple[tuple[float, float], ...] = ()

    @property
    def tz(self) -> str:
        s = self.spot or self.dest
        assert s is not None
        return s.tz

    def distance_m(self) -> float:
        return sum(distance_m(a, b) for a, b in zip(self.path, self.path[1:]))

    def position_at(self, t: datetime) -> tuple[float, float]:
        """Where the person is at ``t`` (inside this segment)."""
        if self.kind == "stay":
            assert self.spot is not None
            return self.spot.lat, self.spot.lon
        total = (self.end - self.start).total_seconds() or 1.0
        return _along(self.path, max(0.0, min(1.0, (t - self.start).total_seconds() / total)))


class Point(NamedTuple):
    """One location fix, as a phone reports it."""

    t: datetime
    lat: float
    lon: float
    accuracy: int
    source: str  # GPS, WIFI, CELL
    velocity: int | None
    heading: int | None
    altitude: int | None
    activity: str | None  # STILL, WALKING, IN_VEHICLE, ON_BICYCLE...
    moving: bool


@dataclass(frozen=True, slots=True)
class ScheduleItem:
    spot_id: str
    weekdays: tuple[int, ...]
    start_h: float
    dwell_min: float
    probability: float


@dataclass(frozen=True, slots=True)
class Trip:
    city: data.City
    first_day: date
    last_day: date
    hotel: Spot
    sights: tuple[Spot, ...]
    airport: Spot
    home_airport: Spot


@dataclass(frozen=True, slots=True)
class Phone:
    id: str
    key: str
    make: str
    model: str
    os: str
    os_version: str
    platform: str  # ANDROID | IOS
    pretty: str
    spec: dict[str, Any] | None
    android_level: int
    device_tag: int
    ad_id: str
    first: datetime
    last: datetime

    @property
    def user_agent(self) -> str:
        if self.platform == "IOS":
            v = self.os_version.replace(".", "_")
            return (f"Mozilla/5.0 (iPhone; CPU iPhone OS {v} like Mac OS X) AppleWebKit/605.1.15 "
                    f"(KHTML, like Gecko) Version/{self.os_version} Mobile/15E148 Safari/604.1")
        return (f"Mozilla/5.0 (Linux; Android {self.os_version}; {self.model}) AppleWebKit/537.36 "
                "(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36")


def _along(path: tuple[tuple[float, float], ...], frac: float) -> tuple[float, float]:
    legs = [distance_m(a, b) for a, b in itertools.pairwise(path)]
    total = sum(legs)
    if total <= 0:
        return path[0]
    goal = frac * total
    for (a, b), leg in zip(itertools.pairwise(path), legs):
        if goal <= leg or (leg == legs[-1] and (a, b) == (path[-2], path[-1])):
            f = goal / leg if leg else 0.0
            return a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
        goal -= leg
    return path[-1]


def _place_id(rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return "ChIJ" + "".join(rng.choice(alphabet) for _ in range(23))


_KINDS = {  # kind: (label, indoor, distance from home km (min, max))
    "gym": ("{} Fitness", True, (0.8, 4.0)),
    "shop": ("{} Market", True, (0.4, 2.5)),
    "worship": ("{} Community Church", True, (0.6, 4.0)),
    "mosque": ("{} Mosque", True, (0.6, 4.0)),
    "friend": ("Friend's home", True, (1.5, 7.0)),
    "cafe": ("{} Café", True, (0.3, 2.0)),
    "park": ("{} Park", False, (0.5, 3.0)),
    "clinic": ("{} Health Clinic", True, (1.0, 6.0)),
    "laundromat": ("{} Laundromat", True, (0.2, 1.0)),
}


class Persona:
    """A fictional person; see the module docstring for the model."""

    def __init__(self, seed: int = 0, scale: float = 1.0, profile: str | None = None) -> None:
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.seed = int(seed)
        self.scale = float(scale)
        self.profile = profile or profile_for_seed(self.seed)
        if self.profile not in PARAMS:
            raise ValueError(f"unknown profile {self.profile!r}; choose one of {', '.join(PROFILES)}")
        self.p = PARAMS[self.profile]
        self.services = SERVICES[self.profile]
        r = rng_for(self.seed, "person")
        self.city = data.HOME_CITIES[r.choice(sorted(data.HOME_CITIES))] if self.seed else data.HOME_CITIES["chicago"]
        self.tz = ZoneInfo(self.city.tz)
        self.given = r.choice(data.GIVEN)
        self.family = r.choice(data.FAMILY)
        self.birth_year = r.randint(1975, 2001)
        self.commute_mode = r.choice(("IN_PASSENGER_VEHICLE", "IN_BUS"))
        n_days = max(MIN_DAYS, round(BASE_DAYS * self.scale))
        self.last_day = date(2024, 6, 30) - timedelta(days=r.randrange(0, 60))
        self.first_day = self.last_day - timedelta(days=n_days - 1)
        self.days_total = n_days
        self._build_places(r)
        self._build_schedule(r)
        self._build_trips()
        self._build_gaps()
        self._build_devices()

    # ------------------------------------------------------------------ static structure

    def _spot(self, r: random.Random, sid: str, kind: str, name: str, lat: float, lon: float, indoor: bool,
              city: data.City, tz: str | None = None) -> Spot:
        # Drawn from the spot's own generator: the same airport keeps its address, tower and
        # place id on every trip.
        rs = rng_for(self.seed, "spot", sid)
        street = rs.choice(data.STREETS)
        suffix = rs.choice(city.street_suffixes)
        address = f"{rs.randint(12, 4800)} {street} {suffix}, {city.name}, {city.country}"
        tower = offset(lat, lon, rs.uniform(-900, 900), rs.uniform(-900, 900))
        return Spot(sid, kind, name, round(lat, 6), round(lon, 6), indoor, address, _place_id(rs),
                    tz or city.tz, city.cc, tower, city.altitude)

    def _build_places(self, r: random.Random) -> None:
        c = self.city
        hl, ho = offset(*c.home_area, r.uniform(-600, 600), r.uniform(-600, 600))
        self.home = self._spot(r, "home", "home", "Home", hl, ho, True, c)
        self.work: Spot | None = None
        if self.p.work:
            wl, wo = offset(*c.work_area, r.uniform(-400, 400), r.uniform(-400, 400))
            name = ("Lakeside Logistics warehouse" if self.p.work == "night"
                    else f"{r.choice(data.STREETS)} & Co. offices")
            if self.p.work == "night":  # warehouses sit away from downtown
                wl, wo = offset(hl, ho, r.uniform(-9000, -5000), r.uniform(4000, 8000))
            self.work = self._spot(r, "work", "work", name, wl, wo, True, c)
        lo, hi = self.p.n_places
        kinds = ["gym", "shop", r.choice(("worship", "mosque")), "friend", "cafe", "park", "clinic", "laundromat"]
        # Shop and place of worship first: most people have both, and they are the revealing ones.
        n = r.randint(lo, hi)
        chosen = kinds[:3] + r.sample(kinds[3:], k=max(0, n - 3))
        self.places: list[Spot] = []
        for k in chosen[:n]:
            label, indoor, (dmin, dmax) = _KINDS[k]
            dist = r.uniform(dmin, dmax) * 1000
            ang = r.uniform(0, 2 * math.pi)
            lat, lon = offset(hl, ho, dist * math.cos(ang), dist * math.sin(ang))
            self.places.append(self._spot(r, k, "worship" if k == "mosque" else k,
                                          label.format(r.choice(data.STREETS)), lat, lon, indoor, c))
        self.spots: dict[str, Spot] = {s.id: s for s in [self.home, *([self.work] if self.work else []),
                                                          *self.places]}
        a = c.airport
        self.home_airport = self._spot(r, f"airport-{a.code}", "airport", a.name, a.lat, a.lon, True, c)

    def _build_schedule(self, r: random.Random) -> None:
        work = self.p.work
        items: list[ScheduleItem] = []
        for s in self.places:
            k = s.kind
            if k == "gym":
                days = r.choice(((0, 2, 4), (1, 3), (0, 3, 5)))
                start = {"day": 18.25, "night": 16.0, None: 10.0}[work]
                items.append(ScheduleItem(s.id, days, start, 75, 0.8))
            elif k == "shop":
                items.append(ScheduleItem(s.id, (5,), 10.5, 40, 0.9))
                items.append(ScheduleItem(s.id, (2,), {"day": 18.5, "night": 15.5, None: 11.0}[work], 30, 0.4))
            elif k == "worship":
                if s.id == "mosque":
                    items.append(ScheduleItem(s.id, (4,), 13.0 if work != "day" else 19.5, 60, 0.8))
                else:
                    items.append(ScheduleItem(s.id, (6,), 10.0, 100, 0.85))
            elif k == "friend":
                items.append(ScheduleItem(s.id, (5,), 19.0, 180, 0.55))
            elif k == "cafe":
                items.append(ScheduleItem(s.id, (6,), 15.0, 60, 0.4))
            elif k == "park":
                items.append(ScheduleItem(s.id, (6,), 16.5, 60, 0.5))
            elif k == "clinic":
                items.append(ScheduleItem(s.id, (1,), 17.75 if work == "day" else 10.0, 45, 0.12))
            elif k == "laundromat":
                items.append(ScheduleItem(s.id, (3,), 19.5 if work == "day" else 11.0, 70, 0.7))
        self.schedule = items

    def _build_trips(self) -> None:
        r = rng_for(self.seed, "trips")
        n = max(self.p.min_trips, round(self.p.trips_per_year * self.days_total / 365))
        trips: list[Trip] = []
        taken: list[tuple[date, date]] = []
        for i in range(n * 20):
            if len(trips) >= n:
                break
            length = r.randint(*self.p.trip_days)
            if self.days_total < length + 20:
                break
            first = self.first_day + timedelta(days=r.randint(8, self.days_total - length - 8))
            last = first + timedelta(days=length - 1)
            if any(first <= b + timedelta(days=10) and a <= last + timedelta(days=10) for a, b in taken):
                continue
            dest = data.ABROAD[r.choice(self.city.destinations)]
            rr = rng_for(self.seed, "trip", i)
            hl, ho = offset(dest.lat, dest.lon, rr.uniform(-2500, 2500), rr.uniform(-2500, 2500))
            hotel = self._spot(rr, f"hotel-{dest.key}-{i}", "hotel", f"Hotel {rr.choice(data.STREETS)}",
                               hl, ho, True, dest)
            sights = tuple(
                self._spot(rr, f"sight-{dest.key}-{i}-{j}", "sight", f"{dest.name} sight {j + 1}",
                           *offset(dest.lat, dest.lon, rr.uniform(-4000, 4000), rr.uniform(-4000, 4000)),
                           False, dest) for j in range(4))
            a = dest.airport
            airport = self._spot(rr, f"airport-{a.code}", "airport", a.name, a.lat, a.lon, True, dest)
            trips.append(Trip(dest, first, last, hotel, sights, airport, self.home_airport))
            taken.append((first, last))
        self.trips = sorted(trips, key=lambda t: t.first_day)
        self._trip_by_day: dict[date, Trip] = {}
        for t in self.trips:
            d = t.first_day
            while d <= t.last_day:
                self._trip_by_day[d] = t
                d += timedelta(days=1)

    def _build_gaps(self) -> None:
        """Long gaps (phone broken or off for days); short daily gaps come from each day's draw."""
        r = rng_for(self.seed, "gaps")
        self.long_gaps: list[tuple[datetime, datetime]] = []
        if self.profile != "sparse" and self.days_total > 40:
            for _ in range(100):
                d = self.first_day + timedelta(days=r.randint(10, self.days_total - 10))
                if any(abs((d - t.first_day).days) < 15 for t in self.trips):
                    continue
                start = local_dt(d, r.uniform(9, 20), self.tz)
                self.long_gaps.append((start, start + timedelta(hours=r.uniform(50, 110))))
                break

    def _build_devices(self) -> None:
        r = rng_for(self.seed, "devices")
        keys = self.p.phones or tuple(r.sample(sorted(data.PHONES), k=r.randint(1, 3)))
        start = midnight(self.first_day, self.tz) - timedelta(days=r.randint(60, 400))
        end = midnight(self.last_day + timedelta(days=1), self.tz)
        span = (end - midnight(self.first_day, self.tz)).total_seconds()
        cuts = sorted(r.uniform(0.3, 0.7) for _ in keys[1:])
        bounds = [start] + [midnight(self.first_day, self.tz) + timedelta(seconds=span * c) for c in cuts] + [end]
        self.phones: list[Phone] = []
        for i, k in enumerate(keys):
            make, model, os_, osv, plat, pretty, spec, level = data.PHONES[k]
            self.phones.append(Phone(
                f"phone-{i + 1}", k, make, model, os_, osv, plat, pretty, spec, level,
                # Signed 32-bit, as in real Records.json: about half of the tags are negative.
                device_tag=r.choice((-1, 1)) * r.randint(10**8, 2**31 - 1),
                ad_id=str(uuid.UUID(int=r.getrandbits(128), version=4)),
                first=bounds[i], last=bounds[i + 1]))
        cm = r.choice(data.COMPUTERS)
        self.computer = {"id": "computer-1", "kind": "computer", "make": cm[0], "model": cm[1], "os": cm[2],
                         "os_version": cm[3], "browser": cm[4], "browser_version": cm[5],
                         "user_agent": _computer_ua(cm), "first_seen": iso_z(start, False),
                         "last_seen": iso_z(end, False)}
        self.camera: dict[str, Any] | None = None
        if self.profile in ("default", "traveller"):
            make, model = r.choice(data.CAMERAS)
            self.camera = {"id": "camera-1", "kind": "camera", "make": make, "model": model,
                           "serial": f"{r.randint(10**11, 10**12 - 1)}", "has_gps": False}
        ac = r.choice(data.ATTACKER_COUNTRIES if self.city.cc != "NL" else data.ATTACKER_COUNTRIES[:4])
        self.attacker = {"id": "unrecognised-1", "kind": "computer", "make": None, "model": None,
                         "os": "Windows", "os_version": "10", "browser": "Chrome", "browser_version": "118.0.0.0",
                         "user_agent": _computer_ua(("", "", "Windows", "10", "Chrome", "118.0.0.0")),
                         "country_code": ac[0], "country": ac[1], "city": ac[2], "owned_by_person": False}

    def phone_at(self, t: datetime) -> Phone:
        for ph in self.phones:
            if t < ph.last:
                return ph
        return self.phones[-1]

    # ------------------------------------------------------------------ the calendar

    def days(self) -> Iterator[date]:
        d = self.first_day
        while d <= self.last_day:
            yield d
            d += timedelta(days=1)

    def trip_on(self, d: date) -> Trip | None:
        return self._trip_by_day.get(d)

    def _shift_evening(self, e: date) -> bool:
        """A night shift starts on the evening of ``e``."""
        return (self.p.work == "night" and e.weekday() in (6, 0, 1, 2, 3)
                and self.trip_on(e) is None and self.trip_on(e + timedelta(days=1)) is None)

    def _midnight_spot(self, d: date) -> Spot:
        """Where the person is at the local midnight that starts ``d``: a pure function of the calendar."""
        t = self.trip_on(d)
        if t is not None and d != t.first_day:
            return t.hotel
        if self.work is not None and self._shift_evening(d - timedelta(days=1)):
            return self.work
        return self.home

    # ------------------------------------------------------------------ one day

    @lru_cache(maxsize=64)  # noqa: B019 - a persona lives as long as its generation
    def day(self, d: date) -> tuple[Segment, ...]:
        """The stays and moves of local day ``d``, contiguous from midnight to midnight."""
        r = rng_for(self.seed, "day", d.isoformat())
        start = self._midnight_spot(d)
        b = _DayBuilder(self, d, start, r)
        trip = self.trip_on(d)
        if trip is not None:
            self._trip_day(b, trip, d, r)
        elif self.p.work == "night":
            self._night_day(b, d, r)
        elif self.p.work == "day" and d.weekday() < 5:
            self._work_day(b, d, r)
        else:
            self._free_day(b, d, r)
        end = self._midnight_spot(d + timedelta(days=1))
        if b.here.id != end.id:
            b.go(end)
        return b.finish()

    def _activities(self, d: date, r: random.Random, not_before: float, not_after: float) -> list[ScheduleItem]:
        todo = [s for s in self.schedule if d.weekday() in s.weekdays and not_before <= s.start_h <= not_after]
        return sorted((s for s in todo if r.random() < s.probability), key=lambda s: s.start_h)

    def _do(self, b: _DayBuilder, items: list[ScheduleItem], r: random.Random, back: Spot) -> None:
        for i, it in enumerate(items):
            spot = self.spots[it.spot_id]
            lead = b.travel_minutes(spot) / 60
            b.stay_until(b.at(it.start_h + r.uniform(-0.3, 0.3) - lead))
            if b.now_h() > 21.0:
                break
            b.go(spot)
            # Be back by about 23:15 whatever the plan said, so no move crosses local midnight.
            room = (23.25 - b.now_h()) * 60 - b.travel_minutes(back) * 1.2
            b.stay_for(max(5.0, min(it.dwell_min * r.uniform(0.8, 1.2), room)))
            nxt = items[i + 1] if i + 1 < len(items) else None
            if nxt is None or nxt.start_h - b.now_h() > 0.75:
                b.go(back)

    def _work_day(self, b: _DayBuilder, d: date, r: random.Random) -> None:
        assert self.work is not None
        b.stay_until(b.at(7.6 + r.gauss(0, 0.35)))
        b.go(self.work)
        if r.random() < 0.15:
            cafe = next((s for s in self.places if s.kind == "cafe"), None)
            if cafe is not None and distance_m((cafe.lat, cafe.lon), (self.work.lat, self.work.lon)) < 3000:
                b.stay_until(b.at(12.2 + r.uniform(0, 0.3)))
                b.go(cafe)
                b.stay_for(40)
                b.go(self.work)
        b.stay_until(b.at(17.0 + r.gauss(0, 0.4)))
        items = self._activities(d, r, 17.0, 21.0)
        if items and items[0].start_h - b.now_h() < 1.5:
            self._do(b, items, r, self.home)
        else:
            b.go(self.home)
            self._do(b, items, r, self.home)

    def _night_day(self, b: _DayBuilder, d: date, r: random.Random) -> None:
        assert self.work is not None
        if b.here.id == "work":
            b.stay_until(b.at(6.0 + r.uniform(0, 0.4)))
            b.go(self.home)
            b.stay_until(b.at(14.0 + r.gauss(0, 0.6)))
        else:
            b.stay_until(b.at(10.0 + r.uniform(0, 1.5)))
        self._do(b, self._activities(d, r, 9.0, 19.5), r, self.home)
        if self._shift_evening(d):
            b.stay_until(b.at(21.6 - b.travel_minutes(self.work) / 60 + r.uniform(-0.15, 0.15)))
            b.go(self.work)

    def _free_day(self, b: _DayBuilder, d: date, r: random.Random) -> None:
        b.stay_until(b.at(9.0 + r.uniform(0, 1.5)))
        self._do(b, self._activities(d, r, 8.0, 21.0), r, self.home)

    def _trip_day(self, b: _DayBuilder, trip: Trip, d: date, r: random.Random) -> None:
        if d == trip.first_day:
            b.stay_until(b.at(5.0 + r.uniform(0, 0.6)))
            b.go(trip.home_airport, mode="IN_PASSENGER_VEHICLE")
            b.stay_for(r.uniform(100, 140))
            b.fly(trip.airport)
            b.stay_for(r.uniform(40, 70))
            b.go(trip.hotel, mode="IN_PASSENGER_VEHICLE")
            return
        if d == trip.last_day:
            b.stay_until(b.at(7.0 + r.uniform(0, 1.0)))
            b.go(trip.airport, mode="IN_PASSENGER_VEHICLE")
            b.stay_for(r.uniform(100, 140))
            b.fly(trip.home_airport)
            b.stay_for(r.uniform(30, 60))
            b.go(self.home, mode="IN_PASSENGER_VEHICLE")
            return
        b.stay_until(b.at(8.5 + r.uniform(0, 1.5)))
        for s in r.sample(trip.sights, k=r.randint(1, 3)):
            b.go(s)
            b.stay_for(r.uniform(45, 150))
            if b.now_h() > 19.5:
                break
        b.go(trip.hotel)

    # ------------------------------------------------------------------ streams

    def segments(self, first: date | None = None, last: date | None = None) -> Iterator[Segment]:
        """Stays and moves from local day ``first`` to ``last``; stays across midnight are merged.

        A stay that began before ``first`` is returned cut at the start of the window; use
        ``segments_starting`` for exact windows.
        """
        first = first or self.first_day
        last = last or self.last_day
        prev: Segment | None = None
        d = first
        while d <= last:
            for s in self.day(d):
                if (prev is not None and prev.kind == "stay" and s.kind == "stay" and prev.spot is not None
                        and s.spot is not None and prev.spot.id == s.spot.id and prev.end == s.start):
                    prev = Segment("stay", prev.start, s.end, spot=prev.spot)
                    continue
                if prev is not None:
                    yield prev
                prev = s
            d += timedelta(days=1)
        if prev is not None:
            yield prev

    def segments_starting(self, t0: datetime, t1: datetime) -> Iterator[Segment]:
        """Merged segments whose start lies in ``[t0, t1)``, whole (possibly ending after t1)."""
        d0 = max(self.first_day, t0.astimezone(self.tz).date() - timedelta(days=4))
        if d0 > self.last_day:
            return
        # Lazy: days are generated only until a segment starts after t1, so a stay that runs on
        # past t1 is still returned whole.
        for s in self.segments(d0, self.last_day):
            if s.start >= t1:
                break
            if s.start >= t0 and (s.start > midnight(d0, self.tz) or d0 == self.first_day):
                yield s

    def _short_gap(self, d: date) -> tuple[datetime, datetime] | None:
        """The few hours the phone was off on local day ``d``, if it was (may run past midnight)."""
        r = rng_for(self.seed, "gap", d.isoformat())
        if self.profile != "sparse" and r.random() < 0.05:
            s = local_dt(d, r.uniform(8, 19), self.tz)
            return s, s + timedelta(hours=r.uniform(2, 6))
        return None

    def gaps_between(self, t0: datetime, t1: datetime) -> list[tuple[datetime, datetime]]:
        """Every phone-off gap overlapping ``[t0, t1)``."""
        out = [g for g in self.long_gaps if g[0] < t1 and g[1] > t0]
        d = t0.astimezone(self.tz).date() - timedelta(days=1)
        while d <= t1.astimezone(self.tz).date():
            g = self._short_gap(d)
            if g is not None and g[0] < t1 and g[1] > t0:
                out.append(g)
            d += timedelta(days=1)
        return out

    def day_gaps(self, d: date) -> list[tuple[datetime, datetime]]:
        """When the phone was off during local day ``d`` (from ``d``'s midnight to the next, widely)."""
        return self.gaps_between(midnight(d, self.tz) - timedelta(hours=14),
                                 midnight(d + timedelta(days=1), self.tz) + timedelta(hours=14))

    def observed(self, t: datetime, gaps: list[tuple[datetime, datetime]]) -> bool:
        return not any(a <= t < b for a, b in gaps)

    def segment_observed(self, s: Segment) -> bool:
        """False when a phone-off gap overlaps the segment (the platform could not have seen it)."""
        return not self.gaps_between(s.start, s.end)

    def points(self) -> Iterator[Point]:
        """Every location fix the phone reported, in time order, generated day by day."""
        if self.p.sparse_points is not None:
            yield from self._sparse_points()
            return
        for d in self.days():
            yield from self.day_points(d)

    def day_points(self, d: date) -> Iterator[Point]:
        r = rng_for(self.seed, "points", d.isoformat())
        gaps = self.day_gaps(d)
        for s in self.day(d):
            if s.mode == "FLYING":
                continue  # airplane mode
            for pt in (self._stay_points(s, r) if s.kind == "stay" else self._move_points(s, r)):
                if self.observed(pt.t, gaps):
                    yield pt

    def _fix(self, r: random.Random, spot_or_pos: Spot | tuple[float, float], t: datetime, indoor: bool,
             moving: bool, heading: float | None = None, speed: float | None = None, alt: float = 100,
             tower: tuple[float, float] | None = None) -> Point:
        lat, lon = (spot_or_pos.lat, spot_or_pos.lon) if isinstance(spot_or_pos, Spot) else spot_or_pos
        x = r.random()
        if moving:
            src = "GPS" if x < 0.92 else "CELL"
        elif indoor:
            src = "WIFI" if x < 0.75 else ("GPS" if x < 0.93 else "CELL")
        else:
            src = "GPS" if x < 0.85 else ("WIFI" if x < 0.95 else "CELL")
        if src == "CELL":
            acc = r.randint(600, 1500)
            base = tower or offset(lat, lon, r.uniform(-700, 700), r.uniform(-700, 700))
            la, lo = offset(*base, r.gauss(0, 120), r.gauss(0, 120))
        else:
            if src == "WIFI":
                acc = r.randint(15, 45)
            elif indoor and not moving:
                acc = r.randint(15, 50)  # GPS through a roof
            else:
                acc = r.randint(3, 12)
            sd = acc * 0.45
            la, lo = offset(lat, lon, r.gauss(0, sd), r.gauss(0, sd))
        vel = hd = al = None
        if src == "GPS":
            al = int(alt + r.gauss(0, 6))
            if moving and speed is not None:
                vel = max(0, int(speed + r.gauss(0, 1)))
                hd = int(heading or 0) % 360
        return Point(t, la, lo, acc, src, vel, hd, al, None, moving)

    def _stay_points(self, s: Segment, r: random.Random) -> Iterator[Point]:
        assert s.spot is not None
        t = s.start + timedelta(minutes=r.uniform(0.5, 4))
        lo, hi = self.p.stay_every_min
        first = True
        while t < s.end:
            pt = self._fix(r, s.spot, t, s.spot.indoor, False, alt=s.spot.altitude, tower=s.spot.tower)
            if first or r.random() < 0.1:
                pt = pt._replace(activity="STILL")
            first = False
            yield pt
            t += timedelta(minutes=r.uniform(lo, hi))

    def _move_points(self, s: Segment, r: random.Random) -> Iterator[Point]:
        total = (s.end - s.start).total_seconds()
        dist = s.distance_m()
        speed = dist / total if total else 0
        act = {"WALKING": "WALKING", "IN_BUS": "IN_VEHICLE",
               "IN_PASSENGER_VEHICLE": "IN_VEHICLE"}.get(s.mode, "UNKNOWN")
        lo, hi = self.p.move_every_s
        t = s.start + timedelta(seconds=r.uniform(5, 20))
        i = 0
        alt = s.dest.altitude if s.dest else 100.0
        while t < s.end:
            f = (t - s.start).total_seconds() / total
            pos = _along(s.path, f)
            ahead = _along(s.path, min(1.0, f + 0.02))
            pt = self._fix(r, pos, t, False, True, heading=bearing_deg(pos, ahead), speed=speed, alt=alt)
            if i % 6 == 0:
                pt = pt._replace(activity=act)
            i += 1
            yield pt
            t += timedelta(seconds=r.uniform(lo, hi))

    def _sparse_points(self) -> Iterator[Point]:
        """A few dozen fixes at random daytime moments: too little to place a home."""
        r = rng_for(self.seed, "sparse")
        assert self.p.sparse_points is not None
        n = r.randint(*self.p.sparse_points)
        picks = sorted((self.first_day + timedelta(days=r.randrange(self.days_total)), r.uniform(9.5, 18.5))
                       for _ in range(n))
        for d, h in picks:
            t = local_dt(d, h, self.tz)
            for s in self.day(d):
                if s.start <= t < s.end and s.mode != "FLYING":
                    pos = s.position_at(t)
                    indoor = s.kind == "stay" and bool(s.spot and s.spot.indoor)
                    yield self._fix(r, pos, t, indoor, s.kind == "move")
                    break

    def where(self, t: datetime) -> Segment:
        d = t.astimezone(self.tz).date()
        for dd in (d, d - timedelta(days=1), d + timedelta(days=1)):
            if self.first_day <= dd <= self.last_day:
                for s in self.day(dd):
                    if s.start <= t < s.end:
                        return s
        raise ValueError(f"{t} is outside the persona's period")

    # ------------------------------------------------------------------ derived traces

    @cached_property
    def traces(self) -> dict[str, Any]:
        """IPs, logins, photos, posts: one pass over the days (segments only, no points)."""
        from .traces import Traces

        return Traces(self).build()

    def ground_truth(self) -> dict[str, Any]:
        from .truth import ground_truth

        return ground_truth(self)


def _computer_ua(cm: tuple[str, ...]) -> str:
    _, _, os_, _osv, browser, bv = cm
    if os_ == "macOS":
        return (f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                f"Version/{bv} Safari/605.1.15")
    base = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    if browser == "Edge":
        return base + f"Chrome/{bv} Safari/537.36 Edg/{bv}"
    return base + f"Chrome/{bv} Safari/537.36"


class _DayBuilder:
    """Chains stays and moves through one local day."""

    def __init__(self, p: Persona, d: date, start: Spot, r: random.Random) -> None:
        self.p, self.d, self.here, self.r = p, d, start, r
        self.tz = ZoneInfo(start.tz)
        self.t = midnight(d, self.tz)
        self.segs: list[Segment] = []

    def at(self, hours: float) -> datetime:
        return local_dt(self.d, hours, self.tz)

    def now_h(self) -> float:
        return (self.t - midnight(self.d, self.tz)).total_seconds() / 3600

    def stay_until(self, t: datetime) -> None:
        if t > self.t:
            last = self.segs[-1] if self.segs else None
            if last is not None and last.kind == "stay" and last.spot is self.here:
                self.segs[-1] = Segment("stay", last.start, t, spot=self.here)  # one visit, not two
            else:
                self.segs.append(Segment("stay", self.t, t, spot=self.here))
            self.t = t

    def stay_for(self, minutes: float) -> None:
        self.stay_until(self.t + timedelta(minutes=minutes))

    def _route(self, dest: Spot) -> tuple[tuple[float, float], ...]:
        a, b = (self.here.lat, self.here.lon), (dest.lat, dest.lon)
        rr = rng_for(self.p.seed, "route", self.here.id, dest.id)
        d = distance_m(a, b)
        pts = [a]
        for f in sorted(rr.uniform(0.15, 0.85) for _ in range(rr.randint(1, 3))):
            la, lo = a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
            pts.append(offset(la, lo, rr.gauss(0, d * 0.08), rr.gauss(0, d * 0.08)))
        pts.append(b)
        return tuple(pts)

    def _mode(self, dest: Spot, path: tuple[tuple[float, float], ...]) -> str:
        dist = sum(distance_m(x, y) for x, y in itertools.pairwise(path))
        if dist < 1200:
            return "WALKING"
        if dest.cc != self.p.city.cc or self.here.cc != self.p.city.cc or "airport" in (dest.kind, self.here.kind):
            return "IN_PASSENGER_VEHICLE"  # taxis abroad and to airports
        return self.p.commute_mode

    def travel_minutes(self, dest: Spot) -> float:
        path = self._route(dest)
        dist = sum(distance_m(x, y) for x, y in itertools.pairwise(path))
        speed = {"WALKING": 1.3, "IN_BUS": 4.5, "IN_PASSENGER_VEHICLE": 6.5}[self._mode(dest, path)]
        return dist / speed / 60 + (5 if self._mode(dest, path) == "IN_BUS" else 0)

    def go(self, dest: Spot, mode: str | None = None) -> None:
        if dest.id == self.here.id:
            return
        path = self._route(dest)
        mode = mode or self._mode(dest, path)
        dist = sum(distance_m(x, y) for x, y in itertools.pairwise(path))
        speed = {"WALKING": 1.3, "IN_BUS": 4.5, "IN_PASSENGER_VEHICLE": 6.5}[mode] * self.r.uniform(0.85, 1.15)
        minutes = dist / speed / 60 + (5 if mode == "IN_BUS" else 0)
        end = self.t + timedelta(minutes=max(2.0, minutes))
        self.segs.append(Segment("move", self.t, end, origin=self.here, dest=dest, mode=mode, path=path))
        self.t, self.here = end, dest

    def fly(self, dest: Spot) -> None:
        a, b = (self.here.lat, self.here.lon), (dest.lat, dest.lon)
        hours = distance_m(a, b) / 800_000 + 0.75
        end = self.t + timedelta(hours=hours)
        self.segs.append(Segment("move", self.t, end, origin=self.here, dest=dest, mode="FLYING", path=(a, b)))
        self.t, self.here = end, dest
        self.tz = ZoneInfo(dest.tz)  # the rest of the day is lived in the destination's time

    def finish(self) -> tuple[Segment, ...]:
        end = midnight(self.d + timedelta(days=1), self.tz)
        if self.t >= end:
            raise AssertionError(f"persona day {self.d} overran midnight")
        self.stay_until(end)
        return tuple(self.segs)
