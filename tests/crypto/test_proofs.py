"""Each proof accepts the honest statement and refuses every way to cheat we know of."""

from __future__ import annotations

import dataclasses

import pytest

from ballot.crypto.elgamal import Ciphertext, add_all, encrypt
from ballot.crypto.group import IDENTITY, B, Point, Scalar
from ballot.crypto.proofs import (
    EqProof,
    OrProof,
    bit_context,
    prove_dec,
    prove_or,
    prove_row1,
    row_context,
    verify_dec,
    verify_or,
    verify_or_raw,
    verify_row1,
)

from .conftest import Election

ONE = Scalar(1)


def bit(election: Election, m: int, i: int = 0, k: int = 1) -> tuple[Ciphertext, OrProof]:
    r = Scalar.random()
    ct = encrypt(election.ctx.key, m, r)
    proof = prove_or(
        "bit", election.ctx.fp, election.ctx.key, bit_context(i, k), ct, m, r, Scalar.random
    )
    return ct, proof


def check_bit(election: Election, ct: Ciphertext, proof: OrProof, i: int = 0, k: int = 1) -> bool:
    return verify_or("bit", election.ctx.fp, election.ctx.key, bit_context(i, k), ct, proof)


@pytest.mark.parametrize("m", [0, 1])
def test_bit_proof_accepts_zero_and_one(election: Election, m: int) -> None:
    ct, proof = bit(election, m)
    assert check_bit(election, ct, proof)
    raw = verify_or_raw("bit", election.ctx.fp, election.ctx.key, bit_context(0, 1),
                        ct.a.to_bytes(), ct.b.to_bytes(), proof)  # fmt: skip
    assert raw == ct


@pytest.mark.parametrize("field", ["c0", "z0", "c1", "z1"])
@pytest.mark.parametrize("m", [0, 1])
def test_bit_proof_refuses_any_altered_scalar(election: Election, m: int, field: str) -> None:
    ct, proof = bit(election, m)
    altered = dataclasses.replace(proof, **{field: getattr(proof, field) + ONE})
    assert not check_bit(election, ct, altered)


def test_bit_proof_refuses_a_shifted_challenge_split(election: Election) -> None:
    ct, proof = bit(election, 1)
    # c0 + c1 still equals the challenge, but the responses no longer fit
    shifted = OrProof(proof.c0 + ONE, proof.z0, proof.c1 - ONE, proof.z1)
    assert not check_bit(election, ct, shifted)


def test_bit_proof_is_bound_to_its_cell_election_and_key(election: Election) -> None:
    ct, proof = bit(election, 1, i=0, k=1)
    assert not check_bit(election, ct, proof, i=0, k=2)
    assert not check_bit(election, ct, proof, i=1, k=1)
    other_fp = bytes(32)
    assert not verify_or("bit", other_fp, election.ctx.key, bit_context(0, 1), ct, proof)
    other_key = Point.base_times(Scalar(99))
    assert not verify_or("bit", election.ctx.fp, other_key, bit_context(0, 1), ct, proof)
    assert not verify_or("row", election.ctx.fp, election.ctx.key, bit_context(0, 1), ct, proof)


def test_bit_proof_refuses_another_ciphertext(election: Election) -> None:
    ct, proof = bit(election, 1)
    other, _ = bit(election, 1)
    assert not check_bit(election, other, proof)
    assert not check_bit(election, Ciphertext(ct.a, other.b), proof)


@pytest.mark.parametrize("m", [2, -1])
def test_no_bit_proof_for_two_or_minus_one(election: Election, m: int) -> None:
    r = Scalar.random()
    ct = encrypt(election.ctx.key, m, r)
    with pytest.raises(ValueError):
        prove_or(
            "bit", election.ctx.fp, election.ctx.key, bit_context(0, 1), ct, m, r, Scalar.random
        )
    # a cheater runs the prover as if m were 1 (or 0): the real branch no longer fits
    for claimed in (0, 1):
        forged = prove_or(
            "bit",
            election.ctx.fp,
            election.ctx.key,
            bit_context(0, 1),
            ct,
            claimed,
            r,
            Scalar.random,
        )
        assert not check_bit(election, ct, forged)
    # or reuses a valid proof made for a 1 with the same randomness
    honest = encrypt(election.ctx.key, 1, r)
    proof = prove_or(
        "bit", election.ctx.fp, election.ctx.key, bit_context(0, 1), honest, 1, r, Scalar.random
    )
    assert not check_bit(election, ct, proof)


def test_bit_proof_refuses_two_simulated_branches(election: Election) -> None:
    ct = encrypt(election.ctx.key, 2, Scalar.random())
    c0, z0, c1, z1 = (Scalar.random() for _ in range(4))
    assert not check_bit(election, ct, OrProof(c0, z0, c1, z1))


def test_bit_proof_with_zero_challenges_still_validates_points(election: Election) -> None:
    ct, _ = bit(election, 0)
    zero = Scalar(0)
    for bad in ("00" * 32, "01" + "00" * 31, "ec" + "ff" * 30 + "7f"):
        with pytest.raises(Exception, match="valid group element|điểm"):
            verify_or_raw("bit", election.ctx.fp, election.ctx.key, bit_context(0, 1),
                          bytes.fromhex(bad), ct.b.to_bytes(), OrProof(zero, zero, zero, zero))  # fmt: skip
        with pytest.raises(Exception, match="valid group element|điểm"):
            verify_or_raw("bit", election.ctx.fp, election.ctx.key, bit_context(0, 1),
                          ct.a.to_bytes(), bytes.fromhex(bad), OrProof(zero, zero, ONE, zero))  # fmt: skip


