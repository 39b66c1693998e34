"""`reflet compare OLD NEW`: what a second audit, after following the plan, shows has changed.

Before: three weeks of location history and a full X archive. After: the person turned off
X's ad personalisation (no more ad files in the new archive) and changed jobs (work 2 km
from the old one), so the old workplace and the ad targeting are resolved and a new
workplace appears.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflet.audit import run_audit
from reflet.cli import cli

from .report_export import build_exports

AD_FILES = ("x.personalization", "x.ad_impressions", "x.ad_engagements")
NEW_WORK = (45.5017, -73.5483)  # another office, ~2 km from the old one


@pytest.fixture(scope="module")
def audits(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("cmp")
    run_audit(build_exports(tmp / "in-old"), tmp / "old")
    run_audit(build_exports(tmp / "in-new", x_drop=AD_FILES, work=NEW_WORK), tmp / "new", passphrase="pw-new")
    return tmp / "old", tmp / "new"


def test_compare_json_lists_resolved_new_and_counts(audits: tuple[Path, Path]) -> None:
    old, new = audits
    res = CliRunner().invoke(cli, ["compare", str(old), str(new), "--json"], env={"REFLET_PASSPHRASE": "pw-new"})
    assert res.exit_code == 0, res.output
    cmp = json.loads(res.stdout)
    resolved = {f["kind"] for f in cmp["resolved"]}
    assert "anchor.work" in resolved and "adtech.money_transfer.profile" in resolved
    assert {f["kind"] for f in cmp["new"]} == {"anchor.work"}
    assert "anchor.home" not in resolved  # same home, both times
    ads = next(r for r in cmp["records"] if r["type"] == "AdSignal" and r["platform"] == "x")
    assert ads["new"] < ads["old"] and ads["change"] == ads["new"] - ads["old"] < 0
    places = next(r for r in cmp["records"] if r["type"] == "Place" and r["platform"] == "google")
    assert places["change"] == places["new"] - places["old"]


def test_compare_prints_a_readable_summary(audits: tuple[Path, Path]) -> None:
    old, new = audits
    res = CliRunner().invoke(cli, ["compare", str(old), str(new)],
                             env={"REFLET_PASSPHRASE": "pw-new", "COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "Resolved (gone now):" in res.output and "New: 1" in res.output
    assert "Advertisers can target you by money transfer services" in res.output
    assert "advertising data" in res.output and "Where you work can be placed" in res.output


def test_compare_same_audit_twice_changes_nothing(audits: tuple[Path, Path]) -> None:
    old, _ = audits
    cmp = json.loads(CliRunner().invoke(cli, ["compare", str(old), str(old), "--json"]).stdout)
    assert cmp["resolved"] == [] and cmp["new"] == [] and cmp["changed"] == []
    assert cmp["unchanged"] > 5 and all(r["change"] == 0 for r in cmp["records"])
