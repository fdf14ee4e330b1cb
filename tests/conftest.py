"""Shared fixtures: a fresh database per test on SQLite and on a real PostgreSQL server.

`db` runs a test on both backends. `sqlite_db` is for tests that are about something
other than the database. PostgreSQL is started once per session by the tests themselves;
where it cannot be started the PostgreSQL variants are skipped with the reason shown, except in
CI (CI=true), where a missing PostgreSQL fails them: a green CI run has tested both backends.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text

from app.models.db import Database, make_engine, upgrade
from tests.pg import PgServer, PgUnavailable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests: Hypothesis's usual 100 examples on a developer's run, twice as many in CI,
# where the time is spent once per change. The ones that build a database per example run a
# fifth of that (db_examples()).
settings.register_profile("dev", max_examples=100)
settings.register_profile("ci", max_examples=200)


def db_examples() -> int:
    return settings.default.max_examples // 5


_pg_state: dict = {}
_counter = itertools.count()


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


settings.load_profile("ci" if in_ci() else "dev")


def need_tool(what: str, reason: str):
    """A developer's machine may lack a system tool and skips what needs it, saying so; CI
    must not: .ci/run installs it, and a missing one fails the run."""
    message = f"{what} not available: {reason}"
    if in_ci():
        pytest.fail(message + " (CI must run this: .ci/run installs it)", pytrace=False)
    pytest.skip(message)


def _unavailable(reason: str):
    need_tool("PostgreSQL", reason)


def _pg() -> PgServer:
    if "error" in _pg_state:
        _unavailable(_pg_state["error"])
    if "server" not in _pg_state:
        try:
            server = PgServer()
            server.start()
        except PgUnavailable as exc:
            _pg_state["error"] = str(exc)
            _unavailable(str(exc))
        _pg_state["server"] = server
        # A migrated template database: each test gets a copy in ~0.1 s.
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text("CREATE DATABASE mm_template"))
        template = make_engine(server.url("mm_template"))
        upgrade(template)
        template.dispose()
        _pg_state["admin"] = admin
    return _pg_state["server"]


_PG_FIXTURES = {"pg_db", "pg_server"}


def pytest_collection_modifyitems(config, items):
    """A test that asks for PostgreSQL carries the `pg` marker, so `-m pg` / `-m "not pg"`
    select it correctly."""
    unmarked = [
        item.nodeid
        for item in items
        if _PG_FIXTURES & set(getattr(item, "fixturenames", ()))
        and not item.get_closest_marker("pg")
    ]
    if unmarked:
        raise pytest.UsageError("uses PostgreSQL without @pytest.mark.pg: " + ", ".join(unmarked))


def pytest_sessionfinish(session, exitstatus):
    server = _pg_state.get("server")
    if server:
        _pg_state["admin"].dispose()
        server.stop()
    if "folder" in _sqlite_template:
        shutil.rmtree(_sqlite_template["folder"], ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    return _pg()


def _new_pg_database() -> Database:
    server = _pg()
    name = f"mm_test_{os.getpid()}_{next(_counter)}"
    with _pg_state["admin"].connect() as c:
        c.execute(text(f"CREATE DATABASE {name} TEMPLATE mm_template"))
    return Database(server.url(name))


_sqlite_template: dict[str, Path] = {}


def _sqlite_template_file() -> Path:
    """A SQLite file migrated to head once per test process (one per xdist worker): running
    the migrations takes about a second, copying their result a millisecond."""
    if "file" not in _sqlite_template:
        folder = Path(tempfile.mkdtemp(prefix="mm-sqlite-template-"))
        _sqlite_template["folder"] = folder
        template = Database(f"sqlite:///{folder / 'template.db'}")
        template.upgrade()
        template.dispose()
        # everything in the file itself, none of it in a write-ahead log beside it
        with sqlite3.connect(folder / "template.db") as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        _sqlite_template["file"] = folder / "template.db"
    return _sqlite_template["file"]


def _new_sqlite_database(tmp_path) -> Database:
    """A database at the schema's head, as `Database.upgrade()` makes it from nothing."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_sqlite_template_file(), tmp_path / "test.db")
    db = Database(f"sqlite:///{tmp_path / 'test.db'}")
    with db.engine.begin():  # a first write opens the file's turn (test.db-turn), as upgrading did
        pass
    return db


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db(request, tmp_path) -> Database:
    database = _new_sqlite_database(tmp_path) if request.param == "sqlite" else _new_pg_database()
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def fresh_databases(request, tmp_path):
    """Makes a new empty database on each call, on each backend: a property test's
    examples each start from nothing, where the `db` fixture is one database per test."""
    made: list[Database] = []

    def make() -> Database:
        if request.param == "sqlite":
            database = _new_sqlite_database(tmp_path / f"example{len(made)}")
        else:
            database = _new_pg_database()
        made.append(database)
        return database

    yield make
    for database in made:
        database.dispose()


@pytest.fixture
def sqlite_db(tmp_path) -> Database:
    database = _new_sqlite_database(tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def pg_db() -> Database:
    database = _new_pg_database()
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """argon2's production cost (~50 ms a hash, much more on a loaded machine) is for
    attackers, not for a test suite that creates users in every market."""
    from argon2 import PasswordHasher

    from app.services.platform import users

    monkeypatch.setattr(
        users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
