"""Official documents of a confidence vote or an election, rendered from plain data as PDF
and DOCX.

Build a `MinutesContext`, `AttendanceContext` or `IssuanceContext` (see `context.py`), or an
`ElectionMinutesContext` (`election_context.py`), from the vote's records, then call the
matching `render_*` function; each returns the file's bytes.
"""

from ballot.minutes.context import (
    FLAG_CONSIDER,
    FLAG_DISMISS,
    AttendanceContext,
    AttendanceRow,
    Bound,
    IssuanceContext,
    MinutesContext,
    OrgHeader,
    Signer,
    SubjectResult,
    Thresholds,
    percent_of,
)
from ballot.minutes.docx import (
    render_attendance_docx,
    render_election_minutes_docx,
    render_issuance_docx,
    render_minutes_docx,
)
from ballot.minutes.election_context import Candidate, ElectionMinutesContext
from ballot.minutes.pdf import (
    render_attendance_pdf,
    render_election_minutes_pdf,
    render_issuance_pdf,
    render_minutes_pdf,
)

__all__ = [
    "FLAG_DISMISS",
    "FLAG_CONSIDER",
    "AttendanceContext",
    "AttendanceRow",
    "Bound",
    "Candidate",
    "ElectionMinutesContext",
    "IssuanceContext",
    "MinutesContext",
    "OrgHeader",
    "Signer",
    "SubjectResult",
    "Thresholds",
    "percent_of",
    "render_attendance_docx",
    "render_election_minutes_docx",
    "render_election_minutes_pdf",
    "render_issuance_docx",
    "render_minutes_docx",
    "render_attendance_pdf",
    "render_issuance_pdf",
    "render_minutes_pdf",
]
