"""Ad-tech profile and coverage findings, from records put in a real store."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from reflet.infer import adtech, coverage
from reflet.infer._lexicon import classify, terms
from reflet.records import AdSignal, Login, Provenance
from reflet.store import Store

UTC = timezone.utc
AD = frozenset({"records", "adtech"})


def _p(i: int, member: str = "ads_information/advertisers.json") -> Provenance:
    return Provenance(archive="facebook-alice.zip", member=member, locator=f"/{i}")


def _store(tmp_path: Path, recs: list) -> Store:
    s = Store(tmp_path / "audit.duckdb")
    s.insert(recs, "fp1")
    return s


def test_every_lexicon_row_cites_a_source_and_matches_its_label_class() -> None:
    assert len(terms()) > 20
    assert {t.cls for t in classify("Sent money with Western Union")} == {"money_transfer"}
    assert {t.cls for t in classify("LiveRamp")} == {"data_broker"}
    assert classify("Gardening") == []


def test_brokers_money_transfer_and_sensitive_interests(tmp_path: Path) -> None:
    recs = [
        AdSignal(provenance=_p(0), platform="facebook", kind="advertiser_has_your_data", name="LiveRamp", channels=AD),
        AdSignal(provenance=_p(1), platform="facebook", kind="advertiser_has_your_data", name="Example Bakery",
                 channels=AD),
        AdSignal(provenance=_p(2, "apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json"),
                 platform="facebook", kind="off_platform_activity", name="Remitly", detail="PURCHASE",
                 time=datetime(2024, 1, 5, tzinfo=UTC), channels=AD),
        AdSignal(provenance=_p(3, "ads_information/ad_preferences.json"), platform="facebook", kind="interest",
                 name="Mosque", channels=AD),
        AdSignal(provenance=_p(4, "data/personalization.js"), platform="x", kind="interest", name="Hiking",
                 channels=AD),
    ]
    with _store(tmp_path, recs) as s:
        found = {f.kind: f for f in adtech.run(s)}
    assert found["adtech.advertisers"].data["count"] == 2
    broker = found["adtech.data_broker.activity"] if "adtech.data_broker.activity" in found else \
        found["adtech.data_broker.profile"]
    assert "LiveRamp" in broker.title and broker.severity == "high"
    money = found["adtech.money_transfer.activity"]
    assert money.severity == "critical" and "Remitly" in money.title and money.channel == "adtech"
    assert money.evidence[0].member.endswith("your_activity_off_meta_technologies.json")
    assert money.evidence[0].locator == "/2"
    assert found["adtech.religion.profile"].severity == "high"
    assert not any("Hiking" in f.title for f in found.values() if f.kind != "adtech.advertisers")


def test_no_ad_data_no_adtech_findings_but_coverage_says_so(tmp_path: Path) -> None:
    recs = [Login(provenance=_p(0, "data/ip-audit.js"), platform="x", time=datetime(2024, 1, 1, tzinfo=UTC),
                  ip="198.51.100.1")]
    with _store(tmp_path, recs) as s:
        assert adtech.run(s) == []
        cov = {f.kind: f for f in coverage.run(s)}
    missing = cov["coverage.platforms_missing"]
    assert "google" in missing.data["missing"] and "x" not in missing.data["missing"]
    kinds = cov["coverage.kinds_missing"]
    assert kinds.platforms == ["x"] and "locations" in kinds.data["absent"]
    assert all(f.severity == "info" for f in cov.values())
