"""Offline enrichment: IP -> place and network, coordinates -> place name and timezone,
user agents -> devices. Everything here reads data installed by the set-up, never the network.

``run(store)`` is called by the audit after ingest and before inference. It adds
tables to the store and never changes the source records.
"""

from __future__ import annotations

from ..store import Store


def run(store: Store) -> list[str]:
    """Enrich what is in the store; returns warnings (e.g. a database not installed)."""
    return []


__all__ = ["run"]
