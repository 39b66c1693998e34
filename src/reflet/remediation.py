"""Remediation steps: what to do about a finding, platform by platform.

The texts live in ``report/remediation.json``, one entry per
``<platform>.<topic>`` with a generic ``*.<topic>`` fallback. Each entry says
when its steps were last checked in the live product; ``None`` means never,
and the report shows "unverified" rather than pretending.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Remediation:
    key: str
    title: str
    steps: tuple[str, ...]
    checked: str | None  # ISO date, or None for "unverified"
    where: str | None = None  # the settings page, for the person to open themselves

    @property
    def status(self) -> str:
        return f"checked {self.checked}" if self.checked else "unverified"


@lru_cache(maxsize=1)
def _data() -> dict[str, dict[str, object]]:
    text = resources.files("reflet.report").joinpath("remediation.json").read_text("utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def lookup(key: str) -> Remediation | None:
    """The steps for ``platform.topic``, falling back to ``*.topic``."""
    data = _data()
    topic = key.split(".", 1)[-1]
    for k in (key, f"*.{topic}"):
        if k in data:
            d = data[k]
            return Remediation(key=k, title=str(d["title"]), steps=tuple(d["steps"]),  # type: ignore[arg-type]
                               checked=d.get("checked"), where=d.get("where"))  # type: ignore[arg-type]
    return None


def topics() -> set[str]:
    return {k.split(".", 1)[1] for k in _data()}


__all__ = ["Remediation", "lookup", "topics"]
