"""The roll of an election (danh sách đại biểu được triệu tập): who is summoned to vote.

By default an election summons the organisation's Executive Committee; a congress (đại hội
đại biểu) summons its official delegates, and a conference may summon a corrected list. The
roll is replaced whole, before the key ceremony has frozen the manifest: every row is checked
first and nothing changes when one is refused. The majority base of Art. 30 of 190-QĐ/TW
("convened", manifest rules.election) follows the roll's size unless it was set otherwise.

Rows come from a workbook or CSV file (the guarded reader of ballot.rating.sheets) or from
pasted text, one delegate per line: "Họ và tên; Chức vụ/đơn vị".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from ballot.db import db
from ballot.org.models import Member, Organisation
from ballot.rating.sheets import fold, read_cells
from ballot.voting.election_setup import NAME_MAX, POSITION_MAX
from ballot.voting.errors import VoteError
from ballot.voting.models import ConfidenceVote, VoteState, VoteVoter
from ballot.voting.setup import off_roll

#: The most rows a roll may have (a provincial congress summons a few hundred delegates),
#: and the fewest (a counting committee of 2 and one more voter).
MAX_ROWS, MIN_ROWS = 2000, 3
#: Headers a file may carry (compared folded: no case, accents or extra spaces).
HEADERS = {
    "name": ("họ và tên", "họ tên", "full name", "name"),
    "position": (
        "chức vụ/đơn vị", "chức vụ, đơn vị", "chức vụ", "đơn vị", "đơn vị công tác",
        "chức vụ, đơn vị công tác", "position", "unit",
    ),
    "code": ("mã đảng viên", "mã đv", "member code"),
    "number": ("stt", "tt", "số tt", "số thứ tự", "no", "no."),
}  # fmt: skip
_HEADER_KEYS = {fold(h): key for key, names in HEADERS.items() for h in names}
_ROW_NUMBER = re.compile(r"^\d{1,4}[.)]?$")
_LEADING_NUMBER = re.compile(r"^\d{1,4}[.)]\s+")


@dataclass(frozen=True)
class RollRow:
    """One delegate as read: the line it came from, full name, position/unit, member code."""

    line: int
    name: str
    position: str = ""
    code: str = ""


@dataclass
class RollPlan:
    """What replacing the roll would do: the rows (with the member each is, if any), the
    convened number that would follow, and every problem found (line None: the whole list)."""

    rows: list[tuple[RollRow, int | None]] = field(default_factory=list)
    convened: int = 0
    problems: list[tuple[int | None, VoteError]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def matched(self) -> int:
        return sum(1 for _row, member_id in self.rows if member_id is not None)


class RollRefused(VoteError):
    """The roll was refused whole; `problems` names each line (nothing changed)."""

    def __init__(self, problems: list[tuple[int | None, VoteError]]) -> None:
        super().__init__("roll_refused", 400, count=len(problems))
        self.problems = problems


def _clean(text: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).split())


def _header(cells: Sequence[str]) -> list[str | None] | None:
    keys = [_HEADER_KEYS.get(fold(c)) for c in cells]
    return keys if "name" in keys else None


def rows_from_cells(table: Sequence[tuple[int, Sequence[str]]]) -> list[RollRow]:
    """Rows of a table: with a header row ("Họ và tên", "Chức vụ", "Đơn vị", "Mã đảng viên",
    "STT"; other columns ignored; title lines above it, as a party document has, and the
    header repeated on later pages are skipped) or without one (name, then position; a first
    cell that is a row number is skipped). Blank rows are skipped."""
    rows = [(line, [_clean(c) for c in raw]) for line, raw in table]
    rows = [(line, cells) for line, cells in rows if any(cells)]
    header: list[str | None] | None = None
    for at, (_line_no, cells) in enumerate(rows[:10]):
        header = _header(cells)
        if header is not None:
            rows = rows[at + 1 :]
            break
    out: list[RollRow] = []
    for line, cells in rows:
        if header is not None:
            if _header(cells) is not None:
                continue
            got: dict[str, list[str]] = {}
            for key, cell in zip(header, cells, strict=False):
                if key and cell:
                    got.setdefault(key, []).append(cell)
            name = " ".join(got.get("name", []))
            out.append(RollRow(line, name, ", ".join(got.get("position", [])), ", ".join(got.get("code", []))))  # fmt: skip
            continue
        if len(cells) > 1 and _ROW_NUMBER.match(cells[0]):
            cells = cells[1:]
        out.append(RollRow(line, cells[0], ", ".join(c for c in cells[1:] if c)))
    return out


def rows_from_text(text: str) -> list[RollRow]:
    """Pasted text, one delegate per line: "Họ và tên; Chức vụ/đơn vị" (cells copied from a
    spreadsheet, separated by tabs, are read as a table; "12. " before a name is its number)."""
    table: list[tuple[int, list[str]]] = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if "\t" in raw:
            table.append((line, raw.split("\t")))
        else:
            name, _sep, position = raw.partition(";")
            table.append((line, [_LEADING_NUMBER.sub("", name.strip()), position]))
    return rows_from_cells(table)


def rows_from_file(data: bytes, filename: str) -> list[RollRow]:
    """Rows of an .xlsx or .csv file; a file the guarded reader refuses raises SheetError."""
    return rows_from_cells(read_cells(data, filename))


def _organisation_ids(root_id: int) -> set[int]:
    """The organisation and every unit under it (basic organisations, cells)."""
    children: dict[int | None, list[int]] = {}
    for oid, parent in db.session.execute(select(Organisation.id, Organisation.parent_id)):
        children.setdefault(parent, []).append(oid)
    found, todo = set(), [root_id]
    while todo:
        oid = todo.pop()
        if oid not in found:
            found.add(oid)
            todo.extend(children.get(oid, []))
    return found


def _members(vote: ConfidenceVote, rows: Sequence[RollRow]) -> tuple[dict[str, list[int]], dict[str, tuple[int, str]]]:  # fmt: skip
    """Active members of the conference's organisation named on the roll: by exact full name
    (→ ids) and by code (→ id, name)."""
    units = _organisation_ids(vote.conference.organisation_id)
    wanted = {r.name for r in rows if r.name}
    names = sorted(wanted)
    codes = sorted({r.code for r in rows if r.code})
    by_name: dict[str, list[int]] = {}
    by_code: dict[str, tuple[int, str]] = {}
    for chunk in range(0, max(len(names), len(codes)), 500):
        query = select(Member.id, Member.full_name, Member.code).where(
            Member.active,
            Member.organisation_id.in_(units),
            Member.full_name.in_(names[chunk : chunk + 500])
            | Member.code.in_(codes[chunk : chunk + 500]),
        )
        for mid, full_name, code in db.session.execute(query):
            if full_name in wanted:
                by_name.setdefault(full_name, []).append(mid)
            by_code[code] = (mid, full_name)
    return {n: sorted(set(ids)) for n, ids in by_name.items()}, by_code


def _line(problems: list[tuple[int | None, VoteError]], row: RollRow, error: str, **params: object) -> None:  # fmt: skip
    problems.append((row.line, VoteError(error, 400, line=row.line, **params)))


def plan_roll(vote: ConfidenceVote, rows: Sequence[RollRow], convened: int | None = None) -> RollPlan:  # fmt: skip
    """Check every row and what the new roll would mean; changes nothing."""
    plan = RollPlan()
    if len(rows) > MAX_ROWS:
        plan.problems.append((None, VoteError("roll_too_many", 400, count=len(rows), most=MAX_ROWS)))  # fmt: skip
        return plan
    if len(rows) < MIN_ROWS:
        plan.problems.append((None, VoteError("roll_too_few", 400, count=len(rows), least=MIN_ROWS)))  # fmt: skip
    by_name, by_code = _members(vote, rows)
    on_roll: dict[str, int] = {}
    for r in rows:
        on_roll[r.name] = on_roll.get(r.name, 0) + 1
    seen: dict[tuple[str, str], int] = {}
    member_lines: dict[int, int] = {}
    for r in rows:
        before = len(plan.problems)
        if not r.name:
            _line(plan.problems, r, "roll_line_no_name")
        elif len(r.name) > NAME_MAX:
            _line(plan.problems, r, "roll_line_name_long", most=NAME_MAX)
        if len(r.position) > POSITION_MAX:
            _line(plan.problems, r, "roll_line_position_long", most=POSITION_MAX)
        key = (fold(r.name), fold(r.position))
        if r.name and key in seen:
            _line(plan.problems, r, "roll_line_duplicate", first=seen[key], name=r.name)
        seen.setdefault(key, r.line)
        member_id = None
        if r.code:
            found = by_code.get(r.code)
            if found is None:
                _line(plan.problems, r, "roll_line_unknown_code", member_code=r.code)
            elif fold(found[1]) != fold(r.name):
                _line(plan.problems, r, "roll_line_code_name", member_code=r.code, name=found[1])
            else:
                member_id = found[0]
        elif on_roll[r.name] == 1 and len(by_name.get(r.name, [])) == 1:
            member_id = by_name[r.name][0]  # one member of that exact name, once on the roll
        if member_id is not None and member_id in member_lines:
            _line(plan.problems, r, "roll_line_same_member", first=member_lines[member_id])
            member_id = None
        elif member_id is not None:
            member_lines[member_id] = r.line
        if len(plan.problems) == before:
            plan.rows.append((r, member_id))
    _check_committee(vote, plan, rows)
    plan.convened = _convened(vote, len(rows), convened, plan)
    return plan


def _check_committee(vote: ConfidenceVote, plan: RollPlan, rows: Sequence[RollRow]) -> None:
    """A counting committee already chosen stays on the roll (it must be present to open)."""
    if not vote.trustees:
        return
    members = {m for _r, m in plan.rows if m is not None}
    missing = off_roll(
        [(t.user_id, t.full_name) for t in vote.trustees], members, {r.name for r in rows}
    )
    if missing:
        plan.problems.append((None, VoteError("roll_missing_committee", 400, names=", ".join(missing))))  # fmt: skip


def _convened(vote: ConfidenceVote, size: int, asked: int | None, plan: RollPlan) -> int:
    """The majority base after the change: the number asked for; else, when it followed the
    summoned list (or is a further round's, kept from the first round), as before."""
    old = int((vote.election or {}).get("convened") or 0)
    if asked is not None:
        value = asked
    elif vote.previous_id is not None or old != len(vote.voters):
        value = old
    else:
        value = size
    if isinstance(value, bool) or not 1 <= value <= max(size, 1):
        plan.problems.append((None, VoteError("roll_bad_convened", 400, convened=value, summoned=size)))  # fmt: skip
    return value


def set_roll(vote: ConfidenceVote, rows: Sequence[RollRow], convened: int | None = None) -> RollPlan:  # fmt: skip
    """Replace the summoned list of an election still being set up (draft, or its key
    ceremony under way: the manifest, which carries the convened number, is not frozen yet).
    Refused whole (RollRefused, nothing changed) when any row is."""
    if not vote.is_election or vote.election is None:
        raise VoteError("not_an_election", 409)
    if vote.state not in (VoteState.DRAFT, VoteState.CEREMONY):
        raise VoteError("roll_frozen", 409)
    plan = plan_roll(vote, rows, convened)
    if not plan.ok:
        raise RollRefused(plan.problems)
    vote.voters.clear()
    db.session.flush()  # the old ranks go before the new ones come (unique vote, rank)
    for rank, (row, member_id) in enumerate(plan.rows, start=1):
        vote.voters.append(
            VoteVoter(rank=rank, member_id=member_id, full_name=row.name, position=row.position)
        )
    vote.election = {**vote.election, "convened": plan.convened}
    db.session.flush()
    return plan
