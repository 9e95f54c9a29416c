"""Locale choice and Vietnamese number and date formats for templates and documents."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask import Flask, current_app, has_request_context, request, session

from ballot import localtime

LANG_SESSION_KEY = "lang"


def select_locale() -> str:
    """Return the session's chosen language, else Vietnamese (the default, not the browser's)."""
    if not has_request_context():  # commands and documents: the default language
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    lang = session.get(LANG_SESSION_KEY)
    if lang in current_app.config["LANGUAGES"]:
        return str(lang)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def vn_number(value: int | float | Decimal | Fraction, digits: int = 0) -> str:
    """Format a number the Vietnamese way: dot thousands, comma decimals ("6.102", "93,82")."""
    quant = Decimal(1).scaleb(-digits)
    if isinstance(value, Fraction):
        dec = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        dec = Decimal(str(value))
    dec = dec.quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if dec < 0 else ""
    whole, _, frac = f"{abs(dec):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return sign + text + ("," + frac if digits > 0 else "")


def vn_percent(part: int, whole: int, digits: int = 2) -> str:
    """Return part/whole as a Vietnamese percentage ("93,82%"); "—" when whole is 0."""
    if whole == 0:
        return "—"
    return vn_number(Fraction(100 * part, whole), digits) + "%"


def vn_date(value: date | datetime | None) -> str:
    """Format a date as dd/mm/yyyy (a moment in the site's zone)."""
    return localtime.short_date(value)


def vn_datetime(value: datetime | None) -> str:
    """Format a moment as HH:MM dd/mm/yyyy in the site's zone (Vietnam time by default)."""
    return localtime.short(value)


def vn_datetime_seconds(value: datetime | None) -> str:
    """HH:MM:SS dd/mm/yyyy in the site's zone (the audit log)."""
    return localtime.short(value, seconds=True)


def hex_groups(value: str | None, groups: int | None = None) -> str:
    """Write a hash the one way people read it aloud: upper case, groups of 4 ("3FA9 0C1E …").

    `groups` keeps only the first groups (the booth shows 4); the same rule is in
    ballot/static/js/app/fingerprint.js, and every page, document and command uses one of the two.
    """
    if not value:
        return ""
    digits = value.replace(" ", "").upper()
    parts = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    return " ".join(parts[:groups] if groups else parts)


def state_label(state: object) -> str:
    """The name people use for a vote's stage (the state badge's words), in the UI language."""
    from ballot.messages import STATE_LABELS

    value = getattr(state, "value", state)
    return str(STATE_LABELS.get(str(value), value))


def page_language() -> str:
    """The language of the page being rendered ("vi" or "en"), for <html lang>."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else select_locale()


def init_app(app: Flask) -> None:
    """Register the template filters and the language switch."""
    app.add_template_filter(vn_number, "vn_number")
    app.add_template_filter(vn_percent, "vn_percent")
    app.add_template_filter(vn_date, "vn_date")
    app.add_template_filter(vn_datetime, "vn_datetime")
    app.add_template_filter(hex_groups, "hex_groups")
    app.add_template_global(state_label, "state_label")
    app.add_template_global(page_language, "page_language")
    app.add_template_filter(vn_datetime_seconds, "vn_datetime_seconds")
    app.add_template_filter(localtime.long_date, "vn_long_date")

    @app.get("/lang/<code>")
    def set_language(code: str):
        """Switch the interface language for this session."""
        from flask import redirect, url_for

        if code in app.config["LANGUAGES"]:
            session[LANG_SESSION_KEY] = code
        target = (
            request.referrer
            if request.referrer and request.referrer.startswith(request.host_url)
            else url_for("home.index")
        )
        return redirect(target)
