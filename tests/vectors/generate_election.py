"""Known-answer vectors of the election extension (protocol §10): tests/vectors/election.json.

Run `python tests/vectors/generate_election.py` to (re)write the file;
tests/crypto/test_election_vectors.py rebuilds it and requires the committed file to be
identical. Conventions as in tests/vectors/README.md (scalars little-endian hex, indices
0-based, every drawn scalar written out in draw order).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ballot.crypto.ballot import short_code
from ballot.crypto.context import ElectionContext
from ballot.crypto.election import (
    PREFIX,
    Shape,
    encrypt_election_ballot,
    parse_ballot,
    range_weights,
    sum_statement,
    verify_parsed,
)
from ballot.crypto.election_sim import simulate_election
from ballot.crypto.elgamal import Ciphertext
from ballot.crypto.group import Point, Scalar, u32
from tests.vectors.generate import fixed, render, replay

HERE = Path(__file__).parent


def _draws(prefix: str, shape: Shape) -> tuple[list[dict[str, str]], list[Scalar]]:
    structured, flat = [], []
    for label, count in (("cand", shape.candidates), ("bit", shape.bits)):
        for j in range(count):
            names = ("r", "w", "c_sim", "z_sim")
            values = [fixed(f"{prefix}/{label}/{j}/{n}") for n in names]
            structured.append(
                {"for": f"{label} {j}"} | {n: v.hex() for n, v in zip(names, values, strict=True)}
            )
            flat += values
    w = fixed(f"{prefix}/sum/w")
    structured.append({"for": "sum", "w": w.hex()})
    return structured, [*flat, w]


def election_vectors() -> dict[str, Any]:
    secret = fixed("election/secret")
    fp = fixed("election/fp").to_bytes()
    key = Point.base_times(secret)
    cases = []
    for name, shape, kept in (
        ("3 of 4, with surplus", Shape(4, 3, 1), [True, False, True, False]),
        ("1 of 2 (no range bits)", Shape(2, 1, 1), [False, True]),
        ("2 of 2, no surplus (agree/disagree)", Shape(2, 2, 0), [True, True]),
    ):
        ctx = ElectionContext(fp, key, shape.candidates, 1, True)
        structured, flat = _draws(f"election/{name}", shape)
        doc = encrypt_election_ballot(ctx, shape, kept, replay(flat))
        parsed = parse_ballot(ctx, shape, doc)
        verify_parsed(ctx, shape, parsed)
        cts = [Ciphertext(Point.from_hex(c["a"]), Point.from_hex(c["b"])) for c in doc["cts"]]
        bits = [
            Ciphertext(Point.from_hex(c["a"]), Point.from_hex(c["b"])) for c in doc["range"]["bits"]
        ]
        x, y = sum_statement(shape, cts, bits)
        first = doc["cts"][0]
        bit_input = (
            PREFIX + b"ebit\x00" + fp + key.to_bytes() + u32(0)
            + bytes.fromhex(first["a"]) + bytes.fromhex(first["b"])
            + b"".join(bytes.fromhex(h) for h in first["proof"][:4])
        )  # fmt: skip
        cases.append(
            {
                "name": name,
                "candidates": shape.candidates,
                "seats": shape.seats,
                "min_kept": shape.min_kept,
                "weights": range_weights(shape.seats - shape.min_kept),
                "kept": kept,
                "draws": structured,
                "ballot": doc,
                "first_bit_challenge_input_hex": bit_input.hex(),
                "first_bit_challenge": Scalar.from_hash(bit_input).hex(),
                "sum_X": x.hex(),
                "sum_Y": y.hex(),
                "canonical_hex": parsed.canonical.hex(),
                "tracker": parsed.tracker.hex(),
                "short_code": short_code(parsed.tracker),
            }
        )
    record = simulate_election(voters=3, candidates=3, seats=2, seed="vector").record
    return {
        "description": "Election ballots (protocol §10). fp and K = secret·B are fixed; "
        "draws in order: per candidate r, w, c_sim, z_sim; per range bit s (listed as r), "
        "w, c_sim, z_sim; then the sum proof's w. Bit proofs are [A0, B0, A1, B1, c0, z0, "
        "z1], the sum proof [P, Q, z]; X and Y are the sum proof's statement (§10.4).",
        "fp": fp.hex(),
        "secret": secret.hex(),
        "K": key.hex(),
        "cases": cases,
        "record_description": "A whole election record (§10.7), 3 ballots, 2 of 3 seats, "
        "made by ballot.crypto.election_sim.simulate_election(voters=3, candidates=3, "
        'seats=2, seed="vector"); `ballot verify` accepts it.',
        "record": record,
    }


def main() -> None:
    (HERE / "election.json").write_text(render(election_vectors()), encoding="utf-8")
    print("wrote election.json", file=sys.stderr)


if __name__ == "__main__":
    main()
