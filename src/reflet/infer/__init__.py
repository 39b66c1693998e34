"""The analyst's view: every module here reads the store and returns findings.

Each module defines ``run(store) -> list[Finding]`` and is discovered like
sources are (sorted, one file per kind of inference), so adding an
inference touches one file. Inference reads only the store.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from ..findings import Finding, sort_findings
from ..store import Store

InferFn = Callable[[Store], list[Finding]]


def modules() -> list[tuple[str, InferFn]]:
    out = []
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        m = importlib.import_module(f"{__name__}.{mod.name}")
        fn = getattr(m, "run", None)
        if callable(fn):
            out.append((mod.name, fn))
    return out


def run_all(store: Store) -> tuple[list[Finding], list[str]]:
    """All findings, sorted by severity; plus the names of inferences that failed."""
    findings: list[Finding] = []
    failed: list[str] = []
    for name, fn in modules():
        try:
            findings.extend(fn(store))
        except Exception as exc:  # noqa: BLE001 - one broken inference must not hide the others
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
    return sort_findings(findings), failed
