"""`sms outbox`, `sms setup`, `portal revoke` and `portal renew-qr` from the ops command line."""

import json

from app.services.portal import sign_in
from tests.builders import Market
from tests.cli.test_cli import run

PHONE = "13800000001"


def test_sms_outbox_lists_the_latest_code_and_json_has_it(sqlite_db):
    m = Market(sqlite_db)
    with sqlite_db.transaction() as s:
        sign_in.send_code(s, m.site_id, PHONE)
    shown = run(sqlite_db.url, "sms", "outbox")
    assert shown.returncode == 0, shown.stderr
    assert (
        PHONE in shown.stdout
        and "sign_in_code" in shown.stdout
        and "[outbox：outbox]" in (shown.stdout)
    )
    rows = json.loads(run(sqlite_db.url, "sms", "outbox", "--json").stdout)
    assert [(r["phone"], r["template"], len(r["params"]["code"])) for r in rows] == [
        (PHONE, "sign_in_code", 6)
    ]


def test_sms_setup_reads_the_secret_from_the_environment_and_never_prints_it(sqlite_db):
    Market(sqlite_db)
    done = run(
        sqlite_db.url,
        "sms", "setup", "--provider", "aliyun", "--access-key-id", "LTAI-x",
        "--sign-name", "城南市场", "--template", "sign_in_code=SMS_1", "--template",
        "bind_code=SMS_2", "--portal-url", "https://portal.example.com",
        env={"MARKETMETER_SMS_SECRET": "s3cret-value"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "aliyun" in done.stdout and "https://portal.example.com" in done.stdout
    assert "s3cret-value" not in done.stdout + done.stderr
    audit = run(sqlite_db.url, "audit", "list", "--json")
    assert "s3cret-value" not in audit.stdout and "******" in audit.stdout
    wrong = run(sqlite_db.url, "sms", "setup", "--provider", "aliyun", "--template", "x")
    assert wrong.returncode == 2 and "--template" in wrong.stderr


def test_portal_revoke_ends_a_phones_sign_ins(sqlite_db):
    m = Market(sqlite_db)
    with sqlite_db.transaction() as s:
        started = sign_in.start_session(s, m.site_id, PHONE)
    listed = run(sqlite_db.url, "portal", "sessions", "--json")
    assert [r["phone"] for r in json.loads(listed.stdout)] == [PHONE]
    assert run(sqlite_db.url, "portal", "revoke").returncode == 2  # names nobody
    done = run(sqlite_db.url, "portal", "revoke", "--phone", PHONE)
    assert done.returncode == 0 and "1" in done.stdout, done.stderr
    with sqlite_db.reading() as s:
        assert sign_in.person(s, started.key) is None


def test_portal_renew_qr_prints_the_stalls_new_address(sqlite_db):
    m = Market(sqlite_db)
    m.a_stall("A-064")
    run(sqlite_db.url, "sms", "setup", "--provider", "outbox", "--portal-url", "https://p.example")
    first = run(sqlite_db.url, "portal", "renew-qr", "A-064")
    second = run(sqlite_db.url, "portal", "renew-qr", "A-064")
    assert first.returncode == 0, first.stderr
    assert "https://p.example/s/" in first.stdout and first.stdout != second.stdout


def test_portal_plates_prints_every_stalls_plate(sqlite_db, tmp_path):
    from pypdf import PdfReader

    m = Market(sqlite_db)
    m.a_stall("A001")
    m.a_stall("B002")
    out = tmp_path / "plates.pdf"
    refused = run(sqlite_db.url, "portal", "plates", "--out", str(out))
    assert refused.returncode == 2 and "--portal-url" in refused.stderr  # no address yet
    run(sqlite_db.url, "sms", "setup", "--provider", "outbox", "--portal-url", "https://p.example")
    done = run(sqlite_db.url, "portal", "plates", "--out", str(out))
    assert done.returncode == 0, done.stderr
    pages = [p.extract_text() for p in PdfReader(out).pages]
    assert len(pages) == 2 and "A001" in pages[0] and "B002" in pages[1]


def test_python_m_app_portal_serves_the_sign_in_page(sqlite_db):
    import os
    import re
    import subprocess
    import sys

    import requests

    from tests.cli.test_cli import ROOT
    from tests.waiting import wait_until

    Market(sqlite_db)
    env = {k: v for k, v in os.environ.items() if k != "MARKETMETER_DB"}
    child = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", sqlite_db.url, "portal", "--port", "0"],
        cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        said: list[str] = []

        def port():
            said.append(child.stderr.readline())
            found = re.search(r"running on http://127\.0\.0\.1:(\d+)", said[-1])
            return found and found.group(1)

        listening = wait_until(port, timeout_s=60, what="the portal listening")
        page = requests.get(f"http://127.0.0.1:{listening}/sign-in", timeout=10)
        assert page.status_code == 200 and "获取验证码" in page.text
    finally:
        child.terminate()
        child.wait(timeout=30)
        child.stderr.close()


def test_sms_notices_are_set_shown_sent_and_read_in_the_outbox(sqlite_db):
    from app.models.account import PayMethod
    from app.services.money.accounts import RechargeRequest, recharge

    m = Market(sqlite_db)
    stall_id = m.a_stall("A001", phone=PHONE)
    assert "全部关闭" in run(sqlite_db.url, "sms", "notices").stdout
    done = run(sqlite_db.url, "sms", "notices", "--on", "recharge", "--quiet", "21:00-07:00")
    assert done.returncode == 0, done.stderr
    assert "充值到账；免打扰时段：21:00-07:00" in done.stdout
    bad = run(sqlite_db.url, "sms", "notices", "--quiet", "10pm")
    assert bad.returncode != 0 and "“10pm”不符合" in bad.stderr
    with sqlite_db.transaction() as s:
        recharge(
            s, m.cashier, RechargeRequest(amount="30.00", method=PayMethod.CASH, stall_id=stall_id)
        )
    assert "已处理 1 条到期的通知" in run(sqlite_db.url, "sms", "send").stdout
    shown = run(sqlite_db.url, "sms", "outbox").stdout
    assert "您的摊位A001已充值30.00元，当前余额30.00元" in shown and "[outbox：outbox]" in shown
