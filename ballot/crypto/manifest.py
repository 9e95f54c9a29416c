"""The vote manifest (protocol §7.1): building it, its fingerprint, reading it back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .context import ElectionContext
from .dkg import MAX_TRUSTEES, ceremony_id, check_commits, minimum_threshold, public_keys
from .encoding import canonical_json, h256, nfc
from .errors import BadDealer, EncodingError
from .group import Point

VERSION = 1
MAX_SUBJECTS, MAX_LEVELS = 1000, 16


def fingerprint(manifest: Mapping[str, Any]) -> bytes:
    """fp = H256(canonical_json(manifest))."""
    return h256(canonical_json(manifest))


def build_manifest(
    *,
    vote_id: str,
    title: str,
    conference: str,
    subjects: Sequence[tuple[str, str]],
    levels: Sequence[tuple[str, str]],
    rules: Mapping[str, Any],
    trustees: Sequence[str],
    threshold: int,
    commit_messages: Sequence[object],
) -> dict[str, Any]:
    """Assemble and check the manifest once the key ceremony is over.

    subjects: (name, position); levels: (code, label); rules: must hold "quorum"
    ([num, den]), "thresholds" ({name: [num, den]}) and "blank_row_allowed" (bool), and may
    hold more JSON values; trustees: names in index order (x = 1..n); commit_messages: the n
    "dkg/commit" messages. Raises BadDealer / EncodingError if the ceremony output is bad.
    """
    cid = ceremony_id(vote_id, threshold, trustees)
    commits = check_commits(cid, threshold, len(trustees), commit_messages)
    public_key, verification_keys = public_keys(commits)
    manifest = nfc(
        {
            "version": VERSION,
            "vote_id": vote_id,
            "title": title,
            "conference": conference,
            "subjects": [{"name": n, "position": p} for n, p in subjects],
            "levels": [{"code": c, "label": lab} for c, lab in levels],
            "rules": dict(rules),
            "trustees": [{"index": x, "name": n} for x, n in enumerate(trustees, start=1)],
            "threshold": threshold,
            "dkg": {
                "ceremony_id": cid.hex(),
                "dealers": [
                    {
                        "index": d.index,
                        "ceremony_key": d.ceremony_key.hex(),
                        "commitments": [c.hex() for c in d.commitments],
                        "pok": d.pok.to_json(),
                    }
                    for d in commits
                ],
            },
            "public_key": public_key.hex(),
            "verification_keys": [v.hex() for v in verification_keys],
        }
    )
    context_from_manifest(manifest)
    return manifest  # type: ignore[no-any-return]


def _err(path: str, en: str, vi: str) -> EncodingError:
    return EncodingError(f"manifest.{path}: {en}", f"manifest.{path}: {vi}")


def _keys(value: object, keys: set[str], path: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != keys:
        raise _err(path, f"expected keys {sorted(keys)}", f"cần các khóa {sorted(keys)}")
    return value


def _string(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _err(path, "expected a non-empty string", "cần một chuỗi không rỗng")
    return value


def is_int(value: object) -> bool:
    """An integer and not a bool (JSON true is not 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _list(value: object, path: str, low: int, high: int) -> list[Any]:
    if not isinstance(value, list) or not low <= len(value) <= high:
        raise _err(
            path, f"expected a list of {low}..{high} items", f"cần danh sách {low}..{high} phần tử"
        )
    return value


def _fraction(value: object, path: str) -> None:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or not 0 <= value[0] <= value[1]
        or value[1] < 1
    ):
        raise _err(
            path,
            "expected a fraction [num, den] with 0 <= num <= den",
            "cần phân số [tử, mẫu] với 0 <= tử <= mẫu",
        )


def _check_rules(rules: object) -> bool:
    if not isinstance(rules, dict) or not {"quorum", "thresholds", "blank_row_allowed"} <= set(
        rules
    ):
        raise _err(
            "rules",
            "must hold quorum, thresholds and blank_row_allowed",
            "phải có quorum, thresholds và blank_row_allowed",
        )
    _fraction(rules["quorum"], "rules.quorum")
    if not isinstance(rules["thresholds"], dict):
        raise _err("rules.thresholds", "expected an object", "cần một đối tượng")
    for name, value in rules["thresholds"].items():
        _fraction(value, f"rules.thresholds.{name}")
    if not isinstance(rules["blank_row_allowed"], bool):
        raise _err("rules.blank_row_allowed", "expected true or false", "cần true hoặc false")
    canonical_json(rules)  # other rule values: any canonical JSON (no floats)
    return rules["blank_row_allowed"]


MANIFEST_KEYS = {
    "version",
    "vote_id",
    "title",
    "conference",
    "subjects",
    "levels",
    "rules",
    "trustees",
    "threshold",
    "dkg",
    "public_key",
    "verification_keys",
}


