"""Fuzz every registered source with mutated copies of its samples (``tests/samples/``).

For each handler, valid samples are damaged the ways real files get damaged
(cut off, bytes flipped, invalid UTF-8) and the ways hostile ones are built
(wrong types, missing keys, 10 MB strings, 10,000 levels of nesting; 2 MB and
2,500 levels in the normal suite, to keep it fast). Whatever
the input, the source must not raise; every issue must name its member and a
place in it; entries the mutation did not touch must still be read; memory must
stay under a hard cap.

``REFLET_FUZZ_EXAMPLES`` sets the examples per handler (``bench/fuzz_long.py``
runs thousands); by default the whole harness stays within a few seconds per handler.
"""

from __future__ import annotations

import io
import json
import os
import resource
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflet import sources
from reflet.archive import Archive, MemberInfo
from reflet.errors import MemberError, RefletError
from reflet.records import ParseIssue, Record, RecordBatch
from reflet.sources import Handler, Member

from .samples import all_samples

MiB = 1024 * 1024

HANDLERS = sources.handlers()
SAMPLES = all_samples()
LONG = bool(os.environ.get("REFLET_FUZZ_EXAMPLES"))  # set by bench/fuzz_long.py
_BUDGET = 200  # random examples shared by all handlers in the normal suite
EXAMPLES = int(os.environ.get("REFLET_FUZZ_EXAMPLES", "0")) or max(4, _BUDGET // max(1, len(HANDLERS)))
# The normal suite must stay within seconds for 100+ handlers: 2,500 levels already
# exceed orjson's and Python's recursion limits, 2 MB already shows quadratic readers;
# the long run uses the full sizes.
HUGE = 10_000_000 if LONG else 2_000_000  # characters in an inserted string
DEEP = 10_000 if LONG else 2_500  # levels of nesting
# Address space allowed on top of what the process uses before a test. DuckDB (the
# Records.json fast path, reached by 10 MB inputs) can crash instead of raising when
# it is starved, so the long run leaves it more room.
MEMORY_HEADROOM = (2048 if LONG else 1024) * MiB
ARCHIVE = "fuzz-export.zip"


class MemoryArchive(Archive):
    """An archive held in memory: the fuzz loop writes nothing to disk."""

    kind = "memory"

    def __init__(self, files: dict[str, bytes]) -> None:
        super().__init__(Path(ARCHIVE))
        self._files = files

    def _list(self) -> list[MemberInfo]:
        return [MemberInfo(path=p, size=len(b), part=self.name) for p, b in self._files.items()]

    def _open_raw(self, info: MemberInfo) -> io.BytesIO:  # type: ignore[override]
        return io.BytesIO(self._files[info.path])

    def total_size(self) -> int:
        return sum(len(b) for b in self._files.values())


@dataclass
class Outcome:
    records: list[Record] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)
    error: RefletError | None = None


def run(handler: Handler, path: str, data: bytes, what: str) -> Outcome:
    """Parse one member with the handler directly and check everything the person would see."""
    arch = MemoryArchive({path: data})
    [info] = arch.members()
    out = Outcome()
    try:
        for item in handler.parse(Member(archive=arch, info=info, limit=handler.max_bytes)):
            if isinstance(item, ParseIssue):
                assert item.member == path and item.archive == ARCHIVE, f"{what}: issue names {item.member!r}"
                assert isinstance(item.locator, str) and item.locator.strip(), f"{what}: issue without locator {item}"
                assert isinstance(item.message, str) and item.message.strip(), f"{what}: issue without message"
                out.issues.append(item)
            else:
                batch = item.records() if isinstance(item, RecordBatch) else [item]
                for rec in batch:
                    assert isinstance(rec, Record), f"{what}: yielded {type(rec).__name__}"
                    p = rec.provenance
                    assert p.member == path and p.archive == ARCHIVE and p.locator.strip(), f"{what}: provenance {p}"
                    out.records.append(rec)
    except MemberError as exc:
        # Only the bounded reader may raise (size limit, damaged container); the pipeline
        # shows it as an issue on the member, after the records read before it.
        assert exc.member == path, what
        out.error = exc
        shown = list(sources.parse_member(arch, info, handler))
        assert isinstance(shown[-1], ParseIssue) and shown[-1].member == path, what
        assert str(exc)[:100] in shown[-1].message, what
    return out


@pytest.fixture(autouse=True)
def _memory_cap() -> Iterator[None]:
    """A hard cap on address space for the test: current use plus MEMORY_HEADROOM (soft limit only)."""
    with open("/proc/self/status") as f:
        vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = vm + MEMORY_HEADROOM if hard == resource.RLIM_INFINITY else min(hard, vm + MEMORY_HEADROOM)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


