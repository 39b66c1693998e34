"""Tiny Google Records.json exports for the core tests (formats.md 3.2), built in code."""

from __future__ import annotations

import json
from pathlib import Path

from .builders import make_export

MEMBER = "Takeout/Location History (Timeline)/Records.json"


def point(i: int, *, device: object = 1978796627, source: str = "GPS") -> dict[str, object]:
    """The i-th synthetic location point (Paris, one minute apart)."""
    return {"latitudeE7": 488566000 + i * 100, "longitudeE7": 23522000 + i * 100, "accuracy": 10 + i,
            "source": source, "deviceTag": device, "timestamp": f"2024-03-01T10:{i // 60:02d}:{i % 60:02d}Z"}


def records_json(points: list[dict[str, object]]) -> str:
    return json.dumps({"locations": points}, indent=1)


def google_export(tmp: Path, name: str, points: list[dict[str, object]], container: str = "dir",
                  extra: dict[str, str | bytes] | None = None) -> Path:
    files: dict[str, str | bytes] = {MEMBER: records_json(points)}
    files.update(extra or {})
    return make_export(tmp, name, files, container)
