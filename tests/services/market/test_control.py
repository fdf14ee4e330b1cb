"""Control: the clerk's day at the counter when power goes off and comes back."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.comm.types import Action
from app.models.meter import AlarmLevel, CommandStatus, ControlMode, Meter, MeterCommand
from app.models.user import AuditEvent
from app.services.market.control import (
    command_finished,
    issue_command,
    recheck_before_send,
    reconsider,
    set_control_mode,
)
from app.services.market.readings import ingest
from app.services.market.usage import available_balances
from app.services.platform.context import PermissionDenied, ServiceError
from app.words import shown
from tests.builders import Market, local

DAY = local(2026, 11, 20, 10)


def used_kwh(m: Market, meter_id: int, kwh: int, at=DAY):
    """The meter reads 1000.00 kWh at 08:00 and `kwh` more at `at`."""
    ingest(m.s, [m.reading(meter_id, local(2026, 11, 20, 8), 100_000)])
    ingest(m.s, [m.reading(meter_id, at, 100_000 + kwh * 100)])


def open_commands(m, meter_id):
    return m.s.execute(
        select(MeterCommand.action, MeterCommand.status).where(
            MeterCommand.meter_id == meter_id, MeterCommand.status.in_(("pending", "sent"))
        )
    ).all()


def test_available_balance_is_balance_minus_unsettled_usage(db):
    with db.transaction() as s:
        m = Market.in_session(s, electric_price="1.2000")
        stall = m.a_stall_with_meters(balance="100.00", ct=2)
        used_kwh(m, stall.electric, 10)  # 10 kWh × ct 2 × 1.20
        assert available_balances(s, [stall.stall_id]) == {stall.stall_id: Decimal("76.00")}


def test_stall_that_used_more_than_its_balance_is_tripped_once(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="30.00")
        used_kwh(m, stall.electric, 31)
        first = reconsider(s, [stall.stall_id], now=DAY)
        again = reconsider(s, [stall.stall_id], now=DAY)
        assert [(c.meter_id, c.action) for c in first.issued] == [(stall.electric, Action.TRIP)]
        assert again.issued == ()
        assert open_commands(m, stall.electric) == [(Action.TRIP, CommandStatus.PENDING)]
        assert s.get(Meter, stall.electric).alarm_level == AlarmLevel.ALARM2


def test_recharge_before_the_trip_is_sent_cancels_it(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="30.00")
        used_kwh(m, stall.electric, 31)
        trip = reconsider(s, [stall.stall_id], now=DAY).issued[0]
        m.recharge(stall.account_id, "100.00")
        result = reconsider(s, [stall.stall_id], now=DAY)
        assert result.cancelled == (trip.command_id,)
        assert result.issued == ()  # the meter never went off: nothing to close
        assert open_commands(m, stall.electric) == []


def test_comm_service_rechecks_the_balance_right_before_tripping(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="30.00")
        used_kwh(m, stall.electric, 31)
        trip = reconsider(s, [stall.stall_id], now=DAY).issued[0]
        assert recheck_before_send(s, trip.command_id, now=DAY) is True
        m.recharge(stall.account_id, "5.00")
        assert recheck_before_send(s, trip.command_id, now=DAY) is False
        assert s.get(MeterCommand, trip.command_id).status == CommandStatus.CANCELLED


def test_cashier_recharges_tripped_stall_and_power_is_restored(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="30.00")
        used_kwh(m, stall.electric, 31)
        trip = reconsider(s, [stall.stall_id], now=DAY).issued[0]
        info = command_finished(s, trip.command_id, True, relay_closed=False, now=DAY)
        assert info.supply_on is False and info.status == CommandStatus.SUCCEEDED
        assert reconsider(s, [stall.stall_id], now=DAY).issued == ()  # already off
        m.recharge(stall.account_id, "50.00")
        close = reconsider(s, [stall.stall_id], now=DAY).issued
        assert [(c.meter_id, c.action) for c in close] == [(stall.electric, Action.CLOSE)]
        command_finished(s, close[0].command_id, True, relay_closed=True, now=DAY)
        assert s.get(Meter, stall.electric).supply_on is True
        states = s.scalars(
            select(AuditEvent.action).where(
                AuditEvent.entity_id == stall.electric, AuditEvent.action == "meter.state"
            )
        ).all()
        assert len(states) == 2


def test_no_cut_at_night(db):
    from datetime import time

    with db.transaction() as s:
        m = Market.in_session(s, night=(time(22, 0), time(7, 0)))
        stall = m.a_stall_with_meters(balance="30.00")
        used_kwh(m, stall.electric, 31, at=local(2026, 11, 20, 23))
        night = reconsider(s, [stall.stall_id], now=local(2026, 11, 20, 23, 30))
        morning = reconsider(s, [stall.stall_id], now=local(2026, 11, 21, 7, 0))
        assert night.issued == () and night.spared == (stall.electric,)
        assert [c.action for c in morning.issued] == [Action.TRIP]


def test_water_meter_gets_its_valve_closed(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="10.00", electric=False, water=True)
        ingest(s, [m.reading(stall.water, local(2026, 11, 20, 8), 1_000)])
        ingest(s, [m.reading(stall.water, DAY, 4_000)])  # 3 m³ × 5.00
        assert [c.action for c in reconsider(s, [stall.stall_id], now=DAY).issued] == [
            Action.VALVE_CLOSE
        ]


def test_warning_level_is_audited_once_per_change(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="60.00")
        used_kwh(m, stall.electric, 15)  # 45 left: below alarm 1 (50)
        reconsider(s, [stall.stall_id], now=DAY)
        reconsider(s, [stall.stall_id], now=DAY)
        assert s.get(Meter, stall.electric).alarm_level == AlarmLevel.ALARM1
        count = s.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "meter.alarm")
        )
        assert count == 1


def test_cashier_may_not_force_power_on_but_admin_may(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="30.00")
        used_kwh(m, stall.electric, 31)
        with pytest.raises(PermissionDenied, match="无权"):
            set_control_mode(s, m.cashier, [stall.electric], ControlMode.FORCED_ON)
        out = set_control_mode(s, m.admin, [stall.electric], ControlMode.FORCED_ON, "病人用电")
        assert out[0].outcome == "issued"
        assert reconsider(s, [stall.stall_id], now=DAY).issued == ()  # 保电: no trip
        set_control_mode(s, m.admin, [stall.electric], ControlMode.PREPAID)
        assert (Action.TRIP, CommandStatus.PENDING) in open_commands(m, stall.electric)


def test_batch_trip_reports_each_meter(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        on = m.a_stall_with_meters()
        off = m.a_stall_with_meters(supply_on=False)
        out = issue_command(s, m.admin, [on.electric, off.electric, 9999], Action.TRIP, "检修")
        assert [o.outcome for o in out] == ["issued", "already_in_state", "not_found"]
        again = issue_command(s, m.admin, [on.electric], Action.TRIP, "检修")
        assert again[0].outcome == "already_open"
        with pytest.raises(PermissionDenied):
            issue_command(s, m.cashier, [on.electric], Action.TRIP)
        assert issue_command(s, m.cashier, [on.electric], Action.READ_NOW)[0].outcome == "issued"


def test_a_manual_trip_is_kept_by_prepaid_control_until_prepaid_is_restored(db):
    """13 meters tripped by hand were closed again at once because their stalls had money:
    a person's trip is forced off (强制分闸) and control leaves it alone."""
    with db.transaction() as s:
        m = Market.in_session(s)
        stalls = [m.a_stall_with_meters(balance="100.00", water=True) for _ in range(3)]
        meters = [st.electric for st in stalls]
        out = issue_command(s, m.admin, meters, Action.TRIP, "线路检修")
        assert [o.outcome for o in out] == ["issued"] * 3
        for o in out:
            command_finished(s, o.command_id, True, relay_closed=False, now=DAY)
        after = reconsider(s, [st.stall_id for st in stalls], now=DAY)
        assert [c for c in after.issued if c.meter_id in meters] == []  # no automatic 合闸
        assert {s.get(Meter, i).control_mode for i in meters} == {ControlMode.FORCED_OFF}
        assert (
            s.get(Meter, stalls[0].water).control_mode is ControlMode.PREPAID
        )  # the water meter is not touched
        audits = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "meter.control_mode")
        ).all()
        assert {(a.entity_id, a.detail["after"], a.detail["reason"]) for a in audits} == {
            (i, "forced_off", "线路检修") for i in meters
        }
        # 恢复预付费: the balance decides again, and with money the power comes back.
        set_control_mode(s, m.admin, meters[:1], ControlMode.PREPAID, "检修完毕")
        assert (Action.CLOSE, CommandStatus.PENDING) in open_commands(m, meters[0])
        assert (Action.CLOSE, CommandStatus.PENDING) not in open_commands(m, meters[1])


