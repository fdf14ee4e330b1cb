"""The collection service against the simulator over real sockets: readings in, commands
out, relays that really close after a recharge and really trip when the money runs out."""

from __future__ import annotations

import logging
import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.comm.simulator.market import MarketSimulator, SimConfig
from app.comm.types import Action, ChannelKind, Direction, MeterKind, MeterReading, MeterStatus
from app.models.account import Account, PayMethod
from app.models.meter import Channel, ControlMode, Meter, MeterCommand
from app.models.site import Building, Site, Stall
from app.models.tariff import Tariff, TariffMode
from app.models.user import AuditEvent, Role
from app.services.market import channels, control
from app.services.market.channels import ChannelSpec, sync_channels
from app.services.market.collection import CommService, take_commands
from app.services.money import accounts
from app.services.platform.context import Actor
from tests.builders import Market, local
from tests.waiting import wait_until


@pytest.fixture
def market(sqlite_db):
    """Four Acrel meters on one serial server, one stall each, bound through the
    simulator's own channel description."""
    sim = MarketSimulator(
        SimConfig(
            electric=4,
            water=0,
            seed=3,
            acrel_4g=0,
            dtus=0,
            gateways=0,
            meters_per_bus=4,
            dlt645_share=0.0,
            poll_interval_s=1,
            timeout_s=0.5,
            speed=600.0,
        )
    ).start()
    configs = sim.channels()
    with sqlite_db.transaction() as s:
        site = Site(code="T1", name="测试市场")
        s.add(site)
        s.flush()
        building = Building(site_id=site.id, name="A区")
        tariff = Tariff(
            site_id=site.id,
            name="电价",
            kind=MeterKind.ELECTRIC,
            mode=TariffMode.FLAT,
            price=Decimal("1.0000"),
        )
        s.add_all([building, tariff])
        s.flush()
        for n, endpoint in enumerate(configs[0].meters, 1):
            stall = Stall(
                site_id=site.id, building_id=building.id, code=f"A{n:03d}", name=f"档位{n}"
            )
            s.add(stall)
            s.flush()
            s.add(Account(stall_id=stall.id))
            s.add(
                Meter(
                    site_id=site.id,
                    stall_id=stall.id,
                    kind=MeterKind.ELECTRIC,
                    model="DDSY1352-NK",
                    protocol=endpoint.protocol,
                    profile=endpoint.profile,
                    address=endpoint.address,
                    tariff_id=tariff.id,
                    supply_on=True,
                )
            )
        s.flush()
        admin = Actor(None, "admin", Role.ADMIN, site.id)
        sync_channels(s, admin, configs)
    yield sqlite_db, sim, admin, configs
    sim.stop()


def sim_meter(sim, configs, address):
    return sim.meter(configs[0].id, address)


def test_recharging_a_tripped_stall_closes_its_relay_and_consumption_resumes(market):
    db, sim, admin, configs = market
    with db.transaction() as s:
        meter = s.scalar(select(Meter).where(Meter.address == configs[0].meters[0].address))
        stall_id, address = meter.stall_id, meter.address
    # The stall ran out of money and its meter was tripped (forced trip on the meter).
    physics = sim_meter(sim, configs, address).physics
    sim.call(physics.set_forced_control, True, True, sim.now())
    with db.transaction() as s:
        s.get(Meter, meter.id).supply_on = False
    service = CommService(
        db, admin.site_id, clock=sim.clock, speed=600.0, settle_every_s=3600, command_poll_s=0.2
    )
    service.start()
    try:
        with db.transaction() as s:
            accounts.recharge(
                s,
                admin,
                accounts.RechargeRequest(
                    stall_id=stall_id, amount=Decimal("100.00"), method=PayMethod.CASH
                ),
            )
            control.reconsider(s, [stall_id], now=sim.now())
        assert wait_until(lambda: sim.call(lambda: physics.relay_closed)), "relay did not close"
        with db.transaction() as s:
            assert wait_until(lambda: _supply(db, meter.id) is True)
        before = sim.call(lambda: sum(physics.energy_kwh))
        assert wait_until(
            lambda: (
                sim.call(lambda: (physics.advance(sim.now()), sum(physics.energy_kwh))[1]) > before
            )
        )
    finally:
        service.stop()


