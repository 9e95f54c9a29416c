"""The registry of rule sets: every module in this package defines one `RULE_SET`.

Adding the next regulation means adding a module here; nothing else names a regulation.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from ballot.rating.rules import RuleSet


@cache
def all_rule_sets() -> tuple[RuleSet, ...]:
    """Return every rule set, oldest first."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append(module.RULE_SET)
    return tuple(sorted(found, key=lambda rules: rules.effective_from))


def get_rule_set(code: str) -> RuleSet:
    """Return the rule set with this code; KeyError when there is none."""
    for rules in all_rule_sets():
        if rules.code == code:
            return rules
    raise KeyError(code)


class NoRuleSet(LookupError):
    """No rule set governs the year (years before 2023 are not rated by this system)."""


def rule_set_for_year(year: int) -> RuleSet:
    """Return the rule set that governs the rating of `year`; NoRuleSet when there is none.

    124-QĐ/TW governs 2023 and 2024, 366-QĐ/TW 2025 on. Years before 2023 were rated under
    132-QĐ/TW with Hướng dẫn 21-HD/BTCTW, which is not encoded: they are refused, never
    silently rated under a later rule set.
    """
    for rules in all_rule_sets():
        if rules.governs(year):
            return rules
    raise NoRuleSet(year)
