"""Issue 14.5: login limits per address and per account (with backoff), ballot-code guessing
on one budget, counted in the database so that parallel bursts cannot slip past them; a used
or unknown code is refused before any proof is checked, and every refusal counts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from ballot.audit.models import AuditEntry
from ballot.auth import throttle
from ballot.db import db, utcnow
from tests.conftest import csrf_token


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"LOGIN_RATE_LIMIT": "5 per minute", "LOGIN_BACKOFF_SECONDS": 60}


def _burst(count: int, prepare: Callable[[int], Any], fire: Callable[[Any], int]) -> list[int]:
    """Run `fire` from `count` threads released at the same moment; return the statuses."""
    ready = [prepare(n) for n in range(count)]
    gate = threading.Barrier(count)
    out: list[int] = []
    lock = threading.Lock()

    def run(item: Any) -> None:
        gate.wait()
        status = fire(item)
        with lock:
            out.append(status)

    threads = [threading.Thread(target=run, args=(item,)) for item in ready]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(out) == count
    return out


def test_parallel_takes_never_pass_the_limit(app: Flask) -> None:
    def take(rule: throttle.Window | throttle.Backoff, key: str) -> int:
        with app.app_context():
            return 1 if throttle.take(key, rule).allowed else 0

    window = _burst(30, lambda n: None, lambda _: take(throttle.Window(5, 60), "w"))
    backoff = _burst(30, lambda n: None, lambda _: take(throttle.Backoff(free=5, base=60), "b"))
    assert sum(window) == 5 and sum(backoff) == 5


def _login_client(app: Flask, address: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client, csrf_token(client, "/login")


def _post_login(item: tuple[FlaskClient, str], password: str = "wrong password") -> int:
    client, token = item
    data = {"username": "admin", "password": password, "csrf_token": token}
    return client.post("/login", data=data).status_code


def _checked(app: Flask) -> int:
    """How many passwords were checked and refused (each writes auth.login_failed)."""
    with app.app_context():
        return len(
            list(
                db.session.scalars(
                    select(AuditEntry).where(AuditEntry.action == "auth.login_failed")
                )
            )
        )


def test_a_parallel_burst_from_one_address_gets_5_checks(app: Flask, make_user) -> None:
    make_user("admin")
    statuses = _burst(30, lambda n: _login_client(app, "10.0.0.7"), _post_login)
    assert statuses.count(200) == 5 and statuses.count(429) == 25, statuses
    assert _checked(app) == 5


def test_twenty_addresses_guessing_one_account_get_5_checks_then_backoff(
    app: Flask, make_user, monkeypatch
) -> None:
    make_user("admin")
    statuses = _burst(20, lambda n: _login_client(app, f"10.0.1.{n + 1}"), _post_login)
    assert statuses.count(200) == 5 and statuses.count(429) == 15, statuses
    assert _checked(app) == 5
    # the right password is refused too while the account waits (no check is made)
    client = _login_client(app, "10.0.2.1")
    assert _post_login(client, "admin-password-1") == 429
    # the wait doubles with each failure: 60 s, 120 s, 240 s ...
    now = utcnow()
    for wait, expected in ((45, 429), (61, 200), (61 + 100, 429), (61 + 121, 200)):
        monkeypatch.setattr(throttle, "utcnow", lambda w=wait: now + timedelta(seconds=w))
        assert _post_login(_login_client(app, f"10.0.3.{wait % 250}")) == expected, wait
    monkeypatch.setattr(throttle, "utcnow", lambda: now + timedelta(seconds=61 + 121 + 241))
    assert _post_login(_login_client(app, "10.0.4.1"), "admin-password-1") == 302
    # a success clears the account's count: the next typo is checked at once
    assert _post_login(_login_client(app, "10.0.4.2")) == 200


def test_successful_logins_do_not_use_up_the_address(app: Flask, make_user) -> None:
    make_user("admin")
    for _ in range(8):
        assert _post_login(_login_client(app, "10.0.5.1"), "admin-password-1") == 302


# --- ballot codes ------------------------------------------------------------------------------


def test_codes_check_and_ballots_share_one_budget(demo_app, open_vote) -> None:
    from ballot.voting.codes import new_code

    _, public_id, _ = open_vote
    tablet = demo_app.test_client()
    answers = []
    for n in range(10):
        path = "codes/check" if n % 2 else "ballots"
        body = {"code": new_code()} if n % 2 else {"code": new_code(), "ballot": {}}
        answers.append(tablet.post(f"/api/v1/votes/{public_id}/{path}", json=body).status_code)
    assert answers == [404] * 10
    for path in ("codes/check", "ballots"):
        refused = tablet.post(f"/api/v1/votes/{public_id}/{path}", json={"code": new_code()})
        assert refused.status_code == 429 and refused.json["error"]["code"] == "too_many_attempts"


def test_a_parallel_burst_of_codes_gets_10_lookups(demo_app, open_vote) -> None:
    from ballot.voting.codes import new_code

    _, public_id, _ = open_vote

    def fire(client: FlaskClient) -> int:
        body = {"code": new_code()}
        return client.post(f"/api/v1/votes/{public_id}/codes/check", json=body).status_code

    statuses = _burst(30, lambda n: demo_app.test_client(), fire)
    assert statuses.count(404) == 10 and statuses.count(429) == 20, statuses


def test_a_used_or_unknown_code_is_refused_before_any_proof_check_and_counted(
    demo_app, open_vote, issue, encrypt, monkeypatch
) -> None:
    from ballot.voting import casting
    from ballot.voting.codes import new_code

    vote_id, public_id, _ = open_vote
    checks: list[int] = []
    real = casting.check_ballot

    def counted_check(*args: Any, **kwargs: Any) -> Any:
        checks.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(casting, "check_ballot", counted_check)
    (code,) = issue(vote_id, 1)
    ballot = encrypt(vote_id, [0, 1, 2, 0, 1, 2])
    tablet = demo_app.test_client()
    cast = tablet.post(f"/api/v1/votes/{public_id}/ballots", json={"code": code, "ballot": ballot})
    assert cast.status_code == 201 and len(checks) == 1
    # the tablet's retry of the same ballot: its receipt again, no proof checked, not counted
    for _ in range(12):
        again = tablet.post(
            f"/api/v1/votes/{public_id}/ballots", json={"code": code, "ballot": ballot}
        )
        assert (
            again.status_code == 200
            and again.json["repeated"]
            and again.json
            == {
                **cast.json,
                "repeated": True,
            }
        )
    # a replay with another valid ballot, and a valid ballot with an unknown code: refused
    # before any proof is checked, and each refusal counts (409 included)
    other = encrypt(vote_id, [2, 2, 2, 2, 2, 2])
    statuses = [
        tablet.post(
            f"/api/v1/votes/{public_id}/ballots",
            json={"code": code if n % 2 else new_code(), "ballot": other},
        ).status_code
        for n in range(11)
    ]
    assert statuses == [404, 409] * 5 + [429], statuses
    assert len(checks) == 1
