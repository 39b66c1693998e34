"""The synthetic persona: deterministic, consistent with its ground truth, streamed, and `reflet demo`."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
import tracemalloc
import zipfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from reflet import sources
from reflet.archive import open_archive
from reflet.cli import cli
from reflet.persona import PROFILES, Persona, export_inputs, generate, profile_for_seed
from reflet.persona.writers.google_location import write_records_json
from reflet.records import Place, RecordBatch

SMALL = 0.15  # ~40 days: enough for every kind of day, fast to write


def _hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _dist(a: tuple[float, float], b: tuple[float, float]) -> float:
    dy = (a[0] - b[0]) * 111_320
    dx = (a[1] - b[1]) * 111_320 * math.cos(math.radians(a[0]))
    return math.hypot(dx, dy)


def _records(takeout: Path) -> list[Place]:
    """Read Records.json back with reflet's own source, as an audit would."""
    arch = open_archive(takeout)
    with arch:
        info = next(m for m in arch.members() if m.path.endswith("Records.json"))
        handler = sources.match(arch, info)
        assert handler is not None and handler.name == "google.records"
        out = []
        for item in sources.parse_member(arch, info, handler):
            out.extend(item.records() if isinstance(item, RecordBatch) else [item])
    assert all(isinstance(r, Place) for r in out), [r for r in out if not isinstance(r, Place)][:3]
    return out  # type: ignore[return-value]


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = generate(tmp_path_factory.mktemp("persona") / "p", seed=0, scale=1)
    return out, json.loads((out / "ground_truth.json").read_text())


def test_same_seed_gives_byte_identical_exports_and_truth(tmp_path: Path) -> None:
    a = _hashes(generate(tmp_path / "a", seed=3, scale=SMALL))
    b = _hashes(generate(tmp_path / "b", seed=3, scale=SMALL))
    assert a == b
    assert any(k.endswith(".zip") for k in a) and "ground_truth.json" in a


def test_different_seeds_give_different_people(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", seed=0, scale=SMALL, profile="default")
    b = generate(tmp_path / "b", seed=5, scale=SMALL, profile="default")
    ta, tb = (json.loads((x / "ground_truth.json").read_text()) for x in (a, b))
    assert (ta["home"]["lat"], ta["home"]["lon"]) != (tb["home"]["lat"], tb["home"]["lon"])
    ha, hb = _hashes(a), _hashes(b)
    assert ha.keys() != hb.keys() or all(ha[k] != hb[k] for k in ha if k.startswith("exports/"))
    assert {v for k, v in ha.items() if k != ".reflet-demo"}.isdisjoint(hb.values())


def test_regenerating_into_the_same_folder_starts_afresh(tmp_path: Path) -> None:
    out = generate(tmp_path / "d", seed=1, scale=SMALL)
    (out / "exports" / "stray.txt").write_text("left over")
    generate(out, seed=1, scale=SMALL)
    assert not (out / "exports" / "stray.txt").exists()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("not ours")
    with pytest.raises(FileExistsError):
        generate(foreign, seed=0, scale=SMALL)
    assert (foreign / "notes.txt").read_text() == "not ours"


def test_takeout_layout_and_fixed_zip_metadata(default_run: tuple[Path, dict]) -> None:
    out, truth = default_run
    zpath = out / "exports" / truth["exports"]["google_takeout"]["path"]
    assert re.fullmatch(r"takeout-\d{8}T000000Z-001\.zip", zpath.name)
    with zipfile.ZipFile(zpath) as z:
        names = z.namelist()
        assert names == sorted(names)
        ymd = zpath.name[8:16]
        assert {i.date_time for i in z.infolist()} == {(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]), 0, 0, 0)}
        lh = "Takeout/Location History (Timeline)/"
        assert lh + "Records.json" in names and lh + "Settings.json" in names
        assert lh + "Timeline Edits.json" in names
        months = [n for n in names if "/Semantic Location History/" in n]
        assert len(months) == len(truth["exports"]["google_takeout"]["semantic_months"]) >= 9
        assert all(re.search(r"/(\d{4})/\1_[A-Z]+\.json$", n) for n in months)
        settings = json.loads(z.read(lh + "Settings.json"))
        month = json.loads(z.read(months[0]))
    phones = [d for d in truth["devices"] if d["kind"] == "phone"]
    assert [d["deviceTag"] for d in settings["deviceSettings"]] == [p["device_tag"] for p in phones]
    kinds = Counter(next(iter(o)) for o in month["timelineObjects"])
    assert set(kinds) == {"placeVisit", "activitySegment"}
    homes = [o["placeVisit"] for o in month["timelineObjects"]
             if "placeVisit" in o and o["placeVisit"]["location"]["placeId"] == truth["home"]["place_id"]]
    assert homes and all(abs(h["location"]["latitudeE7"] / 1e7 - truth["home"]["lat"]) < 1e-6 for h in homes)