def test_a_manual_close_or_valve_open_is_forced_on_and_not_tripped_for_arrears(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="30.00", supply_on=False, water=True)
        used_kwh(m, stall.electric, 31)
        reconsider(s, [stall.stall_id], now=DAY)
        issue_command(s, m.admin, [stall.electric], Action.CLOSE, "老人用电，先送电")
        issue_command(s, m.admin, [stall.water], Action.VALVE_OPEN, "先开阀")
        assert s.get(Meter, stall.electric).control_mode is ControlMode.FORCED_ON
        assert s.get(Meter, stall.water).control_mode is ControlMode.FORCED_ON
        for cmd_id in list(
            s.scalars(
                select(MeterCommand.id).where(
                    MeterCommand.status == CommandStatus.PENDING,
                    MeterCommand.is_automatic.is_(False),
                )
            )
        ):
            command_finished(s, cmd_id, True, now=DAY)
        assert (
            reconsider(s, [stall.stall_id], now=DAY).issued == ()
        )  # below the limit, still no trip


def test_a_manual_trip_replaces_a_pending_automatic_close_and_an_already_tripped_meter_stays_off(
    db,
):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00", supply_on=False)
        auto = reconsider(
            s, [stall.stall_id], now=DAY
        ).issued  # money: an automatic 合闸 is pending
        assert [c.action for c in auto] == [Action.CLOSE]
        [out] = issue_command(s, m.admin, [stall.electric], Action.TRIP, "拖欠租金，暂停供电")
        assert out.outcome == "already_in_state"  # already off: nothing to send, but forced now
        assert s.get(MeterCommand, auto[0].command_id).status is CommandStatus.CANCELLED
        assert s.get(Meter, stall.electric).control_mode is ControlMode.FORCED_OFF
        assert reconsider(s, [stall.stall_id], now=DAY).issued == ()


