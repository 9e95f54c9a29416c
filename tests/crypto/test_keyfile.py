"""Key files (scrypt + AES-256-GCM) and printed key cards."""

from __future__ import annotations

import copy
import unicodedata

import pytest

from ballot.crypto.errors import KeyFileError
from ballot.crypto.keyfile import card_text, open_key, parse_card, seal_key

from .conftest import Election

FAST = {"log_n": 10, "r": 8, "p": 1}


def test_seal_and_open_round_trip(election: Election) -> None:
    key = election.keys[1]
    doc = seal_key(key, "TEST-1", "Mật khẩu dài", **FAST)
    assert open_key(doc, "Mật khẩu dài") == key
    # the passphrase is compared in NFC: a decomposed spelling opens the file too
    assert open_key(doc, unicodedata.normalize("NFD", "Mật khẩu dài")) == key


def test_default_parameters_are_memory_hard(election: Election) -> None:
    doc = seal_key(election.keys[0], "TEST-1", "x")
    assert doc["header"]["kdf"] == doc["header"]["kdf"] | {"log_n": 15, "r": 8, "p": 1}


def test_wrong_passphrase_is_refused(election: Election) -> None:
    doc = seal_key(election.keys[0], "TEST-1", "đúng", **FAST)
    with pytest.raises(KeyFileError, match="passphrase"):
        open_key(doc, "sai")


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["header"].update(index=3),
        lambda d: d["header"].update(vote_id="OTHER"),
        lambda d: d["header"]["kdf"].update(log_n=11),
        # flip one bit of the first byte (writing "00" left it unchanged 1 time in 256)
        lambda d: d.update(
            ciphertext=f"{int(d['ciphertext'][:2], 16) ^ 1:02x}" + d["ciphertext"][2:]
        ),
    ],
)
def test_tampered_key_file_is_refused(election: Election, change: object) -> None:
    doc = seal_key(election.keys[0], "TEST-1", "pw", **FAST)
    bad = copy.deepcopy(doc)
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
def test_hostile_headers_are_refused_before_any_work(election: Election, change: object) -> None:
    doc = seal_key(election.keys[0], "TEST-1", "pw", **FAST)
    change(doc)  # type: ignore[operator]
    with pytest.raises(KeyFileError):
        open_key(doc, "pw")


def test_card_round_trip_and_typo_detection(election: Election) -> None:
    doc = seal_key(election.keys[2], "TEST-1/tín nhiệm", "pw", **FAST)
    text = card_text(doc)
    assert parse_card(text) == doc
    assert parse_card(text.lower()) == doc  # typed in lowercase
    lines = text.splitlines()
    data_line = lines[3]
    typo = data_line[:6] + ("A" if data_line[6] != "A" else "B") + data_line[7:]
    with pytest.raises(KeyFileError, match="checksum"):
        parse_card("\n".join(lines[:3] + [typo] + lines[4:]))
    with pytest.raises(KeyFileError, match="missing"):
        parse_card("\n".join(lines[:3] + lines[4:]))
    assert open_key(parse_card(text), "pw") == election.keys[2]
