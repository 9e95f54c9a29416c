"""The audit log in words: each entry as a Vietnamese sentence (English through the catalog)
with people's names, vote titles and the facts of its details; chain problems named.

The entries themselves keep their machine-readable form (the JSON export); these sentences
are only how the log page reads. Terms follow docs/glossary.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "auth.login": _l("Đăng nhập"),
    "auth.login_failed": _l("Đăng nhập không thành công"),
    "auth.logout": _l("Đăng xuất"),
    "auth.password_changed": _l("Đổi mật khẩu (mọi phiên đăng nhập kết thúc)"),
    "auth.account_disabled": _l("Khóa tài khoản"),
    "auth.account_enabled": _l("Mở lại tài khoản"),
    "audit.rekeyed": _l("Chuỗi nhật ký được khóa bằng khóa bí mật của hệ thống"),
    "vote.published": _l("Công bố kết quả"),
    "vote.created": _l("Tạo cuộc lấy phiếu tín nhiệm"),
    "election.created": _l("Tạo cuộc bầu cử"),
    "election.roll_set": _l("Thay danh sách đại biểu được triệu tập"),
    "vote.committee_set": _l("Chọn Ban kiểm phiếu"),
    "vote.ceremony_step": _l("Bước lễ tạo khóa"),
    "vote.ceremony_reset": _l("Bắt đầu lại lễ tạo khóa"),
    "vote.opened": _l("Mở bỏ phiếu"),
    "vote.closed": _l("Khóa sổ"),
    "attendance.marked": _l("Điểm danh"),
    "code.issued": _l("Phát mã phiếu"),
    "code.reissued": _l("Hủy mã cũ và cấp mã mới"),
    "decryption.accepted": _l("Nhận phần giải mã"),
    "decryption.refused": _l("Từ chối phần giải mã"),
    "document.downloaded": _l("Tải tài liệu"),
    "audit.exported": _l("Xuất nhật ký"),
    "backup.made": _l("Sao lưu cơ sở dữ liệu"),
}

PROBLEM_LABELS = {
    "gap": _l("thiếu hoặc sai thứ tự mục"),
    "broken_link": _l("mắt xích không khớp với mục trước (mục trước bị sửa hoặc xóa)"),
    "edited": _l("nội dung mục đã bị sửa"),
    "head_mismatch": _l("mục cuối không khớp với đầu chuỗi (mục cuối bị xóa)"),
}

DOCUMENT_LABELS = {
    "minutes": _l("biên bản kiểm phiếu"),
    "attendance": _l("danh sách đại biểu"),
    "issuance": _l("nhật ký phát mã"),
}

CEREMONY_STEPS = {
    "commit": _l("%(actor)s (thành viên số %(trustee)s) gửi cam kết của lễ tạo khóa “%(vote)s”."),
    "shares": _l(
        "%(actor)s (thành viên số %(trustee)s) gửi các phần khóa đã mã hóa của lễ tạo khóa "
        "“%(vote)s”."
    ),
    "done": _l(
        "%(actor)s (thành viên số %(trustee)s) xác nhận đã giữ khóa của cuộc lấy phiếu “%(vote)s”."
    ),
}

SENTENCES = {
    "auth.login": _l("%(actor)s đăng nhập (địa chỉ %(address)s)."),
    "auth.logout": _l("%(actor)s đăng xuất."),
    "vote.created": _l(
        "%(actor)s tạo cuộc lấy phiếu tín nhiệm “%(vote)s” (%(conference)s), "
        "%(subjects)s người được lấy phiếu."
    ),
    "election.created": _l(
        "%(actor)s tạo cuộc bầu cử “%(vote)s” (%(conference)s): bầu %(seats)s trong danh sách "
        "%(subjects)s người."
    ),
    "election.roll_set": _l(
        "%(actor)s thay danh sách đại biểu được triệu tập của “%(vote)s” (từ %(source)s): "
        "%(summoned)s người, trước đó %(before)s; số người triệu tập dùng để tính quá một nửa: "
        "%(convened)s."
    ),
    "vote.committee_set": _l(
        "%(actor)s chọn Ban kiểm phiếu của “%(vote)s”: %(members)s; Trưởng ban: %(chair)s; "
        "cần %(threshold)s trong số %(size)s thành viên để giải mã."
    ),
    "vote.ceremony_reset": _l("%(actor)s bắt đầu lại lễ tạo khóa của “%(vote)s”."),
    "vote.opened": _l(
        "%(actor)s mở bỏ phiếu “%(vote)s”: có mặt %(present)s trong số %(summoned)s người "
        "được triệu tập."
    ),
    "vote.closed": _l(
        "%(actor)s khóa sổ “%(vote)s”: %(count)s phiếu thu về; mã băm khóa sổ %(hash)s."
    ),
    "code.issued": _l("%(actor)s phát mã phiếu cho đồng chí %(voter)s (“%(vote)s”)."),
    "code.issued_batch": _l(
        "%(actor)s phát và in %(count)s phiếu mã cho các đại biểu có mặt (“%(vote)s”): %(voters)s."
    ),
    "code.reissued": _l(
        "%(actor)s hủy mã phiếu của đồng chí %(voter)s và cấp mã mới (lần %(reissued)s, "
        "“%(vote)s”); lý do: %(reason)s."
    ),
    "decryption.accepted": _l(
        "%(actor)s (thành viên số %(trustee)s) gửi phần giải mã của “%(vote)s”; phần giải mã "
        "hợp lệ."
    ),
    "decryption.refused": _l(
        "Phần giải mã của %(actor)s (thành viên số %(trustee)s) cho “%(vote)s” bị từ chối: "
        "%(reason)s"
    ),
    "document.downloaded": _l("%(actor)s tải %(document)s (%(format)s) của “%(vote)s”."),
    "audit.exported": _l("%(actor)s tải nhật ký hệ thống (%(format)s)."),
    "backup.made": _l("Hệ thống sao lưu cơ sở dữ liệu vào tệp %(file)s."),
}


def action_label(code: str) -> str:
    """The Vietnamese label of an action code (the code itself when unknown, e.g. ratings')."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


@dataclass
class Names:
    """What the sentences need from the database: people's and votes' names."""

    users: Mapping[str, str] = field(default_factory=dict)  #: username → full name
    votes: Mapping[str, str] = field(default_factory=dict)  #: public id → title
    #: An error code's words (ballot.messages), for refusals recorded by code.
    reason: Callable[[str], str] = str
    #: How a hash is written on screen (the fingerprint's one format).
    hash_text: Callable[[str], str] = str

    def user(self, username: object) -> str:
        return self.users.get(str(username), str(username))

    def vote(self, target: str) -> str:
        kind, _, key = target.partition(":")
        return self.votes.get(key, key) if kind == "vote" else target


def _people(names: Names, usernames: object) -> str:
    if not isinstance(usernames, list):
        return ""
    return ", ".join(names.user(u) for u in usernames)


def describe(action: str, actor: str, target: str, details: Mapping[str, Any], names: Names) -> str:
    """The entry as one sentence in the current language; unknown actions by their label."""
    d = dict(details or {})
    params: dict[str, object] = {
        "actor": names.user(actor) if actor != "system" else str(_l("Hệ thống")),
        "vote": names.vote(target),
    }
    if action == "auth.login_failed":
        if d.get("known_account"):
            account = names.user(target.partition(":")[2])
            return str(
                _l(
                    "Đăng nhập không thành công vào tài khoản của %(account)s (địa chỉ %(address)s).",
                    account=account,
                    address=d.get("address", "?"),
                )
            )
        return str(
            _l(
                "Đăng nhập không thành công bằng một tên tài khoản không có trong hệ thống "
                "(địa chỉ %(address)s).",
                address=d.get("address", "?"),
            )
        )
    if action == "attendance.marked":
        voter = d.get("voter", "?")
        if d.get("present"):
            return str(
                _l(
                    "%(actor)s điểm danh đồng chí %(voter)s có mặt (“%(vote)s”).",
                    voter=voter,
                    **params,
                )
            )
        if d.get("reason"):
            return str(
                _l(
                    "%(actor)s ghi đồng chí %(voter)s vắng mặt (“%(vote)s”); lý do: %(reason)s.",
                    voter=voter,
                    reason=d["reason"],
                    **params,
                )
            )
        return str(
            _l("%(actor)s ghi đồng chí %(voter)s vắng mặt (“%(vote)s”).", voter=voter, **params)
        )
    if action == "vote.ceremony_step":
        text = CEREMONY_STEPS.get(str(d.get("step")))
        if text is None:
            return action_label(action)
        sentence = str(text) % {**params, "trustee": d.get("trustee", "?")}
        if d.get("state") == "ready":
            sentence += " " + str(_l("Lễ tạo khóa hoàn tất; dấu vân tay đã được công bố."))
        return sentence
    if action == "decryption.accepted" and d.get("decrypted"):
        return (
            str(SENTENCES[action]) % {**params, "trustee": d.get("trustee", "?")}
            + " "
            + str(_l("Đủ số phần giải mã: kết quả đã được giải mã."))
        )
    if action in ("code.issued", "code.reissued") and isinstance(d.get("voters"), list):
        # issuance is recorded batch by batch (ballot.voting.issuance): members in roll order
        people = [v.get("voter", "?") if isinstance(v, dict) else str(v) for v in d["voters"]]
        reissued = d.get("reissued")
        d["voter"] = people[0] if len(people) == 1 else ", ".join(people)
        d["voters"] = people
        d["count"] = d.get("count", len(people))
        if isinstance(reissued, list):
            d["reissued"] = reissued[0] if len(reissued) == 1 else ", ".join(map(str, reissued))
        if action == "code.issued" and len(people) > 1:
            action = "code.issued_batch"
    template = SENTENCES.get(action)
    if template is None:
        return action_label(action)
    closing = d.get("closing_hash")
    params.update(
        {
            "address": d.get("address", "?"),
            "conference": d.get("conference", ""),
            "subjects": len(d.get("subjects") or []),
            "seats": d.get("seats", "?"),
            "members": _people(names, d.get("members")),
            "chair": names.user(d.get("chair", "?")),
            "threshold": d.get("threshold", "?"),
            "size": len(d.get("members") or []),
            "present": d.get("present", "?"),
            "summoned": d.get("summoned", "?"),
            "count": d.get("count", "?"),
            "hash": names.hash_text(str(closing)) if closing else "?",
            "voter": d.get("voter", "?"),
            "voters": ", ".join(str(v) for v in d.get("voters") or []),
            "reissued": d.get("reissued", "?"),
            "reason": names.reason(str(d["reason"])) if "reason" in d else "?",
            "trustee": d.get("trustee", "?"),
            "document": str(DOCUMENT_LABELS.get(str(d.get("document")), d.get("document", "?"))),
            "format": str(d.get("format", "?")).upper(),
            "file": d.get("file", "?"),
            "source": d.get("file") or str(_l("văn bản dán vào")),
            "before": d.get("before", "?"),
            "convened": d.get("convened", "?"),
        }
    )
    if action == "code.reissued":
        params["reason"] = d.get("reason") or str(_l("không ghi"))
    return str(template) % params