def test_a_supply_command_needs_its_reason(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters()
        with pytest.raises(ServiceError, match="请写明分闸的原因") as err:
            issue_command(s, m.admin, [stall.electric], Action.TRIP, "  ")
        assert "Write why" in err.value.en
        assert s.get(Meter, stall.electric).control_mode is ControlMode.PREPAID
        assert issue_command(s, m.admin, [stall.electric], Action.READ_NOW)[0].outcome == "issued"


def test_a_trip_for_arrears_that_fails_is_sent_again_until_it_succeeds(db):
    from datetime import timedelta

    from app.comm.messages import shown
    from app.services.market.collection import take_commands
    from app.services.market.meters import meter_rows

    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="30.00")
        used_kwh(m, stall.electric, 31)
        trip = reconsider(s, [stall.stall_id], now=DAY).issued[0]
        assert [r.command_id for r in take_commands(s, m.site.id, now=DAY)] == [trip.command_id]
        info = command_finished(
            s, trip.command_id, False, reason="电表无应答，请检查通讯线路", now=DAY
        )
        # not given up: open again, sent again in a minute, then later and later
        assert info.status == CommandStatus.PENDING
        command = s.get(MeterCommand, trip.command_id)
        assert (command.attempts, command.retry_at) == (1, DAY + timedelta(minutes=1))
        assert "第 1 次未成功" in shown(command.result) and "电表无应答" in shown(command.result)
        assert take_commands(s, m.site.id, now=DAY + timedelta(seconds=30)) == []
        assert reconsider(s, [stall.stall_id], now=DAY).issued == ()  # still the one command
        # the same command, its second attempt: a running poller runs a new attempt (test_poller)
        assert [
            (r.command_id, r.attempt)
            for r in take_commands(s, m.site.id, now=DAY + timedelta(minutes=1))
        ] == [(trip.command_id, 2)]
        command_finished(
            s,
            trip.command_id,
            False,
            reason="电表无应答，请检查通讯线路",
            now=DAY + timedelta(minutes=1),
        )
        assert command.retry_at == DAY + timedelta(minutes=3)  # 2 minutes after the second failure
        (row,) = [r for r in meter_rows(s, m.site.id) if r.id == stall.electric]
        assert (row.command, row.command_attempts) == ("trip", 2)  # the meters view shows it
        take_commands(s, m.site.id, now=DAY + timedelta(minutes=3))
        assert (
            command_finished(s, trip.command_id, True, relay_closed=False, now=DAY).status
            == CommandStatus.SUCCEEDED
        )
        assert s.get(Meter, stall.electric).supply_on is False
        retries = s.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "command.retry")
        ).all()
        assert [d["attempts"] for d in retries] == [1, 2]


