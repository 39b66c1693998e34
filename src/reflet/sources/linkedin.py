"""LinkedIn "Get a copy of your data": CSVs, some in sub-folders (formats.md 8).

Date formats differ per file (``Tue Mar 05 09:12:44 UTC 2024`` in the login
files, ``1/02/09, 3:04 PM`` in Registration/Email Addresses, ``15 Jan 2023``
in Connections). ``Ad_Targeting.csv`` is one wide row with duplicate column
names and ``;``-joined values. ``Connections.csv`` starts with a ``Notes:``
preamble; connections are counted only.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import datetime, timezone

from ..records import AdSignal, AnyRecord, Connection, Identity, Login, ParseIssue, Post
from . import WHOLE_FILE, Handler, Member, MiB, register
from ._common import col, csv_rows, each_row, parse_time

PLATFORM = "linkedin"
Out = Iterator[AnyRecord | ParseIssue]
ADTECH = frozenset({"records", "adtech"})
PUBLIC = frozenset({"records", "public"})


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    for form in ("%m/%d/%y, %I:%M %p", "%d %b %Y", "%Y-%m-%d %H:%M:%S"):
        try:
            # LinkedIn writes these without a zone; its exports use UTC (as the login files say).
            return datetime.strptime(value.strip(), form).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    return parse_time(value, assume_utc=True)


def parse_logins(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        yield Login(provenance=member.prov(loc), platform=PLATFORM, time=_time(col(row, "Login Date")),
                    ip=col(row, "IP Address"), user_agent=col(row, "User Agent"), action="login",
                    detail=col(row, "Login Type"))
    return each_row(member, one)


def parse_challenges(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        country = col(row, "Country")
        yield Login(provenance=member.prov(loc), platform=PLATFORM, time=_time(col(row, "Challenge Date")),
                    ip=col(row, "IP Address"), user_agent=col(row, "User Agent"), action="other",
                    country=None if country == "Unknown" else country,
                    detail=f"security challenge: {col(row, 'Challenge Type') or '?'}")
    return each_row(member, one)


def parse_registration(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        yield Login(provenance=member.prov(loc), platform=PLATFORM, time=_time(col(row, "Registered At")),
                    ip=col(row, "Registration Ip"), action="account_created")
    return each_row(member, one)


def parse_profile(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        name = " ".join(x for x in (col(row, "First Name"), col(row, "Last Name")) if x)
        if name:
            yield Identity(provenance=member.prov(f"{loc}/First Name"), platform=PLATFORM, kind="name",
                           value=name, channels=PUBLIC)
        where = ", ".join(x for x in (col(row, "Geo Location"), col(row, "Zip Code"), col(row, "Address")) if x)
        if where:
            yield Post(provenance=member.prov(f"{loc}/Geo Location"), platform=PLATFORM,
                       text=f"Profile location: {where}", visibility="public", channels=PUBLIC)
        if col(row, "Headline"):
            yield Post(provenance=member.prov(f"{loc}/Headline"), platform=PLATFORM, text=col(row, "Headline"),
                       visibility="public", channels=PUBLIC)
    return each_row(member, one)


def parse_positions(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        company = col(row, "Company Name")
        if company:
            # Employer and place of work, on the public profile: a work anchor for an analyst.
            text = f"Works at {company}" + (f" ({col(row, 'Title')})" if col(row, "Title") else "")
            if col(row, "Location"):
                text += f" in {col(row, 'Location')}"
            text += f", from {col(row, 'Started On') or '?'} to {col(row, 'Finished On') or 'now'}"
            yield Post(provenance=member.prov(loc), platform=PLATFORM, text=text, visibility="public",
                       channels=PUBLIC)
    return each_row(member, one)


def parse_emails(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        v = col(row, "Email Address")
        if v:
            role = "primary" if (col(row, "Primary") or "").lower() == "yes" else (
                "unverified" if (col(row, "Confirmed") or "").lower() == "no" else "recovery")
            yield Identity(provenance=member.prov(loc), platform=PLATFORM, kind="email", value=v, role=role,  # type: ignore[arg-type]
                           time=_time(col(row, "Updated On")))
    return each_row(member, one)


def parse_phones(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        if (v := col(row, "Number")):
            yield Identity(provenance=member.prov(loc), platform=PLATFORM, kind="phone", value=v)
    return each_row(member, one)


def parse_ad_targeting(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        for column, value in row.items():
            base = column.split("#")[0]
            for j, v in enumerate(x.strip() for x in value.split(";") if x.strip()):
                yield AdSignal(provenance=member.prov(f"{loc}/{column}/{j}"), platform=PLATFORM,
                               kind="inferred_category", name=f"{base}: {v}"[:300], channels=ADTECH)
    return each_row(member, one)


def parse_inferences(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        what = col(row, "Type of inference") or col(row, "Category")
        value = col(row, "Inference")
        if what:
            yield AdSignal(provenance=member.prov(loc), platform=PLATFORM, kind="inferred_category",
                           name=f"{what}: {value}" if value else what, detail=col(row, "Description"),
                           channels=ADTECH)
    return each_row(member, one)


def parse_shares(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        vis_raw = (col(row, "Visibility") or "").upper()
        vis = "public" if vis_raw == "PUBLIC" else "friends" if vis_raw else "unknown"
        yield Post(provenance=member.prov(loc), platform=PLATFORM, url=col(row, "ShareLink"),
                   time=_time(col(row, "Date")), text=col(row, "ShareCommentary"), visibility=vis,  # type: ignore[arg-type]
                   channels=PUBLIC if vis == "public" else frozenset({"records"}))
    return each_row(member, one)


def parse_connections(member: Member) -> Out:
    n = 0
    try:
        for _ in csv_rows(member, is_header=lambda r: "First Name" in [c.strip() for c in r]):
            n += 1  # other people: counted, never stored
    except (csv.Error, UnicodeError) as exc:
        yield member.issue(WHOLE_FILE, f"not a readable CSV file ({exc})")
    yield Connection(provenance=member.prov(WHOLE_FILE), platform=PLATFORM, kind="contact", count=n)


def _sniff(*cols: str) -> Callable[[bytes], bool]:
    def sniff(head: bytes) -> bool:
        return all(c.encode() in head for c in cols)
    return sniff


for _name, _title, _file, _fn, _cols, _unc in (
    ("logins", "Logins (IP, browser)", r"Logins", parse_logins, ("Login Date",), False),
    ("security_challenges", "Security challenges (IP, country)", r"Security Challenges", parse_challenges,
     ("Challenge Date",), False),
    ("registration", "Sign-up date and IP", r"Registration", parse_registration, ("Registered At",), False),
    ("profile", "Profile (name, location, headline)", r"Profile", parse_profile, ("First Name",), False),
    ("positions", "Positions (employer and place)", r"Positions", parse_positions, ("Company Name",), True),
    ("email_addresses", "E-mail addresses", r"Email Addresses", parse_emails, ("Email Address",), False),
    ("phone_numbers", "Phone numbers", r"PhoneNumbers", parse_phones, ("Number",), False),
    ("ad_targeting", "Ad targeting (what advertisers can select you by)", r"Ad_Targeting", parse_ad_targeting,
     (), False),
    ("inferences", "Inferences about you", r"Inferences_about_you", parse_inferences, ("Inference",), False),
    ("shares", "Shares (posts) and their visibility", r"Shares(_\d+)?", parse_shares, ("ShareLink",), True),
    ("connections", "Connections (counted)", r"Connections", parse_connections, (), False),
):
    register(Handler(platform=PLATFORM, name=f"linkedin.{_name}", title=_title, pattern=rf"{_file}\.csv",
                     example=f"Basic_LinkedInDataExport_01-15-2026/{_file.split('(')[0]}.csv", parse=_fn,
                     sniff=_sniff(*_cols) if _cols else None, max_bytes=256 * MiB, unconfirmed=_unc))
