"""The change feed: every committed transaction of the collection service leaves one row
that a client in another process reads; a transaction that failed leaves none."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update

from app.comm.types import (
    Action,
    ChannelStatus,
    CommandResult,
    MeterKind,
    MeterReading,
    MeterStatus,
)
from app.models.change_feed import ChangeFeed
from app.models.meter import Meter
from app.services.market import control
from app.services.market.collection import CollectionSink
from app.services.platform import change_feed
from app.services.platform.context import Changes
from tests.builders import Market, local

T = local(2026, 11, 20, 10, 0)


@pytest.fixture
def shop(db):
    """Stall A with an electricity and a water meter, stall B and stall C with one each;
    every meter read once already."""
    with db.transaction() as s:
        m = Market.in_session(s)
        a, b, c = (
            m.a_stall_with_meters(water=True),
            m.a_stall_with_meters(),
            m.a_stall_with_meters(),
        )
        site_id = m.site.id
        first = [
            m.reading(meter_id, T, 1000)
            for meter_id in (a.electric, a.water, b.electric, c.electric)
        ]
    sink = CollectionSink(db, site_id, clock=lambda: T)
    sink.on_readings(first)
    return db, sink, m, a, b, c


def feed_rows(db) -> list[tuple[int, Changes, list[int]]]:
    with db.reading() as s:
        return [
            (r.id, Changes(r.flags), change_feed.unpack_ids(r.meter_ids))
            for r in s.scalars(select(ChangeFeed).order_by(ChangeFeed.id))
        ]


def latest(db) -> int:
    with db.reading() as s:
        return change_feed.latest_id(s)


def test_meter_ids_are_packed_as_sorted_differences():
    assert change_feed.pack_ids([107, 105, 106, 105, 200]) == "105,1,1,93"
    assert change_feed.unpack_ids("105,1,1,93") == [105, 106, 107, 200]
    assert change_feed.pack_ids([]) == "" and change_feed.unpack_ids("") == []


def test_readings_leave_one_row_with_the_meters_read_and_the_other_meters_of_their_stalls(shop):
    db, sink, m, a, b, c = shop
    before = latest(db)
    with db.reading() as s:
        lines = {
            mid: (s.get(Meter, mid).channel_id, s.get(Meter, mid).address)
            for mid in (a.electric, b.electric)
        }
    sink.on_readings(
        [
            MeterReading(*lines[mid], MeterKind.ELECTRIC, T + timedelta(minutes=30), 1200)
            for mid in (a.electric, b.electric)
        ]
    )
    [(row_id, flags, ids)] = [r for r in feed_rows(db) if r[0] > before]
    assert flags & Changes.READINGS and flags & Changes.METERS
    # A's water meter was not read, but its stall's available balance changed: its row too.
    assert ids == sorted([a.electric, a.water, b.electric])


def test_comm_status_command_results_and_commands_taken_each_leave_their_row(shop):
    db, sink, m, a, b, c = shop
    with db.transaction() as s:
        line = s.get(Meter, c.electric)
        status = MeterStatus(line.channel_id, line.address, False, 3, None, "no answer")
        [outcome] = control.issue_command(s, m.admin, [b.electric], Action.TRIP, "检修")
    before = latest(db)

    sink.on_meter_status([status])
    sink.on_channel_status(ChannelStatus(line.channel_id, False, "COM1 gone"))
    [request] = sink.fetch_commands()
    sink.on_command_results([CommandResult(request.command_id, True, relay_closed=False)])

    assert [(flags, ids) for row_id, flags, ids in feed_rows(db) if row_id > before] == [
        (Changes.METERS, [c.electric]),
        (Changes.METERS, []),
        (Changes.COMMANDS, []),
        (Changes.COMMANDS | Changes.METERS, [b.electric]),
    ]
    assert request.command_id == outcome.command_id


def test_a_settlement_with_nothing_due_and_a_poll_with_no_command_leave_no_row(shop):
    db, sink, *_ = shop
    before = latest(db)
    sink.fetch_commands()
    assert not sink.settle_due().changes
    assert latest(db) == before


def test_a_transaction_that_fails_leaves_no_row_and_stores_nothing(shop, monkeypatch):
    db, sink, m, a, b, c = shop
    with db.reading() as s:
        meter = s.get(Meter, a.electric)
        line, total = (meter.channel_id, meter.address), meter.last_total
    before = feed_rows(db)

    def broken_prune(session, **kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(change_feed, "prune", broken_prune)
    sink._pruned_at = None  # due: called after the row is recorded, in the same transaction
    with pytest.raises(RuntimeError):
        sink.on_readings([MeterReading(*line, MeterKind.ELECTRIC, T + timedelta(hours=1), 1500)])
    assert feed_rows(db) == before
    with db.reading() as s:
        assert s.get(Meter, a.electric).last_total == total


def test_a_reader_gets_the_rows_after_where_it_stood_merged_and_bounded(db):
    with db.transaction() as s:
        site_id = Market.in_session(s).site.id
        other_site = Market.in_session(s).site.id
        start = change_feed.latest_id(s)
        change_feed.record(s, site_id, Changes.READINGS, [5, 3])
        change_feed.record(s, other_site, Changes.BILLS, [99])
        change_feed.record(s, site_id, Changes.COMMANDS, [3, 8])
        change_feed.record(s, site_id, Changes.NONE, [])  # nothing changed: no row
        change_feed.record(s, site_id, Changes.METERS, [1])
    with db.reading() as s:
        first = change_feed.since(s, site_id, start, limit=2)
        rest = change_feed.since(s, site_id, first.last_id, limit=2)
        after = change_feed.since(s, site_id, rest.last_id, limit=2)
    assert (first.flags, first.meter_ids, first.is_full, first.is_gap) == (
        Changes.READINGS | Changes.COMMANDS,
        (3, 5, 8),
        True,
        False,
    )
    assert (rest.flags, rest.meter_ids, rest.is_full) == (Changes.METERS, (1,), False)
    assert (after.flags, after.meter_ids, after.last_id) == (Changes.NONE, (), rest.last_id)


def test_the_service_prunes_old_rows_at_most_once_a_minute_and_keeps_the_newest(shop):
    db, sink, m, *_ = shop

    def age_every_row() -> None:
        with db.transaction() as s:
            s.execute(update(ChangeFeed).values(at=datetime.now(UTC) - timedelta(minutes=11)))

    with db.transaction() as s:
        s.add_all([ChangeFeed(site_id=m.site.id, flags=int(Changes.METERS)) for _ in range(2)])
    age_every_row()
    sink._pruned_at = None
    sink.on_channel_status(ChannelStatus(m.channel.id, True))
    assert len(feed_rows(db)) == 1  # only the row just recorded is younger than ten minutes
    [aged] = [r[0] for r in feed_rows(db)]
    age_every_row()
    sink.on_channel_status(ChannelStatus(m.channel.id, True))
    assert [r[0] for r in feed_rows(db)][0] == aged  # pruned less than a minute ago: not yet again
    sink._pruned_at -= sink.FEED_PRUNE_EVERY_S
    sink.on_channel_status(ChannelStatus(m.channel.id, True))
    assert aged not in [r[0] for r in feed_rows(db)] and len(feed_rows(db)) == 2

    age_every_row()
    with db.transaction() as s:
        assert change_feed.prune(s, older_than=datetime.now(UTC) - timedelta(minutes=10)) == 1
        newest = change_feed.latest_id(s)
    assert [r[0] for r in feed_rows(db)] == [newest]  # a new reader still starts at its id


def test_a_reader_that_stood_before_pruned_rows_is_told_of_the_gap_once(db):
    with db.transaction() as s:
        site_id = Market.in_session(s).site.id
        other_site = Market.in_session(s).site.id
        change_feed.record(s, site_id, Changes.METERS, [1])
        stood = change_feed.latest_id(s)
        change_feed.record(s, site_id, Changes.READINGS, [2])
        change_feed.record(s, other_site, Changes.READINGS, [7])
    with db.reading() as s:
        assert not change_feed.since(s, site_id, stood).is_gap
    with db.transaction() as s:
        change_feed.prune(
            s, older_than=datetime.now(UTC) + timedelta(hours=1)
        )  # only the other site's row stays
    with db.reading() as s:
        missed = change_feed.since(s, site_id, stood)
        assert missed.is_gap and missed.meter_ids == ()
        again = change_feed.since(s, site_id, missed.last_id)
    assert not again.is_gap  # told once: it now stands just before the oldest row


@pytest.mark.pg
def test_on_postgresql_a_later_row_waits_for_the_earlier_ones_commit(pg_db):
    """Ids are drawn at INSERT but seen at COMMIT: were the settlement thread's row (id N+1)
    committed while the sink's (id N) is not yet, a reader that saw N+1 would skip N."""
    with pg_db.transaction() as s:
        site_id = Market.in_session(s).site.id
        start = change_feed.latest_id(s)
    first_recorded, release_first = threading.Event(), threading.Event()
    second_done = threading.Event()

    def first() -> None:
        with pg_db.transaction() as s:
            change_feed.record(s, site_id, Changes.READINGS, [1])
            first_recorded.set()
            release_first.wait(10)

    def second() -> None:
        with pg_db.transaction() as s:
            change_feed.record(s, site_id, Changes.BILLS, [2])
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert first_recorded.wait(10)
    threads[1].start()
    try:
        assert not second_done.wait(0.5)  # waits for the first one's commit …
        with pg_db.reading() as s:
            assert (
                change_feed.since(s, site_id, start).meter_ids == ()
            )  # … so a reader sees neither yet
    finally:
        release_first.set()
        for t in threads:
            t.join(10)
    with pg_db.reading() as s:
        both = change_feed.since(s, site_id, start)
    assert both.meter_ids == (1, 2) and not both.is_gap


