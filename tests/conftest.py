"""Shared fixtures: an app on a fresh, migrated database per test (SQLite or PostgreSQL).

The schema is migrated once per session into a template; each test starts from a copy of it
(SQLite: a copy of the file; PostgreSQL, with BALLOT_TEST_DATABASE_URL set to
postgresql+psycopg://root@127.0.0.1:5432/test: one private schema emptied by TRUNCATE ...
RESTART IDENTITY after each test). A test that asks for `demo_app` starts from a second
template holding the demo organisation, seeded once per session instead of once per test
(seeding 6,102 members took about a second, and a hundred tests ask for it); one that asks
for `demo_votes_app` from a third, which adds the demo's two votes (counting the rehearsal
with real cryptography took 2-3 s a test), and one that asks for `ready_vote` from a fourth
(a vote whose keys are made). SEEDS lists them; a directory's conftest may add one.

Tests marked `slow` (the crash campaign, every test in tests/browser/, the walk over every
page in both languages, ...) run only with `--runslow`; without it the fuzzer tries 25
examples per property instead of 250, and a test with a heavy loop (`runslow` fixture) runs
a sample of it. CI passes it (.ci/run). Under pytest-xdist the first worker to need a SQLite
template builds it for all (a file lock; what its build returned is pickled beside it); on
PostgreSQL each worker makes its own schemas. Every app the tests make shares compiled templates and URL builders
(pytest_configure): making an app and rendering a page the first time cost 50-60 ms a test.
"""

from __future__ import annotations

import copyreg
import fcntl
import io
import logging
import os
import pickle  # nosec B403 - the templates' values, written by this file
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing import Rule

from ballot.app import create_app
from ballot.instance import upgrade_database

PG_URL = os.environ.get("BALLOT_TEST_DATABASE_URL", "")
TEST_SECRET = "test-secret-key-" + "x" * 32
#: In app.extensions: the seeds the app's database holds, with what each gives the test.
SEEDED = "tests.seeded"
#: Fuzzing examples per test in the quick run (the full run, --runslow, keeps the file's own).
QUICK_FUZZ_EXAMPLES = 25
#: Whether this is the full run (--runslow); set by pytest_configure, before collection.
FULL_RUN = False


def _with_schema(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


def base_test_config(database_url: str, **extra: Any) -> dict[str, Any]:
    """Return the configuration every test app starts from."""
    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "CODE_HASH_KEY": TEST_SECRET + "-codes",
        "DATABASE_URL": database_url,
        "SERVER_NAME": None,
        # Argon2id stays memory-hard in tests, with less memory so the suite runs quickly.
        "ARGON2_MEMORY_KIB": 1024,
        "ARGON2_TIME_COST": 1,
        "ARGON2_PARALLELISM": 1,
        # ballots are checked in the request thread (the process pool is for production)
        "VERIFY_PROCESSES": 0,
    }
    config.update(extra)
    return config


def _seed_demo(_: object) -> None:
    from ballot.demo import seed_demo

    seed_demo(votes=False)


def _seed_demo_votes(_: object) -> None:
    """The demo's two votes on top of the demo organisation, as `seed_demo()` adds them: one
    awaiting its key ceremony and a rehearsal counted with real cryptography (2-3 s)."""
    from sqlalchemy import select

    from ballot.db import db
    from ballot.org.models import Conference
    from ballot.voting.demo import seed_votes

    seed_votes(db.session.scalars(select(Conference).order_by(Conference.id).limit(1)).one())


@dataclass(frozen=True)
class Seed:
    """A seeded template, named after the fixture that asks for it: a copy of the template
    `base` (None: the migrated schema) to which `build` adds rows. `build` runs in an app
    context, is given what the base's `build` returned, and returns what the fixture gives
    the test (committed by the caller)."""

    base: str | None
    build: Callable[[Any], Any]


SEEDS: dict[str, Seed] = {
    "demo_app": Seed(None, _seed_demo),
    "demo_votes_app": Seed("demo_app", _seed_demo_votes),
}


def register_seed(name: str, base: str, build: Callable[[Any], Any]) -> None:
    """Add a seeded template for the fixture `name` (from a directory's conftest)."""
    SEEDS[name] = Seed(base, build)


def _chain(name: str | None) -> list[str]:
    """The seed `name` and the seeds it is built on."""
    chain = []
    while name:
        chain.append(name)
        name = SEEDS[name].base
    return chain


