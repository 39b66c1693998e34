"""Google location history in all its layouts: Records.json, Semantic monthly files, Settings.json,
Timeline Edits.json and the two on-device Timeline exports (formats.md 3.2-3.5)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reflet import sources
from reflet.archive import open_archive
from reflet.records import Device, ParseIssue, Place
from reflet.sources import WHOLE_FILE, Member
from reflet.sources._google_location import degrees, geo_uri, semantic_label, stream_arrays
from tests.builders import make_export
from tests.samples import google as samples

MINE = ("google.records", "google.semantic", "google.location_settings", "google.timeline_edits",
        "google.ondevice_android", "google.ondevice_ios")
SEMANTIC_PATH = "Takeout/Location History (Timeline)/Semantic Location History/2019/2019_MARCH.json"


def _b(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode()


def _parse(tmp_path: Path, path: str, data: bytes, container: str = "zip") -> list:
    arch = open_archive(make_export(tmp_path, "export", {path: data}, container))
    (info,) = arch.members()
    h = sources.match(arch, info)
    assert h is not None, path
    return list(sources.parse_member(arch, info, h))


def _places(recs: list) -> list[Place]:
    return [r for r in recs if isinstance(r, Place)]


def _issues(recs: list) -> list[ParseIssue]:
    return [r for r in recs if isinstance(r, ParseIssue)]


def _claimants(path: str, data: bytes) -> set[str]:
    head = data[:4096]
    return {h.name for h in sources.handlers() if h.matches_path(path) and (h.sniff is None or h.sniff(head))}


def t(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)


# ---------------------------------------------------------------- detection

def test_every_sample_is_claimed_by_its_own_handler_only() -> None:
    for name in MINE:
        assert samples.SAMPLES.get(name), f"no sample for {name}"
        for path, data in samples.SAMPLES[name]:
            assert _claimants(path, data) == {name}, path


@pytest.mark.parametrize(("path", "data"), [
    # Same names, other content: Settings.json of another product, Records.json of something else.
    ("Takeout/Google Fit/Settings.json", b'{"units": "metric", "goals": []}'),
    ("Takeout/Tasks/Records.json", b'{"items": []}'),
    # A yearly folder that is not Semantic Location History.
    ("Takeout/Google Fit/Daily activity metrics/2019/2019_MARCH.json", b'{"steps": [1, 2]}'),
    # An Android-style name holding the iOS array, and the reverse.
    ("Timeline.json", _b(samples._IOS)),
    ("location-history.json", _b(samples._ANDROID)),
    # "Timeline" in a name is not enough: the Takeout Timeline Edits file and random exports.
    ("Timeline backup notes.json", b'{"notes": "semanticSegments later"}'),
    ("Takeout/Location History (Timeline)/Timeline Edits.json", b'{"other": []}'),
])
def test_lookalikes_are_not_claimed(path: str, data: bytes) -> None:
    assert not (_claimants(path, data) & set(MINE)), path


def test_on_device_names_in_other_languages_and_whitespace_are_recognised() -> None:
    body = b'\n  {\n  "semanticSegments" : [ ]}'
    for name in ("Zeitleiste.json", "Vos trajets.json", "Tijdlijn.json", "タイムライン.json", "타임라인.json",
                 "Cronologi\u0301a.json", "Download/Timeline (1).json"):
        assert _claimants(name, body) == {"google.ondevice_android"}, name
    assert _claimants("Download/location-history (2).json", b' [ {"endTime": "x"}]') == {"google.ondevice_ios"}


def test_takeout_location_folder_given_as_the_input_is_recognised() -> None:
    # A person may hand over the location folder itself: its files then sit at the root.
    assert _claimants("Records.json", b'{"locations": []}') == {"google.records"}
    assert _claimants("Settings.json", b'{"historyEnabled": true}') == {"google.location_settings"}
    assert _claimants("Semantic Location History/2020/2020_JANVIER.json", b'{"timelineObjects": []}') == {
        "google.semantic"}


def test_location_handlers_accept_gigabyte_files_and_flag_unconfirmed_layouts() -> None:
    hs = {h.name: h for h in sources.handlers()}
    for name in ("google.records", "google.ondevice_android", "google.ondevice_ios", "google.timeline_edits"):
        assert hs[name].max_bytes >= 4 * sources.GiB
    assert hs["google.timeline_edits"].unconfirmed
    assert hs["google.location_settings"].max_bytes <= 64 * sources.MiB


# ---------------------------------------------------------------- Records.json

def test_records_exact_points_new_and_old_forms(tmp_path: Path) -> None:
    data = {"locations": [
        {"latitudeE7": 351324213, "longitudeE7": -1122434441, "accuracy": 10, "source": "WIFI",
         "deviceTag": 1978796627, "platformType": "ANDROID", "timestamp": "2017-12-10T23:14:58.030Z",
         "activity": [{"timestamp": "2017-12-10T23:14:59Z", "activity": [{"type": "STILL", "confidence": 65}]}]},
        {"latitudeE7": 351324000, "longitudeE7": -1122434000, "accuracy": "25", "source": "cell",
         "deviceTag": "-42", "timestampMs": "1512947698030"},
    ]}
    places = _places(_parse(tmp_path, "Takeout/Location History/Location History.json", _b(data)))
    assert [(p.time, p.lat, p.lon, p.accuracy_m, p.kind, p.source, p.device, p.provenance.locator)
            for p in places] == [
        (datetime(2017, 12, 10, 23, 14, 58, 30000, tzinfo=UTC), 35.1324213, -112.2434441, 10.0, "wifi", "WIFI",
         "1978796627", "/locations/0"),
        (datetime(2017, 12, 10, 23, 14, 58, 30000, tzinfo=UTC), 35.1324, -112.2434, 25.0, "cell", "cell",
         "-42", "/locations/1"),
    ]


def test_records_int32_overflow_is_corrected_and_reported_once(tmp_path: Path) -> None:
    # -122.4194° written as an unsigned 32-bit value: 2**32 - 1224194000.
    data = {"locations": [
        {"latitudeE7": 377749000, "longitudeE7": 2**32 - 1224194000, "timestampMs": "1300000000000"},
        {"latitudeE7": 377750000, "longitudeE7": 2**32 - 1224195000, "timestampMs": "1300000060000"},
    ]}
    recs = _parse(tmp_path, "Takeout/Location History/Records.json", _b(data))
    assert [(p.lat, p.lon) for p in _places(recs)] == [(37.7749, -122.4194), (37.775, -122.4195)]
    (warn,) = _issues(recs)
    assert (warn.locator, warn.level) == (WHOLE_FILE, "warning")
    assert "2 coordinate(s)" in warn.message and "/locations/0" in warn.message


def test_records_bad_entries_are_reported_and_the_rest_kept(tmp_path: Path) -> None:
    data = {"locations": [
        {"latitudeE7": 488566000, "longitudeE7": 23522000, "timestamp": "2024-03-01T10:00:00Z"},
        "not an object",
        {"latitudeE7": "north", "longitudeE7": 23522000, "timestamp": "2024-03-01T10:01:00Z"},
        {"latitudeE7": 488566000, "longitudeE7": 23522000},
        {"latitudeE7": 950000000, "longitudeE7": 23522000, "timestamp": "2024-03-01T10:02:00Z"},
        {"timestamp": "2024-03-01T10:03:00Z", "activity": [{"activity": [{"type": "WALKING"}]}]},
        {"latitudeE7": 488566000, "longitudeE7": 23522000, "timestamp": "2024-03-01T10:04:00Z"},
    ]}
    recs = _parse(tmp_path, "Takeout/Location History (Timeline)/Records.json", _b(data))
    assert [p.provenance.locator for p in _places(recs)] == ["/locations/0", "/locations/6"]
    issues = {i.locator: i for i in _issues(recs)}
    assert sorted(issues) == ["/locations/1", "/locations/2", "/locations/3", "/locations/4", "/locations/5"]
    assert "timestamp" in issues["/locations/3"].message
    assert "out of range" in issues["/locations/4"].message
    assert issues["/locations/5"].level == "info"  # activity-only entry: not a fault of the file


def test_records_truncated_file_keeps_points_before_the_break(tmp_path: Path) -> None:
    good = {"latitudeE7": 488566000, "longitudeE7": 23522000, "timestamp": "2024-03-01T10:00:00Z"}
    data = _b({"locations": [good, good | {"timestamp": "2024-03-01T11:00:00Z"}, good]})
    cut = data[: data.rindex(b"latitudeE7")]
    recs = _parse(tmp_path, "Takeout/Location History (Timeline)/Records.json", cut, "dir")
    assert [p.time for p in _places(recs)] == [t(2024, 3, 1, 10), t(2024, 3, 1, 11)]
    (issue,) = _issues(recs)
    assert issue.locator == WHOLE_FILE and "breaks off" in issue.message


# ---------------------------------------------------------------- Semantic Location History

def test_semantic_exact_visits_and_segments(tmp_path: Path) -> None:
    recs = _parse(tmp_path, SEMANTIC_PATH, _b(samples._SEMANTIC))
    assert not _issues(recs)
    got = [(p.provenance.locator, p.kind, p.time, p.end_time, p.lat, p.lon, p.name, p.label, p.source,
            p.accuracy_m, p.device) for p in _places(recs)]
    base = "/timelineObjects/1/activitySegment"
    assert got == [
        ("/timelineObjects/0/placeVisit", "visit", t(2019, 3, 1, 18), t(2019, 3, 2, 8), 48.8566, 2.3522,
         "Boulangerie Exemple", "HOME", "placeVisit", None, "1978796627"),
        # startTimestampMs/endTimestampMs: the older spelling.
        (f"{base}/startLocation", "unknown", t(2019, 3, 2, 8), None, 48.8566, 2.3522, None, None,
         "activitySegment", None, None),
        (f"{base}/endLocation", "unknown", t(2019, 3, 2, 8, 30), None, 48.88, 2.37, None, None,
         "activitySegment", None, None),
        (f"{base}/simplifiedRawPath/points/0", "unknown", t(2019, 3, 2, 8, 10), None, 48.865, 2.355, None, None,
         "simplifiedRawPath", 10.0, None),
        (f"{base}/waypointPath/waypoints/0", "unknown", None, None, 48.87, 2.36, None, None,
         "waypointPath", None, None),
        (f"{base}/parkingEvent", "unknown", t(2019, 3, 2, 8, 30), None, 48.88001, 2.37001, None, None,
         "parkingEvent", 15.0, None),
    ]


def test_semantic_old_visit_without_place_id_child_visits_and_address_fallback(tmp_path: Path) -> None:
    data = {"timelineObjects": [{"placeVisit": {
        "location": {"latitudeE7": 400000000, "longitudeE7": -740000000, "address": "5 Example Ave"},
        "duration": {"startTimestampMs": "1420070400000", "endTimestampMs": "1420074000000"},
        "childVisits": [{
            "location": {"latitudeE7": 400001000, "longitudeE7": -740001000, "name": "Café", "semanticType":
                         "TYPE_WORK"},
            "duration": {"startTimestamp": "2015-01-01T00:10:00Z", "endTimestamp": "2015-01-01T00:50:00Z"}}],
    }}]}
    places = _places(_parse(tmp_path, "Takeout/Historial de ubicaciones/Semantic Location History/2015/"
                                      "2015_ENERO.json", _b(data)))
    assert [(p.provenance.locator, p.time, p.end_time, p.name, p.label) for p in places] == [
        ("/timelineObjects/0/placeVisit", t(2015, 1, 1), t(2015, 1, 1, 1), "5 Example Ave", None),
        ("/timelineObjects/0/placeVisit/childVisits/0", t(2015, 1, 1, 0, 10), t(2015, 1, 1, 0, 50), "Café", "WORK"),
    ]


def test_semantic_corrupt_entries_and_truncation(tmp_path: Path) -> None:
    good = samples._SEMANTIC["timelineObjects"][0]
    data = {"timelineObjects": [
        good,
        {"placeVisit": {"location": {"latitudeE7": 1}, "duration": {"startTimestamp": "2019-03-01T18:00:00Z",
                                                                   "endTimestamp": "2019-03-01T19:00:00Z"}}},
        {"placeVisit": {"location": {"latitudeE7": 488566000, "longitudeE7": 23522000}, "duration": {}}},
        {"activitySegment": {"duration": {"startTimestamp": "2019-03-01T18:00:00Z",
                                          "endTimestamp": "2019-03-01T19:00:00Z"},
                             "startLocation": {"sourceInfo": {"deviceTag": 1}},
                             "simplifiedRawPath": {"points": [{"latE7": 1, "lngE7": 2, "timestamp": 7}]}}},
        {"activitySegment": "broken"},
        {"somethingNew": {}},
        42,
        good,
    ]}
    raw = _b(data)
    recs = _parse(tmp_path / "a", SEMANTIC_PATH, raw)
    assert [p.provenance.locator for p in _places(recs)] == ["/timelineObjects/0/placeVisit",
                                                             "/timelineObjects/7/placeVisit"]
    assert [i.locator for i in _issues(recs)] == [
        "/timelineObjects/1/placeVisit", "/timelineObjects/2/placeVisit",
        "/timelineObjects/3/activitySegment/startLocation",
        "/timelineObjects/3/activitySegment/simplifiedRawPath/points/0",
        "/timelineObjects/4/activitySegment", "/timelineObjects/5", "/timelineObjects/6",
    ]
    cut = _parse(tmp_path / "b", SEMANTIC_PATH, raw[: len(raw) // 3])
    assert [p.provenance.locator for p in _places(cut)] == ["/timelineObjects/0/placeVisit"]
    assert [i.locator for i in _issues(cut)][-1] == WHOLE_FILE


# ---------------------------------------------------------------- Settings.json

def test_settings_devices_exact(tmp_path: Path) -> None:
    data = dict(samples._SETTINGS)
    data["deviceSettings"] = [*samples._SETTINGS["deviceSettings"], {
        "deviceTag": -8812345, "devicePrettyName": "iPad de Ana", "platformType": "IOS",
        "deviceCreationTime": "2021-01-02T03:04:05Z", "reportingEnabled": False}]
    recs = _parse(tmp_path, "Takeout/Location History (Timeline)/Settings.json", _b(data))
    assert not _issues(recs)
    got = [(d.kind, d.make, d.model, d.os, d.name, d.identifiers, d.first_seen, d.provenance.locator)
           for d in recs if isinstance(d, Device)]
    assert got == [
        ("phone", "Google", "Pixel 4a", "Android (API 33)", "Pixel 4a", (("google_device_tag", "1978796627"),),
         t(2020, 9, 1, 10), "/deviceSettings/0"),
        ("tablet", None, None, "iOS", "iPad de Ana", (("google_device_tag", "-8812345"),),
         datetime(2021, 1, 2, 3, 4, 5, tzinfo=UTC), "/deviceSettings/1"),
    ]


def test_settings_device_tag_matches_records_points(tmp_path: Path) -> None:
    # The tag is the link between a trail of points and a named phone: both sides must spell it alike.
    dev = next(d for d in _parse(tmp_path / "s", "Takeout/Location History/Settings.json", _b(samples._SETTINGS))
           if isinstance(d, Device))
    (path, data), _ = samples.SAMPLES["google.records"]
    pts = _places(_parse(tmp_path / "r", path, data))
    assert dict(dev.identifiers)["google_device_tag"] == pts[0].device


def test_settings_corrupt(tmp_path: Path) -> None:
    path = "Takeout/Location History (Timeline)/Settings.json"
    bad = {"historyEnabled": True, "deviceSettings": [
        {"deviceTag": 5, "devicePrettyName": "Old phone", "deviceCreationTime": "yesterday"},
        7, {"reportingEnabled": True}, {"deviceTag": 6, "deviceSpec": "Pixel"}]}
    recs = _parse(tmp_path / "a", path, _b(bad))
    assert [i.locator for i in _issues(recs)] == ["/deviceSettings/0", "/deviceSettings/1", "/deviceSettings/2"]
    assert [d.identifiers for d in recs if isinstance(d, Device)] == [(("google_device_tag", "6"),)]
    trunc = _parse(tmp_path / "b", path, _b(samples._SETTINGS)[:200])
    assert len(trunc) == 1 and trunc[0].locator == WHOLE_FILE
    wrong = _parse(tmp_path / "c", path, b'{"historyEnabled": true, "deviceSettings": {"a": 1}}')
    assert [i.locator for i in wrong] == ["/deviceSettings"]


# ---------------------------------------------------------------- Timeline Edits.json

def test_timeline_edits_exact(tmp_path: Path) -> None:
    # UNCONFIRMED layout (formats.md §3.4)
    data = json.loads(json.dumps(samples._EDITS))
    data["timelineEdits"] += [
        {"deviceId": "7", "rawSignal": {"signal": {"activityRecord": {"detectedActivities": [],
                                                                      "timestamp": "2024-02-01T07:00:00Z"}}}},
        {"deviceId": "7", "rawSignal": {"signal": {"wifiScan": {"deliveryTime": "2024-02-01T07:00:00Z"}}}},
        {"deviceId": "7", "inferredSemanticSegment": {
            "startTime": "2024-02-01T08:00:00Z", "endTime": "2024-02-01T17:00:00Z",
            "segment": {"visit": {"topCandidate": {"placeId": "ChIJw", "semanticType": "WORK",
                                                   "placeLocation": {"latE7": 488700000, "lngE7": 23400000}}}}}},
    ]
    recs = _parse(tmp_path, "Takeout/Location History (Timeline)/Timeline Edits.json", _b(data))
    assert not _issues(recs)
    assert [(p.provenance.locator, p.kind, p.time, p.end_time, p.lat, p.lon, p.accuracy_m, p.label, p.source,
             p.device) for p in _places(recs)] == [
        ("/timelineEdits/0/placeAggregates/placeAggregateInfo/0", "profile", datetime(2023, 9, 20, 8, 1, 15,
         tzinfo=UTC), datetime(2023, 12, 13, 8, 1, 15, tzinfo=UTC), 48.8566, 2.3522, None,
         "FREQUENT_PLACE #1 score 5", "placeAggregates", "0"),
        ("/timelineEdits/1/rawSignal/signal/position", "wifi", t(2024, 2, 1, 7), None, 48.857, 2.353, 12.0, None,
         "WIFI", "1978796627"),
        ("/timelineEdits/4/inferredSemanticSegment/segment/visit", "visit", t(2024, 2, 1, 8), t(2024, 2, 1, 17),
         48.87, 2.34, None, "WORK", "inferredSemanticSegment", "7"),
    ]


def test_timeline_edits_corrupt(tmp_path: Path) -> None:
    data = {"timelineEdits": [
        samples._EDITS["timelineEdits"][1],
        {"deviceId": "1", "rawSignal": {"signal": {"position": {"point": {"latE7": 1}, "timestamp": "x"}}}},
        {"deviceId": "1", "placeAggregates": {"placeAggregateInfo": [{"point": "here"},
                                                                     {"point": {"latE7": 1, "lngE7": 2}}]}},
        {"deviceId": "1", "mystery": {}},
        [],
    ]}
    raw = _b(data)
    path = "Takeout/Location History (Timeline)/Timeline Edits.json"
    recs = _parse(tmp_path / "a", path, raw)
    assert [p.provenance.locator for p in _places(recs)] == [
        "/timelineEdits/0/rawSignal/signal/position", "/timelineEdits/2/placeAggregates/placeAggregateInfo/1"]
    assert [i.locator for i in _issues(recs)] == [
        "/timelineEdits/1", "/timelineEdits/2/placeAggregates/placeAggregateInfo/0", "/timelineEdits/3",
        "/timelineEdits/4"]
    cut = _parse(tmp_path / "b", path, raw[: raw.index(b"placeAggregates")])
    assert len(_places(cut)) == 1 and _issues(cut)[-1].locator == WHOLE_FILE


# ---------------------------------------------------------------- on-device Android (Timeline.json)

def test_android_exact_records_in_utc_with_google_labels(tmp_path: Path) -> None:
    data = json.loads(json.dumps(samples._ANDROID))
    data["semanticSegments"].append({
        "startTime": "2024-06-22T08:00:00.000+02:00", "endTime": "2024-06-22T08:30:00.000+02:00",
        "activity": {"start": {"latLng": "48.8566000°, 2.3522000°"}, "end": {"latLng": "48.8800000°, 2.3700000°"},
                     "distanceMeters": 3000.0, "topCandidate": {"type": "IN_BUS", "probability": 0.8},
                     "parking": {"location": {"latLng": "48.8801000°, 2.3701000°"},
                                 "startTime": "2024-06-22T08:31:00.000+02:00"}}})
    data["semanticSegments"].append({"startTime": "2024-06-22T09:00:00Z", "endTime": "2024-06-22T10:00:00Z",
                                     "timelineMemory": {"trip": {"distanceFromOriginKms": 5}}})
    data["userLocationProfile"]["frequentPlaces"].append(
        {"placeId": "ChIJw", "placeLocation": {"latLng": "39.7500000°, -105.0000000°"}, "label": "WORK"})
    recs = _parse(tmp_path, "Timeline.json", _b(data))
    assert not _issues(recs)
    got = [(p.provenance.locator, p.kind, p.time, p.end_time, p.lat, p.lon, p.accuracy_m, p.label, p.source)
           for p in _places(recs)]
    assert sorted(got, key=lambda g: g[0]) == sorted([
        ("/semanticSegments/0/visit/topCandidate", "visit", datetime(2024, 6, 22, 1, 51, 13, 14000, tzinfo=UTC),
         t(2024, 6, 22, 13, 30), 39.7392358, -104.990251, None, "HOME", "visit"),
        ("/semanticSegments/1/timelinePath/0", "unknown", t(2024, 6, 22, 13, 40), None, 39.74, -104.98, None, None,
         "timelinePath"),
        ("/semanticSegments/2/activity/start", "unknown", t(2024, 6, 22, 6), None, 48.8566, 2.3522, None, None,
         "activity"),
        ("/semanticSegments/2/activity/end", "unknown", t(2024, 6, 22, 6, 30), None, 48.88, 2.37, None, None,
         "activity"),
        ("/semanticSegments/2/activity/parking", "unknown", t(2024, 6, 22, 6, 31), None, 48.8801, 2.3701, None,
         None, "parking"),
        ("/rawSignals/0/position", "gps", t(2024, 6, 22, 13, 29), None, 39.7392, -104.9903, 5.0, None, "GPS"),
        ("/userLocationProfile/frequentPlaces/0", "profile", None, None, 39.7392358, -104.990251, None, "HOME",
         "frequentPlaces"),
        ("/userLocationProfile/frequentPlaces/1", "profile", None, None, 39.75, -105.0, None, "WORK",
         "frequentPlaces"),
    ], key=lambda g: g[0])


def test_android_corrupt_entries_and_truncation(tmp_path: Path) -> None:
    data = {
        "semanticSegments": [
            {"startTime": "2024-06-21T19:51:13.014-06:00", "endTime": "2024-06-21T20:00:00.000-06:00",
             "visit": {"topCandidate": {"placeLocation": {"latLng": "91.0°, 0.0°"}}}},
            {"startTime": "2024-06-21T19:51:13.014", "endTime": "2024-06-21T20:00:00.000-06:00", "visit": {}},
            {"startTime": "2024-06-21T20:00:00Z", "endTime": "2024-06-21T21:00:00Z",
             "timelinePath": [{"point": "1.0°, 2.0°", "time": "2024-06-21T20:10:00Z"}, {"point": 5, "time": "x"}]},
            "nonsense",
        ],
        "rawSignals": [{"position": {"LatLng": "geo:1,2", "timestamp": "2024-06-21T20:10:00Z"}},
                       {"position": {"LatLng": "1.5°, 2.5°", "accuracyMeters": "far",
                                     "timestamp": "2024-06-21T20:11:00Z"}}],
        "userLocationProfile": {"frequentPlaces": [{"label": "HOME"}]},
    }
    raw = _b(data)
    recs = _parse(tmp_path / "a", "Timeline.json", raw)
    assert [p.provenance.locator for p in _places(recs)] == ["/semanticSegments/2/timelinePath/0"]
    assert sorted(i.locator for i in _issues(recs)) == sorted([
        "/semanticSegments/0/visit", "/semanticSegments/1", "/semanticSegments/2/timelinePath/1",
        "/semanticSegments/3", "/rawSignals/0/position", "/rawSignals/1/position",
        "/userLocationProfile/frequentPlaces/0"])
    good = _b(samples._ANDROID)
    cut = _parse(tmp_path / "b", "Timeline.json", good[: good.index(b"rawSignals") + 30])
    assert {p.provenance.locator for p in _places(cut)} == {"/semanticSegments/0/visit/topCandidate",
                                                            "/semanticSegments/1/timelinePath/0"}
    (issue,) = _issues(cut)
    assert issue.locator == WHOLE_FILE and "breaks off" in issue.message


def test_stream_arrays_reads_every_array_in_order(tmp_path: Path) -> None:
    data = _b({"semanticSegments": [{"n": i} for i in range(50)], "rawSignals": [{"r": i} for i in range(30)],
               "userLocationProfile": {"frequentPlaces": [{"f": 1}], "persona": {}}})
    arch = open_archive(make_export(tmp_path, "x", {"Timeline.json": data}))
    (info,) = arch.members()
    member = Member(archive=arch, info=info)
    prefixes = ("semanticSegments.item", "rawSignals.item", "userLocationProfile.frequentPlaces.item")
    got = list(stream_arrays(member, prefixes))
    assert [(p, i) for p, i, _ in got if p == prefixes[0]] == [(prefixes[0], i) for i in range(50)]
    assert [item["r"] for p, _, item in got if p == prefixes[1]] == list(range(30))
    assert [item for p, _, item in got if p == prefixes[2]] == [{"f": 1}]


# ---------------------------------------------------------------- on-device iOS (location-history.json)

def test_ios_exact_records(tmp_path: Path) -> None:
    recs = _parse(tmp_path, "location-history.json", _b(samples._IOS))
    assert not _issues(recs)
    assert [(p.provenance.locator, p.kind, p.time, p.end_time, p.lat, p.lon, p.label, p.source)
            for p in _places(recs)] == [
        ("/0/visit/topCandidate", "visit", t(2024, 1, 10, 13), t(2024, 1, 10, 22), 40.712776, -74.005974, "WORK",
         "visit"),
        ("/1/activity/start", "unknown", t(2024, 1, 10, 22), None, 40.712776, -74.005974, None, "activity"),
        ("/1/activity/end", "unknown", t(2024, 1, 10, 22, 40), None, 40.650002, -73.949997, None, "activity"),
        # durationMinutesOffsetFromStartTime "12" (a string) after a 17:00 -05:00 start.
        ("/2/timelinePath/0", "unknown", t(2024, 1, 10, 22, 12), None, 40.7, -73.99, None, "timelinePath"),
    ]


def test_ios_corrupt_entries_and_truncation(tmp_path: Path) -> None:
    data = [
        {"startTime": "2024-01-10T08:00:00.000-05:00", "endTime": "2024-01-10T09:00:00.000-05:00",
         "visit": {"topCandidate": {"placeLocation": "40.7,-74.0", "semanticType": "Home"}}},
        {"startTime": "2024-01-10T08:00:00.000-05:00", "endTime": "2024-01-10T09:00:00.000-05:00",
         "timelinePath": [{"point": "geo:40.7,-74.0"},
                          {"point": "geo:40.7,-74.0", "durationMinutesOffsetFromStartTime": "soon"},
                          {"point": "geo:40.8,-74.1", "durationMinutesOffsetFromStartTime": "5"}]},
        {"endTime": "2024-01-10T09:00:00.000-05:00", "visit": {}},
        {"startTime": "2024-01-10T08:00:00.000-05:00", "endTime": "2024-01-10T09:00:00.000-05:00"},
        None,
    ]
    raw = _b(data)
    recs = _parse(tmp_path / "a", "location-history.json", raw)
    assert [(p.provenance.locator, p.time) for p in _places(recs)] == [("/1/timelinePath/2", t(2024, 1, 10, 13, 5))]
    assert [i.locator for i in _issues(recs)] == ["/0/visit", "/1/timelinePath/0", "/1/timelinePath/1", "/2", "/3",
                                                  "/4"]
    good = _b(samples._IOS)
    cut = _parse(tmp_path / "b", "location-history.json", good[: good.index(b"timelinePath")])
    assert len(_places(cut)) == 3 and _issues(cut)[-1].locator == WHOLE_FILE


# ---------------------------------------------------------------- shared value forms

def test_coordinate_and_label_forms() -> None:
    assert degrees("40.7127760°, -74.0059740°") == (40.712776, -74.005974)
    assert degrees(" -33.5°,151.25° ") == (-33.5, 151.25)
    assert geo_uri("geo:30.123456,-105.987654") == (30.123456, -105.987654)
    for bad in ("40.7, ", "abc", "geo:1,2", 5, None):
        with pytest.raises(ValueError):
            degrees(bad)
    with pytest.raises(ValueError):
        geo_uri("geo:100,0")
    assert [semantic_label(x) for x in ("TYPE_HOME", "HOME", "Home", "Inferred Home", "INFERRED_WORK",
                                        "UNKNOWN", "", None)] == [
        "HOME", "HOME", "HOME", "INFERRED_HOME", "INFERRED_WORK", None, None, None]


# ---------------------------------------------------------------- end to end

def test_audit_of_all_layouts_stores_places_devices_and_google_labels(tmp_path: Path) -> None:
    from reflet.audit import run_audit
    from reflet.store import Store

    files = {f"exports/{path}": data for name in MINE for path, data in samples.SAMPLES[name][:1]}
    root = make_export(tmp_path, "in", files, "zip")
    res = run_audit([root], tmp_path / "out", write_report=False)
    assert res.members["parsed"] == len(MINE) and not res.issues_by_file
    store = Store(res.store_path)
    try:
        labels = store.query("SELECT label, member, locator FROM place WHERE label IS NOT NULL "
                             "ORDER BY member, locator")
        ids = store.query("SELECT identifiers FROM device")
        devices = {row[0] for row in store.query("SELECT DISTINCT device FROM place WHERE device IS NOT NULL")}
    finally:
        store.close()
    assert ("HOME", "exports/Timeline.json", "/userLocationProfile/frequentPlaces/0") in labels
    assert ("WORK", "exports/location-history.json", "/0/visit/topCandidate") in labels
    assert {row[0] for row in labels} >= {"HOME", "WORK", "FREQUENT_PLACE #1 score 5"}
    # The device tag on points is the one Settings.json names: the trail can be tied to "Pixel 4a".
    (tag,) = [v for (idents,) in ids for k, v in json.loads(idents) if k == "google_device_tag"]
    assert tag == "1978796627" and tag in devices