def test_records_read_back_exactly_and_night_points_sit_at_home(default_run: tuple[Path, dict]) -> None:
    out, truth = default_run
    info = truth["exports"]["google_takeout"]
    places = _records(out / "exports" / info["path"])
    assert len(places) == info["points"] > 30_000
    assert 0 < info["points_timestampMs"] < info["points"]
    tz = ZoneInfo(truth["person"]["timezone"])
    home = (truth["home"]["lat"], truth["home"]["lon"])
    abroad = [(t["first_day"], t["last_day"]) for t in truth["trips"]]
    night = [p for p in places if p.time.astimezone(tz).hour < 5
             and not any(a <= p.time.astimezone(tz).date().isoformat() <= b for a, b in abroad)]
    near = sum(_dist((p.lat, p.lon), home) < 100 for p in night)
    assert len(night) > 1000 and near / len(night) > 0.8
    tags = {p.device for p in places}
    assert tags == {str(d["device_tag"]) for d in truth["devices"] if d["kind"] == "phone"}
    # Every point lies outside the phone-off gaps and flights the ground truth lists.
    gaps = [(datetime.fromisoformat(g["start"]), datetime.fromisoformat(g["end"])) for g in truth["gaps"]]
    assert gaps and not any(a <= p.time < b for p in places for a, b in gaps)


def test_trips_show_in_the_points_of_the_destination(default_run: tuple[Path, dict]) -> None:
    out, truth = default_run
    places = _records(out / "exports" / truth["exports"]["google_takeout"]["path"])
    assert len(truth["trips"]) >= 2
    for trip in truth["trips"]:
        tz = ZoneInfo(trip["timezone"])
        inside = [p for p in places if trip["first_day"] < p.time.astimezone(tz).date().isoformat() < trip["last_day"]]
        assert inside and all(_dist((p.lat, p.lon), (trip["lat"], trip["lon"])) < 30_000 for p in inside)
        out_b = trip["border_crossings"][0]
        assert out_b["from_country"] == truth["person"]["country_code"] and out_b["to_country"] == trip["country_code"]


def test_work_and_regular_places_are_visited(default_run: tuple[Path, dict]) -> None:
    out, truth = default_run
    places = _records(out / "exports" / truth["exports"]["google_takeout"]["path"])
    tz = ZoneInfo(truth["person"]["timezone"])
    work = (truth["work"]["lat"], truth["work"]["lon"])
    office = [p for p in places if p.time.astimezone(tz).weekday() < 5 and 11 <= p.time.astimezone(tz).hour < 15]
    assert sum(_dist((p.lat, p.lon), work) < 100 for p in office) / len(office) > 0.6
    for pl in truth["places"]:
        if pl["schedule"] and max(s["probability"] for s in pl["schedule"]) >= 0.5:
            assert any(_dist((p.lat, p.lon), (pl["lat"], pl["lon"])) < 60 for p in places), pl["kind"]


