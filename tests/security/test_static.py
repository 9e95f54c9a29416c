"""Static checks CI relies on: ruff's security rules (S) are selected, and every place that
switches one off says why."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Security-rule exemptions (noqa) without a reason, known and reported (docs/security.md, "Open"); the test
#: fails when one is fixed, so that this list only shrinks.
OPEN: set[str] = set()


def test_ruff_selects_the_security_rules() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"][
        "lint"
    ]
    assert "S" in config["select"]
    assert not [code for code in config.get("ignore", []) if code.startswith("S")]  # never globally


def test_every_ruff_ignore_in_pyproject_carries_a_comment() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = text[text.index("[tool.ruff.lint]") :]
    section = section[: section.index("[tool.mypy]")] if "[tool.mypy]" in section else section
    previous = ""
    missing = []
    for line in section.splitlines():
        stripped = line.strip()
        listed = re.search(r'"[A-Z]+\d*"', stripped) and not stripped.startswith("select")
        if listed and "#" not in stripped and not previous.startswith("#"):
            missing.append(stripped)
        if stripped:
            previous = stripped
    assert missing == []


def test_every_noqa_for_a_security_rule_says_why() -> None:
    """Shipped code, tests and benchmarks; a rule that pyproject already turns off for a
    whole tree (with its comment) needs no second reason there."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"][
        "lint"
    ]
    per_tree = {
        pattern.removesuffix("/**"): set(codes)
        for pattern, codes in config["per-file-ignores"].items()
    }
    found: set[str] = set()
    for path in [
        *ROOT.joinpath("ballot").rglob("*.py"),
        *ROOT.joinpath("bench").rglob("*.py"),
        *ROOT.joinpath("tests").rglob("*.py"),
    ]:
        relative = path.relative_to(ROOT)
        covered = per_tree.get(relative.parts[0], set())
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.search(r"#\s*noqa:\s*([A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)(.*)$", line)
            if not match:
                continue
            codes = {
                c.strip() for c in match.group(1).split(",") if re.fullmatch(r"S\d+", c.strip())
            } - covered
            if codes and not re.match(r"\s*(-|--|:|—)\s*\S", match.group(2)):
                found.update(f"{relative}: {code}" for code in codes)
    assert found == OPEN, "say why after the code, e.g. 'S310 - loopback only'"