# -- what clerks store: every service's transaction leaves its row --------------------------


def clerk_rows(db, after: int) -> list[ChangeFeed]:
    with db.reading() as s:
        rows = list(s.scalars(select(ChangeFeed).where(ChangeFeed.id > after)))
        s.expunge_all()  # read whole, used after the snapshot ends
        return rows


def test_a_recharge_leaves_one_row_naming_its_stall_and_the_stalls_meters(shop):
    from app.models.account import PayMethod
    from app.services.money import accounts

    db, _sink, m, a, b, _c = shop
    start = latest(db)
    with db.transaction() as s:
        accounts.recharge(
            s,
            m.cashier,
            accounts.RechargeRequest(amount="50.00", method=PayMethod.CASH, stall_id=a.stall_id),
        )
    [row] = clerk_rows(db, start)
    assert Changes(row.flags) & Changes.BALANCES
    assert change_feed.unpack_ids(row.stall_ids) == [a.stall_id]
    assert change_feed.unpack_ids(row.meter_ids) == sorted([a.electric, a.water])
    assert row.origin == change_feed.CLERK_PREFIX + change_feed.this_process()
    with db.reading() as s:
        batch = change_feed.since(s, m.site.id, start)
        assert batch.by_others & Changes.BALANCES and batch.stall_ids == (a.stall_id,)
        assert not batch.by_service and not batch.unnamed
        # the client that made it skips its own row: its views already refreshed
        own = change_feed.since(s, m.site.id, start, skip_origin=row.origin)
        assert own.flags == Changes.NONE and own.last_id == row.id


