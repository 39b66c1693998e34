"""The audit pipeline: inputs -> archives -> sources -> store -> inference -> report.

Runs entirely under the no-network guard. Every member seen is logged as
parsed, unrecognised, refused or failed; a damaged member or archive is
reported and the audit goes on with the rest.
"""

from __future__ import annotations

import errno
import json
import re
import signal
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from . import __version__, guard, sources
from .archive import Archive, open_inputs
from .errors import ArchiveError, RefletError, StoreError
from .findings import Finding
from .outputs import cloud_service, prepare, private_files, tighten
from .records import ParseIssue, Record, RecordBatch
from .store import STORE_NAME, Store, table_name

BATCH = 50_000
# Rows per store transaction while an input is read (Store.bulk): bounds the memory a transaction holds.
TX_ROWS = 500_000


class Progress(Protocol):
    def archive_started(self, name: str, total_bytes: int) -> None: ...
    def advance(self, nbytes: int, nrecords: int) -> None: ...
    def archive_done(self, name: str, cached: bool) -> None: ...


class _NoProgress:
    def archive_started(self, name: str, total_bytes: int) -> None:
        pass

    def advance(self, nbytes: int, nrecords: int) -> None:
        pass

    def archive_done(self, name: str, cached: bool) -> None:
        pass


@dataclass
class AuditResult:
    out: Path
    store_path: Path
    report_path: Path | None = None
    json_path: Path | None = None
    records: Counter[tuple[str, str]] = field(default_factory=Counter)  # (type, platform) -> n
    members: Counter[str] = field(default_factory=Counter)  # status -> n
    unrecognised: list[tuple[str, str]] = field(default_factory=list)  # (archive, member)
    issues_by_file: Counter[tuple[str, str]] = field(default_factory=Counter)
    refused: list[str] = field(default_factory=list)  # whole inputs that could not be read
    cached: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    failed_inferences: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encrypted: bool = False

    @property
    def total_records(self) -> int:
        return sum(self.records.values())

    @property
    def exit_code(self) -> int:
        if self.total_records == 0:
            return 1
        if self.issues_by_file or self.refused or self.members.get("failed"):
            return 3
        return 0


class _Interrupts:
    """Ctrl-C during an audit.

    DuckDB turns SIGINT into ``RuntimeError('Query interrupted')``, which the per-input
    ``except Exception`` below would take for a damaged file and go on: the flag lets those
    handlers tell a user's Ctrl-C from bad data, and stop.
    """

    def __init__(self) -> None:
        self.seen = False
        self._old: Any = None

    def __enter__(self) -> _Interrupts:
        # Only replace Python's default handler, in the main thread (signals go nowhere else).
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum: int, frame: object) -> None:
        self.seen = True
        raise KeyboardInterrupt

    def check(self) -> None:
        if self.seen:
            raise KeyboardInterrupt

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)


def disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or the user's quota) is full, from Python or from DuckDB."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return True
    # DuckDB reports it as text, and Store wraps that text in a StoreError.
    text = str(exc)
    return "No space left on device" in text or "Disk quota exceeded" in text or "File too large" in text


def _handler_versions() -> dict[str, int]:
    return {h.name: h.version for h in sources.handlers()}


# Archives inside an export are listed, never opened: nesting is how zip bombs multiply, and
# no platform ships its data that way. The person can extract one and give it as an input.
_ARCHIVE_NAME = re.compile(r"\.(zip|tar|tgz|tar\.gz|tar\.bz2|tar\.xz|gz|bz2|xz|7z|rar)$", re.IGNORECASE)
_NESTED = ("an archive inside this export: reflet does not open archives within archives; "
           "extract it and give it to reflet as an input of its own")


