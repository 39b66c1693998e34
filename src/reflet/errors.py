"""Errors reflet raises, as one tree so callers can catch at the right depth.

    RefletError                     anything reflet reports to the user
    ├── ArchiveError                an input could not be opened as a whole
    │   ├── UnsafeArchive           refused: path escape, link, device file, bomb
    │   └── UnreadableArchive       not a zip/tar/folder, or damaged beyond use
    ├── MemberError                 one member could not be read
    │   └── MemberTooLarge          over its per-kind size or compression limit
    ├── StoreError                  the audit database could not be opened or written
    │   └── EncryptionUnavailable   encryption asked for but not possible here
    ├── NetworkBlocked              something tried to reach the network during an audit
    └── UsageError                  the command line asks for something impossible

Bad *data* inside a member is never an exception: sources yield ``ParseIssue``.
"""

from __future__ import annotations


class RefletError(Exception):
    """Base of every error reflet shows to the user."""


class ArchiveError(RefletError):
    """An input archive or folder cannot be read as a whole."""

    def __init__(self, archive: str, message: str, member: str | None = None) -> None:
        self.archive = archive
        self.member = member
        where = f"{archive}: {member}" if member else archive
        super().__init__(f"{where}: {message}")


class UnsafeArchive(ArchiveError):
    """The archive contains something reflet refuses to read (path escape, link, bomb)."""


class UnreadableArchive(ArchiveError):
    """The input is not a zip, tar or folder, or is damaged beyond use."""


class MemberError(RefletError):
    """One member of an archive cannot be read."""

    def __init__(self, archive: str, member: str, message: str) -> None:
        self.archive = archive
        self.member = member
        super().__init__(f"{archive}: {member}: {message}")


class MemberTooLarge(MemberError):
    """A member is larger, or expands more, than its kind allows."""


class StoreError(RefletError):
    """The audit database cannot be opened or written."""


class EncryptionUnavailable(StoreError):
    """Encryption was asked for but cannot be provided offline on this machine."""


class NetworkBlocked(RefletError):
    """Code tried to open a network connection while reflet's guard was on."""


class UsageError(RefletError):
    """The command line asks for something reflet cannot do."""
