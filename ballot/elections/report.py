"""Readable election results from a verified record: ranking, percentages of the valid
ballots, who is elected and why (190-QĐ/TW Art. 30), in Vietnamese then English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ballot.elections.rules import STATUS_VI, MajorityBase, Outcome, outcome, rules_from_manifest


def record_outcome(record: Mapping[str, Any]) -> Outcome:
    """The outcome of a VERIFIED election record. The majority base "convened" is the
    manifest's `rules.election.convened` when the app recorded it (the number convened net
    of the exclusions of Art. 30, fixed before the keys were made), else the attendance's
    summoned number."""
    election = record["manifest"]["rules"]["election"]
    rules = rules_from_manifest(election)
    result = record["result"]
    convened = election.get("convened", record["attendance"]["summoned"])
    base = None if rules.majority_base is MajorityBase.VALID else convened
    return outcome(rules, result["counts"], result["valid"], base)


def outcome_lines(record: Mapping[str, Any]) -> list[str]:
    rules = rules_from_manifest(record["manifest"]["rules"]["election"])
    out = record_outcome(record)
    names = [s["name"] for s in record["manifest"]["subjects"]]
    valid = record["result"]["valid"]
    lines = [
        f"Bầu {rules.seats}/{rules.candidates} người; phiếu hợp lệ {valid}, không hợp lệ "
        f"{record['result']['invalid']} / {rules.seats} of {rules.candidates}; "
        f"valid ballots {valid}",
        "Hạng | Họ và tên | Số phiếu | % phiếu hợp lệ | Kết quả / Rank | Name | Votes | % | Result",
    ]
    for r in out.ranked:
        pct = f"{100 * r.share_valid.numerator / r.share_valid.denominator:.2f}%"
        lines.append(
            f"{r.rank} | {names[r.index]} | {r.votes} | {pct} | {STATUS_VI[r.status]} — {r.vi} "
            f"/ {r.status.value}"
        )
    lines.append(f"Trúng cử / Elected: {len(out.elected)} / {rules.seats}")
    if out.further_vi:
        lines.append(f"{out.further_vi} / {out.further_en}")
    return lines
