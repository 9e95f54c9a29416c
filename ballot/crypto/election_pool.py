"""Checking a large election board on every core, in worker processes.

The thread pool of `parallel.py` reaches about 1.7 cores on 2: the Python between
libsodium's calls holds the GIL. A congress board (300 ballots × 46 proofs) is split into
one contiguous chunk per worker; each worker checks its ballots (§10.8 check 6, proofs by
single verification) and returns plain bytes: the claimed chain hash, tracker and point
encodings of each entry, and the chunk's partial sums of the candidates' ciphertexts. The
parent walks the chain, checks repeated points and adds the partial sums.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from typing import Any

from .board import chain_hash
from .context import ElectionContext
from .election import Shape, shape_of
from .election_entry import check_entry
from .elgamal import Ciphertext
from .encoding import canonical_json
from .errors import CryptoError, DuplicateCiphertext, InvalidBallot
from .group import IDENTITY, Point
from .manifest import context_from_manifest

#: Boards smaller than this are checked in-process (starting workers costs ~0.5 s).
MIN_ENTRIES = 48

Entry = tuple[object, bytes, tuple[bytes, ...]]  # claimed chain, tracker, point encodings
Chunk = tuple[list[Entry], list[tuple[bytes, bytes]]] | tuple[int, str, str]


@lru_cache(maxsize=4)
def _context(manifest_text: str) -> tuple[ElectionContext, Shape]:
    manifest = json.loads(manifest_text)
    return context_from_manifest(manifest), shape_of(manifest)


def check_chunk(manifest_text: str, start: int, entries: Sequence[object]) -> Chunk:
    """Check entries numbered start, start + 1, ...; the first failure is returned as
    (n, en, vi) (plain values survive pickling)."""
    ctx, shape = _context(manifest_text)
    out: list[Entry] = []
    sums = [(IDENTITY, IDENTITY)] * shape.candidates
    for n, entry in enumerate(entries, start=start):
        outcome = check_entry(ctx, shape, n, entry)
        if isinstance(outcome, CryptoError):
            return (n, outcome.en, outcome.vi)
        claimed, parsed, cands = outcome
        out.append((claimed, parsed.tracker, tuple(parsed.point_encodings())))
        sums = [(sa + ct.a, sb + ct.b) for (sa, sb), ct in zip(sums, cands, strict=True)]
    return out, [(sa.to_bytes(), sb.to_bytes()) for sa, sb in sums]


def _workers() -> int:
    return min(os.cpu_count() or 1, 8)


def verify_board_in_processes(
    manifest: Mapping[str, Any], entries: Sequence[object], workers: int | None = None
) -> tuple[bytes, int, list[list[Ciphertext]]]:
    """(head, count, C × 1 aggregate) of a board checked in `workers` processes. Raises
    InvalidBallot / DuplicateCiphertext naming the first bad entry."""
    workers = workers or _workers()
    text = canonical_json(manifest).decode()
    ctx, shape = _context(text)
    size = -(-len(entries) // workers) or 1
    chunks = [(start, entries[start : start + size]) for start in range(0, len(entries), size)]
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        futures = [pool.submit(check_chunk, text, start + 1, chunk) for start, chunk in chunks]
        results = [f.result() for f in futures]
    head, seen, n = ctx.fp, set[bytes](), 0
    totals = [(IDENTITY, IDENTITY)] * shape.candidates
    for result in results:
        if isinstance(result[0], int):
            bad, en, vi = result
            raise InvalidBallot(f"board entry {bad}: {en}", f"mục {bad} trên bảng: {vi}")
        checked, sums = result
        for claimed, tracker, encodings in checked:
            n += 1
            head = chain_hash(head, tracker, n)
            if claimed != head.hex():
                raise InvalidBallot(
                    f"board entry {n}: chain hash is wrong", f"mục {n}: mã băm chuỗi sai"
                )
            if not seen.isdisjoint(encodings):
                raise DuplicateCiphertext(
                    f"board entry {n}: repeats a ciphertext already on the board",
                    f"mục {n}: lặp lại bản mã đã có trên bảng",
                )
            seen.update(encodings)
        totals = [
            (ta + Point.from_bytes_or_identity(sa), tb + Point.from_bytes_or_identity(sb))
            for (ta, tb), (sa, sb) in zip(totals, sums, strict=True)
        ]
    return head, n, [[Ciphertext(a, b)] for a, b in totals]
