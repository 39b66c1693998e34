"""The audit database: schema from the record types, round trips, de-duplication, cache."""

from __future__ import annotations

import dataclasses
import typing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from reflet import audit as audit_mod
from reflet import sources
from reflet.audit import run_audit
from reflet.records import (
    RECORD_TYPES,
    AdSignal,
    App,
    Connection,
    Device,
    Identity,
    Login,
    Media,
    Place,
    Post,
    Provenance,
    Record,
)
from reflet.store import STORE_NAME, Store, table_name

from .coredata import google_export, point

T = datetime(2024, 3, 1, 22, 14, 58, 123456, tzinfo=UTC)


def prov(i: int = 0, archive: str = "a.zip") -> Provenance:
    return Provenance(archive=archive, member="some/file.json", locator=f"/items/{i}")


# One record of every type, with every field set to a non-default value.
SAMPLES: list[Record] = [
    Place(provenance=prov(1), platform="google", time=T, lat=-33.8688, lon=151.2093, accuracy_m=12.5, kind="wifi",
          end_time=T + timedelta(hours=1), name="Café ☕", device="1978796627", source="WIFI", label="HOME",
          channels=frozenset({"records", "adtech"})),
    Login(provenance=prov(2), platform="facebook", time=T, ip="2001:db8::1", user_agent="Mozilla/5.0 (X11)",
          device="Pixel 7", action="password_change", country="FR", region="IDF", city="Paris", detail="web"),
    Device(provenance=prov(3), platform="google", kind="phone", make="Google", model="Pixel 7", os="Android 14",
           identifiers=(("device_id", "abc123"), ("ad_id", "38400000-8cf0-11bd-b23e-10b96e40000d")),
           name="My phone", first_seen=T, last_seen=T + timedelta(days=3)),
    App(provenance=prov(4), platform="google", name="Some App", permissions=("email", "contacts"),
        first_seen=T, last_seen=T + timedelta(days=1)),
    Identity(provenance=prov(5), platform="instagram", kind="phone", value="+33612345678", role="recovery", time=T),
    Post(provenance=prov(6), platform="x", platform_id="1234", url="https://x.example/1234", time=T,
         text="line one\nline «two» 🙂", visibility="public", place="k" * 32, media=("a.jpg", "b.mp4"),
         channels=frozenset({"records", "public"})),
    Media(provenance=prov(7), platform="photos", path="DCIM/IMG_0001.JPG", taken_at=T, lat=45.5, lon=-73.56,
          camera_make="Apple", camera_model="iPhone 12", camera_serial="SN42", software="17.1"),
    AdSignal(provenance=prov(8), platform="facebook", kind="advertiser_has_your_data", name="Shop Inc.", time=T,
             detail="uploaded a list with your contact details", channels=frozenset({"records", "adtech"})),
    Connection(provenance=prov(9), platform="facebook", kind="friend", count=312, names=("A", "B")),
]


def test_samples_cover_every_record_type() -> None:
    assert {type(r) for r in SAMPLES} == set(RECORD_TYPES)


def test_schema_has_a_column_for_every_field_of_every_record_type(tmp_path: Path) -> None:
    with Store(tmp_path / STORE_NAME) as store:
        for cls in RECORD_TYPES:
            cols = {r[0] for r in store.query(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table_name(cls)])}
            fields = {f.name for f in dataclasses.fields(cls)} - {"provenance"}
            assert fields <= cols, f"{cls.__name__}: no column for {sorted(fields - cols)}"
            assert {"key", "archive", "member", "locator", "archive_fp"} <= cols


