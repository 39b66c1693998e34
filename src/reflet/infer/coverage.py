"""What this audit cannot see: missing platforms and kinds of data.

An empty section must never read as "safe". This lists which platforms
reflet understands but found no export of, and for the platforms present,
which kinds of evidence were absent (no location history, no login IPs...),
so the report can say "not in these exports" instead of silence.
"""

from __future__ import annotations

from .. import sources
from ..findings import Finding, msg
from ..records import RECORD_TYPES
from ..store import Store, table_name

# "locations", "logins and IP addresses"... (coverage.kind.<record type> in the translation files)
_KIND_WORDS = {k: msg(f"coverage.kind.{k}") for k in (
    "Place", "Login", "Device", "App", "Identity", "Post", "Media", "AdSignal", "Connection")}


def run(store: Store) -> list[Finding]:
    present: dict[str, set[str]] = {}
    for cls in RECORD_TYPES:
        for (platform,) in store.query(f"SELECT DISTINCT platform FROM {table_name(cls)}"):
            present.setdefault(platform, set()).add(cls.__name__)
    known = [p for p in sources.platforms() if p not in ("media",)]
    missing = [p for p in known if p not in present]
    findings: list[Finding] = []
    if missing:
        findings.append(Finding(
            kind="coverage.platforms_missing", channel="records", severity="info",
            title=msg("find.coverage.platforms_missing.title", platforms=missing),
            detail=msg("find.coverage.platforms_missing.detail"),
            data={"missing": missing, "present": sorted(present)}))
    for platform in sorted(present):
        absent = [w for k, w in _KIND_WORDS.items() if k not in present[platform]]
        if absent and platform != "media":
            findings.append(Finding(
                kind="coverage.kinds_missing", channel="records", severity="info",
                title=msg("find.coverage.kinds_missing.title", platform=platform,
                          kinds=[msg(f"coverage.no.{k}") for k in _KIND_WORDS if k not in present[platform]]),
                detail=msg("find.coverage.kinds_missing.detail"),
                platforms=[platform], data={"platform": platform, "absent": absent}))
    unrec = store.query("SELECT count(*) FROM member_log WHERE status = 'unrecognised'")[0][0]
    failed = store.query("SELECT count(*) FROM member_log WHERE status = 'failed'")[0][0]
    if unrec or failed:
        findings.append(Finding(
            kind="coverage.unread_files", channel="records", severity="info",
            title=msg("find.coverage.unread_files.title", unrec=int(unrec), failed=int(failed)),
            detail=msg("find.coverage.unread_files.detail"),
            data={"unrecognised": int(unrec), "failed": int(failed)}))
    return findings
