"""Backups (备份) of the market's database, and restoring one.

SQLite: the online backup API copies the pages of one read snapshot (in WAL mode the clerk's
client and the collection service go on writing meanwhile; never a copy of the file, which
could catch a transaction half-way) into a temporary name in the target folder. The copy is
checked (it opens, PRAGMA integrity_check, every balance equals its ledger sum) and only then
renamed to its backup name in one step (os.replace): a program killed half-way leaves a
`.partial` file (removed by a later backup), never a half file under a backup's name.
PostgreSQL: pg_dump / pg_restore in their custom format, when they are on PATH.

Every backup made or failed is one line (time, size, result) in the journal of its folder
(`backups.jsonl`), which Settings → Backups lists. Automatic backups keep 30 daily and 12
monthly ones (prune); a backup with a tag (before-restore, before-upgrade-…) is kept until
deleted by hand. These are file operations, not use cases of one transaction: they take the
Database, not a session.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app import program
from app.models.db import (
    Database,
    ServiceTurn,
    head_revision,
    known_revisions,
    older_revision,
    user_data_dir,
)
from app.models.site import Site
from app.services.money.ledger import balances_off_ledger
from app.services.platform.audit import audit
from app.services.platform.context import Actor, Conflict, May, ServiceError, require
from app.words import QT_TRANSLATE_NOOP, Said, Word

log = logging.getLogger(__name__)

JOURNAL = "backups.jsonl"
KEEP_DAYS = 30
KEEP_MONTHS = 12
# marketmeter-20261207-081500.db, marketmeter-20261207-081500-before-restore.dump
NAME = re.compile(r"^marketmeter-(\d{8})-(\d{6})(?:-([a-z0-9-]+))?\.(db|dump)$")

GOOD = Word(
    "backup.good",
    QT_TRANSLATE_NOOP(
        "Backups", "Good: the file is intact and all {accounts} balances equal their ledgers"
    ),
)
GOOD_DUMP = Word(
    "backup.good_dump",
    QT_TRANSLATE_NOOP("Backups", "Good: pg_restore reads the whole file (schema {revision})"),
)
DAMAGED = Word(
    "backup.damaged",
    QT_TRANSLATE_NOOP(
        "Backups",
        "Failed: the copy is damaged (integrity check: {detail}). Try again; if it fails again, "
        "check the disk of the backup folder",
    ),
)
BALANCES_OFF = Word(
    "backup.balances_off",
    QT_TRANSLATE_NOOP(
        "Backups",
        "Failed: {count} balances differ from their ledger sums (account {account}: balance "
        "{balance}, ledger {summed}). The database itself needs checking: tell your administrator",
    ),
)
NOT_A_BACKUP = Word(
    "backup.not_a_backup",
    QT_TRANSLATE_NOOP(
        "Backups",
        "“{file}” is not a MarketMeter backup ({why}). Nothing was changed. Choose a file that "
        "MarketMeter's backup wrote (marketmeter-….db, or .dump on PostgreSQL)",
    ),
)
NOT_A_DATABASE = Word("backup.not_a_database", QT_TRANSLATE_NOOP("Backups", "not a database"))
NO_SCHEMA = Word(
    "backup.no_schema", QT_TRANSLATE_NOOP("Backups", "a database, but not MarketMeter's")
)
IS_DAMAGED = Word("backup.is_damaged", QT_TRANSLATE_NOOP("Backups", "the file is damaged"))
NEWER_BACKUP = Word(
    "backup.newer",
    QT_TRANSLATE_NOOP(
        "Backups",
        "“{file}” was made by a newer version of MarketMeter (schema {needs}); this version reads "
        "schemas up to {head}. Nothing was changed. Install the version that made it, then restore",
    ),
)
NO_SUCH_FILE = Word(
    "backup.no_such_file",
    QT_TRANSLATE_NOOP("Backups", "The file “{file}” does not exist. Check the name and folder"),
)
SERVICE_HOLDS = Word(
    "backup.service_holds",
    QT_TRANSLATE_NOOP(
        "Backups",
        "The collection service is using this database, so it cannot be replaced. Nothing was "
        "changed. Stop the service first (Ctrl-C in the window of “{command}”, or "
        "close the client started with --collect), then restore again",
    ),
)
OTHERS_CONNECTED = Word(
    "backup.others_connected",
    QT_TRANSLATE_NOOP(
        "Backups",
        "{count} other connections are using the database (clerks' clients or the collection "
        "service), so it cannot be replaced. Nothing was changed. Close them and stop the "
        "service, then restore again",
    ),
)
TOOL_MISSING = Word(
    "backup.tool_missing",
    QT_TRANSLATE_NOOP(
        "Backups",
        "{tool} was not found. A PostgreSQL database is backed up and restored with "
        "PostgreSQL's {tool}: install the PostgreSQL client tools (the server's version) and put "
        "their bin folder on PATH",
    ),
)
TOOL_FAILED = Word(
    "backup.tool_failed",
    QT_TRANSLATE_NOOP("Backups", "{tool} failed: {detail}. Nothing was replaced"),
)
CANNOT_WRITE = Word(
    "backup.cannot_write",
    QT_TRANSLATE_NOOP(
        "Backups",
        "The backup could not be written to “{folder}”: {detail}. Check that the folder exists, "
        "can be written to and has free space",
    ),
)
KEEPING_FAILED = Word(
    "backup.keeping_failed",
    QT_TRANSLATE_NOOP(
        "Backups",
        "The current database could not be kept as a backup first ({result}), so nothing was "
        "changed",
    ),
)
UPGRADED = Word(
    "backup.upgraded",
    QT_TRANSLATE_NOOP(
        "Backups",
        "The database was made by an earlier version (schema {old}) and has been upgraded to "
        "schema {new}. The database as it was is kept in “{file}”",
    ),
)
UPGRADED_WITHOUT_BACKUP = Word(
    "backup.upgraded_without_backup",
    QT_TRANSLATE_NOOP(
        "Backups",
        "The database was made by an earlier version (schema {old}) and has been upgraded to "
        "schema {new}, without a backup first: {why}",
    ),
)


class BackupError(ServiceError):
    code = "backup"


@dataclass(frozen=True)
class BackupRecord:
    """One backup made (ok) or failed, as its folder's journal keeps it."""

    file: Path
    at: datetime  # UTC
    size: int  # bytes
    ok: bool
    result: Said

    def text(self, lang: str | None = None) -> str:
        return self.result.say(lang)


