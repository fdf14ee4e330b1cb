"""Engine, sessions and schema upgrades.

The op that runs a use case owns the transaction (`with db.transaction() as s:`); services
take the session as their first argument and never commit.
"""

from __future__ import annotations

import errno
import functools
import logging
import os
import re
import sqlite3
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.models.clerk_message import ClerkMessage
from app.resources import MIGRATIONS
from app.words import QT_TRANSLATE_NOOP, Word

DATABASE_WAS_MADE_BY_ANOTHER = Word(
    "db.database_was_made_by_another",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The database “{where}” was made by another version of MarketMeter (schema {p2}), most "
        "likely a newer one: this version reads schemas up to {head}. It cannot use it and has "
        "not changed it. Open it with the version that made it, or ask your administrator for a "
        "version that can read schema {p2}.",
    ),
)
DATABASE_WAS_MADE_BY_EARLIER = Word(
    "db.database_was_made_by_earlier",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The database “{where}” was made by an earlier version of MarketMeter and lacks tables or "
        "columns this version needs ({shown}); it cannot be upgraded automatically. Open it with "
        "the version that made it, or ask your administrator to move the data to a new database.",
    ),
)

log = logging.getLogger(__name__)

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        # msvcrt.locking locks bytes from the file position: the first byte is the turn (a
        # byte past the end of the file may be locked). LK_LOCK would retry only once a second.
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLOCK):
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def user_data_dir() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "MarketMeter"


def collection_log_path() -> Path:
    """The collection service's log in the user data folder (the client's --collect child and
    the service started at logon write it alike)."""
    return user_data_dir() / "logs" / "collection.log"


def default_db_url() -> str:
    return f"sqlite:///{user_data_dir() / 'marketmeter.db'}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _database_is_locked() -> OperationalError:
    return OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))


class WriterQueue:
    """The writers of one SQLite file in this process, served one at a time in the order
    they asked.

    SQLite's own busy handler is no queue: a waiting writer sleeps and retries, and loses
    every time the lock is free only between two back-to-back transactions of another
    thread (the collection service saving readings). After busy_timeout it fails with
    "database is locked". Here a writer waits only for the transactions queued before it.
    Reentrant, so a thread that already writes is never queued behind itself."""

    def __init__(self, timeout_s: float = 60.0, turn: FileTurn | None = None) -> None:
        self.timeout_s = timeout_s
        self.turn = turn  # the file's turn across processes, taken second
        self._cond = threading.Condition()
        self._waiting: deque[object] = deque()
        self._owner: int | None = None
        self._depth = 0

    def acquire(self) -> None:
        me = threading.get_ident()
        with self._cond:
            if self._owner == me:
                self._depth += 1
                return
            ticket = object()
            self._waiting.append(ticket)
            deadline = time.monotonic() + self.timeout_s
            while self._owner is not None or self._waiting[0] is not ticket:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._waiting.remove(ticket)
                    self._cond.notify_all()
                    raise _database_is_locked()
                self._cond.wait(left)
            self._waiting.popleft()
            self._owner, self._depth = me, 1

    def release(self) -> None:
        with self._cond:
            self._depth -= 1
            if self._depth == 0:
                self._owner = None
                self._cond.notify_all()

    def close_turn(self) -> None:
        """Close the turn's lock file (opened again by the next writer) unless a writer is in."""
        with self._cond:
            if self._owner is None and self.turn is not None:
                self.turn.close()


