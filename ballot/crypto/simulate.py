"""A whole vote in one process, with no server or database: key ceremony, casting,
closing, tally by t members, record. For the `simulate` command, tests and benchmarks."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any

from .ballot import CheckedBallot, encrypt_ballot, verify_ballot
from .board import Attendance, Board
from .dkg import MemberKey, ceremony_id, run_ceremony
from .group import Scalar, u32
from .manifest import build_manifest, context_from_manifest
from .parallel import pmap
from .proofs import Rng
from .record import build_record
from .tally import aggregate, partial_decrypt, tally

LEVEL_SETS = {
    3: [("high", "Tín nhiệm cao"), ("normal", "Tín nhiệm"), ("low", "Tín nhiệm thấp")],
    4: [
        ("excellent", "Hoàn thành xuất sắc nhiệm vụ"),
        ("good", "Hoàn thành tốt nhiệm vụ"),
        ("completed", "Hoàn thành nhiệm vụ"),
        ("failed", "Không hoàn thành nhiệm vụ"),
    ],
}
DEFAULT_RULES: dict[str, Any] = {
    "quorum": [2, 3],
    "thresholds": {"review": [1, 2], "dismissal": [2, 3]},
    "dismissal_inclusive": True,
    "blank_row_allowed": True,
}


def seeded_rng(seed: str, stream: str) -> Rng:
    """Deterministic scalars Hs("ballot/v1/simulate" ‖ 0x00 ‖ seed ‖ 0x00 ‖ stream ‖ u32(n)):
    reproducible simulations only, never for a real vote."""
    prefix = b"ballot/v1/simulate\x00" + seed.encode() + b"\x00" + stream.encode()
    counter = count()

    def draw() -> Scalar:
        while True:
            value = Scalar.from_hash(prefix + u32(next(counter)))
            if not value.is_zero():
                return value

    return draw


@dataclass
class Simulation:
    record: dict[str, Any]
    #: counts[i][k] from the plaintext choices, and blanks[i]
    counts: list[list[int]]
    blanks: list[int]
    #: members whose shares were used
    decrypting: list[int]
    #: every member's key from the ceremony (a simulation keeps them all)
    keys: list[MemberKey]


def simulate(
    *,
    voters: int,
    subjects: int,
    levels: int,
    threshold: int,
    trustees: int,
    blank_rate: float = 0.0,
    seed: str | None = None,
    rules: dict[str, Any] | None = None,
) -> Simulation:
    """Run a complete vote; the record's result must equal the plaintext counts."""
    choose = random.Random(seed)  # noqa: S311 - simulated voters' choices, not secrets  # nosec B311
    rules = dict(DEFAULT_RULES if rules is None else rules)
    blank_allowed = bool(rules["blank_row_allowed"])

    def rng(stream: str) -> Rng:
        return Scalar.random if seed is None else seeded_rng(seed, stream)

    vote_id = f"SIM-{seed or 'random'}"
    names = [f"Ủy viên Ban kiểm phiếu {x}" for x in range(1, trustees + 1)]
    messages, keys = run_ceremony(
        ceremony_id(vote_id, threshold, names), threshold, trustees, rng("dkg")
    )
    manifest = build_manifest(
        vote_id=vote_id,
        title="Lấy phiếu tín nhiệm (mô phỏng)",
        conference="Hội nghị Ban Chấp hành (mô phỏng)",
        subjects=[
            (f"Người được lấy phiếu {i}", "Ủy viên Ban Thường vụ") for i in range(1, subjects + 1)
        ],
        levels=LEVEL_SETS.get(levels, [(f"level{k}", f"Mức {k}") for k in range(1, levels + 1)]),
        rules=rules,
        trustees=names,
        threshold=threshold,
        commit_messages=messages,
    )
    ctx = context_from_manifest(manifest)
    counts = [[0] * levels for _ in range(subjects)]
    blanks = [0] * subjects
    votes: list[list[int | None]] = []
    for _ in range(voters):
        vote: list[int | None] = []
        for i in range(subjects):
            if blank_allowed and choose.random() < blank_rate:
                vote.append(None)
                blanks[i] += 1
            else:
                k = choose.randrange(levels)
                vote.append(k)
                counts[i][k] += 1
        votes.append(vote)

    def cast(v: int) -> CheckedBallot:
        doc = encrypt_ballot(ctx, votes[v], rng(f"voter {v}"))
        return verify_ballot(ctx, doc, parallel=False)  # what the server does on receipt

    board = Board(ctx.fp)
    checked = pmap(cast, range(voters))
    for ballot in checked:
        board.append(ballot)
    attendance = Attendance(summoned=voters, present=voters, issued=voters)
    grid = aggregate(ctx, [c.ciphertexts for c in checked])
    decrypting = sorted(choose.sample(range(1, trustees + 1), threshold))
    shares = [partial_decrypt(ctx, keys[x - 1], grid, rng(f"trustee {x}")) for x in decrypting]
    result = tally(ctx, grid, shares, voters)
    if result.counts != counts:
        raise AssertionError("the tally disagrees with the plaintext votes")
    record = build_record(manifest, attendance, board.entries, grid, result)
    return Simulation(record, counts, blanks, decrypting, keys)


def plaintext_table(
    manifest: dict[str, Any], counts: Sequence[Sequence[int]], blanks: Sequence[int]
) -> list[str]:
    """Lines of a readable counts table (subject, count per level, blank rows)."""
    labels = [lev["label"] for lev in manifest["levels"]]
    lines = ["Người được lấy phiếu / Subject | " + " | ".join(labels) + " | Để trống / Blank"]
    for subject, row, blank in zip(manifest["subjects"], counts, blanks, strict=True):
        lines.append(f"{subject['name']} | " + " | ".join(str(c) for c in row) + f" | {blank}")
    return lines
