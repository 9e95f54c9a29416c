"""Quy định 366-QĐ/TW (30/8/2025) with Hướng dẫn 43-HD/BTCTW: scores out of 100, 90/70/50."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from ballot.rating.rules import CapBasis, CapRule, Discipline, Level, RuleSet, ScoreScale
from ballot.rating.rulesets.qd124 import TRIGGERS

RULE_SET = RuleSet(
    code="366-QD-TW",
    title="Quy định 366-QĐ/TW",
    issued=date(2025, 8, 30),
    effective_from=date(2025, 8, 30),
    guidance="Hướng dẫn 43-HD/BTCTW",
    levels=(Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.FAILED),
    score_scale=ScoreScale(
        maximum=Decimal(100),
        thresholds=(
            (Level.EXCELLENT, Decimal(90)),
            (Level.GOOD, Decimal(70)),
            (Level.COMPLETED, Decimal(50)),
        ),
    ),
    cap=CapRule(share=Fraction(20, 100), outstanding_share=Fraction(25, 100), basis=CapBasis.GOOD),
    low_confidence_over=Fraction(1, 2),
    discipline_from=Discipline.REPRIMAND,
    triggers=TRIGGERS,
)
