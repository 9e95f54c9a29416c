"""Plain data the election minutes (biên bản kiểm phiếu bầu cử) are rendered from.

Like `context.py`: ints, strings, dates and tuples only, NFC text, and a check of the
arithmetic when built. Who is elected is not stored here: it is computed from the votes by
`ballot.elections.rules.outcome` (Quy chế bầu cử trong Đảng, 190-QĐ/TW, Art. 30), the one
implementation the results page, `ballot verify` and these minutes share.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

from ballot.elections import rules as er
from ballot.minutes.context import OrgHeader, _Plain, _require

_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Candidate(_Plain):
    """One name on the list, in list order (the ABC order the conference approved)."""

    full_name: str
    position: str
    votes: int  #: ballots that kept this name ("đồng ý" on a list without surplus)

    def check(self) -> None:
        _require(self.votes >= 0, f"negative votes for {self.full_name}")


@dataclass(frozen=True)
class ElectionMinutesContext(_Plain):
    """Everything the election minutes print. Figures come from the VERIFIED record."""

    organisation: OrgHeader
    document_date: date
    title: str  #: "Bầu Ban Thường vụ Đảng ủy Khối khóa VIII"
    conference_name: str
    conference_place: str
    started_at: datetime  #: opening of the ballot; aware times print in Vietnam time
    counting_ended_at: datetime
    counting_chair: str
    counting_members: tuple[str, ...]
    # What is elected and how many (Art. 3.1 kinds; Art. 14 the list) — the manifest's
    # rules.election, as `ElectionRules.as_manifest` wrote it.
    kind: str  #: ballot.elections.rules.Kind value
    seats: int
    candidates: tuple[Candidate, ...]
    majority_base: str  #: MajorityBase value (Art. 30)
    #: The number the majority is measured against when the base is "convened" (Art.
    #: 30.2-30.3): the official members convened net of the article's exclusions.
    convened: int
    # The record's attendance and result (Art. 15 of 190, text of 244 Art. 17: ballots).
    summoned: int
    present: int
    absent_names: tuple[str, ...]
    issued: int
    received: int
    valid: int
    invalid: int
    trustee_threshold: int
    trustee_count: int
    fingerprint_hex: str
    closing_hash_hex: str
    record_sha256_hex: str
    record_url: str
    surplus_decision: str = ""  #: the conference's recorded decision (Art. 14.3)
    absent_reasons: tuple[str, ...] = ()
    audit_head_hex: str = ""
    round_no: int = 1  #: 2 for a further round, linked to the first
    copies: int = 2

    def check(self) -> None:
        _require(
            self.summoned == self.present + len(self.absent_names),
            "summoned must equal present plus the named absentees",
        )
        _require(
            not self.absent_reasons or len(self.absent_reasons) == len(self.absent_names),
            "one reason (or an empty one) per absent member",
        )
        _require(0 <= self.received <= self.issued <= self.present, "issued/received/present")
        _require(
            min(self.valid, self.invalid) >= 0 and self.valid + self.invalid == self.received,
            "valid plus invalid ballots must equal ballots received",
        )
        # Art. 14: the list against the number to elect, with the conference's decision;
        # a RuleError (a ValueError) when the regulation does not allow it.
        rules = self.rules
        total = sum(c.votes for c in self.candidates)
        _require(
            total <= rules.seats * self.valid, "more votes than seats × valid ballots (Art. 15)"
        )
        _require(
            1 <= self.convened <= self.summoned,
            "the convened number (Art. 30) must lie between 1 and the number summoned",
        )
        _require(1 <= self.trustee_threshold <= self.trustee_count, "need 1 <= t <= n")
        _require(self.counting_ended_at >= self.started_at, "counting ended before it started")
        _require(self.round_no >= 1 and 1 <= self.copies <= 20, "round and copies")
        for name in ("fingerprint_hex", "closing_hash_hex", "record_sha256_hex"):
            value = getattr(self, name).lower()
            _require(_HEX.fullmatch(value) is not None, f"{name} must be 64 hex digits")
            object.__setattr__(self, name, value)
        head = self.audit_head_hex.lower()
        _require(head == "" or _HEX.fullmatch(head) is not None, "audit head: 64 hex digits")
        object.__setattr__(self, "audit_head_hex", head)
        self.outcome  # noqa: B018 - each count in [0, valid], else ValueError now

    @property
    def rules(self) -> er.ElectionRules:
        return er.check_list(
            er.Kind(self.kind),
            self.seats,
            len(self.candidates),
            surplus_decision=self.surplus_decision,
            majority_base=er.MajorityBase(self.majority_base),
        )

    @property
    def base(self) -> int:
        """What "more than half" is measured against (Art. 30)."""
        return er.majority_base_of(self.rules, self.valid, self.convened)

    @property
    def needed(self) -> int:
        """The fewest votes that are more than half of the base."""
        return self.base // 2 + 1

    @cached_property
    def outcome(self) -> er.Outcome:
        return er.outcome(self.rules, [c.votes for c in self.candidates], self.valid, self.convened)


def record_figures(record: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of an ElectionMinutesContext an election record gives (format of
    ballot/crypto/election_record.py; the caller verifies it first). The number convened
    (Art. 30) is the manifest's when it records one, else the attendance's summoned number,
    as `ballot verify` reads it (ballot.elections.report)."""
    manifest, result = record["manifest"], record["result"]
    rules = manifest["rules"]["election"]
    attendance = record["attendance"]
    return {
        "kind": rules["kind"],
        "seats": int(rules["seats"]),
        "majority_base": rules["majority_base"],
        "convened": int(rules.get("convened") or attendance["summoned"]),
        "surplus_decision": rules.get("surplus_decision", ""),
        "candidates": tuple(
            Candidate(s["name"], s.get("position", ""), int(v))
            for s, v in zip(manifest["subjects"], result["counts"], strict=True)
        ),
        "summoned": int(attendance["summoned"]),
        "present": int(attendance["present"]),
        "issued": int(attendance["issued"]),
        "received": int(result["received"]),
        "valid": int(result["valid"]),
        "invalid": int(result["invalid"]),
        "trustee_threshold": int(manifest["threshold"]),
        "trustee_count": len(manifest["trustees"]),
        "fingerprint_hex": record["fingerprint"],
        "closing_hash_hex": record["closing"]["hash"],
    }
