"""The ad-tech profile: who holds the person's data, and what it reveals.

Reads ``ad_signal`` records (advertisers with your data, off-platform
activity, interests, inferred categories) and classifies names with the
sourced lexicon (``data/sensitive_lexicon.csv``): data brokers, money
transfer, immigration or legal services, health, religion, politics,
sexuality, dating, ethnic or expat affinity, language. Every finding is in
the ``adtech`` channel: this is what is sold or shared for advertising, and
what brokers resell (to agencies too, see DESIGN.md).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..findings import Evidence, Finding, msg
from ..store import Store
from ._lexicon import CLASS_TITLES, classify

MAX_EVIDENCE = 50
# The lexicon's classes have a name in the translation files (lex.class.<class>).
_CLASS_KEYS = {f"lex.class.{c}" for c in CLASS_TITLES}
# Off-platform activity with these classes says more than an interest does:
# it is something the person did (sent money, booked a clinic).
_CRITICAL = {"money_transfer", "immigration_legal", "health"}


def _signals(store: Store) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT kind, name, platform, archive, member, locator, detail, time FROM ad_signal ORDER BY time NULLS LAST")
    return [dict(zip(("kind", "name", "platform", "archive", "member", "locator", "detail", "time"), r))
            for r in rows]


def _ev(s: dict[str, Any], summary: str) -> Evidence:
    return Evidence(archive=s["archive"], member=s["member"], locator=s["locator"], summary=summary)


def run(store: Store) -> list[Finding]:
    sigs = _signals(store)
    if not sigs:
        return []
    findings: list[Finding] = []
    advertisers = [s for s in sigs if s["kind"] == "advertiser_has_your_data"]
    if advertisers:
        names = {s["name"].strip().lower() for s in advertisers}
        plats = sorted({s["platform"] for s in advertisers})
        findings.append(Finding(
            kind="adtech.advertisers", channel="adtech", severity="medium",
            title=msg("find.adtech.advertisers.title", n=len(names), platforms=plats),
            detail=msg("find.adtech.advertisers.detail"),
            evidence=[_ev(s, s["name"]) for s in advertisers[:MAX_EVIDENCE]], evidence_count=len(advertisers),
            platforms=plats, remediation=[f"{p}.advertisers" for p in plats],
            data={"advertisers": sorted(names)[:500], "count": len(names)}))
    by_class: dict[tuple[str, str], list[tuple[dict[str, Any], str]]] = defaultdict(list)
    for s in sigs:
        text = " ".join(x for x in (s["name"], s["detail"]) if x)
        for term in classify(text):
            if term.cls == "data_broker" and s["kind"] not in ("advertiser_has_your_data", "off_platform_activity"):
                continue
            by_class[(term.cls, "activity" if s["kind"] == "off_platform_activity" else "profile")].append(
                (s, term.label))
    for (cls, how), items in sorted(by_class.items()):
        plats = sorted({s["platform"] for s, _ in items})
        labels = sorted({label for _, label in items})
        names = sorted({s["name"] for s, _ in items})
        title_cls = msg(f"lex.class.{cls}") if f"lex.class.{cls}" in _CLASS_KEYS else cls

        def some(k: int, names: list[str] = names) -> object:  # "A, B, C and 2 more"
            return (msg("word.names_and_more", names=names[:k], more=len(names) - k) if len(names) > k
                    else msg("word.names", names=names))

        if cls == "data_broker":
            sev, title = "high", msg("find.adtech.data_broker.title", names=some(5))
            detail = msg("find.adtech.data_broker.detail", labels=labels[:5])
        elif how == "activity":
            sev = "critical" if cls in _CRITICAL else "high"
            title = msg("find.adtech.activity.title", what=title_cls, names=some(4))
            detail = msg("find.adtech.activity.detail")
        else:
            sev = "high" if cls not in ("language",) else "medium"
            title = msg("find.adtech.profile.title", what=title_cls, names=some(4))
            detail = msg("find.adtech.profile.detail")
        findings.append(Finding(
            kind=f"adtech.{cls}.{how}", channel="adtech", severity=sev, title=title, detail=detail,  # type: ignore[arg-type]
            evidence=[_ev(s, f"{s['name']} — {label}") for s, label in items[:MAX_EVIDENCE]],
            evidence_count=len(items), platforms=plats,
            remediation=[f"{p}.off_platform" if how == "activity" else f"{p}.ad_interests" for p in plats],
            data={"class": cls, "names": names[:200]}))
    return findings
