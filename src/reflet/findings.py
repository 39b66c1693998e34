"""Findings: what an analyst could infer, with its evidence and what to do about it.

A finding names its channel (``public``, ``records``, ``adtech``), a severity,
one sentence a non-programmer understands, the evidence (provenance of the
records behind it, capped for display but counted exactly) and the keys of
the remediation steps in ``report/remediation.json``.

Titles, details and evidence summaries are messages: a key into the
translation files (``report/i18n/<lang>.json``) and its values, built with
``msg``. The English text stays in ``title``/``detail``/``summary`` (the JSON
report, the terminal, comparisons); the key and values let the report say the
same thing in the reader's language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


class Msg(str):
    """A translatable sentence: its English text (it *is* that string) with its key and values.

    Values are plain data (numbers, ISO dates, names, country codes, lists) or other ``Msg``."""

    key: str
    args: dict[str, Any]

    def __new__(cls, key: str, args: dict[str, Any]) -> Msg:
        from .report.i18n import translator

        args = {k: _plain(v) for k, v in args.items()}
        obj = super().__new__(cls, translator("en").message(key, args))
        obj.key, obj.args = key, args
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # copy/deepcopy/pickle keep the key and values
        return (Msg, (self.key, self.args))

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "args": self.args}


def _plain(v: Any) -> Any:
    """Values as JSON keeps them: nested messages as {key, args}, dates as ISO text."""
    if isinstance(v, Msg):
        return v.as_dict()
    if isinstance(v, list | tuple | set | frozenset):
        return [_plain(x) for x in (sorted(v) if isinstance(v, set | frozenset) else v)]
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def msg(key: str, /, **args: Any) -> Msg:
    """The message ``key`` of the translation files with its values (see ``report/i18n``)."""
    return Msg(key, args)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One record behind a finding, located down to its file and entry."""

    archive: str
    member: str
    locator: str
    summary: str = ""
    summary_key: str | None = None  # set from a Msg summary: the translation key and its values
    summary_args: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.summary, Msg):
            object.__setattr__(self, "summary_key", self.summary.key)
            object.__setattr__(self, "summary_args", self.summary.args)
            object.__setattr__(self, "summary", str.__str__(self.summary))


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
    title_key: str | None = None  # set from a Msg title: the translation key and its values
    title_args: dict[str, Any] | None = None
    detail_key: str | None = None
    detail_args: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.title, Msg):
            self.title_key, self.title_args, self.title = self.title.key, self.title.args, str.__str__(self.title)
        if isinstance(self.detail, Msg):
            self.detail_key, self.detail_args = self.detail.key, self.detail.args
            self.detail = str.__str__(self.detail)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.kind))


__all__ = ["SEVERITY_ORDER", "Evidence", "Finding", "Msg", "Severity", "msg", "sort_findings"]
