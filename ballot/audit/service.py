"""Append to the audit log, check its keyed chain, export it. Functions flush, never commit.

The chain is keyed: each hash is an HMAC-SHA256 under the instance's AUDIT_KEY, which lives in
instance/config.py (written by `ballot init`), never in the database; an older instance
without one derives it from its SECRET_KEY (`audit_key`). Someone who can write the database
but does not hold the key can neither recompute the chain after an edit nor move its head
back over a deleted tail (the head row carries its own HMAC). `head()` is what the results
page and the minutes print, so that a truncation also shows against paper.

`record(actor, action, target, details)` is the one entry point for every part of the app
(votes, desk, counting, documents, logins, ratings). Never pass a ballot code, a code hash
or anything that ties a member to a ballot: "issued a code to member X" is fine (the roll
says so anyway), "X's code was used" is not.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import insert, select, update

from ballot.audit.models import AuditEntry, AuditHead
from ballot.crypto.encoding import canonical_json, nfc
from ballot.db import db, utcnow

#: prev_hash of the first entry.
GENESIS = "0" * 64
TAG = b"ballot/audit/v2\x00"
HEAD_TAG = b"ballot/audit/head/v2\x00"
KEY_LABEL = b"ballot/audit-key/v1"
SYSTEM = "system"


def audit_key(config: Any = None) -> bytes:
    """The chain's key: AUDIT_KEY from the configuration (instance/config.py), or for an
    instance made before it existed, HMAC-SHA256(SECRET_KEY, "ballot/audit-key/v1")."""
    if config is None:
        config = current_app.config
    key = config.get("AUDIT_KEY")
    if key:
        return str(key).encode()
    derived = hmac.new(str(config["SECRET_KEY"]).encode(), KEY_LABEL, hashlib.sha256)
    return derived.hexdigest().encode()


def _moment(at: datetime) -> str:
    # SQLite hands back naive datetimes (stored in UTC); PostgreSQL aware ones.
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_content(
    seq: int,
    at: datetime,
    actor: str,
    actor_role: str,
    action: str,
    target: str,
    details: dict[str, Any],
) -> bytes:
    """The canonical bytes an entry's hash covers (every column but the hashes themselves)."""
    # nfc(): names and details typed in decomposed form (some Vietnamese keyboards) are
    # hashed in NFC; canonical_json itself refuses non-NFC strings (protocol §1).
    return canonical_json(
        nfc(
            {
                "seq": seq,
                "at": _moment(at),
                "actor": actor,
                "role": actor_role,
                "action": action,
                "target": target,
                "details": details,
            }
        )
    )


def entry_hash(prev_hash: str, content: bytes, key: bytes | None = None) -> str:
    """HMAC-SHA256(key, "ballot/audit/v2" ‖ 0x00 ‖ prev_hash (32 bytes) ‖ content), hex."""
    key = audit_key() if key is None else key
    return hmac.new(key, TAG + bytes.fromhex(prev_hash) + content, hashlib.sha256).hexdigest()


def head_mac(seq: int, hash_hex: str, key: bytes | None = None) -> str:
    """HMAC-SHA256(key, "ballot/audit/head/v2" ‖ 0x00 ‖ seq (8 bytes) ‖ hash), hex: the head
    row's own tag, so that it cannot be moved back to an earlier entry without the key."""
    key = audit_key() if key is None else key
    message = HEAD_TAG + seq.to_bytes(8, "big") + bytes.fromhex(hash_hex)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _actor(actor: Any) -> tuple[str, str]:
    if actor is None:
        return SYSTEM, SYSTEM
    if isinstance(actor, str):
        return actor[:80], SYSTEM
    role = getattr(actor, "role", None)
    return str(actor.username)[:80], str(getattr(role, "value", role) or "")[:30]


def _bump_head() -> tuple[int, str]:
    """Take the chain's lock and the next sequence number: the UPDATE locks the head row."""
    for _ in range(2):
        row = db.session.execute(
            update(AuditHead)
            .where(AuditHead.id == 1)
            .values(seq=AuditHead.seq + 1)
            .returning(AuditHead.seq, AuditHead.hash)
        ).one_or_none()
        if row is not None:
            return int(row[0]), str(row[1])
        # No head row (the migration makes one; a database emptied by hand has none): create
        # it, letting a concurrent writer's row win, then take the lock as usual.
        db.session.execute(
            _insert_ignoring_conflict(AuditHead, {"id": 1, "seq": 0, "hash": GENESIS})
        )
    raise RuntimeError("the audit log's head row cannot be created")


def _insert_ignoring_conflict(model: type[AuditHead], values: dict[str, Any]) -> Any:
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(model).values(**values).on_conflict_do_nothing()
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(model).values(**values).on_conflict_do_nothing()
    return insert(model).values(**values)


def record(
    actor: Any, action: str, target: str, details: dict[str, Any] | None = None
) -> AuditEntry:
    """Append one entry: `actor` is a User, a name, or None for the system.

    `action` is a stable code ("vote.opened"), `target` names the object ("vote:<id>"),
    `details` holds plain JSON facts (strings, integers, booleans, lists, objects; no floats).
    Joins the caller's transaction: the entry is committed with the action or not at all.
    """
    details = dict(details or {})
    name, role = _actor(actor)
    target = str(target)[:255]
    canonical_json(nfc(details))  # refuse what the hash could not cover, before taking the lock
    seq, prev = _bump_head()
    at = utcnow()
    digest = entry_hash(prev, entry_content(seq, at, name, role, action, target, details))
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor=name,
        actor_role=role,
        action=action,
        target=target,
        details=details,
        prev_hash=prev,
        hash=digest,
    )
    db.session.add(entry)
    db.session.execute(
        update(AuditHead).where(AuditHead.id == 1).values(hash=digest, mac=head_mac(seq, digest))
    )
    db.session.flush()
    return entry


