"""Benchmarks of ballot/crypto against the design targets.

    python bench/crypto.py            # readable
    python bench/crypto.py --json     # one JSON object (keys below)

encrypt_ms                 median time to encrypt and prove one 6 × 3 ballot (Python)
verify_ms                  median server check of one 6 × 3 ballot (target <= 15 ms)
scalar_mults_per_verify    libsodium scalar multiplications in one such check
tally_verify_22_s          22 ballots: tally (aggregate of the board, t partial decryptions
                           with proofs, share checks, combination) + full verify_record
tally_verify_1600_s        the same for 1,600 ballots (target <= 30 s)
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

from ballot.crypto import group  # noqa: E402
from ballot.crypto.ballot import encrypt_ballot, verify_ballot  # noqa: E402
from ballot.crypto.board import Attendance  # noqa: E402
from ballot.crypto.record import build_record, verify_record  # noqa: E402
from ballot.crypto.simulate import simulate  # noqa: E402
from ballot.crypto.tally import aggregate_board, partial_decrypt, tally  # noqa: E402

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


def median_ms(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def tally_and_verify(sim_record: dict[str, Any], keys: Any) -> float:
    """Seconds for the counting committee's tally from the closed board plus a full,
    independent verification of the resulting record."""
    from ballot.crypto.manifest import context_from_manifest

    start = time.perf_counter()
    manifest = sim_record["manifest"]
    ctx = context_from_manifest(manifest)
    board = sim_record["board"]
    grid = aggregate_board(ctx, board)
    shares = [partial_decrypt(ctx, keys[x - 1], grid) for x in range(1, ctx.threshold + 1)]
    result = tally(ctx, grid, shares, len(board))
    attendance = Attendance(**sim_record["attendance"])
    record = build_record(manifest, attendance, board, grid, result)
    report = verify_record(record)
    elapsed = time.perf_counter() - start
    if not report.ok:
        raise SystemExit(f"verification failed: {report.failure}")
    return elapsed


def run(quick: bool) -> dict[str, Any]:
    sim = simulate(
        voters=2, subjects=SUBJECTS, levels=LEVELS, threshold=T, trustees=N, seed="bench"
    )
    from ballot.crypto.manifest import context_from_manifest

    ctx = context_from_manifest(sim.record["manifest"])
    choices: list[int | None] = [0, 1, 2, None, 0, 1]
    docs = [encrypt_ballot(ctx, choices) for _ in range(5)]
    encrypt = median_ms(lambda: encrypt_ballot(ctx, choices), 5 if quick else 15)
    verify_ballot(ctx, docs[0])  # warm the thread pool
    verify = median_ms(lambda: verify_ballot(ctx, docs[0]), 5 if quick else 31)

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
    for voters, key in ((22, "tally_verify_22_s"), (1600, "tally_verify_1600_s")):
        if quick and voters > 22:
            continue
        big = simulate(
            voters=voters, subjects=SUBJECTS, levels=LEVELS, threshold=T, trustees=N,
            blank_rate=0.05, seed=f"bench-{voters}",
        )  # fmt: skip
        out[key] = round(tally_and_verify(big.record, big.keys), 2)
    out["_variable_base_mults"] = [counter.variable, counter.base]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quick", action="store_true", help="skip the 1,600-ballot run")
    args = parser.parse_args()
    result = run(args.quick)
    split = result.pop("_variable_base_mults")
    if args.json:
        print(json.dumps(result))
        return
    print(f"encrypt 6x3 ballot:        {result['encrypt_ms']:.1f} ms")
    print(f"verify 6x3 ballot:         {result['verify_ms']:.1f} ms (target <= 15 ms)")
    print(f"scalar mults per verify:   {result['scalar_mults_per_verify']} "
          f"({split[0]} variable-base, {split[1]} fixed-base)")  # fmt: skip
    print(f"tally + verify, 22:        {result['tally_verify_22_s']:.2f} s")
    if "tally_verify_1600_s" in result:
        print(f"tally + verify, 1600:      {result['tally_verify_1600_s']:.2f} s (target <= 30 s)")


if __name__ == "__main__":
    main()