class DatabaseTemplate:
    """A migrated database from which each test starts, and (each made on first use) the
    same with seed data added (SEEDS): the demo organisation, the demo with its two votes, a
    vote whose keys are made (`ready_vote`, tests/voting/conftest.py)."""

    def __init__(self, tmp: Path, shared: Path) -> None:
        self.tmp, self.shared = tmp, shared
        self.schema = ""
        #: seed name -> its SQLite file or PostgreSQL schema, and what its build returned
        self.seeded: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        if PG_URL:
            self.schema = "t_" + uuid.uuid4().hex[:12]
            self.admin_url = re.sub(r"^postgresql\+psycopg://", "postgresql://", PG_URL)
            self._pg(f'CREATE SCHEMA "{self.schema}"')
            self.url = _with_schema(PG_URL, self.schema)
            app = create_app(base_test_config(self.url), instance_path=str(tmp / "template-i"))
            upgrade_database(app)
            with app.app_context():
                _close(app)
        else:
            self.path = shared / "template.sqlite"
            self.url = "sqlite:///" + str(self.path)
            with _exclusive(shared / "template.lock"):
                if not self.path.exists():
                    building = shared / f"template.sqlite.{os.getpid()}"
                    url = "sqlite:///" + str(building)
                    app = create_app(base_test_config(url), instance_path=str(tmp / "template-i"))
                    upgrade_database(app)
                    with app.app_context():
                        _close(app)
                    os.replace(building, self.path)
        from ballot.db import db

        self.tables = [t.name for t in db.metadata.sorted_tables]

    def _pg(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)  # type: ignore[arg-type]

    def _make(self, seed: str) -> str:
        """Make the seeded template `seed` once (from a copy of the template it starts from)
        and return its SQLite file or PostgreSQL schema."""
        if seed in self.seeded:
            return self.seeded[seed]
        from ballot.db import db

        base, build = SEEDS[seed].base, SEEDS[seed].build
        instance = str(self.tmp / f"{seed}-instance")
        if PG_URL:
            where = f"{self.schema}_{seed}"
            self._pg(f'CREATE SCHEMA "{where}"')
            url = _with_schema(PG_URL, where)
            app = create_app(base_test_config(url), instance_path=instance)
            upgrade_database(app)  # PostgreSQL cannot copy a schema; migrating one is quick
            if base:
                self._copy_rows(self._make(base), where)
            with app.app_context():
                self.values[seed] = build(self.values.get(base or ""))
                db.session.commit()
                _close(app)
            self.seeded[seed] = where
            return where
        # SQLite: the first worker to need a seed builds it for all (under a lock); the others
        # copy its file and read what its build returned.
        source = self._make(base) if base else str(self.path)
        where = str(self.shared / f"{seed}.sqlite")
        value_file = self.shared / f"{seed}.pickle"
        with _exclusive(self.shared / f"{seed}.lock"):
            if not value_file.exists():
                building = f"{where}.{os.getpid()}"
                shutil.copyfile(source, building)
                app = create_app(base_test_config("sqlite:///" + building), instance_path=instance)
                with app.app_context():
                    value = build(self.values.get(base or ""))
                    db.session.commit()
                    _close(app)
                os.replace(building, where)
                value_file.with_suffix(".part").write_bytes(_pickled(value))
                os.replace(value_file.with_suffix(".part"), value_file)
        self.values[seed] = pickle.loads(value_file.read_bytes())  # noqa: S301 - our own file
        self.seeded[seed] = where
        return where

    def fresh_url(self, tmp_path: Path, seed: str | None = None) -> str:
        """Return a database URL holding a migrated schema for one test: empty, or holding
        the seeded template `seed` (a name of SEEDS)."""
        source = self._make(seed) if seed else None
        if PG_URL:
            if source:
                self._copy_rows(source, self.schema)
            return self.url
        target = tmp_path / "ballot.sqlite"
        shutil.copyfile(source or self.path, target)
        return "sqlite:///" + str(target)

    def _copy_rows(self, source: str, target: str) -> None:
        """Copy every row of schema `source` into schema `target` (emptied first: the
        session's first test finds the rows the migrations insert), parents before children,
        and move each id sequence past the copied ids."""
        import psycopg

        self._truncate(target)
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for table in self.tables:
                conn.execute(  # type: ignore[call-overload]
                    f'INSERT INTO "{target}"."{table}" '  # noqa: S608 - our own table names
                    f'SELECT * FROM "{source}"."{table}"'
                )
            serials = conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = %s AND column_default LIKE 'nextval%%'",
                (target,),
            ).fetchall()
            for table, column in serials:
                conn.execute(  # type: ignore[call-overload]
                    f"SELECT setval("  # noqa: S608 - our own table and column names
                    f'pg_get_serial_sequence(\'"{target}"."{table}"\', '
                    f"'{column}'), COALESCE(MAX(\"{column}\"), 0) + 1, false) "
                    f'FROM "{target}"."{table}"'
                )

    def _truncate(self, schema: str) -> None:
        names = ", ".join(f'"{schema}"."{t}"' for t in self.tables)
        self._pg(f"TRUNCATE {names} RESTART IDENTITY CASCADE")

    def reset(self) -> None:
        """Empty every table (PostgreSQL); SQLite tests throw their copy away instead."""
        if PG_URL:
            self._truncate(self.schema)

    def drop(self) -> None:
        if PG_URL:
            schemas = [self.schema, *self.seeded.values()]
            self._pg(*(f'DROP SCHEMA "{schema}" CASCADE' for schema in schemas))


