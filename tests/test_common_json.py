"""The JSON helpers every source shares, on hostile input: deep nesting, huge values, huge integers."""

from __future__ import annotations

import json
import time

import orjson
import pytest

from reflet.sources import Member
from reflet.sources._common import (
    MAX_DEPTH,
    TOO_DEEP,
    BadValue,
    limit_depth,
    load_json,
    loads_json,
    stream_items,
)

from .test_fuzz import MemoryArchive


def member(data: bytes) -> Member:
    arch = MemoryArchive({"x/data.json": data})
    [info] = arch.members()
    return Member(archive=arch, info=info)


def deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def items(data: bytes, prefix: str = "locations.item") -> tuple[list[object], str | None]:
    out: list[object] = []
    try:
        for _, item in stream_items(member(data), prefix):
            out.append(item)
    except BadValue as exc:
        return out, str(exc)
    return out, None


def test_a_value_nested_10000_levels_costs_only_its_entry_when_streamed() -> None:
    data = b'{"locations": [{"a": 1}, {"a": ' + deep(10_000) + b', "b": 2}, {"a": 3}]}'
    got, err = items(data)
    assert err is None and len(got) == 3
    assert got[0] == {"a": 1} and got[2] == {"a": 3}
    # The deep value is cut at MAX_DEPTH: str() and == on it no longer overflow the stack.
    assert got[1]["b"] == 2  # type: ignore[index]
    assert "nested too deeply" in str(got[1])
    v = got[1]["a"]  # type: ignore[index]
    for _ in range(MAX_DEPTH - 2):
        v = v[0]
    assert v == [TOO_DEEP]


def test_absurd_nesting_ends_the_stream_quickly_keeping_what_came_before() -> None:
    data = b'{"locations": [{"a": 1}, ' + deep(1_000_000) + b", {}]}"
    start = time.monotonic()
    got, err = items(data)
    assert time.monotonic() - start < 2  # ijson alone would take hours on a million levels
    assert err is not None and "nested more than" in err and got in ([], [{"a": 1}])


def test_a_huge_string_ends_the_stream_quickly() -> None:
    data = b'{"locations": [{"a": 1}, {"a": "' + b"x" * (40 * 1024 * 1024) + b'"}]}'
    start = time.monotonic()
    got, err = items(data)
    assert time.monotonic() - start < 5
    assert got == [{"a": 1}] and err is not None and "runs over 16 MiB" in err


def test_a_huge_integer_does_not_end_the_stream() -> None:
    data = b'{"locations": [{"a": 1}, {"a": 123456789012345678901234567890}, {"a": 3}]}'
    got, err = items(data)
    assert err is None
    assert got == [{"a": 1}, {"a": 123456789012345678901234567890}, {"a": 3}]


@pytest.mark.parametrize("bad", [b'{"locations": [{"a": 1}, {"a": "\xff"}]}', b'{"locations": [{"a": 1}, {"a": '])
def test_invalid_utf8_or_cut_json_names_the_last_good_entry(bad: bytes) -> None:
    got, err = items(bad)
    assert got == [{"a": 1}] and err is not None and "after entry 0" in err


def test_load_json_reads_any_depth_and_cuts_it() -> None:
    data = b'{"a": ' + deep(10_000) + b', "b": 12345678901234567890123}'
    doc = load_json(member(data))
    assert doc["b"] == 12345678901234567890123
    assert "nested too deeply" in str(doc["a"])


def test_loads_json_skips_a_byte_order_mark_and_raises_a_json_error_on_garbage() -> None:
    assert loads_json(b"\xef\xbb\xbf[1]") == [1]
    for bad in (b"[1,", b'["\xff"]', b"[" * 5000 + b"1"):
        with pytest.raises(orjson.JSONDecodeError):
            loads_json(bad)
    with pytest.raises(ValueError):  # callers catching ValueError see it too
        loads_json(b"{")


def test_limit_depth_leaves_normal_data_alone() -> None:
    doc = {"a": [{"b": [1, 2, {"c": None}]}], "d": "x"}
    assert limit_depth(json.loads(json.dumps(doc))) == doc
