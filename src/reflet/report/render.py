"""Render the HTML and JSON reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from .. import __version__
from ..enrich import ATTRIBUTIONS
from ..outputs import write_atomic
from ..store import Store

if TYPE_CHECKING:
    from ..audit import AuditResult

REPORT_SCHEMA_VERSION = 1


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("reflet.report", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )


def report_data(store: Store, result: AuditResult) -> dict[str, Any]:
    """Everything the report shows, as plain data (also the --json output)."""
    members = [
        {"archive": a, "member": m, "status": s, "platform": p, "records": r, "issues": i, "reason": why}
        for a, m, s, p, r, i, why in store.query(
            "SELECT archive, member, status, platform, records, issues, reason FROM member_log ORDER BY 1, 2")
    ]
    issues = [
        {"archive": a, "member": m, "locator": loc, "level": lvl, "message": msg}
        for a, m, loc, lvl, msg in store.query(
            "SELECT archive, member, locator, level, message FROM parse_issue ORDER BY 1, 2, 3 LIMIT 5000")
    ]
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "reflet_version": __version__,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "encrypted_store": result.encrypted,
        "store": str(result.store_path),
        "records": [{"type": t, "platform": p, "count": n} for (t, p), n in sorted(result.records.items())],
        "findings": [f.to_dict() for f in result.findings],
        "members": members,
        "issues": issues,
        "refused": result.refused,
        "warnings": result.warnings,
        "failed_inferences": result.failed_inferences,
        "attributions": ATTRIBUTIONS,
    }


def _css() -> str:
    return resources.files("reflet.report").joinpath("templates/report.css").read_text("utf-8")


def write_reports(store: Store, result: AuditResult, lang: str = "en") -> tuple[Path, Path]:
    data = report_data(store, result)
    html = _env().get_template("report.html").render(d=data, css=_css(), lang=lang)
    html_path = result.out / "report.html"
    json_path = result.out / "report.json"
    write_atomic(html_path, html)
    write_atomic(json_path, json.dumps(data, indent=1, ensure_ascii=False, default=str))
    return html_path, json_path
