"""The English catalog is complete and compiled: a quick check for every run (the walk over
every page in both languages, tests/voting/test_page_languages.py, is in the slow set)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

CATALOG = Path(__file__).resolve().parents[2] / "ballot" / "translations" / "en" / "LC_MESSAGES"


def _translated(string: object) -> bool:
    forms = string if isinstance(string, tuple | list) else (string,)
    return all(forms) and bool(forms)


def test_every_message_has_its_english_and_none_is_fuzzy() -> None:
    with (CATALOG / "messages.po").open("rb") as handle:
        po = read_po(handle)
    messages = [m for m in po if m.id]
    assert len(messages) > 100
    untranslated = [m.id for m in messages if not _translated(m.string)]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == [], untranslated
    assert fuzzy == [], fuzzy


def test_the_compiled_catalog_holds_every_translation() -> None:
    """messages.mo is compiled from the current messages.po (tools/i18n.sh)."""
    with (CATALOG / "messages.po").open("rb") as handle:
        po = read_po(handle)
    with (CATALOG / "messages.mo").open("rb") as handle:
        mo = read_mo(handle)
    compiled = {m.id: m.string for m in mo if m.id}
    stale = [m.id for m in po if m.id and compiled.get(m.id) != m.string]
    assert stale == [], stale
