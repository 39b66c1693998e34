"""The output folder: private to its owner, warned about when cloud-synced, forgettable.

Everything an audit writes (store, report, DuckDB spill files) stays in this
folder, created with mode 0700; files are 0600 (umask 077 while writing).
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError
from .findings import msg

# Folder names that sync clients create; matched on any path component.
_CLOUD_MARKERS = (
    ("Dropbox", "Dropbox"),
    ("OneDrive", "OneDrive"),
    ("iCloud Drive", "iCloud Drive"),
    ("iCloudDrive", "iCloud Drive"),
    ("Mobile Documents", "iCloud Drive"),  # ~/Library/Mobile Documents/com~apple~CloudDocs
    ("com~apple~CloudDocs", "iCloud Drive"),
    ("Google Drive", "Google Drive"),
    ("GoogleDrive", "Google Drive"),
    ("My Drive", "Google Drive"),
    ("pCloudDrive", "pCloud"),
    ("MEGA", "MEGA"),
    ("Nextcloud", "Nextcloud"),
    ("Sync", "Sync.com"),
)
_MARKER_FILES = (".dropbox", ".dropbox.cache", "desktop.ini.onedrive")
MARKER = ".reflet-output"


def cloud_service(path: Path) -> str | None:
    """The sync service whose folder contains ``path``, if any."""
    p = path.expanduser().absolute()
    for part in p.parts:
        for marker, service in _CLOUD_MARKERS:
            if part == marker or part.startswith(marker + " ") or part.startswith(marker + "-"):
                return service
        if part.startswith("CloudStorage"):
            return "a cloud storage provider"
    for parent in [p, *p.parents]:
        for name in _MARKER_FILES:
            if (parent / name).exists():
                return "Dropbox" if "dropbox" in name else "OneDrive"
    return None


def prepare(out: Path) -> Path:
    """Create (or check) an output folder, private to its owner."""
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise UsageError(msg("cli.err.out_not_folder", out=str(out)))
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise UsageError(msg("cli.err.out_not_empty", out=str(out)))
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(out, 0o700)
    marker = out / MARKER
    if not marker.exists():
        with private_files():
            marker.write_text("This folder was written by reflet. `reflet forget` deletes it.\n")
    return out


@contextmanager
def private_files() -> Iterator[None]:
    """Files created inside the block are readable by the owner only."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def tighten(out: Path) -> None:
    """Make every file under ``out`` 0600 and every folder 0700."""
    for root, dirs, files in os.walk(out):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o700)
        for f in files:
            p = os.path.join(root, f)
            if not os.path.islink(p):
                os.chmod(p, 0o600)
    os.chmod(out, 0o700)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``path`` whole or not at all: a temporary name in the same folder, then a rename.

    An interrupted or failed write (Ctrl-C, full disk) leaves the previous file, never half of one.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with open(tmp, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def forget(out: Path) -> int:
    """Delete an audit's output folder (store, cache, reports). Returns files removed."""
    out = out.expanduser()
    if out.is_symlink():
        # rmtree would refuse halfway; say so first, and never delete through a link.
        raise UsageError(msg("cli.err.forget_link", out=str(out)))
    if not out.exists():
        raise UsageError(msg("cli.err.forget_missing", out=str(out)))
    if not (out / MARKER).exists():
        raise UsageError(msg("cli.err.forget_not_ours", out=str(out), marker=MARKER))
    n = 0
    for root, _dirs, files in os.walk(out):
        for f in files:
            p = Path(root) / f
            if not p.is_symlink() and stat.S_ISREG(p.stat().st_mode):
                # Overwrite before unlinking: helps on spinning disks, not on SSDs (see README).
                size = p.stat().st_size
                with open(p, "r+b") as fh:
                    remaining = size
                    while remaining > 0:
                        chunk = min(remaining, 1 << 20)
                        fh.write(b"\0" * chunk)
                        remaining -= chunk
                    fh.flush()
                    os.fsync(fh.fileno())
            n += 1
    shutil.rmtree(out)
    return n


__all__ = ["MARKER", "cloud_service", "forget", "prepare", "private_files", "tighten", "write_atomic"]
