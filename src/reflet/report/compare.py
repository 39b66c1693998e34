"""What changed between two audits: findings resolved, findings new, record counts per type and platform.

Typical use: audit, follow the plan (delete the location history, turn off ad
personalisation), export again, audit again, compare. A finding is matched across
the two audits by its kind, its platforms and, for findings about a place, the
place rounded to ~1 km (so the same home found twice is the same finding, even
though its exact centre moved a few metres); other findings by kind, platforms and
their title with the numbers taken out (so "12 advertisers" and "9 advertisers" match).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..audit import AuditResult
from ..findings import SEVERITY_ORDER, Finding

_NUMBERS = re.compile(r"\d[\d,.\s]*")


def finding_key(f: Finding) -> tuple[Any, ...]:
    lat, lon = f.data.get("lat"), f.data.get("lon")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        return (f.kind, tuple(sorted(f.platforms)), round(float(lat), 2), round(float(lon), 2))
    return (f.kind, tuple(sorted(f.platforms)), _NUMBERS.sub("#", f.title).strip())


def _brief(f: Finding) -> dict[str, Any]:
    return {"kind": f.kind, "severity": f.severity, "channel": f.channel, "title": f.title,
            "title_key": f.title_key, "title_args": f.title_args,  # to say it in the reader's language
            "platforms": list(f.platforms), "evidence_count": f.evidence_count}


@dataclass
class Comparison:
    resolved: list[dict[str, Any]] = field(default_factory=list)  # in OLD, gone in NEW
    new: list[dict[str, Any]] = field(default_factory=list)  # in NEW only
    changed: list[dict[str, Any]] = field(default_factory=list)  # in both, severity or evidence differ
    unchanged: int = 0
    records: list[dict[str, Any]] = field(default_factory=list)  # type, platform, old, new, change

    def to_dict(self) -> dict[str, Any]:
        return {"resolved": self.resolved, "new": self.new, "changed": self.changed,
                "unchanged": self.unchanged, "records": self.records}


def _by_key(findings: Sequence[Finding]) -> dict[tuple[Any, ...], Finding]:
    out: dict[tuple[Any, ...], Finding] = {}
    for f in findings:
        out.setdefault(finding_key(f), f)  # findings are sorted most severe first: keep that one
    return out


def compare(old: AuditResult, new: AuditResult) -> Comparison:
    """Compare two audits (their findings and record counts)."""
    a, b = _by_key(old.findings), _by_key(new.findings)
    c = Comparison()
    order = lambda d: (SEVERITY_ORDER.get(d["severity"], 9), d["kind"])  # noqa: E731
    c.resolved = sorted((_brief(f) for k, f in a.items() if k not in b), key=order)
    c.new = sorted((_brief(f) for k, f in b.items() if k not in a), key=order)
    for k in a.keys() & b.keys():
        fa, fb = a[k], b[k]
        if fa.severity != fb.severity or fa.evidence_count != fb.evidence_count:
            c.changed.append({**_brief(fb), "old_severity": fa.severity, "old_evidence_count": fa.evidence_count})
        else:
            c.unchanged += 1
    c.changed.sort(key=order)
    for typ, plat in sorted(set(old.records) | set(new.records)):
        n_old, n_new = old.records.get((typ, plat), 0), new.records.get((typ, plat), 0)
        c.records.append({"type": typ, "platform": plat, "old": n_old, "new": n_new, "change": n_new - n_old})
    return c


__all__ = ["Comparison", "compare", "finding_key"]
