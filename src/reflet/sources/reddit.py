"""Reddit GDPR export: a flat zip of CSVs (formats.md 6).

``ip_logs.csv`` starts with a magic row ``registration ip,<ip>``; posts,
comments and messages carry an ``ip`` column (often empty on old items).
Posts and comments are public by nature. Dates: ``YYYY-MM-DD HH:MM:SS UTC``.
Friends and message partners are other people: counted, never stored.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator

from ..records import AdSignal, AnyRecord, Connection, Identity, Login, ParseIssue, Post
from . import WHOLE_FILE, Handler, Member, MiB, register
from ._common import col, csv_rows, each_row, parse_time

PLATFORM = "reddit"
Out = Iterator[AnyRecord | ParseIssue]
PUBLIC = frozenset({"records", "public"})


def parse_ip_logs(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        date, ip = col(row, "date"), col(row, "ip")
        if date and date.strip().lower() == "registration ip":
            yield Login(provenance=member.prov(loc), platform=PLATFORM, time=None, ip=ip, action="account_created")
        elif ip:
            yield Login(provenance=member.prov(loc), platform=PLATFORM, time=parse_time(date) if date else None,
                        ip=ip, action="session")
    return each_row(member, one)


def _content(kind: str) -> Callable[[Member], Out]:
    def parse(member: Member) -> Out:
        def one(loc: str, row: dict[str, str]) -> Out:
            t = parse_time(col(row, "date")) if col(row, "date") else None
            if kind in ("post", "comment"):
                text = " — ".join(x for x in (col(row, "title"), col(row, "body")) if x) or None
                link = col(row, "permalink")
                sub = col(row, "subreddit")
                yield Post(provenance=member.prov(loc), platform=PLATFORM, platform_id=col(row, "id"),
                           url=link, time=t, text=f"r/{sub}: {text}" if sub and text else text,
                           visibility="public", channels=PUBLIC)
            if col(row, "ip"):
                # The IP Reddit logged when this was written: as revealing as a login.
                yield Login(provenance=member.prov(f"{loc}/ip"), platform=PLATFORM, time=t, ip=col(row, "ip"),
                            action="upload", detail=f"{kind} {col(row, 'id') or ''}".strip())
        return each_row(member, one)
    return parse


def parse_statistics(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        stat, value = (col(row, "statistic") or "").lower(), col(row, "value")
        if not value:
            return
        if stat == "account name":
            yield Identity(provenance=member.prov(loc), platform=PLATFORM, kind="username", value=value,
                           channels=PUBLIC)
        elif stat == "email address":
            yield Identity(provenance=member.prov(loc), platform=PLATFORM, kind="email", value=value)
    return each_row(member, one)


def parse_linked_identities(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        issuer, subject = col(row, "issuer_id"), col(row, "subject_id")
        if issuer and subject:
            yield Identity(provenance=member.prov(loc), platform=PLATFORM, kind="device_id",
                           value=f"{issuer}#{subject}", role="primary")
    return each_row(member, one)


def parse_phone(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        if (v := col(row, "phone_number")):
            yield Identity(provenance=member.prov(loc), platform=PLATFORM, kind="phone", value=v)
    return each_row(member, one)


_AD_PREFS = {
    "3rd_party_personalized_ads", "3rd_party_site_data_personalized_ads", "3rd_party_data_personalized_ads",
    "3rd_party_site_data_personalized_content", "activity_relevant_ads", "store_visits", "allow_clicktracking",
    "show_location_based_recommendations", "geopopular", "country_code",
}


def parse_preferences(member: Member) -> Out:
    def one(loc: str, row: dict[str, str]) -> Out:
        pref, value = col(row, "preference"), col(row, "value")
        if pref in _AD_PREFS and value:
            yield AdSignal(provenance=member.prov(loc), platform=PLATFORM, kind="inferred_category",
                           name=f"Setting {pref} = {value}", channels=frozenset({"records", "adtech"}))
    return each_row(member, one)


def _counter(kind: str) -> Callable[[Member], Out]:
    def parse(member: Member) -> Out:
        n = 0
        try:
            for _ in csv_rows(member):
                n += 1
        except (csv.Error, UnicodeError) as exc:
            yield member.issue(WHOLE_FILE, f"not a readable CSV file ({exc})")
        yield Connection(provenance=member.prov(WHOLE_FILE), platform=PLATFORM, kind=kind, count=n)  # type: ignore[arg-type]
    return parse


def _sniff(*cols: str) -> Callable[[bytes], bool]:
    def sniff(head: bytes) -> bool:
        first = head.split(b"\n", 1)[0].lower()
        return all(c.encode() in first for c in cols)
    return sniff


for _name, _title, _file, _fn, _cols in (
    ("ip_logs", "IP address log (incl. sign-up IP)", "ip_logs", parse_ip_logs, ("date", "ip")),
    ("posts", "Posts (public) and their IPs", "posts", _content("post"), ("permalink", "date")),
    ("comments", "Comments (public) and their IPs", "comments", _content("comment"), ("permalink", "date")),
    ("messages", "Private messages' IPs (no content kept)", "messages", _content("message"), ("thread_id",)),
    ("statistics", "Account name and e-mail", "statistics", parse_statistics, ("statistic", "value")),
    ("linked_identities", "Linked sign-in identities (Google, Apple)", "linked_identities",
     parse_linked_identities, ("issuer_id",)),
    ("linked_phone_number", "Linked phone number", "linked_phone_number", parse_phone, ("phone_number",)),
    ("user_preferences", "Ad and location preferences", "user_preferences", parse_preferences, ("preference",)),
    ("friends", "Friends (counted)", "friends", _counter("friend"), ("username",)),
):
    register(Handler(platform=PLATFORM, name=f"reddit.{_name}", title=_title, pattern=rf"{_file}\.csv",
                     example=f"export_alice_20230404/{_file}.csv", parse=_fn, sniff=_sniff(*_cols),
                     max_bytes=(2048 if _name in ("comments", "posts", "messages") else 256) * MiB))
