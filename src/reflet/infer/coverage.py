"""What this audit cannot see: missing platforms and kinds of data.

An empty section must never read as "safe". This lists which platforms
reflet understands but found no export of, and for the platforms present,
which kinds of evidence were absent (no location history, no login IPs...),
so the report can say "not in these exports" instead of silence.
"""

from __future__ import annotations

from .. import sources
from ..findings import Finding
from ..records import RECORD_TYPES
from ..store import Store, table_name

_KIND_WORDS = {
    "Place": "locations", "Login": "logins and IP addresses", "Device": "devices", "App": "connected apps",
    "Identity": "e-mails, phones and usernames", "Post": "posts", "Media": "photos and videos",
    "AdSignal": "advertising data", "Connection": "friends and followers (counts)",
}


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
            title=f"Not in these exports: {', '.join(missing)}",
            detail="reflet found no export from these platforms, so it cannot say what they hold about you. "
                   "If you have accounts there, request their exports (see the README) and audit them too.",
            data={"missing": missing, "present": sorted(present)}))
    for platform in sorted(present):
        absent = [w for k, w in _KIND_WORDS.items() if k not in present[platform]]
        if absent and platform != "media":
            findings.append(Finding(
                kind="coverage.kinds_missing", channel="records", severity="info",
                title=f"{platform}: no {', no '.join(absent)} in this export",
                detail="Either the platform did not include them, or the export was requested without them. "
                       "This does not mean the platform does not hold them.",
                platforms=[platform], data={"platform": platform, "absent": absent}))
    unrec = store.query("SELECT count(*) FROM member_log WHERE status = 'unrecognised'")[0][0]
    failed = store.query("SELECT count(*) FROM member_log WHERE status = 'failed'")[0][0]
    if unrec or failed:
        findings.append(Finding(
            kind="coverage.unread_files", channel="records", severity="info",
            title=f"{unrec:,} file(s) were not recognised and {failed:,} could not be read",
            detail="They are listed under 'What was read'. They may hold more about you than this report shows.",
            data={"unrecognised": int(unrec), "failed": int(failed)}))
    return findings