def _close(app: Flask) -> None:
    """Close every connection of `app` (inside its app context): on SQLite the last close
    folds the write-ahead log into the file, which is then safe to copy."""
    from ballot.db import db

    db.session.remove()
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.engine.dispose()


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Put the root logger back after each test: a command that makes a site's app (`init`,
    `serve`) configures logging for the process, as it should outside tests."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _pickled(value: Any) -> bytes:
    """`value` pickled, with the crypto's immutable scalars and points (member keys) written
    as their value and bytes: their own classes refuse the attribute writes pickle makes."""
    from ballot.crypto.group import Point, Scalar

    out = io.BytesIO()
    pickler = pickle.Pickler(out)
    pickler.dispatch_table = {
        **copyreg.dispatch_table,
        Scalar: lambda s: (Scalar, (s.value,)),
        Point: lambda p: (Point.from_bytes_or_identity, (p.to_bytes(),)),
    }
    pickler.dump(value)
    return out.getvalue()


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file `lock` (an advisory POSIX lock)."""
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseTemplate]:
    """The session's templates. Under xdist the SQLite templates live beside the workers'
    temporary directories, in the run's own directory, and each is built by one worker."""
    own = tmp_path_factory.mktemp("db-template")
    base = tmp_path_factory.getbasetemp()
    shared = base.parent / "db-templates" if os.environ.get("PYTEST_XDIST_WORKER") else own
    shared.mkdir(exist_ok=True)
    template = DatabaseTemplate(own, shared)
    yield template
    template.drop()


@pytest.fixture(scope="session")
def runslow(request: pytest.FixtureRequest) -> bool:
    """Whether this is the full run (--runslow, as CI runs it): a test with a heavy loop
    runs all of it then, and a sample in the quick run."""
    return bool(request.config.getoption("--runslow"))


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Extra configuration for the `app` fixture; override in a test module to change it."""
    return {}


@pytest.fixture
def app(
    request: pytest.FixtureRequest,
    database_template: DatabaseTemplate,
    tmp_path: Path,
    app_config: dict[str, Any],
) -> Iterator[Flask]:
    """An app on a fresh, migrated database: a copy of the deepest seeded template among the
    fixtures the test asks for (SEEDS: `demo_app`, `demo_votes_app`, `ready_vote`), or an
    empty schema."""
    asked = [name for name in SEEDS if name in request.fixturenames]
    seed = max(asked, key=lambda name: len(_chain(name)), default=None)
    url = database_template.fresh_url(tmp_path, seed)
    app = create_app(base_test_config(url, **app_config), instance_path=str(tmp_path / "instance"))
    app.extensions[SEEDED] = {name: database_template.values[name] for name in _chain(seed)}
    yield app
    with app.app_context():
        from ballot.db import db

        db.session.remove()
        db.engine.dispose()
    database_template.reset()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """Return the session's CSRF token, read from a page that holds a form."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class AuthActions:
    """Log in and out through the real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, username: str = "admin", password: str = "admin-password-1"):  # type: ignore[no-untyped-def]
        token = csrf_token(self.client, "/login")
        return self.client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )

    def logout(self):  # type: ignore[no-untyped-def]
        token = csrf_token(self.client, "/")
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def make_user(app: Flask):  # type: ignore[no-untyped-def]
    """Create a user with a role; the password is `<username>-password-1`."""
    from ballot.auth.models import Role, User
    from ballot.auth.passwords import hash_password
    from ballot.db import db

    def make(username: str = "admin", role: str = "admin", member_id: int | None = None) -> int:
        with app.app_context():
            user = User(
                username=username,
                full_name=username.title(),
                role=Role(role),
                password_hash=hash_password(f"{username}-password-1"),
                member_id=member_id,
            )
            db.session.add(user)
            db.session.commit()
            return user.id

    return make


def seeded(app: Flask, name: str) -> Any:
    """What the seed `name` gives the test: stored with the template the app's database was
    copied from, or (a fixture asked for by request.getfixturevalue, or beside a deeper seed
    of another branch) built now in the app's own database."""
    held: dict[str, Any] = app.extensions[SEEDED]
    if name not in held:
        from ballot.db import db

        seed = SEEDS[name]
        base = seeded(app, seed.base) if seed.base else None
        with app.app_context():
            held[name] = seed.build(base)
            db.session.commit()
    return held[name]  # shared by the worker's tests: a fixture copies what a test may change


