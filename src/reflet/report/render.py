"""Render the HTML and JSON reports.

``report_data`` gathers everything the report shows as plain data (that is also
``report.json``, described by ``schema/report.schema.json``); ``render_html``
turns it into one self-contained page: styles and scripts inlined, the map and
charts drawn as inline SVG, every visible string taken from ``i18n/<lang>.json``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape

from .. import __version__
from ..enrich import ATTRIBUTIONS
from ..enrich.places import NEAR_KM
from ..findings import SEVERITY_ORDER
from ..store import Store
from . import basemap
from . import data as agg
from .i18n import FALLBACK, Translator, languages, translator

if TYPE_CHECKING:
    from ..audit import AuditResult

REPORT_SCHEMA_VERSION = 2
MAX_ISSUES = 5_000
MAP_LINK_SITE = "www.openstreetmap.org"  # the opt-in link only; the page itself never contacts it


def _asset(name: str) -> str:
    return resources.files("reflet.report").joinpath(f"static/{name}").read_text("utf-8")


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reflet.report", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.globals.update(translator=Translator, view=view, asset=_asset, map_site=MAP_LINK_SITE, text=text,
                       message=message, near=near)
    # Numbers in the page's language (1,234 / 1 234 / 1234 and 12.345).
    env.filters["num"] = jinja2.pass_context(
        lambda ctx, n, decimals=0: translator(ctx["lang"]).number(float(n), decimals) if n is not None else "?")
    # Addresses are shown for the person to type, never as links: without the scheme nothing can be
    # clicked by mistake, and the page holds no network address at all.
    env.filters["noscheme"] = lambda s: re.sub(r"^[a-z]+://", "", str(s or ""))
    env.filters["day"] = lambda s: str(s)[:10] if s else "?"
    return env


def text(t: Translator, obj: Any, field: str) -> Markup:
    """A finding's title or detail, or an evidence's summary, in the page's language.

    From its message key and values when it has one (values marked as data); otherwise the stored
    English text, marked as data in English (a finding from an older reflet, or a redacted summary)."""
    get = obj.get if isinstance(obj, dict) else lambda k, default=None: getattr(obj, k, default)
    # A summary without a key is data itself (a post's text, a name), in whatever language it was written.
    return message(t, get(f"{field}_key"), get(f"{field}_args"), get(field) or "", english=field != "summary")


def message(t: Translator, key: str | None, args: dict[str, Any] | None, fallback: str = "", *,
            english: bool = True) -> Markup:
    """Message ``key`` with ``args`` in the page's language, else ``fallback`` marked as data (in English)."""
    if key and args is not None and t.has(key):
        try:
            return t.message_html(key, args)
        except (KeyError, ValueError, TypeError):
            pass  # a message the files cannot render (an older report's values): the English text below
    if not fallback:
        return Markup("")
    return Markup('<span class="v"{}>{}</span>').format(Markup(' lang="en"') if english else "", fallback)


def near(t: Translator, obj: dict[str, Any]) -> Markup:
    """'(350 m north-east of Parc Jarry, Quebec, Canada)' in the page's language, from the place name's parts."""
    parts = obj.get("near_parts")
    if isinstance(parts, dict) and parts.get("name"):
        country = t.country(parts["country"]) if parts.get("country") else None
        admin1 = parts.get("admin1")
        fold = {str(x).casefold() for x in (parts["name"], country, translator(FALLBACK).country(parts.get("country")))
                if x}
        where = [x for x in (parts["name"], None if str(admin1 or "").casefold() in fold else admin1, country) if x]
        km, bearing = parts.get("km"), parts.get("bearing")
        if km is None or bearing is None or float(km) < NEAR_KM or not t.has(f"dir.{bearing}"):
            inner = t.message_html("near.in", {"where": where})
        else:
            inner = t.message_html("near.dir", {"km": float(km), "dir": {"key": f"dir.{bearing}", "args": {}},
                                                "where": where})
        return Markup("(") + inner + Markup(")")
    if obj.get("near"):
        key = "place.at" if re.match(r"^(in |\d)", str(obj["near"])) else "place.near"
        return escape(t(key, place=obj["near"]))
    return Markup("")


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
            f"SELECT archive, member, locator, level, message FROM parse_issue ORDER BY 1, 2, 3 LIMIT {MAX_ISSUES}")
    ]
    findings = [f.to_dict() for f in result.findings]
    atlas = basemap.atlas_file(detailed=False) is not None
    problems: list[str] = []

    def part(name: str, fn: Callable[[], Any], empty: Any) -> Any:
        # One part of the page that cannot be computed must not cost the person the whole report.
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001
            problems.append(f"The report's {name} could not be built ({type(exc).__name__}: {exc}); "
                            "please report this. The rest of the report is complete.")
            return empty

    out = {
        "schema_version": REPORT_SCHEMA_VERSION,
        "reflet_version": __version__,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "encrypted_store": result.encrypted,
        "store": str(result.store_path),
        "records": [{"type": t, "platform": p, "count": n} for (t, p), n in sorted(result.records.items())],
        "findings": findings,
        "archives": part("list of inputs", lambda: agg.archives(store), []),
        "members": members,
        "folders": part("list of folders", lambda: agg.read_folders(store), []),
        "issues": issues,
        "issues_total": int(store.query("SELECT count(*) FROM parse_issue")[0][0]),
        "refused": result.refused,
        "warnings": list(result.warnings),
        "failed_inferences": result.failed_inferences,
        "map": part("map", lambda: agg.map_data(store, findings), _EMPTY_MAP),
        "timeline": part("timeline", lambda: agg.timeline_data(store, findings), _EMPTY_TIMELINE),
        "devices": part("list of devices", lambda: agg.devices(store), []),
        "plan": part("plan", lambda: agg.plan(findings), []),
        "deletion": part("deletion list", lambda: agg.deletion_list(store), {"total": 0, "items": []}),
        "attributions": ATTRIBUTIONS + ([basemap.datasets.WORLD_ATLAS.attribution] if atlas else []),
    }
    out["warnings"].extend(problems)
    return out