def test_a_person_setting_the_control_mode_stops_the_retries(db):
    from app.services.market.collection import take_commands

    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="30.00")
        used_kwh(m, stall.electric, 31)
        trip = reconsider(s, [stall.stall_id], now=DAY).issued[0]
        take_commands(s, m.site.id, now=DAY)
        command_finished(s, trip.command_id, False, reason="设备未上线", now=DAY)
        set_control_mode(s, m.admin, [stall.electric], ControlMode.FORCED_ON, "现场检修")
        assert s.get(MeterCommand, trip.command_id).status == CommandStatus.CANCELLED


def test_a_manual_command_that_fails_is_not_retried(db):
    from app.services.market.collection import take_commands

    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="300.00")
        (outcome,) = issue_command(s, m.admin, [stall.electric], Action.TRIP, "线路检修")
        take_commands(s, m.site.id, now=DAY)
        assert (
            command_finished(s, outcome.command_id, False, reason="电表无应答", now=DAY).status
            == CommandStatus.FAILED
        )


def test_the_programs_reasons_read_in_the_clerks_language(sqlite_db):
    """An automatic trip's reason and a withdrawn command's result are stored as words: a
    client in English reads them in English, one in Chinese in Chinese."""
    with sqlite_db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="30.00")
        used_kwh(m, stall.electric, 31)
        trip = reconsider(s, [stall.stall_id], now=DAY).issued[0]
        m.recharge(stall.account_id, "100.00")
        reconsider(s, [stall.stall_id], now=DAY)
        command = s.get(MeterCommand, trip.command_id)
        audited = s.scalar(select(AuditEvent.detail).where(AuditEvent.action == "control.trip"))
    assert shown(command.reason, "en") == (
        "Available balance ¥-1.00 is below the overdraft limit of −¥0.00"
    )
    assert shown(command.reason, "zh_CN") == "可用余额 -1.00 元低于透支额度 −0.00 元"
    assert shown(audited["reason"], "en") == shown(command.reason, "en")
    assert shown(command.result, "en") == "The balance changed; the command was withdrawn"
    assert shown(command.result, "zh_CN") == "余额变化，指令已撤销"
