"""Complaints in the key ceremony (protocol section 6): who is lying, the dealer or the
complainer? A member who receives a bad share publishes the ECDH point of that one message
with a proof that it is correct; anyone can then open the share and judge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .dkg_commits import DealerCommit, MemberSecret, int_field
from .dkg_shares import decrypt_share, parse_share_message
from .errors import BadDealer, EncodingError
from .group import Point, Scalar, u32
from .proofs import EqProof, Rng

ECDH_TAG = b"ballot/v1/ecdh\x00"


def _ecdh_challenge(
    cid: bytes, x: int, y: int, e_y: Point, u_point: Point, s: Point, a: Point, c: Point
) -> Scalar:
    return Scalar.from_hash(
        ECDH_TAG + cid + u32(x) + u32(y) + b"".join(p.to_bytes() for p in (e_y, u_point, s, a, c))
    )


def make_complaint(
    secret: MemberSecret, share_msg: dict[str, Any], rng: Rng = Scalar.random
) -> dict[str, Any]:
    """A public "dkg/complaint" against the dealer of `share_msg`: reveals the ECDH point
    S = e_y·U of that one message with a proof that it is correct, so anyone can decrypt
    that share and judge (this member's other shares stay secret)."""
    x, y, u_point, _ = parse_share_message(secret.cid, secret.size, share_msg)
    e_y = Point.base_times(secret.ceremony_secret)
    s = secret.ceremony_secret * u_point
    w = rng()
    c = _ecdh_challenge(secret.cid, x, y, e_y, u_point, s, Point.base_times(w), w * u_point)
    proof = EqProof(c, w + c * secret.ceremony_secret)
    return {
        "type": "dkg/complaint",
        "ceremony_id": secret.cid.hex(),
        "from": y,
        "against": x,
        "shared_point": s.hex(),
        "proof": proof.to_json(),
    }


def judge_complaint(
    cid: bytes,
    commits: Sequence[DealerCommit],
    share_msg: object,
    complaint: dict[str, Any],
) -> int:
    """Return the index of the member at fault: the dealer if the revealed share is bad,
    the complainer if the complaint is unfounded or its proof fails."""
    size = len(commits)
    x, y, u_point, sealed = parse_share_message(cid, size, share_msg)
    complainer = int_field(complaint, "from", 1, size)
    if (
        complainer != y
        or complaint.get("against") != x
        or complaint.get("ceremony_id") != cid.hex()
    ):
        return complainer
    e_y = commits[y - 1].ceremony_key
    try:
        s = Point.from_hex(complaint.get("shared_point"))
        proof = EqProof.from_json(complaint.get("proof"))
    except EncodingError:
        return complainer
    a = Point.base_times(proof.z) - proof.c * e_y
    c = proof.z * u_point - proof.c * s
    if _ecdh_challenge(cid, x, y, e_y, u_point, s, a, c) != proof.c:
        return complainer
    try:
        share = decrypt_share(cid, x, y, e_y, u_point, sealed, s)
    except BadDealer:
        return x
    if Point.base_times(share) != commits[x - 1].expected_share_point(y):
        return x
    return complainer
