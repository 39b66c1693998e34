"""Facebook export: detection, exact records for every layout variant, corrupt files (formats.md §1)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from reflet import sources
from reflet.archive import open_archive, open_inputs
from reflet.records import AdSignal, Connection, Device, Identity, Login, Media, Place, Post
from reflet.sources._meta import canon, repair
from tests.builders import make_export
from tests.samples import all_samples
from tests.samples import facebook as S
from tests.sources._metahelp import P, bare, parse_archive, parse_one

FB = "facebook"
REC = frozenset({"records"})
AD = frozenset({"records", "adtech"})
PUB = frozenset({"records", "public"})


def t(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


# ---------------------------------------------------------------------------------------------
# Shared Meta helpers


def test_mojibake_repaired_everywhere_and_idempotent() -> None:
    raw = {S.moji("Zoë"): [S.moji("Müller 🙂"), {"k": S.moji("São Paulo")}], "plain": "ascii only"}
    fixed = repair(raw)
    assert fixed == {"Zoë": ["Müller 🙂", {"k": "São Paulo"}], "plain": "ascii only"}
    # Already-correct text (and ASCII) is left alone: repairing twice changes nothing.
    assert repair(fixed) == fixed
    assert repair("café") == "café"


@pytest.mark.parametrize("label", ["IP address", "IP Address", "IP-Adresse", "IP-adres", "Adresse IP",
                                   "Dirección IP", " ip address: "])
def test_ip_labels_in_five_languages(label: str) -> None:
    assert canon(label) == "ip"


@pytest.mark.parametrize("label", ["Time", "Zeit", "Tijd", "Heure", "Hora"])
def test_time_labels_in_five_languages(label: str) -> None:
    assert canon(label) == "time"


# ---------------------------------------------------------------------------------------------
# Detection


def test_every_meta_sample_is_claimed_by_its_handler_only() -> None:
    samples = all_samples()
    names = {h.name for h in sources.handlers()}
    for name, items in samples.items():
        for path, _ in items:
            claimed = [h.name for h in sources.handlers() if h.matches_path(path)]
            if name.startswith(("facebook.", "instagram.")):
                assert claimed == [name], (path, claimed)
            else:  # other platforms' files are never claimed by a Meta handler
                assert not [c for c in claimed if c.startswith(("facebook.", "instagram."))], (path, claimed)
    meta = {n for n in names if n.startswith(("facebook.", "instagram."))}
    assert meta <= set(samples), f"handlers without samples: {sorted(meta - set(samples))}"


def test_detects_under_a_top_folder_and_ignores_lookalikes() -> None:
    h = {x.name: x for x in sources.handlers()}
    assert h["facebook.account_activity"].matches_path(
        "facebook-jane-2024-05-01-AbCd/security_and_login_information/account_activity.json")
    assert not h["facebook.account_activity"].matches_path("security_and_login_information/account_activity.html")
    assert not h["facebook.advertisers"].matches_path(
        "ads_information/instagram_ads_and_businesses/advertisers_using_your_activity_or_information.json")
    assert not h["facebook.following"].matches_path("connections/followers_and_following/following.json")


# ---------------------------------------------------------------------------------------------
# Exact records


def test_account_activity_exact(tmp_path) -> None:
    recs, issues = parse_one(tmp_path, f"{S.SEC}/account_activity.json", S.dump(S.ACCOUNT_ACTIVITY),
                             "facebook.account_activity")
    assert issues == []
    assert recs == [
        Login(provenance=P("/account_activity_v2/0"), platform=FB, time=t(1714380000), ip="203.0.113.7",
              user_agent=S.UA_IPHONE, device="datr:aB3dEfGhIjKlMnOpQrStUvWx", action="login",
              city="Zürich", region="Zurich", country="CH", detail="Login; www.facebook.com"),
        Login(provenance=P("/account_activity_v2/1"), platform=FB, time=t(1714466400), ip="2001:db8::1",
              user_agent=S.UA_WIN, device="datr:aB3dEfGhIjKlMnOpQrStUvWx", action="session",
              city="Springfield", region="Illinois", country="US", detail="Session updated; www.facebook.com"),
    ]


def test_account_activity_2019_key(tmp_path) -> None:
    recs, _ = parse_one(tmp_path, f"{S.SEC}/account_activity.json", S.dump(S.ACCOUNT_ACTIVITY_2019))
    assert [(r.provenance.locator, r.ip, r.time) for r in recs] == [("/account_activity/0", "198.51.100.4",
                                                                     t(1546300800))]


def test_logins_and_logouts_localised_actions(tmp_path) -> None:
    recs, _ = parse_one(tmp_path, f"{S.SEC}/logins_and_logouts.json", S.dump(S.LOGINS), "facebook.logins_and_logouts")
    assert [(r.action, r.ip, r.time) for r in recs] == [
        ("login", "203.0.113.7", t(1714380000)), ("logout", "203.0.113.7", t(1714383600)),
        ("login", "198.51.100.9", t(1714390000))]


def test_ip_activity_both_generations(tmp_path) -> None:
    recs, _ = parse_one(tmp_path / "a", f"{S.SEC}/ip_address_activity.json", S.dump(S.IP_ACTIVITY))
    assert recs == [Login(provenance=P("/used_ip_address_v2/0"), platform=FB, time=t(1714380000), ip="203.0.113.7",
                          user_agent=S.UA_IPHONE, action="login", detail="Login")]
    recs, _ = parse_one(tmp_path / "b", f"{S.SEC}/used_ip_addresses.json", S.dump(S.IP_ACTIVITY_2019))
    assert [(r.ip, r.time, r.action) for r in recs] == [("192.0.2.55", None, "other")]


@pytest.mark.parametrize("name", ["where_you're_logged_in.json", "where_you_re_logged_in.json"])
def test_sessions_both_file_spellings(tmp_path, name: str) -> None:
    recs, _ = parse_one(tmp_path, f"{S.SEC}/{name}", S.dump(S.SESSIONS), "facebook.sessions")
    assert recs == [
        Login(provenance=P("/active_sessions_v2/0"), platform=FB, time=t(1714300000), ip="198.51.100.20",
              user_agent=S.UA_IPHONE, device="iPhone", action="session", city="Springfield", region="IL",
              country="United States",
              detail="Facebook for iPhone; mobile; active until 2024-04-29T08:40:00+00:00; "
                     "location: Springfield, IL, United States"),
        Device(provenance=P("/active_sessions_v2/0"), platform=FB, kind="phone", name="iPhone",
               first_seen=t(1714300000), last_seen=t(1714380000)),
    ]


def test_security_files_exact(tmp_path) -> None:
    recs, _ = parse_one(tmp_path / "lp", f"{S.SEC}/login_protection_data.json", S.dump(S.LOGIN_PROTECTION))
    assert recs == [Login(provenance=P("/login_protection_data_v2/0"), platform=FB, time=t(1714300000),
                          ip="203.0.113.7", action="other", detail="login protection data: IP address: 203.0.113.7")]
    recs, _ = parse_one(tmp_path / "ad", f"{S.SEC}/record_details.json", S.dump(S.ADMIN))
    assert [(r.action, r.ip, r.time) for r in recs] == [("password_change", "203.0.113.7", t(1714000000)),
                                                        ("recovery_change", "203.0.113.8", t(1714100000))]
    recs, _ = parse_one(tmp_path / "st", f"{S.SEC}/account_status_changes.json", S.dump(S.STATUS))
    assert [(r.action, r.time) for r in recs] == [("account_created", t(1300000000)), ("other", t(1700000000))]
    recs, _ = parse_one(tmp_path / "ve", f"{S.SEC}/email_address_verifications.json", S.dump(S.VERIFICATIONS))
    assert recs[0] == Identity(provenance=P("/contact_verifications_v2/0"), platform=FB, kind="email",
                               value="jane@example.org", role="primary", time=t(1600000000))
    recs, _ = parse_one(tmp_path / "au", f"{S.SEC}/authorized_logins.json", S.dump(S.AUTHORIZED))
    assert [(r.action, r.ip, r.device) for r in recs] == [("session", "198.51.100.4", "Firefox on Windows")]


def test_mobile_devices_with_advertising_id(tmp_path) -> None:
    recs, _ = parse_one(tmp_path, f"{S.SEC}/mobile_devices.json", S.dump(S.DEVICES), "facebook.devices")
    ad_id = "6D92078A-8246-4BA4-AE5B-76104861E7DC"
    assert recs == [
        Device(provenance=P("/devices_v2/0"), platform=FB, kind="phone", model="iPhone14,5", os="iOS 17.4",
               identifiers=(("advertising_id", ad_id), ("udid", "00008110-000A1B2C3D4E5F6"), ("device_id", "dev-1")),
               first_seen=t(1700000000), last_seen=t(1714380000)),
        Identity(provenance=P("/devices_v2/0/advertiser_id"), platform=FB, channels=AD, kind="ad_id", value=ad_id),
    ]


def test_profile_2024_identities_with_mojibake(tmp_path) -> None:
    recs, issues = parse_one(tmp_path, "personal_information/profile_information/profile_information.json",
                             S.dump(S.PROFILE_2024), "facebook.profile")
    assert issues == []
    base = "/profile_v2"
    assert recs == [
        Identity(provenance=P(f"{base}/name/full_name"), platform=FB, channels=PUB, kind="name",
                 value="Zoë Müller 🙂"),
        Identity(provenance=P(f"{base}/username"), platform=FB, channels=PUB, kind="username", value="zoe.mueller.1"),
        Identity(provenance=P(f"{base}/emails/emails/0"), platform=FB, kind="email", value="zoe@example.org"),
        Identity(provenance=P(f"{base}/emails/previous_emails/0"), platform=FB, kind="email", value="old@example.org",
                 role="former"),
        Identity(provenance=P(f"{base}/emails/ad_account_emails/0"), platform=FB, channels=AD, kind="email",
                 value="ads@example.org"),
        Identity(provenance=P(f"{base}/phone_numbers/0"), platform=FB, kind="phone", value="+41790000000"),
        Identity(provenance=P(f"{base}/previous_names/0"), platform=FB, kind="name", value="Zoe Meier", role="former",
                 time=t(1500000000)),
        Identity(provenance=P(f"{base}/current_city"), platform=FB, kind="place", value="Zürich, Switzerland",
                 time=t(1600000000)),
        Identity(provenance=P(f"{base}/hometown"), platform=FB, kind="place", value="São Paulo, Brazil",
                 role="former", time=t(1400000000)),
        Login(provenance=P(f"{base}/registration_timestamp"), platform=FB, time=t(1300000000),
              action="account_created", detail="account registered"),
    ]


def test_profile_2019_generation(tmp_path) -> None:
    recs, _ = parse_one(tmp_path, "profile_information/profile_information.json", S.dump(S.PROFILE_2019),
                        "facebook.profile")
    assert [(type(r).__name__, r.provenance.locator) for r in recs] == [
        ("Identity", "/profile/name/full_name"), ("Identity", "/profile/emails/emails/0"),
        ("Login", "/profile/registration_timestamp")]


def test_primary_location_public_location_timezone(tmp_path) -> None:
    got = []
    for i, (path, data) in enumerate(S.SAMPLES["facebook.location"]):
        recs, _ = parse_one(tmp_path / str(i), path, data, "facebook.location")
        got += [(r.provenance.locator, r.value, r.role, r.channels) for r in recs]
    assert got == [
        ("/primary_location_v2/city_region_pairs/0", "Utrecht, Utrecht", "inferred", AD),
        ("/primary_location_v2/zipcode/0", "postcode 3511", "inferred", AD),
        ("/primary_public_location_v2", "Utrecht, Utrecht, Netherlands", "primary", PUB),
        ("/timezone_v2", "Europe/Amsterdam", "inferred", REC),
    ]


def test_posts_place_media_exif_upload_ip(tmp_path) -> None:
    path = "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"
    recs, issues = parse_one(tmp_path, path, S.dump(S.POSTS), "facebook.posts")
    assert issues == []
    uri = "your_facebook_activity/posts/media/Mobileuploads_1/456.jpg"
    mptr = "/0/attachments/1/data/0/media"
    checkin = Place(provenance=P("/0/attachments/0/data/0/place"), platform=FB, time=t(1714380000), lat=40.7128,
                    lon=-74.006, kind="checkin", name="Cafe Example")
    assert recs == [
        Place(provenance=P(mptr), platform=FB, time=t(1714370000), lat=40.713, lon=-74.0, kind="geotag",
              source="exif"),
        Media(provenance=P(mptr), platform=FB, path=uri, taken_at=t(1714370000), lat=40.713, lon=-74.0,
              camera_make="Apple", camera_model="iPhone 14"),
        Login(provenance=P(mptr), platform=FB, time=t(1714380000), ip="203.0.113.7", action="upload",
              detail=f"uploaded {uri}"),
        checkin,
        Post(provenance=P("/0"), platform=FB, time=t(1714380000), text="Café time ☕", visibility="unknown",
             place=checkin.key, media=(uri,)),
        Post(provenance=P("/1"), platform=FB, time=t(1714470000), text="plain ascii post", visibility="unknown"),
    ]


def test_checkins_array_and_single_object(tmp_path) -> None:
    path = "your_facebook_activity/posts/check-ins.json"
    recs, _ = parse_one(tmp_path / "a", path, S.dump(S.CHECKINS_ARRAY), "facebook.checkins")
    place = Place(provenance=P("/0"), platform=FB, time=t(1714380000), lat=40.7128, lon=-74.006, kind="checkin",
                  name="Cafe Example, 1 Example St, Springfield")
    assert recs == [place, Post(provenance=P("/0"), platform=FB, platform_id="1000000000001", time=t(1714380000),
                                text="Lunch!", visibility="unknown", place=place.key)]
    # One check-in is written as a bare object; labels here are German.
    recs, issues = parse_one(tmp_path / "b", path, S.dump(S.CHECKIN_SINGLE), "facebook.checkins")
    assert issues == []
    assert [(type(r).__name__, r.provenance.locator) for r in recs] == [("Place", "/"), ("Post", "/")]
    assert (recs[0].lat, recs[0].lon, recs[0].name, recs[1].text) == (52.5251, 13.3694, "Hauptbahnhof", "Grüße")


def test_album_sentinel_date_and_video_upload(tmp_path) -> None:
    recs, _ = parse_one(tmp_path / "a", "your_facebook_activity/posts/album/1.json", S.dump(S.ALBUM), "facebook.media")
    media = next(r for r in recs if isinstance(r, Media))
    assert media.taken_at is None  # -62169958800 is "unknown", not year 0
    assert (media.lat, media.lon) == (52.37, 4.89)
    assert [(r.ip, r.time) for r in recs if isinstance(r, Login)] == [("198.51.100.20", t(1714380000))]
    recs, _ = parse_one(tmp_path / "v", "your_facebook_activity/posts/your_videos.json", S.dump(S.VIDEOS))
    assert [(r.action, r.ip, r.time) for r in recs if isinstance(r, Login)] == [
        ("upload", "203.0.113.9", t(1714380100))]


def test_location_history_2019(tmp_path) -> None:
    recs, _ = parse_one(tmp_path, "location_history/your_location_history.json", S.dump(S.LOCATION_HISTORY_2019))
    assert [(r.lat, r.lon, r.time, r.name) for r in recs] == [(48.85, 2.35, t(1546300800), "Somewhere")]


def test_advertisers_all_generations(tmp_path) -> None:
    out = []
    for i, (path, data) in enumerate(S.SAMPLES["facebook.advertisers"]):
        recs, issues = parse_one(tmp_path / str(i), path, data, "facebook.advertisers")
        assert issues == []
        out += [(r.provenance.locator, r.name, r.detail, r.kind, r.channels) for r in recs]
    k, bucket1 = "advertiser_has_your_data", "Advertisers who uploaded a list with your information"
    assert out == [
        ("/custom_audiences_all_types_v2/0", "Acme Shoes", "uploaded or used a list with your data", k, AD),
        ("/label_values/0/vec/0", "Acme Shoes", bucket1, k, AD),
        ("/label_values/0/vec/1", "Crème Brûlée Co", bucket1, k, AD),
        ("/label_values/1/vec/0", "Data Broker Inc", "Advertisers you may have interacted with", k, AD),
        ("/custom_audiences/0", "Acme", None, k, AD),
        ("/custom_audiences/1", "Globex", None, k, AD),
    ]


def test_off_meta_both_shapes(tmp_path) -> None:
    path = "apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json"
    recs, _ = parse_one(tmp_path / "a", path, S.dump(S.OFF_META_2025), "facebook.off_meta")
    assert recs == [
        AdSignal(provenance=P("/off_facebook_activity_v2/0/events/0"), platform=FB, channels=AD,
                 kind="off_platform_activity", name="example.com", time=t(1714380000), detail="PAGE_VIEW"),
        AdSignal(provenance=P("/off_facebook_activity_v2/0/events/1"), platform=FB, channels=AD,
                 kind="off_platform_activity", name="example.com", time=t(1714390000), detail="PURCHASE"),
    ]
    recs, _ = parse_one(tmp_path / "b", path, S.dump(S.OFF_META_2026), "facebook.off_meta")
    assert recs == [AdSignal(provenance=P("/0/label_values/0/vec/0"), platform=FB, channels=AD,
                             kind="off_platform_activity", name="shop.example", time=t(1714380000), detail="PURCHASE")]


def test_other_adtech_files(tmp_path) -> None:
    def names(key: str) -> list[tuple[str, str, str | None]]:
        out = []
        for i, (path, data) in enumerate(S.SAMPLES[key]):
            recs, _ = parse_one(tmp_path / key / str(i), path, data, key)
            out += [(r.kind, r.name, r.detail) for r in recs]
        return out

    assert names("facebook.advertisers_interacted") == [
        ("advertiser_has_your_data", "Acme Shoes", "you interacted with their ad: Clicked ad")] * 2
    assert names("facebook.other_categories") == [("inferred_category", "Frequent international travellers",
                                                   "Categories"), ("inferred_category", "Expats (Brazil)",
                                                                   "Categories")]
    assert names("facebook.ad_interests") == [("interest", "Hiking", None), ("interest", "Café", None)]
    recs, _ = parse_one(tmp_path / "loi", *S.SAMPLES["facebook.locations_of_interest"][0])
    assert [(r.kind, r.value, r.role, r.channels) for r in recs] == [("place", "Utrecht", "inferred", AD),
                                                                      ("place", "Köln", "inferred", AD)]


def test_connections_are_counted_never_named(tmp_path) -> None:
    got = {}
    for key in ("facebook.friends", "facebook.followers", "facebook.following", "facebook.uploaded_contacts"):
        path, data = S.SAMPLES[key][0]
        recs, _ = parse_one(tmp_path / key, path, data, key)
        assert all(isinstance(r, Connection) and r.names == () for r in recs)
        assert "Friend" not in repr(recs) and "Contact" not in repr(recs)
        got[key] = [(r.kind, r.count) for r in recs]
    assert got == {"facebook.friends": [("friend", 3)], "facebook.followers": [("follower", 1)],
                   "facebook.following": [("following", 2)], "facebook.uploaded_contacts": [("contact_uploaded", 2)]}


def test_html_export_gives_one_warning_with_steps(tmp_path) -> None:
    files = {
        "personal_information/profile_information/profile_information.html": "<html><body>x</body></html>",
        "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.html": "<html></html>",
        "security_and_login_information/account_activity.html": "<html></html>",
        "index.html": "<html></html>",
    }
    with open_archive(make_export(tmp_path, "facebook-jane-2024-05-01-AbCd", files, "zip")) as arch:
        recs, issues, _ = parse_archive(arch)
    assert recs == []
    assert len(issues) == 1
    assert issues[0].level == "warning"
    msg = issues[0].message
    assert "HTML" in msg and '"JSON"' in msg and "Download your information" in msg and "All time" in msg


def test_placeholders_are_reported_not_crashed(tmp_path) -> None:
    # A placeholder is recognised (not "unrecognised") and empty (not "failed").
    recs, issues = parse_one(tmp_path / "a", "bug_bounty/no-data.txt", b"", "facebook.no_data")
    assert recs == [] and issues == []
    recs, issues = parse_one(tmp_path / "b", f"{S.SEC}/account_activity.json", b"no-data.txt\n")
    assert recs == [] and issues == []


# ---------------------------------------------------------------------------------------------
# Corrupt files


def test_truncated_file_keeps_the_entries_before_the_break(tmp_path) -> None:
    raw = S.dump(S.ACCOUNT_ACTIVITY)
    cut = raw[: raw.index(b'"2001:db8::1"')]
    recs, issues = parse_one(tmp_path, f"{S.SEC}/account_activity.json", cut)
    assert [(r.provenance.locator, r.ip) for r in recs] == [("/account_activity_v2/0", "203.0.113.7")]
    assert len(issues) == 1 and issues[0].locator == sources.WHOLE_FILE and "breaks off" in issues[0].message


def test_wrong_types_and_missing_keys_name_the_entry(tmp_path) -> None:
    data = {"used_ip_address_v2": [
        {"ip": "203.0.113.7", "timestamp": 1714380000},
        {"ip": 12345, "timestamp": 1714380000},  # wrong type
        {"timestamp": 1714380000},  # missing ip
        {"ip": "not-an-ip", "timestamp": 1714380000},
        {"ip": "198.51.100.1", "timestamp": "yesterday"},
        "a string",
        {"ip": "198.51.100.2", "timestamp": 1714380001},
    ]}
    recs, issues = parse_one(tmp_path, f"{S.SEC}/ip_address_activity.json", json.dumps(data))
    assert [r.ip for r in recs] == ["203.0.113.7", "198.51.100.2"]
    assert [i.locator for i in issues] == [f"/used_ip_address_v2/{n}" for n in (1, 2, 3, 4, 5)]
    assert "'ip'" in issues[1].message


@pytest.mark.parametrize("content", [b"", b"42", b'"text"', b"{not json", b"\xff\xfe\x00garbage"])
def test_unusable_files_give_one_issue(tmp_path, content: bytes) -> None:
    recs, issues = parse_one(tmp_path, f"{S.SEC}/account_activity.json", content)
    assert recs == [] and len(issues) == 1


def test_every_sample_survives_truncation_and_bad_types(tmp_path) -> None:
    for name, items in S.SAMPLES.items():
        for i, (path, data) in enumerate(items):
            for j, bad in enumerate((data[: len(data) // 2], data.replace(b"1714", b"\"x").replace(b'"', b"", 3))):
                parse_one(tmp_path / f"{name}-{i}-{j}", path, bad)  # must not raise


# ---------------------------------------------------------------------------------------------
# Containers


def _fb_files() -> dict[str, bytes]:
    return {
        f"{S.SEC}/account_activity.json": S.dump(S.ACCOUNT_ACTIVITY),
        f"{S.SEC}/where_you're_logged_in.json": S.dump(S.SESSIONS),
        "personal_information/profile_information/profile_information.json": S.dump(S.PROFILE_2024),
        "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json": S.dump(S.POSTS),
        "your_facebook_activity/posts/album/1.json": S.dump(S.ALBUM),
        "ads_information/advertisers_using_your_activity_or_information.json": S.dump(S.ADVERTISERS_2024),
        "apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json": S.dump(S.OFF_META_2026),
        "connections/friends/your_friends.json": S.dump(S.FRIENDS),
    }


def _facts(recs: list) -> list:
    return sorted((repr(bare(r)), r.provenance.member) for r in recs)


def test_folder_zip_and_multipart_zip_give_the_same_records(tmp_path) -> None:
    files = _fb_files()
    results = []
    for container in ("dir", "zip"):
        with open_archive(make_export(tmp_path / container, "facebook-jane-2024-05-01-AbCd", files, container)) as a:
            recs, issues, _ = parse_archive(a)
        assert issues == []
        results.append(_facts(recs))
    # Two parts: the profile in one, media metadata and the rest in the other (formats.md §1.1).
    names = sorted(files)
    p1 = make_export(tmp_path / "mp", "facebook-jane-2024-05-01-AbCd", {k: files[k] for k in names[:4]}, "zip")
    p2 = make_export(tmp_path / "mp", "facebook-jane-2024-05-01-EfGh", {k: files[k] for k in names[4:]}, "zip")
    opened = list(open_inputs([p1, p2]))
    assert len(opened) == 1
    with opened[0] as a:
        recs, issues, _ = parse_archive(a)
    assert issues == []
    results.append(_facts(recs))
    assert results[0] == results[1] == results[2]
    assert len(results[0]) > 20


def test_audit_stores_facebook_records(tmp_path) -> None:
    from reflet.audit import run_audit

    export = make_export(tmp_path, "facebook-jane-2024-05-01-AbCd", _fb_files(), "zip")
    result = run_audit([export], tmp_path / "out", write_report=False)
    from reflet.store import Store

    store = Store(result.store_path)
    try:
        rows = store.query("select kind, value from identity where kind = 'place' order by value")
        assert [tuple(r) for r in rows] == [("place", "São Paulo, Brazil"), ("place", "Zürich, Switzerland")]
        assert store.query("select count(*) from login where action = 'upload'")[0][0] == 2
    finally:
        store.close()


def test_bom_and_unknown_layout(tmp_path) -> None:
    recs, issues = parse_one(tmp_path / "a", f"{S.SEC}/logins_and_logouts.json", b"\xef\xbb\xbf" + S.dump(S.LOGINS))
    assert len(recs) == 3 and issues == []
    # An object with no list inside is a layout reflet does not know: said, not silently empty.
    recs, issues = parse_one(tmp_path / "b", f"{S.SEC}/logins_and_logouts.json", b'{"something_new": "x"}')
    assert recs == [] and len(issues) == 1 and "unknown layout" in issues[0].message
    # An empty list is simply no data.
    recs, issues = parse_one(tmp_path / "c", f"{S.SEC}/logins_and_logouts.json", b'{"account_accesses_v2": []}')
    assert recs == [] and issues == []


def test_profile_as_label_record(tmp_path) -> None:
    # UNCONFIRMED layout (formats.md §1.5 documents profile_v2 only): a label_values profile.
    data = {"label_values": [{"label": "Name", "value": S.moji("Zoë")}, {"label": "E-Mail", "value": "z@example.org"},
                             {"label": "Telefonnummer", "vec": [{"value": "+41790000000"}]}], "media": []}
    recs, _ = parse_one(tmp_path, "personal_information/profile_information/profile_information.json",
                        S.dump(data), "facebook.profile")
    assert [(r.kind, r.value) for r in recs] == [("name", "Zoë"), ("email", "z@example.org"),
                                                 ("phone", "+41790000000")]


def test_label_values_reader_nesting() -> None:
    from reflet.sources._meta import find, read_lv, text

    lvs = read_lv([
        {"label": "URL", "href": "https://example.org/p/1"},
        {"title": "Owner", "dict": [{"dict": [{"label": "Name", "value": "Acme"},
                                              {"label": "Benutzername", "value": "acme"}]}]},
        {"label": "Events", "vec": [{"dict": [{"label": "Event", "value": "PURCHASE"},
                                              {"label": "Erhalten am", "timestamp_value": 1714380000}]},
                                    {"value": "plain"}]},
        "junk",
    ])
    assert [lv.label for lv in lvs] == ["URL", "", "Events"]
    assert lvs[0].href == "https://example.org/p/1"
    assert text(lvs, "name") == "Acme" and text(lvs, "username") == "acme"  # found inside the Owner block
    events = find(lvs, "events")
    assert events is not None and events.strings() == ["plain"]
    inner = events.vec[0]
    assert text(inner, "event") == "PURCHASE" and find(inner, "received").timestamp == 1714380000


def test_checkin_in_an_unknown_language_found_by_shape(tmp_path) -> None:
    data = {"timestamp": 1714480000, "label_values": [
        {"label": "Wiadomość", "value": "x"},
        {"label": "Oznaczenia miejsc", "dict": [{"label": "Nazwa", "value": "Dworzec"},
                                                {"label": "Współrzędne", "value": "(52.2297 , 21.0122)"}]}]}
    recs, issues = parse_one(tmp_path, "your_facebook_activity/posts/check-ins.json", S.dump(data))
    assert issues == [] and [(r.lat, r.lon) for r in recs if isinstance(r, Place)] == [(52.2297, 21.0122)]


def test_checkin_with_location_url_and_photos_but_no_coordinates(tmp_path) -> None:
    # UNCONFIRMED layout (not in formats.md): "Location", "URL", "Photos" labels as a public parser reads them.
    data = [{"timestamp": 1714380000, "fbid": "77", "media": [], "label_values": [
        {"label": "Message", "value": "Here"},
        {"label": "Location", "value": S.moji("Café Zürich")},
        {"label": "URL", "href": "https://www.facebook.com/77"},
        {"label": "Photos", "media": [{"uri": "your_facebook_activity/posts/media/c/1.jpg",
                                       "creation_timestamp": 1714380000,
                                       "media_metadata": {"photo_metadata": {"exif_data": [
                                           {"upload_ip": "203.0.113.5"}]}}}]}]}]
    recs, issues = parse_one(tmp_path, "your_facebook_activity/posts/check-ins.json", S.dump(data))
    assert issues == []
    uri = "your_facebook_activity/posts/media/c/1.jpg"
    mptr = "/0/label_values/3/media/0"
    assert recs == [
        Media(provenance=P(mptr), platform=FB, path=uri),
        Login(provenance=P(mptr), platform=FB, time=t(1714380000), ip="203.0.113.5", action="upload",
              detail=f"uploaded {uri}"),
        Identity(provenance=P("/0"), platform=FB, kind="place", value="Café Zürich", time=t(1714380000)),
        Post(provenance=P("/0"), platform=FB, platform_id="77", url="https://www.facebook.com/77", time=t(1714380000),
             text="Here", visibility="unknown", media=(uri,)),
    ]


def test_uncategorized_photos_2020_upload_ip(tmp_path) -> None:
    recs, issues = parse_one(tmp_path, "posts/your_uncategorized_photos.json", S.dump(S.UNCATEGORIZED_2020),
                             "facebook.media")
    assert issues == []
    assert recs == [
        Media(provenance=P("/other_photos_v2/0"), platform=FB, path="posts/media/Mobileuploads/2.jpg"),
        Login(provenance=P("/other_photos_v2/0"), platform=FB, time=t(1600000000), ip="192.0.2.44", action="upload",
              detail="uploaded posts/media/Mobileuploads/2.jpg"),
    ]
