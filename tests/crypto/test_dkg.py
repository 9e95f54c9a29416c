"""The dealer-free key ceremony: any t members decrypt, a bad dealer is named."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ballot.crypto import dkg
from ballot.crypto.errors import BadDealer
from ballot.crypto.group import B, Point, Scalar
from ballot.crypto.tally import lagrange_at_zero

CID = dkg.ceremony_id("DKG-TEST", 2, ["A", "B", "C"])


def _start(
    t: int = 2, n: int = 3, cid: bytes = CID
) -> tuple[list[dkg.MemberSecret], list[dict[str, Any]]]:
    started = [dkg.start_member(cid, x, t, n) for x in range(1, n + 1)]
    return [s for s, _ in started], [m for _, m in started]


@settings(max_examples=8, deadline=None)
@given(
    st.integers(2, 5).flatmap(lambda n: st.tuples(st.integers(max(2, n // 2 + 1), n), st.just(n)))
)
def test_any_t_shares_interpolate_to_the_election_secret(tn: tuple[int, int]) -> None:
    t, n = tn
    cid = dkg.ceremony_id("P", t, [str(x) for x in range(n)])
    messages, keys = dkg.run_ceremony(cid, t, n)
    commits = dkg.check_commits(cid, t, n, messages)
    public_key, vkeys = dkg.public_keys(commits)
    for key in keys:
        assert Point.base_times(key.share) == key.verification_key == vkeys[key.index - 1]
    for subset in itertools.combinations(keys, t):
        lambdas = lagrange_at_zero([k.index for k in subset])
        secret = Scalar(0)
        for k in subset:
            secret = secret + lambdas[k.index] * k.share
        assert Point.base_times(secret) == public_key
    if t > 1:  # t − 1 shares interpolate to something else
        subset = tuple(keys[: t - 1])
        lambdas = lagrange_at_zero([k.index for k in subset])
        partial = Scalar(0)
        for k in subset:
            partial = partial + lambdas[k.index] * k.share
        assert Point.base_times(partial) != public_key


def test_done_messages_agree() -> None:
    secrets, messages = _start()
    commits = dkg.check_commits(CID, 2, 3, messages)
    mailbox = [m for s in secrets for m in dkg.deal_shares(s, commits)]
    dones = [dkg.finish_member(s, commits, mailbox)[1] for s in secrets]
    assert len({(d["transcript"], d["public_key"]) for d in dones}) == 1
    assert [d["from"] for d in dones] == [1, 2, 3]


def test_tampered_commitment_fails_the_proof_of_knowledge() -> None:
    _, messages = _start()
    bad = copy.deepcopy(messages[1])
    bad["commitments"][0] = B.hex()
    with pytest.raises(BadDealer) as info:
        dkg.check_commit(CID, 2, 3, bad)
    assert info.value.dealer == 2


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m.update(ceremony_id="00" * 32),
        lambda m: m.update(ceremony_key="01" + "00" * 31),
        lambda m: m["commitments"].pop(),
        lambda m: m["pok"].reverse(),
        lambda m: m.update(commitments=[m["commitments"][0], "ec" + "ff" * 30 + "7f"]),
    ],
)
def test_malformed_commit_names_its_sender(change: Any) -> None:
    _, messages = _start()
    bad = copy.deepcopy(messages[2])
    change(bad)
    with pytest.raises(BadDealer) as info:
        dkg.check_commit(CID, 2, 3, bad)
    assert info.value.dealer == 3


def test_rogue_key_without_knowledge_is_refused() -> None:
    # member 3 tries to force K = its chosen point by cancelling the others' constants
    _, messages = _start()
    commits = [dkg.check_commit(CID, 2, 3, m) for m in messages[:2]]
    target = Point.base_times(Scalar(42))
    rogue = target - commits[0].commitments[0] - commits[1].commitments[0]
    bad = copy.deepcopy(messages[2])
    bad["commitments"][0] = rogue.hex()
    with pytest.raises(BadDealer):
        dkg.check_commit(CID, 2, 3, bad)


def _deal_with_bad_share(
    bad_dealer: int,
) -> tuple[list[dkg.MemberSecret], list[dkg.DealerCommit], list[dict[str, Any]]]:
    secrets, messages = _start()
    commits = dkg.check_commits(CID, 2, 3, messages)
    mailbox = []
    for s in secrets:
        for msg in dkg.deal_shares(s, commits):
            if s.index == bad_dealer and msg["to"] == 1:
                # a share encrypted correctly but not matching the commitments
                msg = dkg.encrypt_share(
                    CID,
                    s.index,
                    1,
                    commits[0].ceremony_key,
                    s.share_for(1) + Scalar(1),
                    Scalar.random(),
                )
            mailbox.append(msg)
    return secrets, commits, mailbox


def test_a_share_that_does_not_match_the_commitments_names_the_dealer() -> None:
    secrets, commits, mailbox = _deal_with_bad_share(bad_dealer=3)
    with pytest.raises(BadDealer) as info:
        dkg.finish_member(secrets[0], commits, mailbox)
    assert info.value.dealer == 3
    dkg.finish_member(secrets[1], commits, mailbox)  # member 2 got good shares


def test_a_corrupted_ciphertext_or_missing_share_names_the_dealer() -> None:
    secrets, messages = _start()
    commits = dkg.check_commits(CID, 2, 3, messages)
    mailbox = [m for s in secrets for m in dkg.deal_shares(s, commits)]
    corrupted = copy.deepcopy(mailbox)
    target = next(m for m in corrupted if m["from"] == 2 and m["to"] == 3)
    target["ciphertext"] = ("0" if target["ciphertext"][0] != "0" else "1") + target["ciphertext"][
        1:
    ]
    with pytest.raises(BadDealer) as info:
        dkg.finish_member(secrets[2], commits, corrupted)
    assert info.value.dealer == 2
    missing = [m for m in mailbox if not (m["from"] == 1 and m["to"] == 3)]
    with pytest.raises(BadDealer) as info:
        dkg.finish_member(secrets[2], commits, missing)
    assert info.value.dealer == 1


def test_a_share_cannot_be_read_by_another_member() -> None:
    secrets, messages = _start()
    commits = dkg.check_commits(CID, 2, 3, messages)
    to_two = next(m for m in dkg.deal_shares(secrets[0], commits) if m["to"] == 2)
    with pytest.raises(BadDealer):
        dkg.open_share(secrets[2], commits[0], to_two | {"to": 3})


def test_complaints_name_whoever_is_at_fault() -> None:
    secrets, commits, mailbox = _deal_with_bad_share(bad_dealer=2)
    bad = next(m for m in mailbox if m["from"] == 2 and m["to"] == 1)
    complaint = dkg.make_complaint(secrets[0], bad)
    assert dkg.judge_complaint(CID, commits, bad, complaint) == 2
    good = next(m for m in mailbox if m["from"] == 3 and m["to"] == 1)
    unfounded = dkg.make_complaint(secrets[0], good)
    assert dkg.judge_complaint(CID, commits, good, unfounded) == 1
    lying = dict(complaint, shared_point=B.hex())  # reveals a wrong point
    assert dkg.judge_complaint(CID, commits, bad, lying) == 1


def test_server_side_helpers_route_shares_and_check_confirmations() -> None:
    secrets, messages = _start()
    commits = dkg.check_commits(CID, 2, 3, messages)
    mailbox = [m for s in secrets for m in dkg.deal_shares(s, commits)]
    assert sorted(dkg.share_route(CID, 3, m) for m in mailbox) == [
        (1, 2), (1, 3), (2, 1), (2, 3), (3, 1), (3, 2)
    ]  # fmt: skip
    with pytest.raises(BadDealer):
        dkg.share_route(CID, 3, mailbox[0] | {"to": mailbox[0]["from"]})
    done = dkg.finish_member(secrets[1], commits, mailbox)[1]
    assert dkg.check_done(CID, commits, done) == 2
    with pytest.raises(BadDealer) as info:
        dkg.check_done(CID, commits, done | {"verification_key": commits[0].commitments[0].hex()})
    assert info.value.dealer == 2


@pytest.mark.parametrize("position", [0, 1])
def test_altered_proof_of_knowledge_is_refused(position: int) -> None:
    _, messages = _start()
    bad = copy.deepcopy(messages[0])
    value = Scalar.from_hex(bad["pok"][position]) + Scalar(1)
    bad["pok"][position] = value.hex()
    with pytest.raises(BadDealer):
        dkg.check_commit(CID, 2, 3, bad)
