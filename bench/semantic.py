"""Semantic Location History (one JSON file per month): reflet against google-takeout-parser.

    PYTHONPATH=src python bench/semantic.py                # 10 years of monthly files, 3 runs each
    PYTHONPATH=src python bench/semantic.py --years 2 --runs 1

What is timed:
* reflet: open the folder of monthly files as an input and read every file into typed rows
  (visits and route points as ``Place``) in a new DuckDB store on disk (``audit._ingest``);
* peer: ``google_takeout_parser.parse_json._parse_semantic_location_history`` on every file,
  iterated to the end (its ``PlaceVisit`` objects).
Each run is a fresh child process; peak memory is that child's maximum resident size.
The files are written by the persona generator and kept in ``bench/out/``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import SRC, measure, report

DAYS_PER_SCALE = 270  # persona scale 1 = nine months


def ensure_folder(years: float, seed: int, out: Path) -> Path:
    folder = out / f"semantic-{years:g}y-seed{seed}"
    done = folder / ".complete"
    if not done.exists():
        sys.path.insert(0, str(SRC))
        import orjson

        from reflet.persona import Persona
        from reflet.persona.writers.google_location import MONTHS, _months, semantic_month

        p = Persona(seed, years * 365 / DAYS_PER_SCALE)
        root = folder / "Semantic Location History"
        for y, m in _months(p):
            obj, _, _ = semantic_month(p, y, m)
            target = root / str(y) / f"{y}_{MONTHS[m - 1]}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(orjson.dumps(obj, option=orjson.OPT_INDENT_2))
        done.write_text("")
    return folder


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--years", type=float, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    a = ap.parse_args()

    folder = ensure_folder(a.years, a.seed, a.out)
    files = sorted((folder / "Semantic Location History").rglob("*.json"))
    size = sum(f.stat().st_size for f in files)
    ours = measure(["reflet", str(folder)], a.runs)
    peer = measure(["peer-semantic", str(folder)], a.runs)
    print(report(f"Semantic Location History: {len(files)} monthly files, {size / 1e6:,.0f} MB, "
                 f"median of {a.runs} run(s)", size, ours, peer, "items"))
    print("items: reflet counts stored rows (visits + route points); the peer counts PlaceVisit objects")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
