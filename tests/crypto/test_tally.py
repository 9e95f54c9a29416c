"""The homomorphic tally: any t valid shares give the plaintext counts."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ballot.crypto.ballot import encrypt_ballot, verify_ballot
from ballot.crypto.errors import InvalidShare, NotEnoughShares
from ballot.crypto.tally import Grid, aggregate, partial_decrypt, tally, verify_share

from .conftest import Election, make_election


@st.composite
def elections(draw: st.DrawFn) -> tuple[int, int, int, int, list[list[int | None]], list[int]]:
    subjects, levels = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    n = draw(st.integers(2, 4))
    t = draw(st.integers(max(2, n // 2 + 1), n))  # t >= 2 and t > n/2
    row = st.one_of(st.none(), st.integers(0, levels - 1))
    votes = draw(st.lists(st.lists(row, min_size=subjects, max_size=subjects), max_size=4))
    subset = draw(st.lists(st.integers(1, n), min_size=t, max_size=t, unique=True))
    return subjects, levels, t, n, votes, subset


@settings(max_examples=10, deadline=None)
@given(elections())
def test_decrypted_tally_equals_the_plaintext_count(
    case: tuple[int, int, int, int, list[list[int | None]], list[int]],
) -> None:
    subjects, levels, t, n, votes, subset = case
    election = make_election(subjects, levels, t, n)
    ctx = election.ctx
    ballots = [verify_ballot(ctx, encrypt_ballot(ctx, v)).ciphertexts for v in votes]
    grid = aggregate(ctx, ballots)
    shares = [partial_decrypt(ctx, election.keys[x - 1], grid) for x in subset]
    result = tally(ctx, grid, shares, len(votes))
    expected = [
        [sum(1 for v in votes if v[i] == k) for k in range(levels)] for i in range(subjects)
    ]
    assert result.counts == expected
    assert result.used == sorted(subset) and not result.rejected


def _setup(election: Election) -> tuple[list[list[int | None]], list[dict[str, Any]], Grid]:
    ctx = election.ctx
    votes: list[list[int | None]] = [[0, 1], [0, None], [2, 1]]
    grid = aggregate(ctx, [verify_ballot(ctx, encrypt_ballot(ctx, v)).ciphertexts for v in votes])
    shares = [partial_decrypt(ctx, k, grid) for k in election.keys]
    return votes, shares, grid


def test_an_invalid_share_is_named_and_the_others_still_decrypt(election: Election) -> None:
    ctx = election.ctx
    votes, shares, grid = _setup(election)
    bad = copy.deepcopy(shares[0])
    bad["parts"][1][2]["d"] = shares[1]["parts"][1][2][
        "d"
    ]  # member 2's value under member 1's name
    with pytest.raises(InvalidShare) as info:
        verify_share(ctx, grid, bad)
    assert info.value.member == 1
    result = tally(ctx, grid, [bad, shares[1], shares[2]], len(votes))
    assert result.counts == [[2, 0, 1], [0, 2, 0]]
    assert result.used == [2, 3]
    assert [e.member for e in result.rejected if isinstance(e, InvalidShare)] == [1]


def test_a_share_made_for_a_subset_aggregate_is_refused(election: Election) -> None:
    ctx = election.ctx
    votes, shares, grid = _setup(election)
    partial = aggregate(ctx, [verify_ballot(ctx, encrypt_ballot(ctx, [0, 1])).ciphertexts])
    subset_share = partial_decrypt(ctx, election.keys[0], partial)
    with pytest.raises(InvalidShare):
        verify_share(ctx, grid, subset_share)


def test_too_few_valid_shares_is_an_error(election: Election) -> None:
    ctx = election.ctx
    votes, shares, grid = _setup(election)
    with pytest.raises(NotEnoughShares):
        tally(ctx, grid, shares[:1], len(votes))
    # the same member twice does not count twice
    with pytest.raises(NotEnoughShares):
        tally(ctx, grid, [shares[0], copy.deepcopy(shares[0])], len(votes))


def test_a_share_from_an_unknown_member_is_rejected(election: Election) -> None:
    ctx = election.ctx
    votes, shares, grid = _setup(election)
    stranger = dict(shares[0], index=9)
    result = tally(ctx, grid, [stranger, shares[1], shares[2]], len(votes))
    assert result.used == [2, 3] and len(result.rejected) == 1