def _row(election: Election, marks: list[int]) -> tuple[Ciphertext, Scalar]:
    rs = [Scalar.random() for _ in marks]
    cts = [encrypt(election.ctx.key, m, r) for m, r in zip(marks, rs, strict=True)]
    return add_all(cts), rs[0] + rs[1] + rs[2]


@pytest.mark.parametrize("marks", [[0, 0, 0], [0, 1, 0]])
def test_row_proof_accepts_zero_or_one_mark(election: Election, marks: list[int]) -> None:
    total, r = _row(election, marks)
    proof = prove_or(
        "row",
        election.ctx.fp,
        election.ctx.key,
        row_context(0),
        total,
        sum(marks),
        r,
        Scalar.random,
    )
    assert verify_or("row", election.ctx.fp, election.ctx.key, row_context(0), total, proof)
    assert not verify_or("row", election.ctx.fp, election.ctx.key, row_context(1), total, proof)


def test_row_summing_to_two_cannot_be_proven(election: Election) -> None:
    total, r = _row(election, [1, 1, 0])
    for claimed in (0, 1):
        forged = prove_or(
            "row",
            election.ctx.fp,
            election.ctx.key,
            row_context(0),
            total,
            claimed,
            r,
            Scalar.random,
        )
        assert not verify_or(
            "row", election.ctx.fp, election.ctx.key, row_context(0), total, forged
        )
    forged1 = prove_row1(election.ctx.fp, election.ctx.key, 0, total, r, Scalar.random)
    assert not verify_row1(election.ctx.fp, election.ctx.key, 0, total, forged1)


def test_row1_proof_accepts_exactly_one_mark_only(election: Election) -> None:
    total, r = _row(election, [0, 0, 1])
    proof = prove_row1(election.ctx.fp, election.ctx.key, 2, total, r, Scalar.random)
    assert verify_row1(election.ctx.fp, election.ctx.key, 2, total, proof)
    assert not verify_row1(election.ctx.fp, election.ctx.key, 1, total, proof)
    assert not verify_row1(bytes(32), election.ctx.key, 2, total, proof)
    for altered in (EqProof(proof.c + ONE, proof.z), EqProof(proof.c, proof.z + ONE)):
        assert not verify_row1(election.ctx.fp, election.ctx.key, 2, total, altered)
    blank, r0 = _row(election, [0, 0, 0])
    forged = prove_row1(election.ctx.fp, election.ctx.key, 2, blank, r0, Scalar.random)
    assert not verify_row1(election.ctx.fp, election.ctx.key, 2, blank, forged)


def test_dec_proof_accepts_an_honest_share_and_refuses_cheats(election: Election) -> None:
    ctx, key = election.ctx, election.keys[0]
    ct = encrypt(ctx.key, 3, Scalar.random())
    d, proof = prove_dec(
        ctx.fp, ctx.key, 1, 0, 0, ct, key.share, key.verification_key, Scalar.random
    )
    assert verify_dec(ctx.fp, ctx.key, 1, 0, 0, ct, key.verification_key, d, proof)
    # altered D, c, z; another cell; another member's key; another election
    assert not verify_dec(ctx.fp, ctx.key, 1, 0, 0, ct, key.verification_key, d + B, proof)
    assert not verify_dec(
        ctx.fp, ctx.key, 1, 0, 0, ct, key.verification_key, d, EqProof(proof.c + ONE, proof.z)
    )
    assert not verify_dec(
        ctx.fp, ctx.key, 1, 0, 0, ct, key.verification_key, d, EqProof(proof.c, proof.z + ONE)
    )
    assert not verify_dec(ctx.fp, ctx.key, 1, 0, 1, ct, key.verification_key, d, proof)
    assert not verify_dec(ctx.fp, ctx.key, 2, 0, 0, ct, election.keys[1].verification_key, d, proof)
    assert not verify_dec(bytes(32), ctx.key, 1, 0, 0, ct, key.verification_key, d, proof)


def test_dec_proof_with_a_wrong_share_fails(election: Election) -> None:
    ctx = election.ctx
    ct = encrypt(ctx.key, 1, Scalar.random())
    wrong = election.keys[1]  # member 2's share presented as member 1's
    d, proof = prove_dec(
        ctx.fp, ctx.key, 1, 0, 0, ct, wrong.share, wrong.verification_key, Scalar.random
    )
    assert not verify_dec(ctx.fp, ctx.key, 1, 0, 0, ct, election.keys[0].verification_key, d, proof)


def test_dec_proof_for_a_subset_aggregate_fails_against_the_full_aggregate(
    election: Election,
) -> None:
    ctx, key = election.ctx, election.keys[0]
    ballots = [encrypt(ctx.key, 1, Scalar.random()) for _ in range(3)]
    subset, full = add_all(ballots[:2]), add_all(ballots)
    d, proof = prove_dec(
        ctx.fp, ctx.key, 1, 0, 0, subset, key.share, key.verification_key, Scalar.random
    )
    assert verify_dec(ctx.fp, ctx.key, 1, 0, 0, subset, key.verification_key, d, proof)
    assert not verify_dec(ctx.fp, ctx.key, 1, 0, 0, full, key.verification_key, d, proof)


def test_dec_proof_of_an_empty_aggregate_uses_the_identity(election: Election) -> None:
    ctx, key = election.ctx, election.keys[0]
    empty = Ciphertext(IDENTITY, IDENTITY)
    d, proof = prove_dec(
        ctx.fp, ctx.key, 1, 0, 0, empty, key.share, key.verification_key, Scalar.random
    )
    assert d == IDENTITY
    assert verify_dec(ctx.fp, ctx.key, 1, 0, 0, empty, key.verification_key, d, proof)
    assert not verify_dec(ctx.fp, ctx.key, 1, 0, 0, empty, key.verification_key, B, proof)
