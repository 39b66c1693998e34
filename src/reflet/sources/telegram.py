"""Telegram Desktop "Export Telegram data" (machine-readable JSON): ``result.json`` (formats.md 9).

Read: personal information, sessions and web sessions (last IP, country, region,
device), location shared in the person's own messages, and counts of contacts
and chats. Contacts' names and numbers and message texts are never kept.
``date`` fields are the exporting computer's local time without an offset, so
the ``*_unixtime`` strings are used instead.
The file can be large (all chats), so it is streamed section by section.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..records import AnyRecord, Connection, Device, Identity, Login, ParseIssue, Place
from . import WHOLE_FILE, GiB, Handler, Member, register
from ._common import BadValue, check_latlon, from_epoch, json_pointer, stream_multi

PLATFORM = "telegram"
Out = Iterator[AnyRecord | ParseIssue]


def _t(obj: dict[str, Any], key: str) -> datetime | None:
    raw = obj.get(f"{key}_unixtime")
    return from_epoch(raw) if raw not in (None, "") else None


def _personal(member: Member, info: dict[str, Any]) -> Out:
    name = " ".join(str(info[k]) for k in ("first_name", "last_name") if info.get(k))
    if name:
        yield Identity(provenance=member.prov("/personal_information/first_name"), platform=PLATFORM,
                       kind="name", value=name)
    if info.get("phone_number"):
        yield Identity(provenance=member.prov("/personal_information/phone_number"), platform=PLATFORM,
                       kind="phone", value=str(info["phone_number"]).replace(" ", ""))
    if info.get("username"):
        yield Identity(provenance=member.prov("/personal_information/username"), platform=PLATFORM,
                       kind="username", value=str(info["username"]).lstrip("@"),
                       channels=frozenset({"records", "public"}))


def _sessions(member: Member, key: str, sessions: list[Any]) -> Out:
    for i, s in enumerate(sessions):
        ptr = json_pointer(key, "list", i)
        if not isinstance(s, dict):
            yield member.issue(ptr, "entry is not an object")
            continue
        try:
            if key == "sessions":
                device = " ".join(str(s[k]) for k in ("device_model", "platform", "system_version") if s.get(k))
                app = " ".join(str(s[k]) for k in ("application_name", "application_version") if s.get(k))
                yield Login(provenance=member.prov(ptr), platform=PLATFORM, time=_t(s, "last_active"),
                            ip=s.get("last_ip"), country=s.get("last_country"), region=s.get("last_region"),
                            device=device or None, action="session", detail=app or None)
                yield Device(provenance=member.prov(ptr), platform=PLATFORM,
                             kind="phone" if str(s.get("platform", "")).lower() in ("android", "ios") else "computer",
                             model=s.get("device_model"), os=" ".join(
                                 str(s[k]) for k in ("platform", "system_version") if s.get(k)) or None,
                             name=app or None, first_seen=_t(s, "created"), last_seen=_t(s, "last_active"))
            else:
                site = s.get("domain_name") or s.get("bot_username")
                yield Login(provenance=member.prov(ptr), platform=PLATFORM, time=_t(s, "last_active"),
                            ip=s.get("last_ip"), region=s.get("last_region"), action="session",
                            user_agent=s.get("browser"), detail=f"web session: {site}" if site else "web session")
        except (BadValue, ValueError, TypeError) as exc:
            yield member.issue(ptr, str(exc))


def _chat(member: Member, index: int, chat: dict[str, Any], me: str | None) -> Out:
    for j, m in enumerate(chat.get("messages") or []):
        if not isinstance(m, dict):
            continue
        loc = m.get("location_information")
        if not isinstance(loc, dict):
            continue
        # Only the person's own shared locations: others' positions are theirs, not ours to keep.
        if me is not None and m.get("from_id") not in (me, None):
            continue
        ptr = json_pointer("chats", "list", index, "messages", j, "location_information")
        try:
            lat, lon = check_latlon(float(loc["latitude"]), float(loc["longitude"]))
            yield Place(provenance=member.prov(ptr), platform=PLATFORM, time=_t(m, "date"), lat=lat, lon=lon,
                        kind="gps" if m.get("live_location_period_seconds") else "checkin",
                        name=m.get("place_name"), source="shared in a chat")
        except (KeyError, TypeError, ValueError, BadValue) as exc:
            yield member.issue(ptr, f"could not be read: {exc}")


def parse(member: Member) -> Out:
    me: str | None = None
    n_chats = 0
    wanted = {"personal_information", "sessions", "web_sessions", "contacts.list", "chats.list.item"}
    try:
        for prefix, value in stream_multi(member, wanted):
            if prefix == "personal_information" and isinstance(value, dict):
                if value.get("user_id") is not None:
                    me = f"user{value['user_id']}"
                yield from _personal(member, value)
            elif prefix in ("sessions", "web_sessions") and isinstance(value, dict):
                yield from _sessions(member, prefix, value.get("list") or [])
            elif prefix == "contacts.list" and isinstance(value, list):
                # Counted only: contacts are other people.
                yield Connection(provenance=member.prov("/contacts/list"), platform=PLATFORM, kind="contact",
                                 count=len(value))
            elif prefix == "chats.list.item" and isinstance(value, dict):
                yield from _chat(member, n_chats, value, me)
                n_chats += 1
    except BadValue as exc:
        yield member.issue(WHOLE_FILE, str(exc))
    except RecursionError:
        yield member.issue(WHOLE_FILE, "the JSON is nested too deeply to be real")
    if n_chats:
        yield Connection(provenance=member.prov("/chats/list"), platform=PLATFORM, kind="chat", count=n_chats)


register(Handler(
    platform=PLATFORM, name="telegram.result", title="Telegram Desktop export (profile, sessions, shared locations)",
    pattern=r"result\.json", example="Telegram Desktop/DataExport_2024-05-01/result.json", parse=parse,
    max_bytes=32 * GiB,
    sniff=lambda head: any(k in head for k in (b'"personal_information"', b'"about"', b'"chats"', b'"sessions"')),
))
