"""Casting throughput: N concurrent clients send real encrypted ballots over HTTP to the real
server (`ballot serve`, cheroot) and every receipt is checked against the board.

    python bench/cast.py --clients 22 --clients 500 [--database-url URL] [--json]

Without --database-url the server runs on a fresh SQLite file; with
`--database-url postgresql+psycopg://root@127.0.0.1:5432/test` it runs on a private schema
there. Prints one JSON object per run with --json: clients, ballots, seconds, ballots_per_s,
p50_ms, p95_ms, lost, database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from loopback import free_port, post_json  # noqa: E402 - after the path is set


def _prepare(instance: Path, database_url: str, clients: int) -> tuple[str, list[str], list[dict]]:
    """Create the schema, the demo organisation, an open vote with `clients` codes, and one
    encrypted ballot per code (encryption is the tablets' work, done before timing)."""
    from sqlalchemy import select

    from ballot.app import create_app
    from ballot.crypto.ballot import encrypt_ballot
    from ballot.db import db
    from ballot.demo import seed_demo
    from ballot.instance import upgrade_database, write_instance_config
    from ballot.org.models import Conference, Member
    from ballot.voting import casting, desk, setup
    from ballot.voting.models import VoteVoter
    from ballot.voting.simulate import run_key_ceremony

    write_instance_config(str(instance))
    os.environ["BALLOT_DATABASE_URL"] = database_url
    app = create_app(instance_path=str(instance))
    upgrade_database(app)
    with app.app_context():
        seed_demo(votes=False)
        conference = db.session.scalar(select(Conference))
        vote = setup.create_vote(conference, "Đo tốc độ bỏ phiếu")
        extra = db.session.scalars(
            select(Member).order_by(Member.id).offset(22).limit(max(0, clients - 22))
        )
        for rank, member in enumerate(extra, start=23):
            vote.voters.append(
                VoteVoter(
                    rank=rank, member_id=member.id, full_name=member.full_name, position="Đảng viên"
                )
            )
        from ballot.auth.models import Role, User

        users = list(
            db.session.scalars(select(User).where(User.role == Role.COUNTING).order_by(User.id))
        )
        setup.set_counting_committee(vote, users, users[0], 2)
        run_key_ceremony(vote)
        for voter in vote.voters[:clients]:
            desk.set_present(vote, voter, True)
        desk.open_vote(vote)
        codes = [desk.issue_code(vote, v) for v in vote.voters[:clients]]
        db.session.commit()
        ctx = casting.context_of(vote)
        rng = random.Random(1)
        ballots = [
            encrypt_ballot(ctx, [rng.choice([0, 1, 2, None]) for _ in range(ctx.n_subjects)])
            for _ in codes
        ]
        public_id = vote.public_id
        db.engine.dispose()
    return public_id, codes, ballots


def run(clients: int, database_url: str | None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="ballot-bench-"))
    schema = None
    if database_url:
        import psycopg

        schema = "bench_" + uuid.uuid4().hex[:8]
        admin = re.sub(r"^postgresql\+psycopg://", "postgresql://", database_url)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        joiner = "&" if "?" in database_url else "?"
        url = f"{database_url}{joiner}options=-csearch_path%3D{schema}"
    else:
        url = "sqlite:///" + str(tmp / "instance" / "ballot.sqlite")
    public_id, codes, ballots = _prepare(tmp / "instance", url, clients)
    port = free_port()
    env = dict(os.environ, BALLOT_DATABASE_URL=url, BALLOT_CODE_RATE_LIMIT="100000 per minute")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ballot.cli",
            "serve",
            "--instance",
            str(tmp / "instance"),
            "--port",
            str(port),
            "--threads",
            "16",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/api/v1/votes/{public_id}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base, timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        latencies: list[float] = []
        receipts: list[dict] = []
        errors: list[tuple[int, dict]] = []
        lock = threading.Lock()
        start_gate = threading.Event()

        def client(code: str, ballot: dict) -> None:
            start_gate.wait()
            t0 = time.perf_counter()
            status, body = post_json(
                base + "/ballots", {"code": code, "ballot": ballot}, timeout=120
            )
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                (receipts.append(body) if status in (200, 201) else errors.append((status, body)))

        threads = [
            threading.Thread(target=client, args=pair) for pair in zip(codes, ballots, strict=True)
        ]
        for t in threads:
            t.start()
        began = time.perf_counter()
        start_gate.set()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - began
        with urllib.request.urlopen(base + "/board?ballots=0", timeout=30) as response:
            board = json.loads(response.read())
        on_board = {e["tracker"] for e in board["entries"]}
        lost = sum(1 for r in receipts if r["tracker"] not in on_board) + len(errors)
        latencies.sort()
        return {
            "clients": clients,
            "ballots": len(receipts),
            "seconds": round(seconds, 3),
            "ballots_per_s": round(len(receipts) / seconds, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1),
            "lost": lost,
            "database": "postgresql" if database_url else "sqlite",
            "errors": errors[:3],
        }
    finally:
        server.kill()
        server.wait()
        if schema:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--clients", type=int, action="append", help="concurrent clients (repeatable)"
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for clients in args.clients or [22, 500]:
        result = run(clients, args.database_url)
        if args.json:
            print(json.dumps({k: v for k, v in result.items() if k != "errors"}))
            if result["errors"]:
                print("errors:", result["errors"], file=sys.stderr)
        else:
            print(result)


if __name__ == "__main__":
    main()
