"""Small valid samples of every kind of file a source reads, for the fuzz harness.

Each module here (one per platform) defines ``SAMPLES``: handler name -> list of
(member path, bytes). Every sample must parse into at least one record. The fuzz
harness fails when a registered handler has no sample, so a new source joins it
automatically (and cannot forget to).
"""

from __future__ import annotations

import importlib
import pkgutil


def all_samples() -> dict[str, list[tuple[str, bytes]]]:
    out: dict[str, list[tuple[str, bytes]]] = {}
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        m = importlib.import_module(f"{__name__}.{mod.name}")
        for name, items in getattr(m, "SAMPLES", {}).items():
            out.setdefault(name, []).extend(items)
    return out
