"""Benchmark: reading GPS from, and scrubbing, a folder of >= 2,000 mixed photos and videos.

Compares reflet (one Python process, header-only readers) with exiftool
(one batch process each: ``exiftool -n -json -GPSLatitude -GPSLongitude -r`` to
read, ``exiftool -all= -o`` to scrub). Part of the metadata is written by
exiftool itself, so the test data does not depend on reflet's own writer.

Run: ``PYTHONPATH=src python bench/media.py`` (needs exiftool on PATH).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from reflet.media import read_path, synth
from reflet.scrub.clean import Options, plan, write

LEAKS = ("GPSLatitude", "GPSLongitude", "GPSPosition", "GPSCoordinates", "GPSAltitude", "LocationInformation",
         "SerialNumber", "LensSerialNumber", "OwnerName", "City", "Country", "RegionName", "Make", "Model",
         "ThumbnailImage", "DateTimeOriginal", "CreateDate", "CreationDate")
STRUCTURAL_GROUPS = {"System", "File", "ExifTool", "Composite"}


def build(root: Path, scale: float) -> dict[str, int]:
    """Write the mixed folder; returns counts by kind."""
    def n(k: int) -> int:
        return max(1, int(k * scale))

    counts: dict[str, int] = {}
    i = 0

    def put(kind: str, name: str, data: bytes) -> Path:
        nonlocal i
        i += 1
        counts[kind] = counts.get(kind, 0) + 1
        p = root / kind / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        return p

    for k in range(n(800)):
        put("jpeg_exif", f"IMG_{k:05d}.jpg", synth.jpeg(
            seed=k, size=(256, 192), lat=40 + k * 1e-3, lon=-3 - k * 1e-3, alt=650.0, taken="2024:05:01 10:00:00",
            offset="+02:00", make="Canon", model="EOS R6", serial=f"0123{k:06d}", lens_serial=f"L{k}"))
    by_exiftool = [put("jpeg_by_exiftool", f"ET_{k:05d}.jpg", synth.jpeg(seed=10_000 + k, size=(256, 192)))
                   for k in range(n(300))]
    for k in range(n(100)):
        put("jpeg_xmp_only", f"XMP_{k:05d}.jpg", synth.jpeg(seed=20_000 + k, size=(256, 192),
                                                            xmp=synth.xmp_packet(lat=51.5 + k * 1e-4, lon=-0.12)))
    for k in range(n(200)):
        put("jpeg_none", f"NONE_{k:05d}.jpg", synth.jpeg(seed=30_000 + k, size=(256, 192)))
    for k in range(n(150)):
        put("png", f"P_{k:05d}.png", synth.png(seed=k, lat=35.0 + k * 1e-3, lon=139.0, serial=f"P{k}"))
    for k in range(n(150)):
        put("webp", f"W_{k:05d}.webp", synth.webp(seed=k, lat=-23.5, lon=-46.6 + k * 1e-3, make="Samsung"))
    for k in range(n(150)):
        put("heic", f"H_{k:05d}.heic", synth.heic(seed=k, lat=37.77, lon=-122.4 + k * 1e-3, make="Apple",
                                                   model="iPhone 15", serial=f"H{k}"))
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    for k in range(n(150)):
        put("mp4", f"V_{k:05d}.mp4", synth.mp4(seed=k, created=t0, lat=48.85, lon=2.35 + k * 1e-3, make="Google",
                                                model="Pixel 8", mdat_size=200_000))
    for k in range(n(100)):
        put("mov", f"M_{k:05d}.mov", synth.mp4(seed=k, created=t0, lat=40.71, lon=-74.0 + k * 1e-3, quicktime=True,
                                                apple_keys=True, moov_first=False, make="Apple", model="iPhone",
                                                mdat_size=200_000))
    # exiftool writes GPS/serials (+ thumbnails, + XMP-only GPS) into plain JPEGs: one process, -execute blocks.
    thumb = root / "thumb.jpg"
    thumb.write_bytes(synth.jpeg(seed=1, size=(32, 24)))
    lines: list[str] = []
    for k, p in enumerate(by_exiftool):
        if k % 3 == 2:
            lines += [f"-XMP:GPSLatitude={10 + k * 1e-3}", "-XMP:GPSLongitude=20.5"]
        else:
            lines += [f"-GPSLatitude={10 + k * 1e-3}", "-GPSLatitudeRef=S", "-GPSLongitude=20.5", "-GPSLongitudeRef=E",
                      "-Make=Nikon", "-Model=Z6", f"-SerialNumber=ET{k}", "-DateTimeOriginal=2023:01:02 03:04:05"]
            if k % 3 == 1:
                lines.append(f"-ThumbnailImage<={thumb}")
        lines += ["-overwrite_original", "-q", str(p), "-execute"]
    subprocess.run(["exiftool", "-@", "-"], input="\n".join(lines).encode(), check=True, capture_output=True)
    thumb.unlink()
    return counts


def media_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def warm(files: list[Path]) -> None:
    for p in files:
        with open(p, "rb") as f:
            while f.read(1 << 20):
                pass


def exiftool_json(args: list[str]) -> list[dict[str, object]]:
    proc = subprocess.run(["exiftool", *args], capture_output=True, check=False)
    return json.loads(proc.stdout or b"[]")


def left_behind(root: Path) -> tuple[float, float]:
    """Per file, as exiftool sees the clean copies: (sensitive fields, all metadata tags) on average."""
    rows = exiftool_json(["-json", "-n", "-G1", "-a", "-r", str(root)])
    sens = total = 0
    for r in rows:
        for k in r:
            group, _, name = k.rpartition(":")
            if not group or group in STRUCTURAL_GROUPS:
                continue
            total += 1
            if name in LEAKS and not str(r[k]).startswith("0000:00:00"):  # a zeroed date says nothing
                sens += 1
    return sens / max(1, len(rows)), total / max(1, len(rows))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = 2,100 files")
    ap.add_argument("--keep", type=Path, help="build here and keep it")
    args = ap.parse_args()
    if not shutil.which("exiftool"):
        sys.exit("exiftool is needed: apt-get install libimage-exiftool-perl")
    base = args.keep or Path(tempfile.mkdtemp(prefix="reflet-bench-media-"))
    src = base / "src"
    t = time.perf_counter()
    counts = build(src, args.scale)
    files = media_files(src)
    size = sum(p.stat().st_size for p in files)
    print(f"built {len(files):,} files ({size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s: {counts}")
    warm(files)

    # -- reading GPS --------------------------------------------------------------------------------
    t = time.perf_counter()
    ours = {str(p): read_path(p) for p in files}
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    rows = exiftool_json(["-n", "-json", "-GPSLatitude", "-GPSLongitude", "-r", str(src)])
    t_et = time.perf_counter() - t
    et_gps = {str(Path(r["SourceFile"])) for r in rows if "GPSLatitude" in r and "GPSLongitude" in r}
    our_gps = {k for k, m in ours.items() if m.lat is not None}
    print(f"read GPS   reflet   {len(files) / t_ours:8,.0f} files/s ({t_ours:.2f} s), GPS in {len(our_gps):,} files")
    print(f"read GPS   exiftool {len(files) / t_et:8,.0f} files/s ({t_et:.2f} s), GPS in {len(et_gps):,} files")
    print(f"read GPS   speed-up x{t_et / t_ours:.1f}")
    missed, extra = sorted(et_gps - our_gps), sorted(our_gps - et_gps)
    print(f"agreement  reflet misses {len(missed)} file(s) exiftool locates; finds GPS in {len(extra)} file(s) "
          f"where exiftool finds none" + (f"; e.g. {missed[:2]} {extra[:2]}" if missed or extra else ""))

    # -- scrubbing ----------------------------------------------------------------------------------
    out_r, out_e = base / "clean_reflet", base / "clean_exiftool"
    out_r.mkdir()
    t = time.perf_counter()
    refused = 0
    for p in files:
        pl = plan(p, Options())
        if not pl.ok:
            refused += 1
            continue
        dst = out_r / p.relative_to(src)
        dst.parent.mkdir(parents=True, exist_ok=True)
        write(pl, dst)
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run(["exiftool", "-q", "-q", "-all=", "-r", "-o", f"{out_e}/%d%f.%e", str(src)], capture_output=True,
                   check=False, cwd=src)
    t_et = time.perf_counter() - t
    n_e = len(media_files(out_e)) if out_e.exists() else 0
    print(f"scrub      reflet   {len(files) / t_ours:8,.0f} files/s ({t_ours:.2f} s, each copy re-read and checked;"
          f" {refused} refused)")
    print(f"scrub      exiftool {len(files) / t_et:8,.0f} files/s ({t_et:.2f} s, {n_e:,} copies)")
    print(f"scrub      speed-up x{t_et / t_ours:.1f}")
    sr, ar = left_behind(out_r)
    se, ae = left_behind(out_e)
    print(f"left/file  reflet   {sr:.2f} sensitive fields, {ar:.1f} metadata tags (excl. File/System/Composite)")
    print(f"left/file  exiftool {se:.2f} sensitive fields, {ae:.1f} metadata tags (excl. File/System/Composite)")
    if not args.keep:
        shutil.rmtree(base)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
