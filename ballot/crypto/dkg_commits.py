"""The key ceremony's first step (protocol section 6): the ceremony id, the t-of-n rule, each
member's secret polynomial with its Feldman commitments and proof of knowledge of f_x(0), the
check of every "dkg/commit" message, and what the checked commits give: the public key K, the
verification keys V_y and the transcript hash. See `dkg.py` for the whole ceremony.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .encoding import canonical_json, h256, nfc
from .errors import BadDealer, EncodingError
from .group import IDENTITY, B, Point, Scalar, u32
from .proofs import EqProof, Rng

POK_TAG = b"ballot/v1/pok\x00"
TRANSCRIPT_TAG = b"ballot/v1/transcript\x00"
MAX_TRUSTEES = 64


def ceremony_id(vote_id: str, threshold: int, trustee_names: Sequence[str]) -> bytes:
    """cid = H256(canonical_json({"version": 1, "vote_id", "threshold", "trustees":
    [{"index", "name"}...]})): binds every ceremony message to one vote and committee.
    The server's names are put in NFC here (as the manifest builder does); a manifest read
    from outside with other forms is refused by its fingerprint check before this."""
    return h256(
        canonical_json(
            nfc(
                {
                    "version": 1,
                    "vote_id": vote_id,
                    "threshold": threshold,
                    "trustees": [
                        {"index": x, "name": name} for x, name in enumerate(trustee_names, start=1)
                    ],
                }
            )
        )
    )


def minimum_threshold(n: int) -> int:
    """The least t allowed for n counting members: t ≥ 2 (no member ever decrypts alone)
    and t > n/2 (no two disjoint groups of the committee can each decrypt)."""
    return max(2, n // 2 + 1)


def threshold_allowed(t: int, n: int) -> bool:
    """t of n is allowed: 2 ≤ n ≤ 64 and minimum_threshold(n) ≤ t ≤ n (protocol §6)."""
    return 2 <= n <= MAX_TRUSTEES and minimum_threshold(n) <= t <= n


def check_params(t: int, n: int) -> None:
    """Raise ValueError unless t of n is allowed (`threshold_allowed`)."""
    if not threshold_allowed(t, n):
        raise ValueError(
            f"{t} of {n} refused: need 2 <= n <= {MAX_TRUSTEES}, t >= 2, t > n/2 and t <= n"
        )


@dataclass(frozen=True, slots=True)
class MemberSecret:
    """What member x's device keeps during the ceremony (never leaves the device)."""

    cid: bytes
    index: int
    threshold: int
    size: int
    ceremony_secret: Scalar
    coefficients: tuple[Scalar, ...]

    def share_for(self, y: int) -> Scalar:
        """f_x(y) by Horner's rule."""
        acc = 0
        for coefficient in reversed(self.coefficients):
            acc = acc * y + coefficient.value
        return Scalar(acc)


@dataclass(frozen=True, slots=True)
class DealerCommit:
    """A checked "dkg/commit" message."""

    index: int
    ceremony_key: Point
    commitments: tuple[Point, ...]
    pok: EqProof

    def expected_share_point(self, y: int) -> Point:
        """Σ_k y^k·C_k, which must equal f_x(y)·B."""
        total = IDENTITY
        power = Scalar(1)
        for commitment in self.commitments:
            total = total + power * commitment
            power = power * Scalar(y)
        return total


def _pok_challenge(
    cid: bytes, x: int, t: int, n: int, e_point: Point, commitments: Sequence[Point], r: Point
) -> Scalar:
    data = POK_TAG + cid + u32(x) + u32(t) + u32(n) + e_point.to_bytes()
    data += b"".join(c.to_bytes() for c in commitments) + r.to_bytes()
    return Scalar.from_hash(data)


def start_member(
    cid: bytes, index: int, threshold: int, size: int, rng: Rng = Scalar.random
) -> tuple[MemberSecret, dict[str, Any]]:
    """Step 1 for member `index`. Draws e_x, then a_{x,0..t−1}, then the proof's w."""
    check_params(threshold, size)
    if not 1 <= index <= size:
        raise ValueError("member index out of range")
    e = rng()
    coefficients = tuple(rng() for _ in range(threshold))
    e_point = Point.base_times(e)
    commitments = [Point.base_times(a) for a in coefficients]
    w = rng()
    c = _pok_challenge(cid, index, threshold, size, e_point, commitments, Point.base_times(w))
    pok = EqProof(c, w + c * coefficients[0])
    secret = MemberSecret(cid, index, threshold, size, e, coefficients)
    message = {
        "type": "dkg/commit",
        "ceremony_id": cid.hex(),
        "from": index,
        "ceremony_key": e_point.hex(),
        "commitments": [p.hex() for p in commitments],
        "pok": pok.to_json(),
    }
    return secret, message