# --- checking ----------------------------------------------------------------------------------


@dataclass
class ChainReport:
    """What `verify_chain` found: ok, or the problems with the sequence number where each is."""

    count: int = 0
    #: Sequence number and hash of the last entry (0 and GENESIS when empty).
    seq: int = 0
    head: str = GENESIS
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "count": self.count,
            "seq": self.seq,
            "head": self.head,
            "problems": [{"seq": seq, "problem": code} for seq, code in self.problems],
        }


#: Problem codes: a gap or reordering, a broken link, edited content, a missing tail.
PROBLEMS = ("gap", "broken_link", "edited", "head_mismatch")


def iter_entries() -> Iterator[AuditEntry]:
    """Every entry in chain order."""
    yield from db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=500)
    )


def verify_chain() -> ChainReport:
    """Recompute the keyed chain: each entry's HMAC from the one before and its own content,
    and the head row (with its own HMAC) against the last entry (a deleted tail). Reads only."""
    key = audit_key()
    report = ChainReport()
    expected_prev, expected_seq = GENESIS, 1
    for entry in iter_entries():
        if entry.seq != expected_seq:
            report.problems.append((entry.seq, "gap"))
        if entry.prev_hash != expected_prev:
            report.problems.append((entry.seq, "broken_link"))
        content = entry_content(
            entry.seq,
            entry.at,
            entry.actor,
            entry.actor_role,
            entry.action,
            entry.target,
            entry.details,
        )
        if not hmac.compare_digest(entry_hash(entry.prev_hash, content, key), entry.hash):
            report.problems.append((entry.seq, "edited"))
        report.count += 1
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    report.head, report.seq = expected_prev, expected_seq - 1
    head = db.session.get(AuditHead, 1)
    if head is None:
        if report.count:  # the head row deleted with a tail
            report.problems.append((report.seq, "head_mismatch"))
    elif (
        head.seq != report.seq
        or head.hash != report.head
        or not hmac.compare_digest(head.mac or "", head_mac(head.seq, head.hash, key))
    ):
        report.problems.append((head.seq, "head_mismatch"))
    return report


@dataclass(frozen=True)
class ChainHead:
    """The chain's end as printed on the results page and the minutes: after closing, a
    later check finds entry `seq` with this hash, or the log was cut or rewritten."""

    seq: int
    hash: str
    #: The whole chain checked out when this head was read.
    ok: bool

    @property
    def short(self) -> str:
        """The first 64 bits of the hash in groups of four ("1A2B-3C4D-5E6F-7081")."""
        text = self.hash[:16].upper()
        return "-".join(text[i : i + 4] for i in range(0, 16, 4))

    def __str__(self) -> str:
        return f"#{self.seq} {self.short}"


def head() -> ChainHead:
    """The audit chain's current head, checked (for the results page and the minutes)."""
    report = verify_chain()
    return ChainHead(seq=report.seq, hash=report.head, ok=report.ok)


# --- export ----------------------------------------------------------------------------------


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": _moment(entry.at),
        "actor": entry.actor,
        "role": entry.actor_role,
        "action": entry.action,
        "target": entry.target,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def export_json() -> bytes:
    """The whole log with its check, as a document anyone can re-verify (docs/security.md)."""
    report = verify_chain()
    document = {
        "format": "ballot-audit",
        "version": 1,
        "exported_at": _moment(utcnow()),
        "verification": report.to_json(),
        "entries": [entry_json(e) for e in iter_entries()],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def _cell(value: str) -> str:
    # A spreadsheet would run a cell starting with = + - @ as a formula (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_csv() -> bytes:
    """The whole log as CSV for a spreadsheet (UTF-8 with BOM, so Excel reads Vietnamese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["seq", "at", "actor", "role", "action", "target", "details", "prev_hash", "hash"]
    )
    for entry in iter_entries():
        row = entry_json(entry)
        writer.writerow(
            [
                row["seq"],
                row["at"],
                _cell(row["actor"]),
                row["role"],
                row["action"],
                _cell(row["target"]),
                _cell(canonical_json(nfc(row["details"])).decode()),
                row["prev_hash"],
                row["hash"],
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()


def verify_export(document: dict[str, Any], key: bytes | None = None) -> ChainReport:
    """Re-check an exported JSON document without the database: the chain of its entries,
    under the instance's audit key (the app's, or `key` given)."""
    if key is None:
        if not has_app_context():
            raise ValueError("the audit key is needed to check an exported log")
        key = audit_key()
    report = ChainReport()
    expected_prev, expected_seq = GENESIS, 1
    for item in document.get("entries", []):
        at = datetime.strptime(item["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        content = entry_content(
            item["seq"],
            at,
            item["actor"],
            item["role"],
            item["action"],
            item["target"],
            item["details"],
        )
        if item["seq"] != expected_seq:
            report.problems.append((item["seq"], "gap"))
        if item["prev_hash"] != expected_prev:
            report.problems.append((item["seq"], "broken_link"))
        if not hmac.compare_digest(entry_hash(item["prev_hash"], content, key), item["hash"]):
            report.problems.append((item["seq"], "edited"))
        report.count += 1
        expected_prev, expected_seq = item["hash"], item["seq"] + 1
    report.head, report.seq = expected_prev, expected_seq - 1
    return report
