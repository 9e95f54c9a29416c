"""Passphrase-protected key files for counting-committee members, and their printed card.

Key file (JSON): {"header": {...public, authenticated...}, "ciphertext": hex}.
Key = scrypt(NFC UTF-8 passphrase, salt, N = 2^log_n, r, p, 32 bytes); AES-256-GCM with
the header's 12-byte nonce; AAD = "ballot/v1/keyfile" ‖ 0x00 ‖ canonical_json(header);
plaintext = the 32-byte share s_x. See docs/protocol.md §6.5-6.6.
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from .dkg import MemberKey
from .encoding import base32_decode, base32_encode, canonical_json, h256, parse_json
from .errors import EncodingError, KeyFileError
from .group import Point, Scalar, hex_to_bytes, u32

FORMAT = "ballot-trustee-key"
AAD_TAG = b"ballot/v1/keyfile\x00"
CARD_MAGIC = b"BK"
#: scrypt cost of new key files: N = 2^16, r = 8, p = 1 (64 MiB). 2^17 is the usual guidance
#: for interactive logins, but took 2.9 s on an emulated mid-range tablet against a ~2 s
#: budget; 2^16 took 1.5 s (bench/keyfile_kdf.py, docs/benchmarks.md).
DEFAULT_LOG_N, DEFAULT_R, DEFAULT_P = 16, 8, 1
#: bounds a reader (and a writer) accepts: nothing weaker than the default, so that a file
#: made cheap to brute-force is refused, and nothing that demands gigabytes of memory
LOG_N_RANGE, R_RANGE, P_RANGE = (16, 20), (8, 16), (1, 4)


def _derive(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=2**log_n, r=r, p=p)
    return kdf.derive(unicodedata.normalize("NFC", passphrase).encode("utf-8"))


def seal_key(
    key: MemberKey,
    vote_id: str,
    passphrase: str,
    *,
    log_n: int = DEFAULT_LOG_N,
    r: int = DEFAULT_R,
    p: int = DEFAULT_P,
    salt: bytes | None = None,
    nonce: bytes | None = None,
) -> dict[str, Any]:
    """Encrypt a member's share under a passphrase; salt (16) and nonce (12) are random
    unless given (known-answer vectors)."""
    _check_cost(log_n, r, p)
    salt = os.urandom(16) if salt is None else salt
    nonce = os.urandom(12) if nonce is None else nonce
    if len(salt) != 16 or len(nonce) != 12:
        raise ValueError("salt must be 16 bytes and nonce 12 bytes")
    header = {
        "format": FORMAT,
        "version": 1,
        "vote_id": unicodedata.normalize("NFC", vote_id),
        "ceremony_id": key.cid.hex(),
        "index": key.index,
        "verification_key": key.verification_key.hex(),
        "kdf": {"name": "scrypt", "log_n": log_n, "r": r, "p": p, "salt": salt.hex()},
        "cipher": {"name": "aes-256-gcm", "nonce": nonce.hex()},
    }
    aes = AESGCM(_derive(passphrase, salt, log_n, r, p))
    sealed = aes.encrypt(nonce, key.share.to_bytes(), AAD_TAG + canonical_json(header))
    return {"header": header, "ciphertext": sealed.hex()}


def _bounded(value: object, bounds: tuple[int, int], name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not bounds[0] <= value <= bounds[1]:
        raise KeyFileError(f"key file: {name} out of range", f"tệp khóa: {name} ngoài phạm vi")
    return value


def _check_cost(log_n: object, r: object, p: object) -> None:
    """Refuse scrypt parameters outside the accepted bounds, weaker ones with a clear word."""
    for value, (low, _), name in ((log_n, LOG_N_RANGE, "log_n"), (r, R_RANGE, "r")):
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value < low:
            raise KeyFileError(
                f"key file: scrypt {name} = {value} is below the minimum {low} (a file made "
                "by an older version, too cheap to guess passphrases against): make a new key "
                "file",
                f"tệp khóa: tham số scrypt {name} = {value} thấp hơn mức tối thiểu {low} (tệp "
                "do phiên bản cũ tạo, quá dễ dò mật khẩu): hãy tạo tệp khóa mới",
            )
    _bounded(log_n, LOG_N_RANGE, "log_n")
    _bounded(r, R_RANGE, "r")
    _bounded(p, P_RANGE, "p")


def _parse_header(doc: object) -> tuple[dict[str, Any], bytes]:
    if isinstance(doc, str | bytes):
        try:
            doc = parse_json(doc)
        except EncodingError as exc:
            raise KeyFileError(f"key file: {exc.en}", f"tệp khóa: {exc.vi}") from exc
    if not isinstance(doc, dict) or set(doc) != {"header", "ciphertext"}:
        raise KeyFileError("not a key file", "không phải tệp khóa")
    header = doc["header"]
    keys = {
        "format",
        "version",
        "vote_id",
        "ceremony_id",
        "index",
        "verification_key",
        "kdf",
        "cipher",
    }
    if not isinstance(header, dict) or set(header) != keys:
        raise KeyFileError("key file header is malformed", "phần đầu tệp khóa sai cấu trúc")
    version = header["version"]
    if header["format"] != FORMAT or isinstance(version, bool) or version != 1:
        raise KeyFileError("unsupported key file version", "phiên bản tệp khóa không hỗ trợ")
    kdf, cipher = header["kdf"], header["cipher"]
    if (
        not isinstance(kdf, dict)
        or set(kdf) != {"name", "log_n", "r", "p", "salt"}
        or kdf["name"] != "scrypt"
        or not isinstance(cipher, dict)
        or set(cipher) != {"name", "nonce"}
        or cipher["name"] != "aes-256-gcm"
        or not isinstance(header["vote_id"], str)
    ):
        raise KeyFileError("key file header is malformed", "phần đầu tệp khóa sai cấu trúc")
    _check_cost(kdf["log_n"], kdf["r"], kdf["p"])
    _bounded(header["index"], (1, 64), "index")
    try:
        canonical_json(header)  # the AAD: NFC strings only, refused otherwise
        hex_to_bytes(kdf["salt"], 16)
        hex_to_bytes(cipher["nonce"], 12)
        hex_to_bytes(header["ceremony_id"], 32)
        Point.from_hex(header["verification_key"])
        sealed = hex_to_bytes(doc["ciphertext"], 48)
    except EncodingError as exc:
        raise KeyFileError(f"key file: {exc.en}", f"tệp khóa: {exc.vi}") from exc
    return header, sealed


def open_key(doc: object, passphrase: str) -> MemberKey:
    """Decrypt a key file (its JSON text, parsed strictly, or the parsed object); checks the
    share against the verification key in the header. Raises KeyFileError (wrong
    passphrase, damaged file, scrypt cost below the minimum)."""
    header, sealed = _parse_header(doc)
    kdf = header["kdf"]
    aes = AESGCM(_derive(passphrase, bytes.fromhex(kdf["salt"]), kdf["log_n"], kdf["r"], kdf["p"]))
    try:
        plain = aes.decrypt(
            bytes.fromhex(header["cipher"]["nonce"]), sealed, AAD_TAG + canonical_json(header)
        )
    except InvalidTag:
        raise KeyFileError(
            "wrong passphrase or damaged key file", "sai mật khẩu hoặc tệp khóa bị hỏng"
        ) from None
    share = Scalar.from_bytes(plain)
    verification_key = Point.from_hex(header["verification_key"])
    if Point.base_times(share) != verification_key:
        raise KeyFileError(
            "key does not match its verification key", "khóa không khớp khóa kiểm tra"
        )
    return MemberKey(
        bytes.fromhex(header["ceremony_id"]),
        header["index"],
        share,
        verification_key,
    )


# --- printable card ------------------------------------------------------------------------
# Binary card payload (all fields fixed-size except vote_id):
#   "BK" ‖ u8 version=1 ‖ u32 index ‖ ceremony_id(32) ‖ V_x(32) ‖ u8 log_n ‖ u8 r ‖ u8 p ‖
#   salt(16) ‖ nonce(12) ‖ ciphertext(48) ‖ u8 len ‖ vote_id UTF-8 ‖ SHA-256(all before)[0:4]
# printed as Crockford base32 in numbered lines of 8 groups of 4 characters.

_CARD_LINE = re.compile(r"^\s*(\d{2})\s+([0-9A-Za-z ]+?)\s*$")


def card_bytes(doc: object) -> bytes:
    """The binary card payload (with checksum) of a key file."""
    header, sealed = _parse_header(doc)
    vote_id = header["vote_id"].encode("utf-8")
    if len(vote_id) > 255:
        raise KeyFileError("vote id too long for a card", "mã cuộc lấy phiếu quá dài cho thẻ")
    kdf = header["kdf"]
    body: bytes = (
        CARD_MAGIC
        + bytes([1])
        + u32(header["index"])
        + bytes.fromhex(header["ceremony_id"])
        + bytes.fromhex(header["verification_key"])
        + bytes([kdf["log_n"], kdf["r"], kdf["p"]])
        + bytes.fromhex(kdf["salt"])
        + bytes.fromhex(header["cipher"]["nonce"])
        + sealed
        + bytes([len(vote_id)])
        + vote_id
    )
    return body + h256(body)[:4]


#: The card's heading: Vietnamese, then English below (same words as keyfile.js).
CARD_HEADING = (
    "THẺ KHÓA THÀNH VIÊN BAN KIỂM PHIẾU",
    "Cuộc lấy phiếu: {vote_id} | Thành viên số {index}",
    "Giữ kín thẻ này. Khi giải mã, nhập các dòng đánh số 01, 02... và mật khẩu của thẻ.",
    "COUNTING COMMITTEE MEMBER KEY CARD (ballot/v1)",
    "Vote: {vote_id} | Member no. {index}",
    "Keep this card private. To decrypt, type the numbered lines 01, 02... and the passphrase.",
)


def card_text(doc: object) -> str:
    """A printable card: the heading (Vietnamese, English below), a blank line, then
    numbered lines of base32 groups (the only lines a reader takes)."""
    header, _ = _parse_header(doc)
    code = base32_encode(card_bytes(doc))
    groups = [code[i : i + 4] for i in range(0, len(code), 4)]
    lines = [line.format(vote_id=header["vote_id"], index=header["index"]) for line in CARD_HEADING]
    lines.append("")
    for n, start in enumerate(range(0, len(groups), 8), start=1):
        lines.append(f"{n:02d}  " + " ".join(groups[start : start + 8]))
    return "\n".join(lines) + "\n"


def parse_card(text: str) -> dict[str, Any]:
    """Rebuild the key file from card text (numbered lines; everything else is ignored).
    Raises KeyFileError on a missing line or a checksum mismatch (a typo)."""
    chunks: list[str] = []
    for line in text.splitlines():
        match = _CARD_LINE.match(line)
        if match is None:
            continue
        if int(match.group(1)) != len(chunks) + 1:
            raise KeyFileError(
                f"card line {len(chunks) + 1} is missing", f"thiếu dòng {len(chunks) + 1} của thẻ"
            )
        chunks.append(match.group(2).replace(" ", ""))
    try:
        raw = base32_decode("".join(chunks))
    except EncodingError as exc:
        raise KeyFileError(f"card: {exc.en}", f"thẻ: {exc.vi}") from exc
    if len(raw) < 150 or h256(raw[:-4])[:4] != raw[-4:]:
        raise KeyFileError(
            "card checksum mismatch: check the typed characters",
            "sai tổng kiểm tra của thẻ: hãy kiểm tra các ký tự đã nhập",
        )
    body = raw[:-4]
    if body[:3] != CARD_MAGIC + bytes([1]):
        raise KeyFileError("not a ballot/v1 key card", "không phải thẻ khóa ballot/v1")
    pos = 3

    def take(n: int) -> bytes:
        nonlocal pos
        chunk = body[pos : pos + n]
        pos += n
        return chunk

    index = int.from_bytes(take(4), "big")
    cid, vkey = take(32), take(32)
    log_n, r, p = take(3)
    salt, nonce, sealed = take(16), take(12), take(48)
    (length,) = take(1)
    try:
        vote_id = take(length).decode("utf-8")
    except UnicodeDecodeError:
        raise KeyFileError(
            "card: vote id is not UTF-8", "thẻ: mã cuộc lấy phiếu không phải UTF-8"
        ) from None
    if pos != len(body):
        raise KeyFileError("card has trailing data", "thẻ có dữ liệu thừa")
    doc = {
        "header": {
            "format": FORMAT,
            "version": 1,
            "vote_id": vote_id,
            "ceremony_id": cid.hex(),
            "index": index,
            "verification_key": vkey.hex(),
            "kdf": {"name": "scrypt", "log_n": log_n, "r": r, "p": p, "salt": salt.hex()},
            "cipher": {"name": "aes-256-gcm", "nonce": nonce.hex()},
        },
        "ciphertext": sealed.hex(),
    }
    _parse_header(doc)
    return doc