def test_ground_truth_traces(default_run: tuple[Path, dict]) -> None:
    _, truth = default_run
    assert truth["profile"] == "default" and truth["seed"] == 0
    types = {ip["type"] for ip in truth["ips"]}
    assert {"residential", "work", "mobile", "cgnat_internal", "cgnat_shared", "vpn", "unknown_foreign"} <= types
    for ip in truth["ips"]:  # network names (x.y.z.0) and private CGNAT addresses: never a person's address
        assert re.match(r"^\d+\.\d+\.\d+\.0$|^100\.(6[4-9]|7[01])\.", ip["ip"]), ip
    kinds = [c["kind"] for c in truth["compromise"]]
    assert kinds == ["login_unrecognised_device_abroad", "recovery_email_added"]
    bad = [lg for lg in truth["logins"] if not lg["recognised_device"]]
    assert len(bad) == 1 and bad[0]["person_was_at"] == "home"
    assert bad[0]["ip"] == truth["compromise"][0]["ip"]
    assert truth["compromise"][0]["country_code"] != truth["person"]["country_code"]
    phones = [d for d in truth["devices"] if d["kind"] == "phone"]
    assert len(phones) >= 2 and len({d["ad_id"] for d in phones}) == len(phones)
    fmts = Counter(ph["format"] for ph in truth["photos"])
    assert fmts["jpeg"] and fmts["heic"]
    assert any(ph["at"] == "home" and ph["has_gps"] for ph in truth["photos"])
    assert any(not ph["has_gps"] and ph["serial"] for ph in truth["photos"])
    assert {"public", "friends", "private"} <= {p["visibility"] for p in truth["posts"]}
    assert any(p["place"] for p in truth["posts"])
    assert "LiveRamp" in {a["name"] for a in truth["advertisers"]}
    money = [o for o in truth["off_platform_activity"] if o["category"] == "money_transfer"]
    assert money and money[0]["events"]


def test_on_device_exports_use_their_own_encodings(default_run: tuple[Path, dict]) -> None:
    out, truth = default_run
    ex = out / "exports"
    android = json.loads((ex / truth["exports"]["google_ondevice_android"]["path"]).read_text())
    assert set(android) == {"semanticSegments", "rawSignals", "userLocationProfile"}
    deg = re.compile(r"^-?\d+\.\d{7}°, -?\d+\.\d{7}°$")
    visits = [s for s in android["semanticSegments"] if "visit" in s]
    assert visits and all(deg.match(v["visit"]["topCandidate"]["placeLocation"]["latLng"]) for v in visits)
    assert all(re.search(r"[+-]\d\d:\d\d$", s["startTime"]) for s in android["semanticSegments"])
    assert any("timelinePath" in s for s in android["semanticSegments"])
    assert all(deg.match(r["position"]["LatLng"]) for r in android["rawSignals"] if "position" in r)
    counts = truth["exports"]["google_ondevice_android"]["counts"]
    assert counts["visit"] == len(visits)
    assert counts["position"] == sum("position" in r for r in android["rawSignals"])
    labels = {f.get("label") for f in android["userLocationProfile"]["frequentPlaces"]}
    assert {"HOME", "WORK"} <= labels
    ios = json.loads((ex / truth["exports"]["google_ondevice_ios"]["path"]).read_text())
    assert isinstance(ios, list) and len(ios) == truth["exports"]["google_ondevice_ios"]["entries"]
    assert truth["exports"]["google_ondevice_ios"]["counts"]["visit"] == sum("visit" in e for e in ios)
    paths_from = next(i for i, e in enumerate(ios) if "timelinePath" in e)
    assert all("timelinePath" in e for e in ios[paths_from:])  # grouped at the end
    v = next(e["visit"] for e in ios if "visit" in e)
    assert re.fullmatch(r"geo:-?\d+\.\d{6},-?\d+\.\d{6}", v["topCandidate"]["placeLocation"])
    assert isinstance(v["probability"], str) and isinstance(v["hierarchyLevel"], str)


def test_sparse_profile_is_really_sparse(tmp_path: Path) -> None:
    out = generate(tmp_path / "s", seed=4, scale=1, profile="sparse")
    truth = json.loads((out / "ground_truth.json").read_text())
    assert truth["home"] == {"status": "not_enough_data", "reason": truth["home"]["reason"]}
    assert truth["work"]["status"] == "not_enough_data"
    places = _records(out / "exports" / truth["exports"]["google_takeout"]["path"])
    assert 20 <= len(places) <= 80
    tz = ZoneInfo(truth["person"]["timezone"])
    assert not [p for p in places if not 6 <= p.time.astimezone(tz).hour < 22]  # no night pattern at all
    assert set(truth["exports"]) == {"google_takeout"}