def test_a_stall_whose_money_runs_out_is_tripped(market):
    db, sim, admin, configs = market
    address = configs[0].meters[1].address
    with db.transaction() as s:
        meter = s.scalar(select(Meter).where(Meter.address == address))
        s.scalar(select(Account).where(Account.stall_id == meter.stall_id)).alarm1 = Decimal("0")
    physics = sim_meter(sim, configs, address).physics
    service = CommService(
        db, admin.site_id, clock=sim.clock, speed=600.0, settle_every_s=3600, command_poll_s=0.2
    )
    service.start()
    try:
        # No money at all: the first readings show usage, the available balance goes
        # below zero and the control pass trips the meter.
        assert wait_until(lambda: not sim.call(lambda: physics.relay_closed), timeout_s=30), (
            "meter was not tripped"
        )
        assert wait_until(lambda: _supply(db, meter.id) is False)
        # A reading may show the open relay before the command's own read-back is stored.
        assert wait_until(lambda: _commands(db, meter.id) == [("trip", "succeeded")]), _commands(
            db, meter.id
        )
        with db.transaction() as s:
            assert s.get(Meter, meter.id).control_mode == ControlMode.PREPAID
    finally:
        service.stop()


def test_a_command_sent_by_a_service_that_then_stopped_is_sent_again_by_the_next(market):
    """The PC with the lines went down after the comm service took a trip command (SENT)
    and before its result was stored: the next start sends it again, the meter trips and
    the command ends succeeded; left SENT it would block every later command of the meter."""
    db, sim, admin, configs = market
    address = configs[0].meters[2].address
    with db.transaction() as s:
        meter_id = s.scalar(select(Meter.id).where(Meter.address == address))
        [outcome] = control.issue_command(s, admin, [meter_id], Action.TRIP, "检修")
        [taken] = take_commands(s, admin.site_id, now=sim.now())  # the run that went down
    assert taken.command_id == outcome.command_id
    assert _commands(db, meter_id) == [("trip", "sent")]
    physics = sim_meter(sim, configs, address).physics
    assert sim.call(lambda: physics.relay_closed)

    service = CommService(
        db, admin.site_id, clock=sim.clock, speed=600.0, settle_every_s=3600, command_poll_s=0.2
    )
    service.start()
    try:
        assert wait_until(
            lambda: _commands(db, meter_id) == [("trip", "succeeded")], timeout_s=15
        ), _commands(db, meter_id)
        assert not sim.call(lambda: physics.relay_closed)
    finally:
        service.stop()
    with db.transaction() as s:
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "command.resend")).all()
        assert (event.entity_id, event.detail["command_id"]) == (meter_id, outcome.command_id)


def _commands(db, meter_id):
    with db.transaction() as s:
        return [
            (c.action.value, c.status.value)
            for c in s.scalars(
                select(MeterCommand)
                .where(MeterCommand.meter_id == meter_id)
                .order_by(MeterCommand.id)
            )
        ]


def _command_status(db, command_id):
    with db.reading() as s:
        return s.get(MeterCommand, command_id).status.value


def _supply(db, meter_id):
    with db.transaction() as s:
        return s.get(Meter, meter_id).supply_on


