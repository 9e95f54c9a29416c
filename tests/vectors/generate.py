"""Build the known-answer vectors of tests/vectors/*.json from fixed inputs.

Run `python tests/vectors/generate.py` to (re)write the files; tests/crypto/test_vectors.py
rebuilds every vector and checks that the committed files are identical. All randomness is
explicit: each scalar a computation draws is listed in the vector's "inputs".
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ballot.crypto import board as board_mod
from ballot.crypto import dkg, keyfile, proofs, tally
from ballot.crypto.ballot import encrypt_ballot, short_code, verify_ballot
from ballot.crypto.context import ElectionContext
from ballot.crypto.elgamal import add_all, encrypt
from ballot.crypto.encoding import canonical_json, h256
from ballot.crypto.group import IDENTITY, B, L, Point, Scalar
from ballot.crypto.manifest import fingerprint

HERE = Path(__file__).parent
P = 2**255 - 19
D = (-121665 * pow(121666, -1, P)) % P


def fixed(label: str) -> Scalar:
    """A fixed scalar that looks random: Hs("ballot/v1/test-vector/" ‖ label)."""
    return Scalar.from_hash(b"ballot/v1/test-vector/" + label.encode())


def replay(scalars: list[Scalar]) -> Callable[[], Scalar]:
    """An rng that returns the given scalars in order and fails if asked for more."""
    it: Iterator[Scalar] = iter(scalars)
    return lambda: next(it)


def le_hex(value: int) -> str:
    return value.to_bytes(32, "little").hex()


# --- group ---------------------------------------------------------------------------------


def _not_on_curve_y() -> int:
    y = 2
    while True:
        u, v = (y * y - 1) % P, (D * y * y + 1) % P
        x2 = u * pow(v, P - 2, P) % P
        if x2 != 0 and pow(x2, (P - 1) // 2, P) != 1:
            return y
        y += 1


def group_vectors() -> dict[str, Any]:
    k1, k2 = fixed("group/k1"), fixed("group/k2")
    p1, p2 = Point.base_times(k1), Point.base_times(k2)
    order8 = bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")
    from nacl.bindings import crypto_core_ed25519_add

    mixed = crypto_core_ed25519_add(B.to_bytes(), order8)
    wide = bytes(range(64))
    return {
        "description": "Group constants, scalar and point encodings (valid and invalid), "
        "group operations, Hs and the reduction of 64 random bytes.",
        "constants": {
            "L": str(L),
            "L_le_hex": le_hex(L),
            "base_point": B.hex(),
            "identity": IDENTITY.hex(),
        },
        "scalars_valid": [{"value": str(v), "hex": le_hex(v)} for v in (0, 1, 2, 255, 256, L - 1)],
        "scalars_invalid": [
            {"why": "equal to L (not reduced)", "hex": le_hex(L)},
            {"why": "L + 1", "hex": le_hex(L + 1)},
            {"why": "2^256 - 1", "hex": "ff" * 32},
            {"why": "31 bytes", "hex": "01" * 31},
            {"why": "uppercase hex", "hex": le_hex(L - 1).upper()},
        ],
        "points_valid": [
            {"scalar": k1.hex(), "point": p1.hex(), "note": "scalar·B"},
            {"scalar": k2.hex(), "point": p2.hex(), "note": "scalar·B"},
            {"scalar": le_hex(1), "point": B.hex(), "note": "B"},
            {"scalar": le_hex(L - 1), "point": Point.base_times(Scalar(L - 1)).hex(), "note": "-B"},
        ],
        "points_invalid": [
            {"why": "identity (small order)", "hex": IDENTITY.hex()},
            {"why": "identity, non-canonical (x = -0)", "hex": "01" + "00" * 30 + "80"},
            {"why": "point of order 2", "hex": "ec" + "ff" * 30 + "7f"},
            {"why": "point of order 4", "hex": "00" * 32},
            {"why": "point of order 8", "hex": order8.hex()},
            {"why": "mixed order: B + (point of order 8)", "hex": mixed.hex()},
            {"why": "non-canonical: y = p", "hex": le_hex(P)},
            {"why": "non-canonical: y = p + 1", "hex": le_hex(P + 1)},
            {"why": "non-canonical: y = 2^255 - 1", "hex": "ff" * 31 + "7f"},
            {"why": "not on the curve", "hex": le_hex(_not_on_curve_y())},
            {"why": "31 bytes", "hex": p1.hex()[:62]},
        ],
        "operations": {
            "k1": k1.hex(),
            "k2": k2.hex(),
            "P1": p1.hex(),
            "P2": p2.hex(),
            "P1_plus_P2": (p1 + p2).hex(),
            "P1_minus_P2": (p1 - p2).hex(),
            "k2_times_P1": (k2 * p1).hex(),
            "k1_plus_k2": (k1 + k2).hex(),
            "k1_times_k2": (k1 * k2).hex(),
            "zero_times_P1": (Scalar(0) * p1).hex(),
            "P1_minus_P1": (p1 - p1).hex(),
        },
        "hash_to_scalar": [
            {"input": data.hex(), "Hs": Scalar.from_hash(data).hex()}
            for data in (b"", b"ballot", "Nguyễn Văn Tám".encode(), bytes(range(200)))
        ],
        "random_scalar": {
            "note": "64 random bytes read little-endian, reduced mod L (resample if zero)",
            "bytes": wide.hex(),
            "scalar": Scalar(int.from_bytes(wide, "little")).hex(),
        },
    }


# --- canonical JSON and fingerprint -----------------------------------------------------------


def sample_manifest() -> dict[str, Any]:
    """A manifest with Vietnamese text, 2 subjects × 3 levels, 2 of 3 trustees, whose keys
    come from the fixed DKG of dkg_vectors()."""
    messages = _dkg_run()["messages"]
    names = ["Trần Thị Kim Phượng", "Lữ Công Tạo", "Nguyễn Văn Tám"]
    cid = dkg.ceremony_id("DUK-TV-2025-01", 2, names)
    commits = dkg.check_commits(cid, 2, 3, messages)
    public_key, vkeys = dkg.public_keys(commits)
    return {
        "version": 1,
        "vote_id": "DUK-TV-2025-01",
        # NFC, as every hashed string must be (the NFD twin is in "canonical_refused")
        "title": "Lấy phiếu tín nhiệm giữa nhiệm kỳ",
        "conference": "Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 12",
        "subjects": [
            {"name": "Nguyễn Văn Tám", "position": "Bí thư Đảng ủy Khối"},
            {"name": "Trần Thị Kim Phượng", "position": "Phó Bí thư Thường trực"},
        ],
        "levels": [
            {"code": "high", "label": "Tín nhiệm cao"},
            {"code": "normal", "label": "Tín nhiệm"},
            {"code": "low", "label": "Tín nhiệm thấp"},
        ],
        "rules": {
            "quorum": [2, 3],
            "thresholds": {"review": [1, 2], "dismissal": [2, 3]},
            "dismissal_inclusive": True,
            "blank_row_allowed": True,
        },
        "trustees": [{"index": x, "name": n} for x, n in enumerate(names, start=1)],
        "threshold": 2,
        "dkg": {
            "ceremony_id": cid.hex(),
            "dealers": [
                {k: m[k] for k in ("ceremony_key", "commitments", "pok")} | {"index": m["from"]}
                for m in messages
            ],
        },
        "public_key": public_key.hex(),
        "verification_keys": [v.hex() for v in vkeys],
    }


def strict_parse_refusals(manifest: dict[str, Any]) -> list[dict[str, str]]:
    """JSON texts every reader of protocol documents must refuse (§2): the forged records
    of issue 14 in miniature (the forged value first, the real one last)."""
    title = json.dumps(manifest["title"], ensure_ascii=False)
    cases = [
        ("duplicate key: a forged title first, the real one last",
         '{"title":"Bầu bổ sung","version":1,"title":' + title + "}"),
        ("duplicate key: a count of 999 first, the right one last",
         '{"counts":[999,3,0],"received":5,"counts":[2,3,0]}'),
        ("a fraction standing for an integer", '{"version":1.0}'),
        ("an exponent standing for an integer", '{"seq":1e0}'),
        ("negative zero", '{"seq":-0}'),
        ("an integer beyond 2^53 - 1", '{"rules":{"max":9007199254740992}}'),
        ("an integer beyond -(2^53 - 1)", "[-9007199254740992]"),
        ("NaN", '{"count":NaN}'),
        ("a lone surrogate", '{"name":"\\ud800"}'),
        ("trailing data", '{"version":1} {"version":2}'),
    ]  # fmt: skip
    return [{"why": why, "text": text} for why, text in cases]


def canonical_refusals() -> list[dict[str, str]]:
    """JSON texts that parse but must not be hashed: canonical JSON refuses them (§2)."""
    cases = [
        ("a title in NFD (decomposed diacritics)",
         '{"title":"La\u0302\u0301y phie\u0302\u0301u ti\u0301n nhie\u0323\u0302m"}'),
        ("a level label in NFD",
         '{"levels":[{"code":"low","label":"Ti\u0301n nhie\u0323\u0302m tha\u0302\u0301p"}]}'),
        ("an NFD twin of a rules key with another value",
         '{"rules":{"mi\u1ec5n":true,"mie\u0302\u0303n":false}}'),
    ]  # fmt: skip
    return [{"why": why, "text": text} for why, text in cases]


def canonical_json_vectors() -> dict[str, Any]:
    manifest = sample_manifest()
    canonical = canonical_json(manifest)
    small = [
        {"b": 1, "a": [True, False, None], "é": "x", "e": "y", "Z": 0},
        {"s": 'quote " backslash \\ newline \n tab \t nul \u0000 del \u007f'},
        {"n": [-1, 0, 9007199254740991], "empty": {}, "list": []},
    ]
    return {
        "description": "Canonical JSON (protocol §2) and the fingerprint fp = "
        "SHA-256(canonical JSON) of a sample manifest; JSON texts a strict parser must refuse "
        "(parse_refused) and parsed values canonical JSON must refuse (canonical_refused): "
        "strings are never normalised, a string not in NFC is refused.",
        "small": [
            {
                "value": v,
                "canonical_utf8": canonical_json(v).decode(),
                "canonical_hex": canonical_json(v).hex(),
            }
            for v in small
        ],
        "parse_refused": strict_parse_refusals(manifest),
        "canonical_refused": canonical_refusals(),
        "manifest": manifest,
        "manifest_canonical_utf8": canonical.decode(),
        "manifest_canonical_hex": canonical.hex(),
        "fingerprint": fingerprint(manifest).hex(),
    }


# --- encryption and proofs -----------------------------------------------------------------


def _election() -> ElectionContext:
    manifest = sample_manifest()
    return ElectionContext(
        fingerprint(manifest), Point.from_hex(manifest["public_key"]), 2, 3, True, 2
    )


def proof_vectors() -> dict[str, Any]:
    ctx = _election()
    fp, key = ctx.fp, ctx.key
    cases: dict[str, Any] = {"fp": fp.hex(), "K": key.hex()}
    encs = []
    for m in (0, 1, 2):
        r = fixed(f"enc/r{m}")
        ct = encrypt(key, m, r)
        encs.append({"m": m, "r": r.hex(), "a": ct.a.hex(), "b": ct.b.hex()})
    cases["encryption"] = encs
    x, y = encrypt(key, 1, fixed("enc/r1")), encrypt(key, 0, fixed("enc/r0"))
    cases["homomorphic_sum"] = {
        "inputs": [x.to_json(), y.to_json()],
        "sum": (x + y).to_json(),
        "note": "encrypts 1 with randomness r1 + r0",
    }
    bits = []
    for i, k, m in ((0, 2, 0), (1, 0, 1)):
        r, w, c_sim, z_sim = (fixed(f"bit/{i}/{k}/{n}") for n in ("r", "w", "c_sim", "z_sim"))
        ct = encrypt(key, m, r)
        proof = proofs.prove_or(
            "bit", fp, key, proofs.bit_context(i, k), ct, m, r, replay([w, c_sim, z_sim])
        )
        a0, b0, a1, b1 = proofs._or_commitments(
            key, proof, proof.c0 * ct.a, proof.c1 * ct.a, proof.c0 * ct.b, proof.c1 * (ct.b - B)
        )
        hashed = (
            proofs.PREFIX
            + b"bit\x00"
            + fp
            + key.to_bytes()
            + proofs.bit_context(i, k)
            + b"".join(p.to_bytes() for p in (ct.a, ct.b, a0, b0, a1, b1))
        )
        bits.append(
            {
                "subject": i,
                "level": k,
                "m": m,
                "randomness": {
                    "r": r.hex(),
                    "w": w.hex(),
                    "c_sim": c_sim.hex(),
                    "z_sim": z_sim.hex(),
                },
                "ciphertext": ct.to_json(),
                "commitments": {"A0": a0.hex(), "B0": b0.hex(), "A1": a1.hex(), "B1": b1.hex()},
                "challenge_input_hex": hashed.hex(),
                "challenge": (proof.c0 + proof.c1).hex(),
                "proof": proof.to_json(),
            }
        )
    cases["bit"] = bits
    rows = []
    for i, choice in ((0, 1), (1, None)):
        rs = [fixed(f"row/{i}/r{k}") for k in range(3)]
        cts = [encrypt(key, 1 if choice == k else 0, r) for k, r in enumerate(rs)]
        total, total_r = add_all(cts), rs[0] + rs[1] + rs[2]
        w, c_sim, z_sim = (fixed(f"row/{i}/{n}") for n in ("w", "c_sim", "z_sim"))
        m_row = 0 if choice is None else 1
        proof = proofs.prove_or(
            "row", fp, key, proofs.row_context(i), total, m_row, total_r, replay([w, c_sim, z_sim])
        )
        rows.append(
            {
                "subject": i,
                "row_sum_plaintext": m_row,
                "cell_ciphertexts": [ct.to_json() for ct in cts],
                "row_sum": total.to_json(),
                "row_sum_randomness": total_r.hex(),
                "randomness": {"w": w.hex(), "c_sim": c_sim.hex(), "z_sim": z_sim.hex()},
                "proof": proof.to_json(),
            }
        )
    cases["row"] = rows
    rs = [fixed(f"row1/r{k}") for k in range(3)]
    cts = [encrypt(key, 1 if k == 2 else 0, r) for k, r in enumerate(rs)]
    total, total_r, w = add_all(cts), rs[0] + rs[1] + rs[2], fixed("row1/w")
    proof1 = proofs.prove_row1(fp, key, 1, total, total_r, replay([w]))
    cases["row1"] = {
        "subject": 1,
        "cell_ciphertexts": [ct.to_json() for ct in cts],
        "row_sum": total.to_json(),
        "row_sum_randomness": total_r.hex(),
        "randomness": {"w": w.hex()},
        "commitments": {"A": Point.base_times(w).hex(), "C": (w * key).hex()},
        "proof": proof1.to_json(),
    }
    return {
        "description": "Exponential ElGamal encryption and the bit, row and row1 proofs of "
        "protocol §3-4 with explicit randomness. Subjects and levels are 0-based as in the "
        "hash input u32(i) ‖ u32(k).",
        **cases,
    }


def ballot_vectors() -> dict[str, Any]:
    out = []
    base = _election()
    for blank_allowed, choices in ((True, [1, None]), (False, [2, 0])):
        ctx = ElectionContext(base.fp, base.key, 2, 3, blank_allowed, 2)
        structured = []
        flat: list[Scalar] = []
        for i in range(2):
            cells = []
            for k in range(3):
                names: tuple[str, ...] = ("r", "w", "c_sim", "z_sim")
                vals = [fixed(f"ballot/{int(blank_allowed)}/{i}/{k}/{n}") for n in names]
                cells.append({n: v.hex() for n, v in zip(names, vals, strict=True)})
                flat += vals
            names = ("w", "c_sim", "z_sim") if blank_allowed else ("w",)
            vals = [fixed(f"ballot/{int(blank_allowed)}/{i}/row/{n}") for n in names]
            structured.append(
                {
                    "cells": cells,
                    "row_proof": {n: v.hex() for n, v in zip(names, vals, strict=True)},
                }
            )
            flat += vals
        doc = encrypt_ballot(ctx, choices, replay(flat))
        checked = verify_ballot(ctx, doc, parallel=False)
        out.append(
            {
                "blank_row_allowed": blank_allowed,
                "fp": ctx.fp.hex(),
                "K": ctx.key.hex(),
                "choices": choices,
                "randomness": structured,
                "ballot": doc,
                "canonical_hex": checked.canonical.hex(),
                "tracker": checked.tracker.hex(),
                "short_code": short_code(checked.tracker),
            }
        )
    return {
        "description": "Whole 2 subjects × 3 levels ballots (protocol §5): choices are level "
        "indexes (0-based) or null for a blank row. Randomness per row: for each level "
        "r (encryption), then the bit proof's w, c_sim, z_sim; then the row proof's "
        'w, c_sim, z_sim ("row") or w ("row1", when blank rows are not allowed).',
        "ballots": out,
    }


def board_vectors() -> dict[str, Any]:
    fp = _election().fp
    trackers = [h256(f"tracker {n}".encode()) for n in range(1, 4)]
    chain, head = [], fp
    for n, tracker in enumerate(trackers, start=1):
        head = board_mod.chain_hash(head, tracker, n)
        chain.append({"seq": n, "tracker": tracker.hex(), "chain": head.hex()})
    attendance = board_mod.Attendance(summoned=22, present=20, issued=20)
    return {
        "description": 'Board hash chain h_0 = fp, h_n = SHA-256("ballot/v1/board" ‖ 0x00 ‖ '
        "h_(n-1) ‖ tracker_n ‖ u32(n)), and the closing hash (§7.3). Trackers here are "
        "arbitrary 32-byte values.",
        "fp": fp.hex(),
        "entries": chain,
        "attendance": attendance.to_json(),
        "closing": {
            "count": 3,
            "head": head.hex(),
            "hash": board_mod.closing_hash(head, 3, attendance).hex(),
        },
        "short_codes": [{"tracker": t.hex(), "short_code": short_code(t)} for t in trackers]
        + [
            {"tracker": "00" * 32, "short_code": "0000-0000"},
            {"tracker": "ff" * 32, "short_code": "ZZZZ-ZZZZ"},
        ],
    }


# --- key ceremony, key file, tally --------------------------------------------------------


def _dkg_run() -> dict[str, Any]:
    names = ["Trần Thị Kim Phượng", "Lữ Công Tạo", "Nguyễn Văn Tám"]
    cid = dkg.ceremony_id("DUK-TV-2025-01", 2, names)
    secrets, messages, draws = [], [], []
    for x in (1, 2, 3):
        vals = [fixed(f"dkg/{x}/{n}") for n in ("e", "a0", "a1", "w")]
        secret, msg = dkg.start_member(cid, x, 2, 3, replay(vals))
        secrets.append(secret)
        messages.append(msg)
        draws.append(
            {"e": vals[0].hex(), "coefficients": [vals[1].hex(), vals[2].hex()], "w": vals[3].hex()}
        )
    commits = dkg.check_commits(cid, 2, 3, messages)
    shares, u_values = [], []
    for secret in secrets:
        us = [fixed(f"dkg/{secret.index}/u{y}") for y in (1, 2, 3) if y != secret.index]
        u_values.append([u.hex() for u in us])
        shares += dkg.deal_shares(secret, commits, replay(us))
    keys, dones = [], []
    for secret in secrets:
        key, done = dkg.finish_member(secret, commits, shares)
        keys.append(key)
        dones.append(done)
    return {
        "names": names,
        "cid": cid,
        "secrets": secrets,
        "messages": messages,
        "draws": draws,
        "commits": commits,
        "shares": shares,
        "u": u_values,
        "keys": keys,
        "dones": dones,
    }


def dkg_vectors() -> dict[str, Any]:
    run = _dkg_run()
    cid, commits = run["cid"], run["commits"]
    public_key, vkeys = dkg.public_keys(commits)
    share_details = []
    for secret in run["secrets"]:
        for y in (1, 2, 3):
            if y != secret.index:
                share_details.append(
                    {"from": secret.index, "to": y, "share": secret.share_for(y).hex()}
                )
    bad = dict(run["shares"][0])
    complaint = dkg.make_complaint(run["secrets"][1], bad, replay([fixed("dkg/complaint/w")]))
    return {
        "description": "Dealer-free key ceremony (§6) for vote DUK-TV-2025-01, t = 2, n = 3. "
        "Member x draws e, coefficients a_0..a_(t-1), then w (proof of knowledge); when "
        "dealing, one ephemeral u per recipient y in increasing y.",
        "vote_id": "DUK-TV-2025-01",
        "threshold": 2,
        "trustee_names": run["names"],
        "ceremony_id_input_utf8": canonical_json(
            {
                "version": 1,
                "vote_id": "DUK-TV-2025-01",
                "threshold": 2,
                "trustees": [{"index": x, "name": n} for x, n in enumerate(run["names"], start=1)],
            }
        ).decode(),
        "ceremony_id": cid.hex(),
        "members": [
            {"index": x, "draws": d, "ephemeral_u_in_recipient_order": u, "commit": m}
            for x, (d, u, m) in enumerate(
                zip(run["draws"], run["u"], run["messages"], strict=True), start=1
            )
        ],
        "plain_shares": share_details,
        "share_messages": run["shares"],
        "final": {
            "public_key": public_key.hex(),
            "verification_keys": [v.hex() for v in vkeys],
            "secret_shares": [k.share.hex() for k in run["keys"]],
            "transcript": dkg.transcript_hash(cid, commits).hex(),
            "done_messages": run["dones"],
        },
        "complaint_example": {
            "note": "member 2 publishes a complaint about the share from member 1 "
            "(unfounded here: judge_complaint names member 2)",
            "w": fixed("dkg/complaint/w").hex(),
            "share_message": bad,
            "complaint": complaint,
            "guilty": dkg.judge_complaint(cid, commits, bad, complaint),
        },
    }


def keyfile_vectors() -> dict[str, Any]:
    run = _dkg_run()
    key = run["keys"][1]
    salt, nonce = bytes(range(16)), bytes(range(100, 112))
    passphrase = "Mật khẩu: đổi ngay!"
    doc = keyfile.seal_key(
        key, "DUK-TV-2025-01", passphrase, log_n=16, r=8, p=1, salt=salt, nonce=nonce
    )
    scrypt_key = keyfile._derive(passphrase, salt, 16, 8, 1)
    return {
        "description": "A key file (§6.5) sealed with the writers' scrypt parameters (N = 2^16, "
        "r = 8, p = 1, the least readers accept), and its printed card (§6.6): heading in "
        "Vietnamese with English below, then the numbered lines.",
        "passphrase": passphrase,
        "passphrase_utf8_hex": passphrase.encode().hex(),
        "share": key.share.hex(),
        "scrypt_key": scrypt_key.hex(),
        "aad_hex": (keyfile.AAD_TAG + canonical_json(doc["header"])).hex(),
        "key_file": doc,
        "card_hex": keyfile.card_bytes(doc).hex(),
        "card_text": keyfile.card_text(doc),
    }


def tally_vectors() -> dict[str, Any]:
    run = _dkg_run()
    manifest = sample_manifest()
    ctx = _election()
    ctx = ElectionContext(
        ctx.fp,
        ctx.key,
        2,
        3,
        True,
        2,
        tuple(enumerate([Point.from_hex(v) for v in manifest["verification_keys"]], start=1)),
    )
    plain = [[3, 1, 0], [0, 2, 1]]
    grid = [
        [encrypt(ctx.key, m, fixed(f"tally/agg/{i}/{k}")) for k, m in enumerate(row)]
        for i, row in enumerate(plain)
    ]
    shares = []
    for key in run["keys"]:
        ws = [fixed(f"tally/dec/{key.index}/{i}/{k}") for i in range(2) for k in range(3)]
        shares.append(
            {
                "w_in_order": [w.hex() for w in ws],
                "share": tally.partial_decrypt(ctx, key, grid, replay(ws)),
            }
        )
    subset = [1, 3]
    lambdas = tally.lagrange_at_zero(subset)
    checked = [tally.verify_share(ctx, grid, shares[x - 1]["share"]) for x in subset]
    combined = tally.combine(ctx, grid, checked)
    return {
        "description": 'Partial decryption with "dec" proofs (§4.3) of a 2 × 3 aggregate '
        "by all three members, and the combination of members 1 and 3 by Lagrange "
        "interpolation at 0 (§7.4). Each member draws one w per cell, row by row.",
        "fp": ctx.fp.hex(),
        "K": ctx.key.hex(),
        "verification_keys": manifest["verification_keys"],
        "aggregate": tally.aggregate_to_json(grid),
        "aggregate_plaintext": plain,
        "secret_shares": [k.share.hex() for k in run["keys"]],
        "decryption_shares": shares,
        "combination": {
            "members": subset,
            "lagrange": {str(x): lam.hex() for x, lam in lambdas.items()},
            "plaintext_points": [[m.hex() for m in row] for row in combined],
            "counts": plain,
        },
    }


VECTORS: dict[str, Callable[[], dict[str, Any]]] = {
    "group": group_vectors,
    "canonical_json": canonical_json_vectors,
    "proofs": proof_vectors,
    "ballot_2x3": ballot_vectors,
    "board": board_vectors,
    "dkg": dkg_vectors,
    "keyfile": keyfile_vectors,
    "tally": tally_vectors,
}


def render(vector: dict[str, Any]) -> str:
    """The file text: pretty JSON (UTF-8, 2-space indent), trailing newline."""
    return json.dumps(vector, ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    for name, build in VECTORS.items():
        (HERE / f"{name}.json").write_text(render(build()), encoding="utf-8")
        print(f"wrote {name}.json", file=sys.stderr)


if __name__ == "__main__":
    main()