class FileTurn:
    """The write turn of a SQLite file across processes: an OS lock on the file next to it
    (`market.db-turn`), which the OS releases when its process ends, however it ends.

    The clerk's client takes it before BEGIN IMMEDIATE and keeps it to COMMIT / ROLLBACK.
    A bulk writer (the collection service in its own process) takes it only around BEGIN
    IMMEDIATE. So a clerk waits for the service's BEGIN and then for the one transaction the
    service runs, while the service's next BEGIN waits for the clerk; without it SQLite's
    busy handler lets back-to-back transactions of the service starve the clerk.

    Only the thread that holds this process's WriterQueue uses it. Waiting is a retry loop
    on a non-blocking lock (Windows has no blocking lock with a timeout). Reentrant."""

    def __init__(self, path: Path, timeout_s: float = 60.0, poll_s: float = 0.005) -> None:
        self.path = path
        self.timeout_s = timeout_s
        self.poll_s = poll_s
        self._fd: int | None = None
        self._pid: int | None = None
        self._depth = 0
        self._unusable = False

    def _file(self) -> int | None:
        if self._pid != os.getpid():  # a forked child: the open file's lock is its parent's
            self._fd, self._pid, self._depth = None, os.getpid(), 0
        if self._fd is None and not self._unusable:
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError as exc:
                self._unusable = True
                log.warning(
                    "writers of other processes are not queued (lock file %s cannot be made: %s); "
                    'a writer may wait for them and fail with "database is locked"',
                    self.path,
                    exc,
                )
        return self._fd

    def acquire(self) -> bool:
        """Wait for the turn; False when there is no lock file (SQLite's busy handler alone)."""
        if self._depth and self._pid == os.getpid():
            self._depth += 1
            return True
        fd = self._file()
        if fd is None:
            return False
        deadline = time.monotonic() + self.timeout_s
        pause = 0.0005
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise _database_is_locked()
            time.sleep(pause)
            pause = min(2 * pause, self.poll_s)
        self._depth = 1
        return True

    def try_acquire(self) -> bool:
        """Take the turn if it is free, without waiting; False when another holds it or
        there is no lock file."""
        fd = self._file()
        if fd is None or not _try_lock(fd):
            return False
        self._depth = 1
        return True

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            _unlock(self._fd)

    def close(self) -> None:
        # Windows cannot delete a folder that holds an open file
        if self._fd is not None and self._pid == os.getpid() and not self._depth:
            os.close(self._fd)
            self._fd = None


class ServiceTurn:
    """The collection service's turn of one market: on PostgreSQL a session advisory lock
    on a connection kept open (the server frees it when the connection ends), on SQLite an
    OS lock on the file next to the database (`market.db-service`, the write turn's kind),
    freed by the OS when the process ends. `role` names another one-per-market job the
    same way (`portal`: the portal's query of unanswered payment orders)."""

    # the advisory lock's first key ("MM", "MP"), the market's id the second
    KEYS = {"service": 0x4D4D, "portal": 0x4D50}

    def __init__(self, engine: Engine, site_id: int, role: str = "service") -> None:
        self.engine = engine
        self.site_id = site_id
        self.role = role
        self.key = self.KEYS[role]
        self._conn = None
        self._file: FileTurn | None = None

    def take(self) -> bool:
        if self.engine.url.get_backend_name() == "postgresql":
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if conn.exec_driver_sql(
                f"SELECT pg_try_advisory_lock({self.key}, {int(self.site_id)})"
            ).scalar():
                self._conn = conn
                return True
            conn.close()
            return False
        path = Path(self.engine.url.database or "").resolve()
        turn = FileTurn(path.with_name(f"{path.name}-{self.role}-{self.site_id}"))
        if not turn.try_acquire():
            turn.close()
            return False
        self._file = turn
        return True

    @staticmethod
    def held_in_file(database: Path) -> bool:
        """Whether a collection service (another process) holds a market of this SQLite file
        now: a restore, which replaces the whole file, waits until none does."""
        path = Path(database).resolve()
        for lock_file in path.parent.glob(f"{path.name}-service-*"):
            turn = FileTurn(lock_file)
            try:
                if not turn.try_acquire():
                    return True
                turn.release()
            finally:
                turn.close()
        return False

    def is_held(self) -> bool:
        """False once the connection that holds the advisory lock is gone (a server restart)."""
        if self._conn is None:
            return self._file is not None
        try:
            self._conn.exec_driver_sql("SELECT 1")
        except OperationalError:
            return False
        return True

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.exec_driver_sql(
                    f"SELECT pg_advisory_unlock({self.key}, {int(self.site_id)})"
                )
            except OperationalError:
                pass  # the connection is gone, and the lock with it
            self._conn.close()
            self._conn = None
        if self._file is not None:
            self._file.release()
            self._file.close()
            self._file = None


