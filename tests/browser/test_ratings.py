"""The demo year's ratings dashboard in Chromium: targets 6 and 7, the not-rated line with its
drill-down, and a fired check's source on the checks page (screenshots in test-artifacts/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_the_demo_dashboard_shows_the_not_rated_line_and_drills_down(
    browser: Any, live_server: LiveServer, artifacts: Path
) -> None:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server("/login"))
    page.fill("#username", "admin")
    page.fill("#password", "admin-demo-2024")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto(live_server("/ratings/2023/"))
    line = page.locator("section.not-rated-line")
    assert "9 đảng viên và 1 tổ chức cơ sở đảng không xếp loại" in line.inner_text()
    seven = page.locator("article.target").nth(2).inner_text()
    assert "/6.093" in seven and "Không xếp loại: 9 đảng viên" in seven
    page.screenshot(path=str(artifacts / "ratings-dashboard.png"), full_page=True)

    page.click("section.not-rated-line a:has-text('Xem danh sách')")
    page.wait_for_url(lambda url: "/not-rated" in url)
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 10
    assert "Mới thành lập dưới 6 tháng" in rows.first.inner_text()

    page.goto(live_server("/ratings/2023/checks"))
    checks = page.locator("main").inner_text()
    assert "Căn cứ: Quy định 124-QĐ/TW, Điều 12" in checks
    page.screenshot(path=str(artifacts / "ratings-checks.png"), full_page=True)
    context.close()
