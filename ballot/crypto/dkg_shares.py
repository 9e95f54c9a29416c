"""The key ceremony's second step on the wire (protocol section 6): a share f_x(y) sealed to
member y's ceremony key E_y (ECIES over this group, X25519-free, with AES-256-GCM), the
reading of a "dkg/share" message, and its opening with the ECDH point S = e_y·U (by member y
itself, or by anyone once a complaint reveals S).
"""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .dkg_commits import int_field
from .encoding import h512
from .errors import BadDealer, EncodingError
from .group import Point, Scalar, hex_to_bytes, u32

ECIES_TAG = b"ballot/v1/ecies\x00"
SHARE_AAD_TAG = b"ballot/v1/share\x00"


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


def parse_share_message(cid: bytes, size: int, msg: object) -> tuple[int, int, Point, bytes]:
    """(from, to, U, sealed share) of a "dkg/share" message; BadDealer names a sender whose
    message is malformed (EncodingError if the sender is unreadable)."""
    keys = {"type", "ceremony_id", "from", "to", "ephemeral", "ciphertext"}
    if not isinstance(msg, dict) or set(msg) != keys or msg["type"] != "dkg/share":
        raise EncodingError("not a dkg/share message", "không phải thông điệp dkg/share")
    x = int_field(msg, "from", 1, size)
    y = int_field(msg, "to", 1, size)
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
    x, y, _, _ = parse_share_message(cid, size, msg)
    if x == y:
        raise BadDealer(
            x, "a member does not send a share to itself", "không gửi phần khóa cho chính mình"
        )
    return x, y


def decrypt_share(
    cid: bytes, x: int, y: int, recipient_key: Point, u_point: Point, sealed: bytes, s: Point
) -> Scalar:
    """Open the share x sealed to y, given the ECDH point S; BadDealer(x) if it does not open."""
    key, nonce = _ecies_key(cid, x, y, u_point, recipient_key, s)
    try:
        plain = AESGCM(key).decrypt(nonce, sealed, _share_aad(cid, x, y, u_point))
    except InvalidTag:
        raise BadDealer(x, "share does not decrypt", "không giải mã được phần khóa") from None
    try:
        return Scalar.from_bytes(plain)
    except EncodingError as exc:
        raise BadDealer(x, exc.en, exc.vi) from exc
