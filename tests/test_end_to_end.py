"""The first end-to-end slice on the synthetic persona: exports -> audit -> findings -> report."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from reflet.audit import run_audit
from reflet.persona import export_inputs, generate


def _dist_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    dy = (a[0] - b[0]) * 111_320
    dx = (a[1] - b[1]) * 111_320 * math.cos(math.radians(a[0]))
    return math.hypot(dx, dy)


def _audit(tmp_path: Path, **kw: object) -> tuple[dict, dict, Path]:
    out = generate(tmp_path / "persona", **kw)  # type: ignore[arg-type]
    truth = json.loads((out / "ground_truth.json").read_text())
    result = run_audit(export_inputs(out), tmp_path / "audit")
    assert result.report_path is not None
    return truth, {f.kind: f for f in result.findings}, result.report_path


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, Path]:
    return _audit(tmp_path_factory.mktemp("e2e"), seed=0, scale=1)


def test_home_and_work_within_250_m_of_the_truth(default: tuple[dict, dict, Path]) -> None:
    truth, found, _ = default
    home, work = found["anchor.home"], found["anchor.work"]
    assert _dist_m((home.data["lat"], home.data["lon"]), (truth["home"]["lat"], truth["home"]["lon"])) < 250
    assert _dist_m((work.data["lat"], work.data["lon"]), (truth["work"]["lat"], truth["work"]["lon"])) < 250
    # The stated radius really contains the truth.
    assert _dist_m((home.data["lat"], home.data["lon"]),
                   (truth["home"]["lat"], truth["home"]["lon"])) <= home.data["radius_m"]


def test_trips_match_the_truth_within_a_day(default: tuple[dict, dict, Path]) -> None:
    truth, found, _ = default
    trips = found["travel.trips"].data["trips"]
    expected = [(t["country_code"], t["first_day"], t["last_day"]) for t in truth["trips"]]
    got = [(t["countries"][0], t["first_day"], t["last_day"]) for t in trips]
    assert len(got) == len(expected)
    from datetime import date

    for (c1, f1, l1), (c2, f2, l2) in zip(got, expected):
        assert c1 == c2
        assert abs((date.fromisoformat(f1) - date.fromisoformat(f2)).days) <= 1
        assert abs((date.fromisoformat(l1) - date.fromisoformat(l2)).days) <= 1


def test_report_says_where_home_is(default: tuple[dict, dict, Path]) -> None:
    _, found, report = default
    html = report.read_text(encoding="utf-8")
    home = found["anchor.home"]
    assert f"{home.data['lat']:.5f}" in html
    assert "http://" not in html.replace("http://www.w3.org", "")


def test_sparse_person_gets_not_enough_data_never_a_guess(tmp_path: Path) -> None:
    truth, found, report = _audit(tmp_path, seed=4, scale=1, profile="sparse")
    assert truth["home"] == {"status": "not_enough_data", "reason": truth["home"]["reason"]}
    assert "anchor.home" not in found and "anchor.work" not in found
    assert "anchor.home.unknown" in found
    assert "not enough" in report.read_text(encoding="utf-8").lower()
