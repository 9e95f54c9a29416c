"""Dealer-free t-of-n key ceremony (Pedersen/Feldman DKG), protocol section 6.

Every member x runs on their own device:
  1. `start_member`  -> secret state + a "dkg/commit" message (Feldman commitments to a
     random polynomial f_x of degree t−1, a Schnorr proof of knowledge of f_x(0), and a
     ceremony key E_x for receiving shares);
  2. `deal_shares`   -> one "dkg/share" message per other member y: f_x(y) encrypted to E_y;
  3. `finish_member` -> checks every received share against its dealer's commitments
     (raising BadDealer naming the dealer) and returns the member's key s_y = Σ_x f_x(y)
     with a "dkg/done" message confirming the transcript, K and V_y.
The server only relays these JSON messages; it never sees a share in the clear.

The steps live in their own modules, and every name is importable from here: the ceremony id,
the t-of-n rule and step 1 in `dkg_commits`, the sealed shares in `dkg_shares`, complaints in
`dkg_complaints`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .dkg_commits import (
    MAX_TRUSTEES,
    POK_TAG,
    TRANSCRIPT_TAG,
    DealerCommit,
    MemberSecret,
    ceremony_id,
    check_commit,
    check_commits,
    int_field,
    minimum_threshold,
    public_keys,
    start_member,
    threshold_allowed,
    transcript_hash,
)
from .dkg_complaints import ECDH_TAG, judge_complaint, make_complaint
from .dkg_shares import (
    ECIES_TAG,
    SHARE_AAD_TAG,
    decrypt_share,
    encrypt_share,
    parse_share_message,
    share_route,
)
from .errors import BadDealer, EncodingError
from .group import Point, Scalar
from .proofs import Rng

__all__ = [
    "ECDH_TAG",
    "ECIES_TAG",
    "MAX_TRUSTEES",
    "POK_TAG",
    "SHARE_AAD_TAG",
    "TRANSCRIPT_TAG",
    "DealerCommit",
    "MemberKey",
    "MemberSecret",
    "ceremony_id",
    "check_commit",
    "check_commits",
    "check_done",
    "deal_shares",
    "encrypt_share",
    "finish_member",
    "judge_complaint",
    "make_complaint",
    "minimum_threshold",
    "open_share",
    "public_keys",
    "run_ceremony",
    "share_route",
    "start_member",
    "threshold_allowed",
    "transcript_hash",
]


def deal_shares(
    secret: MemberSecret, commits: Sequence[DealerCommit], rng: Rng = Scalar.random
) -> list[dict[str, Any]]:
    """Step 2: a share message for every other member, in index order (draws one u each)."""
    return [
        encrypt_share(
            secret.cid, secret.index, d.index, d.ceremony_key, secret.share_for(d.index), rng()
        )
        for d in commits
        if d.index != secret.index
    ]


def check_done(cid: bytes, commits: Sequence[DealerCommit], msg: object) -> int:
    """Check a "dkg/done" message against the checked commits: same transcript, K and
    the sender's V_y. Returns the sender; raises BadDealer naming it otherwise."""
    keys = {"type", "ceremony_id", "from", "transcript", "public_key", "verification_key"}
    if not isinstance(msg, dict) or set(msg) != keys or msg["type"] != "dkg/done":
        raise EncodingError("not a dkg/done message", "không phải thông điệp dkg/done")
    y = int_field(msg, "from", 1, len(commits))
    public_key, verification_keys = public_keys(commits)
    expected = {
        "ceremony_id": cid.hex(),
        "transcript": transcript_hash(cid, commits).hex(),
        "public_key": public_key.hex(),
        "verification_key": verification_keys[y - 1].hex(),
    }
    if any(msg[k] != v for k, v in expected.items()):
        raise BadDealer(
            y,
            "confirms another transcript or other keys",
            "xác nhận một biên bản lễ tạo khóa hoặc khóa khác",
        )
    return y


def open_share(secret: MemberSecret, dealer: DealerCommit, msg: object) -> Scalar:
    """Decrypt the share `dealer` sent to this member and check it against the dealer's
    Feldman commitments. Raises BadDealer(dealer.index) if anything is wrong."""
    x, y, u_point, sealed = parse_share_message(secret.cid, secret.size, msg)
    if x != dealer.index or y != secret.index:
        raise BadDealer(dealer.index, "share is addressed wrongly", "phần khóa gửi sai địa chỉ")
    me = Point.base_times(secret.ceremony_secret)
    share = decrypt_share(secret.cid, x, y, me, u_point, sealed, secret.ceremony_secret * u_point)
    if Point.base_times(share) != dealer.expected_share_point(y):
        raise BadDealer(
            x,
            "share does not match the published commitments",
            "phần khóa không khớp với các cam kết đã công bố",
        )
    return share


@dataclass(frozen=True, slots=True)
class MemberKey:
    """Result of the ceremony for member x: the secret share s_x and V_x = s_x·B."""

    cid: bytes
    index: int
    share: Scalar
    verification_key: Point


def finish_member(
    secret: MemberSecret, commits: Sequence[DealerCommit], share_messages: Sequence[object]
) -> tuple[MemberKey, dict[str, Any]]:
    """Step 3: check the n−1 received shares, sum them with f_x(x), and return the member's
    key and its "dkg/done" message. Raises BadDealer naming the first bad dealer."""
    by_dealer: dict[int, object] = {}
    for msg in share_messages:
        x, y, _, _ = parse_share_message(secret.cid, secret.size, msg)
        if y == secret.index:
            by_dealer[x] = msg
    total = secret.share_for(secret.index)
    for dealer in commits:
        if dealer.index == secret.index:
            continue
        if dealer.index not in by_dealer:
            raise BadDealer(dealer.index, "no share received", "không nhận được phần khóa")
        total = total + open_share(secret, dealer, by_dealer[dealer.index])
    public_key, verification_keys = public_keys(commits)
    verification_key = verification_keys[secret.index - 1]
    if Point.base_times(total) != verification_key:
        raise ValueError("sum of checked shares disagrees with V_x")  # cannot happen
    key = MemberKey(secret.cid, secret.index, total, verification_key)
    done = {
        "type": "dkg/done",
        "ceremony_id": secret.cid.hex(),
        "from": secret.index,
        "transcript": transcript_hash(secret.cid, commits).hex(),
        "public_key": public_key.hex(),
        "verification_key": verification_key.hex(),
    }
    return key, done


def run_ceremony(
    cid: bytes, threshold: int, size: int, rng: Rng = Scalar.random
) -> tuple[list[dict[str, Any]], list[MemberKey]]:
    """All members' devices in one process (simulation and tests): returns the commit
    messages and every member's key."""
    started = [start_member(cid, x, threshold, size, rng) for x in range(1, size + 1)]
    messages = [msg for _, msg in started]
    commits = check_commits(cid, threshold, size, messages)
    mailbox = [m for secret, _ in started for m in deal_shares(secret, commits, rng)]
    keys = [finish_member(secret, commits, mailbox)[0] for secret, _ in started]
    return messages, keys
