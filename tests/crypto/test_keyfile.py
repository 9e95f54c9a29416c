"""Key files (scrypt + AES-256-GCM) and printed key cards."""

from __future__ import annotations

import copy
import json
import unicodedata
from typing import Any

import pytest

from ballot.crypto.errors import KeyFileError
from ballot.crypto.keyfile import card_text, open_key, parse_card, seal_key

from .conftest import Election

#: The least cost readers accept (every file below is sealed at it: ~0.2-0.5 s each).
FAST: dict[str, Any] = {"log_n": 16, "r": 8, "p": 1}


@pytest.fixture(scope="module")
def sealed(election: Election) -> dict[str, Any]:
    """Member 1's key sealed once under "pw" for the tests that change a copy of it (each
    scrypt run at the least cost takes ~0.2-0.5 s)."""
    return seal_key(election.keys[0], "TEST-1", "pw", **FAST)


def _flip_first_ciphertext_byte(doc: dict[str, Any]) -> None:
    """Change the first ciphertext byte for certain (writing 00 would not, if it was 00)."""
    first = int(doc["ciphertext"][:2], 16) ^ 0x01
    doc["ciphertext"] = f"{first:02x}" + doc["ciphertext"][2:]


def test_seal_and_open_round_trip(election: Election) -> None:
    key = election.keys[1]
    doc = seal_key(key, "TEST-1", "Mật khẩu dài", **FAST)
    assert open_key(doc, "Mật khẩu dài") == key
    # the passphrase is compared in NFC: a decomposed spelling opens the file too
    assert open_key(doc, unicodedata.normalize("NFD", "Mật khẩu dài")) == key


def test_default_parameters_are_memory_hard(election: Election) -> None:
    doc = seal_key(election.keys[0], "TEST-1", "x")
    assert doc["header"]["kdf"] == doc["header"]["kdf"] | {"log_n": 16, "r": 8, "p": 1}


def test_wrong_passphrase_is_refused(election: Election) -> None:
    doc = seal_key(election.keys[0], "TEST-1", "đúng", **FAST)
    with pytest.raises(KeyFileError, match="passphrase"):
        open_key(doc, "sai")


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["header"].update(index=3),
        lambda d: d["header"].update(vote_id="OTHER"),
        lambda d: d["header"]["kdf"].update(log_n=17),
        _flip_first_ciphertext_byte,
    ],
)
def test_tampered_key_file_is_refused(sealed: dict[str, Any], change: object) -> None:
    bad = copy.deepcopy(sealed)
    change(bad)  # type: ignore[operator]
    with pytest.raises(KeyFileError):
        open_key(bad, "pw")


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["header"]["kdf"].update(log_n=30),
        lambda d: d["header"]["kdf"].update(p=99),
        lambda d: d["header"].update(format="other"),
        lambda d: d.pop("ciphertext"),
        lambda d: d["header"].update(verification_key="01" + "00" * 31),
    ],
)
def test_hostile_headers_are_refused_before_any_work(
    sealed: dict[str, Any], change: object
) -> None:
    doc = copy.deepcopy(sealed)
    change(doc)  # type: ignore[operator]
    with pytest.raises(KeyFileError):
        open_key(doc, "pw")


def test_card_round_trip_and_typo_detection(election: Election) -> None:
    doc = seal_key(election.keys[2], "TEST-1/tín nhiệm", "pw", **FAST)
    text = card_text(doc)
    assert parse_card(text) == doc
    assert parse_card(text.lower()) == doc  # typed in lowercase
    lines = text.splitlines()
    first = lines.index(next(line for line in lines if line.startswith("01  ")))
    data_line = lines[first + 1]
    typo = data_line[:6] + ("A" if data_line[6] != "A" else "B") + data_line[7:]
    with pytest.raises(KeyFileError, match="checksum"):
        parse_card("\n".join(lines[: first + 1] + [typo] + lines[first + 2 :]))
    with pytest.raises(KeyFileError, match="missing"):
        parse_card("\n".join(lines[: first + 1] + lines[first + 2 :]))
    assert open_key(parse_card(text), "pw") == election.keys[2]


def test_card_is_vietnamese_first_with_english_below(election: Election) -> None:
    doc = seal_key(election.keys[1], "DUK-TV-2025-01", "pw", **FAST)
    lines = card_text(doc).splitlines()
    assert lines[0] == "THẺ KHÓA THÀNH VIÊN BAN KIỂM PHIẾU"
    assert lines[1] == "Cuộc lấy phiếu: DUK-TV-2025-01 | Thành viên số 2"
    english = lines.index("COUNTING COMMITTEE MEMBER KEY CARD (ballot/v1)")
    assert english > 2 and lines[english + 1] == "Vote: DUK-TV-2025-01 | Member no. 2"
    assert all(not line[:2].isdigit() for line in lines[: english + 3])  # headings are not read
    assert parse_card("\n".join(lines)) == doc


@pytest.mark.parametrize(
    ("kdf", "words"),
    [
        ({"log_n": 15}, "log_n = 15 is below the minimum 16"),
        ({"log_n": 10}, "log_n = 10 is below the minimum 16"),
        ({"r": 1}, "r = 1 is below the minimum 8"),
    ],
)
def test_weaker_key_files_are_refused_with_a_clear_message(
    election: Election, sealed: dict[str, Any], kdf: dict[str, int], words: str
) -> None:
    """A file sealed below the minimum cost (an older version wrote 2^15) is refused, before
    any scrypt work, by name; and no writer makes one."""
    doc = copy.deepcopy(sealed)
    doc["header"]["kdf"].update(kdf)
    with pytest.raises(KeyFileError, match=words) as refused:
        open_key(doc, "pw")
    assert "hãy tạo tệp khóa mới" in refused.value.vi
    with pytest.raises(KeyFileError, match=words):
        seal_key(election.keys[0], "TEST-1", "pw", **(FAST | kdf))


def test_key_file_text_is_parsed_strictly(election: Election, sealed: dict[str, Any]) -> None:
    doc = copy.deepcopy(sealed)
    text = json.dumps(doc)
    assert open_key(text, "pw") == election.keys[0]
    forged = text.replace('"index": 1', '"index": 2, "index": 1', 1)
    with pytest.raises(KeyFileError, match="duplicate JSON key"):
        open_key(forged, "pw")
    with pytest.raises(KeyFileError, match="not an integer"):
        open_key(text.replace('"version": 1', '"version": 1.0', 1), "pw")
    as_true = copy.deepcopy(doc)
    as_true["header"]["version"] = True
    with pytest.raises(KeyFileError, match="version"):
        open_key(as_true, "pw")
    nfd = copy.deepcopy(doc)
    nfd["header"]["vote_id"] = unicodedata.normalize("NFD", "Lấy phiếu")
    with pytest.raises(KeyFileError, match="NFC"):
        open_key(nfd, "pw")
