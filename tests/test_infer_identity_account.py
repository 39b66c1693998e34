"""Identity links and account-compromise checks on records in a real store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from reflet.infer import account, identity
from reflet.records import App, Device, Identity, Login, Provenance
from reflet.store import Store

UTC = timezone.utc
T0 = datetime(2024, 3, 1, 20, 0, tzinfo=UTC)


def _p(platform: str, i: int) -> Provenance:
    return Provenance(archive=f"{platform}.zip", member=f"{platform}/file.json", locator=f"/{i}")


def _store(tmp_path: Path, recs: list) -> Store:
    s = Store(tmp_path / "audit.duckdb")
    s.insert(recs, "fp")
    return s


def _home_line(ip: str, platform: str = "google") -> list[Login]:
    """The person's own line, used every week for a month before T0 (a home line is used for months)."""
    return [Login(provenance=_p(platform, 100 + w), platform=platform, time=T0 - timedelta(days=7 * w), ip=ip)
            for w in range(1, 5)]


def test_links_by_email_phone_adid_and_ip_but_not_cgnat(tmp_path: Path) -> None:
    recs = [
        Identity(provenance=_p("google", 0), platform="google", kind="email", value="Alice@Example.org"),
        Identity(provenance=_p("reddit", 0), platform="reddit", kind="email", value="alice@example.org"),
        Identity(provenance=_p("tiktok", 0), platform="tiktok", kind="phone", value="+33 6 12 34 56 78"),
        Identity(provenance=_p("snapchat", 0), platform="snapchat", kind="phone", value="0612345678"),
        # The pseudonymous X account logs in from the home IP minutes after the real-name Facebook one.
        Login(provenance=_p("facebook", 1), platform="facebook", time=T0, ip="198.51.100.23"),
        Login(provenance=_p("x", 1), platform="x", time=T0 + timedelta(minutes=20), ip="198.51.100.23"),
        # A carrier-grade NAT address shared with strangers: never a link by itself.
        Login(provenance=_p("linkedin", 2), platform="linkedin", time=T0, ip="100.64.12.7"),
        Login(provenance=_p("discord", 2), platform="discord", time=T0 + timedelta(minutes=1), ip="100.64.12.7"),
        # Same IP but days apart: not "at close times".
        Login(provenance=_p("telegram", 3), platform="telegram", time=T0 + timedelta(days=3), ip="198.51.100.23"),
        Identity(provenance=_p("linkedin", 4), platform="linkedin", kind="name", value="Alice Example",
                 channels=frozenset({"records", "public"})),
        *_home_line("198.51.100.23", "facebook"),
        *_home_line("100.64.12.7", "linkedin"),
    ]
    with _store(tmp_path, recs) as s:
        found = identity.run(s)
    pairs = {tuple(f.platforms): f for f in found if f.kind == "identity.link"}
    assert set(pairs) == {("google", "reddit"), ("snapchat", "tiktok"), ("facebook", "x")}
    assert "same e-mail address (al…@example.org)" in pairs[("google", "reddit")].title
    assert "198.51.100.23" in pairs[("facebook", "x")].title
    assert {e.member for e in pairs[("facebook", "x")].evidence} == {"facebook/file.json", "x/file.json"}
    (name,) = [f for f in found if f.kind == "identity.real_name_public"]
    assert name.channel == "public" and name.platforms == ["linkedin"]


def test_an_address_used_only_during_a_trip_never_links(tmp_path: Path) -> None:
    # Hotel Wi-Fi: an ordinary ISP's address no database marks as shared, used by the person on the
    # five days of a trip (and by every other guest). Two accounts logging in there within minutes
    # could be two strangers; back home, the same pair logging in from the home line is a link.
    hotel, home = "203.0.113.0", "198.51.100.0"
    recs = [Login(provenance=_p(p, d), platform=p, time=T0 + timedelta(days=d, minutes=m), ip=hotel)
            for d in range(5) for p, m in (("discord", 0), ("x", 12))]
    with _store(tmp_path, recs) as s:
        assert [f for f in identity.run(s) if f.kind == "identity.link"] == []
    recs += [Login(provenance=_p("discord", 50), platform="discord", time=T0 + timedelta(days=20), ip=home),
             Login(provenance=_p("x", 50), platform="x", time=T0 + timedelta(days=20, minutes=9), ip=home),
             *_home_line(home, "discord")]
    (tmp_path / "2").mkdir()
    with _store(tmp_path / "2", recs) as s:
        (f,) = [f for f in identity.run(s) if f.kind == "identity.link"]
    assert f.platforms == ["discord", "x"] and home in f.title and hotel not in f.detail


def test_camera_serial_and_device_ids_link(tmp_path: Path) -> None:
    recs = [
        Device(provenance=_p("tiktok", 0), platform="tiktok", kind="phone", identifiers=(("IDFA", "AAAA-1111"),)),
        Identity(provenance=_p("snapchat", 0), platform="snapchat", kind="ad_id", value="AAAA-1111"),
    ]
    with _store(tmp_path, recs) as s:
        (f,) = identity.run(s)
    assert f.platforms == ["snapchat", "tiktok"] and "advertising identifier" in f.title


