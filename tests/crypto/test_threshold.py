"""Issue 14.1: t = 1 (or t = n/2) is refused at every layer of the crypto library.

The attack: with t = 1 a single counting member decrypts a single ballot from the board.
An attacker's server skips our checks to make such a vote; the tests below make one the
same way (the checks patched out while it is built) and show that the ceremony, the
manifest check and `ballot verify` each refuse it once the checks are back.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ballot.crypto import dkg, dkg_commits, manifest
from ballot.crypto.ballot import encrypt_ballot, verify_ballot
from ballot.crypto.encoding import canonical_json, h256
from ballot.crypto.errors import EncodingError
from ballot.crypto.record import verify_record
from ballot.crypto.simulate import simulate
from ballot.crypto.tally import aggregate, partial_decrypt, tally


def _unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """What an attacker's copy of the code does: allow any 1 <= t <= n."""
    allow = lambda t, n: 1 <= t <= n <= dkg.MAX_TRUSTEES  # noqa: E731
    # where the ceremony's steps look them up (dkg re-exports them)
    monkeypatch.setattr(dkg_commits, "threshold_allowed", allow)
    monkeypatch.setattr(dkg_commits, "minimum_threshold", lambda n: 1)
    monkeypatch.setattr(manifest, "minimum_threshold", lambda n: 1)


@pytest.fixture(scope="module")
def weak_record() -> dict[str, Any]:
    """A complete record of a 1-of-3 vote made without the checks: one member decrypted."""
    with pytest.MonkeyPatch.context() as mp:
        _unchecked(mp)
        sim = simulate(voters=1, subjects=2, levels=3, threshold=1, trustees=3, seed="t1")
        assert sim.record["manifest"]["threshold"] == 1
        assert len(sim.record["decryption"]) == 1  # one member alone
        assert verify_record(sim.record).ok  # the old verifier's view
        return sim.record


def test_without_the_rule_one_member_alone_reads_a_single_ballot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The attack itself, to show what the rule prevents."""
    _unchecked(monkeypatch)
    names = ["A", "B", "C"]
    messages, keys = dkg.run_ceremony(dkg.ceremony_id("T1", 1, names), 1, 3)
    m = manifest.build_manifest(
        vote_id="T1", title="t = 1", conference="", subjects=[("X", "Y")],
        levels=[("a", "A"), ("b", "B")], rules={"quorum": [1, 2], "thresholds": {},
        "blank_row_allowed": True}, trustees=names, threshold=1, commit_messages=messages,
    )  # fmt: skip
    ctx = manifest.context_from_manifest(m)
    victim = verify_ballot(ctx, encrypt_ballot(ctx, [1])).ciphertexts
    grid = aggregate(ctx, [victim])
    alone = partial_decrypt(ctx, keys[2], grid)
    assert tally(ctx, grid, [alone], 1).counts == [[0, 1]]  # member 3 read the vote


@pytest.mark.parametrize(("t", "n"), [(1, 1), (1, 2), (1, 3), (2, 4), (3, 6), (0, 3), (4, 3)])
def test_the_ceremony_refuses_t_below_two_or_at_most_half(t: int, n: int) -> None:
    assert not dkg.threshold_allowed(t, n)
    cid = dkg.ceremony_id("T", t, [str(x) for x in range(n)])
    with pytest.raises(ValueError, match="t >= 2, t > n/2"):
        dkg.start_member(cid, 1, t, n)
    with pytest.raises(EncodingError, match="t >= 2 and t > n/2"):
        dkg.check_commits(cid, t, n, [])


@pytest.mark.parametrize(("t", "n"), [(2, 2), (2, 3), (3, 3), (3, 4), (3, 5), (5, 9), (33, 64)])
def test_allowed_thresholds(t: int, n: int) -> None:
    assert dkg.threshold_allowed(t, n) and dkg.minimum_threshold(n) <= t


def test_the_manifest_check_refuses_a_one_of_three_manifest(weak_record: dict[str, Any]) -> None:
    with pytest.raises(EncodingError, match=r"t >= 2 and t > n/2, here 2 to 3 of 3"):
        manifest.context_from_manifest(weak_record["manifest"])


def test_the_verifier_refuses_the_one_of_three_record(weak_record: dict[str, Any]) -> None:
    failure = verify_record(weak_record).failure
    assert failure is not None and failure.step == 2
    assert "t >= 2 and t > n/2" in failure.detail_en and "t >= 2 và t > n/2" in failure.detail_vi


def test_the_verifier_refuses_t_equal_to_half_of_n() -> None:
    """2 of 4: two disjoint pairs could each decrypt. Changing t alone breaks the ceremony
    id, so the record is made whole without the checks, as above."""
    with pytest.MonkeyPatch.context() as mp:
        _unchecked(mp)
        record = simulate(voters=1, subjects=1, levels=3, threshold=2, trustees=4, seed="half")
        assert verify_record(record.record).ok
    failure = verify_record(record.record).failure
    assert failure is not None and failure.step == 2 and "3 to 4 of 4" in failure.detail_en


def test_a_threshold_given_as_true_or_text_is_refused(weak_record: dict[str, Any]) -> None:
    for value in (True, "2", 2.0, None):
        forged = copy.deepcopy(weak_record)
        forged["manifest"]["threshold"] = value
        forged["fingerprint"] = (
            h256(canonical_json(forged["manifest"])).hex() if value != 2.0 else ""
        )
        failure = verify_record(forged).failure
        assert failure is not None and failure.step == 2, value
