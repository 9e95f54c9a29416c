"""The audit log page reads as sentences: names, vote titles, Vietnam time, no raw data."""

from __future__ import annotations

import re

from sqlalchemy import select

from ballot.db import db
from ballot.voting.models import ConfidenceVote
from tests.conftest import csrf_token

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _log_text(client) -> str:
    html = client.get("/audit/").get_data(as_text=True)
    table = html[html.index('<table class="list audit">') :]
    return re.sub(r"<[^>]+>", " ", table[: table.index("</table>")])


def test_the_log_reads_as_sentences_in_both_languages(demo_app, ready_vote, client, auth) -> None:
    vote_id, _keys = ready_vote
    with demo_app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        public_id, title = vote.public_id, vote.title
        ids = [v.id for v in vote.voters]
        names = [v.full_name for v in vote.voters]
    auth.login("desk", "desk-demo-2024")
    token = csrf_token(client, f"/desk/{public_id}")
    for voter_id in ids[:15]:
        client.post(f"/desk/{public_id}/voters/{voter_id}/present/1", data={"csrf_token": token})
    client.post(
        f"/desk/{public_id}/voters/{ids[15]}/present/0",
        data={"csrf_token": token, "reason": "Nghỉ ốm"},
    )
    client.post(f"/desk/{public_id}/issue-all", data={"csrf_token": token})
    client.post(
        f"/desk/{public_id}/voters/{ids[1]}/reissue",
        data={"csrf_token": token, "reason": "Làm rơi phiếu mã"},
    )
    auth.logout()
    auth.login("admin", "admin-demo-2024")
    text = _log_text(client)
    assert f"Bàn tiếp đón đại biểu điểm danh đồng chí {names[0]} có mặt (“{title}”)." in text
    assert f"ghi đồng chí {names[15]} vắng mặt (“{title}”); lý do: Nghỉ ốm." in text
    assert "phát và in 15 phiếu mã cho các đại biểu có mặt" in text
    assert f"hủy mã phiếu của đồng chí {names[1]} và cấp mã mới (lần 1" in text
    assert "lý do: Làm rơi phiếu mã." in text
    assert "Văn phòng Đảng ủy Khối đăng nhập (địa chỉ 127.0.0.1)." in text
    assert "Quản trị" in text and "Bàn tiếp đón" in text  # roles by name
    # Vietnam time, never UTC; no identifiers, dicts or booleans
    assert "UTC" not in text and not UUID.search(text)
    assert not re.search(r"True|False|\{'|voter:|present:|vote:", text)
    with demo_app.app_context():
        from ballot.audit.models import AuditEntry
        from ballot.i18n import vn_datetime

        first = db.session.scalar(select(AuditEntry).order_by(AuditEntry.seq))
        assert first is not None
        at = first.at if first.at.tzinfo else first.at.replace(tzinfo=__import__("datetime").UTC)
        assert vn_datetime(at) in text  # UTC+7, as every time shown
    # the same log in English is English
    client.get("/lang/en")
    english = _log_text(client)
    assert f"checked in {names[0]} as present (“{title}”)." in english
    assert "Nghỉ ốm" in english  # a quotation stays as written
    assert "điểm danh" not in english and "đồng chí" not in english
    # the machine-readable export is unchanged
    exported = client.get("/audit/export.json").json
    assert any(
        e["action"] == "code.issued" and e["details"]["count"] == 15 for e in exported["entries"]
    )