@dataclass(frozen=True)
class RestoreResult:
    kept: BackupRecord  # the database as it was before
    revision: str  # the restored backup's schema, before any upgrade
    upgraded: bool


def default_folder() -> Path:
    return user_data_dir() / "backups"


def sqlite_file(db: Database) -> Path | None:
    """The database's file, or None on PostgreSQL."""
    if db.engine.url.get_backend_name() != "sqlite":
        return None
    return Path(db.engine.url.database or "")


def backup_name(at: datetime, tag: str = "", suffix: str = "db") -> str:
    stamp = at.astimezone().strftime("%Y%m%d-%H%M%S")  # the PC's local time, read by people
    return f"marketmeter-{stamp}{'-' + tag if tag else ''}.{suffix}"


def back_up(
    db: Database, folder: Path, *, tag: str = "", out: Path | None = None, now=None
) -> BackupRecord:
    """Write a checked backup of `db` into `folder` (or to the file `out`) and note it in the
    folder's journal. A backup that fails its check is not kept (ok=False, result says why);
    a folder that cannot be written raises BackupError."""
    at = now or datetime.now(UTC)
    live = sqlite_file(db)
    target = Path(out) if out else _free_name(Path(folder), at, tag, "db" if live else "dump")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_partials(target.parent)
        if live is not None:
            _copy_sqlite(live, partial)
            result, ok = _check_sqlite(partial)
        else:
            _pg(db, "pg_dump", "--format=custom", f"--file={partial}")
            result, ok = _check_dump(partial)
        size = partial.stat().st_size
        if ok:
            _durable(partial)
            os.replace(partial, target)
            _durable(target.parent)
    except (OSError, sqlite3.Error) as exc:  # no such drive, no space ("disk is full") …
        raise BackupError(CANNOT_WRITE, folder=str(target.parent), detail=str(exc)) from exc
    finally:
        for leftover in (partial, Path(f"{partial}-journal")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:  # there was no folder to write it in
                pass
    record = BackupRecord(target, at, size, ok, result)
    _note(target.parent, record)
    log.info("backup %s: %s", target, record.text("en"))
    return record


def _free_name(folder: Path, at: datetime, tag: str, suffix: str) -> Path:
    """A name no backup has yet: two backups in one second are a second apart by name."""
    step = 0
    while (folder / backup_name(at + timedelta(seconds=step), tag, suffix)).exists():
        step += 1
    return folder / backup_name(at + timedelta(seconds=step), tag, suffix)


def _copy_sqlite(live: Path, partial: Path) -> None:
    source = sqlite3.connect(live, timeout=30)
    try:
        target = sqlite3.connect(partial)
        try:
            # all pages in one step: one read snapshot, which writers in WAL mode never wait for
            source.backup(target)
            # one self-contained file (the live database's WAL mode would want -wal / -shm files)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()


def _read_only(path: Path) -> sqlite3.Connection:
    # a URI, so that opening cannot change the file (nor create one where there was none)
    return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, timeout=30)


