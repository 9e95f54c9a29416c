"""One translation path: every domain error's words come from ballot/messages.py via Babel."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from ballot.crypto.errors import InvalidShare
from ballot.messages import MESSAGES
from ballot.voting.errors import VoteError

ROOT = Path(__file__).resolve().parents[2]


def test_every_error_code_raised_has_words_in_the_table() -> None:
    raised: set[str] = set()
    for path in (ROOT / "ballot").rglob("*.py"):
        raised |= set(re.findall(r'VoteError\(\s*"(\w+)"', path.read_text(encoding="utf-8")))
    assert raised, "the scan found no VoteError at all"
    assert raised <= set(MESSAGES), sorted(raised - set(MESSAGES))
    with pytest.raises(KeyError, match="ballot/messages.py"):
        VoteError("no_such_code")


def test_no_error_carries_hand_written_languages() -> None:
    """The old form VoteError(code, en, vi, status) is gone: a second positional is a status."""
    for path in (ROOT / "ballot").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'VoteError\(\s*"\w+",\s*f?"', text), path


def test_message_follows_the_locale_and_fills_parameters(app) -> None:
    error = VoteError("no_quorum", present=3, needed=15, summoned=22)
    with app.test_request_context():
        assert error.vi.startswith("Chưa đủ số lượng: có mặt 3, cần ít nhất 15 trong số 22")
        assert error.en.startswith("Quorum not reached: 3 present, at least 15 of the 22")
        with force_locale("en"):
            assert error.message() == error.en
        assert error.message() == error.vi  # Vietnamese is the default
        assert error.to_json() == {
            "error": {"code": "no_quorum", "message": error.en, "message_vi": error.vi}
        }


def test_crypto_error_is_named_by_class_in_the_readers_language(app) -> None:
    share = InvalidShare(2, "proof fails", "chứng minh sai")
    error = VoteError("invalid_share", 400, reason=share)
    with app.test_request_context():
        assert error.vi == (
            "Phần giải mã bị từ chối: phần giải mã của thành viên số 2 không kiểm tra được "
            "(thành viên 2: chứng minh sai)"
        )
        assert error.en == (
            "The decryption share was refused: the decryption share of member 2 does not "
            "verify (member 2: proof fails)"
        )


def test_wrong_state_names_the_stages(app) -> None:
    from ballot.voting.models import VoteState

    error = VoteError("wrong_state", state=VoteState.CLOSED, needed=(VoteState.READY,))
    with app.test_request_context():
        assert "“Đã khóa sổ, chờ giải mã”" in error.vi and "“Sẵn sàng”" in error.vi
        assert "“Closed, waiting for decryption”" in error.en