# -- JSON-aware mutations ---------------------------------------------------------------
_DEEP_MARK = "\x00reflet-fuzz-deep\x00"
_DEEP_JSON = json.dumps(_DEEP_MARK).encode()


def split_json(data: bytes) -> tuple[bytes, Any] | None:
    """(prefix, document) when the sample is JSON, possibly after a JS prefix (X's ``window.YTD.x = ``)."""
    for i, c in enumerate(data[:200]):
        if c in b"[{":
            try:
                return data[:i], json.loads(data[i:].decode("utf-8"))
            except ValueError:
                return None
    return None


def dump(prefix: bytes, doc: Any) -> bytes:
    text = json.dumps(doc, ensure_ascii=False).encode()
    return prefix + text.replace(_DEEP_JSON, b"[" * DEEP + b"]" * DEEP)


Path_ = tuple[str | int, ...]


def nodes(doc: Any, limit: int = 5000) -> list[Path_]:
    """Paths of the document's values (not the root), breadth first, at most ``limit``."""
    out: list[Path_] = []
    queue: list[tuple[Path_, Any]] = [((), doc)]
    while queue and len(out) < limit:
        path, node = queue.pop(0)
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for k, v in children:
            out.append((*path, k))
            queue.append(((*path, k), v))
    return out


def entry_arrays(doc: Any) -> list[Path_]:
    """Arrays not inside another array: where a file's entries live (``/locations``, the root of X's files)."""
    out: list[Path_] = []
    stack: list[tuple[Path_, Any, bool]] = [((), doc, False)]
    while stack:
        path, node, in_array = stack.pop()
        if isinstance(node, list):
            if not in_array and node:
                out.append(path)
            stack.extend(((*path, i), v, True) for i, v in enumerate(node))
        elif isinstance(node, dict):
            stack.extend(((*path, k), v, in_array) for k, v in node.items())
    return out


def get(doc: Any, path: Path_) -> Any:
    for k in path:
        doc = doc[k]
    return doc


def entry_of(doc: Any, path: Path_) -> Path_ | None:
    """The entry (array path + index) the value at ``path`` belongs to, if any."""
    for arr in entry_arrays(doc):
        if len(path) > len(arr) and path[: len(arr)] == arr:
            return path[: len(arr) + 1]
    return None


def without(doc: Any, entry: Path_) -> Any:
    copy = json.loads(json.dumps(doc))
    del get(copy, entry[:-1])[entry[-1]]  # type: ignore[arg-type]
    return copy


WRONG = [None, True, False, 0, -1, 2**63, -(2**70), 1e308, -0.5, "", " ", "x", "null", "NaN", "-1",
         "2024-13-45T99:99:99Z", "1e400", "\u202e\u0000", [], {}, [None], {"": None}, [[[]]]]


