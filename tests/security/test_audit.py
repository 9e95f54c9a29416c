"""The audit log: every administrative and counting action is written, chained, checkable,
exportable, and holds no ballot code; editing or deleting an entry is detected."""

from __future__ import annotations

import csv
import io
import json
import re
import threading

import pytest
from sqlalchemy import delete, select, text, update

from ballot import audit
from ballot.audit.models import AuditEntry, AuditHead
from ballot.audit.service import audit_key, export_csv, export_json, verify_export
from ballot.crypto.tally import partial_decrypt
from ballot.db import db
from ballot.voting import casting, counting
from ballot.voting import codes as code_module
from tests.conftest import csrf_token
from tests.security.conftest import get_vote


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def test_the_chain_detects_an_edited_a_deleted_and_a_truncated_entry(app) -> None:
    with app.app_context():
        for n in range(5):
            audit.record(
                "ops", "vote.opened", f"vote:{n}", {"present": n, "names": ["Nguyễn Văn Tám"]}
            )
        db.session.commit()
        report = audit.verify_chain()
        assert report.ok and report.count == 5
        head = db.session.get_one(AuditHead, 1)
        assert head.seq == 5 and head.hash == report.head

        # someone with the database edits what entry 3 says
        db.session.execute(
            update(AuditEntry).where(AuditEntry.seq == 3).values(target="vote:other")
        )
        db.session.commit()
        assert audit.verify_chain().problems == [(3, "edited")]
        db.session.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(target="vote:2"))
        db.session.commit()
        assert audit.verify_chain().ok

        # ... deletes entry 2 (the next one no longer links to its predecessor)
        db.session.execute(delete(AuditEntry).where(AuditEntry.seq == 2))
        db.session.commit()
        assert {code for _, code in audit.verify_chain().problems} == {"gap", "broken_link"}


def test_deleting_the_last_entries_is_detected_by_the_head(app) -> None:
    with app.app_context():
        for n in range(3):
            audit.record(None, "code.issued", "vote:x", {"rank": n})
        db.session.commit()
        db.session.execute(delete(AuditEntry).where(AuditEntry.seq == 3))
        db.session.commit()
        assert audit.verify_chain().problems == [(3, "head_mismatch")]


@pytest.mark.parametrize("head_row", [True, False], ids=["migrated", "emptied"])
def test_concurrent_writers_keep_one_unbroken_chain(app, head_row) -> None:
    with (
        app.app_context()
    ):  # an emptied database (TRUNCATE) has no head row: the first writers race
        if head_row and db.session.get(AuditHead, 1) is None:
            db.session.add(AuditHead(id=1, seq=0, hash="0" * 64))
        elif not head_row:
            db.session.execute(delete(AuditHead))
        db.session.commit()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        with app.app_context():
            try:
                for i in range(8):
                    audit.record(f"clerk{n}", "attendance.marked", "vote:x", {"rank": i})
                    db.session.commit()
            except BaseException as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        report = audit.verify_chain()
        assert report.ok and report.count == 32
        assert list(db.session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq))) == list(
            range(1, 33)
        )


def test_details_must_be_plain_json(app) -> None:
    from ballot.crypto.errors import CryptoError

    with app.app_context(), pytest.raises(CryptoError):
        audit.record(None, "vote.opened", "vote:x", {"ratio": 0.5})


def test_logins_are_logged_and_an_unknown_name_is_not_written(client, auth, make_user, app) -> None:
    make_user("admin")
    auth.login("admin", "wrong-password")
    auth.login("admin-password-1", "oops")  # a password typed in the name box
    auth.login("admin", "admin-password-1")
    auth.logout()
    with app.app_context():
        entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        assert [(e.action, e.target) for e in entries] == [
            ("auth.login_failed", "user:admin"),
            ("auth.login_failed", "user:?"),
            ("auth.login", "user:admin"),
            ("auth.logout", "user:admin"),
        ]
        assert entries[2].actor == "admin" and entries[2].actor_role == "admin"
        assert entries[1].details == {"address": "127.0.0.1", "known_account": False}
        assert all("admin-password-1" not in json.dumps(e.details) for e in entries)
        assert audit.verify_chain().ok


