"""The report for a location history of a million points: its size and the time Chromium takes to open it.

    PYTHONPATH=src python bench/report.py                 # the persona, ~1M points (scale 17.3)
    PYTHONPATH=src python bench/report.py --synthetic     # 1M synthetic points spread to hit every cap

Two inputs:

* **persona** (default): the synthetic persona's exports at the scale that gives about a million
  location rows in the store (58,100 rows per unit of scale: Records.json, Semantic Location
  History, the phone's on-device timelines, photos), audited with ``run_audit``. Real findings:
  anchors, trips, logins, so the page is a real one. Cached in ``bench/out/`` for the next run.
* **synthetic** (``--synthetic``): 1,000,000 ``place`` rows inserted straight into a new store,
  spread over a region, five platforms, two channels and ten years so that the map's aggregation
  reaches its caps (the largest page the aggregation can make), then the inferences run on them.

What is measured:

* **generate**: ``write_reports`` from the open store (report data, aggregation in DuckDB, HTML and
  JSON written), median of ``--runs``; the findings are computed before (the audit's job);
* **size** of ``report.html`` and ``report.json``;
* **open**: Chromium (Debian's, ``/usr/bin/chromium``, headless, through Playwright) opens the
  file in a fresh browser context; timed from navigation start to the first frame painted after
  the load event with the map and the findings in the page (two ``requestAnimationFrame``s after
  ``load``), median of ``--runs``; also the number of SVG elements drawn.

The machine (CPU count and model, load average before and after) is printed with the figures.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
ROWS_PER_SCALE = 58_100  # place rows in the store per unit of persona scale (measured: scale 17 -> 987,739)
CHROMIUM = Path("/usr/bin/chromium")


def _machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"nproc {os.cpu_count()}, {model}, {platform.system()} {platform.release()}; load average {load}"


def _persona(points: int, seed: int, work: Path) -> Path:
    """An audit folder of the persona at the scale giving ``points`` location rows (cached)."""
    from reflet.audit import run_audit
    from reflet.persona import export_inputs, generate

    scale = math.ceil(points / ROWS_PER_SCALE * 10) / 10
    folder = work / f"report-persona-s{scale:g}-seed{seed}"
    audit = folder / "audit"
    if not (audit / "audit.duckdb").is_file():
        if not (folder / "persona" / "ground_truth.json").is_file():
            t = time.perf_counter()
            generate(folder / "persona", seed=seed, scale=scale)
            print(f"persona scale {scale:g} generated in {time.perf_counter() - t:.0f} s")
        shutil.rmtree(audit, ignore_errors=True)
        t = time.perf_counter()
        run_audit(export_inputs(folder / "persona"), audit)
        print(f"audit (read, infer, report) in {time.perf_counter() - t:.0f} s")
    return audit


def _synthetic(points: int, work: Path) -> Path:
    """An audit folder whose store holds ``points`` synthetic location rows, spread to hit the caps."""
    from reflet.store import Store

    audit = work / f"report-synthetic-{points}"
    if (audit / "audit.duckdb").is_file():
        return audit
    shutil.rmtree(audit, ignore_errors=True)
    audit.mkdir(parents=True)
    t = time.perf_counter()
    with Store(audit / "audit.duckdb") as store:
        # Half the points around a home and a workplace, half spread over ~300 km (a region lived in
        # for ten years), every 5 minutes; five platforms; one point in 50 also public.
        store.con.execute(f"""
            INSERT INTO place (key, archive, member, locator, archive_fp, platform, channels, time, lat, lon, kind)
            SELECT md5(i::VARCHAR), 'takeout.zip', 'Records.json', '/locations/' || i, 'fp',
                   ['google', 'snapchat', 'instagram', 'facebook', 'media'][1 + i % 5],
                   CASE WHEN i % 50 = 0 THEN ['public', 'records'] ELSE ['records'] END,
                   TIMESTAMPTZ '2014-01-01' + to_seconds(i * 300),
                   CASE WHEN i % 2 = 0 THEN 45.52 + (hash(i) % 1000) / 1e6
                        ELSE 44.5 + (hash(i * 7) % 100000) / 40000.0 END,
                   CASE WHEN i % 2 = 0 THEN -73.58 + ((hash(i + 1) % 1000) / 1e6)
                        ELSE -75.0 + (hash(i * 13) % 100000) / 28000.0 END,
                   'gps'
            FROM range({points}) t(i)""")
    print(f"{points:,} synthetic rows inserted in {time.perf_counter() - t:.0f} s")
    return audit


def _generate(audit: Path, runs: int) -> tuple[float, Path, Path]:
    from reflet.report.render import write_reports
    from reflet.report.reopen import reopen

    store, result = reopen(audit)
    try:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            html, js = write_reports(store, result)
            times.append(time.perf_counter() - t)
    finally:
        store.close()
    return statistics.median(times), html, js


_RENDERED = """() => new Promise(done => {
  const ready = () => requestAnimationFrame(() => requestAnimationFrame(() => done({
    ms: performance.now(),  // since navigation start (the time origin)
    svg: document.querySelectorAll('#map-svg *').length,
    map: !!document.querySelector('#map-svg'), findings: document.querySelectorAll('#findings article').length,
    nodes: document.getElementsByTagName('*').length})));
  if (document.readyState === 'complete') { ready(); } else { addEventListener('load', ready); }
})"""


def _open(html: Path, runs: int) -> tuple[float, list[float], dict[str, int]]:
    os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    info: dict[str, int] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            for _ in range(runs):
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                page = ctx.new_page()
                page.goto(html.as_uri(), wait_until="commit", timeout=300_000)
                res = page.evaluate(_RENDERED)
                assert res["map"] and res["findings"] > 0, res
                times.append(res["ms"] / 1000)
                info = {"svg elements": res["svg"], "elements": res["nodes"], "findings": res["findings"]}
                ctx.close()
        finally:
            version = browser.version
            browser.close()
    info["chromium"] = version  # type: ignore[assignment]
    return statistics.median(times), times, info


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--synthetic", action="store_true", help="insert synthetic rows instead of auditing a persona")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=HERE / "out")
    a = ap.parse_args()
    sys.path.insert(0, str(SRC))
    from reflet.store import Store

    before = _machine()
    audit = _synthetic(a.points, a.work) if a.synthetic else _persona(a.points, a.seed, a.work)
    with Store(audit / "audit.duckdb", read_only=True) as store:
        (rows,) = store.query("SELECT count(*) FROM place WHERE kind != 'ip'")[0]
    took, html, js = _generate(audit, a.runs)
    opened, all_opens, info = _open(html, a.runs)
    mb, json_mb = html.stat().st_size / 1e6, js.stat().st_size / 1e6

    print(f"machine before: {before}")
    print(f"input: {'synthetic rows' if a.synthetic else f'persona seed {a.seed}'}, {rows:,} location points "
          f"in the store ({audit})")
    print(f"generate report   {took:8.2f} s  (median of {a.runs}; findings computed before)")
    print(f"report.html       {mb:8.2f} MB  (goal < 25 MB)   report.json {json_mb:.2f} MB")
    print(f"open in Chromium  {opened:8.2f} s  (median of {a.runs}: "
          f"{', '.join(f'{t:.2f}' for t in all_opens)}; goal < 3 s)  Chromium {info.pop('chromium')}")
    print("page: " + ", ".join(f"{v:,} {k}" for k, v in info.items()))
    print(f"machine after:  {_machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