def _check_sqlite(path: Path) -> tuple[Said, bool]:
    """Opens, PRAGMA integrity_check, every balance equals its ledger sum."""
    conn = _read_only(path)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
    finally:
        conn.close()
    if problems != ["ok"]:
        return DAMAGED(detail="; ".join(problems)), False
    engine = create_engine("sqlite://", creator=lambda: _read_only(path))
    try:
        with Session(engine) as session:
            off = balances_off_ledger(session)
            accounts = session.connection().exec_driver_sql("SELECT count(*) FROM account").scalar()
    finally:
        engine.dispose()
    if off:
        account, balance, summed = off[0]
        return (
            BALANCES_OFF(count=len(off), account=account, balance=balance, summed=summed),
            False,
        )
    return GOOD(accounts=accounts), True


def _check_dump(path: Path) -> tuple[Said, bool]:
    """A dump is good when pg_restore reads its whole table of contents and its schema."""
    revision = _dump_revision(path)
    if revision is None:
        return NOT_A_BACKUP(file=str(path), why=NO_SCHEMA), False
    return GOOD_DUMP(revision=revision), True


def _durable(path: Path) -> None:
    """On disk before the rename is (a power cut must not leave an empty backup)."""
    if path.is_dir() and os.name == "nt":
        return  # Windows cannot open a folder to flush it; its rename is already journaled
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale_partials(folder: Path) -> None:
    """Leftovers of a backup killed half-way (a day old: another may be writing one now)."""
    day_ago = datetime.now().timestamp() - 86400
    for path in folder.glob(".marketmeter-*.partial*"):
        try:
            if path.stat().st_mtime < day_ago:
                path.unlink()
        except OSError as exc:
            log.warning("cannot remove the leftover %s: %s", path, exc)


# ---------------------------------------------------------------- journal and retention
def _note(folder: Path, record: BackupRecord) -> None:
    line = {
        "file": record.file.name,
        "at": record.at.isoformat(),
        "size": record.size,
        "ok": record.ok,
        "result": record.result.stored(),
    }
    with open(folder / JOURNAL, "a", encoding="utf-8") as journal:
        journal.write(json.dumps(line, ensure_ascii=False) + "\n")


