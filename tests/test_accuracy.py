"""The accuracy bench (bench/accuracy.py) on 10 personas, with the thresholds of issue 8.

Seeds 0-9 cover each profile twice (default, nightshift, traveller, no_work, sparse). The
history is the bench's (scale 0.25, about two months): at a month a sparse persona keeps
only two logins, one of them the intruder's, and no home country can be told from that.
A figure the personas hold no data for would be n/a: it is printed with its reason and checked
to be n/a for that reason, not silently passed; the figures every run of these seeds must measure
are listed in ``test_core_figures_have_data``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SEEDS = range(10)
SCALE = 0.25

# Figures below their issue-8 target for a reason outside the inference, each with the floor the test
# still holds them to (so a regression fails) and the reason, printed on every run. None at present:
# the X links the truth used to claim without evidence in the exports, and the links through hotel
# Wi-Fi and carrier addresses shared with strangers, were fixed at their cause (persona truth, network
# types, the regular-network rule in infer/identity.py).
KNOWN_GAPS: dict[str, tuple[float, str]] = {}


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "bench" / "accuracy.py"
    spec = importlib.util.spec_from_file_location("reflet_bench_accuracy", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses need the module registered
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> list:
    bench = _bench()
    work = tmp_path_factory.mktemp("accuracy")
    scores = [bench.audit_seed(seed, SCALE, work) for seed in SEEDS]
    table = bench.table(scores)
    print("\n" + bench.format_table(table))
    return table


def test_every_figure_with_data_meets_its_threshold(rows: list) -> None:
    failed = []
    for r in rows:
        if r.passed is not False:
            continue
        gap = KNOWN_GAPS.get(r.name)
        if gap is None:
            failed.append(r.line())
            continue
        floor, why = gap
        print(f"known gap: {r.name}: {r.shown} (target {r.target}); held to {floor}: {why}")
        ok = r.value <= floor if r.target == "0" else r.value >= floor
        if not ok:
            failed.append(r.line() + f" (below the known-gap floor {floor})")
    assert not failed, "\n".join(failed)


def test_core_figures_have_data(rows: list) -> None:
    by_name = {r.name.split(" (")[0]: r for r in rows}
    for name in ("home within 250 m", "work within 250 m", "trips found", "'not enough data' personas answered as such",
                 "stated radius contains true home", "home within 1 km from public geotags alone",
                 "home city from fixed-line IP log-ins alone", "planted compromise signals flagged",
                 "planted identity links found", "identity links reported that are false",
                 "public geotags alone, under 20 near home: wrong home named"):
        assert by_name[name].value is not None and by_name[name].n >= 2, by_name[name].line()


def test_missing_figures_are_reported_with_a_reason(rows: list) -> None:
    for r in rows:
        if r.value is None:
            print(f"skipped figure: {r.name}: {r.note}")
            assert r.note and r.passed is None and "n/a" in r.line()
