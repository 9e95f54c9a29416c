"""Vietnamese labels of the audit log's action codes and chain problems."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "auth.login": _l("Đăng nhập"),
    "auth.login_failed": _l("Đăng nhập thất bại"),
    "auth.logout": _l("Đăng xuất"),
    "auth.password_changed": _l("Đổi mật khẩu (mọi phiên đăng nhập kết thúc)"),
    "auth.account_disabled": _l("Khóa tài khoản"),
    "auth.account_enabled": _l("Mở lại tài khoản"),
    "audit.rekeyed": _l("Chuỗi nhật ký được khóa bằng khóa bí mật của hệ thống"),
    "vote.published": _l("Công bố kết quả"),
    "vote.created": _l("Tạo cuộc bỏ phiếu"),
    "vote.committee_set": _l("Chọn Ban kiểm phiếu"),
    "vote.ceremony_step": _l("Bước lễ tạo khóa"),
    "vote.ceremony_reset": _l("Bắt đầu lại lễ tạo khóa"),
    "vote.opened": _l("Mở bỏ phiếu"),
    "vote.closed": _l("Kết thúc bỏ phiếu"),
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


def action_label(code: str) -> str:
    """The Vietnamese label of an action code (the code itself when unknown, e.g. ratings')."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
