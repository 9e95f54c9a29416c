"""Quy chế bầu cử trong Đảng (Quyết định 190-QĐ/TW, 10/10/2024) as a rule set.

Each rule carries the article it comes from and the source it was checked against. Where
only a secondary source was available, the citation says so. 190-QĐ/TW "basically keeps"
the regulation of 244-QĐ/TW (2014) [S4]; where the 190 text itself could not be read, the
244 text is cited and marked.

Sources (checked with the project's search tool, 2026-11-30):
  [S1] baobackan.vn, "Quy định về số dư, danh sách và phiếu bầu cử theo Quyết định mới về
       Quy chế bầu cử trong Đảng" (10/2024): text of Art. 14 of 190-QĐ/TW.
  [S2] phapluat.suckhoedoisong.vn, "Hướng dẫn tính kết quả bầu cử trong Đảng theo Quyết
       định 190-QĐ/TW năm 2024": text of Art. 30 (results) referring to Art. 15 (ballots).
  [S3] lawnet.vn (English), "Distinguish valid and invalid ballots in the election of the
       Communist Party of Vietnam": text of Art. 17 of 244-QĐ/TW (ballots, validity).
  [S4] baobackan.vn, "Một số điểm mới của Quy chế bầu cử trong Đảng" (04/2025): 190
       "basically keeps" 244, adding Art. 7 (credentials committee); the part of the article
       the search returned lists changes of scope and duties, none about ballots.
  [S5] dangcongsan.vn / camau.dcs.vn Q&A (2020, under 244): Art. 20.2 of the regulation (further
       rounds when too few are elected; the conference decides).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any

REGULATION = "190-QĐ/TW"


class Kind(StrEnum):
    """What is elected (Art. 3.1 of 190-QĐ/TW, secret ballot cases [S1][S4])."""

    COMMITTEE = "committee"  # cấp ủy (Ban Chấp hành)
    STANDING = "standing_committee"  # ban thường vụ
    SECRETARY = "secretary"  # bí thư
    DEPUTY_SECRETARY = "deputy_secretary"  # phó bí thư
    INSPECTION = "inspection_commission"  # ủy ban kiểm tra
    INSPECTION_CHAIR = "inspection_chair"  # chủ nhiệm ủy ban kiểm tra
    DELEGATES = "delegates"  # đại biểu dự đại hội cấp trên


KIND_VI = {
    Kind.COMMITTEE: "Ban Chấp hành",
    Kind.STANDING: "Ban Thường vụ",
    Kind.SECRETARY: "Bí thư",
    Kind.DEPUTY_SECRETARY: "Phó Bí thư",
    Kind.INSPECTION: "Ủy ban Kiểm tra",
    Kind.INSPECTION_CHAIR: "Chủ nhiệm Ủy ban Kiểm tra",
    Kind.DELEGATES: "Đại biểu dự đại hội cấp trên",
}

#: Art. 14.1 [S1]: "the list for the committee and its standing committee must hold more
#: candidates than the number to elect; the surplus is decided by the congress (conference)
#: but not more than 30% of the number to elect; the convening committee prepares 10-15%."
SURPLUS_REQUIRED = frozenset({Kind.COMMITTEE, Kind.STANDING})
MAX_SURPLUS = Fraction(30, 100)
PREPARED_SURPLUS = (Fraction(10, 100), Fraction(15, 100))


class MajorityBase(StrEnum):
    """What "more than half" is measured against (Art. 30 [S2]).

    CONVENED: Art. 30.2-30.3 — a congress of party members: the official members convened
    minus those the article excludes; a congress of delegates: the official delegates
    convened minus those absent for the whole congress without a substitute. The desk
    enters that number (`base`). VALID: more than half of the valid ballots, as the project
    brief and DOMAIN.md state; NOT found in the published text of Art. 30 [S2] — kept as
    an option a conference may adopt by its own decision, never the default.
    """

    CONVENED = "convened"
    VALID = "valid_ballots"


@dataclass(frozen=True)
class Rule:
    code: str
    article: str
    source: str
    en: str
    vi: str


RULES: tuple[Rule, ...] = (
    Rule("surplus_cap", "190 Art. 14.1", "[S1]",
         "committee and standing committee lists: more candidates than seats, surplus at most 30%",
         "danh sách bầu cấp ủy, ban thường vụ phải có số dư, tối đa 30% số lượng cần bầu"),
    Rule("surplus_decided", "190 Art. 14.3", "[S1]",
         "other lists: the surplus is decided (and recorded) by the conference",
         "các danh sách khác: số dư do đại hội (hội nghị) quyết định và ghi biên bản"),
    Rule("kept_at_most_seats", "190 Art. 15 (text of 244 Art. 17.2)", "[S2][S3]",
         "a ballot keeping more names than the number to elect is invalid",
         "phiếu bầu thừa số lượng cần bầu là phiếu không hợp lệ"),
    Rule("not_all_crossed", "190 Art. 15 (text of 244 Art. 17.2)", "[S3], secondary",
         "on a list with surplus, a ballot crossing out every name is invalid",
         "phiếu gạch tên tất cả những người trong danh sách có số dư là phiếu không hợp lệ"),
    Rule("agree_disagree", "190 Art. 30.1", "[S2]",
         "list without surplus: both boxes or neither for a person do not count for that "
         "person; the ballot stays valid",
         "danh sách không có số dư: đánh dấu cả hai ô hoặc không ô nào thì không tính cho "
         "người đó, phiếu vẫn hợp lệ"),
    Rule("single_person", "190 Art. 15 (text of 244 Art. 17.2)", "[S3], secondary",
         "a list of one person: exactly one of the two boxes, otherwise the ballot is invalid",
         "danh sách một người: đánh dấu đúng một trong hai ô, nếu không phiếu không hợp lệ"),
    Rule("majority", "190 Art. 30.2-30.3", "[S2]",
         "elected: more than half of the votes measured against the base, in order of votes, "
         "up to the number to elect",
         "trúng cử: quá một nửa số phiếu so với cơ sở tính, theo thứ tự số phiếu, đến đủ số "
         "lượng cần bầu"),
    Rule("tie_last_seat", "no article found (searched 190 Art. 30 [S2])",
         "DOMAIN.md; [S5] by analogy — NOT verified against the text",
         "equal votes at the last seat: none of the tied is elected; a further round among "
         "them if the conference decides",
         "số phiếu ngang nhau ở suất cuối: chưa ai trong số đó trúng cử; bầu tiếp trong số "
         "họ nếu đại hội quyết định"),
    Rule("further_round", "244 Art. 20.2 (its number in 190 not verified)", "[S5], secondary",
         "too few elected: elect again for the remaining seats; after several rounds the "
         "conference decides whether to continue",
         "bầu chưa đủ số lượng thì bầu tiếp; bầu nhiều lần vẫn chưa đủ thì đại hội quyết định"),
)  # fmt: skip


class RuleError(ValueError):
    """A configuration the regulation does not allow; `code` names the rule."""

    def __init__(self, code: str, en: str, vi: str) -> None:
        super().__init__(en)
        self.code, self.en, self.vi = code, en, vi


@dataclass(frozen=True)
class ElectionRules:
    """The configuration one election is held under (recorded with it and in its manifest).

    `surplus_decision`: the conference's recorded decision (minutes text) that allows a
    surplus over 30% for a list where Art. 14.1 does not fix the cap; empty if none.
    """

    kind: Kind
    seats: int
    candidates: int
    majority_base: MajorityBase = MajorityBase.CONVENED
    surplus_decision: str = ""

    @property
    def with_surplus(self) -> bool:
        return self.candidates > self.seats

    @property
    def min_kept(self) -> int:
        """Fewest names a valid ballot keeps: 1 on a list with surplus (crossing out every
        name is invalid), 0 without surplus (each person is marked separately)."""
        return 1 if self.with_surplus else 0

    def as_manifest(self) -> dict[str, Any]:
        return {
            "regulation": REGULATION,
            "kind": self.kind.value,
            "seats": self.seats,
            "candidates": self.candidates,
            "min_kept": self.min_kept,
            "with_surplus": self.with_surplus,
            "majority_base": self.majority_base.value,
            "surplus_decision": self.surplus_decision,
        }


def max_surplus(seats: int) -> int:
    """Most names over the seats a capped list may hold: 30% of the seats, rounded down,
    but at least 1. Interpretation (not in the published text): where 30% is under one
    person (fewer than 4 seats), Art. 14.1's requirement of a surplus can only be met with
    one extra name, so the requirement prevails."""
    return max(1, seats * MAX_SURPLUS.numerator // MAX_SURPLUS.denominator)


def check_list(
    kind: Kind, seats: int, candidates: int, surplus_decision: str = "",
    majority_base: MajorityBase = MajorityBase.CONVENED,
) -> ElectionRules:  # fmt: skip
    """Check the list against Art. 14 and return the rules, or raise RuleError."""
    if seats < 1:
        raise RuleError("seats", "the number to elect must be at least 1",
                        "số lượng cần bầu phải ít nhất là 1")  # fmt: skip
    if candidates < seats:
        raise RuleError(
            "list_short",
            f"the list has {candidates} names for {seats} seats",
            f"danh sách có {candidates} người cho {seats} suất cần bầu",
        )
    if kind in SURPLUS_REQUIRED:
        if candidates == seats:
            raise RuleError(
                "surplus_cap",
                "Art. 14.1: this list needs more candidates than seats",
                "Điều 14.1: danh sách này phải có số dư (nhiều hơn số lượng cần bầu)",
            )
        if candidates - seats > max_surplus(seats):
            raise RuleError(
                "surplus_cap",
                f"Art. 14.1: surplus {candidates - seats} of {seats} is over 30%",
                f"Điều 14.1: số dư {candidates - seats}/{seats} vượt quá 30%",
            )
    elif candidates - seats > max_surplus(seats) and not surplus_decision.strip():
        raise RuleError(
            "surplus_decided",
            "a surplus over 30% needs the conference's recorded decision",
            "số dư trên 30% cần có quyết định của đại hội (hội nghị) được ghi biên bản",
        )
    return ElectionRules(kind, seats, candidates, majority_base, surplus_decision.strip())


# --- ballots --------------------------------------------------------------------------


class Mark(StrEnum):
    """One person's mark on a list without surplus."""

    AGREE = "agree"  # đồng ý
    DISAGREE = "disagree"  # không đồng ý
    BOTH = "both"  # both boxes
    NEITHER = "neither"  # no box