_EMPTY_MAP: dict[str, Any] = {"anchors": [], "ips": [], "cells": [], "cell_deg": 0.0, "period": "month", "trips": [],
                              "points": 0}
_EMPTY_TIMELINE: dict[str, Any] = {"period": "month", "periods": [], "series": [], "marks": []}


# -- the view: geometry and groupings the templates draw ----------------------------------------
def _map_view(m: dict[str, Any]) -> dict[str, Any]:
    anchors, ips, cells, trips = m.get("anchors", []), m.get("ips", []), m.get("cells", []), m.get("trips", [])
    pts = ([(a["lat"], a["lon"]) for a in anchors] + [(c["lat"], c["lon"]) for c in cells]
           + [(i["lat"], i["lon"]) for i in ips] + [(t["lat"], t["lon"]) for t in trips])
    if not pts:
        return {"empty": True}
    proj = basemap.fit(pts)
    paths = basemap.outlines(proj)
    top = max((c["n"] for c in cells), default=1)
    unit = max(proj.width / 400, 1.0)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return proj.xy(lat, lon)

    vcells = []
    for c in cells:
        x, y = xy(c["lat"], c["lon"])
        vcells.append(c | {"x": x, "y": y, "r": round(unit * (1 + 3 * math.log1p(c["n"]) / math.log1p(top)), 1)})
    vanchors: list[dict[str, Any]] = []
    for i, a in enumerate(anchors):
        x, y = xy(a["lat"], a["lon"])
        # Marks closer than a label's height on the whole map (home and the platform's own "home" label, a
        # city's places on a map of the world) print their numbers in a row, "1 2 3": printed over each
        # other, "1" and "2" would read as neither. ``dx`` is the shift, in font sizes (report.js does the same
        # at each zoom).
        dx = sum(len(str(b["i"])) * 0.62 + 0.45 for b in vanchors if math.hypot(b["x"] - x, b["y"] - y) < 9 * unit)
        vanchors.append(a | {"i": i + 1, "x": x, "y": y, "dx": round(dx, 2),
                             # The ring is the real uncertainty (zoom in to see it); the pin keeps it findable.
                             "r": round(proj.metres(a["radius_m"] or 0.0, a["lat"]), 4)})
    vips = []
    for ip in ips:
        x, y = xy(ip["lat"], ip["lon"])
        r = proj.metres((ip["radius_km"] or 1.0) * 1000, ip["lat"])
        vips.append(ip | {"x": x, "y": y, "r": round(min(max(r, unit * 2), proj.width), 1)})
    vtrips = []
    for t in trips:
        x, y = xy(t["lat"], t["lon"])
        vtrips.append(t | {"x": x, "y": y})
    times = sorted({c["time"] for c in cells if c.get("time")})
    return {"empty": False, "w": proj.width, "h": proj.height, "paths": paths, "cells": vcells,
            "anchors": vanchors, "ips": vips, "trips": vtrips, "times": times, "outlines": bool(paths),
            "unit": unit,
            "platforms": sorted({c["platform"] for c in cells} | {p for i in ips for p in i["platforms"]}),
            "channels": [c for c in ("public", "records", "adtech") if any(x["channel"] == c for x in cells)]}


