"""The meeting room in Debian's Chromium: the desk, three tablets, the projector, the board.

The keys are made by the services (the ceremony has its own browser test). Then the desk
checks members in by the buttons on their rows (one reported absent with a reason) while the
projector, open from the start, follows the count without reloading; the chair opens the vote;
the desk prints everyone's slips in one run (A4 sheets, 8 slips each) and a latecomer's slip on
its own. Three tablets vote: one cancels a filled ballot first (and is asked), one leaves a row
blank and goes back to fill it (the dialog's primary button); more ballots arrive through the
services. The chair closes the vote in the console; the projector shows the closing hash, then,
after two members decrypt, the results with the regulation's flags. A receipt typed with
look-alike characters (O for 0, l for 1, lower case, spaces) is found on the public board.

Screenshots go to test-artifacts/; with BALLOT_DOCS_IMG=1 the desk, slips, booth and projector
ones are also written to docs/img/ for the README.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path
from typing import Any, cast

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ballot.auth.models import Role, User
from ballot.db import db
from ballot.i18n import hex_groups
from ballot.org.models import Conference
from ballot.voting import casting, setup
from ballot.voting import desk as desk_service
from ballot.voting.models import BoardEntry, ConfidenceVote
from ballot.voting.simulate import cast_choices, decrypt_as, run_key_ceremony
from tests.browser.conftest import LiveServer
from tests.browser.test_vote_e2e import PAGE_ERRORS, choose, enter_code, login, tablet

pytestmark = pytest.mark.browser

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
TITLE = "Lấy phiếu tín nhiệm đối với Ủy viên Ban Thường vụ (phòng họp)"
#: Choices of the three tablets (0 high, 1 normal, 2 low), then of seven more ballots cast
#: through the services: subject 2 gets 6 of 10 low (over 1/2), subject 3 all 10 (2/3 or more).
TABLETS: list[list[int | None]] = [[0, 2, 2, 0, 1, 0], [1, 2, 2, 0, 0, 0], [0, 0, 2, 1, 0, 0]]
MORE = cast(list[list[int | None]], [[0, 2, 2, 0, 0, 0]] * 4 + [[0, 0, 2, 0, 0, 1]] * 3)


def shot(page: Any, artifacts: Path, name: str, **kwargs: Any) -> None:
    page.screenshot(path=str(artifacts / name), **kwargs)
    if os.environ.get("BALLOT_DOCS_IMG"):
        DOCS_IMG.mkdir(exist_ok=True)
        shutil.copy(artifacts / name, DOCS_IMG / name)


def field(page: Any, name: str) -> str:
    return (page.text_content(f"[data-field={name}]") or "").strip()


def send(page: Any) -> str:
    page.locator("[data-to-review]").tap()
    page.wait_for_selector("[data-screen=review]:not([hidden])")
    page.locator("[data-send]").tap()
    page.wait_for_selector("[data-screen=receipt]:not([hidden])")
    receipt = (page.text_content("[data-receipt-code]") or "").strip()
    page.locator("[data-done]").tap()
    page.wait_for_selector("[data-screen=code]:not([hidden])")
    return receipt


def test_the_room(browser: Any, live_server: LiveServer, artifacts: Path) -> None:
    server = live_server
    app = server.app
    PAGE_ERRORS.clear()
    with app.app_context():
        conference = db.session.scalar(select(Conference))
        assert conference is not None
        vote = setup.create_vote(conference, TITLE)
        users = list(
            db.session.scalars(select(User).where(User.role == Role.COUNTING).order_by(User.id))
        )
        setup.set_counting_committee(vote, users, users[0], threshold=2)
        keys = run_key_ceremony(vote)
        db.session.commit()
        public_id, fingerprint = vote.public_id, vote.fingerprint
        names = [v.full_name for v in vote.voters]

    # --- the projector, open before anyone arrives: state, quorum, committee, fingerprint
    projector = login(
        browser, server, "observer", "observer-demo-2024", viewport={"width": 1920, "height": 1080}
    )
    projector.goto(server(f"/count/{public_id}/projector"))
    assert field(projector, "present") == "0"
    text = projector.text_content("main") or ""
    assert "Chưa đủ số lượng: cần ít nhất 15" in text
    assert "Ban kiểm phiếu: cần 2 trong số 3 thành viên để giải mã kết quả." in text
    shown = projector.text_content("[data-fingerprint] .hash-value") or ""
    assert " ".join(shown.split()) == hex_groups(fingerprint)
    assert projector.text_content("[data-fingerprint] mark") == hex_groups(fingerprint, 4)

    # --- the desk checks members in by the buttons on their rows
    desk = login(browser, server, "desk", "desk-demo-2024", viewport={"width": 1366, "height": 900})
    desk.goto(server(f"/desk/{public_id}"))
    assert desk.locator("tr[data-attendance=unknown]").count() == 22  # nobody "absent" yet
    for rank in range(1, 17):
        row = f"tr[data-voter='{rank}']"
        desk.locator(f"{row} [data-action=present]").click()
        desk.wait_for_selector(f"{row}[data-attendance=present]")
    row = "tr[data-voter='17']"
    desk.locator(f"{row} summary[data-action=absent]").click()
    desk.fill(f"{row} input[name=reason]", "Đi công tác tại Hà Nội")
    desk.locator(f"{row} details.absence button[type=submit]").click()
    desk.wait_for_selector(f"{row}[data-attendance=absent]")
    assert "Lý do: Đi công tác tại Hà Nội" in (desk.text_content(row) or "")
    # the projector followed without reloading
    expect(projector.locator("[data-field=present]")).to_have_text("16", timeout=10_000)

    # --- the chair opens the vote; the projector turns to the open vote by itself
    with app.app_context():
        desk_service.open_vote(db.session.get_one(ConfidenceVote, vote.id))
        db.session.commit()
    projector.wait_for_selector("[data-state=open]", timeout=10_000)
    assert "Đủ số lượng: cần ít nhất 15" in (projector.text_content("main") or "")
    shot(projector, artifacts, "projector-open.png")
    projector.set_viewport_size({"width": 1280, "height": 720})
    shot(projector, artifacts, "projector-open-1280.png")

    # --- one print run for everyone present, in roll order, 8 slips to an A4 sheet (the desk
    # page reloads itself when the vote opens, and then offers the print run)
    expect(desk.locator("[data-issue-all]")).to_be_visible(timeout=10_000)
    desk.wait_for_load_state()
    desk.locator("h1").scroll_into_view_if_needed()
    shot(desk, artifacts, "desk.png")
    desk.click("[data-issue-all]")
    desk.wait_for_selector("[data-slip]")
    codes = [c.strip() for c in desk.locator("[data-code]").all_text_contents()]
    stubs = [s.strip() for s in desk.locator(".slip .stub").all_text_contents()]
    assert len(set(codes)) == 16
    assert [s.split(".")[0] for s in stubs] == [str(r) for r in range(1, 17)]
    assert stubs[0].startswith(f"1. {names[0]}")
    desk.emulate_media(media="print")
    shot(desk, artifacts, "slips.png", full_page=True)
    from pypdf import PdfReader

    sheets = PdfReader(io.BytesIO(desk.pdf(format="A4", print_background=True))).pages
    assert len(sheets) == 2  # 16 slips, 8 to a sheet
    desk.emulate_media(media="screen")
    # a latecomer: checked in, then a slip of their own
    desk.goto(server(f"/desk/{public_id}"))
    desk.locator("tr[data-voter='18'] [data-action=present]").click()
    desk.wait_for_selector("tr[data-voter='18'][data-attendance=present]")
    desk.locator("tr[data-voter='18'] [data-action=issue]").click()
    desk.wait_for_selector("[data-slip]")
    assert desk.locator("[data-slip]").count() == 1
    late = (desk.text_content("[data-code]") or "").strip()
    # the latecomer loses the slip: revoking asks for a reason and a confirmation
    desk.goto(server(f"/desk/{public_id}"))
    row = "tr[data-voter='18']"
    desk.locator(f"{row} summary[data-action=lost]").click()
    desk.fill(f"{row} details.revoke input[name=reason]", "Làm rơi phiếu mã")
    asked: list[str] = []

    def confirm(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    desk.once("dialog", confirm)
    desk.locator(f"{row} details.revoke button[type=submit]").click()
    desk.wait_for_selector("[data-slip]")
    assert asked and names[17] in asked[0]
    reissued = (desk.text_content("[data-code]") or "").strip()
    assert reissued != late and "mã cũ đã bị hủy" in (desk.text_content(".slip") or "")
    codes.append(reissued)
    expect(projector.locator("[data-field=codes_issued]")).to_have_text("17", timeout=10_000)

    # --- tablet A fills a ballot, cancels (and is asked first), then votes
    a = tablet(browser, server, public_id)
    enter_code(a, codes[0])
    choose(a, TABLETS[0][:3] + [None, None, None])
    a.locator("[data-cancel]").tap()
    a.wait_for_selector("[data-cancel-dialog][open]")
    a.locator("[data-cancel-keep]").tap()  # the prominent button keeps the ballot
    assert a.is_visible("[data-screen=ballot]") and a.is_checked("#s1-l2")
    a.locator("[data-cancel]").tap()
    a.locator("[data-cancel-confirm]").tap()
    a.wait_for_selector("[data-screen=code]:not([hidden])")
    enter_code(a, codes[0])  # nothing was sent: the code still works
    choose(a, TABLETS[0])
    shot(a, artifacts, "booth.png", full_page=True)
    receipts = [send(a)]

    # --- tablet B leaves a row blank, is warned, goes back with the primary button, fills it
    b = tablet(browser, server, public_id)
    enter_code(b, codes[1])
    choose(b, TABLETS[1][:3] + [None] + TABLETS[1][4:])
    b.locator("[data-to-review]").tap()
    b.wait_for_selector("[data-blank-dialog][open]")
    assert "primary" in (b.get_attribute("[data-blank-back]", "class") or "")
    b.locator("[data-blank-back]").tap()
    b.wait_for_selector("[data-screen=ballot]:not([hidden])")
    assert not b.is_visible("[data-blank-dialog]")
    choose(b, TABLETS[1])
    receipts.append(send(b))

    # --- tablet C votes; seven more ballots arrive through the services
    c = tablet(browser, server, public_id)
    enter_code(c, codes[2])
    choose(c, TABLETS[2])
    receipts.append(send(c))
    with app.app_context():
        counted = db.session.get_one(ConfidenceVote, vote.id)
        for code, choices in zip(codes[3:], MORE, strict=False):
            cast_choices(counted, code, choices)
        db.session.commit()
    expect(projector.locator("[data-field=ballots_cast]")).to_have_text("10", timeout=10_000)

    # --- the chair closes the vote in the console; the projector shows the closing hash
    chair = login(browser, server, "kiemphieu1", "kp1-demo-2024")
    chair.goto(server(f"/count/{public_id}"))
    chair.once("dialog", lambda dialog: dialog.accept())
    chair.click(f"form[action$='/{public_id}/close'] button[type=submit]")
    projector.wait_for_selector("[data-state=closed]", timeout=10_000)
    with app.app_context():
        closing_record = db.session.get_one(ConfidenceVote, vote.id).closing
        assert closing_record is not None
        closing = closing_record["hash"]
    closing_text = " ".join((projector.text_content("[data-closing] .hash-value") or "").split())
    assert closing_text == hex_groups(closing)
    assert "trước khi giải mã" in (projector.text_content("[data-closing]") or "")
    shot(projector, artifacts, "projector-closed-1280.png")
    projector.set_viewport_size({"width": 1920, "height": 1080})
    shot(projector, artifacts, "projector-closed.png")

    # --- two members decrypt; the projector shows the results with the flags
    with app.app_context():
        decrypt_as(db.session.get_one(ConfidenceVote, vote.id), keys[:2])
        db.session.commit()
    projector.wait_for_selector("[data-results]", timeout=10_000)
    assert projector.locator("tr[data-subject='2'] [data-flag=consider]").count() == 1
    assert projector.locator("tr[data-subject='3'] [data-flag=dismiss]").count() == 1
    flags = projector.text_content("[data-flags]") or ""
    assert "60,00% phiếu tín nhiệm thấp" in flags and "100,00% phiếu tín nhiệm thấp" in flags
    assert "Từ 2/3 phiếu tín nhiệm thấp trở lên" in (
        projector.text_content("tr[data-subject='3']") or ""
    )
    shot(projector, artifacts, "projector-results.png")
    projector.set_viewport_size({"width": 1280, "height": 720})
    shot(projector, artifacts, "projector-results-1280.png")

    # --- a receipt typed with look-alikes (O for 0, l for 1), lower case, spaces, is found
    with app.app_context():
        entries = db.session.scalars(
            select(BoardEntry).where(BoardEntry.vote_id == vote.id).order_by(BoardEntry.seq)
        ).all()
        shorts = [casting.crypto_short(e.tracker) for e in entries]
    assert set(receipts) <= set(shorts)
    receipt = next((s for s in shorts if re.search("[01]", s)), shorts[0])
    typed = receipt.replace("0", "O").replace("1", "l").replace("-", " ").lower()
    voter = browser.new_context(viewport={"width": 800, "height": 1280})
    board = voter.new_page()
    board.goto(server(f"/board/{public_id}"))
    board.fill("#tracker", typed)
    board.click("form[role=search] button[type=submit]")
    board.wait_for_selector(f"[data-found='{receipt}']")
    for context in (voter, a.context, b.context, c.context, chair.context):
        context.close()
    desk.context.close()
    projector.context.close()
    assert PAGE_ERRORS == []