_writer_queues: dict[str, WriterQueue] = {}
_writer_queues_lock = threading.Lock()


def writer_queue(path: str) -> WriterQueue:
    """The queue of a SQLite file, shared by every engine of this process on that file, with
    the file's turn across processes (none for an in-memory database)."""
    in_memory = not path or path == ":memory:"
    with _writer_queues_lock:
        key = f"memory {len(_writer_queues)}" if in_memory else str(Path(path).resolve())
        if key not in _writer_queues:
            _writer_queues[key] = WriterQueue(
                turn=None if in_memory else FileTurn(Path(key + "-turn"))
            )
        return _writer_queues[key]


def _sqlite_transactions(engine: Engine, writers: WriterQueue, *, bulk_writer: bool) -> None:
    """One writer at a time: a write transaction takes this process's turn (WriterQueue),
    then the file's turn across processes (FileTurn), then the file's write lock at BEGIN, so
    two transactions queue instead of failing half-way with "database is locked"; the turns
    pass on at COMMIT / ROLLBACK, a bulk writer's turn across processes already after BEGIN.
    A read-only transaction (Database.reading) takes none: in WAL mode it never waits for a
    writer."""
    turn = writers.turn

    def begin(conn) -> None:
        if conn.get_execution_options().get("read_only"):
            conn.exec_driver_sql("BEGIN")
            return
        writers.acquire()
        has_turn = False
        try:
            has_turn = turn is not None and turn.acquire()
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if has_turn:
                turn.release()
            writers.release()
            raise
        if has_turn and bulk_writer:
            turn.release()
            has_turn = False
        conn.info["writer_turn"] = True
        conn.info["file_turn"] = has_turn

    def end(conn) -> None:
        # called just before COMMIT / ROLLBACK runs: the next writer's BEGIN IMMEDIATE waits
        # out those few milliseconds in SQLite's busy handler
        release(conn.info)

    def returned(_dbapi_conn, record) -> None:  # a connection dropped without COMMIT / ROLLBACK
        release(record.info)

    def release(info: dict) -> None:
        if info.pop("file_turn", False):
            turn.release()
        if info.pop("writer_turn", False):
            writers.release()

    event.listen(engine, "begin", begin)
    event.listen(engine, "commit", end)
    event.listen(engine, "rollback", end)
    event.listen(engine, "checkin", returned)
    event.listen(engine, "engine_disposed", lambda _engine: writers.close_turn())


def make_engine(url: str | None = None, *, bulk_writer: bool = False, **kw) -> Engine:
    """`bulk_writer`: this engine writes back to back (the collection service in its own
    process) and gives the clerk's client the next turn at the SQLite file (FileTurn)."""
    url = url or default_db_url()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"isolation_level": None}, **kw)
        event.listen(engine, "connect", _sqlite_pragmas)
        _sqlite_transactions(engine, writer_queue(path), bulk_writer=bulk_writer)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_engine(url, pool_pre_ping=True, **kw)


