"""Findings: what an analyst could infer, with its evidence and what to do about it.

A finding names its channel (``public``, ``records``, ``adtech``), a severity,
one sentence a non-programmer understands, the evidence (provenance of the
records behind it, capped for display but counted exactly) and the keys of
the remediation steps in ``report/remediation.json``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One record behind a finding, located down to its file and entry."""

    archive: str
    member: str
    locator: str
    summary: str = ""


@dataclass(slots=True)
class Finding:
    kind: str  # stable id: "anchor.home", "anchor.work", "coverage.not_enough_data"...
    channel: str  # public | records | adtech
    severity: Severity
    title: str  # the one plain sentence
    detail: str = ""  # a short paragraph: how it was inferred, how sure
    evidence: list[Evidence] = field(default_factory=list)
    evidence_count: int = 0  # exact number of records behind it (evidence list may be capped)
    platforms: list[str] = field(default_factory=list)
    remediation: list[str] = field(default_factory=list)  # keys into remediation.json
    data: dict[str, Any] = field(default_factory=dict)  # machine-readable result (lat, lon, radius...)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.kind))


__all__ = ["SEVERITY_ORDER", "Evidence", "Finding", "Severity", "sort_findings"]
