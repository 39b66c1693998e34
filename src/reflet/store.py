"""One DuckDB file per audit: a table per record type, plus the audit's own log.

The schema is generated from the record dataclasses (``schema_sql()``), so a
new record field needs no SQL edit. Records are inserted in large Arrow
batches. Tables:

* one per record type (``place``, ``login``, ``device``, ``app``, ``identity``,
  ``post``, ``media``, ``ad_signal``, ``connection``): the record's fields plus
  ``key`` (stable de-duplication key), ``archive``, ``member``, ``locator``
  (provenance), ``channels`` and ``archive_fp`` (which input it came from);
* ``parse_issue``: what could not be read, per member and locator;
* ``member_log``: every member seen, with ``status`` parsed / skipped /
  unrecognised / refused and the reason;
* ``archive``: each input's fingerprint and handler versions, the cache that
  lets a later audit into the same folder skip unchanged archives;
* ``audit_run``: when, which reflet, which inputs;
* ``duplicate``: where else each de-duplicated fact was seen, so that forgetting
  one archive hands its facts to another input that also holds them.

Encryption (``passphrase=``) follows DEPENDENCIES.md: DuckDB's built-in
crypto is read-only, so the ``httpfs`` extension shipped by the PyPI package
``duckdb-ext-httpfs`` is loaded from disk for OpenSSL, never downloaded, and
``force_mbedtls_unsafe`` is never used. Extension autoload and autoinstall are
off, DuckDB's HTTP file systems are disabled, and once the database is attached
external access is off (no other file, no URL, no extension install) and the
configuration is locked.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib.util
import json
import os
import re
import typing
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from .errors import EncryptionUnavailable, StoreError
from .records import RECORD_TYPES, ParseIssue, Provenance, Record, RecordBatch

R = TypeVar("R", bound=Record)

SCHEMA_VERSION = 1
STORE_NAME = "audit.duckdb"

_DUCKDB_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}
_DISABLED_FS = "HTTPFileSystem,S3FileSystem,HuggingFaceFileSystem"


def table_name(cls: type[Record]) -> str:
    name = cls.__name__
    return "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))


def _sql_type(tp: Any) -> tuple[str, pa.DataType]:
    origin = typing.get_origin(tp)
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)) and len(args) == 1:
        return _sql_type(args[0])
    if origin is typing.Literal or tp is str:
        return "VARCHAR", pa.string()
    if tp is float:
        return "DOUBLE", pa.float64()
    if tp is int:
        return "BIGINT", pa.int64()
    if tp is datetime:
        return "TIMESTAMPTZ", pa.timestamp("us", tz="UTC")
    if origin in (tuple, frozenset) and args and args[0] is str:
        return "VARCHAR[]", pa.list_(pa.string())
    # Anything nested (identifier pairs) is kept as JSON text.
    return "JSON", pa.string()


@functools.cache  # called for every batch; type hints are slow to resolve
def columns(cls: type[Record]) -> list[tuple[str, str, pa.DataType, str]]:
    """(column, SQL type, Arrow type, field name or '') for a record type's table."""
    hints = typing.get_type_hints(cls)
    cols: list[tuple[str, str, pa.DataType, str]] = [
        ("key", "VARCHAR", pa.string(), ""),
        ("archive", "VARCHAR", pa.string(), ""),
        ("member", "VARCHAR", pa.string(), ""),
        ("locator", "VARCHAR", pa.string(), ""),
        ("archive_fp", "VARCHAR", pa.string(), ""),
    ]
    for f in dataclasses.fields(cls):
        if f.name == "provenance":
            continue
        sql, arrow = _sql_type(hints[f.name])
        cols.append((f.name, sql, arrow, f.name))
    return cols


