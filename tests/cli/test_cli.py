"""The ops command line, run the way ops run it: `python -m app --db URL …` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models.account import LedgerEntry
from app.models.user import AuditEvent
from tests.builders import Market

ROOT = Path(__file__).resolve().parents[2]


def run(url: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("MARKETMETER_USER", "MARKETMETER_DB")}
    full_env |= {"PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "app", "--db", url, *args], capture_output=True, text=True,
                          cwd=ROOT, env=full_env, timeout=60)


@pytest.fixture
def market(sqlite_db) -> Market:
    market = Market(sqlite_db)
    stall = market.a_stall("A001", balance="12.30", tenant="张三")
    market.a_meter(stall, last_total=123456)
    return market


def entries(market) -> int:
    with market.db.transaction() as s:
        return s.scalar(select(func.count()).select_from(LedgerEntry))


def test_recharge_prints_receipt_and_balance(market):
    url = market.db.url
    out = run(url, "recharge", "A001", "100", "--method", "cash", "--json", "--key", "ops-1")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["receipt_no"], data["balance"], data["amount"], data["operator"]) == (1, "112.30", "100.00", "cli")
    again = run(url, "recharge", "A001", "100", "--method", "cash", "--json", "--key", "ops-1")
    assert json.loads(again.stdout) == data
    plain = run(url, "recharge", "A001", "0.5", "--method", "wechat")
    assert plain.returncode == 0 and "收据号 2" in plain.stdout and "112.80" in plain.stdout
    with market.db.transaction() as s:
        assert s.scalar(select(AuditEvent.actor).where(AuditEvent.action == "recharge")) == "cli"


@pytest.mark.parametrize(
    "args, message",
    [
        (("recharge", "B999", "10", "--method", "cash"), "找不到档位“B999”"),
        (("recharge", "A001", "-10", "--method", "cash"), "金额必须大于零"),
        (("recharge", "A001", "1.234", "--method", "cash"), "最多两位小数"),
        (("recharge", "A001", "十块", "--method", "cash"), "不是数字"),
        (("recharge", "A001", "1,00", "--method", "cash"), "逗号位置不对"),  # never read as 100
        (("recharge", "A001", "1e3", "--method", "cash"), "不是数字"),
        (("recharge", "A001", "10", "--method", "bitcoin"), "付款方式“bitcoin”不认识"),
        (("recharge", "A001", "10"), "--method"),
        (("recharge", "A001", "10", "--method", "cash", "--operator", "guest"), "无权充值"),
        (("recharge", "A001", "10", "--method", "cash", "--operator", "ghost"), "操作员“ghost”不存在"),
        (("stall", "show", "B999"), "找不到档位“B999”"),
    ],
)
def test_bad_input_exits_with_one_line_and_writes_nothing(market, args, message):
    before = entries(market)
    out = run(market.db.url, *args)
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert entries(market) == before


def test_operator_from_the_environment_is_the_cashier(market):
    out = run(market.db.url, "recharge", "A001", "10", "--method", "cash", "--json", env={"MARKETMETER_USER": "xiaoli"})
    assert json.loads(out.stdout)["operator"] == "小李"


def test_stall_show_and_list_as_json(market):
    card = json.loads(run(market.db.url, "stall", "show", "A001", "--json").stdout)
    assert (card["code"], card["balance"], card["tenant_name"]) == ("A001", "12.30", "张三")
    assert {"available_balance", "unsettled_amount"} <= set(card)
    (meter,) = card["meters"]
    expected = {"kind": "electric", "model": "DDSY1352", "address": "1", "state": "closed",
                "control_mode": "prepaid", "comm_status": "unknown", "last_reading": "1234.56"}
    assert {k: meter[k] for k in expected} == expected
    rows = json.loads(run(market.db.url, "stall", "list", "--json").stdout)
    assert [(r["code"], r["balance"]) for r in rows] == [("A001", "12.30")]
    assert "A001" in run(market.db.url, "stall", "show", "a001").stdout  # codes compare case-insensitively


def test_user_add_and_list(market):
    out = run(market.db.url, "user", "add", "zhao", "--role", "cashier", "--password", "secret1", "--name", "小赵")
    assert out.returncode == 0, out.stderr
    users = json.loads(run(market.db.url, "user", "list", "--json").stdout)
    assert {"username": "zhao", "display_name": "小赵", "role": "cashier", "is_active": True} in users
    bad = run(market.db.url, "user", "add", "qian", "--role", "boss", "--password", "secret1")
    assert bad.returncode == 2 and "角色“boss”不认识" in bad.stderr


def test_a_new_database_gets_its_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert run(url, "db", "upgrade").returncode == 0
    out = run(f"sqlite:///{tmp_path / 'other.db'}", "stall", "list", "--json")
    assert out.returncode == 0 and json.loads(out.stdout) == []
