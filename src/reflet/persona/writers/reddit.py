"""Reddit GDPR export (formats.md §6): a flat zip of CSVs, ``export-<username>-<YYYYMMDD>.zip``.

``ip_logs.csv`` (every Reddit login's IP), ``posts.csv`` (public), ``statistics.csv``
(account name, e-mail), ``linked_phone_number.csv`` (none: Reddit did not get the number).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..model import Persona
from . import _out


def _csv(rows: list[tuple[Any, ...]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode()


def _date(iso: str) -> str:
    return _out.t(iso).strftime("%Y-%m-%d %H:%M:%S UTC")


def write(p: Persona, truth: dict[str, Any], exports: Any) -> dict[str, Any]:
    user = truth["identity"]["usernames"]["reddit"]
    lg = _out.logins(truth, "reddit")
    ip_rows: list[tuple[Any, ...]] = [("date", "ip"), *((_date(e["time"]), e["ip"]) for e in reversed(lg))]
    city = truth["person"]["city"].replace(" ", "")
    post_rows: list[tuple[Any, ...]] = [("id", "permalink", "date", "ip", "subreddit", "gildings", "title", "url",
                                         "body")]
    ps = _out.posts(truth, "reddit")
    for i, e in enumerate(reversed(ps)):
        pid = f"{p.seed % 36:x}p{i:04d}"
        post_rows.append((pid, f"https://www.reddit.com/r/{city}/comments/{pid}/", _date(e["time"]), "", city, "0",
                          e["text"], "", e["text"]))
    stats = _csv([("statistic", "value"), ("account name", user),
                  ("export time", _out.export_time(p).strftime("%Y-%m-%d %H:%M:%S UTC")),
                  *(("email address", m) for m in _out.emails(truth, "reddit")), ("email verified", "True")])
    members = {"ip_logs.csv": _csv(ip_rows), "posts.csv": _csv(post_rows), "statistics.csv": stats}
    d = _out.export_date(p)
    name = f"export-{user}-{d:%Y%m%d}.zip"  # as the real one (formats.md §6.1)
    _out.write_zip(exports / name, members, d)
    return _out.info(name, members, logins=len(lg), posts=len(ps))
