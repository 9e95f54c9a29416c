"""Plain data the counting minutes, the attendance list and the issuance log are rendered from.

Only ints, strings, booleans, dates and tuples of these: the documents are official records
and must not change because an ORM object was refreshed or lazily loaded while rendering.
Every context checks its own arithmetic when built, so an inconsistent record fails before
anything is printed for signature.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

from ballot.i18n import vn_percent

FLAG_CONSIDER = "consider"
FLAG_DISMISS = "dismiss"

_HEX = re.compile(r"[0-9a-f]+")


class _Plain:
    """Mixin: NFC-normalise every text field and freeze sequences into tuples.

    Names typed on different keyboards arrive decomposed or precomposed; the documents and
    any comparison with them must see one form (the protocol hashes NFC too).
    """

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, str):
                value = unicodedata.normalize("NFC", value)
            elif isinstance(value, list | tuple):
                value = tuple(
                    unicodedata.normalize("NFC", v) if isinstance(v, str) else v for v in value
                )
            else:
                continue
            object.__setattr__(self, f.name, value)
        self.check()

    def check(self) -> None:
        """Raise ValueError if the data cannot make a truthful document."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def percent_of(part: int, whole: int) -> str:
    """Return part/whole as the minutes print it: exact, ROUND_HALF_UP, 2 decimals, "70,59%"."""
    return vn_percent(part, whole, digits=2)


