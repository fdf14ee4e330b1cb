"""A 4G meter's SIM is bound on its first registration and stored; someone else dialling in
with its serial is refused, and a storm of them marks the meter until an admin decides."""

from __future__ import annotations

import socket
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.comm.protocols import acrel4g
from app.comm.simulator.market import MarketSimulator, SimConfig
from app.comm.types import ChannelKind, IdentityEvent, IdentityEventKind, MeterKind
from app.models.account import Account
from app.models.meter import Meter
from app.models.site import Building, Site, Stall
from app.models.tariff import Tariff, TariffMode
from app.models.user import AuditEvent, Role
from app.services.market.channels import sync_channels
from app.services.market.collection import CommService, channel_configs, record_identity_events
from app.services.market.meters import meter_rows, resolve_identity
from app.services.office.overview import overview
from app.services.platform.context import Actor, Conflict, PermissionDenied
from tests.builders import Market
from tests.waiting import wait_until

SIM = "89860000000000000001"
ROGUE = "89860000000000000666"


@pytest.fixture
def market(sqlite_db) -> Market:
    return Market(sqlite_db)


def a_4g_meter(market, serial="A4G0001") -> tuple[int, int]:
    channel = market.a_channel("4G 电表", ChannelKind.ACREL_4G)
    return channel, market.a_meter(market.a_stall("A001"), address=serial, channel_id=channel)


def record(market, *events) -> None:
    with market.db.transaction() as s:
        record_identity_events(s, market.site_id, list(events))


def meter(market, meter_id) -> Meter:
    with market.db.transaction() as s:
        m = s.get(Meter, meter_id)
        s.expunge(m)
        return m


def test_the_first_registration_binds_the_sim_and_the_poller_gets_it_back(market):
    channel, meter_id = a_4g_meter(market)
    record(market, IdentityEvent(channel, "A4G0001", IdentityEventKind.BOUND, SIM))
    assert meter(market, meter_id).dialin_identity == SIM
    with market.db.transaction() as s:
        (config,) = [c for c in channel_configs(s, market.site_id) if c.id == channel]
    assert config.identities == {"A4G0001": SIM}
    # a later "first registration" with another SIM (reported before the binding reached
    # the comm service) does not overwrite it: it is a conflict
    record(market, IdentityEvent(channel, "A4G0001", IdentityEventKind.BOUND, ROGUE))
    m = meter(market, meter_id)
    assert (m.dialin_identity, m.identity_offered, m.identity_conflict) == (SIM, ROGUE, True)


def test_a_refused_sim_is_kept_for_the_admin_and_a_storm_marks_the_meter(market):
    channel, meter_id = a_4g_meter(market)
    record(
        market,
        IdentityEvent(channel, "A4G0001", IdentityEventKind.BOUND, SIM),
        IdentityEvent(channel, "A4G0001", IdentityEventKind.MISMATCH, ROGUE, "refused"),
    )
    m = meter(market, meter_id)
    assert (m.dialin_identity, m.identity_offered, m.identity_conflict) == (SIM, ROGUE, False)
    record(market, IdentityEvent(channel, "A4G0001", IdentityEventKind.FLAPPING, ROGUE, "身份冲突"))
    assert meter(market, meter_id).identity_conflict is True
    with market.db.transaction() as s:
        assert overview(s, market.site_id).meters_identity_conflict == 1
        (row,) = [r for r in meter_rows(s, market.site_id) if r.id == meter_id]
        assert row.identity_conflict is True
        actions = list(
            s.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.entity_id == meter_id)
                .where(AuditEvent.action.like("meter.identity%"))
                .order_by(AuditEvent.id)
            )
        )
    assert actions == ["meter.identity_bound", "meter.identity_refused", "meter.identity_conflict"]


