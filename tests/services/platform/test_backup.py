"""Backups of the market's database: taken while others write, checked, kept 30 days and 12
months, restored; junk, newer and half-written files never taken for a backup."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models.account import Account, EntryKind, LedgerEntry
from app.models.db import Database, ServiceTurn
from app.models.user import AuditEvent, Role
from app.services.money.ledger import ledger_sum, lock_account, post, post_many
from app.services.platform import backup
from app.services.platform.backup import BackupError, back_up, prune, records, restore
from app.services.platform.context import CLI_ACTOR, Actor, Conflict, PermissionDenied
from tests.builders import Market

spawn = multiprocessing.get_context("spawn")
ADMIN = Actor(None, CLI_ACTOR, Role.ADMIN, 1, "ops@office-pc")  # the ops command line
ROOT = Path(__file__).resolve().parents[3]


def a_market(db: Database, stalls: int = 5) -> list[int]:
    """A market whose stalls have opening balances; returns their account ids."""
    market = Market(db)
    for n in range(stalls):
        market.a_stall(f"A{n:03}", balance="100.00", tenant=None)
    with db.reading() as s:
        return list(s.scalars(select(Account.id).order_by(Account.id)))


def balances_of(path: Path) -> dict[int, tuple[Decimal, Decimal]]:
    """Each account's balance and its ledger sum, read from a backup file on its own."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as s:
            return {
                a.id: (a.balance, ledger_sum(s, a.id)) for a in s.scalars(select(Account)).all()
            }
    finally:
        engine.dispose()


def entries_in(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM ledger_entry").fetchone()[0]
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def debit_back_to_back(url: str, accounts: list[int], stop, writing) -> None:
    """The collection service in its own process: settlement debits, one run after another."""
    db = Database(url, bulk_writer=True)
    while not stop.is_set():
        with db.transaction() as s:
            post_many(s, [(a, EntryKind.BILL, Decimal("-0.37"), {}) for a in accounts])
        writing.set()
    db.dispose()


def test_a_backup_taken_while_the_collection_service_and_a_clerk_write_has_books_that_agree(
    sqlite_db, tmp_path
):
    accounts = a_market(sqlite_db, stalls=40)
    stop, writing = spawn.Event(), spawn.Event()
    service = spawn.Process(
        target=debit_back_to_back, args=(sqlite_db.url, accounts, stop, writing)
    )
    service.start()
    made = []
    try:
        assert writing.wait(60)
        for n in range(3):
            with sqlite_db.transaction() as s:  # a clerk's recharge between the backups
                post(s, lock_account(s, accounts[n]), EntryKind.RECHARGE, Decimal("50.00"))
            made.append(back_up(sqlite_db, tmp_path / "backups"))
            writing.clear()
            assert writing.wait(60)  # the service wrote again after this backup
    finally:
        stop.set()
        service.join(60)
    assert all(r.ok for r in made), [r.text("en") for r in made]
    counts = [entries_in(r.file) for r in made]
    assert counts == sorted(counts) and counts[0] < counts[-1]  # taken while writes went on
    for record in made:
        books = balances_of(record.file)
        assert len(books) == 40
        assert all(balance == summed for balance, summed in books.values()), books
    assert [r.file for r in records(tmp_path / "backups")] == [r.file for r in reversed(made)]


def test_a_backup_whose_balances_disagree_with_the_ledger_is_not_kept(sqlite_db, tmp_path):
    accounts = a_market(sqlite_db, stalls=2)
    with sqlite_db.transaction() as s:  # a balance edited by hand, outside the ledger
        s.get(Account, accounts[1]).balance = Decimal("999.00")
    folder = tmp_path / "backups"
    record = back_up(sqlite_db, folder)
    assert not record.ok and not record.file.exists()
    assert "1 balances differ from their ledger sums" in record.text("en")
    assert "999" in record.text("en")
    assert [p.name for p in folder.iterdir()] == ["backups.jsonl"]  # no half file, noted
    assert [r.ok for r in records(folder)] == [False]


def test_restore_brings_back_the_backup_and_keeps_what_was_replaced(sqlite_db, tmp_path):
    accounts = a_market(sqlite_db, stalls=3)
    taken = back_up(sqlite_db, tmp_path / "backups")
    with sqlite_db.transaction() as s:  # written after the backup: replaced by the restore
        post(s, lock_account(s, accounts[0]), EntryKind.RECHARGE, Decimal("25.00"))

    done = restore(sqlite_db, ADMIN, taken.file, tmp_path / "backups")

    with sqlite_db.reading() as s:
        assert s.get(Account, accounts[0]).balance == Decimal("100.00")
        assert s.scalar(select(LedgerEntry.amount).order_by(LedgerEntry.id.desc())) == Decimal(
            "100.00"
        )
    with sqlite_db.transaction() as s:  # the restored database takes new writes
        post(s, lock_account(s, accounts[1]), EntryKind.RECHARGE, Decimal("1.00"))
    assert done.kept.ok and "before-restore" in done.kept.file.name and not done.upgraded
    assert balances_of(done.kept.file)[accounts[0]] == (Decimal("125.00"), Decimal("125.00"))
    with sqlite_db.reading() as s:
        said = s.scalars(select(AuditEvent).where(AuditEvent.action == "database.restore")).one()
        assert said.actor == CLI_ACTOR and said.detail["file"] == str(taken.file)
        assert said.detail["kept"] == str(done.kept.file)


def test_only_an_administrator_may_restore(sqlite_db, tmp_path):
    a_market(sqlite_db, stalls=1)
    taken = back_up(sqlite_db, tmp_path / "backups")
    cashier = Actor(None, "xiaoli", Role.CASHIER, 1)
    with pytest.raises(PermissionDenied):
        restore(sqlite_db, cashier, taken.file, tmp_path / "backups")
    assert [r.file for r in records(tmp_path / "backups")] == [taken.file]  # nothing kept


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda p: p.write_bytes(b"PK\x03\x04 a spreadsheet, not a backup"), "not a database"),
        (
            lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(),
            "not MarketMeter's",
        ),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(
    sqlite_db, tmp_path, make, words
):
    a_market(sqlite_db, stalls=1)
    junk = tmp_path / "junk.db"
    make(junk)
    live = Path(sqlite_db.engine.url.database)
    sqlite_db.dispose()
    before = digest(live)
    with pytest.raises(BackupError) as refused:
        restore(sqlite_db, ADMIN, junk, tmp_path / "backups")
    assert "is not a MarketMeter backup" in refused.value.text(
        "en"
    ) and words in refused.value.text("en")
    assert "不是" in str(refused.value)  # the Chinese for the clerk
    assert digest(live) == before and not (tmp_path / "backups").exists()