@dataclass(frozen=True)
class Validity:
    valid: bool
    rule: str = ""
    en: str = ""
    vi: str = ""


VALID = Validity(True)


def check_ballot_surplus(rules: ElectionRules, kept: int) -> Validity:
    """A ballot on a list with surplus keeping `kept` names (the others crossed out)."""
    if not 0 <= kept <= rules.candidates:
        raise ValueError("kept out of range")
    if kept > rules.seats:
        return Validity(False, "kept_at_most_seats",
                        f"keeps {kept} names for {rules.seats} seats",
                        f"giữ {kept} người, nhiều hơn {rules.seats} cần bầu")  # fmt: skip
    if kept < rules.min_kept:
        return Validity(False, "not_all_crossed", "every name is crossed out",
                        "gạch tên tất cả những người trong danh sách")  # fmt: skip
    return VALID


def check_ballot_marks(rules: ElectionRules, marks: Sequence[Mark]) -> Validity:
    """A ballot on a list without surplus, one mark per person."""
    if len(marks) != rules.candidates:
        raise ValueError("one mark per person")
    if rules.candidates == 1 and marks[0] in (Mark.BOTH, Mark.NEITHER):
        return Validity(False, "single_person", "a list of one: mark exactly one box",
                        "danh sách một người: phải đánh dấu đúng một ô")  # fmt: skip
    return VALID


