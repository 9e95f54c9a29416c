"""Domain errors of the vote, each with a stable code, an HTTP status and two languages."""

from __future__ import annotations


class VoteError(Exception):
    """A request the vote cannot accept; nothing was changed."""

    status = 409

    def __init__(self, code: str, en: str, vi: str, status: int | None = None) -> None:
        super().__init__(en)
        self.code = code
        self.en = en
        self.vi = vi
        if status is not None:
            self.status = status

    def to_json(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code, "message": self.en, "message_vi": self.vi}}


def wrong_state(en: str, vi: str) -> VoteError:
    return VoteError("wrong_state", en, vi, 409)