def test_a_stall_edit_names_the_stall_and_a_failed_one_leaves_no_row(shop):
    from app.services.market import stalls

    db, _sink, m, a, b, _c = shop
    start = latest(db)
    with db.transaction() as s:
        stalls.update_stall(s, m.admin, b.stall_id, name="新名字")
    [row] = clerk_rows(db, start)
    assert Changes(row.flags) & Changes.STALLS
    assert change_feed.unpack_ids(row.stall_ids) == [b.stall_id]
    with pytest.raises(RuntimeError), db.transaction() as s:
        stalls.update_stall(s, m.admin, a.stall_id, name="不会保存")
        raise RuntimeError("the clerk's op failed after the edit")
    assert [r.id for r in clerk_rows(db, start)] == [row.id]


def test_an_update_of_many_rows_is_recorded_without_names_and_a_read_records_nothing(shop):
    db, _sink, m, *_ = shop
    start = latest(db)
    with db.transaction() as s:
        s.execute(update(Meter).where(Meter.site_id == m.site.id).values(model="DDSY1352"))
    with db.transaction() as s:
        s.scalars(select(Meter)).all()
    [row] = clerk_rows(db, start)
    assert Changes(row.flags) & Changes.METERS and not row.meter_ids and not row.stall_ids
    with db.reading() as s:
        assert change_feed.since(s, m.site.id, start).unnamed & Changes.METERS


