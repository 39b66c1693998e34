"""Discord data package (not in formats.md; see docs/platform-research.md).

* ``Activity/Analytics/events-YYYY-00000-of-00001.json`` (also ``reporting``,
  ``tns``; lower-case folders in older packages): one JSON event per line with
  ``event_type``, ``timestamp``, ``ip``, ``city``, ``region_code``,
  ``country_code``, ``os``, ``browser``/``device``, ``time_zone``. Field names
  seen in public parsers' examples; the package's README confirms the folders.
  A busy account has millions of events, so they are streamed and folded into
  one session per (IP, day, device), keeping the first event's line as evidence.
* ``Account/user.json`` (UNCONFIRMED keys): username, e-mail, phone, last IP,
  connected accounts; relationships (friends) are counted only.
* ``Servers/index.json`` and ``Messages/index.json``: counted only.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import orjson

from ..records import AnyRecord, App, Connection, Identity, Login, ParseIssue
from . import WHOLE_FILE, GiB, Handler, Member, MiB, register
from ._common import BadValue, load_json, load_json_object, parse_time, plausible

PLATFORM = "discord"
Out = Iterator[AnyRecord | ParseIssue]
_MAX_LINE = 1 << 20


def parse_events(member: Member) -> Out:
    seen: set[tuple[str, str, str]] = set()
    with member.open() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="replace")
        for n, line in enumerate(text, start=1):
            if len(line) > _MAX_LINE:
                yield member.issue(f"line {n}", "line too long to be an event; skipped")
                continue
            line = line.strip()
            if not line:
                continue
            try:
                ev = orjson.loads(line)
            except orjson.JSONDecodeError:
                yield member.issue(f"line {n}", "not a JSON event")
                continue
            if not isinstance(ev, dict) or not ev.get("ip"):
                continue
            try:
                ts = str(ev.get("timestamp") or "").strip('"')  # some packages double-quote it
                t = parse_time(ts) if ts else None
                if t is not None and not plausible(t):
                    t = None
                device = " ".join(str(ev[k]) for k in ("device", "os", "browser") if ev.get(k)) or None
                key = (str(ev["ip"]), t.date().isoformat() if t else "", device or "")
                if key in seen:
                    continue
                seen.add(key)
                yield Login(provenance=member.prov(f"line {n}"), platform=PLATFORM, time=t, ip=str(ev["ip"]),
                            device=device, action="session", city=ev.get("city") or None,
                            region=ev.get("region_code") or None, country=ev.get("country_code") or None,
                            detail=str(ev.get("event_type") or "") or None)
            except (BadValue, ValueError, TypeError) as exc:
                yield member.issue(f"line {n}", str(exc))


def parse_user(member: Member) -> Out:
    user = load_json_object(member)
    if isinstance(user, ParseIssue):
        yield user
        return
    name = user.get("username")
    if name:
        disc = user.get("discriminator")
        value = f"{name}#{disc}" if disc and str(disc) != "0" else str(name)
        yield Identity(provenance=member.prov("/username"), platform=PLATFORM, kind="username", value=value,
                       channels=frozenset({"records", "public"}))
    for key, kind in (("email", "email"), ("phone", "phone")):
        if user.get(key):
            yield Identity(provenance=member.prov(f"/{key}"), platform=PLATFORM, kind=kind, value=str(user[key]))  # type: ignore[arg-type]
    if user.get("ip"):
        yield Login(provenance=member.prov("/ip"), platform=PLATFORM, time=None, ip=str(user["ip"]),
                    action="session", detail="last IP on the account")
    for i, c in enumerate(user.get("connections") or []):
        if isinstance(c, dict) and c.get("type"):
            # A linked account (Steam, Spotify, X...) is an identity link an analyst would follow.
            visible = c.get("visibility") == 1
            yield Identity(provenance=member.prov(f"/connections/{i}"), platform=PLATFORM, kind="username",
                           value=f"{c['type']}:{c.get('name') or c.get('id')}", role="inferred",
                           channels=frozenset({"records", "public"}) if visible else frozenset({"records"}))
    rel = user.get("relationships")
    if isinstance(rel, list):
        yield Connection(provenance=member.prov("/relationships"), platform=PLATFORM, kind="friend",
                         count=sum(1 for r in rel if isinstance(r, dict) and r.get("type") == 1))


def _index_counter(kind: str) -> Any:
    def parse(member: Member) -> Out:
        try:
            idx = load_json(member)
        except (ValueError, RecursionError) as exc:
            yield member.issue(WHOLE_FILE, f"not valid JSON ({exc})")
            return
        if isinstance(idx, dict):
            yield Connection(provenance=member.prov(WHOLE_FILE), platform=PLATFORM, kind=kind, count=len(idx))  # type: ignore[arg-type]
        else:
            yield member.issue(WHOLE_FILE, "not a JSON object")
    return parse


def parse_application(member: Member) -> Out:
    try:
        app = load_json(member)
    except (ValueError, RecursionError) as exc:
        yield member.issue(WHOLE_FILE, f"not valid JSON ({exc})")
        return
    if isinstance(app, dict) and app.get("name"):
        yield App(provenance=member.prov("/name"), platform=PLATFORM, name=str(app["name"]))


register(Handler(
    platform=PLATFORM, name="discord.events", title="Activity events (IP, city, device) (unconfirmed layout)",
    pattern=r"activity/(analytics|reporting|tns|modeling)/events-[^/]*\.json",
    example="package/Activity/Analytics/events-2024-00000-of-00001.json", parse=parse_events, max_bytes=16 * GiB,
    unconfirmed=True, sniff=lambda head: head.lstrip()[:1] == b"{" and b'"event_type"' in head,
))
register(Handler(
    platform=PLATFORM, name="discord.user", title="Account (username, e-mail, phone, last IP, linked accounts)",
    pattern=r"account/user\.json", example="package/Account/user.json", parse=parse_user, max_bytes=64 * MiB,
    unconfirmed=True, sniff=lambda head: b'"username"' in head or b'"discriminator"' in head,
))
register(Handler(
    platform=PLATFORM, name="discord.servers", title="Servers (counted)", pattern=r"servers/index\.json",
    example="package/Servers/index.json", parse=_index_counter("group"), max_bytes=16 * MiB, unconfirmed=True,
))
register(Handler(
    platform=PLATFORM, name="discord.channels", title="Message channels (counted)", pattern=r"messages/index\.json",
    example="package/Messages/index.json", parse=_index_counter("chat"), max_bytes=16 * MiB, unconfirmed=True,
))
register(Handler(
    platform=PLATFORM, name="discord.applications", title="Your applications / bots", unconfirmed=True,
    pattern=r"account/applications/[^/]+/application\.json",
    example="package/Account/applications/123/application.json", parse=parse_application, max_bytes=8 * MiB,
))
