"""From closing to the projector: a congress election held in the app, timed phase by phase.

    python bench/election_room.py --json                       # 300 × 40, 33 seats
    python bench/election_room.py --voters 30 --json           # a quick look

Untimed set-up, through the same services the web uses: a fresh instance (SQLite), the demo
organisation, an election of `--seats` of `--candidates` with `--voters` delegates summoned
and present, a key ceremony of 3 members (2 decrypt), one code per delegate and one ballot
each, encrypted in Python as a tablet would and checked by the server on receipt.

Timed, in the order the room lives it:
  close_s                the chair closes the vote (the board is frozen, its closing hash set)
  board_download_s       a counting member's device fetches the board (GET /api/v1/.../board)
  device_board_check_s   that device checks the whole board before decrypting, in headless
                         Chromium (checkElectionBoardBatch on Web Workers, the decrypt page's
                         own check); the 2 members' devices do this at the same time, on
                         their own machines, so it is counted once
  shares_s               the 2 members' partial decryptions (as their devices compute them)
                         posted to the server, which checks each share against the aggregate
                         and decrypts the counts
  projector_s            the first GET of the projector page: the server rebuilds the record
                         from the closed board, verifies it whole (every proof) and ranks
                         the candidates under 190-QĐ/TW
  closing_to_projector_s the sum (target: under 120 s)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TIME_DEVICE = """async ([manifest, fp, entries]) => {
  const c = window.ballotCrypto;
  const ctx = await c.loadManifest(manifest, fp);
  const sh = c.electionShape(manifest);
  const t0 = performance.now();
  const out = await c.checkElectionBoardBatch(ctx, sh, entries);
  return {ms: performance.now() - t0, aggregate: c.aggregateToJson(out.aggregate)};
}"""


def _clock(timings: dict[str, float], key: str, t0: float) -> None:
    timings[key] = round(time.perf_counter() - t0, 2)


def _setup(voters: int, candidates: int, seats: int) -> tuple[Any, Any, str, list[Any]]:
    """An app on a fresh instance with the election held up to its closing (untimed)."""
    from sqlalchemy import select

    from ballot.app import create_app
    from ballot.auth.models import Role, User
    from ballot.db import db
    from ballot.demo import seed_demo
    from ballot.elections.rules import Kind
    from ballot.instance import upgrade_database
    from ballot.org.models import Conference
    from ballot.voting import desk, setup
    from ballot.voting.election_demo import simulated_choices
    from ballot.voting.election_setup import create_election, election_rules
    from ballot.voting.models import ConfidenceVote
    from ballot.voting.roll import RollRow, set_roll
    from ballot.voting.simulate import cast_election_choices, run_key_ceremony

    tmp = Path(tempfile.mkdtemp(prefix="bench-room-"))
    app = create_app(
        {
            "SECRET_KEY": "bench-" + "x" * 40,
            "CODE_HASH_KEY": "bench-codes-" + "x" * 40,
            "DATABASE_URL": "sqlite:///" + str(tmp / "ballot.sqlite"),
            "WTF_CSRF_ENABLED": False,
            "PUBLIC_BASE_URL": "https://ballot.example.vn",
        },
        instance_path=str(tmp / "instance"),
    )
    upgrade_database(app)
    with app.app_context():
        seed_demo(votes=False)
        conference = db.session.scalars(select(Conference).order_by(Conference.id)).first()
        committee = list(
            db.session.scalars(select(User).where(User.role == Role.COUNTING).order_by(User.id))
        )[:3]
        names = [(f"Ứng cử viên {j:02d}", "Đại biểu") for j in range(1, candidates + 1)]
        vote = create_election(
            conference, "Bầu Ban Chấp hành (đo hiệu năng)", Kind.COMMITTEE, seats, names
        )
        # a congress: its delegates summoned through the roll (the Executive Committee, the
        # counting members among them, then numbered delegates); convened follows the roll
        summoned = [RollRow(v.rank, v.full_name, v.position) for v in vote.voters[:voters]]
        summoned += [
            RollRow(rank, f"Đại biểu {rank:03d}", "Đại biểu")
            for rank in range(len(summoned) + 1, voters + 1)
        ]
        set_roll(vote, summoned)
        setup.set_counting_committee(vote, committee, committee[0], threshold=2)
        keys = run_key_ceremony(vote)
        for voter in vote.voters:
            desk.set_present(vote, voter, True, None)
        desk.open_vote(vote)
        codes = [desk.issue_code(vote, v) for v in vote.voters]
        db.session.commit()
        rules = election_rules(vote)
        leanings = [1.0 + 2.0 * (candidates - j) / candidates for j in range(candidates)]
        choices = simulated_choices(voters, leanings, rules.min_kept, seats, "bench room")
        vote_id = vote.id
        for code, kept in zip(codes, choices, strict=True):
            cast_election_choices(db.session.get_one(ConfidenceVote, vote_id), code, kept)
        public_id = db.session.get_one(ConfidenceVote, vote_id).public_id
    return app, vote_id, public_id, keys


def run(voters: int, candidates: int, seats: int, browser: bool) -> dict[str, Any]:
    from ballot.crypto.seen import forget
    from ballot.crypto.tally import partial_decrypt
    from ballot.db import db
    from ballot.voting import casting, counting
    from ballot.voting.models import ConfidenceVote

    app, vote_id, public_id, keys = _setup(voters, candidates, seats)
    forget()  # the server checks the whole record after closing as a fresh process would
    t: dict[str, float] = {}
    with app.app_context():
        t0 = time.perf_counter()
        counting.close_vote(db.session.get_one(ConfidenceVote, vote_id))
        db.session.commit()
        _clock(t, "close_s", t0)
    client = app.test_client()
    t0 = time.perf_counter()
    board = client.get(f"/api/v1/votes/{public_id}/board")
    if board.status_code != 200:
        raise SystemExit(f"board: HTTP {board.status_code}")
    body = board.get_json()
    _clock(t, "board_download_s", t0)
    with app.app_context():
        vote = db.session.get_one(ConfidenceVote, vote_id)
        manifest, fp = vote.manifest, vote.fingerprint
    if browser:
        entries = body["entries"] if isinstance(body, dict) and "entries" in body else body
        t["device_board_check_s"] = _device_check(manifest, fp, entries)
    with app.app_context():
        t0 = time.perf_counter()
        vote = db.session.get_one(ConfidenceVote, vote_id)
        # each device sums the board during its check (timed above); the sum is the closing's
        grid = counting.closed_board_grid(vote)
        for key in (keys[0], keys[2]):
            trustee = next(x for x in vote.trustees if x.index == key.index)
            counting.submit_share(
                vote, trustee, partial_decrypt(casting.context_of(vote), key, grid)
            )
        db.session.commit()
        _clock(t, "shares_s", t0)
    client.post("/login", data={"username": "kiemphieu1", "password": "kp1-demo-2024"})
    t0 = time.perf_counter()
    page = client.get(f"/count/{public_id}/projector")
    _clock(t, "projector_s", t0)
    if page.status_code != 200:
        raise SystemExit(f"projector: HTTP {page.status_code}")
    t["closing_to_projector_s"] = round(sum(t.values()), 2)
    t["shape"] = f"{voters}x{candidates}, {seats} seats"  # type: ignore[assignment]
    t["nproc"] = os.cpu_count() or 0
    return t


def _device_check(manifest: dict[str, Any], fp: str, entries: list[Any]) -> float:
    from playwright.sync_api import sync_playwright

    from tests.browser.pages.server import CHROMIUM, CHROMIUM_ARGS, open_page, serve

    with serve() as base_url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            out = open_page(browser, base_url).evaluate(TIME_DEVICE, [manifest, fp, entries])
        finally:
            browser.close()
    return round(out["ms"] / 1000, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=300)
    parser.add_argument("--candidates", type=int, default=40)
    parser.add_argument("--seats", type=int, default=33)
    parser.add_argument("--no-browser", action="store_true", help="skip the device's check")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.voters, args.candidates, args.seats, not args.no_browser)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:26} {value}")


if __name__ == "__main__":
    main()