def records(*folders: Path) -> list[BackupRecord]:
    """The backups of the folders, newest first: those still there, and the failed ones of
    the last 30 days."""
    since = datetime.now(UTC) - timedelta(days=KEEP_DAYS)
    found: list[BackupRecord] = []
    for folder in folders:
        try:
            lines = (Path(folder) / JOURNAL).read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for line in lines:
            try:
                data = json.loads(line)
                record = BackupRecord(
                    Path(folder) / data["file"],
                    datetime.fromisoformat(data["at"]),
                    int(data["size"]),
                    bool(data["ok"]),
                    Said.from_stored(data["result"]) or GOOD(accounts="?"),
                )
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a power cut
            if (record.ok and record.file.exists()) or (not record.ok and record.at > since):
                found.append(record)
    return sorted(found, key=lambda r: r.at, reverse=True)


def last_good(*folders: Path) -> datetime | None:
    return next((r.at for r in records(*folders) if r.ok), None)


def prune(folder: Path, keep_days: int = KEEP_DAYS, keep_months: int = KEEP_MONTHS) -> list[Path]:
    """Keep the newest backup of each of the last `keep_days` days that have one and of each of
    the last `keep_months` months; delete the other untagged backups. Returns those deleted."""
    dated = []
    for path in Path(folder).iterdir():
        match = NAME.match(path.name)
        if match and not match.group(3):
            dated.append((match.group(1) + match.group(2), path))
    dated.sort(reverse=True)
    keep: set[Path] = set()
    for width, count in ((8, keep_days), (6, keep_months)):  # yyyymmdd / yyyymm
        seen: list[str] = []
        for stamp, path in dated:
            if stamp[:width] not in seen:
                seen.append(stamp[:width])
                if len(seen) <= count:
                    keep.add(path)
    deleted = []
    for _stamp, path in dated:
        if path not in keep:
            try:
                path.unlink()
                deleted.append(path)
            except OSError as exc:
                log.warning("cannot delete the old backup %s: %s", path, exc)
    return deleted


# ---------------------------------------------------------------- restore and upgrade
def backup_revision(path: Path, *, postgresql: bool = False) -> str:
    """The schema revision of a backup file; BackupError when it is not a MarketMeter backup
    this version can read (junk, damaged, or from a newer version)."""
    if not path.is_file():
        raise BackupError(NO_SUCH_FILE, file=str(path))
    if postgresql:
        revision = _dump_revision(path)
        if revision is None:
            raise BackupError(NOT_A_BACKUP, file=str(path), why=NO_SCHEMA)
    else:
        revision = _sqlite_revision(path)
    if revision not in known_revisions():
        raise BackupError(NEWER_BACKUP, file=str(path), needs=revision, head=head_revision())
    return revision


def _sqlite_revision(path: Path) -> str:
    try:
        conn = _read_only(path)
    except sqlite3.Error:
        raise BackupError(NOT_A_BACKUP, file=str(path), why=NOT_A_DATABASE) from None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "site", "account", "ledger_entry"} <= tables:
            raise BackupError(NOT_A_BACKUP, file=str(path), why=NO_SCHEMA)
        if [r[0] for r in conn.execute("PRAGMA quick_check")] != ["ok"]:
            raise BackupError(NOT_A_BACKUP, file=str(path), why=IS_DAMAGED)
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:  # "file is not a database"
        raise BackupError(NOT_A_BACKUP, file=str(path), why=NOT_A_DATABASE) from None
    finally:
        conn.close()
    if row is None:
        raise BackupError(NOT_A_BACKUP, file=str(path), why=NO_SCHEMA)
    return row[0]


