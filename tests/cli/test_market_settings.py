"""The property office changes its market from the command line after setup: `market set`
(an administrator), and what a receipt then prints."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.models.site import Site
from app.models.user import AuditEvent
from app.services.money.accounts import receipt
from app.services.office.receipts_render import LAYOUTS, receipt_lines
from tests.builders import Market
from tests.cli.test_cli import run


@pytest.fixture
def market(sqlite_db) -> Market:
    market = Market(sqlite_db)
    market.a_meter(market.a_stall("A001", balance="12.30"))
    return market


def test_market_set_changes_only_what_is_named_and_the_receipt_prints_it(market):
    url = market.db.url
    refused = run(
        url, "market", "set", "--name", "城南市场", "--operator", "xiaoli",
        env={"MARKETMETER_PASSWORD": "xiaoli-pass"},
    )  # fmt: skip
    assert refused.returncode == 2 and "管理员" in refused.stderr
    changed = run(
        url, "market", "set", "--name", "城南农贸大市场", "--timezone", "Asia/Urumqi",
        "--receipt-header", "营业时间 8:00–18:00", "--receipt-header", "节假日不休",
        "--receipt-footer", "谢谢惠顾", "--operator", "boss",
        env={"MARKETMETER_PASSWORD": "boss-pass"},
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert "城南农贸大市场" in changed.stdout
    assert "营业时间 8:00–18:00 / 节假日不休" in changed.stdout
    cleared = run(url, "market", "set", "--receipt-footer", "", "--json")
    assert cleared.returncode == 0, cleared.stderr
    assert json.loads(cleared.stdout) | {"receipt_header": "…"} == {
        "name": "城南农贸大市场",
        "code": "CN01",
        "timezone": "Asia/Urumqi",
        "address": "",
        "phone": "0571-8888",  # not named: kept
        "receipt_header": "…",
        "receipt_footer": "",
    }
    wrong = run(url, "market", "set", "--timezone", "Asia/Beijing", "--name", "错")
    assert wrong.returncode == 2 and "Asia/Beijing" in wrong.stderr

    paid = run(url, "recharge", "A001", "10", "--method", "cash", "--json")
    assert paid.returncode == 0, paid.stderr
    with market.db.transaction() as s:
        printed = receipt(s, json.loads(paid.stdout)["receipt_id"])
        texts = [line.text for line in receipt_lines(printed, LAYOUTS["58mm"])]
        site = s.get(Site, market.site_id)
        assert (site.name, site.receipt_header) == (
            "城南农贸大市场",
            "营业时间 8:00–18:00\n节假日不休",
        )
        changes = s.scalars(select(AuditEvent).where(AuditEvent.action == "site.update")).all()
    assert texts[:3] == ["城南农贸大市场", "营业时间 8:00–18:00", "节假日不休"]
    assert "谢谢惠顾" not in texts
    assert [(e.actor, sorted(e.detail["after"])) for e in changes] == [
        ("boss", ["name", "receipt_footer", "receipt_header", "timezone"]),
        ("cli", ["receipt_footer"]),
    ]


def test_market_set_without_options_shows_the_market(market):
    shown = run(market.db.url, "market", "set")
    assert shown.returncode == 0, shown.stderr
    assert "CN01" in shown.stdout and "0571-8888" in shown.stdout
