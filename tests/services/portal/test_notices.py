"""SMS notices to tenants: balance below alarm 1 / 2, supply cut, recharge received, each once
per event, quiet hours, kinds turned off, the outbox as the sender without an SMS contract,
Aliyun through a local double of its SendSms endpoint."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select

from app.comm.types import Action
from app.models.account import PayMethod
from app.models.meter import MeterCommand
from app.models.portal import SmsMessage
from app.models.user import AuditEvent
from app.services.market import stalls
from app.services.market.control import command_finished, reconsider
from app.services.market.readings import ingest
from app.services.money.accounts import RechargeRequest, recharge
from app.services.money.settlement import settle
from app.services.platform.context import PermissionDenied, ServiceError
from app.services.portal import notices
from app.services.portal.sms import set_up_sms
from tests.builders import Market, local

PHONE = "13800000001"


def rented(m: Market, s, stall_id: int, phone: str = PHONE, role: str = "tenant") -> None:
    customer = stalls.create_customer(s, m.admin, "张三", phone)
    stalls.set_stall_role(s, m.admin, stall_id, role, customer.id)


def notices_of(s, template: str | None = None) -> list[SmsMessage]:
    q = select(SmsMessage).where(SmsMessage.template.like("notice_%")).order_by(SmsMessage.id)
    if template:
        q = q.where(SmsMessage.template == template)
    return list(s.scalars(q))


def read(m: Market, meter_id: int, day: int, kwh: int) -> None:
    """The meter reads `kwh` at midnight starting the `day`th of November 2026."""
    ingest(m.s, [m.reading(meter_id, local(2026, 11, day), kwh * 100)])


def settled(m: Market, s, day: int) -> None:
    """The nightly settlement of the day before `day` (01:00, in the quiet hours)."""
    settle(s, m.admin, now=local(2026, 11, day, 1))


def test_two_settlements_below_alarm_1_send_one_sms_and_a_new_fall_sends_another(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00", alarm1="50", alarm2="20")
        rented(m, s, stall.stall_id)
        notices.set_notices(s, m.admin, on=["alarm1", "alarm2"])
        read(m, stall.electric, 20, 0)
        read(m, stall.electric, 21, 55)
        settled(m, s, 21)  # balance 45: below alarm 1
        read(m, stall.electric, 22, 60)
        settled(m, s, 22)  # 40: still below, nothing new
        assert [(n.template, n.params["available"], n.phone) for n in notices_of(s)] == [
            ("notice_alarm1", "45.00", PHONE)
        ]
        recharge(
            s,
            m.cashier,
            RechargeRequest(amount="20.00", method=PayMethod.CASH, stall_id=stall.stall_id),
        )  # 60
        read(m, stall.electric, 23, 75)
        settled(m, s, 23)  # 45 again: a new fall
        assert [n.params["available"] for n in notices_of(s, "notice_alarm1")] == [
            "45.00",
            "45.00",
        ]
        assert notices_of(s, "notice_recharge") == []  # turned off


def test_a_fall_straight_below_alarm_2_tells_alarm_2_only_and_a_rise_to_1_tells_nothing(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00", alarm1="50", alarm2="20")
        rented(m, s, stall.stall_id)
        notices.set_notices(s, m.admin, on=["alarm1", "alarm2"])
        read(m, stall.electric, 20, 0)
        read(m, stall.electric, 21, 90)
        settled(m, s, 21)  # 10
        recharge(
            s,
            m.cashier,
            RechargeRequest(amount="30.00", method=PayMethod.CASH, stall_id=stall.stall_id),
        )  # 40
        assert [(n.template, n.params["alarm"]) for n in notices_of(s)] == [
            ("notice_alarm2", "20.00")
        ]


def test_a_kind_turned_off_sends_nothing_and_no_phone_no_notice(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        told = m.a_stall_with_meters(balance="100.00")
        rented(m, s, told.stall_id)
        no_phone = m.a_stall_with_meters(balance="100.00")
        notices.set_notices(s, m.admin, on=["alarm1"])
        for st in (told, no_phone):
            read(m, st.electric, 20, 0)
            read(m, st.electric, 21, 85)  # 15: below alarm 2, which is off
        settled(m, s, 21)
        assert notices_of(s) == []
        notices.set_notices(s, m.admin, on=["alarm2"], off=["alarm1"])
        recharge(
            s,
            m.cashier,
            RechargeRequest(amount="100.00", method=PayMethod.CASH, stall_id=told.stall_id),
        )
        read(m, told.electric, 22, 190)  # 10 again
        settled(m, s, 22)
        assert [(n.template, n.stall_id) for n in notices_of(s)] == [
            ("notice_alarm2", told.stall_id)
        ]


def test_the_owner_is_told_when_the_stall_has_no_tenant(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        rented(m, s, stall.stall_id, phone="13900000002", role="owner")
        notices.set_notices(s, m.admin, on=["recharge"])
        recharge(
            s,
            m.cashier,
            RechargeRequest(amount="10.00", method=PayMethod.CASH, stall_id=stall.stall_id),
        )
        assert [n.phone for n in notices_of(s)] == ["13900000002"]


def test_supply_cut_is_told_once_until_the_supply_is_back(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="30.00", water=True)
        rented(m, s, stall.stall_id)
        notices.set_notices(s, m.admin, on=["supply_cut"])
        now = local(2026, 11, 20, 10)

        def finish_open_commands():
            done = []
            for c in s.scalars(select(MeterCommand).where(MeterCommand.status == "pending")):
                command_finished(s, c.id, True, now=now)
                done.append(Action(c.action))
            return sorted(done)

        stalls_account_debit(m, s, stall, "40.00")  # available −10
        reconsider(s, [stall.stall_id], now=now)
        assert finish_open_commands() == [Action.TRIP, Action.VALVE_CLOSE]
        (notice,) = notices_of(s, "notice_supply_cut")  # two meters cut, one notice
        assert notice.params["available"] == "-10.00"
        recharge(
            s,
            m.cashier,
            RechargeRequest(amount="50.00", method=PayMethod.CASH, stall_id=stall.stall_id),
        )
        assert finish_open_commands() == [Action.CLOSE, Action.VALVE_OPEN]  # back on
        assert len(notices_of(s, "notice_supply_cut")) == 1
        stalls_account_debit(m, s, stall, "60.00")
        reconsider(s, [stall.stall_id], now=now)
        finish_open_commands()
        assert len(notices_of(s, "notice_supply_cut")) == 2


def stalls_account_debit(m: Market, s, stall, amount: str) -> None:
    """A bill debited (as a settlement does), without the control pass."""
    from app.models.account import EntryKind
    from app.services.money.ledger import lock_account, post

    post(
        s,
        lock_account(s, stall.account_id),
        EntryKind.ADJUSTMENT,
        -Decimal(amount),
        reason="测试扣款",
    )


def test_quiet_hours_hold_alarms_until_their_end_but_not_a_recharge(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        rented(m, s, stall.stall_id)
        notices.set_notices(s, m.admin, on=list(notices.KINDS), quiet="22:00-08:00")
        read(m, stall.electric, 20, 0)
        read(m, stall.electric, 21, 55)
        settled(m, s, 21)  # 01:00: quiet
        recharge(
            s,
            m.cashier,
            RechargeRequest(amount="1.00", method=PayMethod.CASH, stall_id=stall.stall_id),
        )
        site = m.site_id
    with db.reading() as s:
        alarm, paid = notices_of(s)
        assert alarm.due_at == local(2026, 11, 21, 8)  # held to the end of the quiet hours
        assert paid.due_at == paid.at  # a recharge is told at once
        paid_at = paid.at
    sent = lambda now: notices.send_due_notices(db, site, now=now)  # noqa: E731
    assert sent(local(2026, 11, 21, 7, 59)) == 0
    assert sent(local(2026, 11, 21, 8, 0)) == 1  # the alarm, at the end of the quiet hours
    assert sent(paid_at) == 1  # the recharge
    assert sent(paid_at) == 0
    with db.reading() as s:
        rows = notices_of(s)
        assert [(n.template, n.status, n.provider) for n in rows] == [
            ("notice_alarm1", "outbox", "outbox"),
            ("notice_recharge", "outbox", "outbox"),
        ]
        assert notices.notice_text(rows[1].template, rows[1].params, "zh_CN") == (
            f"您的摊位{rows[1].params['stall']}已充值1.00元，当前余额46.00元，收据号"
            f"{rows[1].params['receipt']}。"
        )


def test_a_rolled_back_recharge_tells_nobody(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        rented(m, s, stall.stall_id)
        notices.set_notices(s, m.admin, on=["recharge"])
        site, cashier = m.site_id, m.cashier

    class Refused(Exception):
        pass

    with pytest.raises(Refused), db.transaction() as s:
        recharge(
            s,
            cashier,
            RechargeRequest(amount="10.00", method=PayMethod.CASH, stall_id=stall.stall_id),
        )
        raise Refused
    assert notices.send_due_notices(db, site) == 0
    with db.reading() as s:
        assert notices_of(s) == []


def test_settings_are_the_admins_audited_and_checked(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        with pytest.raises(PermissionDenied):
            notices.set_notices(s, m.cashier, on=["alarm1"])
        with pytest.raises(ServiceError) as bad:
            notices.set_notices(s, m.admin, quiet="10pm")
        assert "22:00-08:00" in bad.value.text("zh_CN")
        with pytest.raises(ServiceError):
            notices.set_notices(s, m.admin, on=["birthday"])
        done = notices.set_notices(s, m.admin, on=["alarm1", "recharge"], quiet="none")
        assert done.on == {"alarm1", "recharge"} and done.quiet_start is None
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "sms.notices"))
        assert event.detail["before"] == {"on": [], "quiet": "22:00-08:00"}
        assert event.detail["after"] == {"on": ["alarm1", "recharge"], "quiet": "none"}


class _Aliyun(BaseHTTPRequestHandler):
    """Aliyun SendSms: refuses the first request (throttled), then answers OK."""

    seen: list[dict] = []
    refuse_next = True

    def do_GET(self):  # noqa: N802
        query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        self.seen.append(query)
        if _Aliyun.refuse_next:
            _Aliyun.refuse_next = False
            body = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"}
        else:
            body = {"Code": "OK", "BizId": "1^0", "RequestId": "R1"}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def aliyun():
    server = HTTPServer(("127.0.0.1", 0), _Aliyun)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Aliyun.seen, _Aliyun.refuse_next = [], True
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_through_aliyun_a_refused_notice_is_tried_again_later(sqlite_db, aliyun):
    db = sqlite_db
    settings = {
        "access_key_id": "id",
        "access_key_secret": "secret",
        "sign_name": "城南市场",
        "endpoint": aliyun,
        "templates": {"sign_in_code": "SMS_1", "bind_code": "SMS_2"},
    }
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        rented(m, s, stall.stall_id)
        set_up_sms(s, m.admin, "aliyun", settings)
        with pytest.raises(ServiceError) as missing:
            notices.set_notices(s, m.admin, on=["recharge"])
        assert "notice_recharge" in missing.value.text("en")
        set_up_sms(
            s,
            m.admin,
            "aliyun",
            {**settings, "templates": {**settings["templates"], "notice_recharge": "SMS_9"}},
        )
        notices.set_notices(s, m.admin, on=["recharge"])
        recharge(
            s,
            m.cashier,
            RechargeRequest(amount="10.00", method=PayMethod.CASH, stall_id=stall.stall_id),
        )
        site = m.site_id
    at = datetime.now(UTC) + timedelta(seconds=1)  # the recharge's notice is due at once
    assert notices.send_due_notices(db, site, now=at) == 1  # refused: throttled
    with db.reading() as s:
        (row,) = notices_of(s)
        assert (row.status, row.attempts) == ("queued", 1)
        assert "BUSINESS_LIMIT_CONTROL" in row.detail
    assert notices.send_due_notices(db, site, now=at) == 0  # not yet
    assert notices.send_due_notices(db, site, now=at + timedelta(minutes=2)) == 1
    with db.reading() as s:
        (row,) = notices_of(s)
        assert (row.status, row.provider, row.attempts) == ("sent", "aliyun", 2)
    last = _Aliyun.seen[-1]
    assert last["TemplateCode"] == "SMS_9" and last["PhoneNumbers"] == PHONE
    assert json.loads(last["TemplateParam"])["amount"] == "10.00"


@pytest.mark.pg
def test_two_control_passes_at_the_same_moment_queue_one_notice(pg_db):
    """The notice step of two control passes of one stall in two transactions at once (the
    meter rows they both update usually keep them apart: this is the step's own guard)."""
    db = pg_db
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        rented(m, s, stall.stall_id)
        notices.set_notices(s, m.admin, on=["alarm1"])
        reconsider(s, [stall.stall_id])  # level 0 noted
        site = m.site_id
    below = {
        stall.stall_id: notices.StallAlarm(site, 1, Decimal("40"), Decimal("50"), Decimal("20"))
    }
    first_done, queued, errors = threading.Event(), [], []

    def second():
        try:
            first_done.wait(10)
            with db.transaction() as s2:
                queued.append(notices.alarm_levels_decided(s2, below))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    worker = threading.Thread(target=second)
    worker.start()
    with db.transaction() as s1:
        queued.append(notices.alarm_levels_decided(s1, below))
        first_done.set()
        worker.join(1.0)  # the second now waits on the stall's notice state
        assert worker.is_alive()
    worker.join(30)
    assert errors == [] and sorted(queued) == [0, 1]
    with db.reading() as s:
        assert len(notices_of(s, "notice_alarm1")) == 1
