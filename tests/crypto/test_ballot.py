"""Ballots: encryption round trip, strict checking, trackers, the board and copy attacks."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ballot.crypto.ballot import encrypt_ballot, verify_ballot
from ballot.crypto.board import Attendance, Board, chain_hash, closing_hash
from ballot.crypto.elgamal import encrypt
from ballot.crypto.errors import DuplicateCiphertext, InvalidBallot
from ballot.crypto.group import Scalar
from ballot.crypto.proofs import bit_context, prove_or

from .conftest import Election


def test_encrypted_ballot_verifies_and_tracker_is_stable(election: Election) -> None:
    doc = encrypt_ballot(election.ctx, [2, None])
    checked = verify_ballot(election.ctx, doc)
    again = verify_ballot(election.ctx, copy.deepcopy(doc), parallel=False)
    assert checked.tracker == again.tracker and checked.canonical == again.canonical
    assert len(checked.short_code) == 9 and checked.short_code[4] == "-"


def test_row1_ballots_need_a_mark_in_every_row(election_row1: Election) -> None:
    ctx = election_row1.ctx
    verify_ballot(ctx, encrypt_ballot(ctx, [0, 2]))
    with pytest.raises(ValueError):
        encrypt_ballot(ctx, [0, None])
    assert len(encrypt_ballot(ctx, [1, 1])["rows"][0]["row_proof"]) == 2


def test_a_blank_row_ballot_is_refused_where_rows_need_one_mark(
    election: Election, election_row1: Election
) -> None:
    # same key and shape but another manifest: the fingerprint already differs
    doc = encrypt_ballot(election.ctx, [None, 0])
    with pytest.raises(InvalidBallot, match="another election"):
        verify_ballot(election_row1.ctx, doc)
    doc["fingerprint"] = election_row1.ctx.fp.hex()
    with pytest.raises(InvalidBallot):
        verify_ballot(election_row1.ctx, doc)


def _mutations(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []

    def variant(name: str, change: Any) -> None:
        new = copy.deepcopy(doc)
        change(new)
        out.append((name, new))

    variant("extra top-level key", lambda d: d.update(extra=1))
    variant("missing row", lambda d: d["rows"].pop())
    variant("missing level", lambda d: d["rows"][0]["cts"].pop())
    variant("extra cell key", lambda d: d["rows"][0]["cts"][0].update(note="x"))
    variant(
        "uppercase hex",
        lambda d: d["rows"][0]["cts"][0].update(a=d["rows"][0]["cts"][0]["a"].upper()),
    )
    variant("short proof", lambda d: d["rows"][0]["cts"][0]["proof"].pop())
    variant("short row proof", lambda d: d["rows"][1]["row_proof"].pop())
    variant("rows swapped", lambda d: d["rows"].reverse())
    variant("cells swapped", lambda d: d["rows"][0]["cts"].reverse())
    variant("identity point", lambda d: d["rows"][0]["cts"][1].update(b="01" + "00" * 31))
    variant("small-order point", lambda d: d["rows"][0]["cts"][1].update(a="ec" + "ff" * 30 + "7f"))
    variant(
        "non-canonical point", lambda d: d["rows"][1]["cts"][0].update(a="ed" + "ff" * 30 + "7f")
    )
    variant("unreduced scalar", lambda d: d["rows"][1]["cts"][0]["proof"].__setitem__(1, "ff" * 32))
    variant("not a list", lambda d: d.update(rows={}))
    return out


def test_every_malformed_variant_is_refused(election: Election) -> None:
    doc = encrypt_ballot(election.ctx, [0, 1])
    accepted = []
    for name, bad in _mutations(doc):
        try:
            verify_ballot(election.ctx, bad)
        except InvalidBallot:
            continue
        accepted.append(name)
    assert accepted == []


def test_a_cell_holding_two_is_refused(election: Election) -> None:
    ctx = election.ctx
    doc = encrypt_ballot(ctx, [0, 1])
    r = Scalar.random()
    ct = encrypt(ctx.key, 2, r)
    forged = prove_or("bit", ctx.fp, ctx.key, bit_context(0, 0), ct, 1, r, Scalar.random)
    doc["rows"][0]["cts"][0] = {"a": ct.a.hex(), "b": ct.b.hex(), "proof": forged.to_json()}
    with pytest.raises(InvalidBallot, match="0 or 1"):
        verify_ballot(ctx, doc)


def test_a_row_with_two_marks_is_refused(election: Election) -> None:
    ctx = election.ctx
    one_a = encrypt_ballot(ctx, [0, 1])
    one_b = encrypt_ballot(ctx, [1, 1])
    # take cell 1 of row 0 from another ballot: each cell proof still holds, the row
    # proof (bound to the row sum) no longer does
    one_a["rows"][0]["cts"][1] = one_b["rows"][0]["cts"][1]
    with pytest.raises(InvalidBallot, match="row 1"):
        verify_ballot(ctx, one_a)


def test_copied_ballot_and_copied_row_are_refused_by_the_board(election: Election) -> None:
    ctx = election.ctx
    board = Board(ctx.fp)
    victim = encrypt_ballot(ctx, [0, 2])
    board.append(verify_ballot(ctx, victim))
    with pytest.raises(DuplicateCiphertext):
        board.append(verify_ballot(ctx, copy.deepcopy(victim)))
    # Helios #8: copy the victim's whole row 1 (its proofs still verify in that position)
    attacker = encrypt_ballot(ctx, [1, 1])
    attacker["rows"][1] = copy.deepcopy(victim["rows"][1])
    checked = verify_ballot(ctx, attacker)
    with pytest.raises(DuplicateCiphertext):
        board.append(checked)
    assert len(board.entries) == 1


def test_board_chain_and_closing_hash(election: Election) -> None:
    ctx = election.ctx
    board = Board(ctx.fp)
    entries = [board.append(verify_ballot(ctx, encrypt_ballot(ctx, [0, None]))) for _ in range(3)]
    head = ctx.fp
    for n, entry in enumerate(entries, start=1):
        head = chain_hash(head, bytes.fromhex(entry["tracker"]), n)
        assert entry["chain"] == head.hex() and entry["seq"] == n
    attendance = Attendance(5, 4, 3)
    closing = board.close(attendance)
    assert closing == {
        "count": 3,
        "head": head.hex(),
        "hash": closing_hash(head, 3, attendance).hex(),
    }
    assert closing_hash(head, 3, Attendance(5, 4, 4)) != closing_hash(head, 3, attendance)


@settings(max_examples=6, deadline=None)
@given(data=st.data())
def test_random_ballots_verify(data: st.DataObject, election: Election) -> None:
    choices = data.draw(st.lists(st.one_of(st.none(), st.integers(0, 2)), min_size=2, max_size=2))
    checked = verify_ballot(election.ctx, encrypt_ballot(election.ctx, choices))
    assert len(checked.point_encodings()) == 12


def test_canonical_bytes_follow_the_protocol_layout(election: Election) -> None:
    ctx = election.ctx
    doc = encrypt_ballot(ctx, [0, None])
    checked = verify_ballot(ctx, doc)
    cell = doc["rows"][0]["cts"][0]
    head = b"ballot/v1/ballot\x00" + ctx.fp + (2).to_bytes(4, "big") + (3).to_bytes(4, "big")
    first = bytes.fromhex(cell["a"] + cell["b"] + "".join(cell["proof"]))
    assert checked.canonical.startswith(head + first)
    assert len(checked.canonical) == len(head) + 2 * (3 * (64 + 4 * 32) + 4 * 32)
    assert checked.canonical.endswith(bytes.fromhex("".join(doc["rows"][1]["row_proof"])))