def restore(db: Database, actor: Actor, file: Path, folder: Path) -> RestoreResult:
    """Replace the database by the backup `file`, after keeping the current one as a backup
    in `folder`; a backup of an earlier schema is upgraded after. Refused, with nothing
    changed, for a file that is not a backup this version can read, and while the collection
    service (or, on PostgreSQL, any other connection) uses the database.
    Permission: RESTORE_BACKUPS. Audit: 'database.restore', written into the restored
    database (under the actor's name: their user row may not be in it)."""
    require(actor, May.RESTORE_BACKUPS)
    file = Path(file)
    live = sqlite_file(db)
    revision = backup_revision(file, postgresql=live is None)
    if live is not None and ServiceTurn.held_in_file(live):
        raise Conflict(SERVICE_HOLDS, command=program.command_text("service"))
    if live is None:
        _refuse_while_others_connected(db)
    kept = back_up(db, folder, tag="before-restore")
    if not kept.ok:
        raise BackupError(KEEPING_FAILED, result=kept.result)
    db.dispose()
    if live is not None:
        source = _read_only(file)
        try:
            target = sqlite3.connect(live, timeout=30)
            try:
                source.backup(target)  # through SQLite's locks: other connections see it whole
            finally:
                target.close()
        finally:
            source.close()
    else:
        _pg(
            db,
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(file),
        )
    upgraded = revision != head_revision()
    if upgraded:
        db.upgrade()
    with db.transaction() as session:
        site_id = session.scalar(select(Site.id).order_by(Site.id).limit(1))
        audit(
            session,
            replace(actor, user_id=None, site_id=site_id or 0),
            "database.restore",
            "database",
            None,
            file=str(file),
            revision=revision,
            upgraded=upgraded,
            kept=str(kept.file),
        )
    return RestoreResult(kept, revision, upgraded)


def _refuse_while_others_connected(db: Database) -> None:
    db.dispose()
    with db.engine.connect() as conn:
        others = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).scalar()
    db.dispose()
    if others:
        raise Conflict(OTHERS_CONNECTED, count=others)


def upgrade_with_backup(db: Database, folder: Path) -> Said | None:
    """Bring the schema up to date (Database.upgrade); a database of an earlier schema is
    backed up into `folder` first. Returns what happened for the person who opened it, or
    None when nothing was upgraded. Refuses (BackupError) to upgrade when that backup fails."""
    old = older_revision(db.engine)
    if old is None:
        db.upgrade()
        return None
    try:
        kept = back_up(db, folder, tag=f"before-upgrade-{old.lower()}")
    except BackupError as exc:
        if sqlite_file(db) is not None or exc.said is None or exc.said.word is not TOOL_MISSING:
            raise
        db.upgrade()  # PostgreSQL without pg_dump: the office backs up its server its own way
        return UPGRADED_WITHOUT_BACKUP(old=old, new=head_revision(), why=exc.said)
    if not kept.ok:
        raise BackupError(KEEPING_FAILED, result=kept.result)
    db.upgrade()
    return UPGRADED(old=old, new=head_revision(), file=str(kept.file))


# ---------------------------------------------------------------- PostgreSQL tools
def _pg(db: Database, tool: str, *args: str) -> str:
    """Run pg_dump / pg_restore on the database; the password goes in the environment,
    never on the command line (where every user of the PC could read it)."""
    found = shutil.which(tool)
    if found is None:
        raise BackupError(TOOL_MISSING, tool=tool)
    url = db.engine.url
    target = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    done = subprocess.run(
        [found, *args, f"--dbname={target}"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(TOOL_FAILED, tool=tool, detail=done.stderr.strip()[-500:])
    return done.stdout


def _dump_revision(path: Path) -> str | None:
    """The schema revision inside a custom-format dump; None when pg_restore cannot read it
    or it holds no MarketMeter schema."""
    found = shutil.which("pg_restore")
    if found is None:
        raise BackupError(TOOL_MISSING, tool="pg_restore")
    listed = subprocess.run([found, "--list", str(path)], capture_output=True, text=True)
    if listed.returncode != 0 or "TABLE DATA public alembic_version" not in listed.stdout:
        return None
    data = subprocess.run(
        [found, "--data-only", "--table=alembic_version", "--file=-", str(path)],
        capture_output=True,
        text=True,
    )
    lines = data.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and i + 1 < len(lines):
            return lines[i + 1].strip() or None
    return None