def test_a_backup_from_a_newer_version_is_refused_with_the_schema_it_needs(sqlite_db, tmp_path):
    a_market(sqlite_db, stalls=1)
    newer = back_up(sqlite_db, tmp_path / "made").file
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError) as refused:
        restore(sqlite_db, ADMIN, newer, tmp_path / "backups")
    said = refused.value.text("en")
    assert "newer version of MarketMeter (schema 0099_future)" in said
    assert f"up to {backup.head_revision()}" in said
    assert not (tmp_path / "backups").exists()


def test_restore_is_refused_while_the_collection_service_runs(sqlite_db, tmp_path):
    a_market(sqlite_db, stalls=1)
    taken = back_up(sqlite_db, tmp_path / "backups")
    ready = tmp_path / "ready.json"
    service = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", sqlite_db.url, "service", "--ready-file", str(ready)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not ready.exists() and service.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), "the service did not start"
        with pytest.raises(Conflict) as refused:
            restore(sqlite_db, ADMIN, taken.file, tmp_path / "backups")
        assert "Stop the service first" in refused.value.text("en")
        assert [r.file for r in records(tmp_path / "backups")] == [taken.file]  # none kept
    finally:
        service.terminate()
        service.wait(60)
    assert not ServiceTurn.held_in_file(Path(sqlite_db.engine.url.database))
    assert restore(sqlite_db, ADMIN, taken.file, tmp_path / "backups").kept.ok  # once it stopped