def int_field(msg: dict[str, Any], name: str, low: int, high: int) -> int:
    """The integer field `name` of a ceremony message, in [low, high] (EncodingError otherwise)."""
    value = msg.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise EncodingError(f"field {name!r} out of range", f"trường {name!r} ngoài phạm vi")
    return value


def check_commit(cid: bytes, threshold: int, size: int, msg: object) -> DealerCommit:
    """Validate a "dkg/commit" message: shape, ceremony id, points, proof of knowledge.
    Raises BadDealer naming the sender (or EncodingError if the sender is unreadable)."""
    keys = {"type", "ceremony_id", "from", "ceremony_key", "commitments", "pok"}
    if not isinstance(msg, dict) or set(msg) != keys or msg["type"] != "dkg/commit":
        raise EncodingError("not a dkg/commit message", "không phải thông điệp dkg/commit")
    x = int_field(msg, "from", 1, size)
    try:
        if msg["ceremony_id"] != cid.hex():
            raise EncodingError("message for another ceremony", "thông điệp của phiên khác")
        e_point = Point.from_hex(msg["ceremony_key"])
        raw = msg["commitments"]
        if not isinstance(raw, list) or len(raw) != threshold:
            raise EncodingError(f"expected {threshold} commitments", f"cần {threshold} cam kết")
        commitments = tuple(Point.from_hex(item) for item in raw)
        pok = EqProof.from_json(msg["pok"])
    except EncodingError as exc:
        raise BadDealer(x, exc.en, exc.vi) from exc
    r = Point.base_times(pok.z) - pok.c * commitments[0]
    if _pok_challenge(cid, x, threshold, size, e_point, commitments, r) != pok.c:
        raise BadDealer(
            x,
            "proof of knowledge of the secret fails",
            "chứng minh biết bí mật không đúng",
        )
    return DealerCommit(x, e_point, commitments, pok)


def check_commits(
    cid: bytes, threshold: int, size: int, messages: Sequence[object]
) -> list[DealerCommit]:
    """All n commit messages, checked, in index order (exactly one per member)."""
    if not threshold_allowed(threshold, size):
        raise EncodingError(
            f"{threshold} of {size} is not allowed (need t >= 2 and t > n/2)",
            f"{threshold} trên {size} không được phép (cần t >= 2 và t > n/2)",
        )
    commits = sorted(
        (check_commit(cid, threshold, size, m) for m in messages), key=lambda d: d.index
    )
    if [d.index for d in commits] != list(range(1, size + 1)):
        raise EncodingError(
            "need exactly one commit message per member",
            "cần đúng một thông điệp cam kết cho mỗi thành viên",
        )
    return commits


def public_keys(commits: Sequence[DealerCommit]) -> tuple[Point, list[Point]]:
    """K = Σ_x C_{x,0} and V_y = Σ_x Σ_k y^k·C_{x,k} for y = 1..n (commits in index order)."""
    t = len(commits[0].commitments)
    summed = [IDENTITY] * t
    for dealer in commits:
        summed = [s + c for s, c in zip(summed, dealer.commitments, strict=True)]
    combined = DealerCommit(0, B, tuple(summed), EqProof(Scalar(0), Scalar(0)))
    return summed[0], [combined.expected_share_point(y) for y in range(1, len(commits) + 1)]


def transcript_hash(cid: bytes, commits: Sequence[DealerCommit]) -> bytes:
    """H256("ballot/v1/transcript" ‖ 0x00 ‖ cid ‖ for each x: E_x ‖ C_x,0.. ‖ c ‖ z)."""
    data = TRANSCRIPT_TAG + cid
    for dealer in commits:
        data += dealer.ceremony_key.to_bytes()
        data += b"".join(c.to_bytes() for c in dealer.commitments)
        data += dealer.pok.c.to_bytes() + dealer.pok.z.to_bytes()
    return h256(data)
