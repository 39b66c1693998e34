"""Typed records: what every source yields and the store keeps.

Each record says where it came from (``provenance``: archive, member, locator)
and who can see it (``channels``: ``records`` for anything the platform holds,
plus ``public`` and ``adtech`` where they apply). Times are timezone-aware UTC;
a naive datetime is refused at construction, because a silent guess at the
timezone would move a person's night into their day.

``key`` is a stable hash of what identifies the fact itself (not where it was
read), so the same login seen in two overlapping exports is stored once.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Literal, Union, get_args

Channel = Literal["public", "records", "adtech"]
CHANNELS: tuple[str, ...] = get_args(Channel)

PlaceKind = Literal["gps", "wifi", "cell", "visit", "checkin", "geotag", "profile", "ip", "unknown"]
LoginAction = Literal[
    "login", "logout", "session", "upload", "password_change", "recovery_change",
    "account_created", "failed_login", "other",
]
DeviceKind = Literal["phone", "computer", "tablet", "browser", "app", "camera", "unknown"]
# "place": a named city or region without coordinates (profile city, Meta's "based in" inference).
IdentityKind = Literal["email", "phone", "username", "name", "device_id", "ad_id", "place"]
IdentityRole = Literal["primary", "recovery", "unverified", "inferred", "former"]
Visibility = Literal["public", "friends", "private", "unknown"]
AdSignalKind = Literal[
    "advertiser_has_your_data", "off_platform_activity", "interest", "inferred_category",
]
ConnectionKind = Literal["friend", "follower", "following", "contact_uploaded", "contact", "chat", "group"]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record was read: archive, member path, and a locator inside it.

    The locator is a JSON pointer (``/locations/212``), a CSV row
    (``row 14``) or a byte offset (``@1024``), whatever lets a person find it.
    """

    archive: str
    member: str
    locator: str

    def __str__(self) -> str:
        return f"{self.member} {self.locator}".strip()


