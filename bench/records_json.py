"""Legacy ``Records.json``: reflet against google-takeout-parser on the same file.

    PYTHONPATH=src python bench/records_json.py                 # 500 MB, 3 runs each
    PYTHONPATH=src python bench/records_json.py --repeat 4 --runs 1   # 2 GB: the 500 MB file's points x4

A 2 GB file straight from the persona (``--size 2GB``, scale ~127) spans ~94 years: most of its
points fall before 1995 and are reported as implausible one by one, which measures the error
path, not reading. ``--repeat N`` writes the points of the ``--size`` file N times into one array.

What is timed:
* reflet: open the folder holding the file as an input, read it into typed ``Place`` rows
  in a new DuckDB store on disk (``audit._ingest``: fast path, store inserts, checkpoint);
* peer: ``google_takeout_parser.parse_json._parse_location_history`` iterated to the end
  (its ``Location`` model objects; it loads the whole file with orjson first).
Each run is a fresh child process; peak memory is that child's maximum resident size.
The file comes from the persona generator (scale picked to reach ``--size``) and is kept
in ``bench/out/`` for the next run.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import SRC, measure, report

MB_PER_SCALE = 15.7e6  # Records.json bytes per unit of persona scale (measured: scale 42 -> 660 MB)


def parse_size(text: str) -> int:
    m = re.fullmatch(r"\s*([\d.]+)\s*([KMG]?)B?\s*", text.upper())
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text}")
    return int(float(m.group(1)) * {"": 1, "K": 1e3, "M": 1e6, "G": 1e9}[m.group(2)])


def ensure_file(scale: float, seed: int, out: Path) -> Path:
    folder = out / f"records-s{scale:g}-seed{seed}"
    target = folder / "Records.json"
    if not target.exists():
        sys.path.insert(0, str(SRC))
        from reflet.persona import Persona
        from reflet.persona.writers.google_location import write_records_json

        folder.mkdir(parents=True, exist_ok=True)
        part = target.with_suffix(".part")
        with open(part, "wb") as f:
            write_records_json(Persona(seed, scale), f)
        part.replace(target)
    return target


def repeated(path: Path, n: int) -> Path:
    """``path``'s locations array written ``n`` times into one array (streamed, kept in bench/out)."""
    target = path.parent.with_name(f"{path.parent.name}-x{n}") / "Records.json"
    if not target.exists():
        data = path.read_bytes()
        body = data[data.index(b"[") + 1:data.rindex(b"]")].strip()
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_suffix(".part")
        with open(part, "wb") as f:
            f.write(b'{\n  "locations": [')
            for i in range(n):
                f.write(b", " if i else b"")
                f.write(body)
            f.write(b"]\n}\n")
        part.replace(target)
    return target


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=parse_size, default=parse_size("500MB"))
    ap.add_argument("--scale", type=float, default=None, help="persona scale (overrides --size)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--file", type=Path, default=None, help="use this Records.json instead of generating one")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="repeat the file's points N times in one array")
    a = ap.parse_args()

    scale = a.scale if a.scale is not None else round(a.size / MB_PER_SCALE, 1)
    path = a.file or ensure_file(scale, a.seed, a.out)
    if a.repeat > 1:
        path = repeated(path, a.repeat)
    size = path.stat().st_size
    ours = measure(["reflet", str(path.parent)], a.runs)
    peer = measure(["peer-records", str(path)], a.runs) if not a.no_peer else ours
    print(report(f"Records.json {size / 1e6:,.0f} MB ({path}), median of {a.runs} run(s)", size, ours, peer,
                 "points"))
    if ours["count"] != peer["count"]:
        print(f"note: reflet stored {ours['count']:,.0f} places, the peer made {peer['count']:,.0f} locations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
