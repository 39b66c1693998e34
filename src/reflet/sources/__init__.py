"""The registry of platform sources: which member paths each one reads.

A source module in this package (one per platform or layout family) calls
``register(Handler(...))`` for every kind of file it understands. Adding a
platform is adding one module: the registry imports every module here, in
sorted order, so nothing else changes.

A handler matches a member by a regular expression on its path (searched from
a folder boundary, case-insensitive, so any top folder and localised parents
are tolerated) and, where names are generic, by a test on the first bytes.
Its ``parse`` function gets a ``Member`` and yields records or
``ParseIssue``s; it never raises for bad data (the pipeline still catches
anything that escapes and reports it against the member).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..archive import DEFAULT_MEMBER_LIMIT, Archive, MemberInfo
from ..records import AnyRecord, ParseIssue, Provenance

MiB = 1024 * 1024
GiB = 1024 * MiB
WHOLE_FILE = "(whole file)"  # the locator of an issue about a member as a whole

# A private folder (0700) inside the audit's output where a source may write short-lived spill
# files (the fast Records.json reader does). Set by the audit while it reads; None elsewhere, and
# then sources read without spilling. Nothing else may be written for a source: inputs stay as they are.
SCRATCH: ContextVar[Path | None] = ContextVar("reflet_scratch", default=None)
SPILL_PREFIX = "spill-"  # every spill file's name starts so; sweep_scratch removes them


def sweep_scratch(folder: Path) -> None:
    """Remove spill files a killed run left behind (a normal run deletes its own at once)."""
    for p in folder.glob(SPILL_PREFIX + "*"):
        if p.is_file() and not p.is_symlink():
            p.unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class Member:
    """What a parse function gets: the member, a way to open it, provenance helpers."""

    archive: Archive
    info: MemberInfo
    limit: int = DEFAULT_MEMBER_LIMIT

    @property
    def path(self) -> str:
        return self.info.path

    @property
    def archive_name(self) -> str:
        return self.info.part or self.archive.name

    def open(self) -> BinaryIO:
        return self.archive.open(self.info, self.limit)  # type: ignore[return-value]

    def prov(self, locator: str) -> Provenance:
        return Provenance(archive=self.archive_name, member=self.info.path, locator=locator)

    def issue(self, locator: str, message: str, level: str = "error") -> ParseIssue:
        return ParseIssue(archive=self.archive_name, member=self.info.path, locator=locator,
                          message=message, level=level)  # type: ignore[arg-type]


ParseFn = Callable[[Member], Iterator[AnyRecord | ParseIssue]]


@dataclass(frozen=True)
class Handler:
    """One kind of file a platform exports, and how to read it."""

    platform: str  # "google", "facebook", ...
    name: str  # stable id, e.g. "google.records"
    title: str  # what a person would call it: "Location History (Records.json)"
    pattern: str  # regex on the member path, searched from a folder boundary
    parse: ParseFn
    example: str  # an example path, for `reflet sources` and the docs
    sniff: Callable[[bytes], bool] | None = None
    max_bytes: int = 256 * MiB  # per kind: a 4 GB Records.json is normal, a 4 GB profile is not
    version: int = 1  # bump when output changes, so cached archives are parsed again
    unconfirmed: bool = False  # built on a layout formats.md marks UNCONFIRMED
    _rx: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rx", re.compile(r"(?:^|/)(?:" + self.pattern + r")$", re.IGNORECASE))

    def matches_path(self, path: str) -> bool:
        return self._rx.search(path) is not None


_HANDLERS: dict[str, Handler] = {}
_loaded = False


def register(handler: Handler) -> Handler:
    """Add a handler; a duplicate name is a programming error."""
    if handler.name in _HANDLERS and _HANDLERS[handler.name] is not handler:
        raise ValueError(f"handler {handler.name!r} is registered twice")
    _HANDLERS[handler.name] = handler
    return handler


def load() -> None:
    """Import every source module in this package, once, in sorted order."""
    global _loaded
    if _loaded:
        return
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}")
    _loaded = True


def handlers() -> list[Handler]:
    load()
    return sorted(_HANDLERS.values(), key=lambda h: (h.platform, h.name))


def platforms() -> list[str]:
    return sorted({h.platform for h in handlers()})


def candidates(path: str) -> list[Handler]:
    """Handlers whose path pattern matches (sniff tests still to be applied)."""
    return [h for h in handlers() if h.matches_path(path)]


def match(archive: Archive, info: MemberInfo) -> Handler | None:
    """The handler that reads this member, or None when no source knows it."""
    cands = candidates(info.path)
    if not cands:
        return None
    head: bytes | None = None
    for h in cands:
        if h.sniff is None:
            return h
        if head is None:
            try:
                head = archive.read_head(info, 4096)
            except Exception:  # noqa: BLE001 - unreadable heads are reported when the member is parsed
                return h  # its name matched: parsing it reports why it cannot be read
        if h.sniff(head):
            return h
    return None


def parse_member(archive: Archive, info: MemberInfo, handler: Handler) -> Iterator[AnyRecord | ParseIssue]:
    """Run a handler on a member; anything it raises becomes a ParseIssue."""
    member = Member(archive=archive, info=info, limit=handler.max_bytes)
    try:
        yield from handler.parse(member)
    except Exception as exc:  # noqa: BLE001 - bad input must never end the audit
        from ..errors import RefletError

        msg = str(exc) if isinstance(exc, RefletError) else f"could not be read ({type(exc).__name__}: {exc})"
        yield member.issue(WHOLE_FILE, msg[:500])


__all__ = ["SCRATCH", "SPILL_PREFIX", "WHOLE_FILE", "GiB", "Handler", "Member", "MiB", "ParseFn", "candidates",
           "handlers", "load", "match", "parse_member", "platforms", "register", "sweep_scratch"]
