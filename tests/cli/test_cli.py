"""The ops command line, run the way ops run it: `python -m app --db URL …` in a subprocess."""

from __future__ import annotations

import getpass
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models.account import LedgerEntry
from app.models.user import AuditEvent
from app.services.platform.users import login
from tests.builders import Market

ROOT = Path(__file__).resolve().parents[2]


HERE = f"{getpass.getuser()}@{socket.gethostname()}"


def run(
    url: str, *args: str, env: dict | None = None, stdin: str = ""
) -> subprocess.CompletedProcess:
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("MARKETMETER_USER", "MARKETMETER_DB", "MARKETMETER_PASSWORD")
    }
    full_env |= {"PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "app", "--db", url, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        timeout=60,
        input=stdin,
    )


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
    assert (data["receipt_no"], data["balance"], data["amount"], data["operator"]) == (
        1,
        "112.30",
        "100.00",
        "cli",
    )
    again = run(url, "recharge", "A001", "100", "--method", "cash", "--json", "--key", "ops-1")
    assert json.loads(again.stdout) == data
    plain = run(url, "recharge", "A001", "0.5", "--method", "wechat")
    assert plain.returncode == 0 and "收据号 2" in plain.stdout and "112.80" in plain.stdout
    with market.db.transaction() as s:
        audited = s.execute(
            select(AuditEvent.actor, AuditEvent.detail).where(AuditEvent.action == "recharge")
        ).first()
    assert audited.actor == "cli" and audited.detail["origin"] == HERE  # the OS login and host


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
        (("recharge", "A001", "10", "--method", "cash", "--operator", "ghost"), "用户名或密码错误"),
        (("stall", "show", "B999"), "找不到档位“B999”"),
    ],
)
def test_bad_input_exits_with_one_line_and_writes_nothing(market, args, message):
    before = entries(market)
    out = run(market.db.url, *args, env={"MARKETMETER_PASSWORD": "guest-pass"})
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert entries(market) == before


def test_operator_from_the_environment_is_the_cashier(market):
    out = run(
        market.db.url,
        "recharge",
        "A001",
        "10",
        "--method",
        "cash",
        "--json",
        env={"MARKETMETER_USER": "xiaoli", "MARKETMETER_PASSWORD": "xiaoli-pass"},
    )
    assert json.loads(out.stdout)["operator"] == "小李"


@pytest.mark.parametrize(
    "env, stdin, message",
    [
        ({}, "", "没有读到密码"),  # no password given at all: nothing to act on
        ({"MARKETMETER_PASSWORD": "guess"}, "", "用户名或密码错误"),
        ({}, "guess\n", "用户名或密码错误"),  # typed at the prompt (no terminal: read from stdin)
    ],
)
def test_acting_as_a_user_needs_their_password(market, env, stdin, message):
    before = entries(market)
    out = run(
        market.db.url,
        "recharge",
        "A001",
        "10",
        "--method",
        "cash",
        "--operator",
        "boss",
        env=env,
        stdin=stdin,
    )
    assert out.returncode == 2 and message in out.stderr
    assert entries(market) == before
    if "guess" in (env.get("MARKETMETER_PASSWORD", "") + stdin):
        with market.db.transaction() as s:
            failed = s.scalars(select(AuditEvent).where(AuditEvent.action == "login.failed")).one()
        assert (failed.actor, failed.detail["origin"]) == ("boss", HERE)


def test_an_unknown_name_reads_like_a_wrong_password_and_is_audited(market):
    """The message does not tell which names exist, and the market's log shows the attempt."""
    from app.services.platform.audit import AuditFilter, audit_page

    env = {"MARKETMETER_PASSWORD": "guess"}
    unknown = run(
        market.db.url, "recharge", "A001", "10", "--method", "cash", "--operator", "ghost", env=env
    )
    wrong = run(
        market.db.url, "recharge", "A001", "10", "--method", "cash", "--operator", "boss", env=env
    )
    assert unknown.returncode == wrong.returncode == 2
    assert (
        unknown.stderr == wrong.stderr
        and "用户名或密码错误" in unknown.stderr
        and "ghost" not in unknown.stderr
    )
    with market.db.transaction() as s:
        failed = audit_page(s, market.admin, AuditFilter(action="login.failed")).rows
    assert {(r.person, r.reason, r.detail["origin"]) for r in failed} == {
        ("ghost", "unknown user", HERE),
        ("boss", "wrong password", HERE),
    }