KILLED_CHILD = """
import sys
from pathlib import Path
from app.models.db import Database
from app.services.platform.backup import back_up
back_up(Database(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_backup_killed_half_way_leaves_the_earlier_ones_and_no_half_file(sqlite_db, tmp_path):
    a_market(sqlite_db, stalls=2)
    folder = tmp_path / "backups"
    earlier = back_up(sqlite_db, folder)
    with sqlite_db.transaction() as s:  # 150 MB, so that the copy takes a while
        s.connection().exec_driver_sql("CREATE TABLE filler (b BLOB)")
        s.connection().exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150) "
            "INSERT INTO filler SELECT randomblob(1000000) FROM n"
        )
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_CHILD, sqlite_db.url, str(folder)], cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 120
        partial = []
        while not partial and child.poll() is None and time.monotonic() < deadline:
            partial = list(folder.glob(".marketmeter-*.partial"))
        assert partial, "the backup ended before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(60)
    assert child.returncode == -signal.SIGKILL
    named = sorted(p.name for p in folder.iterdir() if backup.NAME.match(p.name))
    assert named == [earlier.file.name]
    assert digest(earlier.file) and balances_of(earlier.file)  # intact, still a backup
    assert [r.file for r in records(folder)] == [earlier.file]
    assert backup.backup_revision(earlier.file) == backup.head_revision()


def test_thirty_daily_and_twelve_monthly_backups_are_kept(tmp_path):
    start = datetime(2025, 1, 1, 2, 0, tzinfo=UTC)
    for day in range(500):  # two a day (the daily one and one at exit) for 500 days
        for hour in (2, 18):
            at = start + timedelta(days=day, hours=hour - 2)
            (tmp_path / f"marketmeter-{at:%Y%m%d-%H%M%S}.db").write_bytes(b"x")
    (tmp_path / "marketmeter-20250101-010000-before-restore.db").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not ours")

    deleted = prune(tmp_path)

    kept = sorted(p.name for p in tmp_path.glob("marketmeter-*.db") if "before" not in p.name)
    last = start + timedelta(days=499)
    days = {(last - timedelta(days=n)).strftime("%Y%m%d") for n in range(30)}
    assert {name[12:20] for name in kept} >= days
    assert all(name[21:27] == "180000" for name in kept)  # the newest of its day
    months = {name[12:18] for name in kept}
    daily_months = {d[:6] for d in days}  # the newest of these months is a daily one too
    assert len(months) == 12 and len(kept) == 30 + 12 - len(daily_months)
    assert len(deleted) == 1000 - len(kept)
    assert (tmp_path / "marketmeter-20250101-010000-before-restore.db").exists()
    assert (tmp_path / "notes.txt").exists()


def test_an_older_database_is_backed_up_then_upgraded_and_the_command_line_says_so(
    sqlite_db, tmp_path
):
    from alembic import command
    from alembic.script import ScriptDirectory

    from app.models.db import alembic_config

    accounts = a_market(sqlite_db, stalls=3)
    cfg = alembic_config(sqlite_db.engine)
    previous = ScriptDirectory.from_config(cfg).get_revision("head").down_revision
    command.downgrade(cfg, previous)  # the database as the previous version left it, with data
    sqlite_db.dispose()
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"), MARKETMETER_LANG="en")
    done = subprocess.run(
        [sys.executable, "-m", "app", "--db", sqlite_db.url, "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"earlier version (schema {previous}) and has been upgraded" in done.stderr
    kept = list((tmp_path / "data" / "MarketMeter" / "backups").glob("marketmeter-*.db"))
    assert len(kept) == 1 and f"before-upgrade-{previous}" in kept[0].name
    assert str(kept[0]) in done.stderr
    assert backup.backup_revision(kept[0]) == previous
    assert balances_of(kept[0])[accounts[0]] == (Decimal("100.00"), Decimal("100.00"))
    with sqlite_db.reading() as s:
        assert s.get(Account, accounts[2]).balance == Decimal("100.00")
        assert (
            s.connection().exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            == backup.head_revision()
        )


@pytest.mark.pg
def test_on_postgresql_backup_and_restore_use_pg_dump_and_pg_restore(pg_db, tmp_path):
    accounts = a_market(pg_db, stalls=2)
    taken = back_up(pg_db, tmp_path)
    assert taken.ok and taken.file.suffix == ".dump", taken.text("en")
    with pg_db.transaction() as s:
        post(s, lock_account(s, accounts[0]), EntryKind.RECHARGE, Decimal("7.00"))
    done = restore(pg_db, ADMIN, taken.file, tmp_path)
    with pg_db.reading() as s:
        assert (
            s.get(Account, accounts[0]).balance == Decimal("100.00") == ledger_sum(s, accounts[0])
        )
    assert done.kept.ok and done.kept.file.suffix == ".dump"
    with pytest.raises(BackupError) as refused:
        restore(pg_db, ADMIN, tmp_path / "backups.jsonl", tmp_path)
    assert "is not a MarketMeter backup" in refused.value.text("en")


@pytest.mark.pg
def test_on_postgresql_without_pg_dump_the_message_says_what_to_install(
    pg_db, tmp_path, monkeypatch
):
    a_market(pg_db, stalls=1)
    monkeypatch.setenv("PATH", str(tmp_path))  # a PC without the PostgreSQL client tools
    with pytest.raises(BackupError) as refused:
        back_up(pg_db, tmp_path)
    said = refused.value.text("en")
    assert "pg_dump was not found" in said and "PATH" in said
    assert not list(tmp_path.glob("marketmeter-*"))


def test_a_folder_that_cannot_be_written_is_said_in_the_clerks_words(sqlite_db, tmp_path):
    a_market(sqlite_db, stalls=1)
    not_a_folder = tmp_path / "usb"
    not_a_folder.write_text("a file where the folder should be")
    with pytest.raises(BackupError) as refused:
        back_up(sqlite_db, not_a_folder)
    assert f"could not be written to “{not_a_folder}”" in refused.value.text("en")
    assert "备份无法写入" in str(refused.value)