def test_a_whole_vote_through_the_web_is_logged_without_any_code(
    demo_app, ready_vote, client, auth
) -> None:
    vote_id, keys = ready_vote
    with demo_app.app_context():
        public_id = get_vote(vote_id).public_id
        voter_ids = [v.id for v in get_vote(vote_id).voters]

    auth.login("desk", "desk-demo-2024")
    token = csrf_token(client, f"/desk/{public_id}")
    for voter_id in voter_ids[:16]:
        client.post(f"/desk/{public_id}/voters/{voter_id}/present/1", data={"csrf_token": token})
    client.post(f"/desk/{public_id}/voters/{voter_ids[16]}/present/0", data={"csrf_token": token})
    auth.logout()
    auth.login("admin", "admin-demo-2024")
    assert (
        client.post(
            f"/votes/{public_id}/open",
            data={"csrf_token": csrf_token(client, f"/votes/{public_id}")},
        ).status_code
        == 302
    )
    auth.logout()
    auth.login("desk", "desk-demo-2024")
    token = csrf_token(client, f"/desk/{public_id}")
    slips = [
        client.post(f"/desk/{public_id}/voters/{voter_id}/issue", data={"csrf_token": token})
        for voter_id in voter_ids[:3]
    ]
    reissued = client.post(
        f"/desk/{public_id}/voters/{voter_ids[2]}/reissue",
        data={"csrf_token": token, "reason": "mất phiếu"},
    )
    codes = [
        re.findall(r"data-code>([0-9A-Z*~$=-]+)<", r.get_data(as_text=True))[0]
        for r in [*slips, reissued]
    ]
    auth.logout()
    with demo_app.app_context():
        ctx = casting.context_of(get_vote(vote_id))
    from ballot.crypto.ballot import encrypt_ballot

    for code in (codes[0], codes[1], codes[3]):
        ballot = encrypt_ballot(ctx, [0, 1, 2, 0, 1, 2])
        assert (
            client.post(
                f"/api/v1/votes/{public_id}/ballots", json={"code": code, "ballot": ballot}
            ).status_code
            == 201
        )

    auth.login("kiemphieu1", "kp1-demo-2024")  # the chair
    assert 'href="/audit/" data-audit-log' in client.get(f"/count/{public_id}").get_data(
        as_text=True
    )
    assert (
        client.post(
            f"/count/{public_id}/close",
            data={"csrf_token": csrf_token(client, f"/count/{public_id}")},
        ).status_code
        == 302
    )
    with demo_app.app_context():
        grid = counting.board_grid(get_vote(vote_id))
        shares = [partial_decrypt(ctx, key, grid) for key in keys]
    headers = {"X-CSRFToken": csrf_token(client, f"/count/{public_id}")}
    forged = json.loads(json.dumps(shares[0]))
    forged["parts"][0][0]["proof"][1] = forged["parts"][0][0]["proof"][0]
    assert (
        client.post(
            f"/api/v1/votes/{public_id}/decryption", json={"share": forged}, headers=headers
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/api/v1/votes/{public_id}/decryption", json={"share": shares[0]}, headers=headers
        ).json["decrypted"]
        is False
    )
    auth.logout()
    auth.login("kiemphieu2", "kp2-demo-2024")
    headers = {"X-CSRFToken": csrf_token(client, f"/count/{public_id}")}
    assert (
        client.post(
            f"/api/v1/votes/{public_id}/decryption", json={"share": shares[1]}, headers=headers
        ).json["decrypted"]
        is True
    )
    demo_app.config["PUBLIC_BASE_URL"] = "https://ballot.example.vn"  # printed in the minutes
    assert client.get(f"/documents/{public_id}/minutes.pdf").status_code == 200

    with demo_app.app_context():
        actions = [a for a in _actions() if not a.startswith("auth.")]
        assert actions == (
            ["attendance.marked"] * 17
            + ["vote.opened"]
            + ["code.issued"] * 3
            + [
                "code.reissued",
                "vote.closed",
                "decryption.refused",
                "decryption.accepted",
                "decryption.accepted",
                "document.downloaded",
            ]
        )
        entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        by_action = {e.action: e for e in entries}
        assert by_action["decryption.refused"].details == {"trustee": 1, "reason": "invalid_share"}
        assert by_action["decryption.refused"].actor == "kiemphieu1"
        assert by_action["vote.closed"].details["count"] == 3
        assert by_action["code.reissued"].details["reissued"] == [1]  # one batch of one
        assert by_action["code.issued"].details["count"] == 1
        assert by_action["document.downloaded"].details == {"document": "minutes", "format": "pdf"}
        # never a code, its keyed hash or a holder tag: nothing that could follow a code to a ballot
        stored = db.session.execute(text("SELECT code_hash FROM ballot_code")).scalars().all()
        everything = json.dumps(
            [[e.actor, e.action, e.target, e.details] for e in entries], ensure_ascii=False
        )
        for code in codes:
            normal = code_module.normalise(code)
            assert normal is not None and normal not in everything.replace("-", "")
        assert not any(h in everything for h in stored)
        assert "tracker" not in everything and "ballot:" not in everything
        assert audit.verify_chain().ok


