"""Every timestamp form the exports use becomes the same aware UTC instant (one test per form)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from reflet.sources._common import BadValue, from_epoch, parse_time

UTC = timezone.utc
T = datetime(2024, 3, 5, 9, 12, 44, tzinfo=UTC)


@pytest.mark.parametrize(("value", "kwargs"), [
    pytest.param(1709629964, {}, id="epoch seconds (Facebook, Telegram *_unixtime)"),
    pytest.param("1709629964", {}, id="epoch seconds as a string (Telegram, Google Photos)"),
    pytest.param(1709629964000, {}, id="epoch milliseconds (Facebook messages timestamp_ms)"),
    pytest.param("1709629964000", {}, id="epoch milliseconds as a string (Google timestampMs)"),
    pytest.param(1709629964000000, {}, id="epoch microseconds (Snapchat Created(microseconds))"),
    pytest.param("2024-03-05T09:12:44Z", {}, id="ISO-8601 with Z (Google Records.json, X account files)"),
    pytest.param("2024-03-05T09:12:44.000Z", {}, id="ISO-8601 with milliseconds and Z (X ip-audit)"),
    pytest.param("2024-03-05T03:12:44-06:00", {}, id="ISO-8601 with a local offset (Google on-device)"),
    pytest.param("Tue Mar 05 09:12:44 +0000 2024", {}, id="X tweets created_at"),
    pytest.param("Tue Mar 05 09:12:44 UTC 2024", {}, id="LinkedIn Logins.csv (Java Date)"),
    pytest.param("2024-03-05 09:12:44 UTC", {}, id="Reddit, Google Access Log, Snapchat"),
    pytest.param("Mar 5, 2024, 9:12:44 AM UTC", {}, id="Google older Access Log (localised English)"),
    pytest.param("2024-03-05 09:12:44", {"assume_utc": True}, id="zone-less, documented UTC (X ads, TikTok)"),
])
def test_form_gives_the_same_instant(value: object, kwargs: dict) -> None:
    t = parse_time(value, **kwargs)
    assert t == T and t.tzinfo is not None and t.utcoffset().total_seconds() == 0


def test_zone_less_string_is_refused_unless_documented_utc() -> None:
    with pytest.raises(BadValue, match="without a timezone"):
        parse_time("2024-03-05 09:12:44")


@pytest.mark.parametrize("value", ["yesterday", "", None, True, "2024-13-45T99:99:99Z", "1e400"])
def test_nonsense_is_a_bad_value_not_a_crash(value: object) -> None:
    with pytest.raises(BadValue):
        parse_time(value)


def test_platform_specific_forms() -> None:
    from reflet.sources.linkedin import _time as linkedin_time
    from reflet.sources.snapchat import _time as snap_time
    from reflet.sources.x import _time as x_time

    assert snap_time("2024/03/05 09:12:44 UTC") == T  # Snapchat "Areas you may have visited"
    assert x_time("2024.03.05") == datetime(2024, 3, 5, tzinfo=UTC)  # X ni-devices dates
    assert x_time("1970-01-01T00:00:00.000Z") is None  # X legacy device-token sentinel
    assert linkedin_time("3/05/24, 9:12 AM") == datetime(2024, 3, 5, 9, 12, tzinfo=UTC)  # Registration.csv
    assert linkedin_time("05 Mar 2024") == datetime(2024, 3, 5, tzinfo=UTC)  # Connections.csv
    with pytest.raises(BadValue):  # Facebook's "year 0" sentinel is not a time
        from_epoch(-62169958800)
