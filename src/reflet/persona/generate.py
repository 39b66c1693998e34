"""Write a persona's exports and ground truth into a folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson

from ..findings import msg
from .model import Persona

MARKER = ".reflet-demo"
GROUND_TRUTH = "ground_truth.json"


def _prepare(out_dir: Path) -> Path:
    """Create ``out_dir`` (private to its owner), or reuse one this module wrote before."""
    out_dir = out_dir.expanduser()
    if out_dir.exists():
        if not out_dir.is_dir():
            raise FileExistsError(msg("cli.err.out_not_folder", out=str(out_dir)))
        if any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
            raise FileExistsError(msg("cli.err.demo_not_ours", out=str(out_dir)))
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    (out_dir / MARKER).write_text("Written by `reflet demo`: a made-up person's exports. Safe to delete.\n")
    exports = out_dir / "exports"
    if exports.exists():
        shutil.rmtree(exports)  # ours (the marker says so): regenerate from scratch
    exports.mkdir(mode=0o700)
    return exports


def generate(out_dir: Path | str, seed: int = 0, scale: float = 1, profile: str | None = None) -> Path:
    """Write ``out_dir/exports/...`` and ``out_dir/ground_truth.json``; return ``out_dir``.

    Deterministic: the same arguments give byte-identical files.
    """
    from .writers import PLATFORM_WRITERS, photos
    from .writers.google_location import write_google_location
    from .writers.google_takeout import takeout_members

    out_dir = Path(out_dir)
    persona = Persona(seed=seed, scale=scale, profile=profile)
    old = os.umask(0o077)  # the exports look real: keep them private like an audit's output
    try:
        exports = _prepare(out_dir)
        truth = persona.ground_truth()
        extra, takeout_extra = takeout_members(persona, truth)
        written = write_google_location(persona, exports, extra)
        written["google_takeout"].update(takeout_extra)
        for service, write in PLATFORM_WRITERS.items():
            if service in persona.services:
                written[service] = write(persona, truth, exports)
        # The sparse person's few photos stay on the phone: a geotagged folder would undo "too few points".
        ph = photos.write(persona, truth, exports) if persona.p.sparse_points is None else None
        if ph:
            written["photos"] = ph
        truth["exports"] = written
        (out_dir / GROUND_TRUTH).write_bytes(orjson.dumps(truth, option=orjson.OPT_INDENT_2) + b"\n")
    finally:
        os.umask(old)
    return out_dir


def export_inputs(out_dir: Path | str) -> list[Path]:
    """The paths to audit, in a stable order: each export is a zip or a folder."""
    truth = orjson.loads((Path(out_dir) / GROUND_TRUTH).read_bytes())
    exports = Path(out_dir) / "exports"
    out = []
    for info in truth["exports"].values():
        rel = Path(info["path"])
        out.append(exports / (rel.parts[0] if len(rel.parts) > 1 else rel))
    return out
