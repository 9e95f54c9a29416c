"""One entry of an election board checked on its own (protocol §10.8): its shape, number,
tracker and proofs. Shared by the thread-pool check (`election_record`) and the worker
processes (`election_pool`), which both import it from here rather than from each other."""

from __future__ import annotations

from .context import ElectionContext
from .election import ParsedBallot, Shape, parse_ballot, verify_once
from .election_batch import verify_bit_batched
from .elgamal import Ciphertext
from .errors import CryptoError, InvalidBallot
from .record import is_int


def check_entry(
    ctx: ElectionContext, shape: Shape, n: int, entry: object
) -> tuple[object, ParsedBallot, tuple[Ciphertext, ...]] | CryptoError:
    try:
        if not isinstance(entry, dict) or set(entry) != {"seq", "tracker", "chain", "ballot"}:
            raise InvalidBallot("malformed board entry", "mục trên bảng sai cấu trúc")
        if not is_int(entry["seq"]) or entry["seq"] != n:  # exact type: true ≠ 1
            raise InvalidBallot(f"seq is not {n}", f"số thứ tự không phải {n}")
        parsed = parse_ballot(ctx, shape, entry["ballot"])
        if entry["tracker"] != parsed.tracker.hex():
            raise InvalidBallot(
                "tracker is not the hash of the ballot", "mã theo dõi không phải mã băm của phiếu"
            )
        return entry["chain"], parsed, verify_once(ctx, shape, parsed, verify_bit_batched)
    except CryptoError as exc:
        return exc
