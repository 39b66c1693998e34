"""LinkedIn "Get a copy of your data", basic export (formats.md §8).

``Basic_LinkedInDataExport_<MM-DD-YYYY>.zip`` holding the folder of the same name with
``Logins.csv`` (IP and user agent of every LinkedIn login), ``Profile.csv`` (with a BOM),
``Email Addresses.csv``, ``PhoneNumbers.csv`` and ``Shares.csv`` (public posts).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..model import Persona
from . import _out


def _csv(rows: list[tuple[Any, ...]], bom: bool = False) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return (("\ufeff" if bom else "") + buf.getvalue()).encode()


def write(p: Persona, truth: dict[str, Any], exports: Any) -> dict[str, Any]:
    d = _out.export_date(p)
    folder = f"Basic_LinkedInDataExport_{d:%m-%d-%Y}"
    lg = _out.logins(truth, "linkedin")
    logins = [("Login Date", "IP Address", "User Agent", "Login Type"),
              *((_out.t(e["time"]).strftime("%a %b %d %H:%M:%S UTC %Y"), e["ip"], e["user_agent"], "Login")
                for e in reversed(lg))]
    per = truth["person"]
    profile = [("First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary", "Industry",
                "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers"),
               (per["given_name"], per["family_name"], "", "", "", "Operations coordinator", "", "Logistics", "",
                f"{per['city']}, {per['country']}", "[]", "[]", "")]
    first = _out.t(truth["period"]["first_day"] + "T12:00:00Z")
    mails = [("Email Address", "Confirmed", "Primary", "Updated On"),
             *((m, "Yes", "Yes" if i == 0 else "No", first.strftime("%-m/%d/%y, %-I:%M %p"))
               for i, m in enumerate(_out.emails(truth, "linkedin")))]
    phones = [("Extension", "Number", "Type"), ("", _out.phone(truth, "linkedin"), "Mobile")]
    # UNCONFIRMED layout (formats.md §8.5): the Shares.csv header in a real export.
    ps = _out.posts(truth, "linkedin")
    shares = [("Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl", "Visibility"),
              *((_out.t(e["time"]).strftime("%Y-%m-%d %H:%M:%S"),
                 f"https://www.linkedin.com/feed/update/urn:li:share:{7_100_000_000 + i}", e["text"], "", "",
                 "PUBLIC" if e["visibility"] == "public" else "MEMBER_NETWORK")
                for i, e in enumerate(reversed(ps)))]
    members = {f"{folder}/Logins.csv": _csv(logins), f"{folder}/Profile.csv": _csv(profile, bom=True),
               f"{folder}/Email Addresses.csv": _csv(mails), f"{folder}/PhoneNumbers.csv": _csv(phones),
               f"{folder}/Shares.csv": _csv(shares)}
    name = f"{folder}.zip"
    _out.write_zip(exports / name, members, d)
    return _out.info(name, members, logins=len(lg), shares=len(ps))
