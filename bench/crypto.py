"""Benchmarks of ballot/crypto against the design targets.

    python bench/crypto.py            # readable
    python bench/crypto.py --json     # one JSON object (keys below)

encrypt_ms                 median time to encrypt and prove one 6 × 3 ballot (Python)
verify_ms                  median server check of one 6 × 3 ballot (target <= 15 ms)
scalar_mults_per_verify    libsodium scalar multiplications in one such check
tally_verify_22_s          22 ballots: the counting committee's tally of the closed board with
                           full verification: every ballot's points and proofs, trackers, chain
                           and duplicates (verify_board), the aggregate, t partial decryptions
                           with proofs, every share proof checked, combination, the record
tally_verify_1600_s        the same for 1,600 ballots (target <= 30 s)
record_verify_1600_s       an independent `verify_record` of that 1,600-ballot record (extra)
election_300x40_verify_s   a congress election, 300 ballots × 40 candidates, 33 seats: the
                           server's `verify_election_record` of the whole record (every
                           ballot's 46 proofs, chain, aggregate, shares, counts); target <= 10 s
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ballot.crypto import group
from ballot.crypto.ballot import encrypt_ballot, verify_ballot
from ballot.crypto.board import Attendance, verify_board
from ballot.crypto.manifest import context_from_manifest
from ballot.crypto.record import build_record, verify_record
from ballot.crypto.seen import forget
from ballot.crypto.simulate import simulate
from ballot.crypto.tally import partial_decrypt, tally

SUBJECTS, LEVELS, T, N = 6, 3, 3, 5


class CountingSodium:
    """Stands in for nacl.bindings inside ballot.crypto.group and counts multiplications."""

    def __init__(self, real: Any) -> None:
        self.real, self.variable, self.base = real, 0, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def crypto_scalarmult_ed25519_noclamp(self, n: bytes, p: bytes) -> bytes:
        self.variable += 1
        return bytes(self.real.crypto_scalarmult_ed25519_noclamp(n, p))

    def crypto_scalarmult_ed25519_base_noclamp(self, n: bytes) -> bytes:
        self.base += 1
        return bytes(self.real.crypto_scalarmult_ed25519_base_noclamp(n))


def median_ms(fn: Any, repeat: int, before: Any = None) -> tuple[float, float]:
    """Median wall time and median CPU time (all threads) in milliseconds; `before` runs
    untimed before each run."""
    wall, cpu = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        start, cpu_start = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def tally_and_verify(sim_record: dict[str, Any], keys: Any) -> tuple[float, float, float]:
    """Wall seconds for (the committee's fully verified tally of the closed board, an
    independent verify_record of the record it produces), and the CPU seconds of the
    tally (all threads): on a busy machine CPU / cores is the better estimate."""
    forget()  # the simulation checked each ballot on receipt: time the full check again
    start, cpu = time.perf_counter(), time.process_time()
    manifest = sim_record["manifest"]
    ctx = context_from_manifest(manifest)
    board = sim_record["board"]
    verified = verify_board(ctx, board)
    grid = verified.aggregate
    shares = [partial_decrypt(ctx, keys[x - 1], grid) for x in range(1, ctx.threshold + 1)]
    result = tally(ctx, grid, shares, verified.count)
    record = build_record(manifest, Attendance(**sim_record["attendance"]), board, grid, result)
    tallied, tally_cpu = time.perf_counter(), time.process_time() - cpu
    forget()
    verified_at = time.perf_counter()
    report = verify_record(record)
    verified_at = time.perf_counter() - verified_at + tallied
    if not report.ok:
        raise SystemExit(f"verification failed: {report.failure}")
    return tallied - start, verified_at - tallied, tally_cpu


def election_figures(voters: int = 300, candidates: int = 40, seats: int = 33) -> dict[str, Any]:
    """Simulate the congress election (not timed, ~1 min) and time its verification."""
    from ballot.crypto.election_record import verify_election_record
    from ballot.crypto.election_sim import simulate_election

    sim = simulate_election(
        voters=voters, candidates=candidates, seats=seats, seed=f"bench-e-{voters}"
    )
    forget()  # the simulation checked each ballot on receipt: time the full check
    start, cpu = time.perf_counter(), time.process_time()
    report = verify_election_record(sim.record)
    wall = time.perf_counter() - start
    if not report.ok:
        raise SystemExit(f"election verification failed: {report.failure}")
    key = f"election_{voters}x{candidates}_verify_s"
    return {key: round(wall, 2), f"_{key}_parent_cpu": round(time.process_time() - cpu, 2)}


def run(quick: bool) -> dict[str, Any]:
    sim = simulate(
        voters=2, subjects=SUBJECTS, levels=LEVELS, threshold=T, trustees=N, seed="bench"
    )
    from ballot.crypto.manifest import context_from_manifest

    ctx = context_from_manifest(sim.record["manifest"])
    choices: list[int | None] = [0, 1, 2, None, 0, 1]
    docs = [encrypt_ballot(ctx, choices) for _ in range(5)]
    encrypt, _ = median_ms(lambda: encrypt_ballot(ctx, choices), 5 if quick else 15)
    verify_ballot(ctx, docs[0])  # warm the thread pool
    verify, verify_cpu = median_ms(lambda: verify_ballot(ctx, docs[0]), 5 if quick else 31, forget)

    counter = CountingSodium(group._na)
    group._na = counter  # type: ignore[assignment]
    try:
        verify_ballot(ctx, docs[1], parallel=False)
    finally:
        group._na = counter.real
    out: dict[str, Any] = {
        "encrypt_ms": round(encrypt, 2),
        "verify_ms": round(verify, 2),
        "scalar_mults_per_verify": counter.variable + counter.base,
    }
    for voters in (22, 1600):
        if quick and voters > 22:
            continue
        big = simulate(
            voters=voters, subjects=SUBJECTS, levels=LEVELS, threshold=T, trustees=N,
            blank_rate=0.05, seed=f"bench-{voters}",
        )  # fmt: skip
        tallied, rechecked, cpu = tally_and_verify(big.record, big.keys)
        out[f"tally_verify_{voters}_s"] = round(tallied, 2)
        out[f"record_verify_{voters}_s"] = round(rechecked, 2)
        out[f"_tally_cpu_{voters}_s"] = round(cpu, 2)
    if not quick:
        out.update(election_figures())
    out["_variable_base_mults"] = [counter.variable, counter.base]
    out["_verify_cpu_ms"] = round(verify_cpu, 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quick", action="store_true", help="skip the 1,600-ballot run")
    parser.add_argument(
        "--election-only", action="store_true", help="only election_300x40_verify_s"
    )
    args = parser.parse_args()
    if args.election_only:
        figures = election_figures()
        print(json.dumps({k: v for k, v in figures.items() if not k.startswith("_")}))
        return
    result = run(args.quick)
    split = result.pop("_variable_base_mults")
    extra = {k: result.pop(k) for k in list(result) if k.startswith("_")}
    del result["record_verify_22_s"]
    if args.json:
        print(json.dumps(result))
        return
    print(f"encrypt 6x3 ballot:        {result['encrypt_ms']:.1f} ms")
    print(f"verify 6x3 ballot:         {result['verify_ms']:.1f} ms (target <= 15 ms); "
          f"CPU {extra['_verify_cpu_ms']:.1f} ms")  # fmt: skip
    print(f"scalar mults per verify:   {result['scalar_mults_per_verify']} "
          f"({split[0]} variable-base, {split[1]} fixed-base)")  # fmt: skip
    print(f"verified tally, 22:        {result['tally_verify_22_s']:.2f} s; "
          f"CPU {extra['_tally_cpu_22_s']:.2f} s")  # fmt: skip
    if "tally_verify_1600_s" in result:
        print(f"verified tally, 1600:      {result['tally_verify_1600_s']:.2f} s (target <= 30 s); "
              f"CPU {extra['_tally_cpu_1600_s']:.2f} s")  # fmt: skip
        print(f"verify_record, 1600:       {result['record_verify_1600_s']:.2f} s")
    if "election_300x40_verify_s" in result:
        print(f"election 300x40 verify:    {result['election_300x40_verify_s']:.2f} s "
              "(target <= 10 s; board checked in worker processes)")  # fmt: skip


if __name__ == "__main__":
    main()
