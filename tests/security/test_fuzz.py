"""Property-based fuzzing of every route in app.url_map: malformed, truncated, oversized and
type-confused JSON at the API, random fields at the forms, junk in every path parameter.

Properties: never a 500; and never a change of state, compared row by row before and after
(the audit log may only gain the refusals it is there to record). Routes are read from the
url_map, so a new endpoint is fuzzed without editing this file; a route no strategy knows how
to reach fails `test_every_route_is_fuzzed`. BALLOT_FUZZ_EXAMPLES sets the number of examples
per test (CI: the default below; bench/fuzz.py runs longer campaigns).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter, Rule, UnicodeConverter

from ballot.crypto.dkg import start_member
from ballot.db import db
from ballot.voting import casting, ceremony, counting, desk, setup
from ballot.voting.simulate import run_key_ceremony
from tests.conftest import csrf_token
from tests.security.conftest import get_vote, snapshot

# A fuzzing campaign (250 examples per property) runs with --runslow, as CI does.
pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("BALLOT_FUZZ_EXAMPLES", "250"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("BALLOT_FUZZ_RANDOM"),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
#: Entries the audit log may gain from refused input (it records refusals on purpose).
ALLOWED_AUDIT = {"auth.login_failed", "decryption.refused", "audit.exported", "document.downloaded"}
#: Tables that refused input may change on purpose: the audit log records refusals, and the
#: attempt counters count them (issue 14.5: every refused code or login counts).
COUNTERS = ("audit_entry", "audit_head", "throttle")
#: Tables whose rows the per-example check compares (the big organisation tables never
#: change through these routes; the full comparison at the end covers them too).
LIGHT_SKIP = ("member", "organisation", "seat", "rating", *COUNTERS)


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"LOGIN_RATE_LIMIT": "100000 per minute", "CODE_RATE_LIMIT": "100000 per minute"}


@pytest.fixture
def arena(demo_app: Flask, counting_users: list[int], issue, encrypt):
    """Three votes in the states the API acts on: open (codes issued, one ballot cast), key
    ceremony under way, closed; logged-in clients for a trustee (the chair) and the admin."""
    from sqlalchemy import select

    from ballot.auth.models import User
    from ballot.org.models import Conference

    ids = {}
    with demo_app.app_context():
        conference = db.session.scalar(select(Conference))
        assert conference is not None
        users = [db.session.get_one(User, uid) for uid in counting_users]
        for name in ("open", "ceremony", "dealing", "closed"):
            vote = setup.create_vote(conference, f"Fuzz {name}")
            setup.set_counting_committee(vote, users, users[0], threshold=2)
            if name == "dealing":  # every member committed: shares and done are checked
                cid = ceremony.ceremony_id_of(vote)
                for trustee in vote.trustees:
                    _, message = start_member(cid, trustee.index, 2, len(users))
                    ceremony.post_commit(vote, trustee, message)
                dealing_cid = cid.hex()
            elif name != "ceremony":
                run_key_ceremony(vote)
                for voter in vote.voters[:16]:
                    desk.set_present(vote, voter, True)
                desk.open_vote(vote)
            ids[name] = vote.id
        db.session.commit()
    for name in ("open", "closed"):
        (first, *_) = issue(ids[name], 3)
        with demo_app.app_context():
            casting.cast_ballot(ids[name], first, encrypt(ids[name], [0, 1, 2, 0, 1, 2]))
    with demo_app.app_context():
        counting.close_vote(get_vote(ids["closed"]))
        db.session.commit()
        public = {name: get_vote(vote_id).public_id for name, vote_id in ids.items()}
        voters = [v.id for v in get_vote(ids["closed"]).voters[:3]]
        sample_ballot = encrypt(ids["open"], [0, 0, 1, 2, None, 1])
    clients = {"anonymous": demo_app.test_client()}
    for role, (user, password) in {
        "trustee": ("kiemphieu1", "kp1-demo-2024"),
        "admin": ("admin", "admin-demo-2024"),
    }.items():
        client = demo_app.test_client()
        token = csrf_token(client, "/login")
        client.post("/login", data={"username": user, "password": password, "csrf_token": token})
        clients[role] = client
    tokens = {role: csrf_token(c, "/votes/") for role, c in clients.items() if role != "anonymous"}
    return {
        "app": demo_app,
        "public": public,
        "voters": voters,
        "ballot": sample_ballot,
        "ceremony_id": dealing_cid,
        "clients": clients,
        "tokens": tokens,
    }


# --- strategies -------------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**53, max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(
        ["", "0" * 64, "01" + "00" * 31, "ff" * 32, "ABCD-EFGH-JKMN-PQ", "\u0000", "🗳️"]
    )
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=25,
)
junk_text = st.text(min_size=0, max_size=30) | st.sampled_from(
    ["..", "%00", "../../etc/passwd", "a" * 300]
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return copy


@st.composite
def confused(draw: st.DrawFn, valid: Any) -> Any:
    """A valid document with one node replaced by something of another type or value."""
    paths = _paths(valid)
    return _replace(valid, draw(st.sampled_from(paths)), draw(json_values))


def ceremony_shapes(cid: str) -> list[dict[str, Any]]:
    """Well-formed-looking ceremony bodies (issue 14.10): every field right but one point
    (the identity, never valid), so that mutating any other field reaches its check."""
    point = "01" + "00" * 31
    share = {"type": "dkg/share", "ceremony_id": cid, "from": 1, "to": 2, "ephemeral": point,
             "ciphertext": "00" * 48}  # fmt: skip
    return [
        {"message": {"type": "dkg/commit", "ceremony_id": cid, "from": 1, "ceremony_key": point,
                     "commitments": [point, point], "pok": ["00" * 32, "00" * 32]}},
        {"messages": [share, share | {"to": 3}]},
        {"messages": [share | {"to": "abc"}, share | {"to": 3}]},
        {"messages": [share | {"to": [2]}, share | {"to": 3}]},
        {"messages": [share | {"to": True}, share | {"to": 3}]},
        {"messages": [share | {"from": True}, share | {"to": 3}]},
        {"messages": [share | {"ciphertext": "00" * 47}, share | {"to": 3}]},
        {"messages": [{k: v for k, v in share.items() if k != "to"}, share | {"to": 3}]},
        {"messages": [share | {"extra": 1}, share | {"to": 3}]},
        {"message": {"type": "dkg/done", "ceremony_id": cid, "from": 1, "transcript": "00" * 32,
                     "public_key": point, "verification_key": point}},
    ]  # fmt: skip


@st.composite
def api_bodies(
    draw: st.DrawFn, ballot: dict[str, Any], cid: str = "00" * 32
) -> tuple[bytes, str | None]:
    """A request body and its content type for any JSON endpoint."""
    valid = {
        "code": "ABCD-EFGH-JKMN-PQ",
        "ballot": ballot,
        "message": {"type": "dkg/commit"},
        "messages": [{"to": 2}],
        "share": {"index": 1, "parts": []},
    }
    kind = draw(
        st.sampled_from(["confused", "any", "truncated", "bytes", "keys", "deep", "ceremony"])
    )
    if kind == "ceremony":  # one of the ceremony shapes, then one node changed (or not)
        shape = draw(st.sampled_from(ceremony_shapes(cid)))
        changed = draw(st.booleans())
        body = json.dumps(draw(confused(shape)) if changed else shape).encode()
    elif kind == "confused":
        body = json.dumps(draw(confused(valid))).encode()
    elif kind == "any":
        body = json.dumps(draw(json_values)).encode()
    elif kind == "truncated":
        whole = json.dumps(valid).encode()
        body = whole[: draw(st.integers(0, len(whole) - 1))]
    elif kind == "bytes":
        body = draw(st.binary(max_size=300))
    elif kind == "deep":  # nesting deep enough to trouble a recursive parser
        depth = draw(st.integers(100, 5000))
        body = b'{"share":' + b"[" * depth + b"]" * depth + b"}"
    else:
        body = json.dumps(
            draw(st.dictionaries(st.sampled_from(list(valid)), json_values, max_size=5))
        ).encode()
    content_type = draw(
        st.sampled_from(
            [
                "application/json",
                "application/json",
                "text/plain",
                "application/x-www-form-urlencoded",
                None,
            ]
        )
    )
    return body, content_type


def _routes(app: Flask) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule
    )


@st.composite
def url_for_rule(draw: st.DrawFn, rule: Rule, arena: dict[str, Any]) -> str:
    """Fill the rule's parameters with real values or junk."""
    values: dict[str, Any] = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = draw(
                st.sampled_from(arena["voters"] + [0, 1, 2023, 2024, 2**31, 2**63, 2**70])
                | st.integers(min_value=0, max_value=2**70)
            )
        elif isinstance(converter, AnyConverter):
            values[name] = draw(st.sampled_from(list(converter.items)))
        elif name == "public_id":
            values[name] = draw(st.sampled_from(list(arena["public"].values())) | junk_text)
        elif name == "step":
            values[name] = draw(st.sampled_from(["commit", "shares", "done"]) | junk_text)
        else:
            values[name] = draw(
                st.sampled_from(["pdf", "docx", "json", "csv", "minutes", "issuance", "vi", "en"])
                | junk_text
            )
    path = rule.rule
    for name, value in values.items():
        path = re.sub(
            r"<(?:[^:<>]+:)?" + re.escape(name) + r"(?:\([^)]*\))?>", _quote(str(value)), path
        )
        path = re.sub(r"<[^<>]*:" + re.escape(name) + r">", _quote(str(value)), path)
    return path


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="") or "x"


