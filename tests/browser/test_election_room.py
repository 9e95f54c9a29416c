"""A whole election in the meeting room, in Debian's Chromium, with five tablets.

The Executive Committee elects its Standing Committee (5 of a list of 6, 190-QĐ/TW): the
election is created in the conference, the counting committee holds the key ceremony on
their own devices, the desk checks members in and prints their slips, the chair opens the
vote. Five tablets (portrait and landscape) keep or cross out names; one keeps every name,
is told why the ballot cannot be sent, and crosses one out; one crosses out every name and
is told the same. The chair closes the vote; two counting members check the whole board with
the batch check and decrypt on their devices; the results rank the candidates with exactly
the counts the tablets chose; the public board checks itself on a reader's device, and the
downloaded record passes `ballot verify`.

The time from closing to the results page is printed (run with -s to see it).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from ballot.auth.models import Role, User
from ballot.crypto.cli import verify_command
from ballot.db import db
from ballot.elections.rules import Kind
from ballot.org.models import Conference
from ballot.voting import desk as desk_service
from ballot.voting import setup
from ballot.voting.election_setup import create_election
from ballot.voting.models import BoardEntry, ConfidenceVote, VoteState
from ballot.voting.simulate import run_key_ceremony
from tests.browser.conftest import LiveServer
from tests.browser.test_vote_e2e import MEMBERS, PAGE_ERRORS, PASSPHRASES, enter_code, login, tablet

pytestmark = pytest.mark.browser

TITLE = "Bầu Ban Thường vụ Đảng ủy Khối khóa VIII (hội nghị lần thứ nhất)"
#: Typed into the form; the form puts the list in ABC order of the given name (as the
#: conference approves it), which is already this order.
CANDIDATES = [
    ("Lê Thị Ánh", "Bí thư Đảng ủy Khối"),
    ("Vũ Văn Bảo", "Phó Bí thư Đảng ủy Khối"),
    ("Hoàng Minh Châu", "Chủ nhiệm Ủy ban Kiểm tra"),
    ("Ngô Thị Diệu", "Trưởng Ban Tổ chức"),
    ("Phan Quốc Hưng", "Trưởng Ban Tuyên giáo"),
    ("Trịnh Thu Lan", "Chánh Văn phòng"),
]
SEATS = 5
#: What each tablet sends (True = kept). Candidate 2 is kept by all five, 1 and 3 by four
#: (elected: more than half of the 5 valid ballots), 4, 5 and 6 by two (not elected).
KEPT = [
    [True, True, True, True, True, False],
    [True, True, True, False, True, True],
    [True, True, True, True, False, True],  # first tries to keep all six
    [True, True, False, False, False, False],
    [False, True, True, False, False, False],  # first crosses out every name
]
COUNTS = [sum(k[j] for k in KEPT) for j in range(len(CANDIDATES))]  # [4, 5, 4, 2, 2, 2]


def mark(page: Any, kept: list[bool]) -> None:
    """Keep or cross out each name (a fresh ballot keeps everyone, as on paper)."""
    page.wait_for_selector("[data-screen=ballot]:not([hidden])")
    for j, keep in enumerate(kept):
        page.locator(f"label[for=s{j}-{'keep' if keep else 'cross'}]").tap()
    for j, keep in enumerate(kept):
        assert page.is_checked(f"#s{j}-{'keep' if keep else 'cross'}")
    expect_counter(page, sum(kept))


def expect_counter(page: Any, kept: int) -> None:
    text = " ".join((page.text_content("[data-tally-count]") or "").split())
    assert text == f"Đang giữ {kept} / cần bầu {SEATS}", text


def send(page: Any, kept: list[bool]) -> str:
    """Review (the names as kept or crossed out), send, read the receipt, hand over."""
    page.locator("[data-to-review]").tap()
    page.wait_for_selector("[data-screen=review]:not([hidden])")
    what = [t.strip() for t in page.locator("[data-review] .what").all_text_contents()]
    assert what == ["Giữ lại" if k else "Gạch tên" for k in kept]
    summary = (page.text_content("[data-review-summary]") or "").strip()
    assert (
        summary
        == f"Giữ lại {sum(kept)} người, gạch tên {len(kept) - sum(kept)} người (cần bầu {SEATS})."
    )
    page.locator("[data-send]").tap()
    page.wait_for_selector("[data-screen=receipt]:not([hidden])", timeout=60_000)
    receipt = (page.text_content("[data-receipt-code]") or "").strip()
    page.locator("[data-done]").tap()
    page.wait_for_selector("[data-screen=code]:not([hidden])")
    assert page.locator("[data-ballot] .subject").count() == 0  # nothing of the voter is left
    for hidden in (
        "[data-review]",
        "[data-review-summary]",
        "[data-tally-count]",
        "[data-ballot-error]",
    ):
        assert (page.text_content(hidden) or "").strip() == "", hidden
    return receipt


def ceremony(browser: Any, server: LiveServer, public_id: str, tmp_path: Path) -> dict[int, Any]:
    """The three members make the keys on their own devices; returns their pages and files."""
    members = {i: login(browser, server, *MEMBERS[i]) for i in (1, 2, 3)}
    for i, page in members.items():
        page.goto(server(f"/count/{public_id}/ceremony"))
        page.wait_for_selector("[data-members] tr.me")
        page.fill("#passphrase", PASSPHRASES[i])
        page.fill("#passphrase2", PASSPHRASES[i])
        page.click("[data-start]")
    for i, page in members.items():
        page.wait_for_selector("[data-download]:not([hidden])", timeout=60_000)
        with page.expect_download() as download:
            page.click("[data-keyfile]")
        download.value.save_as(tmp_path / f"key-{i}.json")
    for page in members.values():
        page.wait_for_selector("[data-step=ready].done", timeout=60_000)
    return members


def decrypt(page: Any, server: LiveServer, public_id: str, i: int, tmp_path: Path) -> None:
    page.goto(server(f"/count/{public_id}/decrypt"))
    page.set_input_files("#keyfile", str(tmp_path / f"key-{i}.json"))
    page.fill("#passphrase", PASSPHRASES[i])
    page.click("[data-start]")
    page.wait_for_selector("[data-step=share].done", timeout=120_000)


#: About 60-100 s on this 2-core machine (three key ceremonies, five tablets, two
#: decryptions): slow, like the whole vote of test_vote_e2e; CI runs it (--runslow).
@pytest.mark.slow
def test_an_election_in_the_room(
    browser: Any, live_server: LiveServer, artifacts: Path, tmp_path: Path
) -> None:
    server = live_server
    app = server.app
    PAGE_ERRORS.clear()

    # --- the administrator creates the election in the conference and names the counting
    # committee (the first three counting users, chair 1, 2 of 3)
    admin = login(browser, server, "admin", "admin-demo-2024")
    admin.goto(server("/votes/elections/new"))
    admin.select_option("#kind", "standing_committee")
    admin.fill("#seats", str(SEATS))
    admin.fill("#typed", "\n".join(f"{name}; {position}" for name, position in CANDIDATES))
    admin.select_option("#majority_base", "valid_ballots")
    admin.fill("#title", TITLE)
    admin.click("main form button[type=submit]")
    admin.wait_for_url(re.compile(r"/votes/[0-9a-f-]{36}$"))
    public_id = admin.url.rsplit("/", 1)[1]
    admin.click("form.committee-form button[type=submit]")
    admin.wait_for_selector("text=Đang tạo khóa")
    admin.context.close()
    with app.app_context():
        vote = db.session.scalars(
            select(ConfidenceVote).where(ConfidenceVote.public_id == public_id)
        ).one()
        assert vote.is_election and [s.full_name for s in vote.subjects] == [
            c[0] for c in CANDIDATES
        ]
        assert (vote.election or {})["seats"] == SEATS and (vote.election or {})[
            "majority_base"
        ] == "valid_ballots"

    # --- key ceremony on the members' devices; attendance; the chair opens the vote
    members = ceremony(browser, server, public_id, tmp_path)
    with app.app_context():
        vote = db.session.scalars(
            select(ConfidenceVote).where(ConfidenceVote.public_id == public_id)
        ).one()
        assert (
            vote.state is VoteState.READY
            and (vote.manifest or {})["rules"]["election"]["seats"] == SEATS
        )
        for voter in vote.voters[:16]:
            desk_service.set_present(vote, voter, True)
        db.session.commit()
    # the projector, open before the vote opens, follows by itself
    projector = login(
        browser, server, "observer", "observer-demo-2024", viewport={"width": 1920, "height": 1080}
    )
    projector.goto(server(f"/count/{public_id}/projector"))
    chair = members[1]
    chair.goto(server(f"/count/{public_id}"))
    chair.click("main form[action$='/open'] button[type=submit]")
    chair.wait_for_selector("[data-state=open]")

    # --- the desk prints a slip for five members
    desk = login(browser, server, "desk", "desk-demo-2024", viewport={"width": 1366, "height": 900})
    codes = []
    for rank in range(1, 6):
        desk.goto(server(f"/desk/{public_id}"))
        desk.locator(f"tr[data-voter='{rank}'] [data-action=issue]").click()
        desk.wait_for_selector("[data-slip]")
        codes.append((desk.text_content("[data-code]") or "").strip())
    assert len(set(codes)) == 5
    desk.context.close()

    # --- five tablets, portrait and landscape
    tablets = [tablet(browser, server, public_id, landscape=i % 2 == 1) for i in range(5)]
    receipts: list[str] = []
    for i, page in enumerate(tablets):
        enter_code(page, codes[i])
        page.wait_for_selector("[data-screen=ballot]:not([hidden])")
        assert page.inner_text("#h-ballot").strip() == "Phiếu bầu: giữ lại hoặc gạch tên"
        eyebrow = page.locator(".booth-top .eyebrow [data-for]")
        assert [
            e.get_attribute("data-for") for e in eyebrow.all() if e.get_attribute("hidden") is None
        ] == ["election"]
        names = [n.strip() for n in page.locator("[data-ballot] .name").all_text_contents()]
        assert names == [c[0] for c in CANDIDATES]
        expect_counter(page, len(CANDIDATES))  # a fresh ballot keeps every name
        if i == 2:
            # keeping all six of five: explained, and the ballot cannot go to review
            page.locator("[data-to-review]").tap()
            page.wait_for_selector("[data-ballot-error]:not([hidden])")
            error = page.text_content("[data-ballot-error]") or ""
            assert "giữ lại 6 người, nhiều hơn số cần bầu (5 người)" in error
            assert "phiếu không hợp lệ" in error and "gạch tên thêm 1 người" in error
            assert page.get_attribute("[data-tally]", "data-tone") == "over"
            assert page.is_visible("[data-screen=ballot]") and page.is_hidden(
                "[data-screen=review]"
            )
            page.screenshot(path=str(artifacts / "election-booth-too-many.png"))
        if i == 4:
            # crossing out every name: explained the same way
            mark(page, [False] * len(CANDIDATES))
            page.locator("[data-to-review]").tap()
            page.wait_for_selector("[data-ballot-error]:not([hidden])")
            assert "gạch tên tất cả" in (page.text_content("[data-ballot-error]") or "")
            assert page.is_hidden("[data-screen=review]")
        mark(page, KEPT[i])
        assert page.is_hidden("[data-ballot-error]")
        if i in (0, 1):
            page.screenshot(
                path=str(artifacts / f"election-booth-{'portrait' if i == 0 else 'landscape'}.png"),
                full_page=True,
            )
        receipts.append(send(page, KEPT[i]))
    with app.app_context():
        entries = db.session.scalars(
            select(BoardEntry).join(ConfidenceVote).where(ConfidenceVote.public_id == public_id)
        ).all()
        assert len(entries) == 5
    for page in tablets:
        page.context.close()

    # --- the chair closes; two members check the board and decrypt on their devices
    chair.goto(server(f"/count/{public_id}"))
    chair.once("dialog", lambda dialog: dialog.accept())
    started = time.monotonic()
    chair.click("main form[action$='/close'] button[type=submit]")
    chair.wait_for_selector("[data-state=closed]")
    decrypt(members[1], server, public_id, 1, tmp_path)
    assert "5/5" in (members[1].text_content("[data-step=board]") or "")
    assert "(1/2)" in (members[1].text_content("[data-status]") or "")
    two = members[2]
    decrypt(two, server, public_id, 2, tmp_path)
    two.wait_for_selector("[data-results-link]:not([hidden])")
    two.click("[data-results-link]")
    two.wait_for_url(re.compile(r"/results$"))
    elapsed = time.monotonic() - started
    print(f"\nfrom closing to the results page: {elapsed:.1f} s")
    projector.wait_for_selector("[data-results] tr[data-candidate]", timeout=30_000)
    print(f"from closing to the results on the projector: {time.monotonic() - started:.1f} s")
    names = [
        n.strip()
        for n in projector.locator(
            "[data-results] tr[data-candidate] td:nth-child(2)"
        ).all_text_contents()
    ]
    assert names == [
        CANDIDATES[j][0] for j in sorted(range(len(CANDIDATES)), key=lambda j: (-COUNTS[j], j))
    ]
    projector.screenshot(path=str(artifacts / "election-projector.png"))
    members[1].screenshot(path=str(artifacts / "election-decrypt.png"), full_page=True)
    two.screenshot(path=str(artifacts / "election-results.png"), full_page=True)

    # --- the public board checks itself on a reader's device; the record verifies
    reader = browser.new_context(viewport={"width": 800, "height": 1280}, locale="vi-VN")
    board = reader.new_page()
    board.goto(server(f"/board/{public_id}"))
    board.click("[data-check-start]")
    board.wait_for_selector("[data-check-status].ok", timeout=60_000)
    assert "Bảng phiếu hợp lệ: đã kiểm tra 5 phiếu và khối khóa sổ" in (
        board.text_content("[data-check-status]") or ""
    )
    assert set(receipts) <= set(
        c.strip() for c in board.locator("table.board code:not(.fp)").all_text_contents()
    )
    # the record, downloaded by a counting member (a reader may once the chair publishes it)
    two.goto(server(f"/board/{public_id}"))
    with two.expect_download() as download:
        two.click(f"a[href$='/votes/{public_id}/record']")
    record = tmp_path / "record.json"
    download.value.save_as(record)
    assert json.loads(record.read_text())["manifest"]["rules"]["election"]["seats"] == SEATS
    verified = CliRunner().invoke(verify_command, [str(record)])
    assert verified.exit_code == 0, verified.output
    board.screenshot(path=str(artifacts / "election-board-checked.png"), full_page=True)
    two.goto(server(f"/count/{public_id}/results"))
    # --- the results rank the candidates with the tablets' counts: more than half of the 5
    # valid ballots (3 or more) elects, in order of votes
    rows = two.locator("tr[data-candidate]")
    shown = []
    for n in range(rows.count()):
        cells = [" ".join(t.split()) for t in rows.nth(n).locator("td").all_text_contents()]
        status = rows.nth(n).locator("[data-status]").get_attribute("data-status")
        shown.append((cells[1], cells[3], cells[4], status))
    ranked = sorted(range(len(CANDIDATES)), key=lambda j: (-COUNTS[j], j))
    expected = [
        (
            CANDIDATES[j][0],
            str(COUNTS[j]),
            f"{100 * COUNTS[j] / len(KEPT):.2f}%".replace(".", ","),
            "elected" if COUNTS[j] * 2 > len(KEPT) else "no_majority",
        )
        for j in ranked
    ]
    assert shown == expected
    assert "Trúng cử: 3 trong số 5 người cần bầu." in " ".join(
        (two.text_content("main") or "").split()
    )

    for context in (
        reader,
        projector.context,
        members[1].context,
        members[2].context,
        members[3].context,
    ):
        context.close()
    assert PAGE_ERRORS == []


#: A congress list: the new Executive Committee, 33 of 40 (a surplus of 7, under 30%).
CONGRESS = [(f"Đại biểu {j:02d}", "Ủy viên Ban Chấp hành") for j in range(1, 41)]


def test_a_congress_list_on_both_tablet_sizes(
    browser: Any, live_server: LiveServer, artifacts: Path
) -> None:
    """Forty names on a portrait and a landscape tablet: keeping 34 of 33 is explained and
    refused, one more name crossed out makes it sendable, and the server accepts both
    ballots (it checks every proof, the range proof included)."""
    app = live_server.app
    PAGE_ERRORS.clear()
    with app.app_context():
        conference = db.session.scalars(select(Conference).limit(1)).one()
        vote = create_election(
            conference, "Bầu Ban Chấp hành (danh sách 40 người)", Kind.COMMITTEE, 33, CONGRESS
        )
        users = list(
            db.session.scalars(select(User).where(User.role == Role.COUNTING).order_by(User.id))
        )
        setup.set_counting_committee(vote, users, users[0], threshold=2)
        run_key_ceremony(vote)
        for voter in vote.voters[:16]:
            desk_service.set_present(vote, voter, True)
        desk_service.open_vote(vote)
        codes = [desk_service.issue_code(vote, voter) for voter in vote.voters[:2]]
        db.session.commit()
        public_id = vote.public_id
    for i, (name, landscape) in enumerate((("portrait", False), ("landscape", True))):
        page = tablet(browser, live_server, public_id, landscape=landscape)
        enter_code(page, codes[i])
        page.wait_for_selector("[data-screen=ballot]:not([hidden])")
        assert page.locator("[data-ballot] .subject").count() == 40
        assert page.is_visible("[data-ballot].long") or not landscape
        kept = [True] * 40
        for j in (0, 5, 10, 15, 20, 25):
            kept[j] = False
            page.locator(f"label[for=s{j}-cross]").tap()
        text = " ".join((page.text_content("[data-tally-count]") or "").split())
        assert text == "Đang giữ 34 / cần bầu 33"
        page.locator("[data-to-review]").tap()
        page.wait_for_selector("[data-ballot-error]:not([hidden])")
        assert "giữ lại 34 người, nhiều hơn số cần bầu (33 người)" in (
            page.text_content("[data-ballot-error]") or ""
        )
        # the counter stays in sight at the top of the screen while the list scrolls
        box = page.locator("[data-tally]").bounding_box()
        assert box is not None and 0 <= box["y"] < 10
        page.screenshot(path=str(artifacts / f"election-booth-40-{name}-too-many.png"))
        kept[39] = False
        page.locator("label[for=s39-cross]").tap()
        assert page.is_hidden("[data-ballot-error]")
        page.screenshot(path=str(artifacts / f"election-booth-40-{name}.png"))
        page.locator("[data-to-review]").tap()
        page.wait_for_selector("[data-screen=review]:not([hidden])")
        assert page.locator("[data-review] li.crossed").count() == 7
        page.locator("[data-send]").tap()
        page.wait_for_selector("[data-screen=receipt]:not([hidden])", timeout=60_000)
        page.context.close()
    with app.app_context():
        entries = db.session.scalars(
            select(BoardEntry).join(ConfidenceVote).where(ConfidenceVote.public_id == public_id)
        ).all()
        assert len(entries) == 2
    assert PAGE_ERRORS == []
