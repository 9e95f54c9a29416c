"""Navigation entries, each shown only to the roles that may use it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, url_for
from flask_babel import gettext

from ballot.auth.models import Role
from ballot.voting import rules as vote_rules
from ballot.voting.rules import VoteRules
from ballot.web.access import has_role


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object  # a lazy string
    roles: tuple[Role, ...]


def add_nav(app: Flask, endpoint: str, label: object, *roles: Role) -> None:
    """Add a navigation entry for `roles` (all roles when none given)."""
    app.extensions.setdefault("ballot_nav", []).append(
        NavEntry(endpoint, label, roles or tuple(Role))
    )


def init_app(app: Flask) -> None:
    """Expose `nav_items()`, the label helpers and the regulation's flag line to templates."""
    from ballot import labels

    def nav_items() -> list[dict[str, str]]:
        entries: list[NavEntry] = app.extensions.get("ballot_nav", [])
        return [
            {"url": url_for(e.endpoint), "label": str(e.label)}
            for e in entries
            if has_role(*e.roles)
        ]

    def flag_line(name: str, share: str, flag: str | None, rules: VoteRules) -> str:
        """The regulation's line for a flagged person, as the minutes print it, translated."""
        return vote_rules.flag_line(name, share, flag, rules, gettext)

    app.jinja_env.globals.update(
        nav_items=nav_items,
        flag_line=flag_line,
        role_label=labels.role_label,
        committee_label=labels.committee_label,
        position_label=labels.position_label,
        level_label=labels.level_label,
    )