def test_a_new_record_field_gets_a_column_without_sql(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Sighting(Record):
        seen: datetime | None = None
        where: str = ""
        score: float = 0.0
        tags: tuple[str, ...] = ()

    monkeypatch.setattr("reflet.store.RECORD_TYPES", (*RECORD_TYPES, Sighting))
    rec = Sighting(provenance=prov(), platform="test", seen=T, where="there", score=0.5, tags=("a",))
    with Store(tmp_path / STORE_NAME) as store:
        store.insert([rec], "fp")
        assert list(store.records(Sighting)) == [rec]
        types = dict(store.query("SELECT column_name, data_type FROM information_schema.columns "
                                 "WHERE table_name = 'sighting'"))
        assert types["seen"] == "TIMESTAMP WITH TIME ZONE" and types["tags"] == "VARCHAR[]"


@pytest.mark.parametrize("rec", SAMPLES, ids=lambda r: type(r).__name__)
def test_every_record_type_round_trips(tmp_path: Path, rec: Record) -> None:
    path = tmp_path / STORE_NAME
    with Store(path) as store:
        store.insert([rec], "fp1")
    with Store(path, read_only=True) as store:
        back = list(store.records(type(rec)))
        assert back == [rec]
        assert back[0].provenance == rec.provenance
        (got,) = store.query(f"SELECT key, archive_fp FROM {table_name(type(rec))}")
        assert got == (rec.key, "fp1")
        for name in type(rec).TIME_FIELDS:
            value = getattr(back[0], name)
            assert value is None or (value.tzinfo is UTC and value == getattr(rec, name))


def test_sql_sees_utc_whatever_the_machine_timezone(tmp_path: Path) -> None:
    # Night at home must stay night: SQL hour() must not follow the auditing machine's zone,
    # so the store pins its session to UTC instead of inheriting the machine's setting.
    t = datetime(2024, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=1)))  # 22:30 UTC
    with Store(tmp_path / STORE_NAME) as store:
        store.insert([Place(provenance=prov(), platform="google", time=t, lat=1.0, lon=2.0)], "fp")
        assert store.query("SELECT current_setting('TimeZone')") == [("UTC",)]
        assert store.query("SELECT hour(time), minute(time) FROM place") == [(22, 30)]


