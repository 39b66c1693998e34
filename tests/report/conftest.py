"""A report built once per test session from a realistic mix: real sample files through the audit,
plus findings of every family (the samples are too small for inference to produce all of them)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from reflet.audit import AuditResult, run_audit
from reflet.findings import Evidence, Finding, msg, sort_findings
from reflet.records import Place, Provenance
from reflet.store import Store
from tests.builders import make_export
from tests.samples import facebook, google, instagram, x

HOME = (45.53012, -73.61234)
NEAR = "350 m north-east of Parc Jarry, Quebec, Canada"


def extra_findings() -> list[Finding]:
    # As the inferences write them: messages with their values (see reflet.findings.msg).
    ev = [Evidence("takeout.zip", "Takeout/Location History/Records.json", f"/locations/{i}",
                   msg("ev.geotag", lat=HOME[0], lon=HOME[1], day=f"2024-01-0{i + 1}")) for i in range(3)]
    return [
        Finding(kind="anchor.home", channel="records", severity="critical",
                title=msg("find.anchor.home.title.night", radius=120.0, points=900),
                detail=msg("find.anchor.how.night", nights=30, tz="America/Toronto"), evidence=ev, evidence_count=900,
                platforms=["google"],
                remediation=["google.location_history"],
                data={"lat": HOME[0], "lon": HOME[1], "radius_m": 120.0, "radius_level": 0.95, "confidence": 0.8,
                      "nights": 30, "days": 40, "weekdays": 0, "points": 900, "night_points": 400,
                      "tz": "America/Toronto", "first_seen": "2024-01-01T00:00:00+00:00",
                      "last_seen": "2024-03-01T00:00:00+00:00", "near": NEAR, "rest_pattern": "night"}),
        Finding(kind="account.foreign_login", channel="records", severity="critical",
                title=msg("find.account.foreign_login.title_new_device", n=3, country="RU", platforms=["facebook"],
                          when="2024-02-02"),
                detail=msg("find.account.foreign_login.detail", usual=["CA"]), evidence=ev[:1], evidence_count=3,
                platforms=["facebook"],
                remediation=["facebook.account_security"],
                data={"country": "RU", "usual": ["CA"], "new_device": True, "vpn": False, "ips": ["203.0.113.9"]}),
        Finding(kind="identity.link", channel="records", severity="high",
                title=msg("find.identity.link.title_pair", a="facebook", b="instagram",
                          why=msg("identity.why.email", value="zo…@example.org")),
                evidence=ev[:2], evidence_count=2, platforms=["facebook", "instagram"],
                remediation=["facebook.identity", "instagram.identity"],
                data={"platforms": ["facebook", "instagram"],
                      "reasons": ["the same e-mail address (zo…@example.org)"],
                      "reason_msgs": [msg("identity.why.email", value="zo…@example.org").as_dict()]}),
        Finding(kind="adtech.data_broker.profile", channel="adtech", severity="high",
                title=msg("find.adtech.data_broker.title", names=msg("word.names", names=["Acxiom"])),
                evidence=ev[:1], evidence_count=1,
                platforms=["facebook"], remediation=["facebook.advertisers"],
                data={"class": "data_broker", "names": ["Acxiom"]}),
        Finding(kind="public.located", channel="public", severity="high",
                title=msg("find.public.located.title", n=2), evidence=ev[:2], evidence_count=2,
                platforms=["instagram"], remediation=["instagram.public_places"], data={"points": [list(HOME)]}),
        Finding(kind="public.posts", channel="public", severity="low",
                title=msg("find.public.posts.title", n=4, platforms=["x"]),
                evidence=ev, evidence_count=4, platforms=["x"], remediation=["x.public_posts"]),
        Finding(kind="travel.trips", channel="records", severity="medium",
                title=msg("find.travel.trips.title", n=1, trips=[msg("find.travel.trip", countries=["ES"], span=msg(
                    "span.days", first="2024-02-03", last="2024-02-05"))], more=0),
                evidence=ev[:1], evidence_count=1, remediation=["google.location_history"],
                data={"home_country": "CA", "trips": [{"countries": ["ES"], "first_day": "2024-02-03",
                                                       "last_day": "2024-02-05", "points": 10,
                                                       "cities": ["Madrid"]}], "crossings": []}),
        Finding(kind="coverage.platforms_missing", channel="records", severity="info",
                title=msg("find.coverage.platforms_missing.title", platforms=["tiktok", "snapchat"]),
                detail=msg("find.coverage.platforms_missing.detail"),
                data={"missing": ["tiktok", "snapchat"], "present": ["google"]}),
    ]


def public_places() -> list[Place]:
    prov = Provenance("instagram-me.zip", "your_instagram_activity/media/posts_1.json", "/0/media/0")
    return [Place(provenance=prov, platform="instagram", channels=frozenset({"records", "public"}),
                  time=datetime(2024, 2, 10, 12, tzinfo=UTC), lat=HOME[0] + 0.001, lon=HOME[1], kind="photo"),
            Place(provenance=Provenance(prov.archive, prov.member, "/1/media/0"), platform="instagram",
                  channels=frozenset({"records", "public"}), time=datetime(2024, 3, 1, 9, tzinfo=UTC),
                  lat=40.4168, lon=-3.7038, kind="photo")]


def _samples(mod: Any) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for items in mod.SAMPLES.values():
        for path, content in items:
            files.setdefault(path, content)
    return files


@pytest.fixture(scope="session")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[AuditResult, Path]:
    tmp = tmp_path_factory.mktemp("report")
    exports = [make_export(tmp / "in", name, _samples(mod), container="zip")
               for name, mod in (("takeout", google), ("facebook-me", facebook), ("instagram-me", instagram),
                                 ("twitter", x))]
    result = run_audit(exports, tmp / "out", write_report=False)
    with Store(result.store_path) as store:
        store.insert(public_places(), "fp-test")
        # What the IP enrichment gives for a located address (the samples use documentation ranges).
        store.con.execute("UPDATE ip_info SET lat = 45.6, lon = -73.7, radius_km = 20, city = 'Laval', country = 'CA' "
                          "WHERE ip = '203.0.113.7'")
        result.findings = sort_findings(result.findings + extra_findings())
    return result, tmp


@pytest.fixture(scope="session")
def report(audited: tuple[AuditResult, Path]) -> dict[str, Any]:
    """The report data, and the HTML in English, French, Spanish and the pseudo-language."""
    from reflet.report.render import render_html, report_data, write_reports

    result, _ = audited
    with Store(result.store_path) as store:
        data = report_data(store, result)
        html_path, json_path = write_reports(store, result, lang="en")
    return {"data": data, "json_path": json_path, "html": html_path.read_text("utf-8"),
            **{lang: render_html(data, lang) for lang in ("fr", "es", "xx")}}
