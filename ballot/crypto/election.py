"""Election ballots (protocol §10): one 0/1 ciphertext per candidate with its proof, and a
proof by bit decomposition that the number of names kept lies in [m0, S].

This module reads the election's shape from the manifest, encrypts a choice, reads a ballot's
JSON (`parse_ballot`) and checks all of its proofs (`verify_parsed`). The proofs themselves,
and the shape they are about, are in `election_proofs`; every name is importable from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .context import ElectionContext
from .election_proofs import (
    IDENTITY_BYTES,
    PREFIX,
    BitProof,
    Shape,
    SumProof,
    bit_challenge,
    prove_bit,
    range_weights,
    sum_challenge,
    sum_statement,
    verify_bit,
)
from .elgamal import Ciphertext, encrypt
from .encoding import h256
from .errors import EncodingError, InvalidBallot
from .group import Point, Scalar, hex_to_bytes, u32
from .proofs import Rng
from .seen import Seen

__all__ = [
    "EBALLOT_TAG",
    "IDENTITY_BYTES",
    "PREFIX",
    "BitCheck",
    "BitProof",
    "ParsedBallot",
    "ParsedCell",
    "Shape",
    "SumProof",
    "bit_challenge",
    "encrypt_election_ballot",
    "parse_ballot",
    "prove_bit",
    "range_weights",
    "shape_of",
    "sum_challenge",
    "sum_statement",
    "verify_bit",
    "verify_election_ballot",
    "verify_parsed",
]

EBALLOT_TAG = b"ballot/v1/eballot\x00"


#: §10.2: what is elected and what "more than half" is measured against; the outcome of
#: 190-QĐ/TW cannot be read from a record holding anything else (ballot.elections.rules has
#: the same values as its Kind and MajorityBase; a test keeps them equal).
KINDS = (
    "committee", "standing_committee", "secretary", "deputy_secretary",
    "inspection_commission", "inspection_chair", "delegates",
)  # fmt: skip
MAJORITY_BASES = ("convened", "valid_ballots")


def shape_of(manifest: Mapping[str, Any]) -> Shape:
    """Read and check `rules.election` (§10.2): 0 <= m0 <= S <= C, one level."""
    rules = manifest.get("rules")
    election = rules.get("election") if isinstance(rules, dict) else None
    if not isinstance(election, dict):
        raise EncodingError("manifest.rules.election is missing", "thiếu manifest.rules.election")
    values = [election.get(key) for key in ("candidates", "seats", "min_kept")]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise EncodingError(
            "rules.election: candidates, seats, min_kept must be integers",
            "rules.election: candidates, seats, min_kept phải là số nguyên",
        )
    c, s, m0 = (int(v) for v in values)  # type: ignore[arg-type]
    if election.get("kind") not in KINDS or election.get("majority_base") not in MAJORITY_BASES:
        raise EncodingError(
            f"rules.election: kind must be one of {list(KINDS)} and majority_base one of "
            f"{list(MAJORITY_BASES)}",
            "rules.election: kind hoặc majority_base không thuộc các giá trị của §10.2",
        )
    subjects, levels = manifest.get("subjects"), manifest.get("levels")
    if not (isinstance(subjects, list) and isinstance(levels, list)):
        raise EncodingError("manifest subjects/levels malformed", "manifest sai cấu trúc")
    if not 0 <= m0 <= s <= c == len(subjects) or len(levels) != 1:
        raise EncodingError(
            "need 0 <= min_kept <= seats <= candidates = number of subjects, and one level",
            "cần 0 <= min_kept <= seats <= candidates = số người trong danh sách, và một mức",
        )
    return Shape(c, s, m0)


# --- ballots ------------------------------------------------------------------------------


def encrypt_election_ballot(
    ctx: ElectionContext, shape: Shape, kept: Sequence[bool], rng: Rng = Scalar.random
) -> dict[str, Any]:
    """Encrypt a choice (kept[j] for candidate j); draw order of §10.5. Refuses a choice
    the rules make invalid (the booth never sends one, §10.6)."""
    if len(kept) != shape.candidates or ctx.n_subjects != shape.candidates:
        raise ValueError("one choice per candidate")
    n = sum(1 for k in kept if k)
    if not shape.min_kept <= n <= shape.seats:
        raise ValueError(f"keeps {n} names; allowed {shape.min_kept}..{shape.seats}")
    cells, cand_cts, total_r = [], [], Scalar(0)
    for j, keep in enumerate(kept):
        r = rng()
        ct = encrypt(ctx.key, int(keep), r)
        proof = prove_bit("ebit", ctx.fp, ctx.key, j, ct, int(keep), r, rng)
        cells.append({"a": ct.a.hex(), "b": ct.b.hex(), "proof": proof.to_json()})
        cand_cts.append(ct)
        total_r = total_r + r
    rest, bit_values = n - shape.min_kept, []
    for w in reversed(shape.weights):  # greedy from the largest weight
        take = 1 if w <= rest else 0
        rest -= w * take
        bit_values.append(take)
    bit_values.reverse()
    if rest:
        raise AssertionError("range decomposition failed")
    bits, bit_cts = [], []
    for i, (beta, w) in enumerate(zip(bit_values, shape.weights, strict=True)):
        s = rng()
        ct = encrypt(ctx.key, beta, s)
        proof = prove_bit("rbit", ctx.fp, ctx.key, i, ct, beta, s, rng)
        bits.append({"a": ct.a.hex(), "b": ct.b.hex(), "proof": proof.to_json()})
        bit_cts.append(ct)
        total_r = total_r - Scalar(w) * s
    x, y = sum_statement(shape, cand_cts, bit_cts)
    w_sum = rng()
    p, q = Point.base_times(w_sum).to_bytes(), (w_sum * ctx.key).to_bytes()
    c = sum_challenge(ctx.fp, ctx.key, shape, [*cand_cts, *bit_cts], x, y, p, q)
    sum_proof = SumProof(p, q, w_sum + c * total_r)
    return {
        "fingerprint": ctx.fp.hex(),
        "cts": cells,
        "range": {"bits": bits, "proof": sum_proof.to_json()},
    }


@dataclass(frozen=True, slots=True)
class ParsedCell:
    a: bytes
    b: bytes
    proof: BitProof


@dataclass(frozen=True, slots=True)
class ParsedBallot:
    """A ballot whose JSON shape and encodings are right; proofs not yet checked."""

    doc: dict[str, Any]
    cands: tuple[ParsedCell, ...]
    bits: tuple[ParsedCell, ...]
    sum_proof: SumProof
    canonical: bytes

    @property
    def tracker(self) -> bytes:
        return h256(self.canonical)

    def point_encodings(self) -> list[bytes]:
        return [raw for cell in (*self.cands, *self.bits) for raw in (cell.a, cell.b)]


def _fail(en: str, vi: str) -> InvalidBallot:
    return InvalidBallot(en, vi)


def _cells(value: object, count: int, what: tuple[str, str]) -> list[ParsedCell]:
    if not isinstance(value, list) or len(value) != count:
        raise _fail(f"{what[0]}: expected {count} items", f"{what[1]}: cần {count} phần tử")
    out = []
    for j, cell in enumerate(value):
        if not isinstance(cell, dict) or set(cell) != {"a", "b", "proof"}:
            raise _fail(f"{what[0]} {j + 1}: malformed", f"{what[1]} {j + 1}: sai cấu trúc")
        try:
            a, b = hex_to_bytes(cell["a"], 32), hex_to_bytes(cell["b"], 32)
            out.append(ParsedCell(a, b, BitProof.from_json(cell["proof"])))
        except EncodingError as exc:
            raise _fail(f"{what[0]} {j + 1}: {exc.en}", f"{what[1]} {j + 1}: {exc.vi}") from exc
    return out


def parse_ballot(ctx: ElectionContext, shape: Shape, doc: object) -> ParsedBallot:
    """Exact JSON shape (§10.5), fingerprint, hex and scalar encodings, no repeated point."""
    if not isinstance(doc, dict) or set(doc) != {"fingerprint", "cts", "range"}:
        raise _fail("ballot: expected keys cts, fingerprint, range",
                    "phiếu: cần các khóa cts, fingerprint, range")  # fmt: skip
    if doc["fingerprint"] != ctx.fp.hex():
        raise _fail("ballot is for another election (fingerprint differs)",
                    "phiếu thuộc cuộc bầu cử khác (dấu vân tay không khớp)")  # fmt: skip
    cands = _cells(doc["cts"], shape.candidates, ("candidate", "người"))
    rng_part = doc["range"]
    if not isinstance(rng_part, dict) or set(rng_part) != {"bits", "proof"}:
        raise _fail("range: expected keys bits, proof", "range: cần các khóa bits, proof")
    bits = _cells(rng_part["bits"], shape.bits, ("range bit", "bit phạm vi"))
    try:
        sum_proof = SumProof.from_json(rng_part["proof"])
    except EncodingError as exc:
        raise _fail(f"sum proof: {exc.en}", f"chứng minh tổng: {exc.vi}") from exc
    parts = [EBALLOT_TAG, ctx.fp, u32(shape.candidates), u32(shape.bits)]
    parts += [c.a + c.b + c.proof.to_bytes() for c in (*cands, *bits)]
    parts.append(sum_proof.to_bytes())
    parsed = ParsedBallot(doc, tuple(cands), tuple(bits), sum_proof, b"".join(parts))
    encodings = parsed.point_encodings()
    if len(set(encodings)) != len(encodings):
        raise _fail("the ballot repeats a ciphertext point", "phiếu lặp lại một điểm của bản mã")
    return parsed


BitCheck = Callable[[str, bytes, Point, int, bytes, bytes, BitProof], Ciphertext | None]


def verify_parsed(
    ctx: ElectionContext, shape: Shape, parsed: ParsedBallot, check: BitCheck | None = None
) -> tuple[Ciphertext, ...]:
    """Verification of every proof of a parsed ballot; returns the candidates' ciphertexts.
    Raises InvalidBallot naming the first failing proof. `check` verifies one bit proof:
    `verify_bit` (single verification, the default) or `election_batch.verify_bit_batched`."""
    check = check or verify_bit
    checked = []
    for tag, cells, (en, vi) in (
        ("ebit", parsed.cands, ("candidate", "người")),
        ("rbit", parsed.bits, ("range bit", "bit phạm vi")),
    ):
        for j, cell in enumerate(cells):
            try:
                ct = check(tag, ctx.fp, ctx.key, j, cell.a, cell.b, cell.proof)
            except EncodingError as exc:
                raise _fail(f"{en} {j + 1}: {exc.en}", f"{vi} {j + 1}: {exc.vi}") from exc
            if ct is None:
                raise _fail(f"{en} {j + 1}: the 0-or-1 proof fails",
                            f"{vi} {j + 1}: chứng minh 0 hoặc 1 không đúng")  # fmt: skip
            checked.append(ct)
    cands, bits = checked[: shape.candidates], checked[shape.candidates :]
    x, y = sum_statement(shape, cands, bits)
    sp = parsed.sum_proof
    c = sum_challenge(ctx.fp, ctx.key, shape, checked, x, y, sp.p, sp.q)
    ok = (
        IDENTITY_BYTES not in (sp.p, sp.q)
        and (Point.base_times(sp.z) - c * x).to_bytes() == sp.p
        and (sp.z * ctx.key - c * y).to_bytes() == sp.q
    )
    if not ok:
        raise _fail(
            f"the proof that {shape.min_kept} to {shape.seats} names are kept fails",
            f"chứng minh số người được giữ từ {shape.min_kept} đến {shape.seats} không đúng",
        )
    return tuple(cands)


#: Election ballots this process has passed, by election and tracker (ballot.crypto.seen).
SEEN: Seen[tuple[Ciphertext, ...]] = Seen()


def verify_once(
    ctx: ElectionContext, shape: Shape, parsed: ParsedBallot, check: BitCheck | None = None
) -> tuple[Ciphertext, ...]:
    """`verify_parsed`, skipped for a ballot this process has already passed: same election
    and shape, same tracker (the hash of the canonical bytes, every proof in them)."""
    key = (ctx.fp, ctx.key.to_bytes(), shape, parsed.tracker)
    seen = SEEN.get(key)
    if seen is None:
        seen = verify_parsed(ctx, shape, parsed, check)
        SEEN.put(key, seen)
    return seen


def verify_election_ballot(
    ctx: ElectionContext, shape: Shape, doc: object
) -> tuple[ParsedBallot, tuple[Ciphertext, ...]]:
    """Parse and check one ballot (what the server does on receipt)."""
    parsed = parse_ballot(ctx, shape, doc)
    return parsed, verify_once(ctx, shape, parsed)
