"""Local doubles of the payment platforms over real HTTP on 127.0.0.1, following their documented
contracts (PAYMENTS.md): each holds a platform key pair made for the test, checks the
merchant's request signature, signs its answers and notifications as the platform does (WeChat
Pay v3 also encrypts the notification's resource with the APIv3 key), retries a notification that
is not answered as handled, and serves the order query and the daily statement."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
import threading
import time
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.comm.payments.alipay import signing_text
from app.comm.payments.wechat import encrypt_resource, is_signed_by, sign

_BEIJING = ZoneInfo("Asia/Shanghai")


def a_key_pair() -> tuple[str, str]:
    """(private PEM, public PEM) of a new RSA-2048 key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@dataclass
class Order:
    out_trade_no: str
    total_fen: int
    notify_url: str
    paid: bool = False
    transaction_id: str = ""
    paid_at: datetime | None = None


class _Server:
    """A ThreadingHTTPServer on 127.0.0.1 whose requests go to `self.handle(h)`."""

    def start(self):
        double = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                double.handle(self)

            def do_POST(self):  # noqa: N802
                double.handle(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    @staticmethod
    def answer(h, status: int, body: bytes, headers: dict | None = None, ctype="application/json"):
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)


# ------------------------------------------------------------------ WeChat Pay API v3


@dataclass
class Delivery:
    """One notification as sent and what the merchant answered."""

    headers: dict
    body: bytes
    status: int
    attempts: int = 1