class Database:
    def __init__(
        self,
        url: str | None = None,
        engine: Engine | None = None,
        *,
        bulk_writer: bool = False,
        connections: int | None = None,
    ):
        """`connections`: how many the pool keeps open, for a process whose threads use that
        many at once (the portal): beyond them a connection is opened for one use only."""
        pool = {} if connections is None else {"pool_size": connections}
        self.engine = engine or make_engine(url, bulk_writer=bulk_writer, **pool)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.schema_created = False  # by `upgrade`: the database had no schema

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One use case, one transaction: committed at the end, rolled back on error."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A use case that only reads (a view's rows): it sees one consistent snapshot and
        never waits for a writer such as the collection service; nothing it does is kept."""
        with self.engine.connect() as conn:
            conn.execution_options(read_only=True)
            with Session(bind=conn, expire_on_commit=False) as session:
                try:
                    yield session
                finally:
                    session.rollback()

    def take_service_turn(self, site_id: int, role: str = "service") -> ServiceTurn | None:
        """The market's one collection service (or `role`, see ServiceTurn): this process
        holds the turn until it releases it or ends, however it ends. None when another
        process holds it."""
        turn = ServiceTurn(self.engine, site_id, role)
        return turn if turn.take() else None

    def upgrade(self) -> bool:
        """See `upgrade`; True (and `schema_created`) when the schema was created."""
        self.schema_created = upgrade(self.engine) or self.schema_created
        return self.schema_created

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(engine: Engine | None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


class SchemaMismatch(ClerkMessage, Exception):
    """The database was made by a build of MarketMeter whose schema this build can neither
    use nor upgrade (a revision it does not know, or tables and columns it lacks). Nothing
    in the database was changed."""

    def __init__(self, what: Word | ClerkMessage | str, /, *, en: str = "", **params):
        super().__init__(self._words(what, en, params))


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Bring the schema to `revision`: a new database is created, an older known revision
    upgraded. A database this build cannot upgrade raises SchemaMismatch before anything
    is written. True when the schema was created (the database had none)."""
    if _is_current(engine):  # the usual start: no Alembic at all
        _require_complete(engine, _where(engine))
        return False
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = alembic_config(engine)
    known = {r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()}
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
        tables = set(inspect(conn).get_table_names())
    where = _where(engine)
    unknown = sorted(current - known)
    if unknown:
        raise SchemaMismatch(
            DATABASE_WAS_MADE_BY_ANOTHER, where=where, p2=", ".join(unknown), head=head_revision()
        )
    if not current and tables & _model_tables():
        # Tables without a revision: made outside the migrations; usable only if complete.
        _require_complete(engine, where)
        command.stamp(cfg, "head")
        return False
    command.upgrade(cfg, revision)
    _require_complete(engine, where)
    return not current


_REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=\n]*=\s*['\"](\w+)['\"]", re.M)


@functools.cache
def _head_in_files() -> str | None:
    """The head revision read from the migration files' text, without importing Alembic
    (which reads and imports every migration): the one revision that none names as its
    down_revision. None when that is not clear (a merge revision): ask Alembic then."""
    revisions, downs = set(), set()
    for f in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(f.read_text(encoding="utf-8")))
        revisions.add(found.get("revision"))
        downs.add(found.get("down_revision"))
    heads = revisions - downs - {None}
    return heads.pop() if len(heads) == 1 else None


def _is_current(engine: Engine) -> bool:
    """The database's schema revision is this build's head (one cheap query)."""
    head = _head_in_files()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except DBAPIError:
        return False  # no alembic_version table: a new database, or one made without it
    return [tuple(r) for r in rows] == [(head,)]


def head_revision() -> str:
    """The newest schema revision this build knows (and makes)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(None)).get_current_head()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {r.revision for r in ScriptDirectory.from_config(alembic_config(None)).walk_revisions()}


def older_revision(engine: Engine) -> str | None:
    """The database's schema revision when upgrade() would migrate it: a known revision older
    than this build's head (None for a new, a current or an unknown one)."""
    if _is_current(engine):
        return None
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if len(current) == 1 and current <= known_revisions() and current != {head_revision()}:
        return current.pop()
    return None


def _model_tables() -> set[str]:
    from app.models import Base

    return set(Base.metadata.tables)


def _where(engine: Engine) -> str:
    if engine.url.get_backend_name() == "sqlite":
        return str(Path(engine.url.database or "").resolve())
    return engine.url.render_as_string()  # the password hidden


def missing_schema(engine: Engine) -> list[str]:
    """Tables and columns of the models that the database lacks ("bill", "site.timezone")."""
    from app.models import Base

    insp = inspect(engine)
    present = set(insp.get_table_names())
    missing: list[str] = []
    for table in Base.metadata.sorted_tables:
        if table.name not in present:
            missing.append(table.name)
            continue
        columns = {c["name"] for c in insp.get_columns(table.name)}
        missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in columns]
    return missing


def _require_complete(engine: Engine, where: str) -> None:
    missing = missing_schema(engine)
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise SchemaMismatch(DATABASE_WAS_MADE_BY_EARLIER, where=where, shown=shown)