def _logins(cc_list: list[str]) -> list[Login]:
    out = []
    for i, cc in enumerate(cc_list):
        out.append(Login(provenance=_p("google", i), platform="google", time=T0 + timedelta(days=i),
                         ip=f"203.0.113.{i % 250}", country=cc, user_agent="Firefox/120 Linux" if cc in ("FR", "France")
                         else "Chrome/99 Windows"))
    return out


def test_one_login_from_abroad_on_an_unknown_device_is_flagged(tmp_path: Path) -> None:
    recs = _logins(["FR"] * 40 + ["France"] * 5 + ["BR"])
    with _store(tmp_path, recs) as s:
        found = [f for f in account.run(s) if f.kind == "account.foreign_login"]
    (f,) = found
    assert f.data["country"] == "BR" and f.data["usual"] == ["FR"]
    assert f.severity == "critical" and f.data["new_device"] is True
    assert f.evidence[0].locator == "/45"


def test_no_false_alarm_when_all_logins_are_home(tmp_path: Path) -> None:
    with _store(tmp_path, _logins(["FR"] * 60)) as s:
        assert [f for f in account.run(s) if f.kind == "account.foreign_login"] == []


def test_unknown_recovery_email_changes_and_apps(tmp_path: Path) -> None:
    recs = [
        Identity(provenance=_p("google", 0), platform="google", kind="email", value="alice@example.org"),
        Identity(provenance=_p("facebook", 1), platform="facebook", kind="email", value="ALICE@example.org",
                 role="recovery"),
        Identity(provenance=_p("facebook", 2), platform="facebook", kind="email", value="helper99@example.net",
                 role="recovery", time=T0),
        Login(provenance=_p("snapchat", 3), platform="snapchat", time=T0, action="password_change"),
        App(provenance=_p("x", 4), platform="x", name="Example Scheduler", permissions=("read", "write")),
    ]
    with _store(tmp_path, recs) as s:
        found = {f.kind: f for f in account.run(s)}
    assert found["account.unknown_recovery"].data["value"] == "helper99@example.net"
    assert found["account.security_changes"].evidence_count == 1
    assert "Example Scheduler" in found["account.connected_apps"].evidence[0].summary


def test_accounts_grouped_and_the_pseudonymous_one_called_out(tmp_path: Path) -> None:
    recs = [Identity(provenance=_p(p, 0), platform=p, kind="email", value="alice@example.org")
            for p in ("facebook", "google", "instagram")]
    recs += [Login(provenance=_p("facebook", 1), platform="facebook", time=T0, ip="198.51.100.23"),
             Login(provenance=_p("x", 1), platform="x", time=T0 + timedelta(minutes=5), ip="198.51.100.23"),
             *_home_line("198.51.100.23", "facebook")]
    with _store(tmp_path, recs) as s:
        (f,) = [f for f in identity.run(s) if f.kind == "identity.link"]
    assert f.platforms == ["facebook", "google", "instagram", "x"]
    assert f.data["hidden"] == ["x"] and f.severity == "critical"
    assert "Your x account, which shares no e-mail or phone with the others, is tied to them too" in f.title
    assert {tuple(p["platforms"]) for p in f.data["pairs"]} == {
        ("facebook", "google"), ("facebook", "instagram"), ("google", "instagram"), ("facebook", "x")}


def test_login_abroad_during_a_trip_the_history_shows_is_not_an_alarm(tmp_path: Path) -> None:
    from reflet.records import Place

    recs = _logins(["FR"] * 40 + ["ES"])
    # The same laptop as at home: a known device, in the country the history shows that day.
    recs[-1] = Login(provenance=recs[-1].provenance, platform="google", time=recs[-1].time, ip=recs[-1].ip,
                     country="ES", user_agent="Firefox/120 Linux")
    when = recs[-1].time
    recs.append(Place(provenance=_p("google", 99), platform="google", time=when, lat=40.4168, lon=-3.7038,
                      kind="gps"))
    recs += [Place(provenance=_p("google", 100 + d), platform="google", time=T0 + timedelta(days=d), lat=48.8566,
                   lon=2.3522, kind="gps") for d in range(30)]  # home is in France
    with _store(tmp_path, recs) as s:
        s.con.execute("CREATE TABLE place_name (lat_r DOUBLE, lon_r DOUBLE, name VARCHAR, admin1 VARCHAR, "
                      "country VARCHAR, country_name VARCHAR, distance_km DOUBLE, bearing VARCHAR, tz VARCHAR, "
                      "description VARCHAR)")
        s.con.execute("INSERT INTO place_name VALUES (40.417, -3.704, 'Madrid', NULL, 'ES', 'Spain', 0, NULL, "
                      "'Europe/Madrid', 'in Madrid'), (48.857, 2.352, 'Paris', NULL, 'FR', 'France', 0, NULL, "
                      "'Europe/Paris', 'in Paris')")
        assert [f for f in account.run(s) if f.kind == "account.foreign_login"] == []