def test_the_admin_acts_with_their_password_and_the_audit_says_from_where(market):
    out = run(
        market.db.url,
        "recharge",
        "A001",
        "10",
        "--method",
        "cash",
        "--operator",
        "boss",
        stdin="boss-pass\n",
    )
    assert out.returncode == 0, out.stderr
    with market.db.transaction() as s:
        actors = s.execute(
            select(AuditEvent.action, AuditEvent.actor, AuditEvent.detail).where(
                AuditEvent.action.in_(("login", "recharge"))
            )
        ).all()
    assert {(a, who, d["origin"]) for a, who, d in actors} == {
        ("login", "boss", HERE),
        ("recharge", "boss", HERE),
    }


def test_stall_show_and_list_as_json(market):
    card = json.loads(run(market.db.url, "stall", "show", "A001", "--json").stdout)
    assert (card["code"], card["balance"], card["tenant_name"]) == ("A001", "12.30", "张三")
    assert {"available_balance", "unsettled_amount"} <= set(card)
    (meter,) = card["meters"]
    expected = {
        "kind": "electric",
        "model": "DDSY1352",
        "address": "1",
        "state": "closed",
        "control_mode": "prepaid",
        "comm_status": "unknown",
        "last_reading": "1234.56",
    }
    assert {k: meter[k] for k in expected} == expected
    rows = json.loads(run(market.db.url, "stall", "list", "--json").stdout)
    assert [(r["code"], r["balance"]) for r in rows] == [("A001", "12.30")]
    assert (
        "A001" in run(market.db.url, "stall", "show", "a001").stdout
    )  # codes compare case-insensitively


def test_user_add_and_list(market):
    out = run(
        market.db.url,
        "user",
        "add",
        "zhao",
        "--role",
        "cashier",
        "--password-stdin",
        "--name",
        "小赵",
        stdin="secret-1x\n",
    )
    assert out.returncode == 0, out.stderr
    users = json.loads(run(market.db.url, "user", "list", "--json").stdout)
    assert {
        "username": "zhao",
        "display_name": "小赵",
        "role": "cashier",
        "is_active": True,
    } in users
    with market.db.transaction() as s:
        assert login(s, "zhao", "secret-1x").username == "zhao"
    bad = run(
        market.db.url,
        "user",
        "add",
        "qian",
        "--role",
        "boss",
        "--password-stdin",
        stdin="secret-1x\n",
    )
    assert bad.returncode == 2 and "角色“boss”不认识" in bad.stderr


def test_user_add_prompts_twice_and_a_password_argument_is_refused(market):
    typed = run(
        market.db.url, "user", "add", "sun", "--role", "viewer", stdin="s3cret-1\ns3cret-1\n"
    )
    assert typed.returncode == 0, typed.stderr
    differ = run(market.db.url, "user", "add", "li", "--role", "viewer", stdin="s3cret-1\nother\n")
    assert differ.returncode == 2 and "两次输入的密码不一致" in differ.stderr
    # on the command line a password lands in the shell history and the process list
    argument = run(
        market.db.url, "user", "add", "zhou", "--role", "viewer", "--password", "secret1"
    )
    assert argument.returncode == 2 and "不再接受 --password" in argument.stderr
    users = {u["username"] for u in json.loads(run(market.db.url, "user", "list", "--json").stdout)}
    assert "sun" in users and not {"li", "zhou"} & users


def test_a_new_database_gets_its_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    created = run(url, "db", "upgrade")
    assert created.returncode == 0
    # it says what it did: created, then up to date
    assert "已建好全部表" in created.stdout and "最新版本" not in created.stdout
    assert "最新版本" in run(url, "db", "upgrade").stdout
    out = run(f"sqlite:///{tmp_path / 'other.db'}", "stall", "list", "--json")
    assert out.returncode == 0 and json.loads(out.stdout) == []
