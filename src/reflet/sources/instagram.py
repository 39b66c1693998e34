"""Instagram "Download your information" (JSON), every path generation (formats.md §2).

What is read: logins and logouts (IP, port, user agent, cookie), profile sessions, sign-up,
password and account changes, last known location and Instagram's "based in" inference,
devices, possible phone numbers, profile identifiers and their change history, posts and
stories with the GPS kept in their metadata, advertisers, other categories, off-Meta
activity, and COUNTS of followers/following (never names). HTML exports get one warning
with the steps to request JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..records import Device, Identity, Login, Media, Place, Post
from . import Handler, Member, register
from ._common import BadValue, check_latlon
from ._meta import (
    ADTECH,
    LV,
    PUBLIC,
    RECORDS,
    as_float,
    as_list,
    canon,
    device_kind,
    entries,
    field_time,
    fields,
    find,
    ip_or_none,
    load,
    looks_like_ip,
    meta_time,
    need_time_or_ip,
    opt_str,
    read_lv,
    read_map,
    run,
    text,
)
from .facebook import (
    OFF_META_KEYS,
    adtech_strings,
    advertiser_signals,
    connection_counter,
    html_export,
    media_records,
    off_meta_signals,
)

P = "instagram"
_J = r"\.json"
_LOGIN_DIR = r"(?:login_and_profile_creation|login_and_account_creation)/"


def _entry_time(e: dict[str, Any], lvs: list[LV], key: str = "time") -> datetime | None:
    """The time of a record: its "Time" field (timestamp, else value), the record timestamp, the ISO title.

    Older exports fill ``Time.value`` rather than ``Time.timestamp`` (formats.md §2.3); a value
    that is not a time is tolerated when another source of the time exists.
    """
    bad: str | None = None
    candidates: list[Any] = []
    lv = find(lvs, key)
    if lv is not None:
        candidates += [lv.timestamp, lv.value]
    candidates += [e.get("timestamp"), e.get("title")]
    for c in candidates:
        if c in (None, "", 0):
            continue
        try:
            t = meta_time(c)
        except (BadValue, ValueError):
            if c is not e.get("title"):
                bad = bad or f"unreadable time {str(c)[:40]!r}"
            continue
        if t is not None:
            return t
    if bad:
        raise BadValue(bad)
    return None


def _ip(lvs: list[LV]) -> str | None:
    ip = ip_or_none(text(lvs, "ip"))
    if ip is None:  # a label in a language the table does not know: the value that is an IP
        ip = next((str(x.value).strip() for x in lvs if looks_like_ip(x.value)), None)
    return ip


def _access(action: str) -> Any:
    def parse(member: Member) -> Iterator[Any]:
        def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
            lvs = fields(e)
            port = text(lvs, "port")
            lang = text(lvs, "language")
            cookie = text(lvs, "cookie")
            app = text(lvs, "app")
            device_id = text(lvs, "device_id")
            detail = "; ".join(x for x in (app, f"port {port}" if port else None,
                                           f"language {lang}" if lang else None) if x)
            when, ip = _entry_time(e, lvs), _ip(lvs)
            need_time_or_ip(when, ip)
            yield Login(
                provenance=member.prov(ptr or "/"), platform=P, time=when, ip=ip,
                user_agent=text(lvs, "user_agent"), action=action,  # type: ignore[arg-type]
                device=device_id or (f"cookie:{cookie}" if cookie else None), detail=detail or None,
            )
        yield from run(member, ("account_history_login_history", "account_history_logout_history",
                                "account_history_profile_activity"), one)
    return parse


def _signup(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        lvs = fields(e)
        t = _entry_time(e, lvs)
        device = text(lvs, "device")
        yield Login(provenance=member.prov(ptr or "/"), platform=P, time=t, ip=_ip(lvs), action="account_created",
                    device=device, user_agent=text(lvs, "user_agent"), detail="account created")
        for key, kind, ch in (("username", "username", PUBLIC), ("email", "email", RECORDS),
                              ("phone", "phone", RECORDS), ("name", "name", PUBLIC)):
            v = text(lvs, key)
            if v:
                yield Identity(provenance=member.prov(ptr or "/"), platform=P, channels=ch, kind=kind,  # type: ignore[arg-type]
                               value=v, role="primary", time=t)

    yield from run(member, ("account_history_registration_info",), one)


def _changes(action: str, label: str) -> Any:
    def parse(member: Member) -> Iterator[Any]:
        def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
            lvs = fields(e)
            what = "; ".join(f"{lv.label}: {lv.value}" for lv in lvs
                             if lv.key != "time" and isinstance(lv.value, str) and lv.value)
            yield Login(provenance=member.prov(ptr or "/"), platform=P, time=_entry_time(e, lvs), ip=_ip(lvs),
                        action=action, detail=f"{label}" + (f" ({what})" if what else ""))  # type: ignore[arg-type]
        yield from run(member, (), one)
    return parse


def _profile_changes(member: Member) -> Iterator[Any]:
    kinds = {"email": "email", "phone": "phone", "username": "username", "name": "name"}

    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        lvs = fields(e)
        changed = text(lvs, "changed")
        t = field_time(find(lvs, "change_date")) or _entry_time(e, lvs)
        kind = kinds.get(canon(changed) if changed else "")
        if kind is None:
            return
        prev, new = text(lvs, "previous"), text(lvs, "new")
        ch = PUBLIC if kind in ("username", "name") else RECORDS
        if prev:
            yield Identity(provenance=member.prov(ptr or "/"), platform=P, channels=RECORDS, kind=kind,  # type: ignore[arg-type]
                           value=prev, role="former", time=t)
        if new:
            yield Identity(provenance=member.prov(ptr or "/"), platform=P, channels=ch, kind=kind,  # type: ignore[arg-type]
                           value=new, role="primary", time=t)

    yield from run(member, ("profile_profile_change",), one)


def _personal_information(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        lvs = fields(e)
        for key, kind, ch in (("username", "username", PUBLIC), ("name", "name", PUBLIC),
                              ("email", "email", RECORDS), ("phone", "phone", RECORDS)):
            v = text(lvs, key)
            if v:
                yield Identity(provenance=member.prov(ptr or "/"), platform=P, channels=ch, kind=kind,  # type: ignore[arg-type]
                               value=v, role="primary")

    yield from run(member, ("profile_user",), one)


def _last_known_location(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        lvs = fields(e)
        t = field_time(find(lvs, "gps_time")) or _entry_time(e, lvs)
        found = False
        for prefix, kind, src in (("precise", "gps", "precise last known location"),
                                  ("imprecise", "unknown", "imprecise last known location")):
            la, lo = text(lvs, f"{prefix}_lat"), text(lvs, f"{prefix}_lon")
            if la is None or lo is None:
                continue
            lat, lon = check_latlon(as_float(la), as_float(lo))
            found = True
            yield Place(provenance=member.prov(ptr or "/"), platform=P, time=t, lat=lat, lon=lon,
                        kind=kind, source=src)  # type: ignore[arg-type]
        if not found:
            raise BadValue("no latitude/longitude in this entry")

    yield from run(member, ("account_history_imprecise_last_known_location",), one)


def _based_in(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        lvs = fields(e)
        names = []
        city = text(lvs, "city")
        if city:
            names.append(city)
        for lv in lvs:
            names += [v for v in lv.vec if isinstance(v, str)]
        if not names:
            raise BadValue("no city in this entry")
        for n in dict.fromkeys(names):
            # Instagram's own inference of where you are based, used for ads.
            yield Identity(provenance=member.prov(ptr or "/"), platform=P, channels=ADTECH, kind="place",
                           value=n, role="inferred")

    yield from run(member, ("inferred_data_primary_location",), one)


def _locations_of_interest(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        for i, lv in enumerate(read_lv(e.get("label_values"))):
            for j, name in enumerate(lv.strings()):
                yield Identity(provenance=member.prov(f"{ptr}/label_values/{i}/vec/{j}"), platform=P,
                               channels=ADTECH, kind="place", value=name, role="inferred")
        for lv in read_map(e.get("string_map_data")):
            for name in lv.strings():
                yield Identity(provenance=member.prov(ptr or "/"), platform=P, channels=ADTECH, kind="place",
                               value=name, role="inferred")

    yield from run(member, (), one)


def _possible_phones(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        values = [d.get("value") for d in e.get("string_list_data") or [] if isinstance(d, dict)]
        lvs = fields(e)
        values += [lv.value for lv in lvs] + [v for lv in lvs for v in lv.vec if isinstance(v, str)]
        for v in dict.fromkeys(x.strip() for x in values if isinstance(x, str) and x.strip()):
            yield Identity(provenance=member.prov(ptr or "/"), platform=P, kind="phone", value=v, role="inferred")

    yield from run(member, ("inferred_data_inferred_phone_numbers",), one)


def _devices(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        lvs = fields(e)
        ua = text(lvs, "user_agent")
        last = field_time(find(lvs, "last_login")) or _entry_time(e, lvs)
        device_id = text(lvs, "device_id")
        if not (ua or device_id):
            raise KeyError("User Agent")
        yield Device(provenance=member.prov(ptr or "/"), platform=P, kind=device_kind(ua),  # type: ignore[arg-type]
                     name=ua, identifiers=(("device_id", device_id),) if device_id else (), last_seen=last)

    yield from run(member, ("devices_devices",), one)


_PROFILE = re.compile(r"(?:^|/)(?:account_information|personal_information)/personal_information\.json$")
_FEED = re.compile(r"(?:^|/)posts_\d+\.json$")


def _account_is_public(member: Member) -> bool | None:
    """What the same export's profile says of the account ("Private Account"), None when it does not say.

    Instagram keeps no audience per post, only per account, in another file of the export.
    """
    for info in member.archive.members():
        if not _PROFILE.search(info.path):
            continue
        try:
            data = load(Member(member.archive, info)).data
        except Exception:  # noqa: BLE001 - that file's own parser reports its problem, with its entry
            return None
        for _, e in entries(data, "profile_user"):
            v = text(fields(e), "private account")
            if v is not None and v.strip().lower() in ("true", "false"):
                return v.strip().lower() == "false"
    return None


def _posts(member: Member) -> Iterator[Any]:
    # Feed posts of a public account are public; stories (gone after a day), archived and other
    # media stay "unknown": the export does not say who saw them.
    feed_public = bool(_FEED.search(member.path)) and _account_is_public(member) is True

    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        items = [(f"{ptr}/media/{i}", m) for i, m in enumerate(as_list(e.get("media"))) if isinstance(m, dict)]
        if not items and e.get("uri"):  # stories and archived media are bare media objects
            items = [(ptr, e)]
        if not items:
            raise KeyError("media")
        t = meta_time(e.get("creation_timestamp"))
        out: list[Any] = []
        paths: list[str] = []
        place_key = None
        for loc, m in items:
            recs = media_records(member, P, m, loc, t)
            out.extend(recs)
            for r in recs:
                if isinstance(r, Media):
                    paths.append(r.path)
                    t = t or meta_time(m.get("creation_timestamp"))
                if isinstance(r, Place) and place_key is None:
                    place_key = r.key
            exif = ((m.get("media_metadata") or {}).get("photo_metadata")
                    or (m.get("media_metadata") or {}).get("video_metadata") or {})
            rows = exif.get("exif_data") if isinstance(exif, dict) else None
            for row in rows if isinstance(rows, list) else []:
                if isinstance(row, dict) and opt_str(row.get("device_id")):
                    out.append(Identity(provenance=member.prov(loc), platform=P, kind="device_id",
                                        value=opt_str(row["device_id"]), role="primary"))  # type: ignore[arg-type]
        caption = opt_str(e.get("title")) or opt_str(items[0][1].get("title"))
        # Instagram exports no per-post audience, only the account's privacy (see _account_is_public).
        out.append(Post(provenance=member.prov(ptr or "/"), platform=P, time=t, text=caption,
                        visibility="public" if feed_public else "unknown",
                        channels=PUBLIC if feed_public else RECORDS, place=place_key, media=tuple(paths)))
        return out

    yield from run(member, ("ig_stories", "ig_archived_post_media", "ig_reposts", "ig_other_media"), one)


def _advertisers(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        yield from advertiser_signals(member, P, ptr, e)

    yield from run(member, ("ig_custom_audiences_all_types", "custom_audiences_all_types_v2"), one)


def _other_categories(member: Member) -> Iterator[Any]:
    yield from adtech_strings(member, P, "inferred_category", ())


def _topics(member: Member) -> Iterator[Any]:
    yield from adtech_strings(member, P, "interest", ("topics_your_topics",))


def _off_meta(member: Member) -> Iterator[Any]:
    yield from run(member, OFF_META_KEYS, lambda ptr, e: off_meta_signals(member, P, ptr, e))


def _reg(name: str, title: str, pattern: str, parse: Any, example: str, **kw: Any) -> None:
    register(Handler(platform=P, name=f"instagram.{name}", title=title, pattern=pattern, parse=parse,
                     example=example, **kw))


_reg("login_activity", "Login activity (IP, port, user agent)", _LOGIN_DIR + r"login_activity" + _J,
     _access("login"), "security_and_login_information/login_and_profile_creation/login_activity.json")
_reg("logout_activity", "Logout activity", _LOGIN_DIR + r"logout_activity" + _J,
     _access("logout"), "security_and_login_information/login_and_profile_creation/logout_activity.json")
_reg("profile_activity", "Profile activity (sessions)", _LOGIN_DIR + r"profile_activity" + _J,
     _access("session"), "security_and_login_information/login_and_profile_creation/profile_activity.json")
_reg("signup", "Sign-up details", _LOGIN_DIR + r"(?:signup_details|signup_information)" + _J,
     _signup, "security_and_login_information/login_and_profile_creation/signup_details.json")
_reg("password_changes", "Password changes", _LOGIN_DIR + r"password_change_activity" + _J,
     _changes("password_change", "password changed"),
     "security_and_login_information/login_and_profile_creation/password_change_activity.json")
_reg("account_changes", "Privacy and account status changes",
     _LOGIN_DIR + r"(?:profile_privacy_changes|profile_status_changes|account_privacy_changes|"
     r"account_status_changes)" + _J,
     _changes("other", "account privacy or status change"),
     "security_and_login_information/login_and_profile_creation/profile_privacy_changes.json")
_reg("last_known_location", "Last known location (precise and imprecise)",
     r"(?:" + _LOGIN_DIR + r"|information_about_you/|security_and_login_information/)last_known_location" + _J,
     _last_known_location, "security_and_login_information/login_and_profile_creation/last_known_location.json")
_reg("based_in", "Where Instagram thinks you are based",
     r"information_about_you/(?:profile_based_in|account_based_in)" + _J,
     _based_in, "personal_information/information_about_you/profile_based_in.json")
_reg("locations_of_interest", "Locations of interest",
     r"information_about_you/locations_of_interest" + _J,
     _locations_of_interest, "personal_information/information_about_you/locations_of_interest.json",
     unconfirmed=True)
_reg("possible_phones", "Possible phone numbers", r"information_about_you/possible_phone_numbers" + _J,
     _possible_phones, "personal_information/information_about_you/possible_phone_numbers.json")
_reg("devices", "Devices", r"(?:device_information|devices)/devices" + _J,
     _devices, "personal_information/device_information/devices.json")
_reg("personal_information", "Profile (username, name, e-mail, phone)",
     r"(?:account_information|personal_information)/personal_information" + _J,
     _personal_information, "personal_information/personal_information/personal_information.json")
_reg("profile_changes", "Profile changes (former usernames, e-mails...)",
     r"(?:account_information|personal_information|information_about_you)/profile_changes" + _J,
     _profile_changes, "personal_information/personal_information/profile_changes.json")
_reg("posts", "Posts and stories (with GPS metadata)",
     r"(?:your_instagram_activity/media|your_instagram_activity/content|content|media)/"
     r"(?:posts_\d+|stories|archived_posts|reposts|other_content)" + _J,
     _posts, "your_instagram_activity/media/posts_1.json", version=2)  # 2: feed posts of a public account
_reg("advertisers", "Advertisers using your activity or information",
     r"(?:instagram_ads_and_businesses|ads_and_businesses)/advertisers_using_your_activity_or_information" + _J,
     _advertisers, "ads_information/instagram_ads_and_businesses/advertisers_using_your_activity_or_information.json")
_reg("other_categories", "Other categories used to reach you",
     r"(?:instagram_ads_and_businesses|ads_and_businesses)/other_categories_used_to_reach_you" + _J,
     _other_categories, "ads_information/instagram_ads_and_businesses/other_categories_used_to_reach_you.json")
_reg("topics", "Your topics (recommended topics)", r"your_topics/recommended_topics" + _J,
     _topics, "preferences/your_topics/recommended_topics.json")
_reg("off_meta", "Activity off Meta technologies",
     r"(?:apps_and_websites_off_of_instagram/apps_and_websites|apps_and_websites_off_of_instagram|apps_and_websites)/"
     r"your_activity_off_meta_technologies" + _J,
     _off_meta, "apps_and_websites_off_of_instagram/apps_and_websites/your_activity_off_meta_technologies.json")
_reg("followers", "Followers (count only)", r"followers_and_following/followers(?:_\d+)?" + _J,
     connection_counter(P, "follower"), "connections/followers_and_following/followers_1.json")
_reg("following", "Following (count only)", r"followers_and_following/following" + _J,
     connection_counter(P, "following"), "connections/followers_and_following/following.json")
_reg("html_export", "HTML export (not readable: request JSON)",
     r"(?:account_information|personal_information)/personal_information\.html",
     html_export(P, "Instagram", "Instagram > your profile > menu (☰)"),
     "personal_information/personal_information/personal_information.html")
