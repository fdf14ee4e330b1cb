"""The portal over real HTTP (uvicorn on 127.0.0.1): signing in with the outbox code, what a
phone sees, binding by QR, authorizing, CSRF, cookies, and a person seeing only their stalls."""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import select

from app.models.user import AuditEvent
from app.services.portal.sign_in import revoke_sessions
from app.services.portal.sms import latest_messages
from tests.portal.market import FRIEND, OWNER_A, TENANT_A, TENANT_B, a_portal_market
from tests.portal.server import csrf_of, outbox_code, serving


@pytest.fixture
def portal(sqlite_db):
    pm = a_portal_market(sqlite_db)
    with serving(sqlite_db) as url:
        yield pm, url


def signed_in(db, site_id: int, url: str, phone: str) -> requests.Session:
    web = requests.Session()
    page = web.get(f"{url}/sign-in")
    sent = web.post(f"{url}/sign-in/code", data={"phone": phone, "csrf": csrf_of(page.text)})
    assert sent.status_code == 200, sent.text
    done = web.post(
        f"{url}/sign-in",
        data={"phone": phone, "code": outbox_code(db, site_id, phone), "csrf": csrf_of(sent.text)},
        allow_redirects=False,
    )
    assert done.status_code == 303, done.text
    return web


def test_a_tenant_signs_in_with_the_code_and_sees_their_stall_at_once(portal, sqlite_db):
    pm, url = portal
    web = signed_in(sqlite_db, pm.site_id, url, TENANT_A)
    cookie = next(c for c in web.cookies if c.name == "mm_portal")
    assert cookie.has_nonstandard_attr("HttpOnly") and not cookie.secure  # plain http here
    page = web.get(f"{url}/stalls")  # one stall: straight to it
    assert page.url == f"{url}/stalls/{pm.stall_a}"
    assert "A001" in page.text and "¥88.50" in page.text and "B002" not in page.text
    receipt = web.get(f"{url}/stalls/{pm.stall_a}/receipts/{pm.receipt_a}")
    assert receipt.status_code == 200 and "88.50" in receipt.text and "捌拾捌元伍角" in receipt.text
    bill = web.get(f"{url}/stalls/{pm.stall_a}/bills/{pm.bill_a}")
    assert bill.status_code == 200 and "¥12.30" in bill.text


def test_a_wrong_code_is_refused_and_signs_nobody_in(portal, sqlite_db):
    pm, url = portal
    web = requests.Session()
    page = web.get(f"{url}/sign-in")
    sent = web.post(f"{url}/sign-in/code", data={"phone": TENANT_A, "csrf": csrf_of(page.text)})
    code = outbox_code(sqlite_db, pm.site_id, TENANT_A)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    answer = web.post(
        f"{url}/sign-in", data={"phone": TENANT_A, "code": wrong, "csrf": csrf_of(sent.text)}
    )
    assert answer.status_code == 400 and "验证码错误，还可以再试 4 次" in answer.text
    assert web.get(f"{url}/stalls", allow_redirects=False).status_code == 303


def test_a_form_without_its_csrf_token_is_refused(portal, sqlite_db):
    pm, url = portal
    web = requests.Session()
    web.get(f"{url}/sign-in")
    refused = web.post(f"{url}/sign-in/code", data={"phone": TENANT_A, "csrf": "forged"})
    assert refused.status_code == 403
    with sqlite_db.reading() as s:
        from app.services.portal.sms import latest_messages

        assert latest_messages(s, pm.site_id) == []
    signed = signed_in(sqlite_db, pm.site_id, url, OWNER_A)
    forged = signed.post(
        f"{url}/stalls/{pm.stall_a}/people", data={"phone": FRIEND, "csrf": "forged"}
    )
    assert forged.status_code == 403


def test_another_stalls_id_or_token_in_every_url_is_not_found(portal, sqlite_db):
    pm, url = portal
    web = signed_in(sqlite_db, pm.site_id, url, TENANT_A)
    csrf = csrf_of(web.get(f"{url}/stalls/{pm.stall_a}").text)
    mine, theirs = pm.stall_a, pm.stall_b
    for path in (
        f"/stalls/{theirs}",
        f"/stalls/{theirs}/bills/{pm.bill_b}",
        f"/stalls/{theirs}/receipts/{pm.receipt_b}",
        f"/stalls/{mine}/bills/{pm.bill_b}",  # my stall, their bill
        f"/stalls/{mine}/receipts/{pm.receipt_b}",  # my stall, their receipt
        "/stalls/999999",
        "/s/not-a-token",
    ):
        answer = web.get(url + path)
        assert answer.status_code == 404, path
        assert "B002" not in answer.text and "45.60" not in answer.text, path
    for path, data in (
        (f"/stalls/{theirs}/people", {"phone": FRIEND}),
        (f"/stalls/{theirs}/people/remove", {"phone": TENANT_B}),
    ):
        assert web.post(url + path, data={**data, "csrf": csrf}).status_code in (403, 404), path
    # a tenant (not the owner) of stall A authorizes nobody either
    refused = web.post(f"{url}/stalls/{mine}/people", data={"phone": FRIEND, "csrf": csrf})
    assert refused.status_code == 400 and "只有档位 A001 登记的业主" in refused.text
    # signed out, every stall page asks to sign in
    anonymous = requests.get(f"{url}/stalls/{mine}", allow_redirects=False)
    assert anonymous.status_code == 303 and "/sign-in" in anonymous.headers["location"]


