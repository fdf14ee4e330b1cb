"""Revision 0008 turns the texts the program stored before as Chinese sentences (ledger entry
and command reasons, withdrawn commands' results, a voided bill's note, a month's flags) into
catalogue words (code + parameters), so they read in the clerk's language; a text a person
typed, or one no template says, stays as it is."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from alembic import command
from sqlalchemy import select, text

from app.comm.types import Action
from app.models.account import Account, EntryKind
from app.models.billing import Bill
from app.models.db import alembic_config, upgrade
from app.models.meter import CommandStatus, MeterCommand
from app.models.monthly import MonthlyReport, MonthlyReview, MonthlyRow
from app.models.user import AuditEvent
from app.services.money import monthly_ledger, settlement  # noqa: F401 (their words)
from app.services.money.ledger import lock_account, post
from app.words import said_from, shown
from tests.builders import Market

LEDGER_REASONS = {  # as the program wrote them before, and what a client in English reads now
    "电费 2026-03-02T00:00": "Electricity charge 2026-03-02T00:00",
    "作废账单：抄错表": "Bill voided: 抄错表",
    "公摊：公区照明 2026-03-01~2026-03-31": "Shared cost: 公区照明 2026-03-01~2026-03-31",
    "销户扣公摊：公区照明 2026-03-01~2026-03-31": (
        "Shared cost debited at closing: 公区照明 2026-03-01~2026-03-31"
    ),
    "演示充值": "Demo recharge",
    # a reason a person typed: kept as written
    "付款失败": "付款失败",
}
COMMANDS = {  # (reason, result) before -> after, in English
    ("可用余额 -3.20 元低于透支额度 −0.00 元", "余额变化，指令已撤销"): (
        "Available balance ¥-3.20 is below the overdraft limit of −¥0.00",
        "The balance changed; the command was withdrawn",
    ),
    ("销户：租户搬走", "已换表"): ("Account closed: 租户搬走", "Meter replaced"),
    ("现场检修", "表计已停用"): ("现场检修", "Meter taken out of use"),
}
OLD_NOTE = "作废：重复开票"
OLD_FLAGS = "用电突增+150%；水表W-1离线11天"
AUDIT_REASON = "可用余额 12.50 元已恢复"
REVIEW_COMMENTS = {
    "较上次生成有变动：A001 期末 398.90→393.90；B001 期末 0.00→-5.00；期末合计 -10.00 元": (
        "Changed since the last build: A001 closing 398.90→393.90; B001 closing 0.00→-5.00; "
        "closing balances -10.00 yuan in all"
    ),
    "由提交人审核；已核对": "approved by the submitter; 已核对",
    "B001 水表离线，请核实": "B001 水表离线，请核实",  # the reviewer's own words
}


def _old_rows(db):
    """Rows as the version before wrote them, in the schema of revision 0007."""
    market = Market(db)
    stall = market.a_stall("A001")
    meter = market.a_meter(stall)
    market.some_bills(stall, date(2026, 3, 1), 1)
    with db.transaction() as s:
        account = lock_account(s, s.scalar(select(Account.id).where(Account.stall_id == stall)))
        for reason in LEDGER_REASONS:
            post(s, account, EntryKind.ADJUSTMENT, Decimal("1.00"), reason=reason)
        for reason, result in COMMANDS:
            s.add(
                MeterCommand(
                    meter_id=meter,
                    action=Action.TRIP,
                    status=CommandStatus.CANCELLED,
                    reason=reason,
                    result=result,
                )
            )
        s.scalar(select(Bill).where(Bill.stall_id == stall)).note = OLD_NOTE
        report = MonthlyReport(site_id=market.site_id, month=date(2026, 3, 1))
        s.add(report)
        s.flush()
        zero = {n: Decimal(0) for n in monthly_ledger.MONEY_FIELDS}
        s.add(
            MonthlyRow(
                report_id=report.id,
                stall_id=stall,
                building="一号楼",
                stall_code="A001",
                electric_kwh=Decimal(0),
                prev_electric_kwh=Decimal(0),
                water_m3=Decimal(0),
                prev_water_m3=Decimal(0),
                **zero,
                flags=OLD_FLAGS,
            )
        )
        for comment in REVIEW_COMMENTS:
            s.add(
                MonthlyReview(report_id=report.id, username="boss", action="build", comment=comment)
            )
        s.add(
            AuditEvent(
                actor="system",
                action="control.close",
                entity="meter",
                entity_id=meter,
                detail={"reason": AUDIT_REASON, "available": "12.50"},
            )
        )
    command.downgrade(alembic_config(db.engine), "0007")  # just before 0008


def _stored(db):
    with db.engine.connect() as c:

        def column(sql):
            return [r for (r,) in c.execute(text(sql))]

        detail = c.execute(
            text("SELECT detail FROM audit_event WHERE action = 'control.close'")
        ).scalar()
        return (
            column("SELECT reason FROM ledger_entry ORDER BY id")[-len(LEDGER_REASONS) :],
            [
                tuple(r)
                for r in c.execute(text("SELECT reason, result FROM meter_command ORDER BY id"))
            ],
            column("SELECT note FROM bill")[0],
            column("SELECT flags FROM monthly_row")[0],
            (detail if isinstance(detail, dict) else json.loads(detail))["reason"],
            column("SELECT comment FROM monthly_review ORDER BY id"),
        )


def test_old_program_texts_become_words_and_read_in_the_clerks_language(db):
    _old_rows(db)
    upgrade(db.engine)
    reasons, commands, note, flags, audit_reason, comments = _stored(db)
    assert [shown(r, "en") for r in reasons] == list(LEDGER_REASONS.values())
    assert [shown(r, "zh_CN") for r in reasons] == list(LEDGER_REASONS)  # the same Chinese
    assert said_from(reasons[0]).word is settlement.BILL_REASON
    assert reasons[-1] == "付款失败"
    assert [(shown(a, "en"), shown(b, "en")) for a, b in commands] == list(COMMANDS.values())
    assert [(shown(a, "zh_CN"), shown(b, "zh_CN")) for a, b in commands] == list(COMMANDS)
    assert commands[-1][0] == "现场检修"
    assert shown(note, "en") == "Voided: 重复开票"
    assert shown(flags, "en") == "Electricity use jumped +150%; Water meter W-1 offline 11 days"
    assert shown(flags, "zh_CN") == OLD_FLAGS
    assert shown(audit_reason, "en") == "Available balance ¥12.50 is restored"
    assert [shown(c, "en") for c in comments] == list(REVIEW_COMMENTS.values())
    assert [shown(c, "zh_CN") for c in comments] == list(REVIEW_COMMENTS)


def test_going_back_to_0007_says_the_words_as_the_sentences_they_were(db):
    _old_rows(db)
    before = _stored(db)
    upgrade(db.engine)
    assert _stored(db) != before
    command.downgrade(alembic_config(db.engine), "0007")
    assert _stored(db) == before
    upgrade(db.engine)
