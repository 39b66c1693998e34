"""Shared helpers for the platform writers: deterministic zips, Meta's encoding, time forms."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..model import Persona


def export_date(p: Persona) -> date:
    return p.last_day + timedelta(days=1)


def export_time(p: Persona) -> datetime:
    return datetime(*export_date(p).timetuple()[:3], 9, 30, tzinfo=UTC)


def t(iso: str) -> datetime:
    """A ground-truth time (``...Z``) as an aware datetime."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def epoch(iso: str) -> int:
    return int(t(iso).timestamp())


def moji(s: str) -> str:
    """Text the way Meta writes it: each UTF-8 byte as its own code point."""
    return s.encode("utf-8").decode("latin-1")


def meta_json(obj: Any) -> bytes:
    # ensure_ascii gives the "\\u00c3\\u00a9" escapes Meta's files have; strings must be moji()'d first.
    return json.dumps(obj, ensure_ascii=True, indent=2).encode()


def pretty_json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=2).encode()


def write_zip(path: Path, members: dict[str, bytes], when: date) -> None:
    """Byte-identical for the same members: fixed dates and attributes, sorted names."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name in sorted(members):
            zi = zipfile.ZipInfo(name, date_time=(when.year, when.month, when.day, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 3
            zi.external_attr = 0o644 << 16
            z.writestr(zi, members[name])
    tmp.replace(path)


def logins(truth: dict[str, Any], service: str) -> list[dict[str, Any]]:
    return [e for e in truth["logins"] if e["service"] == service]


def posts(truth: dict[str, Any], service: str) -> list[dict[str, Any]]:
    return [e for e in truth["posts"] if e["service"] == service]


def emails(truth: dict[str, Any], service: str) -> list[str]:
    return [e["value"] for e in truth["identity"]["emails"] if service in e["services"]]


def phone(truth: dict[str, Any], service: str) -> str | None:
    return next((e["value"] for e in truth["identity"]["phones"] if service in e["services"]), None)


def device(truth: dict[str, Any], dev_id: str) -> dict[str, Any]:
    return next(d for d in truth["devices"] if d["id"] == dev_id)


def phones(truth: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in truth["devices"] if d["kind"] == "phone"]


def advertisers(truth: dict[str, Any], service: str) -> list[dict[str, Any]]:
    return [a for a in truth["advertisers"] if service in a["services"]]


def off_platform(truth: dict[str, Any], service: str) -> list[dict[str, Any]]:
    return [a for a in truth["off_platform_activity"] if service in a["services"]]


def info(path: str, members: dict[str, bytes], **counts: Any) -> dict[str, Any]:
    return {"path": path, "members": sorted(members), **counts}
