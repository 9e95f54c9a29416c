"""The public parameters a ballot or a decryption is checked against."""

from __future__ import annotations

from dataclasses import dataclass

from .group import Point


@dataclass(frozen=True, slots=True)
class ElectionContext:
    """What a checker needs from the manifest: fingerprint, key, ballot shape, trustees.

    Build it with `ballot.crypto.manifest.context_from_manifest(manifest)` (validates the
    manifest) or directly in tests.
    """

    fp: bytes
    key: Point
    n_subjects: int
    n_levels: int
    blank_row_allowed: bool
    threshold: int = 1
    #: V_x by trustee index x (1-based)
    verification_keys: tuple[tuple[int, Point], ...] = ()

    def verification_key(self, x: int) -> Point:
        for index, point in self.verification_keys:
            if index == x:
                return point
        raise KeyError(x)
