"""Photos and videos anywhere in an export or a photo folder, and the sidecars beside them.

Each picture or video yields a ``Media`` record (time, position, camera),
a ``Place(kind="geotag")`` when it is located, and a ``Device(kind="camera")``
when it names a camera (serial numbers tie photos to one physical device), and an
``Identity(kind="name")`` when the camera's owner name is set.
Only headers are read (see ``reflet.media``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import datetime
from typing import BinaryIO

from ..archive import FolderArchive
from ..media import EXTENSIONS, MediaMeta, parse_exif_time, read, sidecar, sniff
from ..records import Device, Identity, Media, ParseIssue, Place
from . import WHOLE_FILE, GiB, Handler, Member, MiB, register

Out = Iterator[Media | Place | Device | Identity | ParseIssue]

# Which platform's export a media file sits in, from its path (formats.md §1.8, 2.6, 3.10, 4).
_PLATFORM = [
    (re.compile(r"(^|/)Google Photos/", re.I), "google"),
    (re.compile(r"(^|/)(your_facebook_activity|photos_and_videos|your_activity_across_facebook)/", re.I), "facebook"),
    (re.compile(r"(^|/)(your_instagram_activity/|media/(posts|stories|reels|profile|archived_posts)/)", re.I),
     "instagram"),
    (re.compile(r"(^|/)data/(tweets|direct_messages|direct_messages_group|deleted_tweets|profile|community_tweet|"
                r"moments|moments_tweets|grok_chat)_media/", re.I), "x"),
]


def platform_of(path: str) -> str:
    for rx, name in _PLATFORM:
        if rx.search(path):
            return name
    return "media"


def _open(member: Member) -> BinaryIO:
    # In a folder, a plain read-only file handle can seek past a video's data instead of reading it.
    if isinstance(member.archive, FolderArchive):
        fd = os.open(member.archive.path / member.info.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        return os.fdopen(fd, "rb")
    return member.open()


def _taken_at(meta: MediaMeta) -> datetime | None:
    if meta.taken_at is not None:
        return meta.taken_at
    if meta.taken_local and meta.lat is not None and meta.lon is not None:
        # Wall-clock time without a zone: the zone where the photo was taken says which instant it was.
        from zoneinfo import ZoneInfo

        from ..enrich.tz import timezone_at

        local = parse_exif_time(meta.taken_local)
        name = timezone_at(meta.lat, meta.lon)
        if local is not None and name:
            return local.replace(tzinfo=ZoneInfo(name))
    return None


def records_for(member: Member, meta: MediaMeta, platform: str, path: str, locator: str) -> Out:
    taken = _taken_at(meta)
    prov = member.prov(locator)
    yield Media(provenance=prov, platform=platform, path=path, taken_at=taken, lat=meta.lat, lon=meta.lon,
                camera_make=meta.make, camera_model=meta.model, camera_serial=meta.serial, software=meta.software)
    if meta.lat is not None and meta.lon is not None:
        yield Place(provenance=prov, platform=platform, time=taken, lat=meta.lat, lon=meta.lon, kind="geotag",
                    name=", ".join(meta.places) or None, source=meta.found.get("GPS position"))
    ids = tuple((k, v) for k, v in (("serial", meta.serial), ("lens_serial", meta.lens_serial)) if v)
    if meta.make or meta.model or ids:
        yield Device(provenance=prov, platform=platform, kind="camera", make=meta.make, model=meta.model,
                     identifiers=ids, first_seen=taken, last_seen=taken)
    if meta.owner:
        # The camera owner field is usually the photographer's own name, set once in the camera's menu.
        yield Identity(provenance=prov, platform=platform, kind="name", value=meta.owner, role="inferred")


def parse_media(member: Member) -> Out:
    with _open(member) as f:
        meta = read(f, size=member.info.size)
    for msg in meta.issues:
        yield member.issue(WHOLE_FILE, msg, level="warning")
    if meta.container == "unknown":
        return
    yield from records_for(member, meta, platform_of(member.path), member.path, WHOLE_FILE)


def parse_google_sidecar(member: Member) -> Out:
    with member.open() as f:
        data = f.read()
    try:
        side = sidecar.google(data)
    except ValueError as exc:
        yield member.issue(WHOLE_FILE, f"not a readable Google Photos sidecar: {str(exc)[:200]}")
        return
    folder, _, name = member.path.rpartition("/")
    target = sidecar.media_name(name) or ""
    if target.rsplit(".", 1)[-1].lower() not in EXTENSIONS and side.title and "." in side.title:
        # Long names are cut before the extension too ("…_truncat.jp.json"): the title is the full name.
        target = side.title
    if "." not in target:
        return  # an album's metadata.json, not a photo's sidecar
    path = f"{folder}/{target}" if folder else target
    meta = MediaMeta(container="sidecar", lat=side.lat, lon=side.lon, taken_at=side.taken_at)
    if side.lat is not None:
        meta.found["GPS position"] = "geoData"
    yield from records_for(member, meta, "google", path, "/geoData" if side.lat is not None else "/photoTakenTime")


def parse_xmp_sidecar(member: Member) -> Out:
    with member.open() as f:
        meta = sidecar.xmp_sidecar(f.read())
    for msg in meta.issues:
        yield member.issue(WHOLE_FILE, msg, level="warning")
    yield from records_for(member, meta, platform_of(member.path), member.path[:-4], WHOLE_FILE)


def parse_aae(member: Member) -> Out:
    with member.open() as f:
        data = f.read()
    try:
        editor, when = sidecar.aae(data)
    except Exception as exc:  # noqa: BLE001 - plistlib raises several unrelated types on bad input
        yield member.issue(WHOLE_FILE, f"not a readable Apple edit file: {type(exc).__name__}")
        return
    yield Media(provenance=member.prov(WHOLE_FILE), platform=platform_of(member.path), path=member.path[:-4],
                software=editor, taken_at=None)
    _ = when  # the edit time is not when the photo was taken; kept out of taken_at on purpose


_EXT = "|".join(sorted(EXTENSIONS, key=len, reverse=True))

register(Handler(
    platform="media", name="media.file", title="Photos and videos (location, time, camera in their metadata)",
    pattern=rf"[^/]+\.(?:{_EXT})", example="Pictures/2024/IMG_1234.jpg", parse=parse_media,
    # An empty head means the registry could not read one (it refuses members over 256 MiB, i.e. most
    # videos): the extension decides, and parse_media reports a file that is not media after all.
    sniff=lambda head: not head or sniff(head) is not None, max_bytes=64 * GiB,
))
register(Handler(
    platform="google", name="media.google_sidecar", title="Google Photos metadata sidecars (.json)",
    pattern=r"Google Photos/(?:[^/]+/)*[^/]+\.json", example="Takeout/Google Photos/Photos from 2024/IMG_1.jpg.json",
    parse=parse_google_sidecar, max_bytes=4 * MiB,
    sniff=lambda head: b'"photoTakenTime"' in head or b'"geoData"' in head,
))
register(Handler(
    platform="media", name="media.xmp_sidecar", title="XMP sidecars next to photos (.xmp)",
    pattern=r"[^/]+\.xmp", example="Pictures/IMG_1234.jpg.xmp", parse=parse_xmp_sidecar, max_bytes=16 * MiB,
    sniff=lambda head: b"xmpmeta" in head or b"rdf:RDF" in head,
))
register(Handler(
    platform="media", name="media.aae", title="Apple photo edit records (.aae)",
    pattern=r"[^/]+\.aae", example="DCIM/100APPLE/IMG_1234.AAE", parse=parse_aae, max_bytes=4 * MiB,
    sniff=lambda head: b"adjustment" in head or head[:6] == b"bplist",
))
