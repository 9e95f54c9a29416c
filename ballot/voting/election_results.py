"""An election's results, taken only from its VERIFIED record (ballot.voting.published):
ballots received, valid and invalid, the majority base, the candidates ranked with their
votes and percentage of the valid ballots, who is elected and why under 190-QĐ/TW Art. 30
(ballot.elections.rules.outcome), and whether a further round is needed and among whom.

Free of Flask: the results page, the projector, the API, the minutes and the CLI read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ballot.elections.rules import (
    KIND_VI,
    REGULATION,
    STATUS_VI,
    ElectionRules,
    MajorityBase,
    Outcome,
    Status,
    outcome,
    rules_from_manifest,
)
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote
from ballot.voting.published import VerifiedRecord, verified_record


def percent_text(share: Fraction) -> str:
    """A share as a percentage with two decimals and a decimal comma, rounded half up
    (2/3 → "66,67")."""
    hundredths = int(share * 10000 + Fraction(1, 2))
    return f"{hundredths // 100},{hundredths % 100:02d}"


@dataclass(frozen=True)
class CandidateResult:
    number: int  #: place on the list (1-based, the list's ABC order)
    rank: int  #: 1 = most votes; equal votes share a rank
    full_name: str
    position: str
    votes: int
    share: Fraction  #: votes / valid ballots
    status: Status
    reason_vi: str
    reason_en: str

    @property
    def percent(self) -> str:
        return percent_text(self.share)

    @property
    def elected(self) -> bool:
        return self.status is Status.ELECTED

    @property
    def status_vi(self) -> str:
        return STATUS_VI[self.status]


@dataclass(frozen=True)
class ElectionResults:
    rules: ElectionRules
    proof: VerifiedRecord
    received: int
    valid: int
    invalid: int
    convened: int
    base: int  #: what "more than half" is measured against (Art. 30)
    candidates: list[CandidateResult]  #: in rank order
    seats_left: int
    further_round: list[CandidateResult]  #: in list order; empty when every seat is filled
    further_vi: str
    further_en: str
    round_no: int

    @property
    def elected(self) -> list[CandidateResult]:
        return [c for c in self.candidates if c.elected]

    @property
    def needs_further_round(self) -> bool:
        return bool(self.further_round)

    @property
    def majority_needed(self) -> int:
        """Fewest votes that are more than half of the base."""
        return self.base // 2 + 1

    @property
    def body_vi(self) -> str:
        return KIND_VI[self.rules.kind]

    @property
    def regulation(self) -> str:
        return REGULATION


def election_outcome(vote: ConfidenceVote, proof: VerifiedRecord) -> tuple[Outcome, int, int]:
    """(outcome, convened, base) of the verified counts under the vote's recorded rules."""
    manifest = vote.manifest or {}
    election: dict[str, Any] = (manifest.get("rules") or {}).get("election") or {}
    if not vote.is_election or not election:
        raise VoteError("not_an_election", 409)
    rules = rules_from_manifest(election)
    convened = int(election.get("convened", proof.summoned))
    votes = [row[0] for row in proof.counts]
    valid = proof.received  # protocol §10.6: the booth sends only valid ballots
    out = outcome(rules, votes, valid, convened)
    base = valid if rules.majority_base is MajorityBase.VALID else convened
    return out, convened, base


def election_results(vote: ConfidenceVote) -> ElectionResults:
    """The results of a counted election from its verified record (VoteError `no_results`
    before counting, `record_mismatch` if the database disagrees with the record)."""
    proof = verified_record(vote)
    out, convened, base = election_outcome(vote, proof)
    rules = rules_from_manifest(vote.manifest["rules"]["election"])  # type: ignore[index]
    subjects = vote.subjects
    ranked = [
        CandidateResult(
            r.index + 1,
            r.rank,
            subjects[r.index].full_name,
            subjects[r.index].position,
            r.votes,
            r.share_valid,
            r.status,
            r.vi,
            r.en,
        )  # fmt: skip
        for r in out.ranked
    ]
    by_index = {c.number - 1: c for c in ranked}
    return ElectionResults(
        rules=rules,
        proof=proof,
        received=proof.received,
        valid=proof.received,
        invalid=0,
        convened=convened,
        base=base,
        candidates=ranked,
        seats_left=out.seats_left,
        further_round=[by_index[i] for i in out.further_round],
        further_vi=out.further_vi,
        further_en=out.further_en,
        round_no=vote.round_no,
    )


def results_json(results: ElectionResults) -> dict[str, Any]:
    """The API's view of the results (GET /api/v1/votes/<id>/results for an election)."""
    return {
        "kind": "election",
        "regulation": REGULATION,
        "elects": results.rules.kind.value,
        "seats": results.rules.seats,
        "round": results.round_no,
        "received": results.received,
        "valid": results.valid,
        "invalid": results.invalid,
        "majority_base": results.rules.majority_base.value,
        "convened": results.convened,
        "base": results.base,
        "candidates": [
            {
                "number": c.number,
                "rank": c.rank,
                "full_name": c.full_name,
                "position": c.position,
                "votes": c.votes,
                "percent_valid": c.percent,
                "status": c.status.value,
                "reason": c.reason_en,
                "reason_vi": c.reason_vi,
            }
            for c in results.candidates
        ],
        "elected": [c.full_name for c in results.elected],
        "seats_left": results.seats_left,
        "further_round": [c.full_name for c in results.further_round],
        "further_round_reason": results.further_en,
        "further_round_reason_vi": results.further_vi,
    }
