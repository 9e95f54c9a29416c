"""A ballot the process has passed is not checked again (ballot.crypto.seen): only the same
bytes for the same election are skipped; an edited ballot, another election's rules, a
ballot with a non-JSON type and a refused ballot are all checked in full, every time."""

from __future__ import annotations

import contextlib
import copy
from dataclasses import replace
from typing import Any

import pytest

from ballot.crypto import ballot as confidence
from ballot.crypto import election as elections
from ballot.crypto.ballot import encrypt_ballot, verify_ballot
from ballot.crypto.election import encrypt_election_ballot, parse_ballot, verify_election_ballot
from ballot.crypto.election_entry import check_entry
from ballot.crypto.errors import InvalidBallot
from ballot.crypto.seen import Seen, document_digest

from .conftest import Election
from .test_election import CTX, SHAPE


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Empty memories, and a count of the full checks each kind of ballot gets."""
    confidence.SEEN.clear()
    elections.SEEN.clear()
    calls = {"confidence": 0, "election": 0}
    full_confidence, full_election = confidence._verify_ballot, elections.verify_parsed

    def count_confidence(*args: Any) -> Any:
        calls["confidence"] += 1
        return full_confidence(*args)

    def count_election(*args: Any) -> Any:
        calls["election"] += 1
        return full_election(*args)

    monkeypatch.setattr(confidence, "_verify_ballot", count_confidence)
    monkeypatch.setattr(elections, "verify_parsed", count_election)
    return calls


def _flip(hex_text: str) -> str:
    """The same hex string with its last digit changed."""
    return hex_text[:-1] + ("0" if hex_text[-1] != "0" else "1")


def test_a_confidence_ballot_passed_once_is_not_checked_again(
    election: Election, counted: dict[str, int]
) -> None:
    doc = encrypt_ballot(election.ctx, [0, 2])
    first = verify_ballot(election.ctx, doc)
    again = copy.deepcopy(doc)  # the same bytes, another object (as read from the board)
    second = verify_ballot(election.ctx, again)
    assert counted["confidence"] == 1
    assert second.tracker == first.tracker and second.ciphertexts == first.ciphertexts
    assert second.doc is again  # the caller's own document, never the remembered one


def test_an_edited_confidence_ballot_is_checked_again_and_refused(
    election: Election, counted: dict[str, int]
) -> None:
    doc = encrypt_ballot(election.ctx, [1, 1])
    verify_ballot(election.ctx, doc)
    edited = copy.deepcopy(doc)
    cell = edited["rows"][0]["cts"][0]
    cell["proof"][-1] = _flip(cell["proof"][-1])
    for _ in range(2):  # a refusal is not remembered: checked in full each time
        with pytest.raises(InvalidBallot):
            verify_ballot(election.ctx, edited)
    assert counted["confidence"] == 3


def test_a_tuple_where_a_list_belongs_is_still_refused(
    election: Election, counted: dict[str, int]
) -> None:
    """Its JSON is the same text as the passed ballot's, so it is never looked up."""
    doc = encrypt_ballot(election.ctx, [0, 1])
    verify_ballot(election.ctx, doc)
    as_tuple = dict(doc, rows=tuple(doc["rows"]))
    assert document_digest(as_tuple) is None
    with pytest.raises(InvalidBallot):
        verify_ballot(election.ctx, as_tuple)
    assert counted["confidence"] == 2


def test_other_rules_under_the_same_fingerprint_check_again(
    election: Election, counted: dict[str, int]
) -> None:
    doc = encrypt_ballot(election.ctx, [0, 0])
    verify_ballot(election.ctx, doc)
    strict = replace(election.ctx, blank_row_allowed=not election.ctx.blank_row_allowed)
    with contextlib.suppress(InvalidBallot):  # whichever the outcome, from a full check
        verify_ballot(strict, doc)
    assert counted["confidence"] == 2


def test_an_election_ballot_is_known_by_its_tracker(counted: dict[str, int]) -> None:
    doc = encrypt_election_ballot(CTX, SHAPE, [True, False, True, False, False])
    parsed, cts = verify_election_ballot(CTX, SHAPE, doc)
    entry = {"seq": 1, "tracker": parsed.tracker.hex(), "chain": "", "ballot": doc}
    outcome = check_entry(CTX, SHAPE, 1, entry)
    assert not isinstance(outcome, Exception) and outcome[2] == cts
    assert counted["election"] == 1
    edited = copy.deepcopy(doc)
    edited["cts"][2]["proof"][4] = _flip(edited["cts"][2]["proof"][4])
    assert parse_ballot(CTX, SHAPE, edited).tracker != parsed.tracker
    with pytest.raises(InvalidBallot):
        verify_election_ballot(CTX, SHAPE, edited)
    wider = replace(SHAPE, seats=SHAPE.seats + 1)
    with pytest.raises(InvalidBallot):  # another shape: checked in full, and its range fails
        verify_election_ballot(CTX, wider, doc)
    assert counted["election"] == 3


def test_the_digest_tells_json_types_apart() -> None:
    assert document_digest({"a": True}) != document_digest({"a": 1})
    assert document_digest({"a": [1]}) != document_digest({"a": ["1"]})
    assert document_digest({"a": 1.0}) is None and document_digest({1: "a"}) is None
    assert document_digest({"a": [1, None, "x"]}) == document_digest({"a": [1, None, "x"]})


def test_the_memory_is_bounded() -> None:
    seen: Seen[int] = Seen(capacity=2)
    seen.put("a", 1)
    seen.put("b", 2)
    assert seen.get("a") == 1  # a is now the most recently used
    seen.put("c", 3)
    assert seen.get("b") is None and seen.get("a") == 1 and seen.get("c") == 3
    assert len(seen) == 2 and seen.get(None) is None
