"""The persona's photo folder (JPEG, HEIC, MP4 with location): audited right, and scrubbed clean."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from reflet.cli import cli
from reflet.persona import generate
from tests.media_helpers import exiftool, tag

LEAKS = ("GPSLatitude", "GPSLongitude", "GPSCoordinates", "GPSPosition", "SerialNumber")


def test_persona_photos_are_scrubbed_of_location_and_serials(tmp_path: Path) -> None:
    out = generate(tmp_path / "p", seed=0, scale=0.25)
    truth = json.loads((out / "ground_truth.json").read_text())
    photos = out / "exports" / "Photos"
    files = sorted(p for p in photos.rglob("*") if p.is_file())
    formats = {p.suffix.lower() for p in files}
    assert {".heic", ".mp4"} <= formats, formats  # the issue asks for HEIC and MP4 with location
    before = exiftool(files)
    located = [n for n, row in before.items() if tag(row, "GPSLatitude") is not None]
    assert len(located) == sum(1 for p in truth["photos"] if p["has_gps"])
    original_bytes = {p: p.read_bytes() for p in files}
    clean = tmp_path / "clean"
    result = CliRunner().invoke(cli, ["scrub", str(photos), "--out", str(clean)])
    assert result.exit_code == 0, result.output
    copies = sorted(p for p in (clean / "Photos").rglob("*") if p.is_file())
    assert len(copies) == len(files)
    after = exiftool(copies)
    leaks = {n: [t for t in LEAKS if tag(row, t) not in (None, "")] for n, row in after.items()}
    assert not any(leaks.values()), leaks
    assert all(p.read_bytes() == b for p, b in original_bytes.items())  # originals untouched