def context_from_manifest(manifest: object) -> ElectionContext:
    """Check the manifest's shape and points (checks 2 of §8, not the key ceremony: see
    `verify_manifest_keys`) and return the context ballots and shares are checked against."""
    m = _keys(manifest, MANIFEST_KEYS, "")
    if not is_int(m["version"]) or m["version"] != VERSION:
        raise _err("version", "unsupported version", "phiên bản không được hỗ trợ")
    _string(m["vote_id"], "vote_id")
    _string(m["title"], "title")
    if not isinstance(m["conference"], str):
        raise _err("conference", "expected a string", "cần một chuỗi")
    subjects = _list(m["subjects"], "subjects", 1, MAX_SUBJECTS)
    for i, s in enumerate(subjects):
        s = _keys(s, {"name", "position"}, f"subjects[{i}]")
        _string(s["name"], f"subjects[{i}].name")
        if not isinstance(s["position"], str):
            raise _err(f"subjects[{i}].position", "expected a string", "cần một chuỗi")
    levels = _list(m["levels"], "levels", 1, MAX_LEVELS)
    for k, lev in enumerate(levels):
        lev = _keys(lev, {"code", "label"}, f"levels[{k}]")
        _string(lev["code"], f"levels[{k}].code")
        _string(lev["label"], f"levels[{k}].label")
    if len({lev["code"] for lev in levels}) != len(levels):
        raise _err("levels", "level codes must be distinct", "mã mức phải khác nhau")
    blank = _check_rules(m["rules"])
    trustees = _list(m["trustees"], "trustees", 1, MAX_TRUSTEES)
    for x, tr in enumerate(trustees, start=1):
        tr = _keys(tr, {"index", "name"}, f"trustees[{x - 1}]")
        if not is_int(tr["index"]) or tr["index"] != x:
            raise _err(f"trustees[{x - 1}].index", f"expected {x}", f"cần {x}")
        _string(tr["name"], f"trustees[{x - 1}].name")
    n = len(trustees)
    if n < 2:
        raise _err(
            "trustees",
            "the counting committee needs at least 2 members",
            "Ban kiểm phiếu cần ít nhất 2 thành viên",
        )
    least = minimum_threshold(n)
    if not is_int(m["threshold"]) or not least <= m["threshold"] <= n:
        raise _err(
            "threshold",
            f"t must be an integer with t >= 2 and t > n/2, here {least} to {n} of {n}",
            f"t phải là số nguyên, t >= 2 và t > n/2, ở đây từ {least} đến {n} trên {n}",
        )
    t: int = m["threshold"]
    dkg = _keys(m["dkg"], {"ceremony_id", "dealers"}, "dkg")
    _list(dkg["dealers"], "dkg.dealers", n, n)
    try:
        key = Point.from_hex(m["public_key"])
        vkeys = _list(m["verification_keys"], "verification_keys", n, n)
        verification = tuple((x, Point.from_hex(v)) for x, v in enumerate(vkeys, start=1))
    except EncodingError as exc:
        raise _err("public_key/verification_keys", exc.en, exc.vi) from exc
    return ElectionContext(fingerprint(m), key, len(subjects), len(levels), blank, t, verification)


def commit_messages_of(manifest: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The "dkg/commit" messages the manifest's dkg section records."""
    cid = manifest["dkg"]["ceremony_id"]
    return [
        {
            "type": "dkg/commit",
            "ceremony_id": cid,
            "from": d.get("index"),
            "ceremony_key": d.get("ceremony_key"),
            "commitments": d.get("commitments"),
            "pok": d.get("pok"),
        }
        if isinstance(d, dict) and set(d) == {"index", "ceremony_key", "commitments", "pok"}
        else d
        for d in manifest["dkg"]["dealers"]
    ]


def verify_manifest_keys(manifest: Mapping[str, Any]) -> None:
    """Key-ceremony checks (§8 checks 3-4): ceremony id, every dealer's points and proof
    of knowledge, K = Σ C_x,0 and every V_y = Σ_x Σ_k y^k C_x,k. Raises on failure."""
    names = [tr["name"] for tr in manifest["trustees"]]
    t = manifest["threshold"]
    cid = ceremony_id(manifest["vote_id"], t, names)
    if manifest["dkg"]["ceremony_id"] != cid.hex():
        raise _err(
            "dkg.ceremony_id",
            "does not match vote id, threshold and trustees",
            "không khớp mã cuộc lấy phiếu, ngưỡng và thành viên",
        )
    for x, dealer in enumerate(manifest["dkg"]["dealers"], start=1):
        if not isinstance(dealer, dict) or not is_int(dealer.get("index")) or dealer["index"] != x:
            raise _err(
                f"dkg.dealers[{x - 1}].index",
                f"expected {x}: the n dealers are listed in index order",
                f"cần {x}: n người chia khóa được liệt kê theo thứ tự",
            )
    try:
        commits = check_commits(cid, t, len(names), commit_messages_of(manifest))
    except (BadDealer, EncodingError) as exc:
        raise _err("dkg.dealers", exc.en, exc.vi) from exc
    public_key, verification_keys = public_keys(commits)
    if manifest["public_key"] != public_key.hex():
        raise _err(
            "public_key",
            "is not the sum of the dealers' constant commitments",
            "không bằng tổng các cam kết hằng số",
        )
    for y, v in enumerate(verification_keys, start=1):
        if manifest["verification_keys"][y - 1] != v.hex():
            raise _err(
                f"verification_keys[{y - 1}]",
                "does not match the commitments",
                "không khớp các cam kết",
            )
