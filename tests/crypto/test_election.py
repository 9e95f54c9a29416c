"""Election ballots (protocol §10): round trips, range proof, tampering, batch verification."""

from __future__ import annotations

import copy
from itertools import product
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ballot.crypto.context import ElectionContext
from ballot.crypto.election import (
    Shape,
    SumProof,
    encrypt_election_ballot,
    parse_ballot,
    prove_bit,
    range_weights,
    sum_challenge,
    sum_statement,
    verify_election_ballot,
    verify_parsed,
)
from ballot.crypto.election_batch import batch_holds, verify_batch, verify_bit_batched
from ballot.crypto.elgamal import encrypt
from ballot.crypto.errors import InvalidBallot
from ballot.crypto.group import B, L, Point, Scalar
from tests.conftest import examples

SECRET = Scalar(123456789)
CTX = ElectionContext(b"\x07" * 32, Point.base_times(SECRET), 5, 1, True)
SHAPE = Shape(candidates=5, seats=3, min_kept=1)


def decrypt(a_hex: str, b_hex: str) -> int:
    a, b = Point.from_hex(a_hex), Point.from_hex(b_hex)
    m = b - SECRET * a
    for value in range(6):
        if Point.base_times(Scalar(value)) == m:
            return value
    raise AssertionError("not a small plaintext")


@pytest.mark.parametrize("r", range(0, 70))
def test_range_weights_cover_exactly_zero_to_r(r: int) -> None:
    weights = range_weights(r)
    sums = {sum(w for w, bit in zip(weights, bits, strict=True) if bit)
            for bits in product((0, 1), repeat=len(weights))}  # fmt: skip
    assert sums == set(range(r + 1))
    assert len(weights) == r.bit_length()


def test_congress_shape_has_six_range_bits() -> None:
    assert range_weights(32) == [1, 2, 4, 8, 16, 1]
    assert Shape(40, 33, 1).bits == 6


@pytest.mark.parametrize("kept_count", [1, 2, 3])
def test_round_trip_every_allowed_count(kept_count: int) -> None:
    kept = [j < kept_count for j in range(5)]
    doc = encrypt_election_ballot(CTX, SHAPE, kept)
    parsed, cands = verify_election_ballot(CTX, SHAPE, doc)
    assert [decrypt(c["a"], c["b"]) for c in doc["cts"]] == [int(k) for k in kept]
    assert len(cands) == 5 and len(doc["range"]["bits"]) == SHAPE.bits
    assert len(parsed.tracker) == 32


def test_zero_range_and_list_without_surplus() -> None:
    one_of_two = Shape(2, 1, 1)  # R = 0: no range bits, the sum must be exactly 1
    ctx2 = ElectionContext(CTX.fp, CTX.key, 2, 1, True)
    doc = encrypt_election_ballot(ctx2, one_of_two, [False, True])
    assert doc["range"]["bits"] == []
    verify_election_ballot(ctx2, one_of_two, doc)
    no_surplus = Shape(3, 3, 0)  # "đồng ý" for none of them is valid
    ctx3 = ElectionContext(CTX.fp, CTX.key, 3, 1, True)
    verify_election_ballot(ctx3, no_surplus, encrypt_election_ballot(ctx3, no_surplus, [False] * 3))


@pytest.mark.parametrize("kept_count", [0, 4, 5])
def test_the_booth_refuses_an_invalid_choice(kept_count: int) -> None:
    with pytest.raises(ValueError):
        encrypt_election_ballot(CTX, SHAPE, [j < kept_count for j in range(5)])