@dataclass
class WechatDouble(_Server):
    merchant_public_pem: str
    mchid: str = "1900000109"
    appid: str = "wxd678efh567hg6787"
    merchant_serial: str = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
    apiv3_key: str = field(default_factory=lambda: secrets.token_hex(16))
    platform_serial: str = "PUB_KEY_ID_0114232134912410000000000000"
    orders: dict[str, Order] = field(default_factory=dict)
    refused_requests: int = 0

    def __post_init__(self):
        self.platform_private_pem, self.platform_public_pem = a_key_pair()
        self.bill_token = secrets.token_hex(8)

    def settings(self, merchant_private_pem: str, notify_url: str) -> dict:
        """What the market's admin types in Settings → 在线支付 for this merchant account."""
        return {
            "mchid": self.mchid,
            "appid": self.appid,
            "merchant_serial": self.merchant_serial,
            "merchant_key": merchant_private_pem,
            "apiv3_key": self.apiv3_key,
            "platform_serial": self.platform_serial,
            "platform_key": self.platform_public_pem,
            "notify_url": notify_url,
            "base_url": self.url,
        }

    def _signed_headers(self, body: bytes, *, stamp: int | None = None) -> dict:
        stamp = str(stamp if stamp is not None else int(time.time()))
        nonce = secrets.token_hex(16)
        message = f"{stamp}\n{nonce}\n".encode() + body + b"\n"
        return {
            "Wechatpay-Serial": self.platform_serial,
            "Wechatpay-Signature": sign(self.platform_private_pem, message.decode()),
            "Wechatpay-Timestamp": stamp,
            "Wechatpay-Nonce": nonce,
        }

    def _merchant_signed(self, h, body: bytes) -> bool:
        auth = h.headers.get("Authorization", "")
        if not auth.startswith("WECHATPAY2-SHA256-RSA2048 "):
            return False
        parts = dict(p.split("=", 1) for p in auth.split(" ", 1)[1].split(",") if "=" in p)
        parts = {k: v.strip('"') for k, v in parts.items()}
        if parts.get("mchid") != self.mchid or parts.get("serial_no") != self.merchant_serial:
            return False
        message = (
            f"{h.command}\n{h.path}\n{parts.get('timestamp')}\n{parts.get('nonce_str')}\n".encode()
            + body
            + b"\n"
        )
        return is_signed_by(self.merchant_public_pem, message, parts.get("signature", ""))

    def _json(self, h, status: int, payload: dict):
        body = json.dumps(payload).encode()
        self.answer(h, status, body, self._signed_headers(body))

    def handle(self, h):
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        path = urlsplit(h.path)
        if path.path.startswith("/v3/billdownload/"):
            # the file itself is not signed; its hash is, in the tradebill answer
            return self.answer(h, 200, self.trade_bill().encode("utf-8"), ctype="text/plain")
        if not self._merchant_signed(h, body):
            self.refused_requests += 1
            return self._json(h, 401, {"code": "SIGN_ERROR", "message": "signature invalid"})
        if h.command == "POST" and path.path.startswith("/v3/pay/transactions/"):
            way = path.path.rsplit("/", 1)[1]
            req = json.loads(body)
            if req.get("mchid") != self.mchid or req.get("appid") != self.appid:
                return self._json(h, 400, {"code": "PARAM_ERROR", "message": "mchid/appid"})
            no = req["out_trade_no"]
            self.orders[no] = Order(no, int(req["amount"]["total"]), req["notify_url"])
            prepay = f"wx{secrets.token_hex(14)}"
            return self._json(
                h,
                200,
                {
                    "jsapi": {"prepay_id": prepay},
                    "h5": {"h5_url": f"{self.url}/h5pay?prepay_id={prepay}"},
                    "native": {"code_url": f"weixin://wxpay/bizpayurl?pr={prepay[:9]}"},
                }[way],
            )
        if h.command == "GET" and path.path.startswith("/v3/pay/transactions/out-trade-no/"):
            no = path.path.rsplit("/", 1)[1]
            order = self.orders.get(no)
            if order is None:
                return self._json(h, 404, {"code": "ORDER_NOT_EXIST", "message": "no such order"})
            return self._json(h, 200, self.transaction(order))
        if h.command == "GET" and path.path == "/v3/bill/tradebill":
            content = self.trade_bill().encode("utf-8")
            return self._json(
                h,
                200,
                {
                    "hash_type": "SHA1",
                    "hash_value": hashlib.sha1(content).hexdigest(),
                    "download_url": f"{self.url}/v3/billdownload/file?token={self.bill_token}",
                },
            )
        return self._json(h, 404, {"code": "NOT_FOUND", "message": h.path})

    def transaction(self, order: Order, **changes) -> dict:
        tx = {
            "appid": self.appid,
            "mchid": self.mchid,
            "out_trade_no": order.out_trade_no,
            "transaction_id": order.transaction_id,
            "trade_type": "NATIVE",
            "trade_state": "SUCCESS" if order.paid else "NOTPAY",
            "trade_state_desc": "",
            "success_time": order.paid_at.isoformat() if order.paid_at else None,
            "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
            "amount": {"total": order.total_fen, "payer_total": order.total_fen, "currency": "CNY"},
        }
        tx.update(changes)
        return tx

    def pay(self, order_no: str, *, deliver: bool = True, **changes) -> Delivery | None:
        """The tenant pays: the order is paid here and the notification is sent (unless
        `deliver` is False: it is lost). `changes` alter the transaction before signing."""
        order = self.orders[order_no]
        order.paid = True
        order.transaction_id = order.transaction_id or f"4200{secrets.randbelow(10**24):024d}"
        order.paid_at = datetime.now(UTC).replace(microsecond=0)
        if not deliver:
            return None
        return self.notify(order, self.notification(order, **changes))

    def notification(self, order: Order, *, stamp: int | None = None, **changes) -> tuple:
        plaintext = json.dumps(self.transaction(order, **changes)).encode()
        note = {
            "id": secrets.token_hex(16),
            "create_time": datetime.now(UTC).isoformat(),
            "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS",
            "summary": "payment succeeded",
            "resource": encrypt_resource(self.apiv3_key, plaintext, "transaction"),
        }
        body = json.dumps(note).encode()
        return self._signed_headers(body, stamp=stamp), body

    def notify(self, order: Order, signed: tuple, *, attempts: int = 3) -> Delivery:
        """POST the notification; not answered 2xx, it is sent again (WeChat Pay retries at
        growing intervals for about 24 hours: here a few times, quickly)."""
        headers, body = signed
        for attempt in range(1, attempts + 1):
            answer = requests.post(
                order.notify_url,
                data=body,
                headers={**headers, "Content-Type": "application/json"},
                timeout=30,
            )
            if 200 <= answer.status_code < 300:
                break
            time.sleep(0.05 * attempt)
        return Delivery(headers, body, answer.status_code, attempt)

    def trade_bill(self) -> str:
        """交易账单 of the paid orders (bill_type=ALL): a header, one row per payment with
        every value prefixed with a backquote, then the totals."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow([f"col{i}" for i in range(27)])
        paid = [o for o in self.orders.values() if o.paid]
        for o in paid:
            row = [""] * 27
            row[0] = o.paid_at.strftime("%Y-%m-%d %H:%M:%S")
            row[1], row[2], row[5], row[6] = (
                self.appid,
                self.mchid,
                o.transaction_id,
                o.out_trade_no,
            )
            row[8], row[9], row[11] = "NATIVE", "SUCCESS", "CNY"
            row[12] = row[24] = f"{Decimal(o.total_fen).scaleb(-2):.2f}"
            w.writerow([f"`{v}" for v in row])
        w.writerow(["total_count", "total_amount", "refund", "coupon_refund", "fee", "order", "x"])
        total = sum(Decimal(o.total_fen).scaleb(-2) for o in paid)
        w.writerow(
            [f"`{len(paid)}", f"`{total:.2f}", "`0.00", "`0.00", "`0.00", f"`{total:.2f}", "`0"]
        )
        return "\ufeff" + out.getvalue()


# ------------------------------------------------------------------ Alipay


@dataclass
class AlipayDouble(_Server):
    app_public_pem: str
    app_id: str = "2021000000000001"
    seller_id: str = "2088000000000001"
    orders: dict[str, Order] = field(default_factory=dict)
    refused_requests: int = 0

    def __post_init__(self):
        self.alipay_private_pem, self.alipay_public_pem = a_key_pair()

    def settings(self, app_private_pem: str, notify_url: str) -> dict:
        return {
            "app_id": self.app_id,
            "seller_id": self.seller_id,
            "app_key": app_private_pem,
            "alipay_key": self.alipay_public_pem,
            "notify_url": notify_url,
            "gateway": f"{self.url}/gateway.do",
        }

    def _respond(self, h, method: str, payload: dict):
        raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        signature = sign(self.alipay_private_pem, raw)
        key = method.replace(".", "_") + "_response"
        body = f'{{"{key}":{raw},"sign":"{signature}"}}'.encode()
        self.answer(h, 200, body, ctype="application/json;charset=utf-8")

    def handle(self, h):
        path = urlsplit(h.path)
        if path.path.startswith("/bill/"):
            return self.answer(h, 200, self.bill_zip(), ctype="application/zip")
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length).decode() if length else path.query
        params = dict(parse_qsl(raw, keep_blank_values=True))
        method = params.get("method", "")
        if params.get("app_id") != self.app_id or not is_signed_by(
            self.app_public_pem, signing_text(params).encode(), params.get("sign", "")
        ):
            self.refused_requests += 1
            return self._respond(
                h,
                method,
                {"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-signature"},
            )
        biz = json.loads(params.get("biz_content") or "{}")
        if method in ("alipay.trade.precreate", "alipay.trade.wap.pay"):
            no = biz["out_trade_no"]
            fen = int(Decimal(biz["total_amount"]).scaleb(2))
            self.orders[no] = Order(no, fen, params["notify_url"])
            if method == "alipay.trade.wap.pay":
                return self.answer(h, 200, b"<html>cashier</html>", ctype="text/html")
            return self._respond(
                h,
                method,
                {
                    "code": "10000",
                    "msg": "Success",
                    "out_trade_no": no,
                    "qr_code": f"https://qr.alipay.com/{secrets.token_hex(8)}",
                },
            )
        if method == "alipay.trade.query":
            order = self.orders.get(biz.get("out_trade_no", ""))
            if order is None or not order.paid:
                return self._respond(
                    h,
                    method,
                    {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_NOT_EXIST"},
                )
            return self._respond(
                h, method, {"code": "10000", "msg": "Success", **self.trade(order)}
            )
        if method == "alipay.data.dataservice.bill.downloadurl.query":
            return self._respond(
                h,
                method,
                {
                    "code": "10000",
                    "msg": "Success",
                    "bill_download_url": f"{self.url}/bill/{biz['bill_date']}.zip",
                },
            )
        return self._respond(
            h, method, {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.INVALID"}
        )

    def trade(self, order: Order) -> dict:
        return {
            "trade_no": order.transaction_id,
            "out_trade_no": order.out_trade_no,
            "trade_status": "TRADE_SUCCESS" if order.paid else "WAIT_BUYER_PAY",
            "total_amount": f"{Decimal(order.total_fen).scaleb(-2):.2f}",
            "send_pay_date": order.paid_at.astimezone(_BEIJING).strftime("%Y-%m-%d %H:%M:%S")
            if order.paid_at
            else None,
        }

    def pay(self, order_no: str, *, deliver: bool = True, **changes):
        order = self.orders[order_no]
        order.paid = True
        order.transaction_id = order.transaction_id or f"2026{secrets.randbelow(10**24):024d}"
        order.paid_at = datetime.now(UTC).replace(microsecond=0)
        if not deliver:
            return None
        return self.notify(order, self.notification(order, **changes))

    def notification(self, order: Order, **changes) -> dict:
        form = {
            "notify_time": datetime.now(_BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
            "notify_type": "trade_status_sync",
            "notify_id": secrets.token_hex(16),
            "app_id": self.app_id,
            "charset": "utf-8",
            "version": "1.0",
            "trade_no": order.transaction_id,
            "out_trade_no": order.out_trade_no,
            "seller_id": self.seller_id,
            "total_amount": f"{Decimal(order.total_fen).scaleb(-2):.2f}",
            "trade_status": "TRADE_SUCCESS",
            "gmt_payment": order.paid_at.astimezone(_BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
            **changes,
        }
        form["sign"] = sign(self.alipay_private_pem, signing_text(form))
        form["sign_type"] = "RSA2"
        return form

    def notify(self, order: Order, form: dict, *, attempts: int = 3) -> Delivery:
        """POST the form; an answer other than `success` is sent again (Alipay: 8 times in
        25 hours; here a few times, quickly)."""
        for attempt in range(1, attempts + 1):
            answer = requests.post(order.notify_url, data=form, timeout=30)
            if answer.text == "success":
                break
            time.sleep(0.05 * attempt)
        return Delivery({}, json.dumps(form).encode(), answer.status_code, attempt)

    def bill_zip(self) -> bytes:
        """The trade bill: a zip of GBK CSV files, '#' lines around the detail rows."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        out.write("#account: 20880000000000010156\r\n#detail\r\n")
        w.writerow([f"col{i}" for i in range(25)])
        for o in self.orders.values():
            if not o.paid:
                continue
            row = [""] * 25
            row[0], row[1], row[2] = o.transaction_id, o.out_trade_no, "trade"
            row[4] = row[5] = o.paid_at.astimezone(_BEIJING).strftime("%Y-%m-%d %H:%M:%S")
            row[11] = row[12] = f"{Decimal(o.total_fen).scaleb(-2):.2f}"
            w.writerow(row)
        out.write("#end\r\n")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("20880000000000010156_detail.csv", out.getvalue().encode("gbk"))
            z.writestr(
                "20880000000000010156_summary.csv", "#summary\r\nstore,count\r\n".encode("gbk")
            )
        return buf.getvalue()
