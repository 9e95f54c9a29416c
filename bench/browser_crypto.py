"""Benchmark of the browser crypto (ballot/static/js/crypto) in headless Chromium.

    python bench/browser_crypto.py            # readable
    python bench/browser_crypto.py --json     # one JSON object (keys below)
    python bench/browser_crypto.py --runs 21  # more runs for the medians

Needs Debian's Chromium at /usr/bin/chromium and Playwright for Python. Times are measured
inside the page with performance.now() (medians over runs, after one warm-up run):

load_manifest_ms     loadManifest: fingerprint check, manifest shape, K validated, K's table
encrypt_6x3_ms       encryptBallot of a 6 × 3 ballot: 18 ciphertexts, bit and row proofs,
                     canonical bytes and tracker (target <= 300 ms)
encrypt_50x3_ms      the same for 50 × 3 (a large committee voting on many members)
verify_6x3_ms        verifyBallot of one 6 × 3 ballot, what a trustee's device does for each
                     ballot on the board before decrypting
open_keyfile_ms      openKeyFile at the default scrypt cost (N = 2^16, r = 8, p = 1)
board_40_ms          checkBoard of a closed board of 40 ballots of 6 × 3 (every proof, point,
                     tracker, chain; the aggregate), in-thread ("workers_1") and on one Web
                     Worker per core ("workers_N"); one run each
encrypt_40x33_ms     encryptElectionBallot of a congress ballot (40 candidates, 33 seats:
                     46 ciphertexts and bit proofs, the sum proof, tracker), median of 3
board_check_300x40_s checkElectionBoardBatch of a 300-ballot congress board (protocol §10.10:
                     tracker, chain, every proof in one multi-scalar multiplication, the
                     aggregates' order), in-thread, one run (target <= 30 s);
                     `--election-ballots N` measures an N-ballot board instead (key
                     board_check_{N}x40_s); `--election-only` skips the other figures
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ballot.crypto.ballot import encrypt_ballot, verify_ballot
from ballot.crypto.board import Board
from ballot.crypto.dkg import ceremony_id, run_ceremony
from ballot.crypto.keyfile import seal_key
from ballot.crypto.manifest import build_manifest, context_from_manifest, fingerprint
from ballot.crypto.simulate import DEFAULT_RULES, LEVEL_SETS
from tests.browser.pages.server import CHROMIUM, CHROMIUM_ARGS, open_page, serve

TIME_ENCRYPT = """async ([manifest, fp, choices, runs]) => {
  const c = window.ballotCrypto;
  const loads = [], times = [];
  let ctx;
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    ctx = await c.loadManifest(manifest, fp);
    if (i > 0) loads.push(performance.now() - t0);
  }
  let ballot;
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    ballot = (await c.encryptBallot(ctx, choices)).ballot;
    if (i > 0) times.push(performance.now() - t0);
  }
  const verify = [];
  for (let i = 0; i < Math.min(runs, 5); i++) {
    const t0 = performance.now();
    await c.verifyBallot(ctx, ballot);
    verify.push(performance.now() - t0);
  }
  return {loads, times, verify};
}"""

TIME_BOARD = """async ([manifest, fp, entries, workers]) => {
  const c = window.ballotCrypto;
  const ctx = await c.loadManifest(manifest, fp);
  const t0 = performance.now();
  await c.checkBoard(ctx, entries, {workers});
  return performance.now() - t0;
}"""

TIME_EBOARD = """async ([manifest, fp, entries, kept]) => {
  const c = window.ballotCrypto;
  const ctx = await c.loadManifest(manifest, fp);
  const sh = c.electionShape(manifest);
  const enc = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await c.encryptElectionBallot(ctx, sh, kept);
    enc.push(performance.now() - t0);
  }
  const t0 = performance.now();
  const out = await c.checkElectionBoardBatch(ctx, sh, entries);
  return {enc, board: performance.now() - t0, aggregate: c.aggregateToJson(out.aggregate)};
}"""

TIME_KEYFILE = """async ([keyFile, passphrase, runs]) => {
  const c = window.ballotCrypto;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await c.openKeyFile(keyFile, passphrase);
    times.push(performance.now() - t0);
  }
  return times;
}"""


def election(subjects: int) -> tuple[dict[str, Any], str, Any]:
    names = ["Thành viên 1", "Thành viên 2", "Thành viên 3"]
    messages, keys = run_ceremony(ceremony_id("BENCH-JS", 2, names), 2, 3)
    manifest = build_manifest(
        vote_id="BENCH-JS",
        title="Lấy phiếu tín nhiệm (đo hiệu năng)",
        conference="Hội nghị",
        subjects=[(f"Người {i}", "Ủy viên") for i in range(1, subjects + 1)],
        levels=LEVEL_SETS[3],
        rules=DEFAULT_RULES,
        trustees=names,
        threshold=2,
        commit_messages=messages,
    )
    return manifest, fingerprint(manifest).hex(), keys[0]


def board_of(manifest: dict[str, Any], ballots: int) -> list[dict[str, Any]]:
    """A board of `ballots` ballots encrypted and checked by the Python reference."""
    ctx = context_from_manifest(manifest)
    board = Board(ctx.fp)
    for v in range(ballots):
        choices = [(v + i) % 3 for i in range(ctx.n_subjects)]
        board.append(verify_ballot(ctx, encrypt_ballot(ctx, choices)))
    return board.entries


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def election_board(page: Any, ballots: int) -> dict[str, Any]:
    """The congress shape: simulated in Python (untimed), checked in the page."""
    from ballot.crypto.election_sim import simulate_election

    record = simulate_election(voters=ballots, candidates=40, seats=33, seed="bench-js").record
    manifest = record["manifest"]
    kept = [j < 30 for j in range(40)]
    out = page.evaluate(TIME_EBOARD, [manifest, record["fingerprint"], record["board"], kept])
    if out["aggregate"] != record["aggregate"]:
        raise SystemExit("the browser's aggregate differs from the record's")
    return {
        "encrypt_40x33_ms": round(statistics.median(out["enc"]), 1),
        f"board_check_{ballots}x40_s": round(out["board"] / 1000, 2),
    }


def run(runs: int, election_ballots: int = 300, election_only: bool = False) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    with serve() as base_url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = open_page(browser, base_url)
            if election_ballots:
                results.update(election_board(page, election_ballots))
            for subjects, n_runs in () if election_only else ((6, runs), (50, max(3, runs // 3))):
                manifest, fp, key = election(subjects)
                choices = [i % 3 for i in range(subjects)]
                out = page.evaluate(TIME_ENCRYPT, [manifest, fp, choices, n_runs])
                results[f"encrypt_{subjects}x3_ms"] = round(statistics.median(out["times"]), 1)
                if subjects == 6:
                    results["load_manifest_ms"] = round(statistics.median(out["loads"]), 1)
                    results["verify_6x3_ms"] = round(statistics.median(out["verify"]), 1)
                    key_file = seal_key(key, "BENCH-JS", "mật khẩu thử")
                    times = page.evaluate(TIME_KEYFILE, [key_file, "mật khẩu thử", 3])
                    results["open_keyfile_ms"] = round(statistics.median(times), 1)
                    entries = board_of(manifest, 40)
                    cores = page.evaluate("navigator.hardwareConcurrency")
                    results["board_40_ms"] = {
                        f"workers_{w}": round(
                            page.evaluate(TIME_BOARD, [manifest, fp, entries, w]), 1
                        )
                        for w in sorted({1, max(1, min(int(cores), 8))})
                    }
            results["chromium"] = browser.version
        finally:
            browser.close()
    results["machine"] = {"nproc": os.cpu_count(), "cpu": cpu_model()}
    results["runs"] = runs
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=11, help="runs per median (6 × 3)")
    parser.add_argument("--election-ballots", type=int, default=300, help="0 skips it")
    parser.add_argument("--election-only", action="store_true")
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")
    results = run(args.runs, args.election_ballots, args.election_only)
    if args.json or args.election_only:
        print(json.dumps(results))
        return
    m = results["machine"]
    print(f"Chromium {results['chromium']} on {m['nproc']} × {m['cpu']}, median of {args.runs}")
    print(f"  load manifest (K table)     {results['load_manifest_ms']:8.1f} ms")
    print(f"  encrypt + prove 6 × 3       {results['encrypt_6x3_ms']:8.1f} ms   (target <= 300 ms)")
    print(f"  encrypt + prove 50 × 3      {results['encrypt_50x3_ms']:8.1f} ms")
    print(f"  verify one 6 × 3 (trustee)  {results['verify_6x3_ms']:8.1f} ms")
    print(f"  open key file (scrypt 2^16) {results['open_keyfile_ms']:8.1f} ms")
    for name, ms in results["board_40_ms"].items():
        print(f"  check a 40-ballot board, {name.replace('_', ' = ')} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