def test_an_admin_accepts_the_new_sim_or_clears_the_binding_and_the_mark_goes(market):
    channel, meter_id = a_4g_meter(market)
    record(
        market,
        IdentityEvent(channel, "A4G0001", IdentityEventKind.BOUND, SIM),
        IdentityEvent(channel, "A4G0001", IdentityEventKind.FLAPPING, ROGUE, "身份冲突"),
    )
    with pytest.raises(PermissionDenied), market.db.transaction() as s:
        resolve_identity(s, market.cashier, meter_id, "accept")
    with market.db.transaction() as s:
        resolve_identity(s, market.admin, meter_id, "accept")
    m = meter(market, meter_id)
    assert (m.dialin_identity, m.identity_offered, m.identity_conflict) == (ROGUE, "", False)
    with pytest.raises(Conflict, match="没有待接受的新身份"), market.db.transaction() as s:
        resolve_identity(s, market.admin, meter_id, "accept")
    with market.db.transaction() as s:
        resolve_identity(s, market.admin, meter_id, "clear")
        assert s.get(Meter, meter_id).dialin_identity == ""
        audited = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "meter.identity_accept")
        ).one()
    assert (audited.actor, audited.detail["before"], audited.detail["after"]) == (
        "boss",
        SIM,
        ROGUE,
    )


# ---------------------------------------------------------------- the whole way, on real sockets
def test_a_rogue_storm_against_a_live_4g_meter_is_refused_stored_and_shown(sqlite_db):
    sim = MarketSimulator(
        SimConfig(
            electric=1,
            water=0,
            seed=7,
            acrel_4g=1,
            dtus=0,
            gateways=0,
            meters_per_bus=1,
            three_phase_share=0,
            heartbeat_s=0.2,
            poll_interval_s=0,
        )
    ).start()
    try:
        (config,) = [c for c in sim.channels() if c.kind is ChannelKind.ACREL_4G]
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
            stall = Stall(site_id=site.id, building_id=building.id, code="A001", name="档位1")
            s.add_all([building, tariff])
            s.flush()
            stall.building_id = building.id
            s.add(stall)
            s.flush()
            s.add(Account(stall_id=stall.id))
            (endpoint,) = config.meters
            s.add(
                Meter(
                    site_id=site.id,
                    stall_id=stall.id,
                    kind=MeterKind.ELECTRIC,
                    protocol=endpoint.protocol,
                    profile=endpoint.profile,
                    address=endpoint.address,
                    tariff_id=tariff.id,
                    supply_on=True,
                )
            )
            s.flush()
            ids = sync_channels(s, Actor(None, "admin", Role.ADMIN, site.id), [config])
            site_id = site.id
        service = CommService(
            sqlite_db, site_id, clock=sim.clock, settle_every_s=3600, reload_every_s=0.2
        )
        service.start()
        try:
            port = service.poller.listen_port(ids[config.id])
            sim.connect_dialers("127.0.0.1", port)
            serial = endpoint.address
            iccid = sim.meter(config.id, serial).extra["dialer"].iccid

            def stored():
                with sqlite_db.transaction() as s:
                    m = s.scalar(select(Meter).where(Meter.address == serial))
                    return m.dialin_identity, m.identity_offered, m.identity_conflict

            assert wait_until(lambda: stored()[0] == iccid)  # bound on its first registration
            for _ in range(3):
                with socket.create_connection(("127.0.0.1", port), timeout=5) as rogue:
                    rogue.sendall(
                        acrel4g.Register(serial, ROGUE, 20, ("0100", "0100", "0100"), 30).encode()
                    )
                    try:
                        assert rogue.recv(64) == b""
                    except ConnectionResetError:
                        pass
            assert wait_until(lambda: stored() == (iccid, ROGUE, True))
            with sqlite_db.transaction() as s:
                assert overview(s, site_id).meters_identity_conflict == 1
            assert [e for e in service.poller.errors_since(0)[1] if "身份冲突" in str(e.message)]
            assert sim.meter(config.id, serial).extra["dialer"].connections == 1  # never pushed off
        finally:
            service.stop()
    finally:
        sim.stop()
