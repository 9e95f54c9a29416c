"""Domain errors of the vote: a stable code, an HTTP status and the parameters of its message.

The words live in one table, ballot/messages.py (Vietnamese msgids, English in the Babel
catalog); the web layer renders them in the reader's language.
"""

from __future__ import annotations

from ballot.messages import MESSAGES, render, render_in


class VoteError(Exception):
    """A request the vote cannot accept; nothing was changed."""

    status = 409

    def __init__(self, code: str, status: int | None = None, **params: object) -> None:
        if code not in MESSAGES:
            raise KeyError(f"no message for error code {code!r}: add it to ballot/messages.py")
        super().__init__(code)
        self.code = code
        self.params = params
        if status is not None:
            self.status = status

    def message(self) -> str:
        """The message in the current language (the request's, else Vietnamese)."""
        return render(self.code, self.params)

    @property
    def en(self) -> str:
        """The message in English (the API's "message", the CLI)."""
        return render_in("en", self.code, self.params)

    @property
    def vi(self) -> str:
        """The message in Vietnamese (the API's "message_vi")."""
        return render_in("vi", self.code, self.params)

    def __str__(self) -> str:
        return f"{self.code}: {self.en}"

    def to_json(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code, "message": self.en, "message_vi": self.vi}}
