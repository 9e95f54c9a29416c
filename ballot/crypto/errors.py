"""Errors of the crypto library, each with an English and a Vietnamese message."""

from __future__ import annotations


class CryptoError(Exception):
    """Base class: `en` and `vi` carry the message in both languages."""

    def __init__(self, en: str, vi: str) -> None:
        super().__init__(en)
        self.en = en
        self.vi = vi

    def __str__(self) -> str:
        return f"{self.vi} / {self.en}"


class EncodingError(CryptoError):
    """Bytes, hex or JSON that do not decode to what the protocol requires."""


class ProofError(CryptoError):
    """A zero-knowledge proof does not verify."""


class InvalidBallot(CryptoError):
    """A submitted ballot is malformed or one of its proofs fails."""


class DuplicateCiphertext(InvalidBallot):
    """A ballot repeats a ciphertext point already on the board (copy attack)."""


class BadDealer(CryptoError):
    """A ceremony member (dealer) sent a bad commitment, proof or share."""

    def __init__(self, dealer: int, en: str, vi: str) -> None:
        super().__init__(f"member {dealer}: {en}", f"thành viên {dealer}: {vi}")
        self.dealer = dealer


class InvalidShare(CryptoError):
    """A counting-committee member's partial decryption does not verify."""

    def __init__(self, member: int, en: str, vi: str) -> None:
        super().__init__(f"member {member}: {en}", f"thành viên {member}: {vi}")
        self.member = member


class NotEnoughShares(CryptoError):
    """Fewer than t valid partial decryptions are available."""


class KeyFileError(CryptoError):
    """A key file or key card cannot be read or decrypted."""
