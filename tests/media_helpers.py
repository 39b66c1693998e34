"""Shared helpers for the media and scrub tests: run exiftool (offline) and parse exports."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from reflet import guard, sources
from reflet.archive import open_archive

EXIFTOOL = shutil.which("exiftool")


def exiftool(paths: list[Path], *args: str) -> dict[str, dict[str, object]]:
    """exiftool's view of files (one batch call), keyed by file name."""
    assert EXIFTOOL, "exiftool is needed (apt-get install libimage-exiftool-perl)"
    with guard.allow_subprocess():
        proc = subprocess.run([EXIFTOOL, "-json", "-n", "-G1", "-a", *args, *map(str, paths)],
                              capture_output=True, check=False, timeout=120)
    return {Path(r["SourceFile"]).name: r for r in json.loads(proc.stdout or b"[]")}


def tag(row: dict[str, object], name: str) -> object:
    """A tag's value whatever its group (Composite first: it carries the sign of GPS coordinates)."""
    if f"Composite:{name}" in row:
        return row[f"Composite:{name}"]
    for k, v in row.items():
        if k.split(":")[-1] == name:
            return v
    return None


def parse_all(root: Path) -> list[tuple[str, object]]:
    """(handler name, record or issue) for every member reflet recognises."""
    out: list[tuple[str, object]] = []
    with open_archive(root) as arch:
        for info in arch.members():
            h = sources.match(arch, info)
            if h is not None:
                out += [(h.name, r) for r in sources.parse_member(arch, info, h)]
    return out