def _check_time(name: str, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{name} is a naive datetime; reflet needs timezone-aware times")


def utc(value: datetime) -> datetime:
    """Convert an aware datetime to UTC (raises on naive ones)."""
    _check_time("time", value)
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """Fields every record carries."""

    provenance: Provenance
    channels: frozenset[str] = frozenset({"records"})
    platform: str

    # Fields that identify the fact; subclasses list theirs. Provenance is never part of it.
    KEY_FIELDS: ClassVar[tuple[str, ...]] = ()
    TIME_FIELDS: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        bad = set(self.channels) - set(CHANNELS)
        if bad:
            raise ValueError(f"unknown channel(s) {sorted(bad)}")
        if "records" not in self.channels:
            # Everything a platform exported, it holds: it can be compelled to hand it over.
            raise ValueError("every record is in the 'records' channel")
        for name in self.TIME_FIELDS:
            _check_time(name, getattr(self, name))
        for name in self.TIME_FIELDS:
            value = getattr(self, name)
            if value is not None and value.tzinfo is not UTC:
                object.__setattr__(self, name, value.astimezone(UTC))

    @property
    def key(self) -> str:
        parts = [type(self).__name__, self.platform]
        parts.extend(_canon(getattr(self, name)) for name in self.KEY_FIELDS)
        # md5 is a fingerprint here, not a defence: it lets SQL compute the same key (PLACE_KEY_SQL).
        return hashlib.md5("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _canon(value: object) -> str:
    """A value's canonical text in a key; simple enough to be rebuilt in SQL."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return str((value - _EPOCH) // timedelta(microseconds=1))
    if isinstance(value, float):
        return f"{value:.7f}"
    if isinstance(value, str):
        return value
    return repr(value)


# The same key as Place.key, computed by DuckDB over a table with Place's columns: used by
# sources that build millions of places as Arrow columns instead of objects.
PLACE_KEY_SQL = (
    "md5(concat_ws(chr(31), 'Place', platform, coalesce(CAST(epoch_us(time) AS VARCHAR), ''), "
    "printf('%.7f', lat), printf('%.7f', lon), kind, coalesce(CAST(epoch_us(end_time) AS VARCHAR), '')))"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Place(Record):
    """A position the person was at (or said to be at) at a time."""

    time: datetime | None
    lat: float
    lon: float
    accuracy_m: float | None = None
    kind: PlaceKind = "unknown"
    end_time: datetime | None = None  # visits have a duration
    name: str | None = None  # a place name the platform gave (visit, check-in)
    device: str | None = None  # the platform's device tag, when it names one
    source: str | None = None  # the platform's own source label (GPS, WIFI, CELL...)
    label: str | None = None  # the platform's own inference (HOME, WORK...)

    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("time", "lat", "lon", "kind", "end_time")
    TIME_FIELDS: ClassVar[tuple[str, ...]] = ("time", "end_time")

    def __post_init__(self) -> None:
        Record.__post_init__(self)
        if not (-90.0 <= self.lat <= 90.0) or not (-180.0 <= self.lon <= 180.0):
            raise ValueError(f"coordinates out of range: {self.lat}, {self.lon}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Login(Record):
    """An access to the account: login, logout, session, upload, security change."""

    time: datetime | None
    ip: str | None = None
    user_agent: str | None = None
    device: str | None = None
    action: LoginAction = "login"
    country: str | None = None  # as the platform itself reported it
    region: str | None = None
    city: str | None = None
    detail: str | None = None  # product, session id or other platform detail

    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("time", "ip", "user_agent", "action", "device")
    TIME_FIELDS: ClassVar[tuple[str, ...]] = ("time",)


@dataclass(frozen=True, slots=True, kw_only=True)
class Device(Record):
    """A phone, computer, browser, app install or camera tied to the account."""

    kind: DeviceKind = "unknown"
    make: str | None = None
    model: str | None = None
    os: str | None = None
    identifiers: tuple[tuple[str, str], ...] = ()  # (kind, value): device id, ad id, serial
    name: str | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("kind", "make", "model", "os", "identifiers", "name")
    TIME_FIELDS: ClassVar[tuple[str, ...]] = ("first_seen", "last_seen")


@dataclass(frozen=True, slots=True, kw_only=True)
class App(Record):
    """A connected app, web session or third party with access to the account."""

    name: str
    permissions: tuple[str, ...] = ()
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("name", "first_seen")
    TIME_FIELDS: ClassVar[tuple[str, ...]] = ("first_seen", "last_seen")


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity(Record):
    """An identifier of the person: e-mail, phone, username, name, device or ad id."""

    kind: IdentityKind
    value: str
    role: IdentityRole = "primary"
    time: datetime | None = None  # when it was added or changed, where known

    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("kind", "value", "role")
    TIME_FIELDS: ClassVar[tuple[str, ...]] = ("time",)


@dataclass(frozen=True, slots=True, kw_only=True)
class Post(Record):
    """Something the person published: post, tweet, comment, video, story."""

    platform_id: str | None = None
    url: str | None = None
    time: datetime | None = None
    text: str | None = None
    visibility: Visibility = "unknown"
    place: str | None = None  # key of a Place record
    media: tuple[str, ...] = ()  # member paths of attached media

    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("platform_id", "time", "text")
    TIME_FIELDS: ClassVar[tuple[str, ...]] = ("time",)


@dataclass(frozen=True, slots=True, kw_only=True)
class Media(Record):
    """A photo or video and the metadata that travels with it."""

    path: str
    taken_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    camera_make: str | None = None
    camera_model: str | None = None
    camera_serial: str | None = None
    software: str | None = None

    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("path", "taken_at", "lat", "lon", "camera_serial")
    TIME_FIELDS: ClassVar[tuple[str, ...]] = ("taken_at",)


@dataclass(frozen=True, slots=True, kw_only=True)
class AdSignal(Record):
    """What advertisers hold or infer: an advertiser with your data, an interest..."""

    kind: AdSignalKind
    name: str
    time: datetime | None = None
    detail: str | None = None

    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("kind", "name", "time")
    TIME_FIELDS: ClassVar[tuple[str, ...]] = ("time",)


@dataclass(frozen=True, slots=True, kw_only=True)
class Connection(Record):
    """A count of other people (friends, followers, uploaded contacts).

    Names are kept only when the user opts in: third parties are counted, not stored.
    """

    kind: ConnectionKind
    count: int
    names: tuple[str, ...] = ()

    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("kind", "count")

    @property
    def key(self) -> str:
        # A count is a fact about one file (followers_1.json, followers_2.json): two files with the
        # same number are two facts, and the same file in two overlapping exports is one.
        base = Record.key.fget(self)  # type: ignore[attr-defined]
        return hashlib.md5(f"{base}\x1f{self.provenance.member}".encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class ParseIssue:
    """A part of a member that could not be read, and why. Never an exception."""

    archive: str
    member: str
    locator: str
    message: str
    level: Literal["error", "warning", "info"] = "error"

    def __str__(self) -> str:
        where = f"{self.member} {self.locator}".strip()
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class RecordBatch:
    """Many records of one type as Arrow columns, for sources that read millions of them.

    ``table`` has every field of ``cls`` (same names, the store's types) plus
    ``archive``, ``member``, ``locator`` and ``key`` (equal to what ``cls.key``
    would give), except the columns given in ``constants``: one value for every
    row (the member's name, a platform, NULL), which the store fills in itself
    rather than carrying a copy per row. Building objects for each point of a
    2 GB location history is what makes peers slow; this skips it.
    """

    cls: type[Record]
    table: Any  # pyarrow.Table (kept untyped so records.py needs no pyarrow import)
    constants: dict[str, Any] = dataclasses.field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def rows(self) -> list[dict[str, Any]]:
        """Every row as a dict of all its columns, constants included (for tests and small batches)."""
        return [{**self.constants, **row} for row in self.table.to_pylist()]

    def records(self) -> list[Record]:
        """The rows as record objects (for tests and small batches; slow for millions)."""
        names = [f.name for f in dataclasses.fields(self.cls) if f.name != "provenance"]
        out = []
        for row in self.rows():
            values = {n: row[n] for n in names}
            values["channels"] = frozenset(values["channels"] or ("records",))
            for n, v in values.items():
                if isinstance(v, list):
                    values[n] = tuple(v)
            out.append(self.cls(provenance=Provenance(row["archive"], row["member"], row["locator"]), **values))
        return out


AnyRecord = Union[Place, Login, Device, App, Identity, Post, Media, AdSignal, Connection]  # noqa: UP007 - get_args needs a Union
RECORD_TYPES: tuple[type[Record], ...] = get_args(AnyRecord)


def record_fields(cls: type[Record]) -> list[dataclasses.Field]:  # type: ignore[type-arg]
    """The dataclass fields of a record type, in declaration order."""
    return [f for f in dataclasses.fields(cls) if f.name != "provenance"]


__all__ = [
    "CHANNELS", "RECORD_TYPES", "AdSignal", "AnyRecord", "App", "Channel", "Connection",
    "Device", "Identity", "Login", "Media", "ParseIssue", "Place", "Post", "Provenance",
    "Record", "RecordBatch", "record_fields", "utc",
]
