"""One meter at a time: the admin adds, changes, replaces and removes a stall's meter."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.comm.types import ChannelKind, MeterKind, Protocol
from app.models.base import utcnow
from app.models.billing import BillLine
from app.models.meter import Channel, CommandStatus, Meter, MeterCommand
from app.models.user import AuditEvent
from app.services.market.meters import (
    create_meter,
    meter_detail,
    remove_meter,
    replace_meter,
    update_meter,
)
from app.services.market.readings import ingest
from app.services.market.usage import unsettled_usage
from app.services.money.settlement import settle
from app.services.platform.context import Conflict, PermissionDenied, ServiceError
from tests.builders import Market, local

NIGHT = local(2026, 11, 21, 1, 0)


def a_line(m: Market, name: str, kind: ChannelKind = ChannelKind.SERIAL) -> Channel:
    channel = Channel(site_id=m.site.id, name=name, kind=kind)
    m.s.add(channel)
    m.s.flush()
    return channel


def test_slave_id_taken_on_the_same_line_is_refused_and_says_which_stall_has_it(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        taken = m.a_stall_with_meters("A001")
        address = s.get(Meter, taken.electric).address
        other = m.a_stall_with_meters("A002", electric=False)
        with pytest.raises(Conflict) as refused:
            create_meter(
                s,
                m.admin,
                other.stall_id,
                MeterKind.ELECTRIC,
                address,
                channel_id=m.channel.id,
                tariff_id=m.electric_tariff.id,
            )
        assert refused.value.code == "address_taken"
        assert f"通道“COM1”上已有地址为 {address} 的表（档位 A001）" in str(refused.value)
        assert "check the address or the channel" in refused.value.en
        assert s.scalar(select(Meter.id).where(Meter.stall_id == other.stall_id)) is None


def test_the_same_slave_id_on_another_line_is_another_meter(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        taken = m.a_stall_with_meters("A001")
        address = s.get(Meter, taken.electric).address
        other = m.a_stall_with_meters("A002", electric=False)
        com2 = a_line(m, "COM2")
        made = create_meter(
            s,
            m.admin,
            other.stall_id,
            "electric",
            f" {address} ",
            channel_id=com2.id,
            profile="acrel_dtsy1352_mapb",
            tariff_id=m.electric_tariff.id,
            ct_ratio="5",
        )
        assert (made.address, made.channel, made.stall_code, made.ct_ratio) == (
            address,
            "COM2",
            "A002",
            5,
        )
        assert (made.protocol, made.profile, made.has_history) == (
            Protocol.MODBUS_ACREL,
            "acrel_dtsy1352_mapb",
            False,
        )
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "meter.create")).one()
        assert event.entity_id == made.id and event.detail["channel_id"] == com2.id


def test_a_meter_on_the_nb_platform_without_a_profile_talks_ctwing(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters("A001", electric=False)
        nb = a_line(m, "NB", ChannelKind.CTWING)
        made = create_meter(
            s,
            m.admin,
            stall.stall_id,
            MeterKind.WATER,
            "860000000001",
            channel_id=nb.id,
            tariff_id=m.water_tariff.id,
        )
        assert made.protocol is Protocol.CTWING_WATER
        with pytest.raises(ServiceError, match="NB 平台"):
            create_meter(
                s,
                m.admin,
                stall.stall_id,
                MeterKind.ELECTRIC,
                "2",
                channel_id=nb.id,
                profile="acrel_ddsy1352_mapb",
            )


def test_a_water_tariff_on_an_electricity_meter_is_refused(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters("A001", electric=False)
        with pytest.raises(ServiceError) as refused:
            create_meter(
                s,
                m.admin,
                stall.stall_id,
                MeterKind.ELECTRIC,
                "77",
                channel_id=m.channel.id,
                tariff_id=m.water_tariff.id,
            )
        assert refused.value.code == "wrong_kind"
        assert "“水费”是水价，电表要选电价" == str(refused.value)
        made = create_meter(
            s,
            m.admin,
            stall.stall_id,
            MeterKind.ELECTRIC,
            "77",
            channel_id=m.channel.id,
            tariff_id=m.electric_tariff.id,
        )
        with pytest.raises(ServiceError, match="电表要选电价"):
            update_meter(s, m.admin, made.id, tariff_id=m.water_tariff.id)
        with pytest.raises(ServiceError, match="型号配置“nb_water_ctwing”用于水表"):
            update_meter(s, m.admin, made.id, profile="nb_water_ctwing")


def test_moving_a_meter_to_another_line_and_address_is_audited_with_before_and_after(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters("A001")
        com2 = a_line(m, "COM2")
        dearer = m.tariff("商业电", MeterKind.ELECTRIC, price="1.2000")
        old_address = s.get(Meter, stall.electric).address
        changed = update_meter(
            s,
            m.admin,
            stall.electric,
            channel_id=com2.id,
            address="9",
            tariff_id=dearer.id,
            ct_ratio=20,
            model="DDSY1352-NK",
        )
        assert (changed.channel, changed.address, changed.tariff_id, changed.ct_ratio) == (
            "COM2",
            "9",
            dearer.id,
            20,
        )
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "meter.update")).one()
        assert event.detail["before"] == {
            "channel_id": m.channel.id,
            "address": old_address,
            "tariff_id": m.electric_tariff.id,
            "ct_ratio": 1,
        }
        assert event.detail["after"] == {
            "channel_id": com2.id,
            "address": "9",
            "tariff_id": dearer.id,
            "ct_ratio": 20,
        }
        # Nothing changed: nothing audited.
        update_meter(s, m.admin, stall.electric, address="9")
        assert (
            len(s.scalars(select(AuditEvent).where(AuditEvent.action == "meter.update")).all()) == 1
        )


def test_an_edit_onto_a_neighbours_address_is_refused_and_the_kind_never_changes(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        a, b = m.a_stall_with_meters("A001"), m.a_stall_with_meters("A002")
        neighbour = s.get(Meter, b.electric).address
        with pytest.raises(Conflict, match=f"已有地址为 {neighbour} 的表（档位 A002）"):
            update_meter(s, m.admin, a.electric, address=neighbour)
        with pytest.raises(ServiceError, match="类型.*不能修改"):
            update_meter(s, m.admin, a.electric, kind=MeterKind.WATER)
        assert s.get(Meter, a.electric).address != neighbour


def test_a_stalls_meter_needs_a_tariff_because_without_one_its_usage_is_billed_nothing(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters("A001", electric=False)
        with pytest.raises(ServiceError, match="请选择电价"):
            create_meter(
                s, m.admin, stall.stall_id, MeterKind.ELECTRIC, "5", channel_id=m.channel.id
            )
        with pytest.raises(ServiceError, match="请选择电价"):
            update_meter(s, m.admin, m.a_stall_with_meters("A002").electric, tariff_id=None)
        master = create_meter(
            s, m.admin, None, MeterKind.ELECTRIC, "6", channel_id=m.channel.id
        )  # no stall: no bill
        assert master.tariff_id is None


def test_a_meter_entered_by_mistake_is_deleted(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters("A001", electric=False)
        made = create_meter(
            s,
            m.admin,
            stall.stall_id,
            MeterKind.ELECTRIC,
            "5",
            channel_id=m.channel.id,
            tariff_id=m.electric_tariff.id,
        )
        s.add(MeterCommand(meter_id=made.id, action="read_now"))
        s.flush()
        removed = remove_meter(s, m.admin, made.id)
        assert removed.deleted and (removed.stall_code, removed.address) == ("A001", "5")
        assert s.get(Meter, made.id) is None
        assert s.scalars(
            select(AuditEvent.action).where(
                AuditEvent.entity == "meter", AuditEvent.entity_id == made.id
            )
        ).all() == ["meter.create", "meter.delete"]


def test_a_meter_with_readings_is_taken_out_of_use_and_its_last_usage_is_still_billed(db):
    with db.transaction() as s:
        m = Market.in_session(s, electric_price="1.0000")
        stall = m.a_stall_with_meters("A001", balance="100.00")
        address = s.get(Meter, stall.electric).address
        ingest(
            s,
            [
                m.reading(stall.electric, local(2026, 11, 20, 0), 100_000),
                m.reading(stall.electric, local(2026, 11, 20, 20), 101_500),
            ],
        )  # 15 kWh
        settle(s, m.admin, now=local(2026, 11, 20, 1))  # from here on, usage is unsettled
        s.add(MeterCommand(meter_id=stall.electric, action="trip"))
        s.flush()
        assert meter_detail(s, m.site.id, stall.electric).has_history
        before = {u.meter_id: u.quantity for u in unsettled_usage(s, [stall.stall_id])}
        removed = remove_meter(s, m.admin, stall.electric)
        assert not removed.deleted
        meter = s.get(Meter, stall.electric)
        assert meter is not None and meter.is_active is False
        assert (
            s.scalar(select(MeterCommand.status).where(MeterCommand.meter_id == meter.id))
            == CommandStatus.CANCELLED
        )
        # Its line is free: a new meter may take the address.
        create_meter(
            s,
            m.admin,
            stall.stall_id,
            MeterKind.ELECTRIC,
            address,
            channel_id=m.channel.id,
            tariff_id=m.electric_tariff.id,
        )
        assert before == {stall.electric: Decimal("15.000")}
        settle(s, m.admin, now=NIGHT)
        billed = (
            s.execute(select(BillLine.quantity).where(BillLine.meter_id == stall.electric))
            .scalars()
            .all()
        )
        assert sum(billed) == Decimal("15.000")
        assert m.balance(stall) == Decimal("85.00")
        assert (
            "meter.deactivate"
            in s.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.entity == "meter", AuditEvent.entity_id == stall.electric
                )
            ).all()
        )
        with pytest.raises(Conflict, match="已停用或已换下"):
            update_meter(s, m.admin, stall.electric, ct_ratio=2)


def test_replacing_from_the_dialog_takes_readings_in_kwh(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters("A001")
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8), 50_000)])
        with pytest.raises(ServiceError, match="旧表止码“500.001”不对"):
            replace_meter(s, m.admin, stall.electric, "88", "500.001", "0")
        new = replace_meter(
            s,
            m.admin,
            stall.electric,
            "88",
            "501.00",
            "0.5",
            new_model="DTSY1352",
            new_profile="acrel_dtsy1352_mapb",
        )
        assert (new.address, new.model, new.profile, new.last_reading) == (
            "88",
            "DTSY1352",
            "acrel_dtsy1352_mapb",
            Decimal("0.50"),
        )
        assert s.get(Meter, stall.electric).last_total == 50_100


def test_a_meter_read_later_than_the_pcs_clock_is_replaced_right_after_its_last_reading(db):
    """A reading stored ahead of the PC's clock (a PC whose clock ran ahead, the demo's fast
    clock) does not block 换表: the old meter's final reading is stored just after it."""
    ahead = utcnow() + timedelta(hours=18)
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters("A001")
        ingest(s, [m.reading(stall.electric, ahead, 50_000)])
        new = replace_meter(s, m.admin, stall.electric, "88", "501.00", "0")
        old = s.get(Meter, stall.electric)
        assert new.address == "88" and not old.is_active and old.last_total == 50_100
        assert old.last_read_at == ahead + timedelta(seconds=1)


def test_a_cashier_may_not_add_change_or_remove_meters(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters("A001")
        for call in (
            lambda: create_meter(
                s, m.cashier, stall.stall_id, MeterKind.ELECTRIC, "9", channel_id=m.channel.id
            ),
            lambda: update_meter(s, m.cashier, stall.electric, address="9"),
            lambda: remove_meter(s, m.cashier, stall.electric),
            lambda: replace_meter(s, m.cashier, stall.electric, "9", "0", "0"),
        ):
            with pytest.raises(PermissionDenied) as denied:
                call()
            assert "收银员" in str(denied.value) and "administrator" in denied.value.en
        assert s.get(Meter, stall.electric).address != "9"


def test_a_meter_goes_on_a_stall_chosen_from_the_list_or_on_none():
    from app.services.market.meters import chosen_stall_id

    stalls = {"A001": 7, "B002": 9}
    assert chosen_stall_id(stalls, " B002 ") == 9 and chosen_stall_id(stalls, "  ") is None
    with pytest.raises(ServiceError, match="档位“Z9”不存在，请从列表里选择档位") as e:
        chosen_stall_id(stalls, "Z9")
    assert e.value.code == "not_found"
