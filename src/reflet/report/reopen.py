"""Open an existing audit folder again (for ``reflet report`` and ``reflet compare``).

Findings are not stored: they are computed again from the store by the same
inferences the audit ran, which only read it. The store is opened read-only.
"""

from __future__ import annotations

from pathlib import Path

from ..audit import AuditResult, _summarise
from ..errors import StoreError, UsageError
from ..findings import msg
from ..store import STORE_NAME, Store


def store_path(out: Path) -> Path:
    path = out.expanduser() / STORE_NAME
    if not path.is_file():
        raise UsageError(msg("cli.err.not_audit", out=str(out), store=STORE_NAME))
    return path


def is_encrypted(out: Path) -> bool:
    """Whether the audit's database needs a passphrase (tried by opening it without one)."""
    try:
        Store(store_path(out), read_only=True).close()
    except StoreError as exc:
        if "is encrypted" in str(exc):
            return True
        raise
    return False


def reopen(out: Path, passphrase: str | None = None) -> tuple[Store, AuditResult]:
    """The open store (read-only; the caller closes it) and an ``AuditResult`` with findings recomputed."""
    from .. import infer

    out = out.expanduser()
    store = Store(store_path(out), passphrase=passphrase, read_only=True)
    try:
        result = AuditResult(out=out, store_path=out / STORE_NAME, encrypted=passphrase is not None)
        _summarise(store, result)
        result.findings, result.failed_inferences = infer.run_all(store)
    except BaseException:
        store.close()
        raise
    return store, result


__all__ = ["is_encrypted", "reopen", "store_path"]