@dataclass(frozen=True)
class Bound(_Plain):
    """A share of a whole, e.g. 2/3, reached "from" it (inclusive) or only "above" it."""

    numerator: int
    denominator: int
    inclusive: bool

    def check(self) -> None:
        _require(0 < self.numerator <= self.denominator, f"bad bound {self.fraction}")

    @property
    def fraction(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    def reached_by(self, part: int, whole: int) -> bool:
        """Whether part/whole reaches this bound (exact: no floating point at a boundary)."""
        if whole <= 0:
            return False
        share, bound = Fraction(part, whole), Fraction(self.numerator, self.denominator)
        return share >= bound if self.inclusive else share > bound


@dataclass(frozen=True)
class Thresholds(_Plain):
    """The regulation's numbers, as configuration: sources differ on "from" or "above" 2/3.

    Field names follow ballot.voting.rules.VoteRules (consider, dismiss, quorum).
    """

    consider: Bound = Bound(1, 2, inclusive=False)  #: "more than 1/2": to be considered
    dismiss: Bound = Bound(2, 3, inclusive=True)  #: "2/3 or more": dismissal procedure
    quorum: Bound = Bound(2, 3, inclusive=True)  #: "at least 2/3 of those summoned"
    regulation: str = "Quy định 96-QĐ/TW"
    dismiss_regulation: str = "Quy định 41-QĐ/TW"

    @classmethod
    def from_fractions(
        cls, quorum: Fraction, consider: Fraction, dismiss: Fraction, dismiss_inclusive: bool
    ) -> Thresholds:
        """Build from a vote's stored rules: the quorum is "at least", considering "above"."""
        return cls(
            consider=Bound(consider.numerator, consider.denominator, inclusive=False),
            dismiss=Bound(dismiss.numerator, dismiss.denominator, inclusive=dismiss_inclusive),
            quorum=Bound(quorum.numerator, quorum.denominator, inclusive=True),
        )

    def check(self) -> None:
        consider = Fraction(self.consider.numerator, self.consider.denominator)
        dismiss = Fraction(self.dismiss.numerator, self.dismiss.denominator)
        _require(consider <= dismiss, "the dismissal bound must not lie below the other")

    def flag_for(self, low: int, received: int) -> str | None:
        """Return FLAG_DISMISS, FLAG_CONSIDER or None for a subject's low-confidence count."""
        if self.dismiss.reached_by(low, received):
            return FLAG_DISMISS
        if self.consider.reached_by(low, received):
            return FLAG_CONSIDER
        return None


@dataclass(frozen=True)
class OrgHeader(_Plain):
    """The top of a party document: issuing body on the left, place of issue on the right."""

    superior_name: str  #: "ĐẢNG BỘ TỈNH TRÀ VINH"
    name: str  #: "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH"
    place: str  #: "Trà Vinh", printed before the date
    document_number: str = ""  #: "Số 05-BB/ĐUK" when the office numbers the record
    national_heading: str = "ĐẢNG CỘNG SẢN VIỆT NAM"


@dataclass(frozen=True)
class Signer(_Plain):
    """Who signs a list or a log: the title printed above the signature, then the name."""

    title: str  #: "TRƯỞNG BAN KIỂM PHIẾU"
    name: str


@dataclass(frozen=True)
class SubjectResult(_Plain):
    """One person on the ballot and the tally of their row."""

    no: int  #: order on the ballot (TT)
    full_name: str
    position: str
    high: int  #: "tín nhiệm cao"
    normal: int  #: "tín nhiệm"
    low: int  #: "tín nhiệm thấp"
    invalid: int  #: received ballots whose row for this subject is blank

    def check(self) -> None:
        counts = (self.high, self.normal, self.low, self.invalid)
        _require(min(counts) >= 0, f"negative count for {self.full_name}")

    @property
    def valid(self) -> int:
        return self.high + self.normal + self.low


@dataclass(frozen=True)
class MinutesContext(_Plain):
    """Everything the counting minutes (biên bản kiểm phiếu) print."""

    organisation: OrgHeader
    document_date: date
    vote_title: str  #: "Lấy phiếu tín nhiệm đối với các đồng chí Ủy viên Ban Thường vụ ..."
    conference_name: str  #: "Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 15 (mở rộng)"
    conference_place: str
    started_at: datetime  #: start of the vote; aware times are shown in Vietnam time
    counting_ended_at: datetime
    counting_chair: str
    counting_members: tuple[str, ...]
    summoned: int
    present: int
    absent_names: tuple[str, ...]
    issued: int
    received: int
    subjects: tuple[SubjectResult, ...]
    trustee_threshold: int  #: t: committee members needed to decrypt the tally
    trustee_count: int  #: n: committee members holding a key share
    fingerprint_hex: str  #: SHA-256 of the record's manifest, lowercase hex
    record_url: str  #: where the published record can be fetched for `ballot verify`
    thresholds: Thresholds = field(default_factory=Thresholds)
    method_note: str = ""  #: an extra sentence for the "how the vote was held" section
    #: Received ballots with at least one unmarked row, when known (paper counts). A tablet
    #: vote cannot know it: only per-subject totals are ever decrypted, so it stays None.
    ballots_with_blank_rows: int | None = None
    #: The reason each absent member gave, in the order of `absent_names` ("" when none).
    absent_reasons: tuple[str, ...] = ()
    #: The hash that anchors the closed board (record "closing.hash"), lowercase hex.
    closing_hash_hex: str = ""
    #: SHA-256 of the record file as published, lowercase hex.
    record_sha256_hex: str = ""
    #: The audit log's head hash when the minutes were printed, lowercase hex.
    audit_head_hex: str = ""
    #: "Biên bản lập thành 02 bản".
    copies: int = 2

    def check(self) -> None:
        _require(
            self.summoned == self.present + len(self.absent_names),
            "summoned must equal present plus the named absentees",
        )
        _require(0 <= self.received <= self.issued, "received ballots exceed issued ballots")
        _require(self.issued <= self.present, "more ballots issued than members present")
        _require(bool(self.subjects), "a vote needs at least one subject")
        for s in self.subjects:
            _require(
                s.valid + s.invalid == self.received,
                f"{s.full_name}: high+normal+low+invalid must equal ballots received",
            )
        worst = max(s.invalid for s in self.subjects)
        total = sum(s.invalid for s in self.subjects)
        _require(
            self.ballots_with_blank_rows is None
            or worst <= self.ballots_with_blank_rows <= min(total, self.received),
            "ballots with blank rows do not match the per-subject invalid counts",
        )
        _require(1 <= self.trustee_threshold <= self.trustee_count, "need 1 <= t <= n")
        _require(self.counting_ended_at >= self.started_at, "counting ended before it started")
        fp = self.fingerprint_hex.lower()
        _require(
            len(fp) == 64 and _HEX.fullmatch(fp) is not None,
            "the fingerprint must be 64 hex digits (SHA-256)",
        )
        object.__setattr__(self, "fingerprint_hex", fp)
        for name in ("closing_hash_hex", "record_sha256_hex", "audit_head_hex"):
            value = getattr(self, name).lower()
            _require(
                value == "" or (len(value) == 64 and _HEX.fullmatch(value) is not None),
                f"{name} must be 64 hex digits",
            )
            object.__setattr__(self, name, value)
        _require(
            not self.absent_reasons or len(self.absent_reasons) == len(self.absent_names),
            "one reason (or an empty one) per absent member",
        )
        _require(1 <= self.copies <= 20, "copies must be between 1 and 20")

    def flag(self, subject: SubjectResult) -> str | None:
        """Return which threshold, if any, the subject's low-confidence share reaches."""
        return self.thresholds.flag_for(subject.low, self.received)


@dataclass(frozen=True)
class AttendanceRow(_Plain):
    no: int
    full_name: str
    position: str
    present: bool
    note: str = ""  #: e.g. the reason given for an absence


@dataclass(frozen=True)
class AttendanceContext(_Plain):
    """The list of those summoned, present or absent, with a column to sign."""

    organisation: OrgHeader
    document_date: date
    conference_name: str
    vote_title: str
    rows: tuple[AttendanceRow, ...]
    signer: Signer

    @property
    def present(self) -> int:
        return sum(1 for r in self.rows if r.present)


@dataclass(frozen=True)
class IssuanceContext(_Plain):
    """Counts of one-time ballot codes. Never the codes: the log is filed, codes are secret."""

    organisation: OrgHeader
    document_date: date
    vote_title: str
    recorded_at: datetime  #: the moment the counts were taken (normally the vote's close)
    issued: int  #: codes handed out the first time
    revoked: int  #: codes cancelled before use (lost, misprinted, voter left)
    reissued: int  #: replacement codes handed out
    used: int  #: codes with which a ballot was cast
    signer: Signer
    #: The roll: present members (note: received a code or not), then absent ones (reason).
    rows: tuple[AttendanceRow, ...] = ()

    def check(self) -> None:
        _require(min(self.issued, self.revoked, self.reissued, self.used) >= 0, "negative count")
        _require(self.revoked <= self.issued + self.reissued, "more codes revoked than issued")
        _require(self.used <= self.valid_codes, "more codes used than valid codes")

    @property
    def valid_codes(self) -> int:
        return self.issued + self.reissued - self.revoked

    @property
    def unused(self) -> int:
        return self.valid_codes - self.used
