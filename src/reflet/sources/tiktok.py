"""TikTok "Download your data" (JSON): ``user_data_tiktok.json`` or the older ``user_data.json``.

One file, sections nested ``{"<Section>": {"<Sub>": {"<ListKey>": [...]}}}`` (formats.md 5).
Section names changed over versions ("Activity" -> "Your Activity", "Video" -> "Post",
"Profile And Settings" -> "Profile"...), so each value is looked up under every known
name. Empty lists are ``null``; missing values are "N/A" or "None". Dates are
``YYYY-MM-DD HH:MM:SS`` in UTC without a zone (documented as UTC).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..records import AdSignal, AnyRecord, Connection, Device, Identity, Login, ParseIssue, Place, Post
from . import WHOLE_FILE, Handler, Member, MiB, register
from ._common import BadValue, check_latlon, json_pointer, load_json_object, parse_time

PLATFORM = "tiktok"
Out = Iterator[AnyRecord | ParseIssue]
ADTECH = frozenset({"records", "adtech"})

_ACTIVITY = ("Your Activity", "Activity")
_PROFILE = ("Profile", "Profile And Settings")
_POST = ("Post", "Video")
_ADS = ("Ads and data", "Ads And Data")
_NULLS = {"", "N/A", "None", "null", "NULL"}


def _get(obj: Any, *names: str) -> Any:
    """The value under the first of ``names`` present (case-insensitive fallback)."""
    if not isinstance(obj, dict):
        return None
    for n in names:
        if n in obj:
            return obj[n]
    lower = {k.lower(): v for k, v in obj.items() if isinstance(k, str)}
    for n in names:
        if n.lower() in lower:
            return lower[n.lower()]
    return None


def _path(root: Any, *steps: Sequence[str]) -> tuple[Any, str]:
    """Walk nested sections; returns (value, JSON pointer of the names actually found)."""
    cur, ptr = root, ""
    for names in steps:
        if not isinstance(cur, dict):
            return None, ptr
        key = next((n for n in names if n in cur), None)
        if key is None:
            lower = {k.lower(): k for k in cur if isinstance(k, str)}
            key = next((lower[n.lower()] for n in names if n.lower() in lower), None)
        if key is None:
            return None, ptr
        cur, ptr = cur[key], f"{ptr}{json_pointer(key)}"
    return cur, ptr


def _v(obj: dict[str, Any], *names: str) -> str | None:
    v = _get(obj, *names)
    if v is None:
        return None
    s = str(v).strip()
    return None if s in _NULLS else s


def _t(value: str | None) -> Any:
    return parse_time(value, assume_utc=True) if value else None


def _items(root: Any, *steps: Sequence[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    value, ptr = _path(root, *steps)
    if isinstance(value, list):  # null means "empty" in TikTok's exports
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield f"{ptr}/{i}", item


def parse(member: Member) -> Out:
    root = load_json_object(member)
    if isinstance(root, ParseIssue):
        yield root
        return
    for part in (_logins, _status, _location, _profile, _posts, _adtech, _counts):
        try:
            yield from part(member, root)
        except (BadValue, ValueError, TypeError, KeyError, AttributeError) as exc:
            yield member.issue(WHOLE_FILE, f"{part.__name__.strip('_')} could not be read: {exc}")


def _guarded(member: Member, ptr: str, fn: Any) -> Out:
    try:
        yield from fn()
    except (BadValue, ValueError, TypeError) as exc:
        yield member.issue(ptr, str(exc))


def _logins(member: Member, root: dict[str, Any]) -> Out:
    for ptr, e in _items(root, _ACTIVITY, ("Login History",), ("LoginHistoryList",)):
        def one(ptr: str = ptr, e: dict[str, Any] = e) -> Out:
            model, system = _v(e, "DeviceModel"), _v(e, "DeviceSystem")
            net = " / ".join(x for x in (_v(e, "NetworkType"), _v(e, "Carrier")) if x)
            yield Login(provenance=member.prov(ptr), platform=PLATFORM, time=_t(_v(e, "Date")),
                        ip=_v(e, "IP"), device=" ".join(x for x in (model, system) if x) or None,
                        action="login", detail=net or None)
            if model:
                yield Device(provenance=member.prov(ptr), platform=PLATFORM, kind="phone", model=model,
                             os=system, first_seen=_t(_v(e, "Date")), last_seen=_t(_v(e, "Date")))
        yield from _guarded(member, ptr, one)


_AD_IDS = (("IDFA", "ad_id"), ("GAID", "ad_id"), ("Android ID", "device_id"), ("IDFV", "device_id"),
           ("Web ID", "device_id"))


def _status(member: Member, root: dict[str, Any]) -> Out:
    for ptr, e in _items(root, _ACTIVITY, ("Status",), ("Status List",)):
        ids = tuple((k, v) for k, _ in _AD_IDS if (v := _v(e, k)) and set(v) - {"0", "-"})
        if ids:
            yield Device(provenance=member.prov(ptr), platform=PLATFORM, kind="phone", identifiers=ids,
                         name=_v(e, "App Version"))
        for key, kind in _AD_IDS:
            v = _v(e, key)
            if v and set(v) - {"0", "-"}:
                # Advertising ids are what ad-tech uses to recognise the phone across apps.
                yield Identity(provenance=member.prov(f"{ptr}/{key}"), platform=PLATFORM, kind=kind,  # type: ignore[arg-type]
                               value=v, channels=ADTECH if kind == "ad_id" else frozenset({"records"}))


def _location(member: Member, root: dict[str, Any]) -> Out:
    loc, ptr = _path(root, _ACTIVITY, ("Most Recent Location Data",), ("LocationData",))
    if isinstance(loc, dict):
        gps = _v(loc, "GpsData")
        region = _v(loc, "LastRegion")
        if gps:
            # UNCONFIRMED format (formats.md 5.2): accept "lat, lon" or "lat lon".
            parts = gps.replace(",", " ").split()
            try:
                lat, lon = check_latlon(float(parts[0]), float(parts[1]))
                yield Place(provenance=member.prov(f"{ptr}/GpsData"), platform=PLATFORM, time=_t(_v(loc, "Date")),
                            lat=lat, lon=lon, kind="gps", name=region)
            except (IndexError, ValueError, BadValue):
                yield member.issue(f"{ptr}/GpsData", f"unrecognised GPS value {gps[:40]!r}")
        if region:
            yield AdSignal(provenance=member.prov(f"{ptr}/LastRegion"), platform=PLATFORM, kind="inferred_category",
                           name=f"Last region: {region}", time=_t(_v(loc, "Date")), channels=frozenset({"records"}))


def _profile(member: Member, root: dict[str, Any]) -> Out:
    pm, ptr = _path(root, _PROFILE, ("Profile Info", "Profile Information"), ("ProfileMap",))
    if isinstance(pm, dict):
        for key, kind, public in (("userName", "username", True), ("emailAddress", "email", False),
                                  ("telephoneNumber", "phone", False)):
            v = _v(pm, key)
            if v:
                ch = frozenset({"records", "public"}) if public else frozenset({"records"})
                yield Identity(provenance=member.prov(f"{ptr}/{key}"), platform=PLATFORM, kind=kind,  # type: ignore[arg-type]
                               value=v, channels=ch)
        bio = _v(pm, "bioDescription")
        if bio:
            yield Post(provenance=member.prov(f"{ptr}/bioDescription"), platform=PLATFORM, text=bio,
                       visibility="public", channels=frozenset({"records", "public"}))
    af, ptr = _path(root, _PROFILE, ("Autofill", "Auto Fill"))
    if isinstance(af, dict):
        name = " ".join(x for x in (_v(af, "FirstName"), _v(af, "LastName")) if x)
        if name:
            yield Identity(provenance=member.prov(f"{ptr}/FirstName"), platform=PLATFORM, kind="name", value=name)
        for key, kind in (("Email", "email"), ("PhoneNumber", "phone")):
            if (v := _v(af, key)):
                yield Identity(provenance=member.prov(f"{ptr}/{key}"), platform=PLATFORM, kind=kind, value=v)  # type: ignore[arg-type]
        addr = ", ".join(x for x in (_v(af, "Address"), _v(af, "Unit"), _v(af, "ZipCode"), _v(af, "City"),
                                     _v(af, "State"), _v(af, "Country")) if x)
        if addr:
            # A postal address has no coordinates here; keep it as text the report can show.
            yield Post(provenance=member.prov(f"{ptr}/Address"), platform=PLATFORM,
                       text=f"Autofill address: {addr}", visibility="private")


def _private_account(root: dict[str, Any]) -> bool:
    v, _ = _path(root, ("App Settings",), ("Settings",), ("SettingsMap",), ("Private Account",))
    return str(v).strip().lower() == "enabled"


_VIS = {"everyone": "public", "public": "public", "friends": "friends", "followers": "friends",
        "only me": "private", "private": "private"}


def _posts(member: Member, root: dict[str, Any]) -> Out:
    private = _private_account(root)
    for ptr, e in _items(root, _POST, ("Posts", "Videos"), ("VideoList",)):
        def one(ptr: str = ptr, e: dict[str, Any] = e) -> Out:
            who = (_v(e, "WhoCanView") or "").lower()
            vis = _VIS.get(who, "unknown")  # the value set is UNCONFIRMED (formats.md 5.6)
            if private and vis == "public":
                vis = "friends"
            ch = frozenset({"records", "public"}) if vis == "public" else frozenset({"records"})
            loc = _v(e, "Location")
            text = _v(e, "Title") or ""
            if loc:
                text = f"{text} [location: {loc}]".strip()
            yield Post(provenance=member.prov(ptr), platform=PLATFORM, time=_t(_v(e, "Date")),
                       url=_v(e, "Link"), text=text or None, visibility=vis, channels=ch)  # type: ignore[arg-type]
        yield from _guarded(member, ptr, one)


def _adtech(member: Member, root: dict[str, Any]) -> Out:
    cats, ptr = _path(root, _ADS, ("Ad Interests",), ("AdInterestCategories",))
    if isinstance(cats, str):
        for j, c in enumerate(x.strip() for x in cats.split("|") if x.strip()):
            yield AdSignal(provenance=member.prov(f"{ptr}#{j}"), platform=PLATFORM, kind="interest", name=c,
                           channels=ADTECH)
    for sub, lst in (("Off TikTok Activity", "OffTikTokActivityDataList"),
                     ("Usage Data From Third-Party Apps And Websites", "UsageDataList")):
        for p, e in _items(root, _ADS, (sub,), (lst,)):
            def one(p: str = p, e: dict[str, Any] = e) -> Out:
                src = _v(e, "Source")
                if src:
                    yield AdSignal(provenance=member.prov(p), platform=PLATFORM, kind="off_platform_activity",
                                   name=src, time=_t(_v(e, "TimeStamp")), detail=_v(e, "Event"), channels=ADTECH)
            yield from _guarded(member, p, one)
    partners, ptr = _path(root, _ADS, ("Ads Based On Data Received From Partners",))
    if isinstance(partners, dict):
        for key in ("DataPartnerList", "AdvertiserList"):
            value = partners.get(key)
            names = value if isinstance(value, list) else (str(value).split("|") if value else [])
            for j, n in enumerate(names):
                n = (n.get("Name") or n.get("name") if isinstance(n, dict) else str(n)) or ""
                if n.strip() and n.strip() not in _NULLS:
                    yield AdSignal(provenance=member.prov(f"{ptr}/{key}/{j}"), platform=PLATFORM,
                                   kind="advertiser_has_your_data", name=n.strip(), detail=key, channels=ADTECH)


def _counts(member: Member, root: dict[str, Any]) -> Out:
    for section_names, list_names, kind in (
        (("Follower", "Follower List"), ("FansList", "Fans List", "FollowerList"), "follower"),
        (("Following", "Following List"), ("Following", "FollowingList"), "following"),
    ):
        for top in (_ACTIVITY, _PROFILE):
            sect, sptr = _path(root, top, section_names)
            key = next((k for k in list_names if isinstance(sect, dict) and k in sect), None)
            if key is None:
                continue
            value = sect[key]  # null means an empty list
            yield Connection(provenance=member.prov(sptr + json_pointer(key)), platform=PLATFORM,
                             kind=kind, count=len(value) if isinstance(value, list) else 0)  # type: ignore[arg-type]
            break


def _sniff(head: bytes) -> bool:
    return any(k in head for k in (b'"Your Activity"', b'"Activity"', b'"Profile"', b'"Ads and data"',
                                   b'"Profile And Settings"', b'"Post"', b'"Video"'))


register(Handler(
    platform=PLATFORM, name="tiktok.user_data", title="TikTok data (logins, devices, ad ids, posts, ad-tech)",
    pattern=r"user_data(_tiktok)?\.json", example="user_data_tiktok.json", parse=parse, max_bytes=1024 * MiB,
    sniff=_sniff,
))
