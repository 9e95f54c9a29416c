"""Logging, configured once: one line per event on stderr, as key=value pairs.

    time=2026-11-30T23:41:07.512+07:00 level=INFO logger=ballot.web.api event=cast.refused vote=Q4M2K error=used_code status=409

Our own events carry `event=` and their fields (see `log_event`); a library's message
(cheroot, Alembic) comes as `msg="..."`. Times are Vietnam time with the offset
written out (UTC+7 all year: Vietnam keeps no daylight saving time).

What is never logged: a ballot code, a ballot, a choice, a tracker, and no line at all for
an accepted ballot. A time per accepted ballot would date each entry of the board (whose
entries carry no time on purpose) and so tie a ballot to whoever stood at the tablet then.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, TextIO

VIETNAM = timezone(timedelta(hours=7), "ICT")
#: Values written without quotes; anything else is JSON-quoted (so a line stays one line).
_BARE = re.compile(r"^[\w.:/@+\-]+$")
#: Libraries whose INFO lines say nothing an operator needs (Alembic's "Context impl ...");
#: the migrations are logged by ballot.instance.upgrade_database instead.
_QUIET = ("alembic",)


def _value(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if text and _BARE.match(text):
        return text
    return json.dumps(text, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    """Format a record as one line of key=value pairs."""

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC).astimezone(VIETNAM)
        parts = [
            f"time={when.isoformat(timespec='milliseconds')}",
            f"level={record.levelname}",
            f"logger={record.name}",
        ]
        fields: dict[str, Any] | None = getattr(record, "event_fields", None)
        if fields is None:
            parts.append(f"msg={_value(record.getMessage())}")
        else:
            parts.append(f"event={_value(record.msg)}")
            parts.extend(f"{key}={_value(value)}" for key, value in fields.items())
        if record.exc_info:
            parts.append(f"exc={_value(self.formatException(record.exc_info))}")
        return " ".join(parts)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (a test runner swaps it per test)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:  # the base class sets it once; ignored
        pass


def configure_logging(level: str | int = "INFO", stream: TextIO | None = None) -> None:
    """Send every log record at `level` or above to stderr (or `stream`) as key=value lines.

    Called by the application factory; calling it again only changes the level, so the
    handler is installed once per process whatever the number of apps.
    """
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "ballot_handler", False)]
    if stream is not None:
        for handler in ours:
            root.removeHandler(handler)
        ours = []
    if not ours:
        new: logging.Handler = (
            logging.StreamHandler(stream) if stream is not None else _StderrHandler()
        )
        new.ballot_handler = True  # type: ignore[attr-defined]
        new.setFormatter(KeyValueFormatter())
        root.addHandler(new)
    root.setLevel(level if isinstance(level, int) else level.upper())
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log one event with its fields (never pass a code, a ballot or a choice)."""
    logger.log(level, event, extra={"event_fields": fields})
