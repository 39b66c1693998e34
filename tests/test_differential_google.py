"""Differential test against the peer parser ``google-takeout-parser`` (gtp).

The same generated Records.json and Semantic Location History files are read by gtp's own
parse functions and by reflet's sources; both must find the same points and the same visits.
Where they differ by design it is asserted, not hidden:

* gtp reads ``timestampMs`` to the whole second (``parse_datetime_millis`` truncates);
  reflet keeps the milliseconds. The comparison truncates reflet's time for those points only,
  and checks separately that reflet kept the exact time.
* gtp skips a visit whose location has no ``placeId`` (recent exports have some, per its own
  comment); reflet keeps it, since the visit still places the person. That one visit is
  expected to be reflet's only extra.

The generator here is deliberately small and local (seeded RNG), independent of the persona.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from google_takeout_parser.models import Location, PlaceVisit
from google_takeout_parser.parse_json import _parse_location_history, _parse_semantic_location_history

from reflet import sources
from reflet.archive import open_archive
from reflet.records import ParseIssue, Place
from tests.builders import make_export

LH = "Takeout/Location History (Timeline)"
BASE = datetime(2019, 1, 1, tzinfo=UTC)
MONTHS = ("JANUARY", "FEBRUARY", "MARCH")
NAMES = ("Boulangerie du Coin", "Gare Centrale", "Café Ñandú", "Clinique Saint-Jean", "Bibliothèque", "東京駅")


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def _ms(t: datetime) -> str:
    return str(int(t.timestamp() * 1000))


def _e7(rng: random.Random, centre: float, spread: float) -> int:
    return round((centre + rng.uniform(-spread, spread)) * 1e7)


def make_records(rng: random.Random, n: int = 400) -> tuple[dict, dict[str, datetime], set[int]]:
    """Records.json with both time spellings, both hemispheres, missing fields, and 3 bad entries."""
    locs, exact, bad = [], {}, set()
    t = BASE
    for i in range(n):
        t += timedelta(seconds=rng.randint(30, 900), milliseconds=rng.randint(0, 999))
        centre = (48.85, 2.35) if i % 3 else (-33.87, -70.65)  # Paris, Santiago: negative lat and lon
        loc: dict = {"latitudeE7": _e7(rng, centre[0], 0.2), "longitudeE7": _e7(rng, centre[1], 0.2)}
        if rng.random() < 0.9:
            loc["accuracy"] = rng.randint(3, 2500)
        if rng.random() < 0.8:
            loc["source"] = rng.choice(["GPS", "WIFI", "CELL", "UNKNOWN"])
        if rng.random() < 0.7:
            loc["deviceTag"] = rng.choice([1978796627, -574839201])
        if i % 3 == 0:
            loc["timestampMs"] = _ms(t)  # pre-2019 spelling
        else:
            loc["timestamp"] = _iso(t)
        if i % 97 == 5:  # a broken entry both parsers must refuse
            del loc["latitudeE7"]
            bad.add(i)
        exact[f"/locations/{i}"] = t
        locs.append(loc)
    return {"locations": locs}, exact, bad


def make_semantic(rng: random.Random, month: int) -> dict:
    """One monthly file: visits (some TYPE_HOME, some old *Ms times) between activity segments."""
    objs: list[dict] = []
    t = BASE.replace(month=month + 1)
    for k in range(45):
        start = t + timedelta(minutes=rng.randint(5, 120), seconds=rng.randint(0, 59))
        end = start + timedelta(minutes=rng.randint(10, 600))
        place = rng.randrange(len(NAMES))
        loc: dict = {"latitudeE7": _e7(rng, 48.85 + place / 100, 0.0005),
                     "longitudeE7": _e7(rng, 2.35 - place / 100, 0.0005),
                     "placeId": f"ChIJ{place:04d}", "name": NAMES[place], "address": f"{place} Rue Exemple",
                     "locationConfidence": round(rng.uniform(10, 99), 2), "sourceInfo": {"deviceTag": 1978796627}}
        if place == 0:
            loc["semanticType"] = "TYPE_HOME"
        if month == 0 and k == 7:  # a 2023-style visit without placeId: gtp skips it, reflet keeps it
            del loc["placeId"], loc["name"]
        if month == 0:  # the oldest file uses the old spelling (whole seconds, see module doc)
            start, end = start.replace(microsecond=0), end.replace(microsecond=0)
            duration = {"startTimestampMs": _ms(start), "endTimestampMs": _ms(end)}
        else:
            duration = {"startTimestamp": _iso(start), "endTimestamp": _iso(end)}
        objs.append({"placeVisit": {"location": loc, "duration": duration, "placeConfidence": "HIGH_CONFIDENCE",
                                    "centerLatE7": loc["latitudeE7"], "centerLngE7": loc["longitudeE7"]}})
        t = end
        a_end = t + timedelta(minutes=rng.randint(5, 60))
        objs.append({"activitySegment": {
            "startLocation": {"latitudeE7": loc["latitudeE7"], "longitudeE7": loc["longitudeE7"]},
            "endLocation": {"latitudeE7": _e7(rng, 48.85, 0.05), "longitudeE7": _e7(rng, 2.35, 0.05)},
            "duration": {"startTimestamp": _iso(t), "endTimestamp": _iso(a_end)},
            "activityType": "WALKING", "distance": rng.randint(100, 5000)}})
        t = a_end
    return {"timelineObjects": objs}


def _reflet(root: Path) -> dict[str, list]:
    arch = open_archive(root)
    out: dict[str, list] = {}
    for info in arch.members():
        h = sources.match(arch, info)
        assert h is not None, info.path
        out.setdefault(h.name, []).extend(sources.parse_member(arch, info, h))
    return out


def test_records_and_semantic_match_google_takeout_parser(tmp_path: Path) -> None:
    rng = random.Random(20261123)
    records, exact, bad = make_records(rng)
    files: dict[str, str] = {f"{LH}/Records.json": json.dumps(records)}
    for m, name in enumerate(MONTHS):
        files[f"{LH}/Semantic Location History/2019/2019_{name}.json"] = json.dumps(make_semantic(rng, m))
    root = make_export(tmp_path, "Takeout-export", files)
    ours = _reflet(root)

    # ---- points
    theirs_raw = list(_parse_location_history(root / f"{LH}/Records.json"))
    theirs = [x for x in theirs_raw if isinstance(x, Location)]
    assert len(theirs_raw) - len(theirs) == len(bad) > 0  # both refuse exactly the broken entries
    points = [r for r in ours["google.records"] if isinstance(r, Place)]
    issues = [r for r in ours["google.records"] if isinstance(r, ParseIssue)]
    assert sorted(int(i.locator.rsplit("/", 1)[1]) for i in issues) == sorted(bad)
    assert len(points) == len(theirs) == 400 - len(bad)

    old = {f"/locations/{i}" for i, loc in enumerate(records["locations"]) if "timestampMs" in loc}
    for ours_p, gtp in zip(points, theirs):
        loc = ours_p.provenance.locator
        assert ours_p.time == exact[loc]  # reflet keeps milliseconds in both spellings
        want = ours_p.time.replace(microsecond=0) if loc in old else ours_p.time
        assert want == gtp.dt, loc
        assert abs(ours_p.lat - gtp.lat) <= 1e-7 and abs(ours_p.lon - gtp.lng) <= 1e-7, loc
        assert ours_p.accuracy_m == gtp.accuracy, loc
        assert ours_p.source == gtp.source, loc
        assert ours_p.device == (None if gtp.deviceTag is None else str(gtp.deviceTag)), loc
    assert any(p.lat < 0 and p.lon < 0 for p in points)

    # ---- visits
    theirs_v: list[PlaceVisit] = []
    for name in MONTHS:
        got = list(_parse_semantic_location_history(root / f"{LH}/Semantic Location History/2019/2019_{name}.json"))
        assert not [x for x in got if isinstance(x, Exception)]
        theirs_v.extend(x for x in got if isinstance(x, PlaceVisit))
    assert not [r for r in ours["google.semantic"] if isinstance(r, ParseIssue)]
    visits = [r for r in ours["google.semantic"] if isinstance(r, Place) and r.kind == "visit"]

    def key(start: datetime, end: datetime, lat: float, lon: float, name: str | None) -> tuple:
        return start, end, round(lat, 7), round(lon, 7), name

    mine = sorted(key(v.time, v.end_time, v.lat, v.lon, v.name) for v in visits)
    peer = sorted(key(v.startTime, v.endTime, v.lat, v.lng, v.name) for v in theirs_v)
    assert len(peer) == 3 * 45 - 1
    extra = [k for k in mine if k not in peer]
    assert len(extra) == 1 and extra[0][4].endswith("Rue Exemple")  # the visit without placeId, named by address
    assert [k for k in mine if k != extra[0]] == peer
    assert {v.device for v in visits} == {str(v.sourceInfoDeviceTag) for v in theirs_v} == {"1978796627"}
    # Google's home label (gtp does not keep semanticType; it was set on place ChIJ0000) becomes Place.label.
    homes = sorted(key(v.time, v.end_time, v.lat, v.lon, v.name) for v in visits if v.label == "HOME")
    assert [k for k in homes if k != extra[0]] == sorted(
        key(v.startTime, v.endTime, v.lat, v.lng, v.name) for v in theirs_v if v.placeId == "ChIJ0000") != []
