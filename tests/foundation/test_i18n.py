"""Vietnamese formats and the language switch."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from ballot.i18n import vn_date, vn_datetime, vn_number, vn_percent


def test_vietnamese_numbers() -> None:
    assert vn_number(6102) == "6.102"
    assert vn_number(1234567) == "1.234.567"
    assert vn_number(Fraction(9382, 100), 2) == "93,82"
    assert vn_number(0.5, 0) == "1"  # half rounds up, as people count
    assert vn_percent(5990, 6046) == "99,07%"
    assert vn_percent(1, 3) == "33,33%"
    assert vn_percent(2, 3) == "66,67%"
    assert vn_percent(0, 0) == "—"
    assert vn_date(date(2024, 1, 2)) == "02/01/2024"
    from datetime import UTC, datetime

    assert vn_datetime(datetime(2024, 1, 2, 7, 30, tzinfo=UTC)) == "14:30 02/01/2024"


def test_language_switch_keeps_vietnamese_default(client) -> None:
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)
    client.get("/lang/en")
    html = client.get("/login").get_data(as_text=True)
    assert "Log in" in html and 'lang="en"' in html
    client.get("/lang/vi")
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_fingerprint_is_written_one_way() -> None:
    """Same vector as tests/js/fingerprint.test.mjs: the page script writes it identically."""
    from ballot.i18n import hex_groups

    digest = "3fa90c1e77d2b4a05e6f18c9d0ab2233445566778899aabbccddeeff00112233"
    assert hex_groups(digest) == (
        "3FA9 0C1E 77D2 B4A0 5E6F 18C9 D0AB 2233 4455 6677 8899 AABB CCDD EEFF 0011 2233"
    )
    assert hex_groups(digest, 4) == "3FA9 0C1E 77D2 B4A0"
    assert hex_groups(None) == ""