@pytest.mark.pg
def test_on_postgresql_a_recharge_and_the_services_row_at_the_same_moment_both_commit(pg_db):
    """The recharge locks the site row for its receipt number and writes its feed row at its
    commit; the service's transaction takes the feed's lock, then writes a row that refers
    to the site. Neither may wait for the other in a circle (a deadlock: one of them lost)."""
    from app.models.account import PayMethod
    from app.services.money import accounts

    with pg_db.transaction() as s:
        m = Market.in_session(s)
        a = m.a_stall_with_meters()
        site_id = m.site.id
    errors: list[BaseException] = []

    def service_row() -> None:
        try:
            with pg_db.transaction() as s:
                change_feed.record(s, site_id, Changes.READINGS, [a.electric])
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)

    service = threading.Thread(target=service_row)
    try:
        with pg_db.transaction() as s:
            accounts.recharge(
                s,
                m.cashier,
                accounts.RechargeRequest(amount="5.00", method=PayMethod.CASH, stall_id=a.stall_id),
            )
            service.start()
            # the service's row is written, or waits for a lock this transaction holds
            with pg_db.engine.connect() as watch:
                for _ in range(200):
                    waiting = watch.execute(
                        text(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                            "'Lock' AND datname = current_database()"
                        )
                    ).scalar()
                    if waiting or not service.is_alive():
                        break
                    service.join(0.05)
    except Exception as exc:  # noqa: BLE001
        errors.append(exc)
    service.join(20)
    assert errors == []
    with pg_db.reading() as s:
        batch = change_feed.since(s, site_id, 0)
    assert batch.by_others & Changes.BALANCES and batch.by_service & Changes.READINGS


def test_with_no_service_running_the_clerks_writes_prune_the_feed_and_followers_miss_nothing(
    db, monkeypatch
):
    """A market with no meter line yet: only clerks write. Their rows stay bounded, a
    follower that keeps up gets every row, one that fell too far behind is told of the gap."""
    from app.services.market import stalls

    monkeypatch.setattr(change_feed, "PRUNE_EVERY_ROWS", 4)
    monkeypatch.setattr(change_feed, "KEEP_ROWS", 6)
    m = Market(db)
    stall_id = m.a_stall("A001")
    asleep = latest(db)
    follower, seen = asleep, []
    for n in range(30):
        with db.transaction() as s:
            stalls.update_stall(s, m.admin, stall_id, name=f"蔬菜 {n}")
        with db.reading() as s:
            batch = change_feed.since(s, m.site_id, follower, limit=1)
        assert not batch.is_gap and batch.stall_ids == (stall_id,)
        follower = batch.last_id
        seen.append(follower)
    assert seen == sorted(set(seen))  # one new row read after each write, none skipped
    rows = [r[0] for r in feed_rows(db)]
    assert len(rows) <= 6 + 4 and rows[-1] == follower  # bounded; the newest row stays
    with db.reading() as s:
        assert change_feed.since(s, m.site_id, asleep).is_gap  # reloads, never misses silently
