"""The turn at a SQLite file across processes (FileTurn): the clerk's writes are not starved
by the collection service writing back to back in its own process."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from app.models.db import Database, FileTurn, _try_lock, _unlock, writer_queue
from app.models.site import Site

spawn = multiprocessing.get_context("spawn")

# The bounds below tell a clerk that got the turn from one that did not: a starved or blocked
# clerk waits SQLite's busy_timeout (10 s) and fails, or forever; one that got the turn waits
# at most for the 0.1 s transactions queued before it. Half the busy_timeout leaves room for a
# machine many times slower and busier than this one without hiding the failure.
GOT_ITS_TURN_S = 5.0


def save_back_to_back(url: str, index: int, stop, writing, counts) -> None:
    """A collection service in its own process: transactions of 0.1 s, one after another."""
    db = Database(url, bulk_writer=True)
    done = failed = 0
    while not stop.is_set():
        try:
            with db.transaction() as s:
                s.add(Site(code=f"W{index}-{done}", name="readings"))
                s.flush()
                stop.wait(0.1)  # the transaction's own work, cut short when the test ends
            done += 1
            writing.set()
        except OperationalError:
            failed += 1
    counts[2 * index], counts[2 * index + 1] = done, failed
    db.dispose()


def hold_the_turn(url: str, holding, killed) -> None:
    """A clerk's client that stops in the middle of a transaction (until it is killed)."""
    db = Database(url)
    with db.transaction() as s:
        s.add(Site(code="K1", name="killed half-way"))
        s.flush()
        holding.set()
        killed.wait(600)  # nobody sets it: the process is killed first


def _turn_file(db: Database) -> int:
    return os.open(db.engine.url.database + "-turn", os.O_RDWR)


def test_the_clerk_is_not_starved_by_a_collection_service_in_another_process(sqlite_db):
    stop, counts = spawn.Event(), spawn.Array("i", 4)
    writing = [spawn.Event(), spawn.Event()]
    services = [
        spawn.Process(target=save_back_to_back, args=(sqlite_db.url, n, stop, writing[n], counts))
        for n in range(2)
    ]
    for p in services:
        p.start()
    try:
        assert all(w.wait(60) for w in writing)
        waits = []
        for n in range(12):
            started = time.monotonic()
            with sqlite_db.transaction() as s:
                s.add(Site(code=f"C{n}", name="recharge"))
            waits.append(time.monotonic() - started)
            for w in writing:  # the next recharge once each service has saved again
                w.clear()
            for w in writing:
                w.wait(60)
    finally:
        stop.set()
        for p in services:
            p.join(60)
    # without the turn the clerk waits ~10 s and fails with "database is locked" (bench/writers.py)
    assert max(waits) < GOT_ITS_TURN_S, waits
    done, failed = counts[0] + counts[2], counts[1] + counts[3]
    assert failed == 0 and done >= 10, list(counts)
    with sqlite_db.reading() as s:
        assert len(s.scalars(select(Site.code).where(Site.code.like("C%"))).all()) == 12


def test_a_client_killed_in_the_middle_of_a_transaction_leaves_nothing_that_blocks(sqlite_db):
    holding, killed = spawn.Event(), spawn.Event()
    client = spawn.Process(target=hold_the_turn, args=(sqlite_db.url, holding, killed))
    client.start()
    fd = _turn_file(sqlite_db) if holding.wait(60) else None
    try:
        assert fd is not None and not _try_lock(fd)  # its turn is held
        started = time.monotonic()
        with sqlite_db.reading() as s:  # a read takes no turn
            assert s.scalars(select(Site.code)).all() == []
        assert time.monotonic() - started < GOT_ITS_TURN_S
    finally:
        client.kill()
        client.join(30)
        if fd is not None:
            os.close(fd)
    started = time.monotonic()
    with sqlite_db.transaction() as s:
        s.add(Site(code="S1", name="一号市场"))
    assert time.monotonic() - started < GOT_ITS_TURN_S
    with sqlite_db.reading() as s:
        assert s.scalars(select(Site.code)).all() == ["S1"]


