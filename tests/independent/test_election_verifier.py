"""The outsider's verifier (election_verifier.py, from docs/protocol.md alone) against the
project's CLI as a black box: `ballot simulate --election` makes the records, `ballot verify`
is the referee. Both must accept the genuine record with the same counts and anchors, and
both must reject every tampered one, at the same step of §10.8.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.independent import election_verifier as ev

# The outside verifier's campaign (subprocesses of the CLI) runs with --runslow, as CI does.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
VOTERS, CANDIDATES, SEATS = 5, 5, 3  # R = 2: k = 2 range bits, weights (1, 1)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "ballot.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def referee(path: Path) -> tuple[int | None, str]:
    """`ballot verify`: (None, output) if it accepts, else (failed step or 0, output)."""
    proc = run_cli("verify", str(path))
    if proc.returncode == 0:
        return None, proc.stdout
    found = re.search(r"RESULT: INVALID — step (\d+):", proc.stdout)
    assert found or "Cannot read the record" in proc.stdout + proc.stderr, proc.stdout
    return (int(found.group(1)) if found else 0), proc.stdout


def mine(data: bytes) -> int | None:
    try:
        ev.verify(data)
    except ev.Invalid as exc:
        return exc.step
    return None


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("indep") / "election.json"
    proc = run_cli(
        "simulate",
        "--election",
        "--voters",
        str(VOTERS),
        "--candidates",
        str(CANDIDATES),
        "--seats",
        str(SEATS),
        "--seed",
        "indep",
        "-o",
        str(path),
    )
    assert proc.returncode == 0, proc.stderr
    return path


# ------------------------------------------------------------- forging from the document


def _rand() -> int:
    return int.from_bytes(secrets.token_bytes(64), "little") % ev.L or 1


def _bit(e: ev.Election, name: str, ctx: int, m: int) -> tuple[dict[str, Any], int]:
    """Encrypt m ∈ {0, 1} with its §10.4 bit proof, by the prover of the document."""
    r = _rand()
    a = ev.mul_base(r)
    b = ev.add(ev.mul_base(m), ev.mul(r, e.K))
    w, c_sim, z_sim = _rand(), _rand(), _rand()
    sim = 1 - m
    b_sim = ev.sub(b, ev.mul_base(sim))
    commit = {
        sim: (
            ev.sub(ev.mul_base(z_sim), ev.mul(c_sim, a)),
            ev.sub(ev.mul(z_sim, e.K), ev.mul(c_sim, b_sim)),
        ),
        m: (ev.mul_base(w), ev.mul(w, e.K)),
    }
    A0, B0 = commit[0]
    A1, B1 = commit[1]
    c = ev.hs(ev.tag(name), e.fp, e.K, ev.u32(ctx), a, b, A0, B0, A1, B1)
    c_m = (c - c_sim) % ev.L
    z_m = (w + c_m * r) % ev.L
    c0, z0, z1 = (c_sim, z_sim, z_m) if m == 1 else (c_m, z_m, z_sim)
    proof = [p.hex() for p in (A0, B0, A1, B1)] + [ev.sc(x).hex() for x in (c0, z0, z1)]
    return {"a": a.hex(), "b": b.hex(), "proof": proof}, r


def forge_ballot(e: ev.Election, kept: list[int]) -> dict[str, Any]:
    """A ballot keeping `kept` (0/1 per candidate); outside [m0, S] its esum proof is false."""
    cts, rho = [], 0
    for j, x in enumerate(kept):
        cell, r = _bit(e, "ebit", j, x)
        cts.append(cell)
        rho += r
    v = min(max(sum(kept) - e.m0, 0), e.S - e.m0)  # what the range bits can express
    betas = [0] * e.k
    if e.k and v > 2 ** (e.k - 1) - 1:
        betas[-1], v = 1, v - e.weights[-1]
    for i in range(e.k - 1):
        betas[i] = (v >> i) & 1
    bits = []
    for i, beta in enumerate(betas):
        cell, s = _bit(e, "rbit", i, beta)
        bits.append(cell)
        rho -= e.weights[i] * s
    pts = [bytes.fromhex(c[x]) for c in cts + bits for x in ("a", "b")]
    X, Y = ev.IDENTITY, ev.sub(ev.IDENTITY, ev.mul_base(e.m0)) if e.m0 else ev.IDENTITY
    for j in range(e.C):
        X, Y = ev.add(X, pts[2 * j]), ev.add(Y, pts[2 * j + 1])
    for i in range(e.k):
        w_i = e.weights[i]
        X = ev.sub(X, ev.mul(w_i, pts[2 * (e.C + i)]))
        Y = ev.sub(Y, ev.mul(w_i, pts[2 * (e.C + i) + 1]))
    w = _rand()
    P, Q = ev.mul_base(w), ev.mul(w, e.K)
    head = (e.fp, e.K, ev.u32(e.C), ev.u32(e.m0), ev.u32(e.S), ev.u32(e.k))
    c = ev.hs(ev.tag("esum"), *head, *pts, X, Y, P, Q)
    z = (w + c * rho) % ev.L
    return {
        "fingerprint": e.fp.hex(),
        "cts": cts,
        "range": {"bits": bits, "proof": [P.hex(), Q.hex(), ev.sc(z).hex()]},
    }


def tracker_of(ballot: dict[str, Any], e: ev.Election) -> bytes:
    """§10.5 canonical bytes, hashed."""
    parts = [ev.tag("eballot"), e.fp, ev.u32(e.C), ev.u32(e.k)]
    for cell in ballot["cts"] + ballot["range"]["bits"]:
        parts += [bytes.fromhex(cell["a"]), bytes.fromhex(cell["b"])]
        parts += [bytes.fromhex(p) for p in cell["proof"]]
    parts += [bytes.fromhex(p) for p in ballot["range"]["proof"]]
    return ev.h256(*parts)


def rechain(r: dict[str, Any], e: ev.Election) -> None:
    """Re-number the board, recompute trackers, chain and closing (§5, §7.3)."""
    h = e.fp
    for n, entry in enumerate(r["board"], start=1):
        entry["seq"] = n
        t = tracker_of(entry["ballot"], e)
        h = ev.h256(ev.tag("board"), h, t, ev.u32(n))
        entry["tracker"], entry["chain"] = t.hex(), h.hex()
    att, n = r["attendance"], len(r["board"])
    closing = ev.h256(
        ev.tag("close"),
        h,
        ev.u32(n),
        ev.u32(att["summoned"]),
        ev.u32(att["present"]),
        ev.u32(att["issued"]),
    )
    r["closing"] = {"count": n, "head": h.hex(), "hash": closing.hex()}


def election_of(r: dict[str, Any], lenient: bool = False) -> ev.Election:
    """The election's parameters from check 2; `lenient` (for forging the records check 2
    must refuse) reads them from a copy whose kind and majority base are valid."""
    e = ev.Election()
    manifest = r["manifest"]
    if lenient:
        manifest = json.loads(json.dumps(manifest))
        manifest["rules"]["election"].update(kind="committee", majority_base="convened")
    ev.check_manifest(manifest, e)
    ev.check_fingerprint(r, e)
    return e


def forge_record(
    C: int,
    S: int,
    kept: list[list[int]],
    t: int = 2,
    n: int = 3,
    tweak: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """A whole election record built from the document alone: our own key ceremony (§6.2,
    §6.4), manifest (§7.1, §10.2), ballots (§10.4-10.5), closing (§7.3), aggregate,
    decryption shares with "dec" proofs (§4.3) and result (§10.7)."""
    m0 = 1 if C > S else 0
    trustees = [{"index": x, "name": f"Thành viên {x}"} for x in range(1, n + 1)]
    vote_id = "INDEP-" + secrets.token_hex(4)
    cid = ev.h256(
        ev.canonical_json({"version": 1, "vote_id": vote_id, "threshold": t, "trustees": trustees})
    )
    polys, dealers = [], []
    for x in range(1, n + 1):
        e_x = _rand()
        coeffs = [_rand() for _ in range(t)]
        w = _rand()
        E = ev.mul_base(e_x)
        Cs = [ev.mul_base(a) for a in coeffs]
        c = ev.hs(ev.tag("pok"), cid, ev.u32(x), ev.u32(t), ev.u32(n), E, *Cs, ev.mul_base(w))
        z = (w + c * coeffs[0]) % ev.L
        polys.append(coeffs)
        dealers.append(
            {
                "index": x,
                "ceremony_key": E.hex(),
                "commitments": [p.hex() for p in Cs],
                "pok": [ev.sc(c).hex(), ev.sc(z).hex()],
            }
        )
    shares = [
        sum(sum(a * y**k for k, a in enumerate(f)) for f in polys) % ev.L for y in range(1, n + 1)
    ]
    K = ev.mul_base(sum(f[0] for f in polys))
    level = {"code": "keep", "label": "Giữ lại"} if C > S else {"code": "agree", "label": "Đồng ý"}
    manifest = {
        "version": 1,
        "vote_id": vote_id,
        "title": "Bầu thử (kiểm tra độc lập)",
        "conference": "Đại hội (kiểm tra độc lập)",
        "subjects": [{"name": f"Ứng viên {j + 1}", "position": "Đại biểu"} for j in range(C)],
        "levels": [level],
        "rules": {
            "quorum": [2, 3],
            "thresholds": {"majority": [1, 2]},
            "blank_row_allowed": True,
            "election": {
                "regulation": "190-QĐ/TW",
                "kind": "committee",
                "seats": S,
                "candidates": C,
                "min_kept": m0,
                "with_surplus": C > S,
                "majority_base": "convened",
                "surplus_decision": "",
            },
        },
        "trustees": trustees,
        "threshold": t,
        "dkg": {"ceremony_id": cid.hex(), "dealers": dealers},
        "public_key": K.hex(),
        "verification_keys": [ev.mul_base(s_y).hex() for s_y in shares],
    }
    if tweak:
        tweak(manifest)
    fp = ev.h256(ev.canonical_json(manifest))
    r: dict[str, Any] = {"manifest": manifest, "fingerprint": fp.hex()}
    e = election_of(r, lenient=True)
    voters = len(kept)
    r = {
        "format": "ballot-election-record",
        "version": 1,
        "manifest": manifest,
        "fingerprint": fp.hex(),
        "attendance": {"summoned": voters, "present": voters, "issued": voters},
        "board": [{"ballot": forge_ballot(e, choice)} for choice in kept],
    }
    rechain(r, e)
    agg = []
    for j in range(C):
        a = b = ev.IDENTITY
        for entry in r["board"]:
            a = ev.add(a, bytes.fromhex(entry["ballot"]["cts"][j]["a"]))
            b = ev.add(b, bytes.fromhex(entry["ballot"]["cts"][j]["b"]))
        agg.append((a, b))
    r["aggregate"] = [[{"a": a.hex(), "b": b.hex()}] for a, b in agg]
    decryption = []
    for x in range(1, t + 1):
        s_x, V = shares[x - 1], ev.mul_base(shares[x - 1])
        parts = []
        for j, (a, b) in enumerate(agg):
            D, w = ev.mul(s_x, a), _rand()
            A, Cc = ev.mul_base(w), ev.mul(w, a)
            c = ev.hs(ev.tag("dec"), fp, K, ev.u32(x), ev.u32(j), ev.u32(0), a, b, V, D, A, Cc)
            parts.append([{"d": D.hex(), "proof": [ev.sc(c).hex(), ev.sc(w + c * s_x).hex()]}])
        decryption.append({"index": x, "parts": parts})
    r["decryption"] = decryption
    counts = [sum(choice[j] for choice in kept) for j in range(C)]
    r["result"] = {"received": voters, "valid": voters, "invalid": 0, "counts": counts}
    return r


# ------------------------------------------------------------------------ mutations

Mutation = Callable[[dict[str, Any]], Any]


def _other_point(r: dict[str, Any]) -> None:
    r["board"][0]["ballot"]["cts"][0]["a"] = ev.mul_base(_rand()).hex()


def _ballot_fingerprint(r: dict[str, Any]) -> None:
    # not in the canonical bytes (§10.5): the tracker and chain stay right
    r["board"][-1]["ballot"]["fingerprint"] = "00" * 32


def _swap_ballots(r: dict[str, Any]) -> None:
    b = r["board"]
    b[0]["ballot"], b[1]["ballot"] = b[1]["ballot"], b[0]["ballot"]


def _swap_entries(r: dict[str, Any]) -> None:
    b = r["board"]
    b[0], b[1] = b[1], b[0]
    b[0]["seq"], b[1]["seq"] = 1, 2


def _count(r: dict[str, Any]) -> None:
    r["result"]["counts"][0] += 1


def _counts_moved(r: dict[str, Any]) -> None:
    c = r["result"]["counts"]
    c[0], c[1] = c[0] + 1, c[1] - 1


def _share(r: dict[str, Any]) -> None:
    r["decryption"][0]["parts"][0][0]["d"] = ev.mul_base(_rand()).hex()


def _share_proof(r: dict[str, Any]) -> None:
    proof = r["decryption"][-1]["parts"][-1][0]["proof"]
    proof[1] = ev.sc(int.from_bytes(bytes.fromhex(proof[1]), "little") + 1).hex()


def _drop_last_entry(r: dict[str, Any]) -> None:
    r["board"].pop()


def _drop_first_entry(r: dict[str, Any]) -> None:
    r["board"].pop(0)


def _drop_and_rechain(r: dict[str, Any]) -> None:
    r["board"].pop(0)
    rechain(r, election_of(r))


def _title(r: dict[str, Any]) -> None:
    r["manifest"]["title"] += " (sửa)"


def _seats(r: dict[str, Any]) -> None:
    r["manifest"]["rules"]["election"]["seats"] += 1
    r["fingerprint"] = ev.h256(ev.canonical_json(r["manifest"])).hex()


def _public_key(r: dict[str, Any]) -> None:
    r["manifest"]["public_key"] = ev.mul_base(_rand()).hex()
    r["fingerprint"] = ev.h256(ev.canonical_json(r["manifest"])).hex()


def _attendance(r: dict[str, Any]) -> None:
    r["attendance"]["summoned"] += 1  # still a quorum; the closing hash binds it


def _replace_first(kept: Callable[[ev.Election], list[int]]) -> Mutation:
    def mutate(r: dict[str, Any]) -> None:
        e = election_of(r)
        r["board"][0]["ballot"] = forge_ballot(e, kept(e))
        rechain(r, e)

    return mutate


def _copy_ciphertext(r: dict[str, Any]) -> None:
    r["board"][1]["ballot"]["cts"][0] = copy.deepcopy(r["board"][0]["ballot"]["cts"][0])
    rechain(r, election_of(r))


def _small_order(r: dict[str, Any]) -> None:
    # a point of order 8 added to a ciphertext: decodes, but is not in the subgroup (§1)
    t8 = bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")
    a = bytes.fromhex(r["board"][0]["ballot"]["cts"][0]["a"])
    r["board"][0]["ballot"]["cts"][0]["a"] = ev.crypto_core_ed25519_add(a, t8).hex()


def _text(old: str, new: str) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        assert old.encode() in data
        return data.replace(old.encode(), new.encode(), 1)

    return mutate


def _set(path: str, value: Any) -> Mutation:
    """Set the value at a dotted path (list indices as numbers)."""

    def mutate(r: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        node: Any = r
        for p in parents:
            node = node[p]
        node[last] = value

    return mutate


def _dealers_reversed(r: dict[str, Any]) -> None:
    r["manifest"]["dkg"]["dealers"].reverse()
    r["fingerprint"] = ev.h256(ev.canonical_json(r["manifest"])).hex()


def _shares_reversed(r: dict[str, Any]) -> None:
    r["decryption"].reverse()


# name: (mutation, the step of §10.8 that must fail; 0 = unreadable JSON, §2.1)
MUTATIONS: dict[str, tuple[Mutation, int]] = {
    "changed ciphertext": (_other_point, 6),
    "small-order component in a ciphertext": (_small_order, 6),
    "ballots swapped between entries": (_swap_ballots, 6),
    "ballot's own fingerprint changed": (_ballot_fingerprint, 6),
    "entries swapped, seq renumbered": (_swap_entries, 6),
    "copied ciphertext, re-chained": (_copy_ciphertext, 6),
    "forged ballot keeping S + 1, re-chained": (
        _replace_first(lambda e: [1] * (e.S + 1) + [0] * (e.C - e.S - 1)),
        6,
    ),
    "forged ballot keeping none (m0 = 1), re-chained": (_replace_first(lambda e: [0] * e.C), 6),
    "forged ballot in range, re-chained": (
        _replace_first(lambda e: [1] * e.S + [0] * (e.C - e.S)),
        8,
    ),
    "changed count": (_count, 10),
    "counts moved, same total": (_counts_moved, 10),
    "changed share": (_share, 9),
    "changed share proof": (_share_proof, 9),
    "dropped last board entry": (_drop_last_entry, 7),
    "dropped first board entry": (_drop_first_entry, 6),
    "dropped entry, re-chained": (_drop_and_rechain, 8),
    "changed manifest title": (_title, 3),
    "changed seats, re-fingerprinted": (_seats, 6),
    "changed public key, re-fingerprinted": (_public_key, 4),
    "changed attendance": (_attendance, 7),
    # where each type is checked (§10.8 check 1: typed where read)
    "fingerprint not a string": (_set("fingerprint", 5), 3),
    "closing.head not a string": (_set("closing.head", 5), 7),
    "aggregate not an array": (_set("aggregate", {}), 8),
    "counts not an array": (_set("result.counts", "x"), 10),
    "received a string": (_set("result.received", "5"), 11),
    "extra key in a board entry": (_set("board.0.extra", 1), 6),
    "extra key in closing": (_set("closing.extra", 1), 1),
    "share index not a trustee": (_set("decryption.1.index", 7), 9),
    "shares in decreasing order": (_shares_reversed, 9),
    "dealers reversed, re-fingerprinted": (_dealers_reversed, 4),
}
TEXT_MUTATIONS: dict[str, tuple[Callable[[bytes], bytes], int]] = {
    "duplicate key": (
        _text(
            '"format":"ballot-election-record"', '"format":"x","format":"ballot-election-record"'
        ),
        0,
    ),
    "float version": (_text('"version":1', '"version":1.0'), 0),
}
# §2.1 types are exact; `ballot verify` reads these as 1 and 0 (true == 1 in Python).
INEXACT_TYPES: dict[str, tuple[Callable[[bytes], bytes], int]] = {
    "version true": (_text('"version":1,"manifest"', '"version":true,"manifest"'), 1),
    "seq true": (_text('{"seq":1,', '{"seq":true,'), 6),
    "invalid false": (_text('"invalid":0', '"invalid":false'), 11),
}
FAST = {"changed ciphertext", "changed count"}


def compact(r: dict[str, Any]) -> bytes:
    return json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode()


def tampered(genuine: Path, name: str) -> bytes:
    data = compact(json.loads(genuine.read_bytes()))
    if name in TEXT_MUTATIONS:
        return TEXT_MUTATIONS[name][0](data)
    if name in INEXACT_TYPES:
        return INEXACT_TYPES[name][0](data)
    r = json.loads(data)
    MUTATIONS[name][0](r)
    return compact(r)


def expected_step(name: str) -> int:
    for table in (MUTATIONS, TEXT_MUTATIONS, INEXACT_TYPES):
        if name in table:
            return table[name][1]
    raise KeyError(name)


# ------------------------------------------------------------------------ tests


def test_genuine_record_accepted_with_the_referees_counts_and_anchors(genuine: Path) -> None:
    data = genuine.read_bytes()
    rep = ev.verify(data)
    step, out = referee(genuine)
    assert step is None, out
    record = json.loads(data)
    assert rep.counts == record["result"]["counts"]
    assert rep.ballots == VOTERS and sum(rep.counts) <= SEATS * VOTERS
    # the referee's ranking lines: "rank | name | votes | % | outcome"
    names = [s["name"] for s in rep.manifest["subjects"]]
    theirs = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) == 5 and cells[1] in names:
            theirs[cells[1]] = int(cells[2])
    assert theirs == dict(zip(names, rep.counts, strict=True))
    # the anchors the document names (§8.1, §11) as the verifier prints them
    assert rep.fingerprint.hex() == record["fingerprint"]
    assert rep.closing.hex() == record["closing"]["hash"]
    assert rep.file_sha256 == hashlib.sha256(data).digest()


def test_a_reserialised_genuine_record_is_still_accepted(genuine: Path) -> None:
    r = json.loads(genuine.read_bytes())
    assert mine(json.dumps(r, indent=2, ensure_ascii=True).encode()) is None


@pytest.mark.parametrize("name", sorted(MUTATIONS) + sorted(TEXT_MUTATIONS) + sorted(INEXACT_TYPES))
def test_independent_verifier_rejects_at_the_step_of_the_document(genuine: Path, name: str) -> None:
    assert mine(tampered(genuine, name)) == expected_step(name)


def _referee_case(genuine: Path, tmp_path: Path, name: str) -> None:
    path = tmp_path / "tampered.json"
    path.write_bytes(tampered(genuine, name))
    step, out = referee(path)
    assert step == expected_step(name), out


@pytest.mark.parametrize("name", sorted(FAST))
def test_referee_rejects_at_the_same_step(genuine: Path, tmp_path: Path, name: str) -> None:
    _referee_case(genuine, tmp_path, name)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(set(MUTATIONS) - FAST) + sorted(TEXT_MUTATIONS))
def test_referee_rejects_at_the_same_step_slow(genuine: Path, tmp_path: Path, name: str) -> None:
    _referee_case(genuine, tmp_path, name)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(INEXACT_TYPES))
def test_referee_refuses_inexact_types(genuine: Path, tmp_path: Path, name: str) -> None:
    _referee_case(genuine, tmp_path, name)


BUILT_KEPT = [[1, 1, 0, 0], [0, 1, 1, 0], [1, 0, 0, 0]]


def test_a_record_built_from_the_document_alone_verifies() -> None:
    """Our own key ceremony, ballots, shares and proofs, from the document."""
    r = forge_record(4, 3, BUILT_KEPT)
    assert ev.verify(compact(r)).counts == [2, 2, 1, 0]
    # and a ballot keeping all four (S = 3) cannot be given a valid range proof
    e = election_of(r)
    r["board"][0]["ballot"] = forge_ballot(e, [1, 1, 1, 1])
    rechain(r, e)
    assert mine(compact(r)) == 6


@pytest.mark.slow
def test_a_record_built_from_the_document_alone_is_accepted_by_the_referee(
    tmp_path: Path,
) -> None:
    path = tmp_path / "built.json"
    path.write_bytes(compact(forge_record(4, 3, BUILT_KEPT)))
    step, out = referee(path)
    assert step is None, out


def _odd(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def tweak(m: dict[str, Any]) -> None:
        m["rules"]["election"][key] = value

    return tweak


@pytest.mark.slow
@pytest.mark.parametrize(
    "tweak",
    [_odd("with_surplus", False), _odd("regulation", "XYZ"), _odd("extra", [1])],
    ids=["with_surplus false on a list with surplus", "another regulation", "an extra key"],
)
def test_fields_not_checked_by_10_8_pass_both(tmp_path: Path, tweak: Any) -> None:
    """§10.8 check 2 names what it checks; the rest of rules.election is bound by fp only."""
    data = compact(forge_record(4, 3, [[1, 0, 0, 0], [0, 1, 1, 0]], tweak=tweak))
    assert mine(data) is None
    path = tmp_path / "odd.json"
    path.write_bytes(data)
    assert referee(path)[0] is None


@pytest.mark.slow
@pytest.mark.parametrize(
    "tweak",
    [_odd("majority_base", "zzz"), _odd("kind", 7)],
    ids=["majority_base outside §10.2", "kind not a string"],
)
def test_an_unknown_kind_or_majority_base_is_refused_at_check_2_by_both(
    tmp_path: Path, tweak: Any
) -> None:
    """Who is elected cannot be stated from such a record: both refuse it, at the manifest."""
    data = compact(forge_record(4, 3, [[1, 0, 0, 0], [0, 1, 1, 0]], tweak=tweak))
    assert mine(data) == 2
    path = tmp_path / "odd.json"
    path.write_bytes(data)
    proc = run_cli("verify", str(path))
    assert referee(path)[0] == 2 and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_an_empty_election_verifies_and_elects_nobody(tmp_path: Path) -> None:
    """An empty board with 0 summoned: valid, exit 0, nobody elected, no traceback."""
    data = compact(forge_record(4, 3, []))
    assert mine(data) is None
    path = tmp_path / "empty.json"
    path.write_bytes(data)
    proc = run_cli("verify", str(path))
    assert proc.returncode == 0, proc.stderr[-300:]
    assert "RESULT: the record is valid" in proc.stdout and "Traceback" not in proc.stderr
    assert "Trúng cử / Elected: 0 / 3" in proc.stdout


# ------------------------------------------------------------ confidence vote (§8)


@pytest.fixture(scope="module")
def confidence(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("indep") / "confidence.json"
    proc = run_cli(
        "simulate",
        *("--voters", "4", "--subjects", "2", "--levels", "3", "--threshold", "2/3"),
        *("--blank-rate", "0.3", "--seed", "indep", "-o", str(path)),
    )
    assert proc.returncode == 0, proc.stderr
    return path


def _v1_count(r: dict[str, Any]) -> None:
    s = r["result"]["subjects"][0]
    s["counts"][0] += 1
    s["valid"] += 1
    s["invalid"] -= 1


def _v1_invalid(r: dict[str, Any]) -> None:
    r["result"]["subjects"][1]["invalid"] += 1


def _v1_bit_proof(r: dict[str, Any]) -> None:
    proof = r["board"][0]["ballot"]["rows"][0]["cts"][0]["proof"]
    proof[0], proof[2] = proof[2], proof[0]  # c0 ↔ c1: same sum, wrong branches


def _v1_row_proof(r: dict[str, Any]) -> None:
    proof = r["board"][-1]["ballot"]["rows"][-1]["row_proof"]
    proof[1] = ev.sc(int.from_bytes(bytes.fromhex(proof[1]), "little") + 1).hex()


V1_MUTATIONS: dict[str, tuple[Mutation, int]] = {
    "count moved from blank to a level": (_v1_count, 10),
    "invalid changed": (_v1_invalid, 11),
    "bit proof challenges swapped": (_v1_bit_proof, 6),
    "row proof changed": (_v1_row_proof, 6),
    "changed share": (_share, 9),
}


@pytest.mark.slow
def test_confidence_vote_record_checked_by_section_8(confidence: Path, tmp_path: Path) -> None:
    data = confidence.read_bytes()
    rep = ev.verify(data)
    step, out = referee(confidence)
    assert step is None, out
    # the referee prints the anchors of §8.1: the same digits, groups of four
    assert f"Election fingerprint: {ev.grouped(rep.fingerprint)}" in out
    assert f"Closing hash: {ev.grouped(rep.closing)}" in out
    assert f"SHA-256 of the record file: {ev.grouped(rep.file_sha256)}" in out
    for i, (subject, counts) in enumerate(zip(rep.manifest["subjects"], rep.counts, strict=True)):
        cells = ", ".join(
            f"{lv['label']} {c}" for lv, c in zip(rep.manifest["levels"], counts, strict=True)
        )
        assert f"{i + 1}. {subject['name']}: {cells};" in out
    for name, (mutate, expected) in V1_MUTATIONS.items():
        r = json.loads(data)
        mutate(r)
        bad = compact(r)
        assert mine(bad) == expected, name
        path = tmp_path / "tampered.json"
        path.write_bytes(bad)
        assert referee(path)[0] == expected, name
