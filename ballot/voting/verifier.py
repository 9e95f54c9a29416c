"""Ballot proof checks off the request thread, on every core.

libsodium releases the GIL during each call, but the Python between its ~200 calls per
ballot holds it, so request threads checking ballots side by side reach barely one core
(measured with bench/cast.py, 500 clients: 23 ballots/s with threads, 40-51 with this
pool). Ballots are checked in a small process pool instead (VERIFY_PROCESSES, default: one
per core; 0 checks inline, as tests do).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ballot.crypto.ballot import CheckedBallot, short_code, verify_ballot
from ballot.crypto.context import ElectionContext
from ballot.crypto.election import Shape, shape_of, verify_election_ballot
from ballot.crypto.errors import CryptoError, InvalidBallot
from ballot.crypto.manifest import context_from_manifest

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


@lru_cache(maxsize=32)
def context_for(manifest_text: str) -> ElectionContext:
    """The checked context of a manifest, cached by its canonical text."""
    return context_from_manifest(json.loads(manifest_text))


@dataclass(frozen=True)
class Verified:
    """What the board needs of a checked ballot, in plain values (crosses process borders)."""

    doc: dict[str, Any]
    tracker: bytes
    points: tuple[bytes, ...]

    @property
    def short_code(self) -> str:
        return short_code(self.tracker)


@lru_cache(maxsize=32)
def shape_for(manifest_text: str) -> Shape | None:
    """The election shape of a manifest (protocol §10.2), None for a confidence vote."""
    manifest = json.loads(manifest_text)
    rules = manifest.get("rules")
    if isinstance(rules, dict) and "election" in rules:
        return shape_of(manifest)
    return None


def _check(manifest_text: str, ballot_doc: Any) -> Verified | tuple[str, str]:
    try:
        shape = shape_for(manifest_text)
        if shape is not None:  # an election ballot: one 0/1 per candidate and the range
            parsed, _ = verify_election_ballot(context_for(manifest_text), shape, ballot_doc)
            return Verified(parsed.doc, parsed.tracker, tuple(parsed.point_encodings()))
        checked: CheckedBallot = verify_ballot(
            context_for(manifest_text), ballot_doc, parallel=False
        )
    except CryptoError as exc:  # returned, not raised: its two messages must survive pickling
        return (exc.en, exc.vi)
    return Verified(checked.doc, checked.tracker, tuple(checked.point_encodings()))


def _get_pool(workers: int) -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            # forkserver/spawn: never fork a process that is running server threads
            method = "forkserver" if sys.platform.startswith("linux") else "spawn"
            _pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context(method)
            )
        return _pool


def check_ballot(manifest_text: str, ballot_doc: Any, workers: int | None) -> Verified:
    """Verify a ballot against the manifest (InvalidBallot if it fails), in a worker process
    when `workers` > 0 (None: one per core)."""
    if workers is None:
        workers = os.cpu_count() or 1
    if workers <= 0:
        outcome = _check(manifest_text, ballot_doc)
    else:
        outcome = _get_pool(workers).submit(_check, manifest_text, ballot_doc).result()
    if isinstance(outcome, tuple):
        raise InvalidBallot(*outcome)
    return outcome


def _noop() -> None:
    return None


def warm_up(workers: int | None) -> None:
    """Start the worker processes now, so the first voters do not wait for them."""
    if workers is None:
        workers = os.cpu_count() or 1
    if workers > 0:
        pool = _get_pool(workers)
        for future in [pool.submit(_noop) for _ in range(workers)]:
            future.result()
