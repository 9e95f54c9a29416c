"""Election crypto (protocol §10) in Debian's Chromium: the booth's ballot is accepted by
the Python reference, and the counting member's batch board check (§10.10) on Web Workers
returns the record's aggregate and names a forged entry."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from typing import Any

import pytest

from ballot.crypto.board import chain_hash
from ballot.crypto.election import parse_ballot, shape_of, verify_election_ballot
from ballot.crypto.election_sim import simulate_election
from ballot.crypto.manifest import context_from_manifest
from tests.browser.pages.server import CHROMIUM, CHROMIUM_ARGS, open_page, serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]

CHECK = """async ([manifest, fp, board, workers]) => {
  const c = window.ballotCrypto;
  const ctx = await c.loadManifest(manifest, fp);
  const sh = c.electionShape(manifest);
  try {
    const out = await c.checkElectionBoardBatch(ctx, sh, board, {workers});
    return {aggregate: c.aggregateToJson(out.aggregate), head: out.head};
  } catch (e) {
    return {error: e.code, entry: e.entry};
  }
}"""

ENCRYPT = """async ([manifest, fp, kept]) => {
  const c = window.ballotCrypto;
  const ctx = await c.loadManifest(manifest, fp);
  return (await c.encryptElectionBallot(ctx, c.electionShape(manifest), kept)).ballot;
}"""


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with serve() as base_url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield open_page(browser, base_url)
        finally:
            browser.close()


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    return simulate_election(voters=10, candidates=6, seats=4, seed="browser-e").record


def test_booth_ballot_is_accepted_by_python(page: Any, record: dict[str, Any]) -> None:
    manifest = record["manifest"]
    ballot = page.evaluate(ENCRYPT, [manifest, record["fingerprint"], [True, False, True] * 2])
    verify_election_ballot(context_from_manifest(manifest), shape_of(manifest), ballot)


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_board_check_on_workers(page: Any, record: dict[str, Any], workers: int) -> None:
    args = [record["manifest"], record["fingerprint"], record["board"], workers]
    out = page.evaluate(CHECK, args)
    assert out == {"aggregate": record["aggregate"], "head": record["closing"]["head"]}
    forged = copy.deepcopy(record["board"])
    forged[6]["ballot"]["cts"][3]["proof"][5] = forged[6]["ballot"]["cts"][3]["proof"][6]
    # the tracker and chain no longer match either: recompute them as a dishonest server would
    ctx, shape = context_from_manifest(record["manifest"]), shape_of(record["manifest"])
    head = ctx.fp
    for n, entry in enumerate(forged, start=1):
        tracker = parse_ballot(ctx, shape, entry["ballot"]).tracker
        head = chain_hash(head, tracker, n)
        entry["tracker"], entry["chain"] = tracker.hex(), head.hex()
    out = page.evaluate(CHECK, [record["manifest"], record["fingerprint"], forged, workers])
    assert out == {"error": "bad_board", "entry": 7}
