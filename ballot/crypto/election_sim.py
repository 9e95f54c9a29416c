"""A whole election in one process (protocol §10): key ceremony, delegates casting, the
server's checks, closing, tally by t members, record. For `ballot simulate --election`,
tests and benchmarks."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from ballot.elections.rules import KIND_VI, SURPLUS_REQUIRED, Kind, check_list, max_surplus

from .board import Attendance
from .dkg import MemberKey, ceremony_id, run_ceremony
from .election import encrypt_election_ballot, shape_of, verify_election_ballot
from .election_record import ElectionBoard, build_election_record
from .group import Scalar
from .manifest import build_manifest, context_from_manifest
from .parallel import pmap
from .proofs import Rng
from .simulate import seeded_rng
from .tally import aggregate, partial_decrypt, tally


@dataclass
class ElectionSimulation:
    record: dict[str, Any]
    #: votes per candidate from the plaintext choices
    counts: list[int]
    decrypting: list[int]
    keys: list[MemberKey]


def election_manifest(
    *, candidates: int, seats: int, threshold: int, trustees: int, seed: str | None,
    kind: Kind | None = None, surplus_decision: str = "",
) -> tuple[dict[str, Any], list[MemberKey]]:  # fmt: skip
    """A manifest for a simulated election of `seats` of `candidates` (the list is checked
    against 190-QĐ/TW Art. 14 first). Without `kind`: the Executive Committee when the list
    fits Art. 14.1, else delegates with a (simulated) recorded decision of the congress."""
    if kind is None:
        fits = seats < candidates <= seats + max_surplus(seats)
        kind = Kind.COMMITTEE if fits else Kind.DELEGATES
        over_cap = candidates - seats > max_surplus(seats)
        if over_cap and kind not in SURPLUS_REQUIRED and not surplus_decision:
            surplus_decision = "(mô phỏng) Đại hội biểu quyết thông qua danh sách bầu cử"
    rules = check_list(kind, seats, candidates, surplus_decision=surplus_decision)
    vote_id = f"SIM-E-{seed or 'random'}"
    names = [f"Ủy viên Ban kiểm phiếu {x}" for x in range(1, trustees + 1)]
    rng: Rng = Scalar.random if seed is None else seeded_rng(seed, "dkg")
    messages, keys = run_ceremony(ceremony_id(vote_id, threshold, names), threshold, trustees, rng)
    level = ("keep", "Giữ lại") if rules.with_surplus else ("agree", "Đồng ý")
    manifest = build_manifest(
        vote_id=vote_id,
        title=f"Bầu {KIND_VI[kind]} (mô phỏng)",
        conference="Đại hội đại biểu (mô phỏng)",
        subjects=[(f"Ứng cử viên {j:02d}", "Đại biểu") for j in range(1, candidates + 1)],
        levels=[level],
        rules={
            "quorum": [2, 3],
            "thresholds": {"majority": [1, 2]},
            "blank_row_allowed": True,
            "election": rules.as_manifest(),
        },
        trustees=names,
        threshold=threshold,
        commit_messages=messages,
    )
    return manifest, keys


def simulate_election(
    *, voters: int, candidates: int, seats: int, threshold: int = 2, trustees: int = 3,
    seed: str | None = None, kind: Kind | None = None, surplus_decision: str = "",
) -> ElectionSimulation:  # fmt: skip
    """Run a complete election; the record's counts must equal the plaintext votes.
    Each simulated delegate keeps between m0 and S names, favouring the first names."""
    choose = random.Random(seed)  # noqa: S311 - simulated choices, not secrets  # nosec B311
    manifest, keys = election_manifest(
        candidates=candidates, seats=seats, threshold=threshold, trustees=trustees, seed=seed,
        kind=kind, surplus_decision=surplus_decision,
    )  # fmt: skip
    ctx, shape = context_from_manifest(manifest), shape_of(manifest)
    popularity = [1.0 + 2.0 * (candidates - j) / candidates for j in range(candidates)]
    choices: list[list[bool]] = []
    counts = [0] * candidates
    for _ in range(voters):
        n = choose.randint(max(shape.min_kept, seats - 3), seats)
        kept: set[int] = set()
        while len(kept) < n:
            kept.add(choose.choices(range(candidates), weights=popularity)[0])
        choices.append([j in kept for j in range(candidates)])
        for j in kept:
            counts[j] += 1

    def cast(v: int) -> Any:
        rng = Scalar.random if seed is None else seeded_rng(seed, f"voter {v}")
        doc = encrypt_election_ballot(ctx, shape, choices[v], rng)
        return verify_election_ballot(ctx, shape, doc)  # what the server does on receipt

    board = ElectionBoard.empty(ctx.fp)
    for parsed, cands in pmap(cast, range(voters)):
        board.append(parsed, cands)
    grid = aggregate(ctx, board.ballots)
    decrypting = sorted(choose.sample(range(1, trustees + 1), threshold))
    shares = [
        partial_decrypt(
            ctx, keys[x - 1], grid, Scalar.random if seed is None else seeded_rng(seed, f"t{x}")
        )
        for x in decrypting
    ]
    result = tally(ctx, grid, shares, voters)
    if [row[0] for row in result.counts] != counts:
        raise AssertionError("the tally disagrees with the plaintext votes")
    attendance = Attendance(summoned=voters, present=voters, issued=voters)
    record = build_election_record(manifest, attendance, board.entries, grid, result)
    return ElectionSimulation(record, counts, decrypting, keys)