def votes_from_marks(marks: Sequence[Mark]) -> list[int]:
    """Art. 30.1: only "agree" counts for a person; both/neither count for no one."""
    return [1 if m is Mark.AGREE else 0 for m in marks]


# --- results --------------------------------------------------------------------------


class Status(StrEnum):
    ELECTED = "elected"  # trúng cử
    TIED = "tied"  # ngang phiếu ở suất cuối
    NOT_ELECTED = "not_elected"  # over half but no seat left
    NO_MAJORITY = "no_majority"  # chưa quá một nửa


STATUS_VI = {
    Status.ELECTED: "Trúng cử",
    Status.TIED: "Ngang phiếu ở suất cuối",
    Status.NOT_ELECTED: "Đủ quá một nửa nhưng hết suất",
    Status.NO_MAJORITY: "Không đạt quá một nửa",
}


@dataclass(frozen=True)
class Ranked:
    index: int  # position on the list (0-based)
    votes: int
    rank: int  # 1 = most votes; equal votes share a rank
    share_valid: Fraction  # votes / valid ballots
    status: Status
    en: str
    vi: str


@dataclass(frozen=True)
class Outcome:
    ranked: list[Ranked]
    elected: list[int]
    seats_left: int
    #: list indices a further round would be held among (ties at the last seat, or the
    #: candidates not elected when seats remain); empty when all seats are filled
    further_round: list[int] = field(default_factory=list)
    further_en: str = ""
    further_vi: str = ""