def _ingest(store: Store, arch: Archive, fp: str, progress: Progress,
            stop: _Interrupts | None = None) -> tuple[int, int]:
    # Sources may spill to the store's private temp folder while this input is read (and nowhere else).
    token = sources.SCRATCH.set(store.tmp_dir)
    try:
        with store.bulk(TX_ROWS):
            return _ingest_members(store, arch, fp, progress, stop)
    finally:
        sources.SCRATCH.reset(token)


def _ingest_members(store: Store, arch: Archive, fp: str, progress: Progress,
                    stop: _Interrupts | None) -> tuple[int, int]:
    log: list[tuple[Any, ...]] = []
    n_records = n_issues = 0
    batch: list[Record] = []
    issues: list[ParseIssue] = []
    for info in arch.members():
        handler = sources.match(arch, info)
        if handler is None:
            log.append((fp, info.part or arch.name, info.path, info.size, "unrecognised", None, None, 0, 0,
                        _NESTED if _ARCHIVE_NAME.search(info.path) else "no source reads this file"))
            progress.advance(info.size, 0)
            continue
        m_records = m_issues = 0
        for item in sources.parse_member(arch, info, handler):
            if isinstance(item, ParseIssue):
                issues.append(item)
                m_issues += 1
                if len(issues) >= BATCH:  # a file of millions of bad entries must not hold them all in memory
                    store.insert_issues(issues, fp)
                    issues = []
            elif isinstance(item, RecordBatch):
                store.insert_batch(item, fp)
                m_records += len(item)
                progress.advance(0, len(item))
            else:
                batch.append(item)
                m_records += 1
                if len(batch) >= BATCH:
                    store.insert(batch, fp)
                    progress.advance(0, len(batch))
                    batch = []
        if stop is not None:
            # A Ctrl-C inside a source's DuckDB query became that member's ParseIssue: stop here,
            # before this archive is logged as read (and cached as complete).
            stop.check()
        status = "parsed" if m_records or not m_issues else "failed"
        log.append((fp, info.part or arch.name, info.path, info.size, status, handler.name, handler.platform,
                    m_records, m_issues, None))
        n_records += m_records
        n_issues += m_issues
        progress.advance(info.size, 0)
    if batch:
        store.insert(batch, fp)
        progress.advance(0, len(batch))
    issues.extend(arch.issues)
    store.insert_issues(issues, fp)
    store.log_members(log)
    return n_records, n_issues + len(arch.issues)