def test_nightshift_sleeps_at_work_hours(tmp_path: Path) -> None:
    p = Persona(seed=1, scale=SMALL, profile="nightshift")
    assert p.work is not None
    tz = ZoneInfo(p.city.tz)
    at_work = at_home = 0
    for pt in p.points():
        lt = pt.t.astimezone(tz)
        if lt.hour in (1, 2, 3) and lt.weekday() in (0, 1, 2, 3, 4):
            at_work += _dist((pt.lat, pt.lon), (p.work.lat, p.work.lon)) < 100
        if lt.hour in (9, 10, 11) and lt.weekday() in (0, 1, 2, 3, 4):
            at_home += _dist((pt.lat, pt.lon), (p.home.lat, p.home.lon)) < 100
    assert at_work > 50 and at_home > 50
    assert p.ground_truth()["work"]["schedule"] == "night"


def test_profiles_for_seeds_vary_and_seed_zero_is_default() -> None:
    assert profile_for_seed(0) == "default"
    assert {profile_for_seed(s) for s in range(10)} == set(PROFILES)
    assert Persona(seed=2, scale=SMALL, profile="no_work").ground_truth()["work"]["status"] == "none"


class _Sink:
    def __init__(self) -> None:
        self.n = 0

    def write(self, b: bytes) -> int:
        self.n += len(b)
        return len(b)


@pytest.mark.slow
def test_records_json_is_streamed_with_flat_memory() -> None:
    p = Persona(seed=0, scale=3)  # ~50 MB of Records.json
    sink = _Sink()
    tracemalloc.start()
    try:
        counts = write_records_json(p, sink)  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.n > 45_000_000 and counts["points"] > 120_000
    assert peak < 16_000_000, f"peak {peak / 1e6:.1f} MB for {sink.n / 1e6:.0f} MB written"


def test_demo_command_generates_audits_and_prints_the_report(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    res = CliRunner().invoke(cli, ["demo", "--out", str(out), "--scale", "0.1"])
    assert res.exit_code == 0, res.output
    assert str(out / "audit" / "report.html") in res.output.replace("\n", "")  # rich wraps long paths
    assert (out / "audit" / "report.html").is_file()
    assert (out / "ground_truth.json").is_file()
    # Takeout, the two on-device files, ten other platforms, the photo folder.
    assert len(export_inputs(out)) == 14
    again = CliRunner().invoke(cli, ["demo", "--out", str(out), "--scale", "0.1"])
    assert again.exit_code == 0, again.output
    assert "Unchanged since the last audit" in again.output
    other = tmp_path / "other"
    other.mkdir()
    (other / "x").write_text("x")
    refused = CliRunner().invoke(cli, ["demo", "--out", str(other), "--no-audit"])
    assert refused.exit_code == 2 and "not empty" in refused.output


def test_an_independent_parser_reads_the_takeout_files(tmp_path: Path) -> None:
    """google_takeout_parser (a peer, test-only dependency) accepts our Records.json and monthly files."""
    from google_takeout_parser.parse_json import _parse_location_history, _parse_semantic_location_history

    out = generate(tmp_path / "g", seed=0, scale=SMALL)
    truth = json.loads((out / "ground_truth.json").read_text())
    info = truth["exports"]["google_takeout"]
    with zipfile.ZipFile(out / "exports" / info["path"]) as z:
        z.extractall(tmp_path / "x")
    lh = tmp_path / "x" / "Takeout" / "Location History (Timeline)"
    locs = list(_parse_location_history(lh / "Records.json"))
    assert not [x for x in locs if isinstance(x, Exception)] and len(locs) == info["points"]
    visits = [v for f in sorted((lh / "Semantic Location History").rglob("*.json"))
              for v in _parse_semantic_location_history(f)]
    assert not [x for x in visits if isinstance(x, Exception)] and len(visits) == info["placeVisit"]
    home = [v for v in visits if v.placeId == truth["home"]["place_id"]]
    assert home and abs(home[0].lat - truth["home"]["lat"]) < 1e-6


@pytest.mark.parametrize("profile", PROFILES)
def test_every_profile_lives_contiguous_days_in_time_order(profile: str) -> None:
    for seed in range(4):
        p = Persona(seed=seed, scale=0.3, profile=profile)
        segs = list(p.segments())
        assert segs[0].start < segs[-1].end
        for a, b in itertools.pairwise(segs):
            assert a.end == b.start and a.start < a.end, (seed, a, b)
            assert not (a.kind == b.kind == "stay" and a.spot == b.spot), "one visit split in two"
        times = [pt.t for pt in p.points()]
        assert times == sorted(times) and len(times) == len(set(times))
        assert all(segs[0].start <= t < segs[-1].end for t in times)
