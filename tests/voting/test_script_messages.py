"""One translation path for the page scripts: booth, board, ceremony and decrypt take every
message from a JSON block the template renders through Babel; the English UI gets English
messages, the Vietnamese UI Vietnamese ones, and the scripts themselves hold no words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ballot.db import db
from ballot.voting import desk
from ballot.voting.models import ConfidenceVote

APP_JS = Path(__file__).resolve().parents[2] / "ballot" / "static" / "js" / "app"
#: Letters only Vietnamese uses (with its tone marks): none may show in the English messages.
VIETNAMESE = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE
)
#: Which scripts each page runs (the view and its machine).
PAGES = {
    "booth": ["booth.js", "booth-machine.js", "election-ballot.js", "election-view.js"],
    "board": ["board.js", "board-check.js"],
    "ceremony": ["ceremony.js", "ceremony-machine.js"],
    "decrypt": ["decrypt.js", "decrypt-machine.js", "election-count.js"],
}


def _code(name: str) -> str:
    """A script without its comments (they may quote the UI)."""
    text = (APP_JS / name).read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"(^|\s)//.*$", "", text, flags=re.M)


def keys_used(names: list[str]) -> set[str]:
    """Every message key the scripts ask for: msg("k"), msg(c ? "a" : "b"), msg(x || "k"), {key: "k"},
    and the key tables (FATAL_KEYS, KNOWN_CODES, the why_ keys)."""
    keys: set[str] = set()
    for name in names:
        code = _code(name)
        keys |= set(re.findall(r'\bmsg\(\s*"(\w+)"', code))
        keys |= set(re.findall(r'\bkey:\s*"(\w+)"', code))
        for a, b in re.findall(r'(?:\bmsg\(|\bkey:)[^()]*?\?\s*"(\w+)"\s*:\s*"(\w+)"', code):
            keys |= {a, b}
        keys |= set(re.findall(r'\bmsg\([^()"]*\|\|\s*"(\w+)"', code))
        keys |= set(re.findall(r'"(why_\w+)"', code))
        for table in re.findall(r"(?:FATAL_KEYS|KNOWN_CODES) = [\[{](.*?)[\]}];", code, re.S):
            keys |= set(re.findall(r'"(\w+)"(?!\s*:)', table))
    return keys


def messages(html: str) -> dict[str, str]:
    block = re.search(r'<script type="application/json" id="messages">(.*?)</script>', html, re.S)
    assert block, "no messages block"
    return json.loads(block.group(1))


def test_the_scripts_hold_no_words() -> None:
    for name in sorted(p.name for p in APP_JS.glob("*.js")):
        assert not VIETNAMESE.search(_code(name)), f"{name} has Vietnamese outside comments"


@pytest.fixture
def open_vote(demo_app, ready_vote):
    vote_id, _ = ready_vote
    with demo_app.app_context():
        vote = db.session.get(ConfidenceVote, vote_id)
        for voter in vote.voters[:15]:
            desk.set_present(vote, voter, True)
        desk.open_vote(vote)
        db.session.commit()
        return vote.public_id


def _page(client, auth, public_id: str, page: str, lang: str) -> str:
    if page in ("ceremony", "decrypt"):
        # log in before choosing the language: a login starts a new session
        auth.login("kiemphieu2", "kp2-demo-2024")
        url = f"/count/{public_id}/{page}"
    else:
        url = f"/{page}/{public_id}"
    client.get(f"/lang/{lang}")
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_message_a_script_uses_is_rendered_in_both_languages(
    client, auth, open_vote, page
) -> None:
    used = keys_used(PAGES[page])
    assert used, page
    vi = messages(_page(client, auth, open_vote, page, "vi"))
    en = messages(_page(client, auth, open_vote, page, "en"))
    assert used <= set(vi), f"{page}: missing {sorted(used - set(vi))}"
    assert set(vi) == set(en)
    for key, text in en.items():
        assert text and not VIETNAMESE.search(text), f"{page}.{key} in English: {text!r}"
        assert text != vi[key] or not VIETNAMESE.search(vi[key]), key
    assert any(VIETNAMESE.search(text) for text in vi.values())
    # the placeholders survive translation
    for key, text in vi.items():
        assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", en[key])), key


def test_the_booth_shows_t_of_n_and_the_safe_buttons(client, open_vote) -> None:
    html = client.get(f"/booth/{open_vote}").get_data(as_text=True)
    assert "khi có đủ 2 trong số 3 thành viên Ban kiểm phiếu" in html
    dialog = html.split("data-blank-dialog", 1)[1].split("</dialog>", 1)[0]
    assert re.search(r'class="primary" data-blank-back>Quay lại chọn<', dialog)
    assert re.search(r'class="secondary" data-blank-confirm>', dialog)
    cancel = html.split("data-cancel-dialog", 1)[1].split("</dialog>", 1)[0]
    assert re.search(r'class="primary" data-cancel-keep>', cancel)
    client.get("/lang/en")
    html = client.get(f"/booth/{open_vote}").get_data(as_text=True)
    assert "by 2 of the 3 counting committee members" in html


def test_a_member_who_is_not_the_chair_sees_the_vote_running(client, auth, open_vote) -> None:
    auth.login("kiemphieu2", "kp2-demo-2024")
    html = client.get(f"/count/{open_vote}").get_data(as_text=True)
    status = html.split("data-member-status", 1)[1].split("</p>", 1)[0]
    assert "Đang nhận phiếu:" in status and 'data-field="ballots_cast">0<' in status
    assert 'data-field="present">15<' in status
    assert "Trưởng ban Đặng Quốc Khánh sẽ khóa sổ" in html
    assert "cần 2 trong số 3 thành viên" in html
    assert "Khóa sổ</button>" not in html  # only the chair closes
