"""WhatsApp "Request account info" report (not in formats.md; see docs/platform-research.md).

The report is a zip with an HTML page and a JSON file. What it holds is
documented (WhatsApp's help centre and press coverage): the account's phone
number and name, registration date, the last IP address, the phone's model,
OS and app version, the carrier, group names and contacts' numbers, privacy
settings. Its JSON key names were not seen in any public sample: UNCONFIRMED.

So this reader walks the JSON and recognises values by the meaning of their
keys (``ip``, ``phone``, ``device``/``model``, ``os``, ``registration``,
``groups``, ``contacts``), tolerant of nesting. Contacts and group names are
other people's: they are counted, never stored.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import Any

from ..records import AnyRecord, Connection, Device, Identity, Login, ParseIssue
from . import Handler, Member, MiB, register
from ._common import BadValue, json_pointer, load_json_object, parse_time

PLATFORM = "whatsapp"
Out = Iterator[AnyRecord | ParseIssue]

_IP_KEY = re.compile(r"(^|_)ip(_?address)?($|_)", re.I)
_PHONE_KEY = re.compile(r"phone|msisdn|number", re.I)
_TIME_KEY = re.compile(r"registration|registered|created|last_?seen|time|date", re.I)
_DEVICE_KEY = re.compile(r"device|model|manufacturer", re.I)
_OS_KEY = re.compile(r"(^|_)os($|_)|platform|os_version", re.I)


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip())
        return True
    except ValueError:
        return False


def _walk(obj: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(v, (*path, str(k)))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _walk(v, (*path, i))
    else:
        yield path, obj


def parse(member: Member) -> Out:
    data = load_json_object(member)
    if isinstance(data, ParseIssue):
        yield data
        return
    found_time = None
    device: dict[str, str] = {}
    for key in ("contacts", "groups"):
        for k, v in data.items():
            if key in str(k).lower() and isinstance(v, (list, dict)):
                yield Connection(provenance=member.prov(json_pointer(k)), platform=PLATFORM,
                                 kind="contact" if key == "contacts" else "group", count=len(v))
    for path, value in _walk({k: v for k, v in data.items()
                              if not any(x in str(k).lower() for x in ("contact", "group"))}):
        if value in (None, "") or not path:
            continue
        key = str([p for p in path if isinstance(p, str)][-1]) if any(isinstance(p, str) for p in path) else ""
        text = str(value).strip()
        ptr = json_pointer(*path)
        try:
            if _IP_KEY.search(key) and _is_ip(text):
                yield Login(provenance=member.prov(ptr), platform=PLATFORM, time=None, ip=text, action="session",
                            detail=key.replace("_", " "))
            elif _PHONE_KEY.search(key) and re.fullmatch(r"\+?[\d\s().-]{6,20}", text):
                yield Identity(provenance=member.prov(ptr), platform=PLATFORM, kind="phone",
                               value=re.sub(r"[\s().-]", "", text))
            elif key.lower() in ("name", "push_name", "display_name", "profile_name"):
                yield Identity(provenance=member.prov(ptr), platform=PLATFORM, kind="name", value=text)
            elif _OS_KEY.search(key):
                device["os"] = " ".join(x for x in (device.get("os"), text) if x)
            elif _DEVICE_KEY.search(key):
                device.setdefault("model", text)
                device.setdefault("ptr", ptr)
            elif _TIME_KEY.search(key) and "registration" in key.lower() and found_time is None:
                found_time = parse_time(text, assume_utc=True)
        except (BadValue, ValueError) as exc:
            yield member.issue(ptr, str(exc))
    if device:
        yield Device(provenance=member.prov(device.get("ptr", "/")), platform=PLATFORM, kind="phone",
                     model=device.get("model"), os=device.get("os"), first_seen=found_time)


register(Handler(
    platform=PLATFORM, name="whatsapp.account_info", unconfirmed=True,
    title="Account information report (phone, last IP, device; contacts and groups counted)",
    # File names are UNCONFIRMED: a JSON whose name or folder says WhatsApp.
    pattern=r"(?:[^/]*whatsapp[^/]*/(?:[^/]+/)*[^/]+|[^/]*whatsapp[^/]*)\.json",
    example="whatsapp_report/user_information.json", parse=parse, max_bytes=64 * MiB,
    sniff=lambda head: b"{" in head[:16] and any(k in head.lower() for k in (b"phone", b"ip", b"device")),
))
