"""Quy định 124-QĐ/TW (04/10/2023) with Hướng dẫn 25-HD/BTCTW: no national score scale."""

from datetime import date
from fractions import Fraction

from flask_babel import lazy_gettext as _l

from ballot.rating.rules import (
    CapBasis,
    CapRule,
    Discipline,
    Level,
    RuleSet,
    SubjectKind,
    Trigger,
    TriggerSource,
)

MEMBER, ORG = SubjectKind.MEMBER, SubjectKind.ORGANISATION

#: The facts that force "Không hoàn thành nhiệm vụ" (366-QĐ/TW keeps the same list).
TRIGGERS = (
    Trigger(
        "discipline",
        _l("Bị kỷ luật từ khiển trách trở lên trong năm"),
        MEMBER,
        TriggerSource.DISCIPLINE,
    ),
    Trigger(
        "low_confidence",
        _l("Cán bộ lãnh đạo có trên 50% phiếu tín nhiệm thấp trong năm"),
        MEMBER,
        TriggerSource.LOW_CONFIDENCE,
    ),
    Trigger("tasks_undone", _l("Trên 50% nhiệm vụ không hoàn thành"), MEMBER),
    Trigger(
        "unit_under_70",
        _l("Cán bộ lãnh đạo: cơ quan, đơn vị phụ trách hoàn thành dưới 70% nhiệm vụ"),
        MEMBER,
    ),
    Trigger(
        "corruption",
        _l("Cán bộ lãnh đạo: để xảy ra tham nhũng, tiêu cực trong phạm vi phụ trách"),
        MEMBER,
    ),
    Trigger("org_tasks_undone", _l("Tổ chức: trên 50% nhiệm vụ không hoàn thành"), ORG),
    Trigger("leader_disciplined", _l("Tập thể lãnh đạo có thành viên bị kỷ luật"), ORG),
    Trigger("disunity", _l("Nội bộ mất đoàn kết"), ORG),
    Trigger("personnel_errors", _l("Sai phạm trong công tác cán bộ"), ORG),
)

RULE_SET = RuleSet(
    code="124-QD-TW",
    title="Quy định 124-QĐ/TW",
    issued=date(2023, 10, 4),
    effective_from=date(2023, 10, 4),
    guidance="Hướng dẫn 25-HD/BTCTW",
    levels=(Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.FAILED),
    # The regulation rates by criteria, not by a score: a score may be recorded (local
    # scoring frames use one) but is not checked against the level.
    score_scale=None,
    cap=CapRule(share=Fraction(20, 100), outstanding_share=Fraction(25, 100), basis=CapBasis.GOOD),
    low_confidence_over=Fraction(1, 2),
    discipline_from=Discipline.REPRIMAND,
    triggers=TRIGGERS,
)