def forge(kept: list[bool], bit_values: list[int]) -> dict[str, Any]:
    """A dishonest device: honest 0/1 proofs, range bits of its choosing, and a sum proof
    made with the randomness it knows although (X, Y) does not encrypt 0."""
    cells, cands, total = [], [], Scalar(0)
    for j, keep in enumerate(kept):
        r = Scalar.random()
        ct = encrypt(CTX.key, int(keep), r)
        proof = prove_bit("ebit", CTX.fp, CTX.key, j, ct, int(keep), r, Scalar.random)
        cells.append({"a": ct.a.hex(), "b": ct.b.hex(), "proof": proof.to_json()})
        cands.append(ct)
        total = total + r
    bits, bit_cts = [], []
    for i, (beta, w) in enumerate(zip(bit_values, SHAPE.weights, strict=True)):
        s = Scalar.random()
        ct = encrypt(CTX.key, beta, s)
        proof = prove_bit("rbit", CTX.fp, CTX.key, i, ct, beta, s, Scalar.random)
        bits.append({"a": ct.a.hex(), "b": ct.b.hex(), "proof": proof.to_json()})
        bit_cts.append(ct)
        total = total - Scalar(w) * s
    x, y = sum_statement(SHAPE, cands, bit_cts)
    w_sum = Scalar.random()
    p, q = Point.base_times(w_sum).to_bytes(), (w_sum * CTX.key).to_bytes()
    c = sum_challenge(CTX.fp, CTX.key, SHAPE, [*cands, *bit_cts], x, y, p, q)
    sp = SumProof(p, q, w_sum + c * total)
    return {
        "fingerprint": CTX.fp.hex(),
        "cts": cells,
        "range": {"bits": bits, "proof": sp.to_json()},
    }


@pytest.mark.parametrize(
    ("kept_count", "bits"), [(4, [1, 1]), (5, [1, 1]), (0, [0, 0]), (3, [1, 0])]
)
def test_out_of_range_count_is_rejected_single_and_batch(kept_count: int, bits: list[int]) -> None:
    assert SHAPE.weights == [1, 1]
    doc = forge([j < kept_count for j in range(5)], bits)
    with pytest.raises(InvalidBallot, match="names are kept"):
        verify_election_ballot(CTX, SHAPE, doc)
    with pytest.raises(InvalidBallot, match="names are kept"):
        verify_parsed(CTX, SHAPE, parse_ballot(CTX, SHAPE, doc), verify_bit_batched)
    honest = [
        parse_ballot(CTX, SHAPE, encrypt_election_ballot(CTX, SHAPE, [True] * 2 + [False] * 3))
    ]
    forged = parse_ballot(CTX, SHAPE, doc)
    assert batch_holds(CTX, SHAPE, honest)
    assert not batch_holds(CTX, SHAPE, [*honest, forged])
    with pytest.raises(InvalidBallot, match="ballot 2"):
        verify_batch(CTX, SHAPE, [*honest, forged])


def test_forge_with_right_count_is_accepted() -> None:
    """The forging helper is otherwise honest: with a consistent count it passes."""
    verify_election_ballot(CTX, SHAPE, forge([True] * 2 + [False] * 3, [1, 0]))


def test_a_cell_encrypting_two_is_rejected() -> None:
    doc = encrypt_election_ballot(CTX, SHAPE, [True, False, False, False, False])
    bad = copy.deepcopy(doc)
    a, b = Point.from_hex(bad["cts"][0]["a"]), Point.from_hex(bad["cts"][0]["b"])
    bad["cts"][0]["b"] = (b + B).hex()  # now encrypts 2; the old proof cannot hold
    with pytest.raises(InvalidBallot, match="candidate 1"):
        verify_election_ballot(CTX, SHAPE, bad)
    assert not batch_holds(CTX, SHAPE, [parse_ballot(CTX, SHAPE, bad)])
    del a


def _ballot() -> dict[str, Any]:
    return encrypt_election_ballot(CTX, SHAPE, [True, False, True, False, False])


