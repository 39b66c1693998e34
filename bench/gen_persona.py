"""Generate a scaled persona and report its size and the time taken.

    PYTHONPATH=src python bench/gen_persona.py --scale 20 --out bench/out/persona-20
    PYTHONPATH=src python bench/gen_persona.py --scale 50 --records-only   # Records.json alone, no zip

Scale 1 is nine months of location history (~12 MB of Records.json); the
size grows linearly with the scale while memory stays flat (everything is
streamed). Peak memory is the process's maximum resident size.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import zipfile
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scale", type=float, default=10)
    ap.add_argument("--profile", default=None)
    ap.add_argument("--out", type=Path, default=Path("bench/out/persona"))
    ap.add_argument("--records-only", action="store_true", help="write only Records.json (uncompressed)")
    a = ap.parse_args()

    from reflet.persona import Persona, generate
    from reflet.persona.writers.google_location import write_records_json

    started = time.perf_counter()
    if a.records_only:
        a.out.mkdir(parents=True, exist_ok=True)
        target = a.out / "Records.json"
        with open(target, "wb") as f:
            counts = write_records_json(Persona(a.seed, a.scale, a.profile), f)
        files = [target]
        detail = f"{counts['points']:,} points"
    else:
        out = generate(a.out, seed=a.seed, scale=a.scale, profile=a.profile)
        files = [p for p in (out / "exports").rglob("*") if p.is_file()]
        t = json.loads((out / "ground_truth.json").read_text())["exports"]["google_takeout"]
        with zipfile.ZipFile(out / "exports" / t["path"]) as z:
            raw = sum(i.file_size for i in z.infolist())
        detail = (f"{t['points']:,} points, {t['placeVisit']:,} visits, {t['activitySegment']:,} moves; "
                  f"Takeout zip holds {raw / 1e6:,.1f} MB uncompressed")
    took = time.perf_counter() - started
    size = sum(p.stat().st_size for p in files)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"seed={a.seed} scale={a.scale:g} profile={a.profile or 'by seed'}: {size / 1e6:,.1f} MB on disk "
          f"in {len(files)} file(s), {detail}; {took:.1f} s ({size / 1e6 / took:,.1f} MB/s); "
          f"peak RSS {peak_mb:,.0f} MB")
    for p in sorted(files):
        print(f"  {p.stat().st_size / 1e6:10,.1f} MB  {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