# --- properties ------------------------------------------------------------------------------


def _audit_actions(app: Flask) -> list[str]:
    from sqlalchemy import select

    from ballot.audit.models import AuditEntry

    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


class Unchanged:
    """Compares the database before and after: light tables per example, all at the end."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.full = snapshot(app, skip=COUNTERS)
        self.light = snapshot(app, skip=LIGHT_SKIP)
        self.audit = len(_audit_actions(app))

    def check(self, what: str) -> None:
        assert snapshot(self.app, skip=LIGHT_SKIP) == self.light, f"state changed by {what}"

    def finish(self) -> None:
        assert snapshot(self.app, skip=COUNTERS) == self.full
        added = _audit_actions(self.app)[self.audit :]
        assert set(added) <= ALLOWED_AUDIT, set(added) - ALLOWED_AUDIT


def _no_500(response, what: str) -> None:
    assert response.status_code < 500, (
        f"{what} -> {response.status_code}: {response.get_data(as_text=True)[:300]}"
    )
    response.close()


def test_every_route_is_fuzzed(arena) -> None:
    """Each route is reachable by one of the strategies below (a new converter would not be)."""
    known = (UnicodeConverter, IntegerConverter, AnyConverter, PathConverter)
    for rule in _routes(arena["app"]):
        assert all(isinstance(c, known) for c in rule._converters.values()), rule.rule
        assert rule.methods and rule.methods & {"GET", "POST"}, rule.rule


def test_api_posts_never_fail_and_never_change_state(arena) -> None:
    app = arena["app"]
    rules = [r for r in _routes(app) if r.rule.startswith("/api/") and "POST" in (r.methods or ())]
    assert len(rules) >= 4
    unchanged = Unchanged(app)

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        rule = data.draw(st.sampled_from(rules))
        path = data.draw(url_for_rule(rule, arena))
        body, content_type = data.draw(api_bodies(arena["ballot"], arena["ceremony_id"]))
        role = data.draw(st.sampled_from(["anonymous", "trustee"]))
        headers = {"X-CSRFToken": arena["tokens"]["trustee"]} if role == "trustee" else {}
        response = arena["clients"][role].post(
            path, data=body, content_type=content_type, headers=headers
        )
        _no_500(response, f"POST {path} {body[:80]!r}")
        unchanged.check(f"POST {path} {body[:80]!r}")

    run()
    unchanged.finish()


def test_form_posts_never_fail_and_never_change_state(arena) -> None:
    """Every form, with random fields, as an anonymous visitor, without or with a wrong CSRF
    token, or logged in with a valid token against the closed vote (which refuses them all)."""
    app = arena["app"]
    rules = [
        r for r in _routes(app) if not r.rule.startswith("/api/") and "POST" in (r.methods or ())
    ]
    assert len(rules) >= 8
    unchanged = Unchanged(app)
    closed = arena["public"]["closed"]
    fields = st.dictionaries(
        st.sampled_from(
            [
                "title",
                "conference",
                "leave_off",
                "members",
                "chair",
                "threshold",
                "username",
                "password",
                "level",
                "score",
                "reason",
                "year",
                "note",
                "file",
            ]
        )
        | st.text(max_size=8),
        st.text(max_size=60)
        | st.integers().map(str)
        | st.sampled_from(["", "-1", "1e9", "y", "on", "0x10"]),
        max_size=6,
    )

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        rule = data.draw(st.sampled_from(rules))
        mode = data.draw(st.sampled_from(["no-token", "wrong-token", "valid"]))
        form = data.draw(fields)
        if mode == "valid":
            if "public_id" not in rule.arguments and not rule.rule.startswith("/login"):
                return  # forms outside a vote may accept random but valid input (a rating year)
            role = "admin" if not rule.rule.startswith("/count/") else "trustee"
            path = data.draw(url_for_rule(rule, {**arena, "public": {"closed": closed}}))
            form["csrf_token"] = arena["tokens"][role]
        else:
            role = data.draw(st.sampled_from(["anonymous", "admin", "trustee"]))
            path = data.draw(url_for_rule(rule, arena))
            if mode == "wrong-token":
                form["csrf_token"] = data.draw(st.text(max_size=90))
        response = arena["clients"][role].post(path, data=form)
        _no_500(response, f"POST {path} {form}")
        unchanged.check(f"POST {path} {mode} {form}")

    run()
    unchanged.finish()


def test_every_page_and_api_get_survives_junk_parameters(arena) -> None:
    app = arena["app"]
    rules = [
        r
        for r in _routes(app)
        if "GET" in (r.methods or ())
        and not r.rule.startswith("/ratings/")
        or (
            r.rule.startswith("/ratings/")
            and "xlsx" not in r.rule
            and "pdf" not in r.rule
            and "GET" in (r.methods or ())
        )
    ]
    unchanged = Unchanged(app)
    queries = st.dictionaries(
        st.sampled_from(["tracker", "ballots", "before", "q", "page", "next", "kind"])
        | st.text(max_size=6),
        junk_text | st.integers().map(str),
        max_size=3,
    )

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        rule = data.draw(st.sampled_from(rules))
        path = data.draw(url_for_rule(rule, arena))
        role = data.draw(st.sampled_from(["anonymous", "trustee", "admin"]))
        response = arena["clients"][role].get(path, query_string=data.draw(queries))
        _no_500(response, f"GET {path}")
        unchanged.check(f"GET {path}")

    run()
    unchanged.finish()


def test_ceremony_shapes_never_fail_and_never_change_state(arena) -> None:
    """Issue 14.10: the ceremony steps, as the committee's chair, with JSON bodies shaped like
    real messages with one field wrong (`"to": "abc"`, `"to": [2]`, booleans for integers,
    missing and extra keys, wrong hex lengths): every shape, then random changes of them."""
    app = arena["app"]
    client = arena["clients"]["trustee"]
    headers = {"X-CSRFToken": arena["tokens"]["trustee"]}
    unchanged = Unchanged(app)
    urls = [
        f"/api/v1/votes/{arena['public'][name]}/ceremony/{step}"
        for name in ("dealing", "ceremony")
        for step in ("commit", "shares", "done")
    ]

    def post(url: str, body: Any) -> None:
        response = client.post(url, json=body, headers=headers)
        _no_500(response, f"POST {url} {json.dumps(body)[:120]}")
        assert response.status_code in (400, 409), (url, body, response.status_code)
        unchanged.check(f"POST {url} {json.dumps(body)[:120]}")

    shapes = ceremony_shapes(arena["ceremony_id"])
    for url in urls:
        for shape in shapes:
            post(url, shape)

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        shape = data.draw(st.sampled_from(shapes))
        post(data.draw(st.sampled_from(urls)), data.draw(confused(shape)))

    run()
    unchanged.finish()
