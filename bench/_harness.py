"""Shared by the benchmarks: run one measured task in a child process.

Each task runs in its own Python process so that its peak memory is its own: the
child times only the work (imports excluded) and prints one JSON line; the parent
reads the child's peak resident size from ``os.wait4`` (the kernel's ru_maxrss for
that child alone, what ``/usr/bin/time -v`` prints as "Maximum resident set size").

    python bench/_harness.py reflet PATH        # open PATH as an input, read it into a store
    python bench/_harness.py peer-records FILE  # google_takeout_parser on Records.json
    python bench/_harness.py peer-semantic DIR  # google_takeout_parser on every monthly file
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"


def run_child(args: list[str]) -> tuple[dict[str, float], int]:
    """(the child's JSON result, its peak RSS in bytes)."""
    env = dict(os.environ, PYTHONPATH=str(SRC))
    proc = subprocess.Popen([sys.executable, str(HERE / "_harness.py"), *args], stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{args[0]} failed with exit code {proc.returncode}")
    return json.loads(out.decode().strip().splitlines()[-1]), usage.ru_maxrss * 1024


def measure(args: list[str], runs: int) -> dict[str, float]:
    """Median time over ``runs``, the largest peak RSS, and the item count."""
    times, peaks, count = [], [], 0.0
    for _ in range(runs):
        res, peak = run_child(args)
        times.append(res["seconds"])
        peaks.append(peak)
        count = res["count"]
    return {"seconds": statistics.median(times), "peak": max(peaks), "count": count, "runs": runs}


def report(title: str, size: int, ours: dict[str, float], peer: dict[str, float], unit: str) -> str:
    """A small table: time, throughput, peak memory, and the ratios."""
    lines = [title, f"{'':8} {'median s':>9} {'MB/s':>8} {unit + '/s':>12} {'peak MB':>9} {unit:>11}"]
    for name, r in (("reflet", ours), ("peer", peer)):
        lines.append(f"{name:8} {r['seconds']:9.2f} {size / 1e6 / r['seconds']:8.1f} "
                     f"{r['count'] / r['seconds']:12,.0f} {r['peak'] / 1e6:9.0f} {r['count']:11,.0f}")
    lines.append(f"ratio    throughput x{peer['seconds'] / ours['seconds']:.2f}   "
                 f"peak memory reflet/peer {ours['peak'] / peer['peak']:.2f}")
    return "\n".join(lines)


# -------------------------------------------------------------------------- the child side


def _reflet(path: Path) -> dict[str, float]:
    from reflet.archive import open_archive
    from reflet.audit import _ingest, _NoProgress
    from reflet.store import Store

    with tempfile.TemporaryDirectory(dir=os.environ.get("REFLET_BENCH_TMP")) as tmp:
        started = time.perf_counter()
        store = Store(Path(tmp) / "audit.duckdb")
        with open_archive(path) as arch:
            n, _ = _ingest(store, arch, arch.fingerprint(), _NoProgress())
        store.close()
        took = time.perf_counter() - started
    return {"seconds": took, "count": n}


def _peer_records(path: Path) -> dict[str, float]:
    from google_takeout_parser.models import Location
    from google_takeout_parser.parse_json import _parse_location_history

    started = time.perf_counter()
    n = sum(1 for x in _parse_location_history(path) if isinstance(x, Location))
    return {"seconds": time.perf_counter() - started, "count": n}


def _peer_semantic(folder: Path) -> dict[str, float]:
    from google_takeout_parser.parse_json import _parse_semantic_location_history

    files = sorted(folder.rglob("*.json"))
    started = time.perf_counter()
    n = 0
    for f in files:
        n += sum(1 for x in _parse_semantic_location_history(f) if not isinstance(x, Exception))
    return {"seconds": time.perf_counter() - started, "count": n}


if __name__ == "__main__":
    mode, arg = sys.argv[1], Path(sys.argv[2])
    fn = {"reflet": _reflet, "peer-records": _peer_records, "peer-semantic": _peer_semantic}[mode]
    print(json.dumps(fn(arg)))