def majority_base_of(rules: ElectionRules, valid: int, convened: int | None) -> int:
    if rules.majority_base is MajorityBase.VALID:
        return valid
    # 0 is a number convened (an empty simulation): nobody has votes, nobody is elected
    if convened is None or convened < 0:
        raise ValueError("the convened number (Art. 30.2-30.3) is required")
    return convened


def outcome(
    rules: ElectionRules, votes: Sequence[int], valid: int, convened: int | None = None
) -> Outcome:
    """Who is elected, from the votes per candidate (list order) and the number of valid
    ballots (Art. 30 [S2]; ties and further rounds [S5]).

    A candidate qualifies with 2·votes > base. Qualifiers are taken in order of votes up to
    the number to elect. If equal votes straddle the last seat, none of that group is
    elected; they go to a further round for the remaining seats.
    """
    if len(votes) != rules.candidates:
        raise ValueError("one count per candidate")
    if valid < 0 or any(not 0 <= v <= valid for v in votes):
        raise ValueError("each count must lie in [0, valid]")
    base = majority_base_of(rules, valid, convened)
    order = sorted(range(len(votes)), key=lambda i: (-votes[i], i))
    qualified = [i for i in order if 2 * votes[i] > base]
    elected: list[int] = []
    tied: list[int] = []
    pos = 0
    while pos < len(qualified) and len(elected) < rules.seats:
        group = [i for i in qualified[pos:] if votes[i] == votes[qualified[pos]]]
        if len(elected) + len(group) <= rules.seats:
            elected += group
        else:
            tied = group
            break
        pos += len(group)
    left = rules.seats - len(elected)
    ranked = []
    for i in order:
        rank = 1 + sum(1 for v in votes if v > votes[i])
        share = Fraction(votes[i], valid) if valid else Fraction(0)
        if i in elected:
            st, en, vi = (
                Status.ELECTED,
                "more than half, within the seats",
                "quá một nửa, trong số lượng cần bầu",
            )
        elif i in tied:
            st, en, vi = (
                Status.TIED,
                "equal votes at the last seat",
                "số phiếu ngang nhau ở suất cuối",
            )
        elif 2 * votes[i] > base:
            st, en, vi = (
                Status.NOT_ELECTED,
                "more than half, but the seats are filled",
                "quá một nửa nhưng đã đủ số lượng",
            )
        else:
            st, en, vi = (
                Status.NO_MAJORITY,
                f"not more than half of {base}",
                f"không quá một nửa của {base}",
            )
        ranked.append(Ranked(i, votes[i], rank, share, st, en, vi))  # fmt: skip
    further: list[int] = []
    fen = fvi = ""
    if tied:
        further = sorted(tied)
        fen = f"a further round among the {len(tied)} tied for {left} seat(s), if the conference decides"
        fvi = f"bầu tiếp trong số {len(tied)} người ngang phiếu cho {left} suất, nếu đại hội quyết định"
    elif left:
        further = sorted(i for i in order if i not in elected)
        fen = f"{left} seat(s) unfilled: a further round, if the conference decides"
        fvi = f"còn {left} suất chưa đủ: bầu tiếp, nếu đại hội quyết định"
    return Outcome(ranked, elected, left, further, fen, fvi)  # fmt: skip


def rules_from_manifest(value: Mapping[str, Any]) -> ElectionRules:
    """Read back the configuration recorded by `ElectionRules.as_manifest`."""
    return ElectionRules(
        Kind(value["kind"]), int(value["seats"]), int(value["candidates"]),
        MajorityBase(value["majority_base"]), str(value.get("surplus_decision", "")),
    )  # fmt: skip