def test_a_bulk_writer_holds_the_turn_only_around_begin_the_clerk_until_commit(sqlite_db):
    service = Database(sqlite_db.url, bulk_writer=True)
    fd = _turn_file(sqlite_db)
    try:
        with service.transaction() as s:
            s.add(Site(code="S1", name="readings"))
            s.flush()
            assert _try_lock(fd)
            _unlock(fd)
        with sqlite_db.transaction() as s:
            s.add(Site(code="S2", name="recharge"))
            s.flush()
            assert not _try_lock(fd)
        assert _try_lock(fd)
        _unlock(fd)
        with pytest.raises(RuntimeError), sqlite_db.transaction() as s:
            s.add(Site(code="S3", name="recharge"))
            s.flush()
            raise RuntimeError("the clerk's action failed")
        assert _try_lock(fd)  # passed on at ROLLBACK too
        _unlock(fd)
    finally:
        os.close(fd)
        service.dispose()


def test_a_savepoint_and_a_reentrant_turn_keep_the_turn_to_the_outer_end(sqlite_db, tmp_path):
    fd = _turn_file(sqlite_db)
    try:
        with sqlite_db.transaction() as s:
            s.add(Site(code="S1", name="一号市场"))
            with s.begin_nested():
                s.add(Site(code="S2", name="二号市场"))
            assert not _try_lock(fd)
        assert _try_lock(fd)
        _unlock(fd)
    finally:
        os.close(fd)
    with sqlite_db.reading() as s:
        assert s.scalars(select(Site.code).order_by(Site.code)).all() == ["S1", "S2"]

    turn = FileTurn(tmp_path / "other.db-turn")
    other = os.open(tmp_path / "other.db-turn", os.O_RDWR | os.O_CREAT)
    try:
        assert turn.acquire() and turn.acquire()
        turn.release()
        assert not _try_lock(other)
        turn.release()
        assert _try_lock(other)
    finally:
        os.close(other)


def test_without_a_lock_file_writers_fall_back_to_the_busy_handler_said_once(tmp_path, caplog):
    (tmp_path / "market.db-turn").mkdir()  # the lock file cannot be made, even as root
    db = Database(f"sqlite:///{tmp_path / 'market.db'}")
    try:
        with caplog.at_level(logging.WARNING, logger="app.models.db"):
            db.upgrade()
            for code in ("S1", "S2"):
                with db.transaction() as s:
                    s.add(Site(code=code, name="market"))
        with db.reading() as s:
            assert s.scalars(select(Site.code).order_by(Site.code)).all() == ["S1", "S2"]
    finally:
        db.dispose()
    said = [r for r in caplog.records if "market.db-turn" in r.getMessage()]
    assert len(said) == 1, caplog.text


def test_an_in_memory_database_has_no_turn_across_processes():
    assert writer_queue(":memory:").turn is None
    db = Database("sqlite:///:memory:")
    try:
        with db.transaction() as s:
            s.execute(text("CREATE TABLE t (x INTEGER)"))
            s.execute(text("INSERT INTO t VALUES (1)"))
        with db.transaction() as s:
            assert s.scalar(text("SELECT x FROM t")) == 1
    finally:
        db.dispose()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="lists the open files in /proc")
def test_a_disposed_database_leaves_no_lock_file_open(sqlite_db):
    turn = os.path.realpath(sqlite_db.engine.url.database + "-turn")

    def open_here() -> bool:
        return any(
            os.path.realpath(f"/proc/self/fd/{fd}") == turn for fd in os.listdir("/proc/self/fd")
        )

    with sqlite_db.transaction() as s:
        s.add(Site(code="S1", name="一号市场"))
    assert open_here()
    sqlite_db.dispose()
    assert not open_here()
    with sqlite_db.transaction() as s:  # a disposed engine still works
        s.add(Site(code="S2", name="二号市场"))
    with sqlite_db.reading() as s:
        assert s.scalars(select(Site.code).order_by(Site.code)).all() == ["S1", "S2"]