@pytest.fixture
def demo_app(app: Flask) -> Flask:
    """The app with the demo organisation loaded (without the demo's votes)."""
    seeded(app, "demo_app")
    return app


@pytest.fixture
def demo_votes_app(demo_app: Flask) -> Flask:
    """The app with the demo organisation and its two votes, as `seed_demo()` leaves them:
    one awaiting its key ceremony, and a counted rehearsal. Every test copied from the
    template sees the same public ids and the same stored record, so the process's cache of
    checked records (keyed by a digest of everything the record is built from) proves the
    rehearsal once per worker; a test that edits a stored input is checked again."""
    seeded(demo_app, "demo_votes_app")
    return demo_app


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--runslow",
        action="store_true",
        default=False,
        help="also run the tests marked slow (the crash campaign, whole votes in a browser); "
        "CI passes it",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Without --runslow, the property-based fuzzing (tests/security/test_fuzz.py) tries 25
    examples per test instead of its 250; BALLOT_FUZZ_EXAMPLES, when set, wins either way.
    Every app the tests make shares the compiled templates and URL builders of the first."""
    global FULL_RUN
    FULL_RUN = bool(config.getoption("--runslow"))
    if not FULL_RUN:
        os.environ.setdefault("BALLOT_FUZZ_EXAMPLES", str(QUICK_FUZZ_EXAMPLES))
    _temporary_files_in_memory()
    _share_compiled_templates()
    _share_url_builders()


def examples(full: int) -> int:
    """Hypothesis examples for a property test whose every example is costly (proofs): all
    `full` of them in the full run (--runslow), a quarter (at least 5) in the quick one."""
    return full if FULL_RUN else max(5, full // 4)


def _temporary_files_in_memory() -> None:
    """Make tmp_path (where each test's copy of the SQLite database lives) a directory of
    /dev/shm when the machine has one, unless PYTEST_DEBUG_TEMPROOT (pytest's documented
    setting) already says where. The app commits with synchronous=FULL, as it should in a
    meeting room, and on a disk the fsync of each test's commits cost about a tenth of the
    run; in memory it costs nothing. Set before xdist starts its workers, which inherit it;
    only the failed tests' directories are kept (tmp_path_retention_policy)."""
    shm = Path("/dev/shm")
    if "PYTEST_DEBUG_TEMPROOT" in os.environ or not shm.is_dir() or not os.access(shm, os.W_OK):
        return
    free = os.statvfs(shm)
    if free.f_bavail * free.f_frsize >= 512 * 2**20:  # not a container's 64 MiB default
        os.environ["PYTEST_DEBUG_TEMPROOT"] = str(shm)


class _TemplateBytecode(BytecodeCache):
    """Compiled templates kept in memory for the test process. Each test makes its own app,
    and each app's Jinja environment would otherwise parse and compile every template it
    renders again (about 15 ms a template). Jinja checks the source's checksum on load."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _share_compiled_templates() -> None:
    """Give every Flask app of this process (the tests' and those the commands make) one
    bytecode cache: the apps all configure Jinja the same way (create_app)."""
    Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": _TemplateBytecode()}


def _share_url_builders() -> None:
    """Reuse werkzeug's generated URL-building function of a rule across apps.

    Registering the blueprints compiles a builder function per URL rule (Python source made
    and compiled: about 40 ms of the 45 ms an app takes to make), and every test makes an
    app. The function depends only on the rule's text, its parsed parts and the names of its
    defaults (it reaches the rule's converters through its `self` argument), so rules alike
    share it. A rule whose default fills one of its own variables is compiled as usual. If
    werkzeug changes this private method, the tests simply compile each rule again.
    """
    original = getattr(Rule, "_compile_builder", None)
    if original is None or getattr(original, "shared", False):
        return
    built: dict[tuple[Any, ...], Any] = {}

    def compile_builder(self: Rule, append_unknown: bool = True) -> Any:
        defaults = self.defaults or {}
        trace = tuple(self._trace)
        if any(dynamic and part in defaults for dynamic, part in trace):
            return original(self, append_unknown)
        key = (self.rule, trace, tuple(defaults), append_unknown)
        if key not in built:
            built[key] = original(self, append_unknown)
        return built[key]

    compile_builder.shared = True  # type: ignore[attr-defined]
    Rule._compile_builder = compile_builder  # type: ignore[method-assign]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the `slow` tests unless --runslow is given (the skip says so in the summary)."""
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow (CI does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
