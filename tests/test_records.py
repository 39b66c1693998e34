"""Records: the typed facts every source yields (times, channels, keys, coordinates)."""

from __future__ import annotations

import dataclasses
import sys
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from reflet import records as R
from reflet.records import RECORD_TYPES, Login, Place, Provenance, Record

PROV = Provenance(archive="takeout.zip", member="Takeout/Records.json", locator="/locations/0")
T = datetime(2024, 3, 1, 22, 14, 58, tzinfo=UTC)


def place(**kw: object) -> Place:
    args: dict[str, object] = {"provenance": PROV, "platform": "google", "time": T, "lat": 48.8566, "lon": 2.3522}
    args.update(kw)
    return Place(**args)  # type: ignore[arg-type]


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        place(time=datetime(2024, 3, 1, 22, 14, 58))
    with pytest.raises(ValueError, match="naive"):
        Login(provenance=PROV, platform="facebook", time=datetime(2024, 1, 1))
    with pytest.raises(TypeError):
        place(time="2024-03-01T22:14:58Z")


def test_times_are_converted_to_utc() -> None:
    paris = datetime(2024, 7, 1, 23, 30, tzinfo=ZoneInfo("Europe/Paris"))  # 21:30 UTC
    p = place(time=paris, end_time=datetime(2024, 7, 2, 1, 0, tzinfo=timezone(timedelta(hours=-5))))
    assert p.time is not None and p.time.tzinfo is UTC
    assert (p.time.hour, p.time.minute) == (21, 30)
    assert p.end_time == datetime(2024, 7, 2, 6, 0, tzinfo=UTC)
    assert p.end_time is not None and p.end_time.tzinfo is UTC


def test_channels_are_validated() -> None:
    with pytest.raises(ValueError, match="unknown channel"):
        place(channels=frozenset({"records", "darkweb"}))
    with pytest.raises(ValueError, match="records"):
        place(channels=frozenset({"public"}))
    assert place(channels=frozenset({"records", "public", "adtech"})).channels == {"records", "public", "adtech"}
    assert place().channels == {"records"}


def test_key_ignores_where_the_fact_was_read() -> None:
    a = place()
    b = place(provenance=Provenance(archive="takeout-2.zip", member="Location History/Records.json",
                                    locator="/locations/99"),
              channels=frozenset({"records", "adtech"}), accuracy_m=12.0, device="123")
    # Same instant written in another timezone is the same fact.
    c = place(time=T.astimezone(ZoneInfo("America/New_York")))
    assert a.key == b.key == c.key
    assert len({a.key, place(lat=48.8567).key, place(time=T + timedelta(seconds=1)).key,
                place(kind="gps").key, place(platform="facebook").key}) == 5


def test_key_differs_between_record_types() -> None:
    login = Login(provenance=PROV, platform="google", time=T, ip="203.0.113.7")
    other = Login(provenance=PROV, platform="google", time=T, ip="203.0.113.8")
    assert login.key != other.key
    assert login.key == dataclasses.replace(login, provenance=Provenance("x", "y", "z")).key


def _concrete_subclasses(cls: type) -> set[type]:
    out: set[type] = set()
    for sub in cls.__subclasses__():
        # dataclass(slots=True) replaces each class; the discarded originals linger in
        # __subclasses__ until collected, so count only the classes their module exports.
        if getattr(sys.modules[sub.__module__], sub.__qualname__, None) is sub:
            out.add(sub)
        out |= _concrete_subclasses(sub)
    return out


def test_record_types_lists_every_record_class() -> None:
    assert set(RECORD_TYPES) == _concrete_subclasses(Record)
    assert len(RECORD_TYPES) == len(set(RECORD_TYPES))
    # And every one is exported by name, so sources can import it.
    assert all(getattr(R, c.__name__) is c for c in RECORD_TYPES)


@pytest.mark.parametrize(("lat", "lon"), [(90.5, 0.0), (-91.0, 10.0), (0.0, 180.01), (0.0, -200.0),
                                          (float("nan"), 0.0), (0.0, float("inf"))])
def test_coordinates_out_of_range_are_refused(lat: float, lon: float) -> None:
    with pytest.raises(ValueError, match="out of range"):
        place(lat=lat, lon=lon)


def test_extreme_valid_coordinates_are_kept() -> None:
    assert (place(lat=-90.0, lon=180.0).lat, place(lat=90.0, lon=-180.0).lon) == (-90.0, -180.0)
