"""A whole confidence vote through the browser pages, in Debian's Chromium.

The admin creates the vote and names the counting committee; the three members run the key
ceremony in their own browsers (their JavaScript makes every message); the desk issues codes
and prints slips; tablets vote through the booth (one code mistyped, one ballot with a blank
row, one code arriving through the slip's #CODE link, one cast whose response is lost on the
way back); the chair closes; two members decrypt in their browsers with their key files (one
checks the closing hash read out in the room, the other first types the key card with a
wrong passphrase); the results page shows the counts and the percentages of ballots
received; a voter finds their receipt on the public board. No page that runs the cryptography
may break the app's Content-Security-Policy.

Screenshots of the booth and of the results go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import select

from ballot.db import db
from ballot.voting import casting, setup
from ballot.voting import desk as desk_service
from ballot.voting.models import BoardEntry, ConfidenceVote, VoteState
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

#: Choices per ballot: level index per subject (0 high, 1 normal, 2 low), None = blank row.
BALLOTS: list[list[int | None]] = [
    [0, 0, 0, 0, 0, 0],
    [0, 1, 2, 0, 1, 2],
    [1, 1, 2, None, 0, 0],  # a blank row: invalid for subject 4 only
    [0, 2, 2, 0, 0, 1],
    [2, 0, 2, 1, 0, 0],
    [0, 0, 1, 0, 2, 0],  # cast through the slip's #CODE link
]
PASSPHRASES = {
    1: "mật khẩu số một của Khánh",
    2: "mật khẩu số hai của Hà",
    3: "mật khẩu số ba của Hùng",
}
MEMBERS = {
    1: ("kiemphieu1", "kp1-demo-2024"),
    2: ("kiemphieu2", "kp2-demo-2024"),
    3: ("kiemphieu3", "kp3-demo-2024"),
}
TABLET = {
    "viewport": {"width": 800, "height": 1280},
    "has_touch": True,
    "is_mobile": True,
    "locale": "vi-VN",
}
TABLET_LANDSCAPE = {**TABLET, "viewport": {"width": 1280, "height": 800}}
LEVELS = ["Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp"]
#: Uncaught errors in any page, and Content-Security-Policy violations on the pages that
#: run the cryptography (checked at the end of each test).
PAGE_ERRORS: list[str] = []
CRYPTO_PAGES = re.compile(r"/(booth/|count/[^/]+/(ceremony|decrypt))")


def watch(page: Any, who: str) -> None:
    page.on("pageerror", lambda error: PAGE_ERRORS.append(f"{who}: {error}"))

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text and CRYPTO_PAGES.search(page.url):
            PAGE_ERRORS.append(f"{who} on {page.url}: {message.text}")

    page.on("console", on_console)


def vn_percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}".replace(".", ",") + "%"


def expected_counts() -> list[list[int]]:
    counts = [[0, 0, 0] for _ in BALLOTS[0]]
    for ballot in BALLOTS:
        for subject, choice in enumerate(ballot):
            if choice is not None:
                counts[subject][choice] += 1
    return counts


def login(
    browser: Any, server: LiveServer, username: str, password: str, **context_args: Any
) -> Any:
    context = browser.new_context(locale="vi-VN", **context_args)
    context.set_default_timeout(30_000)
    page = context.new_page()
    watch(page, username)
    page.goto(server("/login"))
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def tablet(
    browser: Any,
    server: LiveServer,
    public_id: str,
    landscape: bool = False,
    screen: str = "code",
    before: Any = None,
) -> Any:
    context = browser.new_context(**(TABLET_LANDSCAPE if landscape else TABLET))
    context.set_default_timeout(30_000)
    page = context.new_page()
    watch(page, "tablet")
    if before is not None:
        before(page)
    response = page.goto(server(f"/booth/{public_id}"))
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    page.wait_for_selector(f"[data-screen={screen}]:not([hidden])")
    return page


def choose(page: Any, choices: list[int | None]) -> None:
    page.wait_for_selector("[data-screen=ballot]:not([hidden])")
    for subject, level in enumerate(choices):
        if level is not None:
            page.locator(f"label[for=s{subject}-l{level}]").tap()
    for subject, level in enumerate(choices):
        if level is not None:
            assert page.is_checked(f"#s{subject}-l{level}")


def enter_code(page: Any, code: str) -> None:
    page.fill("#code", code)
    page.locator("[data-code-submit]").tap()


def review_and_send(page: Any) -> str:
    page.locator("[data-to-review]").tap()
    page.wait_for_selector("[data-screen=review]:not([hidden])")
    page.locator("[data-send]").tap()
    page.wait_for_selector("[data-screen=receipt]:not([hidden])")
    return page.text_content("[data-receipt-code]") or ""


def done(page: Any) -> None:
    page.locator("[data-done]").tap()
    page.wait_for_selector("[data-screen=code]:not([hidden])")
    assert page.input_value("#code") == ""
    assert page.text_content("[data-receipt-code]") == ""
    assert page.locator("[data-ballot] .subject").count() == 0


@pytest.mark.slow  # about 35 s: run by CI (--runslow); the next test covers the booth quickly
def test_a_whole_vote_in_the_browser(
    browser: Any, live_server: LiveServer, artifacts: Path, tmp_path: Path
) -> None:
    server = live_server
    PAGE_ERRORS.clear()
    app = server.app

    # --- the admin creates the vote and names the counting committee (first three, chair 1, 2 of 3)
    admin = login(browser, server, "admin", "admin-demo-2024")
    admin.goto(server("/votes/new"))
    admin.fill("#title", "Lấy phiếu tín nhiệm đối với Ủy viên Ban Thường vụ Đảng ủy Khối khóa VIII")
    admin.click("main form button[type=submit]")
    admin.wait_for_url(re.compile(r"/votes/[0-9a-f-]{36}$"))
    public_id = admin.url.rsplit("/", 1)[1]
    admin.click("form.committee-form button[type=submit]")
    admin.wait_for_selector("text=Đang tạo khóa")
    admin.context.close()

    # --- the key ceremony, each member in their own browser
    members = {i: login(browser, server, *MEMBERS[i]) for i in (1, 2, 3)}
    for i, page in members.items():
        page.goto(server(f"/count/{public_id}/ceremony"))
        page.wait_for_selector("[data-members] tr.me")
        page.fill("#passphrase", PASSPHRASES[i])
        page.fill("#passphrase2", PASSPHRASES[i])
        page.click("[data-start]")
    key_files: dict[int, Path] = {}
    cards: dict[int, str] = {}
    for i, page in members.items():
        page.wait_for_selector("[data-download]:not([hidden])", timeout=60_000)
        with page.expect_download() as download:
            page.click("[data-keyfile]")
        assert download.value.suggested_filename == f"khoa-kiem-phieu-{i}.json"
        key_files[i] = tmp_path / download.value.suggested_filename
        download.value.save_as(key_files[i])
        cards[i] = page.text_content("[data-card]") or ""
    for i, page in members.items():
        page.wait_for_selector("[data-step=ready].done", timeout=60_000)
        shown = (page.text_content("[data-fingerprint]") or "").replace(" ", "").lower()
        key = json.loads(key_files[i].read_text())
        assert key["header"]["index"] == i and key["header"]["vote_id"] == public_id
        assert cards[i].startswith("THẺ KHÓA THÀNH VIÊN BAN KIỂM PHIẾU")
        with app.app_context():
            vote = db.session.scalar(
                select(ConfidenceVote).where(ConfidenceVote.public_id == public_id)
            )
            assert vote is not None and vote.manifest is not None
            assert vote.state is VoteState.READY and shown == vote.fingerprint
            assert key["header"]["verification_key"] == vote.manifest["verification_keys"][i - 1]
    members[1].screenshot(path=str(artifacts / "ceremony-done.png"), full_page=True)
    members[3].context.close()

    # --- attendance (services), the chair opens the vote, the desk prints six slips
    with app.app_context():
        vote = db.session.scalar(
            select(ConfidenceVote).where(ConfidenceVote.public_id == public_id)
        )
        assert vote is not None
        for voter in vote.voters[:17]:
            desk_service.set_present(vote, voter, True)
        db.session.commit()
    chair = members[1]
    chair.goto(server(f"/count/{public_id}"))
    chair.click("main button:text-is('Mở bỏ phiếu')")
    chair.wait_for_selector("[data-state=open]")

    desk = login(browser, server, "desk", "desk-demo-2024")
    codes = []
    for _ in BALLOTS:
        desk.goto(server(f"/desk/{public_id}"))
        desk.locator("form[action$='/issue'] button").first.click()
        codes.append((desk.text_content("[data-code]") or "").strip())
    assert len(set(codes)) == len(BALLOTS) and all(
        re.fullmatch(r"[0-9A-Z*~$=]{4}(-[0-9A-Z*~$=]{4}){2}-[0-9A-Z*~$=]{2}", c) for c in codes
    )
    desk.context.close()

    # --- tablet A: a mistyped code is caught on the tablet; then ballots 1 and 4
    a = tablet(browser, server, public_id)
    checks: list[str] = []
    a.on("request", lambda r: checks.append(r.url) if r.url.endswith("/codes/check") else None)
    a.wait_for_selector("[data-fp-note]:not([hidden])")
    with app.app_context():
        fingerprint = db.session.scalar(
            select(ConfidenceVote.fingerprint).where(ConfidenceVote.public_id == public_id)
        )
    assert fingerprint is not None
    assert (a.text_content("[data-fp-short]") or "").replace(" ", "").lower() == fingerprint[:16]
    a.screenshot(path=str(artifacts / "booth-1-code.png"))
    good = codes[0]
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    enter_code(a, wrong_check)
    a.wait_for_selector("[data-code-error]:not([hidden])")
    assert "ký tự kiểm tra không khớp" in (a.text_content("[data-code-error]") or "")
    assert checks == [] and a.is_visible("[data-screen=code]")
    a.screenshot(path=str(artifacts / "booth-1b-code-mistyped.png"))
    enter_code(a, good)
    a.locator("label[for=s0-l1]").tap()
    a.locator("[data-cancel]").tap()  # a filled ballot is not thrown away without asking
    a.wait_for_selector("[data-cancel-dialog][open]")
    a.screenshot(path=str(artifacts / "booth-2e-cancel-asks.png"))
    a.locator("[data-cancel-keep]").tap()  # the prominent button keeps the ballot
    assert a.is_checked("#s0-l1") and a.is_visible("[data-screen=ballot]")
    a.locator("[data-cancel]").tap()
    a.locator("[data-cancel-confirm]").tap()
    a.wait_for_selector("[data-screen=code]:not([hidden])")
    enter_code(a, good)  # the code was only checked, not used
    choose(a, BALLOTS[0])
    assert checks and a.text_content("[data-ballot] .subject .name") == "Nguyễn Văn Tám"
    a.screenshot(path=str(artifacts / "booth-2-ballot.png"), full_page=True)
    a.locator("[data-to-review]").tap()
    a.wait_for_selector("[data-screen=review]:not([hidden])")
    assert [t.strip() for t in a.locator("[data-review] .what").all_text_contents()] == [
        LEVELS[cast(int, c)] for c in BALLOTS[0]
    ]
    a.screenshot(path=str(artifacts / "booth-3-review.png"), full_page=True)
    a.locator("[data-back]").tap()  # back to the ballot: the choices are still there
    assert a.is_checked("#s0-l0")
    receipts = {0: review_and_send(a)}
    a.screenshot(path=str(artifacts / "booth-4-receipt.png"))
    assert "Ghi lại mã biên nhận để tìm phiếu của bạn trên bảng phiếu công khai" in (
        a.text_content("[data-screen=receipt]") or ""
    )
    assert a.get_attribute("[data-board-link]", "href").endswith(
        f"/board/{public_id}?tracker={receipts[0]}"
    )
    assert a.is_hidden("[data-receipt-warning]")
    done(a)
    enter_code(a, codes[3].lower().replace("-", " "))  # lowercase and spaces are fine
    choose(a, BALLOTS[3])
    receipts[3] = review_and_send(a)
    done(a)

    # --- tablet B: the response of the first cast is lost; the tablet re-sends the same ballot
    b = tablet(browser, server, public_id)
    casts: list[str] = []

    def lose_first_response(route: Any) -> None:
        casts.append(route.request.post_data or "")
        if len(casts) == 1:
            route.fetch()  # the server accepts the ballot…
            route.abort("connectionreset")  # …but the tablet never hears back
        else:
            route.continue_()

    b.route("**/ballots", lose_first_response)
    enter_code(b, codes[1])
    choose(b, BALLOTS[1])
    receipts[1] = review_and_send(b)
    assert len(casts) == 2 and casts[0] == casts[1]  # the very same encrypted ballot, not a new one
    b.unroute("**/ballots")
    done(b)
    enter_code(b, codes[4])
    choose(b, BALLOTS[4])
    receipts[4] = review_and_send(b)
    done(b)
    # the same code again is refused by the server with its Vietnamese message
    enter_code(b, codes[4])
    b.wait_for_selector("[data-code-error]:not([hidden])")
    assert "đã được dùng" in (b.text_content("[data-code-error]") or "")

    # --- tablet C (landscape): a blank row needs confirmation; then a code through #CODE
    c = tablet(browser, server, public_id, landscape=True)
    enter_code(c, codes[2])
    choose(c, BALLOTS[2])
    c.screenshot(path=str(artifacts / "booth-2b-ballot-landscape.png"), full_page=True)
    c.locator("[data-to-review]").tap()
    c.wait_for_selector("[data-blank-dialog][open]")
    warning = c.text_content("[data-blank-list]") or ""
    assert (
        "Dòng của đồng chí Huỳnh Thanh Bình để trống sẽ là phiếu không hợp lệ đối với đồng chí này"
        in warning
    )
    c.screenshot(path=str(artifacts / "booth-2c-blank-warning.png"))
    assert "primary" in (c.get_attribute("[data-blank-back]", "class") or "")
    c.locator("[data-blank-back]").tap()  # the primary button goes back to the ballot
    c.wait_for_selector("[data-blank-dialog]:not([open])", state="attached")
    assert c.is_visible("[data-screen=ballot]") and c.is_checked("#s0-l1")
    c.locator("[data-to-review]").tap()
    c.wait_for_selector("[data-blank-dialog][open]")
    c.locator("[data-blank-confirm]").tap()
    c.wait_for_selector("[data-screen=review]:not([hidden])")
    assert "Để trống" in (c.locator("[data-review] li").nth(3).text_content() or "")
    c.locator("[data-send]").tap()
    c.wait_for_selector("[data-screen=receipt]:not([hidden])")
    receipts[2] = c.text_content("[data-receipt-code]") or ""
    done(c)
    c.goto(server(f"/booth/{public_id}#{codes[5].replace('-', '')}"))
    c.wait_for_selector("[data-screen=ballot]:not([hidden])")
    assert "#" not in c.url  # the code left the address bar at once
    choose(c, BALLOTS[5])
    receipts[5] = review_and_send(c)
    done(c)

    with app.app_context():
        entries = db.session.scalars(
            select(BoardEntry).join(ConfidenceVote).where(ConfidenceVote.public_id == public_id)
        ).all()
        assert len(entries) == len(BALLOTS)
        assert sorted(casting.crypto_short(e.tracker) for e in entries) == sorted(receipts.values())

    # --- the chair closes the vote
    chair.goto(server(f"/count/{public_id}"))
    chair.once("dialog", lambda dialog: dialog.accept())
    chair.click("main button:text-is('Khóa sổ')")
    chair.wait_for_selector("[data-state=closed]")
    closing_hash = (chair.text_content("main code.fp") or "").replace(" ", "").lower()
    assert re.fullmatch(r"[0-9a-f]{64}", closing_hash)

    # --- member 1 decrypts with the key file (checking the hash read out in the room)
    one = members[1]
    one.goto(server(f"/count/{public_id}/decrypt"))
    one.set_input_files("#keyfile", str(key_files[1]))
    one.fill("#passphrase", PASSPHRASES[1])
    one.fill("#announced", closing_hash[:16])
    one.click("[data-start]")
    one.wait_for_selector("[data-step=share].done", timeout=60_000)
    assert "(1/2)" in (one.text_content("[data-status]") or "")
    assert "6/6" in (one.text_content("[data-step=board]") or "")
    one.screenshot(path=str(artifacts / "decrypt-1.png"), full_page=True)

    # --- member 2: the typed key card opens (a wrong passphrase is refused), then the key file
    two = members[2]
    two.goto(server(f"/count/{public_id}/decrypt"))
    two.fill("#card", cards[2].lower())  # typed in lowercase: the card still reads back
    two.fill("#passphrase", "not the passphrase")
    two.click("[data-start]")
    two.wait_for_selector("[data-status].error")
    assert "Sai mật khẩu" in (
        two.text_content("[data-status]") or ""
    )  # the card parsed; the passphrase is wrong
    assert "Đang mở tệp khóa" not in (two.text_content("[data-step=key]") or "")
    assert two.locator("[data-step=key].failed").count() == 1
    two.fill("#card", "")
    two.set_input_files("#keyfile", str(key_files[2]))
    two.fill("#passphrase", PASSPHRASES[2])
    two.click("[data-start]")
    two.wait_for_selector("[data-results-link]:not([hidden])", timeout=60_000)
    assert "kết quả đã được giải mã" in (two.text_content("[data-status]") or "")
    assert (two.text_content("h1 .badge") or "").strip() == "Đã có kết quả"  # no longer waiting
    two.click("[data-results-link]")
    two.wait_for_url(re.compile(r"/results$"))

    # --- the results: counts and percentages of ballots received, Vietnamese format
    counts = expected_counts()
    received = len(BALLOTS)
    for rank, row in enumerate(counts, start=1):
        cells = [
            t.strip() for t in two.locator(f"tr[data-subject='{rank}'] td").all_text_contents()
        ]
        shown = cells[3:9]
        assert shown == [x for n in row for x in (str(n), vn_percent(n, received))], (rank, cells)
        assert cells[9] == str(sum(row)) and cells[10] == str(received - sum(row))
    assert counts[1] == [3, 2, 1] and vn_percent(2, 6) == "33,33%"
    assert "33,33%" in (two.text_content("tr[data-subject='2']") or "")
    assert "Từ 2/3 phiếu tín nhiệm thấp trở lên" in (
        two.text_content("tr[data-subject='3']") or ""
    )  # 4 of 6 low
    two.screenshot(path=str(artifacts / "results.png"), full_page=True)

    # --- a voter finds their receipt on the public board
    voter = browser.new_context(**TABLET)
    board = voter.new_page()
    board.goto(server(f"/board/{public_id}"))
    # typed as a hurried voter would: lowercase, no dash, O for 0 and l for 1
    typed = receipts[2].replace("-", " ").replace("0", "O").replace("1", "l").lower()
    board.fill("#tracker", typed)
    board.click("form[role=search] button[type=submit]")
    board.wait_for_selector(f"[data-found='{receipts[2]}']")
    board.screenshot(path=str(artifacts / "board-found.png"))
    for context in (voter, a.context, b.context, c.context, one.context, two.context):
        context.close()
    assert PAGE_ERRORS == []


def test_booth_waits_for_the_keys_requires_every_row_and_refuses_a_forged_manifest(
    browser: Any, live_server: LiveServer, artifacts: Path
) -> None:
    """A tablet opened before the key ceremony waits, then takes the published fingerprint;
    a vote that forbids blank rows is enforced on the tablet; a manifest that does not hash
    to the page's fingerprint is refused before any code is typed."""
    from ballot.auth.models import Role, User
    from ballot.org.models import Conference
    from ballot.voting.rules import VoteRules
    from ballot.voting.simulate import run_key_ceremony

    PAGE_ERRORS.clear()
    app = live_server.app
    with app.app_context():
        conference = db.session.scalar(select(Conference))
        assert conference is not None
        vote = setup.create_vote(
            conference,
            "Lấy phiếu tín nhiệm (mọi dòng bắt buộc)",
            VoteRules(blank_row_allowed=False),
        )
        users = list(
            db.session.scalars(select(User).where(User.role == Role.COUNTING).order_by(User.id))
        )
        setup.set_counting_committee(vote, users, users[0], threshold=2)
        db.session.commit()
        public_id = vote.public_id

    early = tablet(browser, live_server, public_id, screen="wait")
    early.screenshot(path=str(artifacts / "booth-0-waiting-for-keys.png"))
    with app.app_context():
        vote = db.session.scalars(
            select(ConfidenceVote).where(ConfidenceVote.public_id == public_id)
        ).one()
        run_key_ceremony(vote)
        for voter in vote.voters[:15]:
            desk_service.set_present(vote, voter, True)
        desk_service.open_vote(vote)
        codes = [desk_service.issue_code(vote, voter) for voter in vote.voters[:2]]
        db.session.commit()
    early.wait_for_selector("[data-screen=code]:not([hidden])", timeout=20_000)
    enter_code(early, codes[0])
    choices: list[int | None] = [0, None, 2, 1, 0, 0]
    choose(early, choices)
    assert early.locator("[data-ballot] .clear").count() == 0  # no way to blank a row
    early.locator("[data-to-review]").tap()
    early.wait_for_selector("[data-ballot-error]:not([hidden])")
    early.screenshot(path=str(artifacts / "booth-2d-every-row-required.png"), full_page=True)
    assert "yêu cầu chọn đủ mọi dòng" in (early.text_content("[data-ballot-error]") or "")
    assert "Trần Thị Kim Phượng" in (early.text_content("[data-ballot-error]") or "")
    assert not early.is_visible("[data-blank-dialog]") and early.is_visible("[data-screen=ballot]")
    early.focus("#s1-l0")  # the keyboard works too: arrows move within a row's radio group
    early.keyboard.press("Space")
    early.keyboard.press("ArrowRight")
    assert early.is_checked("#s1-l1") and not early.is_checked("#s1-l0")
    assert "checked" in (early.get_attribute("label[for=s1-l1]", "class") or "")
    assert early.is_hidden("[data-ballot-error]")
    receipt = review_and_send(early)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", receipt)

    def forge(page: Any) -> None:
        def handler(route: Any) -> None:
            response = route.fetch()
            body = response.json()
            body["manifest"]["title"] += " (đã sửa)"
            route.fulfill(response=response, json=body)

        page.route("**/manifest", handler)

    checks: list[str] = []
    forged = tablet(browser, live_server, public_id, screen="fatal", before=forge)
    forged.on(
        "request",
        lambda r: (
            checks.append(r.url) if "/codes/" in r.url or r.url.endswith("/ballots") else None
        ),
    )
    assert "Dấu vân tay của cuộc lấy phiếu không khớp" in (
        forged.text_content("[data-fatal-text]") or ""
    )
    assert forged.is_hidden("[data-screen=code]") and checks == []
    forged.screenshot(path=str(artifacts / "booth-5-forged-manifest-refused.png"))
    for page in (early, forged):
        page.context.close()
    with app.app_context():
        assert (
            db.session.scalar(
                select(ConfidenceVote.ballots_cast).where(ConfidenceVote.public_id == public_id)
            )
            == 1
        )
    assert PAGE_ERRORS == []
