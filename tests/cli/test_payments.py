"""The office runs online payments from the command line: the merchant settings from key files,
orders whose notification never came, and a day's reconciliation (the platforms' doubles on
real HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.models.account import Account
from app.portal.payments import start_recharge
from tests.builders import Market
from tests.cli.test_cli import run
from tests.payment_doubles import WechatDouble, a_key_pair

EN = {"MARKETMETER_LANG": "en"}


@pytest.fixture
def office(sqlite_db, tmp_path):
    m = Market(sqlite_db)
    stall_id = m.a_stall("A001")
    private, public = a_key_pair()
    wechat = WechatDouble(public).start()
    files = {
        "merchant-key": private,
        "apiv3-key": wechat.apiv3_key,
        "platform-key": wechat.platform_public_pem,
    }
    for name, text in files.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    yield m, stall_id, wechat, tmp_path
    wechat.stop()


def test_payments_set_from_key_files_then_query_and_reconcile(office):
    m, stall_id, wechat, keys = office
    url = m.db.url
    saved = run(
        url, "payments", "set", "wechat", "--mchid", wechat.mchid, "--appid", wechat.appid,
        "--merchant-serial", wechat.merchant_serial,
        "--merchant-key-file", str(keys / "merchant-key.txt"),
        "--apiv3-key-file", str(keys / "apiv3-key.txt"),
        "--platform-serial", wechat.platform_serial,
        "--platform-key-file", str(keys / "platform-key.txt"),
        "--notify-url", "https://pay.example.com/pay/notify/wechat", "--base-url", wechat.url,
        env=EN,
    )  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.strip() == "WeChat Pay saved for this market (enabled)"
    shown = run(url, "payments", "show", "wechat", env=EN)
    assert "  apiv3_key: ••••••" in shown.stdout and wechat.apiv3_key not in shown.stdout
    assert "PRIVATE" not in shown.stdout

    assert run(url, "payments", "query", env=EN).stdout.strip() == (
        "No order is waiting for its payment notification"
    )
    order = start_recharge(m.db, stall_id, "18.80", "wechat", "native")
    wechat.pay(order.order_no, deliver=False)  # the notification is lost
    queried = run(url, "payments", "query", "--order", order.order_no, env=EN)
    assert queried.returncode == 0, queried.stderr
    assert queried.stdout.strip() == f"{order.order_no}: credited, receipt 1"
    with m.db.transaction() as s:
        assert s.scalar(select(Account.balance).where(Account.stall_id == stall_id)) == Decimal(
            "18.80"
        )

    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()
    agreed = run(url, "payments", "reconcile", "--date", today, env=EN)
    assert agreed.returncode == 0, agreed.stderr
    assert agreed.stdout.strip() == f"{today}: the platforms' statements and the credits agree"
    lost = start_recharge(m.db, stall_id, "7.00", "wechat", "native")
    wechat.pay(lost.order_no, deliver=False)
    differs = run(url, "payments", "reconcile", "--date", today, env=EN)
    assert differs.returncode == 1
    assert differs.stdout.splitlines() == [
        f"{today}: 1 differences between the statements and the credits",
        f"  WeChat Pay  {lost.order_no}  stall A001: On the statement but not credited here",
    ]
    bad = run(url, "payments", "reconcile", "--date", "06/12/2026", env=EN)
    assert bad.returncode == 2 and "is not a date. Type it as YYYY-MM-DD" in bad.stderr
    assert run(url, "payments", "alerts", env=EN).stdout.strip() == (
        "No payment notification was refused"
    )


def test_payments_set_refuses_a_short_apiv3_key_and_writes_nothing(office, tmp_path):
    m, _stall_id, wechat, keys = office
    (tmp_path / "short.txt").write_text("too-short", encoding="utf-8")
    refused = run(
        m.db.url, "payments", "set", "wechat", "--mchid", wechat.mchid, "--appid", wechat.appid,
        "--merchant-serial", "S", "--merchant-key-file", str(keys / "merchant-key.txt"),
        "--apiv3-key-file", str(tmp_path / "short.txt"), "--platform-serial", "P",
        "--platform-key-file", str(keys / "platform-key.txt"), "--notify-url", "https://x/n",
        env=EN,
    )  # fmt: skip
    assert refused.returncode == 2 and "The APIv3 key has 32 characters" in refused.stderr
    shown = run(m.db.url, "payments", "show", "wechat", env=EN)
    assert "  mchid: " in shown.stdout.splitlines()  # nothing was stored