def test_the_log_page_and_its_exports(demo_app, client, auth) -> None:
    with demo_app.app_context():
        audit.record(
            '=HYPERLINK("http://x")', "vote.created", "vote:abc", {"title": "Bỏ phiếu thử"}
        )
        db.session.commit()
    auth.login("observer", "observer-demo-2024")
    assert client.get("/audit/").status_code == 403
    auth.logout()
    auth.login("desk", "desk-demo-2024")
    assert client.get("/audit/export.json").status_code == 403
    auth.logout()
    auth.login("kiemphieu1", "kp1-demo-2024")
    page = client.get("/audit/")
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert (
        'data-chain="ok"' in html
        and "Chuỗi nhật ký toàn vẹn" in html
        and "Tạo cuộc lấy phiếu tín nhiệm" in html
    )
    exported = client.get("/audit/export.json")
    document = exported.json
    assert document["format"] == "ballot-audit" and document["verification"]["ok"]
    with demo_app.app_context():
        key = audit_key()
    assert verify_export(document, key).ok
    assert [e["action"] for e in document["entries"]][-1] == "audit.exported"
    assert verify_export(document, b"another instance's key").problems[0] == (1, "edited")
    document["entries"][0]["details"]["title"] = "Một tiêu đề khác"
    assert verify_export(document, key).problems == [(1, "edited")]
    rows = list(
        csv.reader(
            io.StringIO(client.get("/audit/export.csv").get_data(as_text=True).lstrip("\ufeff"))
        )
    )
    assert rows[0][:5] == ["seq", "at", "actor", "role", "action"]
    assert rows[1][2].startswith(
        "'=HYPERLINK"
    )  # shown as text by a spreadsheet, never run as a formula
    assert json.loads(rows[1][6]) == {"title": "Bỏ phiếu thử"}
    with demo_app.app_context():
        db.session.execute(
            update(AuditEntry).where(AuditEntry.seq == 1).values(actor="someone-else")
        )
        db.session.commit()
    html = client.get("/audit/").get_data(as_text=True)
    assert 'data-chain="broken"' in html and "Mục số 1: nội dung mục đã bị sửa" in html
    with demo_app.app_context():
        assert export_json() and export_csv()


# --- issue 14.13: the chain is keyed (HMAC under AUDIT_KEY, not stored in the database) ---


def _rewrite_chain(entries: list[AuditEntry], digest) -> tuple[int, str]:
    """What a database writer without the key can do: recompute every hash after an edit."""
    from ballot.audit.service import GENESIS, entry_content

    prev = GENESIS
    for entry in entries:
        content = entry_content(
            entry.seq,
            entry.at,
            entry.actor,
            entry.actor_role,
            entry.action,
            entry.target,
            entry.details,
        )
        new = digest(prev, content)
        db.session.execute(
            update(AuditEntry).where(AuditEntry.id == entry.id).values(prev_hash=prev, hash=new)
        )
        prev = new
    return entries[-1].seq, prev


def test_recomputing_the_whole_chain_without_the_key_is_detected(app) -> None:
    import hashlib
    import hmac

    with app.app_context():
        for n in range(5):
            audit.record("ops", "vote.opened", f"vote:{n}", {"present": n})
        db.session.commit()
        db.session.execute(
            update(AuditEntry).where(AuditEntry.seq == 3).values(target="vote:forged")
        )
        entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        attempts = {
            "unkeyed SHA-256 (the old chain)": lambda prev, content: hashlib.sha256(
                b"ballot/audit/v2\x00" + bytes.fromhex(prev) + content
            ).hexdigest(),
            "HMAC under a guessed key": lambda prev, content: hmac.new(
                app.config["SECRET_KEY"].encode(),
                b"ballot/audit/v2\x00" + bytes.fromhex(prev) + content,
                hashlib.sha256,
            ).hexdigest(),
        }
        for name, digest in attempts.items():
            seq, last = _rewrite_chain(entries, digest)
            db.session.execute(update(AuditHead).values(seq=seq, hash=last))
            db.session.flush()
            report = audit.verify_chain()
            assert [p for p in report.problems if p[1] == "edited"] == [
                (n, "edited") for n in range(1, 6)
            ], name
            assert (5, "head_mismatch") in report.problems, name
        db.session.rollback()


