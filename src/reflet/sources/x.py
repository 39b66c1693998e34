"""X (Twitter) archive: ``data/*.js`` files (formats.md section 4).

Every file is a JavaScript assignment, ``window.YTD.<name>.partN = [ ... ]``,
whose array elements wrap the record in a one-key object named after the type
(``{"ipAudit": {...}}``). Archives before ~2020 had the files at the zip root,
without ``data/``; big types are split in parts (``tweets-part1.js``).
Numbers are strings; times come in four forms (tweets' ``Wed Oct 10 20:19:24
+0000 2018``, ISO with ``Z``, zone-less ad times documented as UTC, and
``2025.01.15`` device dates).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import orjson

from ..records import (
    AdSignal,
    AnyRecord,
    App,
    Connection,
    Device,
    Identity,
    Login,
    ParseIssue,
    Place,
    Post,
)
from . import WHOLE_FILE, GiB, Handler, Member, MiB, register
from ._common import BadValue, json_pointer, loads_json, parse_time, plausible

PLATFORM = "x"
_PREFIX = re.compile(rb"^\s*window\.(YTD\.[\w.]+|__THAR_CONFIG)\s*=\s*")
Out = Iterator[AnyRecord | ParseIssue]


def _sniff(head: bytes) -> bool:
    # Lenient on purpose: a truncated file should be read (and its damage reported), not ignored.
    return re.match(rb"^\s*window\.(YTD|__THAR)", head) is not None


def load_ytd(member: Member) -> list[Any]:
    """The array inside a ``window.YTD...`` file (raises BadValue when it is not one)."""
    with member.open() as f:
        data = f.read()
    m = _PREFIX.match(data)
    if m is None:
        raise BadValue("not an X archive data file (no window.YTD prefix)")
    body = data[m.end():].rstrip().rstrip(b";")
    try:
        value = loads_json(body)  # any depth, cut at MAX_DEPTH (orjson alone fails past 1024)
    except orjson.JSONDecodeError as exc:
        raise BadValue(f"the data is not valid JSON ({exc})") from exc
    if not isinstance(value, list):
        raise BadValue("the data is not a list")
    return value


def _entries(member: Member, wrapper: str | tuple[str, ...]) -> Iterator[tuple[str, dict[str, Any]] | ParseIssue]:
    """(locator, inner object) for each element; issues for malformed ones."""
    try:
        items = load_ytd(member)
    except (BadValue, RecursionError) as exc:
        yield member.issue(WHOLE_FILE, str(exc))
        return
    names = (wrapper,) if isinstance(wrapper, str) else wrapper
    for i, item in enumerate(items):
        ptr = json_pointer(i)
        if not isinstance(item, dict):
            yield member.issue(ptr, "entry is not an object")
            continue
        inner = next((item[n] for n in names if n in item), None)
        if inner is None and len(item) != 1:
            inner = item  # older archives: bare objects
        elif inner is None:
            inner = next(iter(item.values()))
        if not isinstance(inner, dict):
            yield member.issue(ptr, f"entry has no {names[0]!r} object")
            continue
        yield ptr + "/" + (next((n for n in names if n in item), "")), inner


def _time(value: Any, *, assume_utc: bool = False) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{4}\.\d{2}\.\d{2}", value):
        t = datetime.strptime(value, "%Y.%m.%d").replace(tzinfo=UTC)
    else:
        t = parse_time(value, assume_utc=assume_utc)
    return t if plausible(t) else None  # X's legacy tokens are dated 1970: not a fact


def _s(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _guard(member: Member, wrapper: str | tuple[str, ...], fn: Callable[[str, dict[str, Any]], Out]) -> Out:
    for entry in _entries(member, wrapper):
        if isinstance(entry, ParseIssue):
            yield entry
            continue
        ptr, obj = entry
        try:
            yield from fn(ptr, obj)
        except (BadValue, ValueError, TypeError, KeyError, AttributeError) as exc:
            yield member.issue(ptr, f"could not be read: {exc}")


# -- logins and devices --------------------------------------------------------
def parse_ip_audit(member: Member) -> Out:
    def one(ptr: str, o: dict[str, Any]) -> Out:
        yield Login(provenance=member.prov(ptr), platform=PLATFORM, time=_time(o["createdAt"]),
                    ip=_s(o.get("loginIp")), action="login")
    return _guard(member, "ipAudit", one)


def parse_creation_ip(member: Member) -> Out:
    def one(ptr: str, o: dict[str, Any]) -> Out:
        yield Login(provenance=member.prov(ptr), platform=PLATFORM, time=None,
                    ip=_s(o.get("userCreationIp")), action="account_created")
    return _guard(member, "accountCreationIp", one)


def parse_device_token(member: Member) -> Out:
    def one(ptr: str, o: dict[str, Any]) -> Out:
        yield Device(provenance=member.prov(ptr), platform=PLATFORM, kind="app",
                     name=_s(o.get("clientApplicationName")),
                     identifiers=(("x_client_application_id", str(o.get("clientApplicationId", ""))),),
                     first_seen=_time(o.get("createdAt")), last_seen=_time(o.get("lastSeenAt")))
    return _guard(member, "deviceToken", one)


def parse_ni_devices(member: Member) -> Out:
    def one(ptr: str, o: dict[str, Any]) -> Out:
        for key, dev in o.items():
            if not isinstance(dev, dict):
                continue
            ids: list[tuple[str, str]] = []
            if dev.get("udid"):
                ids.append(("udid", str(dev["udid"])))
            yield Device(provenance=member.prov(f"{ptr}/{key}"), platform=PLATFORM,
                         kind="phone", name=_s(dev.get("deviceType")), model=_s(dev.get("deviceVersion")),
                         identifiers=tuple(ids), first_seen=_time(dev.get("createdDate")),
                         last_seen=_time(dev.get("updatedDate")))
            if dev.get("phone_number"):
                yield Identity(provenance=member.prov(f"{ptr}/{key}/phone_number"), platform=PLATFORM,
                               kind="phone", value=str(dev["phone_number"]), role="primary")
    return _guard(member, "niDeviceResponse", one)


def parse_key_registry(member: Member) -> Out:
    def one(ptr: str, o: dict[str, Any]) -> Out:
        reg = (o.get("registeredDevices") or {}).get("deviceMetadataList") or []
        for j, d in enumerate(reg):
            if not isinstance(d, dict):
                continue
            loc = f"{ptr}/registeredDevices/deviceMetadataList/{j}"
            ua = _s(d.get("userAgent"))
            yield Device(provenance=member.prov(loc), platform=PLATFORM, kind="browser" if ua else "unknown",
                         name=ua, identifiers=(("x_device_id", str(d.get("deviceId", ""))),),
                         first_seen=_time(d.get("createdAt")))
    return _guard(member, "keyRegistryData", one)


def parse_connected_apps(member: Member) -> Out:
    def one(ptr: str, o: dict[str, Any]) -> Out:
        org = (o.get("organization") or {}).get("name")
        name = _s(o.get("name")) or _s(org) or "unnamed application"
        yield App(provenance=member.prov(ptr), platform=PLATFORM, name=name,
                  permissions=tuple(str(p) for p in o.get("permissions") or []),
                  first_seen=_time(o.get("approvedAt")))
    return _guard(member, "connectedApplication", one)


def parse_sso(member: Member) -> Out:
    def one(ptr: str, o: dict[str, Any]) -> Out:
        if o.get("ssoEmail"):
            yield Identity(provenance=member.prov(ptr), platform=PLATFORM, kind="email",
                           value=str(o["ssoEmail"]), role="primary", time=_time(o.get("createdAt")))
    return _guard(member, "singleSignOnMetaValues", one)


# -- identity -----------------------------------------------------------------
def parse_account(member: Member) -> Out:
    def one(ptr: str, o: dict[str, Any]) -> Out:
        t = _time(o.get("createdAt"))
        for key, kind in (("email", "email"), ("username", "username"), ("accountDisplayName", "name")):
            if o.get(key):
                # Username and display name are on the public profile; the e-mail is not.
                channels = frozenset({"records", "public"}) if kind != "email" else frozenset({"records"})
                yield Identity(provenance=member.prov(f"{ptr}/{key}"), platform=PLATFORM, kind=kind,  # type: ignore[arg-type]
                               value=str(o[key]), role="primary", time=t, channels=channels)
    return _guard(member, "account", one)


def parse_phone(member: Member) -> Out:
    # UNCONFIRMED layout (formats.md 4.3): the inner wrapper is "device" with "phoneNumber".
    def one(ptr: str, o: dict[str, Any]) -> Out:
        if o.get("phoneNumber"):
            yield Identity(provenance=member.prov(ptr), platform=PLATFORM, kind="phone",
                           value=str(o["phoneNumber"]), role="primary")
    return _guard(member, ("device", "phoneNumber"), one)


def _changes(member: Member, wrapper: str, inner: str, kind: str) -> Out:
    def one(ptr: str, o: dict[str, Any]) -> Out:
        ch = o.get(inner) or {}
        t = _time(ch.get("changedAt"))
        if ch.get("changedFrom"):
            yield Identity(provenance=member.prov(f"{ptr}/{inner}/changedFrom"), platform=PLATFORM,
                           kind=kind, value=str(ch["changedFrom"]), role="former", time=t)  # type: ignore[arg-type]
        if ch.get("changedTo"):
            yield Identity(provenance=member.prov(f"{ptr}/{inner}/changedTo"), platform=PLATFORM,
                           kind=kind, value=str(ch["changedTo"]), role="primary", time=t)  # type: ignore[arg-type]
    return _guard(member, wrapper, one)


def parse_screen_name_change(member: Member) -> Out:
    return _changes(member, "screenNameChange", "screenNameChange", "username")


def parse_email_change(member: Member) -> Out:
    # UNCONFIRMED nesting (formats.md 4.3).
    return _changes(member, "emailAddressChange", "emailChange", "email")


def parse_profile(member: Member) -> Out:
    def one(ptr: str, o: dict[str, Any]) -> Out:
        desc = o.get("description") or {}
        loc = _s(desc.get("location"))
        if loc:
            # A free-text location typed on the public profile: public, but not coordinates.
            yield Post(provenance=member.prov(f"{ptr}/description/location"), platform=PLATFORM,
                       text=f"Profile location: {loc}", visibility="public",
                       channels=frozenset({"records", "public"}))
        if desc.get("bio"):
            yield Post(provenance=member.prov(f"{ptr}/description/bio"), platform=PLATFORM,
                       text=str(desc["bio"]), visibility="public", channels=frozenset({"records", "public"}))
    return _guard(member, "profile", one)


def parse_timezone(member: Member) -> Out:
    def one(ptr: str, o: dict[str, Any]) -> Out:
        tz = _s(o.get("timeZone"))
        if tz:
            yield AdSignal(provenance=member.prov(ptr), platform=PLATFORM, kind="inferred_category",
                           name=f"Account time zone: {tz}", channels=frozenset({"records"}))
    return _guard(member, "accountTimezone", one)


# -- posts --------------------------------------------------------------------
def _protected(member: Member) -> bool:
    """Whether the account is protected now (its tweets are then visible to followers only)."""
    for info in member.archive.members():
        if info.name.lower() == "protected-history.js":
            try:
                with member.archive.open(info, limit=16 * MiB) as f:
                    data = f.read()
                m = _PREFIX.match(data)
                items = loads_json(data[m.end():].rstrip().rstrip(b";")) if m else []
                last = [i.get("protectedHistory", {}) for i in items if isinstance(i, dict)]
                last.sort(key=lambda h: str(h.get("timestamp", "")))
                return bool(last) and str(last[-1].get("action", "")).lower() == "protect"
            except Exception:  # noqa: BLE001 - an unreadable history is reported by its own handler
                return False
    return False


def _coords(o: dict[str, Any]) -> tuple[float, float] | None:
    """(lat, lon) from a tweet's ``coordinates`` (GeoJSON, lon first) or ``geo`` (lat first).

    The axis order in archives is UNCONFIRMED (formats.md 4.4): when a value cannot be a
    latitude (|v| > 90) the pair is swapped.
    """
    for key, lat_first in (("coordinates", False), ("geo", True)):
        g = o.get(key)
        if isinstance(g, dict) and isinstance(g.get("coordinates"), list) and len(g["coordinates"]) == 2:
            a, b = (float(v) for v in g["coordinates"])
            lat, lon = (a, b) if lat_first else (b, a)
            if abs(lat) > 90 >= abs(lon):
                lat, lon = lon, lat
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                return lat, lon
    return None


def parse_tweets(member: Member) -> Out:
    protected = _protected(member)

    def one(ptr: str, o: dict[str, Any]) -> Out:
        t = _time(o.get("created_at"))
        tid = _s(o.get("id_str") or o.get("id"))
        text = o.get("full_text", o.get("text"))
        text = html.unescape(str(text)) if text is not None else None
        vis = "friends" if protected else "public"
        channels = frozenset({"records"}) if protected else frozenset({"records", "public"})
        place_key = None
        c = _coords(o)
        if c is not None:
            place = Place(provenance=member.prov(f"{ptr}/coordinates"), platform=PLATFORM, time=t,
                          lat=c[0], lon=c[1], kind="geotag", channels=channels)
            place_key = place.key
            yield place
        media = tuple(str(m.get("media_url_https") or m.get("media_url"))
                      for m in (o.get("extended_entities") or {}).get("media") or [] if isinstance(m, dict))
        url = f"https://x.com/i/web/status/{tid}" if tid else None
        place_name = (o.get("place") or {}).get("full_name") if isinstance(o.get("place"), dict) else None
        yield Post(provenance=member.prov(ptr), platform=PLATFORM, platform_id=tid, url=url, time=t,
                   text=(f"{text} [place: {place_name}]" if place_name and text else text),
                   visibility=vis, place=place_key, media=media, channels=channels)  # type: ignore[arg-type]
    return _guard(member, "tweet", one)


def parse_protected_history(member: Member) -> Out:
    """When the account was protected (tweets visible to followers only) or made public again."""
    def one(ptr: str, o: dict[str, Any]) -> Out:
        action = _s(o.get("action")) or "?"
        t = _time(o.get("timestamp") or o.get("protectedAt"))
        yield Post(provenance=member.prov(ptr), platform=PLATFORM, time=t,
                   text=f"Account protection changed: {action}", visibility="private")
    return _guard(member, "protectedHistory", one)


# -- ad-tech ------------------------------------------------------------------
def parse_personalization(member: Member) -> Out:
    adtech = frozenset({"records", "adtech"})

    def one(ptr: str, o: dict[str, Any]) -> Out:
        interests = o.get("interests") or {}
        for j, it in enumerate(interests.get("interests") or []):
            if isinstance(it, dict) and it.get("name"):
                yield AdSignal(provenance=member.prov(f"{ptr}/interests/interests/{j}"), platform=PLATFORM,
                               kind="interest", name=str(it["name"]), channels=adtech,
                               detail="disabled by you" if it.get("isDisabled") else None)
        aa = interests.get("audienceAndAdvertisers") or {}
        for key in ("advertisers", "lookalikeAdvertisers", "catalogAudienceAdvertisers"):
            for j, adv in enumerate(aa.get(key) or []):
                yield AdSignal(provenance=member.prov(f"{ptr}/interests/audienceAndAdvertisers/{key}/{j}"),
                               platform=PLATFORM, kind="advertiser_has_your_data", name=str(adv),
                               detail=key, channels=adtech)
        demo = o.get("demographics") or {}
        for j, lang in enumerate(demo.get("languages") or []):
            if isinstance(lang, dict) and lang.get("language"):
                yield AdSignal(provenance=member.prov(f"{ptr}/demographics/languages/{j}"), platform=PLATFORM,
                               kind="inferred_category", name=f"Language: {lang['language']}", channels=adtech)
        g = (demo.get("genderInfo") or {}).get("gender")
        if g:
            yield AdSignal(provenance=member.prov(f"{ptr}/demographics/genderInfo"), platform=PLATFORM,
                           kind="inferred_category", name=f"Gender: {g}", channels=adtech)
        age = (o.get("inferredAgeInfo") or {}).get("age") or []
        if age:
            yield AdSignal(provenance=member.prov(f"{ptr}/inferredAgeInfo"), platform=PLATFORM,
                           kind="inferred_category", name=f"Age: {', '.join(map(str, age))}", channels=adtech)
        for j, loc in enumerate(o.get("locationHistory") or []):
            yield AdSignal(provenance=member.prov(f"{ptr}/locationHistory/{j}"), platform=PLATFORM,
                           kind="inferred_category", name=f"Location: {loc}", channels=adtech)
    return _guard(member, "p13nData", one)


def _ad_items(member: Member, engagements: bool) -> Out:
    adtech = frozenset({"records", "adtech"})

    def one(ptr: str, o: dict[str, Any]) -> Out:
        data = (o.get("adsUserData") or {})
        block = data.get("adEngagements" if engagements else "adImpressions") or {}
        items = block.get("engagements" if engagements else "impressions") or []
        key = "adEngagements/engagements" if engagements else "adImpressions/impressions"
        for j, imp in enumerate(items):
            if not isinstance(imp, dict):
                continue
            attrs = imp.get("impressionAttributes", imp) if engagements else imp
            adv = (attrs.get("advertiserInfo") or {}).get("advertiserName")
            t = _time(attrs.get("impressionTime"), assume_utc=True)  # documented as UTC, no zone
            loc = f"{ptr}/adsUserData/{key}/{j}"
            criteria = [c for c in attrs.get("matchedTargetingCriteria") or [] if isinstance(c, dict)]
            detail = "; ".join(f"{c.get('targetingType')}: {c.get('targetingValue')}" for c in criteria)[:500]
            if adv:
                yield AdSignal(provenance=member.prov(loc), platform=PLATFORM, kind="advertiser_has_your_data",
                               name=str(adv), time=t, detail=detail or None, channels=adtech)
            for c in criteria:
                ttype = str(c.get("targetingType", ""))
                if ttype in ("Tailored audiences (lists)", "Tailored audiences (web)", "Lookalikes",
                             "Interests", "Conversation topics", "Locations", "Languages", "Age", "Gender"):
                    yield AdSignal(provenance=member.prov(loc + "/matchedTargetingCriteria"), platform=PLATFORM,
                                   kind="inferred_category", name=f"{ttype}: {c.get('targetingValue')}",
                                   time=t, channels=adtech)
    return _guard(member, "ad", one)


def parse_ad_impressions(member: Member) -> Out:
    return _ad_items(member, engagements=False)


def parse_ad_engagements(member: Member) -> Out:
    return _ad_items(member, engagements=True)


def _counter(kind: str, wrapper: str) -> Callable[[Member], Out]:
    def parse(member: Member) -> Out:
        n = 0
        for entry in _entries(member, wrapper):
            if isinstance(entry, ParseIssue):
                yield entry
            else:
                n += 1  # counted, never stored: these are other people
        yield Connection(provenance=member.prov(WHOLE_FILE), platform=PLATFORM, kind=kind, count=n)  # type: ignore[arg-type]
    return parse


_D = r"(?:data/)?"
_FILES: list[tuple[str, str, str, Callable[[Member], Out], int, bool]] = [
    ("ip_audit", "Login IP addresses (ip-audit.js)", r"ip-audit", parse_ip_audit, 64, False),
    ("account_creation_ip", "Sign-up IP address", r"account-creation-ip", parse_creation_ip, 1, False),
    ("account", "Account (e-mail, username, name)", r"account", parse_account, 1, False),
    ("account_timezone", "Account time zone", r"account-timezone", parse_timezone, 1, False),
    ("phone_number", "Phone number", r"phone-number", parse_phone, 1, True),
    ("screen_name_change", "Username changes", r"screen-name-change", parse_screen_name_change, 4, False),
    ("email_address_change", "E-mail changes", r"email-address-change", parse_email_change, 4, True),
    ("profile", "Public profile (bio, location)", r"profile", parse_profile, 1, False),
    ("device_token", "Apps logged in (device tokens)", r"device-token", parse_device_token, 16, False),
    ("ni_devices", "Phones and messaging devices", r"ni-devices", parse_ni_devices, 4, False),
    ("key_registry", "Registered devices (key registry)", r"key-registry", parse_key_registry, 4, False),
    ("connected_application", "Connected apps", r"connected-application", parse_connected_apps, 4, False),
    ("sso", "Single sign-on (Google/Apple e-mail)", r"sso", parse_sso, 1, False),
    ("tweets", "Tweets (text, time, location)", r"tweets?(-part\d+)?", parse_tweets, 4096, False),
    ("protected_history", "When tweets were protected or made public", r"protected-history",
     parse_protected_history, 4, False),
    ("deleted_tweets", "Deleted tweets", r"deleted-tweets?(-part\d+)?", parse_tweets, 1024, False),
    ("personalization", "Interests and inferences (personalization.js)", r"personalization",
     parse_personalization, 16, False),
    ("ad_impressions", "Ads shown to you and why", r"ad-impressions(-part\d+)?", parse_ad_impressions, 1024, False),
    ("ad_engagements", "Ads you engaged with and why", r"ad-engagements(-part\d+)?", parse_ad_engagements,
     1024, False),
    ("follower", "Followers (counted)", r"follower(-part\d+)?", _counter("follower", "follower"), 512, False),
    ("following", "Following (counted)", r"following(-part\d+)?", _counter("following", "following"), 512, False),
]

for _name, _title, _rx, _fn, _mib, _unconfirmed in _FILES:
    register(Handler(
        platform=PLATFORM, name=f"x.{_name}", title=_title, pattern=_D + _rx + r"\.js",
        example="data/" + re.sub(r"\?|\(.*\)", "", _rx).replace("tweet", "tweets").replace("tweetss", "tweets") + ".js",
        parse=_fn, sniff=_sniff,
        max_bytes=min(_mib * MiB, 8 * GiB), unconfirmed=_unconfirmed,
    ))