def test_the_clerk_is_never_locked_out_while_collection_saves_readings_back_to_back(market):
    """The collection service saving without a pause (a busy market catching up: two
    writers, as the sink and the settlement thread) while the counter recharges and reads:
    every clerk transaction gets its turn within a bounded wait, none fails with "database
    is locked", and a trip reaches a meter that answers in seconds."""
    db, sim, admin, _configs = market
    with db.transaction() as s:
        stall_ids = s.scalars(select(Stall.id).order_by(Stall.id)).all()
        tripped = s.scalar(select(Meter.id).order_by(Meter.id).limit(1))
        busy = _meters_on_another_line(s, admin.site_id, count=300)
    service = CommService(
        db, admin.site_id, clock=sim.clock, speed=600.0, settle_every_s=3600, command_poll_s=0.2
    )
    stop = threading.Event()
    collection_errors: list[Exception] = []

    # made beforehand, so that one transaction follows the other without a pause
    batches = {
        step: [
            [
                MeterReading(channel_id, address, MeterKind.ELECTRIC, sim.now(), 100_000 + n * step)
                for channel_id, address in busy
            ]
            for n in range(1, 200)
        ]
        for step in (1, 2)
    }
    statuses = [
        MeterStatus(channel_id, address, True, 0, sim.now(), "") for channel_id, address in busy
    ]

    def save_readings_back_to_back(step: int) -> None:
        for batch in batches[step]:
            if stop.is_set():
                return
            try:
                service.sink.on_readings(batch)
                service.sink.on_meter_status(statuses)
            except OperationalError as exc:
                collection_errors.append(exc)

    def recharge_and_read(n: int) -> None:
        with db.transaction() as s:
            accounts.recharge(
                s,
                admin,
                accounts.RechargeRequest(
                    stall_id=stall_ids[n % len(stall_ids)],
                    amount=Decimal("10.00"),
                    method=PayMethod.CASH,
                ),
            )
        with db.reading() as s:
            s.scalar(select(Account.balance).where(Account.stall_id == stall_ids[0]))

    recharge_and_read(
        0
    )  # the counter's first recharge of the day (its statements compiled) is not timed
    # This machine's pace, measured alone: one clerk transaction, one collection batch.
    started = time.monotonic()
    recharge_and_read(1)
    clerk_s = time.monotonic() - started
    started = time.monotonic()
    service.sink.on_readings(batches[1].pop(0))
    service.sink.on_meter_status(statuses)
    batch_s = time.monotonic() - started
    # Given its turn, a clerk waits for at most the two writers' batches queued before it and
    # its own work; starved, for SQLite's busy_timeout (10 s) and then fails. Six times that
    # (scheduling on a 2-core machine busy with other work), and never under 4 s.
    turn_s = max(4.0, 6 * (2 * batch_s + clerk_s))
    service.start()
    writers = [
        threading.Thread(target=save_readings_back_to_back, args=(step,), daemon=True)
        for step in (1, 2)
    ]
    for w in writers:
        w.start()
    waits: list[float] = []
    try:
        for n in range(20):
            started = time.monotonic()
            recharge_and_read(n)
            waits.append(time.monotonic() - started)
        started = time.monotonic()
        with db.transaction() as s:
            [outcome] = control.issue_command(s, admin, [tripped], Action.TRIP, "检修")
        assert wait_until(
            lambda: _command_status(db, outcome.command_id) == "succeeded", timeout_s=15
        ), _commands(db, tripped)
        command_s = time.monotonic() - started
    finally:
        stop.set()
        for w in writers:
            w.join(10)
        service.stop()
    assert not collection_errors, collection_errors[:3]
    assert max(waits) < turn_s, (sorted(waits)[-5:], clerk_s, batch_s)
    # the command waits for its poll (0.2 s), a turn to be taken and one to store its result,
    # and the meter's answer over the simulated line
    assert command_s < 5.0 + 2 * turn_s, (command_s, clerk_s, batch_s)


def _meters_on_another_line(s, site_id: int, count: int) -> list[tuple[int, str]]:
    """Stalls with a meter each on a line this comm service does not poll (disabled)."""
    channel = Channel(site_id=site_id, name="另一条线", kind=ChannelKind.SERIAL, is_enabled=False)
    s.add(channel)
    building = s.scalar(select(Building))
    tariff = s.scalar(select(Tariff))
    like = s.scalar(select(Meter).limit(1))
    s.flush()
    for n in range(count):
        stall = Stall(site_id=site_id, building_id=building.id, code=f"B{n:03d}", name=f"忙档{n}")
        s.add(stall)
        s.flush()
        s.add(Account(stall_id=stall.id, overdraft_limit=Decimal(1000000)))  # never tripped
        s.add(
            Meter(
                site_id=site_id,
                stall_id=stall.id,
                kind=MeterKind.ELECTRIC,
                model=like.model,
                protocol=like.protocol,
                profile=like.profile,
                address=str(900 + n),
                tariff_id=tariff.id,
                channel_id=channel.id,
                supply_on=True,
            )
        )
    s.flush()
    return [(channel.id, str(900 + n)) for n in range(count)]


@pytest.fixture
def two_lines(sqlite_db):
    """Two serial-server buses of 3 Acrel meters, polled every 10 s (sim time, 600 × fast),
    a stall for each meter. The database knows the first line; the second line's meters are
    there but on no line yet."""
    sim = MarketSimulator(
        SimConfig(
            electric=6,
            water=0,
            seed=4,
            acrel_4g=0,
            dtus=0,
            gateways=0,
            meters_per_bus=3,
            dlt645_share=0.0,
            poll_interval_s=10,
            speed=600.0,
        )
    ).start()
    first, second = sim.channels()
    market = Market(sqlite_db)
    with sqlite_db.transaction() as s:
        [first_id] = sync_channels(s, market.admin, [first]).values()
    for config, channel_id in ((first, first_id), (second, None)):
        for endpoint in config.meters:
            stall_id = market.a_stall(f"{config.id}-{endpoint.address}", balance="100")
            with sqlite_db.transaction() as s:
                s.add(
                    Meter(
                        site_id=market.site_id,
                        stall_id=stall_id,
                        kind=MeterKind.ELECTRIC,
                        model="DDSY1352-NK",
                        protocol=endpoint.protocol,
                        profile=endpoint.profile,
                        address=endpoint.address,
                        channel_id=channel_id,
                        supply_on=True,
                    )
                )
    yield sqlite_db, sim, market, first_id, second
    sim.stop()


