"""Homomorphic tally: aggregate, partial decryptions with proofs, Lagrange combination,
discrete logarithms (protocol section 7.4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .context import ElectionContext
from .dkg import MemberKey
from .elgamal import ZERO_CIPHERTEXT, Ciphertext
from .errors import CryptoError, EncodingError, InvalidShare, NotEnoughShares
from .group import IDENTITY, B, L, Point, Scalar, hex_to_bytes
from .parallel import pmap
from .proofs import EqProof, Rng, prove_dec, verify_dec

Grid = list[list[Ciphertext]]


def aggregate(ctx: ElectionContext, ballots: Sequence[Sequence[Sequence[Ciphertext]]]) -> Grid:
    """Component-wise sum of ALL given ballots (ciphertexts[i][k]); the empty board sums
    to identity pairs. Rows are summed in parallel."""

    def row_sum(i: int) -> list[Ciphertext]:
        totals = [ZERO_CIPHERTEXT] * ctx.n_levels
        for ballot in ballots:
            totals = [t + ct for t, ct in zip(totals, ballot[i], strict=True)]
        return totals

    return pmap(row_sum, range(ctx.n_subjects))


def aggregate_to_json(grid: Grid) -> list[list[dict[str, str]]]:
    return [[ct.to_json() for ct in row] for row in grid]


def partial_decrypt(
    ctx: ElectionContext, key: MemberKey, grid: Grid, rng: Rng = Scalar.random
) -> dict[str, Any]:
    """Member x's decryption share of every aggregate cell, each with its "dec" proof.
    Draws one w per cell, row by row. The caller must pass the aggregate it recomputed
    itself from the whole closed board."""
    parts = []
    for i, row in enumerate(grid):
        cells = []
        for k, ct in enumerate(row):
            d, proof = prove_dec(
                ctx.fp, ctx.key, key.index, i, k, ct, key.share, key.verification_key, rng
            )
            cells.append({"d": d.hex(), "proof": proof.to_json()})
        parts.append(cells)
    return {"index": key.index, "parts": parts}


@dataclass(frozen=True, slots=True)
class CheckedShare:
    """A decryption share whose every proof holds."""

    index: int
    #: D[i][k] = s_x · a[i][k]
    points: tuple[tuple[Point, ...], ...]
    doc: dict[str, Any]


def _share_doc(ctx: ElectionContext, doc: object) -> tuple[int, dict[str, Any]]:
    if not isinstance(doc, dict) or set(doc) != {"index", "parts"}:
        raise EncodingError("malformed decryption share", "phần giải mã sai cấu trúc")
    x = doc["index"]
    if not isinstance(x, int) or isinstance(x, bool):
        raise EncodingError("malformed decryption share", "phần giải mã sai cấu trúc")
    if x not in dict(ctx.verification_keys):
        raise EncodingError(
            f"no counting-committee member {x}", f"không có thành viên Ban kiểm phiếu số {x}"
        )
    return x, doc


def verify_share(ctx: ElectionContext, grid: Grid, doc: object) -> CheckedShare:
    """Check every proof of one member's decryption share against V_x and the aggregate.
    Raises InvalidShare naming the member (EncodingError if no member can be named)."""
    x, doc = _share_doc(ctx, doc)
    v = ctx.verification_key(x)
    parts = doc["parts"]
    try:
        if not isinstance(parts, list) or len(parts) != ctx.n_subjects:
            raise EncodingError("wrong number of rows", "sai số dòng")
        points = []
        for i, row in enumerate(parts):
            if not isinstance(row, list) or len(row) != ctx.n_levels:
                raise EncodingError("wrong number of levels", "sai số mức")
            row_points = []
            for k, cell in enumerate(row):
                if not isinstance(cell, dict) or set(cell) != {"d", "proof"}:
                    raise EncodingError("malformed cell", "ô sai cấu trúc")
                # D is the identity exactly when the aggregate's a is (empty board).
                d = Point.from_bytes_or_identity(hex_to_bytes(cell["d"], 32))
                proof = EqProof.from_json(cell["proof"])
                if not verify_dec(ctx.fp, ctx.key, x, i, k, grid[i][k], v, d, proof):
                    raise EncodingError(
                        f"decryption proof fails for subject {i + 1}, level {k + 1}",
                        f"chứng minh giải mã sai ở người {i + 1}, mức {k + 1}",
                    )
                row_points.append(d)
            points.append(tuple(row_points))
    except EncodingError as exc:
        raise InvalidShare(x, exc.en, exc.vi) from exc
    return CheckedShare(x, tuple(points), doc)


def lagrange_at_zero(indices: Sequence[int]) -> dict[int, Scalar]:
    """λ_x = Π_{j≠x} j / (j − x) mod L, so that Σ λ_x f(x) = f(0)."""
    result = {}
    for x in indices:
        num, den = 1, 1
        for j in indices:
            if j != x:
                num = num * j % L
                den = den * (j - x) % L
        result[x] = Scalar(num * pow(den, -1, L))
    return result


def combine(ctx: ElectionContext, grid: Grid, shares: Sequence[CheckedShare]) -> list[list[Point]]:
    """M[i][k] = b[i][k] − Σ λ_x D_x[i][k] = count[i][k]·B, from exactly t checked shares."""
    if len(shares) < ctx.threshold:
        raise NotEnoughShares(
            f"need {ctx.threshold} valid decryption shares, have {len(shares)}",
            f"cần {ctx.threshold} phần giải mã hợp lệ, mới có {len(shares)}",
        )
    used = sorted(shares, key=lambda s: s.index)[: ctx.threshold]
    lambdas = lagrange_at_zero([s.index for s in used])
    result = []
    for i in range(ctx.n_subjects):
        row = []
        for k in range(ctx.n_levels):
            blind = IDENTITY
            for share in used:
                blind = blind + lambdas[share.index] * share.points[i][k]
            row.append(grid[i][k].b - blind)
        result.append(row)
    return result


def discrete_log_table(max_count: int) -> dict[bytes, int]:
    """{encoding of m·B: m} for m = 0..max_count (one point addition per entry)."""
    table = {IDENTITY.to_bytes(): 0}
    point = IDENTITY
    for m in range(1, max_count + 1):
        point = point + B
        table[point.to_bytes()] = m
    return table


@dataclass
class TallyResult:
    """counts[i][k]; the checked shares, in index order (the first t were combined); the
    rejected shares, each naming its member."""

    counts: list[list[int]]
    shares: list[CheckedShare]
    rejected: list[CryptoError] = field(default_factory=list)

    @property
    def used(self) -> list[int]:
        return [s.index for s in self.shares]


def tally(
    ctx: ElectionContext, grid: Grid, share_docs: Sequence[object], n_ballots: int
) -> TallyResult:
    """Verify every submitted share (in parallel), keep the valid ones (one per member),
    combine t of them and read the counts from a table of 0..n_ballots. Invalid shares are
    listed in `rejected`; raises NotEnoughShares if fewer than t are valid."""
    outcomes = pmap(lambda d: _try_verify(ctx, grid, d), share_docs)
    rejected = [o for o in outcomes if not isinstance(o, CheckedShare)]
    by_index: dict[int, CheckedShare] = {}
    for outcome in outcomes:
        if isinstance(outcome, CheckedShare):
            by_index.setdefault(outcome.index, outcome)
    valid = [by_index[x] for x in sorted(by_index)][: ctx.threshold]
    plain = combine(ctx, grid, valid)
    table = discrete_log_table(n_ballots)
    counts = []
    for i, row in enumerate(plain):
        counts_row = []
        for k, m in enumerate(row):
            if m.to_bytes() not in table:
                raise NotEnoughShares(
                    f"subject {i + 1}, level {k + 1} does not decrypt to a count <= {n_ballots}",
                    f"người {i + 1}, mức {k + 1} không giải mã ra số phiếu <= {n_ballots}",
                )
            counts_row.append(table[m.to_bytes()])
        counts.append(counts_row)
    return TallyResult(counts, valid, rejected)


def _try_verify(ctx: ElectionContext, grid: Grid, doc: object) -> CheckedShare | CryptoError:
    try:
        return verify_share(ctx, grid, doc)
    except (InvalidShare, EncodingError) as exc:
        return exc