_META_TABLES = """
CREATE TABLE IF NOT EXISTS audit_run (
    run_id INTEGER, started TIMESTAMPTZ, finished TIMESTAMPTZ, reflet_version VARCHAR,
    inputs VARCHAR[], status VARCHAR);
CREATE TABLE IF NOT EXISTS archive (
    archive_fp VARCHAR, name VARCHAR, path VARCHAR, kind VARCHAR, size BIGINT,
    handler_versions JSON, parsed_at TIMESTAMPTZ, records BIGINT, issues BIGINT);
CREATE TABLE IF NOT EXISTS member_log (
    archive_fp VARCHAR, archive VARCHAR, member VARCHAR, size BIGINT, status VARCHAR,
    handler VARCHAR, platform VARCHAR, records BIGINT, issues BIGINT, reason VARCHAR);
CREATE TABLE IF NOT EXISTS parse_issue (
    archive_fp VARCHAR, archive VARCHAR, member VARCHAR, locator VARCHAR, level VARCHAR,
    message VARCHAR);
CREATE TABLE IF NOT EXISTS meta (name VARCHAR, value VARCHAR);
CREATE TABLE IF NOT EXISTS duplicate (
    tbl VARCHAR, key VARCHAR, archive_fp VARCHAR, archive VARCHAR, member VARCHAR, locator VARCHAR);
"""


def schema_sql() -> str:
    """The DDL of every table, generated from the record types."""
    parts = []
    for cls in RECORD_TYPES:
        # Quoted: a field may be named like an SQL keyword ("where", "order").
        cols = ",\n    ".join(f'"{c}" {t}' for c, t, _, _ in columns(cls))
        parts.append(f"CREATE TABLE IF NOT EXISTS {table_name(cls)} (\n    {cols});")
    return "\n".join(parts) + "\n" + _META_TABLES


def httpfs_extension_path() -> Path | None:
    """The httpfs extension file shipped by ``duckdb-ext-httpfs`` for this DuckDB, if any."""
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations))) / "extensions"
    con = duckdb.connect(":memory:", config=dict(_DUCKDB_CONFIG))
    try:
        platform = str(con.execute("PRAGMA platform").fetchone()[0])  # type: ignore[index]
    finally:
        con.close()
    # Only the build for this DuckDB and this machine's platform can load.
    ext = base / f"v{duckdb.__version__}" / platform / "httpfs.duckdb_extension"
    return ext if ext.is_file() else None


def _from_sql(tp: Any, sql: str, value: Any) -> Any:
    """A column value back into the Python type the record field declares."""
    if value is None:
        return None
    if sql == "TIMESTAMPTZ":
        return value.astimezone(UTC)
    if sql == "JSON":
        return _tuples(json.loads(value))
    if sql.endswith("[]"):
        return frozenset(value) if typing.get_origin(tp) is frozenset else tuple(value)
    return value


def _tuples(v: Any) -> Any:
    return tuple(_tuples(x) for x in v) if isinstance(v, list) else v


def memory_limit() -> str:
    """DuckDB's memory budget: bounded, so a big audit spills to the private folder instead of
    growing with the machine's RAM (DuckDB's default is 80% of it). ``REFLET_DB_MEMORY`` overrides."""
    v = os.environ.get("REFLET_DB_MEMORY", "").strip()
    return v if re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", v, re.IGNORECASE) else "512MB"


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


