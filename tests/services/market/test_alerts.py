"""Safety and tamper alerts end to end: the simulator's DL/T 645 meters on 127.0.0.1 show a
bypass, an overload, night load, a stuck register, reverse energy and an opened cover, and
its NB-IoT water meters, pushing through the CTWing double, water past a closed valve;
collection reads them and raises each alert once, and the reads after it raise no other."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.comm.simulator.market import MarketSimulator, SimConfig
from app.comm.types import Action, ChannelKind, MeterKind, Protocol
from app.models.account import Account, PayMethod
from app.models.meter import Alert, AlertKind, AlertState, Channel, ControlMode, Meter
from app.models.site import Building, Site, Stall
from app.models.tariff import Tariff, TariffMode
from app.models.user import AuditEvent, Role
from app.services.market import alerts, control
from app.services.market.channels import sync_channels
from app.services.market.collection import CommService
from app.services.money import accounts
from app.services.platform.context import Actor, Conflict, ServiceError
from tests.builders import TZ, a_cashier, a_meter, a_stall, an_admin
from tests.waiting import wait_until


def start_market(db, speed=600.0, *, electric=2, water=0, tamper=()):
    """`electric` DL/T 645-2007 meters, each on its own serial server, and `water` NB-IoT
    water meters behind the CTWing double (reporting every half hour); one stall each, paid
    up."""
    sim = MarketSimulator(
        SimConfig(
            electric=electric,
            water=water,
            seed=5,
            acrel_4g=0,
            dtus=0,
            gateways=0,
            meters_per_bus=1,
            dlt645_share=1.0,
            poll_interval_s=1,
            timeout_s=0.5,
            speed=speed,
            report_interval_s=1800,
            tamper=list(tamper),
        )
    ).start()
    configs = sim.channels()
    with db.transaction() as s:
        site = Site(code="T1", name="测试市场")
        s.add(site)
        s.flush()
        building = Building(site_id=site.id, name="A区")
        tariffs = {
            kind: Tariff(
                site_id=site.id, name=name, kind=kind, mode=TariffMode.FLAT, price=Decimal(price)
            )
            for kind, name, price in (
                (MeterKind.ELECTRIC, "电价", "1.0000"),
                (MeterKind.WATER, "水价", "4.0000"),
            )
        }
        s.add_all([building, *tariffs.values()])
        s.flush()
        admin = Actor(None, "admin", Role.ADMIN, site.id)
        endpoints = [e for config in configs for e in config.meters]
        for n, endpoint in enumerate(endpoints, 1):
            assert endpoint.protocol in (Protocol.DLT645_2007, Protocol.CTWING_WATER)
            stall = Stall(site_id=site.id, building_id=building.id, code=f"A{n:03d}", name="档")
            s.add(stall)
            s.flush()
            s.add(Account(stall_id=stall.id))
            s.add(
                Meter(
                    site_id=site.id,
                    stall_id=stall.id,
                    kind=endpoint.kind,
                    protocol=endpoint.protocol,
                    profile=endpoint.profile,
                    address=endpoint.address,
                    tariff_id=tariffs[endpoint.kind].id,
                    supply_on=True,
                )
            )
            s.flush()
            accounts.recharge(
                s,
                admin,
                accounts.RechargeRequest(
                    stall_id=stall.id, amount=Decimal("5000.00"), method=PayMethod.CASH
                ),
            )
        sync_channels(s, admin, configs)
    return sim, configs, admin


@pytest.fixture
def market(sqlite_db):
    sim, configs, admin = start_market(sqlite_db)
    yield sqlite_db, sim, configs, admin
    sim.stop()


def physics_of(sim, configs, n=0):
    return sim.meter(configs[n].id, configs[n].meters[0].address).physics


def meter_row(db, address):
    with db.reading() as s:
        m = s.scalar(select(Meter).where(Meter.address == address))
        return m.id, m.stall_id


def alerts_of(db, meter_id, kind=None):
    with db.reading() as s:
        q = select(Alert).where(Alert.meter_id == meter_id)
        if kind is not None:
            q = q.where(Alert.kind == kind)
        return [(a.kind, a.state, dict(a.values)) for a in s.scalars(q)]


def reads_of(db, meter_id):
    with db.reading() as s:
        return s.scalar(select(Meter.last_read_at).where(Meter.id == meter_id))


def read_again(db, meter_id, times=2):
    """Wait for the meter to be read `times` more times."""
    for _ in range(times):
        seen = reads_of(db, meter_id)
        wait_until(
            lambda seen=seen: (reads_of(db, meter_id) or seen) != seen,
            30,
            "the meter was not read again",
        )


def collect(db, sim, admin, speed=600.0):
    """The collection service started on the market, the CTWing double pushing to it."""
    service = CommService(
        db, admin.site_id, clock=sim.clock, speed=speed, settle_every_s=3600, command_poll_s=0.2
    )
    service.start()
    with db.reading() as s:
        for channel_id in s.scalars(select(Channel.id).where(Channel.kind == ChannelKind.CTWING)):
            sim.set_push_url(service.poller.push_url(channel_id))
    return service


def run_until_alert(db, sim, admin, meter_id, kind, *, speed=600.0):
    """Collection runs until the alert is raised, then for two more reads of the meter."""
    service = collect(db, sim, admin, speed)
    try:
        wait_until(lambda: alerts_of(db, meter_id, kind), 60, f"no {kind} alert raised")
        read_again(db, meter_id)
    finally:
        service.stop()
    return alerts_of(db, meter_id, kind)


def test_energy_advancing_while_the_relay_reads_open_is_one_bypass_alert(market):
    db, sim, configs, admin = market
    address = configs[0].meters[0].address
    meter_id, _ = meter_row(db, address)
    physics = physics_of(sim, configs)
    # tripped by the office (forced off), but the load is wired past the relay
    sim.call(physics.set_forced_control, True, True, sim.now())
    physics.bypass, physics.extra_load_kw = True, 3.0
    with db.transaction() as s:
        m = s.get(Meter, meter_id)
        m.control_mode, m.supply_on = ControlMode.FORCED_OFF, False
    raised = run_until_alert(db, sim, admin, meter_id, AlertKind.USAGE_WHILE_OFF)
    assert len(raised) == 1
    kind, state, values = raised[0]
    assert state is AlertState.OPEN
    assert Decimal(values["used"]) > Decimal("0.05")
    with db.reading() as s:
        [row] = alerts.list_alerts(s, admin)
    assert row.detail("zh_CN").startswith(f"断电期间仍计量了 {values['used']} kWh")
    # the other meter, closed and counting, raised nothing
    other, _ = meter_row(db, configs[1].meters[0].address)
    assert alerts_of(db, other) == []


def test_a_tripped_meter_that_stops_counting_raises_nothing(market):
    db, sim, configs, admin = market
    address = configs[0].meters[0].address
    meter_id, _ = meter_row(db, address)
    physics = physics_of(sim, configs)
    sim.call(physics.set_forced_control, True, True, sim.now())
    with db.transaction() as s:
        m = s.get(Meter, meter_id)
        m.control_mode, m.supply_on = ControlMode.FORCED_OFF, False
    service = CommService(
        db, admin.site_id, clock=sim.clock, speed=600.0, settle_every_s=3600, command_poll_s=0.2
    )
    service.start()
    try:
        read_again(db, meter_id, 3)
    finally:
        service.stop()
    assert alerts_of(db, meter_id) == []


def test_load_above_the_contracted_power_is_one_overload_alert(market):
    db, sim, configs, admin = market
    meter_id, stall_id = meter_row(db, configs[0].meters[0].address)
    physics_of(sim, configs).extra_load_kw = 12.0
    with db.transaction() as s:
        alerts.set_contracted_power(s, admin, stall_id, "6")
    raised = run_until_alert(db, sim, admin, meter_id, AlertKind.OVERLOAD)
    assert len(raised) == 1
    assert Decimal(raised[0][2]["power_kw"]) > Decimal("12")
    assert raised[0][2]["limit_kw"] == "6.000"


def test_load_while_the_market_is_closed_is_one_night_load_alert(market):
    db, sim, configs, admin = market
    meter_id, _ = meter_row(db, configs[0].meters[0].address)
    physics_of(sim, configs).extra_load_kw = 4.0
    now = sim.now().astimezone(TZ)
    with db.transaction() as s:
        # the market is closed from an hour ago for six hours (over midnight when it is late)
        closed_from = (now - timedelta(hours=1)).time().replace(second=0, microsecond=0)
        closed_until = (now + timedelta(hours=5)).time().replace(second=0, microsecond=0)
        alerts.set_alert_settings(
            s,
            admin,
            alerts.AlertSettings(closed_from, closed_until, Decimal("2.5"), Decimal("0.05"), 3),
        )
    raised = run_until_alert(db, sim, admin, meter_id, AlertKind.NIGHT_LOAD)
    assert len(raised) == 1
    assert raised[0][2]["limit_kw"] == "2.500"
    assert Decimal(raised[0][2]["power_kw"]) > Decimal("4")


def test_reverse_energy_is_one_alert(market):
    db, sim, configs, admin = market
    meter_id, _ = meter_row(db, configs[0].meters[0].address)
    physics_of(sim, configs).reverse_kw = 2.0
    raised = run_until_alert(db, sim, admin, meter_id, AlertKind.REVERSE_ENERGY)
    assert len(raised) == 1
    assert Decimal(raised[0][2]["delta_kwh"]) > 0


def test_an_opened_cover_is_one_alert_and_opening_it_again_later_is_another(market):
    db, sim, configs, admin = market
    meter_id, _ = meter_row(db, configs[0].meters[0].address)
    physics = physics_of(sim, configs)
    service = CommService(
        db, admin.site_id, clock=sim.clock, speed=600.0, settle_every_s=3600, command_poll_s=0.2
    )
    service.start()
    try:
        wait_until(lambda: reads_of(db, meter_id), 30, "the meter was not read")
        sim.call(physics.open_cover, sim.now())
        wait_until(lambda: alerts_of(db, meter_id, AlertKind.COVER_OPEN), 30, "no cover alert")
        read_again(db, meter_id)
        assert len(alerts_of(db, meter_id, AlertKind.COVER_OPEN)) == 1
        with db.transaction() as s:
            alert_id = s.scalar(select(Alert.id).where(Alert.meter_id == meter_id))
            alerts.resolve(s, admin, alert_id, note="表盖已封好")
        sim.call(physics.open_cover, sim.now())
        wait_until(
            lambda: len(alerts_of(db, meter_id, AlertKind.COVER_OPEN)) == 2,
            30,
            "the second opening raised no alert",
        )
    finally:
        service.stop()
    values = sorted(v["count"] for _, _, v in alerts_of(db, meter_id, AlertKind.COVER_OPEN))
    assert values == [1, 2]
    assert alerts_of(db, meter_id, AlertKind.REVERSE_ENERGY) == []


def test_a_register_still_for_days_while_the_stalls_other_meter_counts_is_one_stuck_alert(
    sqlite_db,
):
    sim, configs, admin = start_market(sqlite_db, speed=20000.0)
    db = sqlite_db
    try:
        meter_id, stall_id = meter_row(db, configs[0].meters[0].address)
        other, _ = meter_row(db, configs[1].meters[0].address)
        physics = physics_of(sim, configs)
        physics.register_stuck = True
        with db.transaction() as s:
            # the stall has two meters (shop and cold room): the second one keeps counting
            s.get(Meter, other).stall_id = stall_id
            alerts.set_alert_settings(
                s, admin, alerts.AlertSettings(None, None, Decimal("0.5"), Decimal("0.05"), 1)
            )
        service = CommService(
            db, admin.site_id, clock=sim.clock, speed=20000.0, settle_every_s=3600
        )
        service.start()
        try:
            wait_until(lambda: alerts_of(db, meter_id, AlertKind.STUCK), 60, "no stuck alert")
            read_again(db, meter_id)
        finally:
            service.stop()
        raised = alerts_of(db, meter_id, AlertKind.STUCK)
        assert len(raised) == 1
        assert raised[0][2]["trades"] == "other_meter" and raised[0][2]["days"] >= 1
        # the other meter counts: not stuck
        assert alerts_of(db, other, AlertKind.STUCK) == []
    finally:
        sim.stop()


def water_meters(sim):
    return [m for m in sim.meters.values() if m.kind is MeterKind.WATER]


def test_water_counted_while_the_valve_reads_closed_is_one_alert(sqlite_db):
    """`sim --tamper leak`: the office keeps the valve closed, but water flows past it."""
    db = sqlite_db
    sim, _, admin = start_market(db, 1800.0, electric=0, water=2, tamper=["leak:0.5"])
    try:
        [leaking] = [m for m in water_meters(sim) if m.extra.get("tamper") == ["leak"]]
        [sealed] = [m for m in water_meters(sim) if m is not leaking]
        meter_id, _ = meter_row(db, leaking.address)
        with db.transaction() as s:
            m = s.get(Meter, meter_id)
            m.control_mode, m.supply_on = ControlMode.FORCED_OFF, False
        raised = run_until_alert(db, sim, admin, meter_id, AlertKind.USAGE_WHILE_OFF, speed=1800)
        assert len(raised) == 1
        _, state, values = raised[0]
        assert state is AlertState.OPEN and values["kind"] == "water"
        assert Decimal(values["used"]) >= Decimal("0.09")  # 200 L/h for half an hour
        with db.reading() as s:
            assert s.get(Meter, meter_id).supply_on is False  # still reads closed
            [row] = alerts.list_alerts(s, admin)
        assert row.detail("en").endswith(
            f" m³ counted while the valve reads closed (since {values['since']})"
        )
        assert row.detail("zh_CN").startswith(f"关阀期间仍计量了 {values['used']} m³")
        assert alerts_of(db, meter_row(db, sealed.address)[0]) == []  # open and counting
    finally:
        sim.stop()


def test_a_valve_closed_by_command_raises_one_alert_if_water_still_passes_and_none_if_not(
    sqlite_db,
):
    db = sqlite_db
    sim, _, admin = start_market(db, 1800.0, electric=0, water=2)
    try:
        leaking, sealed = water_meters(sim)
        leaky_id, sealed_id = (meter_row(db, m.address)[0] for m in (leaking, sealed))
        service = collect(db, sim, admin, 1800.0)
        try:
            for meter_id in (leaky_id, sealed_id):
                wait_until(lambda i=meter_id: reads_of(db, i), 30, "the meter did not report")
            leaking.physics.leak_lph = 200.0  # the valve no longer seals
            with db.transaction() as s:
                control.issue_command(s, admin, [leaky_id, sealed_id], Action.VALVE_CLOSE, "检修")
            wait_until(
                lambda: not (leaking.physics.valve_open or sealed.physics.valve_open),
                30,
                "the valves were not closed",
            )
            wait_until(
                lambda: alerts_of(db, leaky_id, AlertKind.USAGE_WHILE_OFF), 30, "no alert raised"
            )
            read_again(db, leaky_id)
            read_again(db, sealed_id, 3)
        finally:
            service.stop()
        raised = alerts_of(db, leaky_id)
        assert [(kind, values["kind"]) for kind, _, values in raised] == [
            (AlertKind.USAGE_WHILE_OFF, "water")
        ]
        assert alerts_of(db, sealed_id) == []
        with db.reading() as s:
            assert s.get(Meter, sealed_id).supply_on is False
            assert s.get(Meter, leaky_id).supply_on is False
    finally:
        sim.stop()


def test_acknowledging_and_resolving_are_audited_and_resolving_needs_a_note(db):
    with db.transaction() as s:
        admin = an_admin(s)
        meter = a_meter(s, a_stall(s, "A001"))
        alert = Alert(
            site_id=admin.site_id,
            kind=AlertKind.OVERLOAD,
            meter_id=meter.id,
            stall_id=meter.stall_id,
            raised_at=datetime(2026, 12, 6, 6, 30, tzinfo=UTC),
            values={"power_kw": "9.000", "limit_kw": "6.000"},
        )
        s.add(alert)
        s.flush()
        alert_id = alert.id
        cashier = a_cashier(s)
        assert alerts.count_open(s, cashier) == 1
        alerts.acknowledge(s, cashier, alert_id, note="已通知租户")
    with db.transaction() as s:
        with pytest.raises(ServiceError) as err:
            alerts.resolve(s, admin, alert_id, note="  ")
        assert "note" in err.value.text("en")
    with db.transaction() as s:
        assert s.get(Alert, alert_id).state is AlertState.ACKNOWLEDGED
        alerts.resolve(s, admin, alert_id, note="租户已减载")
        assert alerts.count_open(s, admin) == 0
        rows = alerts.list_alerts(s, admin)
        assert rows[0].state is AlertState.RESOLVED and rows[0].note == "租户已减载"
        assert rows[0].handled_by == admin.username
        assert "9.000 kW" in rows[0].detail("en")
        actions = s.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("alert.%"))
            .order_by(AuditEvent.id)
        ).all()
        assert actions == ["alert.acknowledge", "alert.resolve"]
    with db.transaction() as s, pytest.raises(Conflict):
        alerts.acknowledge(s, admin, alert_id)  # resolved: nothing more to do with it
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Alert)) == 1


def test_a_second_live_alert_of_the_same_kind_and_meter_is_refused_by_the_database(db):
    with db.transaction() as s:
        admin = an_admin(s)
        meter = a_meter(s, a_stall(s, "A001"))
        for _ in range(2):
            s.add(
                Alert(
                    site_id=admin.site_id,
                    kind=AlertKind.COVER_OPEN,
                    meter_id=meter.id,
                    raised_at=datetime(2026, 12, 6, tzinfo=UTC),
                    values={},
                )
            )
        with pytest.raises(IntegrityError):
            s.flush()