def test_tampering_is_refused() -> None:
    doc = _ballot()
    small_order = "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"
    cases = []
    for path, value in [
        (("cts", 2, "a"), small_order),
        (("cts", 0, "proof", 4), Scalar(5).hex()),
        (("cts", 1, "proof", 0), doc["cts"][1]["proof"][1]),
        (("range", "proof", 2), Scalar(1).hex()),
        (("cts", 0, "proof", 5), (L).to_bytes(32, "little").hex()),
        (("cts", 0, "a"), doc["cts"][0]["a"].upper()),
    ]:
        bad = copy.deepcopy(doc)
        target: Any = bad
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        cases.append(bad)
    extra = copy.deepcopy(doc)
    extra["note"] = "x"
    repeated = copy.deepcopy(doc)
    repeated["cts"][1]["a"] = repeated["cts"][0]["a"]
    wrong_fp = copy.deepcopy(doc)
    wrong_fp["fingerprint"] = "00" * 32
    for bad in [*cases, extra, repeated, wrong_fp]:
        with pytest.raises(InvalidBallot):
            verify_election_ballot(CTX, SHAPE, bad)


def test_batch_accepts_honest_ballots() -> None:
    ballots = [parse_ballot(CTX, SHAPE, _ballot()) for _ in range(4)]
    assert batch_holds(CTX, SHAPE, ballots)
    verify_batch(CTX, SHAPE, ballots)


def test_batch_rejects_a_ballot_whose_proofs_are_moved_between_cells() -> None:
    d1, d2 = _ballot(), _ballot()
    d2["cts"][0]["proof"], d2["cts"][1]["proof"] = d2["cts"][1]["proof"], d2["cts"][0]["proof"]
    assert not batch_holds(CTX, SHAPE, [parse_ballot(CTX, SHAPE, d) for d in (d1, d2)])


# Mutations for the property test: (cell kind, index, proof entry or field, new value kind)
HONEST = _ballot()
FIELDS = [("cts", j, f) for j in range(5) for f in ("a", "b", *range(7))] + [
    ("bits", i, f) for i in range(SHAPE.bits) for f in ("a", "b", *range(7))
] + [("sum", 0, f) for f in range(3)]  # fmt: skip


def mutate(doc: dict[str, Any], where: tuple[str, int, Any], how: int, seed: int) -> dict[str, Any]:
    bad = copy.deepcopy(doc)
    kind, index, field = where
    if kind == "sum":
        holder: Any = bad["range"]["proof"]
    else:
        cell = bad["cts"][index] if kind == "cts" else bad["range"]["bits"][index]
        holder = cell if field in ("a", "b") else cell["proof"]
    is_point = field in ("a", "b") or (kind != "sum" and field < 4) or (kind == "sum" and field < 2)
    if how == 0 or not is_point:  # another valid scalar / point
        value = (Point.base_times(Scalar(seed + 2)).hex() if is_point
                 else Scalar((seed + 1) * 7919).hex())  # fmt: skip
    elif how == 1:  # add B to the point
        value = (Point.from_hex(holder[field]) + B).hex()
    else:  # a point with a small-order component
        value = "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"
    holder[field] = value
    return bad


def single_ok(doc: dict[str, Any]) -> bool:
    try:
        verify_election_ballot(CTX, SHAPE, doc)
    except InvalidBallot:
        return False
    return True


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIELDS), st.integers(0, 2), st.integers(0, 1000))
def test_batch_rejects_whatever_single_rejects(
    where: tuple[str, int, Any], how: int, seed: int
) -> None:
    bad = mutate(HONEST, where, how, seed)
    try:
        parsed = parse_ballot(CTX, SHAPE, bad)
    except InvalidBallot:
        return  # refused before any proof check, by both paths
    ok = single_ok(bad)
    assert batch_holds(CTX, SHAPE, [parsed]) is ok
    try:
        verify_parsed(CTX, SHAPE, parsed, verify_bit_batched)
        per_proof_ok = True
    except InvalidBallot:
        per_proof_ok = False
    assert per_proof_ok is ok
    other = parse_ballot(CTX, SHAPE, _ballot())
    assert batch_holds(CTX, SHAPE, [other, parsed]) is ok
    if not ok:
        with pytest.raises(InvalidBallot):
            verify_parsed(CTX, SHAPE, parsed)
