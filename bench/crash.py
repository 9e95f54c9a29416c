"""Crash safety: clients cast real encrypted ballots over HTTP to the real server (`ballot
serve`, cheroot) while the server is killed with SIGKILL at random moments and restarted.

    python bench/crash.py [--clients 200] [--kills 40] [--seed 1] [--database-url URL] [--json]

Checks, after the last restart: every ballot whose receipt a client received is on the
board with that receipt's seq, tracker and chain; no tracker twice; the board count equals
the codes used and the receipts; a retried cast (same code, same ballot) returns the same
receipt, including after a kill that lost the first answer; SQLite's integrity check; and,
after closing and decrypting, the election record verifies (`ballot verify`'s checks).
tests/security/test_crash.py runs a short campaign in CI; docs/security.md records long ones.
POSIX only (process groups, SIGKILL).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.client import HTTPException
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from loopback import free_port, post_json  # noqa: E402 - after the path is set


def _prepare(
    instance: Path, url: str, clients: int, seed: int, verify_processes: int | None
) -> dict[str, Any]:
    """Instance, schema, demo organisation, an open vote with one code per client and each
    client's encrypted ballot (the tablets' work, done beforehand)."""
    from sqlalchemy import select

    from ballot.app import create_app
    from ballot.auth.models import Role, User
    from ballot.crypto.ballot import encrypt_ballot
    from ballot.db import db
    from ballot.demo import seed_demo
    from ballot.instance import upgrade_database, write_instance_config
    from ballot.org.models import Conference, Member
    from ballot.voting import casting, desk, setup
    from ballot.voting.models import VoteVoter
    from ballot.voting.simulate import run_key_ceremony

    config, _ = write_instance_config(str(instance))
    with config.open("a", encoding="utf-8") as handle:  # the server and this process agree
        handle.write(
            f"DATABASE_URL = {url!r}\nCODE_RATE_LIMIT = '1000000 per minute'\n"
            f"VERIFY_PROCESSES = {verify_processes!r}\n"
        )
    app = create_app(instance_path=str(instance))
    upgrade_database(app)
    with app.app_context():
        seed_demo(votes=False)
        vote = setup.create_vote(db.session.scalar(select(Conference)), "Thử mất điện khi bỏ phiếu")
        extra = db.session.scalars(
            select(Member).order_by(Member.id).offset(22).limit(max(0, clients - 22))
        )
        for rank, member in enumerate(extra, start=23):
            vote.voters.append(
                VoteVoter(
                    rank=rank, member_id=member.id, full_name=member.full_name, position="Đảng viên"
                )
            )
        users = list(
            db.session.scalars(select(User).where(User.role == Role.COUNTING).order_by(User.id))
        )
        setup.set_counting_committee(vote, users, users[0], 2)
        keys = run_key_ceremony(vote)
        for voter in vote.voters[:clients]:
            desk.set_present(vote, voter, True)
        desk.open_vote(vote)
        codes = [desk.issue_code(vote, v) for v in vote.voters[:clients]]
        db.session.commit()
        ctx = casting.context_of(vote)
        rng = random.Random(seed)
        ballots = [
            encrypt_ballot(ctx, [rng.choice([0, 1, 2, None]) for _ in range(ctx.n_subjects)])
            for _ in codes
        ]
        prepared = {
            "app": app,
            "vote_id": vote.id,
            "public_id": vote.public_id,
            "codes": codes,
            "ballots": ballots,
            "keys": keys,
        }
        db.session.remove()
        db.engine.dispose()
    return prepared


class Server:
    """`ballot serve` in its own process group, so that SIGKILL takes its workers too."""

    def __init__(self, instance: Path, port: int) -> None:
        self.instance, self.port = instance, port
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("BALLOT_")}

    def start(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "ballot.cli",
                    "serve",
                    "--instance",
                    str(self.instance),
                    "--port",
                    str(self.port),
                    "--threads",
                    "16",
                ],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            while self.process.poll() is None:
                try:
                    urllib.request.urlopen(
                        f"http://127.0.0.1:{self.port}/api/v1/votes", timeout=2
                    ).close()
                    return
                except OSError:
                    if time.monotonic() > deadline:
                        self.kill()
                        raise RuntimeError("the server did not start") from None
                    time.sleep(0.05)
            time.sleep(0.2)  # it exited (the port still held?): start it again

    def restart(self) -> float:
        began = time.monotonic()
        self.kill()
        self.start()
        return time.monotonic() - began

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait()


def run(
    clients: int = 30,
    kills: int = 5,
    seed: int = 1,
    database_url: str | None = None,
    spread: float = 6.0,
    verify_processes: int | None = None,
) -> dict[str, Any]:
    """One campaign; returns its figures and the list of violations (empty when all held)."""
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="ballot-crash-"))
    schema = admin = None
    if database_url:
        import psycopg

        schema = "crash_" + uuid.uuid4().hex[:8]
        admin = re.sub(r"^postgresql\+psycopg://", "postgresql://", database_url)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{database_url}{'&' if '?' in database_url else '?'}options=-csearch_path%3D{schema}"
    else:
        url = "sqlite:///" + str(tmp / "instance" / "ballot.sqlite")
    started = time.monotonic()
    prepared = _prepare(tmp / "instance", url, clients, seed, verify_processes)
    server = Server(tmp / "instance", free_port())
    base = f"http://127.0.0.1:{server.port}/api/v1/votes/{prepared['public_id']}/ballots"
    receipts: dict[int, dict[str, Any]] = {}
    violations: list[str] = []
    counters = {"connection_errors": 0, "retries_after_lost_answer": 0, "repeats_checked": 0}
    lock = threading.Lock()
    done = threading.Event()
    in_flight = threading.Event()  # set by a client just before it sends a ballot
    restarts: list[float] = []

    def client(k: int) -> None:
        body = {"code": prepared["codes"][k], "ballot": prepared["ballots"][k]}
        time.sleep(random.Random(seed * 1000 + k).uniform(0, spread))
        lost_answer = False
        for _ in range(2000):
            in_flight.set()
            try:
                status, answer = post_json(base, body)
            except (OSError, HTTPException, ValueError):  # refused, reset, cut mid-answer: retry
                with lock:
                    counters["connection_errors"] += 1
                lost_answer = True
                time.sleep(0.05)
                continue
            if status in (200, 201):
                break
            with lock:
                violations.append(f"client {k}: HTTP {status} {answer}")
            return
        else:
            with lock:
                violations.append(f"client {k}: no receipt after 2000 tries")
            return
        with lock:
            receipts[k] = answer
            if lost_answer and answer.get("repeated"):
                counters["retries_after_lost_answer"] += 1
        # the tablet asks again (its answer may have been lost): the same receipt, no second ballot
        for _ in range(2000):
            try:
                status, again = post_json(base, body)
            except (OSError, HTTPException, ValueError):
                time.sleep(0.05)
                continue
            with lock:
                counters["repeats_checked"] += 1
                if (
                    status != 200
                    or not again.get("repeated")
                    or again.get("tracker") != answer["tracker"]
                    or again.get("seq") != answer["seq"]
                ):
                    violations.append(f"client {k}: retry gave {status} {again}, first {answer}")
            return

    def killer() -> None:
        for n in range(kills):
            if done.wait(rng.uniform(0.1, max(0.2, 1.5 * spread / max(1, kills)))):
                return
            if n % 2:  # every other kill lands a few milliseconds after a ballot was sent:
                in_flight.clear()  # while it is checked, written, or answered
                if not in_flight.wait(5):
                    continue
                time.sleep(rng.uniform(0, 0.06))
            restarts.append(server.restart())

    try:
        server.start()
        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        chaos = threading.Thread(target=killer)
        for thread in threads:
            thread.start()
        chaos.start()
        for thread in threads:
            thread.join()
        done.set()
        chaos.join()
        server.kill()
        violations += _check(prepared, receipts, clients)
    finally:
        server.kill()
        if schema:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "clients": clients,
        "kills": kills,
        "seed": seed,
        "receipts": len(receipts),
        "verify_processes": verify_processes,
        "database": "postgresql" if database_url else "sqlite",
        "seconds": round(time.monotonic() - started, 1),
        "restart_s_max": round(max(restarts, default=0), 2),
        **counters,
        "violations": violations,
    }


def _check(
    prepared: dict[str, Any], receipts: dict[int, dict[str, Any]], clients: int
) -> list[str]:
    """What must hold after the crashes, read from the database itself."""
    import sqlite3

    from ballot.crypto import board as crypto_board
    from ballot.crypto.record import verify_record
    from ballot.db import db
    from ballot.voting import casting, counting
    from ballot.voting.models import BallotCode, CodeState, ConfidenceVote
    from ballot.voting.simulate import decrypt_as

    problems: list[str] = []
    app = prepared["app"]
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///"):
        with sqlite3.connect(uri.removeprefix("sqlite:///")) as conn:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append(f"SQLite integrity check: {integrity}")
    with app.app_context():
        vote = db.session.get_one(ConfidenceVote, prepared["vote_id"])
        entries = casting.board_entries(vote)
        by_tracker = {e.tracker: e for e in entries}
        if len(by_tracker) != len(entries):
            problems.append("a tracker is on the board twice")
        for k, receipt in receipts.items():
            entry = by_tracker.get(receipt["tracker"])
            if entry is None:
                problems.append(f"client {k}: receipt {receipt['short_code']} is not on the board")
            elif (entry.seq, entry.chain) != (receipt["seq"], receipt["chain"]):
                problems.append(
                    f"client {k}: the board says seq {entry.seq}, the receipt {receipt['seq']}"
                )
        head = bytes.fromhex(vote.fingerprint or "")
        for n, entry in enumerate(entries, start=1):
            head = crypto_board.chain_hash(head, bytes.fromhex(entry.tracker), n)
            if entry.seq != n or entry.chain != head.hex():
                problems.append(f"the board chain breaks at entry {n}")
                break
        used = sum(
            1
            for s in db.session.scalars(
                db.select(BallotCode.state).where(BallotCode.vote_id == vote.id)
            )
            if s is CodeState.USED
        )
        if not len(entries) == used == vote.ballots_cast == len(receipts) == clients:
            problems.append(
                f"board {len(entries)}, codes used {used}, counter {vote.ballots_cast}, "
                f"receipts {len(receipts)}, clients {clients}"
            )
        if vote.board_head != (entries[-1].chain if entries else vote.fingerprint):
            problems.append("the vote's board head is not the last entry's chain hash")
        counting.close_vote(vote)
        decrypt_as(vote, prepared["keys"][:2])
        db.session.commit()
        report = verify_record(counting.election_record(vote))
        if not report.ok:
            problems.append(f"the election record does not verify: {report}")
        db.session.remove()
        db.engine.dispose()
    return problems


def main() -> None:
    # `timeout` or Ctrl+C: run the finally blocks (kill the server, drop the schema)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--spread", type=float, default=None, help="seconds over which clients start"
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--verify-processes",
        type=int,
        default=None,
        help="the server's VERIFY_PROCESSES (default: one per core, as shipped)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    spread = args.spread if args.spread is not None else max(6.0, args.kills * 0.8)
    result = run(
        args.clients, args.kills, args.seed, args.database_url, spread, args.verify_processes
    )
    print(json.dumps(result, ensure_ascii=False) if args.json else result)
    sys.exit(1 if result["violations"] else 0)


if __name__ == "__main__":
    main()