def _chart_view(tl: dict[str, Any]) -> dict[str, Any]:
    periods: list[str] = tl.get("periods", [])
    series = tl.get("series", [])
    if not periods:
        return {"empty": True}
    index = {p: i for i, p in enumerate(periods)}
    totals: dict[str, int] = {}
    for s in series:
        totals[s["time"]] = totals.get(s["time"], 0) + s["n"]
    top = max(totals.values(), default=1)
    w, h, left, bottom = 1000.0, 260.0, 40.0, 30.0
    bw = (w - left) / len(periods)
    scale = (h - bottom - 10) / top
    bars: dict[str, list[dict[str, Any]]] = {p: [] for p in periods}
    for s in sorted(series, key=lambda s: (s["time"], s["kind"], s["platform"])):
        bars[s["time"]].append(s)
    rects = []
    for p in periods:
        y = h - bottom
        for s in bars[p]:
            hh = s["n"] * scale
            y -= hh
            rects.append(s | {"x": round(left + index[p] * bw + bw * 0.1, 1), "y": round(y, 1),
                              "w": round(max(bw * 0.8, 0.5), 1), "h": round(hh, 2)})
    step = max(1, math.ceil(len(periods) / 12))
    ticks = [{"x": round(left + i * bw + bw / 2, 1), "label": p} for i, p in enumerate(periods) if i % step == 0]

    def px(day: str | None, end: bool = False) -> float | None:
        if not day:
            return None
        key = day[:4] if tl.get("period") == "year" else day[:7]
        if key not in index:
            return None
        return round(left + (index[key] + (1 if end else 0)) * bw, 1)

    marks = []
    for m in tl.get("marks", []):
        x0, x1 = px(m.get("start")), px(m.get("end"), end=True)
        if x0 is not None:
            marks.append(m | {"x": x0, "w": round(max((x1 or x0 + bw) - x0, 2.0), 1)})
    kinds = sorted({s["kind"] for s in series})
    table = [{"time": p, "counts": {k: sum(s["n"] for s in bars[p] if s["kind"] == k) for k in kinds}}
             for p in periods if bars[p]]
    return {"empty": False, "w": w, "h": h, "base": h - bottom, "left": left, "top": top, "scale": scale,
            "rects": rects, "ticks": ticks, "marks": marks, "kinds": kinds, "table": table, "periods": periods,
            "platforms": sorted({s["platform"] for s in series})}


def _adtech_groups(findings: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Who holds the data; the sensitive categories; what other apps and sites reported."""
    groups: dict[str, list[dict[str, Any]]] = {"holders": [], "interests": [], "activity": []}
    for f in findings:
        k = f["kind"]
        if not k.startswith("adtech."):
            continue
        if k == "adtech.advertisers" or k.startswith("adtech.data_broker."):
            groups["holders"].append(f)
        elif k.endswith(".activity"):
            groups["activity"].append(f)
        else:
            groups["interests"].append(f)
    return list(groups.items())


def view(d: dict[str, Any]) -> dict[str, Any]:
    """What the templates draw, computed from the report data (tolerates a partial ``d``)."""
    findings: list[dict[str, Any]] = d.get("findings", [])
    by_channel: dict[str, list[dict[str, Any]]] = {"public": [], "records": [], "adtech": []}
    for f in findings:
        if not f["kind"].startswith("coverage."):
            by_channel.setdefault(f["channel"], []).append(f)
    for fs in by_channel.values():
        fs.sort(key=lambda f: (SEVERITY_ORDER[f["severity"]], -int(f.get("evidence_count") or 0)))
    ids: dict[int, str] = {}
    seen: dict[str, int] = {}
    for f in findings:
        base = "f-" + f["kind"].replace(".", "-")
        seen[base] = seen.get(base, 0) + 1
        ids[id(f)] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    members = d.get("members", [])
    return {
        "top": agg.top_findings(findings),
        "by_channel": by_channel,
        "coverage": [f for f in findings if f["kind"].startswith("coverage.")],
        "account": [f for f in findings if f["kind"].startswith("account.")],
        "identity": [f for f in findings if f["kind"].startswith("identity.")],
        "adtech": [f for f in findings if f["kind"].startswith("adtech.")],
        "adtech_groups": _adtech_groups(findings),
        "fid": lambda f: ids[id(f)],
        "map": _map_view(d.get("map", {})),
        "chart": _chart_view(d.get("timeline", {})),
        "members_by_folder": len(members) > agg.MAX_MEMBERS_LISTED,
        "platforms": sorted({p for f in findings for p in f.get("platforms") or []}),
    }


def render_html(d: dict[str, Any], lang: str = "en") -> str:
    return _env().get_template("report.html").render(d=d, css=_asset("report.css"), lang=lang)


def write_reports(store: Store, result: AuditResult, lang: str = "en",
                  passphrase: str | None = None) -> tuple[Path, Path]:
    """Write ``report.html`` (in ``lang``) and ``report.json`` into the audit's output folder.

    With a passphrase, nothing personal is written in clear (report/encrypt.py).
    """
    from .encrypt import write_outputs

    data = report_data(store, result)
    if lang not in languages():
        data["warnings"] = [*data["warnings"], Translator(FALLBACK)("warn.lang", lang=lang)]
    html = render_html(data, lang)
    return write_outputs(result.out, html, json.dumps(data, indent=1, ensure_ascii=False, default=str), passphrase)


__all__ = ["REPORT_SCHEMA_VERSION", "render_html", "report_data", "view", "write_reports"]