def _read_at(db, channel_id):
    with db.reading() as s:
        return s.scalars(select(Meter.last_read_at).where(Meter.channel_id == channel_id)).all()


def test_a_line_added_in_settings_is_read_and_a_disabled_one_let_go_without_a_restart(
    two_lines, caplog
):
    db, sim, market, first_id, second = two_lines
    service = CommService(
        db, market.site_id, clock=sim.clock, speed=600.0, settle_every_s=3600, reload_every_s=0.2
    )
    service.start()
    try:
        assert wait_until(lambda: all(_read_at(db, first_id))), "the first line is not read"
        # for the whole test: the reload thread logs what changed just after the poller runs
        # the new channels, which a busy machine may let the test see first
        caplog.set_level(logging.INFO, logger="app.services.market.collection")
        with db.transaction() as s:  # the admin adds the second line on the settings page …
            second_id = channels.create_channel(
                s,
                market.admin,
                ChannelSpec(
                    "二号线",
                    ChannelKind.SERIAL_SERVER,
                    {"host": "127.0.0.1", "port": second.settings["port"]},
                    10,
                ),
            )
        with db.transaction() as s:  # … and binds its meters to it
            for meter in s.scalars(select(Meter).where(Meter.channel_id.is_(None))):
                meter.channel_id = second_id
        assert wait_until(lambda: (read := _read_at(db, second_id)) and all(read)), (
            "the new line's meters not stored"
        )
        with db.transaction() as s:
            channels.set_channel_enabled(s, market.admin, first_id, False)
        assert wait_until(lambda: list(service.poller.channels) == [second_id]), (
            service.poller.channels
        )
        poller = service.poller
        seq = poller.frames_since(0)[0]
        assert wait_until(
            lambda: (
                len(
                    [
                        f
                        for f in poller.frames_since(seq)[1]
                        if f.channel_id == second_id and f.direction is Direction.TX
                    ]
                )
                >= 12
            )
        ), "the second line stopped too"
        assert not [f for f in poller.frames_since(seq)[1] if f.channel_id == first_id]
        assert f"added {second_id} 二号线; changed none; removed none" in caplog.text
        assert f"added none; changed none; removed {first_id} " in caplog.text
    finally:
        service.stop()


def test_the_service_settles_by_itself_every_period(db):
    """Every other test sets the settlement period to an hour; here it is short, and the
    service's own thread must bill each night's usage when the clock passes the building's
    settlement time, with no one calling settle."""
    from app.models.billing import Bill
    from app.models.site import Building
    from app.services.market.readings import ingest

    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        ingest(s, [m.reading(stall.electric, local(2026, 11, 29, 23), 100_000)])
        m.channel.is_enabled = False  # no line to poll: the readings come from the test
        that_day = m.reading(stall.electric, local(2026, 11, 30, 20), 101_000)  # 10 kWh on the 30th
        site_id, building_id = m.site.id, m.building.id
    now = [local(2026, 11, 30, 1, 5)]  # just after the night's settlement time (01:00)

    def settled_until():
        with db.reading() as s:
            return s.get(Building, building_id).settled_until

    def billed():
        with db.reading() as s:
            return [(b.amount, b.period_end) for b in s.scalars(select(Bill).order_by(Bill.id))]

    service = CommService(
        db, site_id, clock=lambda: now[0], settle_every_s=0.2, reload_every_s=3600
    )
    service.start()
    try:
        assert wait_until(lambda: settled_until() == local(2026, 11, 30, 0)), settled_until()
        assert billed() == []  # the first run only sets where billing starts
        with db.transaction() as s:
            ingest(s, [that_day])
        now[0] = local(2026, 12, 1, 1, 5)  # the next night
        assert wait_until(lambda: settled_until() == local(2026, 12, 1, 0)), settled_until()
        assert wait_until(lambda: len(billed()) == 1)
        [(amount, period_end)] = billed()
        assert amount == Decimal("10.00") and period_end == local(2026, 12, 1, 0)
        with db.reading() as s:
            assert s.get(Account, stall.account_id).balance == Decimal("90.00")
    finally:
        service.stop()
