"""The errors of the rating steps: a step that cannot be taken, a decision that fails its checks."""

from __future__ import annotations

from flask_babel import gettext as _

from ballot.rating.checks import Finding


class RatingError(Exception):
    """A step that cannot be taken; the message (Vietnamese) says why."""


class ChecksFailed(RatingError):
    """The decision goes against the rule set and no reason was written to accept it."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(
            _("Kết quả xếp loại chưa qua kiểm tra; cần ghi rõ lý do nếu vẫn giữ kết quả này.")
        )
        self.findings = findings
