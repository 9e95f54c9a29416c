"""The package's layers: arrows point down, and no module imports one that imports it back.

    ballot.cli (console script) → ballot.app (factory) → ballot.web (one blueprint per
    audience) → domain (voting, rating, minutes, audit, org, auth) → foundation (db,
    config, logs, ...) and ballot.crypto (a pure library: no Flask, no SQLAlchemy)

Every import is read from the source with `ast`, those inside functions included (an import
hidden in a function still ties the two modules together), so a cycle or an upward import
fails here before anyone trips over it at run time.
"""

from __future__ import annotations

import ast
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ballot"
#: Domain packages: they never import the web layer, the factory or the console script.
DOMAIN = ("crypto", "voting", "rating", "minutes", "audit", "org", "auth")
#: The only modules that may import ballot.web (besides ballot.web itself).
WEB_IMPORTERS = {"ballot.app"}
#: Who may import the factory, and the console script (nobody: it is the top).
APP_IMPORTERS = {"ballot.cli"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue  # Alembic loads these itself
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _owner(name: str) -> str | None:
    """The module of ours that `import name` loads (a name inside a module: that module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def imports_of(module: str) -> tuple[set[str], set[str]]:
    """Return (modules of ours, top-level outside packages) that `module` imports anywhere."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    ours: set[str] = set()
    outside: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            # `from ballot.voting import casting` imports the module ballot.voting.casting;
            # `from ballot.voting.desk import turnout`, the module ballot.voting.desk
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                for alias in node.names
            ]
        for target in targets:
            if target == "ballot" or target.startswith("ballot."):
                owner = _owner(target)
                if owner:
                    ours.add(owner)
                    # importing a.b.c runs the __init__ of a.b too (unless we are inside it)
                    ours.update(a for a in _ancestors(owner) if not module.startswith(a))
            elif target:
                outside.add(target.split(".")[0])
    ours.discard(module)
    ours.discard("ballot")  # the package's own light __init__ imports nothing
    return ours, outside


@functools.cache
def graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports (parsed when a test first asks, not while
    pytest collects the file in every worker)."""
    return {module: imports_of(module)[0] for module in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walker_sees_function_level_and_relative_imports() -> None:
    # ballot.app registers the blueprints from inside a function; crypto/cli.py imports
    # its neighbours relatively: both must be seen, or the checks below prove nothing.
    assert "ballot.web.api" in graph()["ballot.app"]
    assert "ballot.crypto.record" in graph()["ballot.crypto.cli"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_between_modules() -> None:
    cycles = _cycles(graph())
    described = [
        " ; ".join(f"{m} → {', '.join(sorted(graph()[m] & set(c)))}" for m in c) for c in cycles
    ]
    assert cycles == [], "import cycles:\n" + "\n".join(described)


def test_domain_code_never_imports_the_web_layer_the_factory_or_the_console_script() -> None:
    upward = [
        f"{module} → {target}"
        for module, targets in graph().items()
        if module.split(".")[1:2] and module.split(".")[1] in DOMAIN
        for target in targets
        if target.split(".")[:2] == ["ballot", "web"]
        or target in ("ballot.app", "ballot.cli", "ballot.commands")
    ]
    assert upward == []


def test_only_the_factory_imports_the_web_layer_and_only_the_console_script_the_factory() -> None:
    web = {
        module
        for module, targets in graph().items()
        if not module.startswith("ballot.web") and any(t.startswith("ballot.web") for t in targets)
    }
    assert web <= WEB_IMPORTERS, web - WEB_IMPORTERS
    factory = {module for module, targets in graph().items() if "ballot.app" in targets}
    assert factory <= APP_IMPORTERS, factory - APP_IMPORTERS
    assert not [module for module, targets in graph().items() if "ballot.cli" in targets]


#: The verifier's command line (which prints an election's outcome) and the election simulator
#: (which draws a valid list) use the rules of 190-QĐ/TW: plain Python like the library
#: (checked below), and nothing else in ballot.crypto may.
CRYPTO_CLI_MAY_ALSO_IMPORT = "ballot.elections"
USERS_OF_THE_RULES = ("ballot.crypto.cli", "ballot.crypto.election_sim")
WEB_OR_DATABASE = {"flask", "flask_sqlalchemy", "sqlalchemy", "werkzeug", "flask_babel"}


def test_crypto_imports_nothing_but_itself_and_no_web_or_database_library() -> None:
    for module in MODULES:
        if module.startswith("ballot.crypto"):
            allowed: tuple[str, ...] = ("ballot.crypto",)
            if module in USERS_OF_THE_RULES:
                allowed += (CRYPTO_CLI_MAY_ALSO_IMPORT,)
        elif module.startswith(CRYPTO_CLI_MAY_ALSO_IMPORT):
            allowed = ("ballot.crypto", CRYPTO_CLI_MAY_ALSO_IMPORT)
        else:
            continue
        ours, outside = imports_of(module)
        assert all(m.startswith(allowed) for m in ours), (module, ours)
        assert not outside & WEB_OR_DATABASE, module


def _python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
        check=False,
    )


def test_importing_the_crypto_library_loads_no_flask_or_sqlalchemy(tmp_path: Path) -> None:
    names = sorted(m for m in MODULES if m.startswith("ballot.crypto"))
    code = (
        "import importlib, json, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('flask', 'sqlalchemy', 'flask_sqlalchemy', 'werkzeug'))))\n"
    )
    result = _python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_ballot_verify_works_without_creating_an_app(tmp_path: Path) -> None:
    """`ballot simulate` then `ballot verify` through the console script, with an instance
    folder that holds no secrets (creating an app there would fail) and a factory that
    raises if it is called at all."""
    code = (
        "import sys\n"
        "import ballot.app\n"
        "def refuse(*a, **k): raise SystemExit('an app was created')\n"
        "ballot.app.create_app = refuse\n"
        "from ballot.cli import main\n"
        "main(sys.argv[1:] or ['simulate', '--voters', '3', '--subjects', '2', '--levels',"
        " '3', '--threshold', '2/3', '--seed', 'layers', '-o', 'record.json'],"
        " standalone_mode=False)\n"
        "main(['verify', 'record.json'], standalone_mode=False)\n"
        "print('flask apps made:', sum(1 for m in sys.modules if m == 'ballot.web.api'))\n"
    )
    instance = tmp_path / "no-secrets-here"
    result = _python(code, tmp_path, BALLOT_INSTANCE_PATH=str(instance))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the record is valid" in result.stdout
    assert "flask apps made: 0" in result.stdout  # the blueprints were never even imported
    assert not instance.exists()
