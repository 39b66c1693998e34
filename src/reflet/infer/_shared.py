"""Work shared between inference modules within one audit: computed once per store and input.

Several modules run the same analysis (anchors for routine and channels, travel for account and
channels), and a channel usually sees every place row (every row is in the records channel): its
analysis is then the all-rows one. Results are kept per store, keyed by what they were computed from.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from ..store import Store

T = TypeVar("T")

_CACHE: weakref.WeakKeyDictionary[Store, dict[tuple[Any, ...], Any]] = weakref.WeakKeyDictionary()


def place_key(store: Store, channel: str | None) -> tuple[Any, ...]:
    """What the place rows ``channel`` sees (all when None) are, as a cache key.

    A channel that sees every row gets the key of all rows: the same rows give the same result.
    The place-name enrichment is part of the key (anchors name places, travel counts countries)."""
    cond = "TRUE" if channel is None else "list_contains(channels, ?)"
    n, top, n_seen = store.query(f"SELECT count(*), max(rowid), count(*) FILTER (WHERE {cond}) FROM place",
                                 [] if channel is None else [channel])[0]
    named = store.query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'place_name'")[0][0]
    names = store.query("SELECT count(*) FROM place_name")[0][0] if named else -1
    if channel is not None and n and n_seen == n:
        channel = None
    return (channel, n, top, names)


def memo(store: Store, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or the value it gave for ``key`` on this store earlier."""
    cache = _CACHE.setdefault(store, {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]  # type: ignore[no-any-return]