def test_cutting_the_tail_and_moving_the_head_back_is_detected(app) -> None:
    from ballot.audit.service import head

    with app.app_context():
        for n in range(5):
            audit.record("ops", "code.issued", "vote:x", {"rank": n})
        db.session.commit()
        printed = head()  # what the results page and the minutes print
        assert printed.ok and printed.seq == 5 and len(printed.hash) == 64
        third = db.session.scalar(select(AuditEntry).where(AuditEntry.seq == 3))
        assert third is not None
        # delete entries 4 and 5, and move the head row back to entry 3: every value the
        # attacker writes is in the database already, except the head's MAC
        db.session.execute(delete(AuditEntry).where(AuditEntry.seq > 3))
        db.session.execute(update(AuditHead).values(seq=3, hash=third.hash))
        db.session.commit()
        assert audit.verify_chain().problems == [(3, "head_mismatch")]
        # ... even copying the MAC an earlier head row had does not help: it names seq 5
        # and against paper the printed head (#5) is missing
        now = head()
        assert not now.ok and now.seq == 3 and str(printed).startswith("#5 ")


def test_the_audit_key_is_not_in_the_database_and_init_writes_one(app, tmp_path) -> None:
    from ballot.audit.service import audit_key
    from ballot.cli import write_instance_config
    from tests.security.conftest import snapshot

    with app.app_context():
        audit.record("ops", "vote.opened", "vote:1", {})
        db.session.commit()
        key = audit_key().decode()
    dump = repr(snapshot(app))
    assert key not in dump and app.config["SECRET_KEY"] not in dump
    path, created = write_instance_config(str(tmp_path / "fresh"))
    namespace: dict[str, object] = {}
    exec(path.read_text(), namespace)  # noqa: S102 - the generated config file, read in a test
    assert created and len(str(namespace["AUDIT_KEY"])) >= 43
    assert namespace["AUDIT_KEY"] != namespace["SECRET_KEY"]


def test_the_results_page_prints_the_audit_head(published_vote, client, auth, demo_app) -> None:
    from ballot.audit.service import head

    _, public_id = published_vote
    auth.login("observer", "observer-demo-2024")
    html = client.get(f"/count/{public_id}/results").get_data(as_text=True)
    with demo_app.app_context():
        now = head()
    assert f"<code data-audit-head>{now}</code>" in html and now.ok


def test_upgrading_rekeys_an_unkeyed_chain_and_keeps_its_old_head(tmp_path) -> None:
    """Migration 0006 on an instance with a v1 (unkeyed) log: the chain is re-hashed under
    the key, and one entry keeps the old head, so paper printed before still matches."""
    import hashlib
    from datetime import UTC, datetime

    from flask_migrate import upgrade

    from ballot.app import create_app
    from ballot.audit.service import GENESIS, entry_content
    from tests.conftest import PG_URL, base_test_config

    if PG_URL:
        pytest.skip("the upgrade path is the same SQL on PostgreSQL; one run is enough")
    app = create_app(
        base_test_config("sqlite:///" + str(tmp_path / "old.sqlite")),
        instance_path=str(tmp_path / "i"),
    )
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory, revision="0005")
        prev = GENESIS
        for seq in (1, 2, 3):
            at = datetime(2026, 1, seq, 8, 0, tzinfo=UTC)
            details = {"n": seq}
            content = entry_content(seq, at, "admin", "admin", "vote.opened", "vote:x", details)
            digest = hashlib.sha256(b"ballot/audit/v1\x00" + bytes.fromhex(prev) + content)
            db.session.execute(
                text(
                    "INSERT INTO audit_entry (seq, at, actor, actor_role, action, target, details,"
                    " prev_hash, hash) VALUES (:seq, :at, 'admin', 'admin', 'vote.opened',"
                    " 'vote:x', :details, :prev, :hash)"
                ),
                {
                    "seq": seq,
                    "at": at.strftime("%Y-%m-%d %H:%M:%S.%f"),
                    "details": json.dumps(details),
                    "prev": prev,
                    "hash": digest.hexdigest(),
                },
            )
            prev = digest.hexdigest()
        db.session.execute(text("UPDATE audit_head SET seq = 3, hash = :h"), {"h": prev})
        db.session.commit()
        old_head = prev
        upgrade(directory=app.extensions["migrate"].directory)
        report = audit.verify_chain()
        assert report.ok and report.count == 4, report.problems
        last = db.session.scalar(select(AuditEntry).where(AuditEntry.seq == 4))
        assert last is not None and last.action == "audit.rekeyed"
        assert last.details == {
            "previous_seq": 3,
            "previous_head": old_head,
            "previous_chain_ok": True,
        }
        assert all(e.hash != old_head for e in db.session.scalars(select(AuditEntry)))
        db.session.remove()
        db.engine.dispose()
