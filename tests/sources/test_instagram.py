"""Instagram export: detection, exact records for every layout variant, corrupt files (formats.md §2)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from reflet import sources
from reflet.archive import open_archive
from reflet.records import AdSignal, Connection, Device, Identity, Login, Media, Place, Post
from tests.builders import make_export
from tests.samples import facebook as F
from tests.samples import instagram as S
from tests.sources._metahelp import P, parse_archive, parse_one

IG = "instagram"
AD = frozenset({"records", "adtech"})
PUB = frozenset({"records", "public"})


def t(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def test_instagram_samples_detected_by_their_handler_only() -> None:
    for name, items in S.SAMPLES.items():
        for path, _ in items:
            claimed = [h.name for h in sources.handlers() if h.matches_path(path)]
            assert claimed == [name], (path, claimed)
    # and no Instagram handler claims a Facebook file
    for items in F.SAMPLES.values():
        for path, _ in items:
            assert not [h.name for h in sources.handlers() if h.platform == IG and h.matches_path(path)], path


def test_login_activity_map_shape_exact(tmp_path) -> None:
    path = f"{S.LPC}/login_activity.json"
    recs, issues = parse_one(tmp_path, path, F.dump(S.LOGIN_MAP), "instagram.login_activity")
    assert issues == []
    assert recs == [Login(provenance=P("/account_history_login_history/0"), platform=IG, time=t(1714380000),
                          ip="203.0.113.7", user_agent=S.UA_IG, device="cookie:cookieAAA", action="login",
                          detail="port 51234; language en")]


def test_login_activity_older_value_time_german_labels(tmp_path) -> None:
    path = "security_and_login_information/login_and_account_creation/login_activity.json"
    recs, _ = parse_one(tmp_path, path, F.dump(S.LOGIN_MAP_DE), "instagram.login_activity")
    assert recs == [Login(provenance=P("/account_history_login_history/0"), platform=IG,
                          time=datetime(2023, 1, 2, 3, 4, 5, tzinfo=UTC), ip="198.51.100.7", user_agent=S.UA_WEB,
                          action="login", detail="port 443")]


def test_login_activity_label_values_shape_dutch(tmp_path) -> None:
    recs, _ = parse_one(tmp_path, "login_and_account_creation/login_activity.json", F.dump(S.LOGIN_LABEL),
                        "instagram.login_activity")
    assert recs == [Login(provenance=P("/0"), platform=IG, time=t(1714480000), ip="2001:db8::7",
                          user_agent=S.UA_WEB, action="login", detail="port 40000")]


def test_logout_profile_activity_signup(tmp_path) -> None:
    recs, _ = parse_one(tmp_path / "o", f"{S.LPC}/logout_activity.json", F.dump(S.LOGOUT_MAP))
    assert [(r.action, r.ip, r.time) for r in recs] == [("logout", "203.0.113.7", t(1714381200))]
    recs, _ = parse_one(tmp_path / "p", f"{S.LPC}/profile_activity.json", F.dump(S.PROFILE_ACTIVITY))
    assert recs == [Login(provenance=P("/0"), platform=IG, time=t(1714490000), ip="203.0.113.7", user_agent=S.UA_IG,
                          device="android-abc123", action="session", detail="Instagram; port 1234; language de")]
    recs, _ = parse_one(tmp_path / "s", f"{S.LPC}/signup_details.json", F.dump(S.SIGNUP), "instagram.signup")
    loc = "/account_history_registration_info/0"
    assert recs == [
        Login(provenance=P(loc), platform=IG, time=t(1500000000), ip="192.0.2.1", action="account_created",
              device="samsung SM-G991B", detail="account created"),
        Identity(provenance=P(loc), platform=IG, channels=PUB, kind="username", value="zoe.m", time=t(1500000000)),
        Identity(provenance=P(loc), platform=IG, kind="email", value="zoe@example.org", time=t(1500000000)),
    ]


def test_password_and_privacy_changes(tmp_path) -> None:
    recs, _ = parse_one(tmp_path / "a", f"{S.LPC}/password_change_activity.json", F.dump(S.PASSWORD))
    assert [(r.action, r.time) for r in recs] == [("password_change", t(1600000000))]
    recs, _ = parse_one(tmp_path / "b", f"{S.LPC}/profile_privacy_changes.json", F.dump(S.PRIVACY))
    assert [(r.action, r.time, r.detail) for r in recs] == [
        ("other", t(1600000001), "account privacy or status change (Privacy: Private)")]


def test_last_known_location_precise_and_imprecise(tmp_path) -> None:
    recs, _ = parse_one(tmp_path, f"{S.LPC}/last_known_location.json", F.dump(S.LAST_LOCATION),
                        "instagram.last_known_location")
    loc = "/account_history_imprecise_last_known_location/0"
    assert recs == [
        Place(provenance=P(loc), platform=IG, time=t(1714380000), lat=52.370216, lon=4.895168, kind="gps",
              source="precise last known location"),
        Place(provenance=P(loc), platform=IG, time=t(1714380000), lat=52.37, lon=4.89, kind="unknown",
              source="imprecise last known location"),
    ]


def test_based_in_locations_of_interest_phones_devices(tmp_path) -> None:
    got = []
    for key in ("instagram.based_in", "instagram.locations_of_interest", "instagram.possible_phones"):
        for i, (path, data) in enumerate(S.SAMPLES[key]):
            recs, _ = parse_one(tmp_path / key / str(i), path, data, key)
            got += [(r.kind, r.value, r.role, r.channels) for r in recs]
    rec = frozenset({"records"})
    assert got == [("place", "Zürich, Switzerland", "inferred", AD)] * 2 + [
        ("place", "Amsterdam", "inferred", AD), ("place", "Genève", "inferred", AD),
        ("phone", "+31600000000", "inferred", rec)]
    recs, _ = parse_one(tmp_path / "d", *S.SAMPLES["instagram.devices"][0])
    assert recs == [Device(provenance=P("/devices_devices/0"), platform=IG, kind="phone", name=S.UA_IG,
                           last_seen=t(1714380000))]


def test_personal_information_all_generations_and_changes(tmp_path) -> None:
    for i, (path, data) in enumerate(S.SAMPLES["instagram.personal_information"]):
        recs, _ = parse_one(tmp_path / str(i), path, data, "instagram.personal_information")
        assert [(r.kind, r.value, r.channels) for r in recs] == [
            ("username", "zoe.m", PUB), ("name", "Zoë 🙂", PUB), ("email", "zoe@example.org", frozenset({"records"})),
            ("phone", "+41790000000", frozenset({"records"}))]
    recs, _ = parse_one(tmp_path / "c", *S.SAMPLES["instagram.profile_changes"][0])
    assert [(r.kind, r.value, r.role, r.time) for r in recs] == [
        ("username", "zoe.old", "former", t(1600000000)), ("username", "zoe.m", "primary", t(1600000000))]


def test_posts_and_stories_geotags(tmp_path) -> None:
    recs, issues = parse_one(tmp_path / "p", "your_instagram_activity/media/posts_1.json", F.dump(S.POSTS),
                             "instagram.posts")
    assert issues == []
    geo = Place(provenance=P("/0/media/0"), platform=IG, time=t(1714380000), lat=52.37, lon=4.89, kind="geotag",
                source="exif")
    assert recs == [
        geo,
        Media(provenance=P("/0/media/0"), platform=IG, path="media/posts/202404/17999999999.jpg", lat=52.37, lon=4.89),
        Identity(provenance=P("/0/media/0"), platform=IG, kind="device_id", value="android-abc123"),
        Post(provenance=P("/0"), platform=IG, time=t(1714380000), text="Sunset 🌅 à la plage", visibility="unknown",
             place=geo.key, media=("media/posts/202404/17999999999.jpg",)),
        Media(provenance=P("/1/media/0"), platform=IG, path="media/posts/202404/18000000000.jpg"),
        Post(provenance=P("/1"), platform=IG, time=t(1714390000), text="two photos", visibility="unknown",
             media=("media/posts/202404/18000000000.jpg",)),
    ]
    recs, _ = parse_one(tmp_path / "s", "your_instagram_activity/media/stories.json", F.dump(S.STORIES))
    assert [(type(r).__name__, r.provenance.locator) for r in recs] == [
        ("Place", "/ig_stories/0"), ("Media", "/ig_stories/0"), ("Post", "/ig_stories/0")]
    assert (recs[0].lat, recs[0].lon, recs[0].kind) == (48.8566, 2.3522, "geotag")


def test_adtech_both_generations(tmp_path) -> None:
    got = []
    for key in ("instagram.advertisers", "instagram.other_categories", "instagram.topics", "instagram.off_meta"):
        for i, (path, data) in enumerate(S.SAMPLES[key]):
            recs, issues = parse_one(tmp_path / key / str(i), path, data, key)
            assert issues == []
            assert all(isinstance(r, AdSignal) and r.channels == AD and r.platform == IG for r in recs)
            got += [(r.kind, r.name, r.time) for r in recs]
    assert got == [
        ("advertiser_has_your_data", "Boulangerie Été", None),
        ("advertiser_has_your_data", "Acme Shoes", None),
        ("inferred_category", "Frequent travellers", None),
        ("interest", "Hiking", None),
        ("interest", "Cafés", None),
        ("off_platform_activity", "shop.example", t(1714380000)),
        ("off_platform_activity", "example.com", t(1714380000)),
        ("off_platform_activity", "example.com", t(1714390000)),
    ]


def test_follower_counts_both_shapes_no_names(tmp_path) -> None:
    got = []
    for key in ("instagram.followers", "instagram.following"):
        for i, (path, data) in enumerate(S.SAMPLES[key]):
            recs, _ = parse_one(tmp_path / key / str(i), path, data, key)
            assert all(isinstance(r, Connection) and r.names == () for r in recs)
            got += [(r.kind, r.count) for r in recs]
    assert got == [("follower", 2), ("follower", 1), ("following", 3)]


def test_html_export_one_warning(tmp_path) -> None:
    files = {"personal_information/personal_information/personal_information.html": "<html></html>",
             "security_and_login_information/login_and_profile_creation/login_activity.html": "<html></html>",
             "your_instagram_activity/media/posts_1.html": "<html></html>"}
    with open_archive(make_export(tmp_path, "instagram-zoe.m-2024-05-01-x", files, "zip")) as arch:
        recs, issues, _ = parse_archive(arch)
    assert recs == [] and len(issues) == 1
    assert issues[0].level == "warning" and "Instagram" in issues[0].message and '"JSON"' in issues[0].message


def test_corrupt_login_file_keeps_good_entries(tmp_path) -> None:
    good = S.LOGIN_MAP["account_history_login_history"][0]
    data = {"account_history_login_history": [
        good,
        {"title": "", "string_map_data": {"IP Address": {"value": "999.1.1.1"}, "Time": {"timestamp": 1714380000}}},
        {"title": "", "string_map_data": {"IP Address": {"value": "192.0.2.9"}, "Time": {"value": "not a time"}}},
        [1, 2],
        {"title": "", "string_map_data": "wrong type"},
    ]}
    raw = json.dumps(data).encode()
    recs, issues = parse_one(tmp_path / "a", f"{S.LPC}/login_activity.json", raw)
    assert [r.ip for r in recs] == ["203.0.113.7"]
    assert [i.locator for i in issues] == [f"/account_history_login_history/{n}" for n in (1, 2, 3, 4)]
    # truncated in the middle of the second entry: the first survives, one whole-file issue
    cut = raw[: raw.index(b"999.1")]
    recs, issues = parse_one(tmp_path / "b", f"{S.LPC}/login_activity.json", cut)
    assert [r.ip for r in recs] == ["203.0.113.7"]
    assert [i.locator for i in issues] == [sources.WHOLE_FILE]


def test_last_known_location_bad_coordinates(tmp_path) -> None:
    data = {"account_history_imprecise_last_known_location": [
        {"string_map_data": {"Precise Latitude": {"value": "95.0"}, "Precise Longitude": {"value": "4.8"}}},
        {"string_map_data": {"Precise Latitude": {"value": "north"}, "Precise Longitude": {"value": "4.8"}}},
        {"string_map_data": {}},
        {"string_map_data": {"Precise Latitude": {"value": "52.1"}, "Precise Longitude": {"value": "4.8"}}},
    ]}
    recs, issues = parse_one(tmp_path, f"{S.LPC}/last_known_location.json", json.dumps(data))
    assert [(r.lat, r.lon) for r in recs] == [(52.1, 4.8)]
    assert len(issues) == 3


@pytest.mark.parametrize("key", sorted(S.SAMPLES))
def test_every_sample_survives_truncation(tmp_path, key: str) -> None:
    for i, (path, data) in enumerate(S.SAMPLES[key]):
        for cut in (len(data) // 3, len(data) * 2 // 3):
            parse_one(tmp_path / f"{i}-{cut}", path, data[:cut])  # must not raise


def test_login_time_as_epoch_string_and_korean_labels(tmp_path) -> None:
    data = {"account_history_login_history": [
        {"title": "", "string_map_data": {"IP 주소": {"value": "203.0.113.70"}, "시간": {"value": "1672628645"},
                                          "사용자 에이전트": {"value": S.UA_WEB}, "Device ID": {"value": "ios-1"}}}]}
    recs, issues = parse_one(tmp_path, f"{S.LPC}/login_activity.json", F.dump(data))
    assert issues == []
    assert recs == [Login(provenance=P("/account_history_login_history/0"), platform=IG, time=t(1672628645),
                          ip="203.0.113.70", user_agent=S.UA_WEB, device="ios-1", action="login")]


def test_archived_posts_geotag(tmp_path) -> None:
    recs, _ = parse_one(tmp_path, "your_instagram_activity/media/archived_posts.json", F.dump(S.ARCHIVED),
                        "instagram.posts")
    geo = Place(provenance=P("/ig_archived_post_media/0/media/0"), platform=IG, time=t(1673000000), lat=41.9,
                lon=12.5, kind="geotag", source="exif")
    assert recs == [
        geo,
        Media(provenance=P("/ig_archived_post_media/0/media/0"), platform=IG, path="media/archived_posts/202301/5.jpg",
              lat=41.9, lon=12.5),
        Post(provenance=P("/ig_archived_post_media/0"), platform=IG, time=t(1673000000), text="old",
             visibility="unknown", place=geo.key, media=("media/archived_posts/202301/5.jpg",)),
    ]


@pytest.mark.parametrize(("private", "feed"), [("False", "public"), ("True", "unknown"), (None, "unknown")])
def test_feed_posts_of_a_public_account_are_public(tmp_path, private: str | None, feed: str) -> None:
    # Instagram keeps no audience per post, only "Private Account" in the profile, another file.
    profile = json.loads(json.dumps(S.PERSONAL))
    smd = profile["profile_user"][0]["string_map_data"]
    if private is None:
        del smd["Private Account"]
    else:
        smd["Private Account"]["value"] = private
    root = make_export(tmp_path, "instagram-zoe.m-2024-06-01", {
        "personal_information/personal_information/personal_information.json": F.dump(profile),
        "your_instagram_activity/media/posts_1.json": F.dump(S.POSTS),
        "your_instagram_activity/media/stories.json": F.dump(S.STORIES),
        "your_instagram_activity/media/archived_posts.json": F.dump(S.ARCHIVED)}, container="zip")
    with open_archive(root) as arch:
        recs, issues, _ = parse_archive(arch)
    assert issues == []
    posts = {(p.provenance.member.rsplit("/", 1)[1], p.visibility, p.channels) for p in recs if isinstance(p, Post)}
    chan = PUB if feed == "public" else frozenset({"records"})
    assert posts == {("posts_1.json", feed, chan), ("stories.json", "unknown", frozenset({"records"})),
                     ("archived_posts.json", "unknown", frozenset({"records"}))}
    # The photos' own GPS (kept by Instagram, stripped from what others see) never becomes public.
    assert all(r.channels == frozenset({"records"}) for r in recs if isinstance(r, Place))
