"""Public footprint: what anyone can see, and contact details leaked in public text.

* Public posts, and public posts or media that carry a place.
* Phone numbers (any country's format, via ``phonenumbers``, with the regions
  the person's own numbers and logins suggest), e-mail addresses and street
  addresses (English, French, Spanish patterns) in public text. Scored on the
  labelled set in ``tests/data/contact_details.jsonl``.

Everything here is in the ``public`` channel: scrapers and monitoring
contractors see it without any legal process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import phonenumbers

from ..findings import Evidence, Finding, msg
from ..store import Store

MAX_EVIDENCE = 40
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})*\.[A-Za-z]{2,24}(?![\w-])")
_STREET_EN = r"(?i:street|st\.?|avenue|ave\.?|road|rd\.?|boulevard|blvd\.?|lane|ln\.?|drive|dr\.?|court|ct\.?|place|pl\.?|way|terrace|close)"  # noqa: E501
_STREET = re.compile(
    r"\b\d{1,5}(?:\s?(?:bis|ter|[a-d]))?,?\s+(?:"
    # English: 221B Baker Street
    rf"(?:[A-Z][\w'-]+\s+){{1,4}}{_STREET_EN}\b"
    # French: 12 rue de la Paix, 3 bis avenue Foch, 5 impasse des Lilas
    r"|(?i:rue|avenue|av\.|boulevard|bd|bld|place|impasse|all[ée]e|chemin|quai|cours|route)\s+(?:(?:de|du|des|la|le|l'|d')\s*)*[A-ZÉÈ][\w'-]+"
    r")"
    # Spanish: Calle Mayor 5, Avenida de la Constitución 12, C/ Alcalá 20
    r"|\b(?i:calle|c/|avenida|avda\.?|av\.|paseo|plaza|camino|carrera|carretera)\s+(?:(?:de|del|la|las|los|el)\s+)*[A-ZÁÉÍÓÚÑ][\w'-]+(?:\s+[A-ZÁÉÍÓÚÑ][\w'-]+)*,?\s+(?:n[º°o]\.?\s*)?\d{1,5}\b",
    re.UNICODE,
)


@dataclass(frozen=True, slots=True)
class Detail:
    kind: str  # phone | email | address
    text: str


def find_contact_details(text: str, regions: tuple[str, ...] = ("US", "GB", "FR", "ES", "MX")) -> list[Detail]:
    """Phone numbers, e-mail addresses and street addresses in free text."""
    out: list[Detail] = []
    seen: set[str] = set()
    for m in _EMAIL.finditer(text):
        out.append(Detail("email", m.group(0)))
    # International numbers first (region-independent), then national forms per likely region.
    for region in ("ZZ", *regions):
        for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            key = phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
            if key not in seen and not _inside_email(m.start, text):
                seen.add(key)
                out.append(Detail("phone", m.raw_string))
    for m in _STREET.finditer(text):
        out.append(Detail("address", m.group(0).strip()))
    return out


def _inside_email(pos: int, text: str) -> bool:
    return any(m.start() <= pos < m.end() for m in _EMAIL.finditer(text))


def _regions(store: Store) -> tuple[str, ...]:
    """Regions for national-format numbers: from the person's own numbers, else common ones."""
    regions: list[str] = []
    for (value,) in store.query("SELECT value FROM identity WHERE kind = 'phone'"):
        try:
            r = phonenumbers.region_code_for_number(phonenumbers.parse(value, None))
            if r and r not in regions:
                regions.append(r)
        except phonenumbers.NumberParseException:
            continue
    for r in ("US", "GB", "FR", "ES", "MX"):
        if r not in regions:
            regions.append(r)
    return tuple(regions[:8])


def run(store: Store) -> list[Finding]:
    findings: list[Finding] = []
    posts = store.query(
        "SELECT platform, text, time, url, place, archive, member, locator FROM post "
        "WHERE list_contains(channels, 'public') ORDER BY time NULLS LAST")
    if posts:
        plats = sorted({p[0] for p in posts})
        findings.append(Finding(
            kind="public.posts", channel="public", severity="low",
            title=msg("find.public.posts.title", n=len(posts), platforms=plats),
            detail=msg("find.public.posts.detail"),
            evidence=[Evidence(p[5], p[6], p[7], (p[1] or "")[:120]) for p in posts[:MAX_EVIDENCE]],
            evidence_count=len(posts), platforms=plats, remediation=[f"{p}.public_posts" for p in plats]))
    located: list[Any] = store.query(
        "SELECT platform, time, lat, lon, archive, member, locator, kind FROM place "
        "WHERE list_contains(channels, 'public') ORDER BY time NULLS LAST")
    if located:
        plats = sorted({p[0] for p in located})
        findings.append(Finding(
            kind="public.located", channel="public", severity="high",
            title=msg("find.public.located.title", n=len(located)),
            detail=msg("find.public.located.detail"),
            evidence=[Evidence(p[4], p[5], p[6], f"{p[0]} · {p[1]:%Y-%m-%d} · {p[2]:.4f}, {p[3]:.4f}"
                               if p[1] else f"{p[0]} · {p[2]:.4f}, {p[3]:.4f}") for p in located[:MAX_EVIDENCE]],
            evidence_count=len(located), platforms=plats, remediation=[f"{p}.public_places" for p in plats],
            data={"points": [[p[2], p[3]] for p in located[:2000]]}))
    regions = _regions(store)
    leaks: list[tuple[Detail, Any]] = []
    for p in posts:
        if p[1]:
            for d in find_contact_details(p[1], regions):
                leaks.append((d, p))
    if leaks:
        kinds = sorted({d.kind for d, _ in leaks})
        plats = sorted({p[0] for _, p in leaks})
        findings.append(Finding(
            kind="public.contact_details", channel="public", severity="high",
            title=msg("find.public.contact_details.title", kinds=[msg(f"contact.kind.{k}") for k in kinds],
                      n=len(leaks)),
            detail=msg("find.public.contact_details.detail"),
            evidence=[Evidence(p[5], p[6], p[7], msg(f"ev.identifier.{d.kind}", value=d.text))
                      for d, p in leaks[:MAX_EVIDENCE]],
            evidence_count=len(leaks), platforms=plats, remediation=[f"{p}.public_posts" for p in plats],
            data={"kinds": kinds}))
    return findings