def test_binding_by_qr_needs_the_code_sent_to_the_phone_on_record(portal, sqlite_db):
    pm, url = portal
    web = signed_in(sqlite_db, pm.site_id, url, FRIEND)
    page = web.get(f"{url}/s/{pm.token_b}")
    assert "B002" in page.text and "139****0002" in page.text
    sent = web.post(f"{url}/s/{pm.token_b}/code", data={"csrf": csrf_of(page.text)})
    assert sent.status_code == 200
    code = outbox_code(sqlite_db, pm.site_id, TENANT_B)  # to the tenant's phone, not mine
    bound = web.post(f"{url}/s/{pm.token_b}", data={"code": code, "csrf": csrf_of(sent.text)})
    assert bound.url == f"{url}/stalls/{pm.stall_b}" and "¥20.00" in bound.text
    with sqlite_db.reading() as s:
        detail = s.scalar(select(AuditEvent.detail).where(AuditEvent.action == "portal.bind"))
    assert detail["phone"] == FRIEND


def test_the_owner_authorizes_a_phone_and_takes_it_back(portal, sqlite_db):
    pm, url = portal
    owner = signed_in(sqlite_db, pm.site_id, url, OWNER_A)
    page = owner.get(f"{url}/stalls/{pm.stall_a}")
    added = owner.post(
        f"{url}/stalls/{pm.stall_a}/people", data={"phone": FRIEND, "csrf": csrf_of(page.text)}
    )
    assert FRIEND in added.text
    friend = signed_in(sqlite_db, pm.site_id, url, FRIEND)
    assert friend.get(f"{url}/stalls/{pm.stall_a}").status_code == 200
    owner.post(
        f"{url}/stalls/{pm.stall_a}/people/remove",
        data={"phone": FRIEND, "csrf": csrf_of(added.text)},
    )
    assert friend.get(f"{url}/stalls/{pm.stall_a}").status_code == 404
    with sqlite_db.reading() as s:
        actions = list(
            s.scalars(select(AuditEvent.action).where(AuditEvent.stall_id == pm.stall_a))
        )
    assert actions.count("portal.authorize") == 1 and actions.count("portal.unauthorize") == 1


def test_a_revoked_session_asks_to_sign_in_again(portal, sqlite_db):
    pm, url = portal
    web = signed_in(sqlite_db, pm.site_id, url, TENANT_B)
    assert web.get(f"{url}/stalls/{pm.stall_b}").status_code == 200
    with sqlite_db.transaction() as s:
        assert revoke_sessions(s, pm.market.admin, phone=TENANT_B) == 1
    again = web.get(f"{url}/stalls/{pm.stall_b}", allow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].startswith("/sign-in")


def test_behind_the_https_proxy_the_session_cookie_is_secure(portal, sqlite_db):
    # the office's nginx on this PC says the request came over HTTPS (X-Forwarded-Proto)
    pm, url = portal
    web = requests.Session()
    web.headers["X-Forwarded-Proto"] = "https"
    page = web.get(f"{url}/sign-in")
    assert "Secure" in page.headers["set-cookie"]  # the form's CSRF cookie too
    # this test talks plain http to the server: hand the Secure cookie back explicitly
    anon = {"mm_csrf": page.cookies["mm_csrf"]}
    sent = web.post(
        f"{url}/sign-in/code",
        data={"phone": TENANT_B, "csrf": csrf_of(page.text)},
        cookies=anon,
    )
    assert sent.status_code == 200, sent.text
    done = web.post(
        f"{url}/sign-in",
        data={
            "phone": TENANT_B,
            "code": outbox_code(sqlite_db, pm.site_id, TENANT_B),
            "csrf": csrf_of(sent.text),
        },
        cookies=anon,
        allow_redirects=False,
    )
    cookie = done.headers["set-cookie"]
    assert "mm_portal=" in cookie and "Secure" in cookie and "HttpOnly" in cookie


def test_one_network_address_gets_twenty_codes_an_hour_whatever_the_phones(portal, sqlite_db):
    pm, url = portal
    web = requests.Session()
    csrf = csrf_of(web.get(f"{url}/sign-in").text)

    def ask(phone: str, address: str) -> requests.Response:
        # behind the office's proxy the tenant's address comes as X-Forwarded-For
        return web.post(
            f"{url}/sign-in/code",
            data={"phone": phone, "csrf": csrf},
            headers={"X-Forwarded-For": address},
        )

    for i in range(20):
        assert ask(f"1350000{i:04d}", "203.0.113.7").status_code == 200
    refused = ask("13500009999", "203.0.113.7")
    assert refused.status_code == 400
    assert "此网络在一小时内获取的验证码太多" in refused.text
    with sqlite_db.reading() as s:
        sent = [m.phone for m in latest_messages(s, pm.site_id, limit=100)]
    assert "13500009999" not in sent and len(sent) == 20  # no text for the refused one
    assert ask("13500009999", "198.51.100.4").status_code == 200  # another address may
