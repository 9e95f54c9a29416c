"""The words of every domain error, in one table: code → Vietnamese text through Babel.

A domain error (ballot.voting.errors.VoteError) carries only a stable code and its
parameters; this table gives the Vietnamese sentence (the Babel msgid, with %(name)s
placeholders) and the English catalog gives the translation. The web layer renders the
message in the request's language; the API sends English and Vietnamese side by side.

Errors of the crypto library carry their own English/Vietnamese pair (the library stays free
of Flask and Babel); when one reaches a person it is named here by its class, through Babel,
and its detail follows in the reader's language.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

from ballot.crypto import errors as crypto

#: code → Vietnamese message (msgid) with %(param)s placeholders. Terms: docs/glossary.md.
MESSAGES = {
    # Requests and access
    "bad_json": _l("Dữ liệu gửi lên không đúng định dạng."),
    "too_large": _l("Dữ liệu gửi lên quá lớn."),
    "login_required": _l("Vui lòng đăng nhập bằng tài khoản Ban kiểm phiếu."),
    "forbidden": _l("Chỉ thành viên Ban kiểm phiếu được thực hiện thao tác này."),
    "not_chair": _l("Chỉ Trưởng ban kiểm phiếu được khóa sổ cuộc lấy phiếu."),
    "not_chair_publish": _l("Chỉ Trưởng ban kiểm phiếu được công bố kết quả."),
    "too_many_attempts": _l(
        "Thiết bị này đã nhập sai mã phiếu quá nhiều lần. Vui lòng thử lại sau %(seconds)s giây."
    ),
    "unknown_vote": _l("Không tìm thấy cuộc lấy phiếu tín nhiệm."),
    # Setup
    "wrong_state": _l(
        "Cuộc lấy phiếu đang ở giai đoạn “%(state)s”; thao tác này chỉ làm được ở giai đoạn: "
        "%(needed)s."
    ),
    "no_subjects": _l("Phiếu chưa có người được lấy phiếu."),
    "bad_committee": _l("Hãy chọn ít nhất 2 thành viên Ban kiểm phiếu khác nhau."),
    "bad_threshold": _l(
        "Số thành viên cần để giải mã phải từ %(low)s đến %(high)s: ít nhất 2 và hơn một nửa "
        "Ban kiểm phiếu (%(high)s thành viên)."
    ),
    "bad_chair": _l("Trưởng ban phải là thành viên Ban kiểm phiếu."),
    # Key ceremony
    "not_a_trustee": _l("Bạn không thuộc Ban kiểm phiếu của cuộc lấy phiếu này."),
    "already_sent": _l("Thành viên này đã gửi cam kết."),
    "bad_commit": _l("Cam kết không hợp lệ: %(reason)s"),
    "commit_for_other": _l("Cam kết gửi thay cho thành viên khác."),
    "commits_missing": _l("Hãy đợi mọi thành viên gửi cam kết."),
    "ceremony_incomplete": _l("Lễ tạo khóa chưa hoàn tất."),
    "bad_shares": _l("Cần đúng một phần khóa đã mã hóa cho mỗi thành viên khác."),
    "bad_shares_list": _l("Cần danh sách các phần khóa đã mã hóa."),
    "bad_share_message": _l("Phần khóa đã mã hóa thứ %(number)s không hợp lệ: %(reason)s"),
    "share_for_other": _l("Phần khóa đã mã hóa thứ %(number)s gửi thay cho thành viên khác."),
    "bad_done_message": _l("Xác nhận hoàn tất lễ tạo khóa không hợp lệ: %(reason)s"),
    "done_for_other": _l("Xác nhận hoàn tất gửi thay cho thành viên khác."),
    "bad_body": _l("Dữ liệu gửi lên phải có đúng một trường “%(key)s”."),
    "bad_ceremony": _l("Lễ tạo khóa lỗi: %(reason)s"),
    "unknown_step": _l("Không có bước này."),
    "no_manifest": _l("Chưa hoàn tất lễ tạo khóa."),
    "no_keys": _l("Cuộc lấy phiếu chưa có khóa: lễ tạo khóa chưa hoàn tất."),
    # Desk
    "holds_code": _l("Đại biểu này đã nhận mã phiếu; không thể báo vắng."),
    "no_quorum": _l(
        "Chưa đủ số lượng: có mặt %(present)s, cần ít nhất %(needed)s "
        "trong số %(summoned)s người được triệu tập."
    ),
    "not_present": _l("Chỉ đại biểu có mặt mới được nhận mã phiếu."),
    "has_code": _l("Đại biểu đã nhận mã phiếu; muốn cấp lại hãy hủy mã cũ."),
    "nothing_to_revoke": _l(
        "Đại biểu không có mã phiếu chưa dùng (có thể mã đã được dùng để bỏ phiếu)."
    ),
    "revoke_reason": _l("Hãy ghi lý do hủy mã phiếu."),
    "nobody_to_issue": _l("Không còn đại biểu có mặt nào chưa nhận mã phiếu."),
    "mistyped_code": _l(
        "Mã phiếu gõ chưa đúng (ký tự kiểm tra không khớp). Vui lòng kiểm tra lại."
    ),
    # Casting
    "unknown_code": _l("Mã phiếu không đúng hoặc không thuộc cuộc lấy phiếu này."),
    "revoked_code": _l("Mã phiếu này đã bị hủy. Vui lòng liên hệ bàn tiếp đón."),
    "used_code": _l("Mã phiếu này đã được dùng để bỏ phiếu."),
    "vote_closed": _l("Cuộc lấy phiếu đã khóa sổ."),
    "vote_not_open": _l("Cuộc lấy phiếu chưa bắt đầu nhận phiếu."),
    "invalid_ballot": _l("Phiếu bị từ chối: %(reason)s"),
    "duplicate_ciphertext": _l("Phiếu lặp lại dữ liệu mã hóa đã có trên bảng phiếu công khai."),
    # Counting
    "bad_share": _l("Phần giải mã không phải của thành viên này."),
    "invalid_share": _l("Phần giải mã bị từ chối: %(reason)s"),
    "no_results": _l("Chưa có kết quả: cần đủ số thành viên Ban kiểm phiếu giải mã."),
    "no_record": _l("Hồ sơ kiểm phiếu chỉ có sau khi kết quả được giải mã."),
    # Publication (ballot.voting.publication)
    "not_published": _l("Kết quả chưa được công bố."),
    "already_published": _l("Kết quả đã được công bố."),
    # Results from the verified record, the committee's presence, documents, conferences
    "record_mismatch": _l(
        "Kết quả lưu trong cơ sở dữ liệu không khớp với hồ sơ kiểm phiếu đã kiểm tra "
        "(%(detail)s). Không hiển thị, không in kết quả; hãy báo quản trị viên và xem nhật ký "
        "hệ thống."
    ),
    "committee_absent": _l(
        "Thành viên Ban kiểm phiếu không có mặt: %(names)s. Ban kiểm phiếu do Hội nghị bầu phải "
        "có mặt: hãy đánh dấu có mặt hoặc thay đổi Ban kiểm phiếu (và tạo lại khóa) trước khi "
        "bắt đầu bỏ phiếu."
    ),
    "committee_locked": _l(
        "Đã phát mã bỏ phiếu với khóa hiện tại; không thể thay đổi Ban kiểm phiếu nữa."
    ),
    "no_public_url": _l(
        "Chưa đặt địa chỉ công khai của hồ sơ kiểm phiếu: đặt PUBLIC_BASE_URL = "
        "'https://dia-chi-cong-khai' trong instance/config.py (hoặc biến môi trường "
        "BALLOT_PUBLIC_BASE_URL), hoặc dùng `ballot minutes ID --base-url URL`."
    ),
    "loopback_public_url": _l(
        "Địa chỉ %(url)s không truy cập được từ máy khác, người đọc biên bản không mở được: đặt "
        "PUBLIC_BASE_URL = 'https://dia-chi-cong-khai' trong instance/config.py (hoặc biến môi "
        "trường BALLOT_PUBLIC_BASE_URL), hoặc dùng `ballot minutes ID --base-url URL`."
    ),
    "bad_document_number": _l("Số văn bản phải từ 1 đến 99999."),
    "document_number_taken": _l(
        "Số %(number)s-%(kind)s năm %(year)s đã cấp cho văn bản khác; hãy chọn số khác."
    ),
    "no_organisation": _l("Chưa có tổ chức đảng: hãy nạp dữ liệu (ví dụ `ballot demo`) trước."),
    "bad_conference_number": _l("Số thứ tự hội nghị (lần thứ) phải từ 1 đến 999."),
    "bad_conference_dates": _l("Ngày kết thúc hội nghị không được trước ngày khai mạc."),
    "conference_field_too_long": _l("Một trường thông tin hội nghị dài quá %(limit)s ký tự."),
    # Elections (bầu cử, Quy định 190-QĐ/TW; ballot.voting.election_setup)
    "election_title": _l("Hãy đặt tiêu đề cuộc bầu cử (tối đa 500 ký tự)."),
    "election_seats": _l("Số lượng cần bầu phải là số nguyên, ít nhất là 1."),
    "election_no_candidates": _l("Danh sách bầu cử chưa có ai."),
    "election_bad_candidate": _l(
        "Mỗi người trong danh sách bầu cử cần họ và tên (tối đa 120 ký tự) và chức vụ (tối đa "
        "255 ký tự): “%(name)s”."
    ),
    "election_duplicate_candidate": _l("Tên “%(name)s” có hai lần trong danh sách bầu cử."),
    "election_list_short": _l(
        "Danh sách bầu cử có %(candidates)s người, ít hơn số lượng cần bầu (%(seats)s)."
    ),
    "election_no_surplus": _l(
        "Theo Điều 14 Quy định 190-QĐ/TW, danh sách bầu cấp ủy và ban thường vụ phải có số dư: "
        "cần nhiều hơn %(seats)s người (số lượng cần bầu)."
    ),
    "election_surplus_over": _l(
        "Theo Điều 14 Quy định 190-QĐ/TW, số dư không quá 30%% số lượng cần bầu: với %(seats)s "
        "người cần bầu, số dư tối đa là %(cap)s; danh sách đang dư %(surplus)s."
    ),
    "election_surplus_decision": _l(
        "Danh sách dư %(surplus)s người, quá 30%% của %(seats)s người cần bầu (tối đa %(cap)s): "
        "cần ghi quyết định của đại hội (hội nghị) cho phép danh sách dài hơn."
    ),
    "election_bad_convened": _l(
        "Số người triệu tập dùng để tính quá một nửa phải từ 1 đến %(summoned)s (số người được "
        "triệu tập)."
    ),
    "election_bad_previous": _l(
        "Vòng bầu tiếp theo chỉ tạo được từ một cuộc bầu cử đã có kết quả."
    ),
    "not_an_election": _l("Đây không phải cuộc bầu cử."),
    "not_a_confidence_vote": _l(
        "Đây là cuộc bầu cử, không phải cuộc lấy phiếu tín nhiệm: kết quả của nó là kết quả bầu cử."
    ),
    "no_further_round": _l("Kết quả cuộc bầu cử này không cần bầu tiếp."),
    "further_round_exists": _l("Vòng bầu tiếp theo của cuộc bầu cử này đã được tạo."),
    # The roll of an election (danh sách đại biểu được triệu tập; ballot.voting.roll)
    "roll_frozen": _l(
        "Lễ tạo khóa đã hoàn tất: danh sách đại biểu được triệu tập đã chốt, không thay được nữa."
    ),
    "roll_refused": _l(
        "Danh sách đại biểu được triệu tập có %(count)s lỗi; chưa thay đổi gì. Sửa các dòng nêu "
        "dưới đây rồi gửi lại."
    ),
    "roll_too_many": _l(
        "Danh sách có %(count)s người, nhiều hơn mức tối đa %(most)s người được triệu tập."
    ),
    "roll_too_few": _l("Danh sách có %(count)s người; cần ít nhất %(least)s người được triệu tập."),
    "roll_line_no_name": _l("Dòng %(line)s: chưa ghi họ và tên."),
    "roll_line_name_long": _l("Dòng %(line)s: họ và tên dài quá %(most)s ký tự."),
    "roll_line_position_long": _l("Dòng %(line)s: chức vụ, đơn vị dài quá %(most)s ký tự."),
    "roll_line_duplicate": _l(
        "Dòng %(line)s: trùng với dòng %(first)s (cùng họ và tên “%(name)s”, cùng chức vụ, đơn vị)."
    ),
    "roll_line_unknown_code": _l(
        "Dòng %(line)s: không có đảng viên mã “%(member_code)s” trong đảng bộ của hội nghị."
    ),
    "roll_line_code_name": _l(
        "Dòng %(line)s: mã đảng viên “%(member_code)s” là của đồng chí %(name)s, không khớp với họ và tên "
        "đã ghi."
    ),
    "roll_line_same_member": _l("Dòng %(line)s: cùng một đảng viên với dòng %(first)s."),
    "roll_missing_committee": _l(
        "Thành viên Ban kiểm phiếu phải có trong danh sách đại biểu được triệu tập; danh sách mới "
        "thiếu: %(names)s."
    ),
    "roll_bad_convened": _l(
        "Số người triệu tập dùng để tính quá một nửa (%(convened)s) phải từ 1 đến %(summoned)s "
        "(số người trong danh sách mới)."
    ),
    "roll_committee_off": _l(
        "Thành viên Ban kiểm phiếu phải có trong danh sách đại biểu được triệu tập: %(names)s "
        "không có trong danh sách."
    ),
}

#: The vote's stages as people name them (also the state badge's words).
STATE_LABELS = {
    "draft": _l("Đang chuẩn bị"),
    "ceremony": _l("Đang tạo khóa"),
    "ready": _l("Sẵn sàng"),
    "open": _l("Đang nhận phiếu"),
    "closed": _l("Đã khóa sổ, chờ giải mã"),
    "counted": _l("Đã có kết quả"),
}

#: Crypto errors that reach a person, named by class (most specific first).
CRYPTO_MESSAGES: list[tuple[type[crypto.CryptoError], object]] = [
    (crypto.DuplicateCiphertext, _l("phiếu lặp lại một bản mã đã có trên bảng phiếu công khai")),
    (crypto.InvalidBallot, _l("phiếu sai cấu trúc hoặc có chứng minh không đúng")),
    (crypto.BadDealer, _l("thành viên số %(member)s gửi cam kết, chứng minh hoặc phần khóa sai")),
    (crypto.InvalidShare, _l("phần giải mã của thành viên số %(member)s không kiểm tra được")),
    (crypto.NotEnoughShares, _l("chưa đủ phần giải mã hợp lệ")),
    (crypto.ProofError, _l("một chứng minh không đúng")),
    (crypto.KeyFileError, _l("không đọc hoặc không giải mã được tệp khóa")),
    (crypto.EncodingError, _l("dữ liệu không đúng định dạng của giao thức")),
    (crypto.CryptoError, _l("dữ liệu mật mã không hợp lệ")),
]


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "vi"


def crypto_message(exc: crypto.CryptoError) -> str:
    """Name a crypto error in the current language: its class through Babel, then its detail
    from the library's own pair (English or Vietnamese, whichever the reader reads)."""
    member = getattr(exc, "dealer", None) or getattr(exc, "member", None)
    for cls, text in CRYPTO_MESSAGES:
        if isinstance(exc, cls):
            head = str(text) % {"member": member}
            break
    detail = exc.vi if _language() == "vi" else exc.en
    return f"{head} ({detail})" if detail else head


def _param(value: object) -> object:
    if isinstance(value, enum.Enum) and value.value in STATE_LABELS:
        return str(STATE_LABELS[value.value])
    if isinstance(value, crypto.CryptoError):
        return crypto_message(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(f"“{_param(v)}”" for v in value)
    if hasattr(value, "__html__") or not isinstance(value, (int, float)):
        return str(value)
    return value


def render(code: str, params: Mapping[str, object]) -> str:
    """Return the message of `code` in the current language, its parameters filled in."""
    text = str(MESSAGES[code])
    return text % {name: _param(value) for name, value in params.items()} if params else text


class _Blank(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "…"


def render_code(code: str) -> str:
    """The message of an error code without its parameters (for a refusal kept by code in the
    audit log); unknown codes come back as they are."""
    if code not in MESSAGES:
        return code
    return str(MESSAGES[code]) % _Blank()


def render_in(locale: str, code: str, params: Mapping[str, object]) -> str:
    """Return the message of `code` in the given language ("vi" or "en")."""
    with force_locale(locale):
        return render(code, params)
