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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .encoding import canonical_json, h256, h512, nfc
from .errors import BadDealer, EncodingError
from .group import IDENTITY, B, Point, Scalar, hex_to_bytes, u32
from .proofs import EqProof, Rng

POK_TAG = b"ballot/v1/pok\x00"
ECDH_TAG = b"ballot/v1/ecdh\x00"
ECIES_TAG = b"ballot/v1/ecies\x00"
SHARE_AAD_TAG = b"ballot/v1/share\x00"
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


def _check_params(t: int, n: int) -> None:
    if not threshold_allowed(t, n):
        raise ValueError(
            f"{t} of {n} refused: need 2 <= n <= {MAX_TRUSTEES}, t >= 2, t > n/2 and t <= n"
        )


# --- step 1: commitments -----------------------------------------------------------------


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
    _check_params(threshold, size)
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


def _int_field(msg: dict[str, Any], name: str, low: int, high: int) -> int:
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
    x = _int_field(msg, "from", 1, size)
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


# --- step 2: encrypted shares (ECIES: X25519-free, over this group + AES-256-GCM) ---------


def _ecies_key(
    cid: bytes, x: int, y: int, u_point: Point, e_y: Point, s: Point
) -> tuple[bytes, bytes]:
    """(AES key, GCM nonce) = SHA-512("ballot/v1/ecies" ‖ 0x00 ‖ cid ‖ u32(x) ‖ u32(y) ‖
    U ‖ E_y ‖ S)[0:32], [32:44]. A fresh U per message makes the derived nonce unique."""
    digest = h512(
        ECIES_TAG + cid + u32(x) + u32(y) + u_point.to_bytes() + e_y.to_bytes() + s.to_bytes()
    )
    return digest[:32], digest[32:44]


def _share_aad(cid: bytes, x: int, y: int, u_point: Point) -> bytes:
    return SHARE_AAD_TAG + cid + u32(x) + u32(y) + u_point.to_bytes()


def encrypt_share(
    cid: bytes, x: int, y: int, recipient_key: Point, share: Scalar, u: Scalar
) -> dict[str, Any]:
    """The "dkg/share" message carrying f_x(y) to member y, with ephemeral scalar u."""
    u_point = Point.base_times(u)
    key, nonce = _ecies_key(cid, x, y, u_point, recipient_key, u * recipient_key)
    sealed = AESGCM(key).encrypt(nonce, share.to_bytes(), _share_aad(cid, x, y, u_point))
    return {
        "type": "dkg/share",
        "ceremony_id": cid.hex(),
        "from": x,
        "to": y,
        "ephemeral": u_point.hex(),
        "ciphertext": sealed.hex(),
    }


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


def _parse_share_message(cid: bytes, size: int, msg: object) -> tuple[int, int, Point, bytes]:
    keys = {"type", "ceremony_id", "from", "to", "ephemeral", "ciphertext"}
    if not isinstance(msg, dict) or set(msg) != keys or msg["type"] != "dkg/share":
        raise EncodingError("not a dkg/share message", "không phải thông điệp dkg/share")
    x = _int_field(msg, "from", 1, size)
    y = _int_field(msg, "to", 1, size)
    try:
        if msg["ceremony_id"] != cid.hex():
            raise EncodingError("message for another ceremony", "thông điệp của phiên khác")
        u_point = Point.from_hex(msg["ephemeral"])
        sealed = hex_to_bytes(msg["ciphertext"], 48)
    except EncodingError as exc:
        raise BadDealer(x, exc.en, exc.vi) from exc
    return x, y, u_point, sealed


def share_route(cid: bytes, size: int, msg: object) -> tuple[int, int]:
    """(from, to) of a well-formed "dkg/share" message: what a relaying server needs.
    Raises EncodingError / BadDealer for a malformed message."""
    x, y, _, _ = _parse_share_message(cid, size, msg)
    if x == y:
        raise BadDealer(
            x, "a member does not send a share to itself", "không gửi phần khóa cho chính mình"
        )
    return x, y


def check_done(cid: bytes, commits: Sequence[DealerCommit], msg: object) -> int:
    """Check a "dkg/done" message against the checked commits: same transcript, K and
    the sender's V_y. Returns the sender; raises BadDealer naming it otherwise."""
    keys = {"type", "ceremony_id", "from", "transcript", "public_key", "verification_key"}
    if not isinstance(msg, dict) or set(msg) != keys or msg["type"] != "dkg/done":
        raise EncodingError("not a dkg/done message", "không phải thông điệp dkg/done")
    y = _int_field(msg, "from", 1, len(commits))
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


def _decrypt_with_point(
    cid: bytes, x: int, y: int, recipient_key: Point, u_point: Point, sealed: bytes, s: Point
) -> Scalar:
    key, nonce = _ecies_key(cid, x, y, u_point, recipient_key, s)
    try:
        plain = AESGCM(key).decrypt(nonce, sealed, _share_aad(cid, x, y, u_point))
    except InvalidTag:
        raise BadDealer(x, "share does not decrypt", "không giải mã được phần khóa") from None
    try:
        return Scalar.from_bytes(plain)
    except EncodingError as exc:
        raise BadDealer(x, exc.en, exc.vi) from exc


def open_share(secret: MemberSecret, dealer: DealerCommit, msg: object) -> Scalar:
    """Decrypt the share `dealer` sent to this member and check it against the dealer's
    Feldman commitments. Raises BadDealer(dealer.index) if anything is wrong."""
    x, y, u_point, sealed = _parse_share_message(secret.cid, secret.size, msg)
    if x != dealer.index or y != secret.index:
        raise BadDealer(dealer.index, "share is addressed wrongly", "phần khóa gửi sai địa chỉ")
    me = Point.base_times(secret.ceremony_secret)
    share = _decrypt_with_point(
        secret.cid, x, y, me, u_point, sealed, secret.ceremony_secret * u_point
    )
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
        x, y, _, _ = _parse_share_message(secret.cid, secret.size, msg)
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


# --- complaints: who is lying, the dealer or the complainer? ------------------------------


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
    x, y, u_point, _ = _parse_share_message(secret.cid, secret.size, share_msg)
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
    x, y, u_point, sealed = _parse_share_message(cid, size, share_msg)
    complainer = _int_field(complaint, "from", 1, size)
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
        share = _decrypt_with_point(cid, x, y, e_y, u_point, sealed, s)
    except BadDealer:
        return x
    if Point.base_times(share) != commits[x - 1].expected_share_point(y):
        return x
    return complainer


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
