"""An organ's register of document numbers, one run per year and kind ("Số 05-BB/ĐUK").

Hướng dẫn 36-HD/VPTW (2018) places the number and symbol under the issuing organ's name:
the number runs from 01 each year, then the kind's abbreviation (BB biên bản, BC báo cáo)
and the organ's symbol. A document keeps the number it was given; the office may set a
number before export (a paper register kept alongside), else the next free one is taken.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import func, select

from ballot.db import db
from ballot.org.models import DocumentNumber, Organisation
from ballot.voting.errors import VoteError

MINUTES = "BB"
REPORT = "BC"


def organ_symbol(organisation: Organisation) -> str:
    """The organ's symbol: its own, else the initials of the first three words of its heading
    name ("ĐẢNG ỦY KHỐI ..." → "ĐUK"), keeping Đ and dropping other accents."""
    if organisation.symbol:
        return organisation.symbol.strip().upper()
    words = (organisation.header_name or organisation.name).upper().split()[:3]
    initials = ""
    for word in words:
        first = word[0]
        if first != "Đ":
            first = unicodedata.normalize("NFD", first)[0]
        initials += first
    return initials


def find(kind: str, subject: str) -> DocumentNumber | None:
    return db.session.scalar(
        select(DocumentNumber).where(DocumentNumber.kind == kind, DocumentNumber.subject == subject)
    )


def take(
    organisation: Organisation, year: int, kind: str, subject: str, number: int | None = None
) -> DocumentNumber:
    """Give `subject` its number in the organ's register for `year`: `number` if it is free,
    else (None) the number it already has or the next free one. A number already given to
    another document is refused."""
    if number is not None and not 1 <= number <= 99_999:
        raise VoteError("bad_document_number", 400)
    current = find(kind, subject)
    if current is not None and (number is None or number == current.number):
        return current
    if number is None:
        highest = db.session.scalar(
            select(func.max(DocumentNumber.number)).where(
                DocumentNumber.organisation_id == organisation.id,
                DocumentNumber.year == year,
                DocumentNumber.kind == kind,
            )
        )
        number = (highest or 0) + 1
    holder = db.session.scalar(
        select(DocumentNumber).where(
            DocumentNumber.organisation_id == organisation.id,
            DocumentNumber.year == year,
            DocumentNumber.kind == kind,
            DocumentNumber.number == number,
        )
    )
    if holder is not None:
        raise VoteError("document_number_taken", 409, number=f"{number:02d}", kind=kind, year=year)
    if current is None:
        current = DocumentNumber(
            organisation_id=organisation.id,
            year=year,
            kind=kind,
            subject=subject,
            number=number,
            symbol=organ_symbol(organisation),
        )
        db.session.add(current)
    else:
        current.organisation_id, current.year, current.number = organisation.id, year, number
    db.session.flush()
    return current
