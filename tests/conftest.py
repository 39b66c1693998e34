"""Test-wide set-up: the no-network guard is armed for the whole suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reflet import guard


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    # Every test runs as an audit would: any socket to a network or any program started
    # without guard.allow_subprocess() fails the test.
    with guard.guarded():
        yield


@pytest.fixture(autouse=True)
def _english_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # The terminal speaks REFLET_LANG when set: tests choose their language themselves.
    monkeypatch.delenv("REFLET_LANG", raising=False)