def test_database_memory_is_bounded_whatever_the_machine_has(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # DuckDB would otherwise take up to 80% of the machine's RAM; a big audit must fit an old laptop
    # (it spills to the private .tmp folder instead). REFLET_DB_MEMORY raises or lowers the budget.
    def limit() -> str:
        with Store(tmp_path / STORE_NAME) as store:
            return str(store.query("SELECT current_setting('memory_limit')")[0][0])

    monkeypatch.delenv("REFLET_DB_MEMORY", raising=False)
    assert limit() == "488.2 MiB"  # 512 MB
    monkeypatch.setenv("REFLET_DB_MEMORY", "2GB")
    assert limit() == "1.8 GiB"  # 2 GB
    monkeypatch.setenv("REFLET_DB_MEMORY", "all of it; DROP TABLE place")  # not a size: the default
    assert limit() == "488.2 MiB"  # 512 MB


def test_tuple_fields_are_queryable_as_lists(tmp_path: Path) -> None:
    with Store(tmp_path / STORE_NAME) as store:
        store.insert(SAMPLES, "fp")
        assert store.query("SELECT permissions FROM app") == [(["email", "contacts"],)]
        assert store.query("SELECT list_sort(channels) FROM post") == [(["public", "records"],)]
        (ids,) = store.query("SELECT identifiers->>'$[1][1]' FROM device")[0]
        assert ids == "38400000-8cf0-11bd-b23e-10b96e40000d"


def test_overlapping_exports_store_each_fact_once(tmp_path: Path) -> None:
    # Two Takeouts requested a month apart share points 5..9.
    a = google_export(tmp_path, "takeout-jan", [point(i) for i in range(10)])
    b = google_export(tmp_path, "takeout-feb", [point(i) for i in range(5, 15)], container="zip")
    result = run_audit([a, b], tmp_path / "out", write_report=False)
    assert result.records[("Place", "google")] == 15
    with Store(result.store_path, read_only=True) as store:
        assert store.query("SELECT count(*), count(DISTINCT key) FROM place") == [(15, 15)]
        by_archive = dict(store.query("SELECT archive, count(*) FROM place GROUP BY 1"))
        assert by_archive == {"takeout-jan": 10, "takeout-feb.zip": 5}


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = sources.parse_member

    def spy(arch, info, handler):  # type: ignore[no-untyped-def]
        parsed.append(info.path)
        return real(arch, info, handler)

    monkeypatch.setattr(audit_mod.sources, "parse_member", spy)
    return parsed


def test_unchanged_archive_is_not_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exp = google_export(tmp_path, "takeout", [point(i) for i in range(8)], container="zip")
    out = tmp_path / "out"
    first = run_audit([exp], out, write_report=False)
    assert first.cached == [] and first.records[("Place", "google")] == 8
    parsed = _no_parsing(monkeypatch)
    second = run_audit([exp], out, write_report=False)
    assert second.cached == ["takeout.zip"]
    assert parsed == []
    assert second.records[("Place", "google")] == 8
    with Store(second.store_path, read_only=True) as store:
        assert store.count(Place) == 8
        assert store.query("SELECT count(*) FROM member_log") == [(1,)]


def test_changed_archive_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    exp = google_export(tmp_path, "takeout", [point(i) for i in range(8)], container="zip")
    run_audit([exp], out, write_report=False)
    exp = google_export(tmp_path, "takeout", [point(i) for i in range(3)], container="zip")
    parsed = _no_parsing(monkeypatch)
    again = run_audit([exp], out, write_report=False)
    assert again.cached == [] and len(parsed) == 1
    assert again.records[("Place", "google")] == 3
    with Store(again.store_path, read_only=True) as store:
        assert store.query("SELECT count(*) FROM archive") == [(1,)]


def test_archive_no_longer_given_is_dropped(tmp_path: Path) -> None:
    out = tmp_path / "out"
    a = google_export(tmp_path, "takeout-a", [point(i) for i in range(4)])
    b = google_export(tmp_path, "takeout-b", [point(i) for i in range(100, 103)])
    assert run_audit([a, b], out, write_report=False).records[("Place", "google")] == 7
    only_b = run_audit([b], out, write_report=False)
    assert only_b.cached == ["takeout-b"]
    assert only_b.records[("Place", "google")] == 3
    with Store(only_b.store_path, read_only=True) as store:
        assert store.query("SELECT DISTINCT archive FROM place") == [("takeout-b",)]
        assert store.query("SELECT DISTINCT archive FROM member_log") == [("takeout-b",)]


def test_dropping_an_archive_keeps_facts_another_input_also_holds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    a = google_export(tmp_path, "takeout-a", [point(i) for i in range(6)])
    b = google_export(tmp_path, "takeout-b", [point(i) for i in range(3, 9)])
    assert run_audit([a, b], out, write_report=False).records[("Place", "google")] == 9
    # takeout-b was cached, and its points 3..5 had been folded into takeout-a's rows.
    only_b = run_audit([b], out, write_report=False)
    assert only_b.cached == ["takeout-b"]
    assert only_b.records[("Place", "google")] == 6
    with Store(only_b.store_path, read_only=True) as store:
        rows = store.query("SELECT archive, locator FROM place ORDER BY time")
        assert rows == [("takeout-b", f"/locations/{i}") for i in range(6)]
    # And back: giving takeout-a again restores its own points only once.
    both = run_audit([a, b], out, write_report=False)
    assert both.records[("Place", "google")] == 9


def test_handler_version_bump_parses_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    exp = google_export(tmp_path, "takeout", [point(i) for i in range(5)])
    run_audit([exp], out, write_report=False)
    h = next(h for h in sources.handlers() if h.name == "google.records")
    monkeypatch.setitem(sources._HANDLERS, h.name, dataclasses.replace(h, version=h.version + 1))
    parsed = _no_parsing(monkeypatch)
    again = run_audit([exp], out, write_report=False)
    assert again.cached == [] and parsed == [f"{'Takeout/Location History (Timeline)/Records.json'}"]
    assert again.records[("Place", "google")] == 5
    assert run_audit([exp], out, write_report=False).cached == ["takeout"]


def test_record_columns_follow_declared_types() -> None:
    # A datetime field that SQL could not compare as time would break every time-based finding.
    for cls in RECORD_TYPES:
        for name, tp in typing.get_type_hints(cls).items():
            if tp in (datetime, datetime | None):
                assert name in cls.TIME_FIELDS, f"{cls.__name__}.{name} is a time not converted to UTC"
