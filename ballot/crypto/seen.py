"""The ballots this process has already checked, so that a board checked again re-checks
only the ballots it has not seen.

A record is checked in full more than once in a process: when a stored input changes and
the results are proved again (one edited ballot among 300), when the cache of proofs is
emptied, when `ballot verify` runs beside the server in tests. Each ballot's proofs are
the cost (a 40-candidate ballot: about 80 proofs), and a ballot's check depends on nothing
but the ballot and its election. So a ballot that passed is remembered under

- everything of the election the check reads (fingerprint, joint key, ballot shape), and
- the ballot exactly as given: for a confidence ballot, a SHA-256 of its JSON after a walk
  that admits only JSON's own types (a tuple where a list belongs, or a float, is never
  looked up, and is checked, and refused, as before); for an election ballot, its tracker,
  the SHA-256 of its canonical bytes with every point and proof scalar.

A changed byte is a different key, so an edited ballot is always checked again; only passes
are kept, so a refusal is never skipped. The memory is bounded (least recently used out).
Ballots checked in the server's worker processes (`ballot.voting.verifier`) are remembered
there, not here.
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")

#: A 300-delegate congress's ballots fit several times over.
CAPACITY = 4096


class Seen(Generic[V]):
    """A bounded, thread-safe map from a checked ballot's key to what its check returned."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        _ALL.add(self)

    def get(self, key: Hashable | None) -> V | None:
        if key is None:
            return None
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable | None, value: V) -> None:
        if key is None:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


_ALL: weakref.WeakSet[Seen[Any]] = weakref.WeakSet()


def forget() -> None:
    """Forget every ballot this process has checked (benchmarks time the full check)."""
    for seen in list(_ALL):
        seen.clear()


def _plain_json(value: object, depth: int = 0) -> bool:
    """Whether `value` is made only of dict (str keys), list, str, int, bool and None, the
    types a parsed ballot has; exact types, so that its JSON text identifies it."""
    if depth > 16:
        return False
    kind = type(value)
    if kind is dict:
        return all(
            type(k) is str and _plain_json(v, depth + 1)
            for k, v in value.items()  # type: ignore[attr-defined]
        )
    if kind is list:
        return all(_plain_json(v, depth + 1) for v in value)  # type: ignore[attr-defined]
    return kind in (str, int, bool, type(None))


def document_digest(doc: object) -> bytes | None:
    """SHA-256 of the ballot's JSON text (sorted keys), or None when it holds another type."""
    if not _plain_json(doc):
        return None
    text = json.dumps(doc, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).digest()