def run_audit(
    inputs: Sequence[Path], out: Path, *, passphrase: str | None = None,
    progress: Progress | None = None, write_report: bool = True, lang: str = "en",
) -> AuditResult:
    """Audit the given exports into ``out``; never raises for bad input data."""
    progress = progress or _NoProgress()
    with guard.guarded():
        try:
            out = prepare(out)
        except OSError as exc:
            if disk_full(exc):
                raise _full(out) from None
            raise
        result = AuditResult(out=out, store_path=out / STORE_NAME, encrypted=passphrase is not None)
        svc = cloud_service(out)
        if svc:
            result.warnings.append(
                f"The output folder is inside {svc}: your audit would be copied to that service's servers. "
                "Choose a folder outside it with --out.")
        with private_files(), _Interrupts() as stop:
            try:
                store = Store(out / STORE_NAME, passphrase=passphrase)
            except Exception as exc:
                if disk_full(exc):
                    raise _full(out) from None
                raise
            run_id = 0
            try:
                sources.sweep_scratch(store.tmp_dir)  # the store is ours now: no other run is using its folder
                started = datetime.now(UTC)
                run_id = int(store.query("SELECT coalesce(max(run_id), 0) + 1 FROM audit_run")[0][0])
                store.con.execute("INSERT INTO audit_run VALUES (?, ?, NULL, ?, ?, 'running')",
                                  [run_id, started, __version__, [str(p) for p in inputs]])
                versions = _handler_versions()
                fps: list[str] = []
                for arch in open_inputs(list(inputs)):
                    if isinstance(arch, ArchiveError):
                        result.refused.append(str(arch))
                        continue
                    with arch:
                        try:
                            arch.members()
                            fp = arch.fingerprint()
                        except ArchiveError as exc:
                            result.refused.append(str(exc))
                            continue
                        except Exception as exc:  # noqa: BLE001 - one bad input must not end the audit
                            stop.check()
                            result.refused.append(f"{arch.name}: could not be listed "
                                                  f"({type(exc).__name__}: {exc}); please report this")
                            continue
                        fps.append(fp)
                        progress.archive_started(arch.name, arch.total_size())
                        if store.cached(fp, versions):
                            result.cached.append(arch.name)
                            progress.archive_done(arch.name, True)
                            continue
                        store.drop_archive(fp)
                        try:
                            n_rec, n_iss = _ingest(store, arch, fp, progress, stop)
                        except RefletError as exc:
                            stop.check()
                            store.drop_archive(fp)
                            result.refused.append(str(exc))
                            continue
                        except Exception as exc:
                            stop.check()
                            if disk_full(exc):
                                raise
                            store.drop_archive(fp)
                            result.refused.append(f"{arch.name}: reading stopped ({type(exc).__name__}: "
                                                  f"{exc}); please report this")
                            continue
                        store.con.execute(
                            "INSERT INTO archive VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [fp, arch.name, str(arch.path), arch.kind, arch.total_size(),
                             json.dumps(versions, sort_keys=True), datetime.now(UTC), n_rec, n_iss])
                        progress.archive_done(arch.name, False)
                stop.check()
                store.keep_only(fps)
                store.dedupe()
                _summarise(store, result)
                from . import enrich, infer

                result.warnings.extend(enrich.run(store))

                result.findings, result.failed_inferences = infer.run_all(store)
                stop.check()  # an interrupted query looks like a failed inference: never report it as one
                store.con.execute("UPDATE audit_run SET finished = ?, status = 'done' WHERE run_id = ?",
                                  [datetime.now(UTC), run_id])
                if write_report:
                    from .report import write_reports

                    result.report_path, result.json_path = write_reports(store, result, lang=lang,
                                                                          passphrase=passphrase)
            except KeyboardInterrupt:
                _mark(store, run_id, "interrupted")
                raise
            except Exception as exc:
                if stop.seen:  # DuckDB's form of Ctrl-C
                    _mark(store, run_id, "interrupted")
                    raise KeyboardInterrupt from None
                if disk_full(exc):
                    raise _full(out) from None
                raise
            finally:
                store.close()
        tighten(out)
    return result


def _full(out: Path) -> StoreError:
    return StoreError(f"the disk holding the output folder {out} is full: the audit stopped and its report "
                      "was not written. Free some space (or choose another --out) and run the same command again.")


def _mark(store: Store, run_id: int, status: str) -> None:
    try:
        store.con.execute("UPDATE audit_run SET status = ? WHERE run_id = ?", [status, run_id])
    except Exception:  # noqa: BLE001 - best effort: the run is ending anyway
        pass


def _summarise(store: Store, result: AuditResult) -> None:
    from .records import RECORD_TYPES

    for cls in RECORD_TYPES:
        for platform, n in store.query(f"SELECT platform, count(*) FROM {table_name(cls)} GROUP BY 1"):
            result.records[(cls.__name__, platform)] = int(n)
    for status, n in store.query("SELECT status, count(*) FROM member_log GROUP BY 1"):
        result.members[status] = int(n)
    result.unrecognised = [(a, m) for a, m in store.query(
        "SELECT archive, member FROM member_log WHERE status = 'unrecognised' ORDER BY 1, 2")]
    for a, m, n in store.query(
            "SELECT archive, member, count(*) FROM parse_issue WHERE level != 'info' GROUP BY 1, 2 ORDER BY 1, 2"):
        result.issues_by_file[(a, m)] = int(n)


__all__ = ["AuditResult", "Progress", "disk_full", "run_audit"]
