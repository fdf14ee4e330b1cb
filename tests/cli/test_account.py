"""`python -m app account close STALL --method cash`: 销户退款 from the ops command line."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from sqlalchemy import select

from app.models.account import Account, AccountStatus
from tests.builders import Market
from tests.cli.test_cli import run


@pytest.fixture
def market(sqlite_db) -> Market:
    market = Market(sqlite_db)
    stall = market.a_stall("A001", balance="35.60", tenant="张三")
    market.a_meter(stall, last_total=1200, settled_total=1000, price="1.5000")  # 3.00 unsettled
    return market


def test_account_close_refunds_what_is_left_and_writes_the_refund_receipt(market, tmp_path):
    pdf = tmp_path / "refund.pdf"
    out = run(
        market.db.url, "account", "close", "A001", "--method", "cash", "--json", "--pdf", str(pdf)
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["refund"], data["settled"], data["receipt_no"], data["meters_cut"]) == (
        "32.60",
        "3.00",
        1,
        1,
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert (
            "销户退款收据" in text
            and "叁拾贰元陆角整" in text
            and "32.60" in text
            and "-32.60" not in text
        )
    with market.db.transaction() as s:
        assert s.scalar(select(Account.status)) is AccountStatus.CLOSED
    again = run(market.db.url, "account", "close", "A001", "--method", "cash")
    assert again.returncode == 2 and "已经销户" in again.stderr
    reopened = run(market.db.url, "account", "open", "A001")
    assert reopened.returncode == 0 and "重新开户" in reopened.stdout, reopened.stderr
    with market.db.transaction() as s:
        assert s.scalar(select(Account.status)) is AccountStatus.OPEN


def test_account_close_without_a_method_says_which_to_type(market):
    out = run(market.db.url, "account", "close", "A001")
    assert out.returncode == 2 and "--method" in out.stderr and "cash" in out.stderr


def test_account_close_with_the_refund_expected_pays_nothing_when_the_balance_moved(market):
    moved = run(market.db.url, "account", "close", "A001", "--method", "cash", "--expect", "30.00")
    assert moved.returncode == 2 and "余额已变化" in moved.stderr and "32.60" in moved.stderr
    with market.db.transaction() as s:
        assert s.scalar(select(Account.status)) is AccountStatus.OPEN
    typo = run(market.db.url, "account", "close", "A001", "--method", "cash", "--expect", "3o")
    assert typo.returncode == 2 and "退款金额" in typo.stderr
    out = run(
        market.db.url, "account", "close", "A001", "--method", "cash", "--expect", "32.60", "--json"
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["refund"] == "32.60"