class Store:
    """An open audit database."""

    def __init__(self, path: Path, *, passphrase: str | None = None, read_only: bool = False) -> None:
        self.path = path
        self.encrypted = passphrase is not None
        self._tx: list[int] | None = None  # inside ``bulk``: [rows per commit, rows since the last one]
        try:
            self.con = duckdb.connect(":memory:", config={"memory_limit": memory_limit(), **_DUCKDB_CONFIG})
            tmp = path.parent / ".tmp"
            tmp.mkdir(mode=0o700, exist_ok=True)
            self.tmp_dir = tmp  # DuckDB's spill folder, and sources' (sources.SCRATCH)
            # DuckDB spills to disk under load: keep any spill inside the output folder.
            self.con.execute(f"SET temp_directory={_quote(str(tmp))}")
            if passphrase is not None:
                ext = httpfs_extension_path()
                if ext is None:
                    self.con.close()
                    raise EncryptionUnavailable(
                        f"encryption needs the package duckdb-ext-httpfs matching DuckDB "
                        f"{duckdb.__version__} for this platform; it is not installed, so the "
                        "audit was not written. Run without --encrypt, or install it.")
                self.con.execute(f"LOAD {_quote(str(ext))}")
                # Spill files would otherwise hold the audit's data in clear (off by default).
                self.con.execute("SET temp_file_encryption=true")
            self.con.execute(f"SET disabled_filesystems={_quote(_DISABLED_FS)}")
            # Times are UTC everywhere; never let the machine's zone leak into casts or results.
            self.con.execute("SET TimeZone='UTC'")
            opts = []
            if passphrase is not None:
                opts.append(f"ENCRYPTION_KEY {_quote(passphrase)}")
            if read_only:
                opts.append("READ_ONLY")
            opt_sql = f" ({', '.join(opts)})" if opts else ""
            self.con.execute(f"ATTACH {_quote(str(path))} AS audit{opt_sql}")
            self.con.execute("USE audit")
            # From here DuckDB touches no file or URL but this database and its spill folder:
            # `INSTALL x FROM core` would otherwise download over DuckDB's own HTTP client,
            # which the Python guard cannot see.
            self.con.execute("SET enable_external_access=false")
            self.con.execute("SET lock_configuration=true")
        except duckdb.Error as exc:
            if hasattr(self, "con"):
                self.con.close()
            msg = str(exc)
            if "without a key" in msg or ("encrypt" in msg.lower() and passphrase is None):
                raise StoreError(f"{path} is encrypted: give its passphrase "
                                 "(prompt, --passphrase-file or REFLET_PASSPHRASE)") from None
            if passphrase is not None and "wrong encryption key" in msg.lower():
                raise StoreError(f"{path} could not be opened: wrong passphrase") from None
            if passphrase is not None and ("key" in msg.lower() or "decrypt" in msg.lower()):
                raise StoreError(f"{path} could not be opened with this passphrase "
                                 "(wrong passphrase, or the database is not encrypted)") from None
            raise StoreError(f"{path} could not be opened: {msg.splitlines()[0]}") from None
        if not read_only:
            self.con.execute(schema_sql())
        if path.exists():
            os.chmod(path, 0o600)

    # -- writing --------------------------------------------------------------
    @contextlib.contextmanager
    def bulk(self, rows_per_commit: int) -> Iterator[None]:
        """Run the inserts of the block in transactions of about ``rows_per_commit`` rows.

        One autocommitted INSERT per batch sends every row through the write-ahead log and then
        checkpoints it again; inside a transaction DuckDB writes row groups to the database file
        directly (1.7 M places: 7.5 s -> 2.8 s). Every insert counts towards the next commit (records
        and parse issues alike: 4.85 M issues left uncounted once held 1.6 GB in one transaction), which
        keeps the transaction's memory bounded. On any error or Ctrl-C the open transaction is rolled back.
        """
        self.con.execute("BEGIN TRANSACTION")
        self._tx = [rows_per_commit, 0]
        try:
            yield
        except BaseException:
            try:
                self.con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            raise
        finally:
            self._tx = None
        self.con.execute("COMMIT")

    def _added(self, n: int) -> None:
        """Rows just inserted: inside ``bulk``, commit once enough have gathered."""
        tx = self._tx
        if tx is None:
            return
        tx[1] += n
        if tx[1] >= tx[0]:
            self.con.execute("COMMIT")
            self.con.execute("BEGIN TRANSACTION")
            tx[1] = 0

    def insert(self, records: Sequence[Record], archive_fp: str) -> None:
        """Insert records of mixed types, one Arrow batch per type."""
        by_type: dict[type[Record], list[Record]] = {}
        for r in records:
            by_type.setdefault(type(r), []).append(r)
        for cls, rows in by_type.items():
            self._insert_type(cls, rows, archive_fp)

    def _insert_type(self, cls: type[Record], rows: list[Record], archive_fp: str) -> None:
        cols = columns(cls)
        # Column by column (one list comprehension each), not row by row: a third of the time
        # for the ~100,000 places of a Semantic Location History.
        provs = [r.provenance for r in rows]
        data: dict[str, list[Any]] = {
            "key": [r.key for r in rows],
            "archive": [p.archive for p in provs],
            "member": [p.member for p in provs],
            "locator": [p.locator for p in provs],
        }
        for c, sql, _, fname in cols[5:]:
            values = [getattr(r, fname) for r in rows]
            if sql.endswith("[]"):
                values = [sorted(v) if isinstance(v, frozenset) else list(v) for v in values]
            elif sql == "JSON":
                values = [json.dumps(v, ensure_ascii=False) for v in values]
            data[c] = values
        batch = pa.table({c: pa.array(data[c], type=a) for c, _, a, _ in cols if c != "archive_fp"})
        names = ", ".join(f'"{c}"' for c, _, _, _ in cols if c != "archive_fp")
        self.con.register("_reflet_batch", batch)
        try:
            self.con.execute(f"INSERT INTO {table_name(cls)} ({names}, archive_fp) "
                             f"SELECT {names}, ? FROM _reflet_batch", [archive_fp])
        finally:
            self.con.unregister("_reflet_batch")
        self._added(len(rows))

    def insert_batch(self, batch: RecordBatch, archive_fp: str) -> None:
        """Insert records already laid out as Arrow columns (see ``RecordBatch``)."""
        names = [c for c, _, _, _ in columns(batch.cls) if c != "archive_fp"]
        given = [c for c in names if c in batch.table.column_names]
        fixed = [c for c in names if c not in given and c in batch.constants]
        missing = set(names) - set(given) - set(fixed)
        if missing:
            raise ValueError(f"batch for {batch.cls.__name__} lacks columns {sorted(missing)}")
        cols = ", ".join(f'"{c}"' for c in given + fixed)
        values = ", ".join([f'"{c}"' for c in given] + ["?"] * len(fixed))
        self.con.register("_reflet_arrow", batch.table)
        try:
            self.con.execute(f"INSERT INTO {table_name(batch.cls)} ({cols}, archive_fp) "
                             f"SELECT {values}, ? FROM _reflet_arrow",
                             [batch.constants[c] for c in fixed] + [archive_fp])
        finally:
            self.con.unregister("_reflet_arrow")
        self._added(len(batch))

    def _insert_rows(self, table: str, names: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        # One Arrow batch, not executemany: DuckDB runs executemany row by row (~5 ms a row here),
        # which made a 10-year Semantic Location History spend more time logging than reading.
        if not rows:
            return
        cols = list(zip(*rows, strict=True))
        types = dict(self.con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'audit' "
            "AND table_name = ?", [table]).fetchall())
        arrow = {"VARCHAR": pa.string(), "BIGINT": pa.int64(), "INTEGER": pa.int64()}
        batch = pa.table({n: pa.array(list(c), type=arrow.get(types.get(n, ""), None)) for n, c in zip(names, cols,
                                                                                                     strict=True)})
        self.con.register("_reflet_rows", batch)
        try:
            self.con.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(names)} FROM _reflet_rows")
        finally:
            self.con.unregister("_reflet_rows")
        self._added(len(rows))

    def insert_issues(self, issues: Iterable[ParseIssue], archive_fp: str) -> None:
        rows = [(archive_fp, i.archive, i.member, i.locator, i.level, i.message) for i in issues]
        self._insert_rows("parse_issue", ("archive_fp", "archive", "member", "locator", "level", "message"), rows)

    def log_members(self, rows: Sequence[tuple[Any, ...]]) -> None:
        self._insert_rows("member_log", ("archive_fp", "archive", "member", "size", "status", "handler", "platform",
                                         "records", "issues", "reason"), rows)

    def dedupe(self) -> None:
        """Keep one row per key in every record table (overlapping exports repeat facts).

        Where each removed copy was read is kept in ``duplicate``, so that dropping the
        archive of the kept row later hands the fact to another archive that holds it.
        """
        for cls in RECORD_TYPES:
            t = table_name(cls)
            extra = f"FROM {t} WHERE rowid NOT IN (SELECT min(rowid) FROM {t} GROUP BY key)"
            self.con.execute(
                f"INSERT INTO duplicate SELECT '{t}', key, archive_fp, archive, member, locator {extra}")
            self.con.execute(f"DELETE {extra}")

    # -- cache ----------------------------------------------------------------
    def cached(self, fingerprint: str, handler_versions: dict[str, int]) -> bool:
        row = self.con.execute("SELECT handler_versions FROM archive WHERE archive_fp = ?",
                               [fingerprint]).fetchone()
        return row is not None and json.loads(row[0]) == handler_versions

    def drop_archive(self, fingerprint: str) -> None:
        """Forget what an archive contributed, keeping facts another archive also holds."""
        fp = [fingerprint]
        for cls in RECORD_TYPES:
            t = table_name(cls)
            # One surviving copy per key, from another archive: it takes over the row.
            heirs = (f"SELECT key, min({{'fp': archive_fp, 'a': archive, 'm': member, 'l': locator}}) AS h "
                     f"FROM duplicate WHERE tbl = '{t}' AND archive_fp != ? "
                     f"AND key IN (SELECT key FROM {t} WHERE archive_fp = ?) GROUP BY key")
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE _heir AS {heirs}", fp + fp)
            self.con.execute(
                f"UPDATE {t} SET archive_fp = _heir.h.fp, archive = _heir.h.a, member = _heir.h.m, "
                f"locator = _heir.h.l FROM _heir WHERE {t}.key = _heir.key AND {t}.archive_fp = ?", fp)
            self.con.execute(
                "DELETE FROM duplicate USING _heir WHERE duplicate.tbl = ? AND duplicate.key = _heir.key "
                "AND {'fp': duplicate.archive_fp, 'a': duplicate.archive, 'm': duplicate.member, "
                "'l': duplicate.locator} = _heir.h",
                [t])
            self.con.execute("DROP TABLE _heir")
        self.con.execute("DELETE FROM duplicate WHERE archive_fp = ?", fp)
        for t in [table_name(c) for c in RECORD_TYPES] + ["parse_issue", "member_log", "archive"]:
            self.con.execute(f"DELETE FROM {t} WHERE archive_fp = ?", fp)

    def keep_only(self, fingerprints: Sequence[str]) -> None:
        """Forget archives that are no longer among the inputs.

        Every table is swept, not only the inputs listed in ``archive``: a run stopped
        mid-archive (Ctrl-C, power cut) leaves records whose ``archive`` row was never
        written, and they must not outlive it if that input is not given again.
        """
        tables = [table_name(c) for c in RECORD_TYPES] + ["parse_issue", "member_log", "archive", "duplicate"]
        known = " UNION ".join(f"SELECT DISTINCT archive_fp FROM {t}" for t in tables)
        for (fp,) in self.con.execute(f"SELECT * FROM ({known}) ORDER BY 1").fetchall():
            if fp not in fingerprints:
                self.drop_archive(fp)

    def count(self, cls: type[Record]) -> int:
        return int(self.con.execute(f"SELECT count(*) FROM {table_name(cls)}").fetchone()[0])  # type: ignore[index]

    def records(self, cls: type[R], where: str = "", params: Sequence[Any] | None = None) -> Iterator[R]:
        """Read records of one type back as dataclasses (``where`` is an SQL condition)."""
        hints = typing.get_type_hints(cls)
        cols = columns(cls)
        names = ", ".join(f'"{c}"' for c in ["archive", "member", "locator"] + [c for c, _, _, f in cols if f])
        sql = f"SELECT {names} FROM {table_name(cls)}" + (f" WHERE {where}" if where else "") + " ORDER BY rowid"
        cur = self.con.execute(sql, params or [])
        while rows := cur.fetchmany(10_000):
            for row in rows:
                values = {f: _from_sql(hints[f], sql_t, v)
                          for (_, sql_t, _, f), v in zip([c for c in cols if c[3]], row[3:])}
                yield cls(provenance=Provenance(*row[:3]), **values)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params or []).fetchall()

    def close(self) -> None:
        try:
            self.con.execute("CHECKPOINT audit")
        except duckdb.Error:
            pass
        self.con.close()
        for suffix in ("", ".wal"):
            p = Path(str(self.path) + suffix)
            if p.exists():
                os.chmod(p, 0o600)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["SCHEMA_VERSION", "STORE_NAME", "Store", "columns", "httpfs_extension_path",
           "schema_sql", "table_name"]