BAD_UTF8 = [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xe2\x82"]


@dataclass
class Mutation:
    name: str
    data: bytes
    entry: Path_ | None = None  # the one entry it touched, when it touched only one
    doc: Any = None
    prefix: bytes = b""


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> Mutation:
    parsed = split_json(data)
    kinds = ["truncate", "flip", "utf8", "insert", "deep_bytes"]
    if parsed is not None and nodes(parsed[1]):
        kinds += ["wrong_type"] * 4 + ["drop_key"] * 2 + ["huge_value", "deep_value"]
    kind = draw(st.sampled_from(kinds))
    pos = draw(st.integers(0, max(0, len(data) - 1)))
    if kind == "truncate":
        return Mutation(f"truncate at {pos}", data[:pos])
    if kind == "flip":
        b = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(b) - 1))
            b[i] ^= draw(st.integers(1, 255))
        return Mutation("byte flips", bytes(b))
    if kind == "utf8":
        bad = draw(st.sampled_from(BAD_UTF8))
        return Mutation(f"invalid UTF-8 {bad!r} at {pos}", data[:pos] + bad + data[pos:])
    if kind == "insert":
        junk = draw(st.binary(min_size=1, max_size=64))
        return Mutation(f"insert {junk!r} at {pos}", data[:pos] + junk + data[pos:])
    if kind == "deep_bytes":
        return Mutation(f"{DEEP} brackets at {pos}", data[:pos] + b"[" * DEEP + data[pos:])
    assert parsed is not None
    prefix, doc = parsed
    doc = json.loads(json.dumps(doc))
    paths = nodes(doc)
    if kind == "drop_key":
        paths = [p for p in paths if isinstance(get(doc, p[:-1]), dict)] or paths
    path = draw(st.sampled_from(paths))
    parent = get(doc, path[:-1])
    if kind == "drop_key" and isinstance(parent, dict):
        del parent[path[-1]]
        what = f"drop {json_path(path)}"
    elif kind == "huge_value":
        parent[path[-1]] = "A" * (HUGE // 10)  # full-size ones run once per handler in the heavy test
        what = f"{HUGE // 10:,}-character string at {json_path(path)}"
    elif kind == "deep_value":
        parent[path[-1]] = _DEEP_MARK
        what = f"{DEEP} levels at {json_path(path)}"
    else:
        value = draw(st.sampled_from(WRONG))
        parent[path[-1]] = value
        what = f"{json_path(path)} = {json.dumps(value)[:30]}"
    return Mutation(what, dump(prefix, doc), entry=entry_of(doc, path), doc=parsed[1], prefix=prefix)


def json_path(path: Path_) -> str:
    return "/" + "/".join(str(p) for p in path)


# -- the tests ----------------------------------------------------------------------
def _ids(h: Handler) -> str:
    return h.name


def test_every_handler_has_samples() -> None:
    missing = [h.name for h in HANDLERS if not SAMPLES.get(h.name)]
    assert not missing, f"handlers without samples in tests/samples/: {missing}"
    unknown = sorted(set(SAMPLES) - {h.name for h in HANDLERS})
    assert not unknown, f"samples for handlers that are not registered: {unknown}"


@pytest.mark.parametrize("handler", HANDLERS, ids=_ids)
def test_samples_are_recognised_and_read(handler: Handler) -> None:
    for path, data in SAMPLES[handler.name]:
        arch = MemoryArchive({path: data})
        [info] = arch.members()
        assert sources.match(arch, info) is handler, f"{path} is not matched to {handler.name}"
        out = run(handler, path, data, f"sample {path}")
        errors = [i for i in out.issues if i.level == "error"]
        assert out.error is None and not errors, f"valid sample {path} gives errors: {errors[:3]}"


def _check_entries_survive(handler: Handler, path: str, m: Mutation, out: Outcome) -> None:
    """An entry damaged at value level costs that entry at most, never its neighbours."""
    if m.entry is None or out.error is not None:
        return
    need = len(run(handler, path, dump(m.prefix, without(m.doc, m.entry)), "without entry").records)
    assert len(out.records) >= need, (
        f"{handler.name}: after `{m.name}`, {len(out.records)} records; "
        f"the other entries alone give {need} ({out.issues[:3]})")


@pytest.mark.parametrize("handler", HANDLERS, ids=_ids)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("REFLET_FUZZ_EXAMPLES"),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_samples_never_break_the_source(handler: Handler, data: st.DataObject) -> None:
    samples = SAMPLES[handler.name]
    path, sample = samples[data.draw(st.integers(0, len(samples) - 1), label="sample")]
    m = data.draw(mutations(sample), label="mutation")
    out = run(handler, path, m.data, f"{handler.name} {path}: {m.name}")
    _check_entries_survive(handler, path, m, out)


def _heavy(sample: bytes) -> list[Mutation]:
    """The expensive mutations, applied once per handler rather than left to chance."""
    mid = len(sample) // 2
    out = [
        Mutation("cut in half", sample[:mid]),
        Mutation("invalid UTF-8 in the middle", sample[:mid] + b"\xff\xfe\xc3\x28" + sample[mid:]),
        Mutation(f"{DEEP} brackets in the middle", sample[:mid] + b"[" * DEEP + sample[mid:]),
        Mutation(f"{HUGE:,} bytes of text in the middle", sample[:mid] + b"A" * HUGE + sample[mid:]),
    ]
    parsed = split_json(sample)
    if parsed is not None:
        prefix, doc = parsed
        for arr in entry_arrays(doc):
            entry_path = (*arr, 0)
            entry = get(doc, entry_path)
            keys = list(entry) if isinstance(entry, dict) else []
            for label, value in [(f"{HUGE:,}-character string", "A" * HUGE), (f"{DEEP} levels", _DEEP_MARK)]:
                d = json.loads(json.dumps(doc))
                target = (*entry_path, keys[0]) if keys else entry_path
                get(d, target[:-1])[target[-1]] = value
                out.append(Mutation(f"{label} at {json_path(target)}", dump(prefix, d), entry=entry_path,
                                    doc=doc, prefix=prefix))
            break  # the first entry array is enough here; the random test covers the others
    return out


@pytest.mark.parametrize("handler", HANDLERS, ids=_ids)
def test_heavy_mutations_stay_bounded(handler: Handler) -> None:
    path, sample = SAMPLES[handler.name][0]
    for m in _heavy(sample):
        out = run(handler, path, m.data, f"{handler.name} {path}: {m.name}")
        _check_entries_survive(handler, path, m, out)
