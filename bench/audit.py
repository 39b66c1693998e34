"""A whole audit of a big persona, then the same audit with one export added (the cache at work).

    PYTHONPATH=src python bench/audit.py --scale 4 --photos 2000          # moderate (what was run)
    PYTHONPATH=src python bench/audit.py --scale 130 --photos 20000       # the goal: ~2 GB history

What is timed: ``python -m reflet audit <every export the persona writes> --out OUT --json``
as a child process, end to end (reading every export and the photo folder into the store,
enrichment, inference, report), and its peak resident memory (``os.wait4``). Then one small
export is added to the inputs and the same command runs again into the same folder: unchanged
exports are recognised by fingerprint and not read again.

The persona writes its Google location history and every platform export it has, plus a
``Photos`` folder; ``--photos`` tops that folder up to N files with hard links to its own
photos under new names (same bytes, no extra disk).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"


def _audit(inputs: list[Path], out: Path) -> tuple[float, int, dict[str, object]]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "reflet", "audit", *map(str, inputs), "--out", str(out), "--json"],
                            stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    data = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        raise SystemExit(f"audit failed with exit code {code}")
    return took, usage.ru_maxrss * 1024, json.loads(data)


def _top_up_photos(folder: Path, n: int) -> int:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    if not files:
        return 0
    extra = folder / "more"
    extra.mkdir(exist_ok=True)
    i = len(files)
    while i < n:
        src = files[i % len(files)]
        dst = extra / f"{i:06d}{src.suffix}"
        if not dst.exists():
            os.link(src, dst)
        i += 1
    return max(n, len(files))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--photos", type=int, default=2000)
    ap.add_argument("--work", type=Path, default=HERE / "out")
    a = ap.parse_args()
    sys.path.insert(0, str(SRC))
    from reflet.persona import export_inputs, generate

    persona = a.work / f"audit-persona-s{a.scale:g}-seed{a.seed}"
    if not (persona / "ground_truth.json").exists():
        generate(persona, seed=a.seed, scale=a.scale)
    inputs = export_inputs(persona)
    photos = next((p for p in inputs if p.name == "Photos"), None)
    n_photos = _top_up_photos(photos, a.photos) if photos else 0
    size = sum(f.stat().st_size for p in inputs for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file())

    out = a.work / "audit-out"
    shutil.rmtree(out, ignore_errors=True)
    t1, peak1, res1 = _audit(inputs, out)
    records = sum(int(r["count"]) for r in res1["records"])  # type: ignore[index, union-attr]

    extra = a.work / "extra-takeout.zip"
    with zipfile.ZipFile(extra, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Takeout/Location History/Records.json", json.dumps({"locations": [
            {"latitudeE7": 485_000_000 + i, "longitudeE7": 23_000_000, "timestamp": f"2024-01-01T00:{i:02d}:00Z"}
            for i in range(60)]}))
    t2, peak2, res2 = _audit([*inputs, extra], out)

    print(f"inputs: {len(inputs)} exports + 1 added, {size / 1e9:,.2f} GB, {n_photos:,} photo files; "
          f"{records:,} records")
    print(f"{'run':28} {'time s':>8} {'peak MB':>8}")
    print(f"{'first audit':28} {t1:8.1f} {peak1 / 1e6:8.0f}")
    print(f"{'again, one export added':28} {t2:8.1f} {peak2 / 1e6:8.0f}   "
          f"({t2 / t1:.0%} of the first; cached: {len(res2['cached'])} export(s))")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
