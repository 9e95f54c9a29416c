"""The registry of rule sets: every module in this package defines one `RULE_SET`.

Adding the next regulation means adding a module here; nothing else names a regulation.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date
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


def rule_set_for_year(year: int) -> RuleSet:
    """Return the rule set in force at the end of `year` (the time the rating is made)."""
    in_force = [r for r in all_rule_sets() if r.effective_from <= date(year, 12, 31)]
    return in_force[-1] if in_force else all_rule_sets()[0]
