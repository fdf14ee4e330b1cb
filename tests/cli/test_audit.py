"""`python -m app audit list`: the operation log from the command line."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from app.models.account import PayMethod
from app.services.money.accounts import RechargeRequest, recharge
from tests.builders import Market
from tests.cli.test_cli import run


@pytest.fixture
def market(sqlite_db) -> Market:
    market = Market(sqlite_db)
    for code in ("A001", "A002"):
        stall = market.a_stall(code)
        with sqlite_db.transaction() as s:
            recharge(
                s,
                market.cashier,
                RechargeRequest(stall_id=stall, amount="15", method=PayMethod.CASH),
            )
    return market


def test_audit_list_filters_by_stall_and_prints_json(market, tmp_path):
    out = run(market.db.url, "audit", "list", "--stall", "A002", "--since", "2000-01-01", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {r["stall"] for r in rows} == {"A002"}
    recharge_row = next(r for r in rows if r["action"] == "recharge")
    assert (recharge_row["person"], recharge_row["amount"], recharge_row["action_name"]) == (
        "小李",
        "15.00",
        "充值",
    )
    table = run(
        market.db.url, "audit", "list", "--action", "recharge", "--out", str(tmp_path / "log.xlsx")
    )
    assert table.returncode == 0 and "共 2 条" in table.stdout and "充值" in table.stdout
    assert load_workbook(tmp_path / "log.xlsx").active.max_row >= 3
    nothing = run(market.db.url, "audit", "list", "--until", "2000-01-01")
    assert nothing.returncode == 0 and "共 0 条" in nothing.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("--stall", "Z9"), "找不到档位“Z9”"),
        (("--since", "yesterday"), "2026-11-25"),
        (("--action", "sing"), "操作类型“sing”不认识"),
    ],
)
def test_audit_list_says_what_is_wrong(market, args, message):
    out = run(market.db.url, "audit", "list", *args)
    assert out.returncode == 2 and message in out.stderr, out.stderr


def test_a_cashier_cannot_read_the_log_from_the_command_line(market):
    out = run(
        market.db.url,
        "audit",
        "list",
        "--operator",
        "xiaoli",
        env={"MARKETMETER_PASSWORD": "xiaoli-pass"},
    )
    assert out.returncode == 2 and "无权查看操作日志" in out.stderr
