"""Every page in both languages, as every role, on the demo data: the Vietnamese interface
shows no English, the English interface no Vietnamese, outside names and quotations.

Pages are every GET route of app.url_map that renders HTML, with its arguments taken from
the demo (both demo votes, the rating year, a unit and a member). Names and titles come from
the database and are removed first; quotations are marked with a `lang` attribute and skipped.
The words looked for are a heuristic: common words of the other language.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import select

from ballot.auth.models import User
from ballot.db import db
from ballot.labels import POSITION_VI
from ballot.org.models import Conference, Organisation
from ballot.rating.models import Member, RatingOverride, RatingRevision
from ballot.voting.models import ConfidenceVote

ROLES = {
    "anonymous": None,
    "admin": ("admin", "admin-demo-2024"),
    "desk": ("desk", "desk-demo-2024"),
    "counting": ("kiemphieu1", "kp1-demo-2024"),
    "observer": ("observer", "observer-demo-2024"),
}
#: Routes that never render a page (files, JSON, the language switch itself).
NOT_PAGES = re.compile(r"^/(api/|static/|lang/|documents/)|\.(json|csv|xlsx|pdf|ico)$|export")

#: Common English words that would betray an untranslated Vietnamese page.
ENGLISH = {
    "the", "and", "of", "is", "are", "with", "for", "from", "this", "that", "your",
    "please", "vote", "votes", "member", "members", "code", "codes", "not", "yet", "results",
    "download", "print", "open", "closed", "page", "error", "back", "key", "committee",
    "counting", "fingerprint", "receipt", "board", "present", "absent", "record", "minutes",
    "none", "true", "false", "on", "by", "or", "be", "has", "have", "all", "each",
    "name", "state", "ballots", "level", "rating", "ratings", "year", "party", "step", "done",
    "send", "check", "show", "hide", "save", "cancel", "continue", "loading", "waiting",
}  # fmt: skip
#: Common Vietnamese words (with their marks) that would betray an untranslated English page.
VIETNAMESE = {
    "của", "và", "được", "không", "người", "phiếu", "cuộc", "đã", "chưa", "trong", "này",
    "các", "có", "mã", "thành", "viên", "bỏ", "lấy", "nhiệm", "kết", "quả", "đồng", "chí",
    "giải", "khóa", "số", "để", "với", "tải", "xem", "chọn", "danh", "sách", "hồ", "sơ", "ban",
    "vắng", "mặt", "điểm", "nhận", "cần", "trên", "đến", "từ", "lý", "là", "cho", "khi",
    "theo", "tại", "hoặc", "sau", "trước", "những", "một", "nào", "vào", "hãy", "bạn", "tổ",
    "chức", "đảng", "vụ", "hoàn", "xếp", "loại", "đang", "tạo", "gửi", "bước", "tiếp", "lại",
}  # fmt: skip


class _Text(HTMLParser):
    """The visible text of a page and its labels, minus scripts and quotations (lang=…)."""

    SKIP = {"script", "style", "template"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area", "base"}

    def __init__(self, page_lang: str) -> None:
        super().__init__()
        self.page_lang = page_lang
        self.stack: list[bool] = []
        self.parts: list[str] = []
        self.json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.json = tag == "script" and a.get("type") == "application/json"
        skip = (
            (tag in self.SKIP and not self.json)
            or (a.get("lang") not in (None, self.page_lang) and tag != "html")
            # a cited legal source (class "source", <cite>) is a quotation of its text
            or tag == "cite"
            or "source" in (a.get("class") or "").split()
            or (self.stack and self.stack[-1])
        )
        for name in ("placeholder", "aria-label", "title", "data-confirm", "alt"):
            if a.get(name) and not skip:
                self.parts.append(str(a[name]))
        if tag not in self.VOID:
            self.stack.append(bool(skip))

    def handle_endtag(self, tag: str) -> None:
        self.json = False
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1]:
            return
        if self.json:  # a page script's messages, rendered through Babel: check their strings
            self.parts.extend(_strings(json.loads(data)))
        else:
            self.parts.append(data)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def visible_text(html: str, lang: str) -> str:
    parser = _Text(lang)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _names() -> list[str]:
    """Every name and title the demo puts on pages, longest first (removed before checking)."""
    names: set[str] = set(POSITION_VI.values())
    names |= set(db.session.scalars(select(User.full_name)))
    names |= set(db.session.scalars(select(Organisation.name)))
    names |= {n for n in db.session.scalars(select(Organisation.superior_name)) if n}
    names |= {n for n in db.session.scalars(select(Organisation.header_name)) if n}
    names |= set(db.session.scalars(select(Conference.name)))
    names |= {n for n in db.session.scalars(select(Conference.place)) if n}
    names |= set(db.session.scalars(select(Member.full_name)))
    # reasons people wrote are quotations, shown as written
    names |= set(db.session.scalars(select(RatingOverride.reason)))
    names |= set(db.session.scalars(select(RatingRevision.reason)))
    for vote in db.session.scalars(select(ConfidenceVote)):
        names.add(vote.title)
        names |= {s.full_name for s in vote.subjects} | {s.position for s in vote.subjects}
        names |= {v.full_name for v in vote.voters} | {v.position for v in vote.voters}
        names |= {t.full_name for t in vote.trustees}
    return sorted((n for n in names if n), key=len, reverse=True)


def without_names(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, " ")
    return text


def foreign_words(text: str, lang: str, names: list[str]) -> list[str]:
    # a page script's placeholders ({code}, {fp}) are filled in by the script, not read
    text = re.sub(r"\{\w+\}", " ", without_names(text, names))
    # whole words only: a hash group such as "0BE4" is not the word "be"
    words = [w for w in re.findall(r"\w+", text.lower()) if w.isalpha()]
    other = ENGLISH if lang == "vi" else VIETNAMESE
    return sorted({w for w in words if w in other})


def _context(text: str, word: str) -> str:
    """Where a word was found, to fix it quickly."""
    match = re.search(rf"(?i)(?<!\w){re.escape(word)}(?!\w)", text)
    start = match.start() if match else 0
    return f"“{word}” in …{text[max(0, start - 60) : start + 60]}…"


@pytest.fixture
def demo_with_votes(demo_votes_app):
    """The demo with its two votes (one awaiting its key ceremony, one counted rehearsal)."""
    return demo_votes_app


def _pages(app: Any) -> list[str]:
    with app.app_context():
        votes = list(db.session.scalars(select(ConfidenceVote.public_id)))
        unit = db.session.scalar(
            select(Organisation.code).where(Organisation.parent_id.is_not(None))
        )
        member = db.session.scalar(select(Member.code))
        conference = db.session.scalar(select(Conference.id))
    values: dict[str, list[str]] = {
        "public_id": votes,
        "year": ["2023"],
        "code": [unit or ""],
        "kind": ["organisation"],
        "conference_id": [str(conference)],
    }
    pages: set[str] = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or NOT_PAGES.search(rule.rule):
            continue
        paths = [rule.rule]
        for arg in sorted(rule.arguments):
            assert arg in values, f"no demo value for <{arg}> in {rule.rule}"
            paths = [
                re.sub(rf"<(?:[^:<>]+:)?{arg}>", value, p) for p in paths for value in values[arg]
            ]
        pages |= set(paths)
    pages.add(f"/ratings/2023/member/{member}")
    return sorted(pages)


@pytest.mark.slow  # ~400 pages rendered and read (8-10 s); quick run: tests/foundation/test_catalog.py
def test_every_page_speaks_one_language(demo_with_votes, client, auth) -> None:
    app = demo_with_votes
    pages = _pages(app)
    with app.app_context():
        names = _names()
    assert len(pages) >= 20, pages
    seen = 0
    problems: list[str] = []
    for role, login in ROLES.items():
        if login:
            auth.login(*login)
        for lang in ("vi", "en"):
            client.get(f"/lang/{lang}")
            for path in pages:
                with client.get(path) as response:
                    if response.status_code != 200 or response.mimetype != "text/html":
                        continue
                    html = response.get_data(as_text=True)
                assert f'lang="{lang}"' in html[:200], (role, lang, path)
                seen += 1
                text = visible_text(html, lang)
                found = foreign_words(text, lang, names)
                if found:
                    where = _context(without_names(text, names), found[0])
                    problems.append(f"{role} {lang} {path}: {where}")
        if login:
            auth.logout()
    assert seen >= 100, seen
    assert problems == [], "\n".join(problems)


def test_the_heuristic_catches_both_directions() -> None:
    """The check itself can fail: an English word on a Vietnamese page and the reverse."""
    assert foreign_words("Kết quả của cuộc lấy phiếu", "vi", []) == []
    assert foreign_words("Download the record", "vi", []) == ["download", "record", "the"]
    assert foreign_words("Results of the vote", "en", []) == []
    assert foreign_words("Results của cuộc bỏ phiếu", "en", []) == ["bỏ", "cuộc", "của", "phiếu"]
    # names are data, not words of the interface; quotations carry their own lang
    assert foreign_words("Nguyễn Văn Tám present", "en", ["Nguyễn Văn Tám"]) == []
    html = '<p>Switch to <a lang="vi">Tiếng Việt của tôi</a></p><script>var của;</script>'
    assert visible_text(html, "en") == "Switch to"
    # a page script's messages in a JSON block are checked like the page
    block = '<script type="application/json">{"sent": "Đã gửi", "n": 3}</script><p>after</p>'
    assert visible_text(block, "en") == "Đã gửi after"
