"""The browser crypto in Debian's Chromium, checked by the Python reference (ballot/crypto).

A test page (tests/browser/pages/crypto.html, served from 127.0.0.1 by a throwaway
http.server, no Flask app) loads ballot/static/js/crypto as the booth and trustee pages do.
The browser encrypts ballots, makes a decryption share from a key file and takes part in a
key ceremony beside Python members; Python must accept all of it, and the counts and keys
must come out right.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from ballot.crypto.ballot import encrypt_ballot, short_code, verify_ballot
from ballot.crypto.board import Attendance, Board, closing_hash
from ballot.crypto.context import ElectionContext
from ballot.crypto.dkg import (
    MemberKey,
    ceremony_id,
    check_commits,
    deal_shares,
    finish_member,
    run_ceremony,
    start_member,
)
from ballot.crypto.keyfile import open_key, seal_key
from ballot.crypto.manifest import build_manifest, context_from_manifest, fingerprint
from ballot.crypto.simulate import DEFAULT_RULES
from ballot.crypto.tally import aggregate, partial_decrypt, tally, verify_share
from tests.browser.pages.server import CHROMIUM, CHROMIUM_ARGS, open_page, serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason=f"{CHROMIUM} is not installed (apt-get install chromium)",
    ),
]


@dataclass
class Election:
    manifest: dict[str, Any]
    fp: str
    ctx: ElectionContext
    keys: list[MemberKey]


def make_election(subjects: int, levels: int, blank: bool) -> Election:
    names = ["Trần Thị Kim Phượng", "Lữ Công Tạo", "Nguyễn Văn Tám"]
    messages, keys = run_ceremony(ceremony_id("BROWSER-1", 2, names), 2, 3)
    manifest = build_manifest(
        vote_id="BROWSER-1",
        title="Lấy phiếu tín nhiệm (thử trên trình duyệt)",
        conference="Hội nghị thử",
        subjects=[(f"Người {i}", "Ủy viên") for i in range(1, subjects + 1)],
        levels=[("high", "Tín nhiệm cao"), ("normal", "Tín nhiệm"), ("low", "Tín nhiệm thấp")][
            :levels
        ],
        rules=DEFAULT_RULES | {"blank_row_allowed": blank},
        trustees=names,
        threshold=2,
        commit_messages=messages,
    )
    return Election(manifest, fingerprint(manifest).hex(), context_from_manifest(manifest), keys)


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with serve() as base_url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield open_page(browser, base_url)
        finally:
            browser.close()


ENCRYPT = """async ([manifest, fp, choices]) => {
  const c = window.ballotCrypto;
  try {
    const ctx = await c.loadManifest(JSON.stringify(manifest), fp);
    const out = await c.encryptBallot(ctx, choices);
    return {ballot: out.ballot, tracker: out.tracker, shortCode: out.shortCode};
  } catch (e) {
    return {code: e.code || String(e)};
  }
}"""

DECRYPT = """async ([manifest, fp, board, keyFile, passphrase]) => {
  const c = window.ballotCrypto;
  try {
    const ctx = await c.loadManifest(manifest, fp);
    const key = await c.openKeyFile(JSON.stringify(keyFile), passphrase);
    const out = await c.partialDecrypt(ctx, board, key);
    return {share: out.share, count: out.count, closingHash: out.closingHash};
  } catch (e) {
    return {code: e.code || String(e), message: String(e.message)};
  }
}"""


@pytest.mark.parametrize("blank", [True, False], ids=["row", "row1"])
def test_ballot_encrypted_in_chromium_is_accepted_by_python(page: Any, blank: bool) -> None:
    e = make_election(subjects=6, levels=3, blank=blank)
    choices = [0, 1, 2, None if blank else 0, 1, 0]
    out = page.evaluate(ENCRYPT, [e.manifest, e.fp, choices])
    assert "code" not in out, out
    checked = verify_ballot(e.ctx, out["ballot"])
    assert checked.tracker.hex() == out["tracker"]
    assert short_code(checked.tracker) == out["shortCode"]
    assert len(out["ballot"]["rows"][0]["row_proof"]) == (4 if blank else 2)


def test_chromium_refuses_a_wrong_fingerprint_or_key(page: Any) -> None:
    e = make_election(subjects=2, levels=3, blank=True)
    wrong_fp = ("0" if e.fp[0] != "0" else "1") + e.fp[1:]
    assert page.evaluate(ENCRYPT, [e.manifest, wrong_fp, [0, 1]]) == {"code": "bad_fingerprint"}
    bad_key = dict(e.manifest, public_key="01" + "00" * 31)
    assert page.evaluate(ENCRYPT, [bad_key, fingerprint(bad_key).hex(), [0, 1]]) == {
        "code": "bad_point"
    }


def test_decryption_share_made_in_chromium_is_accepted_by_python(page: Any) -> None:
    e = make_election(subjects=2, levels=3, blank=True)
    votes: list[list[int | None]] = [[0, 1], [0, None], [2, 1]]
    board = Board(e.ctx.fp)
    checked = []
    for n, choices in enumerate(votes):
        if n < 2:  # two ballots from the browser booth, one from Python
            doc = page.evaluate(ENCRYPT, [e.manifest, e.fp, choices])["ballot"]
        else:
            doc = encrypt_ballot(e.ctx, choices)
        checked.append(verify_ballot(e.ctx, doc))
        board.append(checked[-1])
    attendance = Attendance(summoned=4, present=3, issued=3)
    closing = {
        "count": len(board.entries),
        "head": board.head.hex(),
        "hash": closing_hash(board.head, len(board.entries), attendance).hex(),
        "attendance": attendance.to_json(),
    }
    api_board = {
        "fingerprint": e.fp,
        "state": "closed",
        "closing": closing,
        "entries": board.entries,
    }
    key_file = seal_key(e.keys[1], "BROWSER-1", "Mật khẩu: đổi ngay!")

    wrong = page.evaluate(DECRYPT, [e.manifest, e.fp, api_board, key_file, "sai mật khẩu"])
    assert wrong["code"] == "wrong_passphrase"
    out = page.evaluate(DECRYPT, [e.manifest, e.fp, api_board, key_file, "Mật khẩu: đổi ngay!"])
    assert "code" not in out, out
    assert out["closingHash"] == closing["hash"]

    grid = aggregate(e.ctx, [c.ciphertexts for c in checked])
    assert verify_share(e.ctx, grid, out["share"]).index == 2
    result = tally(e.ctx, grid, [out["share"], partial_decrypt(e.ctx, e.keys[2], grid)], len(votes))
    assert result.counts == [[2, 0, 1], [0, 2, 0]]
    assert result.rejected == []


def test_key_ceremony_member_in_chromium_with_python_members(page: Any) -> None:
    names = ["Thành viên 1", "Thành viên 2", "Thành viên 3"]
    cid = ceremony_id("BROWSER-DKG", 2, names)
    python_members = [start_member(cid, x, 2, 3) for x in (1, 2)]
    browser_commit = page.evaluate(
        """async ([cid]) => {
          const r = await window.ballotCrypto.startMember(cid, 3, 2, 3);
          window.dkgSecret = r.secret;
          return r.message;
        }""",
        [cid.hex()],
    )
    commit_messages = [msg for _, msg in python_members] + [browser_commit]
    commits = check_commits(cid, 2, 3, commit_messages)  # Python checks the browser's proof
    mailbox = [m for secret, _ in python_members for m in deal_shares(secret, commits)]
    browser_out = page.evaluate(
        """async ([cid, commitMessages, mailbox]) => {
          const c = window.ballotCrypto;
          const commits = await c.checkCommits(cid, 2, 3, commitMessages);
          const shares = await c.dealShares(window.dkgSecret, commits);
          const { key, message } = await c.finishMember(window.dkgSecret, commits, mailbox);
          const keyFile = await c.sealKeyFile(key, "BROWSER-DKG", "mật khẩu");
          return { shares, done: message, keyFile };
        }""",
        [cid.hex(), commit_messages, mailbox],
    )
    mailbox += browser_out["shares"]
    dones = [finish_member(secret, commits, mailbox)[1] for secret, _ in python_members]
    dones.append(browser_out["done"])
    assert len({(d["transcript"], d["public_key"]) for d in dones}) == 1
    key = open_key(browser_out["keyFile"], "mật khẩu")
    assert key.index == 3
    assert key.verification_key.hex() == browser_out["done"]["verification_key"]


CHECK_BOARD = """async ([manifest, fp, entries, workers]) => {
  const c = window.ballotCrypto;
  const ctx = await c.loadManifest(manifest, fp);
  const progress = [];
  try {
    const out = await c.checkBoard(ctx, entries, {workers, onProgress: (d, t) => progress.push([d, t])});
    return {aggregate: c.aggregateToJson(out.aggregate), head: out.head, count: out.count,
            trackers: out.trackers, last: progress[progress.length - 1]};
  } catch (e) {
    return {code: e.code, entry: e.entry, cause: e.cause && e.cause.code};
  }
}"""


def test_board_checked_in_web_workers_equals_in_thread_and_python(page: Any) -> None:
    e = make_election(subjects=2, levels=3, blank=True)
    board = Board(e.ctx.fp)
    checked = []
    for n in range(12):
        checked.append(verify_ballot(e.ctx, encrypt_ballot(e.ctx, [n % 3, None if n % 4 else 1])))
        board.append(checked[-1])
    expected = [
        [ct.to_json() for ct in row] for row in aggregate(e.ctx, [c.ciphertexts for c in checked])
    ]
    in_thread = page.evaluate(CHECK_BOARD, [e.manifest, e.fp, board.entries, 1])
    in_workers = page.evaluate(CHECK_BOARD, [e.manifest, e.fp, board.entries, 3])
    assert in_thread["aggregate"] == expected
    assert in_workers == in_thread
    assert in_workers["head"] == board.head.hex() and in_workers["last"] == [12, 12]

    # A bad proof in entry 9 and a copied ballot in entry 11 (of the bad board below): both
    # ways name the first bad entry and the same cause.
    entries = copy.deepcopy(board.entries)
    proof = entries[8]["ballot"]["rows"][0]["cts"][0]["proof"]
    proof[0], proof[2] = proof[2], proof[0]
    for workers in (1, 3):
        out = page.evaluate(CHECK_BOARD, [e.manifest, e.fp, entries, workers])
        assert out == {"code": "bad_board", "entry": 9, "cause": "bad_proof"}, workers
    entries = copy.deepcopy(board.entries)
    entries[10] = dict(entries[2], seq=11)
    for workers in (1, 3):
        out = page.evaluate(CHECK_BOARD, [e.manifest, e.fp, entries, workers])
        assert out["code"] == "bad_board" and out["entry"] == 11, workers
