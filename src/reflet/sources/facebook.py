"""Facebook "Download Your Information" (JSON), all three path generations (formats.md §1).

What is read: security and login data (IPs, user agents, sessions, devices, advertiser ids),
profile identifiers, Facebook's own location inferences, posts with places, check-ins, the
photo/video metadata Facebook keeps in JSON (upload IP, camera, GPS), advertisers and
off-Meta activity, ad interests, and COUNTS of friends/followers/contacts (never names).
An HTML export is recognised and answered with the steps to request JSON instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..records import AdSignal, Connection, Device, Identity, Login, Media, Place, Post
from . import WHOLE_FILE, Handler, Member, register
from ._common import BadValue, check_latlon, json_pointer
from ._meta import (
    ADTECH,
    HTML_STEPS,
    LV,
    PUBLIC,
    RECORDS,
    as_float,
    as_list,
    coord_pair,
    device_kind,
    entries,
    field_time,
    fields,
    find,
    ip_or_none,
    is_label_record,
    is_map_record,
    load,
    login_action,
    meta_time,
    need_time_or_ip,
    opt_str,
    read_lv,
    run,
    text,
    whole_file_issue,
)

P = "facebook"
_APOS = r"(?:'|’|_)"  # where_you're_logged_in.json / where_you_re_logged_in.json
_SEC = r"security_and_login_information/"


def _get(entry: dict[str, Any], lvs: list[LV], legacy: tuple[str, ...], key: str) -> Any:
    """A value by its legacy JSON key, else by its (localised) label in a label record."""
    for k in legacy:
        if entry.get(k) not in (None, ""):
            return entry[k]
    lv = find(lvs, key)
    if lv is None:
        return None
    return lv.timestamp if key == "time" and lv.timestamp is not None else lv.value


def _time(entry: dict[str, Any], lvs: list[LV], *legacy: str) -> datetime | None:
    v = _get(entry, lvs, legacy, "time")
    return meta_time(v if v is not None else entry.get("timestamp"))


# ---------------------------------------------------------------------------------------------
# security_and_login_information/


def _account_activity(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        lvs = fields(e)
        action_text = opt_str(_get(e, lvs, ("action",), "action"))
        cookie = opt_str(_get(e, lvs, ("datr_cookie",), "cookie"))
        site = opt_str(e.get("site_name"))
        port = opt_str(e.get("port"))
        when, ip = _time(e, lvs, "timestamp"), ip_or_none(_get(e, lvs, ("ip_address", "ip"), "ip"))
        need_time_or_ip(when, ip)
        yield Login(
            provenance=member.prov(ptr or "/"), platform=P, channels=RECORDS, time=when, ip=ip,
            user_agent=opt_str(_get(e, lvs, ("user_agent",), "user_agent")),
            device=f"datr:{cookie}" if cookie else None,
            action=login_action(action_text),  # type: ignore[arg-type]
            city=opt_str(_get(e, lvs, ("city",), "city")),
            region=opt_str(_get(e, lvs, ("region",), "region")),
            country=opt_str(_get(e, lvs, ("country",), "country")),
            detail="; ".join(x for x in (action_text, site, f"port {port}" if port else None) if x) or None,
        )

    yield from run(member, ("account_activity_v2", "account_activity"), one)


def _logins_and_logouts(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        lvs = fields(e)
        action_text = opt_str(_get(e, lvs, ("action",), "action"))
        site = opt_str(e.get("site"))
        when, ip = _time(e, lvs, "timestamp"), ip_or_none(_get(e, lvs, ("ip_address", "ip"), "ip"))
        need_time_or_ip(when, ip)
        yield Login(
            provenance=member.prov(ptr or "/"), platform=P, time=when, ip=ip,
            user_agent=opt_str(_get(e, lvs, ("user_agent",), "user_agent")),
            action=login_action(action_text),  # type: ignore[arg-type]
            detail="; ".join(x for x in (action_text, site) if x) or None,
        )

    yield from run(member, ("account_accesses_v2", "account_accesses"), one)


def _ip_activity(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        lvs = fields(e)
        ip = ip_or_none(_get(e, lvs, ("ip", "ip_address"), "ip"))
        if ip is None:
            raise KeyError("ip")
        action_text = opt_str(_get(e, lvs, ("action",), "action"))
        yield Login(
            provenance=member.prov(ptr or "/"), platform=P, time=_time(e, lvs, "timestamp"), ip=ip,
            user_agent=opt_str(_get(e, lvs, ("user_agent",), "user_agent")),
            # 2019's used_ip_address has only the IP: an access from it, time unknown.
            action=login_action(action_text) if action_text else "other",  # type: ignore[arg-type]
            detail=action_text or "IP address used to access the account",
        )

    yield from run(member, ("used_ip_address_v2", "used_ip_address"), one)


def _split_location(loc: str | None) -> tuple[str | None, str | None, str | None]:
    """"Springfield, IL, United States" -> (city, region, country); free text, best effort."""
    if not loc:
        return None, None, None
    parts = [p.strip() for p in loc.split(",") if p.strip()]
    if len(parts) >= 3:
        return parts[0], ", ".join(parts[1:-1]), parts[-1]
    if len(parts) == 2:
        return parts[0], None, parts[1]
    return parts[0] if parts else None, None, None


def _sessions(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        lvs = fields(e)
        created = meta_time(e.get("created_timestamp")) or _time(e, lvs, "timestamp")
        updated = meta_time(e.get("updated_timestamp"))
        ua = opt_str(_get(e, lvs, ("user_agent",), "user_agent"))
        device = opt_str(_get(e, lvs, ("device",), "device"))
        app = opt_str(_get(e, lvs, ("app",), "app"))
        cookie = opt_str(_get(e, lvs, ("datr_cookie",), "cookie"))
        location = opt_str(e.get("location"))
        city, region, country = _split_location(location)
        detail = "; ".join(x for x in (app, opt_str(e.get("name")), opt_str(e.get("session_type")),
                                       f"active until {updated.isoformat()}" if updated else None,
                                       f"location: {location}" if location else None) if x)
        yield Login(
            provenance=member.prov(ptr or "/"), platform=P, time=created, action="session",
            ip=ip_or_none(_get(e, lvs, ("ip_address", "ip"), "ip")), user_agent=ua,
            device=device or (f"datr:{cookie}" if cookie else None),
            city=city, region=region, country=country, detail=detail or None,
        )
        if device or ua:
            yield Device(
                provenance=member.prov(ptr or "/"), platform=P, kind=device_kind(f"{device or ''} {ua or ''}"),  # type: ignore[arg-type]
                name=device or ua, first_seen=created, last_seen=updated or created,
            )

    yield from run(member, ("active_sessions_v2", "active_sessions"), one)


def _login_protection(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        session = e.get("session") if isinstance(e.get("session"), dict) else e
        name = opt_str(e.get("name"))
        yield Login(
            provenance=member.prov(ptr or "/"), platform=P, action="other",
            time=meta_time(session.get("created_timestamp")) or meta_time(session.get("updated_timestamp")),
            ip=ip_or_none(session.get("ip_address")),
            detail=f"login protection data: {name}" if name else "login protection data",
        )

    yield from run(member, ("login_protection_data_v2", "login_protection_data"), one)


def _authorized_logins(member: Member) -> Iterator[Any]:
    # UNCONFIRMED layout (formats.md §13): the _v2 key of authorized_logins.json is a guess.
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        name = opt_str(e.get("name"))
        yield Login(
            provenance=member.prov(ptr or "/"), platform=P, action="session",
            time=meta_time(e.get("created_timestamp")), ip=ip_or_none(e.get("ip_address")),
            user_agent=opt_str(e.get("user_agent")), device=name,
            detail="recognised (authorised) login" + (f": {name}" if name else ""),
        )

    yield from run(member, ("recognized_devices_v2", "recognized_devices"), one)


def _admin_action(event: str | None) -> str:
    return login_action(event) if event else "other"


def _admin_records(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        s = e.get("session") if isinstance(e.get("session"), dict) else {}
        event = opt_str(e.get("event"))
        cookie = opt_str(s.get("datr_cookie"))
        extra = e.get("extra_info") if isinstance(e.get("extra_info"), dict) else {}
        extra_txt = ", ".join(f"{k}: {v}" for k, v in extra.items() if isinstance(v, (str, int, float)))
        yield Login(
            provenance=member.prov(ptr or "/"), platform=P, action=_admin_action(event),  # type: ignore[arg-type]
            time=meta_time(s.get("created_timestamp")) or meta_time(e.get("timestamp")),
            ip=ip_or_none(s.get("ip_address")), user_agent=opt_str(s.get("user_agent")),
            device=f"datr:{cookie}" if cookie else None,
            detail="; ".join(x for x in (event, extra_txt) if x) or None,
        )

    yield from run(member, ("admin_records_v2", "admin_records"), one)


def _devices(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        ids: list[tuple[str, str]] = []
        for key, kind in (("advertiser_id", "advertising_id"), ("udid", "udid"),
                          ("family_device_id", "family_device_id")):
            v = opt_str(e.get(key))
            if v:
                ids.append((kind, v))
        tokens = e.get("push_tokens") if isinstance(e.get("push_tokens"), list) else []
        os_version = next((opt_str(t.get("os_version")) for t in tokens
                           if isinstance(t, dict) and opt_str(t.get("os_version"))), None)
        for t in tokens:
            if isinstance(t, dict) and opt_str(t.get("device_id")):
                ids.append(("device_id", str(t["device_id"])))
        typ = opt_str(e.get("type"))
        os_name = opt_str(e.get("os"))
        seen = [meta_time(e.get("update_time"))] + [
            meta_time(t.get(k)) for t in tokens if isinstance(t, dict) for k in ("creation_time", "client_update_time")
        ]
        seen_ok = [s for s in seen if s is not None]
        yield Device(
            provenance=member.prov(ptr or "/"), platform=P,
            kind=device_kind(f"{typ or ''} {os_name or ''}") if (typ or os_name) else "phone",  # type: ignore[arg-type]
            model=typ, os=" ".join(x for x in (os_name, os_version) if x) or None,
            identifiers=tuple(dict.fromkeys(ids)),
            first_seen=min(seen_ok) if seen_ok else None, last_seen=max(seen_ok) if seen_ok else None,
        )
        ad_id = opt_str(e.get("advertiser_id"))
        if ad_id:
            # The advertising id is what ad-tech and data brokers key their profiles on.
            yield Identity(provenance=member.prov(ptr + "/advertiser_id"), platform=P, channels=ADTECH,
                           kind="ad_id", value=ad_id, role="primary")

    yield from run(member, ("devices_v2", "devices"), one)


def _status_changes(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        status = opt_str(e.get("status")) or opt_str(_get(e, fields(e), (), "action"))
        if status is None:
            raise KeyError("status")
        low = status.casefold()
        action = "account_created" if ("creat" in low or "regist" in low) else "other"
        yield Login(provenance=member.prov(ptr or "/"), platform=P, time=meta_time(e.get("timestamp")),
                    action=action, detail=f"account status: {status}")  # type: ignore[arg-type]

    yield from run(member, ("account_status_changes_v2", "account_status_changes"), one)


def _contact_kind(value: str) -> str:
    return "email" if "@" in value else "phone"


def _verifications(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        contact = opt_str(e.get("contact"))
        if contact is None:
            raise KeyError("contact")
        t = meta_time(e.get("verification_time") or e.get("timestamp"))
        yield Identity(provenance=member.prov(ptr or "/"), platform=P, kind=_contact_kind(contact),  # type: ignore[arg-type]
                       value=contact, role="primary", time=t)
        yield Login(provenance=member.prov(ptr or "/"), platform=P, time=t, action="recovery_change",
                    detail=f"contact verified: {_contact_kind(contact)}")

    yield from run(member, ("contact_verifications_v2", "contact_verifications"), one)


# ---------------------------------------------------------------------------------------------
# Profile and locations


def _profile(member: Member) -> Iterator[Any]:
    def ident(ptr: str, kind: str, value: Any, role: str = "primary", channels: frozenset[str] = RECORDS,
              t: Any = None) -> Iterator[Any]:
        v = opt_str(value)
        if v is None:
            if value not in (None, ""):
                yield member.issue(ptr, f"expected text, found {type(value).__name__}")
            return
        yield Identity(provenance=member.prov(ptr or "/"), platform=P, channels=channels, kind=kind,  # type: ignore[arg-type]
                       value=v, role=role, time=meta_time(t) if t is not None else None)  # type: ignore[arg-type]

    def one(ptr: str, p: dict[str, Any]) -> Iterator[Any]:
        if is_label_record(p) or is_map_record(p):
            yield from labelled(ptr, p)
            return
        name = p.get("name")
        if isinstance(name, dict):
            # The name on a Facebook profile is always public.
            yield from ident(ptr + "/name/full_name", "name", name.get("full_name"), channels=PUBLIC)
        elif isinstance(name, str):
            yield from ident(ptr + "/name", "name", name, channels=PUBLIC)
        if p.get("username"):
            yield from ident(ptr + "/username", "username", p["username"], channels=PUBLIC)
        emails = p.get("emails") if isinstance(p.get("emails"), dict) else {}
        for key, role, ch in (("emails", "primary", RECORDS), ("previous_emails", "former", RECORDS),
                              ("pending_emails", "unverified", RECORDS), ("ad_account_emails", "primary", ADTECH)):
            for i, v in enumerate(as_list(emails.get(key))):
                yield from ident(f"{ptr}/emails/{key}/{i}", "email", v, role, ch)
        for i, ph in enumerate(as_list(p.get("phone_numbers"))):
            loc = f"{ptr}/phone_numbers/{i}"
            if not isinstance(ph, dict):
                yield member.issue(loc, "phone entry is not an object")
                continue
            verified = ph.get("verified")
            yield from ident(loc, "phone", ph.get("phone_number"), "unverified" if verified is False else "primary")
        for i, pn in enumerate(as_list(p.get("previous_names"))):
            loc = f"{ptr}/previous_names/{i}"
            if isinstance(pn, dict):
                yield from ident(loc, "name", pn.get("name"), "former", t=pn.get("timestamp"))
            else:
                yield from ident(loc, "name", pn, "former")
        for i, on in enumerate(as_list(p.get("other_names"))):
            if isinstance(on, dict):
                typ = str(on.get("type") or "").casefold()
                role = "former" if ("maiden" in typ or "former" in typ or "birth" in typ) else "primary"
                yield from ident(f"{ptr}/other_names/{i}", "name", on.get("name"), role, t=on.get("timestamp"))
        for key, role in (("current_city", "primary"), ("hometown", "former")):
            c = p.get(key)
            if isinstance(c, dict):
                yield from ident(f"{ptr}/{key}", "place", c.get("name"), role, t=c.get("timestamp"))
            elif c:
                yield from ident(f"{ptr}/{key}", "place", c, role)
        reg = meta_time(p.get("registration_timestamp"))
        if reg:
            yield Login(provenance=member.prov(ptr + "/registration_timestamp"), platform=P, time=reg,
                        action="account_created", detail="account registered")

    def labelled(ptr: str, p: dict[str, Any]) -> Iterator[Any]:
        # UNCONFIRMED layout (formats.md §1.5 lists only profile_v2): a label_values profile, read by label.
        lvs = fields(p)
        for key, kind, ch in (("name", "name", PUBLIC), ("username", "username", PUBLIC),
                              ("email", "email", RECORDS), ("phone", "phone", RECORDS), ("city", "place", RECORDS)):
            lv = find(lvs, key)
            for v in (lv.strings() if lv else []):
                yield Identity(provenance=member.prov(ptr or "/"), platform=P, channels=ch, kind=kind,  # type: ignore[arg-type]
                               value=v, role="primary")

    yield from run(member, ("profile_v2", "profile"), one)


def _location_files(member: Member) -> Iterator[Any]:
    """logged_information/location/{primary_location,primary_public_location,timezone}.json."""
    loaded = load(member)
    yield from whole_file_issue(member, loaded)
    d = loaded.data
    if d is None:
        return
    if not isinstance(d, dict):
        yield member.issue(WHOLE_FILE, f"expected a JSON object, found {type(d).__name__}")
        return
    found = False
    for key, v in d.items():
        base = json_pointer(key)
        k = key.casefold()
        if k.startswith("timezone") and isinstance(v, str) and v.strip():
            found = True
            yield Identity(provenance=member.prov(base), platform=P, kind="place", value=v.strip(), role="inferred")
        elif k.startswith("primary_public_location") and isinstance(v, dict):
            found = True
            parts = [opt_str(v.get(x)) for x in ("city", "region", "country")]
            value = ", ".join(x for x in parts if x)
            if value:
                # "Primary public location" is shown on the profile.
                yield Identity(provenance=member.prov(base), platform=P, channels=PUBLIC, kind="place",
                               value=value, role="primary")
        elif k.startswith("primary_location") and isinstance(v, dict):
            found = True
            # Facebook's own guess at where you live, used to target ads.
            for i, pair in enumerate(as_list(v.get("city_region_pairs"))):
                loc = f"{base}/city_region_pairs/{i}"
                if isinstance(pair, list) and all(isinstance(x, str) for x in pair) and pair:
                    yield Identity(provenance=member.prov(loc), platform=P, channels=ADTECH, kind="place",
                                   value=", ".join(pair), role="inferred")
                else:
                    yield member.issue(loc, "expected a [city, region] pair")
            for i, z in enumerate(as_list(v.get("zipcode"))):
                if opt_str(z):
                    yield Identity(provenance=member.prov(f"{base}/zipcode/{i}"), platform=P, channels=ADTECH,
                                   kind="place", value=f"postcode {opt_str(z)}", role="inferred")
    if not found:
        yield member.issue(WHOLE_FILE, "no primary location or timezone found in the expected keys")


def _label_vec_names(member: Member, kind: str, role: str = "inferred") -> Iterator[Any]:
    """A label record whose entries list names in ``vec`` (locations of interest)."""
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        for i, lv in enumerate(read_lv(e.get("label_values"))):
            for j, name in enumerate(lv.strings()):
                yield Identity(provenance=member.prov(f"{ptr}/label_values/{i}/vec/{j}"), platform=P,
                               channels=ADTECH, kind=kind, value=name, role=role)  # type: ignore[arg-type]
    yield from run(member, (), one)


def _locations_of_interest(member: Member) -> Iterator[Any]:
    yield from _label_vec_names(member, "place")


# ---------------------------------------------------------------------------------------------
# Posts, check-ins, media


def media_records(member: Member, platform: str, m: dict[str, Any], ptr: str,
                  fallback: datetime | None = None) -> list[Any]:
    """Media + geotag Place + upload Login from one exported media object (FB and IG share it)."""
    uri = opt_str(m.get("uri"))
    if uri is None:
        raise KeyError("uri")
    created = meta_time(m.get("creation_timestamp")) or fallback
    md = m.get("media_metadata") if isinstance(m.get("media_metadata"), dict) else {}
    exif: dict[str, Any] = {}
    for key in ("photo_metadata", "video_metadata"):
        block = md.get(key)
        if not isinstance(block, dict):
            continue
        rows = block.get("exif_data")
        rows = [rows] if isinstance(rows, dict) else rows if isinstance(rows, list) else []
        # 2019/20 put upload_ip straight in photo_metadata.
        for row in [block, *rows]:
            if isinstance(row, dict):
                for k, v in row.items():
                    if k != "exif_data" and v not in (None, "") and k not in exif:
                        exif[k] = v
    taken = meta_time(exif.get("taken_timestamp"))  # the -62169958800 sentinel becomes None
    lat = lon = None
    if exif.get("latitude") is not None and exif.get("longitude") is not None:
        lat, lon = check_latlon(as_float(exif["latitude"]), as_float(exif["longitude"]))
        if lat == 0 and lon == 0:
            lat = lon = None  # "no fix", not the Gulf of Guinea
    out: list[Any] = []
    if lat is not None and lon is not None:
        out.append(Place(provenance=member.prov(ptr or "/"), platform=platform, time=taken or created, lat=lat, lon=lon,
                         kind="geotag", source="exif"))
    out.append(Media(provenance=member.prov(ptr or "/"), platform=platform, path=uri, taken_at=taken, lat=lat, lon=lon,
                     camera_make=opt_str(exif.get("camera_make")), camera_model=opt_str(exif.get("camera_model")),
                     camera_serial=None, software=opt_str(exif.get("software"))))
    upload_ip = ip_or_none(exif.get("upload_ip"))
    if upload_ip:
        up_t = meta_time(exif.get("upload_timestamp")) or created
        out.append(Login(provenance=member.prov(ptr or "/"), platform=platform, time=up_t, ip=upload_ip,
                         action="upload", detail=f"uploaded {uri}"))
    return out


def _place_of(member: Member, place: dict[str, Any], ptr: str, t: datetime | None) -> Place | None:
    c = place.get("coordinate")
    if not isinstance(c, dict) or c.get("latitude") is None or c.get("longitude") is None:
        return None
    lat, lon = check_latlon(as_float(c["latitude"]), as_float(c["longitude"]))
    return Place(provenance=member.prov(ptr or "/"), platform=P, time=t, lat=lat, lon=lon, kind="checkin",
                 name=opt_str(place.get("name")))


def _posts(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        t = meta_time(e.get("timestamp"))
        texts: list[str] = []
        for d in e.get("data") or []:
            if isinstance(d, dict) and opt_str(d.get("post")):
                texts.append(d["post"])
        places: list[Place] = []
        media: list[str] = []
        out: list[Any] = []
        for i, att in enumerate(as_list(e.get("attachments"))):
            if not isinstance(att, dict):
                continue
            for j, d in enumerate(as_list(att.get("data"))):
                if not isinstance(d, dict):
                    continue
                loc = f"{ptr}/attachments/{i}/data/{j}"
                if isinstance(d.get("place"), dict):
                    pl = _place_of(member, d["place"], loc + "/place", t)
                    if pl:
                        places.append(pl)
                if isinstance(d.get("media"), dict):
                    recs = media_records(member, P, d["media"], loc + "/media", t)
                    out.extend(recs)
                    media.extend(r.path for r in recs if isinstance(r, Media))
                if not texts and opt_str(d.get("text")):
                    texts.append(d["text"])
        out.extend(places)
        # Facebook does not export a post's audience: its visibility is unknown.
        out.append(Post(provenance=member.prov(ptr or "/"), platform=P, platform_id=opt_str(e.get("fbid")), time=t,
                        # "title" ("Jane updated her status.") is Facebook's caption, not what the person wrote.
                        text="\n".join(texts) or None, visibility="unknown",
                        place=places[0].key if places else None, media=tuple(media)))
        return out

    yield from run(member, ("status_updates_v2", "status_updates"), one)


def _checkins(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> list[Any]:
        t = meta_time(e.get("timestamp"))
        lvs = read_lv(e.get("label_values"))
        if not lvs and isinstance(e.get("attachments"), list):
            return list(_posts_entry_fallback(ptr, e, t))
        # "Place tags" in a language the table lacks: the first labelled block.
        tags = find(lvs, "place_tags") or next((lv for lv in lvs if lv.dict), None)
        block = tags.dict if tags else []
        name = text(block, "name") or text(lvs, "location")
        c = find(block, "coordinates")
        coords = coord_pair(c.value) if c is not None else None
        if coords is None:  # unknown language: any "(lat , lon)" value
            coords = next((coord_pair(x.value) for x in block + lvs if coord_pair(x.value)), None)
        address = text(block, "address")
        label = ", ".join(x for x in (name, address) if x) or None
        url_lv = find(lvs, "url")
        url = opt_str(url_lv.href or url_lv.value) if url_lv else None
        out: list[Any] = []
        paths: list[str] = []
        for i, lv in enumerate(lvs):  # "Photos": media objects with the metadata Meta kept
            for j, m in enumerate(lv.media):
                if isinstance(m, dict):
                    recs = media_records(member, P, m, f"{ptr}/label_values/{i}/media/{j}", t)
                    out += recs
                    paths += [r.path for r in recs if isinstance(r, Media)]
        place_key = None
        if coords is not None:
            lat, lon = check_latlon(*coords)
            place = Place(provenance=member.prov(ptr or "/"), platform=P, time=t, lat=lat, lon=lon,
                          kind="checkin", name=label)
            place_key = place.key
            out.append(place)
        elif label:
            # No coordinates exported: the named place is still where the person said they were.
            out.append(Identity(provenance=member.prov(ptr or "/"), platform=P, kind="place", value=label,
                                role="primary", time=t))
        else:
            raise BadValue("check-in without a place")
        out.append(Post(provenance=member.prov(ptr or "/"), platform=P, platform_id=opt_str(e.get("fbid")), time=t,
                        url=url, text=text(lvs, "message"), visibility="unknown", place=place_key,
                        media=tuple(paths)))
        return out

    def _posts_entry_fallback(ptr: str, e: dict[str, Any], t: datetime | None) -> Iterator[Any]:
        for i, att in enumerate(as_list(e.get("attachments"))):
            for j, d in enumerate(att.get("data") or [] if isinstance(att, dict) else []):
                if isinstance(d, dict) and isinstance(d.get("place"), dict):
                    pl = _place_of(member, d["place"], f"{ptr}/attachments/{i}/data/{j}/place", t)
                    if pl:
                        yield pl

    yield from run(member, ("checkins_v2", "checkins"), one)


def _location_history_2019(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        t = meta_time(e.get("timestamp"))
        for i, att in enumerate(as_list(e.get("attachments"))):
            for j, d in enumerate(att.get("data") or [] if isinstance(att, dict) else []):
                if isinstance(d, dict) and isinstance(d.get("place"), dict):
                    pl = _place_of(member, d["place"], f"{ptr}/attachments/{i}/data/{j}/place", t)
                    if pl:
                        yield Place(provenance=pl.provenance, platform=P, time=t, lat=pl.lat, lon=pl.lon,
                                    kind="unknown", name=pl.name, source="location history")

    yield from run(member, ("location_history",), one)


def _media_files(member: Member) -> Iterator[Any]:
    loaded = load(member)
    d = loaded.data
    if isinstance(d, dict) and isinstance(d.get("photos"), list):  # album/N.json
        album_ptr = "/photos"
        album = d["photos"]
        yield from whole_file_issue(member, loaded)
        for i, m in enumerate(album):
            loc = f"{album_ptr}/{i}"
            if not isinstance(m, dict):
                yield member.issue(loc, "entry is not an object")
                continue
            try:
                yield from media_records(member, P, m, loc)
            except (KeyError, BadValue, ValueError, TypeError) as exc:
                yield member.issue(loc, f"missing {exc.args[0]!r}" if isinstance(exc, KeyError) else str(exc))
        return

    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        yield from media_records(member, P, e, ptr)

    yield from run(member, ("other_photos_v2", "videos_v2", "other_photos", "videos"), one, loaded=loaded)


# ---------------------------------------------------------------------------------------------
# Ad-tech


def advertiser_signals(member: Member, platform: str, ptr: str, e: dict[str, Any]) -> Iterator[Any]:
    """One entry of advertisers_using_your_activity_or_information.json, either generation."""
    if is_label_record(e):
        # 2024+: each label is a bucket ("uploaded a list", "interacted with website/app/store").
        for i, lv in enumerate(read_lv(e.get("label_values"))):
            for j, name in enumerate(lv.strings()):
                yield AdSignal(provenance=member.prov(f"{ptr}/label_values/{i}/vec/{j}"), platform=platform,
                               channels=ADTECH, kind="advertiser_has_your_data", name=name, detail=lv.label or None)
        return
    name = opt_str(e.get("advertiser_name"))
    if name is None:
        raise KeyError("advertiser_name")
    how = [txt for key, txt in (("has_data_file_custom_audience", "uploaded or used a list with your data"),
                                ("has_remarketing_custom_audience", "your activity on their website or app"),
                                ("has_in_person_store_visit", "your visit to their store"))
           if e.get(key) is True]
    yield AdSignal(provenance=member.prov(ptr or "/"), platform=platform, channels=ADTECH,
                   kind="advertiser_has_your_data", name=name, detail="; ".join(how) or None)


def adtech_strings(member: Member, platform: str, kind: str, keys: tuple[str, ...],
                   loaded: Any = None) -> Iterator[Any]:
    """Files that are, in either generation, a list of names: interests, categories, 2019 audiences."""
    loaded = loaded or load(member)
    yield from whole_file_issue(member, loaded)
    d = loaded.data
    if d is None:
        return
    items: list[tuple[str, Any]] = []
    if isinstance(d, dict) and not is_label_record(d):
        key = next((k for k in keys if k in d), None) or next((k for k, v in d.items() if isinstance(v, list)), None)
        if key is None:
            yield member.issue(WHOLE_FILE, "no list of names found in the expected keys")
            return
        items = [(json_pointer(key, i), v) for i, v in enumerate(d[key] if isinstance(d[key], list) else [d[key]])]
    else:
        items = list(entries(d))
    for ptr, v in items:
        if isinstance(v, str):
            if v.strip():
                yield AdSignal(provenance=member.prov(ptr or "/"), platform=platform, channels=ADTECH,
                               kind=kind, name=v.strip())  # type: ignore[arg-type]
        elif is_label_record(v):
            for i, lv in enumerate(read_lv(v.get("label_values"))):
                for j, name in enumerate(lv.strings()):
                    yield AdSignal(provenance=member.prov(f"{ptr}/label_values/{i}/vec/{j}"), platform=platform,
                                   channels=ADTECH, kind=kind, name=name,  # type: ignore[arg-type]
                                   detail=lv.label or None)
        elif isinstance(v, dict) and opt_str(v.get("name") or v.get("advertiser_name")):
            yield AdSignal(provenance=member.prov(ptr or "/"), platform=platform, channels=ADTECH, kind=kind,  # type: ignore[arg-type]
                           name=opt_str(v.get("name") or v.get("advertiser_name")))  # type: ignore[arg-type]
        elif isinstance(v, dict) and isinstance(v.get("string_map_data"), dict):
            lvs = fields(v)
            nm = text(lvs, "name") or next((x.value.strip() for x in lvs
                                            if isinstance(x.value, str) and x.value.strip()), None)
            if nm:
                yield AdSignal(provenance=member.prov(ptr or "/"), platform=platform, channels=ADTECH,
                               kind=kind, name=nm)  # type: ignore[arg-type]
        else:
            yield member.issue(ptr or "/", f"unexpected entry ({type(v).__name__})")


def _advertisers(member: Member) -> Iterator[Any]:
    loaded = load(member)
    d = loaded.data
    if isinstance(d, dict) and isinstance(d.get("custom_audiences"), list):  # 2019: a list of names
        yield from adtech_strings(member, P, "advertiser_has_your_data", ("custom_audiences",), loaded)
        return
    yield from run(member, ("custom_audiences_all_types_v2", "custom_audiences_v2"),
                   lambda ptr, e: advertiser_signals(member, P, ptr, e), loaded=loaded)


def _advertisers_interacted(member: Member) -> Iterator[Any]:
    def one(ptr: str, e: dict[str, Any]) -> Iterator[Any]:
        lvs = fields(e)
        name = opt_str(e.get("title")) or text(lvs, "name")
        if name is None:
            raise KeyError("title")
        action = opt_str(e.get("action")) or text(lvs, "action")
        yield AdSignal(provenance=member.prov(ptr or "/"), platform=P, channels=ADTECH, kind="advertiser_has_your_data",
                       name=name, time=meta_time(e.get("timestamp")) or field_time(find(lvs, "time")),
                       detail=f"you interacted with their ad: {action}" if action else "you interacted with their ad")

    yield from run(member, ("history_v2", "history"), one)


def off_meta_signals(member: Member, platform: str, ptr: str, e: dict[str, Any]) -> Iterator[Any]:
    """One company of the off-Meta activity file, either shape (formats.md §1.6)."""
    if is_label_record(e):  # 2026: {"title": company, label_values: [Events: vec of dicts]}
        name = opt_str(e.get("title")) or opt_str(e.get("name"))
        lvs = read_lv(e.get("label_values"))
        if name is None:
            name = text(lvs, "name")
        if name is None:
            raise KeyError("title")
        events = find(lvs, "events")
        vec = [v for v in (events.vec if events else []) if isinstance(v, list)]
        if not vec:
            yield AdSignal(provenance=member.prov(ptr or "/"), platform=platform, channels=ADTECH,
                           kind="off_platform_activity", name=name)
        for k, ev in enumerate(vec):
            t = field_time(find(ev, "received")) or field_time(find(ev, "time"))
            if t is None:  # unknown language: the one timestamp in the event
                t = next((field_time(x) for x in ev if x.timestamp is not None), None)
            yield AdSignal(provenance=member.prov(f"{ptr}/label_values/{lvs.index(events)}/vec/{k}"),  # type: ignore[arg-type]
                           platform=platform, channels=ADTECH, kind="off_platform_activity", name=name, time=t,
                           detail=text(ev, "event"))
        return
    name = opt_str(e.get("name"))
    if name is None:
        raise KeyError("name")
    events = e.get("events") if isinstance(e.get("events"), list) else []
    if not events:
        yield AdSignal(provenance=member.prov(ptr or "/"), platform=platform, channels=ADTECH,
                       kind="off_platform_activity", name=name)
    for k, ev in enumerate(events):
        if not isinstance(ev, dict):
            raise BadValue(f"event {k} is not an object")
        yield AdSignal(provenance=member.prov(f"{ptr}/events/{k}"), platform=platform, channels=ADTECH,
                       kind="off_platform_activity", name=name, time=meta_time(ev.get("timestamp")),
                       detail=opt_str(ev.get("type")))


OFF_META_KEYS = ("off_facebook_activity_v2", "off_facebook_activity", "apps_and_websites_off_meta_activity")


def _off_meta(member: Member) -> Iterator[Any]:
    yield from run(member, OFF_META_KEYS, lambda ptr, e: off_meta_signals(member, P, ptr, e))


def _interests(member: Member) -> Iterator[Any]:
    yield from adtech_strings(member, P, "interest", ("topics_v2", "topics"))


def _inferred_topics(member: Member) -> Iterator[Any]:
    yield from adtech_strings(member, P, "inferred_category", ("inferred_topics_v2", "inferred_topics"))


def _other_categories(member: Member) -> Iterator[Any]:
    yield from adtech_strings(member, P, "inferred_category", ("bcts_v2", "other_categories_v2", "categories"))


# ---------------------------------------------------------------------------------------------
# Connections: counted, never named


def count_entries(data: Any) -> int | None:
    """How many people a connections file lists, in either generation; None if no list is found."""
    if isinstance(data, list):
        if len(data) == 1 and is_label_record(data[0]):
            return count_entries(data[0])
        return len(data)
    if isinstance(data, dict):
        if is_label_record(data):
            lvs = read_lv(data["label_values"])
            return sum(len(lv.vec) for lv in lvs) if any(lv.vec for lv in lvs) else len(lvs)
        for v in data.values():
            n = count_entries(v)
            if n is not None:
                return n
    return None


def connection_counter(platform: str, kind: str) -> Any:
    def parse(member: Member) -> Iterator[Any]:
        loaded = load(member)
        yield from whole_file_issue(member, loaded)
        if loaded.data is None:
            return
        n = count_entries(loaded.data)
        if n is None:
            yield member.issue(WHOLE_FILE, "no list of people found in this file")
            return
        # Third parties are counted, not stored: names stay in the export.
        yield Connection(provenance=member.prov("/"), platform=platform, kind=kind, count=n)  # type: ignore[arg-type]
    return parse


# ---------------------------------------------------------------------------------------------
# HTML export


def html_export(platform: str, title: str, where: str) -> Any:
    def parse(member: Member) -> Iterator[Any]:
        yield member.issue(WHOLE_FILE, HTML_STEPS.format(platform=title, where=where, site=platform), "warning")
    return parse


# ---------------------------------------------------------------------------------------------
# Registration

_J = r"\.json"
_FB_POSTS = r"(?:your_facebook_activity/posts|posts)"


def _reg(name: str, title: str, pattern: str, parse: Any, example: str, **kw: Any) -> None:
    register(Handler(platform=P, name=f"facebook.{name}", title=title, pattern=pattern, parse=parse,
                     example=example, **kw))


_reg("account_activity", "Account activity (IP, browser, city)", _SEC + r"account_activity" + _J,
     _account_activity, "security_and_login_information/account_activity.json")
_reg("logins_and_logouts", "Logins and logouts", _SEC + r"logins_and_logouts" + _J,
     _logins_and_logouts, "security_and_login_information/logins_and_logouts.json")
_reg("ip_address_activity", "IP address activity", _SEC + r"(?:ip_address_activity|used_ip_addresses)" + _J,
     _ip_activity, "security_and_login_information/ip_address_activity.json")
_reg("sessions", "Where you're logged in (active sessions)", _SEC + r"where_you" + _APOS + r"re_logged_in" + _J,
     _sessions, "security_and_login_information/where_you're_logged_in.json")
_reg("login_protection", "Login protection data", _SEC + r"login_protection_data" + _J,
     _login_protection, "security_and_login_information/login_protection_data.json")
_reg("authorized_logins", "Authorised logins (recognised devices)", _SEC + r"authorized_logins" + _J,
     _authorized_logins, "security_and_login_information/authorized_logins.json", unconfirmed=True)
_reg("admin_records", "Account changes (administrative records)",
     _SEC + r"(?:record_details|administrative_records)" + _J,
     _admin_records, "security_and_login_information/record_details.json")
_reg("devices", "Mobile devices (with advertising ids)", _SEC + r"(?:mobile_devices|devices)" + _J,
     _devices, "security_and_login_information/mobile_devices.json")
_reg("account_status", "Account status changes", _SEC + r"account_status_changes" + _J,
     _status_changes, "security_and_login_information/account_status_changes.json")
_reg("contact_verifications", "Contact and e-mail verifications",
     _SEC + r"(?:email_address_verifications|contact_verifications)" + _J,
     _verifications, "security_and_login_information/email_address_verifications.json")
_reg("profile", "Profile information (names, e-mails, phones, city)",
     r"(?:personal_information/)?profile_information/profile_information" + _J,
     _profile, "personal_information/profile_information/profile_information.json")
_reg("location", "Primary location and timezone (Facebook's inference)",
     r"logged_information/location/(?:primary_location|primary_public_location|timezone)" + _J,
     _location_files, "logged_information/location/primary_location.json")
_reg("locations_of_interest", "Locations of interest",
     r"(?:logged_information/other_logged_information|other_logged_information)/locations_of_interest" + _J,
     _locations_of_interest, "logged_information/other_logged_information/locations_of_interest.json")
_reg("posts", "Your posts (with places and photo metadata)",
     _FB_POSTS + r"/(?:your_posts__check_ins__photos_and_videos|your_posts)(?:_\d+)?" + _J,
     _posts, "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json")
_reg("checkins", "Check-ins", _FB_POSTS + r"/check-ins" + _J, _checkins,
     "your_facebook_activity/posts/check-ins.json")
_reg("location_history", "Location history (2019 layout)", r"location_history/your_location_history" + _J,
     _location_history_2019, "location_history/your_location_history.json")
_reg("media", "Photo and video metadata (upload IP, camera, GPS)",
     r"(?:your_facebook_activity/posts|posts|photos_and_videos|your_activity_across_facebook/posts)/"
     r"(?:your_uncategorized_photos|your_videos|album/\d+)" + _J,
     _media_files, "your_facebook_activity/posts/album/1.json")
_reg("advertisers", "Advertisers using your activity or information",
     # ads_and_businesses/advertisers_using… is Instagram's: Facebook's sits right under ads_information/.
     r"(?:(?:ads_information|ads)/advertisers_using_your_activity_or_information|"
     r"(?:ads_information|ads_and_businesses|ads)/advertisers_who_uploaded_a_contact_list_with_your_information)"
     + _J,
     _advertisers, "ads_information/advertisers_using_your_activity_or_information.json")
_reg("advertisers_interacted", "Advertisers you've interacted with",
     r"(?:ads_information|ads_and_businesses|ads)/advertisers_you" + _APOS + r"ve_interacted_with" + _J,
     _advertisers_interacted, "ads_information/advertisers_you've_interacted_with.json")
_reg("other_categories", "Other categories used to reach you",
     r"ads_information/other_categories_used_to_reach_you" + _J,
     _other_categories, "ads_information/other_categories_used_to_reach_you.json")
_reg("off_meta", "Activity off Meta technologies (off-Facebook activity)",
     r"(?:apps_and_websites_off_of_facebook|ads_and_businesses|ads_information)/"
     r"(?:your_activity_off_meta_technologies|your_off-facebook_activity)" + _J,
     _off_meta, "apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json")
_reg("ad_interests", "Ad interests",
     r"(?:logged_information/other_logged_information|other_logged_information|ads_information|ads)/ads_interests"
     + _J, _interests, "logged_information/other_logged_information/ads_interests.json")
_reg("inferred_topics", "Your topics (inferred)", r"(?:your_topics|preferences/your_topics)/your_topics" + _J,
     _inferred_topics, "your_topics/your_topics.json", unconfirmed=True)
_reg("friends", "Friends (count only)",
     r"(?:connections/friends|friends_and_followers|friends)/(?:your_friends|friends)" + _J,
     connection_counter(P, "friend"), "connections/friends/your_friends.json")
_reg("followers", "Followers (count only)",
     r"(?:connections/followers|friends_and_followers|followers)/(?:people_who_followed_you|followers)(?:_\d+)?"
     + _J, connection_counter(P, "follower"), "connections/followers/people_who_followed_you.json")
_reg("following", "Following (count only)",
     r"(?:connections/followers|friends_and_followers|following)/(?:who_you" + _APOS + r"ve_followed|following)"
     + _J, connection_counter(P, "following"), "connections/followers/who_you've_followed.json")
# UNCONFIRMED layout (formats.md §13 gap): the address-book file's place in 2024+ exports.
_reg("uploaded_contacts", "Uploaded contacts (count only)",
     r"(?:about_you|personal_information|connections/contacts|contacts)/(?:your_address_books|address_books)" + _J,
     connection_counter(P, "contact_uploaded"), "about_you/your_address_books.json", unconfirmed=True)
_reg("html_export", "HTML export (not readable: request JSON)",
     # profile_information.html is in every HTML export (one part only): one warning, not one per file.
     r"profile_information/profile_information\.html",
     html_export(P, "Facebook", "Facebook > menu > Settings & privacy > Settings"),
     "personal_information/profile_information/profile_information.html")


def _no_data(member: Member) -> Iterator[Any]:
    # Read and empty: the member log lists it as parsed with 0 records, not as unrecognised or failed.
    return iter(())


# Facebook (and Instagram) put a no-data.txt file in each category folder that has nothing
# (e.g. posts/no-data.txt, bug_bounty/no-data.txt): say so, so an empty section is explained.
_reg("no_data", "Empty category (no-data.txt placeholder)", r"(?:[^/]+/)+no-data\.txt",
     _no_data, "ads_information/no-data.txt")
