"""Text messages and signing in to the tenants' portal: the provider's signature, the outbox,
the limits on codes, hashed codes, sessions the admin ends."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select

from app.models.portal import PortalCode, SmsMessage
from app.models.user import AuditEvent
from app.services.platform.context import PermissionDenied, ServiceError
from app.services.portal import sign_in
from app.services.portal.sms import (
    aliyun_signature,
    latest_messages,
    send_sms,
    set_up_sms,
    sms_setup,
)
from tests.builders import Market

PHONE = "13800000001"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_the_aliyun_signature_is_the_documented_example():
    # help.aliyun.com/document_detail/101343 (短信服务 签名机制): the worked example's
    # parameters, key "testSecret", and the signature the page gives
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert aliyun_signature("testSecret", params) == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


class _AliyunDouble(BaseHTTPRequestHandler):
    """Aliyun's SendSms endpoint as documented: checks the signature with the key it knows."""

    secret = "double-secret"
    seen: list[dict] = []

    def do_GET(self):  # noqa: N802
        query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        signature = query.pop("Signature", "")
        ok = hmac.compare_digest(signature, aliyun_signature(self.secret, query))
        self.seen.append(query)
        body = (
            {"Code": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5"}
            if ok
            else {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
        )
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
    _AliyunDouble.seen = []
    server = HTTPServer(("127.0.0.1", 0), _AliyunDouble)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def _aliyun_settings(endpoint: str, secret: str) -> dict:
    return {
        "access_key_id": "LTAI-test",
        "access_key_secret": secret,
        "sign_name": "城南市场",
        "templates": {"sign_in_code": "SMS_1001", "bind_code": "SMS_1002"},
        "endpoint": endpoint,
    }


def test_a_code_goes_through_aliyun_signed_and_is_kept_masked(sqlite_db, aliyun, caplog):
    m = Market(sqlite_db)
    with sqlite_db.transaction() as s:
        set_up_sms(s, m.admin, "aliyun", _aliyun_settings(aliyun, _AliyunDouble.secret))
        sign_in.send_code(s, m.site_id, PHONE, now=T0)
    sent = _AliyunDouble.seen[-1]
    assert (sent["PhoneNumbers"], sent["TemplateCode"], sent["SignName"]) == (
        PHONE,
        "SMS_1001",
        "城南市场",
    )
    code = json.loads(sent["TemplateParam"])["code"]
    assert len(code) == 6 and code.isdigit()
    with sqlite_db.reading() as s:
        kept = latest_messages(s, m.site_id)[0]
        assert (kept.provider, kept.status, kept.params) == ("aliyun", "sent", {"code": "******"})
        assert code not in s.scalar(select(PortalCode.code_hash))
        shown = sms_setup(s, m.site_id)
        assert shown.settings["access_key_secret"] == "******"
        logged = s.scalar(select(AuditEvent.detail).where(AuditEvent.action == "sms.setup"))
    assert _AliyunDouble.secret not in json.dumps(logged)
    assert code not in caplog.text and _AliyunDouble.secret not in caplog.text


def test_a_refused_message_keeps_no_code_and_says_so(sqlite_db, aliyun):
    m = Market(sqlite_db)
    with sqlite_db.transaction() as s:
        set_up_sms(s, m.admin, "aliyun", _aliyun_settings(aliyun, "a-wrong-secret"))
    with pytest.raises(ServiceError) as refused, sqlite_db.transaction() as s:
        sign_in.send_code(s, m.site_id, PHONE, now=T0)
    assert "SignatureDoesNotMatch" in refused.value.text("en")
    with sqlite_db.reading() as s:
        assert s.scalar(select(PortalCode.id)) is None
        assert s.scalar(select(SmsMessage.id)) is None


def test_only_the_admin_sets_up_sms(sqlite_db):
    m = Market(sqlite_db)
    with pytest.raises(PermissionDenied), sqlite_db.transaction() as s:
        set_up_sms(s, m.cashier, "outbox")


def _outbox_code(db, site_id) -> str:
    with db.reading() as s:
        return latest_messages(s, site_id)[0].params["code"]


def test_one_code_a_minute_and_ten_a_day(db):
    sqlite_db = db  # on SQLite and on PostgreSQL
    m = Market(sqlite_db)
    with sqlite_db.transaction() as s:
        sign_in.send_code(s, m.site_id, PHONE, now=T0)
    with pytest.raises(ServiceError) as soon, sqlite_db.transaction() as s:
        sign_in.send_code(s, m.site_id, PHONE, now=T0 + timedelta(seconds=30))
    assert soon.value.code == "too_soon"
    for i in range(1, 10):
        with sqlite_db.transaction() as s:
            sign_in.send_code(s, m.site_id, PHONE, now=T0 + timedelta(minutes=2 * i))
    with pytest.raises(ServiceError) as many, sqlite_db.transaction() as s:
        sign_in.send_code(s, m.site_id, PHONE, now=T0 + timedelta(minutes=30))
    assert many.value.code == "too_many"
    with sqlite_db.transaction() as s:  # a day after the first, one is free again
        sign_in.send_code(s, m.site_id, PHONE, now=T0 + timedelta(days=1, seconds=1))
        # another phone is not held back by this one
        sign_in.send_code(s, m.site_id, "13900000002", now=T0 + timedelta(days=1, seconds=2))


def test_five_wrong_tries_void_the_code_and_a_code_is_kept_hashed(db):
    sqlite_db = db
    m = Market(sqlite_db)
    with sqlite_db.transaction() as s:
        sign_in.send_code(s, m.site_id, PHONE, now=T0)
    code = _outbox_code(sqlite_db, m.site_id)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    answers = []
    for _ in range(5):
        with sqlite_db.transaction() as s:
            answers.append(sign_in.check_code(s, m.site_id, PHONE, wrong, now=T0))
    assert [a.ok for a in answers] == [False] * 5
    assert answers[0].problem.say("en") == "Wrong code. 4 tries left, then ask for a new code"
    assert answers[-1].problem.word is sign_in.CODE_VOIDED
    with sqlite_db.transaction() as s:  # the right code no longer works
        assert sign_in.check_code(s, m.site_id, PHONE, code, now=T0).problem.word is (
            sign_in.NO_LIVE_CODE
        )
        stored = s.scalar(select(PortalCode.code_hash))
    salt, _, digest = stored.partition("$")
    assert code not in stored and digest == hashlib.sha256((salt + code).encode()).hexdigest()


def test_a_code_expires_after_five_minutes_and_works_once(sqlite_db):
    m = Market(sqlite_db)
    with sqlite_db.transaction() as s:
        sign_in.send_code(s, m.site_id, PHONE, now=T0)
    code = _outbox_code(sqlite_db, m.site_id)
    with sqlite_db.transaction() as s:
        late = sign_in.check_code(
            s, m.site_id, PHONE, code, now=T0 + timedelta(minutes=5, seconds=1)
        )
        assert not late.ok
        assert sign_in.check_code(s, m.site_id, PHONE, code, now=T0 + timedelta(minutes=4)).ok
        assert not sign_in.check_code(s, m.site_id, PHONE, code, now=T0 + timedelta(minutes=4)).ok


def test_the_admin_ends_a_phones_sessions(sqlite_db):
    m = Market(sqlite_db)
    with sqlite_db.transaction() as s:
        started = sign_in.start_session(s, m.site_id, PHONE)
        assert sign_in.person(s, started.key).phone == PHONE
    with pytest.raises(PermissionDenied), sqlite_db.transaction() as s:
        sign_in.revoke_sessions(s, m.cashier, phone=PHONE)
    with sqlite_db.transaction() as s:
        assert sign_in.revoke_sessions(s, m.admin, phone=PHONE) == 1
    with sqlite_db.reading() as s:
        assert sign_in.person(s, started.key) is None
        actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["portal.sign_in", "portal.revoke"]


def test_send_sms_through_the_outbox_keeps_the_message(sqlite_db):
    m = Market(sqlite_db)
    with sqlite_db.transaction() as s:
        send_sms(s, m.site_id, PHONE, "sign_in_code", {"code": "123456"})
    with sqlite_db.reading() as s:
        row = latest_messages(s, m.site_id)[0]
    assert (row.phone, row.template, row.params, row.status) == (
        PHONE,
        "sign_in_code",
        {"code": "123456"},
        "outbox",
    )
