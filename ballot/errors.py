"""Error pages in the site's layout, and JSON errors for API clients, registered in one place."""

from __future__ import annotations

from flask import Flask, flash, jsonify, redirect, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from ballot.db import db
from ballot.voting.errors import VoteError


#: Vietnamese title and explanation for each status we render ourselves.
def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Yêu cầu không hợp lệ"), _("Dữ liệu gửi lên không đúng. Vui lòng thử lại.")),
        403: (_("Không có quyền"), _("Tài khoản của bạn không được phép xem trang này.")),
        404: (_("Không tìm thấy"), _("Trang hoặc mục bạn tìm không tồn tại.")),
        405: (_("Thao tác không được phép"), _("Trang này không nhận thao tác đó.")),
        409: (_("Chưa thể thực hiện"), _("Thao tác này chưa thể thực hiện ở trạng thái hiện tại.")),
        413: (_("Dữ liệu quá lớn"), _("Tệp hoặc dữ liệu gửi lên vượt quá giới hạn cho phép.")),
        429: (
            _("Quá nhiều lần thử"),
            _("Bạn đã thử quá nhiều lần. Vui lòng đợi một phút rồi thử lại."),
        ),
        500: (
            _("Lỗi hệ thống"),
            _("Đã có lỗi xảy ra; không có thay đổi nào được lưu. Vui lòng báo quản trị viên."),
        ),
    }


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(error: HTTPException):
    """Render an HTTP error as a page (or JSON under /api/)."""
    code = error.code or 500
    title, text = _messages().get(code, (error.name, error.description or ""))
    if isinstance(error, CSRFError):
        text = _(
            "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang và thử lại."
        )
    detail = getattr(error, "description", None) if code in (409,) else None
    if _wants_json():
        with force_locale("vi"):
            title_vi = _messages().get(code, (error.name, ""))[0]
        return jsonify(
            error={
                "code": error.name.lower().replace(" ", "_").replace("'", ""),
                "message": error.name,
                "message_vi": title_vi,
            }
        ), code
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


def render_internal_error(error: Exception):
    """Roll back the session, then render the 500 page."""
    db.session.rollback()
    return render_error(InternalServerError())


def render_vote_error(error: VoteError):
    """A refused vote action: JSON under /api/, else back to the form with the message."""
    db.session.rollback()
    if _wants_json():
        return jsonify(error.to_json()), error.status
    if (
        request.method == "POST"
        and request.referrer
        and request.referrer.startswith(request.host_url)
    ):
        flash(error.message(), "error")
        return redirect(request.referrer, code=303)
    return render_template(
        "errors/error.html", code=error.status, title=_("Chưa thể thực hiện"), text=error.message()
    ), error.status


def register_errorhandlers(app: Flask) -> None:
    """Register the error pages for every status we handle."""
    app.register_error_handler(VoteError, render_vote_error)
    for code in (400, 403, 404, 405, 409, 413, 429):
        app.register_error_handler(code, render_error)
    app.register_error_handler(500, render_internal_error)
