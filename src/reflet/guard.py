"""The no-network guard: while it is on, nothing in this process can reach a network.

It is a Python audit hook (PEP 578), so it sees every socket connect, bind,
send, DNS resolution and subprocess start, whoever calls it, including code
in libraries. The hook is installed once and cannot be removed; it is armed
while ``guarded()`` is active (nestable). Blocked operations raise
``NetworkBlocked`` naming the caller.

Unix-domain sockets (asyncio's self-pipe, socketpair) are allowed: they do not
leave the machine. Subprocesses are refused altogether while armed, unless a
caller opens ``allow_subprocess()`` for a named, offline tool (exiftool in
tests); a subprocess could run anything, including a network client.

DuckDB is a C++ library the hook cannot see into; ``store.py`` turns off its
extension autoload/autoinstall and disables its HTTP file systems instead.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import NetworkBlocked

_state = threading.local()
_lock = threading.Lock()
_armed = 0  # process-wide depth: audits may spawn threads
_subprocess_allowed = 0
_installed = False

_SOCKET_EVENTS = {
    "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg",
    "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
    "socket.gethostbyname_ex", "socket.getnameinfo",
}
_PROCESS_EVENTS = {
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
    "os.forkpty", "pty.spawn",
}
_LOCAL_FAMILIES = {getattr(socket, "AF_UNIX", -1)}


# Frames inside these modules are the machinery, not the code that asked for the network.
_MACHINERY = {os.path.normcase(m.__file__ or "") for m in (socket, subprocess, os)} | {os.path.normcase(__file__)}


def _caller() -> str:
    # Only _caller and _hook are dropped: the next frame may already be the caller
    # (socket.gethostbyname is C, called straight from the code under test).
    for frame in reversed(traceback.extract_stack()[:-2]):
        if os.path.normcase(frame.filename) not in _MACHINERY:
            return f"{frame.filename}:{frame.lineno} in {frame.name}"
    return "unknown caller"


def _hook(event: str, args: tuple[object, ...]) -> None:
    if not _armed:
        return
    if event in _SOCKET_EVENTS:
        if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
            sock = args[0]
            fam = getattr(sock, "family", None)
            if fam in _LOCAL_FAMILIES:
                return
        raise NetworkBlocked(f"reflet works offline: {event} refused (called from {_caller()})")
    if event == "socket.__new__":
        fam = args[1] if len(args) > 1 else None
        if fam in (socket.AF_INET, socket.AF_INET6) or fam == getattr(socket, "AF_PACKET", None):
            raise NetworkBlocked(f"reflet works offline: a network socket was refused (called from {_caller()})")
        return
    if event in _PROCESS_EVENTS and not _subprocess_allowed:
        what = args[0] if args else ""
        raise NetworkBlocked(
            f"reflet works offline: starting a program ({str(what)[:80]}) was refused "
            f"(called from {_caller()})")


def install() -> None:
    global _installed
    with _lock:
        if not _installed:
            sys.addaudithook(_hook)
            _installed = True


def is_armed() -> bool:
    return _armed > 0


@contextmanager
def guarded() -> Iterator[None]:
    """Arm the guard for the duration of the block."""
    global _armed
    install()
    with _lock:
        _armed += 1
    try:
        yield
    finally:
        with _lock:
            _armed -= 1


@contextmanager
def allow_subprocess() -> Iterator[None]:
    """Let a named offline tool run while the guard is armed (network stays blocked)."""
    global _subprocess_allowed
    with _lock:
        _subprocess_allowed += 1
    try:
        yield
    finally:
        with _lock:
            _subprocess_allowed -= 1


__all__ = ["allow_subprocess", "guarded", "install", "is_armed"]
