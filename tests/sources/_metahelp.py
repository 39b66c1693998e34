"""Helpers for the Facebook and Instagram source tests: parse members in memory, compare records."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from reflet import sources
from reflet.archive import Archive, open_archive
from reflet.records import ParseIssue, Provenance
from tests.builders import make_export


def P(locator: str) -> Provenance:
    """Expected provenance: only the locator is compared (archive and member are checked elsewhere)."""
    return Provenance(archive="", member="", locator=locator)


def bare(rec: Any) -> Any:
    return dataclasses.replace(rec, provenance=P(rec.provenance.locator))


def parse_archive(arch: Archive) -> tuple[list[Any], list[ParseIssue], dict[str, str]]:
    """Every record and issue of an archive, and which handler read each member."""
    recs: list[Any] = []
    issues: list[ParseIssue] = []
    used: dict[str, str] = {}
    for info in arch.members():
        h = sources.match(arch, info)
        if h is None:
            continue
        used[info.path] = h.name
        for item in sources.parse_member(arch, info, h):
            (issues if isinstance(item, ParseIssue) else recs).append(item)
    return recs, issues, used


def parse_one(
    tmp: Path, path: str, data: bytes | str, handler: str | None = None,
) -> tuple[list[Any], list[ParseIssue]]:
    """Parse one member; records come back with provenance reduced to the locator."""
    root = make_export(tmp, "export", {path: data})
    with open_archive(root) as arch:
        recs, issues, used = parse_archive(arch)
    if handler is not None:
        assert used == {path: handler}, used
    for r in recs:
        assert r.provenance.member == path
    return [bare(r) for r in recs], issues
